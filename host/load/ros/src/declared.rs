//! A template's parameter declarations as resources of type [`PARAMETER_TYPE`], so that
//! a rule can judge a parameter where it is declared (a password parameter with a
//! `Default` and no `NoEcho`) rather than at every property that uses it.
//!
//! The `Default` of a parameter whose name says it holds a secret, or whose `NoEcho` is
//! set, is sensitive: no policy but the built-in ones sees it, and no report shows it.

use std::path::Path;

use palisade_model::{LineIndex, PARAMETER_TYPE, Resource, is_secret_name};
use palisade_syntax::Node;
use serde_json::Value;

use crate::eval::node_to_json;

/// One resource per declaration in the `Parameters` section of `root` (none when the
/// section is absent or not a mapping: the template's evaluation reports that).
pub fn parameters(root: &Node, text: &str, lines: &LineIndex, file: &Path) -> Vec<Resource> {
    let Some(entries) = root
        .get("Parameters")
        .and_then(|section| section.value.as_object())
    else {
        return Vec::new();
    };
    entries
        .iter()
        .filter(|entry| entry.value.as_object().is_some())
        .map(|entry| {
            let attributes = node_to_json(&entry.value);
            let spans = entry
                .value
                .as_object()
                .into_iter()
                .flatten()
                .map(|field| (field.key.clone(), lines.span(text, field.span())))
                .collect();
            let hidden = is_secret_name(&entry.key) || no_echo(&attributes);
            Resource {
                resource_type: PARAMETER_TYPE.to_owned(),
                address: format!("Parameters.{}", entry.key),
                file: file.to_path_buf(),
                span: lines.span(text, entry.key_span.clone()),
                sensitive: if hidden && attributes.get("Default").is_some() {
                    vec!["Default".to_owned()]
                } else {
                    Vec::new()
                },
                attributes,
                spans,
                origins: Default::default(),
            }
        })
        .collect()
}

/// Whether the declaration sets `NoEcho` (`true`, or the string `"true"` in any case).
fn no_echo(declaration: &Value) -> bool {
    match declaration.get("NoEcho") {
        Some(Value::Bool(flag)) => *flag,
        Some(Value::String(text)) => text.eq_ignore_ascii_case("true"),
        _ => false,
    }
}
