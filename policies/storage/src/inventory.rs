//! Everything the rule reads from a document set: public values, blockers, buckets.

use palisade_policy::cloud::acl::{self, Exposure, PublicGroup};
use palisade_policy::{Attr, Field, Resource, Unknown};

use crate::block::{Blocker, Buckets};
use crate::bucket_policy;
use crate::exposure::{BucketLink, Cloud, Control, PublicValue};

/// Everything the rule read from a document set.
#[derive(Default)]
pub struct Inventory<'a> {
    /// Values that make a bucket public.
    pub public: Vec<PublicValue<'a>>,
    /// ACL and policy values that could not be read, with the resource that carries them.
    pub unknown: Vec<(&'a Resource, Unknown<'a>)>,
    /// Block-public-access settings.
    pub blockers: Vec<Blocker<'a>>,
    /// Bucket resources, with the attribute that holds their name.
    pub buckets: Buckets<'a>,
}

impl<'a> Inventory<'a> {
    /// Reads a canned ACL attribute (`acl`, `AccessControl`).
    pub fn canned(
        &mut self,
        resource: &'a Resource,
        field: Field<'a>,
        bucket: BucketLink<'a>,
        cloud: Cloud,
    ) {
        match field.text() {
            Attr::Known(value) => {
                let exposure = acl::canned(&value);
                if exposure > Exposure::Private {
                    self.public.push(PublicValue {
                        resource,
                        path: field.path().clone(),
                        exposure,
                        what: format!("bucket ACL {}", value.trim()),
                        control: Control::Acl,
                        bucket,
                        cloud,
                    });
                }
            }
            Attr::Absent => {}
            Attr::Unknown(unknown) => self.unknown.push((resource, unknown)),
        }
    }

    /// Reads one AWS grant: its grantee URI and the permissions granted.
    pub fn grant(
        &mut self,
        resource: &'a Resource,
        uri: Field<'a>,
        permissions: Vec<Field<'a>>,
        bucket: impl Fn() -> BucketLink<'a>,
    ) {
        let group = match uri.text() {
            Attr::Known(uri) => match PublicGroup::from_uri(&uri) {
                Some(group) => group,
                None => return,
            },
            Attr::Absent => return,
            Attr::Unknown(unknown) => return self.unknown.push((resource, unknown)),
        };
        for permission in permissions {
            match permission.text() {
                Attr::Known(name) => self.public.push(PublicValue {
                    resource,
                    path: uri.path().clone(),
                    exposure: acl::grant(&name),
                    what: format!("the grant of {} to {group}", name.trim()),
                    control: Control::Acl,
                    bucket: bucket(),
                    cloud: Cloud::Aws,
                }),
                Attr::Absent => {}
                Attr::Unknown(unknown) => self.unknown.push((resource, unknown)),
            }
        }
    }

    /// Reads a bucket policy attribute (`policy`, `Policy`): one public value per public
    /// statement, the finding at the attribute.
    pub fn policy(
        &mut self,
        resource: &'a Resource,
        field: Field<'a>,
        bucket: impl Fn() -> BucketLink<'a>,
        cloud: Cloud,
    ) {
        let reading = bucket_policy::read(&field, cloud);
        for statement in reading.public {
            self.public.push(PublicValue {
                resource,
                path: field.path().clone(),
                exposure: statement.exposure,
                what: statement.to_string(),
                control: Control::Policy,
                bucket: bucket(),
                cloud,
            });
        }
        for unknown in reading.undecided {
            self.unknown.push((resource, unknown));
        }
    }
}
