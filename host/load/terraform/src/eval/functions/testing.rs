//! Shorthands for the functions' unit tests.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{FunctionContext, FunctionError, call};
use crate::eval::value::Value;

/// A context whose module directory and scan root are `root`, rendering templates by
/// substituting `${name}` with string variables (enough to see `templatefile` pass them).
pub struct Context {
    root: PathBuf,
}

impl Context {
    pub fn new() -> Self {
        Context::at(Path::new("."))
    }

    pub fn at(root: &Path) -> Self {
        Context {
            root: root.to_path_buf(),
        }
    }

    pub fn get(&self) -> FunctionContext<'_> {
        FunctionContext {
            module_dir: &self.root,
            scan_root: &self.root,
            memory: None,
            limits: palisade_model::Limits::default(),
            render_template: &render,
        }
    }
}

fn render(text: &str, vars: &BTreeMap<String, Value>) -> super::Called {
    let mut out = text.to_owned();
    for (name, value) in vars {
        if let Some(text) = value.to_text() {
            out = out.replace(&format!("${{{name}}}"), &text);
        }
    }
    Ok(Value::String(out))
}

/// The call's result, failing the test when it is an error.
pub fn call_ok(name: &str, args: Vec<Value>) -> Value {
    match call(name, args, &Context::new().get()) {
        Ok(value) => value,
        Err(error) => panic!("`{name}` failed: {error:?}"),
    }
}

/// The call's error message, failing the test when it succeeds or is unmodelled.
pub fn invalid_message(name: &str, args: Vec<Value>) -> String {
    match call(name, args, &Context::new().get()) {
        Err(FunctionError::Invalid(message)) => message,
        other => panic!("`{name}` should be invalid, got {other:?}"),
    }
}

/// A string value.
pub fn s(text: &str) -> Value {
    text.into()
}

/// A number value.
pub fn n(number: f64) -> Value {
    number.into()
}

pub fn list(items: Vec<Value>) -> Value {
    Value::List(items)
}

pub fn strs(items: &[&str]) -> Value {
    Value::List(items.iter().map(|s| Value::from(*s)).collect())
}

pub fn nums(items: &[f64]) -> Value {
    Value::List(items.iter().map(|n| Value::Number(*n)).collect())
}

pub fn object(entries: &[(&str, Value)]) -> Value {
    Value::Object(
        entries
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
    )
}

pub fn unknown(reason: &str) -> Value {
    Value::unknown(reason)
}
