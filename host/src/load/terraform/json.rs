//! Terraform JSON syntax (`.tf.json`): `{"resource": {"TYPE": {"NAME": {...}}}}`.
//!
//! Each level may also be a list of such objects, as the specification allows. Strings
//! containing `${` are templates: they are parsed and evaluated as in native syntax (so a
//! reference to another resource is recognised); other strings are literals. Keys named
//! `//` are comments. Without provider schemas a nested block cannot be told from an
//! object attribute here, so values stay as written: `"ingress": {...}` is an object,
//! not a list of one block.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::value::{Literals, shorten};
use crate::load::json;
use crate::load::tree::{Entry, JsonBuilder, Node, NodeValue};
use crate::model::{AttrPath, LineIndex, LoadError, Position, Resource, unknown};

const META_ARGUMENTS: [&str; 7] = [
    "count",
    "for_each",
    "depends_on",
    "provider",
    "lifecycle",
    "provisioner",
    "connection",
];

/// The resources defined in `text` (the contents of `file`), and the problems found.
pub fn resources(file: &Path, text: &str) -> (Vec<Resource>, Vec<LoadError>) {
    let root = match json::parse(file, text) {
        Ok(Some(root)) => root,
        Ok(None) => return (Vec::new(), Vec::new()),
        Err(error) => return (Vec::new(), vec![error]),
    };
    let error = |range: std::ops::Range<usize>, message: &str| LoadError {
        file: file.to_path_buf(),
        position: Position::from_offset(text, range.start),
        message: message.to_string(),
    };
    if root.as_object().is_none() {
        let message = "a Terraform JSON file must hold an object";
        return (Vec::new(), vec![error(root.span.clone(), message)]);
    }

    let mut resources = Vec::new();
    let mut errors = Vec::new();
    let lines = LineIndex::new(text);
    let sections = objects(&root).filter(|entry| entry.key == "resource");
    for types in sections.flat_map(|section| objects(&section.value)) {
        for (name, body) in objects(&types.value).flat_map(|n| bodies(n).map(move |b| (n, b))) {
            let Some(entries) = body.as_object() else {
                errors.push(error(body.span.clone(), "a resource must be an object"));
                continue;
            };
            resources.push(resource(file, text, &lines, &types.key, name, entries));
        }
    }
    (resources, errors)
}

/// The entries of `node` if it is an object, or of each object in it if it is a list.
fn objects(node: &Node) -> impl Iterator<Item = &Entry> {
    let nodes: Vec<&Node> = match &node.value {
        NodeValue::Array(items) => items.iter().collect(),
        _ => vec![node],
    };
    nodes
        .into_iter()
        .filter_map(Node::as_object)
        .flatten()
        .filter(|entry| entry.key != "//")
}

/// The body of a named resource: the object, or each object of a list.
fn bodies(name: &Entry) -> impl Iterator<Item = &Node> {
    match &name.value.value {
        NodeValue::Array(items) => items.iter().collect::<Vec<_>>().into_iter(),
        _ => vec![&name.value].into_iter(),
    }
}

fn resource(
    file: &Path,
    text: &str,
    lines: &LineIndex,
    resource_type: &str,
    name: &Entry,
    body: &[Entry],
) -> Resource {
    let template = |node: &Node| match &node.value {
        NodeValue::String(s) if s.contains("${") => Some(template_value(s)),
        _ => None,
    };
    let mut builder = JsonBuilder {
        text,
        lines,
        spans: BTreeMap::new(),
        special: &template,
        skip_key: &|key| key == "//",
    };
    let attributes: Vec<Entry> = body
        .iter()
        .filter(|entry| !META_ARGUMENTS.contains(&entry.key.as_str()))
        .cloned()
        .collect();
    let attributes = builder.convert_entries(&attributes, &AttrPath::root());
    Resource {
        resource_type: resource_type.to_string(),
        address: format!("{resource_type}.{}", name.key),
        file: file.to_path_buf(),
        span: lines.span(text, name.key_span.clone()),
        origins: BTreeMap::new(),
        attributes: Value::Object(attributes),
        spans: builder.spans,
    }
}

/// The value of a JSON string that holds a template (`"${var.name}-logs"`).
fn template_value(source: &str) -> Value {
    match hcl_edit::parser::parse_template(source) {
        Ok(template) => Literals { text: source }.template(&template, || shorten(source)),
        Err(_) => unknown(format!("`{}` is not a valid template", shorten(source))),
    }
}
