//! Terraform as Terraform sees it, end to end: variables from every source, module calls
//! with for_each, and findings that say where an insecure value came from.

use crate::common::{palisade, root};

fn findings(args: &[&str]) -> Vec<(String, String, u64, String)> {
    let fixture = root().join("tests/fixtures/terraform-modules");
    let mut all = vec!["check", ".", "--format", "json"];
    all.extend(args);
    let run = palisade(&all, &fixture);
    assert!(
        run.code == 0 || run.code == 1,
        "{}\n{}",
        run.stdout,
        run.stderr
    );
    let report = run.json();
    assert_eq!(report["errors"], serde_json::json!([]), "{}", run.stdout);
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["resource"]["address"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                f["file"].as_str().unwrap_or_default().to_owned(),
                f["line"].as_u64().unwrap_or_default(),
                f["message"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn findings_in_modules_and_from_variables_name_where_the_value_came_from() {
    let found = findings(&[]);
    assert_eq!(
        found,
        [
            (
                "alicloud_oss_bucket.shared".to_owned(),
                "main.tf".to_owned(),
                4,
                "bucket ACL public-read lets the public read the bucket \
                 (var.acl from default at variables.tf:3:13)"
                    .to_owned(),
            ),
            (
                "module.team[\"web\"].alicloud_oss_bucket.this".to_owned(),
                "modules/bucket/main.tf".to_owned(),
                12,
                "bucket ACL public-read-write makes the bucket world-writable: anyone can upload, \
                 overwrite or delete objects (var.acl set by module.team[\"web\"] at main.tf:15:3; \
                 in root module .)"
                    .to_owned(),
            ),
        ]
    );
}

#[test]
fn command_line_variables_override_defaults_in_order() {
    let private = findings(&["--var", "acl=public-read", "--var", "acl=private"]);
    assert_eq!(
        private.len(),
        1,
        "only the module's bucket is left: {private:?}"
    );
    let from_cli = findings(&["--var", "acl=public-read-write"]);
    assert!(
        from_cli[0].3.ends_with("(var.acl from -var)"),
        "{from_cli:?}"
    );
    let no_teams = findings(&["--var", "teams=[]"]);
    assert_eq!(no_teams.len(), 1, "{no_teams:?}");
}

/// One module file called from two root modules: a finding per root, each naming its
/// root in every format, never merged into one.
#[test]
fn a_module_called_from_two_roots_gives_a_finding_per_root() {
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("dirs");
        std::fs::write(path, text).expect("write");
    };
    write(
        "modules/disk/main.tf",
        "resource \"alicloud_disk\" \"d\" {\n  encrypted = false\n}\n",
    );
    for env in ["dev", "prod"] {
        write(
            &format!("envs/{env}/main.tf"),
            "module \"disk\" {\n  source = \"../../modules/disk\"\n}\n",
        );
    }
    let run = palisade(&["check", ".", "--format", "json"], dir.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
    let messages: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "disk is explicitly unencrypted (`encrypted = false`) (in root module envs/dev)",
            "disk is explicitly unencrypted (`encrypted = false`) (in root module envs/prod)",
        ]
    );
    let text = palisade(&["check", "."], dir.path());
    assert!(
        text.stdout.contains("(in root module envs/prod)"),
        "{}",
        text.stdout
    );
}
