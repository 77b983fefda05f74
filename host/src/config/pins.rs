//! Reading the components `palisade.toml` lists, and refusing any whose bytes do not
//! hash to their pin.
//!
//! The digest is taken of the very bytes that are then compiled, so a file replaced
//! between the check and the load cannot slip through; a refused component is never
//! compiled, let alone run.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use super::{Config, Pin, Pinned, Sha256};
use crate::engine::{PolicyError, PolicyErrorKind, PolicySource, policy_files, read_component};
use palisade_model::Position;

/// Which component a refusal is about, and where `palisade.toml` pins it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinSite {
    /// The component file (or directory), as a path from the current directory.
    pub component: PathBuf,
    /// The configuration file.
    pub config: PathBuf,
    /// The pin, or the `[[policy]]` entry when there is no pin to point at.
    pub position: Position,
}

/// A listed component that was not loaded, and why.
#[derive(Debug, thiserror::Error)]
pub enum PinError {
    #[error(
        "{}: sha256 is {actual}, {} pins {pinned}; if this build is the one to trust, \
         pin it again with `palisade policy add {}`",
        site.component.display(), site.config.display(), site.component.display()
    )]
    Mismatch {
        site: PinSite,
        actual: Sha256,
        pinned: Sha256,
    },
    #[error(
        "{}: not pinned: {} pins its directory's components by file name; review it, then \
         pin it with `palisade policy add {}`",
        site.component.display(), site.config.display(), site.component.display()
    )]
    Unpinned { site: PinSite },
    #[error(
        "{}: {} pins it, but there is no such component in the directory",
        site.component.display(), site.config.display()
    )]
    Missing { site: PinSite },
    #[error(
        "{}: is a directory; pin each of its components by file name in a `[policy.pins]` \
         table, or list them one by one",
        site.component.display()
    )]
    IsDirectory { site: PinSite },
    #[error(
        "{}: is not a directory, but {} pins it with a `[policy.pins]` table; pin a \
         component file with `sha256 = \"…\"`",
        site.component.display(), site.config.display()
    )]
    NotADirectory { site: PinSite },
    #[error("{source}")]
    Unreadable {
        site: PinSite,
        #[source]
        source: Box<PolicyError>,
    },
}

impl PinError {
    /// Where the refused component is pinned.
    pub fn site(&self) -> &PinSite {
        match self {
            Self::Mismatch { site, .. }
            | Self::Unpinned { site }
            | Self::Missing { site }
            | Self::IsDirectory { site }
            | Self::NotADirectory { site }
            | Self::Unreadable { site, .. } => site,
        }
    }
}

/// The components `config` lists whose bytes match their pins, in file order, ready for
/// [`Engine::load`](crate::engine::Engine::load); and a refusal for each of the others.
pub fn pinned_sources(config: &Config) -> (Vec<PolicySource>, Vec<PinError>) {
    let mut sources = Vec::new();
    let mut refused = Vec::new();
    for entry in &config.policies {
        let path = config.dir().join(&entry.path);
        let site = |component: &Path, position: Position| PinSite {
            component: component.to_path_buf(),
            config: config.file.clone(),
            position,
        };
        match &entry.pin {
            _ if !path.exists() => {
                refused.push(PinError::Unreadable {
                    site: site(&path, entry.position),
                    source: read_error(&path, std::io::ErrorKind::NotFound.into()).into(),
                });
            }
            Pin::File(_) if path.is_dir() => refused.push(PinError::IsDirectory {
                site: site(&path, entry.position),
            }),
            Pin::Directory(_) if !path.is_dir() => refused.push(PinError::NotADirectory {
                site: site(&path, entry.position),
            }),
            Pin::File(pinned) => match read_component(&path) {
                Ok(bytes) => {
                    let source = PolicySource {
                        name: path.display().to_string(),
                        bytes: Cow::Owned(bytes),
                        builtin: false,
                    };
                    match verify(source, pinned, site(&path, pinned.position)) {
                        Ok(source) => sources.push(source),
                        Err(error) => refused.push(error),
                    }
                }
                Err(error) => refused.push(PinError::Unreadable {
                    site: site(&path, entry.position),
                    source: read_error(&path, error).into(),
                }),
            },
            Pin::Directory(pins) => {
                let found = match policy_files(&path) {
                    Ok(found) => found,
                    Err(PolicyError {
                        kind: PolicyErrorKind::NoPolicies,
                        ..
                    }) => Vec::new(),
                    Err(error) => {
                        refused.push(PinError::Unreadable {
                            site: site(&path, entry.position),
                            source: error.into(),
                        });
                        continue;
                    }
                };
                for (name, pinned) in pins {
                    if !found.iter().any(|source| file_name(source) == Some(name)) {
                        refused.push(PinError::Missing {
                            site: site(&path.join(name), pinned.position),
                        });
                    }
                }
                for source in found {
                    let file = PathBuf::from(&source.name);
                    match file_name(&source).and_then(|name| pins.get(name)) {
                        Some(pinned) => {
                            match verify(source, pinned, site(&file, pinned.position)) {
                                Ok(source) => sources.push(source),
                                Err(error) => refused.push(error),
                            }
                        }
                        None => refused.push(PinError::Unpinned {
                            site: site(&file, entry.position),
                        }),
                    }
                }
            }
        }
    }
    (sources, refused)
}

/// `source` when its bytes hash to the pin.
fn verify(source: PolicySource, pinned: &Pinned, site: PinSite) -> Result<PolicySource, PinError> {
    let actual = Sha256::of(&source.bytes);
    if actual == pinned.sha256 {
        Ok(source)
    } else {
        Err(PinError::Mismatch {
            site,
            actual,
            pinned: pinned.sha256.clone(),
        })
    }
}

fn file_name(source: &PolicySource) -> Option<&str> {
    Path::new(&source.name).file_name()?.to_str()
}

fn read_error(path: &Path, source: std::io::Error) -> PolicyError {
    PolicyError::new(path.display().to_string(), PolicyErrorKind::Read(source))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A configuration in `dir` pinning what `text` says.
    fn config(dir: &Path, text: &str) -> Config {
        let file = dir.join("palisade.toml");
        std::fs::write(&file, text).unwrap();
        Config::read(&file, &palisade_model::Limits::default()).unwrap()
    }

    fn names(sources: &[PolicySource]) -> Vec<String> {
        sources
            .iter()
            .map(|s| file_name(s).unwrap().to_owned())
            .collect()
    }

    #[test]
    fn a_file_whose_digest_matches_its_pin_is_read() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.wasm"), b"component a").unwrap();
        let pin = Sha256::of(b"component a");
        let config = config(
            dir.path(),
            &format!("[[policy]]\npath = \"a.wasm\"\nsha256 = \"{pin}\"\n"),
        );
        let (sources, refused) = pinned_sources(&config);
        assert!(refused.is_empty(), "{refused:?}");
        assert_eq!(names(&sources), ["a.wasm"]);
        assert_eq!(&*sources[0].bytes, b"component a");
        assert_eq!(
            sources[0].name,
            dir.path().join("a.wasm").display().to_string()
        );
    }

    #[test]
    fn a_changed_file_is_refused_naming_both_digests_and_the_pin() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.wasm"), b"tampered").unwrap();
        let pin = Sha256::of(b"component a");
        let config = config(
            dir.path(),
            &format!("# team policies\n[[policy]]\npath = \"a.wasm\"\nsha256 = \"{pin}\"\n"),
        );
        let (sources, refused) = pinned_sources(&config);
        assert!(sources.is_empty());
        let [error] = refused.as_slice() else {
            panic!("{refused:?}")
        };
        let component = dir.path().join("a.wasm");
        assert_eq!(
            error.to_string(),
            format!(
                "{}: sha256 is {}, {} pins {pin}; if this build is the one to trust, pin it \
                 again with `palisade policy add {}`",
                component.display(),
                Sha256::of(b"tampered"),
                config.file.display(),
                component.display()
            )
        );
        assert_eq!(error.site().position, Position::new(4, 10));
    }

    #[test]
    fn a_directory_needs_a_pin_for_each_component_and_each_pinned_file() {
        let dir = tempfile::tempdir().unwrap();
        let team = dir.path().join("team");
        std::fs::create_dir(&team).unwrap();
        for name in ["ok.wasm", "changed.wasm", "new.wasm"] {
            std::fs::write(team.join(name), name).unwrap();
        }
        std::fs::write(team.join("README.md"), "not a component").unwrap();
        let config = config(
            dir.path(),
            &format!(
                "[[policy]]\npath = \"team\"\n[policy.pins]\n\"ok.wasm\" = \"{}\"\n\
                 \"changed.wasm\" = \"{}\"\n\"gone.wasm\" = \"{}\"\n",
                Sha256::of(b"ok.wasm"),
                Sha256::of(b"the reviewed build"),
                Sha256::of(b"gone.wasm"),
            ),
        );
        let (sources, refused) = pinned_sources(&config);
        assert_eq!(names(&sources), ["ok.wasm"]);
        let messages: Vec<String> = refused.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 3, "{messages:#?}");
        assert!(
            matches!(&refused[0], PinError::Missing { site } if site.component.ends_with("gone.wasm")),
            "{messages:#?}"
        );
        assert!(
            matches!(&refused[1], PinError::Mismatch { site, .. } if site.component.ends_with("changed.wasm")),
            "{messages:#?}"
        );
        assert!(
            matches!(&refused[2], PinError::Unpinned { site } if site.component.ends_with("new.wasm")),
            "{messages:#?}"
        );
    }

    #[test]
    fn the_pin_must_fit_what_is_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("team")).unwrap();
        std::fs::write(dir.path().join("a.wasm"), b"a").unwrap();
        let pin = Sha256::of(b"a");
        let config = config(
            dir.path(),
            &format!(
                "[[policy]]\npath = \"team\"\nsha256 = \"{pin}\"\n\n\
                 [[policy]]\npath = \"a.wasm\"\npins = {{ \"a.wasm\" = \"{pin}\" }}\n\n\
                 [[policy]]\npath = \"missing.wasm\"\nsha256 = \"{pin}\"\n"
            ),
        );
        let (sources, refused) = pinned_sources(&config);
        assert!(sources.is_empty());
        assert!(
            matches!(refused[0], PinError::IsDirectory { .. }),
            "{refused:?}"
        );
        assert!(
            matches!(refused[1], PinError::NotADirectory { .. }),
            "{refused:?}"
        );
        assert!(
            matches!(refused[2], PinError::Unreadable { .. }),
            "{refused:?}"
        );
        assert!(
            refused[2].to_string().contains("missing.wasm"),
            "{}",
            refused[2]
        );
        assert_eq!(refused[2].site().position, Position::new(9, 1));
    }
}
