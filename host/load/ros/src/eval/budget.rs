//! What evaluating one template may compute: a few functions make values far larger than
//! the template (`Fn::Replace` of a chain of keys, `Fn::Join` of a reference repeated,
//! `Fn::MergeMapToList` of a long list with many keys), so a template of a few megabytes
//! could otherwise make gigabytes. Every value a function makes counts against the size of
//! one value (`--max-value-size`) and the total of the template (`--max-evaluated-size`);
//! a function that would grow past the size of one value checks before it builds.

use std::cell::{Cell, RefCell};

use serde_json::Value;

use palisade_model::{Limit, Limits, unknown};
use palisade_syntax::Node;

use super::SourceError;

/// The bytes of values computed so far, and the problem of going over the total.
pub struct Budget {
    limits: Limits,
    spent: Cell<u64>,
    /// Reported once, whatever evaluation was running (even one whose problems are
    /// dropped), since everything after it is unknown.
    exhausted: RefCell<Option<SourceError>>,
}

impl Budget {
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            spent: Cell::new(0),
            exhausted: RefCell::new(None),
        }
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The largest value one function may make.
    pub fn max_value(&self) -> u64 {
        self.limits.value_size
    }

    /// The message for `Fn::name` making a value of at least `size` bytes.
    pub fn too_large(&self, name: &str, size: u64) -> String {
        self.limits.exceeded(
            Limit::ValueSize,
            format!("`Fn::{name}` makes a value of at least {size} bytes"),
        )
    }

    /// Why nothing more is evaluated, once the template's total is spent.
    pub fn spent_reason(&self) -> Option<Value> {
        self.exhausted
            .borrow()
            .as_ref()
            .map(|(_, message)| unknown(format!("not evaluated: {message}")))
    }

    /// Counts `value`, made by `Fn::name` at `node`, unless it is larger than one value
    /// may be or spends the template's total (reported once, by [`Budget::problem`]).
    pub fn charge(&self, name: &str, node: &Node, value: &Value) -> Result<(), Over> {
        let max = self.limits.value_size;
        let size = size_of(value, max);
        if size > max {
            return Err(Over::Value(self.too_large(name, size)));
        }
        let spent = self.spent.get().saturating_add(size);
        self.spent.set(spent);
        if spent > self.limits.evaluated_size {
            let message = self.limits.exceeded(
                Limit::EvaluatedSize,
                format!("the values computed for this template reach {spent} bytes"),
            );
            self.exhausted
                .borrow_mut()
                .get_or_insert_with(|| (node.span.clone(), message.clone()));
            return Err(Over::Total(message));
        }
        Ok(())
    }

    /// The problem of spending the template's total, if it was.
    pub fn problem(&self) -> Option<SourceError> {
        self.exhausted.borrow().clone()
    }
}

/// The size of a collection written in a template, counted as its items are built, so
/// that a list of ten million numbers stops at the value size rather than after it is
/// built.
#[derive(Default)]
pub struct Size(u64);

impl Size {
    /// Adds `item`, or says that the collection went over one value's size (once the
    /// template's total is spent, its unknowns say so instead, already reported).
    pub fn add(&mut self, budget: &Budget, item: &Value) -> Result<(), Over> {
        const PER_ITEM: u64 = std::mem::size_of::<Value>() as u64;
        let max = budget.limits.value_size;
        self.0 = self.0.saturating_add(size_of(item, max) + PER_ITEM);
        if self.0 <= max {
            return Ok(());
        }
        if let Some((_, message)) = budget.exhausted.borrow().as_ref() {
            return Err(Over::Total(format!("not evaluated: {message}")));
        }
        let what = format!("a value of more than {} bytes", self.0);
        Err(Over::Value(budget.limits.exceeded(Limit::ValueSize, what)))
    }
}

/// Why a value was not kept: the problem to report at the function (a value too large),
/// or the reason of its unknown (the total spent, reported once already).
pub enum Over {
    Value(String),
    Total(String),
}

/// The size of `value` written as JSON, give or take the punctuation, counted only until
/// it passes `cap` (a result above `cap` is at least that large).
pub fn size_of(value: &Value, cap: u64) -> u64 {
    let mut size = 0u64;
    add_size(value, cap, &mut size);
    size
}

fn add_size(value: &Value, cap: u64, size: &mut u64) {
    if *size > cap {
        return;
    }
    match value {
        Value::Null | Value::Bool(_) => *size += 5,
        Value::Number(_) => *size += 8,
        Value::String(s) => *size += s.len() as u64 + 2,
        Value::Array(items) => {
            *size += 2;
            for item in items {
                *size += 1;
                add_size(item, cap, size);
            }
        }
        Value::Object(object) => {
            *size += 2;
            for (key, item) in object {
                *size += key.len() as u64 + 4;
                add_size(item, cap, size);
            }
        }
    }
}
