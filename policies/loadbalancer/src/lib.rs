//! The load balancer family: rules about load balancers and the TLS they offer clients
//! (Alibaba Cloud CLB/SLB and ALB, AWS Elastic Load Balancing v2).
//!
//! Each provider module reads its listeners (`alicloud`, `ros`, `aws`) into one
//! `listener::Verdict`; custom TLS policies and the references that link listeners to
//! them are in `policy`, and what a policy name or version list accepts is in `tls`.

mod alicloud;
mod aws;
mod listener;
mod policy;
mod ros;
mod tls;

palisade_policy::family!();
