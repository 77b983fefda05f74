//! AWS Elastic Load Balancing v2 listeners (`aws_lb_listener`, and its older name
//! `aws_alb_listener`): HTTPS and TLS listeners negotiate the versions of their
//! `ssl_policy`, whose name says its lowest version (`crate::tls::aws_policy`).
//!
//! `protocol` defaults to `HTTP` for Application Load Balancers and the provider compares
//! it without regard to case. `ssl_policy` is Optional and Computed: the docs require it
//! for HTTPS and TLS and document no default (AWS applies its current default policy), so
//! an omitted one is a note.

use palisade_policy::{Attr, Resource};

use crate::listener::{self, Case, Verdict};
use crate::tls;

/// `aws_lb_listener`: an ALB or NLB listener.
pub const LB_LISTENER: &str = "aws_lb_listener";
/// `aws_alb_listener`: the same resource under its older name.
pub const ALB_LISTENER: &str = "aws_alb_listener";

/// The verdict on `resource`, if it is an AWS load balancer listener.
pub fn listener(resource: &Resource) -> Option<Verdict<'_>> {
    if !resource.is(LB_LISTENER) && !resource.is(ALB_LISTENER) {
        return None;
    }
    let protocol = resource.get("protocol");
    let judged = listener::protocol(
        &protocol,
        &["HTTPS", "TLS"],
        &["HTTP", "TCP", "UDP", "TCP_UDP", "GENEVE"],
        Case::Ignored,
    );
    let protocol = match judged {
        Ok(Some(protocol)) => protocol,
        Ok(None) => return Some(Verdict::Pass),
        Err(unknown) => return Some(Verdict::Undecided(unknown)),
    };
    let policy = resource.get("ssl_policy");
    let name = match policy.text() {
        Attr::Known(name) => name,
        Attr::Absent => {
            return Some(Verdict::Undecided(policy.unknown(
                "`ssl_policy` is not set, and the provider documents no default (AWS \
                 applies its current default policy): set it to a TLS 1.2 policy such as \
                 \"ELBSecurityPolicy-TLS13-1-2-2021-06\"",
            )));
        }
        Attr::Unknown(unknown) => return Some(Verdict::Undecided(unknown)),
    };
    Some(match tls::aws_policy(&name) {
        Some(old) if old.any() => Verdict::Weak {
            at: policy.path().clone(),
            protocol,
            old,
            setting: format!("`ssl_policy` is {:?}", name.trim()),
        },
        Some(_) => Verdict::Pass,
        None => Verdict::Undecided(policy.unknown(format!(
            "`ssl_policy` is {name:?}, which is not a predefined ELB security policy name"
        ))),
    })
}
