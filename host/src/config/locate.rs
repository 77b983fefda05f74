//! Which `palisade.toml` governs a scanned path: the nearest one above it, within its
//! repository.
//!
//! The search starts at the scanned path (its directory, for a file), not at the current
//! directory, so `palisade check infra/prod` run from anywhere uses the settings that sit
//! with `infra/`. It climbs parent directories and stops after the first one that holds
//! `.git`: a repository's settings never leak in from a directory above it.

use std::path::{Component, Path, PathBuf};

use super::FILE_NAME;

/// The `palisade.toml` nearest above `start` (a file or directory, relative to the
/// current directory or absolute), not above its repository's root. It is named relative
/// to the current directory when it lies under it, so messages stay short.
pub fn locate(start: &Path) -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    let dir = if start.is_dir() {
        start
    } else {
        start.parent().unwrap_or(Path::new(""))
    };
    let absolute = normalize(&cwd.join(dir));
    for dir in absolute.ancestors() {
        let file = dir.join(FILE_NAME);
        if file.is_file() {
            return Some(match dir.strip_prefix(&cwd) {
                Ok(relative) => relative.join(FILE_NAME),
                Err(_) => file,
            });
        }
        if dir.join(".git").exists() {
            return None;
        }
    }
    None
}

/// `path` without `.` components and with each `..` applied to the one before it, so that
/// its ancestors are the directories above it in fact.
fn normalize(path: &Path) -> PathBuf {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    normal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dots_are_resolved_before_climbing() {
        assert_eq!(
            normalize(Path::new("/repo/./infra/../net/main.tf")),
            Path::new("/repo/net/main.tf")
        );
        assert_eq!(normalize(Path::new("/..")), Path::new("/"));
    }

    #[test]
    fn the_nearest_file_within_the_repository_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let nested = root.join("repo/infra/net");
        std::fs::create_dir_all(&nested).unwrap();
        std::fs::write(nested.join("main.tf"), "").unwrap();
        assert_eq!(locate(&nested), None);

        std::fs::write(root.join("repo/infra").join(FILE_NAME), "").unwrap();
        let found = root.join("repo/infra").join(FILE_NAME);
        assert_eq!(locate(&nested.join("main.tf")), Some(found.clone()));
        assert_eq!(locate(&nested.join("../net/.")), Some(found.clone()));

        // Above the repository's root, a file is not looked for.
        std::fs::remove_file(&found).unwrap();
        std::fs::write(root.join(FILE_NAME), "").unwrap();
        assert_eq!(locate(&nested), Some(root.join(FILE_NAME)));
        std::fs::create_dir(root.join("repo/.git")).unwrap();
        assert_eq!(locate(&nested), None);
    }
}
