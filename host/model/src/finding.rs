//! What the rules say about resources, once located in their files.

use std::fmt::Write;
use std::path::PathBuf;
use std::sync::Arc;

use super::{
    Format, Origin, Severity, Span, Suppression, display_path, fingerprint, portable_path,
};

/// A failing (or, as a note, undecided) statement about one resource, located.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    /// The policy that holds the rule: `builtin:network` or a component path.
    pub policy: String,
    pub address: String,
    pub resource_type: String,
    /// The format of the file: a plan's lines are never quoted, since they may hold
    /// sensitive values next to the one a finding is about.
    pub format: Format,
    pub file: PathBuf,
    pub span: Span,
    /// The resource's header (`resource "t" "n" {`, a ROS logical id): a suppression
    /// comment on or above it covers every finding on the resource.
    pub resource_span: Span,
    /// Attribute path (`ingress[0].cidr_blocks[0]`); empty for the resource header.
    pub attribute: String,
    /// What the rule says, as the policy wrote it; reports show [`Finding::full_message`].
    pub message: String,
    /// The rule's, shared rather than copied into each of thousands of findings.
    pub remediation: Arc<str>,
    /// Where the value the finding is about comes from, when it is not written at the
    /// attribute: a variable's default, a module argument, a ROS parameter.
    pub origin: Option<Origin>,
    /// A suppression that covered the finding until it expired: the finding stands, and
    /// says why it is back.
    pub expired_suppression: Option<Suppression>,
    /// Whether a report may quote the source lines of [`Finding::span`]: not when they
    /// hold the sensitive value the finding is about (a password written in a template),
    /// nor for a plan, whose lines may hold sensitive values beside the one concerned.
    pub quoted: bool,
}

impl Finding {
    /// The message with what a reader needs beside it: where the value comes from, and
    /// the suppression that expired (`... (var.acl from default at variables.tf:3:13)`).
    pub fn full_message(&self) -> String {
        let mut text = self.message.clone();
        if let Some(origin) = &self.origin {
            let _ = write!(text, " ({origin})");
        }
        if let Some(suppression) = &self.expired_suppression {
            let on = suppression
                .expires
                .map_or_else(String::new, |date| format!(" on {date}"));
            let _ = write!(
                text,
                "; suppression expired{on} ({}:{})",
                display_path(&suppression.file),
                suppression.position.line
            );
        }
        text
    }
}

/// One resource a rule read: JUnit shows it as a test case, so a report shows what passed
/// as well as what failed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Checked {
    pub rule: String,
    pub file: PathBuf,
    pub address: String,
    pub resource_type: String,
    pub span: Span,
}

/// A finding as a baseline file records it: its fingerprint, which is all that matching
/// reads, and what it was about, for the people reviewing the file and for the list of
/// fixed findings.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    pub fingerprint: String,
    pub rule: String,
    pub file: String,
    pub address: String,
    pub attribute: String,
    pub message: String,
}

impl BaselineEntry {
    /// The entry that records `finding`, by the fingerprint that survives moved lines.
    pub fn of(finding: &Finding) -> BaselineEntry {
        BaselineEntry {
            fingerprint: fingerprint(finding),
            rule: finding.rule.clone(),
            file: portable_path(&finding.file),
            address: finding.address.clone(),
            attribute: finding.attribute.clone(),
            message: finding.full_message(),
        }
    }

    /// The order entries are written in, so that a baseline file diffs well.
    pub fn order_key(&self) -> (&str, &str, &str, &str, &str, &str) {
        (
            &self.file,
            &self.rule,
            &self.address,
            &self.attribute,
            &self.fingerprint,
            &self.message,
        )
    }
}
