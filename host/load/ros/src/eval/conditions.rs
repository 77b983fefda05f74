//! The `Conditions` section and the condition functions (`Fn::Equals`, `Fn::And`,
//! `Fn::Or`, `Fn::Not`, `{"Condition": name}`).
//!
//! A condition is true, false, or unknown with a reason (`Err`). Each named condition is
//! evaluated once; one that depends on itself is an error and unknown. `Fn::And` is false
//! as soon as one operand is false and `Fn::Or` true as soon as one is true, even when
//! others are unknown.

use serde_json::Value;

use super::{MAX_DEPTH, Template, find_unknown, parameters::text_of};
use crate::intrinsic::call;
use palisade_model::UnknownMarker;
use palisade_syntax::{Node, NodeValue};

/// True, false, or unknown for the reason given.
pub type Truth = Result<bool, String>;

/// How far the evaluation of a named condition has come.
#[derive(Debug, Clone)]
pub enum State {
    InProgress,
    /// In progress, and found to depend on itself (reported once, at the first place).
    Cycle,
    Done(Truth),
}

impl Template<'_> {
    /// The truth of the condition named `name`, referred to at `at`.
    pub fn condition(&self, name: &str, at: &Node, depth: usize) -> Truth {
        let state = self.truths.borrow().get(name).cloned();
        match state {
            Some(State::Done(truth)) => return truth,
            Some(State::InProgress) => {
                let message = format!("condition `{name}` depends on itself");
                self.problem(at, message.clone());
                self.truths
                    .borrow_mut()
                    .insert(name.to_owned(), State::Cycle);
                return Err(message);
            }
            Some(State::Cycle) => return Err(format!("condition `{name}` depends on itself")),
            None => {}
        }
        let Some(definition) = self.conditions.get(name).copied() else {
            let message = format!("condition `{name}` is not defined in `Conditions`");
            self.problem(at, message.clone());
            return Err(message);
        };
        self.truths
            .borrow_mut()
            .insert(name.to_owned(), State::InProgress);
        let truth = self.shared(|| self.truth(definition, depth + 1));
        self.truths
            .borrow_mut()
            .insert(name.to_owned(), State::Done(truth.clone()));
        truth
    }

    /// The truth of a condition expression.
    pub fn truth(&self, node: &Node, depth: usize) -> Truth {
        if depth > MAX_DEPTH {
            let message = format!("conditions nested deeper than {MAX_DEPTH} levels");
            self.problem(node, message.clone());
            return Err(message);
        }
        if let Some(entry) = node
            .get("Condition")
            .filter(|_| node.as_object().map(<[_]>::len) == Some(1))
        {
            return match entry.value.as_str() {
                Some(name) => self.condition(name, &entry.value, depth + 1),
                None => self.invalid(node, "`Condition` takes a condition name"),
            };
        }
        let Some((name, argument)) = call(node) else {
            return self.truth_of_value(node, depth);
        };
        let operands = match &argument.value {
            NodeValue::Array(items) => items.as_slice(),
            _ => std::slice::from_ref(argument),
        };
        match name {
            "Equals" => {
                let [left, right] = operands else {
                    return self.invalid(node, "`Fn::Equals` takes [value, value]");
                };
                let (left, right) = (self.value(left, depth + 1), self.value(right, depth + 1));
                if let Some(unknown) = find_unknown(&left).or_else(|| find_unknown(&right)) {
                    return Err(reason_of(unknown));
                }
                Ok(equal(&left, &right))
            }
            "Not" => {
                let [operand] = operands else {
                    return self.invalid(node, "`Fn::Not` takes one condition");
                };
                self.operand(operand, depth).map(|truth| !truth)
            }
            "And" | "Or" => {
                if operands.len() < 2 {
                    let message = format!("`Fn::{name}` takes at least two conditions");
                    return self.invalid(node, &message);
                }
                // `And` stops at the first false, `Or` at the first true.
                let decisive = name == "Or";
                let mut unknown = None;
                for operand in operands {
                    match self.operand(operand, depth) {
                        Ok(truth) if truth == decisive => return Ok(decisive),
                        Ok(_) => {}
                        Err(reason) => unknown = unknown.or(Some(reason)),
                    }
                }
                unknown.map_or(Ok(!decisive), Err)
            }
            _ => self.truth_of_value(node, depth),
        }
    }

    /// An operand of `Fn::And`, `Fn::Or` or `Fn::Not`: a condition name or expression.
    fn operand(&self, node: &Node, depth: usize) -> Truth {
        match node.as_str() {
            Some(name) if self.conditions.contains_key(name) => {
                self.condition(name, node, depth + 1)
            }
            _ => self.truth(node, depth + 1),
        }
    }

    /// A value used as a condition: a boolean, or `"true"`/`"false"`.
    fn truth_of_value(&self, node: &Node, depth: usize) -> Truth {
        match self.value(node, depth + 1) {
            Value::Bool(truth) => Ok(truth),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
            value => match find_unknown(&value) {
                Some(unknown) => Err(reason_of(unknown)),
                None => self.invalid(node, "a condition must be a boolean"),
            },
        }
    }

    fn invalid(&self, node: &Node, message: &str) -> Truth {
        self.problem(node, message.to_owned());
        Err(message.to_owned())
    }
}

/// Whether two values are equal as `Fn::Equals` compares them: scalars by their text
/// (`1` equals `"1"`), the rest structurally.
fn equal(left: &Value, right: &Value) -> bool {
    match (left, right) {
        (Value::Array(_) | Value::Object(_), _) | (_, Value::Array(_) | Value::Object(_)) => {
            left == right
        }
        _ => text_of(left) == text_of(right),
    }
}

/// The reason an unknown value is unknown.
pub fn reason_of(unknown: &Value) -> String {
    UnknownMarker::read(unknown)
        .map_or("unknown value", |marker| marker.reason)
        .to_owned()
}
