//! Collection functions: lists, sets, maps and the aggregates over them.
//!
//! Several of them answer despite unknown values, as Terraform does: `length` of a list
//! with unknown elements, `keys` of an object with unknown values, `concat`, `merge` and
//! `flatten` keep unknown elements in place, `lookup` and `element` pick a known entry,
//! and `coalesce` answers when a known value comes before any unknown one.

use std::collections::BTreeMap;

use palisade_model::{Limit, Limits};

use super::args::to_string;
use super::conversion::{set_arg, set_of, unify};
use super::string::char_count;
use super::{Args, Arity, Builtin, Called, FunctionError, invalid, unknown_result};
use crate::eval::value::Value;

pub(super) const FUNCTIONS: &[Builtin] = &[
    Builtin::handles_unknowns("length", Arity::Exactly(1), length),
    Builtin::handles_unknowns("keys", Arity::Exactly(1), keys),
    Builtin::handles_unknowns("values", Arity::Exactly(1), values),
    Builtin::handles_unknowns("concat", Arity::AtLeast(1), concat),
    Builtin::handles_unknowns("merge", Arity::AtLeast(0), merge),
    Builtin::handles_unknowns("flatten", Arity::Exactly(1), flatten),
    Builtin::handles_unknowns("lookup", Arity::Between(2, 3), lookup),
    Builtin::handles_unknowns("element", Arity::Exactly(2), element),
    Builtin::handles_unknowns("coalesce", Arity::AtLeast(1), coalesce),
    Builtin::handles_unknowns("coalescelist", Arity::AtLeast(1), coalescelist),
    Builtin::handles_unknowns("slice", Arity::Exactly(3), slice),
    Builtin::handles_unknowns("reverse", Arity::Exactly(1), reverse),
    Builtin::handles_unknowns("one", Arity::Exactly(1), one),
    Builtin::handles_unknowns("alltrue", Arity::Exactly(1), alltrue),
    Builtin::handles_unknowns("anytrue", Arity::Exactly(1), anytrue),
    Builtin::handles_unknowns("zipmap", Arity::Exactly(2), zipmap),
    Builtin::known("distinct", Arity::Exactly(1), distinct),
    Builtin::known("compact", Arity::Exactly(1), compact),
    Builtin::known("contains", Arity::Exactly(2), contains),
    Builtin::known("index", Arity::Exactly(2), index),
    Builtin::known("sort", Arity::Exactly(1), sort),
    Builtin::known("chunklist", Arity::Exactly(2), chunklist),
    Builtin::known("setunion", Arity::AtLeast(1), setunion),
    Builtin::known("setintersection", Arity::AtLeast(1), setintersection),
    Builtin::known("setsubtract", Arity::Exactly(2), setsubtract),
    Builtin::known("setproduct", Arity::AtLeast(2), setproduct),
    Builtin::known("transpose", Arity::Exactly(1), transpose),
    Builtin::known("sum", Arity::Exactly(1), sum),
    Builtin::known("range", Arity::Between(1, 3), range),
    Builtin::known("matchkeys", Arity::Exactly(3), matchkeys),
];

/// The most elements `range` may produce, as in Terraform.
const MAX_RANGE: usize = 1024;

/// How deep `flatten` descends into nested lists.
const MAX_DEPTH: usize = 64;

fn length(args: &Args<'_>) -> Called {
    if let Some(unknown) = args.unknown_at(0) {
        return Ok(unknown);
    }
    let count = match args.value(0) {
        Value::String(s) => char_count(s),
        Value::List(items) => items.len(),
        Value::Object(map) => map.len(),
        Value::Null => return Err(args.error(0, "the argument must not be null")),
        other => {
            return Err(args.error(
                0,
                format!(
                    "a string, collection or structural value is required, not {}",
                    other.type_name()
                ),
            ));
        }
    };
    Ok(Value::Number(count as f64))
}

fn keys(args: &Args<'_>) -> Called {
    if let Some(unknown) = args.unknown_at(0) {
        return Ok(unknown);
    }
    Ok(Value::List(
        args.object(0)?
            .keys()
            .map(|k| Value::from(k.as_str()))
            .collect(),
    ))
}

fn values(args: &Args<'_>) -> Called {
    if let Some(unknown) = args.unknown_at(0) {
        return Ok(unknown);
    }
    Ok(Value::List(args.object(0)?.values().cloned().collect()))
}

fn concat(args: &Args<'_>) -> Called {
    let mut all = Vec::new();
    for i in 0..args.len() {
        if let Some(unknown) = args.unknown_at(i) {
            return Ok(unknown);
        }
        all.extend_from_slice(args.list(i)?);
    }
    Ok(Value::List(all))
}

/// `merge`: later maps win; null arguments are skipped.
fn merge(args: &Args<'_>) -> Called {
    let mut merged = BTreeMap::new();
    for i in 0..args.len() {
        match args.value(i) {
            Value::Null => {}
            Value::Unknown(unknown) => return Ok(unknown_result(args.name, unknown)),
            Value::Object(map) => merged.extend(map.clone()),
            other => {
                return Err(args.error(
                    i,
                    format!(
                        "arguments must be maps or objects, not {}",
                        other.type_name()
                    ),
                ));
            }
        }
    }
    Ok(Value::Object(merged))
}

fn flatten(args: &Args<'_>) -> Called {
    if let Some(unknown) = args.unknown_at(0) {
        return Ok(unknown);
    }
    let mut flat = Vec::new();
    let limits = &args.context.limits;
    flatten_into(args.list(0)?, 0, &mut flat, limits).map_err(|message| args.error(0, message))?;
    Ok(Value::List(flat))
}

/// Appends the leaves of `items` to `flat`, refusing more than one value may hold.
fn flatten_into(
    items: &[Value],
    depth: usize,
    flat: &mut Vec<Value>,
    limits: &Limits,
) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err("the lists are nested too deeply".into());
    }
    for item in items {
        match item {
            Value::List(inner) => flatten_into(inner, depth + 1, flat, limits)?,
            other => flat.push(other.clone()),
        }
        let bytes = flat.len() * super::ELEMENT_BYTES;
        if bytes as u64 > limits.value_size {
            let what = format!("the flattened list takes over {bytes} bytes");
            return Err(limits.exceeded(Limit::ValueSize, what));
        }
    }
    Ok(())
}

/// `lookup(map, key, default)`: the entry, else the default, else an error.
fn lookup(args: &Args<'_>) -> Called {
    for i in 0..2 {
        if let Some(unknown) = args.unknown_at(i) {
            return Ok(unknown);
        }
    }
    let map = args.object(0)?;
    let key = args.string(1)?;
    match map.get(&key) {
        Some(value) => Ok(value.clone()),
        None if args.len() == 3 => Ok(args.value(2).clone()),
        None => Err(invalid(format!("`lookup` failed to find key {key:?}"))),
    }
}

/// `element(list, index)`: indexes past the end wrap around.
fn element(args: &Args<'_>) -> Called {
    for i in 0..2 {
        if let Some(unknown) = args.unknown_at(i) {
            return Ok(unknown);
        }
    }
    let items = args.list(0)?;
    let index = args.integer(1)?;
    if index < 0 {
        return Err(args.error(1, "cannot use element function with a negative index"));
    }
    if items.is_empty() {
        return Err(args.error(0, "cannot use element function with an empty list"));
    }
    let index = usize::try_from(index).unwrap_or(0) % items.len();
    Ok(items[index].clone())
}

/// `coalesce`: the first argument that is neither null nor an empty string, converted to
/// a string when the arguments mix strings with other primitives; mixing primitives with
/// collections is an error.
fn coalesce(args: &Args<'_>) -> Called {
    let values = args.rest(0);
    let is_primitive =
        |v: &&Value| matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_));
    let is_collection = |v: &&Value| matches!(v, Value::List(_) | Value::Object(_));
    if values.iter().any(|v| is_primitive(&v)) && values.iter().any(|v| is_collection(&v)) {
        return Err(invalid("`coalesce`: all arguments must have the same type"));
    }
    let strings = values.iter().any(|v| matches!(v, Value::String(_)));
    for value in values {
        match value {
            Value::Unknown(unknown) => return Ok(unknown_result(args.name, unknown)),
            Value::Null => {}
            Value::String(s) if s.is_empty() => {}
            Value::Number(_) | Value::Bool(_) if strings => {
                return Ok(to_string(value).map(Value::String).unwrap_or(Value::Null));
            }
            other => return Ok(other.clone()),
        }
    }
    Err(invalid(
        "`coalesce`: no non-null, non-empty-string arguments",
    ))
}

fn coalescelist(args: &Args<'_>) -> Called {
    for i in 0..args.len() {
        if let Some(unknown) = args.unknown_at(i) {
            return Ok(unknown);
        }
        if *args.value(i) == Value::Null {
            continue;
        }
        if !args.list(i)?.is_empty() {
            return Ok(args.value(i).clone());
        }
    }
    Err(invalid("`coalescelist`: no non-null arguments"))
}

/// `slice(list, start, end)`: elements from `start` up to but not including `end`.
fn slice(args: &Args<'_>) -> Called {
    for i in 0..3 {
        if let Some(unknown) = args.unknown_at(i) {
            return Ok(unknown);
        }
    }
    let items = args.list(0)?;
    let start = args.integer(1)?;
    let end = args.integer(2)?;
    if start < 0 {
        return Err(args.error(1, "the start index must not be less than zero"));
    }
    if end > items.len() as i64 {
        return Err(args.error(
            2,
            "the end index must not be greater than the length of the list",
        ));
    }
    if start > end {
        return Err(args.error(1, "the start index must not be greater than the end index"));
    }
    Ok(Value::List(items[start as usize..end as usize].to_vec()))
}

fn reverse(args: &Args<'_>) -> Called {
    if let Some(unknown) = args.unknown_at(0) {
        return Ok(unknown);
    }
    Ok(Value::List(args.list(0)?.iter().rev().cloned().collect()))
}

/// `one(list)`: null for no element, the element for one, an error for more.
fn one(args: &Args<'_>) -> Called {
    if let Some(unknown) = args.unknown_at(0) {
        return Ok(unknown);
    }
    match args.list(0)? {
        [] => Ok(Value::Null),
        [only] => Ok(only.clone()),
        _ => Err(args.error(
            0,
            "must be a list, set, or tuple value with either zero or one elements",
        )),
    }
}

/// `alltrue`: false as soon as a known element is false or null, in order.
fn alltrue(args: &Args<'_>) -> Called {
    if let Some(unknown) = args.unknown_at(0) {
        return Ok(unknown);
    }
    for (index, item) in args.list(0)?.iter().enumerate() {
        match item {
            Value::Unknown(unknown) => return Ok(unknown_result(args.name, unknown)),
            Value::Null => return Ok(false.into()),
            item => {
                let value = super::args::to_bool(item)
                    .map_err(|m| args.error(0, format!("element {index}: {m}")))?;
                if !value {
                    return Ok(false.into());
                }
            }
        }
    }
    Ok(true.into())
}

/// `anytrue`: true when a known element is true, unknown when an unknown one could be.
fn anytrue(args: &Args<'_>) -> Called {
    if let Some(unknown) = args.unknown_at(0) {
        return Ok(unknown);
    }
    let mut pending = None;
    for (index, item) in args.list(0)?.iter().enumerate() {
        match item {
            Value::Unknown(unknown) => {
                pending.get_or_insert_with(|| unknown_result(args.name, unknown));
            }
            Value::Null => {}
            item => {
                if super::args::to_bool(item)
                    .map_err(|m| args.error(0, format!("element {index}: {m}")))?
                {
                    return Ok(true.into());
                }
            }
        }
    }
    Ok(pending.unwrap_or(false.into()))
}

/// `zipmap(keys, values)`: a map from the keys to the values at the same positions.
fn zipmap(args: &Args<'_>) -> Called {
    if let Some(unknown) = args.unknown_within(0).or_else(|| args.unknown_at(1)) {
        return Ok(unknown);
    }
    let keys = args.strings(0)?;
    let values = args.list(1)?;
    if keys.len() != values.len() {
        return Err(invalid(format!(
            "`zipmap`: the number of keys ({}) does not match the number of values ({})",
            keys.len(),
            values.len()
        )));
    }
    Ok(Value::Object(
        keys.into_iter().zip(values.iter().cloned()).collect(),
    ))
}

/// `distinct`: the first occurrence of each element, in order.
fn distinct(args: &Args<'_>) -> Called {
    let mut seen: Vec<Value> = Vec::new();
    for item in unify(args.list(0)?.to_vec()).map_err(|m| args.error(0, m))? {
        if !seen.contains(&item) {
            seen.push(item);
        }
    }
    Ok(Value::List(seen))
}

/// `compact`: the strings that are neither null nor empty.
fn compact(args: &Args<'_>) -> Called {
    let mut kept = Vec::new();
    for (index, item) in args.list(0)?.iter().enumerate() {
        if *item == Value::Null {
            continue;
        }
        let text = to_string(item).map_err(|m| args.error(0, format!("element {index}: {m}")))?;
        if !text.is_empty() {
            kept.push(Value::String(text));
        }
    }
    Ok(Value::List(kept))
}

fn contains(args: &Args<'_>) -> Called {
    Ok(args.list(0)?.contains(args.value(1)).into())
}

fn index(args: &Args<'_>) -> Called {
    let position = args.list(0)?.iter().position(|item| item == args.value(1));
    position
        .map(|p| Value::Number(p as f64))
        .ok_or_else(|| invalid("`index`: item not found"))
}

/// `sort`: strings in lexical order (numbers are sorted as strings).
fn sort(args: &Args<'_>) -> Called {
    if args.list(0)?.contains(&Value::Null) {
        return Err(args.error(0, "a null string cannot be sorted"));
    }
    let mut items = args.strings(0)?;
    items.sort();
    Ok(Value::List(items.into_iter().map(Value::String).collect()))
}

fn chunklist(args: &Args<'_>) -> Called {
    let items = args.list(0)?;
    let size = args.integer(1)?;
    if size < 0 {
        return Err(args.error(1, "the size argument must be positive"));
    }
    if size == 0 {
        return Ok(Value::List(vec![Value::List(items.to_vec())]));
    }
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    Ok(Value::List(
        items
            .chunks(size)
            .map(|chunk| Value::List(chunk.to_vec()))
            .collect(),
    ))
}

fn setunion(args: &Args<'_>) -> Called {
    let all = set_args(args)?.into_iter().flatten().collect();
    Ok(Value::List(set_of(all).map_err(invalid)?))
}

fn setintersection(args: &Args<'_>) -> Called {
    let mut sets = set_args(args)?.into_iter();
    let mut common = sets.next().unwrap_or_default();
    for other in sets {
        common.retain(|item| other.contains(item));
    }
    Ok(Value::List(common))
}

fn setsubtract(args: &Args<'_>) -> Called {
    let mut sets = set_args(args)?.into_iter();
    let mut kept = sets.next().unwrap_or_default();
    let removed = sets.next().unwrap_or_default();
    kept.retain(|item| !removed.contains(item));
    Ok(Value::List(kept))
}

/// Every argument as a set, all of one element type: when the arguments mix strings with
/// numbers or bools, Terraform converts every element to a string.
fn set_args(args: &Args<'_>) -> Result<Vec<Vec<Value>>, FunctionError> {
    let sets: Vec<Vec<Value>> = (0..args.len())
        .map(|i| set_arg(args, i))
        .collect::<Result<_, _>>()?;
    let lengths: Vec<usize> = sets.iter().map(Vec::len).collect();
    let mut unified = unify(sets.into_iter().flatten().collect())
        .map_err(invalid)?
        .into_iter();
    lengths
        .into_iter()
        .map(|length| set_of(unified.by_ref().take(length).collect()).map_err(invalid))
        .collect()
}

/// `setproduct`: every combination of one element from each argument (each argument's
/// elements of one type), the first argument varying slowest.
fn setproduct(args: &Args<'_>) -> Called {
    let lists: Vec<Vec<Value>> = (0..args.len())
        .map(|i| unify(args.list(i)?.to_vec()).map_err(|m| args.error(i, m)))
        .collect::<Result<_, _>>()?;
    let total = lists
        .iter()
        .try_fold(1usize, |total, list| total.checked_mul(list.len()))
        .unwrap_or(usize::MAX);
    args.fits(
        total
            .saturating_mul(lists.len() + 1)
            .saturating_mul(super::ELEMENT_BYTES),
    )?;
    let mut product: Vec<Vec<Value>> = vec![Vec::new()];
    for list in &lists {
        product = product
            .into_iter()
            .flat_map(|prefix| {
                list.iter().map(move |item| {
                    let mut combination = prefix.clone();
                    combination.push(item.clone());
                    combination
                })
            })
            .collect();
    }
    debug_assert!(total == product.len());
    Ok(Value::List(product.into_iter().map(Value::List).collect()))
}

/// `transpose`: swaps the keys and the values of a map of lists of strings.
fn transpose(args: &Args<'_>) -> Called {
    let mut swapped: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for (key, values) in args.object(0)? {
        let Value::List(values) = values else {
            return Err(args.error(0, "the map's values must be lists of strings"));
        };
        for value in values {
            let value = to_string(value).map_err(|m| args.error(0, m))?;
            swapped
                .entry(value)
                .or_default()
                .push(Value::from(key.as_str()));
        }
    }
    Ok(Value::Object(
        swapped
            .into_iter()
            .map(|(k, v)| (k, Value::List(v)))
            .collect(),
    ))
}

fn sum(args: &Args<'_>) -> Called {
    let items = args.list(0)?;
    if items.is_empty() {
        return Err(args.error(0, "cannot sum an empty list"));
    }
    let mut total = 0.0;
    for (index, item) in items.iter().enumerate() {
        total += super::args::to_number(item)
            .map_err(|m| args.error(0, format!("element {index}: {m}")))?;
    }
    Ok(Value::Number(total))
}

/// `range(limit)`, `range(start, limit)`, `range(start, limit, step)`: at most 1024 values.
fn range(args: &Args<'_>) -> Called {
    let numbers: Vec<f64> = (0..args.len())
        .map(|i| args.number(i))
        .collect::<Result<_, _>>()?;
    let (start, limit, step) = match numbers[..] {
        [limit] => (0.0, limit, 1.0),
        [start, limit] => (start, limit, if start <= limit { 1.0 } else { -1.0 }),
        [start, limit, step] => (start, limit, step),
        _ => return Err(invalid("`range` takes 1 to 3 arguments")),
    };
    if step == 0.0 {
        return Err(args.error(2, "step must not be zero"));
    }
    if start < limit && step < 0.0 {
        return Err(args.error(2, "step must be positive when start is less than limit"));
    }
    if start > limit && step > 0.0 {
        return Err(args.error(2, "step must be negative when start is greater than limit"));
    }
    let mut values = Vec::new();
    let mut current = start;
    while (step > 0.0 && current < limit) || (step < 0.0 && current > limit) {
        if values.len() == MAX_RANGE {
            return Err(invalid(
                "`range`: more than 1024 values were generated; either decrease the difference between start and end or use a smaller step",
            ));
        }
        values.push(Value::Number(current));
        current += step;
    }
    Ok(Value::List(values))
}

/// `matchkeys(values, keys, searchset)`: the values whose key at the same position is
/// in the search set.
fn matchkeys(args: &Args<'_>) -> Called {
    let values = args.list(0)?;
    let keys = args.list(1)?;
    let search = args.list(2)?;
    if values.len() != keys.len() {
        return Err(invalid(
            "`matchkeys`: the length of keys and values should be equal",
        ));
    }
    Ok(Value::List(
        values
            .iter()
            .zip(keys)
            .filter(|(_, key)| search.contains(key))
            .map(|(value, _)| value.clone())
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{
        call_ok, invalid_message, list, n, nums, object, s, strs, unknown,
    };
    use crate::eval::value::Value;

    #[test]
    fn length_counts_characters_elements_and_keys() {
        assert_eq!(call_ok("length", vec![list(vec![])]), n(0.0));
        assert_eq!(call_ok("length", vec![strs(&["a", "b"])]), n(2.0));
        assert_eq!(call_ok("length", vec![object(&[("a", s("b"))])]), n(1.0));
        assert_eq!(call_ok("length", vec![s("hello")]), n(5.0));
        assert_eq!(call_ok("length", vec![s("👾🕹️")]), n(2.0));
        assert_eq!(
            call_ok("length", vec![list(vec![unknown("x"), s("a")])]),
            n(2.0)
        );
        assert!(call_ok("length", vec![unknown("x")]).is_unknown());
        assert!(invalid_message("length", vec![Value::Null]).contains("null"));
        assert!(invalid_message("length", vec![n(5.0)]).contains("number"));
    }

    #[test]
    fn keys_and_values_in_lexical_order() {
        let map = object(&[("d", n(3.0)), ("a", n(1.0)), ("c", n(2.0))]);
        assert_eq!(call_ok("keys", vec![map.clone()]), strs(&["a", "c", "d"]));
        assert_eq!(call_ok("values", vec![map]), nums(&[1.0, 2.0, 3.0]));
        let partly = object(&[("a", unknown("x"))]);
        assert_eq!(call_ok("keys", vec![partly.clone()]), strs(&["a"]));
        assert_eq!(call_ok("values", vec![partly]), list(vec![unknown("x")]));
        assert!(call_ok("keys", vec![unknown("x")]).is_unknown());
        assert!(invalid_message("keys", vec![strs(&["a"])]).contains("map is required"));
    }

    #[test]
    fn concat_merge_and_flatten_keep_unknowns_in_place() {
        assert_eq!(
            call_ok("concat", vec![strs(&["a", ""]), strs(&["b", "c"])]),
            strs(&["a", "", "b", "c"])
        );
        assert_eq!(
            call_ok("concat", vec![strs(&["a"]), list(vec![unknown("x")])]),
            list(vec![s("a"), unknown("x")])
        );
        assert!(call_ok("concat", vec![strs(&["a"]), unknown("x")]).is_unknown());
        assert!(invalid_message("concat", vec![s("a")]).contains("list"));
        assert_eq!(
            call_ok(
                "merge",
                vec![
                    object(&[("a", s("b")), ("c", s("d"))]),
                    object(&[("e", s("f")), ("c", s("z"))])
                ]
            ),
            object(&[("a", s("b")), ("c", s("z")), ("e", s("f"))])
        );
        assert_eq!(
            call_ok("merge", vec![object(&[("a", s("b"))]), Value::Null]),
            object(&[("a", s("b"))])
        );
        assert_eq!(call_ok("merge", vec![]), object(&[]));
        assert_eq!(
            call_ok("merge", vec![object(&[("a", unknown("x"))])]),
            object(&[("a", unknown("x"))])
        );
        assert!(call_ok("merge", vec![object(&[]), unknown("x")]).is_unknown());
        assert!(invalid_message("merge", vec![strs(&["a"])]).contains("maps or objects"));
        assert_eq!(
            call_ok(
                "flatten",
                vec![list(vec![strs(&["a", "b"]), list(vec![]), strs(&["c"])])]
            ),
            strs(&["a", "b", "c"])
        );
        assert_eq!(
            call_ok(
                "flatten",
                vec![list(vec![
                    list(vec![s("a"), list(vec![s("b"), unknown("x")])]),
                    s("c")
                ])]
            ),
            list(vec![s("a"), s("b"), unknown("x"), s("c")])
        );
        let mut deep = s("a");
        for _ in 0..100 {
            deep = list(vec![deep]);
        }
        assert!(invalid_message("flatten", vec![deep]).contains("too deeply"));
    }

    #[test]
    fn lookup_and_element() {
        let map = object(&[("a", s("ay")), ("b", s("bee")), ("u", unknown("x"))]);
        assert_eq!(
            call_ok("lookup", vec![map.clone(), s("a"), s("what?")]),
            s("ay")
        );
        assert_eq!(
            call_ok("lookup", vec![map.clone(), s("c"), s("what?")]),
            s("what?")
        );
        assert_eq!(call_ok("lookup", vec![map.clone(), s("b")]), s("bee"));
        assert_eq!(
            call_ok("lookup", vec![map.clone(), s("c"), Value::Null]),
            Value::Null
        );
        assert!(call_ok("lookup", vec![map.clone(), s("u")]).is_unknown());
        assert!(call_ok("lookup", vec![map.clone(), unknown("k")]).is_unknown());
        assert!(invalid_message("lookup", vec![map, s("c")]).contains("failed to find key"));
        let items = strs(&["a", "b", "c"]);
        assert_eq!(call_ok("element", vec![items.clone(), n(1.0)]), s("b"));
        assert_eq!(call_ok("element", vec![items.clone(), n(3.0)]), s("a"));
        assert_eq!(
            call_ok("element", vec![list(vec![s("a"), unknown("x")]), n(0.0)]),
            s("a")
        );
        assert!(call_ok("element", vec![items.clone(), unknown("i")]).is_unknown());
        assert!(invalid_message("element", vec![items.clone(), n(-1.0)]).contains("negative"));
        assert!(invalid_message("element", vec![items, n(0.5)]).contains("whole"));
        assert!(invalid_message("element", vec![list(vec![]), n(0.0)]).contains("empty"));
    }

    #[test]
    fn coalesce_skips_null_and_empty_strings() {
        assert_eq!(call_ok("coalesce", vec![s("a"), s("b")]), s("a"));
        assert_eq!(call_ok("coalesce", vec![s(""), s("b")]), s("b"));
        assert_eq!(call_ok("coalesce", vec![n(1.0), n(2.0)]), n(1.0));
        assert_eq!(
            call_ok("coalesce", vec![Value::Null, n(1.0), s("a")]),
            s("1")
        );
        assert_eq!(call_ok("coalesce", vec![s("a"), unknown("x")]), s("a"));
        assert!(call_ok("coalesce", vec![s(""), unknown("x"), s("b")]).is_unknown());
        assert!(invalid_message("coalesce", vec![Value::Null, s("")]).contains("no non-null"));
        assert_eq!(
            call_ok("coalescelist", vec![list(vec![]), strs(&["c", "d"])]),
            strs(&["c", "d"])
        );
        assert!(invalid_message("coalescelist", vec![list(vec![])]).contains("no non-null"));
    }

    #[test]
    fn list_reshaping() {
        assert_eq!(
            call_ok("slice", vec![strs(&["a", "b", "c", "d"]), n(1.0), n(3.0)]),
            strs(&["b", "c"])
        );
        assert!(
            invalid_message("slice", vec![strs(&["a"]), n(0.0), n(2.0)])
                .contains("greater than the length")
        );
        assert!(
            invalid_message("slice", vec![strs(&["a"]), n(1.0), n(0.0)])
                .contains("greater than the end")
        );
        assert!(
            invalid_message("slice", vec![strs(&["a"]), n(-1.0), n(0.0)])
                .contains("less than zero")
        );
        assert_eq!(
            call_ok("reverse", vec![nums(&[1.0, 2.0, 3.0])]),
            nums(&[3.0, 2.0, 1.0])
        );
        assert_eq!(
            call_ok("chunklist", vec![strs(&["a", "b", "c", "d", "e"]), n(2.0)]),
            list(vec![strs(&["a", "b"]), strs(&["c", "d"]), strs(&["e"])])
        );
        assert_eq!(
            call_ok("chunklist", vec![strs(&["a", "b"]), n(0.0)]),
            list(vec![strs(&["a", "b"])])
        );
        assert!(invalid_message("chunklist", vec![strs(&["a"]), n(-1.0)]).contains("positive"));
        assert_eq!(call_ok("one", vec![list(vec![])]), Value::Null);
        assert_eq!(call_ok("one", vec![strs(&["hello"])]), s("hello"));
        assert!(invalid_message("one", vec![strs(&["a", "b"])]).contains("zero or one"));
        assert_eq!(call_ok("one", vec![list(vec![unknown("x")])]), unknown("x"));
    }

    #[test]
    fn list_queries() {
        assert_eq!(
            call_ok("distinct", vec![strs(&["a", "b", "a", "c", "d", "b"])]),
            strs(&["a", "b", "c", "d"])
        );
        assert_eq!(
            call_ok(
                "compact",
                vec![list(vec![s("a"), s(""), s("b"), Value::Null, s("c")])]
            ),
            strs(&["a", "b", "c"])
        );
        assert_eq!(
            call_ok("contains", vec![strs(&["a", "b", "c"]), s("a")]),
            true.into()
        );
        assert_eq!(
            call_ok("contains", vec![strs(&["a", "b", "c"]), s("d")]),
            false.into()
        );
        assert_eq!(
            call_ok("index", vec![strs(&["a", "b", "c"]), s("b")]),
            n(1.0)
        );
        assert!(invalid_message("index", vec![strs(&["a"]), s("z")]).contains("not found"));
        assert_eq!(
            call_ok("sort", vec![strs(&["e", "d", "a", "x"])]),
            strs(&["a", "d", "e", "x"])
        );
        assert_eq!(
            call_ok("sort", vec![nums(&[10.0, 9.0])]),
            strs(&["10", "9"])
        );
        assert!(invalid_message("sort", vec![list(vec![Value::Null])]).contains("null"));
        assert!(call_ok("contains", vec![list(vec![unknown("x")]), s("a")]).is_unknown());
        assert_eq!(
            call_ok(
                "matchkeys",
                vec![
                    strs(&["i-123", "i-abc", "i-def"]),
                    strs(&["us-west", "us-east", "us-east"]),
                    strs(&["us-east"])
                ]
            ),
            strs(&["i-abc", "i-def"])
        );
        assert!(
            invalid_message("matchkeys", vec![strs(&["a"]), list(vec![]), list(vec![])])
                .contains("equal")
        );
    }

    #[test]
    fn set_functions() {
        assert_eq!(
            call_ok(
                "setunion",
                vec![strs(&["a", "b"]), strs(&["b", "c"]), strs(&["d"])]
            ),
            strs(&["a", "b", "c", "d"])
        );
        assert_eq!(
            call_ok(
                "setintersection",
                vec![strs(&["a", "b"]), strs(&["b", "c"]), strs(&["b", "d"])]
            ),
            strs(&["b"])
        );
        assert_eq!(
            call_ok(
                "setsubtract",
                vec![strs(&["a", "b", "c"]), strs(&["a", "c"])]
            ),
            strs(&["b"])
        );
        assert_eq!(
            call_ok(
                "setproduct",
                vec![strs(&["development", "staging"]), strs(&["app1", "app2"])]
            ),
            list(vec![
                strs(&["development", "app1"]),
                strs(&["development", "app2"]),
                strs(&["staging", "app1"]),
                strs(&["staging", "app2"]),
            ])
        );
        assert_eq!(
            call_ok("setproduct", vec![strs(&["a"]), list(vec![])]),
            list(vec![])
        );
        let big = Value::List((0..1000).map(|i| n(f64::from(i))).collect());
        assert!(
            invalid_message("setproduct", vec![big.clone(), big]).ends_with("(--max-value-size)")
        );
        assert_eq!(
            call_ok(
                "transpose",
                vec![object(&[
                    ("a", strs(&["1", "2"])),
                    ("b", strs(&["2", "3"]))
                ])]
            ),
            object(&[
                ("1", strs(&["a"])),
                ("2", strs(&["a", "b"])),
                ("3", strs(&["b"]))
            ])
        );
        assert!(
            invalid_message("transpose", vec![object(&[("a", s("1"))])])
                .contains("lists of strings")
        );
    }

    #[test]
    fn aggregates() {
        assert_eq!(
            call_ok("alltrue", vec![list(vec![s("true"), true.into()])]),
            true.into()
        );
        assert_eq!(
            call_ok("alltrue", vec![list(vec![true.into(), false.into()])]),
            false.into()
        );
        assert_eq!(call_ok("alltrue", vec![list(vec![])]), true.into());
        assert_eq!(
            call_ok("alltrue", vec![list(vec![false.into(), unknown("x")])]),
            false.into()
        );
        assert!(call_ok("alltrue", vec![list(vec![unknown("x"), false.into()])]).is_unknown());
        assert_eq!(call_ok("anytrue", vec![list(vec![s("true")])]), true.into());
        assert_eq!(call_ok("anytrue", vec![list(vec![])]), false.into());
        assert_eq!(
            call_ok("anytrue", vec![list(vec![unknown("x"), true.into()])]),
            true.into()
        );
        assert!(call_ok("anytrue", vec![list(vec![unknown("x"), false.into()])]).is_unknown());
        assert!(invalid_message("anytrue", vec![list(vec![s("yes")])]).contains("not a bool"));
        assert_eq!(call_ok("sum", vec![nums(&[10.0, 13.0, 6.0, 4.5])]), n(33.5));
        assert!(invalid_message("sum", vec![list(vec![])]).contains("empty"));
        assert_eq!(
            call_ok(
                "zipmap",
                vec![strs(&["a", "b"]), list(vec![n(1.0), unknown("x")])]
            ),
            object(&[("a", n(1.0)), ("b", unknown("x"))])
        );
        assert!(call_ok("zipmap", vec![list(vec![unknown("k")]), nums(&[1.0])]).is_unknown());
        assert!(
            invalid_message("zipmap", vec![strs(&["a"]), list(vec![])]).contains("does not match")
        );
    }

    #[test]
    fn range_with_one_two_and_three_arguments() {
        assert_eq!(call_ok("range", vec![n(3.0)]), nums(&[0.0, 1.0, 2.0]));
        assert_eq!(
            call_ok("range", vec![n(1.0), n(4.0)]),
            nums(&[1.0, 2.0, 3.0])
        );
        assert_eq!(
            call_ok("range", vec![n(1.0), n(8.0), n(2.0)]),
            nums(&[1.0, 3.0, 5.0, 7.0])
        );
        assert_eq!(
            call_ok("range", vec![n(1.0), n(4.0), n(0.5)]),
            nums(&[1.0, 1.5, 2.0, 2.5, 3.0, 3.5])
        );
        assert_eq!(
            call_ok("range", vec![n(4.0), n(1.0)]),
            nums(&[4.0, 3.0, 2.0])
        );
        assert_eq!(
            call_ok("range", vec![n(10.0), n(5.0), n(-2.0)]),
            nums(&[10.0, 8.0, 6.0])
        );
        assert_eq!(call_ok("range", vec![n(0.0)]), nums(&[]));
        assert!(invalid_message("range", vec![n(1e9)]).contains("1024"));
        assert!(invalid_message("range", vec![n(1.0), n(2.0), n(0.0)]).contains("zero"));
        assert!(invalid_message("range", vec![n(1.0), n(2.0), n(-1.0)]).contains("positive"));
        assert!(invalid_message("range", vec![n(2.0), n(1.0), n(1.0)]).contains("negative"));
    }

    /// Every example of the collection functions' documentation pages, as
    /// (function, arguments, result). Set results are in Terraform's set order (strings
    /// lexically, numbers ascending), which is what `terraform console` prints today.
    #[test]
    fn documented_examples() {
        let map = |entries: &[(&str, Value)]| object(entries);
        let cases: Vec<(&str, Vec<Value>, Value)> = vec![
            ("length", vec![list(vec![])], n(0.0)),
            ("length", vec![strs(&["a", "b"])], n(2.0)),
            ("length", vec![map(&[("a", s("b"))])], n(1.0)),
            ("length", vec![s("hello")], n(5.0)),
            ("length", vec![s("👾🕹️")], n(2.0)),
            (
                "keys",
                vec![map(&[("a", n(1.0)), ("c", n(2.0)), ("d", n(3.0))])],
                strs(&["a", "c", "d"]),
            ),
            (
                "values",
                vec![map(&[("a", n(3.0)), ("c", n(2.0)), ("d", n(1.0))])],
                nums(&[3.0, 2.0, 1.0]),
            ),
            (
                "concat",
                vec![strs(&["a", ""]), strs(&["b", "c"])],
                strs(&["a", "", "b", "c"]),
            ),
            (
                "concat",
                vec![
                    list(vec![]),
                    list(vec![n(1.0), s("a")]),
                    list(vec![nums(&[3.0]), s("c")]),
                ],
                list(vec![n(1.0), s("a"), nums(&[3.0]), s("c")]),
            ),
            (
                "merge",
                vec![
                    map(&[("a", s("b")), ("c", s("d"))]),
                    map(&[("e", s("f")), ("c", s("z"))]),
                ],
                map(&[("a", s("b")), ("c", s("z")), ("e", s("f"))]),
            ),
            (
                "merge",
                vec![
                    map(&[("a", s("b"))]),
                    map(&[("a", nums(&[1.0, 2.0])), ("c", s("z"))]),
                    map(&[("d", n(3.0))]),
                ],
                map(&[("a", nums(&[1.0, 2.0])), ("c", s("z")), ("d", n(3.0))]),
            ),
            (
                "merge",
                vec![
                    map(&[("a", s("b")), ("c", s("d"))]),
                    map(&[]),
                    map(&[("e", s("f")), ("c", s("z"))]),
                ],
                map(&[("a", s("b")), ("c", s("z")), ("e", s("f"))]),
            ),
            (
                "flatten",
                vec![list(vec![strs(&["a", "b"]), list(vec![]), strs(&["c"])])],
                strs(&["a", "b", "c"]),
            ),
            (
                "flatten",
                vec![list(vec![
                    list(vec![strs(&["a", "b"]), list(vec![])]),
                    strs(&["c"]),
                ])],
                strs(&["a", "b", "c"]),
            ),
            (
                "lookup",
                vec![map(&[("a", s("ay")), ("b", s("bee"))]), s("a"), s("what?")],
                s("ay"),
            ),
            (
                "lookup",
                vec![map(&[("a", s("ay")), ("b", s("bee"))]), s("c"), s("what?")],
                s("what?"),
            ),
            ("element", vec![strs(&["a", "b", "c"]), n(1.0)], s("b")),
            ("element", vec![strs(&["a", "b", "c"]), n(3.0)], s("a")),
            (
                "element",
                vec![strs(&["a", "b", "c"]), n(3.0 - 1.0)],
                s("c"),
            ),
            ("coalesce", vec![s("a"), s("b")], s("a")),
            ("coalesce", vec![s(""), s("b")], s("b")),
            ("coalesce", vec![n(1.0), n(2.0)], n(1.0)),
            ("coalesce", vec![n(1.0), s("hello")], s("1")),
            ("coalesce", vec![true.into(), s("hello")], s("true")),
            (
                "coalescelist",
                vec![strs(&["a", "b"]), strs(&["c", "d"])],
                strs(&["a", "b"]),
            ),
            (
                "coalescelist",
                vec![list(vec![]), strs(&["c", "d"])],
                strs(&["c", "d"]),
            ),
            (
                "slice",
                vec![strs(&["a", "b", "c", "d"]), n(1.0), n(3.0)],
                strs(&["b", "c"]),
            ),
            (
                "reverse",
                vec![nums(&[1.0, 2.0, 3.0])],
                nums(&[3.0, 2.0, 1.0]),
            ),
            ("one", vec![list(vec![])], Value::Null),
            ("one", vec![strs(&["hello"])], s("hello")),
            (
                "alltrue",
                vec![list(vec![s("true"), true.into()])],
                true.into(),
            ),
            (
                "alltrue",
                vec![list(vec![true.into(), false.into()])],
                false.into(),
            ),
            ("anytrue", vec![strs(&["true"])], true.into()),
            ("anytrue", vec![list(vec![true.into()])], true.into()),
            (
                "anytrue",
                vec![list(vec![true.into(), false.into()])],
                true.into(),
            ),
            ("anytrue", vec![list(vec![])], false.into()),
            (
                "zipmap",
                vec![strs(&["a", "b"]), nums(&[1.0, 2.0])],
                map(&[("a", n(1.0)), ("b", n(2.0))]),
            ),
            (
                "distinct",
                vec![strs(&["a", "b", "a", "c", "d", "b"])],
                strs(&["a", "b", "c", "d"]),
            ),
            (
                "compact",
                vec![list(vec![s("a"), s(""), s("b"), Value::Null, s("c")])],
                strs(&["a", "b", "c"]),
            ),
            (
                "contains",
                vec![strs(&["a", "b", "c"]), s("a")],
                true.into(),
            ),
            (
                "contains",
                vec![strs(&["a", "b", "c"]), s("d")],
                false.into(),
            ),
            ("index", vec![strs(&["a", "b", "c"]), s("b")], n(1.0)),
            (
                "sort",
                vec![strs(&["e", "d", "a", "x"])],
                strs(&["a", "d", "e", "x"]),
            ),
            (
                "chunklist",
                vec![strs(&["a", "b", "c", "d", "e"]), n(2.0)],
                list(vec![strs(&["a", "b"]), strs(&["c", "d"]), strs(&["e"])]),
            ),
            (
                "chunklist",
                vec![strs(&["a", "b", "c", "d", "e"]), n(1.0)],
                list(vec![
                    strs(&["a"]),
                    strs(&["b"]),
                    strs(&["c"]),
                    strs(&["d"]),
                    strs(&["e"]),
                ]),
            ),
            (
                "setunion",
                vec![strs(&["a", "b"]), strs(&["b", "c"]), strs(&["d"])],
                strs(&["a", "b", "c", "d"]),
            ),
            (
                "setintersection",
                vec![strs(&["a", "b"]), strs(&["b", "c"]), strs(&["b", "d"])],
                strs(&["b"]),
            ),
            (
                "setintersection",
                vec![
                    nums(&[3.0, 3.3, 4.0]),
                    nums(&[4.0, 3.3, 65.0, 99.0]),
                    nums(&[4.0, 3.3]),
                ],
                nums(&[3.3, 4.0]),
            ),
            (
                "setintersection",
                vec![
                    list(vec![s("bob"), s("jane"), n(3.0)]),
                    list(vec![s("jane"), n(3.0), s("ajax"), n(10.0)]),
                    list(vec![s("3"), s("jane"), n(26.0), s("nomad")]),
                ],
                strs(&["3", "jane"]),
            ),
            (
                "setsubtract",
                vec![strs(&["a", "b", "c"]), strs(&["a", "c"])],
                strs(&["b"]),
            ),
            (
                "setproduct",
                vec![
                    strs(&["development", "staging", "production"]),
                    strs(&["app1", "app2"]),
                ],
                list(vec![
                    strs(&["development", "app1"]),
                    strs(&["development", "app2"]),
                    strs(&["staging", "app1"]),
                    strs(&["staging", "app2"]),
                    strs(&["production", "app1"]),
                    strs(&["production", "app2"]),
                ]),
            ),
            (
                "setproduct",
                vec![
                    strs(&["development", "staging", "production"]),
                    list(vec![]),
                ],
                list(vec![]),
            ),
            (
                "setproduct",
                vec![strs(&["a"]), strs(&["b"])],
                list(vec![strs(&["a", "b"])]),
            ),
            (
                "setproduct",
                vec![strs(&["staging", "production"]), list(vec![s("a"), n(2.0)])],
                list(vec![
                    strs(&["staging", "a"]),
                    strs(&["staging", "2"]),
                    strs(&["production", "a"]),
                    strs(&["production", "2"]),
                ]),
            ),
            (
                "transpose",
                vec![map(&[("a", strs(&["1", "2"])), ("b", strs(&["2", "3"]))])],
                map(&[
                    ("1", strs(&["a"])),
                    ("2", strs(&["a", "b"])),
                    ("3", strs(&["b"])),
                ]),
            ),
            ("sum", vec![nums(&[10.0, 13.0, 6.0, 4.5])], n(33.5)),
            ("range", vec![n(3.0)], nums(&[0.0, 1.0, 2.0])),
            ("range", vec![n(1.0), n(4.0)], nums(&[1.0, 2.0, 3.0])),
            (
                "range",
                vec![n(1.0), n(8.0), n(2.0)],
                nums(&[1.0, 3.0, 5.0, 7.0]),
            ),
            (
                "range",
                vec![n(1.0), n(4.0), n(0.5)],
                nums(&[1.0, 1.5, 2.0, 2.5, 3.0, 3.5]),
            ),
            ("range", vec![n(4.0), n(1.0)], nums(&[4.0, 3.0, 2.0])),
            (
                "range",
                vec![n(10.0), n(5.0), n(-2.0)],
                nums(&[10.0, 8.0, 6.0]),
            ),
            (
                "matchkeys",
                vec![
                    strs(&["i-123", "i-abc", "i-def"]),
                    strs(&["us-west", "us-east", "us-east"]),
                    strs(&["us-east"]),
                ],
                strs(&["i-abc", "i-def"]),
            ),
        ];
        for (name, args, expected) in cases {
            let shown = format!("{name}({})", list(args.clone()));
            assert_eq!(call_ok(name, args), expected, "{shown}");
        }
        // `coalesce({}, "hello")` and `one(["hello", "goodbye"])` are errors.
        assert!(invalid_message("coalesce", vec![map(&[]), s("hello")]).contains("same type"));
        assert!(invalid_message("one", vec![strs(&["hello", "goodbye"])]).contains("zero or one"));
        // The symmetric difference of the `setsubtract` page.
        let forward = call_ok(
            "setsubtract",
            vec![strs(&["a", "b", "c"]), strs(&["a", "c", "d"])],
        );
        let backward = call_ok(
            "setsubtract",
            vec![strs(&["a", "c", "d"]), strs(&["a", "b", "c"])],
        );
        assert_eq!(
            call_ok("setunion", vec![forward, backward]),
            strs(&["b", "d"])
        );
    }
}
