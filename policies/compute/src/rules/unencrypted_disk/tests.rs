//! The rule's metadata; its behaviour is covered by the fixtures under
//! `fixtures/unencrypted-disk/`.

use super::RULE;

#[test]
fn the_metadata_lists_every_type_read() {
    let rule = RULE;
    for resource_type in [
        "alicloud_disk",
        "alicloud_ecs_disk",
        "aws_ebs_volume",
        "ALIYUN::ECS::Disk",
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
        "ALIYUN::ECS::LaunchTemplateVersion",
        "ALIYUN::ESS::ScalingConfiguration",
    ] {
        assert!(
            rule.resource_types.contains(&resource_type),
            "{resource_type}"
        );
    }
}
