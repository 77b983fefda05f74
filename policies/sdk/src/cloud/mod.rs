//! Cloud semantics shared by rules: what a value means to Alibaba Cloud and AWS.
//!
//! Each module holds one idea and is pure (strings and numbers in, meaning out), so
//! it can be tested without resources and reused by rules for any format.
//!
//! A rule reads the attribute with a [`Field`](crate::Field) reader (which handles
//! unknown values), then asks these modules what the known value means:
//!
//! ```
//! use palisade_policy::cloud::{cidr, ports::PortRange, protocol::Protocol};
//! use palisade_policy::testing::resources;
//! use serde_json::json;
//!
//! let set = resources(&[("alicloud_security_group_rule", "ssh", json!({
//!     "type": "ingress",
//!     "ip_protocol": "tcp",
//!     "port_range": "1/65535",
//!     "cidr_ip": "0.0.0.0/0",
//! }))]);
//! let rule = &set[0];
//! let protocol = rule.get("ip_protocol").text().known().map(|p| Protocol::parse(&p));
//! let ports = rule.get("port_range").text().known().and_then(|r| PortRange::alibaba(&r).ok());
//! let source = rule.get("cidr_ip").text().known();
//!
//! let opens_ssh = protocol.is_some_and(|p| p.includes_tcp())
//!     && ports.is_some_and(|r| r.contains(22))
//!     && source.is_some_and(|s| cidr::is_world_open(&s));
//! assert!(opens_ssh);
//! assert_eq!(ports.map(|r| r.to_string()).as_deref(), Some("all ports"));
//! ```
//!
//! (A real rule keeps unknown values apart instead of `known()`; see
//! [`logic`](crate::logic).)

pub mod acl;
pub mod cidr;
pub mod flag;
pub mod ports;
pub mod protocol;
