//! How a ROS intrinsic function call is spelled.
//!
//! Both spellings are recognised: the long form, a one-key object whose key is `Ref` or
//! starts with `Fn::` (`{"Fn::GetAtt": ["Vpc", "VpcId"]}`), and the YAML short form, a
//! local tag (`!GetAtt Vpc.VpcId`).

use palisade_syntax::{Node, NodeValue};

/// The function call `node` spells, as (name without `Fn::`, argument).
pub fn call(node: &Node) -> Option<(&str, &Node)> {
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
