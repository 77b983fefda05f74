//! `open-db-port`: no security group rule may open a database or cache port to the
//! whole internet.
//!
//! A world-open TCP accept whose port range (not every port) holds one of the ports
//! below fails once, naming every exposed port; a port an Alibaba drop rule takes over
//! is left out of it, port by port.

use palisade_policy::family::Input;
use palisade_policy::{Evaluation, Rule, Severity};

use crate::exposure::{Exposures, RESOURCE_TYPES, dropped, undecided};
use crate::ingress::Traffic;

/// The database and cache ports checked, with the service each belongs to.
pub const DATABASE_PORTS: [(u16, &str); 8] = [
    (1433, "SQL Server"),
    (1521, "Oracle"),
    (3306, "MySQL"),
    (5432, "PostgreSQL"),
    (6379, "Redis"),
    (9200, "Elasticsearch"),
    (11211, "Memcached"),
    (27017, "MongoDB"),
];

/// The rule this file holds.
pub const RULE: Rule = Rule {
    id: "open-db-port",
    title: "Database ports are not open to the internet",
    severity: Severity::High,
    description: "An inbound security group rule fails when it accepts, from the whole \
        internet (0.0.0.0/0 or ::/0), TCP traffic to a database or cache port through a \
        port range that is not every port: MySQL 3306, SQL Server 1433, Oracle 1521, \
        PostgreSQL 5432, Redis 6379, MongoDB 27017, Elasticsearch 9200 or Memcached \
        11211. Databases reachable from every address are found by scanners within hours \
        and attacked through weak credentials, unauthenticated defaults and data-leaking \
        misconfigurations. Rules opening every port or every protocol are reported by \
        sg-all-ports-open instead; sources that are security groups or prefix lists, \
        egress rules and Alibaba Cloud rules overridden by a drop rule pass.",
    remediation: "Let only the application servers reach the database: use their \
        security group or their private range as the source, and connect from outside \
        through a VPN or a bastion host. Managed databases have their own whitelist for \
        this.",
    documentation: include_str!("open-db-port.md"),
    resource_types: RESOURCE_TYPES,
};

/// Decides every inbound permission of the security group resources, as the family
/// read them.
pub fn evaluate<'a>(input: &Input<'_, 'a, Exposures<'a>>) -> Evaluation {
    let exposures = input.shared();
    let mut evaluation = Evaluation::default();
    let open = exposures.world_open(&RULE, &mut evaluation, |permission| {
        Ok(permission.some_tcp_ports()?.filter(|ports| {
            DATABASE_PORTS
                .iter()
                .any(|(port, _)| ports.contains(*port))
        }))
    });
    for open in open {
        let ports = open.found;
        let via = format!("to {} via {}", open.cidr, open.permission.reach());
        let (resource, at) = (open.resource(), open.at());
        let mut exposed = Vec::new();
        for (port, service) in DATABASE_PORTS.iter().filter(|(p, _)| ports.contains(*p)) {
            let named = format!("{service} {port}");
            let alone = format!("{named} open {via}");
            match exposures.shadowing_drop(&open, &Traffic::TcpPort(*port)) {
                Ok(None) => exposed.push(named),
                Ok(Some(drop)) => evaluation.note(&RULE, resource, at, dropped(&alone, drop)),
                Err(unknown) => evaluation.note(&RULE, resource, at, undecided(&alone, &unknown)),
            }
        }
        if !exposed.is_empty() {
            let message = format!("{} open {via}", exposed.join(", "));
            evaluation.fail(&RULE, resource, at, message);
        }
    }
    evaluation
}
