//! `ram-user-console-no-mfa`: every RAM user who can sign in to the console must bind an
//! MFA device.
//!
//! The login profile decides (`crate::login`), unless the same configuration requires MFA
//! of every user through the account's security preference, which then passes the
//! profile with a note.

use palisade_policy::{AttrPath, Evaluation, Resource, Rule, Severity};

use crate::login::{self, Enforcement, Mfa, PREFERENCE, ROS_PROFILE, ROS_USER, TF_PROFILE};

/// The rule this file holds.
pub const RULE: Rule = Rule {
    id: "ram-user-console-no-mfa",
    title: "RAM users who sign in to the console must use MFA",
    severity: Severity::High,
    description: "A RAM user's console login fails when it does not require an MFA device: \
        `alicloud_ram_login_profile` without `mfa_bind_required = true` (the provider \
        default is false), or a ROS `LoginProfile` without `MFABindRequired: true`. A \
        console password alone is phished, guessed or reused from another breach; MFA \
        makes a stolen password useless. A configuration that requires MFA of every user \
        (`alicloud_ram_security_preference` with `mfa_operation_for_login = \"mandatory\"`) \
        passes with a note.",
    remediation: "Set `mfa_bind_required = true` on the `alicloud_ram_login_profile` (ROS: \
        `MFABindRequired: true` in the user's `LoginProfile` or on the \
        `ALIYUN::RAM::LoginProfile`), or require MFA of every user with \
        `alicloud_ram_security_preference { mfa_operation_for_login = \"mandatory\" }`.",
    documentation: include_str!("ram-user-console-no-mfa.md"),
    resource_types: &[TF_PROFILE, ROS_USER, ROS_PROFILE, PREFERENCE],
};

/// Decides every console login profile.
pub fn evaluate(resources: &[&Resource]) -> Evaluation {
    let enforcement = login::enforcement(resources);
    let mut evaluation = Evaluation::default();
    for &resource in resources.iter().filter(|r| !r.is(PREFERENCE)) {
        match login::mfa(resource) {
            Mfa::NoLogin | Mfa::Required => {}
            Mfa::Undecided(unknown) => evaluation.undecided(&RULE, resource, &unknown),
            Mfa::NotRequired { at, omitted: false } => {
                let state = format!("`{}` is false", at.path());
                decide(&mut evaluation, resource, &enforcement, at.path(), &state);
            }
            Mfa::NotRequired { at, omitted: true } => {
                let state = not_set(resource);
                decide(&mut evaluation, resource, &enforcement, at.path(), &state);
            }
        }
    }
    evaluation
}

/// Fails a login without MFA, unless the account enforces MFA for everyone.
fn decide(
    evaluation: &mut Evaluation,
    resource: &Resource,
    enforcement: &Enforcement<'_>,
    path: &AttrPath,
    state: &str,
) {
    match enforcement {
        Enforcement::Enforced(preference) => {
            let message = format!(
                "{state}, but {} requires MFA of every user at console login",
                preference.address
            );
            evaluation.note(&RULE, resource, path, message);
        }
        Enforcement::Undecided(preference, reason) => {
            let message = format!(
                "could not decide: {state}, and whether {} requires MFA of every user is \
                 unknown: {reason}",
                preference.address
            );
            evaluation.note(&RULE, resource, path, message);
        }
        Enforcement::None => {
            let message = format!("the user can sign in to the console without MFA: {state}");
            evaluation.fail(&RULE, resource, path, message);
        }
    }
}

/// How an omitted flag is described, naming the attribute and its default.
fn not_set(resource: &Resource) -> String {
    if resource.is(TF_PROFILE) {
        "`mfa_bind_required` is not set (default false)".to_owned()
    } else if resource.is(ROS_USER) {
        "`LoginProfile.MFABindRequired` is not set (default false)".to_owned()
    } else {
        "`MFABindRequired` is not set (default false)".to_owned()
    }
}
