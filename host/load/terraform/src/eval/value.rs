//! Terraform values as the evaluator computes them.
//!
//! Close to Terraform's own type system, reduced to what a static evaluation needs:
//! lists, tuples and sets are all [`Value::List`] (a set is a deduplicated list in
//! Terraform's iteration order), maps and objects are [`Value::Object`] (iterated in
//! lexical key order, as Terraform does), and a value that cannot be known before apply
//! is [`Value::Unknown`], which says why and, for a reference, which resource it names.

use std::collections::BTreeMap;
use std::fmt;

use palisade_model::{UnknownMarker, unknown, unknown_ref};

/// A value, or why it cannot be known.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    /// Lists, tuples and sets.
    List(Vec<Value>),
    /// Maps and objects.
    Object(BTreeMap<String, Value>),
    Unknown(Unknown),
}

/// Why a value is unknown, and the resource it refers to when it is a reference
/// (`aws_s3_bucket.b.id` refers to `aws_s3_bucket.b`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    pub reason: String,
    pub refers: Option<String>,
}

impl Value {
    /// An unknown value for `reason`.
    pub fn unknown(reason: impl Into<String>) -> Self {
        Value::Unknown(Unknown {
            reason: reason.into(),
            refers: None,
        })
    }

    /// An unknown attribute of the resource at `address`.
    pub fn reference(reason: impl Into<String>, address: impl Into<String>) -> Self {
        Value::Unknown(Unknown {
            reason: reason.into(),
            refers: Some(address.into()),
        })
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown(_))
    }

    /// Whether the two values are equal, as Terraform's `==` decides with unknowns: a
    /// known collection holding unknowns is still known not to be null, nor equal to one
    /// of another length, keys or known elements; `None` when only the unknowns could
    /// tell.
    pub fn equals(&self, other: &Value) -> Option<bool> {
        match (self, other) {
            (Value::Unknown(_), _) | (_, Value::Unknown(_)) => None,
            (Value::List(a), Value::List(b)) => {
                if a.len() != b.len() {
                    return Some(false);
                }
                all_equal(a.iter().zip(b))
            }
            (Value::Object(a), Value::Object(b)) => {
                if a.len() != b.len() || a.keys().ne(b.keys()) {
                    return Some(false);
                }
                all_equal(a.values().zip(b.values()))
            }
            (a, b) => Some(a == b),
        }
    }

    /// Whether the value or anything inside it is unknown.
    pub fn contains_unknown(&self) -> bool {
        match self {
            Value::Unknown(_) => true,
            Value::List(items) => items.iter().any(Value::contains_unknown),
            Value::Object(map) => map.values().any(Value::contains_unknown),
            _ => false,
        }
    }

    /// The first unknown inside the value, to explain a result that depends on it.
    pub fn first_unknown(&self) -> Option<&Unknown> {
        match self {
            Value::Unknown(unknown) => Some(unknown),
            Value::List(items) => items.iter().find_map(Value::first_unknown),
            Value::Object(map) => map.values().find_map(Value::first_unknown),
            _ => None,
        }
    }

    /// The `(key, value)` pairs a `for` expression, a template `for` or a `dynamic` block
    /// iterates: the index and element of a list, the key and value of an object. Any
    /// other value (null, unknown, a primitive) comes back as it is, for the caller to
    /// explain.
    pub fn into_entries(self) -> Result<Vec<(Value, Value)>, Value> {
        match self {
            Value::List(items) => Ok(items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (Value::Number(i as f64), v))
                .collect()),
            Value::Object(map) => Ok(map
                .into_iter()
                .map(|(k, v)| (Value::String(k), v))
                .collect()),
            other => Err(other),
        }
    }

    /// Terraform's name for the value's type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Object(_) => "object",
            Value::Unknown(_) => "unknown",
        }
    }

    /// The value as a string, with Terraform's automatic conversions from numbers and
    /// bools; `None` for collections and null.
    pub fn to_text(&self) -> Option<String> {
        match self {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(format_number(*n)),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// The value as a number, converting numeric strings as Terraform does.
    pub fn to_number(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            Value::String(s) => s.trim().parse().ok().filter(|n: &f64| n.is_finite()),
            _ => None,
        }
    }

    /// The value as a bool, converting `"true"` and `"false"` as Terraform does.
    pub fn to_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s == "true" => Some(true),
            Value::String(s) if s == "false" => Some(false),
            _ => None,
        }
    }

    /// The JSON a policy sees: unknowns in the contract's encoding, whole numbers as
    /// integers.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => number_to_json(*n),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::List(items) => items.iter().map(Value::to_json).collect(),
            Value::Object(map) => map
                .iter()
                .map(|(k, v)| (k.clone(), v.to_json()))
                .collect::<serde_json::Map<_, _>>()
                .into(),
            Value::Unknown(Unknown {
                reason,
                refers: Some(address),
            }) => unknown_ref(reason.clone(), address.clone()),
            Value::Unknown(Unknown {
                reason,
                refers: None,
            }) => unknown(reason.clone()),
        }
    }

    /// A value from JSON (`.tfvars.json`, `jsondecode`): numbers as numbers, the rest as is.
    pub fn from_json(json: &serde_json::Value) -> Self {
        Self::converted(json, false)
    }

    /// A value another loader evaluated (a ROS parameter passed to a workspace), whose
    /// unknowns are written in the contract's encoding and stay unknown.
    pub fn from_evaluated(json: &serde_json::Value) -> Self {
        Self::converted(json, true)
    }

    fn converted(json: &serde_json::Value, markers: bool) -> Self {
        if markers && let Some(marker) = UnknownMarker::read(json) {
            return Value::Unknown(Unknown {
                reason: marker.reason.to_owned(),
                refers: marker.refers.map(str::to_owned),
            });
        }
        let convert = |inner| Self::converted(inner, markers);
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => n.as_f64().map_or(Value::Null, Value::Number),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(items) => Value::List(items.iter().map(convert).collect()),
            serde_json::Value::Object(map) => {
                Value::Object(map.iter().map(|(k, v)| (k.clone(), convert(v))).collect())
            }
        }
    }
}

/// Whether every pair is equal: `Some(false)` as soon as one is known to differ, `None`
/// when none differs but some are unknown.
fn all_equal<'v>(pairs: impl Iterator<Item = (&'v Value, &'v Value)>) -> Option<bool> {
    let mut decided = true;
    for (a, b) in pairs {
        match a.equals(b) {
            Some(false) => return Some(false),
            Some(true) => {}
            None => decided = false,
        }
    }
    decided.then_some(true)
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<f64> for Value {
    fn from(n: f64) -> Self {
        Value::Number(n)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

/// Whole numbers print without a fraction (`22`, not `22.0`), as Terraform prints them.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e17 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

fn number_to_json(n: f64) -> serde_json::Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        serde_json::Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(serde_json::Value::Null, serde_json::Value::Number)
    }
}

impl fmt::Display for Value {
    /// Terraform-like rendering for messages: `"a"`, `22`, `["a", "b"]`, `{a = 1}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(n) => f.write_str(&format_number(*n)),
            Value::String(s) => write!(f, "{s:?}"),
            Value::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Value::Object(map) => {
                f.write_str("{")?;
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k} = {v}")?;
                }
                f.write_str("}")
            }
            Value::Unknown(unknown) => write!(f, "(unknown: {})", unknown.reason),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_follow_terraform() {
        assert_eq!(Value::Number(22.0).to_text().as_deref(), Some("22"));
        assert_eq!(Value::Number(1.5).to_text().as_deref(), Some("1.5"));
        assert_eq!(Value::from("8080").to_number(), Some(8080.0));
        assert_eq!(Value::from("true").to_bool(), Some(true));
        assert_eq!(Value::from("yes").to_bool(), None);
    }

    #[test]
    fn json_round_trip_keeps_integers_and_unknowns() {
        let value = Value::Object(BTreeMap::from([
            ("port".to_owned(), Value::Number(22.0)),
            (
                "id".to_owned(),
                Value::reference("computed", "aws_s3_bucket.b"),
            ),
        ]));
        let json = value.to_json();
        assert_eq!(json["port"], serde_json::json!(22));
        assert_eq!(json["id"]["$unknown"]["refers"], "aws_s3_bucket.b");
        assert_eq!(
            Value::from_json(&serde_json::json!([1, "a"])),
            Value::List(vec![1.0.into(), "a".into()])
        );
    }
}
