//! A resource's attributes as a policy reads them: JSON text that a policy's JSON reader
//! accepts. Readers stop at a nesting depth (serde_json's at 128), so a template nesting a
//! value deeper would make every policy fail on its document set; the part past
//! [`MAX_SENT_DEPTH`] is sent as unknown instead, so the rules still decide everything
//! else and say where they could not.
//!
//! The variables and parameters an attribute's value comes from travel beside the
//! attributes, under [`INPUTS_KEY`] (see `palisade_contract::inputs`).
//!
//! Sensitive values (a plan's `after_sensitive`) go to the built-in policies only, which
//! are part of Palisade; any other component gets them as unknowns, since what it returns
//! is printed and it is not trusted to keep a secret.

use palisade_contract::{INPUTS_KEY, Input, InputKind, inputs_text};
use palisade_model::{AttrPath, Origin, Resource, Setting, Source, unknown};
use serde::{Serialize, Serializer};
use serde_json::Value;

/// Why a policy sees a sensitive value as unknown.
const SENSITIVE: &str = "sensitive value, not shown";

/// The attributes of `resource` as JSON text for a policy that is `trusted` (built in)
/// or not.
pub(super) fn resource_text(resource: &Resource, trusted: bool) -> String {
    let text = if trusted || resource.sensitive.is_empty() {
        attributes_text(&resource.attributes)
    } else {
        let mut attributes = resource.attributes.clone();
        for path in &resource.sensitive {
            if let Some(value) = AttrPath::find_mut(&mut attributes, path) {
                *value = unknown(SENSITIVE);
            }
        }
        attributes_text(&attributes)
    };
    with_inputs(text, resource)
}

/// `text`, the attributes object, with the inputs of its attributes added under
/// [`INPUTS_KEY`] when there are any.
fn with_inputs(mut text: String, resource: &Resource) -> String {
    // Most resources have no inputs: nothing is built for them.
    if resource.origins.is_empty() {
        return text;
    }
    let by_path = resource
        .origins
        .iter()
        .filter(|(path, _)| *path != Resource::WHOLE)
        .map(|(path, origin)| (path.as_str(), inputs(origin)));
    let Some(inputs) = inputs_text(by_path).filter(|_| text.ends_with('}')) else {
        return text;
    };
    text.pop();
    if text.len() > 1 {
        text.push(',');
    }
    text.push('"');
    text.push_str(INPUTS_KEY);
    text.push_str("\":");
    text.push_str(&inputs);
    text.push('}');
    text
}

/// The variables and parameters `origin` names, with how each was set; a module
/// variable set from the caller's own variables stands for those.
fn inputs(origin: &Origin) -> Vec<Input> {
    let mut found = Vec::new();
    for source in &origin.sources {
        match source {
            Source::Variable { name, setting } => {
                setting_inputs(InputKind::Variable, name, setting, &mut found);
            }
            Source::Parameter { name, setting } => {
                setting_inputs(InputKind::Parameter, name, setting, &mut found);
            }
            Source::Branch(_) | Source::Root(_) | Source::Downloaded(_) => {}
        }
    }
    found
}

fn setting_inputs(kind: InputKind, name: &str, setting: &Setting, found: &mut Vec<Input>) {
    use palisade_contract::Setting as Set;
    let set = match setting {
        Setting::Default(_) => Set::Default,
        Setting::File(_) => Set::File,
        Setting::Environment(_) => Set::Environment,
        Setting::Flag(_) => Set::Flag,
        Setting::ModuleInput {
            upstream: Some(upstream),
            ..
        } => return found.extend(inputs(upstream)),
        Setting::ModuleInput { upstream: None, .. } => Set::Caller,
        Setting::Parameter { name, setting } => {
            return setting_inputs(InputKind::Parameter, name, setting, found);
        }
    };
    found.push(Input {
        kind,
        name: name.to_owned(),
        set,
    });
}

/// Nesting levels sent to a policy: below serde_json's default recursion limit of 128,
/// with room for the levels a policy wraps around the attributes.
pub(super) const MAX_SENT_DEPTH: usize = 100;

/// `attributes` as JSON text, with values nested past [`MAX_SENT_DEPTH`] unknown.
fn attributes_text(attributes: &Value) -> String {
    // Serializing a `Value` cannot fail: its keys are strings.
    serde_json::to_string(&WithinDepth {
        value: attributes,
        levels: MAX_SENT_DEPTH,
    })
    .unwrap_or_default()
}

/// A value written down to `levels` levels of collections, the collections below them
/// as unknowns: one pass, and a recursion as deep as [`MAX_SENT_DEPTH`] at most, however
/// deep the value nests.
struct WithinDepth<'a> {
    value: &'a Value,
    levels: usize,
}

impl Serialize for WithinDepth<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let inner = |value| WithinDepth {
            value,
            levels: self.levels.saturating_sub(1),
        };
        match self.value {
            Value::Array(_) | Value::Object(_) if self.levels == 0 => unknown(format!(
                "nested deeper than {MAX_SENT_DEPTH} levels, not read"
            ))
            .serialize(serializer),
            Value::Array(items) => serializer.collect_seq(items.iter().map(inner)),
            Value::Object(map) => {
                serializer.collect_map(map.iter().map(|(key, value)| (key, inner(value))))
            }
            scalar => scalar.serialize(serializer),
        }
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
    fn inputs_travel_beside_the_attributes_they_set() {
        use palisade_model::{Location, Position};
        let at = Location::new("variables.tf", Position::new(3, 13));
        let module_input = Setting::ModuleInput {
            call: "module.db".into(),
            at: at.clone(),
            upstream: Some(Box::new(Origin::of(Source::Variable {
                name: "root_password".into(),
                setting: Setting::Environment("root_password".into()),
            }))),
        };
        let mut resource = Resource {
            resource_type: "alicloud_db_account".into(),
            address: "alicloud_db_account.a".into(),
            file: "main.tf".into(),
            span: Default::default(),
            attributes: json!({"account_password": "x", "account_name": "app"}),
            spans: Default::default(),
            origins: Default::default(),
            sensitive: vec![],
        };
        let sent: Value = serde_json::from_str(&resource_text(&resource, true)).unwrap();
        assert_eq!(sent, resource.attributes, "no inputs, no key");
        resource.origins.insert(
            "account_password".into(),
            Origin::of(Source::Variable {
                name: "password".into(),
                setting: module_input,
            }),
        );
        resource.origins.insert(
            "account_name".into(),
            Origin::of(Source::Variable {
                name: "name".into(),
                setting: Setting::Default(at),
            }),
        );
        resource.origins.insert(
            Resource::WHOLE.into(),
            Origin::of(Source::Branch("when IsProd".into())),
        );
        let sent: Value = serde_json::from_str(&resource_text(&resource, true)).unwrap();
        assert_eq!(
            sent[INPUTS_KEY],
            json!({
                "account_password": [{"variable": "root_password", "set": "environment"}],
                "account_name": [{"variable": "name", "set": "default"}],
            })
        );
        resource.attributes = json!({});
        let sent: Value = serde_json::from_str(&resource_text(&resource, true)).unwrap();
        assert_eq!(sent.as_object().unwrap().len(), 1);
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
