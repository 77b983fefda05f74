//! `open-ssh`: no security group rule may open SSH to the whole internet.
//!
//! Every world-open accept that matches TCP 22 fails, every-port and every-protocol
//! rules included (critical then); an Alibaba drop rule that takes precedence for SSH
//! from that source makes it a note.

use palisade_policy::family::Input;
use palisade_policy::{Evaluation, Rule, Severity};

use crate::exposure::{Exposures, RESOURCE_TYPES};
use crate::ingress::Traffic;

/// The port SSH listens on.
const SSH_PORT: u16 = 22;

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
    resource_types: RESOURCE_TYPES,
};

/// Decides every inbound permission of the security group resources, as the family
/// read them.
pub fn evaluate<'a>(input: &Input<'_, 'a, Exposures<'a>>) -> Evaluation {
    let exposures = input.shared();
    let mut evaluation = Evaluation::default();
    let open = exposures.world_open(&RULE, &mut evaluation, |p| {
        p.matches_tcp_port(SSH_PORT).map(|ssh| ssh.then_some(()))
    });
    for open in open {
        let permission = open.permission;
        let mut message = format!(
            "SSH (TCP 22) open to {} via {}",
            open.cidr,
            permission.reach()
        );
        let every_port = permission.opens_every_tcp_port();
        if every_port {
            message.push_str(": every port is reachable from the internet");
        }
        let severity = if every_port {
            Severity::Critical
        } else {
            RULE.severity
        };
        let traffic = Traffic::TcpPort(SSH_PORT);
        exposures.fail_unless_dropped((&RULE, severity), &mut evaluation, &open, &traffic, message);
    }
    evaluation
}

#[cfg(test)]
mod tests;
