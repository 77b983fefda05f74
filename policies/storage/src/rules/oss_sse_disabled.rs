//! `oss-sse-disabled`: every OSS bucket encrypts the objects written to it by default.
//!
//! OSS stores an object unencrypted unless the request asks for encryption or the bucket
//! has a default server-side encryption rule, so the rule belongs to the bucket: inline,
//! or from a separate resource linked to it (`crate::sse`).

use palisade_policy::{AttrPath, Evaluation, Resource, Rule, Severity};

use crate::sse::{BUCKET_ENCRYPTION, Buckets, Encryption, Undecided};
use crate::{alicloud, ros};

/// The rule this file holds.
pub const RULE: Rule = Rule {
    id: "oss-sse-disabled",
    title: "OSS buckets encrypt objects at rest by default",
    severity: Severity::High,
    description: "An OSS bucket fails when nothing gives it a default server-side \
        encryption rule: no inline `server_side_encryption_rule` block (ROS: \
        `ServerSideEncryptionConfiguration`) and no `alicloud_oss_bucket_server_side_encryption` \
        of the same configuration naming it, by reference or by its literal name. Without \
        one, OSS stores every object that is not uploaded with its own encryption header \
        in clear, so a leaked backup, a replicated copy or a misdirected support dump \
        exposes the data, and most compliance frameworks require encryption at rest.",
    remediation: "Give the bucket a default encryption rule: a \
        `server_side_encryption_rule { sse_algorithm = \"KMS\" }` block (or `AES256`), or an \
        `alicloud_oss_bucket_server_side_encryption` with `bucket` set to the bucket \
        (`alicloud_oss_bucket.b.bucket`); in ROS, `ServerSideEncryptionConfiguration: \
        {SSEAlgorithm: KMS}`. KMS with your own key (`kms_master_key_id`) also lets you \
        audit and revoke access to the data.",
    documentation: include_str!("oss-sse-disabled.md"),
    resource_types: &[alicloud::BUCKET, BUCKET_ENCRYPTION, ros::BUCKET],
};

/// Decides every bucket, reading the separate encryption resources that may name it.
pub fn evaluate(resources: &[&Resource]) -> Evaluation {
    let buckets = Buckets::read(resources);
    let mut evaluation = Evaluation::default();
    for &bucket in buckets.buckets() {
        match buckets.encryption(bucket) {
            Encryption::Configured => {}
            Encryption::Missing { inline, separate } => {
                let also = if separate {
                    format!(" and no `{BUCKET_ENCRYPTION}` names this bucket")
                } else {
                    String::new()
                };
                let message = format!(
                    "the bucket has no default server-side encryption: `{inline}` is not set{also}"
                );
                evaluation.fail(&RULE, bucket, &AttrPath::root(), message);
            }
            Encryption::Undecided(Undecided::Inline(unknown)) => {
                evaluation.undecided(&RULE, bucket, &unknown);
            }
            Encryption::Undecided(Undecided::Link { by, reason }) => {
                let message = format!(
                    "could not decide whether {} encrypts this bucket: {reason}",
                    by.address
                );
                evaluation.note(&RULE, bucket, &AttrPath::root(), message);
            }
        }
    }
    evaluation
}
