//! A block's body to an attribute value and the span of every attribute path: the shape
//! policies read, computed with the evaluator.
//!
//! Attributes take their evaluated value; nested blocks become lists of objects under the
//! block name, in source order (`ingress[1]`), whatever their number. `dynamic` blocks
//! are expanded in place from their `for_each`, with their iterator bound; when that
//! collection is unknown, the whole list is unknown, since its length cannot be known.
//! Meta-arguments (`count`, `for_each`, `depends_on`, `provider`, `lifecycle`,
//! provisioners) are not attributes.
//!
//! This file walks native bodies; [`super::json_body`] walks JSON ones into the same
//! shape, and `dynamic` blocks of both expand here.

use std::collections::BTreeMap;
use std::ops::Range;

use hcl_edit::Span as _;
use hcl_edit::structure::{Block, Structure};

use super::expr::Evaluator;
use super::syntax::{Body, Expr};
use super::value::Value;
use crate::spans;
use palisade_model::{AttrPath, LineIndex, Origin, Resource, Span};

/// Arguments of a resource that configure Terraform, not the resource.
pub const META_ATTRIBUTES: [&str; 4] = ["count", "for_each", "depends_on", "provider"];
/// Nested blocks of a resource that configure Terraform, not the resource.
pub const META_BLOCKS: [&str; 3] = ["lifecycle", "provisioner", "connection"];

/// Reads the bodies of one file into values and spans.
pub struct BlockReader<'e, 'a> {
    pub evaluator: &'e Evaluator<'a>,
    pub text: &'e str,
    pub lines: &'e LineIndex,
    /// Span of every attribute path met so far.
    pub spans: BTreeMap<String, Span>,
    /// Where attribute values come from, when not from the attribute itself.
    pub origins: BTreeMap<String, Origin>,
    /// Describes where an expression's value comes from (the variables it reads).
    pub origin: &'e dyn Fn(Expr<'_>) -> Option<Origin>,
}

impl<'e, 'a> BlockReader<'e, 'a> {
    pub fn new(
        evaluator: &'e Evaluator<'a>,
        text: &'e str,
        lines: &'e LineIndex,
        origin: &'e dyn Fn(Expr<'_>) -> Option<Origin>,
    ) -> Self {
        Self {
            evaluator,
            text,
            lines,
            spans: BTreeMap::new(),
            origins: BTreeMap::new(),
            origin,
        }
    }

    /// Notes where the value at `path`, computed from `expr`, comes from.
    pub(super) fn trace(&mut self, path: &AttrPath, expr: Expr<'_>) {
        if let Some(origin) = (self.origin)(expr) {
            self.origins.entry(path.to_string()).or_insert(origin);
        }
    }

    pub(super) fn record(&mut self, path: &AttrPath, range: Option<Range<usize>>) {
        if let Some(range) = range
            && self.spans.len() < Resource::MAX_SPANS
        {
            self.spans
                .entry(path.to_string())
                .or_insert_with(|| self.lines.span(self.text, range));
        }
    }

    /// The attributes of a resource's body.
    pub fn resource(&mut self, body: Body<'_>) -> Value {
        Value::Object(self.read_body(self.evaluator, body, &AttrPath::root()))
    }

    /// The attributes and nested blocks of `body`, which sits at `path`.
    pub(super) fn read_body(
        &mut self,
        evaluator: &Evaluator<'_>,
        body: Body<'_>,
        path: &AttrPath,
    ) -> BTreeMap<String, Value> {
        match body {
            Body::Hcl(body) => self.read(evaluator, body, path),
            Body::Json(entries) => self.read_json(evaluator, entries, path),
        }
    }

    fn read(
        &mut self,
        evaluator: &Evaluator<'_>,
        body: &hcl_edit::structure::Body,
        path: &AttrPath,
    ) -> BTreeMap<String, Value> {
        let top_level = path.as_str().is_empty();
        let mut object = BTreeMap::new();
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
                        self.lines,
                        &attribute.value,
                        &attribute_path,
                        &mut self.spans,
                    );
                    self.trace(&attribute_path, Expr::Hcl(&attribute.value));
                    object.insert(name.to_owned(), evaluator.eval(&attribute.value));
                }
                Structure::Block(block) => {
                    let name = block.ident.as_str();
                    if top_level && META_BLOCKS.contains(&name) {
                        continue;
                    }
                    if name == "dynamic" {
                        self.dynamic(evaluator, block, path, &mut object);
                    } else {
                        let header = spans::block_header(self.text, block);
                        let index = push_slot(&mut object, name);
                        if let Some(index) = index {
                            let block_path = path.key(name).index(index);
                            self.record(&path.key(name), Some(header.clone()));
                            self.record(&block_path, Some(header));
                            let content =
                                Value::Object(self.read(evaluator, &block.body, &block_path));
                            set_slot(&mut object, name, index, content);
                        }
                    }
                }
            }
        }
        object
    }

    /// Reads `dynamic "label" { for_each = ... iterator = ... content { ... } }`.
    fn dynamic(
        &mut self,
        evaluator: &Evaluator<'_>,
        block: &Block,
        path: &AttrPath,
        object: &mut BTreeMap<String, Value>,
    ) {
        let Some(label) = block.labels.first().map(|l| l.as_str()) else {
            return;
        };
        let attribute = |name: &str| block.body.get_attribute(name).map(|a| &a.value);
        let iterator = attribute("iterator").and_then(|e| e.as_variable().map(|v| v.as_str()));
        let dynamic = Dynamic {
            label,
            iterator: iterator.unwrap_or(label),
            for_each: attribute("for_each").map(Expr::Hcl),
            content: block
                .body
                .get_blocks("content")
                .next()
                .map(|content| Body::Hcl(&content.body)),
            header: spans::block_header(self.text, block),
        };
        self.expand(evaluator, dynamic, path, object);
    }

    /// Adds the blocks `dynamic` generates to the list under its label in `object`.
    pub(super) fn expand(
        &mut self,
        evaluator: &Evaluator<'_>,
        dynamic: Dynamic<'_>,
        path: &AttrPath,
        object: &mut BTreeMap<String, Value>,
    ) {
        let label = dynamic.label;
        self.record(&path.key(label), Some(dynamic.header.clone()));
        let Some(content) = dynamic.content else {
            return;
        };
        let collection = dynamic
            .for_each
            .map_or(Value::Null, |for_each| for_each.eval(evaluator));
        let pairs: Vec<(Value, Value)> = match collection.into_entries() {
            Ok(pairs) => pairs,
            Err(Value::Null) => Vec::new(),
            Err(Value::Unknown(unknown)) => {
                let reason = format!(
                    "dynamic block `{label}` iterates over an unknown value: {}",
                    unknown.reason
                );
                object.insert(label.to_owned(), Value::unknown(reason));
                return;
            }
            Err(other) => {
                let reason = format!(
                    "dynamic block `{label}` cannot iterate over a {}",
                    other.type_name()
                );
                object.insert(label.to_owned(), Value::unknown(reason));
                return;
            }
        };
        for (key, value) in pairs {
            let Some(index) = push_slot(object, label) else {
                return;
            };
            let block_path = path.key(label).index(index);
            self.record(&block_path, Some(dynamic.header.clone()));
            if let Some(for_each) = dynamic.for_each {
                self.trace(&block_path, for_each);
            }
            let bound = Value::Object(BTreeMap::from([
                ("key".to_owned(), key),
                ("value".to_owned(), value),
            ]));
            let inner = evaluator.with([(dynamic.iterator.to_owned(), bound)]);
            let generated = Value::Object(self.read_body(&inner, content, &block_path));
            set_slot(object, label, index, generated);
        }
    }
}

/// A `dynamic` block, in either syntax.
pub(super) struct Dynamic<'b> {
    /// The type of the blocks it generates.
    pub label: &'b str,
    /// The name the current element is bound to in `content`.
    pub iterator: &'b str,
    pub for_each: Option<Expr<'b>>,
    pub content: Option<Body<'b>>,
    /// What the generated blocks' spans point at.
    pub header: Range<usize>,
}

/// Reserves the next element of the block list `name` and returns its index; `None`
/// when `name` is already something else (an unknown dynamic list, an attribute).
pub(super) fn push_slot(object: &mut BTreeMap<String, Value>, name: &str) -> Option<usize> {
    match object
        .entry(name.to_owned())
        .or_insert_with(|| Value::List(Vec::new()))
    {
        Value::List(items) => {
            items.push(Value::Null);
            Some(items.len() - 1)
        }
        _ => None,
    }
}

pub(super) fn set_slot(
    object: &mut BTreeMap<String, Value>,
    name: &str,
    index: usize,
    value: Value,
) {
    if let Some(Value::List(items)) = object.get_mut(name)
        && let Some(slot) = items.get_mut(index)
    {
        *slot = value;
    }
}
