//! What a rule id may be: users select (`--rule`), skip and suppress rules by id, on
//! command lines, in `palisade.toml` and in suppression comments, so an id must be easy to
//! type, unambiguous and stable.
//!
//! The runner refuses a component whose ids break these rules when it loads it.

use std::collections::BTreeSet;
use std::fmt;

/// The longest rule id accepted: ids are typed on command lines and in suppression
/// comments, and fill a column of every report.
pub const MAX_RULE_ID_LEN: usize = 64;

/// Why a text is not a rule id; displayed as the end of "rule id `x` ...".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleIdError {
    /// The id is empty.
    Empty,
    /// The id starts with something other than a lowercase ASCII letter.
    Start,
    /// The id holds something other than lowercase ASCII letters, digits and `-`.
    Characters,
    /// The id is longer than [`MAX_RULE_ID_LEN`].
    TooLong,
}

impl fmt::Display for RuleIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleIdError::Empty => f.write_str("is empty"),
            RuleIdError::Start => f.write_str("must start with a lowercase letter"),
            RuleIdError::Characters => {
                f.write_str("may hold only lowercase letters, digits and `-`")
            }
            RuleIdError::TooLong => {
                write!(f, "is longer than {MAX_RULE_ID_LEN} characters")
            }
        }
    }
}

impl std::error::Error for RuleIdError {}

/// Checks that `id` is a rule id: lowercase ASCII letters, digits and `-`, starting with a
/// letter, at most [`MAX_RULE_ID_LEN`] characters.
///
/// ```
/// use palisade_contract::{RuleIdError, check_rule_id};
///
/// assert_eq!(check_rule_id("open-ssh"), Ok(()));
/// assert_eq!(check_rule_id("4-1"), Err(RuleIdError::Start));
/// assert_eq!(
///     check_rule_id("open_ssh").unwrap_err().to_string(),
///     "may hold only lowercase letters, digits and `-`"
/// );
/// ```
pub fn check_rule_id(id: &str) -> Result<(), RuleIdError> {
    match id.bytes().next() {
        None => Err(RuleIdError::Empty),
        Some(first) if !first.is_ascii_lowercase() => Err(RuleIdError::Start),
        Some(_) if !id.bytes().all(is_id_byte) => Err(RuleIdError::Characters),
        Some(_) if id.len() > MAX_RULE_ID_LEN => Err(RuleIdError::TooLong),
        Some(_) => Ok(()),
    }
}

fn is_id_byte(byte: u8) -> bool {
    byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-'
}

/// The first id of `ids` that an earlier one already declared: one id must mean one rule
/// in reports, suppressions and `--rule` selections.
///
/// ```
/// use palisade_contract::first_duplicate;
///
/// assert_eq!(first_duplicate(["a", "b", "c"]), None);
/// assert_eq!(first_duplicate(["a", "b", "b", "a"]), Some("b"));
/// ```
pub fn first_duplicate<'a>(ids: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut seen = BTreeSet::new();
    ids.into_iter().find(|id| !seen.insert(*id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_lowercase_words_starting_with_a_letter() {
        for good in [
            "open-ssh",
            "cis-4-1",
            "x",
            "a2",
            &"a".repeat(MAX_RULE_ID_LEN),
        ] {
            assert_eq!(check_rule_id(good), Ok(()), "{good}");
        }
        assert_eq!(check_rule_id(""), Err(RuleIdError::Empty));
        for bad in ["-x", "4-1", "Open-ssh", "ß"] {
            assert_eq!(check_rule_id(bad), Err(RuleIdError::Start), "{bad}");
        }
        for bad in ["open_ssh", "open ssh", "open-SSH", "openß"] {
            assert_eq!(check_rule_id(bad), Err(RuleIdError::Characters), "{bad}");
        }
        let long = "a".repeat(MAX_RULE_ID_LEN + 1);
        assert_eq!(check_rule_id(&long), Err(RuleIdError::TooLong));
        assert_eq!(
            RuleIdError::TooLong.to_string(),
            "is longer than 64 characters"
        );
    }

    #[test]
    fn the_first_repeated_id_is_the_duplicate() {
        assert_eq!(first_duplicate([]), None);
        assert_eq!(first_duplicate(["a", "b", "a", "b"]), Some("a"));
        assert_eq!(first_duplicate(["x", "y", "y"]), Some("y"));
    }
}
