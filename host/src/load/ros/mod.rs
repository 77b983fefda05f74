//! Alibaba Cloud ROS templates (`ROSTemplateFormatVersion: '2015-09-01'`), JSON or YAML,
//! to resources.
//!
//! Each entry of `Resources` is a resource: its logical id is the address, `Type` the
//! type, `Properties` the attributes (with spans relative to `Properties`, so
//! `SecurityGroupIngress[0].SourceCidrIp`). Intrinsic functions are not evaluated yet:
//! they become unknown values ([`intrinsic`]).

mod intrinsic;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde_json::Value;

use super::tree::{Entry, JsonBuilder, Node, NodeValue};
use crate::model::{AttrPath, LineIndex, LoadError, Position, Resource};

/// The resources of the template `root` (parsed from `text`, the contents of `file`), and
/// an error for every resource that could not be read; the others still load.
pub fn resources(root: &Node, text: &str, file: &Path) -> (Vec<Resource>, Vec<LoadError>) {
    let mut errors = Vec::new();
    let error = |range: std::ops::Range<usize>, message: String| LoadError {
        file: file.to_path_buf(),
        position: Position::from_offset(text, range.start),
        message,
    };
    let Some(section) = root.get("Resources") else {
        return (Vec::new(), errors);
    };
    let Some(entries) = section.value.as_object() else {
        let message = format!(
            "`Resources` must be a mapping, found {}",
            section.value.kind()
        );
        errors.push(error(section.value.span.clone(), message));
        return (Vec::new(), errors);
    };

    let lines = LineIndex::new(text);
    let logical_ids: HashMap<&str, &Entry> =
        entries.iter().rev().map(|e| (e.key.as_str(), e)).collect();
    let mut resources = Vec::new();
    for entry in entries {
        let first = logical_ids[entry.key.as_str()];
        if !std::ptr::eq(first, entry) {
            let line = Position::from_offset(text, first.key_span.start).line;
            let message = format!(
                "duplicate resource `{}` (first defined on line {line})",
                entry.key
            );
            errors.push(error(entry.key_span.clone(), message));
            continue;
        }
        match resource(entry, text, &lines, file, &|id| {
            logical_ids.contains_key(id)
        }) {
            Ok(resource) => resources.push(resource),
            Err((range, message)) => errors.push(error(range, message)),
        }
    }
    (resources, errors)
}

type Problem = (std::ops::Range<usize>, String);

fn resource(
    entry: &Entry,
    text: &str,
    lines: &LineIndex,
    file: &Path,
    is_resource: &dyn Fn(&str) -> bool,
) -> Result<Resource, Problem> {
    let id = &entry.key;
    let definition = &entry.value;
    if definition.as_object().is_none() {
        return Err((
            definition.span.clone(),
            format!(
                "resource `{id}` must be a mapping, found {}",
                definition.kind()
            ),
        ));
    }
    let resource_type = match definition.get("Type") {
        Some(Entry {
            value:
                Node {
                    value: NodeValue::String(t),
                    ..
                },
            ..
        }) => t.clone(),
        Some(t) => {
            return Err((
                t.value.span.clone(),
                format!(
                    "`Type` of resource `{id}` must be a string, found {}",
                    t.value.kind()
                ),
            ));
        }
        None => {
            return Err((
                entry.key_span.clone(),
                format!("resource `{id}` has no `Type`"),
            ));
        }
    };

    let special = |node: &Node| intrinsic::unknown_for(node, is_resource);
    let mut builder = JsonBuilder {
        text,
        lines,
        spans: BTreeMap::new(),
        special: &special,
        skip_key: &|_| false,
    };
    let attributes = match definition.get("Properties") {
        None => Value::Object(Default::default()),
        Some(properties) => match &properties.value.value {
            NodeValue::Object(entries) => {
                Value::Object(builder.convert_entries(entries, &AttrPath::root()))
            }
            // `Properties: !If [...]` and the like: the whole property set is unknown.
            _ if intrinsic::is_function(&properties.value) => {
                builder.convert(&properties.value, &AttrPath::root())
            }
            NodeValue::Null => Value::Object(Default::default()),
            _ => {
                return Err((
                    properties.value.span.clone(),
                    format!(
                        "`Properties` of resource `{id}` must be a mapping, found {}",
                        properties.value.kind()
                    ),
                ));
            }
        },
    };
    Ok(Resource {
        resource_type,
        address: id.clone(),
        file: file.to_path_buf(),
        span: lines.span(text, entry.key_span.clone()),
        origins: BTreeMap::new(),
        attributes,
        spans: builder.spans,
    })
}

#[cfg(test)]
mod tests;
