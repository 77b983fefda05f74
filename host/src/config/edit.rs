//! Writing pins into `palisade.toml` (`palisade policy add`) the way a person would:
//! one entry changes or is appended; the rest of the file, its comments and its layout
//! stay as they were.

use std::collections::BTreeMap;
use std::path::{Component, Path};

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, TableLike, Value};

use super::{Config, ConfigError, Sha256, same_path};
use palisade_model::{Located, Position};

/// The start of a `palisade.toml` that `palisade policy add` creates.
pub const NEW_FILE: &str = "\
# Palisade settings for this project.
#
# Policy components run besides the built-in ones, each pinned to the SHA-256 digest of
# the build that was reviewed: `palisade check` refuses a component that has changed.
# `palisade policy add FILE` adds an entry, or updates its pin.
";

/// What writing a pin did to the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// A new `[[policy]]` entry.
    Added,
    /// An entry had another pin, or none.
    Updated,
    /// The file already pinned exactly this.
    Unchanged,
}

/// A configuration with a pin written into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edited {
    /// The whole new file.
    pub text: String,
    pub change: Change,
    /// The entry that holds the pin, as the file now has it: to show the user.
    pub entry: String,
}

/// `text` (the contents of `file`) with `path` pinned to `digest`. The entry for `path`
/// is updated, or, when a directory entry lists `path`'s directory, its pin by file
/// name; otherwise a `[[policy]]` entry is appended. The result is checked as
/// [`Config::parse`] checks a file.
pub fn pin_file(
    text: &str,
    file: &Path,
    path: &str,
    digest: &Sha256,
) -> Result<Edited, ConfigError> {
    let mut entry = Table::new();
    entry.insert("path", toml_edit::value(path));
    entry.insert("sha256", toml_edit::value(digest.as_str()));
    edit(text, file, entry, |entries| {
        if let Some(index) = find(entries, Path::new(path)) {
            let entry = entries.get_mut(index)?;
            let removed = entry.remove("pins").is_some();
            let change = match set_pin(entry, "sha256", digest) {
                Change::Unchanged if removed => Change::Updated,
                change => change,
            };
            return Some((index, change));
        }
        let (dir, name) = path.rsplit_once('/').unwrap_or((".", path));
        let index = find(entries, Path::new(dir))?;
        let pins = entries
            .get_mut(index)?
            .get_mut("pins")
            .and_then(Item::as_table_like_mut)?;
        Some((index, set_pin(pins, name, digest)))
    })
}

/// `text` with the directory `path` pinned: one pin per component, by file name
/// (`digests`), replacing the pins of an existing entry for `path`.
pub fn pin_directory(
    text: &str,
    file: &Path,
    path: &str,
    digests: &BTreeMap<String, Sha256>,
) -> Result<Edited, ConfigError> {
    let mut pins = Table::new();
    for (name, digest) in digests {
        pins.insert(name, toml_edit::value(digest.as_str()));
    }
    let mut entry = Table::new();
    entry.insert("path", toml_edit::value(path));
    entry.insert("pins", Item::Table(pins));
    edit(text, file, entry, |entries| {
        let index = find(entries, Path::new(path))?;
        let entry = entries.get_mut(index)?;
        let mut changed = entry.remove("sha256").is_some();
        if !entry.get("pins").is_some_and(Item::is_table_like) {
            entry.insert("pins", Item::Table(Table::new()));
            changed = true;
        }
        let pins = entry.get_mut("pins").and_then(Item::as_table_like_mut)?;
        let stale: Vec<String> = pins
            .iter()
            .map(|(name, _)| name.to_owned())
            .filter(|name| !digests.contains_key(name))
            .collect();
        for name in stale {
            pins.remove(&name);
            changed = true;
        }
        for (name, digest) in digests {
            changed |= set_pin(pins, name, digest) != Change::Unchanged;
        }
        let change = if changed {
            Change::Updated
        } else {
            Change::Unchanged
        };
        Some((index, change))
    })
}

/// Applies `update` to the `[[policy]]` entries of `text`: it returns the index of the
/// entry it changed and how, or `None` when no entry fits, and then `new_entry` is
/// appended.
fn edit(
    text: &str,
    file: &Path,
    new_entry: Table,
    update: impl FnOnce(&mut ArrayOfTables) -> Option<(usize, Change)>,
) -> Result<Edited, ConfigError> {
    let mut doc = document(text, file)?;
    if doc.as_table().is_empty() {
        // Comments only (such as `NEW_FILE`): they stay above the first entry.
        let entry = render(&new_entry);
        let comments = text.trim_end();
        let text = if comments.is_empty() {
            entry.clone()
        } else {
            format!("{comments}\n\n{entry}")
        };
        return finish(text, file, Change::Added, entry);
    }
    let entries = entries(&mut doc, text, file)?;
    let (index, change) = match update(entries) {
        Some(updated) => updated,
        None => {
            entries.push(new_entry);
            (entries.len() - 1, Change::Added)
        }
    };
    let entry = entries.get(index).map(render).unwrap_or_default();
    finish(doc.to_string(), file, change, entry)
}

/// The path to write for `component` in a configuration whose directory is `dir`:
/// relative to `dir` (with `..` when it lies elsewhere) and `/`-separated, so the file
/// reads the same on every system; absolute when the two share no root. Both paths
/// must be absolute and normalized (canonical). `None` when the path is not UTF-8,
/// which TOML cannot hold.
pub fn relative_path(dir: &Path, component: &Path) -> Option<String> {
    let dir: Vec<Component> = dir.components().collect();
    let target: Vec<Component> = component.components().collect();
    let common = dir.iter().zip(&target).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return component.to_str().map(str::to_owned);
    }
    let mut parts: Vec<&str> = vec![".."; dir.len() - common];
    for part in &target[common..] {
        parts.push(part.as_os_str().to_str()?);
    }
    if parts.is_empty() {
        return Some(".".to_owned());
    }
    Some(parts.join("/"))
}

/// One entry as a file writes it, without the comments and blank lines around it.
fn render(entry: &Table) -> String {
    let mut entry = entry.clone();
    entry.decor_mut().clear();
    let mut entries = ArrayOfTables::new();
    entries.push(entry);
    let mut doc = DocumentMut::new();
    doc.insert("policy", Item::ArrayOfTables(entries));
    doc.to_string()
}

fn document(text: &str, file: &Path) -> Result<DocumentMut, ConfigError> {
    text.parse().map_err(|error: toml_edit::TomlError| {
        let offset = error.span().map_or(0, |span| span.start);
        invalid(text, file, offset, error.message().to_owned())
    })
}

/// The `[[policy]]` entries, created empty when the file has none.
fn entries<'d>(
    doc: &'d mut DocumentMut,
    text: &str,
    file: &Path,
) -> Result<&'d mut ArrayOfTables, ConfigError> {
    if !doc.contains_key("policy") {
        doc.insert("policy", Item::ArrayOfTables(ArrayOfTables::new()));
    }
    doc.get_mut("policy")
        .and_then(Item::as_array_of_tables_mut)
        .ok_or_else(|| {
            // An editable document has forgotten its spans; the parsed one knows them.
            let offset = toml_edit::Document::parse(text)
                .ok()
                .and_then(|doc| doc.as_table().get("policy").and_then(Item::span))
                .map_or(0, |span| span.start);
            invalid(
                text,
                file,
                offset,
                "`policy` is not written as `[[policy]]` tables; rewrite it that way to let \
                 `palisade policy add` edit it"
                    .to_owned(),
            )
        })
}

/// The index of the entry whose `path` names `path`.
fn find(entries: &ArrayOfTables, path: &Path) -> Option<usize> {
    entries.iter().position(|entry| {
        entry
            .get("path")
            .and_then(Item::as_str)
            .is_some_and(|written| same_path(Path::new(written), path))
    })
}

/// Sets `key` to `digest`, keeping any comment that follows the old value.
fn set_pin(table: &mut dyn TableLike, key: &str, digest: &Sha256) -> Change {
    match table.get_mut(key).and_then(Item::as_value_mut) {
        Some(value) if value.as_str() == Some(digest.as_str()) => Change::Unchanged,
        Some(value) => {
            let decor = value.decor().clone();
            *value = Value::from(digest.as_str());
            *value.decor_mut() = decor;
            Change::Updated
        }
        None => {
            table.insert(key, toml_edit::value(digest.as_str()));
            Change::Updated
        }
    }
}

/// The edited text, checked as a configuration.
fn finish(text: String, file: &Path, change: Change, entry: String) -> Result<Edited, ConfigError> {
    Config::parse(&text, file)?;
    Ok(Edited {
        text,
        change,
        entry,
    })
}

fn invalid(text: &str, file: &Path, offset: usize, message: String) -> ConfigError {
    ConfigError::Invalid(Located::new(
        file,
        Position::from_offset(text, offset),
        message,
    ))
}

#[cfg(test)]
mod tests {
    use super::super::Pin;
    use super::*;

    fn file() -> &'static Path {
        Path::new("palisade.toml")
    }

    fn digest(seed: &str) -> Sha256 {
        Sha256::of(seed.as_bytes())
    }

    fn file_entry(path: &str, seed: &str) -> String {
        format!(
            "[[policy]]\npath = \"{path}\"\nsha256 = \"{}\"\n",
            digest(seed)
        )
    }

    #[test]
    fn a_new_file_gets_its_header_and_one_entry() {
        let edited = pin_file(NEW_FILE, file(), "policies/tags.wasm", &digest("a")).unwrap();
        assert_eq!(edited.change, Change::Added);
        assert_eq!(edited.entry, file_entry("policies/tags.wasm", "a"));
        assert_eq!(edited.text, format!("{NEW_FILE}\n{}", edited.entry));
        let config = Config::parse(&edited.text, file()).unwrap();
        assert_eq!(config.policies.len(), 1);

        let empty = pin_file("", file(), "a.wasm", &digest("a")).unwrap();
        assert_eq!(empty.text, file_entry("a.wasm", "a"));
    }

    #[test]
    fn re_adding_updates_the_pin_and_keeps_everything_else() {
        let before = format!(
            "# Team policies, reviewed by security.\n\
             [[policy]]\n\
             path = \"./policies/tags.wasm\" # required tags\n\
             sha256 = \"{}\" # v1.2\n\
             \n\
             [[policy]]\n\
             path = \"policies/regions.wasm\"\n\
             sha256 = \"{}\"\n\
             \n\
             # more to come\n",
            digest("old"),
            digest("regions")
        );
        let edited = pin_file(&before, file(), "policies/tags.wasm", &digest("new")).unwrap();
        assert_eq!(edited.change, Change::Updated);
        assert_eq!(
            edited.text,
            before.replace(digest("old").as_str(), digest("new").as_str())
        );
        assert_eq!(
            edited.entry,
            format!(
                "[[policy]]\npath = \"./policies/tags.wasm\" # required tags\n\
                 sha256 = \"{}\" # v1.2\n",
                digest("new")
            )
        );

        let again = pin_file(&edited.text, file(), "policies/tags.wasm", &digest("new")).unwrap();
        assert_eq!(again.change, Change::Unchanged);
        assert_eq!(again.text, edited.text);
    }

    #[test]
    fn another_file_is_appended_after_the_entries() {
        let before = format!("# ours\n{}", file_entry("a.wasm", "a"));
        let edited = pin_file(&before, file(), "b.wasm", &digest("b")).unwrap();
        assert_eq!(edited.change, Change::Added);
        assert_eq!(
            edited.text,
            format!("{before}\n{}", file_entry("b.wasm", "b"))
        );
    }

    #[test]
    fn a_file_of_a_pinned_directory_updates_the_directory_pin() {
        let before = format!(
            "[[policy]]\npath = \"team\"\n[policy.pins]\n\"a.wasm\" = \"{}\"\n",
            digest("a")
        );
        let edited = pin_file(&before, file(), "team/b.wasm", &digest("b")).unwrap();
        assert_eq!(edited.change, Change::Updated);
        let config = Config::parse(&edited.text, file()).unwrap();
        let Pin::Directory(pins) = &config.policies[0].pin else {
            panic!("{}", edited.text)
        };
        let names: Vec<&str> = pins.keys().map(String::as_str).collect();
        assert_eq!(names, ["a.wasm", "b.wasm"]);
        assert_eq!(pins["b.wasm"].sha256, digest("b"));
        assert!(edited.entry.contains("\"b.wasm\" = "), "{}", edited.entry);
    }

    #[test]
    fn a_directory_is_pinned_file_by_file_and_re_pinned_as_it_is_now() {
        let first = BTreeMap::from([("a.wasm".to_owned(), digest("a"))]);
        let added = pin_directory("", file(), "team", &first).unwrap();
        assert_eq!(added.change, Change::Added);
        assert_eq!(
            added.text,
            format!(
                "[[policy]]\npath = \"team\"\n\n[policy.pins]\n\"a.wasm\" = \"{}\"\n",
                digest("a")
            )
        );

        let now = BTreeMap::from([("b.wasm".to_owned(), digest("b"))]);
        let updated = pin_directory(&added.text, file(), "team/", &now).unwrap();
        assert_eq!(updated.change, Change::Updated);
        assert_eq!(
            updated.text,
            added.text.replace(
                &format!("\"a.wasm\" = \"{}\"", digest("a")),
                &format!("\"b.wasm\" = \"{}\"", digest("b"))
            )
        );
    }

    #[test]
    fn a_file_that_is_not_a_configuration_is_left_alone() {
        let error = pin_file("[[policy]\n", file(), "a.wasm", &digest("a")).unwrap_err();
        assert!(
            error.to_string().starts_with("palisade.toml:1:10: "),
            "{error}"
        );
        let error = pin_file("policy = 3\n", file(), "a.wasm", &digest("a")).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("palisade.toml:1:10: `policy` is not written"),
            "{error}"
        );
        let error = pin_file("fail_of = 3\n", file(), "a.wasm", &digest("a")).unwrap_err();
        assert!(
            error.to_string().contains("unknown field `fail_of`"),
            "{error}"
        );
    }

    #[test]
    fn paths_are_written_relative_to_the_configuration() {
        let relative = |dir: &str, file: &str| relative_path(Path::new(dir), Path::new(file));
        assert_eq!(
            relative("/work/repo", "/work/repo/policies/a.wasm").as_deref(),
            Some("policies/a.wasm")
        );
        assert_eq!(
            relative("/work/repo/infra", "/work/repo/policies/a.wasm").as_deref(),
            Some("../policies/a.wasm")
        );
        assert_eq!(relative("/", "/a.wasm").as_deref(), Some("a.wasm"));
        assert_eq!(relative("/work/repo", "/work/repo").as_deref(), Some("."));
    }
}
