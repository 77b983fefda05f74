//! What every rule of the family starts from: the inbound permissions of the security
//! group resources it is given, the ones that accept traffic from the whole internet,
//! and the Alibaba drop rules that may take precedence over them.

use palisade_policy::cloud::cidr::Cidr;
use palisade_policy::{AttrPath, Evaluation, Field, Resource, Rule, Severity, Unknown};

use crate::ingress::{Action, Ingress, Traffic};
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

/// The permissions of one evaluation's resources.
pub struct Exposures<'a> {
    permissions: Vec<Ingress<'a>>,
    /// Only Alibaba rules that may drop can take precedence over an accept: weighing
    /// those alone keeps a configuration of thousands of rules linear in practice.
    drops: Vec<usize>,
}

/// One world-open source of an accepting inbound permission, with what the rule's
/// relevance test found in the permission (`T`: the ports, the protocol).
pub struct Open<'p, 'a, T = ()> {
    pub permission: &'p Ingress<'a>,
    pub found: T,
    pub source: &'p Field<'a>,
    /// The source as written, trimmed: `0.0.0.0/0`, `::/0`.
    pub cidr: String,
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

impl<'a> Exposures<'a> {
    /// Reads the permissions of `resources`.
    pub fn read(resources: &[&'a Resource]) -> Self {
        let permissions: Vec<Ingress<'a>> =
            resources.iter().copied().flat_map(permissions).collect();
        let drops = permissions
            .iter()
            .enumerate()
            .filter(|(_, p)| p.precedence.is_some() && p.action != Ok(Action::Accept))
            .map(|(i, _)| i)
            .collect();
        Self { permissions, drops }
    }

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
        for permission in &self.permissions {
            // Most permissions are not the rule's (another port, protocol or service):
            // decided before any source is read.
            let found = match relevant(permission) {
                Ok(None) => continue,
                Ok(Some(found)) => Ok(found),
                Err(unknown) => Err(unknown),
            };
            for source in &permission.sources {
                let decided = palisade_policy::logic::all([
                    permission.accepts_from_world(source),
                    found.as_ref().map(|_| true).map_err(Clone::clone),
                ]);
                match (decided, &found) {
                    (Ok(false), _) => {}
                    (Err(unknown), _) => evaluation.undecided(rule, permission.resource, &unknown),
                    (Ok(true), Err(_)) => {}
                    (Ok(true), Ok(found)) => {
                        let Some(text) = source.text().known() else {
                            continue;
                        };
                        let cidr = text.trim().to_owned();
                        let Some(parsed) = Cidr::parse(&cidr) else {
                            continue;
                        };
                        open.push(Open {
                            permission,
                            found: found.clone(),
                            source,
                            cidr,
                            parsed,
                        });
                    }
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
        for &index in &self.drops {
            let candidate = &self.permissions[index];
            match candidate.shadows(open.permission, &open.parsed, traffic) {
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
