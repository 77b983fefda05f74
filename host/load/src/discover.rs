//! Which files to load, and how they group into units of evaluation.
//!
//! Directories are walked with the `ignore` crate, so `.gitignore`d and hidden files are
//! skipped as a developer would expect, and `.terraform/` (downloaded modules) and `.git/`
//! are never entered, nor are paths the project's `exclude` globs match. A file named
//! explicitly is always read. Terraform files group by directory (one module); JSON and
//! YAML files are documents whose content decides later whether they are templates at all.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use palisade_model::LoadError;
use palisade_syntax::source;

/// Paths the directory walk skips (`exclude` in `palisade.toml`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exclude {
    /// The directory the globs are relative to.
    pub base: PathBuf,
    /// Matched against a walked path relative to `base`; a matched directory is not
    /// entered.
    pub globs: Vec<Glob>,
}

/// One thing to load on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unit {
    /// The `.tf` and `.tf.json` files of one directory.
    TerraformModule { dir: PathBuf, files: Vec<PathBuf> },
    /// A JSON or YAML file that may be a ROS template or a Terraform plan. An `explicit`
    /// file was named by the user, so it is an error for it not to be a template.
    Document { file: PathBuf, explicit: bool },
}

/// The units found under the given roots, in path order, plus roots that could not be read.
#[derive(Debug, Default)]
pub struct Discovery {
    pub units: Vec<Unit>,
    pub errors: Vec<LoadError>,
}

/// How a file's name says it should be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Terraform,
    Document,
}

fn kind_of(path: &Path) -> Option<Kind> {
    let name = path.file_name()?.to_str()?;
    if name.ends_with(".tf") || name.ends_with(".tf.json") {
        Some(Kind::Terraform)
    } else if [".json", ".yaml", ".yml", ".template"]
        .iter()
        .any(|ext| name.ends_with(ext))
    {
        Some(Kind::Document)
    } else {
        None
    }
}

/// Never descended into: downloaded module copies and version-control internals.
const SKIPPED_DIRS: [&str; 2] = [".terraform", ".git"];

/// Walks `roots` (files or directories, kept relative if given relative), skipping what
/// `exclude` matches under them.
pub fn discover(roots: &[PathBuf], exclude: &Exclude) -> Discovery {
    let mut modules: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    let mut documents: BTreeMap<PathBuf, bool> = BTreeMap::new();
    let mut errors = Vec::new();
    let excluded = match Excluded::new(exclude) {
        Ok(excluded) => excluded,
        Err(error) => {
            errors.push(LoadError::whole_file(
                &exclude.base,
                format!("exclude: {error}"),
            ));
            None
        }
    };

    for root in roots {
        match root_kind(root) {
            Ok(RootKind::File) => {
                match kind_of(root) {
                    Some(Kind::Terraform) => modules
                        .entry(module_dir(root))
                        .or_default()
                        .push(root.clone()),
                    _ => {
                        documents.insert(root.clone(), true);
                    }
                }
                continue;
            }
            Ok(RootKind::Directory) => {}
            Err(message) => {
                errors.push(LoadError::whole_file(root, message));
                continue;
            }
        }
        for entry in walker(root, excluded.clone()) {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    let path = error_path(&error).unwrap_or_else(|| root.clone());
                    errors.push(LoadError::whole_file(
                        &path,
                        format!("cannot read: {error}"),
                    ));
                    continue;
                }
            };
            if let Some(error) = not_a_file(&entry) {
                errors.push(error);
            }
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let path = entry.into_path();
            match kind_of(&path) {
                Some(Kind::Terraform) => modules.entry(module_dir(&path)).or_default().push(path),
                Some(Kind::Document) => {
                    documents.entry(path).or_insert(false);
                }
                None => {}
            }
        }
    }

    let mut units: Vec<Unit> = modules
        .into_iter()
        .map(|(dir, mut files)| {
            files.sort();
            files.dedup();
            Unit::TerraformModule { dir, files }
        })
        .collect();
    units.extend(
        documents
            .into_iter()
            .map(|(file, explicit)| Unit::Document { file, explicit }),
    );
    Discovery { units, errors }
}

/// The error for a walked FIFO, device or socket named like a template: refused, not
/// skipped, since its name says it holds one.
fn not_a_file(entry: &ignore::DirEntry) -> Option<LoadError> {
    let file_type = entry.file_type()?;
    if file_type.is_dir() || file_type.is_symlink() || kind_of(entry.path()).is_none() {
        return None;
    }
    let what = source::file_kind(&file_type)?;
    let message = format!("cannot read: {what}, not a regular file");
    Some(LoadError::whole_file(entry.path(), message))
}

/// What a path named by the user is.
enum RootKind {
    File,
    Directory,
}

/// Whether `root` (symbolic links followed) is a regular file or a directory, else why it
/// cannot be read: missing, a link loop, a FIFO, a device, a socket.
fn root_kind(root: &Path) -> Result<RootKind, String> {
    match std::fs::metadata(root) {
        Ok(metadata) if metadata.is_file() => Ok(RootKind::File),
        Ok(metadata) if metadata.is_dir() => Ok(RootKind::Directory),
        Ok(metadata) => {
            let what = source::file_kind(&metadata.file_type()).unwrap_or("not a regular file");
            Err(format!("cannot read: {what}, not a regular file"))
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            Err("no such file or directory".to_owned())
        }
        Err(error) => Err(format!("cannot read: {error}")),
    }
}

fn walker(root: &Path, excluded: Option<Excluded>) -> ignore::Walk {
    let within = excluded.map(|excluded| (excluded, canonical(root), root.to_path_buf()));
    ignore::WalkBuilder::new(root)
        // Honour .gitignore even outside a checkout (an unpacked archive, a CI workspace).
        .require_git(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(move |entry| {
            let skipped = entry.file_type().is_some_and(|t| t.is_dir())
                && entry
                    .file_name()
                    .to_str()
                    .is_some_and(|name| SKIPPED_DIRS.contains(&name));
            let excluded = within
                .as_ref()
                .is_some_and(|(excluded, canonical_root, root)| {
                    // The root itself was named by the user.
                    entry.depth() > 0
                        && entry
                            .path()
                            .strip_prefix(root)
                            .is_ok_and(|rel| excluded.matches(&canonical_root.join(rel)))
                });
            !skipped && !excluded
        })
        .build()
}

/// [`Exclude`] ready to match walked paths.
#[derive(Clone)]
struct Excluded {
    /// The canonical form of [`Exclude::base`].
    base: PathBuf,
    globs: GlobSet,
}

impl Excluded {
    /// `None` when nothing is excluded, so the walk costs nothing more.
    fn new(exclude: &Exclude) -> Result<Option<Excluded>, globset::Error> {
        if exclude.globs.is_empty() {
            return Ok(None);
        }
        let mut globs = GlobSetBuilder::new();
        for glob in &exclude.globs {
            globs.add(glob.clone());
        }
        Ok(Some(Excluded {
            base: canonical(&exclude.base),
            globs: globs.build()?,
        }))
    }

    /// Whether `path`, canonical, is excluded.
    fn matches(&self, path: &Path) -> bool {
        path.strip_prefix(&self.base)
            .is_ok_and(|relative| self.globs.is_match(relative))
    }
}

/// `path` with symbolic links and dots resolved, so that a walked path and the exclude
/// base compare whatever their spelling; as given when it cannot be resolved.
fn canonical(path: &Path) -> PathBuf {
    let path = if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    };
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The module a Terraform file belongs to: its directory (`.` for a bare file name).
fn module_dir(file: &Path) -> PathBuf {
    match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn error_path(error: &ignore::Error) -> Option<PathBuf> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    #[test]
    fn groups_terraform_by_directory_and_skips_tool_directories() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "main.tf", "");
        write(root, "extra.tf.json", "{}");
        write(root, "net/vpc.tf", "");
        write(root, ".terraform/modules/m/main.tf", "");
        write(root, ".git/config.json", "{}");
        write(root, "ignored/skip.tf", "");
        write(root, ".gitignore", "ignored/\n");
        write(root, "stack.yaml", "a: 1");
        write(root, "README.md", "");

        let found = discover(&[root.to_path_buf()], &Exclude::default());
        assert!(found.errors.is_empty(), "{:?}", found.errors);
        assert_eq!(
            found.units,
            vec![
                Unit::TerraformModule {
                    dir: root.to_path_buf(),
                    files: vec![root.join("extra.tf.json"), root.join("main.tf")],
                },
                Unit::TerraformModule {
                    dir: root.join("net"),
                    files: vec![root.join("net/vpc.tf")],
                },
                Unit::Document {
                    file: root.join("stack.yaml"),
                    explicit: false
                },
            ]
        );
    }

    #[test]
    fn explicit_files_are_always_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, ".gitignore", "*.tf\nnotes.txt\n");
        write(root, "main.tf", "");
        write(root, "notes.txt", "");
        let found = discover(
            &[root.join("main.tf"), root.join("notes.txt")],
            &Exclude::default(),
        );
        assert_eq!(
            found.units,
            vec![
                Unit::TerraformModule {
                    dir: root.to_path_buf(),
                    files: vec![root.join("main.tf")],
                },
                Unit::Document {
                    file: root.join("notes.txt"),
                    explicit: true
                },
            ]
        );
    }

    #[test]
    fn a_missing_path_is_an_error() {
        let found = discover(&[PathBuf::from("does/not/exist")], &Exclude::default());
        assert_eq!(
            found.errors,
            vec![LoadError::whole_file(
                Path::new("does/not/exist"),
                "no such file or directory"
            )]
        );
    }

    #[test]
    fn excluded_paths_are_skipped_by_the_walk_but_not_when_named() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "main.tf", "");
        write(root, "main.test.tf", "");
        write(root, "legacy/old.tf", "");
        write(root, "net/vpc.tf", "");
        write(root, "net/vpc.test.tf", "");
        let exclude = Exclude {
            base: root.to_path_buf(),
            globs: ["legacy/**", "**/*.test.tf"]
                .iter()
                .map(|glob| Glob::new(glob).unwrap())
                .collect(),
        };
        let module = |dir: PathBuf, files: &[&str]| Unit::TerraformModule {
            files: files.iter().map(|f| dir.join(f)).collect(),
            dir,
        };
        let found = discover(&[root.to_path_buf()], &exclude);
        assert!(found.errors.is_empty(), "{:?}", found.errors);
        assert_eq!(
            found.units,
            vec![
                module(root.to_path_buf(), &["main.tf"]),
                module(root.join("net"), &["vpc.tf"]),
            ]
        );
        // Walked from below the base, spelled with `..`: the globs still apply.
        let below = root.join("net/../net");
        let found = discover(std::slice::from_ref(&below), &exclude);
        assert_eq!(found.units, vec![module(below, &["vpc.tf"])]);
        let named = discover(&[root.join("legacy/old.tf")], &exclude);
        assert_eq!(named.units, vec![module(root.join("legacy"), &["old.tf"])]);
    }

    #[test]
    fn a_bare_file_name_belongs_to_the_current_directory() {
        assert_eq!(module_dir(Path::new("main.tf")), PathBuf::from("."));
        assert_eq!(module_dir(Path::new("a/main.tf")), PathBuf::from("a"));
    }

    #[cfg(unix)]
    #[test]
    fn fifos_devices_and_link_loops_are_errors_that_say_what_they_are() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let fifo = root.join("walk/pipe.yaml");
        fs::create_dir_all(fifo.parent().unwrap()).unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let other_fifo = root.join("pipe");
        let made = std::process::Command::new("mkfifo")
            .arg(&other_fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let looped = root.join("loop.yaml");
        std::os::unix::fs::symlink(&looped, &looped).unwrap();
        let named = [
            other_fifo.clone(),
            PathBuf::from("/dev/zero"),
            looped.clone(),
            root.join("walk"),
        ];
        let found = discover(&named, &Exclude::default());
        assert!(found.units.is_empty(), "{:?}", found.units);
        let messages: Vec<(&Path, &str)> = found
            .errors
            .iter()
            .map(|e| (e.file.as_path(), e.message.as_str()))
            .collect();
        assert_eq!(
            messages[..2],
            [
                (
                    other_fifo.as_path(),
                    "cannot read: a FIFO (named pipe), not a regular file"
                ),
                (
                    Path::new("/dev/zero"),
                    "cannot read: a device, not a regular file"
                ),
            ]
        );
        // The system's words, then its error number.
        assert_eq!(messages[2].0, looped);
        assert!(
            messages[2]
                .1
                .starts_with("cannot read: Too many levels of symbolic links"),
            "{}",
            messages[2].1
        );
        assert_eq!(
            messages[3..],
            [(
                fifo.as_path(),
                "cannot read: a FIFO (named pipe), not a regular file"
            )]
        );
    }
}
