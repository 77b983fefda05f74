//! The storage family: rules about object storage buckets (Alibaba Cloud OSS, AWS S3).
//!
//! Each provider has a module that records what its resources say into an `Inventory`
//! (`alicloud`, `aws`, `ros`): public ACL values and bucket policy statements
//! (`bucket_policy`, `action`), block-public-access settings (`block`) and the buckets to
//! link them to (`exposure`). The rules (`rules/`) read the inventory.

mod action;
mod alicloud;
mod aws;
mod block;
mod bucket_policy;
mod exposure;
mod inventory;
mod ros;

palisade_policy::family!();
