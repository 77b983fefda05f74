//! Inline suppressions end to end: where a `palisade:ignore` comment (or ROS `Metadata`)
//! takes effect, what a suppression without a reason or past its expiry does, per-instance
//! keys, unused suppressions, and suppressions in `.tf` files applied to plan findings.

use std::path::Path;

use serde_json::Value;

use crate::common::{Run, palisade, palisade_with_env, root};

/// An SSH rule open to the world, with `header` after its opening brace, `above_header`
/// on the line before it, and `attribute` after its `cidr_ip` line.
fn ssh_rule(name: &str, above_header: &str, header: &str, attribute: &str) -> String {
    format!(
        r#"{above_header}
resource "alicloud_security_group_rule" "{name}" {{ {header}
  type              = "ingress"
  ip_protocol       = "tcp"
  nic_type          = "intranet"
  policy            = "accept"
  port_range        = "22/22"
  priority          = 1
  security_group_id = "sg-example"
  cidr_ip           = "0.0.0.0/0" {attribute}
}}
"#
    )
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write the template");
}

fn check(dir: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["check", ".", "--format", "json"];
    args.extend_from_slice(extra);
    palisade(&args, dir)
}

/// The resource addresses of the report's `key` array (`findings`, `suppressed`).
fn addresses(report: &Value, key: &str) -> Vec<String> {
    report[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} is an array: {report}"))
        .iter()
        .map(|f| {
            f["resource"]["address"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

#[test]
fn comments_on_or_above_the_header_or_the_attribute_suppress() {
    let dir = tempfile::tempdir().expect("temp dir");
    let rules = [
        ssh_rule(
            "above",
            r#"# palisade:ignore open-ssh reason="bastion""#,
            "",
            "",
        ),
        ssh_rule(
            "header",
            "",
            r#"// palisade:ignore open-ssh reason="bastion""#,
            "",
        ),
        ssh_rule(
            "attribute",
            "",
            "",
            r#"/* palisade:ignore open-ssh reason="bastion" */"#,
        ),
        // A comment that is not on or just above the header or the finding's line.
        ssh_rule("elsewhere", "", "", "").replace(
            "  priority",
            "  # palisade:ignore open-ssh reason=\"too far\"\n\n  priority",
        ),
        // The line just above the attribute.
        ssh_rule("above_attribute", "", "", "").replace(
            "  cidr_ip",
            "  # palisade:ignore open-ssh reason=\"bastion\"\n  cidr_ip",
        ),
    ];
    write(dir.path(), "main.tf", &rules.concat());
    let run = check(dir.path(), &[]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let report = run.json();
    assert_eq!(report["errors"], serde_json::json!([]));
    assert_eq!(
        addresses(&report, "findings"),
        ["alicloud_security_group_rule.elsewhere"]
    );
    assert_eq!(
        addresses(&report, "suppressed"),
        [
            "alicloud_security_group_rule.above",
            "alicloud_security_group_rule.header",
            "alicloud_security_group_rule.attribute",
            "alicloud_security_group_rule.above_attribute",
        ]
    );
    assert_eq!(report["summary"]["findings"], 1);
    assert_eq!(report["summary"]["suppressed"], 4);
}

#[test]
fn the_json_report_lists_suppressed_findings_with_their_reason() {
    let dir = tempfile::tempdir().expect("temp dir");
    let comment = r#"# palisade:ignore open-ssh reason="bastion, keys only" expires=2027-01-31"#;
    write(dir.path(), "main.tf", &ssh_rule("ssh", comment, "", ""));
    let run = palisade_with_env(
        &["check", ".", "--format", "json"],
        dir.path(),
        &[("PALISADE_TODAY", "2026-06-01")],
    );
    assert_eq!(
        run.code, 0,
        "a suppressed finding never fails a run: {run:?}"
    );
    let report = run.json();
    assert_eq!(report["findings"], serde_json::json!([]));
    let suppressed = &report["suppressed"][0];
    assert_eq!(suppressed["rule"], "open-ssh");
    assert_eq!(suppressed["file"], "main.tf");
    assert_eq!(suppressed["line"], 10);
    assert_eq!(suppressed["attribute"], "cidr_ip");
    assert_eq!(
        suppressed["suppression"],
        serde_json::json!({
            "reason": "bastion, keys only",
            "expires": "2027-01-31",
            "file": "main.tf",
            "line": 1,
            "column": 3,
        })
    );
    assert_eq!(report["summary"]["suppressed"], 1);

    let text = palisade_with_env(
        &["check", "."],
        dir.path(),
        &[("PALISADE_TODAY", "2026-06-01")],
    );
    assert!(
        text.stdout.contains("0 findings, 1 suppressed, 0 errors"),
        "{}",
        text.stdout
    );
}

#[test]
fn an_expired_suppression_keeps_the_finding_and_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    let comment = r#"# palisade:ignore open-ssh reason="migration" expires=2026-01-01"#;
    write(dir.path(), "main.tf", &ssh_rule("ssh", comment, "", ""));
    let on = |today: &str| {
        palisade_with_env(
            &["check", ".", "--format", "json"],
            dir.path(),
            &[("PALISADE_TODAY", today)],
        )
    };

    let before = on("2025-12-31");
    assert_eq!(before.code, 0, "{before:?}");
    assert_eq!(before.json()["summary"]["suppressed"], 1);

    let after = on("2026-01-01");
    assert_eq!(after.code, 1, "{after:?}");
    let report = after.json();
    assert_eq!(report["suppressed"], serde_json::json!([]));
    let message = report["findings"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(
        message.ends_with("; suppression expired on 2026-01-01 (main.tf:1)"),
        "{message}"
    );

    let malformed = on("next week");
    assert_eq!(malformed.code, 2, "{malformed:?}");
    assert!(
        malformed
            .stdout
            .contains("PALISADE_TODAY: `next week` is not a date"),
        "{}",
        malformed.stdout
    );
}

#[test]
fn a_suppression_without_a_reason_is_an_error_and_keeps_the_finding() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "main.tf",
        &ssh_rule("ssh", "# palisade:ignore open-ssh", "", ""),
    );
    let run = palisade(&["check", "."], dir.path());
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains(r#"error: suppression of open-ssh needs a reason="...""#),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("--> main.tf:1:3"), "{}", run.stdout);
    assert!(run.stdout.contains("[open-ssh]"), "{}", run.stdout);

    let report = check(dir.path(), &[]).json();
    assert_eq!(addresses(&report, "findings").len(), 1);
    assert_eq!(report["errors"][0]["line"], 1);
    assert_eq!(report["errors"][0]["column"], 3);
}

#[test]
fn a_suppression_naming_an_unknown_rule_is_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let comment = r#"# palisade:ignore open-shh reason="typo""#;
    write(dir.path(), "main.tf", &ssh_rule("ssh", comment, "", ""));
    let run = check(dir.path(), &[]);
    assert_eq!(run.code, 2, "{run:?}");
    let report = run.json();
    let message = report["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with("suppression of open-shh: no loaded policy declares rule `open-shh`"),
        "{message}"
    );
    assert_eq!(addresses(&report, "findings").len(), 1);
}

#[test]
fn an_instance_key_suppresses_only_that_instance() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = ssh_rule(
        "ssh",
        r#"# palisade:ignore open-ssh[0] reason="the bastion's rule""#,
        "",
        "",
    )
    .replace("  type ", "  count             = 2\n  type ");
    write(dir.path(), "main.tf", &text);
    let report = check(dir.path(), &[]).json();
    assert_eq!(
        addresses(&report, "suppressed"),
        ["alicloud_security_group_rule.ssh[0]"]
    );
    assert_eq!(
        addresses(&report, "findings"),
        ["alicloud_security_group_rule.ssh[1]"]
    );
}

#[test]
fn yaml_comments_and_ros_metadata_suppress_ros_findings() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "web.yaml",
        r#"ROSTemplateFormatVersion: '2015-09-01'
Resources:
  # palisade:ignore open-ssh reason="bastion"
  Ingress:
    Type: ALIYUN::ECS::SecurityGroupIngress
    Properties:
      SecurityGroupId: sg-example
      IpProtocol: tcp
      PortRange: 22/22
      SourceCidrIp: 0.0.0.0/0
"#,
    );
    write(
        dir.path(),
        "admin.json",
        r#"{
  "ROSTemplateFormatVersion": "2015-09-01",
  "Resources": {
    "AdminIngress": {
      "Type": "ALIYUN::ECS::SecurityGroupIngress",
      "Metadata": {"Palisade": {"Ignore": [
        {"Rule": "open-ssh", "Reason": "admin network", "Expires": "2099-01-01"}
      ]}},
      "Properties": {
        "SecurityGroupId": "sg-example",
        "IpProtocol": "tcp",
        "PortRange": "22/22",
        "SourceCidrIp": "0.0.0.0/0"
      }
    }
  }
}
"#,
    );
    let run = check(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let report = run.json();
    assert_eq!(
        addresses(&report, "suppressed"),
        ["AdminIngress", "Ingress"]
    );
    assert_eq!(report["suppressed"][0]["suppression"]["line"], 7);
    assert_eq!(report["suppressed"][1]["suppression"]["line"], 3);
}

#[test]
fn unused_suppressions_are_reported_only_when_asked_and_never_fail() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fixed = ssh_rule(
        "ssh",
        r#"# palisade:ignore open-ssh reason="was open once""#,
        "",
        "",
    )
    .replace("0.0.0.0/0", "10.0.0.0/8");
    write(dir.path(), "main.tf", &fixed);

    let quiet = check(dir.path(), &[]);
    assert_eq!(quiet.code, 0, "{quiet:?}");
    assert_eq!(quiet.json()["warnings"], serde_json::json!([]));

    let asked = check(dir.path(), &["--report-unused-suppressions"]);
    assert_eq!(asked.code, 0, "{asked:?}");
    let report = asked.json();
    assert_eq!(
        report["warnings"],
        serde_json::json!([{
            "file": "main.tf",
            "line": 1,
            "column": 3,
            "policy": null,
            "message": "suppression of open-ssh matched no finding",
        }])
    );

    let text = palisade(&["check", ".", "--report-unused-suppressions"], dir.path());
    assert_eq!(text.code, 0, "{text:?}");
    assert!(
        text.stdout
            .contains("warning: suppression of open-ssh matched no finding"),
        "{}",
        text.stdout
    );
}

#[test]
fn a_suppression_in_the_terraform_source_applies_to_the_plan_finding() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fixture = root().join("tests/fixtures/plan-source");
    copy_dir(&fixture, dir.path());
    let main = dir.path().join("main.tf");
    let text = std::fs::read_to_string(&main).expect("fixture main.tf");
    let commented = text.replace(
        "  acl    = var.logs_acl",
        "  # palisade:ignore public-bucket reason=\"log delivery needs it\"\n  acl    = var.logs_acl",
    );
    assert_ne!(text, commented, "the fixture still sets acl = var.logs_acl");
    std::fs::write(&main, commented).expect("write main.tf");

    let run = palisade(&["check", "plan.json", "--format", "json"], dir.path());
    let report = run.json();
    assert_eq!(report["errors"], serde_json::json!([]));
    assert_eq!(
        addresses(&report, "suppressed"),
        ["aws_s3_bucket_acl.logs"],
        "{}",
        run.stdout
    );
    assert_eq!(report["suppressed"][0]["file"], "main.tf");
    // The module's open SSH rule is not covered by the comment.
    assert_eq!(
        addresses(&report, "findings"),
        ["module.net.aws_security_group_rule.ssh[0]"]
    );
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read fixture dir") {
        let entry = entry.expect("fixture entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).expect("create dir");
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}
