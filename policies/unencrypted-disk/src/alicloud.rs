//! Alibaba Cloud Terraform disks: `alicloud_disk` (deprecated) and `alicloud_ecs_disk`.
//!
//! Both have `encrypted` (default false) and `snapshot_id`.

use palisade_policy::{AttrPath, Resource};

use crate::disk::{AccountEncryption, Disk};

/// `alicloud_disk`: a data disk (renamed `alicloud_ecs_disk` in provider 1.122.0).
pub const DISK: &str = "alicloud_disk";
/// `alicloud_ecs_disk`: a data disk.
pub const ECS_DISK: &str = "alicloud_ecs_disk";

/// The disk an `alicloud_disk` or `alicloud_ecs_disk` declares.
pub fn disk(resource: &Resource) -> Disk<'_> {
    Disk {
        resource,
        encrypted: resource.get("encrypted"),
        snapshot: resource.get("snapshot_id"),
        omitted_at: AttrPath::root(),
        noun: "disk",
        account_default: AccountEncryption::Off,
    }
}
