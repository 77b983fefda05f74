//! One ingress permission, whatever resource declares it: whether it accepts traffic
//! from the whole internet, which traffic, and which drop rules take precedence over it.

use palisade_policy::cloud::cidr::Cidr;
use palisade_policy::cloud::ports::PortRange;
use palisade_policy::cloud::protocol::Protocol;
use palisade_policy::logic::{self, Decision};
use palisade_policy::{Attr, AttrPath, Field, Resource, Target, Unknown};

/// The traffic a rule asks about, which a drop rule must cover to take precedence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Traffic {
    /// TCP to one port (SSH 22, RDP 3389, a database's port).
    TcpPort(u16),
    /// Every port of a protocol, or every protocol (`Protocol::All`).
    EveryPort(Protocol),
}

/// What a matching rule does with traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Lets the traffic in (Alibaba `accept`, every AWS rule).
    Accept,
    /// Drops it (Alibaba `drop`).
    Drop,
}

/// One inbound permission as the rule sees it. Provider modules fill it in, reading
/// each attribute once; everything is three-valued so unknowns stay unknown.
pub struct Ingress<'a> {
    /// The resource that declares the permission; findings go on it.
    pub resource: &'a Resource,
    /// Whether it applies to inbound traffic (`type = "ingress"`).
    pub inbound: Decision<'a>,
    /// What it does with matching traffic.
    pub action: Result<Action, Unknown<'a>>,
    /// The IP protocol it matches.
    pub protocol: Result<Protocol, Unknown<'a>>,
    /// The destination ports it matches (ignored for all protocols).
    pub ports: Result<PortRange, Unknown<'a>>,
    /// Its CIDR sources, IPv4 and IPv6, each at its own path. Sources that are security
    /// groups or prefix lists are not listed: they are never the whole internet.
    pub sources: Vec<Field<'a>>,
    /// Alibaba Cloud only: how it ranks against other rules of its security group.
    pub precedence: Option<Precedence<'a>>,
    /// What limits it to part of the traffic its source, protocol and ports match (ROS
    /// `DestCidrIp`, `SourcePortRange`): such a drop rule does not stop the rest.
    pub narrowing: Vec<Narrowing<'a>>,
    /// The nested block that declares the permission (`ingress[1]` of an
    /// `aws_security_group`): findings point at the block, whose message names the
    /// CIDR, as the block is what a reader fixes. `None`: at the CIDR attribute.
    pub block: Option<AttrPath>,
}

/// An attribute that can limit a rule to part of the traffic it otherwise matches.
pub enum Narrowing<'a> {
    /// A destination CIDR (`DestCidrIp`, `Ipv6DestCidrIp`): only some of the group's
    /// instances.
    Destination(Field<'a>),
    /// A source port range (`SourcePortRange`): only some source ports.
    SourcePorts(Field<'a>),
}

impl<'a> Narrowing<'a> {
    /// Whether it limits the rule; unknown when its value is.
    fn narrows(&self) -> Decision<'a> {
        let (field, whole): (&Field<'a>, fn(&str) -> bool) = match self {
            Narrowing::Destination(field) => (field, |value| {
                Cidr::parse(value).is_some_and(|cidr| cidr.is_world())
            }),
            Narrowing::SourcePorts(field) => (field, |value| matches!(value, "-1/-1" | "1/65535")),
        };
        match field.text() {
            Attr::Known(value) if value.trim().is_empty() => Ok(false),
            Attr::Known(value) => Ok(!whole(value.trim())),
            Attr::Absent => Ok(false),
            Attr::Unknown(unknown) => Err(unknown),
        }
    }
}

/// Where an Alibaba Cloud rule stands among the rules of its security group.
pub struct Precedence<'a> {
    /// The security group (`security_group_id`, `SecurityGroupId`, or the group that
    /// holds the rule inline).
    pub group: Attr<'a, Target<'a>>,
    /// 1 (first) to 100; a drop rule wins over an accept rule of the same priority.
    pub priority: Result<i64, Unknown<'a>>,
}

impl<'a> Ingress<'a> {
    /// Where a finding about `source` points.
    pub fn location<'f>(&'f self, source: &'f Field<'a>) -> &'f AttrPath {
        self.block.as_ref().unwrap_or(source.path())
    }

    /// Whether this permission lets traffic in from the whole internet through `source`:
    /// inbound, accepting, and the source world-open.
    pub fn accepts_from_world(&self, source: &Field<'a>) -> Decision<'a> {
        logic::all([
            self.inbound.clone(),
            self.action.clone().map(|action| action == Action::Accept),
            world_open(source),
        ])
    }

    /// Whether this permission matches TCP traffic to `port` (every protocol does).
    pub fn matches_tcp_port(&self, port: u16) -> Decision<'a> {
        match &self.protocol {
            Ok(Protocol::All) => Ok(true),
            Ok(protocol) if protocol.includes_tcp() => {
                self.ports.clone().map(|ports| ports.contains(port))
            }
            Ok(_) => Ok(false),
            Err(unknown) => Err(unknown.clone()),
        }
    }

    /// The TCP port range of a TCP permission that opens some ports but not all, which
    /// the single-service rules (RDP, databases) judge; `None` for any other permission
    /// (every protocol, every port, UDP, ICMP), which they leave to the others.
    pub fn some_tcp_ports(&self) -> Result<Option<PortRange>, Unknown<'a>> {
        match &self.protocol {
            Ok(Protocol::Tcp) => self
                .ports
                .clone()
                .map(|ports| (!ports.is_all()).then_some(ports)),
            Ok(_) => Ok(None),
            Err(unknown) => Err(unknown.clone()),
        }
    }

    /// What the permission opens when it is every port of TCP or UDP, or every protocol;
    /// `None` for a narrower one. ICMP, ICMPv6 and GRE carry no ports.
    pub fn every_port(&self) -> Result<Option<Protocol>, Unknown<'a>> {
        match &self.protocol {
            Ok(Protocol::All) => Ok(Some(Protocol::All)),
            Ok(protocol @ (Protocol::Tcp | Protocol::Udp)) => self
                .ports
                .clone()
                .map(|ports| ports.is_all().then(|| protocol.clone())),
            Ok(_) => Ok(None),
            Err(unknown) => Err(unknown.clone()),
        }
    }

    /// Whether this permission matches all of `traffic`.
    fn matches(&self, traffic: &Traffic) -> Decision<'a> {
        match traffic {
            Traffic::TcpPort(port) => self.matches_tcp_port(*port),
            Traffic::EveryPort(wanted) => match (&self.protocol, &self.ports) {
                (Ok(Protocol::All), _) => Ok(true),
                (Ok(_), _) if *wanted == Protocol::All => Ok(false),
                (Ok(protocol), Ok(ports)) => Ok(protocol == wanted && ports.is_all()),
                (Err(unknown), _) | (_, Err(unknown)) => Err(unknown.clone()),
            },
        }
    }

    /// How the permission reaches the service, for messages: "all protocols and ports",
    /// "all TCP ports", "TCP ports 20-30".
    pub fn reach(&self) -> String {
        match (&self.protocol, &self.ports) {
            (Ok(Protocol::All), _) => "all protocols and ports".to_owned(),
            (Ok(protocol), Ok(ports)) if ports.is_all() => format!("all {protocol} ports"),
            (Ok(protocol), Ok(ports)) => format!("{protocol} {ports}"),
            _ => "an undetermined protocol or port range".to_owned(),
        }
    }

    /// Whether the permission exposes every TCP port (every protocol does).
    pub fn opens_every_tcp_port(&self) -> bool {
        matches!(self.every_port(), Ok(Some(Protocol::All | Protocol::Tcp)))
    }

    /// Whether this drop rule takes precedence over `accept` for `traffic` from every
    /// address of `source` (both Alibaba rules of the same group); `read` is this rule's
    /// [`DropReading`].
    pub fn shadows(
        &self,
        read: &DropReading<'a>,
        accept: &Ingress<'a>,
        source: &Cidr,
        traffic: &Traffic,
    ) -> Decision<'a> {
        let (Some(mine), Some(theirs)) = (&self.precedence, &accept.precedence) else {
            return Ok(false);
        };
        // Weighed against every accept of the evaluation: the conditions are decided in
        // turn (`logic::all` stops at the first known false), so a drop rule of another
        // group costs one comparison.
        let conditions: [&dyn Fn() -> Decision<'a>; 7] = [
            &|| same_group(&mine.group, &theirs.group),
            &|| self.inbound.clone(),
            &|| self.action.clone().map(|action| action == Action::Drop),
            &|| match (&mine.priority, &theirs.priority) {
                (Ok(drop), Ok(accept)) => Ok(drop <= accept),
                (Err(unknown), _) | (_, Err(unknown)) => Err(unknown.clone()),
            },
            &|| self.matches(traffic),
            &|| {
                logic::any(read.sources.iter().map(|cidr| match cidr {
                    Ok(cidr) => Ok(cidr.is_some_and(|cidr| cidr.covers(source))),
                    Err(unknown) => Err(unknown.clone()),
                }))
            },
            // A drop limited to some destinations or source ports lets the rest through.
            &|| read.narrowed.clone().map(|narrowed| !narrowed),
        ];
        logic::all(conditions.iter().map(|condition| condition()))
    }
}

/// What a drop rule is weighed by against every accept, parsed once: its CIDR sources
/// (`None`: absent or not a CIDR) and whether something narrows it.
pub struct DropReading<'a> {
    sources: Vec<Result<Option<Cidr>, Unknown<'a>>>,
    narrowed: Decision<'a>,
}

impl<'a> DropReading<'a> {
    /// Reads `drop`'s sources and narrowing attributes.
    pub fn of(drop: &Ingress<'a>) -> Self {
        let sources = drop
            .sources
            .iter()
            .map(|field| match field.text() {
                Attr::Known(cidr) => Ok(Cidr::parse(&cidr)),
                Attr::Absent => Ok(None),
                Attr::Unknown(unknown) => Err(unknown),
            })
            .collect();
        Self {
            sources,
            narrowed: logic::any(drop.narrowing.iter().map(Narrowing::narrows)),
        }
    }
}

/// Whether a CIDR source is the whole internet; an absent source is not.
pub fn world_open<'a>(source: &Field<'a>) -> Decision<'a> {
    match source.text() {
        Attr::Known(cidr) if cidr.trim().is_empty() => Ok(false),
        Attr::Known(cidr) => match Cidr::parse(&cidr) {
            Some(parsed) => Ok(parsed.is_world()),
            // The provider refuses it at plan time; say so rather than guess.
            None => Err(source.unknown(format!("`{}` is not a CIDR block", cidr.trim()))),
        },
        Attr::Absent => Ok(false),
        Attr::Unknown(unknown) => Err(unknown),
    }
}

fn same_group<'a>(a: &Attr<'a, Target<'a>>, b: &Attr<'a, Target<'a>>) -> Decision<'a> {
    match (a, b) {
        (Attr::Known(a), Attr::Known(b)) => Ok(a == b),
        (Attr::Unknown(unknown), _) | (_, Attr::Unknown(unknown)) => Err(unknown.clone()),
        (Attr::Absent, _) | (_, Attr::Absent) => Ok(false),
    }
}

/// The elements of a list attribute (`cidr_blocks`, `ingress`): one field per element,
/// or the list itself when it is unknown as a whole (so that reading it says why).
pub fn list_elements<'a>(list: Field<'a>) -> Vec<Field<'a>> {
    match list.list() {
        Attr::Known(items) => items,
        Attr::Absent => Vec::new(),
        Attr::Unknown(_) => vec![list],
    }
}

/// A three-valued reading of a required text attribute: absent is unknown too, since
/// the provider would reject the configuration.
pub fn required_text<'a>(field: &Field<'a>) -> Result<std::borrow::Cow<'a, str>, Unknown<'a>> {
    field
        .text()
        .decide()?
        .ok_or_else(|| field.unknown(format!("`{}` is not set", field.path())))
}
