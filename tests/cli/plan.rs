//! Terraform plan JSON end to end: findings point at the plan's lines, or at the `.tf`
//! lines when the configuration is at hand; sensitive values never reach a report, and a
//! binary plan is refused with the command that converts it.

use crate::common::{finding_lines, palisade, root};

const PLAN: &str = "tests/fixtures/plans/sensitive.json";

#[test]
fn findings_point_at_the_plan_and_skip_deleted_resources() {
    let run = palisade(&["check", PLAN, "--format", "json"], &root());
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let report = run.json();
    assert_eq!(report["errors"], serde_json::json!([]));
    assert_eq!(
        finding_lines(&report),
        [
            // Neither bucket has default encryption: at their addresses.
            ("oss-sse-disabled".to_owned(), PLAN.to_owned(), 6),
            ("public-bucket".to_owned(), PLAN.to_owned(), 15),
            ("oss-sse-disabled".to_owned(), PLAN.to_owned(), 24),
            ("public-bucket".to_owned(), PLAN.to_owned(), 45),
            // Its source is sensitive: decided, and the value never shown.
            ("open-ssh".to_owned(), PLAN.to_owned(), 52),
        ]
    );
    assert_eq!(
        report["findings"][4]["message"],
        "`cidr_ip` fails this check; its value is sensitive and not shown"
    );
    assert_eq!(report["summary"]["resources"], 4);
}

#[test]
fn no_sensitive_value_appears_in_any_report() {
    // As `terraform show -json` writes it: one line, where quoting the line around a
    // finding would quote its neighbours too.
    let one_line = tempfile::tempdir().expect("temp dir");
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join(PLAN)).expect("fixture"))
            .expect("fixture is JSON");
    let compact = one_line.path().join("plan.json");
    std::fs::write(&compact, plan.to_string()).expect("write plan");
    let compact = compact.to_string_lossy().into_owned();
    for plan in [PLAN, compact.as_str()] {
        check_without_secrets(plan);
    }
}

fn check_without_secrets(plan: &str) {
    for format in ["json", "text", "sarif", "junit", "github"] {
        for verbose in [false, true] {
            let mut args = vec!["check", plan, "--format", format, "--plan-scope", "all"];
            if verbose {
                args.push("--verbose");
            }
            let run = palisade(&args, &root());
            assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
            let mut stdout = run.stdout.clone();
            if format == "sarif" {
                // The rules' documentation quotes CIDRs of its own examples.
                let mut sarif: serde_json::Value =
                    serde_json::from_str(&stdout).expect("SARIF is JSON");
                sarif["runs"][0]["tool"] = serde_json::Value::Null;
                stdout = sarif.to_string();
            }
            let output = format!("{stdout}{}", run.stderr);
            assert!(output.contains("alicloud_oss_bucket.public"), "{output}");
            // The fixture's sensitive values: names marked `s3cr3t` and an SSH rule's source,
            // which the text report would otherwise quote from the plan's line.
            for secret in ["s3cr3t", "0.0.0.0/0"] {
                assert!(!output.contains(secret), "{format} {verbose}:\n{output}");
            }
        }
    }
}

#[test]
fn a_binary_plan_is_refused_with_the_command_that_converts_it() {
    let dir = tempfile::tempdir().expect("temporary dir");
    let file = dir.path().join("tfplan");
    std::fs::write(&file, b"PK\x03\x04\x14\x00binary plan").expect("write the plan");
    let run = palisade(&["check", "tfplan", "--format", "json"], dir.path());
    let report = run.json();
    assert_eq!(report["errors"][0]["file"], "tfplan", "{}", run.stdout);
    assert!(
        report["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("terraform show -json PLAN > plan.json"),
        "{}",
        run.stdout
    );
}

/// A one-line plan beside the root module it was made from (`tests/fixtures/plan-source`).
const SOURCED: &str = "tests/fixtures/plan-source";

fn sourced_findings(run: &crate::common::Run) -> Vec<(String, String, u64)> {
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    finding_lines(&run.json())
}

#[test]
fn findings_point_at_the_configuration_beside_the_plan() {
    let plan = format!("{SOURCED}/plan.json");
    let run = palisade(&["check", &plan, "--format", "json"], &root());
    assert_eq!(
        sourced_findings(&run),
        [
            ("public-bucket".to_owned(), format!("{SOURCED}/main.tf"), 10),
            // Through the module call, at the `count` instance's block.
            (
                "open-ssh".to_owned(),
                format!("{SOURCED}/modules/net/main.tf"),
                16
            ),
        ]
    );
    // The configuration's lines are quoted; they are source, not plan values.
    let text = palisade(&["check", &plan], &root());
    assert!(
        text.stdout.contains("acl    = var.logs_acl"),
        "{}",
        text.stdout
    );
}

#[test]
fn source_names_the_configuration_of_a_plan_elsewhere() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = dir.path().join("plan.json");
    std::fs::copy(root().join(SOURCED).join("plan.json"), &plan).expect("copy plan");
    let plan = plan.to_string_lossy().into_owned();

    let alone = palisade(&["check", &plan, "--format", "json"], &root());
    let mut lines: Vec<_> = sourced_findings(&alone)
        .into_iter()
        .map(|(rule, file, line)| (rule, file == plan, line))
        .collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            ("open-ssh".to_owned(), true, 1),
            ("public-bucket".to_owned(), true, 1)
        ]
    );

    let sourced = palisade(
        &["check", &plan, "--source", SOURCED, "--format", "json"],
        &root(),
    );
    assert_eq!(
        sourced_findings(&sourced),
        [
            ("public-bucket".to_owned(), format!("{SOURCED}/main.tf"), 10),
            (
                "open-ssh".to_owned(),
                format!("{SOURCED}/modules/net/main.tf"),
                16
            ),
        ]
    );

    let missing = palisade(&["check", &plan, "--source", "no/such/dir"], &root());
    assert_eq!(missing.code, 2, "{}", missing.stderr);
    assert!(missing.stderr.contains("no/such/dir"), "{}", missing.stderr);
}
