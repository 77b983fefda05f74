//! Write Palisade policies in Rust.
//!
//! A policy is one type implementing [`Policy`] and one [`export!`] line. The SDK turns
//! it into a WebAssembly component (`wasm32-wasip2`) that the Palisade runner loads,
//! decodes each resource's attributes once, and gives rules unknown-aware access to them
//! ([`Field`], [`Attr`]) plus the cloud semantics rules share ([`cloud`]).
//!
//! # A complete policy
//!
//! One rule, declared as a `const` so that its id is at hand when reporting; an
//! evaluation that says what each state of the attribute means; the export; and the
//! unit test that runs it natively:
//!
//! ```
//! use palisade_policy::{AttrPath, Attr, Evaluation, Policy, Resource, Rule, Severity};
//!
//! /// Every bucket must say who owns it.
//! pub struct OwnerTag;
//!
//! const RULE: Rule = Rule {
//!     id: "owner-tag",
//!     title: "Buckets carry an owner tag",
//!     severity: Severity::Low,
//!     description: "Buckets without an owner are never cleaned up.",
//!     remediation: "Add `tags = { owner = \"team\" }`.",
//!     documentation: "# owner-tag\n",
//!     resource_types: &["aws_s3_bucket"],
//! };
//!
//! impl Policy for OwnerTag {
//!     fn rules() -> Vec<Rule> {
//!         vec![RULE]
//!     }
//!
//!     fn evaluate(resources: &[Resource]) -> Result<Evaluation, String> {
//!         let mut evaluation = Evaluation::default();
//!         for bucket in resources.iter().filter(|r| r.is("aws_s3_bucket")) {
//!             match bucket.get("tags").get("owner").text() {
//!                 Attr::Known(_) => {}
//!                 Attr::Absent => evaluation.fail(RULE.id, bucket, &AttrPath::root(), "no owner tag"),
//!                 Attr::Unknown(unknown) => evaluation.undecided(RULE.id, bucket, &unknown),
//!             }
//!         }
//!         Ok(evaluation)
//!     }
//! }
//!
//! palisade_policy::export!(OwnerTag);
//!
//! // In the crate's tests: resources as the runner sends them, findings read back.
//! use palisade_policy::serde_json::json;
//! use palisade_policy::testing::{locations, resources, unknown};
//!
//! let set = resources(&[
//!     ("aws_s3_bucket", "tagged", json!({"tags": {"owner": "data"}})),
//!     ("aws_s3_bucket", "untagged", json!({"bucket": "tmp"})),
//!     ("aws_s3_bucket", "later", json!({"tags": unknown("var.tags has no value")})),
//! ]);
//! let evaluation = OwnerTag::evaluate(&set).unwrap();
//! assert_eq!(locations(&evaluation.findings), [(1, "")]);
//! assert_eq!(locations(&evaluation.notes), [(2, "tags")]);
//! ```
//!
//! # The crate around it
//!
//! `palisade new NAME` writes all of this; by hand, the policy crate's `Cargo.toml` needs
//!
//! ```toml
//! [package]
//! name = "owner-tag"
//! version = "0.1.0"
//! authors = ["Storage team <storage@example.com>"]  # shown by `palisade rules`
//! edition = "2024"
//!
//! [lib]
//! crate-type = ["cdylib", "rlib"]
//!
//! [dependencies]
//! palisade-policy = { path = "../palisade/policies/sdk" }
//! ```
//!
//! The `cdylib` is the component; the `rlib` lets the policy's logic be unit-tested on
//! the host target, where [`export!`] expands to nothing. Then:
//!
//! - `palisade build` (or `cargo build --release --target wasm32-wasip2`) builds
//!   `target/wasm32-wasip2/release/owner_tag.wasm` and checks it,
//! - `cargo test` runs the unit tests natively, `palisade test` runs the component
//!   against fixture directories,
//! - `palisade check --policy owner_tag.wasm` enforces it next to the built-in policies.
//!
//! The tutorial `docs/writing-policies.md` in the Palisade repository walks through these
//! steps from scratch.
//!
//! # Where things are
//!
//! - [`Policy`], [`Rule`], [`export!`]: what a policy declares and exports.
//! - [`Resource`], [`Field`], [`Attr`], [`Unknown`]: reading attributes; every reader
//!   says whether a value is absent, unknown or known ([`attr`] explains the encoding).
//! - [`logic`]: combining conditions that may be unknown, without reporting an unknown
//!   that cannot change the outcome.
//! - [`Evaluation`]: findings (failures) and notes (what could not be decided),
//!   located by [`AttrPath`].
//! - [`cloud`]: ports, CIDR blocks, protocols, ACLs and boolean flags as Alibaba Cloud
//!   and AWS write them.
//! - [`testing`]: building resources and reading findings in unit tests.
//!
//! # What the runner expects
//!
//! - Rule ids are well-formed, as [`check_rule_id`] defines them, and unique within the
//!   policy; a policy that breaks this is refused when it is loaded.
//! - Every finding names a rule the policy declares and a resource it was sent, or the
//!   whole evaluation is reported as an error of the policy. Report with `RULE.id`
//!   rather than a string literal.
//! - A value the runner could not determine is never treated as secure or insecure: say
//!   so with [`Evaluation::undecided`] (shown by `palisade check --verbose`).
//! - Policies run in a sandbox with no files, environment or network, frozen clocks, a
//!   time budget and a memory cap. A panic, a timeout or running out of memory is an
//!   error of this policy for that document set; the other policies still run.

#![warn(missing_docs)]

pub mod attr;
pub mod cloud;
pub mod evaluation;
pub mod logic;
pub mod path;
pub mod resource;
pub mod testing;

mod guest;

pub use attr::{Attr, Field, UNKNOWN_KEY, Unknown};
pub use evaluation::{Evaluation, Finding, Rule, Severity};
pub use palisade_contract::{MAX_RULE_ID_LEN, RuleIdError, check_rule_id};
pub use path::{AttrPath, Segment};
pub use resource::{DecodeError, Format, Resource, Target};
/// The JSON crate attributes are parsed with, so policies use the same `Value`, and tests
/// can build attributes with `palisade_policy::serde_json::json!` without a dependency
/// of their own.
pub use serde_json;

/// A policy: rule metadata plus one evaluation over the resources of a document set.
///
/// The host sends only the resources whose types one of the rules lists, all of one
/// document set (a Terraform module tree, a plan, a ROS template) at once so that rules
/// can link resources (a bucket and its ACL). It does not call `evaluate` when no
/// resource matches.
///
/// A policy with several rules gets the union of their resource types, so each rule
/// filters for its own; building one [`Evaluation`] per rule and merging them with
/// [`Evaluation::extend`] keeps the rules apart:
///
/// ```
/// use palisade_policy::{AttrPath, Evaluation, Policy, Resource, Rule, Severity};
///
/// const VERSIONING: Rule = Rule {
///     id: "bucket-versioning",
///     title: "OSS buckets keep old versions",
///     severity: Severity::Medium,
///     description: "Without versioning, an overwrite or a delete cannot be undone.",
///     remediation: "Add `versioning { status = \"Enabled\" }`.",
///     documentation: "# bucket-versioning\n",
///     resource_types: &["alicloud_oss_bucket"],
/// };
///
/// const DISK_NAME: Rule = Rule {
///     id: "disk-name",
///     title: "Disks are named",
///     severity: Severity::Info,
///     description: "Unnamed disks cannot be traced to their owner in the console.",
///     remediation: "Set `disk_name`.",
///     documentation: "# disk-name\n",
///     resource_types: &["alicloud_disk"],
/// };
///
/// pub struct Storage;
///
/// impl Policy for Storage {
///     fn rules() -> Vec<Rule> {
///         vec![VERSIONING, DISK_NAME]
///     }
///
///     fn evaluate(resources: &[Resource]) -> Result<Evaluation, String> {
///         let mut evaluation = versioning(resources);
///         evaluation.extend(disk_name(resources));
///         Ok(evaluation)
///     }
/// }
///
/// fn versioning(resources: &[Resource]) -> Evaluation {
///     let mut evaluation = Evaluation::default();
///     for bucket in resources.iter().filter(|r| r.is("alicloud_oss_bucket")) {
///         let status = bucket.get("versioning").index(0).get("status");
///         match status.text().decide() {
///             Ok(Some(status)) if status == "Enabled" => {}
///             Ok(_) => evaluation.fail(VERSIONING.id, bucket, status.path(), "versioning is off"),
///             Err(unknown) => evaluation.undecided(VERSIONING.id, bucket, &unknown),
///         }
///     }
///     evaluation
/// }
///
/// fn disk_name(resources: &[Resource]) -> Evaluation {
///     let mut evaluation = Evaluation::default();
///     for disk in resources.iter().filter(|r| r.is("alicloud_disk")) {
///         if disk.get("disk_name").attr().is_absent() {
///             evaluation.fail(DISK_NAME.id, disk, &AttrPath::root(), "the disk has no name");
///         }
///     }
///     evaluation
/// }
///
/// # use palisade_policy::serde_json::json;
/// # use palisade_policy::testing::{locations, resources};
/// let set = resources(&[
///     ("alicloud_oss_bucket", "logs", json!({"versioning": [{"status": "Suspended"}]})),
///     ("alicloud_disk", "data", json!({"size": 20})),
/// ]);
/// let evaluation = Storage::evaluate(&set).unwrap();
/// assert_eq!(locations(&evaluation.findings), [(0, "versioning[0].status"), (1, "")]);
/// ```
pub trait Policy {
    /// Every rule the policy holds.
    ///
    /// The runner reads this once when it loads the component (and for `palisade rules`
    /// and `palisade explain`), so return the same list every time. Ids must be
    /// well-formed and unique (see [`Rule::id`]) or the component is refused.
    fn rules() -> Vec<Rule>;

    /// Evaluates every rule on `resources`. An `Err` is reported as an error of this
    /// policy (not a finding); the other policies still run.
    ///
    /// Keep `Err` for what the policy cannot handle at all: a value it cannot read is an
    /// unknown for one resource ([`Field::unknown`], [`Evaluation::undecided`]), not a
    /// reason to drop every finding of the document set. The same holds for panics,
    /// which end the evaluation the same way.
    fn evaluate(resources: &[Resource]) -> Result<Evaluation, String>;
}

/// Exports a [`Policy`] as the component's `info`, `rules` and `evaluate`.
///
/// `info` reports the calling crate's `CARGO_PKG_NAME`, `CARGO_PKG_VERSION` and
/// `CARGO_PKG_AUTHORS` (the `name`, `version` and `authors` of its `Cargo.toml`), which
/// `palisade rules` shows next to each rule. On targets other than `wasm32` it expands
/// to nothing, so a policy crate can be unit-tested natively.
///
/// Use it once per crate, at the top level of `lib.rs`: a component has one set of
/// exports, and a second `export!` fails to build.
///
/// ```
/// use palisade_policy::{Evaluation, Policy, Resource, Rule, Severity};
///
/// const RULE: Rule = Rule {
///     id: "no-public-ip",
///     title: "Instances have no public IP",
///     severity: Severity::Medium,
///     description: "Instances are reached through a load balancer or a bastion.",
///     remediation: "Set `internet_max_bandwidth_out = 0` or leave it out.",
///     documentation: "# no-public-ip\n",
///     resource_types: &["alicloud_instance"],
/// };
///
/// pub struct NoPublicIp;
///
/// impl Policy for NoPublicIp {
///     fn rules() -> Vec<Rule> {
///         vec![RULE]
///     }
///
///     fn evaluate(resources: &[Resource]) -> Result<Evaluation, String> {
///         let mut evaluation = Evaluation::default();
///         for instance in resources {
///             // Alibaba assigns a public IP when the outbound bandwidth is above 0.
///             let bandwidth = instance.get("internet_max_bandwidth_out");
///             match bandwidth.integer().with_default(0) {
///                 Ok(0) => {}
///                 Ok(_) => evaluation.fail(RULE.id, instance, bandwidth.path(), "public IP"),
///                 Err(unknown) => evaluation.undecided(RULE.id, instance, &unknown),
///             }
///         }
///         Ok(evaluation)
///     }
/// }
///
/// palisade_policy::export!(NoPublicIp);
/// ```
#[macro_export]
macro_rules! export {
    ($policy:ty) => {
        #[cfg(target_arch = "wasm32")]
        const _: () = {
            struct PalisadeComponent;

            impl $crate::__private::Guest for PalisadeComponent {
                fn info() -> $crate::__private::PolicyInfo {
                    $crate::__private::info(
                        env!("CARGO_PKG_NAME"),
                        env!("CARGO_PKG_VERSION"),
                        env!("CARGO_PKG_AUTHORS"),
                    )
                }

                fn rules() -> ::std::vec::Vec<$crate::__private::WitRule> {
                    $crate::__private::rules::<$policy>()
                }

                fn evaluate(
                    resources: ::std::vec::Vec<$crate::__private::CloudResource>,
                ) -> ::std::result::Result<$crate::__private::WitEvaluation, ::std::string::String>
                {
                    $crate::__private::evaluate::<$policy>(resources)
                }
            }

            $crate::__private::bindings::export_world!(
                PalisadeComponent with_types_in $crate::__private::bindings
            );
        };
    };
}

/// Implementation details of [`export!`]; not part of the API.
#[doc(hidden)]
pub mod __private {
    pub use crate::guest::*;
}
