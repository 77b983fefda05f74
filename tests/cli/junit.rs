//! `--format junit`: the report CI test dashboards read, checked by parsing it back.

use std::fs;

use junit_parser::{TestSuite, TestSuites};
use regex::Regex;

use crate::common::{Run, builtin_families, finding_lines, palisade, root};

fn parse(run: &Run) -> TestSuites {
    junit_parser::from_reader(run.stdout.as_bytes()).unwrap_or_else(|e| {
        panic!(
            "stdout is not JUnit XML ({e}):\n{}\n{}",
            run.stdout, run.stderr
        )
    })
}

fn suite<'a>(report: &'a TestSuites, name: &str) -> &'a TestSuite {
    report
        .suites
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no suite {name}"))
}

/// `(rule, file, line)` of every finding listed in a failure's text: the lines that
/// read `file:line:column: severity: message`. (junit-parser turns each entity reference
/// in element text into a line break, so the text is scanned rather than split.)
fn failure_lines(report: &TestSuites) -> Vec<(String, String, u64)> {
    let heading =
        Regex::new(r"^(.+):(\d+):\d+: (?:critical|high|medium|low|info): ").expect("valid pattern");
    let mut lines = Vec::new();
    for suite in &report.suites {
        for case in suite.cases.iter().filter(|c| c.status.is_failure()) {
            let text = &case.status.failure_as_ref().text;
            for captures in text.lines().filter_map(|l| heading.captures(l)) {
                assert_eq!(
                    Some(&captures[1]),
                    case.file.as_deref(),
                    "a finding in its resource's file"
                );
                let line = captures[2].parse().unwrap_or_default();
                lines.push((suite.name.clone(), captures[1].to_owned(), line));
            }
        }
    }
    lines.sort();
    lines
}

#[test]
fn examples_give_one_suite_per_rule_and_fail_exactly_the_findings() {
    let run = palisade(&["check", "examples", "--format", "junit"], &root());
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = parse(&run);
    assert_eq!(report.name, "palisade");

    let mut names: Vec<&str> = report.suites.iter().map(|s| s.name.as_str()).collect();
    names.sort_unstable();
    // A suite for every built-in rule: each ran, passing or not.
    let mut rules: Vec<String> = crate::common::builtin_families()
        .into_iter()
        .flat_map(|(_, rules)| rules)
        .collect();
    rules.sort_unstable();
    assert_eq!(names, rules);

    let json = palisade(&["check", "examples", "--format", "json"], &root()).json();
    let mut expected = finding_lines(&json);
    expected.sort();
    assert_eq!(failure_lines(&report), expected);
    assert_eq!(report.errors, 0);
    let families = builtin_families();
    for suite in &report.suites {
        let (family, _) = families
            .iter()
            .find(|(_, rules)| rules.contains(&suite.name))
            .expect("every suite is a built-in rule");
        assert_eq!(
            suite.properties.hashmap["policy"],
            format!("builtin:{family}")
        );
    }
}

#[test]
fn secure_resources_are_passing_cases() {
    let run = palisade(&["check", "examples", "--format", "junit"], &root());
    let report = parse(&run);
    let mut secure = Vec::new();
    for suite in &report.suites {
        for case in &suite.cases {
            // Viewers group by classname: it names the rule, as the suite does.
            assert_eq!(case.classname.as_deref(), Some(suite.name.as_str()));
            let file = case.file.as_deref().unwrap_or_default();
            if file.contains("/secure/") {
                assert!(case.status.is_success(), "{} fails", case.name);
                secure.push(case.original_name.clone());
            }
        }
    }
    for expected in [
        "aws_s3_bucket_acl.assets (examples/aws/secure/main.tf)",
        "aws_security_group.web (examples/aws/secure/main.tf)",
        "aws_ebs_volume.data (examples/aws/secure/main.tf)",
        "Assets (examples/ros/secure/web.yaml)",
        "DataDisk (examples/ros/secure/web.yaml)",
        "AdminIngress (examples/ros/secure/admin.json)",
    ] {
        assert!(
            secure.iter().any(|name| name == expected),
            "{expected} not in {secure:?}"
        );
    }
    assert!(
        secure
            .iter()
            .any(|name| name.contains("examples/alicloud/secure/")),
        "{secure:?}"
    );
}

#[test]
fn the_report_is_the_same_bytes_every_run() {
    let first = palisade(&["check", "examples", "--format", "junit"], &root());
    let second = palisade(&["check", "examples", "--format", "junit"], &root());
    assert_eq!(first.stdout, second.stdout);
    assert!(first.stdout.ends_with("</testsuites>\n"));
    assert!(!first.stdout.contains("timestamp") && !first.stdout.contains("hostname"));
}

#[test]
fn a_file_that_does_not_parse_is_an_error_case() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(
        dir.path().join("broken.tf"),
        "resource \"alicloud_disk\" \"d\" {\n  size = \n}\n",
    )
    .expect("write fixture");
    let run = palisade(&["check", ".", "--format", "junit"], dir.path());
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    let report = parse(&run);
    let errors = suite(&report, "palisade errors");
    assert_eq!((errors.tests, errors.errors), (1, 1));
    let case = &errors.cases[0];
    assert!(case.status.is_error());
    assert_eq!(case.classname.as_deref(), Some("palisade errors"));
    assert_eq!(case.file.as_deref(), Some("broken.tf"));
    assert!(
        case.original_name.starts_with("broken.tf:2:"),
        "{}",
        case.original_name
    );
    assert_eq!(case.status.error_as_ref().error_type, "load error");
}
