//! What every rule of the family starts from: the inbound permissions of the security
//! group resources it is given, the ones that accept traffic from the whole internet,
//! and the Alibaba drop rules that may take precedence over them.

use palisade_policy::cloud::cidr::Cidr;
use palisade_policy::family::Shared;
use palisade_policy::logic::Decision;
use palisade_policy::{AttrPath, Evaluation, Field, Resource, Rule, Severity, Unknown};

use crate::ingress::{Action, DropReading, Ingress, Traffic};
use crate::{alicloud, aws, ros};

/// The resource types every rule of the family reads.
pub const RESOURCE_TYPES: &[&str] = &[
    alicloud::SECURITY_GROUP_RULE,
    aws::SECURITY_GROUP,
    aws::SECURITY_GROUP_RULE,
    aws::VPC_INGRESS_RULE,
    ros::SECURITY_GROUP,
    ros::SECURITY_GROUP_INGRESS,
    ros::SECURITY_GROUP_INGRESSES,
];

/// The permissions of one evaluation's resources, read once and shared by every rule
/// of the family.
pub struct Exposures<'a> {
    permissions: Vec<Ingress<'a>>,
    /// For each permission, what each of its sources says, in the same order.
    sources: Vec<Vec<Source<'a>>>,
    /// Only Alibaba rules that may drop can take precedence over an accept: weighing
    /// those alone keeps a configuration of thousands of rules linear in practice.
    drops: Vec<(usize, DropReading<'a>)>,
}

/// One CIDR source of a permission, decided once.
struct Source<'a> {
    /// Whether the permission accepts inbound traffic from the whole internet through it.
    accepts: Decision<'a>,
    /// The source as written, trimmed, and parsed; `None` when it is not a known CIDR.
    cidr: Option<(String, Cidr)>,
}

impl<'a> Source<'a> {
    fn read(permission: &Ingress<'a>, field: &Field<'a>) -> Self {
        let accepts = permission.accepts_from_world(field);
        let cidr = match &accepts {
            Ok(true) => field.text().known().and_then(|text| {
                let text = text.trim();
                Cidr::parse(text).map(|parsed| (text.to_owned(), parsed))
            }),
            _ => None,
        };
        Self { accepts, cidr }
    }
}

/// One world-open source of an accepting inbound permission, with what the rule's
/// relevance test found in the permission (`T`: the ports, the protocol).
pub struct Open<'p, 'a, T = ()> {
    pub permission: &'p Ingress<'a>,
    pub found: T,
    pub source: &'p Field<'a>,
    /// The source as written, trimmed: `0.0.0.0/0`, `::/0`.
    pub cidr: &'p str,
    pub parsed: Cidr,
}

impl<'p, 'a, T> Open<'p, 'a, T> {
    pub fn resource(&self) -> &'a Resource {
        self.permission.resource
    }

    /// Where a finding on it points.
    pub fn at(&self) -> &'p AttrPath {
        self.permission.location(self.source)
    }
}

impl<'a> Shared<'a> for Exposures<'a> {
    /// Reads the permissions of `resources`, for every rule of the family at once.
    fn read(resources: &[&'a Resource]) -> Self {
        let permissions: Vec<Ingress<'a>> =
            resources.iter().copied().flat_map(permissions).collect();
        let sources = permissions
            .iter()
            .map(|p| {
                p.sources
                    .iter()
                    .map(|field| Source::read(p, field))
                    .collect()
            })
            .collect();
        let drops = permissions
            .iter()
            .enumerate()
            .filter(|(_, p)| p.precedence.is_some() && p.action != Ok(Action::Accept))
            .map(|(i, p)| (i, DropReading::of(p)))
            .collect();
        Self {
            permissions,
            sources,
            drops,
        }
    }
}

impl<'a> Exposures<'a> {
    /// Every world-open source of an accepting inbound permission in which `relevant`
    /// finds what concerns `rule` (`Ok(None)`: nothing). A permission whose direction,
    /// action, source or relevance is unknown is a note of `rule`'s, once.
    pub fn world_open<'p, T: Clone>(
        &'p self,
        rule: &Rule,
        evaluation: &mut Evaluation,
        relevant: impl Fn(&Ingress<'a>) -> Result<Option<T>, Unknown<'a>>,
    ) -> Vec<Open<'p, 'a, T>> {
        let mut open = Vec::new();
        for (permission, sources) in self.permissions.iter().zip(&self.sources) {
            // Most permissions are not the rule's (another port, protocol or service):
            // decided before any source is looked at.
            let found = match relevant(permission) {
                Ok(None) => continue,
                Ok(Some(found)) => Ok(found),
                Err(unknown) => Err(unknown),
            };
            for (source, read) in permission.sources.iter().zip(sources) {
                let decided = palisade_policy::logic::all([
                    read.accepts.clone(),
                    found.as_ref().map(|_| true).map_err(Clone::clone),
                ]);
                match (decided, &found, &read.cidr) {
                    (Ok(false), ..) | (Ok(true), Err(_), _) | (Ok(true), _, None) => {}
                    (Err(unknown), ..) => evaluation.undecided(rule, permission.resource, &unknown),
                    (Ok(true), Ok(found), Some((cidr, parsed))) => open.push(Open {
                        permission,
                        found: found.clone(),
                        source,
                        cidr,
                        parsed: *parsed,
                    }),
                }
            }
        }
        // One unknown protocol read for two sources is one note.
        evaluation.notes.dedup();
        open
    }

    /// The Alibaba drop rule that takes precedence over `open` for `traffic`, if any;
    /// unknown when a drop rule that might has unknown values.
    pub fn shadowing_drop<'p, T>(
        &'p self,
        open: &Open<'_, 'a, T>,
        traffic: &Traffic,
    ) -> Result<Option<&'p Ingress<'a>>, Unknown<'a>> {
        let mut first_unknown = None;
        for (index, read) in &self.drops {
            let candidate = &self.permissions[*index];
            match candidate.shadows(read, open.permission, &open.parsed, traffic) {
                Ok(true) => return Ok(Some(candidate)),
                Ok(false) => {}
                Err(unknown) => {
                    first_unknown.get_or_insert(unknown);
                }
            }
        }
        first_unknown.map_or(Ok(None), Err)
    }
}

impl<'a> Exposures<'a> {
    /// Reports `open` for `traffic` as a finding of `severity`, unless an Alibaba drop
    /// rule takes precedence for all of it (a note saying which) or might (a note saying
    /// why it could not be decided).
    pub fn fail_unless_dropped<T>(
        &self,
        (rule, severity): (&Rule, Severity),
        evaluation: &mut Evaluation,
        open: &Open<'_, 'a, T>,
        traffic: &Traffic,
        message: String,
    ) {
        let (resource, at) = (open.resource(), open.at());
        match self.shadowing_drop(open, traffic) {
            Ok(None) => evaluation.fail_with(severity, rule, resource, at, message),
            Ok(Some(drop)) => evaluation.note(rule, resource, at, dropped(&message, drop)),
            Err(unknown) => evaluation.note(rule, resource, at, undecided(&message, &unknown)),
        }
    }
}

/// The note for an exposure a drop rule takes precedence over.
pub fn dropped(message: &str, drop: &Ingress<'_>) -> String {
    format!(
        "passes: {message}, but drop rule {} takes precedence",
        drop.resource.address
    )
}

/// The note for an exposure a drop rule with unknown values might take precedence over.
pub fn undecided(message: &str, unknown: &Unknown<'_>) -> String {
    format!(
        "could not decide whether a drop rule takes precedence: {} ({message})",
        unknown.reason
    )
}

/// The inbound permissions `resource` declares.
fn permissions(resource: &Resource) -> Vec<Ingress<'_>> {
    match resource.resource_type.as_str() {
        alicloud::SECURITY_GROUP_RULE => vec![alicloud::security_group_rule(resource)],
        aws::SECURITY_GROUP => aws::security_group(resource),
        aws::SECURITY_GROUP_RULE => vec![aws::security_group_rule(resource)],
        aws::VPC_INGRESS_RULE => vec![aws::vpc_ingress_rule(resource)],
        ros::SECURITY_GROUP => ros::security_group(resource),
        ros::SECURITY_GROUP_INGRESS => vec![ros::security_group_ingress(resource)],
        ros::SECURITY_GROUP_INGRESSES => ros::security_group_ingresses(resource),
        _ => Vec::new(),
    }
}
