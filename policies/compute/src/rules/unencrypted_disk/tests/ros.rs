//! ROS instances, instance groups, launch templates and scaling configurations.

use serde_json::json;

use super::{at, evaluate, unknown};

const MAPPINGS: [&str; 5] = [
    "ALIYUN::ECS::Instance",
    "ALIYUN::ECS::InstanceGroup",
    "ALIYUN::ECS::InstanceGroupClone",
    "ALIYUN::ECS::LaunchTemplate",
    "ALIYUN::ESS::ScalingConfiguration",
];

const SYSTEM_DISK_ENCRYPTED: [&str; 3] = [
    "ALIYUN::ECS::InstanceGroup",
    "ALIYUN::ECS::InstanceGroupClone",
    "ALIYUN::ESS::ScalingConfiguration",
];

#[test]
fn each_disk_mapping_is_decided_at_its_item() {
    for resource_type in MAPPINGS {
        let result = evaluate(&[(
            resource_type,
            json!({
                "SystemDiskEncrypted": true,
                "DiskMappings": [
                    {"Size": 40},
                    {"Size": 40, "Encrypted": "true"},
                    {"Size": 40, "Encrypted": false},
                    {"Size": 40, "SnapshotId": "s-1"},
                    {"Size": 40, "Category": "ephemeral_ssd"},
                ],
            }),
        )]);
        assert_eq!(
            at(&result.findings),
            [(0, "DiskMappings[0]"), (0, "DiskMappings[2].Encrypted")],
            "{resource_type}"
        );
        assert_eq!(
            result.findings[0].message,
            "data disk 1 (`DiskMappings[0]`) is not encrypted: `Encrypted` is not set and \
             defaults to false"
        );
        assert_eq!(at(&result.notes), [(0, "DiskMappings[3].SnapshotId")]);
    }
}

#[test]
fn the_system_disk_is_read_where_the_reference_has_system_disk_encrypted() {
    for resource_type in SYSTEM_DISK_ENCRYPTED {
        let result = evaluate(&[(resource_type, json!({"InstanceType": "ecs.g7.large"}))]);
        assert_eq!(at(&result.findings), [(0, "")], "{resource_type}");
        assert_eq!(
            result.findings[0].message,
            "system disk is not encrypted: `SystemDiskEncrypted` is not set and defaults to false"
        );

        let result = evaluate(&[(resource_type, json!({"SystemDiskEncrypted": "False"}))]);
        assert_eq!(at(&result.findings), [(0, "SystemDiskEncrypted")]);

        let result = evaluate(&[(
            resource_type,
            json!({"SystemDiskCategory": "ephemeral_ssd"}),
        )]);
        assert!(result.findings.is_empty());
    }
}

#[test]
fn instances_and_launch_templates_have_no_system_disk_flag_to_read() {
    for resource_type in ["ALIYUN::ECS::Instance", "ALIYUN::ECS::LaunchTemplate"] {
        let result = evaluate(&[(resource_type, json!({"SystemDiskCategory": "cloud_essd"}))]);
        assert!(
            result.findings.is_empty() && result.notes.is_empty(),
            "{resource_type}"
        );
    }
}

#[test]
fn disk_mappings_from_a_parameter_are_undecided() {
    let result = evaluate(&[(
        "ALIYUN::ECS::InstanceGroup",
        json!({"SystemDiskEncrypted": true, "DiskMappings": unknown("parameter DiskMappings")}),
    )]);
    assert!(result.findings.is_empty());
    assert_eq!(at(&result.notes), [(0, "DiskMappings")]);
}
