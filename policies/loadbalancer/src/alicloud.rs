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

use crate::listener::{self, Case, Omitted, Shape, Verdict};
use crate::tls::Family;

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

/// The listeners, as the provider validates them.
const LISTENERS: [Shape; 3] = [
    Shape {
        resource_type: SLB_LISTENER,
        protocol: "protocol",
        tls: "https",
        others: &["http", "tcp", "udp"],
        label: "HTTPS",
        case: Case::Exact,
        policy: "tls_cipher_policy",
        family: Family::Slb,
        omitted: Omitted::Weak(
            "`tls_cipher_policy` is not set, and the provider's default is \
             \"tls_cipher_policy_1_0\"",
        ),
        outside: "which is not one of the provider's values (tls_cipher_policy_1_0, _1_1, \
                  _1_2, _1_2_strict, _1_2_strict_with_1_3; the values are case-sensitive)",
    },
    Shape {
        resource_type: ALB_LISTENER,
        protocol: "listener_protocol",
        tls: "HTTPS",
        others: &["HTTP", "QUIC"],
        label: "HTTPS",
        case: Case::Exact,
        policy: "security_policy_id",
        family: Family::Alb,
        omitted: Omitted::Undecided(
            "`security_policy_id` is not set, and the provider documents no default \
             (Optional, Computed): set it to a TLS 1.2 policy such as \
             \"tls_cipher_policy_1_2\"",
        ),
        outside: "a custom security policy that is not in this configuration",
    },
    Shape {
        resource_type: NLB_LISTENER,
        protocol: "listener_protocol",
        tls: "TCPSSL",
        others: &["TCP", "UDP"],
        label: "TCPSSL",
        case: Case::Exact,
        policy: "security_policy_id",
        family: Family::Nlb,
        omitted: Omitted::Weak(
            "`security_policy_id` is not set, and the provider documents \
             \"tls_cipher_policy_1_0\" as its default",
        ),
        outside: "a custom security policy that is not in this configuration",
    },
];

/// The verdict on `resource`, if it is an Alibaba Cloud listener in Terraform.
pub fn listener(resource: &Resource) -> Option<Verdict<'_>> {
    LISTENERS
        .iter()
        .find(|shape| resource.is(shape.resource_type))
        .map(|shape| listener::judge(shape, resource))
}
