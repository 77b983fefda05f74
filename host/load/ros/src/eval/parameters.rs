//! Template parameters: the values a user gives (`--parameters FILE`, `--param KEY=VALUE`),
//! each parameter's `Default`, and the conversion of a value to the parameter's `Type`.
//!
//! A parameter that has neither a given value nor a default is unknown, with a reason
//! that says how to give it one. A value that is not of the parameter's type, or not
//! among its `AllowedValues`, is an error at the value and makes the parameter unknown.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::node_to_json;
use palisade_model::{LoadError, Location, Position, Setting, unknown};
use palisade_syntax::{Entry, Node, NodeValue};
use palisade_syntax::{json, source, yaml};

/// What the user gave for a template's parameters: `--parameters` files and `--param`
/// options in command-line order, so that the later of the two wins.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RosInputs {
    pub args: Vec<RosInput>,
}

/// One `--parameters FILE` or `--param KEY=VALUE` option.
#[derive(Debug, Clone, PartialEq)]
pub enum RosInput {
    /// A JSON or YAML file: an object `{Key: Value}`, or the `aliyun ros` list
    /// `[{"ParameterKey": ..., "ParameterValue": ...}]`.
    File(PathBuf),
    /// `--param KEY=VALUE`, as `(KEY, VALUE)`.
    Param(String, String),
}

/// A value given for a parameter, and where it was given (for messages and origins).
#[derive(Debug, Clone, PartialEq)]
pub struct Given {
    pub value: Value,
    pub origin: Setting,
}

/// The values `inputs` give, by parameter key (the last one given wins), and the
/// problems reading them. Files larger than `max_file_size` bytes are reported, not read.
pub fn given(inputs: &RosInputs, max_file_size: u64) -> (HashMap<String, Given>, Vec<LoadError>) {
    let mut values = HashMap::new();
    let mut errors = Vec::new();
    for input in &inputs.args {
        match input {
            RosInput::Param(key, value) => {
                let given = Given {
                    value: Value::String(value.clone()),
                    origin: Setting::Flag("--param"),
                };
                values.insert(key.clone(), given);
            }
            RosInput::File(file) => match read_file(file, max_file_size) {
                Ok(pairs) => values.extend(pairs),
                Err(error) => errors.push(error),
            },
        }
    }
    (values, errors)
}

fn read_file(file: &Path, max_file_size: u64) -> Result<Vec<(String, Given)>, LoadError> {
    let text = source::read_text(file, max_file_size)?;
    let is_json =
        file.extension().is_some_and(|e| e == "json") || text.trim_start().starts_with(['{', '[']);
    let root = if is_json {
        json::parse(file, &text)?
    } else {
        yaml::parse(file, &text)?
    };
    let error = |offset: usize, message: &str| LoadError {
        file: file.to_path_buf(),
        position: Position::from_offset(&text, offset),
        message: message.to_owned(),
    };
    let origin =
        |offset: usize| Setting::File(Location::new(file, Position::from_offset(&text, offset)));
    let Some(root) = root else {
        return Ok(Vec::new());
    };
    match &root.value {
        NodeValue::Object(entries) => Ok(entries
            .iter()
            .map(|entry| {
                let given = Given {
                    value: node_to_json(&entry.value),
                    origin: origin(entry.key_span.start),
                };
                (entry.key.clone(), given)
            })
            .collect()),
        NodeValue::Array(items) => items
            .iter()
            .map(|item| {
                let key = item.get("ParameterKey").and_then(|e| e.value.as_str());
                let value = item.get("ParameterValue");
                match (key, value) {
                    (Some(key), Some(value)) => Ok((
                        key.to_owned(),
                        Given {
                            value: node_to_json(&value.value),
                            origin: origin(item.span.start),
                        },
                    )),
                    _ => Err(error(
                        item.span.start,
                        "a parameters list entry needs `ParameterKey` (a string) and `ParameterValue`",
                    )),
                }
            })
            .collect(),
        _ => Err(error(
            root.span.start,
            "a parameters file must be an object {Key: Value} or a list of \
             {ParameterKey, ParameterValue}",
        )),
    }
}

/// The resolved parameters of one template.
#[derive(Debug, Default)]
pub struct Parameters {
    /// One value per declared parameter (possibly unknown), plus given pseudo parameters.
    pub values: HashMap<String, Value>,
    /// Where each known value comes from: `default at t.yaml:4:16`, `--param`, ...
    pub origins: BTreeMap<String, Setting>,
}

/// A problem at a byte range of the template.
pub type SourceError = (Range<usize>, String);

/// Resolves the `Parameters` section `section` (absent for none) with the `given`
/// values; `file` names the template in origins.
pub fn resolve(
    section: Option<&Entry>,
    given: &HashMap<String, Given>,
    text: &str,
    file: &Path,
    problems: &mut Vec<SourceError>,
) -> Parameters {
    let mut parameters = Parameters::default();
    for (key, value) in given {
        if key.starts_with("ALIYUN::") {
            parameters.values.insert(key.clone(), value.value.clone());
            parameters.origins.insert(key.clone(), value.origin.clone());
        }
    }
    let Some(section) = section else {
        return parameters;
    };
    let Some(entries) = section.value.as_object() else {
        let message = format!(
            "`Parameters` must be a mapping, found {}",
            section.value.kind()
        );
        problems.push((section.value.span.clone(), message));
        return parameters;
    };
    for entry in entries {
        let name = &entry.key;
        let declaration = &entry.value;
        let field = |key: &str| declaration.get(key).map(|e| &e.value);
        let kind = field("Type").and_then(Node::as_str).unwrap_or("String");
        // The value, where to report a problem with it, and its origin.
        // `Default: null` is no default: the parameter is given at deployment.
        let default = field("Default").filter(|node| node.value != NodeValue::Null);
        let (raw, at, origin) = match (given.get(name), default) {
            (Some(given), _) => (
                given.value.clone(),
                field("AllowedValues").map_or(entry.key_span.clone(), |n| n.span.clone()),
                given.origin.clone(),
            ),
            (None, Some(default)) => {
                let position = Position::from_offset(text, default.span.start);
                let origin = Setting::Default(Location::new(file, position));
                (node_to_json(default), default.span.clone(), origin)
            }
            (None, None) => {
                let reason = format!(
                    "parameter `{name}` has no value (no Default; give one with \
                     --param {name}=VALUE or --parameters FILE)"
                );
                parameters.values.insert(name.clone(), unknown(reason));
                continue;
            }
        };
        let checked =
            convert(raw, kind).and_then(|value| check_allowed(value, field("AllowedValues")));
        let value = match checked {
            Ok(value) => {
                parameters.origins.insert(name.clone(), origin);
                value
            }
            Err(problem) => {
                let message = format!("invalid value for parameter `{name}` ({origin}): {problem}");
                problems.push((at, message.clone()));
                unknown(message)
            }
        };
        parameters.values.insert(name.clone(), value);
    }
    parameters
}

/// `value` as a parameter of type `kind` holds it.
fn convert(value: Value, kind: &str) -> Result<Value, String> {
    match (kind, value) {
        ("Number", Value::Number(n)) => Ok(Value::Number(n)),
        ("Number", Value::String(s)) => number(&s).ok_or_else(|| format!("`{s}` is not a number")),
        ("CommaDelimitedList", Value::String(s)) => Ok(Value::Array(
            s.split(',')
                .map(|item| Value::String(item.trim().to_owned()))
                .collect(),
        )),
        ("CommaDelimitedList", Value::Array(items)) => Ok(Value::Array(
            items
                .into_iter()
                .map(|item| Value::String(text_of(&item)))
                .collect(),
        )),
        ("Json", Value::String(s)) => {
            serde_json::from_str(&s).map_err(|e| format!("not valid JSON: {e}"))
        }
        ("Json", value @ (Value::Object(_) | Value::Array(_))) => Ok(value),
        ("Boolean", Value::Bool(b)) => Ok(Value::Bool(b)),
        ("Boolean", Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(Value::Bool(true)),
        ("Boolean", Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(Value::Bool(false)),
        ("Number" | "CommaDelimitedList" | "Json" | "Boolean", value) => Err(format!(
            "{} is not a {kind}",
            serde_json::to_string(&value).unwrap_or_default()
        )),
        // `String` and the `ALIYUN::OOS::...` types hold text.
        (_, value @ (Value::String(_) | Value::Number(_) | Value::Bool(_))) => {
            Ok(Value::String(text_of(&value)))
        }
        (_, value) => Ok(value),
    }
}

/// Checks `value` (each item of a list) against the `AllowedValues` node, if any.
fn check_allowed(value: Value, allowed: Option<&Node>) -> Result<Value, String> {
    let Some(NodeValue::Array(allowed)) = allowed.map(|n| &n.value) else {
        return Ok(value);
    };
    let allowed: Vec<String> = allowed.iter().map(|n| text_of(&node_to_json(n))).collect();
    let items = match &value {
        Value::Array(items) => items.iter().collect(),
        single => vec![single],
    };
    for item in items {
        let text = text_of(item);
        if !allowed.contains(&text) {
            return Err(format!(
                "`{text}` is not one of the AllowedValues ({})",
                allowed.join(", ")
            ));
        }
    }
    Ok(value)
}

/// A number from its text, as an integer when it is one.
pub fn number(text: &str) -> Option<Value> {
    let text = text.trim();
    if let Ok(i) = text.parse::<i64>() {
        return Some(Value::from(i));
    }
    text.parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .map(Value::Number)
}

/// The text of a scalar as ROS writes it into a string; other values as JSON.
pub fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
