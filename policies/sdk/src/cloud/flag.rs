//! Boolean flags as templates write them: `true`, `"true"`, `"True"`.
//!
//! Terraform converts the strings `"true"`/`"false"` to booleans and ROS templates often
//! quote them, so both spellings count. Anything else (a number, `"yes"`) cannot be read
//! either way, and an unknown value stays unknown; callers decide what that means.
//! ROS YAML may follow YAML 1.1, where `yes`/`no`/`on`/`off` are booleans too:
//! [`parse_yaml`] reads those spellings when they arrive as text (quoted, or from a
//! YAML 1.2 parser).

use serde_json::Value;

/// The boolean `value` stands for, or `None` when it is not a boolean flag.
///
/// ```
/// use palisade_policy::cloud::flag::parse;
/// use serde_json::json;
///
/// assert_eq!(parse(&json!(true)), Some(true));
/// assert_eq!(parse(&json!(" FALSE ")), Some(false));
/// assert_eq!(parse(&json!(1)), None);
/// ```
pub fn parse(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(flag) => Some(*flag),
        Value::String(text) => {
            let text = text.trim();
            if text.eq_ignore_ascii_case("true") {
                Some(true)
            } else if text.eq_ignore_ascii_case("false") {
                Some(false)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// The boolean `value` stands for in a ROS template, which may follow YAML 1.1: what
/// [`parse`] reads, plus the strings `yes`/`no`/`on`/`off` in any case.
///
/// ```
/// use palisade_policy::cloud::flag::parse_yaml;
/// use serde_json::json;
///
/// assert_eq!(parse_yaml(&json!("On")), Some(true));
/// assert_eq!(parse_yaml(&json!("no")), Some(false));
/// assert_eq!(parse_yaml(&json!("maybe")), None);
/// ```
pub fn parse_yaml(value: &Value) -> Option<bool> {
    parse(value).or_else(|| {
        let text = value.as_str()?.trim();
        if text.eq_ignore_ascii_case("yes") || text.eq_ignore_ascii_case("on") {
            Some(true)
        } else if text.eq_ignore_ascii_case("no") || text.eq_ignore_ascii_case("off") {
            Some(false)
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_booleans_and_their_string_spellings() {
        for truthy in [json!(true), json!("true"), json!("TRUE"), json!("True ")] {
            assert_eq!(parse(&truthy), Some(true), "{truthy}");
        }
        for falsy in [json!(false), json!("false"), json!("False")] {
            assert_eq!(parse(&falsy), Some(false), "{falsy}");
        }
    }

    #[test]
    fn anything_else_is_not_a_flag() {
        for other in [
            json!(1),
            json!(0),
            json!("yes"),
            json!(""),
            json!(null),
            json!([true]),
        ] {
            assert_eq!(parse(&other), None, "{other}");
        }
    }

    #[test]
    fn yaml_spellings_are_flags_only_for_ros() {
        for truthy in [
            json!("yes"),
            json!("YES"),
            json!(" on"),
            json!(true),
            json!("True"),
        ] {
            assert_eq!(parse_yaml(&truthy), Some(true), "{truthy}");
        }
        for falsy in [json!("no"), json!("Off"), json!(false), json!("false")] {
            assert_eq!(parse_yaml(&falsy), Some(false), "{falsy}");
        }
        for other in [json!("y"), json!(1), json!(""), json!(null)] {
            assert_eq!(parse_yaml(&other), None, "{other}");
        }
        assert_eq!(parse(&json!("yes")), None);
    }
}
