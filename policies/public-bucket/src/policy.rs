//! Bucket policies: which statements of a policy document open a bucket to everyone.
//!
//! A policy is a JSON document (AWS IAM or Alibaba Cloud RAM policy language), written as
//! a JSON string (Terraform `policy`, a ROS `Policy` string) or as an object (a ROS
//! `Policy` map). A statement is public when all of these hold:
//!
//! - `Effect` is `Allow` (a `Deny` never grants anything);
//! - its `Principal` contains the `*` wildcard: `"*"`, `["*"]`, `{"AWS": "*"}`,
//!   `{"AWS": ["*"]}`, or a value such as `arn:aws:iam::*:root` (both providers call a
//!   principal public unless every value is fixed). `NotPrincipal` is not read;
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
        let whom = if self.principal == "*" {
            "every principal"
        } else {
            "a wildcard principal"
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

/// Reads the policy attribute `policy`: a JSON string, a policy object, absent or unknown.
pub fn read<'a>(policy: &Field<'a>) -> Reading<'a> {
    let mut reading = Reading::default();
    match policy.attr() {
        Attr::Absent => {}
        Attr::Unknown(unknown) => reading.undecided.push(unknown),
        Attr::Known(Value::String(text)) if text.trim().is_empty() => {}
        Attr::Known(Value::String(text)) => match serde_json::from_str::<Value>(text) {
            Ok(document) => {
                let parsed = statements(&Field::new(policy.path().clone(), Some(&document)));
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
        Attr::Known(Value::Object(_)) => reading = statements(policy),
        Attr::Known(other) => reading.undecided.push(policy.unknown(format!(
            "the bucket policy is neither a JSON string nor an object: {other}"
        ))),
    }
    reading
}

/// Reads every statement of a policy document.
fn statements<'a>(document: &Field<'a>) -> Reading<'a> {
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
        match public_statement(statement, index + 1) {
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
) -> Result<Option<PublicStatement>, Unknown<'a>> {
    if let Attr::Unknown(unknown) = statement.attr() {
        return Err(unknown);
    }
    let allows = allows(&statement.get("Effect"));
    let principal = public_principal(&statement.get("Principal"));
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
/// of the object (`{"AWS": [...]}`). `None` when every value is fixed.
fn public_principal<'a>(principal: &Field<'a>) -> Result<Option<String>, Unknown<'a>> {
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
mod tests {
    use palisade_policy::AttrPath;
    use palisade_policy::serde_json::json;

    use super::*;

    fn read_value(policy: &Value) -> (Vec<PublicStatement>, Vec<(String, String)>) {
        let field = Field::new(AttrPath::root().key("policy"), Some(policy));
        let reading = read(&field);
        let undecided = reading
            .undecided
            .iter()
            .map(|u| (u.path.as_str().to_owned(), u.reason.clone().into_owned()))
            .collect();
        (reading.public, undecided)
    }

    fn public(statement: Value) -> Option<PublicStatement> {
        let policy = json!({"Version": "2012-10-17", "Statement": [statement]});
        let (public, undecided) = read_value(&Value::String(policy.to_string()));
        assert!(undecided.is_empty(), "{undecided:?}");
        public.into_iter().next()
    }

    fn allow(principal: Value, action: Value) -> Value {
        json!({"Effect": "Allow", "Principal": principal, "Action": action, "Resource": "*"})
    }

    #[test]
    fn every_spelling_of_everyone_is_public() {
        for principal in [
            json!("*"),
            json!(["*"]),
            json!({"AWS": "*"}),
            json!({"AWS": ["*"]}),
            json!(["123", " * "]),
        ] {
            let statement = public(allow(principal.clone(), json!("s3:GetObject")));
            let statement = statement.unwrap_or_else(|| panic!("{principal}"));
            assert_eq!(statement.principal, "*");
            assert_eq!(statement.exposure, Exposure::PublicRead);
        }
        let wildcard = public(allow(json!({"AWS": "arn:aws:iam::*:root"}), json!("s3:*")));
        assert_eq!(
            wildcard.unwrap().to_string(),
            "bucket policy statement 1 allows s3:* to a wildcard principal (\"arn:aws:iam::*:root\")"
        );
    }

    #[test]
    fn specific_principals_are_not_public() {
        for principal in [
            json!("1234567890"),
            json!(["1234567890", "acs:ram::123:role/reader"]),
            json!({"AWS": "arn:aws:iam::123456789012:root"}),
            json!({"Service": ["logging.s3.amazonaws.com"]}),
            json!([1234567890]),
        ] {
            assert_eq!(
                public(allow(principal.clone(), json!("s3:GetObject"))),
                None,
                "{principal}"
            );
        }
        let not_principal = json!({"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::1:root"}, "Action": "s3:*"});
        assert_eq!(public(not_principal), None);
    }

    #[test]
    fn deny_conditions_and_other_services_are_not_public() {
        let deny = json!({"Effect": "Deny", "Principal": "*", "Action": "s3:*"});
        assert_eq!(public(deny), None);
        let no_effect = json!({"Principal": "*", "Action": "s3:*"});
        assert_eq!(public(no_effect), None);
        for condition in [
            json!({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}),
            json!({"StringEquals": {"acs:SourceVpc": "vpc-123"}}),
            json!({"ArnLike": {"aws:SourceArn": "arn:aws:cloudfront::1:distribution/X"}}),
        ] {
            let mut statement = allow(json!("*"), json!("s3:GetObject"));
            statement["Condition"] = condition.clone();
            assert_eq!(public(statement), None, "{condition}");
        }
        let mut empty_condition = allow(json!("*"), json!("s3:GetObject"));
        empty_condition["Condition"] = json!({});
        assert!(public(empty_condition).is_some());
        assert_eq!(public(allow(json!("*"), json!(["kms:Decrypt"]))), None);
    }

    #[test]
    fn the_most_exposing_action_is_reported() {
        let statement = public(allow(
            json!(["*"]),
            json!(["oss:GetObject", "oss:PutObject", "oss:ListObjects"]),
        ))
        .unwrap();
        assert_eq!(statement.action, "oss:PutObject");
        assert_eq!(statement.exposure, Exposure::WorldWritable);
        let everything = public(allow(json!("*"), json!("*"))).unwrap();
        assert_eq!(everything.exposure, Exposure::WorldWritable);
    }

    #[test]
    fn not_action_grants_everything_else() {
        let mut statement =
            json!({"Effect": "Allow", "Principal": "*", "NotAction": ["s3:DeleteObject"]});
        let public_statement = public(statement.clone()).unwrap();
        assert_eq!(
            public_statement.action,
            "every action except s3:DeleteObject"
        );
        assert_eq!(public_statement.exposure, Exposure::WorldWritable);
        statement["NotAction"] = json!("s3:*");
        assert_eq!(public(statement), None);
    }

    #[test]
    fn statements_are_numbered_from_one_with_their_sid() {
        let policy = json!({"Statement": [
            {"Effect": "Deny", "Principal": "*", "Action": "s3:*"},
            {"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"},
        ]});
        let (public, _) = read_value(&policy);
        assert_eq!(
            public[0].to_string(),
            "bucket policy statement 2 (\"PublicRead\") allows s3:GetObject to every principal (\"*\")"
        );
        let single =
            json!({"Statement": {"Effect": "Allow", "Principal": "*", "Action": "oss:GetObject"}});
        assert_eq!(read_value(&single).0.len(), 1);
    }

    #[test]
    fn unreadable_policies_are_undecided_at_the_attribute() {
        let unknown =
            json!({"$unknown": {"reason": "`jsonencode({...` is not evaluated", "refers": null}});
        assert_eq!(
            read_value(&unknown).1,
            [(
                "policy".to_owned(),
                "`jsonencode({...` is not evaluated".to_owned()
            )]
        );
        let (public, undecided) = read_value(&json!("{\"Statement\": ["));
        assert!(public.is_empty());
        assert_eq!(undecided[0].0, "policy");
        assert!(
            undecided[0]
                .1
                .starts_with("the bucket policy could not be parsed as JSON: "),
            "{undecided:?}"
        );
        assert_eq!(read_value(&json!(42)).1.len(), 1);
        assert_eq!(read_value(&json!({"Statement": "x"})).1.len(), 1);
        for empty in [json!(""), json!("  "), Value::Null, json!({})] {
            let (public, undecided) = read_value(&empty);
            assert!(public.is_empty() && undecided.is_empty(), "{empty}");
        }
    }

    #[test]
    fn unknown_parts_of_a_policy_object_are_undecided_where_they_are() {
        let unknown = json!({"$unknown": {"reason": "Fn::Sub is not evaluated", "refers": null}});
        let policy = json!({"Statement": [
            {"Effect": "Allow", "Principal": unknown.clone(), "Action": "oss:GetObject"},
            {"Effect": "Deny", "Principal": unknown.clone(), "Action": "oss:GetObject"},
            {"Effect": "Allow", "Principal": "*", "Action": "oss:GetObject", "Resource": unknown.clone()},
        ]});
        let (public, undecided) = read_value(&policy);
        assert_eq!(public.len(), 1);
        assert_eq!(public[0].number, 3);
        assert_eq!(
            undecided,
            [(
                "policy.Statement[0].Principal".to_owned(),
                "Fn::Sub is not evaluated".to_owned()
            )]
        );
        let whole = json!({"Statement": [unknown]});
        assert_eq!(read_value(&whole).1[0].0, "policy.Statement[0]");
    }
}
