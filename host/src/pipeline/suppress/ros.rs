//! Suppressions in a ROS resource's `Metadata`, for JSON templates, which have no
//! comments (YAML templates may use either):
//!
//! ```json
//! "Metadata": {"Palisade": {"Ignore": [
//!   {"Rule": "open-ssh", "Reason": "bastion", "Expires": "2027-01-31", "Index": 0}
//! ]}}
//! ```
//!
//! `Index` picks one instance of a resource with a `Count`; `Expires` is optional.

use super::comment::{Directive, Instance};
use palisade_load::{Entry, Node, NodeValue};
use palisade_model::Date;
use palisade_model::Position;

/// The keys of one suppression object.
const KEYS: &str = "Rule, Reason, Expires, Index";

/// A suppression in the `Metadata` of the resource `logical_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub logical_id: String,
    /// Where the suppression object starts.
    pub position: Position,
    pub directive: Directive,
}

/// A `Metadata.Palisade` that cannot be read, located in the template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub position: Position,
    pub message: String,
}

/// Every suppression in the `Metadata` of the resources of the template `root` (parsed
/// from `text`), and every one that cannot be read.
pub fn suppressions(root: &Node, text: &str) -> (Vec<Found>, Vec<Invalid>) {
    let mut found = Vec::new();
    let mut invalid = Vec::new();
    let resources = root
        .get("Resources")
        .and_then(|section| section.value.as_object())
        .unwrap_or_default();
    for resource in resources {
        let Some(palisade) = resource
            .value
            .get("Metadata")
            .and_then(|metadata| metadata.value.get("Palisade"))
        else {
            continue;
        };
        let at = |node: &Node| Position::from_offset(text, node.span.start);
        let mut refuse = |node: &Node, message: String| {
            invalid.push(Invalid {
                position: at(node),
                message,
            });
        };
        let entries = match palisade.value.as_object() {
            Some(entries) => entries,
            None => {
                refuse(
                    &palisade.value,
                    format!(
                        "`Metadata.Palisade` of `{}` must be a mapping with `Ignore`, found {}",
                        resource.key,
                        palisade.value.kind()
                    ),
                );
                continue;
            }
        };
        for entry in entries {
            let items = match (&entry.key[..], &entry.value.value) {
                ("Ignore", NodeValue::Array(items)) => items,
                ("Ignore", _) => {
                    refuse(
                        &entry.value,
                        format!(
                            "`Metadata.Palisade.Ignore` of `{}` must be a list of suppressions, found {}",
                            resource.key,
                            entry.value.kind()
                        ),
                    );
                    continue;
                }
                (key, _) => {
                    refuse(
                        &entry.value,
                        format!("unknown key `{key}` in `Metadata.Palisade` (expected Ignore)"),
                    );
                    continue;
                }
            };
            for item in items {
                match directive(item) {
                    Ok(directive) => found.push(Found {
                        logical_id: resource.key.clone(),
                        position: at(item),
                        directive,
                    }),
                    Err(message) => refuse(item, message),
                }
            }
        }
    }
    (found, invalid)
}

/// One suppression object, read with the rules of a suppression comment.
fn directive(item: &Node) -> Result<Directive, String> {
    let Some(entries) = item.as_object() else {
        return Err(format!(
            "a suppression must be a mapping of {KEYS}, found {}",
            item.kind()
        ));
    };
    let rule = match item.get("Rule").map(|e| &e.value.value) {
        Some(NodeValue::String(rule)) if !rule.is_empty() => rule.clone(),
        _ => return Err("a suppression needs a \"Rule\": the id of the rule".to_owned()),
    };
    let string = |entry: &Entry| match &entry.value.value {
        NodeValue::String(text) => Ok(text.clone()),
        _ => Err(format!(
            "suppression of {rule}: \"{}\" must be a string, found {}",
            entry.key,
            entry.value.kind()
        )),
    };
    let (mut reason, mut expires, mut instance) = (None, None, None);
    for entry in entries {
        match &entry.key[..] {
            "Rule" => {}
            "Reason" => reason = Some(string(entry)?),
            "Expires" => {
                let date = Date::parse(&string(entry)?)
                    .map_err(|error| format!("suppression of {rule}: \"Expires\": {error}"))?;
                expires = Some(date);
            }
            "Index" => match &entry.value.value {
                NodeValue::Number(n) if n.as_u64().is_some() => {
                    instance = n.as_u64().map(Instance::Index);
                }
                _ => {
                    return Err(format!(
                        "suppression of {rule}: \"Index\" must be a whole number, the instance of a resource with a Count"
                    ));
                }
            },
            key => {
                return Err(format!(
                    "suppression of {rule}: unknown key `{key}` (expected {KEYS})"
                ));
            }
        }
    }
    match reason.filter(|reason| !reason.trim().is_empty()) {
        Some(reason) => Ok(Directive {
            rule,
            instance,
            reason,
            expires,
        }),
        None => Err(format!("suppression of {rule} needs a \"Reason\"")),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn read(text: &str) -> (Vec<Found>, Vec<Invalid>) {
        let name = if text.trim_start().starts_with('{') {
            "t.json"
        } else {
            "t.yaml"
        };
        let root = palisade_load::parse_template(Path::new(name), text)
            .expect("the test template parses")
            .expect("the test template is not empty");
        suppressions(&root, text)
    }

    #[test]
    fn suppressions_are_read_from_json_metadata() {
        let text = r#"{
  "ROSTemplateFormatVersion": "2015-09-01",
  "Resources": {
    "Group": {
      "Type": "ALIYUN::ECS::SecurityGroup",
      "Metadata": {"Palisade": {"Ignore": [
        {"Rule": "open-ssh", "Reason": "bastion", "Expires": "2027-01-31", "Index": 1}
      ]}}
    },
    "Plain": {"Type": "ALIYUN::ECS::Disk"}
  }
}"#;
        let (found, invalid) = read(text);
        assert_eq!(invalid, []);
        assert_eq!(
            found,
            [Found {
                logical_id: "Group".to_owned(),
                position: Position::new(7, 9),
                directive: Directive {
                    rule: "open-ssh".to_owned(),
                    instance: Some(Instance::Index(1)),
                    reason: "bastion".to_owned(),
                    expires: Date::parse("2027-01-31").ok(),
                },
            }]
        );
    }

    #[test]
    fn yaml_metadata_reads_the_same() {
        let text = "ROSTemplateFormatVersion: '2015-09-01'
Resources:
  Group:
    Type: ALIYUN::ECS::SecurityGroup
    Metadata:
      Palisade:
        Ignore:
          - Rule: open-ssh
            Reason: bastion
";
        let (found, invalid) = read(text);
        assert_eq!(invalid, []);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].directive.reason, "bastion");
        assert_eq!(found[0].directive.instance, None);
        assert_eq!(found[0].position, Position::new(8, 13));
    }

    #[test]
    fn unreadable_suppressions_say_why_where_they_are() {
        let text = r#"{
  "Resources": {
    "A": {"Metadata": {"Palisade": {"Ignore": [
      {"Rule": "open-ssh"},
      {"Rule": "open-ssh", "Reason": "x", "Expires": "soon"},
      {"Rule": "open-ssh", "Reason": "x", "Index": "blue"},
      {"Rule": "open-ssh", "Reason": "x", "Until": "2027-01-01"},
      {"Reason": "x"},
      "open-ssh"
    ]}}},
    "B": {"Metadata": {"Palisade": {"Ignore": {"Rule": "open-ssh"}}}},
    "C": {"Metadata": {"Palisade": {"Skip": []}}}
  }
}"#;
        let (found, invalid) = read(text);
        assert_eq!(found, []);
        let messages: Vec<(u32, &str)> = invalid
            .iter()
            .map(|i| (i.position.line, i.message.as_str()))
            .collect();
        assert_eq!(
            messages,
            [
                (4, "suppression of open-ssh needs a \"Reason\""),
                (
                    5,
                    "suppression of open-ssh: \"Expires\": `soon` is not a date: write YYYY-MM-DD"
                ),
                (
                    6,
                    "suppression of open-ssh: \"Index\" must be a whole number, the instance of a resource with a Count"
                ),
                (
                    7,
                    "suppression of open-ssh: unknown key `Until` (expected Rule, Reason, Expires, Index)"
                ),
                (8, "a suppression needs a \"Rule\": the id of the rule"),
                (
                    9,
                    "a suppression must be a mapping of Rule, Reason, Expires, Index, found a string"
                ),
                (
                    11,
                    "`Metadata.Palisade.Ignore` of `B` must be a list of suppressions, found an object"
                ),
                (
                    12,
                    "unknown key `Skip` in `Metadata.Palisade` (expected Ignore)"
                ),
            ]
        );
    }
}
