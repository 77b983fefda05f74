//! AWS Terraform: `aws_s3_bucket` (`acl`, the inline `grant` blocks and the `policy` of
//! provider v3), `aws_s3_bucket_acl` (`bucket`, `acl`, `access_control_policy[0].grant[]`),
//! `aws_s3_bucket_policy` (`bucket`, `policy`), and the block-public-access settings
//! `aws_s3_bucket_public_access_block` (`bucket`) and `aws_s3_account_public_access_block`
//! (every bucket).
//!
//! Of the four block-public-access flags, two neutralize what already exists:
//! `ignore_public_acls` makes S3 ignore public ACLs, and `restrict_public_buckets` limits
//! a bucket with a public policy to AWS services and the owner's account.
//! `block_public_acls` and `block_public_policy` only reject new public ACLs and policies
//! and, in AWS's words, do not affect existing ones; whether Terraform applies the block
//! or the public value first is not something a template says, so they neutralize
//! nothing here.

use palisade_policy::{Attr, Field, Resource};

use crate::block::Blocker;
use crate::exposure::{BucketLink, Cloud, Control};
use crate::inventory::Inventory;

/// `aws_s3_bucket`: a bucket.
pub const BUCKET: &str = "aws_s3_bucket";
/// `aws_s3_bucket_acl`: the ACL of a bucket, canned or as grants.
pub const BUCKET_ACL: &str = "aws_s3_bucket_acl";
/// `aws_s3_bucket_policy`: the policy of a bucket.
pub const BUCKET_POLICY: &str = "aws_s3_bucket_policy";
/// `aws_s3_bucket_public_access_block`: block public access for one bucket.
pub const BUCKET_BLOCK: &str = "aws_s3_bucket_public_access_block";
/// `aws_s3_account_public_access_block`: block public access for every bucket.
pub const ACCOUNT_BLOCK: &str = "aws_s3_account_public_access_block";

/// The flags of a public access block that neutralize existing public values, and what
/// each neutralizes.
const NEUTRALIZING_FLAGS: [(&[Control], &str); 2] = [
    (&[Control::Acl], "ignore_public_acls"),
    (&[Control::Policy], "restrict_public_buckets"),
];

/// Records what `resource` says, if it is one of this module's types.
pub fn read<'a>(resource: &'a Resource, inventory: &mut Inventory<'a>) {
    let linked = || BucketLink::Linked(resource.get("bucket").target());
    match resource.resource_type.as_str() {
        BUCKET => {
            inventory.buckets.add(resource);
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
            let policy = resource.get("policy");
            inventory.policy(resource, policy, || BucketLink::Itself, Cloud::Aws);
        }
        BUCKET_ACL => {
            inventory.canned(resource, resource.get("acl"), linked(), Cloud::Aws);
            let policy = resource.get("access_control_policy");
            for policy in elements(policy) {
                for grant in elements(policy.get("grant")) {
                    for grantee in elements(grant.get("grantee")) {
                        let permission = vec![grant.get("permission")];
                        inventory.grant(resource, grantee.get("uri"), permission, linked);
                    }
                }
            }
        }
        BUCKET_POLICY => {
            inventory.policy(resource, resource.get("policy"), linked, Cloud::Aws);
        }
        BUCKET_BLOCK => blockers(resource, Some(resource.get("bucket")), inventory),
        ACCOUNT_BLOCK => blockers(resource, None, inventory),
        _ => {}
    }
}

/// The two neutralizing flags of a public access block, for one bucket or (`None`) all.
fn blockers<'a>(resource: &'a Resource, bucket: Option<Field<'a>>, inventory: &mut Inventory<'a>) {
    for (controls, flag) in NEUTRALIZING_FLAGS {
        inventory.blockers.push(Blocker {
            resource,
            cloud: Cloud::Aws,
            controls,
            bucket: bucket.as_ref().map(Field::target),
            enabled: resource.get(flag),
        });
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
