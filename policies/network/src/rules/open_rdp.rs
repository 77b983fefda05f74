//! `open-rdp`: no security group rule may open RDP to the whole internet.
//!
//! A world-open TCP accept whose port range holds 3389 but is not every port fails;
//! every-port and every-protocol rules are `sg-all-ports-open`'s, so that one rule is
//! reported once for what it really does.

use palisade_policy::family::Input;
use palisade_policy::{Evaluation, Rule, Severity};

use crate::exposure::{Exposures, RESOURCE_TYPES};
use crate::ingress::Traffic;

/// The port Remote Desktop listens on.
const RDP_PORT: u16 = 3389;

/// The rule this file holds.
pub const RULE: Rule = Rule {
    id: "open-rdp",
    title: "RDP is not open to the internet",
    severity: Severity::High,
    description: "An inbound security group rule fails when it accepts TCP port 3389 \
        (Remote Desktop) from the whole internet, 0.0.0.0/0 or ::/0, through a port range \
        that is not every port. RDP exposed to every address is scanned and brute-forced \
        continuously and has a history of wormable flaws. Rules opening every port or \
        every protocol are reported by sg-all-ports-open instead; sources that are \
        security groups or prefix lists, UDP, egress rules and Alibaba Cloud rules \
        overridden by a drop rule pass.",
    remediation: "Restrict the source to the addresses that need Remote Desktop (a VPN \
        or office range, a bastion's security group), or reach Windows instances through \
        a bastion host or a session manager instead of opening port 3389.",
    documentation: include_str!("open-rdp.md"),
    resource_types: RESOURCE_TYPES,
};

/// Decides every inbound permission of the security group resources, as the family
/// read them.
pub fn evaluate<'a>(input: &Input<'_, 'a, Exposures<'a>>) -> Evaluation {
    let exposures = input.shared();
    let mut evaluation = Evaluation::default();
    let open = exposures.world_open(&RULE, &mut evaluation, |permission| {
        Ok(permission
            .some_tcp_ports()?
            .filter(|ports| ports.contains(RDP_PORT)))
    });
    for open in open {
        let message = format!(
            "RDP (TCP 3389) open to {} via {}",
            open.cidr,
            open.permission.reach()
        );
        let traffic = Traffic::TcpPort(RDP_PORT);
        exposures.fail_unless_dropped((&RULE, RULE.severity), &mut evaluation, &open, &traffic, message);
    }
    evaluation
}
