//! The scope stage: what a run loads for the paths it is given, and which findings it
//! reports.
//!
//! A Terraform file is never a module on its own: its variables, locals and the
//! resources it refers to may live in the other files of its directory. So a `.tf` or
//! `.tf.json` file named on the command line (as a pre-commit hook names the files of a
//! commit) is loaded with the Terraform files beside it, as context, and only the
//! findings located in the files named (or under the directories named) are reported.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use palisade_model::Report;

/// The paths to load, and the files among them that were loaded only as context.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// The paths as given, followed by the context files added for them.
    pub paths: Vec<PathBuf>,
    /// Files whose findings are not reported: the Terraform files loaded only because
    /// a file beside them was named.
    pub context: BTreeSet<PathBuf>,
}

impl Scope {
    /// The scope of `paths`: each Terraform file named gets the other Terraform files of
    /// its directory as context, unless a directory named already covers them.
    pub fn new(paths: &[PathBuf]) -> Self {
        let dirs: Vec<PathBuf> = paths
            .iter()
            .filter(|path| path.is_dir())
            .map(|dir| lexical(dir))
            .collect();
        let named: BTreeSet<PathBuf> = paths
            .iter()
            .filter(|path| is_terraform_file(path))
            .map(|path| lexical(path))
            .collect();
        let mut context = BTreeSet::new();
        for file in paths.iter().filter(|path| is_terraform_file(path)) {
            let parent = file.parent().unwrap_or(Path::new(""));
            if dirs.iter().any(|dir| lexical(parent).starts_with(dir)) {
                continue;
            }
            context.extend(
                terraform_siblings(parent)
                    .into_iter()
                    .filter(|sibling| !named.contains(&lexical(sibling))),
            );
        }
        let mut all = paths.to_vec();
        all.extend(context.iter().cloned());
        Self {
            paths: all,
            context,
        }
    }

    /// Drops what was found in context files: findings, notes, checked resources,
    /// suppressed findings and warnings (unused suppressions). Errors stay, since a file
    /// that cannot be read leaves the named ones unchecked.
    pub fn retain_reported(&self, report: &mut Report) {
        if self.context.is_empty() {
            return;
        }
        let reported = |file: &Path| !self.context.contains(file);
        report.findings.retain(|finding| reported(&finding.file));
        report.notes.retain(|note| reported(&note.file));
        report.checked.retain(|checked| reported(&checked.file));
        report
            .suppressed
            .retain(|suppressed| reported(&suppressed.finding.file));
        report
            .warnings
            .retain(|warning| warning.file().is_none_or(reported));
    }
}

/// A file (not a directory) that Terraform reads as configuration.
fn is_terraform_file(path: &Path) -> bool {
    path.is_file()
        && path
            .file_name()
            .and_then(|name| name.to_str())
            .is_some_and(|name| name.ends_with(".tf") || name.ends_with(".tf.json"))
}

/// The Terraform files directly in `dir` (`""` for the current directory, keeping
/// names bare), leaving out hidden ones as Terraform does. A directory that cannot be
/// read adds none; the named file still loads and says what is wrong.
fn terraform_siblings(dir: &Path) -> Vec<PathBuf> {
    let read_from = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let Ok(entries) = std::fs::read_dir(read_from) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|entry| {
            entry
                .file_name()
                .to_str()
                .is_some_and(|name| !name.starts_with('.'))
        })
        .map(|entry| dir.join(entry.file_name()))
        .filter(|path| is_terraform_file(path))
        .collect();
    files.sort();
    files
}

/// `path` without `.` components, so that `./main.tf` and `main.tf` compare equal.
fn lexical(path: &Path) -> PathBuf {
    path.components()
        .filter(|component| !matches!(component, std::path::Component::CurDir))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_model::{Checked, Finding, Format, Place, Position, Problem, Severity, Span};
    use std::fs;

    fn finding(file: &Path) -> Finding {
        let span = Span::new(Position::new(1, 1), Position::new(1, 2));
        Finding {
            rule: "open-ssh".into(),
            severity: Severity::High,
            policy: "builtin:open-ssh".into(),
            address: "a.b".into(),
            resource_type: "a".into(),
            format: Format::Terraform,
            file: file.to_path_buf(),
            span,
            resource_span: span,
            attribute: String::new(),
            message: "m".into(),
            remediation: "".into(),
            origin: None,
            expired_suppression: None,
            quoted: true,
        }
    }

    fn warning(file: Option<&str>) -> Problem {
        let message = "unused suppression".to_owned();
        match file {
            Some(file) => Problem::Input {
                place: Place::file(Path::new(file)),
                message,
            },
            None => Problem::Environment { message },
        }
    }

    #[test]
    fn a_named_terraform_file_brings_its_directory_as_context() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for name in [
            "main.tf",
            "variables.tf",
            "extra.tf.json",
            ".hidden.tf",
            "notes.md",
        ] {
            fs::write(root.join(name), "").unwrap();
        }
        fs::create_dir(root.join("sub")).unwrap();
        fs::write(root.join("sub/child.tf"), "").unwrap();

        let main = root.join("main.tf");
        let scope = Scope::new(std::slice::from_ref(&main));
        assert_eq!(
            scope.context,
            BTreeSet::from([root.join("extra.tf.json"), root.join("variables.tf")])
        );
        assert_eq!(
            scope.paths,
            vec![
                main.clone(),
                root.join("extra.tf.json"),
                root.join("variables.tf")
            ]
        );
    }

    #[test]
    fn files_named_or_under_a_named_directory_are_not_context() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("main.tf"), "").unwrap();
        fs::write(root.join("variables.tf"), "").unwrap();
        let both = [root.join("main.tf"), root.join("./variables.tf")];
        assert!(Scope::new(&both).context.is_empty());
        let covered = [root.to_path_buf(), root.join("main.tf")];
        assert_eq!(Scope::new(&covered).paths, covered.to_vec());
    }

    #[test]
    fn documents_and_directories_are_loaded_as_given() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("main.tf"), "").unwrap();
        fs::write(root.join("stack.yaml"), "").unwrap();
        let paths = [root.join("stack.yaml"), root.to_path_buf()];
        assert_eq!(
            Scope::new(&paths),
            Scope {
                paths: paths.to_vec(),
                context: BTreeSet::new(),
            }
        );
    }

    #[test]
    fn findings_in_context_files_are_not_reported() {
        let scope = Scope {
            paths: Vec::new(),
            context: BTreeSet::from([PathBuf::from("variables.tf")]),
        };
        let span = Span::new(Position::new(1, 1), Position::new(1, 2));
        let mut report = Report {
            findings: vec![
                finding(Path::new("main.tf")),
                finding(Path::new("variables.tf")),
            ],
            notes: vec![finding(Path::new("variables.tf"))],
            checked: vec![Checked {
                rule: "open-ssh".into(),
                file: "variables.tf".into(),
                address: "a.b".into(),
                resource_type: "a".into(),
                span,
            }],
            warnings: vec![warning(Some("variables.tf")), warning(None)],
            ..Report::default()
        };
        scope.retain_reported(&mut report);
        assert_eq!(report.findings, vec![finding(Path::new("main.tf"))]);
        assert!(report.notes.is_empty());
        assert!(report.checked.is_empty());
        assert_eq!(report.warnings, vec![warning(None)]);
        assert_eq!(report.summary().findings, 1);
    }
}
