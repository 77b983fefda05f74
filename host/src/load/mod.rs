//! Loading: from the paths a user gives to [`DocumentSet`]s of resources.
//!
//! Discovery ([`discover`]) decides which files are candidates and groups Terraform files
//! by directory; each group or document is then loaded on its own, in parallel, by the
//! loader for its format ([`terraform`]; [`document`] sniffs JSON and YAML files and hands
//! ROS templates to [`ros`] and plans to [`plan`]). Every problem with an input becomes a
//! [`LoadError`] with a position; nothing a file contains can stop the other files from
//! loading.

mod discover;
mod document;
mod json;
mod plan;
mod ros;
mod source;
mod terraform;
mod tree;
mod yaml;

use std::path::PathBuf;

use rayon::prelude::*;

use crate::model::{DocumentSet, Format, LoadError};

use discover::Unit;

pub use discover::Exclude;

pub(crate) use document::parse as parse_template;
pub use plan::PlanScope;
pub use ros::eval::{RosInput, RosInputs};
pub use terraform::eval::variables::{CliInput, Inputs as TerraformInputs};
pub(crate) use tree::{Entry, Node, NodeValue};

/// What the user gave the loaders: limits that protect them from inputs too large to be
/// templates, and values for the templates' inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadOptions {
    /// Files larger than this many bytes are reported instead of read.
    pub max_file_size: u64,
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
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            max_file_size: 32 * 1024 * 1024,
            terraform: TerraformInputs::default(),
            ros: RosInputs::default(),
            plan_scope: PlanScope::default(),
            plan_source: None,
            skip_non_templates: false,
            exclude: Exclude::default(),
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
    /// How many template files were read, for the summary line.
    pub files: usize,
}

/// What loading one unit of discovery produced.
#[derive(Debug, Default)]
struct UnitLoad {
    set: Option<DocumentSet>,
    errors: Vec<LoadError>,
    files: usize,
}

/// Discovers the templates under `paths` (files or directories, used as given) and loads
/// them all.
pub fn load_paths(paths: &[PathBuf], options: &LoadOptions) -> Loaded {
    let mut discovery = discover::discover(paths, &options.exclude);
    if options.skip_non_templates {
        for unit in &mut discovery.units {
            if let Unit::Document { explicit, .. } = unit {
                *explicit = false;
            }
        }
    }
    let (modules, documents): (Vec<&Unit>, Vec<&Unit>) = discovery
        .units
        .iter()
        .partition(|unit| matches!(unit, Unit::TerraformModule { .. }));
    let mut outcomes = terraform_roots(&modules, paths, options);
    outcomes.extend(
        documents
            .par_iter()
            .map(|unit| load_unit(unit, options))
            .collect::<Vec<_>>(),
    );
    for outcome in &mut outcomes {
        if let Some(set) = outcome.set.as_mut().filter(|s| s.format == Format::Plan) {
            plan::source::map(set, options);
        }
    }

    let mut loaded = Loaded {
        errors: discovery.errors,
        ..Loaded::default()
    };
    for outcome in outcomes {
        loaded.sets.extend(outcome.set);
        loaded.errors.extend(outcome.errors);
        loaded.files += outcome.files;
    }
    loaded.sets.sort_by(|a, b| a.origin.cmp(&b.origin));
    loaded
        .errors
        .sort_by(|a, b| (&a.file, a.position, &a.message).cmp(&(&b.file, b.position, &b.message)));
    // A module called from several roots reports its own problems once.
    loaded.errors.dedup();
    loaded
}

/// Parses every Terraform module directory of `modules`, then evaluates the roots: a
/// directory that another one calls is evaluated through that call, with its inputs.
fn terraform_roots(modules: &[&Unit], paths: &[PathBuf], options: &LoadOptions) -> Vec<UnitLoad> {
    let parsed: Vec<terraform::ModuleFiles> = modules
        .par_iter()
        .filter_map(|unit| match unit {
            Unit::TerraformModule { dir, files } => {
                Some(terraform::parse_module(dir, files, options))
            }
            Unit::Document { .. } => None,
        })
        .collect();
    let library: terraform::Library<'_> = parsed
        .iter()
        .map(|module| (terraform::normalize(&module.dir), module))
        .collect();
    let called: std::collections::HashSet<PathBuf> = parsed
        .iter()
        .flat_map(|module| {
            let own = terraform::normalize(&module.dir);
            module
                .local_calls()
                .into_iter()
                .filter(move |dir| *dir != own)
        })
        .collect();
    parsed
        .par_iter()
        .filter(|module| !called.contains(&terraform::normalize(&module.dir)))
        .map(|module| {
            let scan_root = terraform::scan_root(&module.dir, paths);
            terraform::evaluate_root(module, &library, options, &scan_root)
        })
        .collect()
}

/// The resources of the Terraform configuration under `dir`, evaluated as `load_paths`
/// would; their problems are left out (the caller only borrows their positions).
fn terraform_resources(
    dir: &std::path::Path,
    options: &LoadOptions,
) -> Vec<crate::model::Resource> {
    let roots = [dir.to_path_buf()];
    let discovery = discover::discover(&roots, &options.exclude);
    let modules: Vec<&Unit> = discovery
        .units
        .iter()
        .filter(|unit| matches!(unit, Unit::TerraformModule { .. }))
        .collect();
    terraform_roots(&modules, &roots, options)
        .into_iter()
        .filter_map(|outcome| outcome.set)
        .flat_map(|set| set.resources)
        .collect()
}

fn load_unit(unit: &Unit, options: &LoadOptions) -> UnitLoad {
    match unit {
        Unit::TerraformModule { dir, files } => {
            let module = terraform::parse_module(dir, files, options);
            let scan_root = terraform::scan_root(dir, &[]);
            terraform::evaluate_root(&module, &terraform::Library::new(), options, &scan_root)
        }
        Unit::Document { file, explicit } => document::load_document(file, *explicit, options),
    }
}

#[cfg(test)]
mod tests;
