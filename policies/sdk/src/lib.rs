#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub mod attr;
mod attributes;
pub mod cloud;
pub mod evaluation;
pub mod family;
pub mod link;
pub mod logic;
pub mod path;
pub mod resource;
pub mod testing;

mod guest;

pub use attr::{Attr, Field, UNKNOWN_KEY, Unknown};
pub use evaluation::{Evaluation, Finding, Rule, Severity};
pub use palisade_contract::is_secret_name;
pub use palisade_contract::{MAX_RULE_ID_LEN, RuleIdError, check_rule_id};
pub use path::{AttrPath, Segment};
pub use resource::{
    DecodeError, Format, INPUTS_KEY, Input, InputKind, PARAMETER_TYPE, Resource, Setting, Target,
};
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
/// filters for its own; a [`family`](mod@family) does that filtering for each rule and merges the
/// evaluations, one rule per file.
///
/// ```
/// use palisade_policy::{AttrPath, Evaluation, Policy, Resource, Rule, Severity};
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
/// pub struct DiskName;
///
/// impl Policy for DiskName {
///     fn rules() -> Vec<Rule> {
///         vec![DISK_NAME]
///     }
///
///     fn evaluate(resources: &[Resource]) -> Result<Evaluation, String> {
///         let mut evaluation = Evaluation::default();
///         for disk in resources {
///             if disk.get("disk_name").attr().is_absent() {
///                 evaluation.fail(&DISK_NAME, disk, &AttrPath::root(), "the disk has no name");
///             }
///         }
///         Ok(evaluation)
///     }
/// }
///
/// # use palisade_policy::serde_json::json;
/// # use palisade_policy::testing::{locations, resources};
/// let set = resources(&[("alicloud_disk", "data", json!({"size": 20}))]);
/// let evaluation = DiskName::evaluate(&set).unwrap();
/// assert_eq!(locations(&evaluation.findings), [(0, "")]);
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
    ///
    /// One instance of the component evaluates several document sets in turn: answer
    /// from `resources` alone, never from statics an earlier call left behind.
    fn evaluate(resources: &[Resource]) -> Result<Evaluation, String>;

    /// Evaluates only the rules with the ids `rules` (the runner's `--rule` and
    /// `--skip-rule`); the host sends only the resources of their types. By default it
    /// evaluates every rule and keeps what the selected ones report; a
    /// [`family`](mod@family) runs only the selected rules.
    fn evaluate_rules(resources: &[Resource], rules: &[&str]) -> Result<Evaluation, String> {
        let mut evaluation = Self::evaluate(resources)?;
        evaluation.retain_rules(rules);
        Ok(evaluation)
    }
}

/// Exports a [`Policy`] as the component's `info`, `rules`, `evaluate` and
/// `evaluate-rules`.
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
///                 Ok(_) => evaluation.fail(&RULE, instance, bandwidth.path(), "public IP"),
///                 Err(unknown) => evaluation.undecided(&RULE, instance, &unknown),
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

                fn evaluate_rules(
                    rules: ::std::vec::Vec<::std::string::String>,
                    resources: ::std::vec::Vec<$crate::__private::CloudResource>,
                ) -> ::std::result::Result<$crate::__private::WitEvaluation, ::std::string::String>
                {
                    $crate::__private::evaluate_rules::<$policy>(rules, resources)
                }
            }

            $crate::__private::bindings::export_world!(
                PalisadeComponent with_types_in $crate::__private::bindings
            );
        };
    };
}

/// Exports the rule family of the calling crate as one component: includes the rule
/// modules and the list that `palisade_family_build::generate` wrote from
/// `src/rules/*.rs` (as `crate::rules`), and exports them as the policy `Family` (see
/// [`family`](mod@family)).
///
/// Use it once, at the end of the family's `lib.rs`, after the shared modules the rules
/// use: `family!()`, or `family!(shared: module::Type)` when the rules start from one
/// reading of the resources, `Type<'a>` implementing [`family::Shared`].
#[macro_export]
macro_rules! family {
    () => {
        /// This family's rules share no reading of the resources.
        pub type FamilyShared<'a> = ();

        $crate::family!(@export);
    };
    (shared: $($shared:ident)::+) => {
        /// What every rule of this family reads first, once per evaluation.
        pub type FamilyShared<'a> = $($shared)::+<'a>;

        $crate::family!(@export);
    };
    (@export) => {
        include!(concat!(env!("OUT_DIR"), "/palisade_rules.rs"));

        /// Every rule of this crate, run as one policy.
        pub struct Family;

        impl $crate::Policy for Family {
            fn rules() -> ::std::vec::Vec<$crate::Rule> {
                $crate::family::rules(rules::ALL)
            }

            fn evaluate(
                resources: &[$crate::Resource],
            ) -> ::std::result::Result<$crate::Evaluation, ::std::string::String> {
                ::std::result::Result::Ok(rules::evaluate(resources, $crate::family::Selection::All))
            }

            fn evaluate_rules(
                resources: &[$crate::Resource],
                ids: &[&str],
            ) -> ::std::result::Result<$crate::Evaluation, ::std::string::String> {
                let selection = $crate::family::Selection::Only(ids);
                ::std::result::Result::Ok(rules::evaluate(resources, selection))
            }
        }

        $crate::export!(Family);
    };
}

/// Implementation details of [`export!`]; not part of the API.
#[doc(hidden)]
pub mod __private {
    pub use crate::guest::*;
}

/// The component's allocator (feature `allocator`, on by default): decoding every
/// resource a call is sent is most of the work, and talc spends fewer instructions on
/// it than Rust's default.
#[cfg(all(feature = "allocator", target_family = "wasm"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
