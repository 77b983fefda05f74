//! Block-public-access settings, and whether one neutralizes a public value.

use std::collections::HashMap;

use palisade_policy::logic::{self, Decision};
use palisade_policy::{Attr, Field, Resource, Target};

use crate::exposure::{BucketLink, Cloud, Control, PublicValue};

/// A setting that makes a provider ignore public ACLs, public bucket policies or both.
pub struct Blocker<'a> {
    /// The resource that declares it.
    pub resource: &'a Resource,
    /// The provider whose buckets it protects.
    pub cloud: Cloud,
    /// The access controls whose public values it makes the provider ignore.
    pub controls: &'static [Control],
    /// Which buckets: one (by link) or every bucket of the account (`None`).
    pub bucket: Option<Attr<'a, Target<'a>>>,
    /// The flag that turns it on (`ignore_public_acls`, `restrict_public_buckets`,
    /// `block_public_access`).
    pub enabled: Field<'a>,
}

/// Every bucket resource of the document set, indexed to resolve links in constant time
/// (a configuration can hold thousands of buckets, ACLs and blocks).
#[derive(Default)]
pub struct Buckets<'a> {
    /// By address, and by the address without an instance key (`aws_s3_bucket.b` for
    /// `aws_s3_bucket.b[0]`): the first instance wins, as a reference names them all.
    by_address: HashMap<&'a str, &'a Resource>,
    /// By the literal name in the bucket's name attribute.
    by_name: HashMap<String, &'a Resource>,
}

impl<'a> Buckets<'a> {
    /// Records a bucket resource.
    pub fn add(&mut self, bucket: &'a Resource) {
        let address = bucket.address.as_str();
        self.by_address.entry(address).or_insert(bucket);
        if let Some(open) = address.find('[') {
            self.by_address.entry(&address[..open]).or_insert(bucket);
        }
        if let Some(name) = bucket.get(name_attribute(bucket)).text().known() {
            self.by_name.entry(name.into_owned()).or_insert(bucket);
        }
    }

    /// The bucket resource `target` designates, if it is in the document set.
    fn resolve(&self, target: &Target<'_>) -> Option<&'a Resource> {
        match target {
            Target::Address(address) => self.by_address.get(address).copied(),
            Target::Name(name) => self.by_name.get(*name).copied(),
        }
    }
}

impl<'a> Blocker<'a> {
    /// Whether this setting makes the provider ignore `value`.
    pub fn neutralizes(&self, value: &PublicValue<'a>, buckets: &Buckets<'a>) -> Decision<'a> {
        if self.cloud != value.cloud || !self.controls.contains(&value.control) {
            return Ok(false);
        }
        let enabled = self.enabled.bool().with_default(false);
        logic::all([self.applies_to(value, buckets), enabled])
    }

    fn applies_to(&self, value: &PublicValue<'a>, buckets: &Buckets<'a>) -> Decision<'a> {
        let mine = match &self.bucket {
            None => return Ok(true),
            Some(Attr::Known(target)) => target,
            Some(Attr::Absent) => return Ok(false),
            Some(Attr::Unknown(unknown)) => return Err(unknown.clone()),
        };
        let theirs = match &value.bucket {
            BucketLink::Itself => {
                return Ok(value
                    .resource
                    .is_target(mine, name_attribute(value.resource)));
            }
            BucketLink::Linked(Attr::Known(target)) => target,
            BucketLink::Linked(Attr::Absent) => return Ok(false),
            BucketLink::Linked(Attr::Unknown(unknown)) => return Err(unknown.clone()),
        };
        Ok(match buckets.resolve(theirs) {
            Some(bucket) => bucket.is_target(mine, name_attribute(bucket)),
            None => mine == theirs,
        })
    }
}

/// The attribute that holds a bucket's name, by bucket type.
pub fn name_attribute(bucket: &Resource) -> &'static str {
    if bucket.format == palisade_policy::Format::Ros {
        "BucketName"
    } else {
        "bucket"
    }
}

/// The blockers of a document set, indexed by the bucket each names, so that a public
/// value is weighed against the blockers that can apply to it rather than against every
/// one: a plan can hold thousands of buckets, each with its own block.
pub struct Blockers<'a, 'b> {
    all: &'b [Blocker<'a>],
    /// Blockers that may apply to any bucket: account-wide ones, and those whose bucket
    /// is unknown.
    anywhere: Vec<usize>,
    /// The others by the address, or the literal name, of the bucket they name.
    by_address: HashMap<&'a str, Vec<usize>>,
    by_name: HashMap<&'a str, Vec<usize>>,
}

impl<'a, 'b> Blockers<'a, 'b> {
    /// Indexes `all`.
    pub fn new(all: &'b [Blocker<'a>]) -> Self {
        let mut blockers = Self {
            all,
            anywhere: Vec::new(),
            by_address: HashMap::new(),
            by_name: HashMap::new(),
        };
        for (i, blocker) in all.iter().enumerate() {
            match &blocker.bucket {
                None | Some(Attr::Unknown(_)) => blockers.anywhere.push(i),
                Some(Attr::Absent) => {}
                Some(Attr::Known(Target::Address(address))) => {
                    blockers.by_address.entry(address).or_default().push(i);
                }
                Some(Attr::Known(Target::Name(name))) => {
                    blockers.by_name.entry(name).or_default().push(i);
                }
            }
        }
        blockers
    }

    /// Whether any blocker neutralizes `value`: the first one that does, or else the
    /// first unknown, as if each were asked in turn.
    pub fn neutralizer(
        &self,
        value: &PublicValue<'a>,
        buckets: &Buckets<'a>,
    ) -> Result<Option<&'b Blocker<'a>>, palisade_policy::Unknown<'a>> {
        let mut candidates = self.anywhere.clone();
        let bucket = match &value.bucket {
            BucketLink::Itself => Some(value.resource),
            BucketLink::Linked(Attr::Known(target)) => match buckets.resolve(target) {
                Some(bucket) => Some(bucket),
                None => {
                    self.named(target, &mut candidates);
                    None
                }
            },
            BucketLink::Linked(Attr::Absent) => None,
            // Every blocker that names a bucket is undecided: ask them all.
            BucketLink::Linked(Attr::Unknown(_)) => {
                candidates = (0..self.all.len()).collect();
                None
            }
        };
        if let Some(bucket) = bucket {
            self.naming(bucket, &mut candidates);
        }
        candidates.sort_unstable();
        let mut first_unknown = None;
        for blocker in candidates.into_iter().map(|i| &self.all[i]) {
            match blocker.neutralizes(value, buckets) {
                Ok(true) => return Ok(Some(blocker)),
                Ok(false) => {}
                Err(unknown) => {
                    first_unknown.get_or_insert(unknown);
                }
            }
        }
        first_unknown.map_or(Ok(None), Err)
    }

    /// Adds the blockers whose bucket is `target` itself.
    fn named(&self, target: &Target<'_>, candidates: &mut Vec<usize>) {
        let found = match target {
            Target::Address(address) => self.by_address.get(address),
            Target::Name(name) => self.by_name.get(name),
        };
        candidates.extend(found.into_iter().flatten());
    }

    /// Adds the blockers that name `bucket` ([`Resource::is_target`]): by its address or
    /// that address up to any instance key, or by its name.
    fn naming(&self, bucket: &Resource, candidates: &mut Vec<usize>) {
        let address = bucket.address.as_str();
        let keys = address
            .match_indices('[')
            .map(|(at, _)| &address[..at])
            .chain([address]);
        for key in keys {
            self.named(&Target::Address(key), candidates);
        }
        if let Some(name) = bucket.get(name_attribute(bucket)).text().known() {
            self.named(&Target::Name(&name), candidates);
        }
    }
}
