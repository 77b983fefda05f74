//! Broken, hostile and oversized input: each file gets a located error, the rest of the
//! run still happens, nothing panics.

use std::fs;
use std::path::Path;

use crate::common::{finding_lines, palisade};

const OPEN_SSH: &str = r#"resource "alicloud_security_group_rule" "ssh" {
  type        = "ingress"
  ip_protocol = "tcp"
  port_range  = "22/22"
  cidr_ip     = "0.0.0.0/0"
}
"#;

fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().expect("has a parent")).expect("create dirs");
    fs::write(path, contents).expect("write fixture");
}

#[test]
fn every_bad_file_is_located_and_the_good_ones_are_still_checked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    write(d, "good/main.tf", OPEN_SSH);
    write(
        d,
        "hcl-syntax/main.tf",
        "resource \"alicloud_disk\" \"d\" {\n  size = \n}\n",
    );
    write(
        d,
        "ros-yaml/template.yaml",
        "ROSTemplateFormatVersion: '2015-09-01'\nResources:\n  Disk:\n    Type: ALIYUN::ECS::Disk\n   Properties: {}\n",
    );
    write(
        d,
        "ros-json/template.json",
        "{\n  \"ROSTemplateFormatVersion\": \"2015-09-01\",\n  \"Resources\": {\n    \"Disk\": {\"Type\": \"ALIYUN::ECS::Disk\",}\n  }\n}\n",
    );
    write(
        d,
        "not-utf8/main.tf",
        b"resource \"alicloud_disk\" \"d\" {\n  name = \"\xff\xfe\"\n}\n",
    );
    let deep_hcl = format!("locals {{\n  x = {}\n}}\n", "[".repeat(100_000));
    write(d, "deep-hcl/main.tf", deep_hcl);
    let deep_json = format!(
        "{{\"ROSTemplateFormatVersion\": \"2015-09-01\", \"Resources\": {}}}",
        "[".repeat(100_000)
    );
    write(d, "deep-json/template.json", deep_json);
    let deep_yaml = format!(
        "ROSTemplateFormatVersion: '2015-09-01'\nResources: {}\n",
        "[".repeat(100_000)
    );
    write(d, "deep-yaml/template.yaml", deep_yaml);

    let run = palisade(&["check", ".", "--format", "json"], d);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    let report = run.json();

    assert_eq!(
        finding_lines(&report),
        [("open-ssh".to_owned(), "good/main.tf".to_owned(), 5)],
        "the good file is still checked"
    );
    let errors = report["errors"].as_array().expect("errors array");
    let located: Vec<(String, u64, u64)> = errors
        .iter()
        .map(|e| {
            (
                e["file"].as_str().unwrap_or_default().to_owned(),
                e["line"].as_u64().unwrap_or_default(),
                e["column"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    let files: Vec<&str> = located.iter().map(|(f, _, _)| f.as_str()).collect();
    assert_eq!(
        files,
        [
            "deep-hcl/main.tf",
            "deep-json/template.json",
            "deep-yaml/template.yaml",
            "hcl-syntax/main.tf",
            "not-utf8/main.tf",
            "ros-json/template.json",
            "ros-yaml/template.yaml",
        ],
        "{errors:#?}"
    );
    assert!(
        located
            .iter()
            .all(|(_, line, column)| *line > 0 && *column > 0),
        "{located:?}"
    );
    // The invalid byte is on line 2, after `  name = "`.
    assert!(
        located.contains(&("not-utf8/main.tf".to_owned(), 2, 11)),
        "{located:?}"
    );
    insta::assert_json_snapshot!(errors);
}

#[test]
fn an_oversized_file_is_refused_with_its_size() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "good/main.tf", OPEN_SSH);
    let mut big = String::from("locals {\n");
    while big.len() < 50 * 1024 * 1024 {
        big.push_str("  # padding padding padding padding padding padding padding padding\n");
    }
    big.push_str("}\n");
    write(dir.path(), "big/main.tf", big);

    let run = palisade(&["check", ".", "--format", "json"], dir.path());
    assert_eq!(run.code, 2, "{}", run.stderr);
    let report = run.json();
    assert_eq!(
        finding_lines(&report).len(),
        1,
        "the good file is still checked"
    );
    let error = &report["errors"][0];
    assert_eq!(error["file"], "big/main.tf");
    let message = error["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("MiB") || message.contains("bytes"),
        "{message}"
    );
}

/// A FIFO in a walked tree is an error of its own, and the text report, which reads
/// files back to quote their lines, neither blocks on it nor reads an oversized file.
#[test]
fn the_text_report_never_reads_a_fifo_or_an_oversized_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "ssh/main.tf", OPEN_SSH);
    write(dir.path(), "big/main.tf", "# padding\n".repeat(200));
    let made = std::process::Command::new("mkfifo")
        .arg(dir.path().join("pipe.tf"))
        .status();
    if !made.is_ok_and(|status| status.success()) {
        return;
    }
    let run = palisade(&["check", ".", "--max-file-size", "1000"], dir.path());
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    for expected in [
        "error: cannot read: a FIFO (named pipe), not a regular file\n--> pipe.tf:1:1",
        "error: file is 2000 bytes, over the limit of 1000 bytes (--max-file-size)\n--> big/main.tf:1:1",
        "--> ssh/main.tf:5:3",
    ] {
        assert!(run.stdout.contains(expected), "{expected}\n{}", run.stdout);
    }
}

/// A value nested deeper than a policy's JSON reader follows does not make the policies
/// fail on the whole file: the deep part is unknown to them, the rest is checked.
#[test]
fn a_deeply_nested_value_does_not_hide_the_other_findings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let deep = (0..150).fold("1".to_owned(), |inner, _| format!("[{inner}]"));
    let template = format!(
        "{{\"ROSTemplateFormatVersion\": \"2015-09-01\", \"Resources\": {{\"D\": {{\"Type\": \
         \"ALIYUN::ECS::Disk\", \"Properties\": {{\"Encrypted\": false, \"Tags\": {deep}}}}}}}}}"
    );
    write(dir.path(), "stack.json", template);
    let run = palisade(&["check", ".", "--format", "json"], dir.path());
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let report = run.json();
    assert_eq!(report["errors"].as_array().map(Vec::len), Some(0));
    assert_eq!(
        finding_lines(&report),
        [("unencrypted-disk".to_owned(), "stack.json".to_owned(), 1)]
    );
}
