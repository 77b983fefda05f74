//! Console logins and MFA: which resources give a RAM user a console password, whether
//! each requires an MFA device, and whether the account requires MFA of every user.

use palisade_policy::cloud::flag;
use palisade_policy::serde_json::Value;
use palisade_policy::{Attr, Field, Resource, Unknown};

/// `alicloud_ram_login_profile`: a user's console password.
pub const TF_PROFILE: &str = "alicloud_ram_login_profile";
/// `ALIYUN::RAM::User`: a user, with a console password when it has a `LoginProfile`.
pub const ROS_USER: &str = "ALIYUN::RAM::User";
/// `ALIYUN::RAM::LoginProfile`: a user's console password.
pub const ROS_PROFILE: &str = "ALIYUN::RAM::LoginProfile";
/// `alicloud_ram_security_preference`: the account's settings for every RAM user.
pub const PREFERENCE: &str = "alicloud_ram_security_preference";

/// What a resource says of a console login's MFA.
pub enum Mfa<'a> {
    /// No console login (a user without `LoginProfile`, a disabled profile).
    NoLogin,
    /// MFA is required.
    Required,
    /// MFA is not required: the flag is false, or omitted.
    NotRequired {
        /// Where to report: the flag set to false, or the resource itself for an omitted
        /// flag (its default).
        at: Field<'a>,
        /// Whether the flag is omitted.
        omitted: bool,
    },
    /// It depends on an unknown value.
    Undecided(Unknown<'a>),
}

/// Whether the console login of `resource` requires MFA.
pub fn mfa(resource: &Resource) -> Mfa<'_> {
    match resource.resource_type.as_str() {
        TF_PROFILE => required(resource.root(), "mfa_bind_required", false),
        ROS_PROFILE => match resource.get("Status").text() {
            Attr::Known(status) if status.trim().eq_ignore_ascii_case("inactive") => Mfa::NoLogin,
            Attr::Unknown(unknown) => Mfa::Undecided(unknown),
            _ => required(resource.root(), "MFABindRequired", true),
        },
        ROS_USER => {
            let profile = resource.get("LoginProfile");
            match profile.attr() {
                Attr::Absent => Mfa::NoLogin,
                Attr::Unknown(unknown) => Mfa::Undecided(unknown),
                Attr::Known(Value::Object(_)) => match required(profile, "MFABindRequired", true) {
                    // At the header: a finding on the block that holds the password
                    // would be shown without its message.
                    Mfa::NotRequired { omitted: true, .. } => Mfa::NotRequired {
                        at: resource.root(),
                        omitted: true,
                    },
                    other => other,
                },
                Attr::Known(other) => {
                    Mfa::Undecided(profile.unknown(format!("`LoginProfile` is not a map: {other}")))
                }
            }
        }
        _ => Mfa::NoLogin,
    }
}

/// Reads the MFA flag `key` of a login profile at `within` (YAML 1.1 spellings for ROS).
fn required<'a>(within: Field<'a>, key: &str, yaml: bool) -> Mfa<'a> {
    let field = within.get(key);
    let value = match field.attr() {
        Attr::Absent => {
            return Mfa::NotRequired {
                at: within,
                omitted: true,
            };
        }
        Attr::Unknown(unknown) => return Mfa::Undecided(unknown),
        Attr::Known(value) => value,
    };
    let parsed = if yaml {
        flag::parse_yaml(value)
    } else {
        flag::parse(value)
    };
    match parsed {
        Some(true) => Mfa::Required,
        Some(false) => Mfa::NotRequired {
            at: field,
            omitted: false,
        },
        None => Mfa::Undecided(field.unknown(format!("`{key}` is not a boolean: {value}"))),
    }
}

/// Whether the account requires MFA of every user at console login.
pub enum Enforcement<'a> {
    /// It does, by this setting.
    Enforced(&'a Resource),
    /// Nothing in the document set says so.
    None,
    /// A setting may: its value is unknown, or only the deprecated attribute is set.
    Undecided(&'a Resource, String),
}

/// Reads the security preferences among `resources` (a singleton per account; the first
/// that enforces MFA decides).
pub fn enforcement<'a>(resources: &[&'a Resource]) -> Enforcement<'a> {
    let mut undecided = None;
    for &preference in resources.iter().filter(|r| r.is(PREFERENCE)) {
        match enforces(preference) {
            Ok(true) => return Enforcement::Enforced(preference),
            Ok(false) => {}
            Err(reason) => {
                undecided.get_or_insert((preference, reason));
            }
        }
    }
    match undecided {
        Some((preference, reason)) => Enforcement::Undecided(preference, reason),
        None => Enforcement::None,
    }
}

/// Whether one security preference requires MFA of every user: `mfa_operation_for_login
/// = "mandatory"`. When that is omitted, the deprecated `enforce_mfa_for_login = true`
/// leaves it undecided: the provider stopped sending it in v1.269.0, so it enforces MFA
/// only with an older provider.
fn enforces(preference: &Resource) -> Result<bool, String> {
    match preference.get("mfa_operation_for_login").text() {
        Attr::Known(mode) => return Ok(mode.trim().eq_ignore_ascii_case("mandatory")),
        Attr::Unknown(unknown) => {
            return Err(format!(
                "`mfa_operation_for_login` is unknown: {}",
                unknown.reason
            ));
        }
        Attr::Absent => {}
    }
    match preference.get("enforce_mfa_for_login").bool() {
        Attr::Known(true) => Err(
            "only the deprecated `enforce_mfa_for_login = true` requires MFA, \
            and the provider ignores it since v1.269.0"
                .to_owned(),
        ),
        Attr::Known(false) | Attr::Absent => Ok(false),
        Attr::Unknown(unknown) => Err(format!(
            "`enforce_mfa_for_login` is unknown: {}",
            unknown.reason
        )),
    }
}
