//! AWS Terraform resources: `aws_ebs_volume` here, instances and launch configurations
//! in [`instance`], launch templates in [`launch_template`], and the account-level
//! `aws_ebs_encryption_by_default` that encrypts every new EBS volume of the region,
//! whatever declares it.

mod instance;
mod launch_template;

use palisade_policy::{Attr, Resource};

use crate::disk::{AccountEncryption, Disk, Disks};

pub use instance::{INSTANCE, LAUNCH_CONFIGURATION};
pub use launch_template::LAUNCH_TEMPLATE;

/// `aws_ebs_volume`: an EBS volume (`encrypted`, default false; `snapshot_id`).
pub const EBS_VOLUME: &str = "aws_ebs_volume";
/// `aws_ebs_encryption_by_default`: account-level default encryption (`enabled`,
/// default true).
pub const ENCRYPTION_BY_DEFAULT: &str = "aws_ebs_encryption_by_default";

/// Account-level default encryption as the configuration sets it.
///
/// Any `aws_ebs_encryption_by_default` in the document set counts, whatever its provider
/// alias or region: a configuration that enables it somewhere is taken to mean it.
pub struct AccountDefault<'a>(AccountEncryption<'a>);

impl<'a> AccountDefault<'a> {
    /// Reads every `aws_ebs_encryption_by_default` of `resources`: on if one is known to
    /// be on, unknown if one might be, off otherwise.
    pub fn find(resources: &[&'a Resource]) -> Self {
        let mut state = AccountEncryption::Off;
        for &setting in resources.iter().filter(|r| r.is(ENCRYPTION_BY_DEFAULT)) {
            match setting.get("enabled").bool() {
                Attr::Known(true) | Attr::Absent => {
                    return Self(AccountEncryption::On(&setting.address));
                }
                Attr::Known(false) => {}
                Attr::Unknown(unknown) => {
                    if state == AccountEncryption::Off {
                        state = AccountEncryption::Unknown {
                            by: &setting.address,
                            reason: unknown.reason.into_owned(),
                        };
                    }
                }
            }
        }
        Self(state)
    }
}

/// The disks `resource` declares, if it is an AWS type the rule reads; each passes when
/// the account encrypts new volumes by default.
pub fn disks<'a>(
    resource: &'a Resource,
    account_default: &AccountDefault<'a>,
) -> Option<Disks<'a>> {
    let mut disks = Disks::new(resource);
    match resource.resource_type.as_str() {
        EBS_VOLUME => disks.push(
            Disk::new("EBS volume", resource.get("encrypted"))
                .created_from(resource.get("snapshot_id")),
        ),
        INSTANCE => instance::block_devices(resource, &mut disks, false),
        LAUNCH_CONFIGURATION => instance::block_devices(resource, &mut disks, true),
        LAUNCH_TEMPLATE => launch_template::block_device_mappings(resource, &mut disks),
        _ => return None,
    }
    Some(disks.account_default(&account_default.0))
}
