//! The expectations file of a policy test fixture, `expect.toml`, and how the findings of
//! a run are compared with it.
//!
//! The file lists every finding the policy must report in its fixture, and nothing else:
//!
//! ```toml
//! # Every finding the policy must report here, and nothing else.
//! [[finding]]
//! rule = "required-tags"
//! resource = "alicloud_instance.web"   # the resource address
//! line = 12                            # optional: the finding's line
//! file = "main.tf"                     # optional: relative to the fixture dir
//! severity = "low"                     # optional: the finding's severity
//! message = "missing tag `owner`"      # optional: a substring of the message
//!
//! # Optional: every note (`--verbose`) the policy must report, and nothing else.
//! [[note]]
//! rule = "required-tags"
//! resource = "alicloud_instance.db"
//! message = "could not decide"
//! ```
//!
//! A fixture that must pass says so with an explicit empty list, `finding = []`: a file
//! that forgot the key would otherwise pass by saying nothing. Unknown keys are errors, so
//! that a misspelt `lines = 12` cannot silently match any line. Notes (statements a rule
//! could not decide, or that something else neutralised) are compared only when the file
//! has a `note` key (`note = []` for none); notes have no severity.

use std::fmt;
use std::path::{Component, Path, PathBuf};

use serde::Deserialize;

use palisade_model::{Located, Position, Severity};

/// The name of the expectations file in each fixture directory.
pub const FILE_NAME: &str = "expect.toml";

/// One finding a fixture must produce. The optional fields narrow the match; left out,
/// they match anything.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    /// The rule id.
    pub rule: String,
    /// The resource address (`alicloud_instance.web`, or a ROS logical id).
    pub resource: String,
    /// The 1-based line the finding points at.
    pub line: Option<u32>,
    /// The file the finding points at, relative to the fixture directory.
    pub file: Option<PathBuf>,
    /// The finding's severity (`info` to `critical`); `note` for a note, which has none.
    #[serde(default)]
    pub severity: Option<String>,
    /// A part of the finding's message.
    pub message: Option<String>,
}

/// The whole file; `finding` is an `Option` only to tell a forgotten key from `[]`, and
/// `note` to tell "notes are not compared" from "no note".
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectFile {
    finding: Option<Vec<Expected>>,
    note: Option<Vec<Expected>>,
}

/// What a fixture expects: its findings, and its notes when it lists them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expectations {
    pub findings: Vec<Expected>,
    /// `None`: the notes are not compared.
    pub notes: Option<Vec<Expected>>,
}

/// The severity slot of a note, which has none.
pub const NOTE: &str = "note";

/// A finding (or note) as the comparison sees it: which rule said what about which
/// resource, where, and how severe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub rule: String,
    pub resource: String,
    /// Relative to the fixture directory when the file is inside it.
    pub file: PathBuf,
    pub line: u32,
    /// The severity (`high`), or [`NOTE`] for a note.
    pub severity: String,
    pub message: String,
}

/// Why an expectations file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ExpectError {
    #[error("{}: cannot read: {source}", file.display())]
    Read {
        file: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Invalid(#[from] Located),
    #[error(
        "{}: no `finding` key: list each expected finding as a [[finding]] table, \
         or write `finding = []` for a fixture that must pass",
        .0.display()
    )]
    NoFindings(PathBuf),
}

/// Reads and parses the expectations file `file`.
pub fn read(file: &Path) -> Result<Expectations, ExpectError> {
    let text = std::fs::read_to_string(file).map_err(|source| ExpectError::Read {
        file: file.to_path_buf(),
        source,
    })?;
    parse(&text, file)
}

/// Parses the text of an expectations file; `file` names it in errors.
pub fn parse(text: &str, file: &Path) -> Result<Expectations, ExpectError> {
    let invalid = |position: Position, message: String| {
        ExpectError::Invalid(Located::new(file, position, message))
    };
    let parsed: ExpectFile = toml::from_str(text).map_err(|error| {
        let position = error.span().map_or(Position::new(1, 1), |span| {
            Position::from_offset(text, span.start)
        });
        invalid(position, error.message().trim_end().to_owned())
    })?;
    let findings = parsed
        .finding
        .ok_or_else(|| ExpectError::NoFindings(file.to_path_buf()))?;
    let mut expectations = Expectations {
        findings: findings.into_iter().map(normalized).collect(),
        notes: parsed
            .note
            .map(|notes| notes.into_iter().map(normalized).collect()),
    };
    let severities = Severity::ALL.map(Severity::as_str);
    for finding in &expectations.findings {
        if let Some(severity) = finding
            .severity
            .as_deref()
            .filter(|s| !severities.contains(s))
        {
            let message = format!(
                "unknown severity `{severity}`; expected one of {}",
                severities.join(", ")
            );
            return Err(invalid(
                position_of(text, &format!("{severity:?}")),
                message,
            ));
        }
    }
    for note in expectations.notes.iter_mut().flatten() {
        if note.severity.take().is_some() {
            let notes = text.find("[[note]]").unwrap_or_default();
            let at = text[notes..].find("severity").map_or(0, |at| notes + at);
            let message = "a note has no severity; remove `severity` from its [[note]]";
            return Err(invalid(Position::from_offset(text, at), message.to_owned()));
        }
        note.severity = Some(NOTE.to_owned());
    }
    Ok(expectations)
}

/// Where `needle` first occurs in `text`, or its start.
fn position_of(text: &str, needle: &str) -> Position {
    Position::from_offset(text, text.find(needle).unwrap_or_default())
}

/// `./main.tf` names the same file as `main.tf`.
fn normalized(mut expected: Expected) -> Expected {
    expected.file = expected.file.as_ref().map(|path| {
        path.components()
            .filter(|c| !matches!(c, Component::CurDir))
            .collect()
    });
    expected
}

impl Expected {
    /// Whether `found` is a finding this expectation describes.
    pub fn matches(&self, found: &Found) -> bool {
        self.rule == found.rule
            && self.resource == found.resource
            && self.line.is_none_or(|line| line == found.line)
            && self.file.as_ref().is_none_or(|file| *file == found.file)
            && self
                .severity
                .as_ref()
                .is_none_or(|severity| *severity == found.severity)
            && self
                .message
                .as_ref()
                .is_none_or(|part| found.message.contains(part.as_str()))
    }
}

/// The difference between what a fixture expects and what the policy found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comparison {
    /// Expected findings the policy did not report.
    pub missing: Vec<Expected>,
    /// Findings the policy reported that nothing expected.
    pub unexpected: Vec<Found>,
}

impl Comparison {
    /// Whether the policy reported exactly what was expected.
    pub fn agrees(&self) -> bool {
        self.missing.is_empty() && self.unexpected.is_empty()
    }
}

/// Matches expected and found findings one to one, as many as possible: two identical
/// expectations need two findings, and an expectation that leaves out the line does not
/// take the finding that a more precise one needs.
pub fn compare(expected: &[Expected], found: &[Found]) -> Comparison {
    let owners = maximum_matching(expected, found);
    let mut matched = vec![false; expected.len()];
    for owner in owners.iter().flatten() {
        matched[*owner] = true;
    }
    Comparison {
        missing: expected
            .iter()
            .zip(&matched)
            .filter(|(_, matched)| !**matched)
            .map(|(e, _)| e.clone())
            .collect(),
        unexpected: found
            .iter()
            .zip(&owners)
            .filter(|(_, owner)| owner.is_none())
            .map(|(f, _)| f.clone())
            .collect(),
    }
}

/// For each found finding, the index of the expectation it is matched with, in a
/// maximum matching (augmenting paths, as in Kuhn's algorithm).
fn maximum_matching(expected: &[Expected], found: &[Found]) -> Vec<Option<usize>> {
    let mut owners = vec![None; found.len()];
    for start in 0..expected.len() {
        augment(start, expected, found, &mut owners);
    }
    owners
}

/// Looks for a free finding for expectation `start`, moving already matched expectations
/// to other findings where that frees one. Iterative, so that a long expectations file
/// cannot exhaust the stack.
fn augment(
    start: usize,
    expected: &[Expected],
    found: &[Found],
    owners: &mut [Option<usize>],
) -> bool {
    let mut seen = vec![false; found.len()];
    // The expectations on the current path, each with the next finding to try for it,
    // and the findings that link each one to the next.
    let mut path: Vec<(usize, usize)> = vec![(start, 0)];
    let mut links: Vec<usize> = Vec::new();
    while let Some((wanting, next)) = path.last_mut() {
        let candidate =
            (*next..found.len()).find(|&f| !seen[f] && expected[*wanting].matches(&found[f]));
        let Some(f) = candidate else {
            path.pop();
            links.pop();
            continue;
        };
        *next = f + 1;
        seen[f] = true;
        links.push(f);
        match owners[f] {
            Some(owner) => path.push((owner, 0)),
            None => {
                // Every expectation on the path takes the finding after it.
                for ((wanting, _), &f) in path.iter().zip(&links) {
                    owners[f] = Some(*wanting);
                }
                return true;
            }
        }
    }
    false
}

impl fmt::Display for Expected {
    /// `main.tf:12 rule resource, message containing "..."`, as the diff shows it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.line) {
            (Some(file), Some(line)) => write!(f, "{}:{line}", file.display())?,
            (Some(file), None) => write!(f, "{}", file.display())?,
            (None, Some(line)) => write!(f, "line {line}")?,
            (None, None) => write!(f, "any line")?,
        }
        if let Some(severity) = &self.severity {
            write!(f, " {severity}")?;
        }
        write!(f, " {} {}", self.rule, self.resource)?;
        if let Some(message) = &self.message {
            write!(f, ", message containing {message:?}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Found {
    /// `main.tf:12 high rule resource: message`, as the diff shows it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{} {} {} {}: {}",
            self.file.display(),
            self.line,
            self.severity,
            self.rule,
            self.resource,
            self.message
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<Expected>, ExpectError> {
        parse_all(text).map(|expectations| expectations.findings)
    }

    fn parse_all(text: &str) -> Result<Expectations, ExpectError> {
        super::parse(text, Path::new("tests/case/expect.toml"))
    }

    fn expected(rule: &str, resource: &str, line: Option<u32>) -> Expected {
        Expected {
            rule: rule.into(),
            resource: resource.into(),
            line,
            file: None,
            severity: None,
            message: None,
        }
    }

    fn found(rule: &str, resource: &str, line: u32) -> Found {
        Found {
            rule: rule.into(),
            resource: resource.into(),
            file: "main.tf".into(),
            line,
            severity: "low".into(),
            message: "missing tag `owner`".into(),
        }
    }

    #[test]
    fn every_field_is_read() {
        let text = r#"
            [[finding]]
            rule = "required-tags"
            resource = "alicloud_instance.web"
            line = 12
            file = "./modules/main.tf"
            message = "missing tag"

            [[finding]]
            rule = "required-tags"
            resource = "alicloud_instance.db"
        "#;
        let findings = parse(text).unwrap();
        assert_eq!(
            findings,
            [
                Expected {
                    line: Some(12),
                    file: Some("modules/main.tf".into()),
                    message: Some("missing tag".into()),
                    ..expected("required-tags", "alicloud_instance.web", None)
                },
                expected("required-tags", "alicloud_instance.db", None),
            ]
        );
    }

    #[test]
    fn notes_are_compared_only_when_listed() {
        let unlisted = parse_all("finding = []").unwrap();
        assert_eq!(unlisted.notes, None);
        let text = "finding = []\n[[note]]\nrule = \"r\"\nresource = \"a.b\"\nline = 4\n";
        let notes = parse_all(text).unwrap().notes.unwrap();
        assert_eq!(
            notes,
            [Expected {
                severity: Some(NOTE.into()),
                ..expected("r", "a.b", Some(4))
            }]
        );
        assert_eq!(
            parse_all("finding = []\nnote = []").unwrap().notes,
            Some(vec![])
        );
    }

    #[test]
    fn severities_are_checked_and_narrow_the_match() {
        let text = "[[finding]]\nrule = \"r\"\nresource = \"a\"\nseverity = \"severe\"\n";
        let error = parse(text).unwrap_err().to_string();
        assert!(
            error.starts_with("tests/case/expect.toml:4:12: unknown severity `severe`"),
            "{error}"
        );
        let text = "finding = []\n[[note]]\nrule = \"r\"\nresource = \"a\"\nseverity = \"low\"\n";
        let error = parse_all(text).unwrap_err().to_string();
        assert!(error.contains(":5:1: a note has no severity"), "{error}");
        let web = found("required-tags", "alicloud_instance.web", 12);
        let with = |severity: &str| Expected {
            severity: Some(severity.into()),
            ..expected("required-tags", "alicloud_instance.web", None)
        };
        assert!(with("low").matches(&web));
        assert!(!with("high").matches(&web));
    }

    #[test]
    fn a_passing_fixture_says_so_explicitly() {
        assert_eq!(parse("finding = []").unwrap(), []);
        let error = parse("# nothing to report\n").unwrap_err();
        assert!(matches!(error, ExpectError::NoFindings(_)));
        assert!(
            error.to_string().contains("write `finding = []`"),
            "{error}"
        );
    }

    #[test]
    fn unknown_keys_are_named_with_their_position() {
        let error = parse("[[finding]]\nrule = \"r\"\nresource = \"a\"\nlines = 3\n").unwrap_err();
        let message = error.to_string();
        assert!(
            message.starts_with("tests/case/expect.toml:4:1: "),
            "{message}"
        );
        assert!(message.contains("unknown field `lines`"), "{message}");
        let error = parse("findings = []\n").unwrap_err();
        assert!(
            error.to_string().contains("unknown field `findings`"),
            "{error}"
        );
    }

    #[test]
    fn missing_required_fields_and_bad_types_are_errors() {
        let error = parse("[[finding]]\nrule = \"r\"\n").unwrap_err();
        assert!(
            error.to_string().contains("missing field `resource`"),
            "{error}"
        );
        let error = parse("[[finding]]\nrule = \"r\"\nresource = \"a\"\nline = -1\n").unwrap_err();
        assert!(matches!(error, ExpectError::Invalid(_)), "{error}");
        assert!(matches!(parse("finding = ["), Err(ExpectError::Invalid(_))));
    }

    #[test]
    fn optional_fields_narrow_the_match() {
        let web = found("required-tags", "alicloud_instance.web", 12);
        assert!(expected("required-tags", "alicloud_instance.web", None).matches(&web));
        assert!(expected("required-tags", "alicloud_instance.web", Some(12)).matches(&web));
        assert!(!expected("required-tags", "alicloud_instance.web", Some(13)).matches(&web));
        assert!(!expected("other", "alicloud_instance.web", None).matches(&web));
        assert!(!expected("required-tags", "alicloud_instance.db", None).matches(&web));
        let in_file = |file: &str| Expected {
            file: Some(file.into()),
            ..expected("required-tags", "alicloud_instance.web", None)
        };
        assert!(in_file("main.tf").matches(&web));
        assert!(!in_file("other.tf").matches(&web));
        let saying = |part: &str| Expected {
            message: Some(part.into()),
            ..expected("required-tags", "alicloud_instance.web", None)
        };
        assert!(saying("tag `owner`").matches(&web));
        assert!(!saying("tag `cost-center`").matches(&web));
    }

    #[test]
    fn findings_are_matched_one_to_one() {
        let web = found("required-tags", "alicloud_instance.web", 12);
        let twice = [
            expected("required-tags", "alicloud_instance.web", None),
            expected("required-tags", "alicloud_instance.web", None),
        ];
        let comparison = compare(&twice, std::slice::from_ref(&web));
        assert_eq!(comparison.missing, [twice[1].clone()]);
        assert!(comparison.unexpected.is_empty());

        let comparison = compare(&twice[..1], &[web.clone(), web.clone()]);
        assert!(comparison.missing.is_empty());
        assert_eq!(comparison.unexpected, std::slice::from_ref(&web));

        assert!(compare(&twice, &[web.clone(), web]).agrees());
    }

    #[test]
    fn a_loose_expectation_does_not_take_the_finding_a_precise_one_needs() {
        // The first expectation fits both findings, the second only the first one: a
        // greedy match would leave the second without a finding.
        let expected = [
            expected("required-tags", "alicloud_instance.web", None),
            expected("required-tags", "alicloud_instance.web", Some(12)),
        ];
        let found = [
            found("required-tags", "alicloud_instance.web", 12),
            found("required-tags", "alicloud_instance.web", 30),
        ];
        assert!(compare(&expected, &found).agrees());
    }

    #[test]
    fn missing_and_unexpected_findings_are_listed() {
        let expected = [
            expected("required-tags", "alicloud_instance.web", Some(12)),
            expected("required-tags", "alicloud_instance.db", None),
        ];
        let found = [
            found("required-tags", "alicloud_instance.web", 14),
            found("required-tags", "alicloud_instance.db", 40),
        ];
        let comparison = compare(&expected, &found);
        assert!(!comparison.agrees());
        assert_eq!(comparison.missing, [expected[0].clone()]);
        assert_eq!(comparison.unexpected, [found[0].clone()]);
    }

    #[test]
    fn the_diff_shows_where_what_and_which() {
        let precise = Expected {
            file: Some("main.tf".into()),
            message: Some("tag".into()),
            ..expected("required-tags", "alicloud_instance.web", Some(12))
        };
        assert_eq!(
            precise.to_string(),
            "main.tf:12 required-tags alicloud_instance.web, message containing \"tag\""
        );
        assert_eq!(expected("r", "a.b", Some(3)).to_string(), "line 3 r a.b");
        assert_eq!(expected("r", "a.b", None).to_string(), "any line r a.b");
        assert_eq!(
            found("required-tags", "alicloud_instance.web", 12).to_string(),
            "main.tf:12 low required-tags alicloud_instance.web: missing tag `owner`"
        );
        let severe = Expected {
            severity: Some("critical".into()),
            ..expected("r", "a.b", Some(3))
        };
        assert_eq!(severe.to_string(), "line 3 critical r a.b");
    }
}
