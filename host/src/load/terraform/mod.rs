//! Terraform configurations: one module (the `.tf` and `.tf.json` files of a directory)
//! to one [`DocumentSet`].
//!
//! The pieces are kept apart so that an evaluator can grow here: [`hcl`] and [`json`] read
//! the two syntaxes, [`body`] walks block structure, [`value`] turns expressions into
//! values (literals only, for now), and [`spans`] locates syntax.

pub mod eval;
mod hcl;
mod json;
mod spans;
mod value;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{LoadOptions, Outcome, source};
use crate::model::{DocumentSet, Format, LineIndex, LoadError, Resource};
use eval::module::{Module, Place, SourceFile};
use eval::variables;

/// Loads the module in `dir` from `files`; a file that cannot be read or parsed is
/// reported and the others still load.
pub fn load_module(dir: &Path, files: &[PathBuf], options: &LoadOptions) -> Outcome {
    let mut sources = Vec::new();
    let mut json_resources = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        let text = match source::read_text(file, options.max_file_size) {
            Ok(text) => text,
            Err(error) => {
                errors.push(error);
                continue;
            }
        };
        if file.to_str().is_some_and(|name| name.ends_with(".json")) {
            let (found, problems) = json::resources(file, &text);
            json_resources.extend(found);
            errors.extend(problems);
            continue;
        }
        match hcl::parse(file, &text) {
            Ok(body) => sources.push(SourceFile {
                path: file.clone(),
                lines: LineIndex::new(&text),
                text,
                body,
            }),
            Err(error) => errors.push(error),
        }
    }

    let mut declarations = Vec::new();
    for source in &sources {
        let (found, problems) = variables::declarations(&source.body, &source.path, &source.text);
        declarations.extend(found);
        errors.extend(problems);
    }
    let resolved = variables::values(
        &declarations,
        dir,
        &options.terraform,
        options.max_file_size,
    );
    errors.extend(resolved.errors);

    let scan_root = scan_root(dir);
    let place = Place {
        dir,
        root_dir: dir,
        scan_root: &scan_root,
    };
    let module = Module::new(place, String::new(), &sources, resolved.values);
    let (mut resources, problems) = module.finish();
    errors.extend(problems);
    resources.extend(json_resources);
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

/// The directory file functions may read under: the working directory when the module
/// is inside it (the tree the user asked to scan), else the module's own directory.
fn scan_root(dir: &Path) -> PathBuf {
    let absolute = |path: &Path| std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let module = absolute(dir);
    match std::env::current_dir().map(|cwd| absolute(&cwd)) {
        Ok(cwd) if module.starts_with(&cwd) => cwd,
        _ => module,
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
