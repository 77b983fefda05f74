//! AWS Terraform: `aws_s3_bucket` (`acl`, and the inline `grant` blocks of provider v3),
//! `aws_s3_bucket_acl` (`bucket`, `acl`, `access_control_policy[0].grant[]`), and the
//! block-public-access settings `aws_s3_bucket_public_access_block` (`bucket`,
//! `ignore_public_acls`) and `aws_s3_account_public_access_block` (every bucket).

use palisade_policy::{Attr, Field, Resource};

use crate::block::Blocker;
use crate::exposure::{BucketLink, Cloud};
use crate::inventory::Inventory;

/// `aws_s3_bucket`: a bucket.
pub const BUCKET: &str = "aws_s3_bucket";
/// `aws_s3_bucket_acl`: the ACL of a bucket, canned or as grants.
pub const BUCKET_ACL: &str = "aws_s3_bucket_acl";
/// `aws_s3_bucket_public_access_block`: block public access for one bucket.
pub const BUCKET_BLOCK: &str = "aws_s3_bucket_public_access_block";
/// `aws_s3_account_public_access_block`: block public access for every bucket.
pub const ACCOUNT_BLOCK: &str = "aws_s3_account_public_access_block";

/// Records what `resource` says, if it is one of this module's types.
pub fn read<'a>(resource: &'a Resource, inventory: &mut Inventory<'a>) {
    match resource.resource_type.as_str() {
        BUCKET => {
            inventory.buckets.0.push(resource);
            inventory.canned(
                resource,
                resource.get("acl"),
                BucketLink::Itself,
                Cloud::Aws,
            );
            for grant in elements(resource.get("grant")) {
                let permissions = elements(grant.get("permissions"));
                inventory.grant(resource, grant.get("uri"), permissions, || {
                    BucketLink::Itself
                });
            }
        }
        BUCKET_ACL => {
            let link = || BucketLink::Linked(resource.get("bucket").target());
            inventory.canned(resource, resource.get("acl"), link(), Cloud::Aws);
            let policy = resource.get("access_control_policy");
            for policy in elements(policy) {
                for grant in elements(policy.get("grant")) {
                    for grantee in elements(grant.get("grantee")) {
                        let permission = vec![grant.get("permission")];
                        inventory.grant(resource, grantee.get("uri"), permission, link);
                    }
                }
            }
        }
        BUCKET_BLOCK => inventory.blockers.push(Blocker {
            resource,
            cloud: Cloud::Aws,
            bucket: Some(resource.get("bucket").target()),
            enabled: resource.get("ignore_public_acls"),
        }),
        ACCOUNT_BLOCK => inventory.blockers.push(Blocker {
            resource,
            cloud: Cloud::Aws,
            bucket: None,
            enabled: resource.get("ignore_public_acls"),
        }),
        _ => {}
    }
}

/// The elements of a list or nested block; an unknown list is one unknown element, so
/// reading it reports why.
fn elements(list: Field<'_>) -> Vec<Field<'_>> {
    match list.list() {
        Attr::Known(items) => items,
        Attr::Absent => Vec::new(),
        Attr::Unknown(_) => vec![list],
    }
}
