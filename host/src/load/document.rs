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

use super::discover::file_error;
use super::source::{self, ReadError};
use super::tree::Node;
use super::{LoadOptions, Outcome, json, plan, ros, yaml};
use crate::model::{DocumentSet, Format, LoadError, Resource};

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
pub fn load_document(file: &Path, explicit: bool, options: &LoadOptions) -> Outcome {
    let not_a_template = || not_a_template(file, explicit);
    let bytes = match source::read_bytes(file, options.max_file_size) {
        Ok(bytes) => bytes,
        Err(ReadError::TooLarge { ref prefix, .. })
            if plan::is_binary_plan(file, prefix, explicit) =>
        {
            return failed(plan::binary_plan_error(file));
        }
        Err(ReadError::TooLarge { ref prefix, .. })
            if !explicit && sniff(prefix) == Looks::Unrelated =>
        {
            return not_a_template();
        }
        Err(error) => return failed(error.into_load_error(file)),
    };
    if plan::is_binary_plan(file, &bytes, explicit) {
        return failed(plan::binary_plan_error(file));
    }
    let looks = sniff(&bytes);
    if looks == Looks::Unrelated {
        return not_a_template();
    }
    let text = match source::decode(file, bytes) {
        Ok(text) => text,
        Err(error) => return failed(error),
    };
    match looks {
        Looks::Ros => load_ros(file, &text, explicit, options),
        _ => load_plan(file, &text, explicit, options),
    }
}

/// A file that is no template: an error when the user named it, else nothing.
fn not_a_template(file: &Path, explicit: bool) -> Outcome {
    let errors = if explicit {
        vec![file_error(
            file,
            "not a Terraform configuration, Terraform plan or ROS template",
        )]
    } else {
        Vec::new()
    };
    Outcome {
        errors,
        ..Outcome::default()
    }
}

/// A template that could not be read or parsed.
fn failed(error: LoadError) -> Outcome {
    Outcome {
        errors: vec![error],
        files: 1,
        ..Outcome::default()
    }
}

/// One loaded document set of `format`, with the problems found loading it.
fn loaded(
    file: &Path,
    format: Format,
    (resources, errors): (Vec<Resource>, Vec<LoadError>),
) -> Outcome {
    Outcome {
        set: Some(DocumentSet {
            format,
            origin: file.to_path_buf(),
            resources,
        }),
        errors,
        files: 1,
    }
}

/// `text`, which names `ROSTemplateFormatVersion`: a ROS template if that is a
/// top-level key.
fn load_ros(file: &Path, text: &str, explicit: bool, options: &LoadOptions) -> Outcome {
    match parse(file, text) {
        Ok(Some(root)) if root.get("ROSTemplateFormatVersion").is_some() => loaded(
            file,
            Format::Ros,
            ros::resources(&root, text, file, options),
        ),
        Ok(_) => not_a_template(file, explicit),
        Err(error) => failed(error),
    }
}

/// `text`, which reads like a plan: a plan if its top-level keys say so.
fn load_plan(file: &Path, text: &str, explicit: bool, options: &LoadOptions) -> Outcome {
    match json::top_level(text) {
        Some(parts) if plan::is_plan(&parts) => loaded(
            file,
            Format::Plan,
            plan::resources(text, &parts, file, options.plan_scope),
        ),
        Some(_) => not_a_template(file, explicit),
        // It reads like a plan: say why it does not parse.
        None => match json::parse(file, text) {
            Err(error) => failed(error),
            Ok(_) => not_a_template(file, explicit),
        },
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
