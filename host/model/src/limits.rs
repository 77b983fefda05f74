//! The bounds on what one run may spend on its inputs: templates, plans and policies may
//! come from people the repository owner does not trust, so no input may make a run take
//! unbounded time, memory or stack.
//!
//! Going over a limit is an error located at the input that did it, and its message names
//! the command-line flag that raises the limit. Limits are set on the command line only:
//! `palisade.toml` is part of the repository under check, and a hostile change could
//! otherwise raise them for itself.

use std::fmt;

/// One of the [`Limits`], to name it in messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// Bytes of one file read.
    FileSize,
    /// Instances one `count`, `for_each` or ROS `Count` makes, and resources one document
    /// set expands to.
    Instances,
    /// Bytes of one value an evaluation computes (a string, a collection).
    ValueSize,
    /// Bytes of all the values computed while evaluating one document set.
    EvaluatedSize,
    /// Nesting of one evaluation: expressions inside expressions, a value that refers to
    /// a value that refers to another, templates rendering templates, module calls.
    Depth,
}

impl Limit {
    /// The flag that raises the limit.
    pub fn flag(self) -> &'static str {
        match self {
            Limit::FileSize => "--max-file-size",
            Limit::Instances => "--max-instances",
            Limit::ValueSize => "--max-value-size",
            Limit::EvaluatedSize => "--max-evaluated-size",
            Limit::Depth => "--max-depth",
        }
    }

    /// What the limit counts.
    pub fn unit(self) -> &'static str {
        match self {
            Limit::FileSize | Limit::ValueSize | Limit::EvaluatedSize => "bytes",
            Limit::Instances => "instances",
            Limit::Depth => "levels",
        }
    }
}

/// The limits of a run. The defaults are far above what real templates need and far
/// below what exhausts a CI runner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub file_size: u64,
    pub instances: u64,
    pub value_size: u64,
    pub evaluated_size: u64,
    pub depth: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            file_size: 32 * 1024 * 1024,
            instances: 100_000,
            value_size: 16 * 1024 * 1024,
            evaluated_size: 512 * 1024 * 1024,
            // A level is an expression inside another or a reference followed: chains of
            // a few thousand locals are legal and must evaluate. Evaluators size their
            // stacks for this many levels.
            depth: 10_000,
        }
    }
}

impl Limits {
    /// The value of `limit`.
    pub fn get(&self, limit: Limit) -> u64 {
        match limit {
            Limit::FileSize => self.file_size,
            Limit::Instances => self.instances,
            Limit::ValueSize => self.value_size,
            Limit::EvaluatedSize => self.evaluated_size,
            Limit::Depth => self.depth,
        }
    }

    /// The message for `what` going over `limit`:
    /// `` `count` is 1000000000, over the limit of 100000 instances (--max-instances) ``.
    pub fn exceeded(&self, limit: Limit, what: impl fmt::Display) -> String {
        format!(
            "{what}, over the limit of {} {} ({})",
            self.get(limit),
            limit.unit(),
            limit.flag()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_names_the_limit_and_its_flag() {
        let limits = Limits::default();
        assert_eq!(
            limits.exceeded(Limit::Instances, "`count` is 1000000000"),
            "`count` is 1000000000, over the limit of 100000 instances (--max-instances)"
        );
        assert_eq!(
            limits.exceeded(Limit::FileSize, "file is 40000000 bytes"),
            "file is 40000000 bytes, over the limit of 33554432 bytes (--max-file-size)"
        );
    }
}
