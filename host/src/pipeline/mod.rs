//! The pipeline every check runs, `palisade check` and `palisade test` alike: one stage
//! per module, each taking the [`Report`] so far and handing it on.
//!
//! 1. load the paths asked for, with the context their [`scope`] needs ([`palisade_load`]);
//! 2. [`evaluate`] every policy on every document set, and [`locate`] each finding;
//! 3. [`suppress`] the findings that `palisade:ignore` comments and ROS `Metadata` justify;
//! 4. [`scope`]: keep what was found in the paths actually asked for;
//! 5. [`severity`]: apply the severities `palisade.toml` gives rules;
//! 6. [`baseline`]: set aside the findings a baseline already knows.

pub mod baseline;
pub mod evaluate;
pub mod locate;
pub mod policies;
pub mod redact;
pub mod scope;
pub mod severity;
pub mod suppress;

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::engine::Policy;
pub use baseline::Baseline;
use palisade_load::{LoadOptions, load_paths};
use palisade_model::{Problem, Report, Severity};
pub use policies::{RuleFilter, load_policies, load_policies_with, rules};

/// What one run checks and how, resolved from the command line and `palisade.toml`
/// before anything runs.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// The files and directories asked for, as given.
    pub paths: Vec<PathBuf>,
    /// How templates are loaded, and their inputs in the order they apply.
    pub load: LoadOptions,
    /// Which rules run.
    pub rules: RuleFilter,
    /// Warn about every suppression that matched no finding.
    pub report_unused_suppressions: bool,
    /// List every (rule, resource) pair that was evaluated in [`Report::checked`]: a
    /// JUnit report shows what passed, and unused suppressions are told from them. Other
    /// runs spare the list, which holds tens of thousands of pairs on a large tree.
    pub list_checked: bool,
    /// Severities that replace the rules' own, by rule id.
    pub severities: BTreeMap<String, Severity>,
    /// The findings a `--baseline` file records.
    pub baseline: Option<Baseline>,
    /// Every finding of this run is accepted into a new baseline (`--write-baseline`).
    pub accept_findings: bool,
}

impl Request {
    /// A run over `paths` with every default: what a policy fixture is checked with.
    pub fn of(paths: Vec<PathBuf>) -> Self {
        Self {
            paths,
            ..Self::default()
        }
    }
}

/// Runs every stage of `request` with `policies`; `refused` are the problems met while
/// loading the policies, reported first.
pub fn run(request: &Request, policies: &[Policy], refused: &[Problem]) -> Report {
    let scope = scope::Scope::new(&request.paths);
    let loaded = load_paths(&scope.paths, &request.load);
    let list_checked = request.list_checked || request.report_unused_suppressions;
    let mut report = evaluate::evaluate(loaded, policies, &request.rules, list_checked);
    let max_file_size = request.load.limits.file_size;
    suppress::run(
        &mut report,
        policies,
        request.report_unused_suppressions,
        max_file_size,
    );
    scope.retain_reported(&mut report);
    report.errors.splice(0..0, refused.iter().cloned());
    severity::override_severities(&mut report, &request.severities);
    baseline::settle(
        &mut report,
        request.baseline.as_ref(),
        request.accept_findings,
    );
    report
}
