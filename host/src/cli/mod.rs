//! The `palisade` command: parses arguments, runs one subcommand, maps its outcome to
//! an exit code.

mod args;
mod build;
mod init;
mod new;
mod outputs;
mod policy;
mod precommit;
mod progress;
mod rules;
mod scope;
mod settings;
mod test;

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use crate::baseline::{self, Baseline};
use crate::check::{self, RuleFilter, Verdict};
use crate::config::{Config, pins};
use crate::engine::{CacheMode, CompileOrigin, Engine, EngineOptions, Policy, default_cache_dir};
use crate::load::{CliInput, LoadOptions, RosInput, RosInputs, TerraformInputs};
use crate::report::{self, TextStyle};
use args::{CheckArgs, Cli, Command, PolicyArgs};

/// Runs the command line and returns the documented exit code.
pub fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };
    let verdict = match cli.command {
        Command::Check(args) => {
            let check = matches.subcommand_matches("check");
            let order = |files: &str, values: &str| {
                check
                    .map(|m| input_order(m, files, values))
                    .unwrap_or_default()
            };
            let inputs = InputOrder {
                terraform: order("var_files", "vars"),
                ros: order("parameter_files", "params"),
                reports: order("formats", "outputs"),
            };
            run_check(args, &inputs)
        }
        Command::Rules(args) => rules::run_rules(&args),
        Command::Explain { rule, policies } => rules::run_explain(&rule, &policies),
        Command::New(args) => new::run_new(&args),
        Command::Build(args) => build::run_build(&args),
        Command::Test(args) => test::run_test(&args),
        Command::Policy(args::PolicyCommand::Add { file, config }) => {
            policy::run_policy_add(&file, &config)
        }
        Command::Init(args) if args.pre_commit => precommit::run_add_hook(),
        Command::Init(args) => init::run_init(&args),
    };
    ExitCode::from(verdict as u8)
}

/// In which order the options that pair or override each other came. `true` stands for
/// the first option of a pair, `false` for the second.
struct InputOrder {
    /// `--var-file` and `--var`, as in Terraform.
    terraform: Vec<bool>,
    /// `--parameters` and `--param`.
    ros: Vec<bool>,
    /// `--format` and `--output`.
    reports: Vec<bool>,
}

/// The order of the options with ids `files` and `values` (see [`InputOrder`]).
fn input_order(matches: &clap::ArgMatches, files: &str, values: &str) -> Vec<bool> {
    let indices = |id: &str| -> Vec<usize> {
        matches
            .indices_of(id)
            .map(Iterator::collect)
            .unwrap_or_default()
    };
    let mut order: Vec<(usize, bool)> = indices(files).into_iter().map(|i| (i, true)).collect();
    order.extend(indices(values).into_iter().map(|i| (i, false)));
    order.sort();
    order.into_iter().map(|(_, is_file)| is_file).collect()
}

/// `files` and `values` merged back into command-line order (`order`: `true` for a file).
fn interleave<F, V, T>(
    order: &[bool],
    files: &[F],
    values: &[V],
    file: impl Fn(&F) -> T,
    value: impl Fn(&V) -> T,
) -> Vec<T> {
    let (mut files, mut values) = (files.iter(), values.iter());
    order
        .iter()
        .filter_map(|&is_file| {
            if is_file {
                files.next().map(&file)
            } else {
                values.next().map(&value)
            }
        })
        .collect()
}

/// The Terraform inputs of a check, in command-line order, and `TF_VAR_*` variables.
fn terraform_inputs(args: &CheckArgs, order: &[bool]) -> TerraformInputs {
    let args = interleave(
        order,
        &args.var_files,
        &args.vars,
        |f| CliInput::File(f.clone()),
        |(n, v)| CliInput::Var(n.clone(), v.clone()),
    );
    let env = std::env::vars()
        .filter_map(|(name, value)| Some((name.strip_prefix("TF_VAR_")?.to_owned(), value)))
        .collect();
    TerraformInputs { args, env }
}

/// The ROS parameters of a check, in command-line order.
fn ros_inputs(args: &CheckArgs, order: &[bool]) -> RosInputs {
    let args = interleave(
        order,
        &args.parameter_files,
        &args.params,
        |f| RosInput::File(f.clone()),
        |(k, v)| RosInput::Param(k.clone(), v.clone()),
    );
    RosInputs { args }
}

fn run_check(mut args: CheckArgs, input_order: &InputOrder) -> Verdict {
    let scanned = args
        .paths
        .first()
        .map_or(Path::new("."), |path| path.as_path());
    let config = match Config::find(args.config.as_deref(), scanned) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("error: {error}");
            return Verdict::Error;
        }
    };
    let merged = config
        .as_ref()
        .map(|config| settings::merge(config, &mut args, input_order));
    let input_order = merged.as_ref().unwrap_or(input_order);
    let known = match args.baseline.as_deref().map(Baseline::read).transpose() {
        Ok(known) => known,
        Err(error) => {
            eprintln!("error: {error}");
            return Verdict::Error;
        }
    };
    let reports = match outputs::reports(&input_order.reports, &args.formats, &args.outputs) {
        Ok(reports) => reports,
        Err(message) => {
            eprintln!("error: {message}");
            return Verdict::Error;
        }
    };
    if let Some(dir) = args.source.as_ref().filter(|dir| !dir.is_dir()) {
        eprintln!("error: --source {}: not a directory", dir.display());
        return Verdict::Error;
    }
    let Some((_engine, policies, problems)) =
        load_configured_policies(&args.policies, config.as_ref())
    else {
        return Verdict::Error;
    };
    if let Some(Err(error)) = config.as_ref().map(|c| c.check_rule_ids(&policies)) {
        eprintln!("error: {error}");
        return Verdict::Error;
    }
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
    let load = LoadOptions {
        max_file_size: args.max_file_size,
        terraform: terraform_inputs(&args, &input_order.terraform),
        ros: ros_inputs(&args, &input_order.ros),
        plan_scope: args.plan_scope,
        plan_source: args.source.clone(),
        skip_non_templates: args.skip_non_templates,
        exclude: settings::exclude(config.as_ref()),
    };
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

    let scope = scope::Scope::new(&args.paths);
    let progress = (!args.quiet).then(|| progress::Progress::start("checking".to_owned()));
    let mut outcome = check::check(&policies, &scope.paths, &load, &filter);
    if let Some(progress) = progress {
        progress.finish();
    }
    crate::suppress::run(&mut outcome, &policies, args.report_unused_suppressions);
    scope.retain_reported(&mut outcome);
    outcome.errors.splice(0..0, problems);
    outcome.summary.errors = outcome.errors.len();
    if let Some(config) = &config {
        config.settings.override_severities(&mut outcome);
    }
    let baseline = args.write_baseline.as_deref();
    if let Err(error) = baseline::settle(&mut outcome, known.as_ref(), baseline) {
        eprintln!("error: {error}");
        return Verdict::Error;
    }
    let style = TextStyle {
        color: color_wanted(),
        verbose: args.verbose,
        quiet: args.quiet,
    };
    let mut written = true;
    for report in &reports {
        let style = TextStyle {
            // A file never gets terminal colours.
            color: style.color && report.file.is_none(),
            ..style
        };
        let text = report::render(&outcome, report.format, style);
        match &report.file {
            None => print(&text),
            Some(file) => written &= write_report(file, &text),
        }
    }
    match outcome.verdict(args.fail_on.unwrap_or(crate::model::Severity::Low)) {
        _ if !written => Verdict::Error,
        Verdict::Fail if args.soft_fail => Verdict::Pass,
        verdict => verdict,
    }
}

/// Writes one report file, creating its directory; a failure is said, not hidden.
fn write_report(file: &std::path::Path, text: &str) -> bool {
    let written = file
        .parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(file, text));
    if let Err(error) = &written {
        eprintln!("error: cannot write {}: {error}", file.display());
    }
    written.is_ok()
}

/// Starts the sandbox and loads the built-in and extra policies; `None` when the engine
/// itself cannot start (nothing can be checked then). The engine is returned because its
/// epoch ticker enforces the time budget for as long as policies run.
pub(crate) fn load_policies(
    args: &PolicyArgs,
) -> Option<(Engine, Vec<Policy>, Vec<check::Problem>)> {
    let engine = start_engine(args)?;
    let (policies, problems) = check::load_policies(&engine, &args.policies);
    Some((engine, policies, problems))
}

/// [`load_policies`], plus the components the project's configuration pins: the
/// `config` file, else the `palisade.toml` that governs the current directory, if any.
/// A configuration that cannot be read stops the run (`None`), since what it asks for
/// is unknown.
pub(crate) fn load_project_policies(
    args: &PolicyArgs,
    config: Option<&Path>,
) -> Option<(Engine, Vec<Policy>, Vec<check::Problem>)> {
    let config = match Config::find(config, Path::new(".")) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("error: {error}");
            return None;
        }
    };
    load_configured_policies(args, config.as_ref())
}

/// [`load_policies`], plus the components `config` pins. A component refused for its
/// pin is a problem, like one that fails to load.
fn load_configured_policies(
    args: &PolicyArgs,
    config: Option<&Config>,
) -> Option<(Engine, Vec<Policy>, Vec<check::Problem>)> {
    let (pinned, refused) = config.map(pins::pinned_sources).unwrap_or_default();
    let engine = start_engine(args)?;
    let (policies, mut problems) = check::load_policies_with(&engine, &args.policies, pinned);
    problems.splice(0..0, refused.iter().map(pin_problem));
    Some((engine, policies, problems))
}

/// A component refused for its pin, reported at the pin in the configuration.
fn pin_problem(error: &pins::PinError) -> check::Problem {
    let site = error.site();
    check::Problem {
        file: Some(site.config.clone()),
        position: Some(site.position),
        policy: Some(site.component.display().to_string()),
        message: error.to_string(),
    }
}

/// Starts the sandbox with the cache, time and memory options of `args`, loading no
/// policy yet; `None` (the reason said) when it cannot start.
pub(crate) fn start_engine(args: &PolicyArgs) -> Option<Engine> {
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
    Engine::new(options)
        .inspect_err(|error| eprintln!("error: cannot start the policy sandbox: {error}"))
        .ok()
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
