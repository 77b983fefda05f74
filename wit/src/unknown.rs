//! How a value the runner could not determine travels to policies.
//!
//! A variable without a value, a computed plan attribute or a reference to another
//! resource is encoded, where the value would be, as the one-entry object
//! `{"$unknown": {"reason": "...", "refers": "<address or null>"}}` (the WIT
//! `cloud-resource` attributes). Unknown is neither secure nor insecure: a rule that needs
//! it reports nothing and says it could not decide.

use serde_json::{Value, json};

/// The key of the one-entry object that marks an unknown value.
pub const UNKNOWN_KEY: &str = "$unknown";

/// The reason a marker gives when it gives none.
const DEFAULT_REASON: &str = "the value is not known before apply";

/// An unknown value, with why it is unknown.
///
/// ```
/// use palisade_contract::{UnknownMarker, unknown};
///
/// let value = unknown("var.encrypted has no value");
/// let marker = UnknownMarker::read(&value).unwrap();
/// assert_eq!((marker.reason, marker.refers), ("var.encrypted has no value", None));
/// ```
pub fn unknown(reason: impl Into<String>) -> Value {
    json!({ UNKNOWN_KEY: { "reason": reason.into(), "refers": null } })
}

/// An unknown value that is a reference to another resource (`alicloud_oss_bucket.b.id`),
/// so that policies can link a resource to the one it refers to.
///
/// ```
/// use palisade_contract::{UnknownMarker, unknown_ref};
///
/// let value = unknown_ref("refers to alicloud_oss_bucket.b", "alicloud_oss_bucket.b");
/// assert_eq!(UnknownMarker::read(&value).unwrap().refers, Some("alicloud_oss_bucket.b"));
/// ```
pub fn unknown_ref(reason: impl Into<String>, address: impl Into<String>) -> Value {
    json!({ UNKNOWN_KEY: { "reason": reason.into(), "refers": address.into() } })
}

/// What an unknown value says about itself, read back from its encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownMarker<'a> {
    /// Why the value is unknown, in words for the user.
    pub reason: &'a str,
    /// The resource a reference points at (`alicloud_oss_bucket.b`), if it is one.
    pub refers: Option<&'a str>,
}

impl<'a> UnknownMarker<'a> {
    /// The marker `value` is, or `None` for a known value (anything but an object whose
    /// one entry is [`UNKNOWN_KEY`]).
    pub fn read(value: &'a Value) -> Option<Self> {
        let marker = match value {
            Value::Object(map) if map.len() == 1 => map.get(UNKNOWN_KEY)?,
            _ => return None,
        };
        Some(Self {
            reason: marker
                .get("reason")
                .and_then(Value::as_str)
                .unwrap_or(DEFAULT_REASON),
            refers: marker.get("refers").and_then(Value::as_str),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_it_writes() {
        let value = unknown_ref("refers to aws_s3_bucket.b", "aws_s3_bucket.b");
        assert_eq!(
            value,
            json!({"$unknown": {"reason": "refers to aws_s3_bucket.b", "refers": "aws_s3_bucket.b"}})
        );
        assert_eq!(
            UnknownMarker::read(&value),
            Some(UnknownMarker {
                reason: "refers to aws_s3_bucket.b",
                refers: Some("aws_s3_bucket.b"),
            })
        );
    }

    #[test]
    fn only_a_one_entry_marker_object_is_unknown() {
        for known in [
            json!("$unknown"),
            json!({}),
            json!({"$unknown": {}, "other": 1}),
            json!({"unknown": {"reason": "r"}}),
        ] {
            assert_eq!(UnknownMarker::read(&known), None, "{known}");
        }
        let bare = json!({"$unknown": {}});
        assert_eq!(
            UnknownMarker::read(&bare),
            Some(UnknownMarker {
                reason: DEFAULT_REASON,
                refers: None,
            })
        );
    }
}
