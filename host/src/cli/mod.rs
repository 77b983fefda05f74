//! The `palisade` command: parses arguments, runs one subcommand, maps its outcome to
//! an exit code.

mod args;
mod rules;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use crate::check::{self, RuleFilter, Verdict};
use crate::engine::{CacheMode, CompileOrigin, Engine, EngineOptions, Policy, default_cache_dir};
use crate::load::LoadOptions;
use crate::report::{self, TextStyle};
use args::{CheckArgs, Cli, Command, PolicyArgs};

/// Runs the command line and returns the documented exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let verdict = match cli.command {
        Command::Check(args) => run_check(args),
        Command::Rules(args) => rules::run_rules(&args),
        Command::Explain { rule, policies } => rules::run_explain(&rule, &policies),
    };
    ExitCode::from(verdict as u8)
}

fn run_check(args: CheckArgs) -> Verdict {
    let Some((_engine, policies, problems)) = load_policies(&args.policies) else {
        return Verdict::Error;
    };
    if args.verbose {
        for policy in &policies {
            let how = match policy.compiled {
                CompileOrigin::Compiled => "compiled",
                CompileOrigin::Cached => "loaded from the cache",
            };
            eprintln!(
                "policy {} ({} {}): {how}",
                policy.name, policy.info.name, policy.info.version
            );
        }
    }
    let filter = RuleFilter {
        only: args.rules,
        skip: args.skip_rules,
    };
    let unknown = filter.unknown_ids(&policies);
    if !unknown.is_empty() {
        let known: Vec<&str> = check::rules(&policies)
            .map(|(_, r)| r.id.as_str())
            .collect();
        eprintln!(
            "error: unknown rule id {}; loaded rules: {}",
            quoted(&unknown),
            known.join(", ")
        );
        return Verdict::Error;
    }
    let load = LoadOptions {
        max_file_size: args.max_file_size,
    };
    let mut outcome = check::check(&policies, &args.paths, &load, &filter);
    outcome.errors.splice(0..0, problems);
    outcome.summary.errors = outcome.errors.len();
    let style = TextStyle {
        color: color_wanted(),
        verbose: args.verbose,
    };
    print(&report::render(&outcome, args.format, style));
    outcome.verdict(args.fail_on)
}

/// Starts the sandbox and loads the built-in and extra policies; `None` when the engine
/// itself cannot start (nothing can be checked then). The engine is returned because its
/// epoch ticker enforces the time budget for as long as policies run.
pub(crate) fn load_policies(
    args: &PolicyArgs,
) -> Option<(Engine, Vec<Policy>, Vec<check::Problem>)> {
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
    match Engine::new(options) {
        Ok(engine) => {
            let (policies, problems) = check::load_policies(&engine, &args.policies);
            Some((engine, policies, problems))
        }
        Err(error) => {
            eprintln!("error: cannot start the policy sandbox: {error}");
            None
        }
    }
}

pub(crate) fn report_problems(problems: &[check::Problem]) -> Verdict {
    for problem in problems {
        eprintln!("error: {}", problem.message);
    }
    if problems.is_empty() {
        Verdict::Pass
    } else {
        Verdict::Error
    }
}

fn quoted(ids: &[&str]) -> String {
    ids.iter()
        .map(|id| format!("`{id}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn color_wanted() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Writes to stdout, ignoring a closed pipe (`palisade check | head`).
pub(crate) fn print(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}
