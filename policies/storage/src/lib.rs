//! The storage family: rules about object storage buckets (Alibaba Cloud OSS, AWS S3)
//! and network file systems (Alibaba Cloud NAS, AWS EFS).
//!
//! For `public-bucket`, each provider has a module that records what its resources say
//! into an `Inventory` (`alicloud`, `aws`, `ros`): public ACL values and bucket policy
//! statements (`bucket_policy`, `action`), block-public-access settings (`block`) and the
//! buckets to link them to (`exposure`). A bucket's default encryption (`sse`) is linked to
//! separate resources the same way (`palisade_policy::link`); file systems (`file_system`) and NAS access
//! rules (`access_rule`) are decided one resource at a time. The rules (`rules/`) read
//! these modules.

mod access_rule;
mod action;
mod alicloud;
mod aws;
mod block;
mod bucket_policy;
mod exposure;
mod file_system;
mod inventory;
mod ros;
mod sse;

palisade_policy::family!();
