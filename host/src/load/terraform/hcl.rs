//! Terraform native syntax (`.tf`): the `resource` blocks of one file.
//!
//! hcl-edit parses with spans and with its own nesting limit, so deeply nested input is a
//! parse error rather than a stack overflow.

use std::collections::BTreeMap;
use std::path::Path;

use hcl_edit::Span as _;
use hcl_edit::structure::Block;
use serde_json::Value;

use super::body::BodyReader;
use super::spans;
use super::value::Literals;
use crate::model::{AttrPath, LoadError, Position, Resource, Span};

/// The resources defined in `text` (the contents of `file`), and the problems found.
pub fn resources(file: &Path, text: &str) -> (Vec<Resource>, Vec<LoadError>) {
    let error = |offset: usize, message: String| LoadError {
        file: file.to_path_buf(),
        position: Position::from_offset(text, offset),
        message,
    };
    let body = match hcl_edit::parser::parse_body(text) {
        Ok(body) => body,
        Err(e) => {
            return (
                Vec::new(),
                vec![error(
                    e.location().offset(),
                    format!("invalid HCL: {}", e.message()),
                )],
            );
        }
    };

    let evaluator = Literals { text };
    let mut resources = Vec::new();
    let mut errors = Vec::new();
    for block in body
        .blocks()
        .filter(|block| block.ident.as_str() == "resource")
    {
        let (resource_type, name) = match block.labels.as_slice() {
            [resource_type, name] => (resource_type.as_str(), name.as_str()),
            _ => {
                let offset = block.ident.span().map_or(0, |r| r.start);
                let message = "a resource block needs two labels, its type and its name".into();
                errors.push(error(offset, message));
                continue;
            }
        };
        let mut reader = BodyReader {
            text,
            evaluator: &evaluator,
            spans: BTreeMap::new(),
        };
        let attributes = reader.read(&block.body, &AttrPath::root());
        resources.push(Resource {
            resource_type: resource_type.to_string(),
            address: format!("{resource_type}.{name}"),
            file: file.to_path_buf(),
            span: header(text, block),
            attributes: Value::Object(attributes),
            spans: reader.spans,
        });
    }
    (resources, errors)
}

fn header(text: &str, block: &Block) -> Span {
    Span::from_range(text, spans::block_header(text, block))
}
