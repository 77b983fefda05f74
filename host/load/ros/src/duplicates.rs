//! Repeated keys in a mapping.
//!
//! YAML 1.2 requires the keys of a mapping to be unique and JSON says they should be; a
//! parser that meets one anyway silently keeps one of the values, so a reviewer reading the
//! first may not see what is deployed. Each repeated key is an error at its second (and
//! later) occurrence. Keys brought in by a `<<` merge are not repeats: the mapping's own
//! keys override them, as the merge key is meant to.

use std::collections::HashMap;
use std::ops::Range;

use palisade_model::Position;
use palisade_syntax::{Node, NodeValue};

/// Every key of a mapping in `root` (parsed from `text`) that repeats an earlier key of the same mapping, as
/// (range of the repeat, message); `skip` is a mapping whose repeats are reported
/// elsewhere (the `Resources` section, whose repeats are duplicate resources).
pub fn repeated_keys(root: &Node, text: &str, skip: Option<&Node>) -> Vec<(Range<usize>, String)> {
    let mut found = Vec::new();
    let mut pending = vec![root];
    while let Some(node) = pending.pop() {
        match &node.value {
            NodeValue::Object(entries) => {
                let checked = !skip.is_some_and(|skip| std::ptr::eq(skip, node));
                let mut first: HashMap<&str, &Range<usize>> = HashMap::new();
                for entry in entries {
                    match first.get(entry.key.as_str()) {
                        Some(earlier) if checked => {
                            let line = Position::from_offset(text, earlier.start).line;
                            let message = format!(
                                "duplicate key `{}` (first on line {line}): the keys of a \
                                 mapping must be unique",
                                entry.key
                            );
                            found.push((entry.key_span.clone(), message));
                        }
                        Some(_) => {}
                        None => {
                            first.insert(&entry.key, &entry.key_span);
                        }
                    }
                    pending.push(&entry.value);
                }
            }
            NodeValue::Array(items) => pending.extend(items.iter()),
            NodeValue::Tagged(_, inner) => pending.push(inner),
            _ => {}
        }
    }
    found
}
