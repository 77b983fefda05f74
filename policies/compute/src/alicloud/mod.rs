//! Alibaba Cloud Terraform resources (provider `aliyun/alicloud`): standalone disks here,
//! instances in [`instance`], launch templates and scaling configurations in
//! [`template`].
//!
//! Every Alibaba Cloud disk is created unencrypted unless its flag says otherwise
//! (`encrypted`, `system_disk_encrypted`: default false); local disks (`ephemeral_ssd`)
//! cannot be encrypted and are not checked.

mod instance;
mod template;

use palisade_policy::{Field, Resource};

use crate::disk::{Disk, Disks, is_local};

pub use instance::INSTANCE;
pub use template::{ECS_LAUNCH_TEMPLATE, LAUNCH_TEMPLATE, SCALING_CONFIGURATION};

/// `alicloud_disk`: a data disk (renamed `alicloud_ecs_disk` in provider 1.122.0).
pub const DISK: &str = "alicloud_disk";
/// `alicloud_ecs_disk`: a data disk.
pub const ECS_DISK: &str = "alicloud_ecs_disk";

/// The disks `resource` declares, if it is an Alibaba Cloud Terraform type the rule reads.
pub fn disks(resource: &Resource) -> Option<Disks<'_>> {
    let mut disks = Disks::new(resource);
    match resource.resource_type.as_str() {
        DISK | ECS_DISK => disks.push(
            Disk::new("disk", resource.get("encrypted")).created_from(resource.get("snapshot_id")),
        ),
        INSTANCE => instance::instance(resource, &mut disks),
        ECS_LAUNCH_TEMPLATE | LAUNCH_TEMPLATE => template::launch_template(resource, &mut disks),
        SCALING_CONFIGURATION => template::scaling_configuration(resource, &mut disks),
        _ => return None,
    }
    Some(disks)
}

/// The data disks of the block list `list` (`data_disks`, `data_disk`): each has
/// `encrypted`, `snapshot_id` and `category`.
fn data_disks<'a>(list: &Field<'a>, disks: &mut Disks<'a>) {
    for (index, block) in disks.blocks(list).into_iter().flatten().enumerate() {
        if is_local(&block.get("category")) {
            continue;
        }
        let disk = Disk::in_block("data disk", &block, index, "encrypted")
            .created_from(block.get("snapshot_id"));
        disks.push(disk);
    }
}
