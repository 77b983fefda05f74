//! Bucket ACLs: which canned ACLs and grants expose a bucket to the public.
//!
//! Choices:
//! - `public-read` is public, `public-read-write` is world-writable.
//! - AWS `authenticated-read` and grants to the `AuthenticatedUsers` group count as
//!   public: every holder of any AWS account, not just the bucket owner's, can use
//!   them, which is anyone who signs up.
//! - A grant of `WRITE`, `WRITE_ACP` (lets anyone rewrite the ACL) or `FULL_CONTROL` to
//!   a public group is world-writable; `READ` and `READ_ACP` are public reads.
//! - Everything else (`private`, `bucket-owner-*`, `log-delivery-write`,
//!   `aws-exec-read`, Alibaba `default`) is not public.
//!
//! Values compare case-insensitively, surrounding whitespace ignored.

use std::fmt;

/// The AWS group URI for everyone on the internet.
pub const ALL_USERS_URI: &str = "http://acs.amazonaws.com/groups/global/AllUsers";
/// The AWS group URI for every authenticated AWS account.
pub const AUTHENTICATED_USERS_URI: &str =
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";

/// How far an ACL opens a bucket, least open first, so the worst of several ACLs is
/// their maximum.
///
/// ```
/// use palisade_policy::cloud::acl::{canned, grant, Exposure};
///
/// let worst = [canned("private"), grant("READ"), grant("WRITE_ACP")].into_iter().max();
/// assert_eq!(worst, Some(Exposure::WorldWritable));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Exposure {
    /// Only the owner and the principals it names.
    Private,
    /// Anyone can read (list or download).
    PublicRead,
    /// Anyone can write, overwrite or delete (or take control of the ACL).
    WorldWritable,
}

/// What a canned ACL (`acl`, `AccessControl`) exposes.
///
/// ```
/// use palisade_policy::cloud::acl::{canned, Exposure};
///
/// assert_eq!(canned("public-read"), Exposure::PublicRead);
/// assert_eq!(canned("public-read-write"), Exposure::WorldWritable);
/// assert_eq!(canned("private"), Exposure::Private);
/// ```
pub fn canned(acl: &str) -> Exposure {
    let acl = acl.trim();
    if acl.eq_ignore_ascii_case("public-read-write") {
        Exposure::WorldWritable
    } else if acl.eq_ignore_ascii_case("public-read")
        || acl.eq_ignore_ascii_case("authenticated-read")
    {
        Exposure::PublicRead
    } else {
        Exposure::Private
    }
}

/// A grantee group that stands for the public, named in messages so users see who
/// gets access.
///
/// ```
/// use palisade_policy::cloud::acl::{PublicGroup, AUTHENTICATED_USERS_URI};
///
/// let group = PublicGroup::from_uri(AUTHENTICATED_USERS_URI).unwrap();
/// assert_eq!(group.to_string(), "AuthenticatedUsers (anyone with an AWS account)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PublicGroup {
    /// `AllUsers`: everyone on the internet, anonymous included.
    AllUsers,
    /// `AuthenticatedUsers`: anyone with an AWS account.
    AuthenticatedUsers,
}

impl PublicGroup {
    /// The public group a grantee URI names, if it names one.
    ///
    /// ```
    /// use palisade_policy::cloud::acl::{PublicGroup, ALL_USERS_URI};
    ///
    /// assert_eq!(PublicGroup::from_uri(ALL_USERS_URI), Some(PublicGroup::AllUsers));
    /// assert_eq!(PublicGroup::from_uri("http://acs.amazonaws.com/groups/s3/LogDelivery"), None);
    /// ```
    pub fn from_uri(uri: &str) -> Option<Self> {
        let uri = uri.trim();
        if uri.eq_ignore_ascii_case(ALL_USERS_URI) {
            Some(PublicGroup::AllUsers)
        } else if uri.eq_ignore_ascii_case(AUTHENTICATED_USERS_URI) {
            Some(PublicGroup::AuthenticatedUsers)
        } else {
            None
        }
    }
}

/// For messages: the group and who it stands for.
impl fmt::Display for PublicGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PublicGroup::AllUsers => f.write_str("AllUsers (everyone on the internet)"),
            PublicGroup::AuthenticatedUsers => {
                f.write_str("AuthenticatedUsers (anyone with an AWS account)")
            }
        }
    }
}

/// What granting `permission` to a public group exposes (ask only for grants whose
/// grantee [`PublicGroup::from_uri`] recognises: any permission granted to the public is
/// at least a public read).
///
/// ```
/// use palisade_policy::cloud::acl::{grant, Exposure};
///
/// assert_eq!(grant("READ"), Exposure::PublicRead);
/// assert_eq!(grant("FULL_CONTROL"), Exposure::WorldWritable);
/// ```
pub fn grant(permission: &str) -> Exposure {
    let permission = permission.trim();
    let writes = ["WRITE", "WRITE_ACP", "FULL_CONTROL"];
    if writes.iter().any(|w| permission.eq_ignore_ascii_case(w)) {
        Exposure::WorldWritable
    } else {
        Exposure::PublicRead
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canned_acls() {
        assert_eq!(canned(" Public-Read "), Exposure::PublicRead);
        assert_eq!(canned("authenticated-read"), Exposure::PublicRead);
        assert_eq!(canned("PUBLIC-READ-WRITE"), Exposure::WorldWritable);
        for private in [
            "private",
            "default",
            "bucket-owner-read",
            "bucket-owner-full-control",
            "log-delivery-write",
            "aws-exec-read",
            "",
        ] {
            assert_eq!(canned(private), Exposure::Private, "{private}");
        }
    }

    #[test]
    fn public_groups_and_grants() {
        assert_eq!(
            PublicGroup::from_uri(AUTHENTICATED_USERS_URI),
            Some(PublicGroup::AuthenticatedUsers)
        );
        assert_eq!(
            PublicGroup::from_uri(" http://acs.amazonaws.com/groups/global/allusers"),
            Some(PublicGroup::AllUsers)
        );
        assert_eq!(grant("read"), Exposure::PublicRead);
        assert_eq!(grant("READ_ACP"), Exposure::PublicRead);
        assert_eq!(grant("WRITE"), Exposure::WorldWritable);
        assert_eq!(grant("WRITE_ACP"), Exposure::WorldWritable);
        assert!(Exposure::WorldWritable > Exposure::PublicRead);
    }
}
