//! A resource's attributes as a policy reads them: JSON text that a policy's JSON reader
//! accepts. Readers stop at a nesting depth (serde_json's at 128), so a template nesting a
//! value deeper would make every policy fail on its document set; the part past
//! [`MAX_SENT_DEPTH`] is sent as unknown instead, so the rules still decide everything
//! else and say where they could not.
//!
//! Sensitive values (a plan's `after_sensitive`) go to the built-in policies only, which
//! are part of Palisade; any other component gets them as unknowns, since what it returns
//! is printed and it is not trusted to keep a secret.

use palisade_model::{AttrPath, Resource, unknown};
use serde_json::Value;

/// Why a policy sees a sensitive value as unknown.
const SENSITIVE: &str = "sensitive value, not shown";

/// The attributes of `resource` as JSON text for a policy that is `trusted` (built in)
/// or not.
pub(super) fn resource_text(resource: &Resource, trusted: bool) -> String {
    if trusted || resource.sensitive.is_empty() {
        return attributes_text(&resource.attributes);
    }
    let mut attributes = resource.attributes.clone();
    for path in &resource.sensitive {
        if let Some(value) = AttrPath::find_mut(&mut attributes, path) {
            *value = unknown(SENSITIVE);
        }
    }
    attributes_text(&attributes)
}

/// Nesting levels sent to a policy: below serde_json's default recursion limit of 128,
/// with room for the levels a policy wraps around the attributes.
pub(super) const MAX_SENT_DEPTH: usize = 100;

/// `attributes` as JSON text, with values nested past [`MAX_SENT_DEPTH`] unknown.
fn attributes_text(attributes: &Value) -> String {
    if nests_deeper_than(attributes, MAX_SENT_DEPTH) {
        within_depth(attributes, MAX_SENT_DEPTH).to_string()
    } else {
        attributes.to_string()
    }
}

/// Whether collections in `value` nest more than `max` levels; without recursion, since a
/// value may nest as deep as the evaluator allows.
fn nests_deeper_than(value: &Value, max: usize) -> bool {
    let mut stack = vec![(value, 1)];
    while let Some((value, depth)) = stack.pop() {
        match value {
            Value::Array(_) | Value::Object(_) if depth > max => return true,
            Value::Array(items) => stack.extend(items.iter().map(|item| (item, depth + 1))),
            Value::Object(map) => stack.extend(map.values().map(|item| (item, depth + 1))),
            _ => {}
        }
    }
    false
}

/// A copy of `value` down to `levels` levels of collections, the collections below them
/// unknown.
fn within_depth(value: &Value, levels: usize) -> Value {
    match value {
        Value::Array(_) | Value::Object(_) if levels == 0 => unknown(format!(
            "nested deeper than {MAX_SENT_DEPTH} levels, not read"
        )),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| within_depth(item, levels - 1))
                .collect(),
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, item)| (key.clone(), within_depth(item, levels - 1)))
                .collect(),
        ),
        scalar => scalar.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn nested(levels: usize) -> Value {
        (0..levels).fold(json!(1), |inner, _| json!([inner]))
    }

    #[test]
    fn sensitive_values_reach_trusted_policies_only() {
        let resource = Resource {
            resource_type: "aws_ebs_volume".into(),
            address: "aws_ebs_volume.v".into(),
            file: "plan.json".into(),
            span: Default::default(),
            attributes: json!({"encrypted": false, "tags": {"k": "secret"}, "size": 8}),
            spans: Default::default(),
            origins: Default::default(),
            sensitive: vec!["encrypted".into(), "tags.k".into()],
        };
        let trusted: Value = serde_json::from_str(&resource_text(&resource, true)).unwrap();
        assert_eq!(trusted, resource.attributes);
        let other: Value = serde_json::from_str(&resource_text(&resource, false)).unwrap();
        assert_eq!(
            other,
            json!({"encrypted": unknown(SENSITIVE), "tags": {"k": unknown(SENSITIVE)}, "size": 8})
        );
    }

    #[test]
    fn shallow_attributes_are_sent_as_they_are() {
        let attributes = json!({"encrypted": false, "tags": nested(MAX_SENT_DEPTH - 1)});
        assert_eq!(attributes_text(&attributes), attributes.to_string());
    }

    #[test]
    fn values_nested_past_the_limit_are_sent_unknown_and_the_rest_as_it_is() {
        let attributes = json!({"encrypted": false, "tags": nested(500)});
        let sent: Value = serde_json::from_str(&attributes_text(&attributes)).unwrap();
        assert_eq!(sent["encrypted"], false);
        let mut inner = &sent["tags"];
        for _ in 0..MAX_SENT_DEPTH - 1 {
            inner = &inner[0];
        }
        assert_eq!(
            *inner,
            unknown(format!(
                "nested deeper than {MAX_SENT_DEPTH} levels, not read"
            ))
        );
    }
}
