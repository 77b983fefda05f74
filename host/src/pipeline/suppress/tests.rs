//! The stage on hand-made reports over real files.

use std::path::Path;

use super::*;
use palisade_model::{Format, Rule, RuleRun, Severity, Span};

const MAIN_TF: &str = r#"# palisade:ignore open-ssh reason="bastion"
resource "aws_security_group" "above" {
  cidr = "0.0.0.0/0"
}

resource "aws_security_group" "header" { # palisade:ignore open-ssh reason="header"
  cidr = "0.0.0.0/0"
}

resource "aws_security_group" "attribute" {
  cidr = "0.0.0.0/0" # palisade:ignore open-ssh reason="attribute"
}

resource "aws_security_group" "elsewhere" {
  name = "x"
  # palisade:ignore open-ssh reason="not on the finding's line"

  cidr = "0.0.0.0/0"
}

resource "aws_security_group" "counted" {
  # palisade:ignore open-ssh[0] reason="only the first"
  cidr = "0.0.0.0/0"
}

resource "aws_security_group" "expired" {
  # palisade:ignore open-ssh reason="was temporary" expires=2026-01-01
  cidr = "0.0.0.0/0"
}
"#;

fn line(n: u32) -> Span {
    Span::new(Position::new(n, 1), Position::new(n, 10))
}

fn finding(file: &Path, address: &str, header: u32, at: u32) -> Finding {
    Finding {
        rule: "open-ssh".to_owned(),
        severity: Severity::Critical,
        policy: "builtin:open-ssh".to_owned(),
        address: address.to_owned(),
        resource_type: "aws_security_group".to_owned(),
        format: Format::Terraform,
        file: file.to_path_buf(),
        span: line(at),
        resource_span: line(header),
        attribute: "cidr".to_owned(),
        message: "SSH open".to_owned(),
        remediation: "".into(),
        origin: None,
        expired_suppression: None,
        quoted: true,
    }
}

fn report(findings: Vec<Finding>) -> Report {
    Report {
        rules: vec![RuleRun {
            policy: "builtin:open-ssh".to_owned(),
            rule: Rule {
                id: "open-ssh".to_owned(),
                title: "SSH open to the world".to_owned(),
                severity: Severity::Critical,
                description: String::new(),
                remediation: "".into(),
                documentation: String::new(),
                resource_types: vec!["aws_security_group".to_owned()],
            },
        }],
        findings,
        ..Report::default()
    }
}

fn options(today: &str) -> Options {
    Options {
        known_rules: ["open-ssh", "public-bucket"].map(String::from).into(),
        today: Date::parse(today).unwrap(),
        report_unused: false,
        max_file_size: palisade_model::Limits::default().file_size,
    }
}

/// Addresses of the findings kept and of those suppressed.
fn split(report: &Report) -> (Vec<&str>, Vec<&str>) {
    (
        report.findings.iter().map(|f| f.address.as_str()).collect(),
        report
            .suppressed
            .iter()
            .map(|s| s.finding.address.as_str())
            .collect(),
    )
}

#[test]
fn placement_instances_and_expiry_decide_what_is_suppressed() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("main.tf");
    std::fs::write(&file, MAIN_TF).unwrap();
    let findings = vec![
        finding(&file, "aws_security_group.above", 2, 3),
        finding(&file, "aws_security_group.header", 6, 7),
        finding(&file, "aws_security_group.attribute", 10, 11),
        finding(&file, "aws_security_group.elsewhere", 14, 18),
        finding(&file, "aws_security_group.counted[0]", 21, 23),
        finding(&file, "aws_security_group.counted[1]", 21, 23),
        finding(&file, "aws_security_group.expired", 26, 28),
    ];

    let mut before = report(findings.clone());
    apply(&mut before, &options("2025-12-31"));
    assert_eq!(before.errors, []);
    assert_eq!(
        split(&before),
        (
            vec![
                "aws_security_group.elsewhere",
                "aws_security_group.counted[1]"
            ],
            vec![
                "aws_security_group.above",
                "aws_security_group.header",
                "aws_security_group.attribute",
                "aws_security_group.counted[0]",
                "aws_security_group.expired",
            ]
        )
    );
    assert_eq!(before.summary().findings, 2);
    assert_eq!(before.summary().suppressed, 5);
    let header = &before.suppressed[1].suppression;
    assert_eq!(header.reason, "header");
    assert_eq!(header.position, Position::new(6, 44));

    let mut after = report(findings);
    apply(&mut after, &options("2026-01-01"));
    let expired = after.findings.last().unwrap();
    assert_eq!(expired.address, "aws_security_group.expired");
    let message = expired.full_message();
    assert!(
        message.starts_with("SSH open; suppression expired on 2026-01-01 (")
            && message.ends_with("main.tf:27)"),
        "{message}"
    );
    assert_eq!(expired.message, "SSH open");
}

#[test]
fn refused_suppressions_are_errors_and_suppress_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("main.tf");
    let text = r#"resource "aws_security_group" "a" {
  # palisade:ignore open-ssh
  cidr = "0.0.0.0/0"
  # palisade:ignore open-shh reason="typo"
  port = 22
}
"#;
    std::fs::write(&file, text).unwrap();
    let mut report = report(vec![
        finding(&file, "aws_security_group.a", 1, 3),
        finding(&file, "aws_security_group.a", 1, 5),
    ]);
    apply(&mut report, &options("2026-01-01"));
    assert_eq!(report.findings.len(), 2);
    assert_eq!(report.suppressed, []);
    let errors: Vec<(Option<Position>, &str)> = report
        .errors
        .iter()
        .map(|e| (e.position(), e.message()))
        .collect();
    assert_eq!(
        errors,
        [
            (
                Some(Position::new(2, 5)),
                r#"suppression of open-ssh needs a reason="...""#
            ),
            (
                Some(Position::new(4, 5)),
                "suppression of open-shh: no loaded policy declares rule `open-shh` (loaded rules: open-ssh, public-bucket)"
            ),
        ]
    );
    assert_eq!(report.summary().errors, 2);
}

#[test]
fn unused_suppressions_are_warnings_only_when_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("main.tf");
    let text = r#"# palisade:ignore open-ssh reason="nothing to suppress any more"
resource "aws_security_group" "a" {
  cidr = "10.0.0.0/8"
}
# palisade:ignore public-bucket reason="rule did not run"
resource "aws_s3_bucket" "b" {}
# palisade:ignore open-ssh reason="dangling"
"#;
    std::fs::write(&file, text).unwrap();
    let mut checked = report(Vec::new());
    checked.checked = vec![palisade_model::Checked {
        rule: "open-ssh".to_owned(),
        file: file.clone(),
        address: "aws_security_group.a".to_owned(),
        resource_type: "aws_security_group".to_owned(),
        span: line(2),
    }];
    let mut quiet = checked.clone();
    apply(&mut quiet, &options("2026-01-01"));
    assert_eq!(quiet.warnings, []);

    let mut asked = checked;
    apply(
        &mut asked,
        &Options {
            report_unused: true,
            ..options("2026-01-01")
        },
    );
    let warnings: Vec<(Option<Position>, &str)> = asked
        .warnings
        .iter()
        .map(|w| (w.position(), w.message()))
        .collect();
    assert_eq!(
        warnings,
        [
            (
                Some(Position::new(1, 3)),
                "suppression of open-ssh matched no finding"
            ),
            (
                Some(Position::new(7, 3)),
                "suppression of open-ssh is not followed by code: write it on or just above the resource or the attribute"
            ),
        ]
    );
    assert_eq!(asked.errors, []);
}

#[test]
fn ros_metadata_covers_every_finding_of_its_resource() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("web.json");
    let text = r#"{
  "ROSTemplateFormatVersion": "2015-09-01",
  "Resources": {
    "Group": {
      "Type": "ALIYUN::ECS::SecurityGroup",
      "Metadata": {"Palisade": {"Ignore": [{"Rule": "open-ssh", "Reason": "bastion", "Index": 1}]}},
      "Properties": {}
    }
  }
}
"#;
    std::fs::write(&file, text).unwrap();
    let ros = |address: &str| Finding {
        resource_type: "ALIYUN::ECS::SecurityGroup".to_owned(),
        format: Format::Ros,
        ..finding(&file, address, 4, 7)
    };
    let mut report = report(vec![ros("Group[0]"), ros("Group[1]"), ros("Other")]);
    apply(&mut report, &options("2026-01-01"));
    assert_eq!(report.errors, []);
    assert_eq!(
        split(&report),
        (vec!["Group[0]", "Other"], vec!["Group[1]"])
    );
}

#[test]
fn addresses_lose_only_their_last_index() {
    assert_eq!(without_index("Group[0]"), "Group");
    assert_eq!(without_index("Group"), "Group");
    assert_eq!(without_index(r#"a.b["x"]"#), "a.b");
}
