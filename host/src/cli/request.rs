//! `palisade check`'s command line and `palisade.toml`, resolved once, right after
//! parsing, into what the run does: a [`Request`] for the pipeline, and what the command
//! does with the report.
//!
//! `palisade.toml` fills in what the command line leaves out, and the command line wins
//! wherever both speak: `fail_on` counts when there is no `--fail-on`; `var_files` and
//! `parameter_files` come before the command line's files and values, which therefore
//! override them; `[output]` counts when there is no `--format` and no `--output`; a
//! rule turned off stays off unless `--rule` names it.

use std::path::{Path, PathBuf};

use clap::ArgMatches;

use super::args::{CheckArgs, PolicyArgs};
use super::error::CliError;
use super::outputs::{ReportOption, ReportRequest, reports};
use crate::config::Config;
use crate::pipeline::{Baseline, Request, RuleFilter};
use palisade_load::{CliInput, Exclude, LoadOptions, RosInput, RosInputs, TerraformInputs};
use palisade_model::{OutputFormat, Severity};

/// One `palisade check`, resolved.
pub struct CheckRequest {
    /// What the pipeline runs.
    pub pipeline: Request,
    /// Where policies come from and how they run.
    pub policies: PolicyArgs,
    /// The project's configuration, for the components it pins.
    pub config: Option<Config>,
    /// The reports to render, in command-line order.
    pub reports: Vec<ReportRequest>,
    /// The least severity that fails the run.
    pub fail_on: Severity,
    /// Findings never fail the run (`--soft-fail`).
    pub soft_fail: bool,
    pub verbose: bool,
    pub quiet: bool,
    /// Where the run's findings are recorded as the new baseline.
    pub write_baseline: Option<PathBuf>,
}

/// Resolves `args` (parsed from `matches`, which know the options' order) with the
/// `palisade.toml` that governs the first path.
pub fn resolve(args: CheckArgs, matches: Option<&ArgMatches>) -> Result<CheckRequest, CliError> {
    let scanned = args.paths.first().map_or(Path::new("."), PathBuf::as_path);
    let config = Config::find(args.config.as_deref(), scanned, &args.limits.limits())?;
    let order = Order::of(&args, matches);
    let max_file_size = args.limits.limits().file_size;
    let baseline = args
        .baseline
        .as_deref()
        .map(|file| Baseline::read(file, max_file_size))
        .transpose()?;
    let reports = reports(&report_options(&order, config.as_ref()))?;
    if let Some(dir) = args.source.as_ref().filter(|dir| !dir.is_dir()) {
        return Err(CliError::Refused(format!(
            "--source {}: not a directory",
            dir.display()
        )));
    }
    let settings = config.as_ref().map(|config| &config.settings);
    let load = LoadOptions {
        limits: args.limits.limits(),
        terraform: terraform_inputs(&order, config.as_ref()),
        ros: ros_inputs(&order, config.as_ref()),
        plan_scope: args.plan_scope,
        plan_source: args.source.clone(),
        skip_non_templates: args.skip_non_templates,
        exclude: exclude(config.as_ref()),
        download_modules: args
            .modules
            .settings(settings.is_some_and(|s| s.download_modules)),
    };
    let disabled = settings
        .into_iter()
        .flat_map(|settings| settings.disabled_rules())
        .filter(|id| !args.rules.iter().any(|named| named == id))
        .map(str::to_owned);
    let rules = RuleFilter {
        skip: args.skip_rules.iter().cloned().chain(disabled).collect(),
        only: args.rules,
    };
    let pipeline = Request {
        paths: args.paths,
        load,
        rules,
        report_unused_suppressions: args.report_unused_suppressions,
        list_checked: reports
            .iter()
            .any(|report| report.format == OutputFormat::Junit),
        severities: settings.map(|s| s.severities()).unwrap_or_default(),
        baseline,
        accept_findings: args.write_baseline.is_some(),
    };
    Ok(CheckRequest {
        pipeline,
        policies: args.policies,
        reports,
        fail_on: args
            .fail_on
            .or(settings.and_then(|s| s.fail_on))
            .unwrap_or(Severity::Low),
        soft_fail: args.soft_fail,
        verbose: args.verbose,
        quiet: args.quiet,
        write_baseline: args.write_baseline,
        config,
    })
}

/// The options whose order matters, each list in command-line order.
#[derive(Default)]
struct Order {
    /// `--var-file` and `--var`, as in Terraform.
    terraform: Vec<CliInput>,
    /// `--parameters` and `--param`.
    ros: Vec<RosInput>,
    /// `--format` and `--output`.
    reports: Vec<ReportOption>,
}

impl Order {
    /// The options of `args`, ordered by their positions in `matches` (without them, the
    /// first option of each pair comes first). The option ids are the field names of
    /// [`CheckArgs`].
    fn of(args: &CheckArgs, matches: Option<&ArgMatches>) -> Self {
        let files = args.var_files.iter().cloned().map(CliInput::File);
        let vars = args.vars.iter().cloned().map(|(n, v)| CliInput::Var(n, v));
        let parameter_files = args.parameter_files.iter().cloned().map(RosInput::File);
        let params = args
            .params
            .iter()
            .cloned()
            .map(|(k, v)| RosInput::Param(k, v));
        let formats = args.formats.iter().copied().map(ReportOption::Format);
        let outputs = args.outputs.iter().cloned().map(ReportOption::Output);
        Self {
            terraform: ordered(
                matches,
                [("var_files", files.collect()), ("vars", vars.collect())],
            ),
            ros: ordered(
                matches,
                [
                    ("parameter_files", parameter_files.collect()),
                    ("params", params.collect()),
                ],
            ),
            reports: ordered(
                matches,
                [
                    ("formats", formats.collect()),
                    ("outputs", outputs.collect()),
                ],
            ),
        }
    }
}

/// The values of two options merged back into the order they were given in.
fn ordered<T>(matches: Option<&ArgMatches>, options: [(&str, Vec<T>); 2]) -> Vec<T> {
    let Some(matches) = matches else {
        return options.into_iter().flat_map(|(_, values)| values).collect();
    };
    let mut indexed: Vec<(usize, T)> = Vec::new();
    for (id, values) in options {
        let indices = matches.indices_of(id).into_iter().flatten();
        indexed.extend(indices.zip(values));
    }
    indexed.sort_by_key(|&(index, _)| index);
    indexed.into_iter().map(|(_, value)| value).collect()
}

/// The Terraform inputs: `palisade.toml`'s variable files, then the command line's, and
/// `TF_VAR_*` variables.
fn terraform_inputs(order: &Order, config: Option<&Config>) -> TerraformInputs {
    let configured = config.into_iter().flat_map(|c| &c.settings.var_files);
    let args = configured
        .cloned()
        .map(CliInput::File)
        .chain(order.terraform.iter().cloned())
        .collect();
    let env = std::env::vars()
        .filter_map(|(name, value)| Some((name.strip_prefix("TF_VAR_")?.to_owned(), value)))
        .collect();
    TerraformInputs { args, env }
}

/// The ROS parameters: `palisade.toml`'s parameter files, then the command line's.
fn ros_inputs(order: &Order, config: Option<&Config>) -> RosInputs {
    let configured = config.into_iter().flat_map(|c| &c.settings.parameter_files);
    let args = configured
        .cloned()
        .map(RosInput::File)
        .chain(order.ros.iter().cloned())
        .collect();
    RosInputs { args }
}

/// The report options of the command line, else those of `[output]`.
fn report_options(order: &Order, config: Option<&Config>) -> Vec<ReportOption> {
    if !order.reports.is_empty() {
        return order.reports.clone();
    }
    let configured = config.into_iter().flat_map(|c| &c.settings.formats);
    configured
        .flat_map(|report| {
            let output = report.file.clone().map(ReportOption::Output);
            std::iter::once(ReportOption::Format(report.format)).chain(output)
        })
        .collect()
}

/// The paths the directory walk skips under `config`'s `exclude`.
fn exclude(config: Option<&Config>) -> Exclude {
    config.map_or_else(Exclude::default, |config| Exclude {
        base: config.dir().to_path_buf(),
        globs: config.settings.exclude.clone(),
    })
}
