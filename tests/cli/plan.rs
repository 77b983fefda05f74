//! Terraform plan JSON end to end: findings point at the plan's lines, sensitive values
//! never reach a report, and a binary plan is refused with the command that converts it.

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
            ("public-bucket".to_owned(), PLAN.to_owned(), 15),
            ("public-bucket".to_owned(), PLAN.to_owned(), 45),
        ]
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
    for format in ["json", "text"] {
        for verbose in [false, true] {
            let mut args = vec!["check", plan, "--format", format, "--plan-scope", "all"];
            if verbose {
                args.push("--verbose");
            }
            let run = palisade(&args, &root());
            assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
            let output = format!("{}{}", run.stdout, run.stderr);
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
