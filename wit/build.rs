//! Exports the WIT package version of `policy.wit` as `PALISADE_WIT_VERSION`, so that
//! `WIT_VERSION` can never disagree with the contract the bindings are generated from.

use std::env;
use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    match wit_version() {
        Ok(version) => {
            println!("cargo:rustc-env=PALISADE_WIT_VERSION={version}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Reads `package palisade:policy@X.Y.Z;` from the WIT file beside this script.
fn wit_version() -> Result<String, String> {
    let dir = env::var("CARGO_MANIFEST_DIR").map_err(|_| "cargo did not set CARGO_MANIFEST_DIR")?;
    let wit_file = PathBuf::from(dir).join("policy.wit");
    println!("cargo:rerun-if-changed={}", wit_file.display());
    let text = fs::read_to_string(&wit_file)
        .map_err(|e| format!("cannot read {}: {e}", wit_file.display()))?;
    text.lines()
        .find_map(|line| line.trim().strip_prefix("package palisade:policy@"))
        .and_then(|rest| rest.strip_suffix(';'))
        .map(str::to_owned)
        .ok_or_else(|| {
            format!(
                "{} has no `package palisade:policy@<version>;` line",
                wit_file.display()
            )
        })
}
