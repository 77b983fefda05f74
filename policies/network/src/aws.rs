//! AWS Terraform: inline `ingress` blocks of `aws_security_group` (also what `dynamic
//! "ingress"` blocks expand to), `aws_security_group_rule` and
//! `aws_vpc_security_group_ingress_rule`.
//!
//! Every AWS rule accepts (security groups have no deny rules). `protocol` is a name or
//! number, `-1` meaning all protocols and ports; ports are `from_port`..`to_port`.

use palisade_policy::cloud::ports::PortRange;
use palisade_policy::cloud::protocol::Protocol;
use palisade_policy::{Field, Resource, Unknown};

use crate::ingress::{Action, Ingress, list_elements, required_text};

/// `aws_security_group`: a group with inline `ingress` and `egress` blocks.
pub const SECURITY_GROUP: &str = "aws_security_group";
/// `aws_security_group_rule`: one rule of a group, `type = "ingress"` or `"egress"`.
pub const SECURITY_GROUP_RULE: &str = "aws_security_group_rule";
/// `aws_vpc_security_group_ingress_rule`: one inbound rule, one CIDR per rule.
pub const VPC_INGRESS_RULE: &str = "aws_vpc_security_group_ingress_rule";

/// The inline `ingress` blocks of an `aws_security_group` (egress blocks are ignored).
pub fn security_group(group: &Resource) -> Vec<Ingress<'_>> {
    list_elements(group.get("ingress"))
        .into_iter()
        .map(|block| Ingress {
            resource: group,
            inbound: Ok(true),
            action: Ok(Action::Accept),
            protocol: protocol(&block.get("protocol")),
            ports: ports(&block.get("from_port"), &block.get("to_port")),
            sources: [
                list_elements(block.get("cidr_blocks")),
                list_elements(block.get("ipv6_cidr_blocks")),
            ]
            .concat(),
            precedence: None,
            narrowing: Vec::new(),
            block: Some(block.path().clone()),
        })
        .collect()
}

/// The permission an `aws_security_group_rule` declares.
pub fn security_group_rule(rule: &Resource) -> Ingress<'_> {
    Ingress {
        resource: rule,
        inbound: required_text(&rule.get("type"))
            .map(|direction| direction.trim().eq_ignore_ascii_case("ingress")),
        action: Ok(Action::Accept),
        protocol: protocol(&rule.get("protocol")),
        ports: ports(&rule.get("from_port"), &rule.get("to_port")),
        sources: [
            list_elements(rule.get("cidr_blocks")),
            list_elements(rule.get("ipv6_cidr_blocks")),
        ]
        .concat(),
        precedence: None,
        narrowing: Vec::new(),
        block: None,
    }
}

/// The permission an `aws_vpc_security_group_ingress_rule` declares (`ip_protocol`,
/// `cidr_ipv4`, `cidr_ipv6`; no ports with protocol `-1`).
pub fn vpc_ingress_rule(rule: &Resource) -> Ingress<'_> {
    Ingress {
        resource: rule,
        inbound: Ok(true),
        action: Ok(Action::Accept),
        protocol: protocol(&rule.get("ip_protocol")),
        ports: ports(&rule.get("from_port"), &rule.get("to_port")),
        sources: vec![rule.get("cidr_ipv4"), rule.get("cidr_ipv6")],
        precedence: None,
        narrowing: Vec::new(),
        block: None,
    }
}

fn protocol<'a>(field: &Field<'a>) -> Result<Protocol, Unknown<'a>> {
    required_text(field).map(|text| Protocol::parse(&text))
}

fn ports<'a>(from: &Field<'a>, to: &Field<'a>) -> Result<PortRange, Unknown<'a>> {
    let number = |field: &Field<'a>| {
        field
            .integer()
            .decide()?
            .ok_or_else(|| field.unknown(format!("`{}` is not set", field.path())))
    };
    let (from_port, to_port) = (number(from)?, number(to)?);
    PortRange::aws(from_port, to_port).map_err(|error| from.unknown(error.to_string()))
}
