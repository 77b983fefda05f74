//! The baseline stage: adopting the gate on a project that already has findings.
//!
//! `palisade check --write-baseline FILE` records the findings of a run; later runs with
//! `--baseline FILE` treat the recorded ones as known, so that only new findings fail,
//! and list the recorded ones that no longer occur as fixed.
//!
//! A finding is recorded by its [fingerprint](palisade_model::fingerprint()): its rule,
//! file, resource address and attribute path, never its line, so that editing lines above
//! a resource does not make its known findings new. Files are named relative to the
//! current directory, so a baseline is written and used from the same directory (a
//! repository's root, typically). Two findings with the same fingerprint are counted:
//! a baseline that records one of them leaves the other new.
//!
//! The file is JSON, sorted and without positions, so that it diffs well in review:
//!
//! ```json
//! {
//!   "version": 1,
//!   "findings": [
//!     {
//!       "fingerprint": "3f1c…",
//!       "rule": "open-ssh",
//!       "file": "net/main.tf",
//!       "address": "alicloud_security_group_rule.ssh",
//!       "attribute": "cidr_ip",
//!       "message": "SSH (TCP 22) open to the internet"
//!     }
//!   ]
//! }
//! ```

use palisade_syntax::source::read_regular;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use palisade_model::{BaselineEntry as Entry, Finding, Report, fingerprint};

/// The version of the file's shape this runner writes and reads.
pub const VERSION: u32 = 1;

/// A set of known findings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    version: u32,
    /// Sorted by file, rule, address, attribute, fingerprint and message.
    pub findings: Vec<Entry>,
}

/// A baseline that could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("cannot read the baseline {}: {source}", file.display())]
    Read {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the baseline {} is not valid: {message}", file.display())]
    Invalid { file: PathBuf, message: String },
    #[error("cannot write the baseline {}: {source}", file.display())]
    Write {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Baseline {
    /// The baseline that records `findings`.
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Baseline {
        let mut entries: Vec<Entry> = findings.into_iter().map(Entry::of).collect();
        entries.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        Baseline {
            version: VERSION,
            findings: entries,
        }
    }

    /// Reads the baseline `file`, a regular file of at most `max_size` bytes.
    pub fn read(file: &Path, max_size: u64) -> Result<Baseline, BaselineError> {
        let read = |source| BaselineError::Read {
            file: file.to_path_buf(),
            source,
        };
        let bytes = read_regular(file, max_size).map_err(read)?;
        let text = String::from_utf8(bytes)
            .map_err(|error| read(std::io::Error::new(std::io::ErrorKind::InvalidData, error)))?;
        Baseline::parse(&text, file)
    }

    /// Checks `text`, the contents of `file`.
    pub fn parse(text: &str, file: &Path) -> Result<Baseline, BaselineError> {
        let invalid = |message: String| BaselineError::Invalid {
            file: file.to_path_buf(),
            message,
        };
        let baseline: Baseline = serde_json::from_str(text).map_err(|error| {
            invalid(format!(
                "{error}; `palisade check --write-baseline` writes one"
            ))
        })?;
        if baseline.version != VERSION {
            return Err(invalid(format!(
                "version {} is not one this runner reads ({VERSION}); write it again with \
                 `palisade check --write-baseline`",
                baseline.version
            )));
        }
        Ok(baseline)
    }

    /// The file's text: pretty JSON, one key per line, ending with a newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Writes the baseline to `file`, creating its directory.
    pub fn write(&self, file: &Path) -> Result<(), BaselineError> {
        file.parent()
            .filter(|dir| !dir.as_os_str().is_empty())
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(file, self.to_json()))
            .map_err(|source| BaselineError::Write {
                file: file.to_path_buf(),
                source,
            })
    }

    /// Moves the findings of `report` that the baseline records to
    /// [`Report::baselined`], where they no longer fail the run, and lists the entries no
    /// finding matched in [`Report::fixed`].
    pub fn apply(&self, report: &mut Report) {
        let mut known: HashMap<&str, Vec<&Entry>> = HashMap::new();
        for entry in &self.findings {
            known.entry(&entry.fingerprint).or_default().push(entry);
        }
        let (baselined, new): (Vec<Finding>, Vec<Finding>) = std::mem::take(&mut report.findings)
            .into_iter()
            .partition(|finding| {
                known
                    .get_mut(fingerprint(finding).as_str())
                    .and_then(Vec::pop)
                    .is_some()
            });
        report.findings = new;
        report.baselined.extend(baselined);
        let mut fixed: Vec<Entry> = known.into_values().flatten().cloned().collect();
        fixed.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        report.fixed = fixed;
    }
}

/// `--baseline` and `--write-baseline` on the report of a run: findings `known` records
/// are marked known; then, when the run's findings are to be written as the new
/// baseline (`accept`), every finding counts as known, since the user has just accepted
/// them. [`Baseline::of`] the baselined findings is then the file to write.
pub fn settle(report: &mut Report, known: Option<&Baseline>, accept: bool) {
    if let Some(known) = known {
        known.apply(report);
    }
    if accept {
        let mut accepted = std::mem::take(&mut report.findings);
        report.baselined.append(&mut accepted);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_model::{Format, Position, Severity, Span};

    fn finding(address: &str, line: u32) -> Finding {
        Finding {
            rule: "open-ssh".to_owned(),
            severity: Severity::High,
            policy: "builtin:open-ssh".to_owned(),
            address: address.to_owned(),
            resource_type: "alicloud_security_group_rule".to_owned(),
            format: Format::Terraform,
            file: PathBuf::from("net/main.tf"),
            span: Span::new(Position::new(line, 3), Position::new(line, 24)),
            resource_span: Span::default(),
            attribute: "cidr_ip".to_owned(),
            message: "SSH (TCP 22) open to the internet".to_owned(),
            remediation: "".into(),
            origin: None,
            expired_suppression: None,
            quoted: true,
        }
    }

    fn report(findings: Vec<Finding>) -> Report {
        Report {
            findings,
            ..Report::default()
        }
    }

    fn addresses(findings: &[Finding]) -> Vec<&str> {
        findings.iter().map(|f| f.address.as_str()).collect()
    }

    #[test]
    fn the_file_is_sorted_without_lines_and_reads_back() {
        let baseline = Baseline::of(&[finding("b", 9), finding("a", 40)]);
        let text = baseline.to_json();
        assert!(!text.contains("line"), "{text}");
        let entry = &baseline.findings[0];
        assert_eq!(
            (entry.address.as_str(), entry.file.as_str()),
            ("a", "net/main.tf")
        );
        assert_eq!(entry.fingerprint, fingerprint(&finding("a", 1)));
        assert!(
            text.starts_with("{\n  \"version\": 1,\n  \"findings\": [\n"),
            "{text}"
        );
        assert_eq!(
            Baseline::parse(&text, Path::new("b.json")).unwrap(),
            baseline
        );
        // The same findings in another order, on other lines: the same file.
        assert_eq!(
            Baseline::of(&[finding("a", 1), finding("b", 2)]).to_json(),
            text
        );
    }

    #[test]
    fn known_findings_pass_new_ones_fail_and_missing_ones_are_fixed() {
        let baseline = Baseline::of(&[finding("kept", 1), finding("gone", 2)]);
        let mut run = report(vec![finding("kept", 30), finding("new", 31)]);
        baseline.apply(&mut run);
        assert_eq!(addresses(&run.findings), ["new"]);
        assert_eq!(addresses(&run.baselined), ["kept"]);
        assert_eq!(run.summary().findings, 1);
        let fixed: Vec<&str> = run.fixed.iter().map(|e| e.address.as_str()).collect();
        assert_eq!(fixed, ["gone"]);
    }

    #[test]
    fn equal_fingerprints_are_counted() {
        let baseline = Baseline::of(&[finding("twice", 1)]);
        let mut run = report(vec![finding("twice", 1), finding("twice", 1)]);
        baseline.apply(&mut run);
        assert_eq!(addresses(&run.findings), ["twice"]);
        assert_eq!(addresses(&run.baselined), ["twice"]);
        assert!(run.fixed.is_empty());

        let baseline = Baseline::of(&[finding("twice", 1), finding("twice", 1)]);
        let mut run = report(vec![finding("twice", 1)]);
        baseline.apply(&mut run);
        assert!(run.findings.is_empty());
        assert_eq!(run.fixed.len(), 1);
    }

    #[test]
    fn writing_accepts_every_finding_of_the_run() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sub/baseline.json");
        let old = Baseline::of(&[finding("gone", 1), finding("kept", 2)]);
        let mut run = report(vec![finding("kept", 2), finding("new", 3)]);
        settle(&mut run, Some(&old), true);
        Baseline::of(&run.baselined).write(&file).unwrap();
        assert!(run.findings.is_empty());
        assert_eq!(addresses(&run.baselined), ["kept", "new"]);
        assert_eq!(run.fixed.len(), 1);
        let written = Baseline::read(&file, u64::MAX).unwrap();
        let recorded: Vec<&str> = written
            .findings
            .iter()
            .map(|e| e.address.as_str())
            .collect();
        assert_eq!(recorded, ["kept", "new"]);
    }

    #[test]
    fn bad_files_are_errors_naming_them() {
        let error = |text: &str| {
            Baseline::parse(text, Path::new("b.json"))
                .unwrap_err()
                .to_string()
        };
        assert!(error("[]").starts_with("the baseline b.json is not valid: "));
        assert!(
            error("{\"version\": 2, \"findings\": []}").contains("version 2"),
            "{}",
            error("{\"version\": 2, \"findings\": []}")
        );
        assert!(matches!(
            Baseline::read(Path::new("/nonexistent/b.json"), u64::MAX),
            Err(BaselineError::Read { .. })
        ));
    }
}
