//! JSON and YAML files: telling templates from the unrelated JSON and YAML every
//! repository is full of (package manifests, CI configuration, Helm charts that are not
//! even valid YAML), then handing templates to their loader.
//!
//! A file is a ROS template if it has a top-level `ROSTemplateFormatVersion`, and a
//! Terraform plan if it has `format_version` and `planned_values` or `resource_changes`.
//! The content is sniffed as bytes first, so that an unrelated file is skipped without
//! being parsed, and without complaint even when it is huge, binary or invalid; a file that
//! looks like a template but does not parse is reported.

use std::path::Path;
use std::sync::Arc;

use palisade_model::{DocumentSet, Format, LineIndex, LoadError, Resource};
use palisade_plan as plan;
use palisade_syntax::source::{self, ReadError};
use palisade_syntax::{Node, json, yaml};

use crate::{Loaders, MAX_ERRORS_PER_FILE, UnitLoad};

/// What a file's bytes suggest it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Looks {
    Ros,
    Plan,
    Unrelated,
}

fn sniff(bytes: &[u8]) -> Looks {
    if source::contains(bytes, b"ROSTemplateFormatVersion") {
        Looks::Ros
    } else if source::contains(bytes, b"\"format_version\"")
        && (source::contains(bytes, b"\"planned_values\"")
            || source::contains(bytes, b"\"resource_changes\""))
    {
        Looks::Plan
    } else {
        Looks::Unrelated
    }
}

/// Loads `file` if it is a template. An `explicit` file (named by the user) that is not
/// one is an error; a discovered one is skipped silently.
pub fn load_document(file: &Path, explicit: bool, loaders: &Loaders<'_>) -> UnitLoad {
    let bytes = match source::read_bytes(file, loaders.options.limits.file_size) {
        Ok(bytes) => bytes,
        Err(ReadError::TooLarge { ref prefix, .. })
            if plan::is_binary_plan(file, prefix, explicit) =>
        {
            return failed(plan::binary_plan_error(file));
        }
        Err(ReadError::TooLarge { ref prefix, .. })
            if !explicit && sniff(prefix) == Looks::Unrelated =>
        {
            return not_a_template(file, explicit);
        }
        Err(error) => return failed(error.into_load_error(file)),
    };
    if plan::is_binary_plan(file, &bytes, explicit) {
        return failed(plan::binary_plan_error(file));
    }
    let looks = sniff(&bytes);
    if looks == Looks::Unrelated {
        return not_a_template(file, explicit);
    }
    match source::decode(file, bytes) {
        Ok(text) if looks == Looks::Ros => load_ros(file, &text, explicit, loaders),
        Ok(text) => load_plan(file, text, explicit, loaders),
        Err(error) => failed(error),
    }
}

/// A file that reads like a ROS template.
fn load_ros(file: &Path, text: &str, explicit: bool, loaders: &Loaders<'_>) -> UnitLoad {
    let root = match parse(file, text) {
        Ok(Some(root)) if root.get("ROSTemplateFormatVersion").is_some() => root,
        Ok(_) => return not_a_template(file, explicit),
        Err(error) => return failed(error),
    };
    let load = palisade_ros::load(&root, text, file, &loaders.ros);
    UnitLoad {
        warnings: load.warnings,
        ..loaded(Format::Ros, file, load.resources, load.errors)
    }
}

/// A JSON file that may be a Terraform plan.
fn load_plan(file: &Path, text: String, explicit: bool, loaders: &Loaders<'_>) -> UnitLoad {
    // A plan's top level is read while its line index is built and the parts of it
    // likely to be needed are read: each takes a pass over the text.
    let (parts, (lines, early)) = rayon::join(
        || json::top_level(&text),
        || rayon::join(|| LineIndex::new(&text), || plan::Early::read(&text)),
    );
    match parts {
        Some(parts) if plan::is_plan(&parts) => {
            let options = plan::Options {
                scope: loaders.options.plan_scope,
                limits: loaders.options.limits,
                max_errors: MAX_ERRORS_PER_FILE,
            };
            let text = Arc::new(plan::PlanText { text, lines });
            let plan = plan::resources(&text, &parts, early, file, &options);
            UnitLoad {
                unreported: plan.unreported,
                ..loaded(Format::Plan, file, plan.resources, plan.errors)
            }
        }
        Some(_) => not_a_template(file, explicit),
        // It reads like a plan: say why it does not parse.
        None => match json::parse(file, &text) {
            Err(error) => failed(error),
            Ok(_) => not_a_template(file, explicit),
        },
    }
}

/// One template file's document set.
fn loaded(
    format: Format,
    file: &Path,
    resources: Vec<Resource>,
    errors: Vec<LoadError>,
) -> UnitLoad {
    UnitLoad {
        set: Some(DocumentSet {
            format,
            origin: file.to_path_buf(),
            resources,
        }),
        errors,
        warnings: Vec::new(),
        files: 1,
        unreported: 0,
    }
}

/// A file that is not a template: an error when the user named it.
fn not_a_template(file: &Path, explicit: bool) -> UnitLoad {
    let errors = if explicit {
        vec![LoadError::whole_file(
            file,
            "not a Terraform configuration, Terraform plan or ROS template",
        )]
    } else {
        Vec::new()
    };
    UnitLoad {
        errors,
        ..UnitLoad::default()
    }
}

/// A template file that could not be loaded.
fn failed(error: LoadError) -> UnitLoad {
    UnitLoad {
        errors: vec![error],
        files: 1,
        ..UnitLoad::default()
    }
}

/// Parses JSON or YAML, by extension, or by the first character for other names.
pub fn parse(file: &Path, text: &str) -> Result<Option<Node>, LoadError> {
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let is_json = if name.ends_with(".json") {
        true
    } else if name.ends_with(".yaml") || name.ends_with(".yml") {
        false
    } else {
        text.trim_start().starts_with('{')
    };
    if is_json {
        json::parse(file, text)
    } else {
        yaml::parse(file, text)
    }
}
