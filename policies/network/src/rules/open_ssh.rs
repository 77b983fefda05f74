//! `open-ssh`: no security group rule may open SSH to the whole internet.
//!
//! The provider modules turn each resource into `Ingress` permissions; each permission
//! is decided for each of its sources, and Alibaba drop rules are weighed against the
//! accepts here.

use palisade_policy::cloud::cidr::Cidr;
use palisade_policy::{Evaluation, Field, Resource, Rule, Severity, Unknown};

use crate::ingress::{Action, Ingress};
use crate::{alicloud, aws, ros};

/// The rule this file holds.
pub const RULE: Rule = Rule {
    id: "open-ssh",
    title: "SSH is not open to the internet",
    severity: Severity::High,
    description: "An inbound security group rule fails when it accepts TCP port 22 (or \
        every protocol) from the whole internet, 0.0.0.0/0 or ::/0. SSH exposed to every \
        address is scanned within minutes and brute-forced continuously; one weak key or \
        an unpatched daemon is then a direct way into the network. Rules whose source is \
        another security group or a prefix list, UDP, ICMP and GRE rules, egress rules and \
        Alibaba Cloud rules overridden by a drop rule of higher priority pass.",
    remediation: "Restrict the source to the addresses that need SSH (a VPN or office \
        range, a bastion's security group), or reach instances through a bastion host or \
        a session manager instead of opening port 22.",
    documentation: include_str!("open-ssh.md"),
    resource_types: &[
        alicloud::SECURITY_GROUP_RULE,
        aws::SECURITY_GROUP,
        aws::SECURITY_GROUP_RULE,
        aws::VPC_INGRESS_RULE,
        ros::SECURITY_GROUP,
        ros::SECURITY_GROUP_INGRESS,
        ros::SECURITY_GROUP_INGRESSES,
    ],
};

/// Decides every inbound permission of the security group resources.
pub fn evaluate(resources: &[&Resource]) -> Evaluation {
    let permissions: Vec<Ingress<'_>> = resources.iter().copied().flat_map(permissions).collect();
    // Only Alibaba rules that may drop can take precedence over an accept: weighing
    // those alone keeps a configuration of thousands of rules linear in practice.
    let drops: Vec<&Ingress<'_>> = permissions
        .iter()
        .filter(|p| p.precedence.is_some() && p.action != Ok(Action::Accept))
        .collect();
    let mut evaluation = Evaluation::default();
    for permission in &permissions {
        for source in &permission.sources {
            check(permission, source, &drops, &mut evaluation);
        }
    }
    // One unknown protocol read for two sources is one note.
    evaluation.notes.dedup();
    evaluation
}

/// The inbound permissions `resource` declares.
fn permissions(resource: &Resource) -> Vec<Ingress<'_>> {
    match resource.resource_type.as_str() {
        alicloud::SECURITY_GROUP_RULE => vec![alicloud::security_group_rule(resource)],
        aws::SECURITY_GROUP => aws::security_group(resource),
        aws::SECURITY_GROUP_RULE => vec![aws::security_group_rule(resource)],
        aws::VPC_INGRESS_RULE => vec![aws::vpc_ingress_rule(resource)],
        ros::SECURITY_GROUP => ros::security_group(resource),
        ros::SECURITY_GROUP_INGRESS => vec![ros::security_group_ingress(resource)],
        ros::SECURITY_GROUP_INGRESSES => ros::security_group_ingresses(resource),
        _ => Vec::new(),
    }
}

/// Decides `permission` for one of its sources.
fn check<'a>(
    permission: &Ingress<'a>,
    source: &Field<'a>,
    drops: &[&Ingress<'a>],
    evaluation: &mut Evaluation,
) {
    let resource = permission.resource;
    match permission.opens_ssh_to_world(source) {
        Ok(false) => {}
        Err(unknown) => evaluation.undecided(&RULE, resource, &unknown),
        Ok(true) => {
            let Some(cidr) = source.text().known() else {
                return;
            };
            let mut message = format!(
                "SSH (TCP 22) open to {} via {}",
                cidr.trim(),
                permission.reach()
            );
            if permission.opens_every_port() {
                message.push_str(": every port is reachable from the internet");
            }
            let Some(parsed) = Cidr::parse(&cidr) else {
                return;
            };
            let at = permission.location(source);
            match shadowing_drop(permission, &parsed, drops) {
                Ok(None) if permission.opens_every_port() => {
                    evaluation.fail_with(Severity::Critical, &RULE, resource, at, message);
                }
                Ok(None) => evaluation.fail(&RULE, resource, at, message),
                Ok(Some(drop)) => evaluation.note(
                    &RULE,
                    resource,
                    at,
                    format!(
                        "passes: {message}, but drop rule {} takes precedence",
                        drop.resource.address
                    ),
                ),
                Err(unknown) => evaluation.note(
                    &RULE,
                    resource,
                    at,
                    format!(
                        "could not decide whether a drop rule takes precedence: {} ({message})",
                        unknown.reason
                    ),
                ),
            }
        }
    }
}

/// The Alibaba drop rule that takes precedence over `accept` for SSH from `source`, if any.
fn shadowing_drop<'a, 'p>(
    accept: &Ingress<'a>,
    source: &Cidr,
    drops: &[&'p Ingress<'a>],
) -> Result<Option<&'p Ingress<'a>>, Unknown<'a>> {
    let mut first_unknown = None;
    for &candidate in drops {
        match candidate.shadows(accept, source) {
            Ok(true) => return Ok(Some(candidate)),
            Ok(false) => {}
            Err(unknown) => {
                first_unknown.get_or_insert(unknown);
            }
        }
    }
    first_unknown.map_or(Ok(None), Err)
}

#[cfg(test)]
mod tests;
