//! AWS instances, launch templates and launch configurations.

use serde_json::json;

use super::{at, evaluate, unknown};

#[test]
fn an_instance_without_root_block_device_has_an_unencrypted_root_volume() {
    for resource_type in ["aws_instance", "aws_launch_configuration"] {
        let result = evaluate(&[(resource_type, json!({"ami": "ami-1"}))]);
        assert_eq!(at(&result.findings), [(0, "")], "{resource_type}");
        assert_eq!(
            result.findings[0].message,
            "root volume is not encrypted: `root_block_device[0].encrypted` is not set and \
             defaults to false"
        );
    }
}

#[test]
fn the_root_block_device_is_decided_at_its_block_or_flag() {
    for resource_type in ["aws_instance", "aws_launch_configuration"] {
        let result = evaluate(&[(
            resource_type,
            json!({"root_block_device": [{"volume_size": 8}]}),
        )]);
        assert_eq!(at(&result.findings), [(0, "root_block_device[0]")]);

        let result = evaluate(&[(
            resource_type,
            json!({"root_block_device": [{"encrypted": false}]}),
        )]);
        assert_eq!(
            at(&result.findings),
            [(0, "root_block_device[0].encrypted")]
        );
        assert_eq!(
            result.findings[0].message,
            "root volume is explicitly unencrypted (`encrypted = false`)"
        );

        let result = evaluate(&[(
            resource_type,
            json!({"root_block_device": [{"encrypted": true}]}),
        )]);
        assert!(result.findings.is_empty() && result.notes.is_empty());
    }
}

#[test]
fn each_ebs_block_device_is_decided() {
    let result = evaluate(&[(
        "aws_instance",
        json!({
            "root_block_device": [{"encrypted": true}],
            "ebs_block_device": [
                {"device_name": "/dev/sdf", "encrypted": true},
                {"device_name": "/dev/sdg"},
                {"device_name": "/dev/sdh", "snapshot_id": "snap-1"},
                {"device_name": "/dev/sdi", "encrypted": "false"},
            ],
            "ephemeral_block_device": [{"device_name": "/dev/sdj", "virtual_name": "ephemeral0"}],
        }),
    )]);
    assert_eq!(
        at(&result.findings),
        [
            (0, "ebs_block_device[1]"),
            (0, "ebs_block_device[3].encrypted")
        ]
    );
    assert_eq!(
        result.findings[0].message,
        "EBS volume 2 (`ebs_block_device[1]`) is not encrypted: `encrypted` is not set and \
         defaults to false"
    );
    assert_eq!(at(&result.notes), [(0, "ebs_block_device[2].snapshot_id")]);
}

#[test]
fn a_suppressed_launch_configuration_device_is_no_volume() {
    let result = evaluate(&[(
        "aws_launch_configuration",
        json!({
            "root_block_device": [{"encrypted": true}],
            "ebs_block_device": [{"device_name": "/dev/sdb", "no_device": true}],
        }),
    )]);
    assert!(result.findings.is_empty());
}

#[test]
fn launch_template_mappings_without_ebs_are_not_volumes() {
    let result = evaluate(&[(
        "aws_launch_template",
        json!({
            "block_device_mappings": [
                {"device_name": "/dev/sdb", "virtual_name": "ephemeral0"},
                {"device_name": "/dev/sdc", "ebs": [{"encrypted": "true"}]},
                {"device_name": "/dev/sdd", "ebs": [{"volume_size": 20}]},
                {"device_name": "/dev/sde", "ebs": [{"snapshot_id": "snap-1"}]},
                {"device_name": "/dev/sdf", "ebs": [{"encrypted": "false"}]},
            ],
        }),
    )]);
    assert_eq!(
        at(&result.findings),
        [
            (0, "block_device_mappings[2].ebs[0]"),
            (0, "block_device_mappings[4].ebs[0].encrypted"),
        ]
    );
    assert_eq!(
        result.findings[0].message,
        "EBS volume 3 (`block_device_mappings[2]`) is not encrypted: `encrypted` is not set \
         and defaults to false"
    );
    assert_eq!(
        at(&result.notes),
        [(0, "block_device_mappings[3].ebs[0].snapshot_id")]
    );

    let result = evaluate(&[("aws_launch_template", json!({"image_id": "ami-1"}))]);
    assert!(result.findings.is_empty() && result.notes.is_empty());
}

#[test]
fn account_default_encryption_passes_instance_and_template_volumes() {
    let result = evaluate(&[
        ("aws_ebs_encryption_by_default", json!({"enabled": true})),
        (
            "aws_instance",
            json!({"ebs_block_device": [{"device_name": "/dev/sdf"}]}),
        ),
        ("aws_launch_configuration", json!({})),
        (
            "aws_launch_template",
            json!({"block_device_mappings": [{"ebs": [{}]}]}),
        ),
    ]);
    assert!(result.findings.is_empty());
    assert_eq!(
        at(&result.notes),
        [
            (1, ""),
            (1, "ebs_block_device[0]"),
            (2, ""),
            (3, "block_device_mappings[0].ebs[0]"),
        ]
    );
    assert!(
        result
            .notes
            .iter()
            .all(|n| n.message.starts_with("passes: "))
    );
}

#[test]
fn unknown_block_lists_are_undecided() {
    let result = evaluate(&[(
        "aws_instance",
        json!({
            "root_block_device": unknown("dynamic block `root_block_device` is not evaluated"),
            "ebs_block_device": unknown("dynamic block `ebs_block_device` is not evaluated"),
        }),
    )]);
    assert!(result.findings.is_empty());
    assert_eq!(
        at(&result.notes),
        [(0, "root_block_device"), (0, "ebs_block_device")]
    );
}
