//! A public value (a canned ACL, a grant or a bucket policy statement) and what it
//! exposes, whatever resource carries it.

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

/// The access control a public value belongs to: block-public-access settings treat
/// ACLs and bucket policies apart (AWS has one flag for each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// A canned ACL or an ACL grant.
    Acl,
    /// A bucket policy statement.
    Policy,
}

impl Control {
    /// The public values of this kind, for messages ("public ACLs").
    pub fn plural(self) -> &'static str {
        match self {
            Control::Acl => "public ACLs",
            Control::Policy => "public bucket policies",
        }
    }
}

/// The bucket a public value applies to.
pub enum BucketLink<'a> {
    /// The resource carrying the value is the bucket.
    Itself,
    /// A separate resource names its bucket (`bucket = aws_s3_bucket.b.id`).
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
    /// What it is, for messages ("bucket ACL public-read", "bucket policy statement 1
    /// allows s3:GetObject to every principal (\"*\")").
    pub what: String,
    /// Whether it is an ACL or a bucket policy.
    pub control: Control,
    /// The bucket it applies to.
    pub bucket: BucketLink<'a>,
    /// The provider whose settings can neutralize it.
    pub cloud: Cloud,
}

impl PublicValue<'_> {
    /// The finding message.
    pub fn message(&self) -> String {
        let what = &self.what;
        match (self.control, self.exposure) {
            (Control::Acl, Exposure::WorldWritable) => format!(
                "{what} makes the bucket world-writable: anyone can upload, overwrite or delete objects"
            ),
            (Control::Acl, Exposure::PublicRead | Exposure::Private) => {
                format!("{what} lets the public read the bucket")
            }
            (Control::Policy, Exposure::WorldWritable) => format!(
                "{what}: the bucket is world-writable, anyone can upload, overwrite or delete objects"
            ),
            (Control::Policy, Exposure::PublicRead | Exposure::Private) => {
                format!("{what}: the public can read the bucket")
            }
        }
    }
}
