//! The settings `palisade.toml` gives `palisade check`: the defaults of its options, so
//! that a project states once how it is checked and every run (a developer's, the
//! pre-commit hook's, CI's) agrees.
//!
//! ```toml
//! fail_on = "high"                        # like --fail-on; the command line wins
//! download_modules = true                 # like --download-modules
//! exclude = ["legacy/**", "**/*.test.tf"] # globs the directory walk skips
//! var_files = ["env/prod.tfvars"]         # like --var-file, before the command line's
//! parameter_files = ["ros/params.json"]   # like --parameters, before the command line's
//!
//! [rules.open-ssh]
//! enabled = false                         # like --skip-rule
//! [rules.unencrypted-disk]
//! severity = "critical"                   # the rule's findings get this severity
//!
//! [output]                                # used when there is no --format or --output
//! formats = [{ format = "sarif", file = "palisade.sarif" }, { format = "text" }]
//! ```
//!
//! Paths and globs are relative to the directory of `palisade.toml`, and paths must lead
//! to files inside its repository, links followed ([`super::inside`]). Each value is
//! checked here, where its position in the file is known, so a mistake is reported at
//! its line rather than when it is used.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use globset::{Glob, GlobBuilder};
use serde::Deserialize;
use toml::Spanned;

use super::ConfigError;
use super::inside::{is_inside, repository_root};
use palisade_model::OutputFormat;
use palisade_model::{Position, Severity};

/// What `palisade.toml` sets for `palisade check`, besides the policy components.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Settings {
    /// `fail_on`: the `--fail-on` severity when the command line gives none.
    pub fail_on: Option<Severity>,
    /// `download_modules`: fetch registry, git and archive modules `terraform init` has
    /// not installed, unless the command line says `--no-download-modules`.
    pub download_modules: bool,
    /// `exclude`: globs over paths relative to the configuration's directory; the
    /// directory walk skips the files and directories they match.
    pub exclude: Vec<Glob>,
    /// `var_files`, resolved against the configuration's directory.
    pub var_files: Vec<PathBuf>,
    /// `parameter_files`, resolved against the configuration's directory.
    pub parameter_files: Vec<PathBuf>,
    /// `[rules.ID]` tables, by rule id.
    pub rules: BTreeMap<String, RuleSettings>,
    /// `[output] formats`: the reports of a run whose command line asks for none.
    pub formats: Vec<FormatSetting>,
}

/// One `[rules.ID]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSettings {
    /// `enabled = false` turns the rule off, as `--skip-rule` does.
    pub enabled: bool,
    /// `severity`: replaces the rule's own severity and its findings'.
    pub severity: Option<Severity>,
    /// Where the rule id is written, for an id no loaded policy declares.
    pub position: Position,
}

/// One report of `[output] formats`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatSetting {
    pub format: OutputFormat,
    /// Resolved against the configuration's directory; `None` for standard output.
    pub file: Option<PathBuf>,
}

/// The settings' keys as written; [`Settings::check`] turns them into [`Settings`].
pub(super) struct RawSettings {
    pub fail_on: Option<Spanned<String>>,
    pub download_modules: Option<bool>,
    pub exclude: Vec<Spanned<String>>,
    pub var_files: Vec<Spanned<String>>,
    pub parameter_files: Vec<Spanned<String>>,
    pub rules: BTreeMap<Spanned<String>, RawRule>,
    pub output: Option<RawOutput>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRule {
    enabled: Option<bool>,
    severity: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawOutput {
    #[serde(default)]
    formats: Vec<Spanned<RawFormat>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFormat {
    format: Spanned<String>,
    file: Option<Spanned<String>>,
}

impl Settings {
    /// Checks `raw`, read from `text`, a file in `dir`; `invalid` makes an error at a byte
    /// offset of `text`.
    pub(super) fn check(
        raw: RawSettings,
        text: &str,
        dir: &Path,
        invalid: &impl Fn(usize, String) -> ConfigError,
    ) -> Result<Settings, ConfigError> {
        let root = repository_root(dir);
        let path = |value: &Spanned<String>| -> Result<PathBuf, ConfigError> {
            match value.get_ref().as_str() {
                "" => Err(invalid(value.span().start, "the path is empty".to_owned())),
                written if !is_inside(&dir.join(written), &root) => Err(invalid(
                    value.span().start,
                    format!(
                        "`{written}` leads outside the repository that holds this file; \
                         name a file inside it (files given on the command line, such \
                         as --var-file and --parameters, may be anywhere)"
                    ),
                )),
                written => Ok(dir.join(written)),
            }
        };
        let paths = |values: &[Spanned<String>]| -> Result<Vec<PathBuf>, ConfigError> {
            values.iter().map(path).collect()
        };
        let mut rules = BTreeMap::new();
        for (id, rule) in raw.rules {
            let severity = rule.severity.as_ref().map(|s| severity(s, invalid));
            let settings = RuleSettings {
                enabled: rule.enabled.unwrap_or(true),
                severity: severity.transpose()?,
                position: Position::from_offset(text, id.span().start),
            };
            rules.insert(id.into_inner(), settings);
        }
        Ok(Settings {
            fail_on: raw
                .fail_on
                .as_ref()
                .map(|s| severity(s, invalid))
                .transpose()?,
            download_modules: raw.download_modules.unwrap_or(false),
            exclude: raw
                .exclude
                .iter()
                .map(|glob| exclude_glob(glob, invalid))
                .collect::<Result<_, _>>()?,
            var_files: paths(&raw.var_files)?,
            parameter_files: paths(&raw.parameter_files)?,
            rules,
            formats: match raw.output {
                Some(output) => formats(output.formats, &path, invalid)?,
                None => Vec::new(),
            },
        })
    }

    /// The ids of the rules `[rules]` turns off.
    pub fn disabled_rules(&self) -> impl Iterator<Item = &str> {
        self.rules
            .iter()
            .filter(|(_, rule)| !rule.enabled)
            .map(|(id, _)| id.as_str())
    }

    /// The severities `[rules]` sets, by rule id.
    pub fn severities(&self) -> BTreeMap<String, Severity> {
        self.rules
            .iter()
            .filter_map(|(id, rule)| Some((id.clone(), rule.severity?)))
            .collect()
    }
}

fn severity(
    value: &Spanned<String>,
    invalid: &impl Fn(usize, String) -> ConfigError,
) -> Result<Severity, ConfigError> {
    Severity::from_str(value.get_ref(), false).map_err(|_| {
        invalid(
            value.span().start,
            format!(
                "`{}` is not a severity: one of {}",
                value.get_ref(),
                names::<Severity>()
            ),
        )
    })
}

/// An `exclude` glob: `*` and `?` stay within one path component, `**` crosses them.
fn exclude_glob(
    value: &Spanned<String>,
    invalid: &impl Fn(usize, String) -> ConfigError,
) -> Result<Glob, ConfigError> {
    let written = value.get_ref().trim_start_matches("./");
    if written.is_empty() {
        return Err(invalid(value.span().start, "the glob is empty".to_owned()));
    }
    GlobBuilder::new(written)
        .literal_separator(true)
        .build()
        .map_err(|error| {
            invalid(
                value.span().start,
                format!("`{}` is not a glob: {}", value.get_ref(), error.kind()),
            )
        })
}

fn formats(
    raw: Vec<Spanned<RawFormat>>,
    path: &impl Fn(&Spanned<String>) -> Result<PathBuf, ConfigError>,
    invalid: &impl Fn(usize, String) -> ConfigError,
) -> Result<Vec<FormatSetting>, ConfigError> {
    let mut formats: Vec<FormatSetting> = Vec::with_capacity(raw.len());
    for entry in raw {
        let start = entry.span().start;
        let entry = entry.into_inner();
        let format = OutputFormat::from_str(entry.format.get_ref(), false).map_err(|_| {
            invalid(
                entry.format.span().start,
                format!(
                    "`{}` is not a report format: one of {}",
                    entry.format.get_ref(),
                    names::<OutputFormat>()
                ),
            )
        })?;
        let file = entry.file.as_ref().map(path).transpose()?;
        if file.is_none() && formats.iter().any(|f| f.file.is_none()) {
            return Err(invalid(
                start,
                "only one format can go to standard output; give the others a `file`".to_owned(),
            ));
        }
        formats.push(FormatSetting { format, file });
    }
    Ok(formats)
}

/// The names of an option's values, as the command line spells them.
fn names<T: ValueEnum>() -> String {
    T::value_variants()
        .iter()
        .filter_map(|value| value.to_possible_value())
        .map(|value| value.get_name().to_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn parse(text: &str) -> Result<Settings, String> {
        Config::parse(text, Path::new("infra/palisade.toml"))
            .map(|config| config.settings)
            .map_err(|error| error.to_string())
    }

    #[test]
    fn every_key_is_read_and_paths_start_at_the_file() {
        let settings = parse(
            "fail_on = \"high\"\n\
             exclude = [\"legacy/**\", \"./**/*.test.tf\"]\n\
             var_files = [\"env/prod.tfvars\"]\n\
             parameter_files = [\"ros/params.json\"]\n\
             [rules.open-ssh]\nenabled = false\n\
             [rules.unencrypted-disk]\nseverity = \"critical\"\n\
             [output]\nformats = [{ format = \"sarif\", file = \"out.sarif\" }, { format = \"text\" }]\n",
        )
        .unwrap();
        assert_eq!(settings.fail_on, Some(Severity::High));
        let globs: Vec<&str> = settings.exclude.iter().map(Glob::glob).collect();
        assert_eq!(globs, ["legacy/**", "**/*.test.tf"]);
        assert_eq!(settings.var_files, [Path::new("infra/env/prod.tfvars")]);
        assert_eq!(
            settings.parameter_files,
            [Path::new("infra/ros/params.json")]
        );
        assert_eq!(
            settings.rules["open-ssh"],
            RuleSettings {
                enabled: false,
                severity: None,
                position: Position::new(5, 8),
            }
        );
        assert_eq!(
            settings.rules["unencrypted-disk"].severity,
            Some(Severity::Critical)
        );
        assert_eq!(settings.disabled_rules().collect::<Vec<_>>(), ["open-ssh"]);
        assert_eq!(
            settings.formats,
            [
                FormatSetting {
                    format: OutputFormat::Sarif,
                    file: Some(PathBuf::from("infra/out.sarif")),
                },
                FormatSetting {
                    format: OutputFormat::Text,
                    file: None,
                },
            ]
        );
    }

    #[test]
    fn no_key_changes_nothing() {
        assert_eq!(parse(""), Ok(Settings::default()));
    }

    #[test]
    fn bad_values_are_errors_at_their_position() {
        assert_eq!(
            parse("fail_on = \"urgent\"\n").unwrap_err(),
            "infra/palisade.toml:1:11: `urgent` is not a severity: one of info, low, medium, \
             high, critical"
        );
        assert_eq!(
            parse("\n[rules.open-ssh]\nseverity = \"hihg\"\n")
                .unwrap_err()
                .split(": `")
                .next(),
            Some("infra/palisade.toml:3:12")
        );
        assert_eq!(
            parse("[rules.open-ssh]\nenabled = false\nseverity = \"low\"\nenable = true\n")
                .unwrap_err(),
            "infra/palisade.toml:4:1: unknown field `enable`, expected `enabled` or `severity`"
        );
        assert!(
            parse("exclude = [\"a/**\", \"b/[\"]\n")
                .unwrap_err()
                .starts_with("infra/palisade.toml:1:20: `b/[` is not a glob: ")
        );
        assert_eq!(
            parse("var_files = [\"\"]\n").unwrap_err(),
            "infra/palisade.toml:1:14: the path is empty"
        );
        assert!(
            parse("[output]\nformats = [{ format = \"html\" }]\n")
                .unwrap_err()
                .starts_with(
                    "infra/palisade.toml:2:23: `html` is not a report format: one of text, json"
                )
        );
        assert_eq!(
            parse("[output]\nformats = [{ format = \"json\" }, { format = \"text\" }]\n")
                .unwrap_err(),
            "infra/palisade.toml:2:33: only one format can go to standard output; give the \
             others a `file`"
        );
        assert!(
            parse("[output]\nformats = [{ format = \"json\", path = \"a\" }]\n")
                .unwrap_err()
                .starts_with("infra/palisade.toml:2:31: unknown field `path`")
        );
    }
}
