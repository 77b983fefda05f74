//! JSON values read as Terraform expressions, per the JSON syntax's expression mapping:
//! `null`, booleans and numbers are literals, arrays are tuples, objects are objects,
//! and a string is a template (`"${var.x}"`, `"prefix-${local.y}"`, `%{if}` directives)
//! rendered with the same evaluator as native syntax. A string that is one
//! interpolation has the value of its expression, whatever its type.
//!
//! A string without `${` or `%{` is its own text; `$${` and `%%{` are the escapes of a
//! literal `${` and `%{`. Templates are parsed from the string's value, so the
//! positions of their problems are relative to it: they are moved back into the file,
//! exactly when the string has no JSON escapes, else to the start of the string.
//!
//! Object property names are taken literally: the HCL JSON specification also reads
//! them as templates, which generated configurations have no use for.

use std::cell::RefCell;
use std::ops::Range;

use hcl_edit::template::Template;
use hcl_edit::visit::Visit;

use super::expr::{Evaluator, SourceError, shorten};
use super::json_structure::COMMENT;
use super::origins::Reads;
use super::template;
use super::value::Value;
use palisade_syntax::{Node, NodeValue};

/// The value of `node` as an expression; `evaluator`'s text is the JSON file's.
pub fn eval(evaluator: &Evaluator<'_>, node: &Node) -> Value {
    if let Err(message) = fits(evaluator, node) {
        evaluator.report(SourceError {
            range: node.span.clone(),
            message: message.clone(),
        });
        return Value::unknown(message);
    }
    match &node.value {
        NodeValue::Null => Value::Null,
        NodeValue::Bool(b) => Value::Bool(*b),
        NodeValue::Number(n) => n.as_f64().map_or(Value::Null, Value::Number),
        NodeValue::String(text) => string(evaluator, node, text),
        NodeValue::Array(items) => Value::List(items.iter().map(|i| eval(evaluator, i)).collect()),
        NodeValue::Object(entries) => Value::Object(
            entries
                .iter()
                .map(|entry| (entry.key.clone(), eval(evaluator, &entry.value)))
                .collect(),
        ),
        NodeValue::Tagged(_, inner) => eval(evaluator, inner),
    }
}

/// Checks that the value written at `node` fits the value size before it is built.
fn fits(evaluator: &Evaluator<'_>, node: &Node) -> Result<(), String> {
    let per_value = std::mem::size_of::<Value>() as u64;
    let budget = evaluator.budget();
    match node.oversized(per_value, budget.limits.value_size) {
        Some(bytes) => budget.fits(bytes),
        None => Ok(()),
    }
}

/// A JSON string `text` (the value of `node`) as a template.
fn string(evaluator: &Evaluator<'_>, node: &Node, text: &str) -> Value {
    let template = match parse(text) {
        None => return Value::String(text.to_owned()),
        Some(Ok(template)) => template,
        // Reported when the file was read.
        Some(Err(_)) => {
            return Value::unknown(format!("`{}` is not a valid template", shorten(text)));
        }
    };
    let problems = RefCell::new(Vec::new());
    let value = template::render(&evaluator.within(text, &problems), &template);
    for problem in problems.into_inner() {
        evaluator.report(SourceError {
            range: in_file(evaluator.text(), node, problem.range),
            message: problem.message,
        });
    }
    value
}

/// The template a string holds, or `None` when it is plain text.
fn parse(text: &str) -> Option<Result<Template, hcl_edit::parser::Error>> {
    (text.contains("${") || text.contains("%{")).then(|| hcl_edit::parser::parse_template(text))
}

/// Where `range`, a byte range of the value of the string `node`, is in the file `text`.
fn in_file(text: &str, node: &Node, range: Range<usize>) -> Range<usize> {
    let inside = node.span.start + 1..node.span.end.saturating_sub(1);
    match (&node.value, text.get(inside.clone())) {
        (NodeValue::String(value), Some(raw)) if raw == value => {
            inside.start + range.start..inside.start + range.end
        }
        _ => node.span.clone(),
    }
}

/// The variables and locals the templates of `node` read.
pub fn reads(node: &Node) -> Reads {
    let mut reads = Reads::default();
    strings(node, false, &mut |_, text| {
        if let Some(Ok(template)) = parse(text) {
            reads.visit_template(&template);
        }
    });
    reads
}

/// Reports every string of `node` that is not a valid template; `comments` says
/// whether `//` properties are comments (in a block body) rather than object keys.
pub fn check_templates(text: &str, node: &Node, comments: bool, problems: &mut Vec<SourceError>) {
    strings(node, comments, &mut |string, value| {
        if let Some(Err(error)) = parse(value) {
            let offset = error.location().offset();
            problems.push(SourceError {
                range: in_file(text, string, offset..offset),
                message: format!("invalid template: {}", error.message()),
            });
        }
    });
}

/// Reports every string of `node` (a string or an array of strings) that does not hold
/// a valid reference (`aws_instance.web`, `aws.west`).
pub fn check_references(text: &str, node: &Node, problems: &mut Vec<SourceError>) {
    strings(node, false, &mut |string, value| {
        if let Err(error) = hcl_edit::parser::parse_expr(value) {
            let offset = error.location().offset();
            problems.push(SourceError {
                range: in_file(text, string, offset..offset),
                message: format!("invalid reference: {}", error.message()),
            });
        }
    });
}

/// Calls `found` with every string node in `node` and its value.
fn strings<'n>(node: &'n Node, comments: bool, found: &mut dyn FnMut(&'n Node, &'n str)) {
    match &node.value {
        NodeValue::String(text) => found(node, text),
        NodeValue::Array(items) => {
            for item in items {
                strings(item, comments, found);
            }
        }
        NodeValue::Object(entries) => {
            for entry in entries {
                if !(comments && entry.key == COMMENT) {
                    strings(&entry.value, comments, found);
                }
            }
        }
        NodeValue::Tagged(_, inner) => strings(inner, comments, found),
        NodeValue::Null | NodeValue::Bool(_) | NodeValue::Number(_) => {}
    }
}
