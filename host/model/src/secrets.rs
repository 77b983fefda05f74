//! Attributes whose names say they hold a secret (`password`, `account_password`,
//! `MasterUserPassword`, `secret_key`): their written values are sensitive, like a plan's
//! `after_sensitive` ones, so that only the built-in rules read them and no report quotes
//! them. A rule that finds a password written in a template must not print it.

use palisade_contract::{AttrPath, UNKNOWN_KEY, is_secret_name};
use serde_json::Value;

/// The paths of the known, non-empty text values of `attributes` held under a
/// secret-looking key, at any depth.
pub fn secret_paths(attributes: &Value) -> Vec<String> {
    if !has_secret_key(attributes) {
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut stack = vec![(attributes, AttrPath::root())];
    while let Some((value, path)) = stack.pop() {
        match value {
            Value::Object(map) if map.contains_key(UNKNOWN_KEY) => {}
            Value::Object(map) => {
                for (key, item) in map {
                    match item {
                        Value::String(text) if is_secret_text(text) && is_secret_name(key) => {
                            found.push(path.key(key).as_str().to_owned());
                        }
                        Value::Object(_) | Value::Array(_) => stack.push((item, path.key(key))),
                        _ => {}
                    }
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if matches!(item, Value::Object(_) | Value::Array(_)) {
                        stack.push((item, path.index(i)));
                    }
                }
            }
            _ => {}
        }
    }
    found.sort();
    found
}

/// Whether a text under a secret-looking key can be a secret: not empty, and not a switch
/// (`VpcPasswordFree: "true"`, `password_reset_required = "false"`).
fn is_secret_text(text: &str) -> bool {
    const SWITCHES: [&str; 6] = ["true", "false", "yes", "no", "on", "off"];
    !text.is_empty() && !SWITCHES.iter().any(|word| text.eq_ignore_ascii_case(word))
}

/// Whether any object key in `value` looks like a secret's: the cheap test that spares
/// building paths for the many resources that hold none.
fn has_secret_key(value: &Value) -> bool {
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                for (key, item) in map {
                    if is_secret_name(key) {
                        return true;
                    }
                    stack.push(item);
                }
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn written_secrets_are_found_at_any_depth() {
        let attributes = json!({
            "password": "hunter2",
            "kms_encrypted_password": "",
            "instance_type": "ecs.g6.large",
            "login": [{"account_password": "s3cret", "user": "admin"}],
            "token": {"$unknown": {"reason": "var.token has no value", "refers": null}},
            "LoginProfile": {"Password": "p@ss", "MFABindRequired": true},
            "VpcPasswordFree": "True",
        });
        assert_eq!(
            secret_paths(&attributes),
            [
                "LoginProfile.Password",
                "login[0].account_password",
                "password"
            ]
        );
        assert!(secret_paths(&json!({"name": "a", "tags": {"k": "v"}})).is_empty());
    }
}
