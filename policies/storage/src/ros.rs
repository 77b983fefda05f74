//! Alibaba Cloud ROS: `ALIYUN::OSS::Bucket` (`BucketName`, `AccessControl`, `Policy` as a
//! map or a JSON string, and its own `BlockPublicAccess`) and
//! `ALIYUN::OSS::BucketPublicAccessBlock` (`Bucket`, `BlockPublicAccess`).

use palisade_policy::{Attr, Resource, Target};

use crate::block::Blocker;
use crate::exposure::{BucketLink, Cloud, Control};
use crate::inventory::Inventory;

/// `ALIYUN::OSS::Bucket`: a bucket, with its ACL as `AccessControl` and its policy as
/// `Policy`.
pub const BUCKET: &str = "ALIYUN::OSS::Bucket";
/// `ALIYUN::OSS::BucketPublicAccessBlock`: block public access for one bucket.
pub const BUCKET_BLOCK: &str = "ALIYUN::OSS::BucketPublicAccessBlock";

/// OSS block public access ignores public ACLs and public bucket policies.
const BLOCKED: &[Control] = &[Control::Acl, Control::Policy];

/// Records what `resource` says, if it is one of this module's types.
pub fn read<'a>(resource: &'a Resource, inventory: &mut Inventory<'a>) {
    match resource.resource_type.as_str() {
        BUCKET => {
            inventory.buckets.add(resource);
            let acl = resource.get("AccessControl");
            inventory.canned(resource, acl, BucketLink::Itself, Cloud::Alibaba);
            let policy = resource.get("Policy");
            inventory.policy(resource, policy, || BucketLink::Itself, Cloud::Alibaba);
            inventory.blockers.push(Blocker {
                resource,
                cloud: Cloud::Alibaba,
                controls: BLOCKED,
                bucket: Some(Attr::Known(Target::Address(&resource.address))),
                enabled: resource.get("BlockPublicAccess"),
            });
        }
        BUCKET_BLOCK => inventory.blockers.push(Blocker {
            resource,
            cloud: Cloud::Alibaba,
            controls: BLOCKED,
            bucket: Some(resource.get("Bucket").target()),
            enabled: resource.get("BlockPublicAccess"),
        }),
        _ => {}
    }
}
