//! Baselines: `--write-baseline` records a run's findings, `--baseline` lets only new
//! ones fail and lists the fixed ones, however lines move.

use std::fs;
use std::path::Path;

use crate::common::{DISK, Run, SSH, palisade};

const OTHER_SSH: &str = r#"
resource "alicloud_security_group_rule" "admin" {
  type              = "ingress"
  ip_protocol       = "tcp"
  policy            = "accept"
  port_range        = "22/22"
  security_group_id = "sg-example"
  cidr_ip           = "0.0.0.0/0"
}
"#;

fn check(dir: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["check", ".", "--format", "json"];
    args.extend_from_slice(extra);
    palisade(&args, dir)
}

/// `(rule, address)` of every entry of `key` in a JSON report.
fn listed(report: &serde_json::Value, key: &str, address: &str) -> Vec<(String, String)> {
    report[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} is an array: {report:#}"))
        .iter()
        .map(|f| {
            let rule = f["rule"].as_str().unwrap_or_default().to_owned();
            let address = f.pointer(address).and_then(|a| a.as_str());
            (rule, address.unwrap_or_default().to_owned())
        })
        .collect()
}

fn pair(rule: &str, address: &str) -> (String, String) {
    (rule.to_owned(), address.to_owned())
}

#[test]
fn only_new_findings_fail_and_fixed_ones_are_listed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let main = root.join("main.tf");
    fs::write(&main, format!("{SSH}{DISK}")).expect("write");

    // Recording the findings accepts them.
    let run = palisade(&["check", ".", "--write-baseline", "baseline.json"], root);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("0 findings, 2 known (baseline)"),
        "{}",
        run.stdout
    );
    let recorded = fs::read_to_string(root.join("baseline.json")).expect("baseline written");
    let document: serde_json::Value = serde_json::from_str(&recorded).expect("JSON");
    assert_eq!(document["version"], 1);
    assert_eq!(
        listed(&document, "findings", "/address"),
        [
            pair("open-ssh", "alicloud_security_group_rule.ssh"),
            pair("unencrypted-disk", "alicloud_disk.logs"),
        ]
    );
    assert!(!recorded.contains("line"), "{recorded}");

    let run = check(root, &["--baseline", "baseline.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.json();
    assert_eq!(listed(&report, "findings", "/resource/address"), []);
    assert_eq!(listed(&report, "baselined", "/resource/address").len(), 2);
    assert_eq!(listed(&report, "fixed", "/address"), []);

    // Lines inserted above the resources move every finding; they stay known.
    fs::write(
        &main,
        format!("# Network rules, reviewed.\n\nlocals {{\n  team = \"web\"\n}}\n{SSH}{DISK}"),
    )
    .expect("write");
    let run = check(root, &["--baseline", "baseline.json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(
        listed(&run.json(), "baselined", "/resource/address").len(),
        2
    );

    // A new finding fails, alone; the disk, now encrypted, is fixed.
    fs::write(
        &main,
        format!(
            "{SSH}{}{OTHER_SSH}",
            DISK.replace("encrypted = false", "encrypted = true")
        ),
    )
    .expect("write");
    let run = check(root, &["--baseline", "baseline.json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
    assert_eq!(
        listed(&report, "findings", "/resource/address"),
        [pair("open-ssh", "alicloud_security_group_rule.admin")]
    );
    assert_eq!(
        listed(&report, "baselined", "/resource/address"),
        [pair("open-ssh", "alicloud_security_group_rule.ssh")]
    );
    assert_eq!(
        listed(&report, "fixed", "/address"),
        [pair("unencrypted-disk", "alicloud_disk.logs")]
    );

    let run = palisade(&["check", ".", "--baseline", "baseline.json"], root);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains(
            "fixed since the baseline:\n  [unencrypted-disk] main.tf alicloud_disk.logs: encrypted\n"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("1 finding (1 high), 1 known (baseline)"),
        "{}",
        run.stdout
    );
}

#[test]
fn an_unreadable_baseline_stops_the_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("main.tf"), SSH).expect("write");
    let run = check(dir.path(), &["--baseline", "missing.json"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("error: cannot read the baseline missing.json: "),
        "{}",
        run.stderr
    );
    fs::write(dir.path().join("bad.json"), "{\"version\": 1}").expect("write");
    let run = check(dir.path(), &["--baseline", "bad.json"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("the baseline bad.json is not valid"),
        "{}",
        run.stderr
    );
}
