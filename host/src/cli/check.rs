//! `palisade check`: runs the pipeline on the request, writes the baseline and the
//! reports, and maps the verdict to the exit code.

use std::io::{IsTerminal, Write};
use std::path::Path;

use super::error::CliError;
use super::request::CheckRequest;
use super::{LoadedPolicies, load_configured_policies, print_with, progress};
use crate::engine::CompileOrigin;
use crate::pipeline::{self, Baseline};
use crate::report::{self, TextStyle};
use palisade_model::{Report, Verdict, printable};

/// Checks what `request` asks for; the verdict says whether findings fail the run.
pub fn run_check(request: CheckRequest) -> Result<Verdict, CliError> {
    let loaded = load_configured_policies(&request.policies, request.config.as_ref())?;
    if let Some(config) = &request.config {
        config.check_rule_ids(&loaded.policies)?;
    }
    if request.verbose {
        say_how_loaded(&loaded);
    }
    check_rule_filter(&request, &loaded)?;

    let progress = (!request.quiet).then(|| progress::Progress::start("checking".to_owned()));
    let report = pipeline::run(&request.pipeline, &loaded.policies, &loaded.problems);
    if let Some(progress) = progress {
        progress.finish();
    }
    if let Some(file) = &request.write_baseline {
        Baseline::of(&report.baselined).write(file)?;
    }
    render_reports(&request, &report)?;
    Ok(match report.verdict(request.fail_on) {
        Verdict::Fail if request.soft_fail => Verdict::Pass,
        verdict => verdict,
    })
}

/// With `--verbose`: which policies were compiled and which came from the cache.
fn say_how_loaded(loaded: &LoadedPolicies) {
    for policy in &loaded.policies {
        let how = match policy.compiled {
            CompileOrigin::Compiled => "compiled",
            CompileOrigin::Cached => "loaded from the cache",
        };
        eprintln!(
            "policy {} ({} {}): {how}",
            printable(&policy.name),
            printable(&policy.info.name),
            printable(&policy.info.version)
        );
    }
}

/// `--rule` and `--skip-rule` must name loaded rules: a typo must not make a silently
/// empty run.
fn check_rule_filter(request: &CheckRequest, loaded: &LoadedPolicies) -> Result<(), CliError> {
    let unknown = request.pipeline.rules.unknown_ids(&loaded.policies);
    if unknown.is_empty() {
        return Ok(());
    }
    let known: Vec<&str> = pipeline::rules(&loaded.policies)
        .map(|(_, r)| r.id.as_str())
        .collect();
    let unknown: Vec<String> = unknown.iter().map(|id| format!("`{id}`")).collect();
    Err(CliError::Refused(format!(
        "unknown rule id {}; loaded rules: {}",
        unknown.join(", "),
        known.join(", ")
    )))
}

/// Renders every report asked for, to standard output or its file. A file (or standard
/// output) that cannot be written does not stop the others, but fails the run: a CI
/// step must not pass with a report that was never written.
fn render_reports(request: &CheckRequest, report: &Report) -> Result<(), CliError> {
    let style = TextStyle {
        color: color_wanted(),
        verbose: request.verbose,
        quiet: request.quiet,
        max_file_size: request.pipeline.load.limits.file_size,
    };
    let mut failed = Vec::new();
    for wanted in &request.reports {
        let style = TextStyle {
            // A file never gets terminal colours.
            color: style.color && wanted.file.is_none(),
            ..style
        };
        let write = |out: &mut dyn Write| report::write(report, wanted.format, style, out);
        match &wanted.file {
            None => failed.extend(print_with(write).err()),
            Some(file) => failed.extend(write_report(file, write).err()),
        }
    }
    match failed.len() {
        0 => Ok(()),
        1 => Err(failed.remove(0)),
        _ => Err(CliError::Several(failed)),
    }
}

/// Writes one report file with `write`, creating its directory.
fn write_report(
    file: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), CliError> {
    file.parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::File::create(file))
        .and_then(|mut out| write(&mut out))
        .map_err(|source| CliError::Write {
            file: file.to_path_buf(),
            source,
        })
}

fn color_wanted() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
