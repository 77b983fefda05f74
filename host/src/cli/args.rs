//! The command line, as clap reads it.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::report::OutputFormat;
use palisade_load::ModuleSettings;
use palisade_model::{Limits, Severity};

const EXIT_CODES: &str = "\
Exit codes:
  0  no finding at or above the --fail-on severity (or --soft-fail)
  1  findings at or above the --fail-on severity
  2  errors: a file or a policy could not be loaded or evaluated";

/// Palisade checks Terraform configurations and Alibaba Cloud ROS templates against
/// security policies that run as sandboxed WebAssembly components.
#[derive(Debug, Parser)]
#[command(name = "palisade", version, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

// The one `Command` of a run is parsed once; boxing its largest variant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check templates against every loaded policy.
    #[command(after_help = EXIT_CODES)]
    Check(CheckArgs),
    /// List every loaded rule, or write their documentation pages.
    Rules(RulesArgs),
    /// Print the documentation of one rule.
    Explain {
        /// Rule id, as `palisade rules` lists it.
        rule: String,
        #[command(flatten)]
        policies: PolicyArgs,
    },
    /// Create a policy crate: one rule, its fixtures and a README.
    New(NewArgs),
    /// Build a policy crate into a component and check that the runner can load it.
    Build(BuildArgs),
    /// Run a policy against its fixture directories and compare with their expectations.
    Test(TestArgs),
    /// Manage the policy components a project pins in palisade.toml.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Write a palisade.toml that shows every setting, commented out, with its meaning.
    Init(InitArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The file to write; an existing one is never overwritten.
    #[arg(long, default_value = "palisade.toml", value_name = "FILE")]
    pub config: PathBuf,
    /// Instead, add the Palisade hook to the repository's .pre-commit-config.yaml
    /// (created when missing), as a `repo: local` hook running `palisade` from the PATH.
    #[arg(long, conflicts_with = "config")]
    pub pre_commit: bool,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// Name of the policy crate (lowercase letters, digits and `-`); also its first
    /// rule's id.
    pub name: String,
    /// Where to create it [default: ./NAME].
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// The palisade-policy SDK to depend on by path [default: the one this runner was
    /// built with].
    #[arg(long, value_name = "DIR")]
    pub sdk: Option<PathBuf>,
}

/// How a policy crate is built.
#[derive(Debug, Args)]
pub struct CrateArgs {
    /// Build from the local registry cache only (`cargo build --offline`).
    #[arg(long)]
    pub offline: bool,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The policy crate [default: the current directory].
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    #[command(flatten)]
    pub cargo: CrateArgs,
    #[command(flatten)]
    pub policies: PolicyArgs,
}

#[derive(Debug, Args)]
pub struct TestArgs {
    /// The policy crate, whose `tests/` holds one directory per fixture
    /// [default: the current directory].
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Test this component instead of building the crate.
    #[arg(long, value_name = "FILE")]
    pub component: Option<PathBuf>,
    #[command(flatten)]
    pub cargo: CrateArgs,
    #[command(flatten)]
    pub policies: PolicyArgs,
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Add a policy component to palisade.toml, pinned to its SHA-256 digest.
    Add {
        /// The component (.wasm).
        file: PathBuf,
        /// The configuration file to write.
        #[arg(long, default_value = "palisade.toml", value_name = "FILE")]
        config: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check (directories are walked, honouring .gitignore).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Report format (repeatable, each with its own --output) [default: text].
    #[arg(long = "format", value_enum, value_name = "FORMAT")]
    pub formats: Vec<OutputFormat>,
    /// Write the report of the --format just before into FILE instead of standard
    /// output (repeatable); the text report still goes to the terminal. Without a
    /// --format, the format follows the extension: .sarif, .json, .xml (JUnit), .txt.
    #[arg(long = "output", short = 'o', value_name = "FILE")]
    pub outputs: Vec<PathBuf>,
    /// Run only this rule (repeatable).
    #[arg(long = "rule", value_name = "ID")]
    pub rules: Vec<String>,
    /// Do not run this rule (repeatable).
    #[arg(long = "skip-rule", value_name = "ID")]
    pub skip_rules: Vec<String>,
    /// Exit 1 when a finding has this severity or a higher one [default: `fail_on` in
    /// palisade.toml, else low].
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<Severity>,
    /// Report findings but exit 0 for them (errors still exit 2): to introduce the gate
    /// without blocking anyone yet.
    #[arg(long)]
    pub soft_fail: bool,
    /// Also show what rules could not decide (unknown values) and why a rule passed.
    #[arg(short, long)]
    pub verbose: bool,
    /// Print only findings and errors: no summary line, no progress indicator.
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Skip JSON and YAML files named as PATHS that are not templates, as files found in
    /// a directory are, instead of failing on them (for hooks that pass every changed
    /// file). A `.tf` file named is always checked with the other `.tf` files of its
    /// directory, and only its own findings are reported.
    #[arg(long)]
    pub skip_non_templates: bool,
    /// A Terraform variables file, as `terraform plan -var-file` (repeatable; later
    /// files and `--var` options win, in command-line order).
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
    /// A Terraform variable, as `terraform plan -var 'NAME=VALUE'` (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,
    /// ROS template parameters from a JSON or YAML file: `{Key: Value}` or the
    /// `aliyun ros` list `[{"ParameterKey": ..., "ParameterValue": ...}]` (repeatable;
    /// later files and `--param` options win, in command-line order).
    #[arg(long = "parameters", value_name = "FILE")]
    pub parameter_files: Vec<PathBuf>,
    /// A ROS template parameter or pseudo parameter (`ALIYUN::Region=cn-hangzhou`)
    /// (repeatable).
    #[arg(long = "param", value_name = "KEY=VALUE", value_parser = parse_var)]
    pub params: Vec<(String, String)>,
    /// Which resource changes of a Terraform plan to check: `changed` (created, updated
    /// or replaced) or `all` (also unchanged and read ones).
    #[arg(long, value_enum, default_value = "changed", value_name = "SCOPE")]
    pub plan_scope: palisade_load::PlanScope,
    /// The Terraform configuration a plan was made from: plan findings then point at its
    /// `.tf` lines [default: the plan's directory, when it holds `.tf` files].
    #[arg(long, value_name = "DIR")]
    pub source: Option<PathBuf>,
    #[command(flatten)]
    pub limits: LimitArgs,
    #[command(flatten)]
    pub modules: ModuleArgs,
    /// The project's settings: policy components to run, each pinned to its SHA-256
    /// digest, and defaults for these options [default: the nearest palisade.toml at or
    /// above the first PATH, up to the repository's root (the directory holding .git)].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Warn about every `palisade:ignore` suppression that matched no finding (the exit
    /// code does not change). Expiry dates are compared with today, or with
    /// PALISADE_TODAY=YYYY-MM-DD when it is set.
    #[arg(long)]
    pub report_unused_suppressions: bool,
    /// Findings recorded in this file (see --write-baseline) are known: they are counted,
    /// not shown, and do not fail the run; recorded ones that no longer occur are listed
    /// as fixed.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record this run's findings in FILE, by rule, file, resource and attribute (not
    /// line), for --baseline; they count as known in this run.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    #[command(flatten)]
    pub policies: PolicyArgs,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Write one Markdown page per rule, and an index, into this directory
    /// (the project's `docs/rules` is made this way).
    #[arg(long, value_name = "DIR")]
    pub write_docs: Option<PathBuf>,
    #[command(flatten)]
    pub policies: PolicyArgs,
}

/// Where policies come from and how they run.
#[derive(Debug, Args)]
pub struct PolicyArgs {
    /// An extra policy component (.wasm) or a directory of them (repeatable).
    #[arg(long = "policy", value_name = "PATH")]
    pub policies: Vec<PathBuf>,
    /// Time budget of one policy evaluation: `2s`, `500ms` or seconds.
    #[arg(long, default_value = "2s", value_parser = parse_duration, value_name = "DURATION")]
    pub policy_timeout: Duration,
    /// Memory cap of one policy instance, in MiB.
    #[arg(long, default_value_t = 256, value_name = "MIB")]
    pub policy_memory: usize,
    /// Where compiled policies are cached [default: the user's cache directory].
    #[arg(long, value_name = "DIR", env = "PALISADE_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Compile every policy afresh and write no cache (wins over --cache-dir).
    #[arg(long)]
    pub no_cache: bool,
}

fn parse_var(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_owned(), value.to_owned()))
        }
        _ => Err(format!("`{text}` is not NAME=VALUE")),
    }
}

fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, scale) = if let Some(ms) = text.strip_suffix("ms") {
        (ms, 0.001)
    } else if let Some(s) = text.strip_suffix('s') {
        (s, 1.0)
    } else {
        (text, 1.0)
    };
    let value: f64 = number
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a duration; write e.g. `2s` or `500ms`"))?;
    if !value.is_finite() || value <= 0.0 || value * scale > 3600.0 {
        return Err(format!("`{text}` must be more than 0 and at most an hour"));
    }
    Ok(Duration::from_secs_f64(value * scale))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_accept_units_and_plain_seconds() {
        assert_eq!(parse_duration("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("1.5"), Ok(Duration::from_millis(1500)));
        assert!(parse_duration("0").is_err());
        assert!(parse_duration("soon").is_err());
    }

    #[test]
    fn command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}

/// Registry, git and archive modules that `terraform init` has not installed: errors, or
/// fetched as it would fetch them. Off unless asked for, as a pre-commit hook must not
/// need the network.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Terraform modules")]
pub struct ModuleArgs {
    /// Fetch registry, git and HTTPS archive modules that `terraform init` has not
    /// installed, honouring `version` constraints, and check their resources (reported
    /// at the module call) [default: `download_modules` in palisade.toml, else off].
    #[arg(long, overrides_with = "no_download_modules")]
    pub download_modules: bool,
    /// Do not fetch modules, whatever palisade.toml says.
    #[arg(long)]
    pub no_download_modules: bool,
    /// Where fetched modules are kept for later runs [default: palisade/modules in the
    /// user's cache directory].
    #[arg(long, value_name = "DIR", env = "PALISADE_MODULE_CACHE")]
    pub module_cache: Option<PathBuf>,
    /// The most time fetching one module package may take: `90s`, or seconds.
    #[arg(long, default_value = "120s", value_parser = parse_duration, value_name = "DURATION")]
    pub module_timeout: Duration,
    /// The most bytes one module package may download, or unpack to.
    #[arg(long, default_value_t = ModuleSettings::default().max_package_size, value_name = "BYTES")]
    pub max_module_size: u64,
    /// The most module packages one run fetches.
    #[arg(long, default_value_t = ModuleSettings::default().max_packages, value_name = "N")]
    pub max_modules: usize,
}

impl ModuleArgs {
    /// The download settings, when modules are to be fetched: asked for here, or in
    /// palisade.toml and not refused here.
    pub fn settings(&self, configured: bool) -> Option<ModuleSettings> {
        let wanted = self.download_modules || (configured && !self.no_download_modules);
        wanted.then(|| ModuleSettings {
            cache: self
                .module_cache
                .clone()
                .unwrap_or_else(palisade_load::default_module_cache),
            timeout: self.module_timeout,
            max_package_size: self.max_module_size,
            max_packages: self.max_modules,
        })
    }
}

/// What a run may spend on its inputs (templates and plans may be hostile). Set only on
/// the command line, never in `palisade.toml`, which the checked repository controls.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Limits")]
pub struct LimitArgs {
    /// Refuse files larger than this many bytes.
    #[arg(long, default_value_t = Limits::default().file_size, value_name = "BYTES")]
    pub max_file_size: u64,
    /// The most instances one `count`, `for_each` or ROS `Count` makes, and the most
    /// resources one Terraform configuration or template expands to.
    #[arg(long, default_value_t = Limits::default().instances, value_name = "N")]
    pub max_instances: u64,
    /// The largest value (string or collection) an evaluation may compute, in bytes.
    #[arg(long, default_value_t = Limits::default().value_size, value_name = "BYTES")]
    pub max_value_size: u64,
    /// The most bytes of values evaluating one configuration or template may compute.
    #[arg(long, default_value_t = Limits::default().evaluated_size, value_name = "BYTES")]
    pub max_evaluated_size: u64,
    /// The deepest nesting of an evaluation: expressions, chains of references, templates
    /// rendering templates, module calls.
    #[arg(long, default_value_t = Limits::default().depth, value_name = "LEVELS")]
    pub max_depth: u64,
}

impl LimitArgs {
    /// The limits these flags set.
    pub fn limits(&self) -> Limits {
        Limits {
            file_size: self.max_file_size,
            instances: self.max_instances,
            value_size: self.max_value_size,
            evaluated_size: self.max_evaluated_size,
            depth: self.max_depth,
        }
    }
}
