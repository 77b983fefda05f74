//! A resource block's body to JSON attributes and spans.
//!
//! Attributes take the value the [`Evaluate`] implementation gives them; nested blocks
//! become lists of objects under the block name, in source order (`ingress[1]`), whatever
//! their number, so that policies read one shape. A `dynamic "x"` block's content depends
//! on its `for_each`, which is not evaluated: the whole of `x` is unknown, even beside
//! static `x` blocks, since the full list cannot be known. Meta-arguments (`count`,
//! `for_each`, `depends_on`, `provider`, `lifecycle`, provisioners) are not attributes.

use std::collections::BTreeMap;
use std::ops::Range;

use hcl_edit::Span as _;
use hcl_edit::structure::{Body, Structure};
use serde_json::{Map, Value};

use super::spans;
use super::value::Evaluate;
use crate::model::{AttrPath, Span, unknown};

const META_ATTRIBUTES: [&str; 4] = ["count", "for_each", "depends_on", "provider"];
const META_BLOCKS: [&str; 3] = ["lifecycle", "provisioner", "connection"];

/// Converts bodies of one file.
pub struct BodyReader<'a> {
    pub text: &'a str,
    pub evaluator: &'a dyn Evaluate,
    pub spans: BTreeMap<String, Span>,
}

impl BodyReader<'_> {
    fn record(&mut self, path: &AttrPath, range: Option<Range<usize>>) {
        if let Some(range) = range {
            self.spans
                .entry(path.to_string())
                .or_insert_with(|| Span::from_range(self.text, range));
        }
    }

    /// The attributes of `body`, which sits at `path` (the root for a resource).
    pub fn read(&mut self, body: &Body, path: &AttrPath) -> Map<String, Value> {
        let top_level = path.as_str().is_empty();
        let mut object = Map::new();
        for structure in body.iter() {
            match structure {
                Structure::Attribute(attribute) => {
                    let name = attribute.key.as_str();
                    if top_level && META_ATTRIBUTES.contains(&name) {
                        continue;
                    }
                    let attribute_path = path.key(name);
                    self.record(&attribute_path, attribute.span());
                    spans::record_expression(
                        self.text,
                        &attribute.value,
                        &attribute_path,
                        &mut self.spans,
                    );
                    object.insert(name.to_string(), self.evaluator.evaluate(&attribute.value));
                }
                Structure::Block(block) => {
                    let name = block.ident.as_str();
                    if top_level && META_BLOCKS.contains(&name) {
                        continue;
                    }
                    let header = spans::block_header(self.text, block);
                    if name == "dynamic" {
                        let Some(label) = block.labels.first() else {
                            continue;
                        };
                        let label = label.as_str();
                        self.record(&path.key(label), Some(header));
                        let reason = format!("dynamic block `{label}` is not evaluated");
                        object.insert(label.to_string(), unknown(reason));
                        continue;
                    }
                    let list = object
                        .entry(name.to_string())
                        .or_insert_with(|| Value::Array(Vec::new()));
                    let Value::Array(items) = list else {
                        // An attribute of the same name, or a dynamic block: already reported
                        // or unknown.
                        continue;
                    };
                    let index = items.len();
                    let block_path = path.key(name).index(index);
                    let list_path = path.key(name);
                    self.record(&list_path, Some(header.clone()));
                    self.record(&block_path, Some(header));
                    let content = Value::Object(self.read(&block.body, &block_path));
                    if let Some(Value::Array(items)) = object.get_mut(name) {
                        items.push(content);
                    }
                }
            }
        }
        object
    }
}
