//! What a policy returns: its rule metadata and the findings and notes of one evaluation.
//!
//! A rule reports through an [`Evaluation`]: [`fail`](Evaluation::fail) when the resource
//! is insecure, [`undecided`](Evaluation::undecided) when an unknown value keeps it from
//! saying, [`note`](Evaluation::note) when it passed for a reason worth telling. Each
//! names the rule by its [`Rule`] value (`&RULE`, never a string that could drift from
//! the declared id) and locates the statement by [`AttrPath`], which the runner turns
//! into a file, line and column.

use crate::attr::Unknown;
use crate::path::AttrPath;
use crate::resource::Resource;

/// How bad a failing finding is; defined with the runner, which compares it with
/// `--fail-on`.
pub use palisade_contract::Severity;

/// One rule a policy holds; the host shows it to users and selects resources by
/// `resource_types`.
///
/// Metadata is static so that a policy can declare it as a `const` and use the id when
/// reporting. The text fields are what users read when a rule fails them: say what is
/// checked, why it matters and what to change, in the words of the templates they write.
///
/// ```
/// use palisade_policy::{Rule, Severity};
///
/// pub const RULE: Rule = Rule {
///     id: "required-tags",
///     title: "Resources carry owner and cost-center tags",
///     severity: Severity::Low,
///     description: "A resource fails when its tags lack `owner` or `cost-center`. \
///         Untagged resources cannot be billed to a team or cleaned up when it leaves.",
///     remediation: "Add `owner` and `cost-center` to the resource's `tags`.",
///     // Usually `include_str!("required-tags.md")`, so the page lives beside the code.
///     documentation: "# required-tags\n\nEvery taggable resource names its owner.\n",
///     resource_types: &["alicloud_instance", "alicloud_oss_bucket", "ALIYUN::ECS::Instance"],
/// };
/// # assert_eq!(RULE.id, "required-tags");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Stable identifier users suppress and select by (`--rule`, `--skip-rule`):
    /// well-formed as [`check_rule_id`](crate::check_rule_id) defines it, and unique
    /// within the policy. The runner refuses a policy that breaks this. Renaming a rule
    /// breaks every configuration that names it.
    pub id: &'static str,
    /// One line, shown in lists (`palisade rules`) and reports.
    pub title: &'static str,
    /// Severity of the rule's findings, unless a finding sets its own
    /// ([`Evaluation::fail_with`]).
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
///
/// Made by the [`Evaluation`] methods, which fill every field from the resource and the
/// path; policies read findings back in tests (see [`testing::locations`]).
///
/// [`testing::locations`]: crate::testing::locations
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule that speaks; the runner rejects the evaluation if the policy does not
    /// declare it.
    pub rule: String,
    /// `index` of the resource concerned.
    pub resource_index: u32,
    /// Path of the attribute concerned ([`AttrPath`] syntax); empty for the resource
    /// itself. A path that is not in the file (an omitted attribute) is located at its
    /// closest ancestor that is, else at the resource header.
    pub attribute: String,
    /// What is wrong (or, for a note, what could not be decided and why).
    pub message: String,
    /// Overrides the rule's severity for this finding; `None` keeps the rule's.
    pub severity: Option<Severity>,
}

/// The result of one evaluation: failures and notes.
///
/// Findings fail the check (at or above `--fail-on`); notes never do and are shown only
/// with `--verbose`. A rule that cannot decide (an unknown value) writes a note, never a
/// finding: unknown is neither secure nor insecure.
///
/// ```
/// use palisade_policy::testing::resources;
/// use palisade_policy::{AttrPath, Evaluation, Rule, Severity};
/// use serde_json::json;
///
/// # const fn rule(id: &'static str) -> Rule {
/// #     Rule { id, title: "", severity: Severity::High, description: "", remediation: "",
/// #            documentation: "", resource_types: &[] }
/// # }
/// const UNENCRYPTED_DISK: Rule = rule("unencrypted-disk");
/// const PUBLIC_BUCKET: Rule = rule("public-bucket");
///
/// let set = resources(&[
///     ("aws_ebs_volume", "data", json!({"size": 40})),
///     ("alicloud_oss_bucket", "logs", json!({"acl": "public-read-write"})),
///     ("aws_ebs_volume", "copy", json!({"snapshot_id": "snap-1"})),
/// ]);
/// let mut evaluation = Evaluation::default();
///
/// // An omitted flag is the provider default: report at the resource itself.
/// evaluation.fail(&UNENCRYPTED_DISK, &set[0], &AttrPath::root(), "volume is not encrypted");
/// assert_eq!(evaluation.findings[0].attribute, "");
/// assert_eq!(evaluation.findings[0].severity, None, "the rule's own severity");
///
/// // A case worse than the rule's usual one carries its own severity.
/// let acl = set[1].get("acl");
/// evaluation.fail_with(Severity::Critical, &PUBLIC_BUCKET, &set[1], acl.path(), "world-writable");
/// assert_eq!(evaluation.findings[1].attribute, "acl");
/// assert_eq!(evaluation.findings[1].severity, Some(Severity::Critical));
///
/// // A pass worth explaining is a note: shown with `--verbose`, never failing.
/// let snapshot = set[2].get("snapshot_id");
/// evaluation.note(&UNENCRYPTED_DISK, &set[2], snapshot.path(), "encryption comes from the snapshot");
/// assert_eq!(evaluation.findings.len(), 2);
/// assert_eq!(evaluation.notes.len(), 1);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evaluation {
    /// Failures: they fail the check when their severity is at or above `--fail-on`.
    pub findings: Vec<Finding>,
    /// What could not be decided (unknown values) or passed for a reason worth saying;
    /// shown in verbose output, never failing.
    pub notes: Vec<Finding>,
}

impl Evaluation {
    /// Records a failure of `rule` on `resource` at `path`, with the rule's severity.
    ///
    /// Point `path` at the value to change (`ingress[0].cidr_blocks[1]`), or use
    /// [`AttrPath::root`] when the insecure value is an omitted attribute's default.
    pub fn fail(
        &mut self,
        rule: &Rule,
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
        rule: &Rule,
        resource: &Resource,
        path: &AttrPath,
        message: impl Into<String>,
    ) {
        self.findings.push(Finding {
            severity: Some(severity),
            ..finding(rule, resource, path, message.into())
        });
    }

    /// Records a note of `rule` on `resource` at `path`: something the user may want to
    /// know (why a resource passed, what was assumed) that must not fail the check.
    pub fn note(
        &mut self,
        rule: &Rule,
        resource: &Resource,
        path: &AttrPath,
        message: impl Into<String>,
    ) {
        self.notes
            .push(finding(rule, resource, path, message.into()));
    }

    /// Records that `rule` could not decide `resource` because of `unknown`: a note
    /// "could not decide: `<reason>`" at the unknown attribute.
    ///
    /// ```
    /// use palisade_policy::{Evaluation, Rule, Severity};
    /// use palisade_policy::testing::{resources, unknown};
    /// use serde_json::json;
    ///
    /// # const RULE: Rule = Rule { id: "unencrypted-disk", title: "", severity: Severity::High,
    /// #     description: "", remediation: "", documentation: "", resource_types: &[] };
    /// let set = resources(&[("alicloud_disk", "d", json!({"encrypted": unknown("var.enc has no value")}))]);
    /// let mut evaluation = Evaluation::default();
    /// if let Err(unknown) = set[0].get("encrypted").bool().decide() {
    ///     evaluation.undecided(&RULE, &set[0], &unknown);
    /// }
    /// assert!(evaluation.findings.is_empty());
    /// assert_eq!(evaluation.notes[0].attribute, "encrypted");
    /// assert_eq!(evaluation.notes[0].message, "could not decide: var.enc has no value");
    /// ```
    pub fn undecided(&mut self, rule: &Rule, resource: &Resource, unknown: &Unknown<'_>) {
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

    /// Keeps only what the rules with the ids `rules` reported.
    pub fn retain_rules(&mut self, rules: &[&str]) {
        let selected = |finding: &Finding| rules.contains(&finding.rule.as_str());
        self.findings.retain(selected);
        self.notes.retain(selected);
    }
}

fn finding(rule: &Rule, resource: &Resource, path: &AttrPath, message: String) -> Finding {
    Finding {
        rule: rule.id.to_owned(),
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
        let rule = Rule {
            id: "unencrypted-disk",
            title: "",
            severity: Severity::High,
            description: "",
            remediation: "",
            documentation: "",
            resource_types: &[],
        };
        let mut evaluation = Evaluation::default();
        evaluation.undecided(&rule, &disk, &unknown);
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
