//! A JSON-like document tree that remembers where every node came from.
//!
//! The JSON and YAML readers both produce this tree, so that the format loaders (ROS
//! templates, Terraform JSON syntax) are written once against it and never see a parser.
//! Positions are byte ranges into the file text, turned into lines and columns only when
//! a span is recorded.

use std::ops::Range;

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

    /// About how many bytes a value built from this node takes, at `per_value` bytes a
    /// node and key plus its text, when that is more than `limit`: checked before the
    /// value is built, since a list of ten million numbers is 20 MB of text and far more
    /// once built. Only a node whose text is long enough to be in doubt is counted.
    pub fn oversized(&self, per_value: u64, limit: u64) -> Option<u64> {
        let text = self.span.len() as u64;
        if text.saturating_mul(per_value + 1) <= limit {
            return None;
        }
        let bytes = text.saturating_add(self.count().saturating_mul(per_value));
        (bytes > limit).then_some(bytes)
    }

    /// How many nodes and keys this node holds, itself included.
    fn count(&self) -> u64 {
        1 + match &self.value {
            NodeValue::Array(items) => items.iter().map(Node::count).sum(),
            NodeValue::Object(entries) => entries.iter().map(|e| 1 + e.value.count()).sum(),
            NodeValue::Tagged(_, inner) => inner.count(),
            _ => 0,
        }
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
