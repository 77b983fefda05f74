//! What a policy returns: its rule metadata and the findings and notes of one evaluation.

use crate::attr::Unknown;
use crate::path::AttrPath;
use crate::resource::Resource;

/// How bad a failing finding is; `--fail-on` compares against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing, never a risk by itself.
    Info,
    /// A weakness with little direct exposure.
    Low,
    /// A weakness an attacker needs more to exploit.
    Medium,
    /// A direct exposure.
    High,
    /// A direct exposure of everything (world-writable, all ports open).
    Critical,
}

/// One rule a policy holds; the host shows it to users and selects resources by
/// `resource_types`.
///
/// Metadata is static so that a policy can declare it as a `const` and use the id when
/// reporting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Stable identifier users suppress and select by: lowercase, digits and `-`.
    pub id: &'static str,
    /// One line, shown in lists.
    pub title: &'static str,
    /// Severity of the rule's findings.
    pub severity: Severity,
    /// One paragraph: what the rule checks and why it matters.
    pub description: &'static str,
    /// What to change to pass.
    pub remediation: &'static str,
    /// Full documentation in Markdown, printed by `palisade explain`.
    pub documentation: &'static str,
    /// Every resource type the rule reads, including ones it only links to; the host
    /// sends only these.
    pub resource_types: &'static [&'static str],
}

/// A statement about one resource, located by attribute path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule that speaks.
    pub rule: String,
    /// `index` of the resource concerned.
    pub resource_index: u32,
    /// Path of the attribute concerned; empty for the resource itself.
    pub attribute: String,
    /// What is wrong (or, for a note, what could not be decided and why).
    pub message: String,
    /// Overrides the rule's severity for this finding; `None` keeps the rule's.
    pub severity: Option<Severity>,
}

/// The result of one evaluation: failures and notes.
///
/// ```
/// use palisade_policy::{AttrPath, Evaluation, Format, Resource};
/// use serde_json::json;
///
/// let disk = Resource::new(0, "aws_ebs_volume", "aws_ebs_volume.d", Format::Terraform, json!({}));
/// let mut evaluation = Evaluation::default();
/// evaluation.fail("unencrypted-disk", &disk, &AttrPath::root(), "volume is not encrypted");
/// assert_eq!(evaluation.findings[0].attribute, "");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evaluation {
    /// Failures.
    pub findings: Vec<Finding>,
    /// What could not be decided (unknown values) or passed for a reason worth saying;
    /// shown in verbose output, never failing.
    pub notes: Vec<Finding>,
}

impl Evaluation {
    /// Records a failure of `rule` on `resource` at `path`, with the rule's severity.
    pub fn fail(
        &mut self,
        rule: &str,
        resource: &Resource,
        path: &AttrPath,
        message: impl Into<String>,
    ) {
        self.findings
            .push(finding(rule, resource, path, message.into()));
    }

    /// Records a failure with a severity of its own, for the cases a rule rates worse
    /// (or milder) than usual: a world-writable bucket is critical where a readable one
    /// is high.
    pub fn fail_with(
        &mut self,
        severity: Severity,
        rule: &str,
        resource: &Resource,
        path: &AttrPath,
        message: impl Into<String>,
    ) {
        self.findings.push(Finding {
            severity: Some(severity),
            ..finding(rule, resource, path, message.into())
        });
    }

    /// Records a note of `rule` on `resource` at `path`.
    pub fn note(
        &mut self,
        rule: &str,
        resource: &Resource,
        path: &AttrPath,
        message: impl Into<String>,
    ) {
        self.notes
            .push(finding(rule, resource, path, message.into()));
    }

    /// Records that `rule` could not decide `resource` because of `unknown`: a note
    /// "could not decide: `<reason>`" at the unknown attribute.
    pub fn undecided(&mut self, rule: &str, resource: &Resource, unknown: &Unknown<'_>) {
        self.note(
            rule,
            resource,
            &unknown.path,
            format!("could not decide: {}", unknown.reason),
        );
    }

    /// Appends another evaluation's findings and notes (for policies with several rules).
    pub fn extend(&mut self, other: Evaluation) {
        self.findings.extend(other.findings);
        self.notes.extend(other.notes);
    }
}

fn finding(rule: &str, resource: &Resource, path: &AttrPath, message: String) -> Finding {
    Finding {
        rule: rule.to_owned(),
        resource_index: resource.index,
        attribute: path.as_str().to_owned(),
        message,
        severity: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::Format;
    use serde_json::json;

    #[test]
    fn undecided_becomes_a_located_note() {
        let disk = Resource::new(
            7,
            "alicloud_disk",
            "alicloud_disk.d",
            Format::Terraform,
            json!({"encrypted": {"$unknown": {"reason": "var.enc has no value", "refers": null}}}),
        );
        let unknown = disk.get("encrypted").bool().decide().unwrap_err();
        let mut evaluation = Evaluation::default();
        evaluation.undecided("unencrypted-disk", &disk, &unknown);
        assert!(evaluation.findings.is_empty());
        assert_eq!(
            evaluation.notes,
            [Finding {
                rule: "unencrypted-disk".into(),
                resource_index: 7,
                attribute: "encrypted".into(),
                message: "could not decide: var.enc has no value".into(),
                severity: None,
            }]
        );
    }
}
