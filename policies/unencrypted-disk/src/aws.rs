//! AWS volumes: `aws_ebs_volume` (`encrypted`, `snapshot_id`), and the account-level
//! `aws_ebs_encryption_by_default` that encrypts every new volume of the region.

use palisade_policy::{Attr, AttrPath, Resource};

use crate::disk::{AccountEncryption, Disk};

/// `aws_ebs_volume`: an EBS volume.
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
    pub fn find(resources: &'a [Resource]) -> Self {
        let mut state = AccountEncryption::Off;
        for setting in resources.iter().filter(|r| r.is(ENCRYPTION_BY_DEFAULT)) {
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

/// The volume an `aws_ebs_volume` declares.
pub fn volume<'a>(resource: &'a Resource, account_default: &AccountDefault<'a>) -> Disk<'a> {
    Disk {
        resource,
        encrypted: resource.get("encrypted"),
        snapshot: resource.get("snapshot_id"),
        omitted_at: AttrPath::root(),
        noun: "EBS volume",
        account_default: account_default.0.clone(),
    }
}
