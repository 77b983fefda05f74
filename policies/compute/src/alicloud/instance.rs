//! `alicloud_instance`: the system disk (`system_disk_encrypted`, default false, since
//! provider 1.177.0) and each `data_disks` block (`encrypted`, default false;
//! `snapshot_id`; `category`).

use palisade_policy::Resource;

use super::data_disks;
use crate::disk::{Disk, Disks, is_local};

/// `alicloud_instance`: an ECS instance.
pub const INSTANCE: &str = "alicloud_instance";

/// The system disk and data disks of an `alicloud_instance`.
pub fn instance<'a>(resource: &'a Resource, disks: &mut Disks<'a>) {
    if !is_local(&resource.get("system_disk_category")) {
        disks.push(Disk::new(
            "system disk",
            resource.get("system_disk_encrypted"),
        ));
    }
    data_disks(&resource.get("data_disks"), disks);
}
