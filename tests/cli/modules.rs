//! `--download-modules` end to end: a registry module chosen by its version constraint,
//! which calls a git module at a tag, both fetched from servers on 127.0.0.1 into a
//! cache, their resources checked and reported at the module call in the repository.

use std::path::Path;

use crate::common::palisade;

#[path = "../support/module_server.rs"]
mod module_server;

use module_server::{GitRepo, ModuleServer};

const OPEN_SSH: &str = r#"
variable "cidr" {
  default = "0.0.0.0/0"
}
resource "alicloud_security_group" "sg" {
  name = "web"
}
resource "alicloud_security_group_rule" "ssh" {
  type              = "ingress"
  ip_protocol       = "tcp"
  port_range        = "22/22"
  security_group_id = alicloud_security_group.sg.id
  cidr_ip           = var.cidr
}
"#;

const CLOSED_SSH: &str = r#"
resource "alicloud_security_group_rule" "ssh" {
  type              = "ingress"
  ip_protocol       = "tcp"
  port_range        = "22/22"
  security_group_id = "sg-1"
  cidr_ip           = "10.0.0.0/8"
}
"#;

/// A registry with `acme/network/alicloud` 1.0.0, 1.3.0 and 2.0.0 (only 1.3.0 opens
/// SSH to the world and calls the git module) and a git repository `disks` whose tag
/// v1.0.0 leaves a disk unencrypted and whose main branch does not.
fn servers() -> (ModuleServer, GitRepo) {
    let server = ModuleServer::start();
    let disks = GitRepo::init();
    disks.commit(
        "unencrypted",
        &[(
            "main.tf",
            "resource \"alicloud_disk\" \"data\" {\n  size = 20\n}\n",
        )],
    );
    disks.tag("v1.0.0");
    disks.commit(
        "encrypted",
        &[(
            "main.tf",
            "resource \"alicloud_disk\" \"data\" {\n  size      = 20\n  encrypted = true\n}\n",
        )],
    );
    server.add_git("disks", &disks);
    let with_disks = format!(
        "{OPEN_SSH}\nmodule \"disks\" {{\n  source = \"git::{}?ref=v1.0.0\"\n}}\n",
        server.url("/git/disks.git")
    );
    server.add_module(
        "acme",
        "network",
        "alicloud",
        "1.0.0",
        &[("main.tf", CLOSED_SSH)],
    );
    server.add_module(
        "acme",
        "network",
        "alicloud",
        "1.3.0",
        &[("main.tf", &with_disks)],
    );
    server.add_module(
        "acme",
        "network",
        "alicloud",
        "2.0.0",
        &[("main.tf", CLOSED_SSH)],
    );
    (server, disks)
}

fn repository(dir: &Path, server: &ModuleServer, settings: &str) {
    let main = format!(
        "module \"net\" {{\n  source  = \"{}/acme/network/alicloud\"\n  version = \"~> 1.0\"\n}}\n",
        server.host()
    );
    std::fs::write(dir.join("main.tf"), main).unwrap();
    std::fs::write(dir.join("palisade.toml"), settings).unwrap();
}

fn check(dir: &Path, cache: &Path, extra: &[&str]) -> serde_json::Value {
    let cache = cache.to_str().unwrap();
    let mut args = vec!["check", ".", "--format", "json", "--module-cache", cache];
    args.extend(extra);
    let run = palisade(&args, dir);
    assert!(matches!(run.code, 1 | 2), "{}\n{}", run.stdout, run.stderr);
    run.json()
}

fn summary(report: &serde_json::Value) -> Vec<(String, String, String, u64)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["resource"]["address"].as_str().unwrap().to_owned(),
                f["file"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn registry_and_git_modules_are_fetched_checked_and_reported_at_the_call() {
    let (server, _disks) = servers();
    let repo = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    repository(repo.path(), &server, "");

    // Off by default: the module is an error at its source, saying how to check it.
    let report = check(repo.path(), cache.path(), &[]);
    let error = report["errors"][0]["message"].as_str().unwrap();
    assert!(error.contains("is not installed"), "{error}");
    assert!(error.contains("--download-modules"), "{error}");
    assert_eq!(server.requests(), Vec::<String>::new());

    let report = check(repo.path(), cache.path(), &["--download-modules"]);
    assert_eq!(report["errors"], serde_json::json!([]), "{report:#}");
    assert_eq!(
        summary(&report),
        [
            (
                "open-ssh".to_owned(),
                "module.net.alicloud_security_group_rule.ssh".to_owned(),
                "main.tf".to_owned(),
                2
            ),
            (
                "unencrypted-disk".to_owned(),
                "module.net.module.disks.alicloud_disk.data".to_owned(),
                "main.tf".to_owned(),
                2
            ),
        ]
    );
    let text = report["findings"].to_string();
    let host = server.host();
    assert!(
        text.contains(&format!(
            "defined at {host}/acme/network/alicloud@1.3.0/main.tf:8:1"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("defined at {host}/git/disks@v1.0.0/main.tf:1:1")),
        "{text}"
    );
    assert!(!text.contains(cache.path().to_str().unwrap()), "{text}");

    // A later run finds both packages in the cache: the registry is asked for versions
    // again, the archive and the repository are not fetched again.
    let archives = server.count("/archives/");
    let clones = server.count("/git/");
    let again = check(repo.path(), cache.path(), &["--download-modules"]);
    assert_eq!(summary(&again), summary(&report));
    assert_eq!(server.count("/archives/"), archives);
    assert_eq!(server.count("/git/"), clones);
}

#[test]
fn palisade_toml_turns_downloads_on_and_the_command_line_off() {
    let (server, _disks) = servers();
    let repo = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    repository(repo.path(), &server, "download_modules = true\n");

    let report = check(repo.path(), cache.path(), &[]);
    assert_eq!(report["errors"], serde_json::json!([]), "{report:#}");
    assert_eq!(summary(&report).len(), 2);

    let report = check(repo.path(), cache.path(), &["--no-download-modules"]);
    assert_eq!(report["findings"], serde_json::json!([]));
    assert_eq!(report["errors"].as_array().unwrap().len(), 1);
}

#[test]
fn a_module_that_cannot_be_fetched_is_an_error_at_its_source() {
    let (server, _disks) = servers();
    let repo = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let main = format!(
        "module \"net\" {{\n  source  = \"{}/acme/network/alicloud\"\n  version = \">= 3.0\"\n}}\n\
         module \"local\" {{\n  source = \"git::file:///etc\"\n}}\n",
        server.host()
    );
    std::fs::write(repo.path().join("main.tf"), main).unwrap();
    let report = check(repo.path(), cache.path(), &["--download-modules"]);
    let errors: Vec<(u64, String)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().unwrap(),
                e["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[0].0, 2);
    assert!(
        errors[0].1.contains("no version of") && errors[0].1.contains("1.0.0, 1.3.0, 2.0.0"),
        "{errors:?}"
    );
    assert_eq!(errors[1].0, 6);
    assert!(
        errors[1].1.contains("`file` sources are not downloaded"),
        "{errors:?}"
    );
}

#[test]
fn a_ros_workspace_fetches_its_modules_too() {
    let (server, _disks) = servers();
    let repo = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let template = format!(
        "ROSTemplateFormatVersion: '2015-09-01'\n\
         Transform: Aliyun::Terraform-v1.2\n\
         Workspace:\n  main.tf: |\n    module \"net\" {{\n      source  = \"{}/acme/network/alicloud\"\n      version = \"1.3.0\"\n    }}\n",
        server.host()
    );
    std::fs::write(repo.path().join("stack.yaml"), template).unwrap();
    let report = check(repo.path(), cache.path(), &["--download-modules"]);
    assert_eq!(report["errors"], serde_json::json!([]), "{report:#}");
    let found = summary(&report);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found
            .iter()
            .all(|(_, _, file, line)| file == "stack.yaml" && *line == 6),
        "{found:?}"
    );
}
