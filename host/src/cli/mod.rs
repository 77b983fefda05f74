//! The `palisade` command: parses arguments, runs one subcommand, prints its error if it
//! stopped on one, and maps its verdict to the exit code.

mod args;
mod build;
mod check;
mod error;
mod init;
mod new;
mod outputs;
mod policy;
mod precommit;
mod progress;
mod request;
mod rules;
mod test;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use crate::config::{Config, pins};
use crate::engine::{CacheMode, Engine, EngineOptions, Policy, default_cache_dir};
use crate::pipeline;
use args::{Cli, Command, PolicyArgs};
pub use error::CliError;
use palisade_model::{Limits, Place, Problem, Verdict, printable};

/// Runs the command line and returns the documented exit code.
pub fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };
    let verdict = match cli.command {
        Command::Check(args) => {
            request::resolve(args, matches.subcommand_matches("check")).and_then(check::run_check)
        }
        Command::Rules(args) => rules::run_rules(&args),
        Command::Explain { rule, policies } => rules::run_explain(&rule, &policies),
        Command::New(args) => new::run_new(&args),
        Command::Build(args) => build::run_build(&args),
        Command::Test(args) => Ok(test::run_test(&args)),
        Command::Policy(args::PolicyCommand::Add { file, config }) => {
            policy::run_policy_add(&file, &config)
        }
        Command::Init(args) if args.pre_commit => precommit::run_add_hook(),
        Command::Init(args) => init::run_init(&args),
    };
    let verdict = verdict.unwrap_or_else(|error| {
        say_error(&error);
        Verdict::Error
    });
    ExitCode::from(verdict as u8)
}

/// Prints `error` on standard error, each of its messages on one line of its own after
/// `error: `. Messages quote file names and inputs, so each is made [`printable`]: no
/// line break or escape sequence in them reaches the terminal or the CI log.
fn say_error(error: &CliError) {
    let text = error.to_string();
    let mut stderr = std::io::stderr().lock();
    for message in text.split(error::SEPARATOR) {
        let _ = writeln!(stderr, "error: {}", printable(message));
    }
}

/// The policies of a run and the problems met loading them, with the engine that loaded
/// them, to load more (`palisade build` loads the component it built). Each policy holds
/// its own share of the sandbox, whose ticker enforces the time budget while it runs.
pub(crate) struct LoadedPolicies {
    pub engine: Engine,
    pub policies: Vec<Policy>,
    pub problems: Vec<Problem>,
}

/// Starts the sandbox and loads the built-in and extra policies.
pub(crate) fn load_policies(args: &PolicyArgs) -> Result<LoadedPolicies, CliError> {
    let engine = start_engine(args)?;
    let (policies, problems) = pipeline::load_policies(&engine, &args.policies);
    Ok(LoadedPolicies {
        engine,
        policies,
        problems,
    })
}

/// [`load_policies`], plus the components the project's configuration pins: the
/// `config` file, else the `palisade.toml` that governs the current directory, if any.
/// A configuration that cannot be read stops the run, since what it asks for is unknown.
pub(crate) fn load_project_policies(
    args: &PolicyArgs,
    config: Option<&Path>,
) -> Result<LoadedPolicies, CliError> {
    let config = Config::find(config, Path::new("."), &Limits::default())?;
    load_configured_policies(args, config.as_ref())
}

/// [`load_policies`], plus the components `config` pins. A component refused for its
/// pin is a problem, like one that fails to load.
pub(crate) fn load_configured_policies(
    args: &PolicyArgs,
    config: Option<&Config>,
) -> Result<LoadedPolicies, CliError> {
    let (pinned, refused) = config.map(pins::pinned_sources).unwrap_or_default();
    let engine = start_engine(args)?;
    let (policies, mut problems) = pipeline::load_policies_with(&engine, &args.policies, pinned);
    problems.splice(0..0, refused.iter().map(pin_problem));
    Ok(LoadedPolicies {
        engine,
        policies,
        problems,
    })
}

/// A component refused for its pin, reported at the pin in the configuration.
fn pin_problem(error: &pins::PinError) -> Problem {
    let site = error.site();
    Problem::Policy {
        policy: site.component.display().to_string(),
        place: Some(Place {
            file: site.config.clone(),
            position: Some(site.position),
        }),
        message: error.to_string(),
    }
}

/// Starts the sandbox with the cache, time and memory options of `args`, loading no
/// policy yet.
pub(crate) fn start_engine(args: &PolicyArgs) -> Result<Engine, CliError> {
    let cache = match (&args.cache_dir, args.no_cache) {
        (_, true) => CacheMode::Disabled,
        (Some(dir), false) => CacheMode::Dir(dir.clone()),
        (None, false) => default_cache_dir().map_or(CacheMode::Disabled, CacheMode::Dir),
    };
    let options = EngineOptions {
        timeout: args.policy_timeout,
        memory_limit: args.policy_memory.saturating_mul(1024 * 1024),
        cache,
    };
    Ok(Engine::new(options)?)
}

/// Writes to stdout, ignoring a closed pipe (`palisade check | head`).
pub(crate) fn print(text: &str) {
    let _ = try_print(text);
}

/// Writes `text` to stdout and flushes it, so that a full disk or a closed descriptor is
/// an error the caller can report; a reader that stopped reading (`palisade check |
/// head`) is not one.
pub(crate) fn try_print(text: &str) -> Result<(), CliError> {
    print_with(|stdout| stdout.write_all(text.as_bytes()))
}

/// [`try_print`] for what `write` writes.
pub(crate) fn print_with(
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    match write(&mut stdout).and_then(|()| stdout.flush()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(CliError::Stdout(error))
        }
        _ => Ok(()),
    }
}
