//! Type conversion functions (`tostring`, `tolist`, `toset`...), and the conversions other
//! functions share: unifying mixed primitive elements to strings, and building sets in
//! Terraform's iteration order.

use std::cmp::Ordering;

use super::args::{parse_number, to_string};
use super::{Args, Arity, Builtin, Called, FunctionError, unknown_result};
use crate::eval::value::Value;

pub(super) const FUNCTIONS: &[Builtin] = &[
    Builtin::known("tostring", Arity::Exactly(1), tostring),
    Builtin::known("tonumber", Arity::Exactly(1), tonumber),
    Builtin::known("tobool", Arity::Exactly(1), tobool),
    Builtin::handles_unknowns("tolist", Arity::Exactly(1), tolist),
    Builtin::known("toset", Arity::Exactly(1), toset),
    Builtin::handles_unknowns("tomap", Arity::Exactly(1), tomap),
    Builtin::handles_unknowns("sensitive", Arity::Exactly(1), unchanged),
    Builtin::handles_unknowns("nonsensitive", Arity::Exactly(1), unchanged),
];

fn tostring(args: &Args<'_>) -> Called {
    match args.value(0) {
        Value::Null => Ok(Value::Null),
        _ => Ok(args.string(0)?.into()),
    }
}

fn tonumber(args: &Args<'_>) -> Called {
    match args.value(0) {
        Value::Null => Ok(Value::Null),
        Value::Number(n) => Ok(Value::Number(*n)),
        Value::String(s) => parse_number(s)
            .map(Value::Number)
            .ok_or_else(|| args.error(0, format!("cannot convert {s:?} to a number"))),
        other => Err(args.error(
            0,
            format!("cannot convert {} to a number", other.type_name()),
        )),
    }
}

fn tobool(args: &Args<'_>) -> Called {
    match args.value(0) {
        Value::Null => Ok(Value::Null),
        _ => Ok(args.bool(0)?.into()),
    }
}

fn tolist(args: &Args<'_>) -> Called {
    match args.value(0) {
        Value::Null => Ok(Value::Null),
        Value::Unknown(unknown) => Ok(unknown_result(args.name, unknown)),
        Value::List(items) => Ok(Value::List(
            unify(items.clone()).map_err(|m| args.error(0, m))?,
        )),
        other => Err(args.error(0, format!("cannot convert {} to a list", other.type_name()))),
    }
}

fn toset(args: &Args<'_>) -> Called {
    match args.value(0) {
        Value::Null => Ok(Value::Null),
        Value::List(items) => Ok(Value::List(
            set_of(items.clone()).map_err(|m| args.error(0, m))?,
        )),
        other => Err(args.error(0, format!("cannot convert {} to a set", other.type_name()))),
    }
}

fn tomap(args: &Args<'_>) -> Called {
    match args.value(0) {
        Value::Null => Ok(Value::Null),
        Value::Unknown(unknown) => Ok(unknown_result(args.name, unknown)),
        Value::Object(map) => {
            let (keys, values): (Vec<String>, Vec<Value>) = map.clone().into_iter().unzip();
            let values = unify(values).map_err(|m| args.error(0, m))?;
            Ok(Value::Object(keys.into_iter().zip(values).collect()))
        }
        other => Err(args.error(0, format!("cannot convert {} to a map", other.type_name()))),
    }
}

/// Sensitivity does not change a value, and policies see the value itself.
fn unchanged(args: &Args<'_>) -> Called {
    Ok(args.value(0).clone())
}

/// Elements of one collection share a type: when strings, numbers and bools are mixed,
/// Terraform converts them all to strings. Mixing primitives with collections is an error.
pub(super) fn unify(items: Vec<Value>) -> Result<Vec<Value>, String> {
    let kinds = |pick: fn(&Value) -> bool| items.iter().any(pick);
    let strings = kinds(|v| matches!(v, Value::String(_)));
    let numbers = kinds(|v| matches!(v, Value::Number(_)));
    let bools = kinds(|v| matches!(v, Value::Bool(_)));
    let collections = kinds(|v| matches!(v, Value::List(_) | Value::Object(_)));
    if collections && (strings || numbers || bools) {
        return Err("all elements must have the same type".into());
    }
    let mixed = [strings, numbers, bools].iter().filter(|k| **k).count() > 1;
    if !mixed {
        return Ok(items);
    }
    Ok(items
        .into_iter()
        .map(|item| match to_string(&item) {
            Ok(text) => Value::String(text),
            Err(_) => item,
        })
        .collect())
}

/// A set of `items`: unified, without duplicates, and in Terraform's order (strings
/// lexically, numbers ascending, `false` before `true`; other elements as first seen).
pub(super) fn set_of(items: Vec<Value>) -> Result<Vec<Value>, String> {
    if items.contains(&Value::Null) {
        return Err("a set cannot contain null values".into());
    }
    let mut set: Vec<Value> = Vec::with_capacity(items.len());
    for item in unify(items)? {
        if !set.contains(&item) {
            set.push(item);
        }
    }
    if set.iter().all(is_primitive) {
        set.sort_by(primitive_order);
    }
    Ok(set)
}

fn is_primitive(value: &Value) -> bool {
    matches!(value, Value::String(_) | Value::Number(_) | Value::Bool(_))
}

fn primitive_order(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::String(a), Value::String(b)) => a.cmp(b),
        (Value::Number(a), Value::Number(b)) => a.total_cmp(b),
        (Value::Bool(a), Value::Bool(b)) => a.cmp(b),
        _ => Ordering::Equal,
    }
}

/// The set argument `i`, or why it is not one.
pub(super) fn set_arg(args: &Args<'_>, i: usize) -> Result<Vec<Value>, FunctionError> {
    set_of(args.list(i)?.to_vec()).map_err(|message| args.error(i, message))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{call_ok, invalid_message, list, nums, object, s, strs, unknown};
    use crate::eval::value::Value;

    #[test]
    fn primitive_conversions() {
        assert_eq!(call_ok("tostring", vec![s("hello")]), s("hello"));
        assert_eq!(call_ok("tostring", vec![1.0.into()]), s("1"));
        assert_eq!(call_ok("tostring", vec![true.into()]), s("true"));
        assert_eq!(call_ok("tostring", vec![Value::Null]), Value::Null);
        assert!(invalid_message("tostring", vec![strs(&["a"])]).contains("string is required"));
        assert_eq!(call_ok("tonumber", vec![1.0.into()]), 1.0.into());
        assert_eq!(call_ok("tonumber", vec![s("1")]), 1.0.into());
        assert_eq!(call_ok("tonumber", vec![s("-2.5e1")]), (-25.0).into());
        assert_eq!(call_ok("tonumber", vec![Value::Null]), Value::Null);
        assert!(invalid_message("tonumber", vec![s("no")]).contains("cannot convert"));
        assert!(invalid_message("tonumber", vec![s("inf")]).contains("cannot convert"));
        assert_eq!(call_ok("tobool", vec![true.into()]), true.into());
        assert_eq!(call_ok("tobool", vec![s("false")]), false.into());
        assert_eq!(call_ok("tobool", vec![Value::Null]), Value::Null);
        assert!(invalid_message("tobool", vec![s("no")]).contains("not a bool"));
        assert!(invalid_message("tobool", vec![1.0.into()]).contains("bool is required"));
    }

    #[test]
    fn collection_conversions() {
        assert_eq!(
            call_ok("tolist", vec![strs(&["a", "b", "c"])]),
            strs(&["a", "b", "c"])
        );
        assert_eq!(
            call_ok("tolist", vec![list(vec![s("a"), 1.0.into(), true.into()])]),
            strs(&["a", "1", "true"])
        );
        assert!(
            invalid_message("tolist", vec![list(vec![s("a"), strs(&["b"])])]).contains("same type")
        );
        assert!(invalid_message("tolist", vec![object(&[])]).contains("cannot convert object"));
        assert_eq!(
            call_ok("toset", vec![strs(&["c", "b", "b"])]),
            strs(&["b", "c"])
        );
        assert_eq!(
            call_ok("toset", vec![list(vec![s("a"), 1.0.into(), true.into()])]),
            strs(&["1", "a", "true"])
        );
        assert_eq!(
            call_ok("toset", vec![nums(&[10.0, 2.0, 10.0])]),
            nums(&[2.0, 10.0])
        );
        assert!(invalid_message("toset", vec![list(vec![Value::Null])]).contains("null"));
        assert_eq!(
            call_ok(
                "tomap",
                vec![object(&[("a", s("foo")), ("b", true.into())])]
            ),
            object(&[("a", s("foo")), ("b", s("true"))])
        );
        assert!(invalid_message("tomap", vec![strs(&["a"])]).contains("cannot convert list"));
    }

    #[test]
    fn unknowns_are_kept_where_the_shape_is_known() {
        let value = list(vec![s("a"), unknown("x")]);
        assert_eq!(call_ok("tolist", vec![value.clone()]), value);
        assert!(call_ok("toset", vec![value]).is_unknown());
        let map = object(&[("a", unknown("x"))]);
        assert_eq!(call_ok("tomap", vec![map.clone()]), map);
        assert!(call_ok("tolist", vec![unknown("x")]).is_unknown());
        assert_eq!(call_ok("sensitive", vec![s("a")]), s("a"));
        assert_eq!(call_ok("nonsensitive", vec![unknown("x")]), unknown("x"));
    }

    /// Every example of the conversion functions' documentation pages.
    #[test]
    fn documented_examples() {
        let cases: Vec<(&str, Value, Value)> = vec![
            ("tostring", s("hello"), s("hello")),
            ("tostring", 1.0.into(), s("1")),
            ("tostring", true.into(), s("true")),
            ("tostring", Value::Null, Value::Null),
            ("tonumber", 1.0.into(), 1.0.into()),
            ("tonumber", s("1"), 1.0.into()),
            ("tonumber", Value::Null, Value::Null),
            ("tobool", true.into(), true.into()),
            ("tobool", s("true"), true.into()),
            ("tobool", Value::Null, Value::Null),
            ("tolist", strs(&["a", "b", "c"]), strs(&["a", "b", "c"])),
            (
                "tolist",
                list(vec![s("a"), s("b"), 3.0.into()]),
                strs(&["a", "b", "3"]),
            ),
            ("toset", strs(&["a", "b", "c"]), strs(&["a", "b", "c"])),
            // The page prints `["a", "b", "3"]`: sets are unordered, and Terraform
            // iterates a set of strings lexically.
            (
                "toset",
                list(vec![s("a"), s("b"), 3.0.into()]),
                strs(&["3", "a", "b"]),
            ),
            ("toset", strs(&["c", "b", "b"]), strs(&["b", "c"])),
            (
                "tomap",
                object(&[("a", 1.0.into()), ("b", 2.0.into())]),
                object(&[("a", 1.0.into()), ("b", 2.0.into())]),
            ),
            (
                "tomap",
                object(&[("a", s("foo")), ("b", true.into())]),
                object(&[("a", s("foo")), ("b", s("true"))]),
            ),
            // Sensitivity is not modelled: the value itself is what policies see.
            ("sensitive", 1.0.into(), 1.0.into()),
            ("sensitive", s("hello"), s("hello")),
            ("sensitive", list(vec![]), list(vec![])),
        ];
        for (name, arg, expected) in cases {
            let shown = format!("{name}({arg})");
            assert_eq!(call_ok(name, vec![arg]), expected, "{shown}");
        }
        assert!(invalid_message("tostring", vec![list(vec![])]).contains("string is required"));
        assert!(invalid_message("tonumber", vec![s("no")]).contains("cannot convert \"no\""));
        assert!(invalid_message("tobool", vec![s("no")]).contains("\"no\" is not a bool"));
        assert!(invalid_message("tobool", vec![1.0.into()]).contains("bool is required"));
        assert_eq!(
            call_ok("one", vec![call_ok("toset", vec![strs(&["hello"])])]),
            s("hello")
        );
        assert_eq!(
            call_ok("one", vec![call_ok("toset", vec![list(vec![])])]),
            Value::Null
        );
    }
}
