//! Helpers for a policy's unit tests: resources built from JSON the way the runner sends
//! them, and findings read back compactly.
//!
//! ```
//! use palisade_policy::testing::{locations, reference, resources};
//! use palisade_policy::{AttrPath, Evaluation};
//! use serde_json::json;
//!
//! let set = resources(&[
//!     ("alicloud_oss_bucket", "b", json!({"bucket": "logs"})),
//!     ("alicloud_oss_bucket_acl", "b", json!({"bucket": reference("alicloud_oss_bucket.b")})),
//!     ("ALIYUN::OSS::Bucket", "Logs", json!({"AccessControl": "public-read"})),
//! ]);
//! assert_eq!(set[1].address, "alicloud_oss_bucket_acl.b");
//! assert_eq!(set[2].address, "Logs");
//!
//! let mut evaluation = Evaluation::default();
//! evaluation.fail("public-bucket", &set[2], &AttrPath::root().key("AccessControl"), "public");
//! assert_eq!(locations(&evaluation.findings), [(2, "AccessControl")]);
//! ```

use serde_json::{Value, json};

use crate::evaluation::Finding;
use crate::resource::{Format, Resource};

/// Resources `(type, name, attributes)`, indexed in order. Terraform types get the
/// address `type.name`; ROS types (`ALIYUN::...`) are named by their logical id `name`.
pub fn resources(specs: &[(&str, &str, Value)]) -> Vec<Resource> {
    specs
        .iter()
        .enumerate()
        .map(|(index, (resource_type, name, attributes))| {
            let (format, address) = if resource_type.contains("::") {
                (Format::Ros, (*name).to_owned())
            } else {
                (Format::Terraform, format!("{resource_type}.{name}"))
            };
            let index = u32::try_from(index).unwrap_or(u32::MAX);
            Resource::new(index, *resource_type, address, format, attributes.clone())
        })
        .collect()
}

/// A value the runner could not determine, for `reason`.
pub fn unknown(reason: &str) -> Value {
    json!({ crate::UNKNOWN_KEY: { "reason": reason, "refers": null } })
}

/// A reference to another resource (`bucket = alicloud_oss_bucket.b.id`): unknown, but
/// linked to `address`.
pub fn reference(address: &str) -> Value {
    json!({ crate::UNKNOWN_KEY: { "reason": format!("refers to {address}"), "refers": address } })
}

/// `(resource index, attribute path)` of each finding, in order.
pub fn locations(findings: &[Finding]) -> Vec<(u32, &str)> {
    findings
        .iter()
        .map(|f| (f.resource_index, f.attribute.as_str()))
        .collect()
}
