//! The audit family: rules about audit trails, the record of who did what in a cloud
//! account (Alibaba Cloud ActionTrail, AWS CloudTrail).
//!
//! A trail is judged on its gaps (`gap`): each provider has a module that reads them from
//! its resources (`alicloud`, `aws`, `ros`). ROS starts a trail's logging with a separate
//! resource, linked to the trail by reference or literal name (`palisade_policy::link`).

mod alicloud;
mod aws;
mod gap;
mod ros;

palisade_policy::family!();
