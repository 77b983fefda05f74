//! `palisade init --pre-commit`: adds the Palisade hook to a repository's
//! `.pre-commit-config.yaml`.
//!
//! The hook is added as a `repo: local` entry running the `palisade` on the PATH, so it
//! works the moment it is added: a remote entry would need this repository's URL and a
//! revision the user has to choose, and would run the same installed binary anyway
//! (see `.pre-commit-hooks.yaml`, whose hook definition is reused here word for word).
//! The file is edited as text, inserting the entry at the top of its `repos:` list, so
//! that the user's comments and layout survive.

use std::path::{Path, PathBuf};

use yaml_rust2::{Yaml, YamlLoader};

use super::error::CliError;
use palisade_model::Verdict;

/// The hook this repository publishes, as pre-commit reads it from a hook repository.
pub const HOOKS_YAML: &str = include_str!("../../../.pre-commit-hooks.yaml");

/// The configuration file pre-commit reads at the root of a repository.
pub const CONFIG_FILE: &str = ".pre-commit-config.yaml";

/// The hook id, shared by `.pre-commit-hooks.yaml` and the entry added here.
const HOOK_ID: &str = "palisade";

/// What [`add_hook`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    /// There was no configuration; one holding only the hook was written.
    Created,
    /// The hook was inserted into the existing configuration.
    Inserted,
    /// The configuration already runs a hook with the id `palisade`; nothing changed.
    AlreadyPresent,
}

/// Why the hook could not be added; the configuration is left as it was.
#[derive(Debug, thiserror::Error)]
pub enum HookError {
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: not valid YAML: {message}", path.display())]
    Yaml { path: PathBuf, message: String },
    #[error(
        "{}: `repos` is not a block list that a hook can be inserted into; add this \
         entry to it yourself:\n{entry}",
        path.display()
    )]
    Layout { path: PathBuf, entry: String },
}

/// `palisade init --pre-commit`: adds the hook at the root of the git repository that
/// holds the current directory (the current directory outside one).
pub(super) fn run_add_hook() -> Result<Verdict, CliError> {
    let cwd = std::env::current_dir().map_err(|error| {
        CliError::Refused(format!("cannot read the current directory: {error}"))
    })?;
    let dir = repository_root(&cwd);
    let file = dir.join(CONFIG_FILE);
    match add_hook(dir) {
        Ok(Added::AlreadyPresent) => {
            eprintln!("{} already runs the palisade hook", file.display());
            Ok(Verdict::Pass)
        }
        Ok(_) => {
            eprintln!(
                "added the palisade hook to {}; run `pre-commit install` to turn it on",
                file.display()
            );
            Ok(Verdict::Pass)
        }
        // The entry goes to standard output as it is, to be copied: an error message is
        // printed on one line.
        Err(HookError::Layout { path, entry }) => {
            super::print(&entry);
            Err(CliError::Refused(format!(
                "{}: `repos` is not a block list that a hook can be inserted into; add the \
                 entry printed above to it yourself",
                path.display()
            )))
        }
        Err(error) => Err(CliError::Refused(error.to_string())),
    }
}

/// The nearest directory at or above `dir` that holds `.git`, else `dir`: pre-commit
/// reads its configuration at the root of the repository only.
fn repository_root(dir: &Path) -> &Path {
    dir.ancestors()
        .find(|ancestor| ancestor.join(".git").exists())
        .unwrap_or(dir)
}

/// Adds the Palisade hook to `dir/.pre-commit-config.yaml`, creating the file when
/// there is none.
pub fn add_hook(dir: &Path) -> Result<Added, HookError> {
    let path = dir.join(CONFIG_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(source) => {
            return Err(HookError::Io {
                action: "read",
                path,
                source,
            });
        }
    };
    let existed = !text.trim().is_empty();
    let config = YamlLoader::load_from_str(&text).map_err(|error| HookError::Yaml {
        path: path.clone(),
        message: error.to_string(),
    })?;
    if config.first().is_some_and(has_palisade_hook) {
        return Ok(Added::AlreadyPresent);
    }
    let edited = insert_entry(&text).ok_or_else(|| HookError::Layout {
        path: path.clone(),
        entry: local_entry(2),
    })?;
    std::fs::write(&path, edited).map_err(|source| HookError::Io {
        action: "write",
        path,
        source,
    })?;
    Ok(if existed {
        Added::Inserted
    } else {
        Added::Created
    })
}

/// Whether some repository entry of `config` runs the `palisade` hook.
fn has_palisade_hook(config: &Yaml) -> bool {
    let list = |value: &Yaml| value.as_vec().cloned().unwrap_or_default();
    list(&config["repos"]).iter().any(|repo| {
        list(&repo["hooks"])
            .iter()
            .any(|hook| hook["id"].as_str() == Some(HOOK_ID))
    })
}

/// `text` with the local entry first in its `repos:` list; a `repos:` key is added when
/// there is none. `None` when `repos` is written in a way this does not edit (a flow
/// list, an anchor).
fn insert_entry(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let Some(key) = lines.iter().position(|line| line.trim_end() == "repos:") else {
        if lines.iter().any(|line| line.starts_with("repos:")) {
            return None;
        }
        let mut out = text.to_owned();
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str("repos:\n");
        out.push_str(&local_entry(2));
        return Some(out);
    };
    // Align with the list's first item, or indent by two when the list is empty.
    let indent = lines[key + 1..]
        .iter()
        .find(|line| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
        .filter(|line| line.trim_start().starts_with('-'))
        .map_or(2, |line| line.len() - line.trim_start().len());
    let mut out: String = lines[..=key]
        .iter()
        .map(|line| format!("{line}\n"))
        .collect();
    out.push_str(&local_entry(indent));
    for line in &lines[key + 1..] {
        out.push_str(line);
        out.push('\n');
    }
    Some(out)
}

/// The `repo: local` entry, as a list item indented by `indent` spaces: the hook of
/// [`HOOKS_YAML`] under `hooks:`.
fn local_entry(indent: usize) -> String {
    let pad = " ".repeat(indent);
    let mut entry = format!("{pad}- repo: local\n{pad}  hooks:\n");
    for line in HOOKS_YAML
        .lines()
        .skip_while(|line| !line.starts_with("- "))
    {
        entry.push_str(&format!("{pad}    {line}\n"));
    }
    entry
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn config(dir: &Path) -> Yaml {
        let text = fs::read_to_string(dir.join(CONFIG_FILE)).unwrap();
        YamlLoader::load_from_str(&text).unwrap().remove(0)
    }

    fn published_hook() -> Yaml {
        YamlLoader::load_from_str(HOOKS_YAML).unwrap().remove(0)[0].clone()
    }

    #[test]
    fn creates_a_configuration_with_the_published_hook() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(add_hook(dir.path()).unwrap(), Added::Created);
        let config = config(dir.path());
        assert_eq!(config["repos"][0]["repo"].as_str(), Some("local"));
        assert_eq!(config["repos"][0]["hooks"][0], published_hook());
    }

    #[test]
    fn inserts_into_an_existing_list_keeping_comments_and_entries() {
        let dir = tempfile::tempdir().unwrap();
        let existing = "# team hooks\nrepos:\n# formatting\n-   repo: https://example.com/hooks\n    rev: v1\n    hooks:\n    -   id: trailing-whitespace\n";
        fs::write(dir.path().join(CONFIG_FILE), existing).unwrap();
        assert_eq!(add_hook(dir.path()).unwrap(), Added::Inserted);
        let text = fs::read_to_string(dir.path().join(CONFIG_FILE)).unwrap();
        assert!(
            text.starts_with("# team hooks\nrepos:\n- repo: local\n"),
            "{text}"
        );
        assert!(text.ends_with("# formatting\n-   repo: https://example.com/hooks\n    rev: v1\n    hooks:\n    -   id: trailing-whitespace\n"), "{text}");
        let config = config(dir.path());
        assert_eq!(config["repos"][0]["hooks"][0], published_hook());
        assert_eq!(
            config["repos"][1]["hooks"][0]["id"].as_str(),
            Some("trailing-whitespace")
        );
    }

    #[test]
    fn adds_a_repos_key_when_there_is_none() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(CONFIG_FILE), "fail_fast: true").unwrap();
        assert_eq!(add_hook(dir.path()).unwrap(), Added::Inserted);
        let config = config(dir.path());
        assert_eq!(config["fail_fast"].as_bool(), Some(true));
        assert_eq!(config["repos"][0]["hooks"][0], published_hook());
    }

    #[test]
    fn the_hook_goes_to_the_root_of_the_repository() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("infra/network");
        fs::create_dir_all(&nested).unwrap();
        assert_eq!(repository_root(&nested), nested);
        fs::create_dir(dir.path().join(".git")).unwrap();
        assert_eq!(repository_root(&nested), dir.path());
    }

    #[test]
    fn adding_twice_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        add_hook(dir.path()).unwrap();
        let once = fs::read_to_string(dir.path().join(CONFIG_FILE)).unwrap();
        assert_eq!(add_hook(dir.path()).unwrap(), Added::AlreadyPresent);
        let twice = fs::read_to_string(dir.path().join(CONFIG_FILE)).unwrap();
        assert_eq!(once, twice);
    }

    #[test]
    fn refuses_layouts_it_cannot_edit_and_invalid_yaml() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CONFIG_FILE);
        fs::write(&path, "repos: []\n").unwrap();
        let error = add_hook(dir.path()).unwrap_err();
        assert!(matches!(error, HookError::Layout { .. }), "{error}");
        assert!(error.to_string().contains("- repo: local"), "{error}");
        fs::write(&path, "repos: [\n").unwrap();
        assert!(matches!(add_hook(dir.path()), Err(HookError::Yaml { .. })));
        assert_eq!(fs::read_to_string(&path).unwrap(), "repos: [\n");
    }

    #[test]
    fn the_published_hook_runs_palisade_on_templates_one_process_at_a_time() {
        let hook = published_hook();
        assert_eq!(hook["id"].as_str(), Some(HOOK_ID));
        assert_eq!(hook["language"].as_str(), Some("system"));
        assert_eq!(hook["pass_filenames"].as_bool(), Some(true));
        assert_eq!(hook["require_serial"].as_bool(), Some(true));
        let entry = hook["entry"].as_str().unwrap();
        assert!(entry.starts_with("palisade check "), "{entry}");
        let files = regex::Regex::new(hook["files"].as_str().unwrap()).unwrap();
        for name in [
            "main.tf",
            "a/b.tf.json",
            "stack.yaml",
            "s.yml",
            "plan.json",
            "t.template",
        ] {
            assert!(files.is_match(name), "{name}");
        }
        for name in ["README.md", "main.tfvars", "main.tf.bak"] {
            assert!(!files.is_match(name), "{name}");
        }
    }
}
