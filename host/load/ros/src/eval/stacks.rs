//! Nested stacks. An `ALIYUN::ROS::Stack` (or `ALIYUN::ROS::StackGroup`, whose stacks
//! are deployed in other accounts and regions) whose `TemplateBody` is written inline is
//! a template of its own: its `Ref`s and `Fn::GetAtt`s name its own parameters and
//! resources, and its parameters are what the parent passes in the stack's `Parameters`.
//! The loader evaluates it as such; here the parent reads the nested template's
//! `Outputs` through `Fn::GetAtt [Stack, Outputs.Name]`.

use std::collections::HashMap;

use serde_json::Value;

use super::{Given, Template};
use palisade_model::{Location, Setting, unknown};
use palisade_syntax::{Entry, Node};

/// The resource types that deploy a template of their own.
const STACK_TYPES: &[&str] = &["ALIYUN::ROS::Stack", "ALIYUN::ROS::StackGroup"];

/// The inline template of the stack resource `definition`, if it is a stack that has one.
pub fn inline_body(definition: &Node) -> Option<&Node> {
    let kind = definition.get("Type")?.value.as_str()?;
    if !STACK_TYPES.contains(&kind) {
        return None;
    }
    let body = &definition
        .get("Properties")?
        .value
        .get("TemplateBody")?
        .value;
    body.as_object().map(|_| body)
}

/// The `TemplateURL` entry of the stack resource `definition`, if it is a stack whose
/// template is not written inline: a template elsewhere, which is not read.
pub fn remote_template(definition: &Node) -> Option<&Entry> {
    let kind = definition.get("Type")?.value.as_str()?;
    if !STACK_TYPES.contains(&kind) || inline_body(definition).is_some() {
        return None;
    }
    definition.get("Properties")?.value.get("TemplateURL")
}

/// The `Properties` node of a stack without its inline `TemplateBody`, which belongs to
/// the nested template and is not evaluated in the parent's scope; `None` for a node
/// without one.
pub fn without_body(properties: &Node) -> Option<Node> {
    let entries = properties.as_object()?;
    let body = entries
        .iter()
        .position(|entry| entry.key == "TemplateBody")?;
    entries[body].value.as_object()?;
    let mut stripped = properties.clone();
    if let palisade_syntax::NodeValue::Object(entries) = &mut stripped.value {
        entries.remove(body);
    }
    Some(stripped)
}

/// The parameter values a stack (at `address`) passes to its nested template: its
/// evaluated `Parameters` property, each set by the stack at `at`.
pub fn given(parameters: Option<&Value>, address: &str, at: Location) -> HashMap<String, Given> {
    let Some(Value::Object(parameters)) = parameters else {
        return HashMap::new();
    };
    parameters
        .iter()
        .map(|(name, value)| {
            let origin = Setting::ModuleInput {
                call: format!("stack `{address}`"),
                at: at.clone(),
                upstream: None,
            };
            let given = Given {
                value: value.clone(),
                origin,
            };
            (name.clone(), given)
        })
        .collect()
}

impl Template<'_> {
    /// The value of `Fn::GetAtt [id, attribute]` when `id` is a stack with an inline
    /// template and `attribute` one of its `Outputs`: the output evaluated in the nested
    /// template. `None` when `id` is no such stack (or is counted), so that the caller
    /// says what it would of any resource.
    pub(super) fn stack_output(
        &self,
        node: &Node,
        id: &str,
        attribute: &str,
        depth: usize,
    ) -> Option<Value> {
        let name = attribute.strip_prefix("Outputs.")?;
        let definition = *self.stacks.get(id)?;
        if self.counts.contains_key(id) {
            return None;
        }
        let key = format!("{id}.{name}");
        if let Some(value) = self.stack_outputs.borrow().get(&key) {
            return Some(value.clone());
        }
        let body = inline_body(definition)?;
        // A Terraform template's outputs are Terraform's, known after deployment.
        if body.get("Transform").is_some() {
            return None;
        }
        let value = match body.get("Outputs").and_then(|o| o.value.get(name)) {
            Some(output) => match output.value.get("Value") {
                Some(written) => {
                    let parameters = definition
                        .get("Properties")
                        .and_then(|p| p.value.get("Parameters"));
                    let passed = parameters.map(|p| self.value(&p.value, depth + 1));
                    let at = self.location(parameters.map_or(node, |p| &p.value));
                    let given = given(passed.as_ref(), id, at);
                    let nested = Template::new(
                        body,
                        self.text,
                        self.lines,
                        &self.file,
                        &given,
                        *self.budget.limits(),
                    );
                    // Its problems are reported when the nested template's resources load.
                    nested.value(&written.value, depth + 1)
                }
                None => unknown(format!("output `{name}` of stack `{id}` has no `Value`")),
            },
            None => self.problem(node, format!("stack `{id}` has no output `{name}`")),
        };
        self.stack_outputs.borrow_mut().insert(key, value.clone());
        Some(value)
    }

    /// Where `node` is written, as an origin names it.
    pub(super) fn location(&self, node: &Node) -> Location {
        Location::new(&self.file, self.lines.position(self.text, node.span.start))
    }
}
