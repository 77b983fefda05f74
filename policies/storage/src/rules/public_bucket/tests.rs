//! Behaviour of the rule on resources built in JSON, per provider.

use palisade_policy::family::FamilyRule;
use palisade_policy::testing::{locations as at, reference, resources, unknown};
use palisade_policy::{Evaluation, Severity};
use serde_json::{Value, json};

use super::RULE;

fn evaluate(specs: &[(&str, &str, Value)]) -> Evaluation {
    let rule = FamilyRule {
        rule: RULE,
        evaluate: super::evaluate,
    };
    rule.run(&resources(specs))
}

const ALL_USERS: &str = "http://acs.amazonaws.com/groups/global/AllUsers";
const AUTHENTICATED_USERS: &str = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";

#[test]
fn public_canned_acls_fail_on_every_bucket_type() {
    for (resource_type, attribute) in [
        ("alicloud_oss_bucket", "acl"),
        ("aws_s3_bucket", "acl"),
        ("ALIYUN::OSS::Bucket", "AccessControl"),
    ] {
        let result = evaluate(&[(resource_type, "b", json!({ attribute: "public-read" }))]);
        assert_eq!(at(&result.findings), [(0, attribute)], "{resource_type}");
        assert_eq!(
            result.findings[0].message,
            "bucket ACL public-read lets the public read the bucket"
        );
        let result = evaluate(&[(
            resource_type,
            "b",
            json!({ attribute: "public-read-write" }),
        )]);
        assert!(
            result.findings[0].message.contains("world-writable"),
            "{resource_type}"
        );
        assert_eq!(
            result.findings[0].severity,
            Some(Severity::Critical),
            "{resource_type}"
        );
    }
}

#[test]
fn private_and_omitted_acls_pass_silently() {
    for acl in [
        json!({"acl": "private"}),
        json!({}),
        json!({"acl": null}),
        json!({"acl": "log-delivery-write"}),
    ] {
        assert_eq!(
            evaluate(&[("aws_s3_bucket", "b", acl.clone())]),
            Evaluation::default(),
            "{acl}"
        );
    }
    assert_eq!(
        evaluate(&[(
            "ALIYUN::OSS::Bucket",
            "B",
            json!({"AccessControl": "private"})
        )]),
        Evaluation::default()
    );
}

#[test]
fn aws_authenticated_read_counts_as_public() {
    let result = evaluate(&[("aws_s3_bucket", "b", json!({"acl": "authenticated-read"}))]);
    assert_eq!(at(&result.findings), [(0, "acl")]);
}

#[test]
fn an_unknown_acl_is_a_note() {
    let result = evaluate(&[(
        "alicloud_oss_bucket",
        "b",
        json!({"acl": unknown("var.acl has no value")}),
    )]);
    assert!(result.findings.is_empty());
    assert_eq!(at(&result.notes), [(0, "acl")]);
    assert_eq!(
        result.notes[0].message,
        "could not decide: var.acl has no value"
    );
}

#[test]
fn separate_acl_resources_fail_on_themselves() {
    let result = evaluate(&[
        ("alicloud_oss_bucket", "b", json!({"bucket": "logs"})),
        (
            "alicloud_oss_bucket_acl",
            "a",
            json!({"bucket": reference("alicloud_oss_bucket.b"), "acl": "public-read-write"}),
        ),
    ]);
    assert_eq!(at(&result.findings), [(1, "acl")]);
    assert!(result.findings[0].message.contains("world-writable"));

    let result = evaluate(&[
        ("aws_s3_bucket", "b", json!({"bucket": "logs"})),
        (
            "aws_s3_bucket_acl",
            "a",
            json!({"bucket": "logs", "acl": "public-read"}),
        ),
    ]);
    assert_eq!(at(&result.findings), [(1, "acl")]);
}

fn grant(uri: &str, permission: &str) -> Value {
    json!({"grantee": [{"type": "Group", "uri": uri}], "permission": permission})
}

#[test]
fn aws_grants_to_public_groups_fail_at_the_grantee_uri() {
    let acl = json!({
        "bucket": reference("aws_s3_bucket.b"),
        "access_control_policy": [{
            "grant": [
                {"grantee": [{"type": "CanonicalUser", "id": "abc"}], "permission": "FULL_CONTROL"},
                grant(ALL_USERS, "READ"),
                grant(AUTHENTICATED_USERS, "WRITE"),
                grant("http://acs.amazonaws.com/groups/s3/LogDelivery", "WRITE"),
            ],
            "owner": [{"id": "abc"}],
        }],
    });
    let result = evaluate(&[("aws_s3_bucket_acl", "a", acl)]);
    assert_eq!(
        at(&result.findings),
        [
            (0, "access_control_policy[0].grant[1].grantee[0].uri"),
            (0, "access_control_policy[0].grant[2].grantee[0].uri"),
        ]
    );
    assert_eq!(
        result.findings[0].message,
        "the grant of READ to AllUsers (everyone on the internet) lets the public read the bucket"
    );
    assert!(result.findings[1].message.contains("world-writable"));
}

#[test]
fn aws_legacy_inline_grants() {
    let bucket =
        json!({"grant": [{"type": "Group", "uri": ALL_USERS, "permissions": ["READ", "WRITE"]}]});
    let result = evaluate(&[("aws_s3_bucket", "b", bucket)]);
    assert_eq!(
        at(&result.findings),
        [(0, "grant[0].uri"), (0, "grant[0].uri")]
    );
}

#[test]
fn unknown_grants_are_notes() {
    let acl = json!({"access_control_policy": [{"grant": [grant(ALL_USERS, "READ")]}]});
    let mut with_unknown_uri = acl.clone();
    with_unknown_uri["access_control_policy"][0]["grant"][0]["grantee"][0]["uri"] =
        unknown("var.uri");
    let result = evaluate(&[("aws_s3_bucket_acl", "a", with_unknown_uri)]);
    assert!(result.findings.is_empty());
    assert_eq!(
        at(&result.notes),
        [(0, "access_control_policy[0].grant[0].grantee[0].uri")]
    );

    let dynamic =
        json!({"access_control_policy": [{"grant": unknown("dynamic grant over var.grants")}]});
    let result = evaluate(&[("aws_s3_bucket_acl", "a", dynamic)]);
    assert_eq!(at(&result.notes), [(0, "access_control_policy[0].grant")]);
}

#[test]
fn an_access_block_for_the_bucket_neutralizes_its_public_acl() {
    // Linked by reference, to the bucket and to its ACL resource.
    let result = evaluate(&[
        (
            "aws_s3_bucket",
            "b",
            json!({"bucket": "logs", "acl": "public-read"}),
        ),
        (
            "aws_s3_bucket_acl",
            "a",
            json!({"bucket": reference("aws_s3_bucket.b"), "acl": "public-read"}),
        ),
        (
            "aws_s3_bucket_public_access_block",
            "p",
            json!({"bucket": reference("aws_s3_bucket.b"), "ignore_public_acls": true}),
        ),
    ]);
    assert!(result.findings.is_empty());
    assert_eq!(at(&result.notes), [(0, "acl"), (1, "acl")]);
    assert!(result.notes[0].message.ends_with(
        "but ignore_public_acls on aws_s3_bucket_public_access_block.p makes the provider ignore public ACLs"
    ));

    // Linked by literal name on one side and reference on the other.
    let result = evaluate(&[
        ("aws_s3_bucket", "b", json!({"bucket": "logs"})),
        (
            "aws_s3_bucket_acl",
            "a",
            json!({"bucket": reference("aws_s3_bucket.b"), "acl": "public-read"}),
        ),
        (
            "aws_s3_bucket_public_access_block",
            "p",
            json!({"bucket": "logs", "ignore_public_acls": "true"}),
        ),
    ]);
    assert!(result.findings.is_empty());

    // A bucket outside the configuration, named the same on both sides.
    let result = evaluate(&[
        (
            "alicloud_oss_bucket_acl",
            "a",
            json!({"bucket": "external", "acl": "public-read"}),
        ),
        (
            "alicloud_oss_bucket_public_access_block",
            "p",
            json!({"bucket": "external", "block_public_access": true}),
        ),
    ]);
    assert!(result.findings.is_empty());
}

#[test]
fn access_blocks_that_do_not_apply_do_not_neutralize() {
    let blocks = [
        json!({"bucket": reference("aws_s3_bucket.other"), "ignore_public_acls": true}),
        json!({"bucket": reference("aws_s3_bucket.b"), "ignore_public_acls": false}),
        json!({"bucket": reference("aws_s3_bucket.b"), "block_public_acls": true}),
        json!({"bucket": "other-name", "ignore_public_acls": true}),
    ];
    for block in blocks {
        let result = evaluate(&[
            (
                "aws_s3_bucket",
                "b",
                json!({"bucket": "logs", "acl": "public-read"}),
            ),
            ("aws_s3_bucket", "other", json!({"bucket": "other-name"})),
            ("aws_s3_bucket_public_access_block", "p", block.clone()),
        ]);
        assert_eq!(at(&result.findings), [(0, "acl")], "{block}");
    }
    // An Alibaba block does not protect an AWS bucket.
    let result = evaluate(&[
        ("aws_s3_bucket", "b", json!({"acl": "public-read"})),
        (
            "alicloud_oss_account_public_access_block",
            "p",
            json!({"block_public_access": true}),
        ),
    ]);
    assert_eq!(at(&result.findings), [(0, "acl")]);
}

#[test]
fn account_level_blocks_cover_every_bucket_of_their_provider() {
    let result = evaluate(&[
        ("aws_s3_bucket", "b", json!({"acl": "public-read-write"})),
        (
            "aws_s3_account_public_access_block",
            "p",
            json!({"ignore_public_acls": true}),
        ),
    ]);
    assert!(result.findings.is_empty());
    let result = evaluate(&[
        ("alicloud_oss_bucket", "b", json!({"acl": "public-read"})),
        (
            "alicloud_oss_account_public_access_block",
            "p",
            json!({"block_public_access": true}),
        ),
    ]);
    assert!(result.findings.is_empty());
}

#[test]
fn an_access_block_that_might_apply_leaves_it_undecided() {
    let result = evaluate(&[
        ("aws_s3_bucket", "b", json!({"acl": "public-read"})),
        (
            "aws_s3_bucket_public_access_block",
            "p",
            json!({"bucket": reference("aws_s3_bucket.b"), "ignore_public_acls": unknown("var.ignore")}),
        ),
    ]);
    assert!(result.findings.is_empty());
    assert_eq!(at(&result.notes), [(0, "acl")]);
    assert!(
        result.notes[0]
            .message
            .starts_with("could not decide whether public access is blocked: var.ignore")
    );

    let result = evaluate(&[
        ("aws_s3_bucket", "b", json!({"acl": "public-read"})),
        (
            "aws_s3_bucket_public_access_block",
            "p",
            json!({"bucket": unknown("var.bucket"), "ignore_public_acls": true}),
        ),
    ]);
    assert!(result.findings.is_empty());
    assert_eq!(result.notes.len(), 1);
}

#[test]
fn ros_bucket_and_its_public_access_block() {
    let result = evaluate(&[
        (
            "ALIYUN::OSS::Bucket",
            "Logs",
            json!({"BucketName": "logs", "AccessControl": "public-read"}),
        ),
        (
            "ALIYUN::OSS::BucketPublicAccessBlock",
            "Block",
            json!({"Bucket": reference("Logs"), "BlockPublicAccess": true}),
        ),
    ]);
    assert!(result.findings.is_empty());
    assert_eq!(at(&result.notes), [(0, "AccessControl")]);

    let result = evaluate(&[
        (
            "ALIYUN::OSS::Bucket",
            "Logs",
            json!({"BucketName": "logs", "AccessControl": "public-read"}),
        ),
        (
            "ALIYUN::OSS::BucketPublicAccessBlock",
            "Block",
            json!({"Bucket": "logs", "BlockPublicAccess": false}),
        ),
    ]);
    assert_eq!(at(&result.findings), [(0, "AccessControl")]);
}

/// A policy document as the JSON text Terraform attributes hold.
fn policy_text(statements: Value) -> Value {
    Value::String(json!({"Version": "2012-10-17", "Statement": statements}).to_string())
}

fn public_read_statement() -> Value {
    json!({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::logs/*"})
}

#[test]
fn public_policies_fail_on_every_policy_shape() {
    let alibaba = json!([{"Effect": "Allow", "Principal": ["*"], "Action": ["oss:GetObject"], "Resource": ["acs:oss:*:*:logs/*"]}]);
    let aws = json!([public_read_statement()]);
    for (resource_type, attribute, policy) in [
        (
            "alicloud_oss_bucket",
            "policy",
            policy_text(alibaba.clone()),
        ),
        (
            "alicloud_oss_bucket_policy",
            "policy",
            policy_text(alibaba.clone()),
        ),
        ("aws_s3_bucket", "policy", policy_text(aws.clone())),
        ("aws_s3_bucket_policy", "policy", policy_text(aws.clone())),
        (
            "ALIYUN::OSS::Bucket",
            "Policy",
            json!({"Version": "1", "Statement": alibaba.clone()}),
        ),
        (
            "ALIYUN::OSS::Bucket",
            "Policy",
            policy_text(alibaba.clone()),
        ),
    ] {
        let result = evaluate(&[(
            resource_type,
            "b",
            json!({"bucket": "logs", attribute: policy}),
        )]);
        assert_eq!(at(&result.findings), [(0, attribute)], "{resource_type}");
        assert_eq!(result.findings[0].severity, None, "{resource_type}");
        assert!(result.notes.is_empty(), "{resource_type}");
    }
    let result = evaluate(&[(
        "aws_s3_bucket_policy",
        "p",
        json!({"policy": policy_text(aws)}),
    )]);
    assert_eq!(
        result.findings[0].message,
        "bucket policy statement 1 allows s3:GetObject to every principal (\"*\"): the public can read the bucket"
    );
}

#[test]
fn a_world_writable_policy_is_critical() {
    let statement = json!({"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": ["s3:GetObject", "s3:PutObject"]});
    let result = evaluate(&[(
        "aws_s3_bucket_policy",
        "p",
        json!({"policy": policy_text(json!([statement]))}),
    )]);
    assert_eq!(result.findings[0].severity, Some(Severity::Critical));
    assert_eq!(
        result.findings[0].message,
        "bucket policy statement 1 allows s3:PutObject to every principal (\"*\"): the bucket is \
         world-writable, anyone can upload, overwrite or delete objects"
    );
}

#[test]
fn policies_that_do_not_open_the_bucket_pass_silently() {
    let restricted = [
        json!({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}),
        json!({"Effect": "Deny", "Principal": "*", "Action": "s3:*"}),
        json!({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}),
        json!({"Effect": "Allow", "Principal": ["*"], "Action": "oss:GetObject", "Condition": {"StringEquals": {"acs:SourceVpc": ["vpc-123"]}}}),
        json!({"Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject"}),
        json!({"Effect": "Allow", "Principal": ["1234567890"], "Action": "oss:*"}),
        json!({"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "s3:GetObject"}),
    ];
    for statement in restricted {
        let policy = policy_text(json!([statement.clone()]));
        let result = evaluate(&[("aws_s3_bucket_policy", "p", json!({"policy": policy}))]);
        assert_eq!(result, Evaluation::default(), "{statement}");
    }
    // A Deny is not subtracted from an Allow: the Allow still fails.
    let both = policy_text(json!([
        {"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject"},
        public_read_statement(),
    ]));
    let result = evaluate(&[("aws_s3_bucket_policy", "p", json!({"policy": both}))]);
    assert_eq!(at(&result.findings), [(0, "policy")]);
    assert!(
        result.findings[0]
            .message
            .starts_with("bucket policy statement 2 ")
    );
}

#[test]
fn every_public_statement_is_a_finding() {
    let policy = policy_text(json!([public_read_statement(), public_read_statement()]));
    let result = evaluate(&[("aws_s3_bucket", "b", json!({"policy": policy}))]);
    assert_eq!(at(&result.findings), [(0, "policy"), (0, "policy")]);
}

#[test]
fn unknown_and_unparsable_policies_are_notes() {
    let result = evaluate(&[(
        "aws_s3_bucket_policy",
        "p",
        json!({"policy": unknown("`data.aws_iam_policy_document.p.json` is not evaluated")}),
    )]);
    assert!(result.findings.is_empty());
    assert_eq!(at(&result.notes), [(0, "policy")]);
    assert_eq!(
        result.notes[0].message,
        "could not decide: `data.aws_iam_policy_document.p.json` is not evaluated"
    );

    let result = evaluate(&[(
        "alicloud_oss_bucket_policy",
        "p",
        json!({"policy": "{\"Statement\": [{\"Effect\": \"Allow\",}]}"}),
    )]);
    assert!(result.findings.is_empty());
    assert_eq!(at(&result.notes), [(0, "policy")]);
    assert!(
        result.notes[0]
            .message
            .starts_with("could not decide: the bucket policy could not be parsed as JSON: "),
        "{}",
        result.notes[0].message
    );

    let ros = json!({"Policy": {"Statement": [{"Effect": "Allow", "Principal": unknown("Fn::Join"), "Action": "oss:GetObject"}]}});
    let result = evaluate(&[("ALIYUN::OSS::Bucket", "B", ros)]);
    assert_eq!(at(&result.notes), [(0, "Policy.Statement[0].Principal")]);
}

#[test]
fn aws_restrict_public_buckets_neutralizes_a_public_policy_only() {
    let bucket = (
        "aws_s3_bucket",
        "b",
        json!({"bucket": "logs", "acl": "public-read"}),
    );
    let policy = (
        "aws_s3_bucket_policy",
        "p",
        json!({"bucket": reference("aws_s3_bucket.b"), "policy": policy_text(json!([public_read_statement()]))}),
    );
    let block = |flags: Value| {
        let mut attributes = json!({"bucket": reference("aws_s3_bucket.b")});
        for (flag, value) in flags.as_object().into_iter().flatten() {
            attributes[flag] = value.clone();
        }
        ("aws_s3_bucket_public_access_block", "pab", attributes)
    };

    let result = evaluate(&[
        bucket.clone(),
        policy.clone(),
        block(json!({"restrict_public_buckets": true})),
    ]);
    assert_eq!(at(&result.findings), [(0, "acl")]);
    assert_eq!(at(&result.notes), [(1, "policy")]);
    assert!(result.notes[0].message.ends_with(
        "but restrict_public_buckets on aws_s3_bucket_public_access_block.pab makes the provider ignore \
         public bucket policies"
    ));

    let result = evaluate(&[
        bucket.clone(),
        policy.clone(),
        block(json!({"ignore_public_acls": true})),
    ]);
    assert_eq!(at(&result.findings), [(1, "policy")]);

    // `block_public_policy` only rejects new policies; it does not neutralize one.
    let result = evaluate(&[
        bucket.clone(),
        policy.clone(),
        block(json!({"block_public_policy": true})),
    ]);
    assert_eq!(at(&result.findings), [(0, "acl"), (1, "policy")]);

    let account = (
        "aws_s3_account_public_access_block",
        "account",
        json!({"ignore_public_acls": true, "restrict_public_buckets": true}),
    );
    let result = evaluate(&[bucket, policy, account]);
    assert!(result.findings.is_empty());
    assert_eq!(result.notes.len(), 2);
}

#[test]
fn alibaba_block_public_access_neutralizes_policies_and_acls() {
    let alibaba =
        policy_text(json!([{"Effect": "Allow", "Principal": ["*"], "Action": ["oss:*"]}]));
    for block in [
        (
            "alicloud_oss_bucket_public_access_block",
            json!({"bucket": "logs", "block_public_access": true}),
        ),
        (
            "alicloud_oss_account_public_access_block",
            json!({"block_public_access": true}),
        ),
    ] {
        let result = evaluate(&[
            (
                "alicloud_oss_bucket",
                "b",
                json!({"bucket": "logs", "acl": "public-read"}),
            ),
            (
                "alicloud_oss_bucket_policy",
                "p",
                json!({"bucket": reference("alicloud_oss_bucket.b"), "policy": alibaba.clone()}),
            ),
            (block.0, "block", block.1.clone()),
        ]);
        assert!(result.findings.is_empty(), "{}", block.0);
        assert_eq!(
            at(&result.notes),
            [(0, "acl"), (1, "policy")],
            "{}",
            block.0
        );
    }
    // A block for another bucket does not help.
    let result = evaluate(&[
        (
            "alicloud_oss_bucket_policy",
            "p",
            json!({"bucket": "logs", "policy": alibaba}),
        ),
        (
            "alicloud_oss_bucket_public_access_block",
            "block",
            json!({"bucket": "other", "block_public_access": true}),
        ),
    ]);
    assert_eq!(at(&result.findings), [(0, "policy")]);
    assert_eq!(result.findings[0].severity, Some(Severity::Critical));
}

#[test]
fn ros_bucket_block_public_access_covers_its_own_policy_and_acl() {
    let policy =
        json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "oss:GetObject"}]});
    let result = evaluate(&[(
        "ALIYUN::OSS::Bucket",
        "Logs",
        json!({"AccessControl": "public-read", "Policy": policy.clone(), "BlockPublicAccess": "true"}),
    )]);
    assert!(result.findings.is_empty());
    assert_eq!(at(&result.notes), [(0, "AccessControl"), (0, "Policy")]);
    // It covers no other bucket.
    let result = evaluate(&[
        (
            "ALIYUN::OSS::Bucket",
            "Logs",
            json!({"BucketName": "logs", "Policy": policy}),
        ),
        (
            "ALIYUN::OSS::Bucket",
            "Other",
            json!({"BucketName": "other", "BlockPublicAccess": true}),
        ),
    ]);
    assert_eq!(at(&result.findings), [(0, "Policy")]);
}

#[test]
fn the_metadata_lists_every_type_read() {
    let rule = RULE;
    for resource_type in [
        "alicloud_oss_bucket",
        "alicloud_oss_bucket_acl",
        "aws_s3_bucket",
        "aws_s3_bucket_acl",
        "aws_s3_bucket_public_access_block",
        "alicloud_oss_bucket_policy",
        "aws_s3_bucket_policy",
        "ALIYUN::OSS::Bucket",
        "ALIYUN::OSS::BucketPublicAccessBlock",
    ] {
        assert!(
            rule.resource_types.contains(&resource_type),
            "{resource_type}"
        );
    }
}
