//! Findings on sensitive values. The built-in rules decide on sensitive values (a plan's,
//! a password written in a template), but nothing they say may show one: a finding on a
//! sensitive attribute (or on a value inside one, or holding one) names the attribute and
//! says its value is sensitive instead of the rule's own words, unless a built-in rule's
//! words quote none of the resource's sensitive texts (`plaintext-secret` says how to pass
//! the value instead); any other message about the resource has the sensitive text it
//! quotes replaced.

use palisade_model::{AttrPath, Resource};
use serde_json::Value;

/// What a message shows in place of a sensitive text.
const HIDDEN: &str = "(sensitive)";

/// Sensitive texts shorter than this are not searched for in messages: one that short
/// (`true`, `80`) would hide words that are not it, and tells little.
const MIN_HIDDEN_TEXT: usize = 4;

/// The attribute and message a finding on `attribute` of `resource` shows: as the rule
/// wrote them unless they could show a sensitive value. `builtin` tells a rule of
/// Palisade's own, whose messages are written never to quote the value they judge.
pub fn redact(
    resource: &Resource,
    attribute: String,
    message: String,
    builtin: bool,
) -> (String, String) {
    if resource.sensitive.is_empty() {
        return (attribute, message);
    }
    let quotes_nothing = || {
        all_sensitive_texts(resource)
            .iter()
            .all(|text| !message.contains(text.as_str()))
    };
    if !attribute.is_empty() && resource.touches_sensitive(&attribute) {
        if builtin && quotes_nothing() {
            return (attribute, message);
        }
        // A key inside a sensitive map is part of the secret: name the map.
        let shown = resource
            .sensitive_at(&attribute)
            .map_or(attribute, str::to_owned);
        let message = format!("`{shown}` fails this check; its value is sensitive and not shown");
        return (shown, message);
    }
    let mut message = message;
    for text in sensitive_texts(resource) {
        message = message.replace(&text, HIDDEN);
    }
    (attribute, message)
}

/// The texts of the sensitive values of `resource` long enough to look for.
fn sensitive_texts(resource: &Resource) -> Vec<String> {
    let mut texts = all_sensitive_texts(resource);
    texts.retain(|text| text.len() >= MIN_HIDDEN_TEXT);
    // The longest first, so that a text inside another does not leave the rest behind.
    texts.sort_by_key(|text| std::cmp::Reverse(text.len()));
    texts.dedup();
    texts
}

/// The texts of every sensitive value of `resource`, however short.
fn all_sensitive_texts(resource: &Resource) -> Vec<String> {
    let mut texts = Vec::new();
    for path in &resource.sensitive {
        if let Some(value) = AttrPath::find(&resource.attributes, path) {
            collect(value, &mut texts);
        }
    }
    texts
}

fn collect(value: &Value, texts: &mut Vec<String>) {
    match value {
        Value::String(text) if !text.is_empty() => texts.push(text.clone()),
        Value::Number(n) => texts.push(n.to_string()),
        Value::Array(items) => items.iter().for_each(|item| collect(item, texts)),
        Value::Object(map) => map.values().for_each(|item| collect(item, texts)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn resource() -> Resource {
        Resource {
            resource_type: "aws_security_group_rule".into(),
            address: "aws_security_group_rule.r".into(),
            file: "plan.json".into(),
            span: Default::default(),
            attributes: json!({
                "cidr_blocks": ["0.0.0.0/0"],
                "tags": {"owner-key": "s3cr3t-value"},
                "from_port": 22
            }),
            spans: Default::default(),
            origins: Default::default(),
            sensitive: vec!["cidr_blocks".into(), "tags".into()],
        }
    }

    #[test]
    fn a_finding_on_a_sensitive_value_names_it_and_shows_nothing_of_it() {
        let (attribute, message) = redact(
            &resource(),
            "cidr_blocks[0]".into(),
            "SSH (TCP 22) open to 0.0.0.0/0".into(),
            true,
        );
        assert_eq!(attribute, "cidr_blocks");
        assert_eq!(
            message,
            "`cidr_blocks` fails this check; its value is sensitive and not shown"
        );
        let (attribute, _) = redact(&resource(), "tags[\"owner-key\"]".into(), "m".into(), false);
        assert_eq!(attribute, "tags");
    }

    #[test]
    fn a_builtin_message_that_quotes_no_sensitive_text_stands() {
        let written = "`cidr_blocks` is written in the template".to_owned();
        let (attribute, message) =
            redact(&resource(), "cidr_blocks[0]".into(), written.clone(), true);
        assert_eq!(
            (attribute.as_str(), message),
            ("cidr_blocks[0]", written.clone())
        );
        let (attribute, _) = redact(&resource(), "cidr_blocks[0]".into(), written, false);
        assert_eq!(attribute, "cidr_blocks");
    }

    #[test]
    fn other_messages_lose_the_sensitive_texts_they_quote() {
        let (attribute, message) = redact(
            &resource(),
            "from_port".into(),
            "port 22 is reachable from 0.0.0.0/0 (owner s3cr3t-value)".into(),
            false,
        );
        assert_eq!(attribute, "from_port");
        assert_eq!(
            message,
            "port 22 is reachable from (sensitive) (owner (sensitive))"
        );
    }
}
