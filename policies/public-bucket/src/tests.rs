//! Behaviour of the rule on resources built in JSON, per provider.

use palisade_policy::{Evaluation, Finding, Format, Policy, Resource, Severity};
use serde_json::{Value, json};

use crate::PublicBucket;

/// Resources `(type, name, attributes)`, indexed in order; ROS names are logical ids.
fn evaluate(resources: &[(&str, &str, Value)]) -> Evaluation {
    let resources: Vec<_> = resources
        .iter()
        .enumerate()
        .map(|(index, (resource_type, name, attributes))| {
            let (format, address) = if resource_type.contains("::") {
                (Format::Ros, (*name).to_owned())
            } else {
                (Format::Terraform, format!("{resource_type}.{name}"))
            };
            Resource::new(
                index as u32,
                *resource_type,
                address,
                format,
                attributes.clone(),
            )
        })
        .collect();
    PublicBucket::evaluate(&resources).unwrap()
}

fn at(findings: &[Finding]) -> Vec<(u32, &str)> {
    findings
        .iter()
        .map(|f| (f.resource_index, f.attribute.as_str()))
        .collect()
}

fn unknown(reason: &str) -> Value {
    json!({"$unknown": {"reason": reason, "refers": null}})
}

fn reference(address: &str) -> Value {
    json!({"$unknown": {"reason": format!("refers to {address}"), "refers": address}})
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
        "but aws_s3_bucket_public_access_block.p makes the provider ignore public ACLs"
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

#[test]
fn the_metadata_lists_every_type_read() {
    let [rule] = PublicBucket::rules().try_into().unwrap();
    assert_eq!(rule.id, env!("CARGO_PKG_NAME"));
    for resource_type in [
        "alicloud_oss_bucket",
        "alicloud_oss_bucket_acl",
        "aws_s3_bucket",
        "aws_s3_bucket_acl",
        "aws_s3_bucket_public_access_block",
        "ALIYUN::OSS::Bucket",
    ] {
        assert!(
            rule.resource_types.contains(&resource_type),
            "{resource_type}"
        );
    }
}
