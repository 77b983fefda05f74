//! The `public-bucket` rule: no object storage bucket may be readable or writable by
//! the public through its ACL or its bucket policy.
//!
//! Each provider family has a module that records what its resources say into an
//! `Inventory` (`alicloud`, `aws`, `ros`): public ACL values and bucket policy
//! statements (`policy`, `action`), block-public-access settings (`block`) and the
//! buckets to link them to. The rule then weighs every public value against the
//! settings that could neutralize it.

mod action;
mod alicloud;
mod aws;
mod block;
mod exposure;
mod inventory;
mod policy;
mod ros;

use palisade_policy::cloud::acl::Exposure;
use palisade_policy::{Evaluation, Policy, Resource, Rule, Severity};

use crate::block::neutralizer;
use crate::inventory::Inventory;

/// The rule this policy holds.
pub const RULE: Rule = Rule {
    id: "public-bucket",
    title: "Buckets are not public",
    severity: Severity::High,
    description: "A bucket fails when its ACL is `public-read` or `public-read-write` \
        (AWS also `authenticated-read`), set on the bucket itself, by a separate ACL \
        resource, or as a grant to the AllUsers or AuthenticatedUsers groups, or when its \
        bucket policy allows an action to every principal (`*`) without a condition, \
        unless a block-public-access setting for that bucket makes the provider ignore \
        public ACLs or public policies. A public bucket lets anyone list and download its objects, and a world-writable \
        one lets anyone upload, overwrite or delete them; leaked backups, logs and \
        customer data are among the most common cloud breaches.",
    remediation: "Set the ACL to `private` (the default) and name the principals that \
        need access in the bucket policy (or restrict its statements with a condition such \
        as a source VPC); share objects with signed URLs or a CDN with origin access \
        control; enable block public access (`ignore_public_acls` and \
        `restrict_public_buckets`, Alibaba `block_public_access`) to guard against later \
        changes.",
    documentation: include_str!("../README.md"),
    resource_types: &[
        alicloud::BUCKET,
        alicloud::BUCKET_ACL,
        alicloud::BUCKET_POLICY,
        alicloud::BUCKET_BLOCK,
        alicloud::ACCOUNT_BLOCK,
        aws::BUCKET,
        aws::BUCKET_ACL,
        aws::BUCKET_POLICY,
        aws::BUCKET_BLOCK,
        aws::ACCOUNT_BLOCK,
        ros::BUCKET,
        ros::BUCKET_BLOCK,
    ],
};

/// The `public-bucket` policy.
pub struct PublicBucket;

impl Policy for PublicBucket {
    fn rules() -> Vec<Rule> {
        vec![RULE]
    }

    fn evaluate(resources: &[Resource]) -> Result<Evaluation, String> {
        let mut inventory = Inventory::default();
        for resource in resources {
            alicloud::read(resource, &mut inventory);
            aws::read(resource, &mut inventory);
            ros::read(resource, &mut inventory);
        }
        let mut evaluation = Evaluation::default();
        for (resource, unknown) in &inventory.unknown {
            evaluation.undecided(RULE.id, resource, unknown);
        }
        for value in &inventory.public {
            let message = value.message();
            match neutralizer(value, &inventory.blockers, &inventory.buckets) {
                Ok(None) if value.exposure == Exposure::WorldWritable => {
                    let (resource, path) = (value.resource, &value.path);
                    evaluation.fail_with(Severity::Critical, RULE.id, resource, path, message);
                }
                Ok(None) => evaluation.fail(RULE.id, value.resource, &value.path, message),
                Ok(Some(blocker)) => evaluation.note(
                    RULE.id,
                    value.resource,
                    &value.path,
                    format!(
                        "passes: {message}, but {} on {} makes the provider ignore {}",
                        blocker.enabled.path(),
                        blocker.resource.address,
                        value.control.plural()
                    ),
                ),
                Err(unknown) => evaluation.note(
                    RULE.id,
                    value.resource,
                    &value.path,
                    format!(
                        "could not decide whether public access is blocked: {} ({message})",
                        unknown.reason
                    ),
                ),
            }
        }
        Ok(evaluation)
    }
}

palisade_policy::export!(PublicBucket);

#[cfg(test)]
mod tests;
