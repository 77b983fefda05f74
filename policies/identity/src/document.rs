//! Policy documents: which statements grant administrator access.
//!
//! A document is JSON in the RAM or IAM policy language, written as a JSON string
//! (Terraform `policy_document`, `policy`: a heredoc, or `jsonencode(...)`, which the host
//! evaluates to a string with any unknown part kept as an unknown marker) or as a map
//! (ROS `PolicyDocument`). Alibaba Cloud's deprecated `statement {effect, action,
//! resource}` blocks say the same thing in Terraform syntax ([`read_blocks`]).
//!
//! A statement grants administrator access when all of these hold:
//!
//! - `Effect` is `Allow` (a `Deny` never grants anything);
//! - its `Action` holds every action (`*`, `*:*`), or it grants every action but some
//!   (`NotAction`) and those exclusions leave the identity service (`ram:*`, `iam:*`) in,
//!   so that the principal can grant itself the rest;
//! - its `Resource` holds every resource (`*`), or it applies to every resource but some
//!   (`NotResource`).
//!
//! Element names are case-sensitive in both policy languages (`Effect`, not `effect`), as
//! the RAM "Policy structure and syntax" reference says; values are compared without
//! regard to case. A `Condition` does not make a statement less than administrator
//! access: whoever meets it holds every permission.

use std::borrow::Cow;
use std::fmt;

use palisade_policy::serde_json::{self, Value};
use palisade_policy::{Attr, Field, Unknown};

use crate::grant::{self, Cloud};

/// A statement that grants every action on every resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminStatement {
    /// Position in `Statement`, counted from 1 as users count.
    pub number: usize,
    /// The statement's `Sid`, if it has one.
    pub sid: Option<String>,
    /// What it grants, in words: `every action ("*") on every resource ("*")`.
    pub grant: String,
}

impl fmt::Display for AdminStatement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "statement {}", self.number)?;
        if let Some(sid) = &self.sid {
            write!(f, " ({sid:?})")?;
        }
        write!(f, " allows {}", self.grant)
    }
}

/// What a policy document says: its administrator statements, and what could not be
/// decided (an unknown document or value, an unparsable document, a statement the policy
/// language rejects), located for a note.
#[derive(Debug, Default)]
pub struct Reading<'a> {
    /// Statements that grant administrator access.
    pub admin: Vec<AdminStatement>,
    /// Why some statement could not be decided.
    pub undecided: Vec<Unknown<'a>>,
}

/// The names of a statement's elements: the policy language's, or Terraform's blocks.
struct Keys {
    effect: &'static str,
    action: &'static str,
    not_action: Option<&'static str>,
    resource: &'static str,
    not_resource: Option<&'static str>,
}

const JSON_KEYS: Keys = Keys {
    effect: "Effect",
    action: "Action",
    not_action: Some("NotAction"),
    resource: "Resource",
    not_resource: Some("NotResource"),
};

const BLOCK_KEYS: Keys = Keys {
    effect: "effect",
    action: "action",
    not_action: None,
    resource: "resource",
    not_resource: None,
};

/// Reads the policy document in `field`: a JSON string, a map, absent or unknown.
pub fn read<'a>(field: &Field<'a>, cloud: Cloud) -> Reading<'a> {
    match field.attr() {
        Attr::Absent => Reading::default(),
        Attr::Unknown(unknown) => Reading {
            admin: Vec::new(),
            undecided: vec![unknown],
        },
        Attr::Known(Value::String(text)) if text.trim().is_empty() => Reading::default(),
        Attr::Known(Value::String(text)) => read_text(field, text, cloud),
        Attr::Known(Value::Object(_)) => statements(&field.get("Statement"), cloud, &JSON_KEYS),
        Attr::Known(other) => Reading {
            admin: Vec::new(),
            undecided: vec![field.unknown(format!(
                "the policy document is neither a JSON string nor a map: {}",
                shorten(&other.to_string())
            ))],
        },
    }
}

/// Reads Alibaba Cloud's `statement` blocks, each one statement.
pub fn read_blocks<'a>(blocks: &Field<'a>) -> Reading<'a> {
    statements(blocks, Cloud::Alibaba, &BLOCK_KEYS)
}

/// Parses a JSON text and reads it; notes point at the attribute that holds the text and
/// say where in the document the unknown part is.
fn read_text<'a>(field: &Field<'a>, text: &str, cloud: Cloud) -> Reading<'a> {
    let document: Value = match serde_json::from_str(text) {
        Ok(document) => document,
        Err(error) => {
            let reason = format!("the policy document is not valid JSON: {error}");
            return Reading {
                admin: Vec::new(),
                undecided: vec![field.unknown(reason)],
            };
        }
    };
    let root = Field::new(field.path().clone(), Some(&document));
    let parsed = if document.is_object() {
        statements(&root.get("Statement"), cloud, &JSON_KEYS)
    } else {
        Reading::default()
    };
    let base = field.path().as_str().len();
    let undecided = parsed
        .undecided
        .into_iter()
        .map(|unknown| {
            let inner = unknown.path.as_str().get(base..).unwrap_or_default();
            let inner = inner.trim_start_matches('.');
            let reason = if inner.is_empty() {
                unknown.reason.into_owned()
            } else {
                format!("`{inner}` of the policy document: {}", unknown.reason)
            };
            Unknown {
                path: field.path().clone(),
                reason: Cow::Owned(reason),
                refers: None,
            }
        })
        .collect();
    Reading {
        admin: parsed.admin,
        undecided,
    }
}

/// Reads every statement of `Statement` (a list, or one statement as a map).
fn statements<'a>(field: &Field<'a>, cloud: Cloud, keys: &Keys) -> Reading<'a> {
    let mut reading = Reading::default();
    let statements = match field.attr() {
        Attr::Known(Value::Array(_)) => field.list().known().unwrap_or_default(),
        Attr::Known(Value::Object(_)) => vec![field.clone()],
        Attr::Absent => Vec::new(),
        Attr::Known(other) => {
            let reason = format!(
                "`Statement` is not a list of statements: {}",
                shorten(&other.to_string())
            );
            reading.undecided.push(field.unknown(reason));
            Vec::new()
        }
        Attr::Unknown(unknown) => {
            reading.undecided.push(unknown);
            Vec::new()
        }
    };
    for (index, statement) in statements.iter().enumerate() {
        match admin_statement(statement, index + 1, cloud, keys) {
            Ok(Some(admin)) => reading.admin.push(admin),
            Ok(None) => {}
            Err(unknown) => reading.undecided.push(unknown),
        }
    }
    reading
}

/// What one part of a statement reaches: everything (described), less, or unknown.
type Reach<'a> = Result<Option<String>, Unknown<'a>>;

/// Whether one statement grants administrator access; `Err` when that depends on an
/// unknown value, or when it would but the policy language rejects it (no `Effect`).
fn admin_statement<'a>(
    statement: &Field<'a>,
    number: usize,
    cloud: Cloud,
    keys: &Keys,
) -> Result<Option<AdminStatement>, Unknown<'a>> {
    if let Attr::Unknown(unknown) = statement.attr() {
        return Err(unknown);
    }
    let effect = statement.get(keys.effect);
    let allows = effect
        .text()
        .map(|e| e.trim().eq_ignore_ascii_case("allow"));
    let actions = every_action(statement, cloud, keys);
    let resources = every_resource(statement, keys);
    let denied = matches!(allows, Attr::Known(false));
    if denied || matches!(actions, Ok(None)) || matches!(resources, Ok(None)) {
        return Ok(None);
    }
    let (Some(actions), Some(resources)) = (actions?, resources?) else {
        return Ok(None);
    };
    match allows {
        Attr::Known(_) => {}
        Attr::Unknown(unknown) => return Err(unknown),
        Attr::Absent => {
            return Err(statement.unknown(format!(
                "statement {number} would allow {actions} on {resources}, but it has no \
                 `{}`, which the policy language requires (the provider rejects the policy)",
                keys.effect
            )));
        }
    }
    Ok(Some(AdminStatement {
        number,
        sid: statement.get("Sid").text().known().map(Cow::into_owned),
        grant: format!("{actions} on {resources}"),
    }))
}

/// Whether the statement grants every action, by `Action` or by `NotAction`.
fn every_action<'a>(statement: &Field<'a>, cloud: Cloud, keys: &Keys) -> Reach<'a> {
    let listed = statement.get(keys.action);
    if !listed.attr().is_absent() {
        let found = first_match(&listed, grant::is_every_action)?;
        return Ok(found.map(|action| format!("every action ({action:?})")));
    }
    let Some(not_action) = keys.not_action.map(|key| statement.get(key)) else {
        return Ok(None);
    };
    if not_action.attr().is_absent() {
        return Ok(None);
    }
    let service = cloud.identity_service();
    let mut excluded = Vec::new();
    for value in values(&not_action) {
        let Some(action) = value.text().decide()? else {
            continue;
        };
        if grant::covers_service(&action, service) {
            return Ok(None);
        }
        excluded.push(format!("{:?}", action.trim()));
    }
    Ok(Some(format!(
        "every action except {} (`NotAction`), `{service}:*` included,",
        excluded.join(", ")
    )))
}

/// Whether the statement applies to every resource, by `Resource` or `NotResource`.
fn every_resource<'a>(statement: &Field<'a>, keys: &Keys) -> Reach<'a> {
    let listed = statement.get(keys.resource);
    if !listed.attr().is_absent() {
        let found = first_match(&listed, grant::is_every_resource)?;
        return Ok(found.map(|resource| format!("every resource ({resource:?})")));
    }
    let Some(not_resource) = keys.not_resource.map(|key| statement.get(key)) else {
        return Ok(None);
    };
    if not_resource.attr().is_absent() {
        return Ok(None);
    }
    let mut excluded = Vec::new();
    for value in values(&not_resource) {
        let Some(resource) = value.text().decide()? else {
            continue;
        };
        if grant::is_every_resource(&resource) {
            return Ok(None);
        }
        excluded.push(format!("{:?}", resource.trim()));
    }
    Ok(Some(format!(
        "every resource except {} (`NotResource`)",
        excluded.join(", ")
    )))
}

/// The first known value of a string-or-list field that `matches`; `Err` when none does
/// but an unknown value might.
fn first_match<'a>(field: &Field<'a>, matches: fn(&str) -> bool) -> Reach<'a> {
    let mut first_unknown = None;
    for value in values(field) {
        match value.text() {
            Attr::Known(text) if matches(&text) => return Ok(Some(text.trim().to_owned())),
            Attr::Known(_) | Attr::Absent => {}
            Attr::Unknown(unknown) => {
                first_unknown.get_or_insert(unknown);
            }
        }
    }
    first_unknown.map_or(Ok(None), Err)
}

/// The values of a field that holds one value or a list of them.
fn values<'a>(field: &Field<'a>) -> Vec<Field<'a>> {
    match field.list() {
        Attr::Known(items) => items,
        Attr::Absent => Vec::new(),
        Attr::Unknown(_) => vec![field.clone()],
    }
}

/// A JSON value cut to a readable length for a message.
fn shorten(text: &str) -> String {
    if text.chars().count() > 60 {
        format!("{}...", text.chars().take(57).collect::<String>())
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests;
