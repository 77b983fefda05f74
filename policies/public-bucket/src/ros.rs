//! Alibaba Cloud ROS: `ALIYUN::OSS::Bucket` (`AccessControl`, `BucketName`) and
//! `ALIYUN::OSS::BucketPublicAccessBlock` (`Bucket`, `BlockPublicAccess`).

use palisade_policy::Resource;

use crate::block::Blocker;
use crate::exposure::{BucketLink, Cloud};
use crate::inventory::Inventory;

/// `ALIYUN::OSS::Bucket`: a bucket, with its ACL as `AccessControl`.
pub const BUCKET: &str = "ALIYUN::OSS::Bucket";
/// `ALIYUN::OSS::BucketPublicAccessBlock`: block public access for one bucket.
pub const BUCKET_BLOCK: &str = "ALIYUN::OSS::BucketPublicAccessBlock";

/// Records what `resource` says, if it is one of this module's types.
pub fn read<'a>(resource: &'a Resource, inventory: &mut Inventory<'a>) {
    match resource.resource_type.as_str() {
        BUCKET => {
            inventory.buckets.0.push(resource);
            let acl = resource.get("AccessControl");
            inventory.canned(resource, acl, BucketLink::Itself, Cloud::Alibaba);
        }
        BUCKET_BLOCK => inventory.blockers.push(Blocker {
            resource,
            cloud: Cloud::Alibaba,
            bucket: Some(resource.get("Bucket").target()),
            enabled: resource.get("BlockPublicAccess"),
        }),
        _ => {}
    }
}
