//! Alibaba Cloud load balancer listeners in Terraform, as the provider
//! (`resource_alicloud_slb_listener.go`, `resource_alicloud_alb_listener.go`) validates
//! them: both protocols are compared exactly.
//!
//! - `alicloud_slb_listener`: `protocol` is `http`, `https`, `tcp` or `udp`;
//!   `tls_cipher_policy` (HTTPS only) defaults to `tls_cipher_policy_1_0` (schema
//!   `Default`), so an omitted policy accepts TLS 1.0 and 1.1.
//! - `alicloud_alb_listener`: `listener_protocol` is `HTTP`, `HTTPS` or `QUIC`;
//!   `security_policy_id` is Optional and Computed with no documented default, so an
//!   omitted one is a note; a system policy name is decided here, a reference to an
//!   `alicloud_alb_security_policy` at that policy.
//! - `alicloud_nlb_listener`: `listener_protocol` is `TCP`, `UDP` or `TCPSSL`;
//!   `security_policy_id` (TCPSSL only) is Optional and Computed, and the docs give
//!   `tls_cipher_policy_1_0` as its default, so an omitted one fails; a reference to an
//!   `alicloud_nlb_security_policy` is judged at that policy.

use palisade_policy::Resource;

use crate::listener::{self, Case, Verdict};
use crate::tls::{Family, Old};

/// `alicloud_slb_listener`: a Classic Load Balancer listener.
pub const SLB_LISTENER: &str = "alicloud_slb_listener";
/// `alicloud_alb_listener`: an Application Load Balancer listener.
pub const ALB_LISTENER: &str = "alicloud_alb_listener";
/// `alicloud_nlb_listener`: a Network Load Balancer listener.
pub const NLB_LISTENER: &str = "alicloud_nlb_listener";
/// `alicloud_slb_tls_cipher_policy`: a custom CLB TLS policy.
pub const SLB_POLICY: &str = "alicloud_slb_tls_cipher_policy";
/// `alicloud_alb_security_policy`: a custom ALB TLS policy.
pub const ALB_POLICY: &str = "alicloud_alb_security_policy";
/// `alicloud_nlb_security_policy`: a custom NLB TLS policy.
pub const NLB_POLICY: &str = "alicloud_nlb_security_policy";

/// The verdict on `resource`, if it is an Alibaba Cloud listener in Terraform.
pub fn listener(resource: &Resource) -> Option<Verdict<'_>> {
    if resource.is(SLB_LISTENER) {
        Some(slb(resource))
    } else if resource.is(ALB_LISTENER) {
        Some(alb(resource))
    } else if resource.is(NLB_LISTENER) {
        Some(nlb(resource))
    } else {
        None
    }
}

fn slb(resource: &Resource) -> Verdict<'_> {
    let protocol = resource.get("protocol");
    let judged = listener::protocol(&protocol, &["https"], &["http", "tcp", "udp"], Case::Exact);
    let protocol = match judged {
        Ok(Some(_)) => "HTTPS",
        Ok(None) => return Verdict::Pass,
        Err(unknown) => return Verdict::Undecided(unknown),
    };
    let policy = resource.get("tls_cipher_policy");
    if policy.attr().is_absent() {
        return Verdict::Weak {
            at: policy.path().clone(),
            protocol,
            old: Old::BOTH,
            setting: "`tls_cipher_policy` is not set, and the provider's default is \
                      \"tls_cipher_policy_1_0\""
                .to_owned(),
        };
    }
    listener::alibaba_policy(
        &policy,
        protocol,
        Family::Slb,
        Case::Exact,
        "which is not one of the provider's values (tls_cipher_policy_1_0, _1_1, _1_2, \
         _1_2_strict, _1_2_strict_with_1_3; the values are case-sensitive)",
    )
}

fn alb(resource: &Resource) -> Verdict<'_> {
    let protocol = resource.get("listener_protocol");
    let judged = listener::protocol(&protocol, &["HTTPS"], &["HTTP", "QUIC"], Case::Exact);
    let protocol = match judged {
        Ok(Some(protocol)) => protocol,
        Ok(None) => return Verdict::Pass,
        Err(unknown) => return Verdict::Undecided(unknown),
    };
    let policy = resource.get("security_policy_id");
    if policy.attr().is_absent() {
        return Verdict::Undecided(policy.unknown(
            "`security_policy_id` is not set, and the provider documents no default \
             (Optional, Computed): set it to a TLS 1.2 policy such as \
             \"tls_cipher_policy_1_2\"",
        ));
    }
    listener::alibaba_policy(
        &policy,
        protocol,
        Family::Alb,
        Case::Exact,
        "a custom security policy that is not in this configuration",
    )
}

fn nlb(resource: &Resource) -> Verdict<'_> {
    let protocol = resource.get("listener_protocol");
    let judged = listener::protocol(&protocol, &["TCPSSL"], &["TCP", "UDP"], Case::Exact);
    let protocol = match judged {
        Ok(Some(protocol)) => protocol,
        Ok(None) => return Verdict::Pass,
        Err(unknown) => return Verdict::Undecided(unknown),
    };
    let policy = resource.get("security_policy_id");
    if policy.attr().is_absent() {
        return Verdict::Weak {
            at: policy.path().clone(),
            protocol,
            old: Old::BOTH,
            setting: "`security_policy_id` is not set, and the provider documents \
                      \"tls_cipher_policy_1_0\" as its default"
                .to_owned(),
        };
    }
    listener::alibaba_policy(
        &policy,
        protocol,
        Family::Nlb,
        Case::Exact,
        "a custom security policy that is not in this configuration",
    )
}
