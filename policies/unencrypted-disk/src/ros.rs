//! Alibaba Cloud ROS disks: `ALIYUN::ECS::Disk` (`Encrypted`, default false; `SnapshotId`).

use palisade_policy::{AttrPath, Resource};

use crate::disk::{AccountEncryption, Disk};

/// `ALIYUN::ECS::Disk`: a data disk.
pub const DISK: &str = "ALIYUN::ECS::Disk";

/// The disk an `ALIYUN::ECS::Disk` declares.
pub fn disk(resource: &Resource) -> Disk<'_> {
    Disk {
        resource,
        encrypted: resource.get("Encrypted"),
        snapshot: resource.get("SnapshotId"),
        omitted_at: AttrPath::root(),
        noun: "disk",
        account_default: AccountEncryption::Off,
    }
}
