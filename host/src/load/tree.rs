//! A JSON-like document tree that remembers where every node came from.
//!
//! The JSON and YAML readers both produce this tree, so that the format loaders (ROS
//! templates, Terraform JSON syntax) are written once against it and never see a parser.
//! Positions are byte ranges into the file text, turned into lines and columns only when
//! a span is recorded.

use std::collections::BTreeMap;
use std::ops::Range;

use serde_json::{Map, Value};

use crate::model::{AttrPath, LineIndex, Span};

/// A value and the byte range of its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: NodeValue,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeValue {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Node>),
    /// Entries in source order; duplicates are kept for the format loaders to judge.
    Object(Vec<Entry>),
    /// A YAML local tag such as `!Ref` (the tag without its `!`) on a node.
    Tagged(String, Box<Node>),
}

/// One key of an object, with the range of the key itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: Range<usize>,
    pub value: Node,
}

impl Entry {
    /// From the key to the end of the value: what a finding on this entry underlines.
    pub fn span(&self) -> Range<usize> {
        self.key_span.start..self.value.span.end.max(self.key_span.end)
    }
}

impl Node {
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            NodeValue::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[Entry]> {
        match &self.value {
            NodeValue::Object(entries) => Some(entries),
            _ => None,
        }
    }

    /// The first entry named `key`, if this is an object.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.as_object()?.iter().find(|entry| entry.key == key)
    }

    /// A short name for the kind of value, for error messages.
    pub fn kind(&self) -> &'static str {
        match self.value {
            NodeValue::Null => "null",
            NodeValue::Bool(_) => "a boolean",
            NodeValue::Number(_) => "a number",
            NodeValue::String(_) => "a string",
            NodeValue::Array(_) => "a list",
            NodeValue::Object(_) => "an object",
            NodeValue::Tagged(..) => "a tagged value",
        }
    }
}

/// Converts a tree to plain JSON while recording the span of every path below `path`.
///
/// `special` lets a format claim a node before the generic conversion (ROS intrinsic
/// functions, Terraform `${...}` strings); a claimed node's children get no spans.
pub struct JsonBuilder<'a> {
    pub text: &'a str,
    pub lines: &'a LineIndex,
    pub spans: BTreeMap<String, Span>,
    pub special: &'a dyn Fn(&Node) -> Option<Value>,
    /// Keys dropped wherever they appear (`//` comments in Terraform JSON).
    pub skip_key: &'a dyn Fn(&str) -> bool,
}

impl JsonBuilder<'_> {
    pub fn record(&mut self, path: &AttrPath, range: Range<usize>) {
        self.spans
            .insert(path.as_str().to_string(), self.lines.span(self.text, range));
    }

    /// The JSON for `node`, which sits at `path` (whose own span the caller records).
    pub fn convert(&mut self, node: &Node, path: &AttrPath) -> Value {
        if let Some(value) = (self.special)(node) {
            return value;
        }
        match &node.value {
            NodeValue::Null => Value::Null,
            NodeValue::Bool(b) => Value::Bool(*b),
            NodeValue::Number(n) => Value::Number(n.clone()),
            NodeValue::String(s) => Value::String(s.clone()),
            NodeValue::Array(items) => Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let item_path = path.index(i);
                        self.record(&item_path, item.span.clone());
                        self.convert(item, &item_path)
                    })
                    .collect(),
            ),
            NodeValue::Object(entries) => Value::Object(self.convert_entries(entries, path)),
            // Tags the format did not claim carry no meaning of their own.
            NodeValue::Tagged(_, inner) => self.convert(inner, path),
        }
    }

    /// The JSON object for `entries` at `path`; a repeated key keeps its last value, as
    /// JSON parsers do.
    pub fn convert_entries(&mut self, entries: &[Entry], path: &AttrPath) -> Map<String, Value> {
        let mut object = Map::new();
        for entry in entries {
            if (self.skip_key)(&entry.key) {
                continue;
            }
            let entry_path = path.key(&entry.key);
            self.record(&entry_path, entry.span());
            let value = self.convert(&entry.value, &entry_path);
            object.insert(entry.key.clone(), value);
        }
        object
    }
}
