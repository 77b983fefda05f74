//! What the Palisade runner and its policy components must agree on beyond the types of
//! `policy.wit`: the text inside those types.
//!
//! The WIT file fixes the shape of a rule, a resource and a finding; this crate fixes what
//! their strings mean, once, for both sides: the syntax of attribute paths ([`AttrPath`]),
//! the JSON that marks a value the runner could not determine ([`UNKNOWN_KEY`]), the
//! severities ([`Severity`]) and what a rule id may be ([`check_rule_id`]). It also gives
//! both sides one Rust type for the template kinds ([`Format`]). The runner and the policy
//! SDK both depend on it, so neither can drift from the other.
//!
//! It builds for the runner's target and for `wasm32-wasip2`, with `serde_json` as its
//! only required dependency.

#![warn(missing_docs)]

mod format;
mod inputs;
mod path;
mod rule_id;
mod severity;
mod unknown;

pub use format::Format;
pub use inputs::{
    INPUTS_KEY, Input, InputKind, PARAMETER_TYPE, Setting, inputs_text, is_secret_name,
};
pub use path::{AttrPath, Segment};
pub use rule_id::{MAX_RULE_ID_LEN, RuleIdError, check_rule_id, first_duplicate};
pub use severity::Severity;
pub use unknown::{UNKNOWN_KEY, UnknownMarker, unknown, unknown_ref};

/// The `palisade:policy` package version of `policy.wit`: the runner's version check
/// compares a component's version against it.
pub const WIT_VERSION: &str = env!("PALISADE_WIT_VERSION");
