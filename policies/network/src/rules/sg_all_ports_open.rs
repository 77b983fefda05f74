//! `sg-all-ports-open`: no security group rule may open every port, or every protocol,
//! to the whole internet.
//!
//! A world-open accept for every protocol, or for every TCP or UDP port, fails; only an
//! Alibaba drop rule covering that whole protocol and port set takes precedence.

use palisade_policy::cloud::protocol::Protocol;
use palisade_policy::family::Input;
use palisade_policy::{Evaluation, Rule, Severity};

use crate::exposure::{Exposures, RESOURCE_TYPES};
use crate::ingress::Traffic;

/// The rule this file holds.
pub const RULE: Rule = Rule {
    id: "sg-all-ports-open",
    title: "No security group rule opens every port to the internet",
    severity: Severity::Critical,
    description: "An inbound security group rule fails when it accepts every protocol, \
        or every TCP or UDP port, from the whole internet (0.0.0.0/0 or ::/0). Every \
        service on the instances is then exposed, including the ones nobody meant to \
        publish (databases, admin consoles, debug ports). ICMP, ICMPv6 and GRE rules carry \
        no ports and are not reported; sources that are security groups or prefix lists, \
        egress rules and Alibaba Cloud rules overridden by a drop rule covering every \
        port pass. A TCP or every-protocol rule also fails open-ssh, by design.",
    remediation: "Open only the ports the service needs (443 for a web server), to the \
        sources that need them; put administration behind a VPN or a bastion host.",
    documentation: include_str!("sg-all-ports-open.md"),
    resource_types: RESOURCE_TYPES,
};

/// Decides every inbound permission of the security group resources, as the family
/// read them.
pub fn evaluate<'a>(input: &Input<'_, 'a, Exposures<'a>>) -> Evaluation {
    let exposures = input.shared();
    let mut evaluation = Evaluation::default();
    let open = exposures.world_open(&RULE, &mut evaluation, |permission| permission.every_port());
    for open in open {
        let protocol = open.found.clone();
        let what = match &protocol {
            Protocol::All => "all protocols and ports".to_owned(),
            protocol => format!("all {protocol} ports"),
        };
        let message = format!("{what} open to {}", open.cidr);
        let traffic = Traffic::EveryPort(protocol);
        exposures.fail_unless_dropped((&RULE, RULE.severity), &mut evaluation, &open, &traffic, message);
    }
    evaluation
}
