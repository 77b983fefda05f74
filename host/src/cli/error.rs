//! Why a command stopped: [`main`](super::main) prints the error once, as
//! `error: ...` on standard error, and exits 2.

use std::path::PathBuf;

use crate::config::ConfigError;
use crate::engine::EngineError;
use crate::pipeline::baseline::BaselineError;
use palisade_model::Problem;

/// What kept a command from doing what it was asked.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Baseline(#[from] BaselineError),
    #[error("cannot start the policy sandbox: {0}")]
    Engine(#[from] EngineError),
    #[error("cannot write {}: {source}", file.display())]
    Write {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write to standard output: {0}")]
    Stdout(#[source] std::io::Error),
    /// Policies that could not be loaded, one message each.
    #[error("{}", messages(.0.iter().map(Problem::message)))]
    Problems(Vec<Problem>),
    /// Several errors, each said on its own line.
    #[error("{}", messages(.0.iter().map(ToString::to_string)))]
    Several(Vec<CliError>),
    /// A request that cannot be carried out, said as it is.
    #[error("{0}")]
    Refused(String),
}

impl From<String> for CliError {
    fn from(message: String) -> Self {
        CliError::Refused(message)
    }
}

/// What joins the messages of several errors, each then printed after its own `error: `.
pub(super) const SEPARATOR: &str = "\nerror: ";

/// Messages joined so that each is printed after its own `error: `.
fn messages<S: AsRef<str>>(messages: impl Iterator<Item = S>) -> String {
    messages
        .map(|message| message.as_ref().to_owned())
        .collect::<Vec<_>>()
        .join(SEPARATOR)
}

/// A run whose policies all loaded passes; otherwise it is an error naming them.
pub fn problems_verdict(problems: Vec<Problem>) -> Result<palisade_model::Verdict, CliError> {
    if problems.is_empty() {
        Ok(palisade_model::Verdict::Pass)
    } else {
        Err(CliError::Problems(problems))
    }
}
