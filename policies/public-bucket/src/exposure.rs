//! A public value (a canned ACL or a grant) and what it exposes, whatever resource
//! carries it.

use palisade_policy::cloud::acl::Exposure;
use palisade_policy::{Attr, AttrPath, Resource, Target};

/// Which provider's block-public-access settings can neutralize a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cloud {
    /// Alibaba Cloud OSS (Terraform and ROS).
    Alibaba,
    /// AWS S3.
    Aws,
}

/// The bucket an ACL applies to.
pub enum BucketLink<'a> {
    /// The resource carrying the ACL is the bucket.
    Itself,
    /// A separate ACL resource names its bucket (`bucket = aws_s3_bucket.b.id`).
    Linked(Attr<'a, Target<'a>>),
}

/// A value that makes a bucket public.
pub struct PublicValue<'a> {
    /// The resource that carries the value; the finding goes on it.
    pub resource: &'a Resource,
    /// The attribute that carries it.
    pub path: AttrPath,
    /// How far it opens the bucket.
    pub exposure: Exposure,
    /// What it is, for messages ("bucket ACL public-read").
    pub what: String,
    /// The bucket it applies to.
    pub bucket: BucketLink<'a>,
    /// The provider whose settings can neutralize it.
    pub cloud: Cloud,
}

impl PublicValue<'_> {
    /// The finding message.
    pub fn message(&self) -> String {
        match self.exposure {
            Exposure::WorldWritable => format!(
                "{} makes the bucket world-writable: anyone can upload, overwrite or delete objects",
                self.what
            ),
            Exposure::PublicRead | Exposure::Private => {
                format!("{} lets the public read the bucket", self.what)
            }
        }
    }
}
