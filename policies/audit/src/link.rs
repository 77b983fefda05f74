//! Resources that name a trail, linked as `public-bucket` links a bucket and its ACL: by
//! reference (`Name: {Fn::GetAtt: [Trail, Name]}`, `{Ref: Trail}`, any `Count` instance of
//! it) or by the trail's literal name.
//!
//! The links are indexed once, so that a template with many trails is decided in one pass;
//! a link that names no trail the template can identify leaves the trails it could name
//! undecided rather than failed.

use std::collections::HashMap;

use palisade_policy::{Attr, Field, Resource, Target};

/// Every link of one kind of resource to its trail.
#[derive(Default)]
pub struct Links<'a> {
    /// By the address the link refers to (`Trail`, `Trail[0]`): the first resource wins.
    by_address: HashMap<&'a str, &'a Resource>,
    /// By the literal trail name it names.
    by_name: HashMap<&'a str, &'a Resource>,
    /// The first link whose trail is unknown (a parameter without a value).
    unknown: Option<(&'a Resource, String)>,
    /// The first link by a literal name that no trail with a known name carries: it may
    /// name a trail whose own name is unknown.
    unclaimed: Option<(&'a str, &'a Resource)>,
}

/// What the links say of one trail.
#[derive(Debug, PartialEq)]
pub enum Link<'a> {
    /// This resource names the trail.
    Found(&'a Resource),
    /// None does.
    None,
    /// One may: `by` names a trail that cannot be identified, for `reason`.
    Unknown {
        /// The resource whose link is unknown.
        by: &'a Resource,
        /// Why.
        reason: String,
    },
}

impl<'a> Links<'a> {
    /// Indexes `links`, each a resource and the field that names its trail (an absent
    /// field names none). `is_claimed` says whether a literal name is the known name of
    /// some trail of the document set.
    pub fn new(
        links: impl IntoIterator<Item = (&'a Resource, Field<'a>)>,
        is_claimed: impl Fn(&str) -> bool,
    ) -> Self {
        let mut indexed = Self::default();
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

    /// The resource that names `trail`, whose name attribute is `name`.
    pub fn find(&self, trail: &Resource, name: &Field<'a>) -> Link<'a> {
        if let Some(found) = self.by_own_address(&trail.address) {
            return Link::Found(found);
        }
        let name_target = name.target();
        let found = match &name_target {
            Attr::Known(Target::Name(name)) => self.by_name.get(name),
            // Both refer to the same value (`Name: {Ref: TrailName}` resolved to nothing
            // known, or a shared resource attribute).
            Attr::Known(Target::Address(address)) => self.by_address.get(address),
            Attr::Absent | Attr::Unknown(_) => None,
        };
        if let Some(&found) = found {
            return Link::Found(found);
        }
        let name_is_unknown = !matches!(name_target, Attr::Known(Target::Name(_)) | Attr::Absent);
        if name_is_unknown && let Some((unclaimed, by)) = self.unclaimed {
            return Link::Unknown {
                by,
                reason: format!(
                    "it names the trail \"{unclaimed}\", and this trail's name is unknown"
                ),
            };
        }
        match &self.unknown {
            Some((by, reason)) => Link::Unknown {
                by,
                reason: format!("the trail it names is unknown: {reason}"),
            },
            None => Link::None,
        }
    }

    /// The link to `address` or to any `Count` prefix of it (`Trail` names `Trail[1]`).
    fn by_own_address(&self, address: &str) -> Option<&'a Resource> {
        let prefixes = address.match_indices('[').map(|(at, _)| &address[..at]);
        std::iter::once(address)
            .chain(prefixes)
            .find_map(|key| self.by_address.get(key).copied())
    }
}

#[cfg(test)]
mod tests;
