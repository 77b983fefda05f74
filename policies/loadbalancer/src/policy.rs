//! Custom TLS policies: resources that list the TLS versions a listener using them
//! accepts (`tls_versions`, required by the provider and not validated; ROS `TLSVersions`,
//! `TlsVersions`), and the index that links listeners to them by reference.
//!
//! A policy is judged on its own, used or not: a listener that refers to it passes or
//! fails through it, and its finding names those listeners.

use std::collections::HashMap;

use palisade_policy::{Attr, AttrPath, Field, Resource, Unknown};

use crate::tls::{self, Old};
use crate::{alicloud, ros};

/// Every policy type, with the attribute holding its TLS versions.
const POLICIES: [(&str, &str); 6] = [
    (alicloud::SLB_POLICY, "tls_versions"),
    (alicloud::ALB_POLICY, "tls_versions"),
    (alicloud::NLB_POLICY, "tls_versions"),
    (ros::SLB_POLICY, "TlsVersions"),
    (ros::ALB_POLICY, "TLSVersions"),
    (ros::NLB_POLICY, "TlsVersions"),
];

/// The attribute that lists `resource`'s TLS versions, if it is a policy.
pub fn versions(resource: &Resource) -> Option<Field<'_>> {
    POLICIES
        .iter()
        .find(|(policy, _)| resource.is(policy))
        .map(|(_, attribute)| resource.get(attribute))
}

/// What a policy's version list accepts.
pub enum Versions<'a> {
    /// TLS 1.2 or later only, or no list to judge.
    Modern,
    /// Deprecated versions: `at` is the first such entry, `listed` every one as written.
    Old {
        /// The first deprecated entry.
        at: AttrPath,
        /// Every deprecated version accepted.
        old: Old,
        /// The deprecated entries as written.
        listed: Vec<String>,
    },
    /// An entry or the list is unknown or unreadable, and no entry is deprecated.
    Undecided(Unknown<'a>),
}

/// Reads the version list `field`.
pub fn judge<'a>(field: &Field<'a>) -> Versions<'a> {
    let entries = match field.list() {
        Attr::Known(entries) => entries,
        Attr::Absent => return Versions::Modern,
        Attr::Unknown(unknown) => return Versions::Undecided(unknown),
    };
    let mut old = Old::NONE;
    let mut first = None;
    let mut listed = Vec::new();
    let mut undecided = None;
    for entry in &entries {
        let text = match entry.text() {
            Attr::Known(text) => text,
            Attr::Absent => continue,
            Attr::Unknown(unknown) => {
                undecided.get_or_insert(unknown);
                continue;
            }
        };
        match tls::version(&text) {
            Some(version) if version.any() => {
                old = old.union(version);
                first.get_or_insert_with(|| entry.path().clone());
                listed.push(text.trim().to_owned());
            }
            Some(_) => {}
            None => {
                undecided.get_or_insert_with(|| {
                    entry.unknown(format!(
                        "`{}` is {text:?}, which is not a TLS version (TLSv1.0 to TLSv1.3)",
                        entry.path()
                    ))
                });
            }
        }
    }
    match (first, undecided) {
        (Some(at), _) => Versions::Old { at, old, listed },
        (None, Some(unknown)) => Versions::Undecided(unknown),
        (None, None) => Versions::Modern,
    }
}

/// The policies of a document set by the addresses a reference may name: a resource's
/// own address, and for a `count`/`for_each` instance (`p[0]`) the resource's address
/// too, since a reference to `p` names every instance.
pub struct Index<'a> {
    by_address: HashMap<&'a str, Vec<&'a Resource>>,
}

impl<'a> Index<'a> {
    /// Indexes the policies among `resources`.
    pub fn new(resources: &[&'a Resource]) -> Self {
        let mut by_address: HashMap<&str, Vec<&Resource>> = HashMap::new();
        for &policy in resources.iter().filter(|r| versions(r).is_some()) {
            let address = policy.address.as_str();
            let prefixes = address.match_indices('[').map(|(at, _)| &address[..at]);
            for key in std::iter::once(address).chain(prefixes) {
                let entry = by_address.entry(key).or_default();
                if entry.last().is_none_or(|last| last.index != policy.index) {
                    entry.push(policy);
                }
            }
        }
        Self { by_address }
    }

    /// The policies a reference to `target` designates (none when it names no policy of
    /// the document set).
    pub fn find(&self, target: &str) -> &[&'a Resource] {
        self.by_address.get(target).map_or(&[], Vec::as_slice)
    }
}
