//! Loading: from the paths a user gives to [`DocumentSet`]s of resources.
//!
//! Discovery decides which files are candidates and groups Terraform files by directory;
//! each group or document is then loaded on its own, in parallel, by the crate for its
//! format: `palisade-terraform` for module directories, and for JSON and YAML files, once
//! sniffed as templates, `palisade-ros` or `palisade-plan`. A plan takes the positions of
//! the configuration it was made from when that is at hand. Every problem with an input
//! becomes a [`LoadError`] with a position; nothing a file contains can stop the other
//! files from loading.

mod discover;
mod document;
mod plan_source;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use discover::Unit;
use palisade_model::{DocumentSet, Format, Limits, LoadError};

pub use discover::Exclude;
pub use document::parse as parse_template;
pub use palisade_plan::PlanScope;
pub use palisade_ros::{RosInput, RosInputs};
pub use palisade_syntax::{Entry, Node, NodeValue};
pub use palisade_terraform::modules::{
    Downloader, Settings as ModuleSettings, default_cache as default_module_cache,
};
pub use palisade_terraform::{CliInput, Inputs as TerraformInputs};

/// What the user gave the loaders: limits that protect them from inputs too large to be
/// templates, and values for the templates' inputs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadOptions {
    /// What loading may spend: file sizes, instances, value sizes, depth.
    pub limits: Limits,
    /// Terraform input variables from `--var-file`, `--var` and `TF_VAR_*`.
    pub terraform: TerraformInputs,
    /// ROS template parameters from `--parameters` and `--param`.
    pub ros: RosInputs,
    /// Which resource changes of a Terraform plan are checked (`--plan-scope`).
    pub plan_scope: PlanScope,
    /// The Terraform configuration a plan was made from (`--source`); by default the
    /// plan's own directory when it holds `.tf` files.
    pub plan_source: Option<PathBuf>,
    /// A JSON or YAML file named on the command line that is not a template is skipped,
    /// as one found in a directory is, instead of being an error: a pre-commit hook
    /// names every changed file that might be a template.
    pub skip_non_templates: bool,
    /// What the directory walk skips (`exclude` in `palisade.toml`).
    pub exclude: Exclude,
    /// Fetch the registry, git and archive modules that `terraform init` has not
    /// installed, into this cache and within these bounds (`--download-modules`).
    pub download_modules: Option<ModuleSettings>,
}

/// The options each format loader takes, made once per run from [`LoadOptions`].
struct Loaders<'a> {
    options: &'a LoadOptions,
    terraform: palisade_terraform::Options,
    ros: palisade_ros::Options,
}

impl<'a> Loaders<'a> {
    fn new(options: &'a LoadOptions) -> Self {
        let downloads = options
            .download_modules
            .clone()
            .map(|settings| Arc::new(Downloader::new(settings)));
        Self {
            options,
            terraform: palisade_terraform::Options {
                limits: options.limits,
                inputs: options.terraform.clone(),
                downloads: downloads.clone(),
            },
            ros: palisade_ros::Options {
                limits: options.limits,
                parameters: options.ros.clone(),
                downloads,
            },
        }
    }
}

/// Everything the loader found, in a deterministic order whatever the thread scheduling.
#[derive(Debug, Default)]
pub struct Loaded {
    /// One set per Terraform module directory or ROS template, sorted by origin.
    pub sets: Vec<DocumentSet>,
    /// Sorted by file, line and column.
    pub errors: Vec<LoadError>,
    /// What valid templates leave unchecked (a ROS stack whose template is elsewhere),
    /// sorted likewise: said, without failing the check.
    pub warnings: Vec<LoadError>,
    /// How many template files were read, for the summary line.
    pub files: usize,
}

/// What loading one unit of discovery produced.
#[derive(Debug, Default)]
struct UnitLoad {
    set: Option<DocumentSet>,
    errors: Vec<LoadError>,
    warnings: Vec<LoadError>,
    files: usize,
    /// Errors of the unit's document found past the first [`MAX_ERRORS_PER_FILE`], which
    /// its loader only counted.
    unreported: usize,
}

/// The most errors reported for one file: past them, an input (ten million broken
/// resource changes) would make a report larger than itself, and nobody reads the
/// hundred-and-first. The rest is one error, "... and N more like this".
const MAX_ERRORS_PER_FILE: usize = 100;

impl From<palisade_terraform::RootLoad> for UnitLoad {
    fn from(root: palisade_terraform::RootLoad) -> Self {
        Self {
            set: Some(root.set),
            errors: root.errors,
            warnings: Vec::new(),
            files: root.files,
            unreported: 0,
        }
    }
}

/// Discovers the templates under `paths` (files or directories, used as given) and loads
/// them all.
pub fn load_paths(paths: &[PathBuf], options: &LoadOptions) -> Loaded {
    let loaders = Loaders::new(options);
    let mut discovery = discover::discover(paths, &options.exclude);
    if options.skip_non_templates {
        for unit in &mut discovery.units {
            if let Unit::Document { explicit, .. } = unit {
                *explicit = false;
            }
        }
    }
    let mut outcomes: Vec<UnitLoad> = terraform_roots(&discovery.units, paths, &loaders)
        .into_iter()
        .map(UnitLoad::from)
        .collect();
    outcomes.extend(
        discovery
            .units
            .par_iter()
            .filter_map(|unit| match unit {
                Unit::Document { file, explicit } => {
                    Some(document::load_document(file, *explicit, &loaders))
                }
                Unit::TerraformModule { .. } => None,
            })
            .collect::<Vec<_>>(),
    );
    for outcome in &mut outcomes {
        if let Some(set) = outcome.set.as_mut().filter(|s| s.format == Format::Plan) {
            plan_source::map(set, &loaders);
        }
    }

    let mut loaded = Loaded {
        errors: discovery.errors,
        ..Loaded::default()
    };
    let mut unreported = BTreeMap::new();
    for outcome in outcomes {
        if let Some(set) = outcome.set.as_ref().filter(|_| outcome.unreported > 0) {
            unreported.insert(set.origin.clone(), outcome.unreported);
        }
        loaded.sets.extend(outcome.set);
        loaded.errors.extend(outcome.errors);
        loaded.warnings.extend(outcome.warnings);
        loaded.files += outcome.files;
    }
    loaded.sets.sort_by(|a, b| a.origin.cmp(&b.origin));
    loaded
        .errors
        .sort_by(|a, b| (&a.file, a.position, &a.message).cmp(&(&b.file, b.position, &b.message)));
    loaded
        .warnings
        .sort_by(|a, b| (&a.file, a.position, &a.message).cmp(&(&b.file, b.position, &b.message)));
    // A module called from several roots reports its own problems once.
    loaded.errors.dedup();
    loaded.errors = cap_errors(std::mem::take(&mut loaded.errors), &unreported);
    loaded
}

/// The first [`MAX_ERRORS_PER_FILE`] of each file's `errors` (sorted by file), then, when
/// there were more or its loader left some `unreported`, one error saying how many.
fn cap_errors(errors: Vec<LoadError>, unreported: &BTreeMap<PathBuf, usize>) -> Vec<LoadError> {
    let mut capped = Vec::with_capacity(errors.len().min(MAX_ERRORS_PER_FILE));
    let mut errors = errors.into_iter().peekable();
    while let Some(first) = errors.next() {
        let file = first.file.clone();
        let kept_from = capped.len();
        capped.push(first);
        let mut more = unreported.get(&file).copied().unwrap_or(0);
        let mut first_dropped = None;
        while let Some(error) = errors.next_if(|error| error.file == file) {
            if capped.len() - kept_from < MAX_ERRORS_PER_FILE {
                capped.push(error);
            } else {
                first_dropped.get_or_insert(error.position);
                more += 1;
            }
        }
        if more > 0 {
            let last = capped
                .last()
                .map(|error| error.position)
                .unwrap_or_default();
            capped.push(LoadError {
                file,
                position: first_dropped.unwrap_or(last),
                message: format!("... and {more} more like this"),
            });
        }
    }
    capped
}

/// Evaluates the Terraform root modules among `units`.
fn terraform_roots(
    units: &[Unit],
    paths: &[PathBuf],
    loaders: &Loaders<'_>,
) -> Vec<palisade_terraform::RootLoad> {
    let modules: Vec<(&Path, &[PathBuf])> = units
        .iter()
        .filter_map(|unit| match unit {
            Unit::TerraformModule { dir, files } => Some((dir.as_path(), files.as_slice())),
            Unit::Document { .. } => None,
        })
        .collect();
    palisade_terraform::evaluate_roots(&modules, paths, &loaders.terraform)
}

/// The resources of the Terraform configuration under `dir`, evaluated as `load_paths`
/// would; their problems are left out (the caller only borrows their positions).
fn terraform_resources(dir: &Path, loaders: &Loaders<'_>) -> Vec<palisade_model::Resource> {
    let roots = [dir.to_path_buf()];
    let discovery = discover::discover(&roots, &loaders.options.exclude);
    terraform_roots(&discovery.units, &roots, loaders)
        .into_iter()
        .flat_map(|root| root.set.resources)
        .collect()
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod plan_corpus;
