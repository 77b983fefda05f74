//! Alibaba Cloud ROS: `ALIYUN::ECS::SecurityGroup` (`SecurityGroupIngress[]`),
//! `ALIYUN::ECS::SecurityGroupIngress` (one rule) and `ALIYUN::ECS::SecurityGroupIngresses`
//! (`Permissions[]`).
//!
//! A rule has `IpProtocol`, `PortRange`, `SourceCidrIp`, `Ipv6SourceCidrIp`,
//! `SourceGroupId`, `SourcePrefixListId`, `Policy` (accept/drop) and `Priority`, with the
//! same meaning and defaults as in Terraform; `DestCidrIp`, `Ipv6DestCidrIp` and
//! `SourcePortRange` limit a rule to part of that traffic, so a drop rule that sets them
//! shadows nothing.

use palisade_policy::cloud::protocol::Protocol;
use palisade_policy::{Attr, Field, Resource, Target};

use crate::alicloud::{action, port_range, priority};
use crate::ingress::{Ingress, Narrowing, Precedence, list_elements, required_text};

/// `ALIYUN::ECS::SecurityGroup`: a group with inline `SecurityGroupIngress` rules.
pub const SECURITY_GROUP: &str = "ALIYUN::ECS::SecurityGroup";
/// `ALIYUN::ECS::SecurityGroupIngress`: one inbound rule of a group.
pub const SECURITY_GROUP_INGRESS: &str = "ALIYUN::ECS::SecurityGroupIngress";
/// `ALIYUN::ECS::SecurityGroupIngresses`: several inbound rules of a group.
pub const SECURITY_GROUP_INGRESSES: &str = "ALIYUN::ECS::SecurityGroupIngresses";

/// The inline rules of an `ALIYUN::ECS::SecurityGroup`; they belong to the group itself.
pub fn security_group(group: &Resource) -> Vec<Ingress<'_>> {
    let group_id = || Attr::Known(Target::Address(group.address.as_str()));
    list_elements(group.get("SecurityGroupIngress"))
        .into_iter()
        .map(|rule| permission(group, rule, group_id()))
        .collect()
}

/// The rule of an `ALIYUN::ECS::SecurityGroupIngress`.
pub fn security_group_ingress(rule: &Resource) -> Ingress<'_> {
    permission(rule, rule.root(), rule.get("SecurityGroupId").target())
}

/// The rules of an `ALIYUN::ECS::SecurityGroupIngresses`.
pub fn security_group_ingresses(rules: &Resource) -> Vec<Ingress<'_>> {
    list_elements(rules.get("Permissions"))
        .into_iter()
        .map(|rule| permission(rules, rule, rules.get("SecurityGroupId").target()))
        .collect()
}

/// One inbound rule at `rule` (the resource's properties or one list element).
fn permission<'a>(
    resource: &'a Resource,
    rule: Field<'a>,
    group: Attr<'a, Target<'a>>,
) -> Ingress<'a> {
    Ingress {
        resource,
        inbound: Ok(true),
        action: action(&rule.get("Policy")),
        protocol: required_text(&rule.get("IpProtocol")).map(|text| Protocol::parse(&text)),
        ports: port_range(&rule.get("PortRange")),
        sources: vec![rule.get("SourceCidrIp"), rule.get("Ipv6SourceCidrIp")],
        precedence: Some(Precedence {
            group,
            priority: priority(&rule.get("Priority")),
        }),
        narrowing: vec![
            Narrowing::Destination(rule.get("DestCidrIp")),
            Narrowing::Destination(rule.get("Ipv6DestCidrIp")),
            Narrowing::SourcePorts(rule.get("SourcePortRange")),
        ],
        block: None,
    }
}
