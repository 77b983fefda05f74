//! Where an OSS bucket gets its default server-side encryption: inline on the bucket
//! (Terraform `server_side_encryption_rule`, ROS `ServerSideEncryptionConfiguration`) or
//! from a separate `alicloud_oss_bucket_server_side_encryption` that names it.
//!
//! Every algorithm the providers accept (`AES256`, `KMS`, `SM4`) encrypts, and both
//! require one, so a configuration that is present encrypts whatever its algorithm; only
//! its absence fails.

use std::collections::HashSet;

use palisade_policy::serde_json::Value;
use palisade_policy::{Attr, Field, Resource, Unknown};

use crate::alicloud;
use crate::block::name_attribute;
use palisade_policy::link::{Link, Links};

/// `alicloud_oss_bucket_server_side_encryption`: the default encryption of one bucket.
pub const BUCKET_ENCRYPTION: &str = "alicloud_oss_bucket_server_side_encryption";

/// How a bucket's objects are encrypted by default.
pub enum Encryption<'a> {
    /// By its own configuration or by a separate resource that names it.
    Configured,
    /// Not at all.
    Missing {
        /// The inline attribute that is not set.
        inline: &'static str,
        /// Whether a separate resource could have supplied it (Terraform).
        separate: bool,
    },
    /// Unknown: the inline configuration is unknown, or a separate resource may name the
    /// bucket.
    Undecided(Undecided<'a>),
}

/// Why a bucket's encryption is unknown.
pub enum Undecided<'a> {
    /// Its inline configuration is unknown.
    Inline(Unknown<'a>),
    /// A separate resource may name it.
    Link {
        /// The resource.
        by: &'a Resource,
        /// Why its link is unknown.
        reason: String,
    },
}

/// The buckets of a document set and the separate encryption resources that name them.
pub struct Buckets<'a> {
    buckets: Vec<&'a Resource>,
    links: Links<'a>,
}

impl<'a> Buckets<'a> {
    /// Reads the buckets and encryption resources among `resources`.
    pub fn read(resources: &[&'a Resource]) -> Self {
        let (encryptions, buckets): (Vec<&Resource>, Vec<&Resource>) = resources
            .iter()
            .partition(|resource| resource.is(BUCKET_ENCRYPTION));
        let names: HashSet<String> = buckets
            .iter()
            .filter_map(|bucket| bucket.get(name_attribute(bucket)).text().known())
            .map(|name| name.into_owned())
            .collect();
        let links = Links::new(
            "bucket",
            encryptions
                .iter()
                .map(|&encryption| (encryption, encryption.get("bucket"))),
            |name| names.contains(name),
        );
        Self { buckets, links }
    }

    /// The buckets, in document order.
    pub fn buckets(&self) -> &[&'a Resource] {
        &self.buckets
    }

    /// How `bucket` is encrypted.
    pub fn encryption(&self, bucket: &'a Resource) -> Encryption<'a> {
        let terraform = bucket.is(alicloud::BUCKET);
        let inline = if terraform {
            "server_side_encryption_rule"
        } else {
            "ServerSideEncryptionConfiguration"
        };
        let undecided_inline = match configured(&bucket.get(inline)) {
            Ok(true) => return Encryption::Configured,
            Ok(false) => None,
            Err(unknown) => Some(unknown),
        };
        let link = if terraform {
            let name = bucket.get(name_attribute(bucket));
            self.links.find(bucket, &name)
        } else {
            Link::None
        };
        match (link, undecided_inline) {
            (Link::Found(_), _) => Encryption::Configured,
            (_, Some(unknown)) => Encryption::Undecided(Undecided::Inline(unknown)),
            (Link::Unknown { by, reason }, None) => {
                Encryption::Undecided(Undecided::Link { by, reason })
            }
            (Link::None, None) => Encryption::Missing {
                inline,
                separate: terraform,
            },
        }
    }
}

/// Whether an inline configuration is present: a non-empty block list (Terraform) or a
/// map (ROS).
fn configured<'a>(field: &Field<'a>) -> Result<bool, Unknown<'a>> {
    match field.attr() {
        Attr::Known(Value::Array(blocks)) => Ok(!blocks.is_empty()),
        Attr::Known(_) => Ok(true),
        Attr::Absent => Ok(false),
        Attr::Unknown(unknown) => Err(unknown),
    }
}
