//! Alibaba Cloud ROS resources (attributes are the `Properties`).
//!
//! - `ALIYUN::ECS::Disk`: `Encrypted` (default false), `SnapshotId`.
//! - `DiskMappings` items of `ALIYUN::ECS::Instance`, `ALIYUN::ECS::InstanceGroup`,
//!   `ALIYUN::ECS::InstanceGroupClone`, `ALIYUN::ECS::LaunchTemplate` and
//!   `ALIYUN::ESS::ScalingConfiguration`: `Encrypted` (default false), `SnapshotId`,
//!   `Category` (local `ephemeral_ssd` disks are not checked).
//! - `ALIYUN::ECS::LaunchTemplateVersion`: inside `LaunchTemplateData`, the system disk
//!   (`SystemDiskEncrypted`, default false, `SystemDiskCategory`) and each `DataDisks`
//!   item (`Encrypted`, `SnapshotId`, `Category`), as `RosLaunchTemplateVersion` lists
//!   them; a version without `LaunchTemplateData` declares no disk.
//! - The system disk, `SystemDiskEncrypted` (default false) and `SystemDiskCategory`, on
//!   the types whose reference has that property: `InstanceGroup`, `InstanceGroupClone`
//!   and `ESS::ScalingConfiguration`. A clone without the flag copies its source
//!   instance's system disk (`SourceInstanceId`), which the template does not show: a
//!   note. `ALIYUN::ECS::Instance` and `ALIYUN::ECS::LaunchTemplate` have no system-disk
//!   encryption property, so their system disk is not reported.

use palisade_policy::{Field, Resource};

use crate::disk::{Disk, Disks, is_local};

/// `ALIYUN::ECS::Disk`: a data disk.
pub const DISK: &str = "ALIYUN::ECS::Disk";
/// `ALIYUN::ECS::Instance`: one ECS instance.
pub const INSTANCE: &str = "ALIYUN::ECS::Instance";
/// `ALIYUN::ECS::InstanceGroup`: ECS instances of one configuration.
pub const INSTANCE_GROUP: &str = "ALIYUN::ECS::InstanceGroup";
/// `ALIYUN::ECS::InstanceGroupClone`: ECS instances cloned from a source instance.
pub const INSTANCE_GROUP_CLONE: &str = "ALIYUN::ECS::InstanceGroupClone";
/// `ALIYUN::ECS::LaunchTemplate`: an ECS launch template.
pub const LAUNCH_TEMPLATE: &str = "ALIYUN::ECS::LaunchTemplate";
/// `ALIYUN::ECS::LaunchTemplateVersion`: a version of a launch template, its settings in
/// `LaunchTemplateData`.
pub const LAUNCH_TEMPLATE_VERSION: &str = "ALIYUN::ECS::LaunchTemplateVersion";
/// `ALIYUN::ESS::ScalingConfiguration`: what an auto scaling group launches.
pub const SCALING_CONFIGURATION: &str = "ALIYUN::ESS::ScalingConfiguration";

/// The disks `resource` declares, if it is a ROS type the rule reads.
pub fn disks(resource: &Resource) -> Option<Disks<'_>> {
    let mut disks = Disks::new(resource);
    match resource.resource_type.as_str() {
        DISK => disks.push(
            Disk::new("disk", resource.get("Encrypted")).created_from(resource.get("SnapshotId")),
        ),
        INSTANCE | LAUNCH_TEMPLATE => disk_mappings(&resource.get("DiskMappings"), &mut disks),
        INSTANCE_GROUP | INSTANCE_GROUP_CLONE | SCALING_CONFIGURATION => {
            if !is_local(&resource.get("SystemDiskCategory")) {
                let mut system = Disk::new("system disk", resource.get("SystemDiskEncrypted"));
                if resource.resource_type == INSTANCE_GROUP_CLONE {
                    system = system.copied_from(resource.get("SourceInstanceId"));
                }
                disks.push(system);
            }
            disk_mappings(&resource.get("DiskMappings"), &mut disks);
        }
        LAUNCH_TEMPLATE_VERSION => {
            let data = resource.get("LaunchTemplateData");
            if data.attr().is_absent() {
                return Some(disks);
            }
            if !is_local(&data.get("SystemDiskCategory")) {
                let flag = data.get("SystemDiskEncrypted");
                disks.push(Disk::new("system disk", flag).omitted_at(data.path().clone()));
            }
            disk_mappings(&data.get("DataDisks"), &mut disks);
        }
        _ => return None,
    }
    Some(disks)
}

/// The data disks of a `DiskMappings` list.
fn disk_mappings<'a>(list: &Field<'a>, disks: &mut Disks<'a>) {
    for (index, mapping) in disks.blocks(list).into_iter().flatten().enumerate() {
        if is_local(&mapping.get("Category")) {
            continue;
        }
        let disk = Disk::in_block("data disk", &mapping, index, "Encrypted")
            .created_from(mapping.get("SnapshotId"));
        disks.push(disk);
    }
}
