//! What new instances are launched with: launch templates and scaling configurations.
//!
//! - `alicloud_ecs_launch_template` and the deprecated `alicloud_launch_template` (the
//!   same implementation since provider 1.120.0): a `system_disk` block (at most one)
//!   with `encrypted` and `category`, the deprecated top-level `system_disk_category`,
//!   and `data_disks` blocks with `encrypted`, `snapshot_id` and `category`.
//! - `alicloud_ess_scaling_configuration`: `system_disk_encrypted` (since 1.199.0) and
//!   `system_disk_category`, and `data_disk` blocks (singular) with `encrypted`,
//!   `snapshot_id` and `category`.
//!
//! An omitted flag means an unencrypted disk on every instance launched from it.

use palisade_policy::Resource;

use super::data_disks;
use crate::disk::{Disk, Disks, is_local};

/// `alicloud_ecs_launch_template`: an ECS launch template.
pub const ECS_LAUNCH_TEMPLATE: &str = "alicloud_ecs_launch_template";
/// `alicloud_launch_template`: the deprecated name of `alicloud_ecs_launch_template`.
pub const LAUNCH_TEMPLATE: &str = "alicloud_launch_template";
/// `alicloud_ess_scaling_configuration`: what an auto scaling group launches.
pub const SCALING_CONFIGURATION: &str = "alicloud_ess_scaling_configuration";

/// The system disk and data disks of a launch template.
pub fn launch_template<'a>(resource: &'a Resource, disks: &mut Disks<'a>) {
    if let Some(blocks) = disks.blocks(&resource.get("system_disk")) {
        let system_disk = match blocks.first() {
            Some(block) => (!is_local(&block.get("category"))).then(|| {
                Disk::new("system disk", block.get("encrypted")).omitted_at(block.path().clone())
            }),
            None => (!is_local(&resource.get("system_disk_category")))
                .then(|| Disk::new("system disk", resource.at("system_disk[0].encrypted"))),
        };
        if let Some(disk) = system_disk {
            disks.push(disk);
        }
    }
    data_disks(&resource.get("data_disks"), disks);
}

/// The system disk and data disks of a scaling configuration.
pub fn scaling_configuration<'a>(resource: &'a Resource, disks: &mut Disks<'a>) {
    if !is_local(&resource.get("system_disk_category")) {
        disks.push(Disk::new(
            "system disk",
            resource.get("system_disk_encrypted"),
        ));
    }
    data_disks(&resource.get("data_disk"), disks);
}
