//! Terraform type constraints (`list(object({port = optional(number, 22)}))`) and the
//! conversions Terraform applies when a value meets one.
//!
//! A variable's value is converted to its declared type before anything reads it, so a
//! policy sees what `terraform plan` would: `"8080"` given for a `number` is `8080`, an
//! object given for `map(string)` has string values, and an attribute left out of an
//! `optional(T, default)` has its default. The rules and messages follow Terraform's
//! (go-cty's): a failed conversion says what was required and where inside the value.

use std::collections::BTreeMap;
use std::fmt;

use hcl_edit::expr::{Expression, FuncCall};

use super::value::Value;
use crate::hcl::object_key;

/// A type constraint as written in a `variable` block's `type`.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeConstraint {
    /// `any`: the value keeps its own type.
    Any,
    String,
    Number,
    Bool,
    List(Box<TypeConstraint>),
    Set(Box<TypeConstraint>),
    Map(Box<TypeConstraint>),
    Tuple(Vec<TypeConstraint>),
    Object(BTreeMap<String, Attribute>),
}

/// One attribute of an `object({...})` constraint.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub constraint: TypeConstraint,
    /// Declared with `optional(...)`: it may be left out, and then takes `default`.
    pub optional: bool,
    /// The default of `optional(T, default)`, already converted to `T` (so its own
    /// optional attributes are filled in).
    pub default: Option<Value>,
}

impl TypeConstraint {
    /// Whether the constraint is `string`, `number` or `bool`: Terraform then takes a
    /// `-var` or `TF_VAR_` value as raw text rather than as an expression.
    pub fn is_primitive(&self) -> bool {
        matches!(
            self,
            TypeConstraint::String | TypeConstraint::Number | TypeConstraint::Bool
        )
    }

    /// How Terraform names the constraint in "... required" messages (`list of string`,
    /// `map of any single type`).
    fn friendly_name(&self) -> String {
        let element = |kind: &str, element: &TypeConstraint| match element {
            TypeConstraint::Any => format!("{kind} of any single type"),
            other => format!("{kind} of {}", other.friendly_name()),
        };
        match self {
            TypeConstraint::Any => "any type".to_owned(),
            TypeConstraint::String => "string".to_owned(),
            TypeConstraint::Number => "number".to_owned(),
            TypeConstraint::Bool => "bool".to_owned(),
            TypeConstraint::List(t) => element("list", t),
            TypeConstraint::Set(t) => element("set", t),
            TypeConstraint::Map(t) => element("map", t),
            TypeConstraint::Tuple(_) => "tuple".to_owned(),
            TypeConstraint::Object(_) => "object".to_owned(),
        }
    }
}

impl fmt::Display for TypeConstraint {
    /// The constraint in Terraform syntax, as it would be written in `type = ...`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeConstraint::Any => f.write_str("any"),
            TypeConstraint::String => f.write_str("string"),
            TypeConstraint::Number => f.write_str("number"),
            TypeConstraint::Bool => f.write_str("bool"),
            TypeConstraint::List(t) => write!(f, "list({t})"),
            TypeConstraint::Set(t) => write!(f, "set({t})"),
            TypeConstraint::Map(t) => write!(f, "map({t})"),
            TypeConstraint::Tuple(elements) => {
                f.write_str("tuple([")?;
                for (i, element) in elements.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{element}")?;
                }
                f.write_str("])")
            }
            TypeConstraint::Object(attributes) => {
                f.write_str("object({")?;
                for (i, (name, attribute)) in attributes.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    let constraint = &attribute.constraint;
                    match (&attribute.default, attribute.optional) {
                        (Some(default), _) => {
                            write!(f, "{name} = optional({constraint}, {default})")?
                        }
                        (None, true) => write!(f, "{name} = optional({constraint})")?,
                        (None, false) => write!(f, "{name} = {constraint}")?,
                    }
                }
                f.write_str("})")
            }
        }
    }
}

/// Reads a type constraint expression: keywords, constructor calls nested to any depth,
/// and the quoted forms of Terraform 0.11 (`"string"`, `"list"`, `"map"`).
pub fn parse(expr: &Expression) -> Result<TypeConstraint, String> {
    match expr {
        Expression::Variable(keyword) => keyword_type(keyword.as_str()),
        Expression::String(quoted) => match quoted.value().as_str() {
            "string" => Ok(TypeConstraint::String),
            "list" => Ok(TypeConstraint::List(Box::new(TypeConstraint::Any))),
            "map" => Ok(TypeConstraint::Map(Box::new(TypeConstraint::Any))),
            other => Err(format!("{other:?} is not a valid quoted type constraint")),
        },
        Expression::Parenthesis(inner) => parse(inner.inner()),
        Expression::FuncCall(call) => constructor(call),
        _ => Err(
            "a type constraint is a keyword (string, number, bool, any) or a type \
                  constructor call, like list(string)"
                .to_owned(),
        ),
    }
}

fn keyword_type(keyword: &str) -> Result<TypeConstraint, String> {
    match keyword {
        "any" => Ok(TypeConstraint::Any),
        "string" => Ok(TypeConstraint::String),
        "number" => Ok(TypeConstraint::Number),
        "bool" => Ok(TypeConstraint::Bool),
        "list" | "set" | "map" | "tuple" | "object" => Err(format!(
            "the {keyword} type constructor requires an argument, like {keyword}({})",
            match keyword {
                "tuple" => "[string]",
                "object" => "{name = string}",
                _ => "string",
            }
        )),
        _ => Err(format!("the keyword {keyword:?} is not a valid type")),
    }
}

fn constructor(call: &FuncCall) -> Result<TypeConstraint, String> {
    let name = call.name.name.as_str();
    if call.name.is_namespaced() {
        return Err(format!("{name:?} is not a type constructor"));
    }
    let argument = match (call.args.len(), call.args.get(0)) {
        (1, Some(argument)) if !call.args.expand_final() => argument,
        _ if name == "optional" => return Err(optional_misplaced()),
        _ => {
            return Err(format!(
                "the {name} type constructor takes exactly one argument"
            ));
        }
    };
    match name {
        "list" => Ok(TypeConstraint::List(Box::new(parse(argument)?))),
        "set" => Ok(TypeConstraint::Set(Box::new(parse(argument)?))),
        "map" => Ok(TypeConstraint::Map(Box::new(parse(argument)?))),
        "tuple" => match argument {
            Expression::Array(elements) => elements
                .iter()
                .map(parse)
                .collect::<Result<_, _>>()
                .map(TypeConstraint::Tuple),
            _ => Err("the tuple type constructor takes a list of element types".to_owned()),
        },
        "object" => object_type(argument),
        "optional" => Err(optional_misplaced()),
        _ => Err(format!("{name:?} is not a type constructor")),
    }
}

fn optional_misplaced() -> String {
    "optional(...) is only allowed as the type of an object attribute".to_owned()
}

fn object_type(argument: &Expression) -> Result<TypeConstraint, String> {
    let Expression::Object(items) = argument else {
        return Err("the object type constructor takes a map of attribute types".to_owned());
    };
    let mut attributes = BTreeMap::new();
    for (key, value) in items.iter() {
        let Some(name) = object_key(key) else {
            return Err("object attribute names must be literal".to_owned());
        };
        let attribute = attribute_type(value.expr())
            .map_err(|message| format!("attribute {name:?}: {message}"))?;
        if attributes.insert(name.clone(), attribute).is_some() {
            return Err(format!("attribute {name:?} is declared twice"));
        }
    }
    Ok(TypeConstraint::Object(attributes))
}

/// An attribute's type, which alone may be wrapped in `optional(T)` or
/// `optional(T, default)`.
fn attribute_type(expr: &Expression) -> Result<Attribute, String> {
    let call = match expr {
        Expression::FuncCall(call)
            if call.name.name.as_str() == "optional" && !call.name.is_namespaced() =>
        {
            call
        }
        _ => {
            return Ok(Attribute {
                constraint: parse(expr)?,
                optional: false,
                default: None,
            });
        }
    };
    let (constraint, default) = match (call.args.get(0), call.args.get(1), call.args.len()) {
        (Some(constraint), None, 1) => (parse(constraint)?, None),
        (Some(constraint), Some(default), 2) => {
            let constraint = parse(constraint)?;
            let default = convert(super::expr::constant(default), &constraint)
                .map_err(|message| format!("invalid default value: {message}"))?;
            (constraint, Some(default))
        }
        _ => return Err("optional(...) takes a type and, optionally, a default value".to_owned()),
    };
    Ok(Attribute {
        constraint,
        optional: true,
        default,
    })
}

/// Converts `value` to `constraint` as Terraform does when a value is assigned to a
/// variable: primitives convert through their text, tuples become lists or sets, objects
/// become maps or lose the attributes the type does not declare, and optional attributes
/// get their defaults. Null and unknown values convert to anything and stay what they are.
pub fn convert(value: Value, constraint: &TypeConstraint) -> Result<Value, String> {
    if matches!(value, Value::Null | Value::Unknown(_)) {
        return Ok(value);
    }
    let required = || Err(format!("{} required", constraint.friendly_name()));
    match constraint {
        TypeConstraint::Any => Ok(value),
        TypeConstraint::String => match value.to_text() {
            Some(text) => Ok(Value::String(text)),
            None => required(),
        },
        TypeConstraint::Number => match value {
            Value::Number(_) => Ok(value),
            Value::String(text) => parse_number(&text)
                .map(Value::Number)
                .ok_or_else(|| "a number is required".to_owned()),
            _ => required(),
        },
        TypeConstraint::Bool => match value {
            Value::Bool(_) => Ok(value),
            Value::String(text) => match text.as_str() {
                "true" | "1" => Ok(Value::Bool(true)),
                "false" | "0" => Ok(Value::Bool(false)),
                _ => Err("a bool is required".to_owned()),
            },
            _ => required(),
        },
        TypeConstraint::List(element) => match value {
            Value::List(items) => convert_elements(items, element, "list").map(Value::List),
            _ => required(),
        },
        TypeConstraint::Set(element) => match value {
            Value::List(items) => {
                let items = convert_elements(items, element, "set")?;
                Ok(Value::List(set_order(items)))
            }
            _ => required(),
        },
        TypeConstraint::Map(element) => match value {
            Value::Object(map) => convert_map(map, element).map(Value::Object),
            _ => required(),
        },
        TypeConstraint::Tuple(elements) => match value {
            Value::List(items) if items.len() == elements.len() => items
                .into_iter()
                .zip(elements)
                .enumerate()
                .map(|(i, (item, element))| {
                    convert(item, element).map_err(|message| format!("element {i}: {message}"))
                })
                .collect::<Result<_, _>>()
                .map(Value::List),
            Value::List(_) => Err(format!(
                "a tuple of {} elements is required",
                elements.len()
            )),
            _ => required(),
        },
        TypeConstraint::Object(attributes) => match value {
            Value::Object(map) => convert_object(map, attributes).map(Value::Object),
            _ => required(),
        },
    }
}

/// Terraform reads numbers from strings in decimal notation, surrounding spaces not
/// allowed.
fn parse_number(text: &str) -> Option<f64> {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'));
    text.parse().ok().filter(|n: &f64| plain && n.is_finite())
}

fn convert_elements(
    items: Vec<Value>,
    element: &TypeConstraint,
    kind: &str,
) -> Result<Vec<Value>, String> {
    if *element == TypeConstraint::Any {
        return unify(items, kind);
    }
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            convert(item, element).map_err(|message| format!("element {i}: {message}"))
        })
        .collect()
}

fn convert_map(
    map: BTreeMap<String, Value>,
    element: &TypeConstraint,
) -> Result<BTreeMap<String, Value>, String> {
    if *element == TypeConstraint::Any {
        let (keys, values): (Vec<_>, Vec<_>) = map.into_iter().unzip();
        return Ok(keys.into_iter().zip(unify(values, "map")?).collect());
    }
    map.into_iter()
        .map(|(key, item)| match convert(item, element) {
            Ok(item) => Ok((key, item)),
            Err(message) => Err(format!("element {key:?}: {message}")),
        })
        .collect()
}

/// The elements of a collection of `any`, which must share one type: mixed primitives
/// become strings when one of them is a string (`[1, "a"]` is `["1", "a"]`), other
/// mixes are an error. Lists and objects are kept as they are, whatever their contents.
fn unify(items: Vec<Value>, kind: &str) -> Result<Vec<Value>, String> {
    let mut kinds: Vec<&str> = items
        .iter()
        .filter(|item| !matches!(item, Value::Null | Value::Unknown(_)))
        .map(Value::type_name)
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    let structural = kinds.contains(&"list") || kinds.contains(&"object");
    match kinds.len() {
        0 | 1 => Ok(items),
        _ if kinds.contains(&"string") && !structural => items
            .into_iter()
            .map(|item| convert(item, &TypeConstraint::String))
            .collect(),
        _ => Err(format!("all {kind} elements must have the same type")),
    }
}

fn convert_object(
    mut map: BTreeMap<String, Value>,
    attributes: &BTreeMap<String, Attribute>,
) -> Result<BTreeMap<String, Value>, String> {
    let missing: Vec<&str> = attributes
        .iter()
        .filter(|(name, attribute)| !attribute.optional && !map.contains_key(*name))
        .map(|(name, _)| name.as_str())
        .collect();
    match missing.as_slice() {
        [] => {}
        [one] => return Err(format!("attribute {one:?} is required")),
        [first, second] => return Err(format!("attributes {first:?} and {second:?} are required")),
        [init @ .., last] => {
            let init: Vec<String> = init.iter().map(|name| format!("{name:?}")).collect();
            return Err(format!(
                "attributes {}, and {last:?} are required",
                init.join(", ")
            ));
        }
    }
    let mut converted = BTreeMap::new();
    for (name, attribute) in attributes {
        let value = match map.remove(name) {
            Some(Value::Null) | None if attribute.optional => {
                attribute.default.clone().unwrap_or(Value::Null)
            }
            Some(value) => convert(value, &attribute.constraint)
                .map_err(|message| format!("attribute {name:?}: {message}"))?,
            None => Value::Null,
        };
        converted.insert(name.clone(), value);
    }
    Ok(converted)
}

/// A set's elements: duplicates removed, and primitives of one type in Terraform's
/// iteration order (strings lexically, numbers ascending); other elements keep the order
/// they were given in.
pub fn set_order(items: Vec<Value>) -> Vec<Value> {
    let mut distinct: Vec<Value> = Vec::with_capacity(items.len());
    for item in items {
        if !distinct.contains(&item) {
            distinct.push(item);
        }
    }
    if distinct.iter().all(|item| matches!(item, Value::String(_))) {
        distinct.sort_by(|a, b| match (a, b) {
            (Value::String(a), Value::String(b)) => a.cmp(b),
            _ => std::cmp::Ordering::Equal,
        });
    } else if distinct.iter().all(|item| matches!(item, Value::Number(_))) {
        distinct.sort_by(|a, b| match (a, b) {
            (Value::Number(a), Value::Number(b)) => a.total_cmp(b),
            _ => std::cmp::Ordering::Equal,
        });
    }
    distinct
}

#[cfg(test)]
#[path = "tests/types.rs"]
mod tests;
