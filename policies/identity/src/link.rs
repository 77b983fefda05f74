//! Which attachments of a document set name a custom policy of the same set: by
//! reference (`policy_name = alicloud_ram_policy.p.policy_name`, `policy_arn =
//! aws_iam_policy.p.arn`, ROS `Fn::GetAtt [Policy, PolicyName]`), or by the policy's
//! literal name (an ARN's last part for AWS).
//!
//! The attachments are indexed once, so that a configuration with thousands of policies
//! and attachments is joined in one pass.

use std::collections::HashMap;

use palisade_policy::{Attr, Resource, Target};

use crate::attachment::Attachment;
use crate::grant::Cloud;

/// The attachments that may name custom policies, indexed.
#[derive(Default)]
pub struct Links<'a, 'r> {
    /// By the address they refer to (`alicloud_ram_policy.p`, ROS `AdminPolicy`).
    by_address: HashMap<&'a str, Vec<&'r Attachment<'a>>>,
    /// By the literal policy name they name.
    by_name: HashMap<String, Vec<&'r Attachment<'a>>>,
    /// The first attachment whose policy is unknown, with why: it may name any policy.
    unknown: Option<(&'r Attachment<'a>, String)>,
}

/// What the attachments say of one custom policy.
pub struct Attached<'a, 'r> {
    /// The attachments that name it, in document order.
    pub by: Vec<&'r Attachment<'a>>,
    /// An attachment that may name it, and why it cannot be told.
    pub maybe: Option<(&'r Attachment<'a>, String)>,
}

impl<'a, 'r> Links<'a, 'r> {
    /// Indexes the attachments that may name a custom policy.
    pub fn new(attachments: &'r [Attachment<'a>]) -> Self {
        let mut links = Self::default();
        for attachment in attachments.iter().filter(|a| a.may_be_custom()) {
            match attachment.policy.target() {
                Attr::Known(Target::Address(address)) => {
                    links
                        .by_address
                        .entry(address)
                        .or_default()
                        .push(attachment);
                }
                Attr::Known(Target::Name(name)) => {
                    let name = match attachment.cloud {
                        Cloud::Aws => arn_policy_name(name),
                        Cloud::Alibaba => name.trim(),
                    };
                    links
                        .by_name
                        .entry(name.to_owned())
                        .or_default()
                        .push(attachment);
                }
                Attr::Absent => {}
                Attr::Unknown(unknown) => {
                    links
                        .unknown
                        .get_or_insert_with(|| (attachment, unknown.reason.into_owned()));
                }
            }
        }
        links
    }

    /// The attachments of `policy`, whose own name is `name` when known.
    pub fn attached(&self, policy: &Resource, name: Option<&str>) -> Attached<'a, 'r> {
        let address = policy.address.as_str();
        let prefixes = address.match_indices('[').map(|(at, _)| &address[..at]);
        let mut by: Vec<&'r Attachment<'a>> = std::iter::once(address)
            .chain(prefixes)
            .filter_map(|key| self.by_address.get(key))
            .flatten()
            .copied()
            .collect();
        if let Some(found) = name.and_then(|name| self.by_name.get(name.trim())) {
            by.extend(found.iter().copied());
        }
        by.sort_by_key(|a| a.resource.index);
        by.dedup_by_key(|a| (a.resource.index, a.policy.path().as_str().to_owned()));
        let maybe = self
            .unknown
            .as_ref()
            .map(|(by, reason)| (*by, reason.clone()));
        Attached { by, maybe }
    }
}

/// The policy name at the end of an IAM policy ARN (`arn:aws:iam::1:policy/path/name`).
fn arn_policy_name(arn: &str) -> &str {
    let arn = arn.trim();
    match arn.rsplit_once(":policy/") {
        Some((_, path)) => path.rsplit('/').next().unwrap_or(path),
        None => arn,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arn_names_drop_the_path() {
        assert_eq!(arn_policy_name("arn:aws:iam::1:policy/team/admin"), "admin");
        assert_eq!(arn_policy_name("arn:aws:iam::1:policy/admin"), "admin");
        assert_eq!(arn_policy_name("admin"), "admin");
    }
}
