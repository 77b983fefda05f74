//! `aws_instance` and `aws_launch_configuration`: a `root_block_device` block (at most
//! one) and `ebs_block_device` blocks, each with `encrypted` (default false);
//! `ebs_block_device` also has `snapshot_id`, and on launch configurations `no_device`
//! (true: the AMI's device is suppressed, no volume is created).
//!
//! Without a `root_block_device` the root volume is still created, unencrypted: the
//! finding is at the resource header. `ephemeral_block_device` blocks are instance
//! store, not EBS, and are not checked.

use palisade_policy::Resource;

use crate::disk::{Disk, Disks};

/// `aws_instance`: an EC2 instance.
pub const INSTANCE: &str = "aws_instance";
/// `aws_launch_configuration`: what an auto scaling group launches (legacy).
pub const LAUNCH_CONFIGURATION: &str = "aws_launch_configuration";

/// The root and EBS volumes of an instance or launch configuration; `no_device` is read
/// on launch configurations only (`aws_instance` has none on EBS blocks).
pub fn block_devices<'a>(resource: &'a Resource, disks: &mut Disks<'a>, reads_no_device: bool) {
    if let Some(blocks) = disks.blocks(&resource.get("root_block_device")) {
        let root = match blocks.first() {
            Some(block) => {
                Disk::new("root volume", block.get("encrypted")).omitted_at(block.path().clone())
            }
            None => Disk::new("root volume", resource.at("root_block_device[0].encrypted")),
        };
        disks.push(root);
    }
    let ebs = resource.get("ebs_block_device");
    for (index, block) in disks.blocks(&ebs).into_iter().flatten().enumerate() {
        if reads_no_device && block.get("no_device").bool().known() == Some(true) {
            continue;
        }
        let disk = Disk::in_block("EBS volume", &block, index, "encrypted")
            .created_from(block.get("snapshot_id"));
        disks.push(disk);
    }
}
