//! `public-bucket`: no object storage bucket may be readable or writable by the public
//! through its ACL or its bucket policy.
//!
//! The provider modules record what the resources say into an `Inventory`; every public
//! value is then weighed against the block-public-access settings that could neutralize
//! it.

use palisade_policy::cloud::acl::Exposure;
use palisade_policy::{Evaluation, Resource, Rule, Severity};

use crate::block::Blockers;
use crate::inventory::Inventory;
use crate::{alicloud, aws, ros};

/// The rule this file holds.
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
    documentation: include_str!("public-bucket.md"),
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

/// Weighs every public ACL value and bucket policy statement against the settings that
/// could neutralize it.
pub fn evaluate(resources: &[&Resource]) -> Evaluation {
    let mut inventory = Inventory::default();
    for &resource in resources {
        alicloud::read(resource, &mut inventory);
        aws::read(resource, &mut inventory);
        ros::read(resource, &mut inventory);
    }
    let mut evaluation = Evaluation::default();
    for (resource, unknown) in &inventory.unknown {
        evaluation.undecided(&RULE, resource, unknown);
    }
    let blockers = Blockers::new(&inventory.blockers);
    for value in &inventory.public {
        let message = value.message();
        match blockers.neutralizer(value, &inventory.buckets) {
            Ok(None) if value.exposure == Exposure::WorldWritable => {
                let (resource, path) = (value.resource, &value.path);
                evaluation.fail_with(Severity::Critical, &RULE, resource, path, message);
            }
            Ok(None) => evaluation.fail(&RULE, value.resource, &value.path, message),
            Ok(Some(blocker)) => evaluation.note(
                &RULE,
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
                &RULE,
                value.resource,
                &value.path,
                format!(
                    "could not decide whether public access is blocked: {} ({message})",
                    unknown.reason
                ),
            ),
        }
    }
    evaluation
}

#[cfg(test)]
mod tests;
