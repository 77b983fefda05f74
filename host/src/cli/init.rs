//! `palisade init`: start a project's `palisade.toml`.
//!
//! The file written sets nothing: every setting is there, commented out, with what it
//! does, so that a project turns on what it needs by removing one `#`.

use std::io::Write;

use super::args::InitArgs;
use super::error::CliError;
use palisade_model::Verdict;

/// The file `palisade init` writes. A line that starts with `#` directly followed by a
/// key or a table header is a setting; `# ` starts an explanation.
pub const TEMPLATE: &str = r#"# palisade.toml: how `palisade check` checks this project.
#
# `palisade check PATH` uses the nearest palisade.toml at or above PATH, up to the
# repository's root; `--config FILE` names another. Paths and globs are relative to this
# file's directory. Options given on the command line win over the settings here. Remove
# the `#` before a setting to use it; an unknown key is an error.

# The lowest severity that fails a run (exit 1): info, low, medium, high or critical.
# Like --fail-on. [default: low]
#fail_on = "high"

# Globs of files and directories the directory walk skips (`*` stays within a directory,
# `**` crosses them). A file named on the command line is still checked.
#exclude = ["legacy/**", "**/*.test.tf"]

# Terraform variables files, as `terraform plan -var-file`; read before the command
# line's --var-file and --var, which override them.
#var_files = ["env/prod.tfvars"]

# ROS template parameters ({Key: Value}, or the `aliyun ros` list), in JSON or YAML;
# read before the command line's --parameters and --param.
#parameter_files = ["ros/params.json"]

# The reports of a run whose command line has no --format and no --output: text, json,
# sarif, junit or github, each to a `file` or, for one of them, to standard output.
#[output]
#formats = [{ format = "sarif", file = "palisade.sarif" }, { format = "text" }]

# One table per rule id (`palisade rules` lists them). `enabled = false` turns the rule
# off, as --skip-rule does (--rule still runs it); `severity` replaces the rule's.
#[rules.open-ssh]
#enabled = false
#[rules.unencrypted-disk]
#severity = "critical"

# Policy components to run besides the built-ins, each pinned to the SHA-256 digest of
# the build that was reviewed (as `sha256sum` prints it); a changed file is refused.
# `palisade policy add FILE` writes these entries. A directory of components pins each
# by file name in a `[policy.pins]` table instead of `sha256`.
#[[policy]]
#path = "policies/required_tags.wasm"
#sha256 = "0000000000000000000000000000000000000000000000000000000000000000"
"#;

/// Writes [`TEMPLATE`] to a new file; an existing file is left as it is.
pub(super) fn run_init(args: &InitArgs) -> Result<Verdict, CliError> {
    let file = &args.config;
    let created = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(file)
        .and_then(|mut out| out.write_all(TEMPLATE.as_bytes()));
    match created {
        Ok(()) => {
            eprintln!("wrote {}: every setting is commented out", file.display());
            Ok(Verdict::Pass)
        }
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(CliError::Refused(format!(
                "{} already exists; edit it, or remove it to start again",
                file.display()
            )))
        }
        Err(source) => Err(CliError::Write {
            file: file.clone(),
            source,
        }),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::Config;
    use palisade_model::Severity;

    /// The template with every setting turned on.
    fn uncommented() -> String {
        TEMPLATE
            .lines()
            .map(|line| match line.strip_prefix('#') {
                Some(setting) if setting.starts_with(|c: char| c.is_alphanumeric() || c == '[') => {
                    setting
                }
                _ => line,
            })
            .fold(String::new(), |text, line| text + line + "\n")
    }

    #[test]
    fn the_template_sets_nothing() {
        let config = Config::parse(TEMPLATE, Path::new("palisade.toml")).unwrap();
        assert_eq!(config.settings, Default::default());
        assert!(config.policies.is_empty());
    }

    #[test]
    fn every_setting_of_the_template_is_valid_once_uncommented() {
        let config = Config::parse(&uncommented(), Path::new("palisade.toml")).unwrap();
        let settings = &config.settings;
        assert_eq!(settings.fail_on, Some(Severity::High));
        assert_eq!(settings.exclude.len(), 2);
        assert_eq!(settings.var_files.len(), 1);
        assert_eq!(settings.parameter_files.len(), 1);
        assert_eq!(settings.formats.len(), 2);
        assert_eq!(settings.rules.len(), 2);
        assert_eq!(config.policies.len(), 1);
    }
}
