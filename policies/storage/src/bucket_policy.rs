//! Bucket policies: which statements of a policy document open a bucket to everyone.
//!
//! A policy is a JSON document (AWS IAM or Alibaba Cloud RAM policy language), written as
//! a JSON string (Terraform `policy`, a ROS `Policy` string) or as an object (a ROS
//! `Policy` map). A statement is public when all of these hold:
//!
//! - `Effect` is `Allow` (a `Deny` never grants anything);
//! - its `Principal` contains the `*` wildcard: `"*"`, `["*"]`, `{"AWS": "*"}`,
//!   `{"AWS": ["*"]}`, or a value such as `arn:aws:iam::*:root` (both providers call a
//!   principal public unless every value is fixed); for OSS, an empty list too, which OSS
//!   reads as `["*"]` (its policy syntax reference). `NotPrincipal` is not read;
//! - it grants an `s3` or `oss` action (`Action`), or every action but some (`NotAction`)
//!   unless those exclude every bucket action;
//! - it has no `Condition`: any condition (source IP, VPC, `aws:SourceArn`,
//!   `acs:SourceVpc`, ...) restricts who can use it, so it is not called public.
//!
//! Nothing here is shared with the ACL reading: this is the policy-language half of the
//! rule, written so that it could move to the SDK if another rule needs it.

use std::borrow::Cow;
use std::fmt;

use palisade_policy::cloud::acl::Exposure;
use palisade_policy::serde_json::{self, Value};
use palisade_policy::{Attr, Field, Unknown};

use crate::action;
use crate::exposure::Cloud;

/// A statement that grants bucket access to everyone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicStatement {
    /// Position in `Statement`, counted from 1 as users count.
    pub number: usize,
    /// The statement's `Sid`, if it has one.
    pub sid: Option<String>,
    /// The granted action that exposes the most (`s3:PutObject`), or a description of a
    /// `NotAction` grant.
    pub action: String,
    /// The principal value that admits everyone, as written (`*`).
    pub principal: String,
    /// How far the statement opens the bucket.
    pub exposure: Exposure,
}

impl fmt::Display for PublicStatement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "bucket policy statement {}", self.number)?;
        if let Some(sid) = &self.sid {
            write!(f, " ({sid:?})")?;
        }
        let whom = match self.principal.as_str() {
            "*" => "every principal",
            "[]" => "every principal, as an empty list means in OSS",
            _ => "a wildcard principal",
        };
        write!(
            f,
            " allows {} to {whom} ({:?})",
            self.action, self.principal
        )
    }
}

/// What a policy attribute says: its public statements, and what could not be decided.
#[derive(Debug, Default)]
pub struct Reading<'a> {
    /// Statements that grant bucket access to everyone.
    pub public: Vec<PublicStatement>,
    /// Values the rule could not read (an unknown policy, an unparsable one, an unknown
    /// principal), located for a note.
    pub undecided: Vec<Unknown<'a>>,
}

/// Reads the policy attribute `policy` of a bucket of `cloud`: a JSON string, a policy
/// object, absent or unknown.
pub fn read<'a>(policy: &Field<'a>, cloud: Cloud) -> Reading<'a> {
    let mut reading = Reading::default();
    match policy.attr() {
        Attr::Absent => {}
        Attr::Unknown(unknown) => reading.undecided.push(unknown),
        Attr::Known(Value::String(text)) if text.trim().is_empty() => {}
        Attr::Known(Value::String(text)) => match serde_json::from_str::<Value>(text) {
            Ok(document) => {
                let document = Field::new(policy.path().clone(), Some(&document));
                let parsed = statements(&document, cloud);
                reading.public = parsed.public;
                // The parsed text is gone after this call; notes point at the attribute.
                reading.undecided = parsed
                    .undecided
                    .into_iter()
                    .map(|unknown| Unknown {
                        path: policy.path().clone(),
                        reason: Cow::Owned(unknown.reason.into_owned()),
                        refers: None,
                    })
                    .collect();
            }
            Err(error) => {
                let mut reason = format!("the bucket policy could not be parsed as JSON: {error}");
                if error.line() > 0 {
                    // serde_json ends with "at line L column C", counted in the policy text.
                    reason.push_str(" of the policy text");
                }
                reading.undecided.push(policy.unknown(reason));
            }
        },
        Attr::Known(Value::Object(_)) => reading = statements(policy, cloud),
        Attr::Known(other) => reading.undecided.push(policy.unknown(format!(
            "the bucket policy is neither a JSON string nor an object: {other}"
        ))),
    }
    reading
}

/// Reads every statement of a policy document.
fn statements<'a>(document: &Field<'a>, cloud: Cloud) -> Reading<'a> {
    let mut reading = Reading::default();
    let field = document.get("Statement");
    let statements = match field.attr() {
        Attr::Known(Value::Object(_)) => vec![field],
        Attr::Known(Value::Array(_)) => field.list().known().unwrap_or_default(),
        Attr::Absent => Vec::new(),
        Attr::Known(other) => {
            let reason = format!("the policy's Statement is not a list of statements: {other}");
            reading.undecided.push(field.unknown(reason));
            Vec::new()
        }
        Attr::Unknown(unknown) => {
            reading.undecided.push(unknown);
            Vec::new()
        }
    };
    for (index, statement) in statements.iter().enumerate() {
        match public_statement(statement, index + 1, cloud) {
            Ok(Some(public)) => reading.public.push(public),
            Ok(None) => {}
            Err(unknown) => reading.undecided.push(unknown),
        }
    }
    reading
}

/// Whether one statement is public; `Err` when that depends on an unknown value.
fn public_statement<'a>(
    statement: &Field<'a>,
    number: usize,
    cloud: Cloud,
) -> Result<Option<PublicStatement>, Unknown<'a>> {
    if let Attr::Unknown(unknown) = statement.attr() {
        return Err(unknown);
    }
    let allows = allows(&statement.get("Effect"));
    let principal = public_principal(&statement.get("Principal"), cloud);
    let action = granted_action(statement);
    let not_public = matches!(allows, Ok(false))
        || is_conditioned(&statement.get("Condition"))
        || matches!(principal, Ok(None))
        || matches!(action, Ok(None));
    if not_public {
        return Ok(None);
    }
    allows?;
    let (Some(principal), Some((action, exposure))) = (principal?, action?) else {
        return Ok(None);
    };
    Ok(Some(PublicStatement {
        number,
        sid: statement.get("Sid").text().known().map(Cow::into_owned),
        action,
        principal,
        exposure,
    }))
}

/// Whether `Effect` is `Allow` (an absent effect makes the statement invalid: no grant).
fn allows<'a>(effect: &Field<'a>) -> Result<bool, Unknown<'a>> {
    Ok(effect
        .text()
        .decide()?
        .is_some_and(|effect| effect.trim().eq_ignore_ascii_case("allow")))
}

/// Whether a `Condition` restricts the statement: any condition but an empty one, even
/// one whose value is unknown.
fn is_conditioned(condition: &Field<'_>) -> bool {
    match condition.attr() {
        Attr::Absent => false,
        Attr::Known(Value::Object(entries)) => !entries.is_empty(),
        Attr::Known(_) | Attr::Unknown(_) => true,
    }
}

/// The first principal value with a `*` wildcard: in the string, the list, or any value
/// of the object (`{"AWS": [...]}`); for OSS an empty list, which means everyone. `None`
/// when every value is fixed.
fn public_principal<'a>(
    principal: &Field<'a>,
    cloud: Cloud,
) -> Result<Option<String>, Unknown<'a>> {
    if cloud == Cloud::Alibaba
        && matches!(principal.attr(), Attr::Known(Value::Array(items)) if items.is_empty())
    {
        return Ok(Some("[]".to_owned()));
    }
    let values = match principal.attr() {
        Attr::Known(Value::Object(entries)) => entries
            .keys()
            .flat_map(|key| values(principal.get(key)))
            .collect(),
        _ => values(principal.clone()),
    };
    let mut first_unknown = None;
    for value in values {
        match value.text() {
            Attr::Known(text) if text.contains('*') => return Ok(Some(text.trim().to_owned())),
            Attr::Known(_) | Attr::Absent => {}
            Attr::Unknown(unknown) => {
                first_unknown.get_or_insert(unknown);
            }
        }
    }
    first_unknown.map_or(Ok(None), Err)
}

/// The granted action that exposes the bucket most, with its exposure; `None` when the
/// statement grants no bucket action.
fn granted_action<'a>(statement: &Field<'a>) -> Result<Option<(String, Exposure)>, Unknown<'a>> {
    let listed = statement.get("Action");
    if listed.attr().is_absent() {
        return all_actions_but(&statement.get("NotAction"));
    }
    let mut best: Option<(String, Exposure)> = None;
    let mut first_unknown = None;
    for value in values(listed) {
        match value.text() {
            Attr::Known(action) => {
                let Some(exposure) = action::exposure(&action) else {
                    continue;
                };
                if best.as_ref().is_none_or(|(_, most)| exposure > *most) {
                    best = Some((action.trim().to_owned(), exposure));
                }
            }
            Attr::Absent => {}
            Attr::Unknown(unknown) => {
                first_unknown.get_or_insert(unknown);
            }
        }
    }
    match (best, first_unknown) {
        (Some(best), _) => Ok(Some(best)),
        (None, Some(unknown)) => Err(unknown),
        (None, None) => Ok(None),
    }
}

/// A `NotAction` grant: every action except the listed ones, which includes writes
/// unless the exclusions cover every bucket action.
fn all_actions_but<'a>(excluded: &Field<'a>) -> Result<Option<(String, Exposure)>, Unknown<'a>> {
    if excluded.attr().is_absent() {
        return Ok(None);
    }
    let mut names = Vec::new();
    for value in values(excluded.clone()) {
        if let Some(name) = value.text().decide()? {
            if action::covers_every_bucket_action(&name) {
                return Ok(None);
            }
            names.push(name.trim().to_owned());
        }
    }
    let action = format!("every action except {}", names.join(", "));
    Ok(Some((action, Exposure::WorldWritable)))
}

/// The values of a field that holds one value or a list of them.
fn values(field: Field<'_>) -> Vec<Field<'_>> {
    match field.list() {
        Attr::Known(items) => items,
        Attr::Absent => Vec::new(),
        Attr::Unknown(_) => vec![field],
    }
}

#[cfg(test)]
mod tests;
