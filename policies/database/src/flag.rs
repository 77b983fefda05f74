//! Database switches as templates write them.
//!
//! The same setting is a status string in one place and a boolean in another: TDE is
//! `tde_status = "Enabled"` on RDS and PolarDB, `"enabled"` on MongoDB, and
//! `TDEStatus: true` in ROS (InfraGuard's own MongoDB fixture writes it so). ROS YAML may
//! follow YAML 1.1, so its booleans may also be `yes`/`no`/`on`/`off`, as text when quoted.
//! A value that is none of these cannot be read either way: it is unknown, at the field.

use palisade_policy::cloud::flag;
use palisade_policy::serde_json::Value;
use palisade_policy::{Attr, Field, Format, Resource};

/// A boolean of `resource` at `field`: Terraform's `true`/`false` (and their strings),
/// and in ROS also the YAML 1.1 spellings.
pub fn boolean<'a>(resource: &Resource, field: &Field<'a>) -> Attr<'a, bool> {
    read(resource, field, "a boolean", |_| None)
}

/// A status switch (`tde_status`, `TDEStatus`): `Enabled`/`Disabled` in any case, or a
/// boolean as [`boolean`] reads it.
pub fn status<'a>(resource: &Resource, field: &Field<'a>) -> Attr<'a, bool> {
    read(resource, field, "Enabled, Disabled or a boolean", |text| {
        let text = text.trim();
        if text.eq_ignore_ascii_case("enabled") {
            Some(true)
        } else if text.eq_ignore_ascii_case("disabled") {
            Some(false)
        } else {
            None
        }
    })
}

/// The value of `field` as written, for messages: `"Disabled"`, `false`.
pub fn written(field: &Field<'_>) -> String {
    match field.attr() {
        Attr::Known(Value::String(text)) => format!("{text:?}"),
        Attr::Known(value) => value.to_string(),
        Attr::Absent | Attr::Unknown(_) => String::new(),
    }
}

fn read<'a>(
    resource: &Resource,
    field: &Field<'a>,
    expected: &str,
    word: impl Fn(&str) -> Option<bool>,
) -> Attr<'a, bool> {
    match field.attr() {
        Attr::Absent => Attr::Absent,
        Attr::Unknown(unknown) => Attr::Unknown(unknown),
        Attr::Known(value) => {
            let parsed = value.as_str().and_then(&word).or_else(|| {
                if resource.format == Format::Ros {
                    flag::parse_yaml(value)
                } else {
                    flag::parse(value)
                }
            });
            match parsed {
                Some(on) => Attr::Known(on),
                None => Attr::Unknown(field.unknown(format!(
                    "`{}` is {value}, expected {expected}",
                    field.path()
                ))),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_policy::serde_json::json;
    use palisade_policy::testing::resources;

    #[test]
    fn statuses_are_words_or_booleans() {
        let set = resources(&[(
            "alicloud_db_instance",
            "db",
            json!({"a": "Enabled", "b": "enabled", "c": "true", "d": "Disabled", "e": false, "f": "on"}),
        )]);
        let db = &set[0];
        let read = |key| status(db, &db.get(key));
        assert_eq!(read("a"), Attr::Known(true));
        assert_eq!(read("b"), Attr::Known(true));
        assert_eq!(read("c"), Attr::Known(true));
        assert_eq!(read("d"), Attr::Known(false));
        assert_eq!(read("e"), Attr::Known(false));
        assert!(read("missing").is_absent());
        // YAML 1.1 words are booleans in ROS only.
        let Attr::Unknown(unknown) = read("f") else {
            panic!("`on` is no Terraform boolean");
        };
        assert_eq!(
            unknown.reason,
            r#"`f` is "on", expected Enabled, Disabled or a boolean"#
        );
    }

    #[test]
    fn ros_booleans_take_yaml_spellings() {
        let set = resources(&[(
            "ALIYUN::REDIS::Instance",
            "Redis",
            json!({"Yes": "yes", "Off": "OFF", "Odd": "maybe"}),
        )]);
        let redis = &set[0];
        assert_eq!(boolean(redis, &redis.get("Yes")), Attr::Known(true));
        assert_eq!(boolean(redis, &redis.get("Off")), Attr::Known(false));
        assert!(boolean(redis, &redis.get("Odd")).is_unknown());
        assert_eq!(written(&redis.get("Off")), r#""OFF""#);
    }
}
