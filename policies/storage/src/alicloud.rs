//! Alibaba Cloud Terraform: `alicloud_oss_bucket` (`acl`, `policy`),
//! `alicloud_oss_bucket_acl` (`bucket`, `acl`), `alicloud_oss_bucket_policy` (`bucket`,
//! `policy`), and the block-public-access settings
//! `alicloud_oss_bucket_public_access_block` (`bucket`, `block_public_access`) and
//! `alicloud_oss_account_public_access_block` (`block_public_access`, every bucket), which
//! make OSS ignore public ACLs and public bucket policies alike.

use palisade_policy::Resource;

use crate::block::Blocker;
use crate::exposure::{BucketLink, Cloud, Control};
use crate::inventory::Inventory;

/// `alicloud_oss_bucket`: a bucket, with its ACL and policy inline (deprecated in newer
/// providers in favour of the separate resources).
pub const BUCKET: &str = "alicloud_oss_bucket";
/// `alicloud_oss_bucket_acl`: the ACL of a bucket.
pub const BUCKET_ACL: &str = "alicloud_oss_bucket_acl";
/// `alicloud_oss_bucket_policy`: the policy of a bucket.
pub const BUCKET_POLICY: &str = "alicloud_oss_bucket_policy";
/// `alicloud_oss_bucket_public_access_block`: block public access for one bucket.
pub const BUCKET_BLOCK: &str = "alicloud_oss_bucket_public_access_block";
/// `alicloud_oss_account_public_access_block`: block public access for every bucket.
pub const ACCOUNT_BLOCK: &str = "alicloud_oss_account_public_access_block";

/// OSS block public access ignores public ACLs and public bucket policies.
const BLOCKED: &[Control] = &[Control::Acl, Control::Policy];

/// Records what `resource` says, if it is one of this module's types.
pub fn read<'a>(resource: &'a Resource, inventory: &mut Inventory<'a>) {
    let linked = || BucketLink::Linked(resource.get("bucket").target());
    match resource.resource_type.as_str() {
        BUCKET => {
            inventory.buckets.add(resource);
            let acl = resource.get("acl");
            inventory.canned(resource, acl, BucketLink::Itself, Cloud::Alibaba);
            let policy = resource.get("policy");
            inventory.policy(resource, policy, || BucketLink::Itself, Cloud::Alibaba);
        }
        BUCKET_ACL => {
            inventory.canned(resource, resource.get("acl"), linked(), Cloud::Alibaba);
        }
        BUCKET_POLICY => {
            inventory.policy(resource, resource.get("policy"), linked, Cloud::Alibaba);
        }
        BUCKET_BLOCK => inventory.blockers.push(Blocker {
            resource,
            cloud: Cloud::Alibaba,
            controls: BLOCKED,
            bucket: Some(resource.get("bucket").target()),
            enabled: resource.get("block_public_access"),
        }),
        ACCOUNT_BLOCK => inventory.blockers.push(Blocker {
            resource,
            cloud: Cloud::Alibaba,
            controls: BLOCKED,
            bucket: None,
            enabled: resource.get("block_public_access"),
        }),
        _ => {}
    }
}
