//! Terraform's built-in functions, computed as `terraform plan` computes them.
//!
//! [`call`] is the one entry point the expression evaluator uses. Every function is
//! described by a [`Builtin`] (its name, how many arguments it takes, whether it copes
//! with unknown arguments itself) in the table of its family; the dispatcher checks the
//! arity, and for functions that cannot see through unknown values, answers with an
//! unknown result before the function runs. A function that is not modelled is never
//! guessed at: [`FunctionError::Unmodelled`] lets the evaluator turn it into an unknown.

mod args;
mod collection;
mod conversion;
mod encoding;
mod filesystem;
mod format;
mod hash;
mod network;
mod numeric;
mod string;
mod time;

use std::collections::BTreeMap;
use std::path::Path;

use palisade_model::{Limit, Limits};

use super::value::{Unknown, Value};

pub(crate) use args::Args;
pub(crate) use encoding::json_text;

/// What file functions may read, and how `templatefile` renders: file functions must
/// never read outside what the user asked to scan.
pub struct FunctionContext<'a> {
    /// The directory relative paths resolve against (Terraform resolves them against
    /// its working directory, the root module's directory).
    pub module_dir: &'a Path,
    /// The directory the scan was asked for: no file outside it is ever read.
    pub scan_root: &'a Path,
    /// The files of a configuration held in memory (a ROS `Workspace`), by normalized
    /// path: when given, file functions read these and never the disk.
    pub memory: Option<&'a MemoryFiles>,
    /// What one value may take: no function builds a bigger one.
    pub limits: Limits,
    /// Renders a template text with variables (for `templatefile`); provided by the
    /// evaluator, whose errors in the template are the call's.
    pub render_template: &'a dyn Fn(&str, &BTreeMap<String, Value>) -> Called,
}

/// Files held in memory, by normalized path, with their text.
pub type MemoryFiles = BTreeMap<std::path::PathBuf, String>;

/// Why a function call has no value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FunctionError {
    /// The function is not modelled: the caller turns this into an unknown value
    /// ("function `foo` is not modelled"), never a crash and never a guess.
    #[error("the function is not modelled")]
    Unmodelled,
    /// The call is invalid (wrong argument count or type, out of range): Terraform would
    /// report an error; the caller reports it at the call's position.
    #[error("{0}")]
    Invalid(String),
}

/// What a function returns.
pub(crate) type Called = Result<Value, FunctionError>;

/// A function call that Terraform would reject, with its message.
pub(crate) fn invalid(message: impl Into<String>) -> FunctionError {
    FunctionError::Invalid(message.into())
}

/// Refuses to build a value of `bytes` bytes (or about, for collections: elements
/// times their least size) when one value may not take that much.
pub(crate) fn fits(name: &str, bytes: usize, limits: &Limits) -> Result<(), FunctionError> {
    if bytes as u64 > limits.value_size {
        let what = format!("`{name}` would build a value of {bytes} bytes");
        return Err(invalid(limits.exceeded(Limit::ValueSize, what)));
    }
    Ok(())
}

/// The least bytes one element of a collection takes.
pub(crate) const ELEMENT_BYTES: usize = std::mem::size_of::<Value>();

/// How many arguments a function takes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Arity {
    Exactly(usize),
    Between(usize, usize),
    AtLeast(usize),
}

/// What a function does with unknown arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unknowns {
    /// Any unknown anywhere in the arguments makes the result unknown.
    Propagate,
    /// The function sees unknown arguments and answers what Terraform can still answer.
    Handled,
}

/// One built-in function.
pub(crate) struct Builtin {
    pub name: &'static str,
    pub arity: Arity,
    pub unknowns: Unknowns,
    pub run: fn(&Args<'_>) -> Called,
}

impl Builtin {
    /// A function that needs every argument known.
    pub const fn known(name: &'static str, arity: Arity, run: fn(&Args<'_>) -> Called) -> Self {
        Builtin {
            name,
            arity,
            unknowns: Unknowns::Propagate,
            run,
        }
    }

    /// A function that deals with unknown arguments itself.
    pub const fn handles_unknowns(
        name: &'static str,
        arity: Arity,
        run: fn(&Args<'_>) -> Called,
    ) -> Self {
        Builtin {
            name,
            arity,
            unknowns: Unknowns::Handled,
            run,
        }
    }
}

/// Functions whose result is decided at apply time or by chance: always unknown.
const APPLY_TIME: &[(&str, Arity, &str)] = &[
    (
        "timestamp",
        Arity::Exactly(0),
        "the current time is only known at apply",
    ),
    (
        "plantimestamp",
        Arity::Exactly(0),
        "the plan's time is only known when planning",
    ),
    (
        "uuid",
        Arity::Exactly(0),
        "a random UUID is only known after apply",
    ),
    (
        "bcrypt",
        Arity::Between(1, 2),
        "a bcrypt hash uses a random salt, known only after apply",
    ),
];

/// Calls the built-in function `name` with evaluated arguments, as Terraform would.
pub fn call(name: &str, args: Vec<Value>, context: &FunctionContext<'_>) -> Called {
    if let Some((_, arity, reason)) = APPLY_TIME.iter().find(|(n, _, _)| *n == name) {
        check_arity(name, *arity, args.len())?;
        return Ok(Value::unknown(format!("`{name}`: {reason}")));
    }
    let builtin = [
        string::FUNCTIONS,
        format::FUNCTIONS,
        collection::FUNCTIONS,
        numeric::FUNCTIONS,
        encoding::FUNCTIONS,
        conversion::FUNCTIONS,
        network::FUNCTIONS,
        filesystem::FUNCTIONS,
        hash::FUNCTIONS,
        time::FUNCTIONS,
    ]
    .into_iter()
    .flatten()
    .find(|builtin| builtin.name == name)
    .ok_or(FunctionError::Unmodelled)?;
    check_arity(name, builtin.arity, args.len())?;
    if builtin.unknowns == Unknowns::Propagate
        && let Some(unknown) = args.iter().find_map(Value::first_unknown)
    {
        return Ok(unknown_result(name, unknown));
    }
    (builtin.run)(&Args::new(name, args, context))
}

/// The unknown result of `name` computed from `unknown`: its reason, prefixed with what
/// was being computed, and the resource it refers to.
pub(crate) fn unknown_result(name: &str, unknown: &Unknown) -> Value {
    Value::Unknown(Unknown {
        reason: format!("`{name}` of an unknown value: {}", unknown.reason),
        refers: unknown.refers.clone(),
    })
}

fn check_arity(name: &str, arity: Arity, given: usize) -> Result<(), FunctionError> {
    let (fits, expected) = match arity {
        Arity::Exactly(n) => (given == n, format!("{n}")),
        Arity::Between(min, max) => ((min..=max).contains(&given), format!("{min} to {max}")),
        Arity::AtLeast(min) => (given >= min, format!("at least {min}")),
    };
    if fits {
        Ok(())
    } else {
        Err(invalid(format!(
            "`{name}` takes {expected} argument(s), {given} given"
        )))
    }
}

#[cfg(test)]
pub(crate) mod testing;

#[cfg(test)]
mod tests {
    use super::testing::{call_ok, invalid_message, list, strs};
    use super::*;

    #[test]
    fn unknown_functions_and_provider_functions_are_unmodelled() {
        let context = testing::Context::new();
        assert_eq!(
            call("no_such_function", vec![], &context.get()),
            Err(FunctionError::Unmodelled)
        );
        assert_eq!(
            call("provider::aws::arn_parse", vec!["x".into()], &context.get()),
            Err(FunctionError::Unmodelled)
        );
    }

    #[test]
    fn wrong_argument_counts_are_invalid() {
        assert!(invalid_message("upper", vec![]).contains("takes 1"));
        assert!(invalid_message("join", vec![",".into()]).contains("at least 2"));
        assert!(invalid_message("timestamp", vec!["x".into()]).contains("takes 0"));
    }

    #[test]
    fn apply_time_functions_are_unknown() {
        for name in ["timestamp", "plantimestamp", "uuid"] {
            assert!(call_ok(name, vec![]).is_unknown(), "{name}");
        }
        assert!(call_ok("bcrypt", vec!["secret".into()]).is_unknown());
    }

    #[test]
    fn unknown_arguments_make_unknown_results_with_the_reason() {
        let names = Value::reference("var.names has no value", "var.names");
        let result = call_ok("join", vec![",".into(), list(vec!["a".into(), names])]);
        assert_eq!(
            result,
            Value::Unknown(Unknown {
                reason: "`join` of an unknown value: var.names has no value".into(),
                refers: Some("var.names".into()),
            })
        );
        assert_eq!(call_ok("upper", vec!["a".into()]), "A".into());
        assert_eq!(call_ok("split", vec![",".into(), "a".into()]), strs(&["a"]));
    }
}
