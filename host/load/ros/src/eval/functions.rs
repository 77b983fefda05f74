//! The intrinsic functions that compute on values alone (no parameters, conditions or
//! mappings): `Fn::Join`, `Fn::Select`, `Fn::Split`, `Fn::Replace`, `Fn::Str`,
//! `Fn::Base64Encode`, `Fn::Base64Decode`, `Fn::Length`, `Fn::Index`, `Fn::ListMerge`,
//! `Fn::GetJsonValue`, `Fn::MergeMapToList`, `Fn::Max`, `Fn::Min`, `Fn::Avg`, `Fn::Add`
//! and `Fn::Calculate`, as the ROS documentation describes them.
//!
//! Each takes its argument already evaluated. An argument that contains an unknown makes
//! the result unknown (with the unknown's reason and the resource it refers to), except
//! where the function does not need that part (`Fn::Select` of another item).

use serde_json::{Map, Value};

use super::budget::size_of;
use super::conditions::reason_of;
use super::parameters::{number, text_of};
use super::{find_unknown, is_unknown};
use palisade_model::{UnknownMarker, unknown, unknown_ref};

/// Why a function has no value.
#[derive(Debug)]
pub enum Failure {
    /// Its argument is unknown: the result is this unknown.
    Unknown(Value),
    /// Its argument has the wrong shape: an error at the call.
    Invalid(String),
    /// Its value would be at least this many bytes, more than it may be.
    TooLarge(u64),
}

type Applied = Result<Value, Failure>;

/// Whether [`apply`] evaluates the function `name` (without `Fn::`).
pub fn is_supported(name: &str) -> bool {
    matches!(
        name,
        "Join"
            | "Select"
            | "Split"
            | "Replace"
            | "Str"
            | "Base64Encode"
            | "Base64Decode"
            | "Length"
            | "Index"
            | "ListMerge"
            | "GetJsonValue"
            | "MergeMapToList"
            | "Max"
            | "Min"
            | "Avg"
            | "Add"
            | "Calculate"
    )
}

/// `Fn::name` applied to `argument`, refused when the value it makes would be larger than
/// `max` bytes (checked before the functions that grow build it).
pub fn apply(name: &str, argument: Value, max: u64) -> Applied {
    // `Fn::Select` needs only the item it selects.
    if name == "Select" {
        return select(argument);
    }
    if let Some(unknown) = find_unknown(&argument) {
        return Err(Failure::Unknown(propagate(name, unknown)));
    }
    match name {
        "Join" => join(argument, max),
        "Split" => split(argument),
        "Replace" => replace(argument, max),
        "Str" => match argument {
            value @ (Value::Number(_) | Value::Bool(_) | Value::String(_)) => {
                Ok(Value::String(text_of(&value)))
            }
            _ => invalid("takes a number"),
        },
        "Base64Encode" => match argument {
            Value::String(s) => Ok(Value::String(base64_encode(s.as_bytes()))),
            _ => invalid("takes a string"),
        },
        "Base64Decode" => match argument {
            Value::String(s) => base64_decode(&s)
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .map(Value::String)
                .ok_or_else(|| Failure::Invalid("takes a Base64-encoded UTF-8 string".into())),
            _ => invalid("takes a string"),
        },
        "Length" => match argument {
            Value::String(s) => Ok(Value::from(s.chars().count())),
            Value::Array(items) => Ok(Value::from(items.len())),
            Value::Object(object) => Ok(Value::from(object.len())),
            _ => invalid("takes a string, a list or a mapping"),
        },
        "Index" => match argument {
            Value::Array(items) if items.len() == 2 => match (&items[0], &items[1]) {
                (item, Value::Array(list)) => list
                    .iter()
                    .position(|candidate| candidate == item)
                    .map(Value::from)
                    .ok_or_else(|| Failure::Invalid(format!("{item} is not in the list"))),
                _ => invalid("takes [item, list]"),
            },
            _ => invalid("takes [item, list]"),
        },
        "ListMerge" => match argument {
            Value::Array(lists) => {
                let mut merged = Vec::new();
                for list in lists {
                    match list {
                        Value::Array(items) => merged.extend(items),
                        _ => return invalid("takes a list of lists"),
                    }
                }
                Ok(Value::Array(merged))
            }
            _ => invalid("takes a list of lists"),
        },
        "GetJsonValue" => get_json_value(argument),
        "MergeMapToList" => merge_map_to_list(argument, max),
        "Max" | "Min" | "Avg" => aggregate(name, argument),
        "Add" => add(argument),
        "Calculate" => calculate(argument),
        _ => Err(Failure::Unknown(unknown(format!(
            "`Fn::{name}` is not evaluated"
        )))),
    }
}

fn invalid(message: &str) -> Applied {
    Err(Failure::Invalid(message.to_owned()))
}

/// The unknown result of `Fn::name` applied to something containing `unknown`: its
/// reason, and the resource it refers to.
pub fn propagate(name: &str, unknown_value: &Value) -> Value {
    let reason = format!(
        "`Fn::{name}` of an unknown value: {}",
        reason_of(unknown_value)
    );
    match UnknownMarker::read(unknown_value).and_then(|marker| marker.refers) {
        Some(refers) => unknown_ref(reason, refers),
        None => unknown(reason),
    }
}

/// `Fn::Join [delimiter, [text, ...]]`.
fn join(argument: Value, max: u64) -> Applied {
    let Some([Value::String(delimiter), Value::Array(items)]) = pair(&argument) else {
        return invalid("takes [delimiter, [text, ...]]");
    };
    let mut parts = Vec::with_capacity(items.len());
    let mut size = 0u64;
    for item in items {
        match item {
            Value::Array(_) | Value::Object(_) => {
                return invalid("joins strings and numbers only");
            }
            Value::Null => {}
            scalar => {
                let part = text_of(scalar);
                size += (part.len() + delimiter.len()) as u64;
                if size > max {
                    return Err(Failure::TooLarge(size));
                }
                parts.push(part);
            }
        }
    }
    Ok(Value::String(parts.join(delimiter)))
}

/// `Fn::Select [index, list]` or `Fn::Select [key, mapping]`.
fn select(argument: Value) -> Applied {
    let Some([index, collection]) = pair(&argument) else {
        return invalid("takes [index, list] or [key, mapping]");
    };
    if let Some(unknown) = [index, collection].into_iter().find(|v| is_unknown(v)) {
        let selected = propagate("Select", unknown);
        // Some instance of a counted resource: a reference to the resource.
        return Err(Failure::Unknown(match counted_resource(collection) {
            Some(resource) => unknown_ref(reason_of(&selected), resource),
            None => selected,
        }));
    }
    match collection {
        Value::Array(items) => {
            let position = match index {
                Value::Number(n) => n.as_u64(),
                Value::String(s) => s.trim().parse::<u64>().ok(),
                _ => None,
            };
            let Some(position) = position else {
                return invalid("takes a non-negative integer index for a list");
            };
            usize::try_from(position)
                .ok()
                .and_then(|i| items.get(i))
                .cloned()
                .ok_or_else(|| {
                    Failure::Invalid(format!(
                        "index {position} is out of range for a list of {}",
                        items.len()
                    ))
                })
        }
        Value::Object(object) => {
            let key = text_of(index);
            object
                .get(&key)
                .cloned()
                .ok_or_else(|| Failure::Invalid(format!("the mapping has no key `{key}`")))
        }
        _ => invalid("takes [index, list] or [key, mapping]"),
    }
}

/// The resource whose instances `collection` lists (`Ref` of a counted resource: unknowns
/// that refer to `Name[0]`, `Name[1]`, ...).
fn counted_resource(collection: &Value) -> Option<String> {
    let Value::Array(items) = collection else {
        return None;
    };
    let mut names = items.iter().map(|item| {
        let refers = UnknownMarker::read(item)?.refers?;
        let (name, index) = refers.strip_suffix(']')?.rsplit_once('[')?;
        index.parse::<usize>().ok().map(|_| name)
    });
    let first = names.next()??;
    names
        .all(|name| name == Some(first))
        .then(|| first.to_owned())
}

/// `Fn::Split [delimiter, text]`.
fn split(argument: Value) -> Applied {
    match pair(&argument) {
        Some([Value::String(delimiter), Value::String(text)]) if !delimiter.is_empty() => Ok(
            Value::Array(text.split(delimiter.as_str()).map(Value::from).collect()),
        ),
        _ => invalid("takes [delimiter, text] with a non-empty delimiter"),
    }
}

/// `Fn::Replace [{old: new, ...}, text]`.
fn replace(argument: Value, max: u64) -> Applied {
    let Some([Value::Object(replacements), Value::String(text)]) = pair(&argument) else {
        return invalid("takes [{old: new, ...}, text]");
    };
    let mut text = text.clone();
    for (old, new) in replacements {
        if !old.is_empty() {
            let new = text_of(new);
            // Each replacement may multiply the text: its size is known before it is built.
            let count = text.matches(old.as_str()).count() as u64;
            let size = text.len() as u64 - count * old.len() as u64 + count * new.len() as u64;
            if size > max {
                return Err(Failure::TooLarge(size));
            }
            text = text.replace(old.as_str(), &new);
        }
    }
    Ok(Value::String(text))
}

/// `Fn::GetJsonValue [key, json]`: the value of a top-level key of a JSON object, given
/// as text or as a mapping.
fn get_json_value(argument: Value) -> Applied {
    let Some([Value::String(key), json]) = pair(&argument) else {
        return invalid("takes [key, JSON text or mapping]");
    };
    let object = match json {
        Value::String(text) => serde_json::from_str::<Value>(text)
            .map_err(|e| Failure::Invalid(format!("not valid JSON: {e}")))?,
        other => other.clone(),
    };
    object
        .get(key)
        .cloned()
        .ok_or_else(|| Failure::Invalid(format!("the JSON has no key `{key}`")))
}

/// `Fn::MergeMapToList [{key: [v1, v2]}, ...]`: the n-th mapping of the result holds the
/// n-th value of every key; shorter lists repeat their last value.
fn merge_map_to_list(argument: Value, max: u64) -> Applied {
    let Value::Array(maps) = argument else {
        return invalid("takes a list of mappings of lists");
    };
    let mut columns: Vec<(String, Vec<Value>)> = Vec::new();
    for map in maps {
        let Value::Object(map) = map else {
            return invalid("takes a list of mappings of lists");
        };
        for (key, values) in map {
            match values {
                Value::Array(values) => columns.push((key, values)),
                single => columns.push((key, vec![single])),
            }
        }
    }
    let rows = columns.iter().map(|(_, v)| v.len()).max().unwrap_or(0);
    // Short lists repeat their last value on every row: the result may be far larger
    // than the argument.
    let mut size = 0u64;
    for (key, values) in &columns {
        let last = values.last().map_or(0, |value| size_of(value, max));
        let repeated = (rows - values.len()) as u64;
        size = size
            .saturating_add(values.iter().map(|value| size_of(value, max)).sum::<u64>())
            .saturating_add(repeated.saturating_mul(last))
            .saturating_add((rows as u64).saturating_mul(key.len() as u64 + 4));
        if size > max {
            return Err(Failure::TooLarge(size));
        }
    }
    let list = (0..rows)
        .map(|row| {
            let mut item = Map::new();
            for (key, values) in &columns {
                if let Some(value) = values.get(row).or(values.last()) {
                    item.insert(key.clone(), value.clone());
                }
            }
            Value::Object(item)
        })
        .collect();
    Ok(Value::Array(list))
}

/// `Fn::Max`, `Fn::Min`, `Fn::Avg` of a list of numbers (or numeric strings).
fn aggregate(name: &str, argument: Value) -> Applied {
    let Value::Array(items) = argument else {
        return invalid("takes a list of numbers");
    };
    let numbers: Option<Vec<Value>> = items.iter().map(as_number).collect();
    let Some(numbers) = numbers.filter(|n| !n.is_empty()) else {
        return invalid("takes a non-empty list of numbers");
    };
    let float = |v: &Value| v.as_f64().unwrap_or(0.0);
    let chosen = match name {
        "Max" => numbers
            .into_iter()
            .reduce(|a, b| if float(&b) > float(&a) { b } else { a }),
        "Min" => numbers
            .into_iter()
            .reduce(|a, b| if float(&b) < float(&a) { b } else { a }),
        _ => {
            let sum: f64 = numbers.iter().map(float).sum();
            from_f64(sum / numbers.len() as f64)
        }
    };
    chosen.ok_or_else(|| Failure::Invalid("has no finite result".into()))
}

/// `Fn::Add`: the sum of numbers, the concatenation of lists, or the merge of mappings
/// (later keys win).
fn add(argument: Value) -> Applied {
    let Value::Array(items) = argument else {
        return invalid("takes a list of at least two numbers, lists or mappings");
    };
    if items.len() < 2 {
        return invalid("takes a list of at least two numbers, lists or mappings");
    }
    match &items[0] {
        Value::Number(_) => {
            let mut integer: Option<i64> = Some(0);
            let mut float = 0.0;
            for item in &items {
                let Value::Number(n) = item else {
                    return invalid("takes items of one type");
                };
                integer = integer.zip(n.as_i64()).and_then(|(a, b)| a.checked_add(b));
                float += n.as_f64().unwrap_or(0.0);
            }
            integer
                .map(Value::from)
                .or_else(|| from_f64(float))
                .ok_or_else(|| Failure::Invalid("has no finite result".into()))
        }
        Value::Array(_) => {
            let mut merged = Vec::new();
            for item in items {
                let Value::Array(list) = item else {
                    return invalid("takes items of one type");
                };
                merged.extend(list);
            }
            Ok(Value::Array(merged))
        }
        Value::Object(_) => {
            let mut merged = Map::new();
            for item in items {
                let Value::Object(object) = item else {
                    return invalid("takes items of one type");
                };
                merged.extend(object);
            }
            Ok(Value::Object(merged))
        }
        _ => invalid("takes numbers, lists or mappings"),
    }
}

/// `Fn::Calculate [expression, ndigits, [numbers]]`: `+ - * / %` and parentheses over
/// numbers and `{n}` placeholders; integer division when both sides are integers.
fn calculate(argument: Value) -> Applied {
    let Value::Array(items) = argument else {
        return invalid("takes [expression, ndigits, [numbers]]");
    };
    let (expression, digits, numbers) = match items.as_slice() {
        [Value::String(e), d] => (e, d, &[][..]),
        [Value::String(e), d, Value::Array(n)] => (e, d, n.as_slice()),
        _ => return invalid("takes [expression, ndigits, [numbers]]"),
    };
    let Some(digits) = as_number(digits).and_then(|d| d.as_u64()) else {
        return invalid("takes a non-negative integer ndigits");
    };
    let mut text = expression.clone();
    for (i, n) in numbers.iter().enumerate().rev() {
        let Some(n) = as_number(n) else {
            return invalid("substitutes numbers only");
        };
        text = text.replace(&format!("{{{i}}}"), &n.to_string());
    }
    let mut parser = Calculator {
        chars: text.chars().filter(|c| !c.is_whitespace()).collect(),
        at: 0,
        depth: 0,
    };
    let result = parser.sum().map_err(Failure::Invalid)?;
    if parser.at != parser.chars.len() {
        return invalid("cannot read the expression");
    }
    match result {
        Num::Int(i) => Ok(Value::from(i)),
        Num::Float(f) => {
            let scale = 10f64.powi(i32::try_from(digits.min(15)).unwrap_or(15));
            from_f64((f * scale).round() / scale)
                .ok_or_else(|| Failure::Invalid("has no finite result".into()))
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Num {
    Int(i64),
    Float(f64),
}

impl Num {
    fn float(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(f) => f,
        }
    }
}

/// A recursive-descent reader of `Fn::Calculate` expressions.
struct Calculator {
    chars: Vec<char>,
    at: usize,
    depth: usize,
}

impl Calculator {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn sum(&mut self) -> Result<Num, String> {
        let mut left = self.product()?;
        while let Some(op @ ('+' | '-')) = self.peek() {
            self.at += 1;
            let right = self.product()?;
            left = arithmetic(op, left, right)?;
        }
        Ok(left)
    }

    fn product(&mut self) -> Result<Num, String> {
        let mut left = self.factor()?;
        while let Some(op @ ('*' | '/' | '%')) = self.peek() {
            self.at += 1;
            let right = self.factor()?;
            left = arithmetic(op, left, right)?;
        }
        Ok(left)
    }

    fn factor(&mut self) -> Result<Num, String> {
        match self.peek() {
            Some('-') => {
                self.at += 1;
                Ok(match self.factor()? {
                    Num::Int(i) => Num::Int(i.checked_neg().ok_or("overflows")?),
                    Num::Float(f) => Num::Float(-f),
                })
            }
            Some('(') => {
                self.depth += 1;
                if self.depth > 100 {
                    return Err("nests too deeply".into());
                }
                self.at += 1;
                let value = self.sum()?;
                if self.peek() != Some(')') {
                    return Err("has an unclosed `(`".into());
                }
                self.at += 1;
                self.depth -= 1;
                Ok(value)
            }
            _ => {
                let start = self.at;
                while self.peek().is_some_and(|c| c.is_ascii_digit() || c == '.') {
                    self.at += 1;
                }
                let text: String = self.chars[start..self.at].iter().collect();
                if let Ok(i) = text.parse::<i64>() {
                    Ok(Num::Int(i))
                } else {
                    text.parse::<f64>()
                        .map(Num::Float)
                        .map_err(|_| "cannot read the expression".to_owned())
                }
            }
        }
    }
}

fn arithmetic(op: char, left: Num, right: Num) -> Result<Num, String> {
    if let (Num::Int(a), Num::Int(b)) = (left, right) {
        let result = match op {
            '+' => a.checked_add(b),
            '-' => a.checked_sub(b),
            '*' => a.checked_mul(b),
            // Integer division rounds down, as the documentation's 5/2 = 2.
            '/' => (b != 0).then(|| a.div_euclid(b)),
            _ => (b != 0).then(|| a.rem_euclid(b)),
        };
        return result
            .map(Num::Int)
            .ok_or_else(|| "divides by zero or overflows".into());
    }
    let (a, b) = (left.float(), right.float());
    let result = match op {
        '+' => a + b,
        '-' => a - b,
        '*' => a * b,
        '/' => a / b,
        _ => a % b,
    };
    if result.is_finite() {
        Ok(Num::Float(result))
    } else {
        Err("divides by zero".into())
    }
}

/// The two items of a two-item list.
fn pair(value: &Value) -> Option<[&Value; 2]> {
    match value.as_array()?.as_slice() {
        [a, b] => Some([a, b]),
        _ => None,
    }
}

fn as_number(value: &Value) -> Option<Value> {
    match value {
        Value::Number(_) => Some(value.clone()),
        Value::String(s) => number(s),
        _ => None,
    }
}

fn from_f64(f: f64) -> Option<Value> {
    serde_json::Number::from_f64(f).map(Value::Number)
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(BASE64[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let digits: Vec<u32> = text
        .trim_end_matches('=')
        .bytes()
        .map(|c| BASE64.iter().position(|&d| d == c).map(|p| p as u32))
        .collect::<Option<_>>()?;
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        if chunk.len() == 1 {
            return None;
        }
        let n = chunk
            .iter()
            .chain(std::iter::repeat(&0))
            .take(4)
            .fold(0u32, |n, d| (n << 6) | d);
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn ok(name: &str, argument: Value) -> Value {
        match apply(name, argument, u64::MAX) {
            Ok(value) => value,
            Err(failure) => panic!("{name}: {failure:?}"),
        }
    }

    #[test]
    fn documented_examples() {
        assert_eq!(ok("Join", json!([",", ["a", "b", "c"]])), json!("a,b,c"));
        assert_eq!(
            ok("Select", json!(["1", ["apples", "grapes", "oranges"]])),
            json!("grapes")
        );
        assert_eq!(
            ok("Select", json!([1, ["apples", "grapes"]])),
            json!("grapes")
        );
        assert_eq!(
            ok("Select", json!(["key2", {"key1": "a", "key2": "b"}])),
            json!("b")
        );
        assert_eq!(
            ok("Split", json!([";", "foo; bar; achoo"])),
            json!(["foo", " bar", " achoo"])
        );
        assert_eq!(
            ok("Replace", json!([{"print": "echo"}, "print hello"])),
            json!("echo hello")
        );
        assert_eq!(ok("Str", json!(123)), json!("123"));
        assert_eq!(
            ok("Base64Encode", json!("string to encode")),
            json!("c3RyaW5nIHRvIGVuY29kZQ==")
        );
        assert_eq!(
            ok("Base64Decode", json!("c3RyaW5nIHRvIGVuY29kZQ==")),
            json!("string to encode")
        );
        assert_eq!(ok("Length", json!([1, 2, 3])), json!(3));
        assert_eq!(ok("Length", json!("abc")), json!(3));
        assert_eq!(ok("Index", json!(["b", ["a", "b", "c"]])), json!(1));
        assert_eq!(
            ok("ListMerge", json!([["a", "b"], ["c"]])),
            json!(["a", "b", "c"])
        );
        assert_eq!(
            ok("GetJsonValue", json!(["key", "{\"key\": \"value\"}"])),
            json!("value")
        );
        assert_eq!(ok("Max", json!([1, 2.5, 3])), json!(3));
        assert_eq!(ok("Min", json!([1, "0.5", 3])), json!(0.5));
        assert_eq!(ok("Add", json!([1, 2, 3])), json!(6));
        assert_eq!(
            ok("Add", json!([{"key1": "value1"}, {"key2": "value2"}])),
            json!({"key1": "value1", "key2": "value2"})
        );
        assert_eq!(
            ok("Add", json!([["a", "b"], ["c", "d"]])),
            json!(["a", "b", "c", "d"])
        );
    }

    #[test]
    fn merge_map_to_list_repeats_the_last_value_of_short_lists() {
        assert_eq!(
            ok(
                "MergeMapToList",
                json!([{"k1": ["a1", "a2"]}, {"k2": ["b1", "b2", "b3"]}])
            ),
            json!([
                {"k1": "a1", "k2": "b1"},
                {"k1": "a2", "k2": "b2"},
                {"k1": "a2", "k2": "b3"},
            ])
        );
    }

    #[test]
    fn calculate_follows_the_documented_examples() {
        assert_eq!(ok("Calculate", json!(["(2+3)/2*3-1", 1])), json!(5));
        assert_eq!(ok("Calculate", json!(["(2.0+3)/2*3-1", 1])), json!(6.5));
        assert_eq!(
            ok("Calculate", json!(["({1}+3)/2*3-1", 1, [3, 5, 6]])),
            json!(11)
        );
        assert_eq!(ok("Calculate", json!(["({0}+{1})%3", 0, [5, 6]])), json!(2));
        assert!(matches!(
            apply("Calculate", json!(["1/0", 0]), u64::MAX),
            Err(Failure::Invalid(_))
        ));
        assert!(matches!(
            apply("Calculate", json!(["((((1", 0]), u64::MAX),
            Err(Failure::Invalid(_))
        ));
    }

    #[test]
    fn unknown_arguments_make_unknown_results_that_keep_the_reference() {
        let vpc = unknown_ref("vpc id", "Vpc");
        let Err(Failure::Unknown(result)) = apply("Join", json!(["/", ["a", vpc]]), u64::MAX)
        else {
            panic!("expected unknown");
        };
        assert_eq!(result["$unknown"]["refers"], json!("Vpc"));
        // `Fn::Select` of a known item of a list that also holds an unknown.
        assert_eq!(ok("Select", json!([0, ["a", unknown("x")]])), json!("a"));
    }

    #[test]
    fn wrong_shapes_are_invalid() {
        for (name, argument) in [
            ("Join", json!("x")),
            ("Select", json!([5, ["a"]])),
            ("Select", json!([-1, ["a"]])),
            ("Split", json!(["", "abc"])),
            ("Index", json!(["z", ["a"]])),
            ("Add", json!([1, "a"])),
            ("Max", json!([])),
        ] {
            assert!(
                matches!(apply(name, argument, u64::MAX), Err(Failure::Invalid(_))),
                "{name}"
            );
        }
    }

    #[test]
    fn growing_functions_stop_before_building_a_value_over_the_limit() {
        let chain = json!([{"a": "aaaaaaaaaa"}, "aaaaaaaaaa"]);
        assert_eq!(
            apply("Replace", chain.clone(), 1000).unwrap(),
            json!("a".repeat(100))
        );
        assert!(matches!(
            apply("Replace", chain, 99),
            Err(Failure::TooLarge(100))
        ));
        let many = json!(["", vec!["x"; 1000]]);
        assert!(matches!(
            apply("Join", many, 100),
            Err(Failure::TooLarge(101))
        ));
        let long: Vec<u32> = (0..1000).collect();
        let wide = json!([{"a": long, "b": ["y"], "c": ["z"]}]);
        assert!(matches!(
            apply("MergeMapToList", wide, 1000),
            Err(Failure::TooLarge(_))
        ));
    }
}
