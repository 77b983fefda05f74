//! Where policy components come from: the built-ins embedded in the binary, or files.

use std::borrow::Cow;
use std::path::Path;

use super::error::{PolicyError, PolicyErrorKind};
use palisade_syntax::source::{ReadError, read_bytes};

/// The bytes of the component file `file`, if it is a regular file of at most
/// [`MAX_COMPONENT_SIZE`]: a FIFO must not block the run, nor a huge file fill memory.
pub fn read_component(file: &Path) -> std::io::Result<Vec<u8>> {
    read_bytes(file, MAX_COMPONENT_SIZE).map_err(|error| match error {
        ReadError::Io(error) => error,
        ReadError::NotRegular(kind) => std::io::Error::other(format!("{kind}, not a regular file")),
        ReadError::TooLarge { size, limit, .. } => std::io::Error::other(format!(
            "{size} bytes, over the limit of {limit} bytes for a policy component"
        )),
    })
}

/// The bytes of one policy component and the name users know it by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicySource {
    /// `builtin:network`, or the file path as the user gave it.
    pub name: String,
    pub bytes: Cow<'static, [u8]>,
    /// Embedded in the binary: part of Palisade, trusted with sensitive values. Never
    /// taken from a name, which a file could borrow.
    pub builtin: bool,
}

/// `(family, component, SHA-256 digest)` for every built-in rule family, in name order:
/// the crates under `policies/` marked as built-in, compiled, hashed and listed by
/// `build.rs`.
const BUILTINS: &[(&str, &[u8], &str)] = &include!(concat!(env!("OUT_DIR"), "/builtins.rs"));

/// The digest `build.rs` computed for `bytes` when they are an embedded component (the
/// very bytes, not a copy): hashing every component at every start would cost more than
/// checking a small repository.
pub fn embedded_digest(bytes: &[u8]) -> Option<&'static str> {
    BUILTINS
        .iter()
        .find(|(_, embedded, _)| std::ptr::eq(*embedded, bytes))
        .map(|(_, _, digest)| *digest)
}

/// The built-in policy components, embedded in the binary so the gate works with no
/// policy files at all; each is named `builtin:<family>`.
pub fn builtin_policies() -> Vec<PolicySource> {
    BUILTINS
        .iter()
        .map(|(family, bytes, _)| PolicySource {
            name: format!("builtin:{family}"),
            bytes: Cow::Borrowed(bytes),
            builtin: true,
        })
        .collect()
}

/// The policy at `path`: the file itself, or every `*.wasm` file directly inside a
/// directory, sorted by name so that runs are reproducible.
pub fn policy_files(path: &Path) -> Result<Vec<PolicySource>, PolicyError> {
    let read_error =
        |source| PolicyError::new(path.display().to_string(), PolicyErrorKind::Read(source));
    if !path.is_dir() {
        return Ok(vec![read(path)?]);
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(path).map_err(read_error)? {
        let file = entry.map_err(read_error)?.path();
        if file.extension().is_some_and(|ext| ext == "wasm") && file.is_file() {
            files.push(file);
        }
    }
    if files.is_empty() {
        return Err(PolicyError::new(
            path.display().to_string(),
            PolicyErrorKind::NoPolicies,
        ));
    }
    files.sort();
    files.iter().map(|file| read(file)).collect()
}

/// The largest policy component read: far above what a compiled policy takes, and a
/// bound on what a repository's pinned file can make the run read.
pub const MAX_COMPONENT_SIZE: u64 = 256 << 20;

fn read(file: &Path) -> Result<PolicySource, PolicyError> {
    let name = file.display().to_string();
    match read_component(file) {
        Ok(bytes) => Ok(PolicySource {
            name,
            bytes: Cow::Owned(bytes),
            builtin: false,
        }),
        Err(source) => Err(PolicyError::new(name, PolicyErrorKind::Read(source))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_yields_its_wasm_files_in_order() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["b.wasm", "a.wasm", "notes.txt"] {
            std::fs::write(dir.path().join(name), name).unwrap();
        }
        std::fs::create_dir(dir.path().join("c.wasm")).unwrap();
        let sources = policy_files(dir.path()).unwrap();
        let names: Vec<_> = sources
            .iter()
            .map(|s| Path::new(&s.name).file_name().unwrap().to_str().unwrap())
            .collect();
        assert_eq!(names, ["a.wasm", "b.wasm"]);
        assert_eq!(&*sources[0].bytes, b"a.wasm");
    }

    #[test]
    fn an_empty_directory_and_a_missing_file_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let empty = policy_files(dir.path()).unwrap_err();
        assert!(
            empty.to_string().contains("has no `*.wasm` files"),
            "{empty}"
        );
        let missing = dir.path().join("missing.wasm");
        let error = policy_files(&missing).unwrap_err();
        assert!(matches!(error.kind, PolicyErrorKind::Read(_)));
        assert!(error.to_string().contains("missing.wasm"), "{error}");
    }

    #[test]
    fn builtins_are_named_after_their_families() {
        let names: Vec<_> = builtin_policies().into_iter().map(|s| s.name).collect();
        assert!(names.len() >= 3, "{names:?}");
        for family in ["builtin:compute", "builtin:network", "builtin:storage"] {
            assert!(names.iter().any(|name| name == family), "{names:?}");
        }
        assert!(names.is_sorted(), "{names:?}");
    }
}
