//! `palisade new NAME`: creates a policy crate with one working rule, its fixtures and a
//! README, and says what to run next.

use std::path::PathBuf;

use super::args::NewArgs;
use super::error::CliError;
use super::print;
use crate::author::scaffold;
use palisade_model::Verdict;

/// Creates the crate in `--dir` (default `./NAME`) against `--sdk` (default: the SDK
/// this runner was built with).
pub fn run_new(args: &NewArgs) -> Result<Verdict, CliError> {
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| PathBuf::from(&args.name));
    let sdk = args.sdk.clone().unwrap_or_else(scaffold::default_sdk);
    let created = scaffold::create(&args.name, &dir, &sdk)
        .map_err(|error| CliError::Refused(error.to_string()))?;
    let mut out = format!(
        "Created the policy crate `{}` in {}:\n",
        args.name,
        dir.display()
    );
    for file in created {
        out.push_str(&format!("    {file}\n"));
    }
    let component = format!(
        "target/wasm32-wasip2/release/{}.wasm",
        scaffold::crate_name(&args.name)
    );
    out.push_str(&format!(
        "\nNext:\n    cd {}\n    palisade build\n    palisade test\n    \
         palisade check --policy {component} PATH\n",
        dir.display()
    ));
    print(&out);
    Ok(Verdict::Pass)
}
