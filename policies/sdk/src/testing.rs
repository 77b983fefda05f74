//! Helpers for a policy's unit tests: resources built from JSON the way the runner sends
//! them, and findings read back compactly.
//!
//! A policy crate is also an `rlib` and [`export!`](crate::export) expands to nothing
//! off `wasm32`, so `cargo test` calls [`Policy::evaluate`](crate::Policy::evaluate)
//! directly on the host, in milliseconds, with no component build. The attributes are
//! the JSON the runner would send: Terraform nested blocks as lists of objects, ROS
//! `Properties`, and [`unknown`] or [`reference`](fn@reference) where the runner could not determine a
//! value. Fixture directories run through `palisade test` then check the same rule end
//! to end, on real templates.
//!
//! ```
//! use palisade_policy::testing::{locations, resources, unknown};
//! use palisade_policy::{Evaluation, Policy, Resource, Rule, Severity};
//! use serde_json::{json, Value};
//!
//! // The policy under test (normally `crate::MyPolicy`).
//! struct EncryptedDisks;
//!
//! const RULE: Rule = Rule {
//!     id: "disk-encryption",
//!     title: "Disks are encrypted",
//!     severity: Severity::High,
//!     description: "d",
//!     remediation: "r",
//!     documentation: "# disk-encryption\n",
//!     resource_types: &["alicloud_disk", "ALIYUN::ECS::Disk"],
//! };
//!
//! impl Policy for EncryptedDisks {
//!     fn rules() -> Vec<Rule> {
//!         vec![RULE]
//!     }
//!
//!     fn evaluate(resources: &[Resource]) -> Result<Evaluation, String> {
//!         let mut evaluation = Evaluation::default();
//!         for disk in resources {
//!             let flag = if disk.is("ALIYUN::ECS::Disk") { "Encrypted" } else { "encrypted" };
//!             let field = disk.get(flag);
//!             match field.bool().with_default(false) {
//!                 Ok(true) => {}
//!                 Ok(false) => evaluation.fail(&RULE, disk, field.path(), "not encrypted"),
//!                 Err(unknown) => evaluation.undecided(&RULE, disk, &unknown),
//!             }
//!         }
//!         Ok(evaluation)
//!     }
//! }
//!
//! // In `src/tests.rs`, under `#[cfg(test)]`, one `#[test]` per behaviour:
//! fn evaluate(specs: &[(&str, &str, Value)]) -> Evaluation {
//!     EncryptedDisks::evaluate(&resources(specs)).unwrap()
//! }
//!
//! // fn encrypted_disks_pass()
//! let result = evaluate(&[
//!     ("alicloud_disk", "a", json!({"encrypted": true})),
//!     ("ALIYUN::ECS::Disk", "B", json!({"Encrypted": "true"})),
//! ]);
//! assert_eq!(result, Evaluation::default());
//!
//! // fn omitted_flags_fail_and_unknown_ones_are_noted()
//! let result = evaluate(&[
//!     ("alicloud_disk", "plain", json!({"size": 20})),
//!     ("alicloud_disk", "var", json!({"encrypted": unknown("var.encrypted has no value")})),
//! ]);
//! assert_eq!(locations(&result.findings), [(0, "encrypted")]);
//! assert_eq!(locations(&result.notes), [(1, "encrypted")]);
//! assert_eq!(result.notes[0].message, "could not decide: var.encrypted has no value");
//! ```
//!
//! Resources that link to each other are built the same way, with [`reference`](fn@reference) where
//! the template refers to another resource:
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
//! # const RULE: palisade_policy::Rule = palisade_policy::Rule { id: "public-bucket", title: "",
//! #     severity: palisade_policy::Severity::High, description: "", remediation: "",
//! #     documentation: "", resource_types: &[] };
//! let mut evaluation = Evaluation::default();
//! evaluation.fail(&RULE, &set[2], &AttrPath::root().key("AccessControl"), "public");
//! assert_eq!(locations(&evaluation.findings), [(2, "AccessControl")]);
//! ```

use serde_json::Value;

use crate::evaluation::Finding;
use crate::resource::{Format, Resource};

/// Resources `(type, name, attributes)`, indexed in order. Terraform types get the
/// address `type.name`; ROS types (`ALIYUN::...`) are named by their logical id `name`.
///
/// The index of each resource is its position in `specs`, which is what findings and
/// [`locations`] refer to. Types with `::` get [`Format::Ros`], the others
/// [`Format::Terraform`]; build a plan resource with [`Resource::new`] and
/// [`Format::Plan`].
///
/// ```
/// use palisade_policy::testing::resources;
/// use palisade_policy::Format;
/// use serde_json::json;
///
/// let set = resources(&[
///     ("alicloud_disk", "data", json!({"size": 20})),
///     ("ALIYUN::ECS::Disk", "DataDisk", json!({"Size": 20})),
/// ]);
/// assert_eq!((set[0].index, set[0].address.as_str(), set[0].format), (0, "alicloud_disk.data", Format::Terraform));
/// assert_eq!((set[1].index, set[1].address.as_str(), set[1].format), (1, "DataDisk", Format::Ros));
/// ```
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

/// A value the runner could not determine, for `reason`: a variable without a value, a
/// computed plan attribute. Readers give [`Attr::Unknown`](crate::Attr::Unknown) with
/// this reason.
///
/// ```
/// use palisade_policy::testing::{resources, unknown};
/// use serde_json::json;
///
/// let set = resources(&[("alicloud_disk", "d", json!({"encrypted": unknown("var.enc has no value")}))]);
/// let unknown = set[0].get("encrypted").bool().decide().unwrap_err();
/// assert_eq!(unknown.reason, "var.enc has no value");
/// assert_eq!(unknown.refers, None);
/// ```
pub fn unknown(reason: &str) -> Value {
    palisade_contract::unknown(reason)
}

/// A reference to another resource (`bucket = alicloud_oss_bucket.b.id`): unknown, but
/// linked to `address`, which [`Field::target`](crate::Field::target) reads.
///
/// ```
/// use palisade_policy::testing::{reference, resources};
/// use palisade_policy::{Attr, Target};
/// use serde_json::json;
///
/// let set = resources(&[("alicloud_oss_bucket_acl", "a", json!({"bucket": reference("alicloud_oss_bucket.b")}))]);
/// assert!(set[0].get("bucket").text().is_unknown());
/// assert_eq!(set[0].get("bucket").target(), Attr::Known(Target::Address("alicloud_oss_bucket.b")));
/// ```
pub fn reference(address: &str) -> Value {
    palisade_contract::unknown_ref(format!("refers to {address}"), address)
}

/// `(resource index, attribute path)` of each finding, in order: what a test usually
/// asserts, leaving messages to the tests about wording.
pub fn locations(findings: &[Finding]) -> Vec<(u32, &str)> {
    findings
        .iter()
        .map(|f| (f.resource_index, f.attribute.as_str()))
        .collect()
}
