//! Building a policy crate into a WebAssembly component with the user's own toolchain:
//! `cargo build --release --target wasm32-wasip2`, whose diagnostics the user sees as
//! cargo prints them.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The target policy components are built for.
pub const TARGET: &str = "wasm32-wasip2";

/// How to run cargo.
#[derive(Debug, Clone, Default)]
pub struct CargoOptions {
    /// Pass `--offline`: build from the local registry cache only.
    pub offline: bool,
}

/// Why a crate did not build into a component.
#[derive(Debug, thiserror::Error)]
pub enum CargoError {
    #[error("{0} has no Cargo.toml: is it a policy crate? (`palisade new NAME` makes one)")]
    NoManifest(PathBuf),
    #[error("cannot run cargo: {0}")]
    Spawn(std::io::Error),
    #[error(
        "the {TARGET} target is not installed for this toolchain; install it with \
         `rustup target add {TARGET}`"
    )]
    MissingTarget,
    #[error("cargo build failed (its messages are above)")]
    Failed,
    #[error("the build produced no component: add `[lib] crate-type = [\"cdylib\"]` to {0}")]
    NoComponent(PathBuf),
}

/// Builds the crate in `dir` in release mode for [`TARGET`] and returns the component
/// file it produced. Cargo's diagnostics go to the user's terminal.
pub fn build(dir: &Path, options: &CargoOptions) -> Result<PathBuf, CargoError> {
    let manifest = dir.join("Cargo.toml");
    if !manifest.is_file() {
        return Err(CargoError::NoManifest(dir.to_path_buf()));
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .arg("build")
        .arg("--release")
        .args(["--target", TARGET])
        .arg("--manifest-path")
        .arg(&manifest)
        .arg("--message-format=json-render-diagnostics")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if options.offline {
        command.arg("--offline");
    }
    let mut child = command.spawn().map_err(CargoError::Spawn)?;
    // Cargo's own messages (progress, errors) are shown as they come, and kept to tell a
    // missing target from other failures.
    let stderr = child.stderr.take();
    let relay = std::thread::spawn(move || {
        let mut seen = String::new();
        for line in stderr
            .map(BufReader::new)
            .into_iter()
            .flat_map(|r| r.lines())
        {
            let Ok(line) = line else { break };
            eprintln!("{line}");
            seen.push_str(&line);
            seen.push('\n');
        }
        seen
    });
    let mut components = Vec::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            components.extend(component_of(&line, &manifest));
        }
    }
    let status = child.wait().map_err(CargoError::Spawn)?;
    let stderr = relay.join().unwrap_or_default();
    if !status.success() {
        return Err(if stderr.contains("target may not be installed") {
            CargoError::MissingTarget
        } else {
            CargoError::Failed
        });
    }
    components.pop().ok_or(CargoError::NoComponent(manifest))
}

/// The `.wasm` file of a `compiler-artifact` message for the package of `manifest`.
fn component_of(line: &str, manifest: &Path) -> Option<PathBuf> {
    let message: serde_json::Value = serde_json::from_str(line).ok()?;
    if message["reason"] != "compiler-artifact" {
        return None;
    }
    let ours = message["manifest_path"]
        .as_str()
        .is_some_and(|path| same_file(Path::new(path), manifest));
    let is_cdylib = message["target"]["kind"]
        .as_array()
        .is_some_and(|kinds| kinds.iter().any(|k| k == "cdylib"));
    if !ours || !is_cdylib {
        return None;
    }
    message["filenames"]
        .as_array()?
        .iter()
        .filter_map(|f| f.as_str())
        .find(|f| f.ends_with(".wasm"))
        .map(PathBuf::from)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_component_is_the_cdylib_of_the_package() {
        let manifest = Path::new("/p/Cargo.toml");
        let line = r#"{"reason":"compiler-artifact","manifest_path":"/p/Cargo.toml",
            "target":{"kind":["cdylib","rlib"]},
            "filenames":["/t/libp.rlib","/t/p.wasm"]}"#
            .replace('\n', "");
        assert_eq!(
            component_of(&line, manifest),
            Some(PathBuf::from("/t/p.wasm"))
        );
        let dependency = line.replace("/p/Cargo.toml", "/dep/Cargo.toml");
        assert_eq!(component_of(&dependency, manifest), None);
        let rlib_only = line.replace(r#""cdylib","rlib""#, r#""rlib""#);
        assert_eq!(component_of(&rlib_only, manifest), None);
        assert_eq!(component_of("not json", manifest), None);
    }

    #[test]
    fn a_directory_without_a_manifest_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            build(dir.path(), &CargoOptions::default()),
            Err(CargoError::NoManifest(_))
        ));
    }
}
