//! Alibaba Cloud Terraform: `alicloud_oss_bucket` (`acl`), `alicloud_oss_bucket_acl`
//! (`bucket`, `acl`), and the block-public-access settings
//! `alicloud_oss_bucket_public_access_block` (`bucket`, `block_public_access`) and
//! `alicloud_oss_account_public_access_block` (`block_public_access`, every bucket).

use palisade_policy::Resource;

use crate::block::Blocker;
use crate::exposure::{BucketLink, Cloud};
use crate::inventory::Inventory;

/// `alicloud_oss_bucket`: a bucket, with its ACL inline (deprecated in newer providers).
pub const BUCKET: &str = "alicloud_oss_bucket";
/// `alicloud_oss_bucket_acl`: the ACL of a bucket.
pub const BUCKET_ACL: &str = "alicloud_oss_bucket_acl";
/// `alicloud_oss_bucket_public_access_block`: block public access for one bucket.
pub const BUCKET_BLOCK: &str = "alicloud_oss_bucket_public_access_block";
/// `alicloud_oss_account_public_access_block`: block public access for every bucket.
pub const ACCOUNT_BLOCK: &str = "alicloud_oss_account_public_access_block";

/// Records what `resource` says, if it is one of this module's types.
pub fn read<'a>(resource: &'a Resource, inventory: &mut Inventory<'a>) {
    match resource.resource_type.as_str() {
        BUCKET => {
            inventory.buckets.0.push(resource);
            inventory.canned(
                resource,
                resource.get("acl"),
                BucketLink::Itself,
                Cloud::Alibaba,
            );
        }
        BUCKET_ACL => {
            let bucket = BucketLink::Linked(resource.get("bucket").target());
            inventory.canned(resource, resource.get("acl"), bucket, Cloud::Alibaba);
        }
        BUCKET_BLOCK => inventory.blockers.push(Blocker {
            resource,
            cloud: Cloud::Alibaba,
            bucket: Some(resource.get("bucket").target()),
            enabled: resource.get("block_public_access"),
        }),
        ACCOUNT_BLOCK => inventory.blockers.push(Blocker {
            resource,
            cloud: Cloud::Alibaba,
            bucket: None,
            enabled: resource.get("block_public_access"),
        }),
        _ => {}
    }
}
