//! `redis-password-free`: Redis instances ask every client for a password.

use palisade_policy::{Evaluation, Resource, Rule, Severity};

use crate::auth::Auth;
use crate::{alicloud, ros};

/// The rule this file holds.
pub const RULE: Rule = Rule {
    id: "redis-password-free",
    title: "Redis instances require a password inside the VPC",
    severity: Severity::High,
    description: "A Tair (Redis) instance fails when it allows password-free access from \
        inside its VPC: `vpc_auth_mode = \"Close\"` on `alicloud_kvstore_instance` or \
        `alicloud_redis_tair_instance` (the default is `Open`), or `VpcPasswordFree: true` \
        on `ALIYUN::REDIS::Instance` or `ALIYUN::REDIS::PrepayInstance`. \
        Anything that reaches the instance's private address (a compromised instance, a \
        peered network, a VPN client) can then read, change and delete every key without \
        a password. Memcache instances, to which the setting does not apply, are not \
        judged.",
    remediation: "Remove `vpc_auth_mode` or set it to `\"Open\"` (ROS: remove \
        `VpcPasswordFree` or set it to false), and give clients the instance password or \
        an account of their own.",
    documentation: include_str!("redis-password-free.md"),
    resource_types: &[
        alicloud::KVSTORE_INSTANCE,
        alicloud::REDIS_TAIR_INSTANCE,
        ros::REDIS_INSTANCE,
        ros::REDIS_PREPAY_INSTANCE,
    ],
};

/// Decides the authentication of every Redis instance.
pub fn evaluate(resources: &[&Resource]) -> Evaluation {
    let mut evaluation = Evaluation::default();
    for &resource in resources {
        let auth = alicloud::auth::auth(resource).or_else(|| ros::auth::auth(resource));
        match auth {
            None | Some(Auth::Required) => {}
            Some(Auth::PasswordFree { at, setting }) => {
                let message = format!(
                    "password-free access is on ({setting}): any client that reaches the \
                     instance inside its VPC connects without a password"
                );
                evaluation.fail(&RULE, resource, &at, message);
            }
            Some(Auth::Ineffective { at, message }) => {
                evaluation.note(&RULE, resource, &at, message);
            }
            Some(Auth::Undecided(unknown)) => evaluation.undecided(&RULE, resource, &unknown),
        }
    }
    evaluation
}
