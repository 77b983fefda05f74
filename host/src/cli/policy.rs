//! `palisade policy add`: pins a policy component (or a directory of them) in
//! `palisade.toml`, after checking that the runner can load it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::error::CliError;
use super::print;
use super::rules::describe;
use crate::config::Sha256;
use crate::config::edit::{self, Change, Edited};
use crate::engine::{CacheMode, Engine, EngineOptions, Policy, policy_files};
use palisade_model::Verdict;

/// Loads `file` (a component, or every `*.wasm` directly in a directory) with the
/// engine, then writes its pin into `config`, creating the file if needed, and prints
/// the entry and the rules it brings. Nothing is written unless every component loads.
pub fn run_policy_add(file: &Path, config: &Path) -> Result<Verdict, CliError> {
    add(file, config)?;
    Ok(Verdict::Pass)
}

/// A component that loaded, and the digest of the bytes that did.
struct Loaded {
    file: PathBuf,
    digest: Sha256,
    policy: Policy,
}

fn add(file: &Path, config: &Path) -> Result<(), String> {
    let components = load(file, config)?;
    let path = entry_path(file, config)?;
    let text = match std::fs::read_to_string(config) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => edit::NEW_FILE.to_owned(),
        Err(error) => return Err(format!("cannot read {}: {error}", config.display())),
    };
    let edited = match components.as_slice() {
        [single] if !file.is_dir() => edit::pin_file(&text, config, &path, &single.digest),
        _ => {
            let digests: BTreeMap<String, Sha256> = components
                .iter()
                .filter_map(|c| Some((c.file.file_name()?.to_str()?.to_owned(), c.digest.clone())))
                .collect();
            edit::pin_directory(&text, config, &path, &digests)
        }
    }
    .map_err(|error| error.to_string())?;
    if edited.change != Change::Unchanged {
        std::fs::write(config, &edited.text)
            .map_err(|error| format!("cannot write {}: {error}", config.display()))?;
    }
    print(&report(config, &path, &edited, &components));
    Ok(())
}

/// Every component at `file`, loaded: that checks it is a component this runner can
/// run, built against a compatible contract, with well-formed rules.
fn load(file: &Path, config: &Path) -> Result<Vec<Loaded>, String> {
    let sources = policy_files(file).map_err(|error| error.to_string())?;
    // A one-off load: the next check compiles it once more rather than this command
    // leaving a cache entry behind.
    let engine = Engine::new(EngineOptions {
        cache: CacheMode::Disabled,
        ..EngineOptions::default()
    })
    .map_err(|error| format!("cannot start the policy sandbox: {error}"))?;
    let mut loaded = Vec::with_capacity(sources.len());
    let mut refused = Vec::new();
    for source in sources {
        let digest = Sha256::of(&source.bytes);
        let file = PathBuf::from(&source.name);
        match engine.load(source) {
            Ok(policy) => loaded.push(Loaded {
                file,
                digest,
                policy,
            }),
            Err(error) => refused.push(error.to_string()),
        }
    }
    if refused.is_empty() {
        Ok(loaded)
    } else {
        refused.push(format!("nothing was pinned in {}", config.display()));
        Err(refused.join("\nerror: "))
    }
}

/// How the configuration names `file`: relative to its own directory.
fn entry_path(file: &Path, config: &Path) -> Result<String, String> {
    let dir = config
        .parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let dir_abs = dir.canonicalize().map_err(|error| {
        format!(
            "cannot write {}: its directory {}: {error}",
            config.display(),
            dir.display()
        )
    })?;
    let file_abs = file
        .canonicalize()
        .map_err(|error| format!("{}: {error}", file.display()))?;
    edit::relative_path(&dir_abs, &file_abs).ok_or_else(|| {
        format!(
            "{}: the path is not UTF-8, which {} cannot hold",
            file.display(),
            config.display()
        )
    })
}

/// What was pinned, as the file now has it, and the rules that come with it.
fn report(config: &Path, path: &str, edited: &Edited, components: &[Loaded]) -> String {
    let what = match edited.change {
        Change::Added => "added",
        Change::Updated => "updated the pin of",
        Change::Unchanged => "already pins",
    };
    let mut out = format!("{}: {what} {path}\n\n{}\n", config.display(), edited.entry);
    for component in components {
        out.push_str(&describe(&component.policy));
    }
    out
}
