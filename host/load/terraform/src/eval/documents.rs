//! Policy documents that data sources compute from their own configuration, without
//! calling the cloud: `aws_iam_policy_document` and `alicloud_ram_policy_document`.
//!
//! A policy resource usually takes its document from one of them (`policy =
//! data.aws_iam_policy_document.admin.json`); left unknown, every such document would be
//! undecided. The document is built the way the providers build it, from the `statement`
//! blocks as evaluated: a value known only after apply stays in it as an unknown, which
//! the rules reading the document see as such. The providers' exact whitespace is not
//! kept: what reads a document parses it.

use std::collections::BTreeMap;

use super::functions::json_text;
use super::value::Value;

const AWS: &str = "aws_iam_policy_document";
const ALICLOUD: &str = "alicloud_ram_policy_document";

/// Whether a data source of `data_type` is computed here rather than read from the
/// provider during plan.
pub(super) fn computes(data_type: &str) -> bool {
    matches!(data_type, AWS | ALICLOUD)
}

/// Adds to the configured `attributes` of an instance of a data source of `data_type`
/// the attributes it computes from them (nothing for one read from the provider).
pub(super) fn complete(data_type: &str, attributes: &mut Value) {
    let computed = match data_type {
        AWS => {
            let document = aws_document(attributes);
            vec![("json", document.clone()), ("minified_json", document)]
        }
        ALICLOUD => vec![("document", alicloud_document(attributes))],
        _ => return,
    };
    if let Value::Object(map) = attributes {
        map.extend(
            computed
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value)),
        );
    }
}

/// `aws_iam_policy_document.json`: the statements of `source_policy_documents`, then
/// those of the block (replacing a source statement of the same `sid`), then those of
/// `override_policy_documents` (replacing any of the same `sid`).
fn aws_document(attributes: &Value) -> Value {
    let get = |name: &str| attribute(attributes, name);
    let mut statements: Vec<Value> = Vec::new();
    for source in documents(get("source_policy_documents"), get("source_json")) {
        match statements_of(&source) {
            Ok(found) => statements.extend(found),
            Err(unknown) => return unknown,
        }
    }
    for block in blocks(get("statement")) {
        merge(&mut statements, aws_statement(&block));
    }
    for source in documents(get("override_policy_documents"), get("override_json")) {
        match statements_of(&source) {
            Ok(found) => found.into_iter().for_each(|s| merge(&mut statements, s)),
            Err(unknown) => return unknown,
        }
    }
    let mut document = BTreeMap::new();
    if let Some(id) = get("policy_id") {
        document.insert("Id".to_owned(), id);
    }
    document_text(document, get("version"), "2012-10-17", statements)
}

fn aws_statement(block: &Value) -> Value {
    let get = |name: &str| attribute(block, name);
    let mut statement = BTreeMap::new();
    if let Some(sid) = get("sid").filter(|sid| sid.to_text().is_none_or(|s| !s.is_empty())) {
        statement.insert("Sid".to_owned(), sid);
    }
    let lists = [
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ];
    effect_and_lists(block, &lists, &mut statement);
    for (name, key) in [
        ("principals", "Principal"),
        ("not_principals", "NotPrincipal"),
    ] {
        let principals = principals(get(name), "type", Identifiers::OneAsText);
        if let Some(principals) = principals {
            statement.insert(key.to_owned(), principals);
        }
    }
    if let Some(condition) = conditions(get("condition"), "test") {
        statement.insert("Condition".to_owned(), condition);
    }
    Value::Object(statement)
}

/// `alicloud_ram_policy_document.document`.
fn alicloud_document(attributes: &Value) -> Value {
    let get = |name: &str| attribute(attributes, name);
    let statements = blocks(get("statement"))
        .iter()
        .map(alicloud_statement)
        .collect();
    document_text(BTreeMap::new(), get("version"), "1", statements)
}

/// The JSON text of a document with the keys of `document`, its `Version` (`default`
/// when not set) and its statements.
fn document_text(
    mut document: BTreeMap<String, Value>,
    version: Option<Value>,
    default: &str,
    statements: Vec<Value>,
) -> Value {
    let version = version.unwrap_or_else(|| Value::String(default.to_owned()));
    document.insert("Version".to_owned(), version);
    document.insert("Statement".to_owned(), Value::List(statements));
    Value::String(json_text(&Value::Object(document)))
}

fn alicloud_statement(block: &Value) -> Value {
    let get = |name: &str| attribute(block, name);
    let mut statement = BTreeMap::new();
    effect_and_lists(
        block,
        &[("action", "Action"), ("resource", "Resource")],
        &mut statement,
    );
    if let Some(principals) = principals(get("principal"), "entity", Identifiers::List) {
        statement.insert("Principal".to_owned(), principals);
    }
    if let Some(condition) = conditions(get("condition"), "operator") {
        statement.insert("Condition".to_owned(), condition);
    }
    Value::Object(statement)
}

/// The statement's `Effect` (`Allow` when omitted, in both providers) and each list
/// attribute of `lists` that is not empty, under its key in the document.
fn effect_and_lists(
    block: &Value,
    lists: &[(&str, &str)],
    statement: &mut BTreeMap<String, Value>,
) {
    let effect = attribute(block, "effect").unwrap_or_else(|| Value::String("Allow".to_owned()));
    statement.insert("Effect".to_owned(), effect);
    for (name, key) in lists {
        if let Some(list) = attribute(block, name).filter(|list| !is_empty_list(list)) {
            statement.insert((*key).to_owned(), single_or_list(list));
        }
    }
}

/// The attribute `name` of an evaluated block, unless it is null.
fn attribute(block: &Value, name: &str) -> Option<Value> {
    match block {
        Value::Object(map) => map.get(name).filter(|v| !matches!(v, Value::Null)).cloned(),
        _ => None,
    }
}

/// The evaluated nested blocks of one name: a list of objects, or one unknown standing
/// for blocks that could not be known (a `dynamic` block over an unknown collection).
fn blocks(value: Option<Value>) -> Vec<Value> {
    match value {
        Some(Value::List(items)) => items,
        Some(other) => vec![other],
        None => Vec::new(),
    }
}

/// The JSON texts of a list attribute of documents and of its deprecated one-document
/// form.
fn documents(list: Option<Value>, single: Option<Value>) -> Vec<Value> {
    let mut documents = blocks(list);
    documents.extend(single);
    documents
}

/// The statements of one source or override document; an unknown document makes the
/// whole result unknown, since its statements may replace any.
fn statements_of(document: &Value) -> Result<Vec<Value>, Value> {
    let unknown = |why: &str| Value::unknown(format!("the policy document {why}"));
    let Value::String(text) = document else {
        return Err(match document {
            Value::Unknown(_) => document.clone(),
            _ => unknown("merges a value that is not a JSON text"),
        });
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
        return Err(unknown("merges a text that is not valid JSON"));
    };
    Ok(match Value::from_evaluated(&json) {
        Value::Object(mut map) => match map.remove("Statement") {
            Some(Value::List(statements)) => statements,
            Some(statement) => vec![statement],
            None => Vec::new(),
        },
        _ => Vec::new(),
    })
}

/// Adds `statement`, in place of the statement with the same non-empty `Sid` if there
/// is one.
fn merge(statements: &mut Vec<Value>, statement: Value) {
    let sid = |s: &Value| {
        attribute(s, "Sid")
            .and_then(|sid| sid.to_text())
            .filter(|s| !s.is_empty())
    };
    if let Some(id) = sid(&statement)
        && let Some(same) = statements.iter_mut().find(|s| sid(s).as_ref() == Some(&id))
    {
        *same = statement;
        return;
    }
    statements.push(statement);
}

fn is_empty_list(value: &Value) -> bool {
    matches!(value, Value::List(items) if items.is_empty())
}

/// A list of one element as that element, as the providers write `Action: "oss:*"`.
fn single_or_list(value: Value) -> Value {
    match value {
        Value::List(mut items) if items.len() == 1 => items.remove(0),
        other => other,
    }
}

/// How a provider writes the identifiers of one kind of principal.
#[derive(Clone, Copy, PartialEq)]
enum Identifiers {
    /// One identifier as a text, several as a list (AWS).
    OneAsText,
    /// Always a list (Alibaba Cloud).
    List,
}

/// `Principal` from `principals { type = ..., identifiers = [...] }` blocks (`entity`
/// for Alibaba Cloud): identifiers by type; `"*"` for the one principal `*` of type `*`.
fn principals(value: Option<Value>, kind: &str, identifiers: Identifiers) -> Option<Value> {
    let written = blocks(value);
    if written.is_empty() {
        return None;
    }
    let mut by_kind: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for block in &written {
        let (Some(kind), Some(ids)) = (
            attribute(block, kind).and_then(|k| k.to_text()),
            attribute(block, "identifiers"),
        ) else {
            return Some(Value::unknown(
                "a principal of the policy document is not known",
            ));
        };
        by_kind.entry(kind).or_default().extend(blocks(Some(ids)));
    }
    if by_kind.len() == 1
        && by_kind
            .get("*")
            .is_some_and(|ids| ids == &[Value::String("*".to_owned())])
    {
        return Some(Value::String("*".to_owned()));
    }
    let map = by_kind
        .into_iter()
        .map(|(kind, ids)| match identifiers {
            Identifiers::OneAsText => (kind, single_or_list(Value::List(ids))),
            Identifiers::List => (kind, Value::List(ids)),
        })
        .collect();
    Some(Value::Object(map))
}

/// `Condition` from `condition { test = ..., variable = ..., values = [...] }` blocks
/// (`operator` for Alibaba Cloud): values by variable, by test.
fn conditions(value: Option<Value>, operator: &str) -> Option<Value> {
    let blocks = blocks(value);
    if blocks.is_empty() {
        return None;
    }
    let mut by_test: BTreeMap<String, BTreeMap<String, Value>> = BTreeMap::new();
    for block in &blocks {
        let (Some(test), Some(variable), Some(values)) = (
            attribute(block, operator).and_then(|t| t.to_text()),
            attribute(block, "variable").and_then(|v| v.to_text()),
            attribute(block, "values"),
        ) else {
            return Some(Value::unknown(
                "a condition of the policy document is not known",
            ));
        };
        by_test
            .entry(test)
            .or_default()
            .insert(variable, single_or_list(values));
    }
    let map = by_test
        .into_iter()
        .map(|(test, variables)| (test, Value::Object(variables)))
        .collect();
    Some(Value::Object(map))
}
