//! A resource body written in JSON to the same attribute value and spans as a native
//! body ([`BlockReader`]).
//!
//! Without provider schemas a nested block and an object-valued attribute look the same
//! in JSON, so the shape written is kept: an object stays an object, an array of
//! objects is a list of blocks. One exception: an object under the name of a nested
//! block type the core rules read (`ingress`, `root_block_device`, `grant`... see
//! [`NESTED_BLOCKS`]) is that one block, a list of one object, as native syntax gives
//! it; else a rule reading `ingress` as a list could not read a single block.
//!
//! Objects that may be block bodies follow block rules at any depth: `//` properties
//! are comments and `dynamic` holds dynamic blocks (`"dynamic": {"ingress": {"for_each":
//! ..., "iterator": "rule", "content": {...}}}`). Everything else is an expression
//! ([`super::json_expr`]). Every attribute, element, item and block gets the span of its
//! JSON key through its value (of the element itself in an array).

use std::collections::BTreeMap;

use super::block::{BlockReader, Dynamic, META_ATTRIBUTES, META_BLOCKS, push_slot, set_slot};
use super::expr::Evaluator;
use super::json_structure::COMMENT;
use super::syntax::{Body, Expr};
use super::value::Value;
use palisade_model::AttrPath;
use palisade_syntax::{Entry, Node, NodeValue};

/// Nested block types of the resources the core rules read (security group rules,
/// disks, bucket ACL grants): an object under one of these names is a single block.
pub const NESTED_BLOCKS: [&str; 13] = [
    "ingress",
    "egress",
    "root_block_device",
    "ebs_block_device",
    "data_disks",
    "block_device_mappings",
    "ebs",
    "system_disk",
    "data_disk",
    "grant",
    "access_control_policy",
    "grantee",
    "owner",
];

impl BlockReader<'_, '_> {
    /// The attributes and nested blocks of the JSON body `entries`, which sits at `path`.
    pub(super) fn read_json(
        &mut self,
        evaluator: &Evaluator<'_>,
        entries: &[Entry],
        path: &AttrPath,
    ) -> BTreeMap<String, Value> {
        let top_level = path.as_str().is_empty();
        let mut object = BTreeMap::new();
        for entry in entries.iter().filter(|entry| entry.key != COMMENT) {
            let name = entry.key.as_str();
            if top_level && (META_ATTRIBUTES.contains(&name) || META_BLOCKS.contains(&name)) {
                continue;
            }
            if name == "dynamic"
                && let Some(dynamics) = bodies(&entry.value)
            {
                for dynamic in dynamics {
                    self.json_dynamic(evaluator, dynamic, path, &mut object);
                }
                continue;
            }
            let entry_path = path.key(name);
            self.record(&entry_path, Some(entry.span()));
            match &entry.value.value {
                NodeValue::Object(body) if NESTED_BLOCKS.contains(&name) => {
                    self.json_block(evaluator, name, body, entry.span(), path, &mut object);
                }
                NodeValue::Object(body) => {
                    let value = Value::Object(self.read_json(evaluator, body, &entry_path));
                    object.insert(name.to_owned(), value);
                }
                NodeValue::Array(items) if !items.is_empty() && bodies(&entry.value).is_some() => {
                    for item in items {
                        let body = item.as_object().unwrap_or_default();
                        let span = item.span.clone();
                        self.json_block(evaluator, name, body, span, path, &mut object);
                    }
                }
                _ => {
                    self.record_elements(&entry.value, &entry_path);
                    self.trace(&entry_path, Expr::Json(&entry.value));
                    object.insert(name.to_owned(), Expr::Json(&entry.value).eval(evaluator));
                }
            }
        }
        object
    }

    /// Adds the block `body` (whose span is `span`) to the list `name` in `object`.
    fn json_block(
        &mut self,
        evaluator: &Evaluator<'_>,
        name: &str,
        body: &[Entry],
        span: std::ops::Range<usize>,
        path: &AttrPath,
        object: &mut BTreeMap<String, Value>,
    ) {
        let Some(index) = push_slot(object, name) else {
            return;
        };
        let block_path = path.key(name).index(index);
        self.record(&block_path, Some(span));
        let content = Value::Object(self.read_json(evaluator, body, &block_path));
        set_slot(object, name, index, content);
    }

    /// Expands the dynamic blocks of one `"dynamic"` object: `{"LABEL": {"for_each":
    /// ..., "iterator": "NAME", "content": {...}}}`.
    fn json_dynamic(
        &mut self,
        evaluator: &Evaluator<'_>,
        blocks: &[Entry],
        path: &AttrPath,
        object: &mut BTreeMap<String, Value>,
    ) {
        for entry in blocks.iter().filter(|entry| entry.key != COMMENT) {
            let Some(spec) = entry.value.as_object() else {
                continue;
            };
            let argument = |name: &str| {
                spec.iter()
                    .find(|argument| argument.key == name)
                    .map(|argument| &argument.value)
            };
            let dynamic = Dynamic {
                label: &entry.key,
                iterator: argument("iterator")
                    .and_then(Node::as_str)
                    .unwrap_or(&entry.key),
                for_each: argument("for_each").map(Expr::Json),
                content: argument("content")
                    .and_then(Node::as_object)
                    .map(Body::Json),
                header: entry.span(),
            };
            self.expand(evaluator, dynamic, path, object);
        }
    }

    /// Records the span of every element and item inside the expression `node`, which
    /// sits at `path`.
    fn record_elements(&mut self, node: &Node, path: &AttrPath) {
        match &node.value {
            NodeValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let item_path = path.index(i);
                    self.record(&item_path, Some(item.span.clone()));
                    self.record_elements(item, &item_path);
                }
            }
            NodeValue::Object(entries) => {
                for entry in entries {
                    let entry_path = path.key(&entry.key);
                    self.record(&entry_path, Some(entry.span()));
                    self.record_elements(&entry.value, &entry_path);
                }
            }
            NodeValue::Tagged(_, inner) => self.record_elements(inner, path),
            _ => {}
        }
    }
}

/// The block bodies `node` holds: its entries if it is an object, those of each element
/// if it is an array of objects only; `None` when it is anything else.
fn bodies(node: &Node) -> Option<Vec<&[Entry]>> {
    match &node.value {
        NodeValue::Object(entries) => Some(vec![entries]),
        NodeValue::Array(items) => items.iter().map(Node::as_object).collect(),
        _ => None,
    }
}
