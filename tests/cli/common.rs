//! Running the `palisade` binary the way a user does.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The workspace root: examples and test policies are found from here.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the host crate sits in the workspace")
        .to_path_buf()
}

/// One finished run of the binary.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

/// A compile cache shared by the tests of this process, so that each policy is
/// compiled once per test run (the cache tests use their own).
fn shared_cache() -> &'static Path {
    static CACHE: OnceLock<tempfile::TempDir> = OnceLock::new();
    CACHE
        .get_or_init(|| tempfile::tempdir().expect("temporary cache dir"))
        .path()
}

/// A `palisade ARGS` command in `cwd`, without colours, with the shared compile cache.
fn command(args: &[&str], cwd: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_palisade"));
    command
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("PALISADE_CACHE_DIR", shared_cache());
    command
}

fn run(mut command: Command) -> Run {
    let output = command.output().expect("the palisade binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs `palisade ARGS` in `cwd`, without colours, with the shared compile cache.
pub fn palisade(args: &[&str], cwd: &Path) -> Run {
    run(command(args, cwd))
}

/// Runs `palisade ARGS` in `cwd` as [`palisade`] does, with its standard output going to
/// `stdout` (whose text the returned run therefore leaves empty).
pub fn palisade_with_stdout(args: &[&str], cwd: &Path, stdout: std::fs::File) -> Run {
    let mut command = command(args, cwd);
    let output = command
        .stdout(stdout)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|child| child.wait_with_output())
        .expect("the palisade binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::new(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs `palisade ARGS` in `cwd` as [`palisade`] does, with the environment variables
/// `env` set.
pub fn palisade_with_env(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Run {
    let mut command = command(args, cwd);
    command.envs(env.iter().copied());
    run(command)
}

/// Runs a `palisade` command that builds a policy crate (`build`, `test`) as a
/// [`nested_build`].
pub fn palisade_building(args: &[&str], cwd: &Path) -> Run {
    let mut command = command(args, cwd);
    nested_build(&mut command);
    run(command)
}

/// Where nested cargo builds of policy crates go: shared by every test that builds one,
/// so that wit-bindgen and the SDK compile once, and apart from the outer cargo's target
/// directory, so that a nested build never waits on its lock.
pub fn policy_target_dir() -> PathBuf {
    root().join("target").join("test-policies")
}

/// Makes `command` (cargo, or palisade running cargo) build into [`policy_target_dir`],
/// without the outer build's compiler settings, which do not apply to a wasm target.
pub fn nested_build(command: &mut Command) -> &mut Command {
    command.env("CARGO_TARGET_DIR", policy_target_dir());
    for var in [
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "RUSTC_WORKSPACE_WRAPPER",
        "CARGO_BUILD_TARGET",
        "CARGO_BUILD_BUILD_DIR",
    ] {
        command.env_remove(var);
    }
    command
}

/// Builds workspace policy packages for wasm32-wasip2, offline, as a [`nested_build`]:
/// `cargo build ARGS` (packages and profile), panicking with `what` on failure.
pub fn build_policies(args: &[&str], what: &str) {
    let mut cargo = Command::new(env!("CARGO"));
    cargo
        .args(["build", "--quiet", "--offline", "--target", "wasm32-wasip2"])
        .args(args)
        .arg("--manifest-path")
        .arg(root().join("Cargo.toml"));
    let status = nested_build(&mut cargo).status().expect("cargo runs");
    assert!(status.success(), "building {what} failed");
}

/// `(rule, file, line)` of every finding in a JSON report, in report order.
pub fn finding_lines(report: &serde_json::Value) -> Vec<(String, String, u64)> {
    report["findings"]
        .as_array()
        .expect("findings is an array")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_owned(),
                f["file"].as_str().unwrap_or_default().to_owned(),
                f["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

/// An Alibaba ingress rule opening SSH to the world: one `open-ssh` finding.
pub const SSH: &str = r#"
resource "alicloud_security_group_rule" "ssh" {
  type              = "ingress"
  ip_protocol       = "tcp"
  policy            = "accept"
  port_range        = "22/22"
  security_group_id = "sg-example"
  cidr_ip           = "0.0.0.0/0"
}
"#;

/// An unencrypted Alibaba disk: one `unencrypted-disk` finding.
pub const DISK: &str = r#"
resource "alicloud_disk" "logs" {
  zone_id   = "cn-hangzhou-i"
  size      = 20
  encrypted = false
}
"#;

/// `(family, rule ids)` of every built-in rule family, as the runner finds them: the
/// crates under `policies/` marked `[package.metadata.palisade] builtin = true`, each
/// rule a file `src/rules/<rule_id>.rs`. Both sorted.
pub fn builtin_families() -> Vec<(String, Vec<String>)> {
    let mut families: Vec<(String, Vec<String>)> = std::fs::read_dir(root().join("policies"))
        .expect("policies/ is readable")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|dir| is_builtin(&dir.join("Cargo.toml")))
        .map(|dir| {
            let family = dir
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            (family, rule_ids(&dir.join("src/rules")))
        })
        .collect();
    families.sort();
    assert!(!families.is_empty(), "no built-in family under policies/");
    families
}

/// Whether the crate manifest at `manifest` says `[package.metadata.palisade] builtin =
/// true`, as the runner's build script reads it.
fn is_builtin(manifest: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(manifest) else {
        return false;
    };
    let manifest: toml::Table = text.parse().expect("a crate manifest is TOML");
    manifest
        .get("package")
        .and_then(|package| package.get("metadata"))
        .and_then(|metadata| metadata.get("palisade"))
        .and_then(|palisade| palisade.get("builtin"))
        .and_then(toml::Value::as_bool)
        == Some(true)
}

/// The ids of the rule files in `dir`: `open_ssh.rs` is `open-ssh`.
fn rule_ids(dir: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(dir)
        .expect("a family has src/rules/")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|file| file.is_file() && file.extension().is_some_and(|ext| ext == "rs"))
        .filter_map(|file| Some(file.file_stem()?.to_string_lossy().replace('_', "-")))
        .collect();
    ids.sort();
    ids
}
