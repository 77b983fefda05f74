//! Where things are in an HCL file, from hcl-edit's byte ranges.
//!
//! Kept apart from value conversion: spans follow the syntax as written (the elements of
//! a list literal, the items of an object literal), whatever an evaluator makes of it.

use std::collections::BTreeMap;
use std::ops::Range;

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::Block;

use super::hcl::object_key;
use palisade_model::{AttrPath, LineIndex, Span};

/// A block's header: from its identifier through the `{` that opens its body
/// (`resource "t" "n" {`, `ingress {`).
pub fn block_header(text: &str, block: &Block) -> Range<usize> {
    let start = block.ident.span().map_or(0, |r| r.start);
    let after_labels = block
        .labels
        .last()
        .and_then(|label| label.span())
        .or_else(|| block.ident.span())
        .map_or(start, |r| r.end);
    let brace = text
        .get(after_labels..)
        .and_then(|rest| rest.find('{'))
        .map_or(after_labels, |i| after_labels + i + 1);
    start..brace
}

/// Records the span of every list element and object item inside `expr`, which sits at
/// `path`.
pub fn record_expression(
    text: &str,
    lines: &LineIndex,
    expr: &Expression,
    path: &AttrPath,
    spans: &mut BTreeMap<String, Span>,
) {
    match expr {
        Expression::Array(array) => {
            for (i, element) in array.iter().enumerate() {
                let element_path = path.index(i);
                if let Some(range) = element.span() {
                    spans.insert(element_path.to_string(), lines.span(text, range));
                }
                record_expression(text, lines, element, &element_path, spans);
            }
        }
        Expression::Object(object) => {
            for (key, value) in object.iter() {
                let Some(name) = object_key(key) else {
                    continue;
                };
                let item_path = path.key(&name);
                if let (Some(k), Some(v)) = (key.span(), value.expr().span()) {
                    spans.insert(item_path.to_string(), lines.span(text, k.start..v.end));
                }
                record_expression(text, lines, value.expr(), &item_path, spans);
            }
        }
        Expression::Parenthesis(inner) => {
            record_expression(text, lines, inner.inner(), path, spans)
        }
        _ => {}
    }
}
