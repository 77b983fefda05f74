//! The block structure of a Terraform JSON file (`.tf.json`), per Terraform's JSON
//! configuration syntax: the root object's properties are block types, and each label
//! of a block type is one more level of object (`"resource": {"TYPE": {"NAME": {...}}}`).
//!
//! Any of these levels may instead be an array of objects, so that a key can repeat:
//! `"resource": [{"t": {...}}, {"t": {...}}]`. At the body level an array means several
//! blocks with the same labels: for a resource, a duplicate, reported as in native
//! syntax. Properties named `//` are comments wherever a block or its labels are
//! expected.
//!
//! Files are also checked here, once when they are read, for the template and reference
//! syntax of the arguments Terraform evaluates, so that an invalid string is reported
//! even where nothing evaluates it (an unused local, a resource with `count = 0`).

use std::ops::Range;

use super::expr::SourceError;
use super::json_expr;
use super::syntax::{Block, Declared};
use palisade_syntax::{Entry, Node, NodeValue};

/// The property name of a comment.
pub const COMMENT: &str = "//";

/// A block written in JSON.
#[derive(Debug, Clone)]
pub struct JsonBlock<'c> {
    /// The entries of the body object.
    pub body: &'c [Entry],
    /// The key of the block's last label (`"NAME"` of a resource), or of its type for a
    /// block without labels; for the second and later bodies of an array, the body.
    pub header: Range<usize>,
}

/// How many labels a top-level block type has; `None` for a type Terraform does not know.
fn label_count(kind: &str) -> Option<usize> {
    match kind {
        "resource" | "data" => Some(2),
        "module" | "output" | "variable" | "provider" | "check" => Some(1),
        "locals" | "terraform" | "moved" | "import" | "removed" => Some(0),
        _ => None,
    }
}

/// The top-level blocks of `root`, a file's root object, in source order; and where the
/// structure is not what the block type needs.
pub fn blocks(root: &Node) -> (Vec<Declared<'_>>, Vec<SourceError>) {
    let mut walk = Walk {
        found: Vec::new(),
        problems: Vec::new(),
    };
    for entry in root.as_object().unwrap_or_default() {
        if entry.key == COMMENT {
            continue;
        }
        match label_count(&entry.key) {
            Some(count) => walk.labels(&entry.key, &entry.value, Vec::new(), count, entry),
            None => walk.problem(
                entry.key_span.clone(),
                format!("`{}` is not a Terraform block type", entry.key),
            ),
        }
    }
    (walk.found, walk.problems)
}

struct Walk<'c> {
    found: Vec<Declared<'c>>,
    problems: Vec<SourceError>,
}

impl<'c> Walk<'c> {
    fn problem(&mut self, range: Range<usize>, message: String) {
        self.problems.push(SourceError { range, message });
    }

    /// Reads the `remaining` labels of a `kind` block from `node`; `key` is the property
    /// that holds `node`, whose key is the header of a block found right below it.
    fn labels(
        &mut self,
        kind: &'c str,
        node: &'c Node,
        labels: Vec<&'c str>,
        remaining: usize,
        key: &'c Entry,
    ) {
        match (&node.value, remaining) {
            (NodeValue::Object(entries), 0) => self.found.push(Declared {
                kind,
                labels,
                block: Block::Json(JsonBlock {
                    body: entries,
                    header: key.key_span.clone(),
                }),
            }),
            (NodeValue::Array(items), 0) => {
                for (i, item) in items.iter().enumerate() {
                    let Some(entries) = item.as_object() else {
                        self.problem(
                            item.span.clone(),
                            format!("a {kind} block must be an object"),
                        );
                        continue;
                    };
                    let header = if i == 0 {
                        key.key_span.clone()
                    } else {
                        item.span.start..item.span.start + 1
                    };
                    self.found.push(Declared {
                        kind,
                        labels: labels.clone(),
                        block: Block::Json(JsonBlock {
                            body: entries,
                            header,
                        }),
                    });
                }
            }
            (NodeValue::Object(entries), _) => {
                for entry in entries.iter().filter(|entry| entry.key != COMMENT) {
                    let mut inner = labels.clone();
                    inner.push(&entry.key);
                    self.labels(kind, &entry.value, inner, remaining - 1, entry);
                }
            }
            (NodeValue::Array(items), _) => {
                for item in items {
                    if item.as_object().is_some() {
                        self.labels(kind, item, labels.clone(), remaining, key);
                    } else {
                        let message = format!("a {kind} block must be an object");
                        self.problem(item.span.clone(), message);
                    }
                }
            }
            _ => {
                let what = if remaining == 0 {
                    format!("a {kind} block must be an object")
                } else {
                    format!("the labels of a {kind} block must be object keys")
                };
                self.problem(node.span.clone(), what);
            }
        }
    }
}

/// How Terraform reads an argument of a JSON block.
enum Reading {
    /// Parsed as a template and evaluated (the expression mapping).
    Expression,
    /// Part of a resource body: an expression, or a nested block whose `//` properties
    /// are comments.
    Body,
    /// A string, or an array of strings, each holding a reference (`depends_on`,
    /// `provider`).
    References,
    /// Taken literally, or not evaluated here (`source`, `description`, `lifecycle`,
    /// provider and backend settings, and every argument of a `variable`, whose `type`
    /// is checked with its declaration).
    Other,
}

fn reading(kind: &str, argument: &str) -> Reading {
    match (kind, argument) {
        (_, "depends_on") | ("resource" | "data", "provider") => Reading::References,
        ("resource" | "data", "lifecycle" | "provisioner" | "connection")
        | ("output", "description" | "sensitive")
        | ("module", "source" | "version" | "providers") => Reading::Other,
        ("resource" | "data", _) => Reading::Body,
        ("output" | "module" | "locals", _) => Reading::Expression,
        _ => Reading::Other,
    }
}

/// Every problem of the file whose root object is `root` and whose text is `text`:
/// blocks of the wrong shape, invalid templates and references.
pub fn check(root: &Node, text: &str) -> Vec<SourceError> {
    let (found, mut problems) = blocks(root);
    for declared in &found {
        let Block::Json(block) = &declared.block else {
            continue;
        };
        for entry in block.body.iter().filter(|entry| entry.key != COMMENT) {
            match reading(declared.kind, &entry.key) {
                Reading::Expression => {
                    json_expr::check_templates(text, &entry.value, false, &mut problems)
                }
                Reading::Body => {
                    json_expr::check_templates(text, &entry.value, true, &mut problems)
                }
                Reading::References => {
                    json_expr::check_references(text, &entry.value, &mut problems)
                }
                Reading::Other => {}
            }
        }
    }
    problems
}
