//! What `palisade check` writes for a person at a terminal: colours only on a terminal
//! and never with `NO_COLOR`, `--quiet`, and the changed files a pre-commit hook names
//! (a `.tf` file with its directory as context, JSON that is no template skipped).

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::common::palisade;

const OPEN_SSH: &str = r#"resource "alicloud_security_group_rule" "ssh" {
  type        = "ingress"
  ip_protocol = "tcp"
  port_range  = "22/22"
  cidr_ip     = "0.0.0.0/0"
}
"#;

/// A directory holding `main.tf` with an SSH rule open to the world.
fn open_ssh_module() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    fs::write(dir.path().join("main.tf"), OPEN_SSH).expect("write main.tf");
    dir
}

/// `palisade ARGS` in `cwd` with its output piped, `NO_COLOR` as given.
fn piped(args: &[&str], cwd: &Path, no_color: Option<&str>) -> (String, String) {
    let cache = cwd.join(".cache");
    let mut command = Command::new(env!("CARGO_BIN_EXE_palisade"));
    command
        .args(args)
        .current_dir(cwd)
        .env("PALISADE_CACHE_DIR", cache)
        .env_remove("NO_COLOR");
    if let Some(value) = no_color {
        command.env("NO_COLOR", value);
    }
    let output = command.output().expect("the palisade binary runs");
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `palisade ARGS` run on a pseudo-terminal by `script`, with `env` before it: what the
/// terminal showed. `None` when `script` is not available.
fn on_terminal(args: &str, cwd: &Path, env: &str) -> Option<String> {
    let binary = env!("CARGO_BIN_EXE_palisade");
    let cache = cwd.join(".cache");
    let line = format!(
        "env {env} PALISADE_CACHE_DIR='{}' '{binary}' {args}",
        cache.display()
    );
    let output = Command::new("script")
        .args(["--quiet", "--return", "--command", &line, "/dev/null"])
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .output()
        .ok()
        .filter(|output| output.status.code().is_some_and(|code| code <= 2))?;
    Some(String::from_utf8_lossy(&output.stdout).into_owned())
}

#[test]
fn quiet_prints_findings_without_the_summary_line() {
    let dir = open_ssh_module();
    let run = palisade(&["check", "--quiet", "main.tf"], dir.path());
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("[open-ssh]"), "{}", run.stdout);
    assert!(!run.stdout.contains("checked with"), "{}", run.stdout);

    fs::write(dir.path().join("main.tf"), "").expect("write main.tf");
    let run = palisade(&["check", "-q", "main.tf"], dir.path());
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
    assert_eq!(run.stderr, "");
}

#[test]
fn output_off_a_terminal_has_no_escape_codes() {
    let dir = open_ssh_module();
    for no_color in [None, Some("1")] {
        let (stdout, stderr) = piped(&["check", "main.tf"], dir.path(), no_color);
        assert!(stdout.contains("[open-ssh]"), "{stdout}");
        assert!(
            !stdout.contains('\x1b'),
            "NO_COLOR={no_color:?}: {stdout:?}"
        );
        assert!(
            !stderr.contains('\x1b'),
            "NO_COLOR={no_color:?}: {stderr:?}"
        );
    }
}

#[test]
fn a_terminal_gets_colours_unless_no_color_is_set() {
    let dir = open_ssh_module();
    let Some(coloured) = on_terminal("check main.tf", dir.path(), "TERM=xterm") else {
        println!("skipped: `script` cannot run a pseudo-terminal here");
        return;
    };
    assert!(coloured.contains("[open-ssh]"), "{coloured}");
    assert!(
        coloured.contains("\x1b["),
        "no colours on a terminal: {coloured:?}"
    );

    let plain = on_terminal("check main.tf", dir.path(), "TERM=xterm NO_COLOR=1")
        .expect("script ran a moment ago");
    assert!(plain.contains("[open-ssh]"), "{plain}");
    assert!(
        !plain.contains('\x1b'),
        "colours despite NO_COLOR: {plain:?}"
    );
}

#[test]
fn a_named_terraform_file_is_checked_with_its_directory() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let write = |name: &str, text: &str| fs::write(dir.path().join(name), text).expect("write");
    write(
        "variables.tf",
        "variable \"ssh_cidr\" {\n  default = \"0.0.0.0/0\"\n}\n",
    );
    write(
        "main.tf",
        &OPEN_SSH.replace("\"0.0.0.0/0\"", "var.ssh_cidr"),
    );
    write("other.tf", &OPEN_SSH.replace("\"ssh\"", "\"other\""));

    // The CIDR comes from variables.tf; other.tf's own finding is not main.tf's.
    let run = palisade(&["check", "main.tf", "--format", "json"], dir.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        crate::common::finding_lines(&run.json()),
        [("open-ssh".to_owned(), "main.tf".to_owned(), 5)]
    );

    let both = palisade(
        &["check", "main.tf", "other.tf", "--format", "json"],
        dir.path(),
    );
    let files: Vec<String> = crate::common::finding_lines(&both.json())
        .into_iter()
        .map(|(_, file, _)| file)
        .collect();
    assert_eq!(files, ["main.tf", "other.tf"]);
}

#[test]
fn named_files_that_are_not_templates_can_be_skipped() {
    let dir = open_ssh_module();
    fs::write(dir.path().join("package.json"), r#"{"name": "site"}"#).expect("write json");
    let strict = palisade(&["check", "package.json", "main.tf"], dir.path());
    assert_eq!(strict.code, 2, "{}", strict.stdout);
    assert!(
        strict.stdout.contains("not a Terraform configuration"),
        "{}",
        strict.stdout
    );

    let hook = palisade(
        &[
            "check",
            "--skip-non-templates",
            "package.json",
            "main.tf",
            "--format",
            "json",
        ],
        dir.path(),
    );
    assert_eq!(hook.code, 1, "{}", hook.stdout);
    assert_eq!(hook.json()["errors"], serde_json::json!([]));
}
