//! The bundled examples: what a new user runs first.

use crate::common::{finding_lines, palisade, root};

#[test]
fn insecure_examples_fail_every_rule_at_the_offending_line() {
    let run = palisade(&["check", "examples", "--format", "json"], &root());
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
    assert_eq!(report["errors"], serde_json::json!([]), "{}", run.stdout);
    let expected = [
        ("oss-sse-disabled", "examples/alicloud/insecure/main.tf", 4),
        ("public-bucket", "examples/alicloud/insecure/main.tf", 6),
        ("oss-sse-disabled", "examples/alicloud/insecure/main.tf", 9),
        ("public-bucket", "examples/alicloud/insecure/main.tf", 16),
        ("open-ssh", "examples/alicloud/insecure/main.tf", 32),
        ("unencrypted-disk", "examples/alicloud/insecure/main.tf", 35),
        ("unencrypted-disk", "examples/alicloud/insecure/main.tf", 47),
        ("open-db-port", "examples/alicloud/insecure/main.tf", 56),
        ("open-rdp", "examples/alicloud/insecure/main.tf", 65),
        ("ram-admin-access", "examples/alicloud/insecure/main.tf", 71),
        (
            "ram-user-console-no-mfa",
            "examples/alicloud/insecure/main.tf",
            89,
        ),
        ("plaintext-secret", "examples/alicloud/insecure/main.tf", 91),
        ("lb-weak-tls", "examples/alicloud/insecure/main.tf", 95),
        (
            "actiontrail-incomplete",
            "examples/alicloud/insecure/main.tf",
            107,
        ),
        ("public-bucket", "examples/aws/insecure/main.tf", 10),
        ("open-ssh", "examples/aws/insecure/main.tf", 26),
        ("unencrypted-disk", "examples/aws/insecure/main.tf", 36),
        ("open-ssh", "examples/ros/insecure/admin.json", 11),
        ("sg-all-ports-open", "examples/ros/insecure/admin.json", 11),
        ("unencrypted-disk", "examples/ros/insecure/admin.json", 19),
        ("oss-sse-disabled", "examples/ros/insecure/web.yaml", 6),
        ("public-bucket", "examples/ros/insecure/web.yaml", 10),
        ("open-ssh", "examples/ros/insecure/web.yaml", 21),
        ("unencrypted-disk", "examples/ros/insecure/web.yaml", 22),
    ]
    .map(|(rule, file, line)| (rule.to_owned(), file.to_owned(), line));
    assert_eq!(finding_lines(&report), expected);
}

#[test]
fn secure_examples_pass() {
    let run = palisade(
        &[
            "check",
            "examples/alicloud/secure",
            "examples/aws/secure",
            "examples/ros/secure",
        ],
        &root(),
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains(": 0 findings, 0 errors"),
        "{}",
        run.stdout
    );
}

#[test]
fn text_report_on_the_examples() {
    let run = palisade(&["check", "examples"], &root());
    assert_eq!(run.code, 1, "{}", run.stderr);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn json_report_on_the_examples() {
    let run = palisade(&["check", "examples", "--format", "json"], &root());
    assert_eq!(run.code, 1, "{}", run.stderr);
    insta::assert_json_snapshot!(run.json());
}

#[test]
fn fail_on_threshold_and_rule_selection() {
    let only_ssh = palisade(
        &[
            "check", "examples", "--rule", "open-ssh", "--format", "json",
        ],
        &root(),
    );
    assert_eq!(only_ssh.code, 1);
    let rules: Vec<_> = finding_lines(&only_ssh.json())
        .into_iter()
        .map(|f| f.0)
        .collect();
    assert!(
        !rules.is_empty() && rules.iter().all(|r| r == "open-ssh"),
        "{rules:?}"
    );

    let skipped = palisade(
        &[
            "check",
            "examples",
            "--skip-rule",
            "open-ssh",
            "--skip-rule",
            "public-bucket",
            "--skip-rule",
            "unencrypted-disk",
            "--skip-rule",
            "sg-all-ports-open",
            "--skip-rule",
            "open-db-port",
            "--skip-rule",
            "open-rdp",
            "--skip-rule",
            "oss-sse-disabled",
            "--skip-rule",
            "ram-admin-access",
            "--skip-rule",
            "ram-user-console-no-mfa",
            "--skip-rule",
            "plaintext-secret",
            "--skip-rule",
            "lb-weak-tls",
            "--skip-rule",
            "actiontrail-incomplete",
        ],
        &root(),
    );
    assert_eq!(skipped.code, 0, "{}", skipped.stdout);

    let above = palisade(
        &[
            "check",
            "examples",
            "--fail-on",
            "critical",
            "--rule",
            "unencrypted-disk",
        ],
        &root(),
    );
    assert_eq!(
        above.code, 0,
        "high findings do not fail a critical threshold: {}",
        above.stdout
    );

    let typo = palisade(&["check", "examples", "--rule", "open-shh"], &root());
    assert_eq!(typo.code, 2);
    assert!(
        typo.stderr.contains("unknown rule id `open-shh`"),
        "{}",
        typo.stderr
    );
}

#[test]
fn rules_and_explain_describe_the_built_ins() {
    let rules = palisade(&["rules"], &root());
    assert_eq!(rules.code, 0, "{}", rules.stderr);
    for id in ["public-bucket", "open-ssh", "unencrypted-disk"] {
        assert!(rules.stdout.contains(id), "{}", rules.stdout);
        let explain = palisade(&["explain", id], &root());
        assert_eq!(explain.code, 0, "{}", explain.stderr);
        assert!(
            explain.stdout.starts_with(&format!("# {id}: ")),
            "{}",
            explain.stdout
        );
    }
    let missing = palisade(&["explain", "no-such-rule"], &root());
    assert_eq!(missing.code, 2);
}

#[test]
fn a_finding_on_one_branch_of_an_unknown_condition_names_the_branch_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let template = "\
ROSTemplateFormatVersion: '2015-09-01'
Parameters:
  Public: {Type: String}
Conditions:
  IsPublic: !Equals [yes, !Ref Public]
Resources:
  Assets:
    Type: ALIYUN::OSS::Bucket
    Properties:
      AccessControl: !If [IsPublic, public-read, private]
  Ssh:
    Type: ALIYUN::ECS::SecurityGroup
    Properties:
      SecurityGroupName: !If [IsPublic, public, private]
      SecurityGroupIngress:
        - {IpProtocol: tcp, PortRange: 22/22, SourceCidrIp: 0.0.0.0/0}
";
    std::fs::write(dir.path().join("t.yaml"), template).expect("write template");
    let run = palisade(&["check", "t.yaml", "--format", "json"], dir.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
    let findings = report["findings"].as_array().expect("findings");
    let of = |rule: &str| -> Vec<&str> {
        findings
            .iter()
            .filter(|f| f["rule"] == rule)
            .map(|f| f["message"].as_str().unwrap_or_default())
            .collect()
    };
    let public = of("public-bucket");
    assert_eq!(public.len(), 1, "{}", run.stdout);
    assert!(
        public[0].ends_with("(when condition `IsPublic` is true)"),
        "{}",
        public[0]
    );
    // The same in both branches: reported once, with no branch.
    let ssh = of("open-ssh");
    assert_eq!(ssh.len(), 1, "{}", run.stdout);
    assert!(!ssh[0].contains("IsPublic"), "{}", ssh[0]);
}
