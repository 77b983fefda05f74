//! Cloud semantics shared by rules: what a value means to Alibaba Cloud and AWS.
//!
//! Each module holds one idea and is pure (strings and numbers in, meaning out), so
//! it can be tested without resources and reused by rules for any format.

pub mod acl;
pub mod cidr;
pub mod flag;
pub mod ports;
pub mod protocol;
