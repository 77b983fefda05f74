//! The rules policies declare, as the runner and the reports describe them.

use super::Severity;

/// One rule of a policy, as `palisade rules` and `palisade explain` show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Stable id users select and suppress by: lowercase letters, digits and `-`.
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub description: String,
    pub remediation: String,
    /// Markdown.
    pub documentation: String,
    /// The resource types the rule reads; the runner sends only these.
    pub resource_types: Vec<String>,
}

/// A rule that took part in a run, with the policy that holds it: reports that describe
/// their rules (SARIF's tool driver, JUnit's suites) list these.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleRun {
    pub policy: String,
    pub rule: Rule,
}
