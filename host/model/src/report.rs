//! Everything one run found, as every report renders it.

use super::{BaselineEntry, Checked, Finding, Problem, RuleRun, Severity, Suppressed};

/// Everything one run found, sorted for deterministic output.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Every rule that ran, in the order the policies declare them.
    pub rules: Vec<RuleRun>,
    /// Every (rule, resource) pair evaluated, sorted; branch variants of one resource
    /// appear once. Listed only when a report needs it (JUnit, unused suppressions).
    pub checked: Vec<Checked>,
    pub findings: Vec<Finding>,
    /// Statements that never fail a run: undecidable values, shadowed rules.
    pub notes: Vec<Finding>,
    pub errors: Vec<Problem>,
    /// Findings silenced by a suppression with a reason; they never fail a run.
    pub suppressed: Vec<Suppressed>,
    /// Located remarks that never change the verdict: unused suppressions.
    pub warnings: Vec<Problem>,
    /// Findings a `--baseline` records: known, so they never fail a run.
    pub baselined: Vec<Finding>,
    /// Baseline entries no finding of the run matched: fixed since the baseline.
    pub fixed: Vec<BaselineEntry>,
    /// How many template files were read.
    pub files: usize,
    /// How many resources they hold.
    pub resources: usize,
    /// How many policies were loaded.
    pub policies: usize,
}

/// Counts for the summary line and the JSON `summary` object.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub resources: usize,
    pub policies: usize,
    pub findings: usize,
    pub errors: usize,
    /// Findings a suppression comment or ROS `Metadata` silenced.
    pub suppressed: usize,
}

/// What the process exit code means; documented in `palisade --help`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Exit 0: no finding at or above the threshold.
    Pass = 0,
    /// Exit 1: findings at or above the threshold.
    Fail = 1,
    /// Exit 2: a file or policy could not be loaded or evaluated.
    Error = 2,
}

impl Report {
    /// The counts, taken from the lists, so they always agree with what is reported.
    pub fn summary(&self) -> Summary {
        Summary {
            files: self.files,
            resources: self.resources,
            policies: self.policies,
            findings: self.findings.len(),
            errors: self.errors.len(),
            suppressed: self.suppressed.len(),
        }
    }

    /// Error when anything could not be checked, else fail when a finding reaches
    /// `fail_on`.
    pub fn verdict(&self, fail_on: Severity) -> Verdict {
        if !self.errors.is_empty() {
            Verdict::Error
        } else if self.findings.iter().any(|f| f.severity >= fail_on) {
            Verdict::Fail
        } else {
            Verdict::Pass
        }
    }
}
