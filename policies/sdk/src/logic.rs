//! Three-valued logic for rule conditions that may depend on unknown values.
//!
//! A condition is `Ok(true)`, `Ok(false)` or `Err(Unknown)`. A conjunction is false as
//! soon as one part is known to be false, whatever the others are, so an unknown only
//! matters when it could change the outcome; that keeps notes about unknown values to the
//! ones a user can act on.
//!
//! Typed readers give a condition through [`Attr::with_default`](crate::Attr::with_default)
//! and `Result::map`:
//!
//! ```
//! use palisade_policy::cloud::cidr::is_world_open;
//! use palisade_policy::logic::{all, Decision};
//! use palisade_policy::testing::{resources, unknown};
//! use palisade_policy::Resource;
//! use serde_json::json;
//!
//! /// Whether an Alibaba security group rule lets the whole internet in.
//! fn world_ingress(rule: &Resource) -> Decision<'_> {
//!     let ingress = rule.get("type").text().with_default("".into()).map(|t| t == "ingress");
//!     let world = rule.get("cidr_ip").text().with_default("".into()).map(|c| is_world_open(&c));
//!     all([ingress, world])
//! }
//!
//! let set = resources(&[
//!     ("alicloud_security_group_rule", "a", json!({"type": "ingress", "cidr_ip": "0.0.0.0/0"})),
//!     ("alicloud_security_group_rule", "b", json!({"type": unknown("var.direction"), "cidr_ip": "10.0.0.0/8"})),
//!     ("alicloud_security_group_rule", "c", json!({"type": unknown("var.direction"), "cidr_ip": "::/0"})),
//! ]);
//! assert_eq!(world_ingress(&set[0]), Ok(true));
//! // A private source passes whatever the direction: no note about the variable.
//! assert_eq!(world_ingress(&set[1]), Ok(false));
//! // Here the direction decides, so it is reported.
//! assert_eq!(world_ingress(&set[2]).unwrap_err().reason, "var.direction");
//! ```

use crate::attr::Unknown;

/// The outcome of one condition: `Err` when it depends on an unknown value. Report an
/// `Err` with [`Evaluation::undecided`](crate::Evaluation::undecided).
pub type Decision<'a> = Result<bool, Unknown<'a>>;

/// True when every condition is true; false when any is false (even if others are
/// unknown); otherwise the first unknown.
///
/// ```
/// use palisade_policy::logic::all;
///
/// assert_eq!(all([Ok(true), Ok(true)]), Ok(true));
/// assert_eq!(all([Ok(true), Ok(false)]), Ok(false));
/// ```
pub fn all<'a>(conditions: impl IntoIterator<Item = Decision<'a>>) -> Decision<'a> {
    let mut first_unknown = None;
    for condition in conditions {
        match condition {
            Ok(true) => {}
            Ok(false) => return Ok(false),
            Err(unknown) => {
                first_unknown.get_or_insert(unknown);
            }
        }
    }
    first_unknown.map_or(Ok(true), Err)
}

/// True when any condition is true (even if others are unknown); false when all are
/// false; otherwise the first unknown.
///
/// ```
/// use palisade_policy::logic::any;
///
/// assert_eq!(any([Ok(false), Ok(true)]), Ok(true));
/// assert_eq!(any(Vec::new()), Ok(false));
/// ```
pub fn any<'a>(conditions: impl IntoIterator<Item = Decision<'a>>) -> Decision<'a> {
    let mut first_unknown = None;
    for condition in conditions {
        match condition {
            Ok(true) => return Ok(true),
            Ok(false) => {}
            Err(unknown) => {
                first_unknown.get_or_insert(unknown);
            }
        }
    }
    first_unknown.map_or(Ok(false), Err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::path::AttrPath;
    use std::borrow::Cow;

    fn unknown(reason: &str) -> Unknown<'_> {
        Unknown {
            path: AttrPath::root(),
            reason: Cow::Borrowed(reason),
            refers: None,
        }
    }

    #[test]
    fn a_known_false_beats_an_unknown_in_all() {
        assert_eq!(all([Err(unknown("u")), Ok(false)]), Ok(false));
        assert_eq!(
            all([Ok(true), Err(unknown("a")), Err(unknown("b"))]),
            Err(unknown("a"))
        );
        assert_eq!(all(Vec::new()), Ok(true));
    }

    #[test]
    fn a_known_true_beats_an_unknown_in_any() {
        assert_eq!(any([Err(unknown("u")), Ok(true)]), Ok(true));
        assert_eq!(any([Ok(false), Err(unknown("u"))]), Err(unknown("u")));
    }
}
