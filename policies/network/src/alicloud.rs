//! Alibaba Cloud Terraform: `alicloud_security_group_rule`.
//!
//! `type` (ingress/egress), `ip_protocol` (tcp, udp, icmp, icmpv6, gre, all),
//! `port_range` (`"from/to"`, default `"-1/-1"`), `cidr_ip`, `ipv6_cidr_ip`,
//! `source_security_group_id`, `prefix_list_id`, `policy` (accept by default, or drop),
//! `priority` (1-100, default 1) and `security_group_id`.

use palisade_policy::cloud::ports::PortRange;
use palisade_policy::cloud::protocol::Protocol;
use palisade_policy::{Field, Resource, Unknown};

use crate::ingress::{Action, Ingress, Precedence, required_text};

/// `alicloud_security_group_rule`: one rule of a security group.
pub const SECURITY_GROUP_RULE: &str = "alicloud_security_group_rule";

/// The permission an `alicloud_security_group_rule` declares.
pub fn security_group_rule(rule: &Resource) -> Ingress<'_> {
    Ingress {
        resource: rule,
        inbound: required_text(&rule.get("type"))
            .map(|direction| direction.trim().eq_ignore_ascii_case("ingress")),
        action: action(&rule.get("policy")),
        protocol: required_text(&rule.get("ip_protocol")).map(|text| Protocol::parse(&text)),
        ports: port_range(&rule.get("port_range")),
        sources: vec![rule.get("cidr_ip"), rule.get("ipv6_cidr_ip")],
        precedence: Some(Precedence {
            group: rule.get("security_group_id").target(),
            priority: priority(&rule.get("priority")),
        }),
        narrowing: Vec::new(),
        block: None,
    }
}

/// An Alibaba `policy` / `Policy`: `accept` (the default) or `drop`.
pub fn action<'a>(field: &Field<'a>) -> Result<Action, Unknown<'a>> {
    let policy = field.text().with_default("accept".into())?;
    let policy = policy.trim();
    if policy.eq_ignore_ascii_case("drop") {
        Ok(Action::Drop)
    } else if policy.eq_ignore_ascii_case("accept") {
        Ok(Action::Accept)
    } else {
        Err(field.unknown(format!(
            "`{}` is {policy:?}, not accept or drop",
            field.path()
        )))
    }
}

/// An Alibaba `port_range` / `PortRange` (`"-1/-1"` when absent).
pub fn port_range<'a>(field: &Field<'a>) -> Result<PortRange, Unknown<'a>> {
    let text = field.text().with_default("-1/-1".into())?;
    PortRange::alibaba(&text).map_err(|error| field.unknown(error.to_string()))
}

/// An Alibaba `priority` / `Priority` (1 when absent).
pub fn priority<'a>(field: &Field<'a>) -> Result<i64, Unknown<'a>> {
    field.integer().with_default(1)
}
