//! Whether a cache instance asks clients for a password, whatever resource declares it.
//!
//! Alibaba Cloud Redis can let clients inside the VPC in without a password
//! (`vpc_auth_mode = "Close"`, ROS `VpcPasswordFree: true`): then anything that reaches
//! the instance's private address (a compromised instance, a peered network, a VPN user)
//! reads and writes every key.

use palisade_policy::{AttrPath, Unknown};

/// What the template says about an instance's authentication.
pub enum Auth<'a> {
    /// A password is required, or the setting does not apply (Memcache).
    Required,
    /// Password-free access: a finding at `at`, `setting` names the attribute and value.
    PasswordFree { at: AttrPath, setting: String },
    /// Password-free as written, but the setting has no effect here: a note.
    Ineffective { at: AttrPath, message: String },
    /// Depends on an unknown value: a note.
    Undecided(Unknown<'a>),
}
