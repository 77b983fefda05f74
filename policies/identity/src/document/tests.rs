use palisade_policy::serde_json::json;
use palisade_policy::testing::{resources, unknown};

use super::*;

fn read_policy(policy: Value, cloud: Cloud) -> (Vec<String>, Vec<String>) {
    let set = resources(&[("t", "p", json!({ "policy": policy }))]);
    let reading = read(&set[0].get("policy"), cloud);
    let admin = reading.admin.iter().map(ToString::to_string).collect();
    let undecided = reading
        .undecided
        .iter()
        .map(|u| format!("{}: {}", u.path, u.reason))
        .collect();
    (admin, undecided)
}

fn text(document: Value) -> Value {
    Value::String(document.to_string())
}

#[test]
fn full_wildcards_are_admin_as_string_or_list() {
    for (action, resource) in [
        (json!("*"), json!("*")),
        (json!(["ecs:Describe*", "*"]), json!(["acs:oss:*:*:b", "*"])),
        (json!("*:*"), json!("acs:*:*:*:*")),
    ] {
        let doc = json!({"Version": "1", "Statement": [
            {"Effect": "Allow", "Action": action, "Resource": resource}
        ]});
        let (admin, undecided) = read_policy(text(doc), Cloud::Alibaba);
        assert_eq!(admin.len(), 1, "{admin:?}");
        assert!(undecided.is_empty());
    }
}

#[test]
fn deny_narrow_actions_and_narrow_resources_are_not() {
    for statement in [
        json!({"Effect": "Deny", "Action": "*", "Resource": "*"}),
        json!({"Effect": "Allow", "Action": "ecs:*", "Resource": "*"}),
        json!({"Effect": "Allow", "Action": "*", "Resource": "acs:oss:*:*:bucket"}),
        json!({"Effect": "Allow", "NotAction": ["ram:*"], "Resource": "*"}),
        json!({"Effect": "Allow", "Action": "*", "NotResource": "*"}),
        json!({"effect": "Allow", "action": "*", "resource": "*"}),
    ] {
        let doc = json!({"Statement": [statement]});
        let (admin, undecided) = read_policy(doc, Cloud::Alibaba);
        assert!(admin.is_empty(), "{statement}");
        assert!(undecided.is_empty() || statement.get("effect").is_some());
    }
}

#[test]
fn not_action_and_not_resource_grant_the_rest() {
    let doc = json!({"Statement": {"Effect": "Allow", "NotAction": "ecs:DeleteInstance", "Resource": "*"}});
    let (admin, _) = read_policy(doc, Cloud::Alibaba);
    assert_eq!(
        admin,
        [
            r#"statement 1 allows every action except "ecs:DeleteInstance" (`NotAction`), `ram:*` included, on every resource ("*")"#
        ]
    );
    let doc = json!({"Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]});
    assert!(read_policy(doc, Cloud::Aws).0.is_empty());
    let doc = json!({"Statement": [{"Sid": "All", "Effect": "Allow", "Action": "*", "NotResource": ["arn:aws:s3:::logs"]}]});
    assert_eq!(
        read_policy(doc, Cloud::Aws).0,
        [
            r#"statement 1 ("All") allows every action ("*") on every resource except "arn:aws:s3:::logs" (`NotResource`)"#
        ]
    );
}

#[test]
fn unknown_parts_are_undecided_only_when_they_matter() {
    let marker = unknown("var.resource has no value");
    let doc = json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": marker}]});
    let (admin, undecided) = read_policy(text(doc), Cloud::Alibaba);
    assert!(admin.is_empty());
    assert_eq!(
        undecided,
        ["policy: `Statement[0].Resource` of the policy document: var.resource has no value"]
    );
    let doc = json!({"Statement": [{"Effect": "Allow", "Action": "ecs:*", "Resource": marker}]});
    assert_eq!(read_policy(text(doc), Cloud::Alibaba), (vec![], vec![]));
}

#[test]
fn a_missing_effect_is_noted_not_failed() {
    let doc = json!({"Statement": [{"Action": "*", "Resource": "*"}]});
    let (admin, undecided) = read_policy(doc, Cloud::Aws);
    assert!(admin.is_empty());
    assert_eq!(undecided.len(), 1);
    assert!(undecided[0].contains("has no `Effect`"), "{undecided:?}");
}

#[test]
fn bad_documents_are_undecided() {
    let (_, undecided) = read_policy(json!("{not json"), Cloud::Aws);
    assert!(undecided[0].starts_with("policy: the policy document is not valid JSON"));
    let (_, undecided) = read_policy(json!(12), Cloud::Aws);
    assert_eq!(undecided.len(), 1);
    assert_eq!(read_policy(json!("  "), Cloud::Aws), (vec![], vec![]));
}

#[test]
fn terraform_statement_blocks() {
    let set = resources(&[(
        "alicloud_ram_policy",
        "p",
        json!({"statement": [
            {"effect": "Allow", "action": ["oss:*"], "resource": ["*"]},
            {"effect": "Allow", "action": ["*"], "resource": ["*"]},
        ]}),
    )]);
    let reading = read_blocks(&set[0].get("statement"));
    assert_eq!(reading.admin.len(), 1);
    assert_eq!(reading.admin[0].number, 2);
}
