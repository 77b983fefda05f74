//! Public endpoints: whether the template gives a database an address on the internet.
//!
//! A whitelist open to every address is reported either way (a private endpoint is
//! reachable from every network peered, routed or VPN-connected to the VPC, and a public
//! one can be added later by hand), but the message says which case it is, since a
//! public endpoint makes it urgent. The template allocates one with an attribute of the
//! database (ROS `AllocatePublicConnection: true`) or with a resource of its own that
//! names the database (`alicloud_db_connection`, `ALIYUN::RDS::Connection`); the
//! provider modules read both, this module matches them to a database.

use palisade_policy::{Attr, Field, Resource, Target, Unknown};

use crate::{alicloud, ros};

/// What the template says about a database's public endpoint.
#[derive(Debug, Clone, PartialEq)]
pub enum Public<'a> {
    /// One is allocated, by what: "alicloud_db_connection.public",
    /// "`AllocatePublicConnection` is true".
    Allocated(String),
    /// None is.
    None,
    /// Whether one is depends on an unknown value.
    Unknown(Unknown<'a>),
}

/// A resource that allocates a public endpoint to the database it names.
pub struct Allocation<'a> {
    /// The database it is for.
    pub database: Attr<'a, Target<'a>>,
    /// Whether the endpoint is public (`net_type`, `ConnectionType`); unknown when that
    /// value is.
    pub public: Result<bool, Unknown<'a>>,
    /// The resource's address, for messages.
    pub by: &'a str,
}

/// Every public endpoint allocation of one evaluation's resources.
pub struct Endpoints<'a> {
    resources: Vec<&'a Resource>,
    allocations: Vec<Allocation<'a>>,
}

impl<'a> Endpoints<'a> {
    /// Reads the allocations among `resources`.
    pub fn read(resources: &[&'a Resource]) -> Self {
        let allocations = resources
            .iter()
            .filter_map(|resource| {
                alicloud::endpoint::allocation(resource)
                    .or_else(|| ros::endpoint::allocation(resource))
            })
            .collect();
        Self {
            resources: resources.to_vec(),
            allocations,
        }
    }

    /// The public endpoint of `database`; when `of` is given, `database` is a whitelist
    /// resource and `of` the attribute naming the database it belongs to
    /// (`InstanceId`, `DBClusterId`).
    pub fn of(&self, database: &'a Resource, of: Option<&Field<'a>>) -> Public<'a> {
        let (resource, target) = match of {
            None => (Some(database), Target::Address(database.address.as_str())),
            Some(field) => match field.target() {
                Attr::Known(target) => (self.find(&target), target),
                Attr::Absent => return Public::None,
                Attr::Unknown(unknown) => return self.of_unknown(unknown),
            },
        };
        let mut first_unknown = None;
        if let Some(resource) = resource {
            match inline(resource) {
                Ok(Some(by)) => return Public::Allocated(by),
                Ok(None) => {}
                Err(unknown) => first_unknown = Some(unknown),
            }
        }
        for allocation in &self.allocations {
            let Attr::Known(names) = &allocation.database else {
                continue;
            };
            let matches = *names == target
                || matches!(names, Target::Address(_))
                    && resource.is_some_and(|resource| resource.is_target(names, ""));
            if !matches {
                continue;
            }
            match &allocation.public {
                Ok(true) => return Public::Allocated(allocation.by.to_owned()),
                Ok(false) => {}
                Err(unknown) => {
                    first_unknown.get_or_insert_with(|| unknown.clone());
                }
            }
        }
        first_unknown.map_or(Public::None, Public::Unknown)
    }

    /// The public endpoint of a database named by an unknown value (a parameter without
    /// a value, naming an instance outside the stack): an endpoint resource naming the
    /// database by the same unknown value (the same parameter) is for the same database.
    fn of_unknown(&self, unknown: Unknown<'a>) -> Public<'a> {
        let same = self.allocations.iter().find(|allocation| {
            matches!(&allocation.database, Attr::Unknown(other)
                if other.refers.is_none() && other.reason == unknown.reason)
                && allocation.public == Ok(true)
        });
        match same {
            Some(allocation) => Public::Allocated(allocation.by.to_owned()),
            None => Public::Unknown(unknown),
        }
    }

    /// The resource `target` designates by reference, if it is in the document set.
    fn find(&self, target: &Target<'_>) -> Option<&'a Resource> {
        match target {
            Target::Address(_) => self
                .resources
                .iter()
                .copied()
                .find(|resource| resource.is_target(target, "")),
            Target::Name(_) => None,
        }
    }
}

impl Public<'_> {
    /// The end of a finding's message: "the template allocates it a public endpoint
    /// (alicloud_db_connection.public)".
    pub fn describe(&self) -> String {
        match self {
            Public::Allocated(by) => format!("the template allocates it a public endpoint ({by})"),
            Public::None => "the template allocates it no public endpoint".to_owned(),
            Public::Unknown(unknown) => format!(
                "whether the template allocates it a public endpoint is unknown ({})",
                unknown.reason
            ),
        }
    }
}

/// A public endpoint that an attribute of the database itself allocates.
fn inline<'a>(database: &'a Resource) -> Result<Option<String>, Unknown<'a>> {
    match alicloud::endpoint::inline(database) {
        Some(public) => public,
        None => ros::endpoint::inline(database).unwrap_or(Ok(None)),
    }
}
