//! Terraform configurations: one module (the `.tf` and `.tf.json` files of a directory)
//! to one [`DocumentSet`].
//!
//! The pieces are kept apart so that an evaluator can grow here: [`hcl`] and [`json`] read
//! the two syntaxes, [`body`] walks block structure, [`value`] turns expressions into
//! values (literals only, for now), and [`spans`] locates syntax.

mod body;
mod hcl;
mod json;
mod spans;
mod value;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{LoadOptions, Outcome, source};
use crate::model::{DocumentSet, Format, LoadError, Resource};

/// Loads the module in `dir` from `files`; a file that cannot be read or parsed is
/// reported and the others still load.
pub fn load_module(dir: &Path, files: &[PathBuf], options: &LoadOptions) -> Outcome {
    let mut resources: Vec<Resource> = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        let text = match source::read_text(file, options.max_file_size) {
            Ok(text) => text,
            Err(error) => {
                errors.push(error);
                continue;
            }
        };
        let is_json = file.to_str().is_some_and(|name| name.ends_with(".json"));
        let (found, problems) = if is_json {
            json::resources(file, &text)
        } else {
            hcl::resources(file, &text)
        };
        resources.extend(found);
        errors.extend(problems);
    }
    errors.extend(remove_duplicates(&mut resources));
    Outcome {
        set: Some(DocumentSet {
            format: Format::Terraform,
            origin: dir.to_path_buf(),
            resources,
        }),
        errors,
        files: files.len(),
    }
}

/// Keeps the first definition of each address and reports the others, as Terraform does.
fn remove_duplicates(resources: &mut Vec<Resource>) -> Vec<LoadError> {
    let mut first: HashMap<String, (PathBuf, u32)> = HashMap::new();
    let mut errors = Vec::new();
    resources.retain(|resource| match first.get(&resource.address) {
        Some((file, line)) => {
            errors.push(LoadError {
                file: resource.file.clone(),
                position: resource.span.start,
                message: format!(
                    "duplicate resource `{}` (first defined at {}:{line})",
                    resource.address,
                    file.display()
                ),
            });
            false
        }
        None => {
            let origin = (resource.file.clone(), resource.span.start.line);
            first.insert(resource.address.clone(), origin);
            true
        }
    });
    errors
}

#[cfg(test)]
mod tests;
