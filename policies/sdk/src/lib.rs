//! Write Palisade policies in Rust.
//!
//! A policy is one type implementing [`Policy`] and one [`export!`] line. The SDK turns
//! it into a WebAssembly component (`wasm32-wasip2`) that the Palisade runner loads,
//! decodes each resource's attributes once, and gives rules unknown-aware access to them
//! ([`Field`], [`Attr`]) plus the cloud semantics rules share ([`cloud`]).
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
//! ```
//!
//! Build the component with `cargo build --target wasm32-wasip2` on a crate with
//! `crate-type = ["cdylib", "rlib"]`; the `rlib` lets the policy's logic be unit-tested
//! on the host target, where [`export!`] expands to nothing.

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
pub use path::{AttrPath, Segment};
pub use resource::{DecodeError, Format, Resource, Target};
/// The JSON crate attributes are parsed with, so policies use the same `Value`.
pub use serde_json;

/// A policy: rule metadata plus one evaluation over the resources of a document set.
///
/// The host sends only the resources whose types one of the rules lists, all of one
/// document set at once so that rules can link resources (a bucket and its ACL).
pub trait Policy {
    /// Every rule the policy holds.
    fn rules() -> Vec<Rule>;

    /// Evaluates every rule on `resources`. An `Err` is reported as an error of this
    /// policy (not a finding); the other policies still run.
    fn evaluate(resources: &[Resource]) -> Result<Evaluation, String>;
}

/// Exports a [`Policy`] as the component's `info`, `rules` and `evaluate`.
///
/// `info` reports the calling crate's `CARGO_PKG_NAME`, `CARGO_PKG_VERSION` and
/// `CARGO_PKG_AUTHORS`. On targets other than `wasm32` it expands to nothing, so a policy
/// crate can be unit-tested natively.
///
/// ```ignore
/// palisade_policy::export!(MyPolicy);
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
