//! Alibaba Cloud load balancer listeners in ROS templates, read as the Terraform ones
//! (`crate::alicloud`) but without regard to the case of values, which the ROS reference
//! does not say it checks.
//!
//! - `ALIYUN::SLB::Listener`: `Protocol` (`http`, `https`, `tcp`, `udp`) and
//!   `TLSCipherPolicy`. The reference documents no default; the listener then gets
//!   `tls_cipher_policy_1_0`, the default the Terraform provider documents for the same
//!   API, so an HTTPS listener without one fails (as InfraGuard and the catalogue do).
//! - `ALIYUN::ALB::Listener`: `ListenerProtocol` (`HTTP`, `HTTPS`, `QUIC`) and
//!   `SecurityPolicyId`: a system policy name, or `Ref`/`Fn::GetAtt` of an
//!   `ALIYUN::ALB::SecurityPolicy`, which is judged on its own. Omitted, it is a note.
//! - `ALIYUN::NLB::Listener`: `ListenerProtocol` (`TCP`, `UDP`, `TCPSSL`) and
//!   `SecurityPolicyId` (TCPSSL only), a system policy name or a reference to an
//!   `ALIYUN::NLB::SecurityPolicy`. Omitted, it fails: the NLB API's default,
//!   `tls_cipher_policy_1_0`, is the one the Terraform provider documents.

use palisade_policy::Resource;

use crate::listener::{self, Case, Omitted, Shape, Verdict};
use crate::tls::Family;

/// `ALIYUN::SLB::Listener`: a Classic Load Balancer listener.
pub const SLB_LISTENER: &str = "ALIYUN::SLB::Listener";
/// `ALIYUN::ALB::Listener`: an Application Load Balancer listener.
pub const ALB_LISTENER: &str = "ALIYUN::ALB::Listener";
/// `ALIYUN::NLB::Listener`: a Network Load Balancer listener.
pub const NLB_LISTENER: &str = "ALIYUN::NLB::Listener";
/// `ALIYUN::SLB::TLSPolicy`: a custom CLB TLS policy.
pub const SLB_POLICY: &str = "ALIYUN::SLB::TLSPolicy";
/// `ALIYUN::ALB::SecurityPolicy`: a custom ALB TLS policy.
pub const ALB_POLICY: &str = "ALIYUN::ALB::SecurityPolicy";
/// `ALIYUN::NLB::SecurityPolicy`: a custom NLB TLS policy.
pub const NLB_POLICY: &str = "ALIYUN::NLB::SecurityPolicy";

/// The listeners, as the ROS reference describes them; values are compared without
/// regard to case.
const LISTENERS: [Shape; 3] = [
    Shape {
        resource_type: SLB_LISTENER,
        protocol: "Protocol",
        tls: "https",
        others: &["http", "tcp", "udp"],
        label: "HTTPS",
        case: Case::Ignored,
        policy: "TLSCipherPolicy",
        family: Family::Slb,
        omitted: Omitted::Weak(
            "`TLSCipherPolicy` is not set, and a CLB HTTPS listener then uses \
             \"tls_cipher_policy_1_0\" (the default the Terraform provider documents)",
        ),
        outside: "which is not a CLB system policy (tls_cipher_policy_1_0, _1_1, _1_2, \
                  _1_2_strict, _1_2_strict_with_1_3)",
    },
    Shape {
        resource_type: ALB_LISTENER,
        protocol: "ListenerProtocol",
        tls: "HTTPS",
        others: &["HTTP", "QUIC"],
        label: "HTTPS",
        case: Case::Ignored,
        policy: "SecurityPolicyId",
        family: Family::Alb,
        omitted: Omitted::Undecided(
            "`SecurityPolicyId` is not set, and the ROS reference documents no default: set \
             it to a TLS 1.2 policy such as \"tls_cipher_policy_1_2\"",
        ),
        outside: "a custom security policy that is not in this template",
    },
    Shape {
        resource_type: NLB_LISTENER,
        protocol: "ListenerProtocol",
        tls: "TCPSSL",
        others: &["TCP", "UDP"],
        label: "TCPSSL",
        case: Case::Ignored,
        policy: "SecurityPolicyId",
        family: Family::Nlb,
        omitted: Omitted::Weak(
            "`SecurityPolicyId` is not set, and a TCPSSL listener then uses \
             \"tls_cipher_policy_1_0\" (the default the Terraform provider documents)",
        ),
        outside: "a custom security policy that is not in this template",
    },
];

/// The verdict on `resource`, if it is an Alibaba Cloud listener in a ROS template.
pub fn listener(resource: &Resource) -> Option<Verdict<'_>> {
    LISTENERS
        .iter()
        .find(|shape| resource.is(shape.resource_type))
        .map(|shape| listener::judge(shape, resource))
}
