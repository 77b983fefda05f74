//! How a value the loader could not determine travels to policies.
//!
//! Unknown is neither secure nor insecure: a rule that needs it reports nothing and says
//! it could not decide. The encoding is part of the WIT contract (`cloud-resource`).

use serde_json::{Value, json};

/// The key of the one-entry object that marks an unknown value.
pub const UNKNOWN_KEY: &str = "$unknown";

/// An unknown value, with why it is unknown.
pub fn unknown(reason: impl Into<String>) -> Value {
    json!({ UNKNOWN_KEY: { "reason": reason.into(), "refers": null } })
}

/// An unknown value that is a reference to another resource (`alicloud_oss_bucket.b.id`),
/// so that policies can link a resource to the one it refers to.
pub fn unknown_ref(reason: impl Into<String>, address: impl Into<String>) -> Value {
    json!({ UNKNOWN_KEY: { "reason": reason.into(), "refers": address.into() } })
}
