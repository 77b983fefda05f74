//! Resources that configure another one from apart (a bucket's encryption resource, a
//! trail's logging switch), and the resources they name: by reference (`bucket =
//! alicloud_oss_bucket.b.bucket`, `{Fn::GetAtt: [Trail, Name]}`, any `count`/`Count`
//! instance of it) or by the literal name the other resource carries. Rules that need "the
//! second resource of the same module or stack" decide through it, the same way for
//! every kind of resource.
//!
//! The links are indexed once, so that a configuration with thousands of resources is
//! decided in one pass over them; a link that names nothing the template can identify
//! leaves the resources it could name undecided rather than failed.

use std::collections::HashMap;

use crate::{Attr, Field, Resource, Target};

/// Every link of one kind of resource to the resources it configures.
pub struct Links<'a> {
    /// What the linked resources are called in messages: `bucket`, `trail`.
    noun: &'static str,
    /// By the address the link refers to (`alicloud_oss_bucket.b`, `alicloud_oss_bucket.b[0]`,
    /// or a resource the linked resource's own name refers to): the first resource wins.
    by_address: HashMap<&'a str, &'a Resource>,
    /// By the literal name it names.
    by_name: HashMap<&'a str, &'a Resource>,
    /// The first link whose target is unknown (a variable without a value): it may name
    /// any resource.
    unknown: Option<(&'a Resource, String)>,
    /// The first link by a literal name that no resource with a known name carries: it
    /// may name one whose own name is unknown.
    unclaimed: Option<(&'a str, &'a Resource)>,
}

/// What the links say of one resource.
#[derive(Debug, PartialEq)]
pub enum Link<'a> {
    /// This resource names it.
    Found(&'a Resource),
    /// None does.
    None,
    /// One may: `by` names a resource that cannot be identified, for `reason`.
    Unknown {
        /// The resource whose link is unknown.
        by: &'a Resource,
        /// Why.
        reason: String,
    },
}

impl<'a> Links<'a> {
    /// Indexes `links`, each a resource and the field that names the resource it
    /// configures (`bucket`; an absent field names none), calling those `noun` in
    /// messages. `is_claimed` says whether a literal name is the known name of some
    /// resource of the document set.
    pub fn new(
        noun: &'static str,
        links: impl IntoIterator<Item = (&'a Resource, Field<'a>)>,
        is_claimed: impl Fn(&str) -> bool,
    ) -> Self {
        let mut indexed = Self {
            noun,
            by_address: HashMap::new(),
            by_name: HashMap::new(),
            unknown: None,
            unclaimed: None,
        };
        for (resource, field) in links {
            indexed.add(resource, &field);
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

    /// The resource that names `linked`, whose name attribute is `name` (`bucket`,
    /// `BucketName`, `Name`).
    pub fn find(&self, linked: &Resource, name: &Field<'a>) -> Link<'a> {
        if let Some(found) = self.by_own_address(&linked.address) {
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
            let noun = self.noun;
            return Link::Unknown {
                by,
                reason: format!(
                    "it names the {noun} \"{unclaimed}\", and this {noun}'s name is unknown{why}"
                ),
            };
        }
        match &self.unknown {
            Some((by, reason)) => Link::Unknown {
                by,
                reason: format!("the {} it names is unknown: {reason}", self.noun),
            },
            None => Link::None,
        }
    }

    /// The link to `address` or to any `count`/`for_each` prefix of it: a reference to
    /// `alicloud_oss_bucket.b` names every instance `alicloud_oss_bucket.b[...]`, as
    /// [`Resource::is_target`] reads it.
    fn by_own_address(&self, address: &str) -> Option<&'a Resource> {
        let prefixes = address.match_indices('[').map(|(at, _)| &address[..at]);
        std::iter::once(address)
            .chain(prefixes)
            .find_map(|key| self.by_address.get(key).copied())
    }
}

#[cfg(test)]
mod tests;
