//! `palisade.toml`: a project's own settings, kept next to its templates.
//!
//! It lists the policy components the project runs besides the built-ins, each pinned
//! to the SHA-256 digest of the build that was reviewed, so that a component swapped on
//! disk is refused rather than run:
//!
//! ```toml
//! [[policy]]
//! path = "policies/required_tags.wasm"  # relative to palisade.toml
//! sha256 = "9f2c…"                       # 64 hex digits, as `sha256sum` prints
//!
//! [[policy]]
//! path = "policies/team"                 # a directory: every *.wasm directly inside,
//! [policy.pins]                          # each pinned by file name
//! "regions.wasm" = "41d0…"
//! ```
//!
//! It also sets the defaults of `palisade check` ([`settings`]): `fail_on`, `exclude`,
//! `var_files`, `parameter_files`, `[rules.ID]` and `[output]`.
//!
//! The file is read strictly: an unknown key, a missing pin or a malformed digest is an
//! error naming its line and column, never a setting silently ignored.
//! [`locate`] finds the file that governs a scanned path;
//! [`pins`] reads the listed components and checks them against their pins;
//! [`edit`] writes pins (`palisade policy add`) without disturbing the rest of the file.

pub mod digest;
pub mod edit;
pub mod inside;
pub mod locate;
pub mod pins;
pub mod settings;

use palisade_syntax::source::read_regular;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::engine::Policy;
pub use digest::Sha256;
use palisade_model::{Limits, Located, Position};
pub use settings::Settings;
use settings::{RawOutput, RawRule, RawSettings};

/// The name looked for in the scanned directory and the directories above it.
pub const FILE_NAME: &str = "palisade.toml";

/// A project's `palisade.toml`, read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The file it was read from: paths inside it are relative to its directory, and
    /// messages about it name it.
    pub file: PathBuf,
    /// The policy components to run besides the built-ins, in file order.
    pub policies: Vec<PolicyEntry>,
    /// The defaults of `palisade check`.
    pub settings: Settings,
}

/// One `[[policy]]` entry: a component file, or a directory of them, with its pins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyEntry {
    /// As written: relative to the configuration's directory, or absolute.
    pub path: PathBuf,
    pub pin: Pin,
    /// Where the entry's `[[policy]]` header is.
    pub position: Position,
}

/// What a component file must hash to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pin {
    /// `sha256 = "…"`: the entry's path is one component file.
    File(Pinned),
    /// `[policy.pins]`: the entry's path is a directory; each of its `*.wasm` files must
    /// be pinned by file name, and each pinned file must be there.
    Directory(BTreeMap<String, Pinned>),
}

/// One digest and where the file states it, so a mismatch can point at the line to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pinned {
    pub sha256: Sha256,
    pub position: Position,
}

/// A configuration that could not be read or makes no sense.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {}: {source}", file.display())]
    Read {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Invalid(#[from] Located),
}

impl Config {
    /// The configuration of a run: `explicit` (`--config FILE`, which must exist), else
    /// the [`FILE_NAME`] that governs `scanned` ([`locate::locate`]), else none.
    pub fn find(
        explicit: Option<&Path>,
        scanned: &Path,
        limits: &Limits,
    ) -> Result<Option<Config>, ConfigError> {
        match explicit
            .map(Path::to_path_buf)
            .or_else(|| locate::locate(scanned))
        {
            Some(file) => Config::read(&file, limits).map(Some),
            None => Ok(None),
        }
    }

    /// Reads and checks `file`, a regular file within `limits`.
    pub fn read(file: &Path, limits: &Limits) -> Result<Config, ConfigError> {
        let text = read_text(file, limits)?;
        Config::parse(&text, file)
    }

    /// Checks `text`, the contents of `file`.
    pub fn parse(text: &str, file: &Path) -> Result<Config, ConfigError> {
        let invalid = |offset: usize, message: String| {
            ConfigError::Invalid(Located::new(
                file,
                Position::from_offset(text, offset),
                message,
            ))
        };
        let raw: RawConfig = toml::from_str(text).map_err(|error| {
            let offset = error.span().map_or(0, |span| span.start);
            invalid(offset, error.message().to_owned())
        })?;
        let (raw_policies, raw_settings) = raw.split();
        let dir = file.parent().unwrap_or(Path::new(""));
        let settings = Settings::check(raw_settings, text, dir, &invalid)?;
        let mut policies: Vec<PolicyEntry> = Vec::with_capacity(raw_policies.len());
        for entry in raw_policies {
            let entry = policy_entry(entry, text, &policies, &invalid)?;
            policies.push(entry);
        }
        Ok(Config {
            file: file.to_path_buf(),
            policies,
            settings,
        })
    }

    /// An error for the first `[rules.ID]` table whose id no loaded policy declares: a
    /// typo there would otherwise leave a rule on that was meant to be off.
    pub fn check_rule_ids(&self, policies: &[Policy]) -> Result<(), ConfigError> {
        let declared = |id: &str| {
            policies
                .iter()
                .flat_map(|p| &p.rules)
                .any(|rule| rule.id == id)
        };
        match self.settings.rules.iter().find(|(id, _)| !declared(id)) {
            None => Ok(()),
            Some((id, rule)) => Err(ConfigError::Invalid(Located::new(
                &self.file,
                rule.position,
                format!(
                    "`[rules.{id}]`: no loaded policy declares the rule `{id}`; \
                     `palisade rules` lists them"
                ),
            ))),
        }
    }

    /// The directory that relative paths in the file start from.
    pub fn dir(&self) -> &Path {
        self.file.parent().unwrap_or(Path::new(""))
    }
}

/// The text of `file`, which must be a regular file of at most `limits.file_size` bytes:
/// the configuration belongs to the repository under check, and a FIFO or a device in
/// its place must neither block the run nor fill its memory.
fn read_text(file: &Path, limits: &Limits) -> Result<String, ConfigError> {
    let refused = |source: std::io::Error| ConfigError::Read {
        file: file.to_path_buf(),
        source,
    };
    let bytes = read_regular(file, limits.file_size).map_err(refused)?;
    String::from_utf8(bytes)
        .map_err(|error| refused(std::io::Error::new(std::io::ErrorKind::InvalidData, error)))
}

/// `palisade.toml` as written; [`Config::parse`] checks what serde cannot.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    policy: Vec<Spanned<RawPolicy>>,
    fail_on: Option<Spanned<String>>,
    download_modules: Option<bool>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    var_files: Vec<Spanned<String>>,
    #[serde(default)]
    parameter_files: Vec<Spanned<String>>,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, RawRule>,
    output: Option<RawOutput>,
}

impl RawConfig {
    /// The `[[policy]]` entries, and the settings of `palisade check`.
    fn split(self) -> (Vec<Spanned<RawPolicy>>, RawSettings) {
        let settings = RawSettings {
            fail_on: self.fail_on,
            download_modules: self.download_modules,
            exclude: self.exclude,
            var_files: self.var_files,
            parameter_files: self.parameter_files,
            rules: self.rules,
            output: self.output,
        };
        (self.policy, settings)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    path: Spanned<String>,
    sha256: Option<Spanned<Sha256>>,
    pins: Option<BTreeMap<String, Spanned<Sha256>>>,
}

/// One `[[policy]]` entry, checked against `text` (the whole file) and the entries
/// before it.
fn policy_entry(
    entry: Spanned<RawPolicy>,
    text: &str,
    before: &[PolicyEntry],
    invalid: &impl Fn(usize, String) -> ConfigError,
) -> Result<PolicyEntry, ConfigError> {
    let header = entry.span().start;
    let entry = entry.into_inner();
    let path = PathBuf::from(entry.path.get_ref());
    if path.as_os_str().is_empty() {
        return Err(invalid(
            entry.path.span().start,
            "`path` is empty: name a component file or a directory of them".to_owned(),
        ));
    }
    if let Some(first) = before.iter().find(|p| same_path(&p.path, &path)) {
        return Err(invalid(
            entry.path.span().start,
            format!(
                "`{}` is already listed on line {}: one entry per component",
                path.display(),
                first.position.line
            ),
        ));
    }
    let pinned = |digest: Spanned<Sha256>| Pinned {
        position: Position::from_offset(text, digest.span().start),
        sha256: digest.into_inner(),
    };
    let pin = match (entry.sha256, entry.pins) {
        (Some(digest), None) => Pin::File(pinned(digest)),
        (None, Some(pins)) => Pin::Directory(
            pins.into_iter()
                .map(|(name, digest)| (name, pinned(digest)))
                .collect(),
        ),
        (Some(_), Some(_)) => {
            return Err(invalid(
                header,
                format!(
                    "the entry for `{}` has both `sha256` (a file's pin) and \
                     `[policy.pins]` (a directory's); keep the one that fits",
                    path.display()
                ),
            ));
        }
        (None, None) => {
            return Err(invalid(
                header,
                format!(
                    "the entry for `{path}` has no `sha256` pin; \
                     `palisade policy add {path}` writes it",
                    path = path.display()
                ),
            ));
        }
    };
    if let Pin::Directory(pins) = &pin
        && let Some(name) = pins.keys().find(|name| !is_file_name(name))
    {
        return Err(invalid(
            header,
            format!(
                "`[policy.pins]` of `{}` names `{name}`: pins are the plain file \
                 names of the directory's components",
                path.display()
            ),
        ));
    }
    Ok(PolicyEntry {
        path,
        pin,
        position: Position::from_offset(text, header),
    })
}

/// Whether two paths as written name the same place (`./a/b.wasm` and `a/b.wasm`).
fn same_path(a: &Path, b: &Path) -> bool {
    fn parts(path: &Path) -> impl Iterator<Item = std::path::Component<'_>> {
        path.components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
    }
    parts(a).eq(parts(b))
}

/// A plain file name: no directory part, not `.` or `..`.
fn is_file_name(name: &str) -> bool {
    !matches!(name, "" | "." | "..") && !name.contains(['/', '\\'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("infra/palisade.toml"))
    }

    fn error(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    fn pin(seed: &str) -> Sha256 {
        Sha256::of(seed.as_bytes())
    }

    #[test]
    fn an_empty_file_runs_the_built_ins_only() {
        let config = parse("# nothing yet\n").unwrap();
        assert!(config.policies.is_empty());
        assert_eq!(config.dir(), Path::new("infra"));
        assert_eq!(
            Config::parse("", Path::new(FILE_NAME)).unwrap().dir(),
            Path::new("")
        );
    }

    #[test]
    fn files_and_directories_are_pinned_where_they_are_written() {
        let text = format!(
            "[[policy]]\npath = \"policies/tags.wasm\"\nsha256 = \"{}\"\n\n\
             [[policy]]\npath = \"team\"\n[policy.pins]\n\"a.wasm\" = \"{}\"\n",
            pin("tags"),
            pin("a").as_str().to_ascii_uppercase()
        );
        let config = parse(&text).unwrap();
        assert_eq!(
            config.policies,
            [
                PolicyEntry {
                    path: PathBuf::from("policies/tags.wasm"),
                    pin: Pin::File(Pinned {
                        sha256: pin("tags"),
                        position: Position::new(3, 10),
                    }),
                    position: Position::new(1, 1),
                },
                PolicyEntry {
                    path: PathBuf::from("team"),
                    pin: Pin::Directory(BTreeMap::from([(
                        "a.wasm".to_owned(),
                        Pinned {
                            sha256: pin("a"),
                            position: Position::new(8, 12),
                        }
                    )])),
                    position: Position::new(5, 1),
                },
            ]
        );
    }

    #[test]
    fn unknown_keys_are_errors_at_their_line_and_column() {
        let text = format!(
            "[[policy]]\npath = \"a.wasm\"\n  sha265 = \"{}\"\n",
            pin("a")
        );
        assert_eq!(
            error(&text),
            "infra/palisade.toml:3:3: unknown field `sha265`, expected one of `path`, \
             `sha256`, `pins`"
        );
        assert!(
            error("fail_on = \"high\"\nfail_of = \"low\"\n")
                .starts_with("infra/palisade.toml:2:1: unknown field `fail_of`"),
            "{}",
            error("fail_on = \"high\"\nfail_of = \"low\"\n")
        );
    }

    #[test]
    fn every_entry_needs_exactly_one_kind_of_pin() {
        assert_eq!(
            error("\n[[policy]]\npath = \"a.wasm\"\n"),
            "infra/palisade.toml:2:1: the entry for `a.wasm` has no `sha256` pin; \
             `palisade policy add a.wasm` writes it"
        );
        let both = format!(
            "[[policy]]\npath = \"a\"\nsha256 = \"{0}\"\npins = {{ \"b.wasm\" = \"{0}\" }}\n",
            pin("a")
        );
        assert!(
            error(&both).contains("has both `sha256`"),
            "{}",
            error(&both)
        );
        let nested = format!(
            "[[policy]]\npath = \"a\"\npins = {{ \"sub/b.wasm\" = \"{}\" }}\n",
            pin("a")
        );
        assert!(
            error(&nested).contains("names `sub/b.wasm`"),
            "{}",
            error(&nested)
        );
    }

    #[test]
    fn malformed_digests_and_paths_are_errors() {
        assert_eq!(
            error("[[policy]]\npath = \"a.wasm\"\nsha256 = \"9f2c\"\n"),
            "infra/palisade.toml:3:10: `9f2c` is not a SHA-256 digest: a pin is 64 \
             hexadecimal digits, as `sha256sum` prints them (`palisade policy add FILE` \
             writes it)"
        );
        let empty = format!("[[policy]]\npath = \"\"\nsha256 = \"{}\"\n", pin("a"));
        assert!(error(&empty).starts_with("infra/palisade.toml:2:8: `path` is empty"));
        let twice = format!(
            "[[policy]]\npath = \"a.wasm\"\nsha256 = \"{0}\"\n\
             [[policy]]\npath = \"./a.wasm\"\nsha256 = \"{0}\"\n",
            pin("a")
        );
        assert_eq!(
            error(&twice),
            "infra/palisade.toml:5:8: `./a.wasm` is already listed on line 1: one entry per \
             component"
        );
        assert!(error("[[policy]\n").starts_with("infra/palisade.toml:1:10: "));
    }

    #[test]
    fn an_explicit_file_must_exist() {
        let missing = Path::new("/nonexistent/palisade.toml");
        let error = Config::find(Some(missing), Path::new("."), &Limits::default()).unwrap_err();
        assert!(matches!(error, ConfigError::Read { .. }), "{error}");
        assert!(
            error
                .to_string()
                .starts_with("cannot read /nonexistent/palisade.toml: ")
        );
    }
}
