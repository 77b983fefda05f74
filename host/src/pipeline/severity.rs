//! The severity stage: `[rules.ID] severity` in `palisade.toml` replaces a rule's own
//! severity, on its findings, its notes and its description in the reports.

use std::collections::BTreeMap;

use palisade_model::{Report, Severity};

/// Gives the rules `severities` names their severity there.
pub fn override_severities(report: &mut Report, severities: &BTreeMap<String, Severity>) {
    if severities.is_empty() {
        return;
    }
    let severity = |id: &str| severities.get(id).copied();
    for finding in report.findings.iter_mut().chain(&mut report.notes) {
        if let Some(severity) = severity(&finding.rule) {
            finding.severity = severity;
        }
    }
    for run in &mut report.rules {
        if let Some(severity) = severity(&run.rule.id) {
            run.rule.severity = severity;
        }
    }
}
