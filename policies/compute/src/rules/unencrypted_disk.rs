//! `unencrypted-disk`: block storage must be encrypted at rest.
//!
//! The provider modules find the disks each resource declares; `disk` decides one disk
//! the same way for all.

use palisade_policy::{Evaluation, Resource, Rule, Severity};

use crate::disk::Disks;
use crate::{alicloud, aws, ros};

/// The rule this file holds.
pub const RULE: Rule = Rule {
    id: "unencrypted-disk",
    title: "Disks are encrypted at rest",
    severity: Severity::High,
    description: "A cloud disk or volume fails unless its encryption flag is true: standalone \
        disks, the system and data disks of instances, and the disks that launch templates \
        and scaling configurations give every instance they launch. Every provider covered \
        here creates disks unencrypted when the flag is omitted, so a snapshot, a detached \
        volume or a decommissioned drive exposes the data in clear; encryption at rest is \
        also required by most compliance frameworks. A disk created from a snapshot \
        inherits the snapshot's encryption and is not decided; AWS volumes pass when the \
        same configuration turns on account-level encryption by default.",
    remediation: "Set the disk's encryption flag to true (`encrypted = true`, \
        `system_disk_encrypted = true`; ROS: `Encrypted: true`, `SystemDiskEncrypted: true`), \
        optionally with a KMS key. For AWS volumes, `aws_ebs_encryption_by_default` with \
        `enabled = true` in the same configuration also passes.",
    documentation: include_str!("unencrypted-disk.md"),
    resource_types: &[
        alicloud::DISK,
        alicloud::ECS_DISK,
        alicloud::INSTANCE,
        alicloud::ECS_LAUNCH_TEMPLATE,
        alicloud::LAUNCH_TEMPLATE,
        alicloud::SCALING_CONFIGURATION,
        aws::EBS_VOLUME,
        aws::ENCRYPTION_BY_DEFAULT,
        aws::INSTANCE,
        aws::LAUNCH_TEMPLATE,
        aws::LAUNCH_CONFIGURATION,
        ros::DISK,
        ros::INSTANCE,
        ros::INSTANCE_GROUP,
        ros::INSTANCE_GROUP_CLONE,
        ros::LAUNCH_TEMPLATE_VERSION,
        ros::LAUNCH_TEMPLATE,
        ros::SCALING_CONFIGURATION,
    ],
};

/// Decides every disk the resources declare.
pub fn evaluate(resources: &[&Resource]) -> Evaluation {
    let account_default = aws::AccountDefault::find(resources);
    let mut evaluation = Evaluation::default();
    for &resource in resources {
        if let Some(disks) = disks(resource, &account_default) {
            disks.check(&mut evaluation);
        }
    }
    evaluation
}

/// The disks `resource` declares; `None` for types that only inform the rule
/// (`aws_ebs_encryption_by_default`).
fn disks<'a>(
    resource: &'a Resource,
    account_default: &aws::AccountDefault<'a>,
) -> Option<Disks<'a>> {
    alicloud::disks(resource)
        .or_else(|| aws::disks(resource, account_default))
        .or_else(|| ros::disks(resource))
}

#[cfg(test)]
mod tests;
