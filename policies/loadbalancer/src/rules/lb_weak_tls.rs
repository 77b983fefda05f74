//! `lb-weak-tls`: load balancers accept only TLS 1.2 or later.
//!
//! A listener is decided by its own policy setting (`crate::alicloud`, `crate::ros`,
//! `crate::aws`), or, when it refers to a custom policy of the document set, by that
//! policy (`crate::policy`), which is judged once whether listeners use it or not.

use std::collections::HashMap;

use palisade_policy::{Evaluation, Resource, Rule, Severity};

use crate::listener::Verdict;
use crate::policy::{self, Index, Versions};
use crate::{alicloud, aws, ros};

/// The rule this file holds.
pub const RULE: Rule = Rule {
    id: "lb-weak-tls",
    title: "Load balancers accept only TLS 1.2 or later",
    severity: Severity::High,
    description: "A load balancer listener that terminates TLS fails when its security \
        policy lets clients negotiate TLS 1.0 or TLS 1.1: an `alicloud_slb_listener` \
        whose `tls_cipher_policy` is `tls_cipher_policy_1_0` (the default) or `_1_1`, an \
        `alicloud_alb_listener` (HTTPS) or `alicloud_nlb_listener` (TCPSSL) whose \
        `security_policy_id` is such a system policy, an `aws_lb_listener` whose \
        `ssl_policy` accepts them; a custom TLS policy (`alicloud_slb_tls_cipher_policy`, \
        `alicloud_alb_security_policy`, `alicloud_nlb_security_policy`, their ROS types) \
        fails when its `tls_versions` lists `TLSv1.0` or `TLSv1.1`. Both versions are \
        deprecated (RFC 8996): they rely on SHA-1 and CBC constructions with known attacks \
        (BEAST, POODLE on TLS, Lucky13), browsers no longer offer them, and PCI DSS and the \
        MLPS level 3 baseline require TLS 1.2 or later for data in transit.",
    remediation: "Use a policy that starts at TLS 1.2: `tls_cipher_policy_1_2` (or \
        `_1_2_strict`, `_1_2_strict_with_1_3`) in `tls_cipher_policy` of CLB HTTPS \
        listeners and in `security_policy_id` of ALB HTTPS and NLB TCPSSL listeners (ROS \
        `TLSCipherPolicy`, `SecurityPolicyId`), or a custom policy with `tls_versions = \
        [\"TLSv1.2\", \"TLSv1.3\"]`; on AWS HTTPS and TLS listeners, an `ssl_policy` such as \
        `ELBSecurityPolicy-TLS13-1-2-2021-06`.",
    documentation: include_str!("lb-weak-tls.md"),
    resource_types: &[
        alicloud::SLB_LISTENER,
        alicloud::ALB_LISTENER,
        alicloud::NLB_LISTENER,
        alicloud::SLB_POLICY,
        alicloud::ALB_POLICY,
        alicloud::NLB_POLICY,
        ros::SLB_LISTENER,
        ros::ALB_LISTENER,
        ros::NLB_LISTENER,
        ros::SLB_POLICY,
        ros::ALB_POLICY,
        ros::NLB_POLICY,
        aws::LB_LISTENER,
        aws::ALB_LISTENER,
    ],
};

/// The most listeners a policy's finding names.
const NAMED_USERS: usize = 3;

/// Decides every listener, then every custom policy with the listeners that use it.
pub fn evaluate(resources: &[&Resource]) -> Evaluation {
    let index = Index::new(resources);
    let mut evaluation = Evaluation::default();
    let mut users: HashMap<u32, Vec<&str>> = HashMap::new();
    for &resource in resources {
        let verdict = alicloud::listener(resource)
            .or_else(|| ros::listener(resource))
            .or_else(|| aws::listener(resource));
        if let Some(verdict) = verdict {
            listener(&mut evaluation, &index, &mut users, resource, verdict);
        }
    }
    for &resource in resources {
        if let Some(versions) = policy::versions(resource) {
            let users = users.get(&resource.index).map_or(&[][..], Vec::as_slice);
            policy(&mut evaluation, resource, policy::judge(&versions), &versions, users);
        }
    }
    evaluation
}

/// Reports one listener's verdict, or records it as a user of the policy it refers to.
fn listener<'a>(
    evaluation: &mut Evaluation,
    index: &Index<'a>,
    users: &mut HashMap<u32, Vec<&'a str>>,
    resource: &'a Resource,
    verdict: Verdict<'a>,
) {
    match verdict {
        Verdict::Pass => {}
        Verdict::Weak {
            at,
            protocol,
            old,
            setting,
        } => {
            let message = format!("the {protocol} listener accepts {old}: {setting}");
            evaluation.fail(&RULE, resource, &at, message);
        }
        Verdict::Linked { at, target } => {
            let found = index.find(target);
            if found.is_empty() {
                let message = format!(
                    "could not decide: `{at}` refers to {target}, which is not a TLS policy \
                     of this configuration"
                );
                evaluation.note(&RULE, resource, &at, message);
            }
            for policy in found {
                users
                    .entry(policy.index)
                    .or_default()
                    .push(&resource.address);
            }
        }
        Verdict::Undecided(unknown) => evaluation.undecided(&RULE, resource, &unknown),
    }
}

/// Reports one custom policy, naming the listeners that use it.
fn policy(
    evaluation: &mut Evaluation,
    resource: &Resource,
    versions: Versions<'_>,
    field: &palisade_policy::Field<'_>,
    users: &[&str],
) {
    match versions {
        Versions::Modern => {}
        Versions::Old { at, old, listed } => {
            let listed: Vec<&str> = listed.iter().map(String::as_str).collect();
            let message = format!(
                "the TLS policy accepts {old}: `{}` lists {}{}",
                field.path(),
                crate::listener::quoted(&listed),
                used_by(users)
            );
            evaluation.fail(&RULE, resource, &at, message);
        }
        Versions::Undecided(unknown) => evaluation.undecided(&RULE, resource, &unknown),
    }
}

/// `"; used by a, b and 2 more"`, or nothing when no listener of the set uses the policy.
fn used_by(users: &[&str]) -> String {
    match users {
        [] => String::new(),
        [one] => format!("; used by {one}"),
        _ if users.len() <= NAMED_USERS => format!("; used by {}", users.join(", ")),
        _ => format!(
            "; used by {} and {} more",
            users[..NAMED_USERS].join(", "),
            users.len() - NAMED_USERS
        ),
    }
}

#[cfg(test)]
mod tests;
