//! `plaintext-secret` finds passwords written in templates and never prints them: not in
//! a message, a quoted source line or any report format, and a value given at run time
//! (`TF_VAR_...`, `--param`) is no finding.

use std::fs;
use std::path::Path;

use crate::common::{palisade, palisade_with_env};

/// The password every template below writes; no output may contain it.
const SECRET: &str = "Hunter2-Sup3r-Secret";

fn write(dir: &Path, name: &str, text: &str) {
    fs::write(dir.join(name), text).expect("write template");
}

fn templates(dir: &Path) {
    write(
        dir,
        "main.tf",
        &format!(
            r#"variable "db_password" {{
  type    = string
  default = "{SECRET}"
}}

resource "alicloud_instance" "web" {{
  instance_type = "ecs.g6.large"
  password      = "{SECRET}"
}}

resource "alicloud_db_account" "app" {{
  db_instance_id   = "rm-1"
  account_name     = "app"
  account_password = var.db_password
}}
"#
        ),
    );
    write(
        dir,
        "stack.yaml",
        &format!(
            "ROSTemplateFormatVersion: '2015-09-01'\nParameters:\n  DbPassword:\n    \
             Type: String\n    Default: {SECRET}\nResources:\n  Db:\n    Type: \
             ALIYUN::RDS::DBInstance\n    Properties:\n      MasterUserPassword: {SECRET}\n"
        ),
    );
}

#[test]
fn no_report_format_shows_a_written_password() {
    let dir = tempfile::tempdir().expect("temp dir");
    templates(dir.path());
    for format in ["text", "json", "sarif", "junit", "github"] {
        let run = palisade(
            &[
                "check",
                ".",
                "--format",
                format,
                "--rule",
                "plaintext-secret",
                "--verbose",
            ],
            dir.path(),
        );
        assert_eq!(run.code, 1, "{format}: {}\n{}", run.stdout, run.stderr);
        assert!(
            !run.stdout.contains(SECRET) && !run.stderr.contains(SECRET),
            "{format} shows the password:\n{}",
            run.stdout
        );
        assert!(
            run.stdout.contains("plaintext-secret"),
            "{format}: {}",
            run.stdout
        );
    }
    let report = palisade(
        &[
            "check",
            ".",
            "--format",
            "json",
            "--rule",
            "plaintext-secret",
        ],
        dir.path(),
    )
    .json();
    let mut found: Vec<(String, String)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["resource"]["address"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                f["message"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    found.sort();
    let addresses: Vec<&str> = found.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        addresses,
        [
            "Db",
            "Parameters.DbPassword",
            "alicloud_db_account.app",
            "alicloud_instance.web"
        ]
    );
    // The variable default is named where the value is used.
    let account = &found[2].1;
    assert!(
        account.contains("var.db_password from default at main.tf:3:13"),
        "{account}"
    );
}

#[test]
fn a_password_given_at_run_time_is_no_finding() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "main.tf",
        "variable \"db_password\" {\n  type      = string\n  sensitive = true\n}\n\n\
         resource \"alicloud_db_account\" \"app\" {\n  account_name     = \"app\"\n  \
         account_password = var.db_password\n}\n",
    );
    let run = palisade_with_env(
        &[
            "check",
            ".",
            "--format",
            "json",
            "--rule",
            "plaintext-secret",
        ],
        dir.path(),
        &[("TF_VAR_db_password", SECRET)],
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(!run.stdout.contains(SECRET));
}

#[test]
fn parameter_declarations_are_not_counted_as_resources() {
    // ROS parameter declarations reach policies as resources, but are none.
    let dir = tempfile::tempdir().expect("temp dir");
    templates(dir.path());
    let run = palisade(&["check", "stack.yaml", "--format", "json"], dir.path());
    assert_eq!(run.json()["summary"]["resources"], 1, "{}", run.stdout);
}
