//! Builds the built-in policy components that the runner embeds.
//!
//! The built-ins are the crates under `policies/` whose `Cargo.toml` says
//! `[package.metadata.palisade] builtin = true` (the rule families): adding a family is
//! adding its crate, with no list to edit. They are workspace members compiled for
//! `wasm32-wasip2` by one nested `cargo build --profile policy`; the resulting components
//! are copied into `OUT_DIR`, with `builtins.rs` listing them for `engine::source`, which
//! embeds them with `include_bytes!`. Setting `PALISADE_PREBUILT_POLICIES=<dir>` takes the
//! components from `<dir>` instead (for `cargo check`, rust-analyzer, or a packager that
//! builds the policies separately).

use std::collections::BTreeSet;
use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// Where the policy crates live, relative to the workspace root.
const POLICIES_DIR: &str = "policies";
/// The list of built-ins written into `OUT_DIR` for `engine::source`.
const BUILTINS_FILE: &str = "builtins.rs";
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

    // A new family crate changes the directory: the list is read again.
    println!(
        "cargo:rerun-if-changed={}",
        workspace.join(POLICIES_DIR).display()
    );
    let policies = builtin_crates(&workspace.join(POLICIES_DIR))?;
    println!("cargo:rerun-if-env-changed={PREBUILT_ENV}");
    match env::var_os(PREBUILT_ENV) {
        Some(dir) => copy_prebuilt(&policies, Path::new(&dir), &out_dir)?,
        None => build_policies(&policies, &workspace, &out_dir)?,
    }
    write_builtins_list(&policies, &out_dir)
}

/// The package names of the built-in policy crates under `dir`, sorted.
fn builtin_crates(dir: &Path) -> Result<Vec<String>, String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut names = Vec::new();
    for entry in entries {
        let manifest = entry
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .path()
            .join("Cargo.toml");
        let Ok(text) = fs::read_to_string(&manifest) else {
            continue;
        };
        if let Some(name) = builtin_package(&text) {
            names.push(name);
        }
    }
    if names.is_empty() {
        return Err(format!(
            "no crate under {} is marked `[package.metadata.palisade] builtin = true`",
            dir.display()
        ));
    }
    names.sort();
    Ok(names)
}

/// The package name of a manifest marked `[package.metadata.palisade] builtin = true`.
fn builtin_package(manifest: &str) -> Option<String> {
    let manifest: toml::Table = manifest.parse().ok()?;
    let package = manifest.get("package")?;
    let builtin = package
        .get("metadata")
        .and_then(|metadata| metadata.get("palisade"))
        .and_then(|palisade| palisade.get("builtin"))
        .and_then(toml::Value::as_bool);
    let name = package.get("name")?.as_str()?;
    (builtin == Some(true)).then(|| name.to_owned())
}

/// `builtins.rs`: an array of `(family name, component bytes, SHA-256 digest in hex)` in
/// name order.
fn write_builtins_list(policies: &[String], out_dir: &Path) -> Result<(), String> {
    use sha2::Digest;
    let mut code = String::from("[\n");
    for policy in policies {
        let file = out_dir.join(component_file(policy));
        let bytes = fs::read(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let digest = hex::encode(sha2::Sha256::digest(&bytes));
        code += &format!(
            "    ({policy:?}, include_bytes!({:?}) as &[u8], {digest:?}),\n",
            file.display().to_string()
        );
    }
    code += "]\n";
    let list = out_dir.join(BUILTINS_FILE);
    fs::write(&list, code).map_err(|e| format!("cannot write {}: {e}", list.display()))
}

fn copy_prebuilt(policies: &[String], dir: &Path, out_dir: &Path) -> Result<(), String> {
    for policy in policies {
        let file = dir.join(component_file(policy));
        println!("cargo:rerun-if-changed={}", file.display());
        copy(&file, &out_dir.join(component_file(policy))).map_err(|e| {
            format!("{PREBUILT_ENV} is set, but {e}; unset it to build the built-in policies")
        })?;
    }
    Ok(())
}

fn build_policies(policies: &[String], workspace: &Path, out_dir: &Path) -> Result<(), String> {
    for watched in ["Cargo.toml", "Cargo.lock", "wit"] {
        println!(
            "cargo:rerun-if-changed={}",
            workspace.join(watched).display()
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
        .args(policies.iter().flat_map(|policy| ["-p", policy]));
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
    for policy in policies {
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
