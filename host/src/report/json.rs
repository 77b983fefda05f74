//! The JSON report: a stable document for tools. Fields may be added, never renamed.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;

use serde::Serialize;
use serde_json::value::RawValue;

use super::display_path;
use palisade_model::Suppressed;
use palisade_model::{Finding, Problem, Report, Summary};

/// Version of the document's shape; bumped only when a field changes meaning.
const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    findings: Findings<'a>,
    notes: Findings<'a>,
    errors: Vec<JsonError<'a>>,
    /// Findings a suppression silenced, each with the suppression's reason.
    suppressed: Vec<JsonSuppressed<'a>>,
    /// Remarks that never change the exit code: unused suppressions.
    warnings: Vec<JsonError<'a>>,
    summary: Summary,
    /// Findings the `--baseline` records: known, not failing the run.
    baselined: Findings<'a>,
    /// Baseline entries that no finding matched any more.
    fixed: &'a [palisade_model::BaselineEntry],
}

/// Findings written one at a time, as they are serialized: a report of thousands of
/// findings is not copied into a second list first.
struct Findings<'a>(&'a [Finding], &'a Remediations);

impl Serialize for Findings<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|f| finding(f, self.1)))
    }
}

/// Each remediation written as JSON once: the findings of a rule share its text, and
/// escaping that paragraph again for each of thousands of findings took a fifth of the
/// report. Keyed by the shared text's address.
#[derive(Default)]
struct Remediations(HashMap<*const u8, Box<RawValue>>);

impl Remediations {
    fn of<'f>(findings: impl IntoIterator<Item = &'f Finding>) -> Self {
        let mut written = HashMap::new();
        for f in findings {
            let key = Arc::as_ptr(&f.remediation).cast::<u8>();
            if written.contains_key(&key) {
                continue;
            }
            if let Ok(text) = serde_json::value::to_raw_value(&*f.remediation) {
                written.insert(key, text);
            }
        }
        Self(written)
    }

    fn get<'a>(&'a self, text: &'a Arc<str>) -> Remediation<'a> {
        match self.0.get(&Arc::as_ptr(text).cast::<u8>()) {
            Some(written) => Remediation::Written(written),
            None => Remediation::Text(text),
        }
    }
}

/// A remediation, written already or not.
#[derive(Serialize)]
#[serde(untagged)]
enum Remediation<'a> {
    Written(&'a RawValue),
    Text(&'a str),
}

#[derive(Serialize)]
struct JsonSuppressed<'a> {
    #[serde(flatten)]
    finding: JsonFinding<'a>,
    suppression: JsonSuppression<'a>,
}

#[derive(Serialize)]
struct JsonSuppression<'a> {
    reason: &'a str,
    expires: Option<palisade_model::Date>,
    file: String,
    line: u32,
    column: u32,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    severity: palisade_model::Severity,
    policy: &'a str,
    resource: JsonResource<'a>,
    file: String,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    attribute: &'a str,
    message: String,
    remediation: Remediation<'a>,
}

#[derive(Serialize)]
struct JsonResource<'a> {
    address: &'a str,
    #[serde(rename = "type")]
    resource_type: &'a str,
}

#[derive(Serialize)]
struct JsonError<'a> {
    file: Option<String>,
    line: Option<u32>,
    column: Option<u32>,
    policy: Option<&'a str>,
    message: &'a str,
}

/// The whole report as one text; [`write`] streams it.
pub(super) fn render(report: &Report) -> String {
    let mut text = Vec::new();
    if write(report, &mut text).is_err() {
        text.clear();
    }
    // serde_json writes UTF-8.
    String::from_utf8(text).unwrap_or_default()
}

/// Writes the report to `out` as it is serialized, and a final newline.
pub(super) fn write(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let remediations = Remediations::of(
        (report.findings.iter())
            .chain(&report.notes)
            .chain(&report.baselined)
            .chain(report.suppressed.iter().map(|s| &s.finding)),
    );
    let document = Document {
        version: VERSION,
        findings: Findings(&report.findings, &remediations),
        notes: Findings(&report.notes, &remediations),
        errors: report.errors.iter().map(error).collect(),
        suppressed: (report.suppressed.iter())
            .map(|s| suppressed(s, &remediations))
            .collect(),
        warnings: report.warnings.iter().map(error).collect(),
        summary: report.summary(),
        baselined: Findings(&report.baselined, &remediations),
        fixed: &report.fixed,
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    out.write_all(b"\n")
}

fn finding<'a>(f: &'a Finding, remediations: &'a Remediations) -> JsonFinding<'a> {
    JsonFinding {
        rule: &f.rule,
        severity: f.severity,
        policy: &f.policy,
        resource: JsonResource {
            address: &f.address,
            resource_type: &f.resource_type,
        },
        file: display_path(&f.file),
        line: f.span.start.line,
        column: f.span.start.column,
        end_line: f.span.end.line,
        end_column: f.span.end.column,
        attribute: &f.attribute,
        message: f.full_message(),
        remediation: remediations.get(&f.remediation),
    }
}

fn suppressed<'a>(s: &'a Suppressed, remediations: &'a Remediations) -> JsonSuppressed<'a> {
    let suppression = &s.suppression;
    JsonSuppressed {
        finding: finding(&s.finding, remediations),
        suppression: JsonSuppression {
            reason: &suppression.reason,
            expires: suppression.expires,
            file: display_path(&suppression.file),
            line: suppression.position.line,
            column: suppression.position.column,
        },
    }
}

fn error(e: &Problem) -> JsonError<'_> {
    JsonError {
        file: e.file().map(display_path),
        line: e.position().map(|p| p.line),
        column: e.position().map(|p| p.column),
        policy: e.policy(),
        message: e.message(),
    }
}
