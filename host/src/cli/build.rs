//! `palisade build [DIR]`: builds a policy crate into a component and refuses it unless
//! the runner can use it as it is: a component of a compatible `palisade:policy` version,
//! with well-formed rule ids that no other loaded policy declares and complete metadata.
//! Catching this here means no team ships a policy that `palisade check` then refuses.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use super::args::BuildArgs;
use super::error::{CliError, problems_verdict};
use super::{load_policies, print};
use crate::author::cargo::{self, CargoOptions};
use crate::author::validate::{self, Invalid};
use crate::engine::{Policy, PolicySource};
use palisade_model::{DeclaredIds, Verdict};

/// Builds the crate, loads the component as `palisade check` would (with the built-in
/// policies and any `--policy` beside it), and describes it or says what is wrong.
pub fn run_build(args: &BuildArgs) -> Result<Verdict, CliError> {
    let options = CargoOptions {
        offline: args.cargo.offline,
    };
    let component =
        cargo::build(&args.dir, &options).map_err(|error| CliError::Refused(error.to_string()))?;
    let shown = shown_path(&component);
    let bytes = std::fs::read(&component)
        .map_err(|error| CliError::Refused(format!("cannot read {}: {error}", shown.display())))?;
    let size = bytes.len();
    let loaded = load_policies(&args.policies)?;
    let source = PolicySource {
        name: shown.display().to_string(),
        bytes: Cow::Owned(bytes),
        builtin: false,
    };
    let policy = loaded
        .engine
        .load(source)
        .map_err(|error| CliError::Refused(error.to_string()))?;
    let invalid = invalid(&policy, &loaded.policies);
    if !invalid.is_empty() {
        // One error line each: an error's message is printed on one line.
        let refused = invalid.iter().map(|problem| {
            CliError::Refused(format!(
                "{} cannot be used as a policy: {problem}",
                shown.display()
            ))
        });
        return Err(CliError::Several(refused.collect()));
    }
    print(&summary(&policy, size));
    problems_verdict(loaded.problems)
}

/// What is wrong with `policy`'s metadata, including rule ids that one of `others` (the
/// built-in and `--policy` components it will run beside) already declares.
fn invalid(policy: &Policy, others: &[Policy]) -> Vec<Invalid> {
    let mut invalid = validate::problems(&policy.info, &policy.rules);
    let mut declared = DeclaredIds::default();
    for other in others {
        // Loaded as `palisade check` loads them, the others never clash among themselves.
        let _ = declared.claim(&other.name, &other.rules);
    }
    if let Err(clash) = declared.claim(&policy.name, &policy.rules) {
        invalid.push(clash.into());
    }
    invalid
}

/// The component path relative to the current directory when it is below it: shorter,
/// and what the user would type.
fn shown_path(component: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| component.strip_prefix(cwd).ok())
        .map_or_else(|| component.to_path_buf(), Path::to_path_buf)
}

/// The component, its identity and its rules, and the command that uses it.
fn summary(policy: &Policy, size: usize) -> String {
    let info = &policy.info;
    let authors = if info.authors.is_empty() {
        String::new()
    } else {
        format!(" by {}", info.authors.join(", "))
    };
    let mut out = format!(
        "Built {}\n  policy  {} {}{authors}\n  size    {:.1} KiB\n  sha256  {}\n  \
         WIT     palisade:policy@{}\n  rules\n",
        policy.name,
        info.name,
        info.version,
        size as f64 / 1024.0,
        policy.digest,
        info.wit_version,
    );
    let width = policy.rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
    for rule in &policy.rules {
        out.push_str(&format!(
            "    {:<width$}  {:<8}  {}\n",
            rule.id, rule.severity, rule.title
        ));
    }
    out.push_str(&format!(
        "\nRun it next to the built-in policies:\n    palisade check --policy {} PATH\n",
        policy.name
    ));
    out
}
