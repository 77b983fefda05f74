//! `nas-unencrypted`: network file systems are encrypted at rest.
//!
//! NAS and EFS create a file system unencrypted unless asked, and the choice cannot be
//! changed afterwards; `crate::file_system` reads it the same way for every provider.

use palisade_policy::{Evaluation, Resource, Rule, Severity};

use crate::file_system::{EFS, Encryption, NAS, ROS_NAS, encryption};

/// The rule this file holds.
pub const RULE: Rule = Rule {
    id: "nas-unencrypted",
    title: "NAS file systems are encrypted at rest",
    severity: Severity::High,
    description: "A NAS file system fails when its `encrypt_type` (ROS: `EncryptType`) is 0 or \
        omitted, which the provider documents as unencrypted; 1 (a NAS-managed key) and 2 (a \
        KMS key of yours) pass. An AWS EFS file system fails unless `encrypted` is true. \
        Shared file systems hold home directories, application data and backups for many \
        hosts at once; unencrypted, that data is readable from the underlying storage and \
        from every copy of it, and encryption can only be chosen when the file system is \
        created.",
    remediation: "Set `encrypt_type = 1` (NAS-managed key) or, on Extreme NAS, \
        `encrypt_type = 2` with `kms_key_id`; in ROS, `EncryptType: 1`. For EFS, set \
        `encrypted = true`, optionally with `kms_key_id`. An existing file system must be \
        recreated (the setting forces a new resource): migrate the data to an encrypted one.",
    documentation: include_str!("nas-unencrypted.md"),
    resource_types: &[NAS, ROS_NAS, EFS],
};

/// Decides every file system.
pub fn evaluate(resources: &[&Resource]) -> Evaluation {
    let mut evaluation = Evaluation::default();
    for &file_system in resources {
        match encryption(file_system) {
            Encryption::Encrypted => {}
            Encryption::Unencrypted { path, message } => {
                evaluation.fail(&RULE, file_system, &path, message);
            }
            Encryption::Undecided(unknown) => {
                evaluation.undecided(&RULE, file_system, &unknown);
            }
        }
    }
    evaluation
}
