//! Behaviour of the rule on resources built in JSON: the decision shared by every disk
//! here, the shapes of each provider family in the submodules.

mod alicloud;
mod aws;
mod ros;

use palisade_policy::testing::resources;
pub(super) use palisade_policy::testing::{locations as at, unknown};
use palisade_policy::Evaluation;
use palisade_policy::family::FamilyRule;
use serde_json::{Value, json};

use super::RULE;

pub(super) fn evaluate(specs: &[(&str, Value)]) -> Evaluation {
    let specs: Vec<_> = specs
        .iter()
        .map(|(resource_type, attributes)| (*resource_type, "d", attributes.clone()))
        .collect();
    let rule = FamilyRule {
        rule: RULE,
        evaluate: super::evaluate,
    };
    rule.run(&resources(&specs))
}

const DISK_TYPES: [&str; 4] = [
    "alicloud_disk",
    "alicloud_ecs_disk",
    "aws_ebs_volume",
    "ALIYUN::ECS::Disk",
];

fn flag_name(resource_type: &str) -> &'static str {
    if resource_type.contains("::") {
        "Encrypted"
    } else {
        "encrypted"
    }
}

fn snapshot_name(resource_type: &str) -> &'static str {
    if resource_type.contains("::") {
        "SnapshotId"
    } else {
        "snapshot_id"
    }
}

#[test]
fn encrypted_disks_pass_silently() {
    for resource_type in DISK_TYPES {
        for flag in [json!(true), json!("true"), json!("True")] {
            let result = evaluate(&[(resource_type, json!({ flag_name(resource_type): flag }))]);
            assert_eq!(result, Evaluation::default(), "{resource_type}");
        }
    }
}

#[test]
fn an_omitted_flag_fails_at_the_resource_header() {
    for resource_type in DISK_TYPES {
        let result = evaluate(&[(resource_type, json!({"size": 20}))]);
        assert_eq!(at(&result.findings), [(0, "")], "{resource_type}");
        assert!(
            result.findings[0].message.contains("defaults to false"),
            "{}",
            result.findings[0].message
        );
    }
}

#[test]
fn an_explicit_false_fails_at_the_flag() {
    for resource_type in DISK_TYPES {
        let flag = flag_name(resource_type);
        for value in [json!(false), json!("false"), json!("FALSE")] {
            let result = evaluate(&[(resource_type, json!({ flag: value }))]);
            assert_eq!(at(&result.findings), [(0, flag)], "{resource_type}");
            assert!(
                result.findings[0]
                    .message
                    .contains("explicitly unencrypted")
            );
        }
    }
}

#[test]
fn a_null_flag_is_the_default() {
    let result = evaluate(&[("alicloud_ecs_disk", json!({"encrypted": null}))]);
    assert_eq!(at(&result.findings), [(0, "")]);
}

#[test]
fn an_unknown_flag_is_a_note_not_a_finding() {
    for resource_type in DISK_TYPES {
        let flag = flag_name(resource_type);
        let result = evaluate(&[(
            resource_type,
            json!({ flag: unknown("var.encrypted has no value") }),
        )]);
        assert!(result.findings.is_empty(), "{resource_type}");
        assert_eq!(at(&result.notes), [(0, flag)]);
        assert_eq!(
            result.notes[0].message,
            "could not decide: var.encrypted has no value"
        );
    }
}

#[test]
fn an_unreadable_flag_is_a_note() {
    let result = evaluate(&[("alicloud_disk", json!({"encrypted": "yes"}))]);
    assert!(result.findings.is_empty());
    assert_eq!(at(&result.notes), [(0, "encrypted")]);
}

#[test]
fn a_disk_from_a_snapshot_is_undecided_unless_the_flag_is_set() {
    for resource_type in DISK_TYPES {
        let snapshot = snapshot_name(resource_type);
        let result = evaluate(&[(resource_type, json!({ snapshot: "s-123" }))]);
        assert!(result.findings.is_empty(), "{resource_type}");
        assert_eq!(at(&result.notes), [(0, snapshot)]);
        assert!(result.notes[0].message.contains("snapshot s-123"));

        let referenced = json!({
            snapshot: {"$unknown": {"reason": "refers to a snapshot", "refers": "alicloud_ecs_snapshot.s"}}
        });
        let result = evaluate(&[(resource_type, referenced)]);
        assert!(result.findings.is_empty());
        assert_eq!(result.notes.len(), 1);

        let flag = flag_name(resource_type);
        let result = evaluate(&[(resource_type, json!({ snapshot: "s-123", flag: false }))]);
        assert_eq!(at(&result.findings), [(0, flag)]);
    }
}

#[test]
fn an_empty_snapshot_id_is_no_snapshot() {
    let result = evaluate(&[("aws_ebs_volume", json!({"snapshot_id": ""}))]);
    assert_eq!(at(&result.findings), [(0, "")]);
}

#[test]
fn account_default_encryption_passes_aws_volumes_only() {
    for enabled in [json!({"enabled": true}), json!({})] {
        let result = evaluate(&[
            ("aws_ebs_encryption_by_default", enabled),
            ("aws_ebs_volume", json!({})),
            ("aws_ebs_volume", json!({"encrypted": false})),
            ("alicloud_ecs_disk", json!({})),
        ]);
        assert_eq!(at(&result.findings), [(3, "")]);
        assert_eq!(at(&result.notes), [(1, ""), (2, "encrypted")]);
        assert!(result.notes[0].message.ends_with(
            "; aws_ebs_encryption_by_default.d encrypts every new volume of the account"
        ));
    }
}

#[test]
fn account_default_turned_off_does_not_help() {
    let result = evaluate(&[
        ("aws_ebs_encryption_by_default", json!({"enabled": false})),
        ("aws_ebs_volume", json!({})),
    ]);
    assert_eq!(at(&result.findings), [(1, "")]);
}

#[test]
fn an_unknown_account_default_leaves_aws_volumes_undecided() {
    let result = evaluate(&[
        (
            "aws_ebs_encryption_by_default",
            json!({"enabled": unknown("var.on has no value")}),
        ),
        ("aws_ebs_volume", json!({})),
        ("aws_ebs_volume", json!({"encrypted": true})),
    ]);
    assert!(result.findings.is_empty());
    assert_eq!(at(&result.notes), [(1, "")]);
    assert!(result.notes[0].message.contains("var.on has no value"));
}

#[test]
fn the_metadata_lists_every_type_read() {
    let rule = RULE;
    for resource_type in DISK_TYPES {
        assert!(rule.resource_types.contains(&resource_type));
    }
    for resource_type in [
        "aws_ebs_encryption_by_default",
        "alicloud_instance",
        "alicloud_ecs_launch_template",
        "alicloud_launch_template",
        "alicloud_ess_scaling_configuration",
        "aws_instance",
        "aws_launch_template",
        "aws_launch_configuration",
        "ALIYUN::ECS::Instance",
        "ALIYUN::ECS::InstanceGroup",
        "ALIYUN::ECS::InstanceGroupClone",
        "ALIYUN::ECS::LaunchTemplate",
        "ALIYUN::ESS::ScalingConfiguration",
    ] {
        assert!(
            rule.resource_types.contains(&resource_type),
            "{resource_type}"
        );
    }
}
