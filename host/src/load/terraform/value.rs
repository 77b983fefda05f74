//! HCL expressions to JSON values.
//!
//! [`Evaluate`] is the seam between reading a configuration and evaluating it: the
//! structure walk ([`super::body`]) asks it for the value of every attribute expression.
//! [`Literals`] is the evaluator used today; it knows literals, lists and objects of
//! literals, and templates made only of literal text. Everything else becomes an unknown
//! value whose reason quotes the expression, and a reference to another resource
//! (`alicloud_vpc.main.id`) also names that resource.

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey, Traversal, TraversalOperator};
use hcl_edit::template::{Element, Template};
use serde_json::{Map, Value};

use crate::model::{unknown, unknown_ref};

/// Turns an attribute expression into the JSON a policy sees.
pub trait Evaluate {
    fn evaluate(&self, expr: &Expression) -> Value;
}

/// Evaluates literal expressions only; `text` is the file the expressions were parsed
/// from, quoted in the reasons of unknown values.
pub struct Literals<'a> {
    pub text: &'a str,
}

/// Roots of traversals that are not resources (`var.x`, `data.y.z`, `each.key`, ...).
const NON_RESOURCE_ROOTS: [&str; 9] = [
    "var",
    "local",
    "module",
    "data",
    "path",
    "terraform",
    "count",
    "each",
    "self",
];

impl Evaluate for Literals<'_> {
    fn evaluate(&self, expr: &Expression) -> Value {
        match expr {
            Expression::Null(_) => Value::Null,
            Expression::Bool(b) => Value::Bool(*b.value()),
            Expression::Number(n) => number(n.value()).unwrap_or_else(|| self.unknown(expr)),
            Expression::String(s) => Value::String(s.value().clone()),
            Expression::Array(array) => {
                Value::Array(array.iter().map(|e| self.evaluate(e)).collect())
            }
            Expression::Object(object) => {
                let mut map = Map::new();
                for (key, value) in object.iter() {
                    let Some(key) = object_key(key) else {
                        return self.unknown(expr);
                    };
                    map.insert(key, self.evaluate(value.expr()));
                }
                Value::Object(map)
            }
            Expression::StringTemplate(template) => {
                self.template(template, || quote(self.text, expr))
            }
            Expression::HeredocTemplate(heredoc) => {
                self.template(&heredoc.template, || quote(self.text, expr))
            }
            Expression::Parenthesis(inner) => self.evaluate(inner.inner()),
            Expression::Traversal(traversal) => match referenced_resource(traversal) {
                Some(address) => unknown_ref(self.reason(expr), address),
                None => self.unknown(expr),
            },
            _ => self.unknown(expr),
        }
    }
}

impl Literals<'_> {
    /// A template is a string if all its parts are literal text; one that is a single
    /// interpolation (`"${aws_s3_bucket.b.id}"`) has the value of its expression. Else it
    /// is unknown, and `quoted` names it.
    pub fn template(&self, template: &Template, quoted: impl FnOnce() -> String) -> Value {
        let mut out = String::new();
        for element in template.iter() {
            match element {
                Element::Literal(literal) => out.push_str(literal.value()),
                Element::Interpolation(interpolation) if template.len() == 1 => {
                    return self.evaluate(&interpolation.expr);
                }
                _ => return unknown(format!("`{}` is not evaluated", quoted())),
            }
        }
        Value::String(out)
    }

    fn unknown(&self, expr: &Expression) -> Value {
        unknown(self.reason(expr))
    }

    fn reason(&self, expr: &Expression) -> String {
        format!("`{}` is not evaluated", quote(self.text, expr))
    }
}

/// The source text of `expr`, shortened to fit in a message.
fn quote(text: &str, expr: &Expression) -> String {
    let source = expr.span().and_then(|range| text.get(range));
    shorten(source.unwrap_or("expression"))
}

/// `source` cut to its first line and at most a few dozen characters.
pub fn shorten(source: &str) -> String {
    const MAX_CHARS: usize = 60;
    let source = source.trim();
    let first_line = source.lines().next().unwrap_or_default();
    if first_line.chars().count() > MAX_CHARS || first_line.len() < source.len() {
        let short: String = first_line.chars().take(MAX_CHARS).collect();
        format!("{short}...")
    } else {
        first_line.to_string()
    }
}

/// The key of an object item, if it is literal (`name`, `"name"`).
pub fn object_key(key: &ObjectKey) -> Option<String> {
    match key {
        ObjectKey::Ident(ident) => Some(ident.as_str().to_string()),
        ObjectKey::Expression(Expression::String(s)) => Some(s.value().clone()),
        ObjectKey::Expression(_) => None,
    }
}

/// `TYPE.NAME` if the traversal reads a managed resource (`TYPE.NAME.attr`,
/// `TYPE.NAME[0].attr`).
pub fn referenced_resource(traversal: &Traversal) -> Option<String> {
    let Expression::Variable(root) = &traversal.expr else {
        return None;
    };
    let root = root.as_str();
    if NON_RESOURCE_ROOTS.contains(&root) {
        return None;
    }
    match traversal.operators.first()?.value() {
        TraversalOperator::GetAttr(name) => Some(format!("{root}.{}", name.as_str())),
        _ => None,
    }
}

fn number(n: &hcl_edit::Number) -> Option<Value> {
    if let Some(i) = n.as_i64() {
        Some(i.into())
    } else if let Some(u) = n.as_u64() {
        Some(u.into())
    } else {
        serde_json::Number::from_f64(n.as_f64()?).map(Value::Number)
    }
}
