//! One disk, whatever resource declares it, and the decision about it.

use palisade_policy::{Attr, AttrPath, Evaluation, Field, Resource};

use crate::RULE;

/// A disk as the rule sees it.
pub struct Disk<'a> {
    /// The resource that declares the disk; findings go on it.
    pub resource: &'a Resource,
    /// The encryption flag (`encrypted`, `Encrypted`).
    pub encrypted: Field<'a>,
    /// The snapshot the disk is created from (`snapshot_id`, `SnapshotId`).
    pub snapshot: Field<'a>,
    /// Where to report an omitted flag: the resource header or the enclosing block.
    pub omitted_at: AttrPath,
    /// What to call the disk in messages ("disk", "EBS volume").
    pub noun: &'static str,
    /// Whether an account-wide setting encrypts the disk anyway (AWS only).
    pub account_default: AccountEncryption<'a>,
}

/// Whether new disks of the account are encrypted regardless of their own flag.
#[derive(Debug, Clone, PartialEq)]
pub enum AccountEncryption<'a> {
    /// No such setting applies (Alibaba Cloud, or none in the configuration).
    Off,
    /// Turned on by the resource at this address.
    On(&'a str),
    /// Configured by the resource at `by`, but whether it is on is not known.
    Unknown {
        /// Address of the setting.
        by: &'a str,
        /// Why it is not known.
        reason: String,
    },
}

/// What a disk's own attributes say.
enum Own {
    Encrypted,
    Unencrypted { path: AttrPath, message: String },
    Undecided { path: AttrPath, message: String },
}

impl Disk<'_> {
    /// Records a finding when the disk is unencrypted, a note when that is undecidable or
    /// passes only thanks to an account-wide setting.
    pub fn check(&self, evaluation: &mut Evaluation) {
        let (path, message) = match self.own() {
            Own::Encrypted => return,
            Own::Undecided { path, message } => {
                return evaluation.note(RULE.id, self.resource, &path, message);
            }
            Own::Unencrypted { path, message } => (path, message),
        };
        match &self.account_default {
            AccountEncryption::Off => {
                evaluation.fail(RULE.id, self.resource, &path, message);
            }
            AccountEncryption::On(by) => evaluation.note(
                RULE.id,
                self.resource,
                &path,
                format!("passes: {by} encrypts every new volume of the account ({message})"),
            ),
            AccountEncryption::Unknown { by, reason } => evaluation.note(
                RULE.id,
                self.resource,
                &path,
                format!(
                    "could not decide: whether {by} encrypts new volumes: {reason} ({message})"
                ),
            ),
        }
    }

    fn own(&self) -> Own {
        let flag = self.encrypted.path();
        match self.encrypted.bool() {
            Attr::Known(true) => Own::Encrypted,
            Attr::Known(false) => Own::Unencrypted {
                path: flag.clone(),
                message: format!("{} is explicitly unencrypted (`{flag} = false`)", self.noun),
            },
            Attr::Unknown(unknown) => Own::Undecided {
                path: unknown.path,
                message: format!("could not decide: {}", unknown.reason),
            },
            Attr::Absent => {
                let snapshot = match self.snapshot.text() {
                    Attr::Known(id) if !id.trim().is_empty() => format!("snapshot {id}"),
                    Attr::Unknown(unknown) => format!("a snapshot ({})", unknown.reason),
                    Attr::Known(_) | Attr::Absent => {
                        return Own::Unencrypted {
                            path: self.omitted_at.clone(),
                            message: format!(
                                "{} is not encrypted: `{flag}` is not set and defaults to false",
                                self.noun
                            ),
                        };
                    }
                };
                Own::Undecided {
                    path: self.snapshot.path().clone(),
                    message: format!(
                        "could not decide: the {} is created from {snapshot} and inherits its \
                         encryption; set `{flag}` to decide",
                        self.noun
                    ),
                }
            }
        }
    }
}
