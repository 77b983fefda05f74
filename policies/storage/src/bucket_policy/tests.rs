use palisade_policy::AttrPath;
use palisade_policy::serde_json::json;

use super::*;

fn read_value(policy: &Value) -> (Vec<PublicStatement>, Vec<(String, String)>) {
    let field = Field::new(AttrPath::root().key("policy"), Some(policy));
    let reading = read(&field, Cloud::Aws);
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
