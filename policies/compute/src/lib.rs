//! The compute family: rules about ECS instances and their disks (and the AWS
//! counterparts: EC2 instances, EBS volumes, launch templates).
//!
//! Each provider has a module that finds the disks a resource declares (`alicloud`,
//! `aws`, `ros`), and `disk` decides one disk the same way for all; the rules
//! (`rules/`) read the disks through them.

mod alicloud;
mod aws;
mod disk;
mod ros;

palisade_policy::family!();
