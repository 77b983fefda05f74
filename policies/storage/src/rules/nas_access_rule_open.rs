//! `nas-access-rule-open`: no NAS permission group admits every address.
//!
//! A NAS file system is mounted by whoever its permission group admits, with no
//! credentials: the source CIDR of each access rule is its only access control, so a
//! rule for every address (`crate::access_rule`) fails, read-only or not.

use palisade_policy::{Evaluation, Resource, Rule, Severity};

use crate::access_rule::{ACCESS_RULE, ROS_ACCESS_RULE, read};

/// The rule this file holds.
pub const RULE: Rule = Rule {
    id: "nas-access-rule-open",
    title: "NAS access rules do not admit every address",
    severity: Severity::High,
    description: "A NAS access rule fails when its source is every address: a \
        `source_cidr_ip` (ROS: `SourceCidrIp`) of `0.0.0.0/0` or an `ipv6_source_cidr_ip` \
        (ROS: `Ipv6SourceCidrIp`) of `::/0`, or any block of prefix length 0. NFS and SMB \
        mounts of NAS carry no credentials: the permission group's source addresses are \
        the only thing deciding who may mount the file system, so such a rule lets every \
        host that can reach a mount target read (and, with RDWR, the default, overwrite \
        or delete) its files. Read-only rules fail too: reading is the usual leak.",
    remediation: "Set the source to the addresses of the clients that mount the file \
        system (their vSwitch CIDR blocks or hosts), one rule per range, and grant `RDONLY` \
        where writing is not needed.",
    documentation: include_str!("nas-access-rule-open.md"),
    resource_types: &[ACCESS_RULE, ROS_ACCESS_RULE],
};

/// Decides every access rule.
pub fn evaluate(resources: &[&Resource]) -> Evaluation {
    let mut evaluation = Evaluation::default();
    for &rule in resources {
        let sources = read(rule);
        if let Some((first, _)) = sources.open.first() {
            let open: Vec<String> = sources
                .open
                .iter()
                .map(|(field, cidr)| format!("`{} = \"{cidr}\"`", field.path()))
                .collect();
            let message = format!(
                "{} admits every address, with {}",
                open.join(" and "),
                sources.access
            );
            evaluation.fail(&RULE, rule, first.path(), message);
        } else if let Some(unknown) = &sources.unknown {
            evaluation.undecided(&RULE, rule, unknown);
        }
    }
    evaluation
}
