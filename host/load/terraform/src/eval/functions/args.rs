//! Typed access to a call's arguments, with Terraform's automatic conversions (numbers
//! and bools to strings, numeric strings to numbers) and its error messages.

use std::collections::BTreeMap;

use super::{FunctionContext, FunctionError, invalid, unknown_result};
use crate::eval::value::{Value, format_number};

/// The arguments of one call, and what the call may read.
pub(crate) struct Args<'a> {
    pub name: &'a str,
    values: Vec<Value>,
    pub context: &'a FunctionContext<'a>,
}

impl<'a> Args<'a> {
    pub fn new(name: &'a str, values: Vec<Value>, context: &'a FunctionContext<'a>) -> Self {
        Args {
            name,
            values,
            context,
        }
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Argument `i` as given (callers have checked the arity).
    pub fn value(&self, i: usize) -> &Value {
        self.values.get(i).unwrap_or(&Value::Null)
    }

    /// The arguments from `i` on.
    pub fn rest(&self, i: usize) -> &[Value] {
        self.values.get(i..).unwrap_or_default()
    }

    /// Refuses to build a value of `bytes` bytes over the size of one value.
    pub fn fits(&self, bytes: usize) -> Result<(), FunctionError> {
        super::fits(self.name, bytes, &self.context.limits)
    }

    /// An error about argument `i` (1-based in the message, as Terraform counts).
    pub fn error(&self, i: usize, message: impl std::fmt::Display) -> FunctionError {
        invalid(format!(
            "invalid argument {} to `{}`: {message}",
            i + 1,
            self.name
        ))
    }

    /// The result to give when argument `i` itself is unknown.
    pub fn unknown_at(&self, i: usize) -> Option<Value> {
        match self.value(i) {
            Value::Unknown(unknown) => Some(unknown_result(self.name, unknown)),
            _ => None,
        }
    }

    /// The result to give when anything inside argument `i` is unknown.
    pub fn unknown_within(&self, i: usize) -> Option<Value> {
        self.value(i)
            .first_unknown()
            .map(|unknown| unknown_result(self.name, unknown))
    }

    /// Argument `i` converted to a string.
    pub fn string(&self, i: usize) -> Result<String, FunctionError> {
        to_string(self.value(i)).map_err(|message| self.error(i, message))
    }

    /// Argument `i` converted to a number.
    pub fn number(&self, i: usize) -> Result<f64, FunctionError> {
        to_number(self.value(i)).map_err(|message| self.error(i, message))
    }

    /// Argument `i` as a whole number.
    pub fn integer(&self, i: usize) -> Result<i64, FunctionError> {
        let number = self.number(i)?;
        whole(number).ok_or_else(|| self.error(i, "a whole number is required"))
    }

    /// Argument `i` converted to a bool.
    pub fn bool(&self, i: usize) -> Result<bool, FunctionError> {
        to_bool(self.value(i)).map_err(|message| self.error(i, message))
    }

    /// Argument `i` as a list, tuple or set.
    pub fn list(&self, i: usize) -> Result<&[Value], FunctionError> {
        match self.value(i) {
            Value::List(items) => Ok(items),
            Value::Null => Err(self.error(i, "a list must not be null")),
            other => Err(self.error(i, format!("a list is required, not {}", other.type_name()))),
        }
    }

    /// Argument `i` as a map or object.
    pub fn object(&self, i: usize) -> Result<&BTreeMap<String, Value>, FunctionError> {
        match self.value(i) {
            Value::Object(map) => Ok(map),
            Value::Null => Err(self.error(i, "a map must not be null")),
            other => Err(self.error(i, format!("a map is required, not {}", other.type_name()))),
        }
    }

    /// Argument `i` as a list of strings (elements converted, none null).
    pub fn strings(&self, i: usize) -> Result<Vec<String>, FunctionError> {
        self.list(i)?
            .iter()
            .enumerate()
            .map(|(index, item)| {
                to_string(item)
                    .map_err(|message| self.error(i, format!("element {index}: {message}")))
            })
            .collect()
    }
}

/// A primitive value as a string, as Terraform converts it.
pub(crate) fn to_string(value: &Value) -> Result<String, String> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(format_number(*n)),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Null => Err("the value must not be null".into()),
        other => Err(format!("a string is required, not {}", other.type_name())),
    }
}

/// A value as a number, as Terraform converts it.
pub(crate) fn to_number(value: &Value) -> Result<f64, String> {
    match value {
        Value::Number(n) => Ok(*n),
        Value::String(s) => parse_number(s).ok_or_else(|| format!("{s:?} is not a number")),
        Value::Null => Err("the value must not be null".into()),
        other => Err(format!("a number is required, not {}", other.type_name())),
    }
}

/// A string in Terraform's number syntax: decimal, optional sign, fraction and exponent.
pub(crate) fn parse_number(s: &str) -> Option<f64> {
    let valid = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'));
    valid
        .then(|| s.parse::<f64>().ok())
        .flatten()
        .filter(|n| n.is_finite())
}

/// A value as a bool, as Terraform converts it.
pub(crate) fn to_bool(value: &Value) -> Result<bool, String> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s == "true" => Ok(true),
        Value::String(s) if s == "false" => Ok(false),
        Value::String(s) => Err(format!(
            "{s:?} is not a bool: only \"true\" and \"false\" are"
        )),
        Value::Null => Err("the value must not be null".into()),
        other => Err(format!("a bool is required, not {}", other.type_name())),
    }
}

/// The number as an `i64` when it is whole and in range.
pub(crate) fn whole(number: f64) -> Option<i64> {
    (number.fract() == 0.0 && number.abs() < 9.2e18).then_some(number as i64)
}
