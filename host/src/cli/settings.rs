//! What `palisade.toml` changes in `palisade check`: its settings fill in what the
//! command line leaves out, and the command line wins wherever both speak.
//!
//! `fail_on` counts when there is no `--fail-on`; `var_files` and `parameter_files` come
//! before the command line's files and values, which therefore override them; `[output]`
//! counts when there is no `--format` and no `--output`; a rule turned off stays off
//! unless `--rule` names it.

use std::iter::repeat_n;

use super::InputOrder;
use super::args::CheckArgs;
use crate::config::Config;
use crate::load::Exclude;

/// `args` and their `order` with the settings of `config` merged in.
pub(super) fn merge(config: &Config, args: &mut CheckArgs, order: &InputOrder) -> InputOrder {
    let settings = &config.settings;
    args.fail_on = args.fail_on.or(settings.fail_on);

    let mut terraform = order.terraform.clone();
    args.var_files
        .splice(0..0, settings.var_files.iter().cloned());
    terraform.splice(0..0, repeat_n(true, settings.var_files.len()));

    let mut ros = order.ros.clone();
    args.parameter_files
        .splice(0..0, settings.parameter_files.iter().cloned());
    ros.splice(0..0, repeat_n(true, settings.parameter_files.len()));

    let mut reports = order.reports.clone();
    if args.formats.is_empty() && args.outputs.is_empty() {
        for report in &settings.formats {
            args.formats.push(report.format);
            reports.push(true);
            if let Some(file) = &report.file {
                args.outputs.push(file.clone());
                reports.push(false);
            }
        }
    }

    let disabled = settings
        .disabled_rules()
        .filter(|id| !args.rules.iter().any(|named| named == id))
        .map(str::to_owned)
        .collect::<Vec<_>>();
    args.skip_rules.extend(disabled);

    InputOrder {
        terraform,
        ros,
        reports,
    }
}

/// The paths the directory walk skips under `config`'s `exclude`.
pub(super) fn exclude(config: Option<&Config>) -> Exclude {
    config.map_or_else(Exclude::default, |config| Exclude {
        base: config.dir().to_path_buf(),
        globs: config.settings.exclude.clone(),
    })
}
