//! ROS intrinsic functions, which the loader does not evaluate yet.
//!
//! Both spellings are recognised: the long form, a one-key object whose key is `Ref` or
//! starts with `Fn::` (`{"Fn::GetAtt": ["Vpc", "VpcId"]}`), and the YAML short form, a
//! local tag (`!GetAtt Vpc.VpcId`). Each becomes an unknown value whose reason names the
//! function; a `Ref` or `Fn::GetAtt` of another resource also names that resource, so
//! that policies can follow the link.

use serde_json::Value;

use crate::load::tree::{Node, NodeValue};
use crate::model::{unknown, unknown_ref};

/// The function call `node` spells, as (name without `Fn::`, argument).
fn call(node: &Node) -> Option<(&str, &Node)> {
    match &node.value {
        NodeValue::Tagged(tag, argument) => Some((tag, argument)),
        NodeValue::Object(entries) if entries.len() == 1 => {
            let entry = &entries[0];
            let name = if entry.key == "Ref" {
                "Ref"
            } else {
                entry.key.strip_prefix("Fn::")?
            };
            Some((name, &entry.value))
        }
        _ => None,
    }
}

/// Whether `node` is an intrinsic function call.
pub fn is_function(node: &Node) -> bool {
    call(node).is_some()
}

/// The unknown value standing for `node` if it is a function call; `is_resource` tells
/// the template's logical ids from parameters.
pub fn unknown_for(node: &Node, is_resource: &dyn Fn(&str) -> bool) -> Option<Value> {
    let (name, argument) = call(node)?;
    let target = match (name, &argument.value) {
        ("Ref", NodeValue::String(id)) => {
            Some((id.as_str(), format!("`Ref` to `{id}` is not evaluated")))
        }
        ("GetAtt", NodeValue::String(path)) => {
            let id = path.split_once('.').map_or(path.as_str(), |(id, _)| id);
            Some((id, format!("`Fn::GetAtt` of `{path}` is not evaluated")))
        }
        ("GetAtt", NodeValue::Array(items)) => items.first().and_then(Node::as_str).map(|id| {
            let attribute = items.get(1).and_then(Node::as_str).unwrap_or_default();
            (
                id,
                format!("`Fn::GetAtt` of `{id}.{attribute}` is not evaluated"),
            )
        }),
        _ => None,
    };
    Some(match target {
        Some((id, reason)) if is_resource(id) => unknown_ref(reason, id),
        Some((_, reason)) => unknown(reason),
        None if name == "Ref" => unknown("`Ref` is not evaluated"),
        None => unknown(format!("`Fn::{name}` is not evaluated")),
    })
}
