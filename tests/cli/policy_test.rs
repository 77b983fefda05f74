//! `palisade test`: the built-in rule families pass their own fixtures through the
//! command a policy author uses, and a fixture that disagrees with its policy fails with
//! a diff.
//!
//! The policy crates are built with a nested `cargo build` into `target/test-policies`
//! (shared with the other tests that build policies), offline.

use std::fs;
use std::path::Path;
use std::sync::OnceLock;

use crate::common::{
    Run, build_policies, builtin_families, palisade_building, policy_target_dir, root,
};

fn palisade(args: &[&str], cwd: &Path) -> Run {
    palisade_building(args, cwd)
}

/// The network family's component (which holds open-ssh), built once per test process
/// as `palisade test` builds it.
fn network_component() -> &'static str {
    static COMPONENT: OnceLock<String> = OnceLock::new();
    COMPONENT.get_or_init(|| {
        build_policies(&["--release", "-p", "network"], "the network family");
        let component = policy_target_dir().join("wasm32-wasip2/release/network.wasm");
        component.to_string_lossy().into_owned()
    })
}

/// The open-ssh fixtures of the network family.
fn open_ssh_fixtures() -> std::path::PathBuf {
    root().join("policies/network/fixtures/open-ssh")
}

/// A change to the text of an `expect.toml`.
type Edit = dyn Fn(String) -> String;

/// A policy crate directory holding copies of open-ssh fixtures, as open-ssh's (so that
/// only its findings are compared, whatever else the family holds): `(new name,
/// original case, change to its expect.toml)`.
fn crate_with(cases: &[(&str, &str, &Edit)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, original, edit) in cases {
        let from = open_ssh_fixtures().join(original);
        let to = dir.path().join("fixtures/open-ssh").join(name);
        fs::create_dir_all(&to).expect("create fixture dir");
        for entry in fs::read_dir(&from).expect("read fixture") {
            let file = entry.expect("fixture entry").path();
            let text = fs::read_to_string(&file).expect("read fixture file");
            let text = if file.ends_with("expect.toml") {
                edit(text)
            } else {
                text
            };
            fs::write(to.join(file.file_name().expect("file name")), text).expect("write");
        }
    }
    dir
}

/// Two findings: `aws_vpc_security_group_ingress_rule.ssh` at line 6 and
/// `aws_vpc_security_group_ingress_rule.everything_v6` at line 12.
const TWO_FINDINGS: &str = "aws-vpc-security-group-ingress-rule";

/// Every built-in family passes every fixture of every rule: the one place the rules'
/// expectations (`policies/<family>/fixtures/<rule-id>/<case>/expect.toml`) are checked.
#[test]
fn the_built_in_families_pass_their_fixtures() {
    for (family, rules) in builtin_families() {
        let family_dir = root().join("policies").join(&family);
        let mut cases = Vec::new();
        for rule in &rules {
            let rule_dir = family_dir.join("fixtures").join(rule);
            let before = cases.len();
            for entry in fs::read_dir(&rule_dir).into_iter().flatten().flatten() {
                if entry.path().join("expect.toml").is_file() {
                    cases.push(format!("{rule}/{}", entry.file_name().to_string_lossy()));
                }
            }
            assert!(
                cases.len() > before,
                "{family}: rule {rule} has no fixtures"
            );
        }
        cases.sort();

        let dir = format!("policies/{family}");
        let run = palisade(&["test", &dir, "--offline"], &root());
        assert_eq!(run.code, 0, "{family}:\n{}\n{}", run.stdout, run.stderr);
        let passed: Vec<&str> = run
            .stdout
            .lines()
            .filter_map(|line| line.strip_prefix("ok     "))
            .filter_map(|line| line.split(' ').next())
            .collect();
        assert_eq!(passed, cases, "{family}:\n{}", run.stdout);
        let summary = format!("\n{n} fixtures: {n} passed\n", n = cases.len());
        assert!(run.stdout.ends_with(&summary), "{family}:\n{}", run.stdout);
    }
}

#[test]
fn a_fixture_that_disagrees_fails_with_a_diff() {
    let unchanged = |text: String| text;
    let wrong_line = |text: String| text.replacen("line = 6", "line = 7", 1);
    let missing_finding = |text: String| {
        let second = text.rfind("[[finding]]").expect("two findings");
        text[..second].to_owned()
    };
    let extra_expected = |text: String| {
        text + "\n[[finding]]\nrule = \"open-ssh\"\n\
                resource = \"aws_vpc_security_group_ingress_rule.https\"\n"
    };
    let dir = crate_with(&[
        ("a-unchanged", TWO_FINDINGS, &unchanged),
        ("b-wrong-line", TWO_FINDINGS, &wrong_line),
        ("c-missing-finding", TWO_FINDINGS, &missing_finding),
        ("d-extra-expected", TWO_FINDINGS, &extra_expected),
    ]);
    let run = palisade(
        &["test", ".", "--component", network_component()],
        dir.path(),
    );
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let expected = "\
ok     open-ssh/a-unchanged (2 findings)
FAILED open-ssh/b-wrong-line
  - expected line 7 high open-ssh aws_vpc_security_group_ingress_rule.ssh, message containing \"SSH (TCP 22) open to 0.0.0.0/0 via TCP port 22\"
  + found    main.tf:6 high open-ssh aws_vpc_security_group_ingress_rule.ssh: SSH (TCP 22) open to 0.0.0.0/0 via TCP port 22
FAILED open-ssh/c-missing-finding
  + found    main.tf:12 critical open-ssh aws_vpc_security_group_ingress_rule.everything_v6: SSH (TCP 22) open to ::/0 via all protocols and ports: every port is reachable from the internet
FAILED open-ssh/d-extra-expected
  - expected any line open-ssh aws_vpc_security_group_ingress_rule.https

4 fixtures: 1 passed, 3 failed
";
    assert_eq!(run.stdout, expected, "{}", run.stderr);
}

#[test]
fn unusable_expectations_are_errors() {
    let no_finding_key = |_: String| "# nothing to report\n".to_owned();
    let unknown_key = |text: String| text.replacen("line = 6", "lines = 6", 1);
    let dir = crate_with(&[
        ("a-passing", TWO_FINDINGS, &|text: String| text),
        ("b-no-finding-key", TWO_FINDINGS, &no_finding_key),
        ("c-unknown-key", TWO_FINDINGS, &unknown_key),
    ]);
    let run = palisade(
        &["test", ".", "--component", network_component()],
        dir.path(),
    );
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    let stdout = &run.stdout;
    assert!(
        stdout.contains("ERROR  open-ssh/b-no-finding-key\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("b-no-finding-key/expect.toml: no `finding` key")
            && stdout.contains("write `finding = []` for a fixture that must pass"),
        "{stdout}"
    );
    assert!(
        stdout.contains("ERROR  open-ssh/c-unknown-key\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("c-unknown-key/expect.toml:7:1: unknown field `lines`"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("\n3 fixtures: 1 passed, 2 with errors\n"),
        "{stdout}"
    );
}

#[test]
fn a_given_component_is_tested_without_building() {
    // No Cargo.toml: only the fixtures and the component.
    let dir = crate_with(&[("case", TWO_FINDINGS, &|text: String| text)]);
    let run = palisade(
        &["test", ".", "--component", network_component()],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        run.stdout,
        "ok     open-ssh/case (2 findings)\n\n1 fixture: 1 passed\n"
    );

    let run = palisade(&["test", ".", "--offline"], dir.path());
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("has no Cargo.toml"), "{}", run.stderr);
}

#[test]
fn a_file_that_is_not_a_component_is_refused() {
    let dir = crate_with(&[("case", TWO_FINDINGS, &|text: String| text)]);
    fs::write(dir.path().join("policy.wasm"), "not a component").expect("write");
    let run = palisade(&["test", ".", "--component", "policy.wasm"], dir.path());
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("policy.wasm"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}

/// A fixture whose template suppresses one finding: `palisade test` runs the same stages
/// as `palisade check`, so both leave the suppressed finding out.
#[test]
fn a_suppressed_finding_is_left_out_as_check_leaves_it_out() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fixture = dir.path().join("fixtures/open-ssh/suppressed");
    fs::create_dir_all(&fixture).expect("create fixture dir");
    let template = r#"# palisade:ignore open-ssh reason="bastion host, keys only"
resource "aws_vpc_security_group_ingress_rule" "ssh" {
  security_group_id = "sg-0example"
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_ingress_rule" "everything_v6" {
  security_group_id = "sg-0example"
  ip_protocol       = "-1"
  cidr_ipv6         = "::/0"
}
"#;
    fs::write(fixture.join("main.tf"), template).expect("write template");
    let expected = r#"[[finding]]
rule = "open-ssh"
resource = "aws_vpc_security_group_ingress_rule.everything_v6"
line = 13
"#;
    fs::write(fixture.join("expect.toml"), expected).expect("write expectations");

    let run = palisade(
        &["test", ".", "--component", network_component()],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        run.stdout,
        "ok     open-ssh/suppressed (1 finding)\n\n1 fixture: 1 passed\n"
    );

    let run = palisade(
        &[
            "check",
            "fixtures/open-ssh/suppressed",
            "--rule",
            "open-ssh",
            "--format",
            "json",
        ],
        dir.path(),
    );
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let report = run.json();
    let lines: Vec<(String, String, u64)> = crate::common::finding_lines(&report);
    assert_eq!(lines.len(), 1, "{report:#}");
    assert_eq!(lines[0].2, 13, "{report:#}");
    assert_eq!(report["summary"]["suppressed"], 1, "{report:#}");
}
