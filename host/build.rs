//! Builds the built-in policy components that the runner embeds.
//!
//! The policy crates are workspace members compiled for `wasm32-wasip2` by a nested
//! `cargo build --profile policy`; the resulting components are copied into `OUT_DIR`,
//! where `engine::builtin` picks them up with `include_bytes!`. Setting
//! `PALISADE_PREBUILT_POLICIES=<dir>` takes the components from `<dir>` instead (for
//! `cargo check`, rust-analyzer, or a packager that builds the policies separately).

use std::collections::BTreeSet;
use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// The built-in policy crates, by package name.
const POLICIES: [&str; 3] = ["public-bucket", "open-ssh", "unencrypted-disk"];
const TARGET: &str = "wasm32-wasip2";
const PROFILE: &str = "policy";
const PREBUILT_ENV: &str = "PALISADE_PREBUILT_POLICIES";

/// Variables the outer build sets (or inherits) that must not reach the nested one:
/// host compiler flags and wrappers (clippy-driver, coverage instrumentation, a host
/// `target-cpu`) do not apply to a wasm target, and the outer target/build directory
/// settings would make both builds contend for one lock. `CARGO_MAKEFLAGS` is kept on
/// purpose: the nested cargo then shares the outer build's job slots.
const LEAKING_ENV: &[&str] = &[
    "RUSTFLAGS",
    "CARGO_ENCODED_RUSTFLAGS",
    "RUSTDOCFLAGS",
    "CARGO_ENCODED_RUSTDOCFLAGS",
    "RUSTC_WRAPPER",
    "RUSTC_WORKSPACE_WRAPPER",
    "CARGO_BUILD_RUSTFLAGS",
    "CARGO_BUILD_RUSTC_WRAPPER",
    "CARGO_BUILD_RUSTC_WORKSPACE_WRAPPER",
    "CARGO_BUILD_TARGET",
    "CARGO_BUILD_TARGET_DIR",
    "CARGO_BUILD_BUILD_DIR",
    "CARGO_TARGET_DIR",
    "CARGO_BUILD_DEP_INFO_BASEDIR",
];

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let manifest_dir = PathBuf::from(var("CARGO_MANIFEST_DIR")?);
    let workspace = manifest_dir
        .parent()
        .ok_or("the host crate has no parent directory")?
        .to_path_buf();
    let out_dir = PathBuf::from(var("OUT_DIR")?);

    println!("cargo:rerun-if-env-changed={PREBUILT_ENV}");
    match env::var_os(PREBUILT_ENV) {
        Some(dir) => copy_prebuilt(Path::new(&dir), &out_dir),
        None => build_policies(&workspace, &out_dir),
    }
}

fn copy_prebuilt(dir: &Path, out_dir: &Path) -> Result<(), String> {
    for policy in POLICIES {
        let file = dir.join(component_file(policy));
        println!("cargo:rerun-if-changed={}", file.display());
        copy(&file, &out_dir.join(component_file(policy))).map_err(|e| {
            format!("{PREBUILT_ENV} is set, but {e}; unset it to build the built-in policies")
        })?;
    }
    Ok(())
}

fn build_policies(workspace: &Path, out_dir: &Path) -> Result<(), String> {
    for watched in ["Cargo.toml", "Cargo.lock", "policies/sdk", "wit"] {
        println!(
            "cargo:rerun-if-changed={}",
            workspace.join(watched).display()
        );
    }
    for policy in POLICIES {
        println!(
            "cargo:rerun-if-changed={}",
            workspace.join("policies").join(policy).display()
        );
    }

    ensure_target_installed()?;

    let target_dir = out_dir.join("policies-target");
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .arg("build")
        .args(["--profile", PROFILE, "--target", TARGET])
        .arg("--manifest-path")
        .arg(workspace.join("Cargo.toml"))
        .args(POLICIES.iter().flat_map(|policy| ["-p", policy]));
    for name in LEAKING_ENV {
        command.env_remove(name);
    }
    command.env("CARGO_TARGET_DIR", &target_dir);
    let output = command
        .output()
        .map_err(|e| format!("cannot run cargo for the built-in policies: {e}"))?;
    if !output.status.success() {
        eprintln!("{}", String::from_utf8_lossy(&output.stdout));
        eprintln!("{}", String::from_utf8_lossy(&output.stderr));
        println!(
            "cargo:warning=building the built-in policies for {TARGET} failed (output above); \
             set {PREBUILT_ENV}=<dir> to use prebuilt components instead"
        );
        return Err(format!(
            "`cargo build --profile {PROFILE} --target {TARGET}` of the built-in policies failed ({})",
            output.status
        ));
    }

    let built = target_dir.join(TARGET).join(PROFILE);
    let mut dependencies = BTreeSet::new();
    for policy in POLICIES {
        let file = component_file(policy);
        copy(&built.join(&file), &out_dir.join(&file))?;
        let dep_info = built.join(file.replace(".wasm", ".d"));
        dependencies.extend(workspace_dependencies(&dep_info, workspace)?);
    }
    for dependency in dependencies {
        println!("cargo:rerun-if-changed={}", dependency.display());
    }
    Ok(())
}

/// Fails early, with the fix, when the standard library for the wasm target is absent.
fn ensure_target_installed() -> Result<(), String> {
    let rustc = env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = Command::new(rustc)
        .args(["--print", "sysroot"])
        .output()
        .map_err(|e| format!("cannot run rustc: {e}"))?;
    let sysroot = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    if sysroot.join("lib/rustlib").join(TARGET).is_dir() {
        return Ok(());
    }
    Err(format!(
        "the built-in policies are built for the `{TARGET}` target, which is not installed \
         for this toolchain. Install it with:\n\n    rustup target add {TARGET}\n"
    ))
}

/// The workspace files a nested build read, from the dep-info file next to the component
/// (`out: dep dep ...`, with spaces in paths escaped), so that changing any of them
/// re-runs this script.
fn workspace_dependencies(dep_info: &Path, workspace: &Path) -> Result<Vec<PathBuf>, String> {
    let text = fs::read_to_string(dep_info)
        .map_err(|e| format!("cannot read {}: {e}", dep_info.display()))?;
    let Some((_, deps)) = text.lines().next().and_then(|line| line.split_once(": ")) else {
        return Ok(Vec::new());
    };
    // An escaped space stands in as NUL, which no path contains, while splitting.
    Ok(deps
        .replace("\\ ", "\0")
        .split_whitespace()
        .map(|dep| PathBuf::from(dep.replace('\0', " ")))
        .filter(|dep| dep.starts_with(workspace))
        .collect())
}

/// `open-ssh` builds `open_ssh.wasm`.
fn component_file(policy: &str) -> String {
    format!("{}.wasm", policy.replace('-', "_"))
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    fs::copy(from, to)
        .map(drop)
        .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
}

fn var(name: &str) -> Result<String, String> {
    env::var(name).map_err(|_| format!("cargo did not set {name}"))
}
