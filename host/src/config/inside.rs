//! Which paths `palisade.toml` may name: only those inside the repository that holds it.
//!
//! The file belongs to the repository under check. Were its `var_files` allowed to name
//! `/etc/passwd`, `../../secrets` or a link leading out, a pull request could have any
//! file the CI runner can read parsed, and its first line quoted in the log. Paths given
//! on the command line are the user's own and are not checked.

use std::path::{Component, Path, PathBuf};

/// The directory tree `palisade.toml` in `dir` may name paths in: the nearest directory
/// at or above `dir` that holds `.git`, else `dir` itself; with links followed.
pub fn repository_root(dir: &Path) -> PathBuf {
    let dir = resolve(dir);
    dir.ancestors()
        .find(|ancestor| ancestor.join(".git").exists())
        .unwrap_or(&dir)
        .to_path_buf()
}

/// Whether `path` lies inside `root` (a [`repository_root`]) once every link on the way
/// is followed.
pub fn is_inside(path: &Path, root: &Path) -> bool {
    resolve(path).starts_with(root)
}

/// `path` made absolute with every link followed: its longest existing ancestor
/// canonicalized, then the rest (which exists not, so holds no link) applied to it.
fn resolve(path: &Path) -> PathBuf {
    let absolute = std::env::current_dir().unwrap_or_default().join(path);
    for existing in absolute.ancestors() {
        let Ok(canonical) = existing.canonicalize() else {
            continue;
        };
        let rest = absolute.strip_prefix(existing).unwrap_or(Path::new(""));
        let mut resolved = canonical;
        for component in rest.components() {
            match component {
                Component::ParentDir => {
                    resolved.pop();
                }
                Component::Normal(name) => resolved.push(name),
                _ => {}
            }
        }
        return resolved;
    }
    absolute
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_inside_after_dots_and_links_are_resolved() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::create_dir_all(repo.join("infra/env")).unwrap();
        std::fs::write(dir.path().join("secret"), "s").unwrap();
        let root = repository_root(&repo.join("infra"));
        assert_eq!(root, repo.canonicalize().unwrap());

        assert!(is_inside(&repo.join("infra/env/prod.tfvars"), &root));
        assert!(is_inside(&repo.join("infra/../missing/x.tfvars"), &root));
        assert!(!is_inside(&repo.join("infra/../../secret"), &root));
        assert!(!is_inside(Path::new("/etc/passwd"), &root));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret"), repo.join("link")).unwrap();
            std::os::unix::fs::symlink(dir.path(), repo.join("up")).unwrap();
            assert!(!is_inside(&repo.join("link"), &root));
            assert!(!is_inside(&repo.join("up/missing"), &root));
        }
    }

    #[test]
    fn without_a_repository_the_configuration_directory_is_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let config_dir = dir.path().join("a");
        std::fs::create_dir_all(&config_dir).unwrap();
        // The temporary directory may lie inside a repository; only then is it wider.
        let root = repository_root(&config_dir);
        assert!(config_dir.canonicalize().unwrap().starts_with(&root));
    }
}
