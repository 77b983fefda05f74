//! `palisade new`: a policy crate that builds, tests and runs as generated, so that a
//! team starts from a working rule and changes it rather than from an empty file.
//!
//! The files are templates under `host/templates/policy/`, embedded in the binary, with
//! three placeholders: `{{name}}` (the package and the rule id), `{{crate_name}}` (the
//! Rust crate name, which names the `.wasm` file) and `{{sdk_path}}` (the SDK dependency's
//! path, as a TOML string).

use std::io;
use std::path::{Path, PathBuf};

use palisade_contract::{RuleIdError, check_rule_id};

/// The files of a new policy crate: where each goes, and its template.
const TEMPLATES: [(&str, &str); 8] = [
    (
        "Cargo.toml",
        include_str!("../../templates/policy/Cargo.toml.in"),
    ),
    (
        ".gitignore",
        include_str!("../../templates/policy/gitignore"),
    ),
    (
        "README.md",
        include_str!("../../templates/policy/README.md"),
    ),
    (
        "src/lib.rs",
        include_str!("../../templates/policy/src/lib.rs"),
    ),
    (
        "tests/secure/main.tf",
        include_str!("../../templates/policy/tests/secure/main.tf"),
    ),
    (
        "tests/secure/expect.toml",
        include_str!("../../templates/policy/tests/secure/expect.toml"),
    ),
    (
        "tests/insecure/main.tf",
        include_str!("../../templates/policy/tests/insecure/main.tf"),
    ),
    (
        "tests/insecure/expect.toml",
        include_str!("../../templates/policy/tests/insecure/expect.toml"),
    ),
];

/// Names a policy crate cannot take although they are well-formed rule ids: Rust
/// keywords and the standard crates (the crate name is the package name with `_` for
/// `-`), and the SDK itself.
const RESERVED: &str = "\
    abstract alloc as async await become box break const continue core crate do dyn else \
    enum extern false final fn for gen if impl in let loop macro match mod move mut override \
    palisade_policy priv proc_macro pub ref return self static std struct super test trait \
    true try type typeof unsafe unsized use virtual where while yield";

/// Why a policy crate could not be created.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error(
        "`{name}` cannot name a policy: it is also the rule id, which {problem} \
         (for example `owner-tag`)"
    )]
    InvalidName { name: String, problem: RuleIdError },
    #[error("`{0}` cannot name a policy crate: it is a Rust keyword or a reserved crate name")]
    ReservedName(String),
    #[error(
        "{} already exists and is not an empty directory; choose another name or --dir",
        .0.display()
    )]
    NotEmpty(PathBuf),
    #[error(
        "no palisade-policy SDK at {}; pass --sdk with the directory of the SDK crate \
         (policies/sdk in a Palisade checkout)",
        .0.display()
    )]
    NoSdk(PathBuf),
    #[error("the SDK path {} is not valid UTF-8, which Cargo.toml cannot hold", .0.display())]
    SdkPathNotUtf8(PathBuf),
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// The SDK this runner was built with, used when `--sdk` is not given: a policy built
/// against it speaks the same `palisade:policy` version as the runner.
pub fn default_sdk() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../policies/sdk"))
}

/// The Rust crate name of the package `name`: what names its `.wasm` file.
pub fn crate_name(name: &str) -> String {
    name.replace('-', "_")
}

/// Checks that `name` can name both a policy crate and its rule.
pub fn check_name(name: &str) -> Result<(), ScaffoldError> {
    check_rule_id(name).map_err(|problem| ScaffoldError::InvalidName {
        name: name.to_owned(),
        problem,
    })?;
    if RESERVED
        .split_whitespace()
        .any(|word| word == crate_name(name))
    {
        return Err(ScaffoldError::ReservedName(name.to_owned()));
    }
    Ok(())
}

/// Creates the policy crate `name` in `dir` (made if missing, refused if not empty),
/// depending on the SDK at `sdk`, and returns the files written, relative to `dir`.
pub fn create(name: &str, dir: &Path, sdk: &Path) -> Result<Vec<&'static str>, ScaffoldError> {
    check_name(name)?;
    let sdk = find_sdk(sdk)?;
    let sdk = sdk
        .to_str()
        .ok_or_else(|| ScaffoldError::SdkPathNotUtf8(sdk.clone()))?;
    if !is_absent_or_empty_dir(dir) {
        return Err(ScaffoldError::NotEmpty(dir.to_path_buf()));
    }
    let crate_name = crate_name(name);
    let sdk_path = toml::Value::String(sdk.to_owned()).to_string();
    let values = [
        ("name", name),
        ("crate_name", crate_name.as_str()),
        ("sdk_path", sdk_path.as_str()),
    ];
    for (file, template) in TEMPLATES {
        let path = dir.join(file);
        let write_error = |source| ScaffoldError::Write {
            path: path.clone(),
            source,
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(write_error)?;
        }
        std::fs::write(&path, render(template, &values)).map_err(write_error)?;
    }
    Ok(TEMPLATES.iter().map(|(file, _)| *file).collect())
}

/// The SDK crate's directory, made absolute so the new crate builds from anywhere.
fn find_sdk(sdk: &Path) -> Result<PathBuf, ScaffoldError> {
    sdk.canonicalize()
        .ok()
        .filter(|dir| dir.join("Cargo.toml").is_file())
        .ok_or_else(|| ScaffoldError::NoSdk(sdk.to_path_buf()))
}

fn is_absent_or_empty_dir(dir: &Path) -> bool {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => entries.next().is_none(),
        Err(error) => error.kind() == io::ErrorKind::NotFound,
    }
}

/// Replaces each `{{key}}` of `template` with its value, in one pass (a value is never
/// itself expanded); unknown keys stay as they are.
fn render(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let value = after.find("}}").and_then(|end| {
            let key = &after[..end];
            let (_, value) = values.iter().find(|(k, _)| *k == key)?;
            Some((value, end))
        });
        match value {
            Some((value, end)) => {
                out.push_str(value);
                rest = &after[end + 2..];
            }
            None => {
                out.push_str("{{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_replaced_once() {
        let values = [("name", "owner-tag"), ("crate_name", "{{name}}")];
        assert_eq!(
            render("{{name}} / {{crate_name}} / {{other}} / {{", &values),
            "owner-tag / {{name}} / {{other}} / {{"
        );
    }

    #[test]
    fn names_must_be_rule_ids_and_crate_names() {
        assert!(check_name("owner-tag").is_ok());
        let error = check_name("Owner_Tag").unwrap_err();
        assert_eq!(
            error.to_string(),
            "`Owner_Tag` cannot name a policy: it is also the rule id, which must start with \
             a lowercase letter (for example `owner-tag`)"
        );
        assert!(matches!(
            check_name("owner_tag"),
            Err(ScaffoldError::InvalidName { .. })
        ));
        for reserved in ["type", "std", "test", "palisade-policy"] {
            assert!(
                matches!(check_name(reserved), Err(ScaffoldError::ReservedName(_))),
                "{reserved}"
            );
        }
    }

    #[test]
    fn the_crate_depends_on_the_sdk_by_absolute_path() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("owner-tag");
        let created = create("owner-tag", &target, &default_sdk()).unwrap();
        assert!(created.contains(&"src/lib.rs") && created.contains(&"tests/insecure/expect.toml"));

        let manifest = std::fs::read_to_string(target.join("Cargo.toml")).unwrap();
        let manifest: toml::Table = manifest.parse().unwrap();
        assert_eq!(manifest["package"]["name"].as_str(), Some("owner-tag"));
        assert!(manifest["workspace"].as_table().unwrap().is_empty());
        let sdk = manifest["dependencies"]["palisade-policy"]["path"]
            .as_str()
            .unwrap();
        assert_eq!(Path::new(sdk), default_sdk().canonicalize().unwrap());

        let lib = std::fs::read_to_string(target.join("src/lib.rs")).unwrap();
        assert!(lib.contains("id: \"owner-tag\","), "{lib}");
        let readme = std::fs::read_to_string(target.join("README.md")).unwrap();
        assert!(readme.contains("release/owner_tag.wasm"), "{readme}");
        for (file, _) in TEMPLATES {
            let text = std::fs::read_to_string(target.join(file)).unwrap();
            assert!(!text.contains("{{"), "{file} keeps a placeholder");
        }
        let expect = std::fs::read_to_string(target.join("tests/insecure/expect.toml")).unwrap();
        let expect: toml::Table = expect.parse().unwrap();
        assert_eq!(expect["finding"].as_array().map(Vec::len), Some(2));
    }

    #[test]
    fn an_existing_directory_must_be_empty() {
        let dir = tempfile::tempdir().unwrap();
        assert!(create("owner-tag", dir.path(), &default_sdk()).is_ok());
        let again = create("owner-tag", dir.path(), &default_sdk()).unwrap_err();
        assert!(matches!(again, ScaffoldError::NotEmpty(_)), "{again}");
    }

    #[test]
    fn a_missing_sdk_is_refused_before_anything_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("p");
        let error = create("owner-tag", &target, &dir.path().join("no-sdk")).unwrap_err();
        assert!(error.to_string().contains("pass --sdk"), "{error}");
        assert!(!target.exists());
    }
}
