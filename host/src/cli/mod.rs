//! The `palisade` command: parses arguments, runs one subcommand, maps its outcome to
//! an exit code.

mod args;

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
        Command::Rules(args) => run_rules(&args),
        Command::Explain { rule, policies } => run_explain(&rule, &policies),
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

fn run_rules(args: &PolicyArgs) -> Verdict {
    let Some((_engine, policies, problems)) = load_policies(args) else {
        return Verdict::Error;
    };
    let mut out = String::new();
    for policy in &policies {
        let info = &policy.info;
        out.push_str(&format!(
            "{} ({} {}, palisade:policy@{})\n",
            policy.name, info.name, info.version, info.wit_version
        ));
        for rule in &policy.rules {
            out.push_str(&format!(
                "  {:<20} {:<8} {}\n",
                rule.id, rule.severity, rule.title
            ));
        }
    }
    print(&out);
    report_problems(&problems)
}

fn run_explain(id: &str, args: &PolicyArgs) -> Verdict {
    let Some((_engine, policies, problems)) = load_policies(args) else {
        return Verdict::Error;
    };
    let Some((policy, rule)) = check::rules(&policies).find(|(_, r)| r.id == id) else {
        let known: Vec<&str> = check::rules(&policies)
            .map(|(_, r)| r.id.as_str())
            .collect();
        eprintln!("error: no rule `{id}`; loaded rules: {}", known.join(", "));
        return Verdict::Error;
    };
    let reads = format!(
        "Policy: {} ({} {}). Reads: {}.\n",
        policy.name,
        policy.info.name,
        policy.info.version,
        rule.resource_types.join(", ")
    );
    let out = if rule.documentation.trim().is_empty() {
        format!(
            "# {}: {}\n\nSeverity: {}. {reads}\n{}\n\nRemediation: {}\n",
            rule.id, rule.title, rule.severity, rule.description, rule.remediation
        )
    } else {
        format!("{}\n\n---\n{reads}", rule.documentation.trim_end())
    };
    print(&out);
    report_problems(&problems)
}

/// Starts the sandbox and loads the built-in and extra policies; `None` when the engine
/// itself cannot start (nothing can be checked then). The engine is returned because its
/// epoch ticker enforces the time budget for as long as policies run.
fn load_policies(args: &PolicyArgs) -> Option<(Engine, Vec<Policy>, Vec<check::Problem>)> {
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

fn report_problems(problems: &[check::Problem]) -> Verdict {
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
fn print(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}
