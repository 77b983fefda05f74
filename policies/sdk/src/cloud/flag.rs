//! Boolean flags as templates write them: `true`, `"true"`, `"True"`.
//!
//! Terraform converts the strings `"true"`/`"false"` to booleans and ROS templates often
//! quote them, so both spellings count. Anything else (a number, `"yes"`) cannot be read
//! either way, and an unknown value stays unknown; callers decide what that means.

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
}
