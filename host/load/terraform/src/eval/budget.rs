//! What evaluating one document set (a root module and every module it calls) may
//! spend: resource and module instances, bytes of values, and nesting. One [`Budget`] is
//! shared by every module instance of the set; its counters are checked where values are
//! built, at a constant cost per value.

use std::cell::Cell;

use palisade_model::{Limit, Limits};

use super::value::Value;

/// The counters of one document set's evaluation against its [`Limits`].
pub struct Budget {
    pub limits: Limits,
    instances: Cell<u64>,
    evaluated: Cell<u64>,
    depth: Cell<u64>,
    /// Set once the evaluated bytes went over their limit: from then on nothing more is
    /// evaluated, so that loops around the expression that did it end quickly.
    exhausted: Cell<bool>,
}

/// Holds one level of nesting until dropped.
pub struct Level<'b>(&'b Budget);

impl Drop for Level<'_> {
    fn drop(&mut self) {
        self.0.depth.set(self.0.depth.get() - 1);
    }
}

impl Budget {
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            instances: Cell::new(0),
            evaluated: Cell::new(0),
            depth: Cell::new(0),
            exhausted: Cell::new(false),
        }
    }

    /// Enters one level of nesting, or says why not: too deep, or the evaluated bytes
    /// are spent (then `Err(None)`: the error was reported where that happened).
    pub fn enter(&self) -> Result<Level<'_>, Option<String>> {
        if self.exhausted.get() {
            return Err(None);
        }
        let depth = self.depth.get() + 1;
        if depth > self.limits.depth {
            let what = format!("expressions and references nested {depth} deep");
            return Err(Some(self.limits.exceeded(Limit::Depth, what)));
        }
        self.depth.set(depth);
        Ok(Level(self))
    }

    /// Whether the evaluated bytes went over their limit.
    pub fn exhausted(&self) -> bool {
        self.exhausted.get()
    }

    /// Counts `bytes` more of computed values.
    pub fn spend(&self, bytes: u64) -> Result<(), String> {
        let total = self.evaluated.get().saturating_add(bytes);
        self.evaluated.set(total);
        if total > self.limits.evaluated_size && !self.exhausted.replace(true) {
            let what = format!("the values computed for this configuration reach {total} bytes");
            return Err(self.limits.exceeded(Limit::EvaluatedSize, what));
        }
        Ok(())
    }

    /// Checks that a value just built fits: its size, its nesting (what is built from
    /// it is walked by recursion, here and by what reads the resources), and what the
    /// evaluation computed in all.
    pub fn account(&self, value: &Value) -> Result<(), String> {
        let measure = value.measure();
        self.fits(measure.bytes)?;
        if measure.depth > self.limits.depth {
            let what = format!("a value nested {} deep", measure.depth);
            return Err(self.limits.exceeded(Limit::Depth, what));
        }
        self.spend(measure.bytes)
    }

    /// Checks that one value of `bytes` fits.
    pub fn fits(&self, bytes: u64) -> Result<(), String> {
        if bytes > self.limits.value_size {
            let what = format!("a value of {bytes} bytes");
            return Err(self.limits.exceeded(Limit::ValueSize, what));
        }
        Ok(())
    }

    /// Counts `count` more instances made by `what` (`` `count` ``, `` `for_each` ``).
    pub fn instances(&self, count: u64, what: &str) -> Result<(), String> {
        let limit = self.limits.instances;
        if count > limit {
            let message = format!("{what} makes {count} instances");
            return Err(self.limits.exceeded(Limit::Instances, message));
        }
        let total = self.instances.get().saturating_add(count);
        if total > limit {
            let message = format!("{what} brings this configuration to {total} instances");
            return Err(self.limits.exceeded(Limit::Instances, message));
        }
        self.instances.set(total);
        Ok(())
    }
}

/// How big a value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measure {
    /// About how many bytes it takes: its text, and a fixed cost per element, key and
    /// scalar.
    pub bytes: u64,
    /// How deeply its collections nest: 1 for a scalar.
    pub depth: u64,
}

impl Value {
    /// How big the value is. Walks the value, so it is only taken where the value was
    /// just built or copied at the same cost.
    pub fn measure(&self) -> Measure {
        const SCALAR: u64 = std::mem::size_of::<Value>() as u64;
        let text = |text: &str| Measure {
            bytes: SCALAR + text.len() as u64,
            depth: 1,
        };
        let nested = |inner: &mut dyn Iterator<Item = Measure>| {
            inner.fold(text(""), |total, m| Measure {
                bytes: total.bytes + m.bytes,
                depth: total.depth.max(m.depth + 1),
            })
        };
        match self {
            Value::String(s) => text(s),
            Value::Unknown(unknown) => text(&unknown.reason),
            Value::List(items) => nested(&mut items.iter().map(Value::measure)),
            Value::Object(map) => nested(&mut map.iter().map(|(k, v)| {
                let value = v.measure();
                Measure {
                    bytes: value.bytes + k.len() as u64 + SCALAR,
                    depth: value.depth,
                }
            })),
            Value::Null | Value::Bool(_) | Value::Number(_) => text(""),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_counted_and_released() {
        let budget = Budget::new(Limits {
            depth: 2,
            ..Limits::default()
        });
        let first = budget.enter().expect("level 1");
        let second = budget.enter().expect("level 2");
        let refused = budget.enter().err().flatten().expect("a depth error");
        assert!(refused.ends_with("over the limit of 2 levels (--max-depth)"));
        drop(second);
        drop(first);
        assert!(budget.enter().is_ok());
    }

    #[test]
    fn spent_bytes_are_reported_once_then_stop_evaluation() {
        let budget = Budget::new(Limits {
            evaluated_size: 10,
            ..Limits::default()
        });
        assert!(budget.spend(10).is_ok());
        let message = budget.spend(1).expect_err("over the limit");
        assert!(message.ends_with("(--max-evaluated-size)"), "{message}");
        assert!(budget.spend(1).is_ok(), "reported once");
        assert!(matches!(budget.enter(), Err(None)));
    }
}
