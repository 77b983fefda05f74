//! Plan findings where users edit: when the Terraform configuration a plan was made from
//! is at hand, each planned resource takes the positions of its `resource` block, so that
//! a finding points at the `.tf` line (through module calls) rather than into the plan.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use palisade_model::{DocumentSet, Resource};
use palisade_plan::without_indexes;

use crate::{Loaders, terraform_resources};

/// Gives the resources of the plan `set` the positions of their configuration: the one in
/// `--source`, else the plan's own directory when it holds Terraform files. A resource
/// the configuration does not show keeps its positions in the plan.
pub fn map(set: &mut DocumentSet, loaders: &Loaders<'_>) {
    let Some(dir) = source_dir(&set.origin, loaders.options.plan_source.as_deref()) else {
        return;
    };
    let configuration = terraform_resources(&dir, loaders);
    let by_address: HashMap<&str, &Resource> = configuration
        .iter()
        .map(|resource| (resource.address.as_str(), resource))
        .collect();
    // An instance the evaluation could not expand (`count` known only after apply) is
    // still written in its block.
    let mut by_block: HashMap<String, &Resource> = HashMap::new();
    for resource in &configuration {
        by_block
            .entry(without_indexes(&resource.address))
            .or_insert(resource);
    }
    for resource in &mut set.resources {
        let source = by_address
            .get(resource.address.as_str())
            .or_else(|| by_block.get(&without_indexes(&resource.address)));
        if let Some(source) = source {
            resource.file = source.file.clone();
            resource.span = source.span;
            resource.spans = source.spans.clone();
        }
    }
}

/// Where the configuration of the plan at `plan` is, if anywhere.
fn source_dir(plan: &Path, given: Option<&Path>) -> Option<PathBuf> {
    if let Some(dir) = given {
        return Some(dir.to_path_buf());
    }
    let dir = match plan.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let has_terraform = std::fs::read_dir(dir).ok()?.flatten().any(|entry| {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        name.ends_with(".tf") || name.ends_with(".tf.json")
    });
    has_terraform.then(|| dir.to_path_buf())
}
