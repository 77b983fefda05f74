//! One disk, whatever resource declares it, and the decision about it.
//!
//! Provider modules describe the disks a resource declares ([`Disks`]); this module
//! decides each the same way: encrypted passes, an explicit `false` fails at the flag,
//! an omitted flag fails where it is missing (the provider default is unencrypted)
//! unless the disk comes from a snapshot or is copied from a source instance (it inherits
//! that encryption: a note), and unknown values are notes.

use palisade_policy::{Attr, AttrPath, Evaluation, Field, Resource, Unknown};

use crate::rules::unencrypted_disk::RULE;

/// A disk as the rule sees it.
pub struct Disk<'a> {
    /// What to call the disk in messages: "disk", "system disk",
    /// "data disk 2 (`data_disks[1]`)".
    noun: String,
    /// The encryption flag (`encrypted`, `Encrypted`), present or not.
    encrypted: Field<'a>,
    /// What the disk inherits its encryption from when its flag is omitted: the snapshot
    /// it is created from, the instance it is copied from.
    source: Option<Source<'a>>,
    /// Where to report an omitted flag: the resource header or the enclosing disk block.
    omitted_at: AttrPath,
    /// Whether an account-wide setting encrypts the disk anyway (AWS only).
    account_default: AccountEncryption<'a>,
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

/// Where a disk whose flag is omitted takes its encryption from.
struct Source<'a> {
    /// The attribute naming it (`SnapshotId`, `SourceInstanceId`).
    field: Field<'a>,
    /// How the disk comes from it: "created from".
    how: &'static str,
    /// What it is: "snapshot".
    what: &'static str,
}

/// What a disk's own attributes say.
enum Own {
    Encrypted,
    Unencrypted { path: AttrPath, message: String },
    Undecided { path: AttrPath, message: String },
}

impl<'a> Disk<'a> {
    /// A disk whose encryption flag is `encrypted`, reported at the resource header when
    /// the flag is omitted.
    pub fn new(noun: impl Into<String>, encrypted: Field<'a>) -> Self {
        Self {
            noun: noun.into(),
            encrypted,
            source: None,
            omitted_at: AttrPath::root(),
            account_default: AccountEncryption::Off,
        }
    }

    /// A data disk declared by the nested block `block` (`data_disks[1]`,
    /// `DiskMappings[0]`), numbered from 1 in messages: an omitted flag is reported at
    /// the block.
    pub fn in_block(kind: &str, block: &Field<'a>, index: usize, flag: &str) -> Self {
        let noun = format!("{kind} {} (`{}`)", index + 1, block.path());
        Self::new(noun, block.get(flag)).omitted_at(block.path().clone())
    }

    /// The disk may be created from the snapshot `snapshot`.
    pub fn created_from(mut self, snapshot: Field<'a>) -> Self {
        self.source = Some(Source {
            field: snapshot,
            how: "created from",
            what: "snapshot",
        });
        self
    }

    /// Without its flag, the disk is a copy of the disk of the instance `instance`.
    pub fn copied_from(mut self, instance: Field<'a>) -> Self {
        self.source = Some(Source {
            field: instance,
            how: "copied from",
            what: "source instance",
        });
        self
    }

    /// Reports an omitted flag at `path` instead of the resource header.
    pub fn omitted_at(mut self, path: AttrPath) -> Self {
        self.omitted_at = path;
        self
    }

    /// Records a finding when the disk is unencrypted, a note when that is undecidable or
    /// passes only thanks to an account-wide setting.
    fn check(&self, resource: &Resource, evaluation: &mut Evaluation) {
        let (path, message) = match self.own() {
            Own::Encrypted => return,
            Own::Undecided { path, message } => {
                return evaluation.note(&RULE, resource, &path, message);
            }
            Own::Unencrypted { path, message } => (path, message),
        };
        match &self.account_default {
            AccountEncryption::Off => evaluation.fail(&RULE, resource, &path, message),
            AccountEncryption::On(by) => evaluation.note(
                &RULE,
                resource,
                &path,
                format!("passes: {message}; {by} encrypts every new volume of the account"),
            ),
            AccountEncryption::Unknown { by, reason } => evaluation.note(
                &RULE,
                resource,
                &path,
                format!(
                    "could not decide: {message}; whether {by} encrypts every new volume of \
                     the account is unknown: {reason}"
                ),
            ),
        }
    }

    fn own(&self) -> Own {
        let flag = self.flag_name();
        match self.encrypted.bool() {
            Attr::Known(true) => Own::Encrypted,
            Attr::Known(false) => Own::Unencrypted {
                path: self.encrypted.path().clone(),
                message: format!("{} is explicitly unencrypted (`{flag} = false`)", self.noun),
            },
            Attr::Unknown(unknown) => Own::Undecided {
                path: unknown.path,
                message: format!("could not decide: {}", unknown.reason),
            },
            Attr::Absent => {
                let source = self.source.as_ref().and_then(|source| {
                    let field = &source.field;
                    match field.text() {
                        Attr::Known(id) if !id.trim().is_empty() => {
                            Some((field, format!("{} {} {id}", source.how, source.what)))
                        }
                        Attr::Unknown(unknown) => Some((
                            field,
                            format!("{} a {} ({})", source.how, source.what, unknown.reason),
                        )),
                        Attr::Known(_) | Attr::Absent => None,
                    }
                });
                match source {
                    Some((field, source)) => Own::Undecided {
                        path: field.path().clone(),
                        message: format!(
                            "could not decide: {} is {source} and inherits its encryption; \
                             set `{flag}` to decide",
                            self.noun
                        ),
                    },
                    None => Own::Unencrypted {
                        path: self.omitted_at.clone(),
                        message: format!(
                            "{} is not encrypted: `{flag}` is not set and defaults to false",
                            self.noun
                        ),
                    },
                }
            }
        }
    }

    /// The flag's path relative to where an omission is reported: `encrypted` inside a
    /// `data_disks[1]` block, the full path at the resource header.
    fn flag_name(&self) -> &str {
        let flag = self.encrypted.path().as_str();
        if self.omitted_at.is_root() {
            return flag;
        }
        flag.strip_prefix(self.omitted_at.as_str())
            .and_then(|rest| rest.strip_prefix('.'))
            .unwrap_or(flag)
    }
}

/// The disks one resource declares, and the disk lists that could not be read.
pub struct Disks<'a> {
    resource: &'a Resource,
    disks: Vec<Disk<'a>>,
    unreadable: Vec<Unknown<'a>>,
}

impl<'a> Disks<'a> {
    /// No disks yet, for `resource`.
    pub fn new(resource: &'a Resource) -> Self {
        Self {
            resource,
            disks: Vec::new(),
            unreadable: Vec::new(),
        }
    }

    /// Adds a disk to decide.
    pub fn push(&mut self, disk: Disk<'a>) {
        self.disks.push(disk);
    }

    /// Every disk passes when `account_default` encrypts new volumes of the account
    /// whatever their own flag says (AWS).
    pub fn account_default(mut self, account_default: &AccountEncryption<'a>) -> Self {
        for disk in &mut self.disks {
            disk.account_default = account_default.clone();
        }
        self
    }

    /// The blocks of a nested block list (`data_disks`, `DiskMappings`): empty when the
    /// list is absent, `None` when it is unknown (a `dynamic` block, a template
    /// parameter), which is recorded as undecided.
    pub fn blocks(&mut self, list: &Field<'a>) -> Option<Vec<Field<'a>>> {
        match list.list() {
            Attr::Known(blocks) => Some(blocks),
            Attr::Absent => Some(Vec::new()),
            Attr::Unknown(unknown) => {
                self.unreadable.push(unknown);
                None
            }
        }
    }

    /// Records the findings and notes of every disk.
    pub fn check(&self, evaluation: &mut Evaluation) {
        for unknown in &self.unreadable {
            evaluation.undecided(&RULE, self.resource, unknown);
        }
        for disk in &self.disks {
            disk.check(self.resource, evaluation);
        }
    }
}

/// Whether a disk category names a local disk (`ephemeral_ssd`, `local_disk`), which
/// cannot be encrypted and is not a cloud disk: such disks are not checked. An absent or
/// unknown category is a cloud disk.
pub fn is_local(category: &Field<'_>) -> bool {
    category.text().known().is_some_and(|category| {
        let category = category.trim().to_ascii_lowercase();
        category.starts_with("ephemeral") || category.starts_with("local")
    })
}
