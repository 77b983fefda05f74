//! Terraform native syntax (`.tf`): parsing one file, with spans kept, and reading the
//! literal parts of its syntax.
//!
//! hcl-edit parses with its own nesting limit, so deeply nested input is a parse error
//! rather than a stack overflow.

use std::path::Path;

use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::Body;

use palisade_model::{LoadError, Position};

/// The body of `text` (the contents of `file`), or where it stops being valid HCL.
pub fn parse(file: &Path, text: &str) -> Result<Body, LoadError> {
    hcl_edit::parser::parse_body(text).map_err(|e| LoadError {
        file: file.to_path_buf(),
        position: Position::from_offset(text, e.location().offset()),
        message: format!("invalid HCL: {}", e.message()),
    })
}

/// The key of an object item if it is written literally (`name`, `"name"`): what a span
/// or an object type attribute can be named by before evaluation.
pub fn object_key(key: &ObjectKey) -> Option<String> {
    match key {
        ObjectKey::Ident(ident) => Some(ident.as_str().to_string()),
        ObjectKey::Expression(Expression::String(s)) => Some(s.value().clone()),
        ObjectKey::Expression(_) => None,
    }
}
