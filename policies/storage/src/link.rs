//! Separate resources that configure one bucket (`alicloud_oss_bucket_server_side_encryption`)
//! and the buckets they name, linked as `public-bucket` links ACLs and policies: by
//! reference (`bucket = alicloud_oss_bucket.b.bucket`, any instance of it) or by the
//! bucket's literal name.
//!
//! The links are indexed once, so that a configuration with thousands of buckets is
//! decided in one pass over them; a link that names no bucket the template can identify
//! leaves the buckets it could name undecided rather than failed.

use std::collections::HashMap;

use palisade_policy::{Attr, Field, Resource, Target};

/// Every link of one kind of resource to its bucket.
#[derive(Default)]
pub struct Links<'a> {
    /// By the address the link refers to (`alicloud_oss_bucket.b`, `alicloud_oss_bucket.b[0]`,
    /// or a resource the bucket's own name refers to): the first resource wins.
    by_address: HashMap<&'a str, &'a Resource>,
    /// By the literal bucket name it names.
    by_name: HashMap<&'a str, &'a Resource>,
    /// The first link whose bucket is unknown (a variable without a value): it may name any
    /// bucket.
    unknown: Option<(&'a Resource, String)>,
    /// The first link by a literal name that no bucket with a known name carries: it may
    /// name a bucket whose own name is unknown.
    unclaimed: Option<(&'a str, &'a Resource)>,
}

/// What the links say of one bucket.
#[derive(Debug, PartialEq)]
pub enum Link<'a> {
    /// This resource names the bucket.
    Found(&'a Resource),
    /// None does.
    None,
    /// One may: `by` names a bucket that cannot be identified, for `reason`.
    Unknown {
        /// The resource whose link is unknown.
        by: &'a Resource,
        /// Why.
        reason: String,
    },
}

impl<'a> Links<'a> {
    /// Indexes `links`, each a resource and the field that names its bucket (`bucket`; an
    /// absent field names none). `is_claimed` says whether a literal name is the known
    /// name of some bucket of the document set.
    pub fn new<'f>(
        links: impl IntoIterator<Item = (&'a Resource, &'f Field<'a>)>,
        is_claimed: impl Fn(&str) -> bool,
    ) -> Self
    where
        'a: 'f,
    {
        let mut indexed = Self::default();
        for (resource, field) in links {
            indexed.add(resource, field);
        }
        indexed.unclaimed = indexed
            .by_name
            .iter()
            .filter(|(name, _)| !is_claimed(name))
            .min_by_key(|(_, by)| by.index)
            .map(|(&name, &by)| (name, by));
        indexed
    }

    fn add(&mut self, resource: &'a Resource, field: &Field<'a>) {
        match field.target() {
            Attr::Known(Target::Address(address)) => {
                self.by_address.entry(address).or_insert(resource);
            }
            Attr::Known(Target::Name(name)) => {
                self.by_name.entry(name).or_insert(resource);
            }
            Attr::Absent => {}
            Attr::Unknown(unknown) => {
                self.unknown
                    .get_or_insert_with(|| (resource, unknown.reason.into_owned()));
            }
        }
    }

    /// The resource that names `bucket`, whose name attribute is `name` (`bucket`,
    /// `BucketName`).
    pub fn find(&self, bucket: &Resource, name: &Field<'a>) -> Link<'a> {
        if let Some(found) = self.by_own_address(&bucket.address) {
            return Link::Found(found);
        }
        let name_target = name.target();
        let found = match &name_target {
            Attr::Known(Target::Name(name)) => self.by_name.get(name),
            // Both refer to the same computed value (`bucket = random_pet.p.id`).
            Attr::Known(Target::Address(address)) => self.by_address.get(address),
            Attr::Absent | Attr::Unknown(_) => None,
        };
        if let Some(&found) = found {
            return Link::Found(found);
        }
        let name_is_unknown = !matches!(name_target, Attr::Known(Target::Name(_)) | Attr::Absent);
        if name_is_unknown && let Some((unclaimed, by)) = self.unclaimed {
            let why = match name.text() {
                Attr::Unknown(unknown) => format!(" ({})", unknown.reason),
                Attr::Absent | Attr::Known(_) => String::new(),
            };
            return Link::Unknown {
                by,
                reason: format!(
                    "it names the bucket \"{unclaimed}\", and this bucket's name is unknown{why}"
                ),
            };
        }
        match &self.unknown {
            Some((by, reason)) => Link::Unknown {
                by,
                reason: format!("its `bucket` is unknown: {reason}"),
            },
            None => Link::None,
        }
    }

    /// The link to `address` or to any `count`/`for_each` prefix of it: a reference to
    /// `alicloud_oss_bucket.b` names every instance `alicloud_oss_bucket.b[...]`, as
    /// `Resource::is_target` reads it.
    fn by_own_address(&self, address: &str) -> Option<&'a Resource> {
        let prefixes = address.match_indices('[').map(|(at, _)| &address[..at]);
        std::iter::once(address)
            .chain(prefixes)
            .find_map(|key| self.by_address.get(key).copied())
    }
}

#[cfg(test)]
mod tests;
