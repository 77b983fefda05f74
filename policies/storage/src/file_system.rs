//! Whether a network file system is encrypted at rest, whatever provider declares it:
//! Alibaba Cloud NAS (`alicloud_nas_file_system.encrypt_type`,
//! `ALIYUN::NAS::FileSystem.EncryptType`) or AWS EFS (`aws_efs_file_system.encrypted`).
//!
//! Every one of them is created unencrypted when its setting is omitted, and the setting
//! is fixed at creation (ForceNew): an omission is reported at the resource header.

use palisade_policy::{Attr, AttrPath, Field, Resource, Unknown};

/// `alicloud_nas_file_system`: a NAS file system.
pub const NAS: &str = "alicloud_nas_file_system";
/// `ALIYUN::NAS::FileSystem`: a NAS file system.
pub const ROS_NAS: &str = "ALIYUN::NAS::FileSystem";
/// `aws_efs_file_system`: an EFS file system.
pub const EFS: &str = "aws_efs_file_system";

/// What a file system's own settings say about its encryption.
pub enum Encryption<'a> {
    /// Encrypted.
    Encrypted,
    /// Not encrypted: the finding's place and message.
    Unencrypted {
        /// The setting, or the resource header when it is omitted.
        path: AttrPath,
        /// What is wrong, naming the setting and its value.
        message: String,
    },
    /// Not decidable from the template.
    Undecided(Unknown<'a>),
}

/// The encryption of `file_system`, one of [`NAS`], [`ROS_NAS`] or [`EFS`].
pub fn encryption(file_system: &Resource) -> Encryption<'_> {
    if file_system.is(EFS) {
        efs(&file_system.get("encrypted"))
    } else if file_system.is(ROS_NAS) {
        nas(&file_system.get("EncryptType"))
    } else {
        nas(&file_system.get("encrypt_type"))
    }
}

/// NAS `EncryptType`: 0 (the documented default) is no encryption, 1 a NAS-managed key,
/// 2 a KMS key of the user's; the provider rejects anything else.
fn nas<'a>(field: &Field<'a>) -> Encryption<'a> {
    let name = field.path();
    match field.integer() {
        Attr::Known(1 | 2) => Encryption::Encrypted,
        Attr::Known(0) => Encryption::Unencrypted {
            path: name.clone(),
            message: format!("the file system is not encrypted: `{name} = 0`"),
        },
        Attr::Known(other) => Encryption::Undecided(field.unknown(format!(
            "`{name} = {other}` is not an encryption type (0, 1 or 2)"
        ))),
        Attr::Absent => Encryption::Unencrypted {
            path: AttrPath::root(),
            message: format!(
                "the file system is not encrypted: `{name}` is not set and defaults to 0"
            ),
        },
        Attr::Unknown(unknown) => Encryption::Undecided(unknown),
    }
}

/// EFS `encrypted`: false unless set.
fn efs<'a>(field: &Field<'a>) -> Encryption<'a> {
    let name = field.path();
    match field.bool() {
        Attr::Known(true) => Encryption::Encrypted,
        Attr::Known(false) => Encryption::Unencrypted {
            path: name.clone(),
            message: format!("the file system is not encrypted: `{name} = false`"),
        },
        Attr::Absent => Encryption::Unencrypted {
            path: AttrPath::root(),
            message: format!(
                "the file system is not encrypted: `{name}` is not set and defaults to false"
            ),
        },
        Attr::Unknown(unknown) => Encryption::Undecided(unknown),
    }
}
