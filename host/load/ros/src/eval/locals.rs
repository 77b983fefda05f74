//! The `Locals` section: named values a template refers to with `Ref`, as ROS documents
//! them. A `Macro` local (the default) stands for its `Value` written where it is
//! referred to; an `Eval` local is its `Value` computed from parameters and other
//! locals. Read statically the two are the same: the `Value` evaluated at the `Ref`. A
//! local whose `Type` is a data source (`DATASOURCE::VPC::Vpcs`) queries the cloud at
//! deployment, so it and its attributes are unknown.

use std::cell::RefCell;
use std::collections::HashMap;

use serde_json::Value;

use super::{SourceError, Template};
use palisade_model::unknown;
use palisade_syntax::{Entry, Node};

/// The locals of a template, by name.
#[derive(Default)]
pub struct Locals<'t> {
    entries: HashMap<&'t str, Local<'t>>,
    /// The locals being evaluated, one inside another: a local met again is a cycle.
    evaluating: RefCell<Vec<String>>,
}

/// What one local stands for.
enum Local<'t> {
    /// The `Value` of a `Macro` or `Eval` local.
    Value(&'t Node),
    /// A data source local, with its type.
    DataSource(&'t str),
}

impl<'t> Locals<'t> {
    /// Reads the `Locals` section `section`, reporting a local that is malformed or named
    /// like a parameter or resource (`taken`) in `problems`.
    pub fn read(
        section: Option<&'t Entry>,
        taken: &dyn Fn(&str) -> bool,
        problems: &mut Vec<SourceError>,
    ) -> Self {
        let mut locals = Locals::default();
        let Some(section) = section else {
            return locals;
        };
        let Some(entries) = section.value.as_object() else {
            let found = section.value.kind();
            problems.push((
                section.value.span.clone(),
                format!("`Locals` must be a mapping, found {found}"),
            ));
            return locals;
        };
        for entry in entries {
            let name = entry.key.as_str();
            match local(entry) {
                _ if taken(name) => problems.push((
                    entry.key_span.clone(),
                    format!("local `{name}` has the name of a parameter or resource"),
                )),
                Ok(local) => {
                    locals.entries.insert(name, local);
                }
                Err(message) => problems.push((entry.value.span.clone(), message)),
            }
        }
        locals
    }
}

/// The local declared by `entry`, or what is wrong with it.
fn local(entry: &Entry) -> Result<Local<'_>, String> {
    let name = &entry.key;
    if entry.value.as_object().is_none() {
        let found = entry.value.kind();
        return Err(format!("local `{name}` must be a mapping, found {found}"));
    }
    let field = |key: &str| entry.value.get(key).map(|e| &e.value);
    match field("Type").map(|node| node.as_str().ok_or(node)) {
        None | Some(Ok("Macro" | "Eval")) => field("Value")
            .map(Local::Value)
            .ok_or_else(|| format!("local `{name}` has no `Value`")),
        Some(Ok(kind)) if kind.starts_with("DATASOURCE::") => Ok(Local::DataSource(kind)),
        Some(Ok(kind)) => Err(format!(
            "local `{name}` has the unknown `Type` `{kind}` (Macro, Eval or a DATASOURCE:: type)"
        )),
        Some(Err(node)) => Err(format!(
            "the `Type` of local `{name}` must be a string, found {}",
            node.kind()
        )),
    }
}

impl Template<'_> {
    /// The value of `Ref` to the local `name` at `node`, `None` when `name` is no local.
    pub(super) fn local(&self, node: &Node, name: &str, depth: usize) -> Option<Value> {
        let local = self.locals.entries.get(name)?;
        Some(match local {
            Local::DataSource(kind) => data_source(name, kind),
            Local::Value(value) => {
                if self
                    .locals
                    .evaluating
                    .borrow()
                    .iter()
                    .any(|seen| seen == name)
                {
                    return Some(self.problem(node, format!("local `{name}` refers to itself")));
                }
                self.locals.evaluating.borrow_mut().push(name.to_owned());
                let value = self.value(value, depth + 1);
                self.locals.evaluating.borrow_mut().pop();
                value
            }
        })
    }

    /// The value of `Fn::GetAtt` of the local `name`: known for no local, since only
    /// a data source has attributes, and they are queried at deployment.
    pub(super) fn local_attribute(&self, name: &str) -> Option<Value> {
        match self.locals.entries.get(name)? {
            Local::DataSource(kind) => Some(data_source(name, kind)),
            Local::Value(_) => None,
        }
    }
}

fn data_source(name: &str, kind: &str) -> Value {
    unknown(format!(
        "local `{name}` is a data source (`{kind}`), queried only at deployment"
    ))
}
