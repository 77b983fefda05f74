//! The `unencrypted-disk` rule: block storage must be encrypted at rest.
//!
//! Each provider family has a module that finds the disks a resource declares
//! (`alicloud`, `aws`, `ros`); `disk` decides one disk the same way for all.

mod alicloud;
mod aws;
mod disk;
mod ros;

use palisade_policy::{Evaluation, Policy, Resource, Rule, Severity};

use crate::disk::Disk;

/// The rule this policy holds.
pub const RULE: Rule = Rule {
    id: "unencrypted-disk",
    title: "Disks are encrypted at rest",
    severity: Severity::High,
    description: "A cloud disk or volume fails unless its encryption flag is true. Every \
        provider covered here creates disks unencrypted when the flag is omitted, so a \
        snapshot, a detached volume or a decommissioned drive exposes the data in clear; \
        encryption at rest is also required by most compliance frameworks. A disk created \
        from a snapshot inherits the snapshot's encryption and is not decided; AWS volumes \
        pass when the same configuration turns on account-level encryption by default.",
    remediation: "Set `encrypted = true` (ROS: `Encrypted: true`), optionally with a KMS \
        key. For AWS volumes, `aws_ebs_encryption_by_default` with `enabled = true` in the \
        same configuration also passes.",
    documentation: include_str!("../README.md"),
    resource_types: &[
        alicloud::DISK,
        alicloud::ECS_DISK,
        aws::EBS_VOLUME,
        aws::ENCRYPTION_BY_DEFAULT,
        ros::DISK,
    ],
};

/// The `unencrypted-disk` policy.
pub struct UnencryptedDisk;

impl Policy for UnencryptedDisk {
    fn rules() -> Vec<Rule> {
        vec![RULE]
    }

    fn evaluate(resources: &[Resource]) -> Result<Evaluation, String> {
        let account_default = aws::AccountDefault::find(resources);
        let mut evaluation = Evaluation::default();
        for resource in resources {
            for disk in disks(resource, &account_default) {
                disk.check(&mut evaluation);
            }
        }
        Ok(evaluation)
    }
}

/// The disks `resource` declares (none for resource types that only inform the rule).
fn disks<'a>(resource: &'a Resource, account_default: &aws::AccountDefault<'a>) -> Vec<Disk<'a>> {
    match resource.resource_type.as_str() {
        alicloud::DISK | alicloud::ECS_DISK => vec![alicloud::disk(resource)],
        aws::EBS_VOLUME => vec![aws::volume(resource, account_default)],
        ros::DISK => vec![ros::disk(resource)],
        _ => Vec::new(),
    }
}

palisade_policy::export!(UnencryptedDisk);

#[cfg(test)]
mod tests;
