//! `aws_launch_template`: each `block_device_mappings` block whose `ebs` block (at most
//! one) declares an EBS volume: `ebs[0].encrypted` (a string `"true"`/`"false"` in the
//! provider schema; omitted means unencrypted) and `ebs[0].snapshot_id`.
//!
//! A mapping without `ebs` is an instance-store device (`virtual_name`) or suppresses
//! one (`no_device`): not a volume. A root volume the template does not map comes from
//! the AMI, whose device name the configuration does not show: it is not reported.

use palisade_policy::Resource;

use crate::disk::{Disk, Disks};

/// `aws_launch_template`: an EC2 launch template.
pub const LAUNCH_TEMPLATE: &str = "aws_launch_template";

/// The EBS volumes a launch template maps.
pub fn block_device_mappings<'a>(resource: &'a Resource, disks: &mut Disks<'a>) {
    let mappings = resource.get("block_device_mappings");
    for (index, mapping) in disks.blocks(&mappings).into_iter().flatten().enumerate() {
        let Some(ebs) = disks.blocks(&mapping.get("ebs")) else {
            continue;
        };
        let Some(ebs) = ebs.into_iter().next() else {
            continue;
        };
        let noun = format!("EBS volume {} (`{}`)", index + 1, mapping.path());
        let disk = Disk::new(noun, ebs.get("encrypted"))
            .omitted_at(ebs.path().clone())
            .created_from(ebs.get("snapshot_id"));
        disks.push(disk);
    }
}
