//! The rule's metadata; its behaviour is covered by the fixtures under
//! `fixtures/public-bucket/`.

use super::RULE;

#[test]
fn the_metadata_lists_every_type_read() {
    let rule = RULE;
    for resource_type in [
        "alicloud_oss_bucket",
        "alicloud_oss_bucket_acl",
        "aws_s3_bucket",
        "aws_s3_bucket_acl",
        "aws_s3_bucket_public_access_block",
        "alicloud_oss_bucket_policy",
        "aws_s3_bucket_policy",
        "ALIYUN::OSS::Bucket",
        "ALIYUN::OSS::BucketPublicAccessBlock",
    ] {
        assert!(
            rule.resource_types.contains(&resource_type),
            "{resource_type}"
        );
    }
}
