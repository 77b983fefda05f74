//! The JUnit XML report, for CI systems that chart test results (GitLab, Jenkins, Azure
//! Pipelines): one test suite per rule and one test case per resource the rule read, so
//! that a report shows what passed as well as what failed.
//!
//! Viewers group cases by `classname` and mostly ignore the suite's name (GitLab shows
//! the classname as the suite; Jenkins splits it at its last `.` into package and class),
//! and GitLab keeps only the first of several cases with the same classname and name. So
//! a case's classname is its suite's name (the rule id, which has no dots), and its name
//! is the resource's address with its file: unique, and readable in every viewer.
//!
//! A resource with several findings of one rule is still one case with one `<failure>`:
//! the JUnit schema allows a single failure per case, Jenkins and GitLab show only the
//! first, and one case per resource keeps the pass/fail counts meaning "resources". The
//! failure's message joins the findings' messages; its text lists each finding with its
//! location, attribute and remediation.
//!
//! The output holds no timestamps, durations or host names: the same input gives the
//! same bytes. It never quotes source files, only what the findings say, each string
//! made [`printable`]: XML 1.0 cannot hold most control characters, and viewers show the
//! text raw.

use std::collections::BTreeMap;
use std::path::Path;

use quick_junit::{NonSuccessKind, Property, TestCase, TestCaseStatus, TestSuite};

use super::display_path;
use palisade_model::{Finding, Problem, Report, printable};

/// Name of the `<testsuites>` element.
const REPORT_NAME: &str = "palisade";

/// The suite that holds files and policies that could not be loaded or evaluated.
const ERROR_SUITE: &str = "palisade errors";

/// The findings of one rule on one resource, keyed by the resource's file and address.
type Cases<'a> = BTreeMap<(&'a Path, &'a str), Vec<&'a Finding>>;

pub(super) fn render(report: &Report) -> String {
    let mut junit = quick_junit::Report::new(REPORT_NAME);
    junit.add_test_suites(rule_suites(report));
    if !report.errors.is_empty() {
        junit.add_test_suite(error_suite(&report.errors));
    }
    // Writing to memory fails only on a bug in the writer; an empty report then makes
    // CI complain rather than pass.
    let mut xml = junit.to_string().unwrap_or_default();
    if !xml.ends_with('\n') {
        xml.push('\n');
    }
    xml
}

/// One suite per rule that ran, in declaration order, then one per rule that has
/// findings without having been listed (not expected, but a finding is never dropped).
fn rule_suites(report: &Report) -> Vec<TestSuite> {
    let mut by_rule: BTreeMap<&str, Cases<'_>> = BTreeMap::new();
    for checked in &report.checked {
        by_rule
            .entry(&checked.rule)
            .or_default()
            .entry((&checked.file, &checked.address))
            .or_default();
    }
    // A resource with findings gets a case even when `checked` does not list it.
    for finding in &report.findings {
        by_rule
            .entry(&finding.rule)
            .or_default()
            .entry((&finding.file, &finding.address))
            .or_default()
            .push(finding);
    }

    let mut suites = Vec::new();
    for run in &report.rules {
        let cases = by_rule.remove(run.rule.id.as_str()).unwrap_or_default();
        let mut suite = rule_suite(&run.rule.id, cases);
        suite.add_properties([
            Property::new("policy", printable(&run.policy).as_ref()),
            Property::new("severity", run.rule.severity.as_str()),
            Property::new("title", printable(&run.rule.title).as_ref()),
        ]);
        suites.push(suite);
    }
    suites.extend(
        by_rule
            .into_iter()
            .map(|(rule, cases)| rule_suite(rule, cases)),
    );
    suites
}

fn rule_suite(rule: &str, cases: Cases<'_>) -> TestSuite {
    let mut suite = TestSuite::new(rule);
    suite.add_test_cases(
        cases
            .into_iter()
            .map(|((file, address), findings)| resource_case(rule, file, address, &findings)),
    );
    suite
}

/// A case named by the resource's address and file: addresses repeat across ROS
/// templates and Terraform modules, address and file together do not.
fn resource_case(rule: &str, file: &Path, address: &str, findings: &[&Finding]) -> TestCase {
    let path = printable(&display_path(file)).into_owned();
    let address = printable(address);
    let mut case = TestCase::new(format!("{address} ({path})"), resource_status(findings));
    case.set_classname(rule);
    // GitLab shows a case's `file`.
    case.extra.insert("file".into(), path.into());
    case
}

fn resource_status(findings: &[&Finding]) -> TestCaseStatus {
    let Some(worst) = findings.iter().map(|f| f.severity).max() else {
        return TestCaseStatus::success();
    };
    let message = match findings {
        [only] => printable(&only.full_message()).into_owned(),
        _ => format!(
            "{} findings: {}",
            findings.len(),
            findings
                .iter()
                .map(|f| printable(&f.full_message()).into_owned())
                .collect::<Vec<_>>()
                .join("; ")
        ),
    };
    let details: Vec<String> = findings.iter().map(|f| describe(f)).collect();
    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
    status
        .set_type(worst.as_str())
        .set_message(message)
        .set_description(details.join("\n\n"));
    status
}

/// A finding as the failure's text shows it: where, what, and how to fix it.
fn describe(finding: &Finding) -> String {
    let start = finding.span.start;
    let mut text = format!(
        "{}:{}:{}: {}: {}",
        printable(&display_path(&finding.file)),
        start.line,
        start.column,
        finding.severity,
        printable(&finding.full_message())
    );
    if !finding.attribute.is_empty() {
        text.push_str("\nattribute: ");
        text.push_str(&printable(&finding.attribute));
    }
    if !finding.remediation.is_empty() {
        text.push_str("\nremediation: ");
        text.push_str(&printable(&finding.remediation));
    }
    text
}

/// Problems as cases with an `<error>`, which CI shows in red like a crashed test: the
/// input they concern was not (fully) checked.
fn error_suite(errors: &[Problem]) -> TestSuite {
    let mut suite = TestSuite::new(ERROR_SUITE);
    suite.add_test_cases(errors.iter().map(error_case));
    suite
}

fn error_case(problem: &Problem) -> TestCase {
    let path = |file| printable(&display_path(file)).into_owned();
    let location = problem.file().map(|file| match problem.position() {
        Some(p) => format!("{}:{}:{}", path(file), p.line, p.column),
        None => path(file),
    });
    let message = printable(problem.message());
    let name = match (problem.policy().map(printable), &location) {
        (Some(policy), Some(location)) => format!("{policy} on {location}"),
        (Some(policy), None) => policy.into_owned(),
        (None, Some(location)) => location.clone(),
        (None, None) => REPORT_NAME.to_owned(),
    };
    let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
    status
        .set_type(if problem.policy().is_some() {
            "policy error"
        } else {
            "load error"
        })
        .set_message(message.as_ref())
        .set_description(match &location {
            Some(location) => format!("{location}: {message}"),
            None => message.clone().into_owned(),
        });
    let mut case = TestCase::new(name, status);
    case.set_classname(ERROR_SUITE);
    if let Some(file) = problem.file() {
        case.extra.insert("file".into(), path(file).into());
    }
    case
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use junit_parser::{TestCase as ParsedCase, TestSuites};

    use super::*;
    use palisade_model::Rule;
    use palisade_model::{Checked, RuleRun};
    use palisade_model::{Format, Position, Severity, Span};

    fn rule(id: &str, severity: Severity) -> RuleRun {
        RuleRun {
            policy: format!("builtin:{id}"),
            rule: Rule {
                id: id.to_owned(),
                title: format!("{id} title"),
                severity,
                description: String::new(),
                remediation: format!("fix {id}").into(),
                documentation: String::new(),
                resource_types: vec!["t".to_owned()],
            },
        }
    }

    fn checked(rule: &str, file: &str, address: &str, line: u32) -> Checked {
        Checked {
            rule: rule.to_owned(),
            file: PathBuf::from(file),
            address: address.to_owned(),
            resource_type: "t".to_owned(),
            span: Span::new(Position::new(line, 1), Position::new(line, 10)),
        }
    }

    fn finding(rule: &str, file: &str, address: &str, line: u32, message: &str) -> Finding {
        Finding {
            rule: rule.to_owned(),
            severity: Severity::High,
            policy: format!("builtin:{rule}"),
            address: address.to_owned(),
            resource_type: "t".to_owned(),
            format: Format::Terraform,
            file: PathBuf::from(file),
            span: Span::new(Position::new(line, 3), Position::new(line, 9)),
            resource_span: Span::default(),
            attribute: "acl".to_owned(),
            message: message.to_owned(),
            remediation: format!("fix {rule}").into(),
            origin: None,
            expired_suppression: None,
            quoted: true,
        }
    }

    fn parse(xml: &str) -> TestSuites {
        junit_parser::from_reader(xml.as_bytes())
            .unwrap_or_else(|e| panic!("not JUnit XML ({e}):\n{xml}"))
    }

    fn case<'a>(suites: &'a TestSuites, suite: &str, name: &str) -> &'a ParsedCase {
        suites
            .suites
            .iter()
            .find(|s| s.name == suite)
            .and_then(|s| s.cases.iter().find(|c| c.original_name == name))
            .unwrap_or_else(|| panic!("no case {suite}/{name}"))
    }

    /// Two rules over three resources: one clean, one with one finding, one with two.
    fn report() -> Report {
        Report {
            rules: vec![
                rule("public-bucket", Severity::High),
                rule("open-ssh", Severity::Critical),
            ],
            checked: vec![
                checked("open-ssh", "a.tf", "sg.web", 20),
                checked("public-bucket", "a.tf", "bucket.logs", 1),
                checked("public-bucket", "a.tf", "bucket.site", 10),
            ],
            findings: vec![
                finding("public-bucket", "a.tf", "bucket.site", 11, "ACL is public"),
                finding(
                    "public-bucket",
                    "a.tf",
                    "bucket.site",
                    12,
                    "policy <is> & public",
                ),
            ],
            ..Report::default()
        }
    }

    #[test]
    fn one_suite_per_rule_and_one_case_per_checked_resource() {
        let xml = render(&report());
        let suites = parse(&xml);
        assert_eq!(suites.name, "palisade");
        let names: Vec<&str> = suites.suites.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["public-bucket", "open-ssh"]);
        assert_eq!((suites.tests, suites.failures, suites.errors), (3, 1, 0));

        let buckets = &suites.suites[0];
        assert_eq!(
            buckets.properties.hashmap["policy"],
            "builtin:public-bucket"
        );
        assert_eq!(buckets.properties.hashmap["severity"], "high");
        let cases: Vec<(&str, Option<&str>, Option<&str>)> = buckets
            .cases
            .iter()
            .map(|c| {
                (
                    c.original_name.as_str(),
                    c.classname.as_deref(),
                    c.file.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            cases,
            [
                ("bucket.logs (a.tf)", Some("public-bucket"), Some("a.tf")),
                ("bucket.site (a.tf)", Some("public-bucket"), Some("a.tf"))
            ]
        );
        assert!(
            case(&suites, "public-bucket", "bucket.logs (a.tf)")
                .status
                .is_success()
        );
        assert!(
            case(&suites, "open-ssh", "sg.web (a.tf)")
                .status
                .is_success()
        );
    }

    #[test]
    fn every_case_has_its_own_classname_and_name() {
        // One address in two files, one resource read by two rules: viewers that key
        // cases by classname and name (GitLab drops repeats) still see every case.
        let mut report = report();
        report.rules.push(rule("bucket-logging", Severity::Low));
        report.checked.extend([
            checked("public-bucket", "b.tf", "bucket.logs", 1),
            checked("bucket-logging", "a.tf", "bucket.logs", 1),
        ]);
        let suites = parse(&render(&report));
        let mut keys: Vec<(Option<String>, String)> = suites
            .suites
            .iter()
            .flat_map(|s| &s.cases)
            .map(|c| (c.classname.clone(), c.original_name.clone()))
            .collect();
        assert_eq!(keys.len(), 5);
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), 5, "{keys:?}");
    }

    #[test]
    fn several_findings_on_one_resource_make_one_failure_listing_them_all() {
        let suites = parse(&render(&report()));
        let site = case(&suites, "public-bucket", "bucket.site (a.tf)");
        assert!(site.status.is_failure());
        let failure = site.status.failure_as_ref();
        assert_eq!(failure.failure_type, "high");
        assert_eq!(
            failure.message,
            "2 findings: ACL is public; policy <is> & public"
        );
        // The text verbatim, markup characters included (junit-parser drops entity
        // references from element text, so read it back with quick-junit's reader).
        let xml = render(&report());
        let report = quick_junit::Report::deserialize_from_str(&xml)
            .unwrap_or_else(|e| panic!("{e}\n{xml}"));
        let TestCaseStatus::NonSuccess { description, .. } =
            &report.test_suites[0].test_cases[1].status
        else {
            panic!("bucket.site passes:\n{xml}");
        };
        assert_eq!(
            description.as_ref().map(|d| d.as_str()),
            Some(
                "a.tf:11:3: high: ACL is public\nattribute: acl\nremediation: fix public-bucket\n\n\
                 a.tf:12:3: high: policy <is> & public\nattribute: acl\nremediation: fix public-bucket"
            )
        );
    }

    #[test]
    fn a_finding_on_an_unlisted_resource_or_rule_still_has_a_case() {
        let mut report = report();
        report
            .findings
            .push(finding("open-ssh", "b.tf", "sg.admin", 3, "SSH open"));
        report
            .findings
            .push(finding("custom", "b.tf", "sg.admin", 4, "custom says no"));
        let suites = parse(&render(&report));
        let admin = case(&suites, "open-ssh", "sg.admin (b.tf)");
        assert_eq!(admin.status.failure_as_ref().message, "SSH open");
        assert_eq!(admin.classname.as_deref(), Some("open-ssh"));
        assert!(
            case(&suites, "custom", "sg.admin (b.tf)")
                .status
                .is_failure()
        );
    }

    #[test]
    fn problems_are_error_cases_in_their_own_suite() {
        let mut report = report();
        report.errors = vec![
            Problem::at(
                Path::new("bad.tf"),
                Position::new(2, 8),
                "expected an expression",
            ),
            Problem::Policy {
                policy: "policies/broken.wasm".to_owned(),
                place: None,
                message: "not a component".to_owned(),
            },
        ];
        let suites = parse(&render(&report));
        assert_eq!(suites.errors, 2);
        let syntax = case(&suites, "palisade errors", "bad.tf:2:8");
        assert_eq!(syntax.classname.as_deref(), Some("palisade errors"));
        assert_eq!(syntax.file.as_deref(), Some("bad.tf"));
        let error = syntax.status.error_as_ref();
        assert_eq!(
            (error.error_type.as_str(), error.message.as_str()),
            ("load error", "expected an expression")
        );
        assert_eq!(error.text, "bad.tf:2:8: expected an expression");
        let policy = case(&suites, "palisade errors", "policies/broken.wasm");
        assert_eq!(policy.status.error_as_ref().error_type, "policy error");
    }

    #[test]
    fn no_errors_no_error_suite() {
        let suites = parse(&render(&report()));
        assert!(suites.suites.iter().all(|s| s.name != "palisade errors"));
    }

    #[test]
    fn output_is_deterministic_with_no_clock_or_host() {
        let xml = render(&report());
        assert_eq!(xml, render(&report()));
        assert!(xml.ends_with("</testsuites>\n"), "{xml}");
        for attribute in ["timestamp", "time=", "hostname"] {
            assert!(!xml.contains(attribute), "{attribute} in {xml}");
        }
    }

    #[test]
    fn an_empty_run_is_an_empty_report() {
        let suites = parse(&render(&Report::default()));
        assert_eq!((suites.tests, suites.suites.len()), (0, 0));
    }
}
