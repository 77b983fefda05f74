//! Alibaba Cloud Terraform instances, launch templates and scaling configurations.

use serde_json::json;

use super::{at, evaluate, unknown};

#[test]
fn an_instance_system_disk_defaults_to_unencrypted_at_the_header() {
    let result = evaluate(&[(
        "alicloud_instance",
        json!({"instance_type": "ecs.g7.large"}),
    )]);
    assert_eq!(at(&result.findings), [(0, "")]);
    assert_eq!(
        result.findings[0].message,
        "system disk is not encrypted: `system_disk_encrypted` is not set and defaults to false"
    );

    let result = evaluate(&[(
        "alicloud_instance",
        json!({"system_disk_encrypted": "False"}),
    )]);
    assert_eq!(at(&result.findings), [(0, "system_disk_encrypted")]);
    assert_eq!(
        result.findings[0].message,
        "system disk is explicitly unencrypted (`system_disk_encrypted = false`)"
    );

    let result = evaluate(&[("alicloud_instance", json!({"system_disk_encrypted": true}))]);
    assert!(result.findings.is_empty() && result.notes.is_empty());
}

#[test]
fn each_instance_data_disk_is_decided_at_its_block() {
    let result = evaluate(&[(
        "alicloud_instance",
        json!({
            "system_disk_encrypted": true,
            "data_disks": [
                {"size": 20, "encrypted": true},
                {"size": 20, "encrypted": false},
                {"size": 20},
                {"size": 20, "snapshot_id": "s-123"},
                {"size": 20, "category": "ephemeral_ssd"},
            ],
        }),
    )]);
    assert_eq!(
        at(&result.findings),
        [(0, "data_disks[1].encrypted"), (0, "data_disks[2]")]
    );
    assert_eq!(
        result.findings[0].message,
        "data disk 2 (`data_disks[1]`) is explicitly unencrypted (`encrypted = false`)"
    );
    assert_eq!(
        result.findings[1].message,
        "data disk 3 (`data_disks[2]`) is not encrypted: `encrypted` is not set and defaults to false"
    );
    assert_eq!(at(&result.notes), [(0, "data_disks[3].snapshot_id")]);
    assert!(result.notes[0].message.contains("snapshot s-123"));
}

#[test]
fn a_local_system_disk_is_not_checked() {
    let result = evaluate(&[(
        "alicloud_instance",
        json!({"system_disk_category": "ephemeral_ssd"}),
    )]);
    assert!(result.findings.is_empty());
}

#[test]
fn a_dynamic_data_disks_block_is_undecided() {
    let result = evaluate(&[(
        "alicloud_instance",
        json!({
            "system_disk_encrypted": true,
            "data_disks": unknown("dynamic block `data_disks` is not evaluated"),
        }),
    )]);
    assert!(result.findings.is_empty());
    assert_eq!(at(&result.notes), [(0, "data_disks")]);
}

#[test]
fn launch_templates_read_the_system_disk_block_and_data_disks() {
    for template in ["alicloud_ecs_launch_template", "alicloud_launch_template"] {
        let result = evaluate(&[(template, json!({"image_id": "ubuntu"}))]);
        assert_eq!(at(&result.findings), [(0, "")], "{template}");
        assert_eq!(
            result.findings[0].message,
            "system disk is not encrypted: `system_disk[0].encrypted` is not set and defaults to false"
        );

        let result = evaluate(&[(
            template,
            json!({
                "system_disk": [{"category": "cloud_essd"}],
                "data_disks": [{"encrypted": "false"}, {"encrypted": true}],
            }),
        )]);
        assert_eq!(
            at(&result.findings),
            [(0, "system_disk[0]"), (0, "data_disks[0].encrypted")],
            "{template}"
        );

        let result = evaluate(&[(template, json!({"system_disk": [{"encrypted": true}]}))]);
        assert!(result.findings.is_empty(), "{template}");

        let result = evaluate(&[(template, json!({"system_disk_category": "ephemeral_ssd"}))]);
        assert!(result.findings.is_empty(), "{template}");
    }
}

#[test]
fn scaling_configurations_read_system_disk_encrypted_and_data_disk_blocks() {
    let result = evaluate(&[(
        "alicloud_ess_scaling_configuration",
        json!({"data_disk": [{"size": 20, "encrypted": false}, {"snapshot_id": "s-1"}]}),
    )]);
    assert_eq!(
        at(&result.findings),
        [(0, ""), (0, "data_disk[0].encrypted")]
    );
    assert_eq!(at(&result.notes), [(0, "data_disk[1].snapshot_id")]);

    let result = evaluate(&[(
        "alicloud_ess_scaling_configuration",
        json!({"system_disk_encrypted": true, "data_disk": [{"encrypted": "true"}]}),
    )]);
    assert!(result.findings.is_empty() && result.notes.is_empty());
}
