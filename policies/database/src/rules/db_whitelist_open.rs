//! `db-whitelist-open`: no database whitelist may admit every address.
//!
//! The provider modules list each resource's whitelists; `whitelist` finds the
//! world-open entries, and `endpoint` says whether the template also gives the database
//! a public endpoint, which the finding reports without changing it.

use palisade_policy::{Evaluation, Resource, Rule, Severity};

use crate::endpoint::Endpoints;
use crate::whitelist::{Open, Whitelists};
use crate::{alicloud, ros};

/// The rule this file holds.
pub const RULE: Rule = Rule {
    id: "db-whitelist-open",
    title: "Database whitelists do not admit every address",
    severity: Severity::Critical,
    description: "An RDS, PolarDB, Tair/Redis (KVStore or Tair) or MongoDB instance fails when one \
        of its IP whitelists holds an entry open to every address: 0.0.0.0/0, ::/0 (any \
        block of prefix length 0) or the bare 0.0.0.0. The whitelist is the database's \
        network access control: open to everyone, the database is reachable from the \
        internet as soon as it has a public endpoint, and from every network connected to \
        its VPC meanwhile, leaving only the password between an attacker and the data. \
        The finding says whether the template allocates a public endpoint; an omitted \
        whitelist adds no entry and passes.",
    remediation: "List only the addresses and CIDR blocks of the clients that need the \
        database (application vSwitches, a bastion, an office range), such as \
        `security_ips = [\"10.0.1.0/24\"]` or `SecurityIPList: 10.0.1.0/24`, and remove \
        0.0.0.0/0, ::/0 and 0.0.0.0.",
    documentation: include_str!("db-whitelist-open.md"),
    resource_types: &[
        alicloud::DB_INSTANCE,
        alicloud::POLARDB_CLUSTER,
        alicloud::KVSTORE_INSTANCE,
        alicloud::REDIS_TAIR_INSTANCE,
        alicloud::MONGODB_INSTANCE,
        alicloud::MONGODB_SHARDING_INSTANCE,
        alicloud::DB_CONNECTION,
        alicloud::POLARDB_ENDPOINT_ADDRESS,
        alicloud::KVSTORE_CONNECTION,
        alicloud::MONGODB_PUBLIC_NETWORK_ADDRESS,
        alicloud::MONGODB_SHARDING_PUBLIC_ADDRESS,
        ros::RDS_DB_INSTANCE,
        ros::RDS_PREPAY_DB_INSTANCE,
        ros::RDS_SECURITY_IPS,
        ros::RDS_CONNECTION,
        ros::POLARDB_DB_CLUSTER,
        ros::POLARDB_ACCESS_WHITELIST,
        ros::POLARDB_ENDPOINT_ADDRESS,
        ros::REDIS_INSTANCE,
        ros::REDIS_PREPAY_INSTANCE,
        ros::REDIS_WHITELIST,
        ros::REDIS_CONNECTION,
        ros::MONGODB_INSTANCE,
        ros::MONGODB_SHARDING_INSTANCE,
        ros::MONGODB_SERVERLESS_INSTANCE,
        ros::MONGODB_SHARDING_PUBLIC_ADDRESS,
    ],
};

/// Decides every whitelist of the database resources.
pub fn evaluate(resources: &[&Resource]) -> Evaluation {
    let endpoints = Endpoints::read(resources);
    let mut evaluation = Evaluation::default();
    for &resource in resources {
        let Some(lists) = whitelists(resource) else {
            continue;
        };
        let verdict = lists.verdict();
        for (open, mode) in &verdict.deleted {
            let message = format!(
                "passes: {}, but `{mode}` is \"Delete\", which removes those entries",
                open.describe()
            );
            evaluation.note(&RULE, resource, mode, message);
        }
        if let Some(first) = verdict.open.first() {
            let open: Vec<String> = verdict.open.iter().map(Open::describe).collect();
            let public = endpoints.of(resource, lists.of.as_ref());
            let message = format!(
                "{}: the database accepts connections from any address; {}",
                open.join(" and "),
                public.describe()
            );
            evaluation.fail(&RULE, resource, &first.world[0].at, message);
        } else if let Some(unknown) = &verdict.unknown {
            evaluation.undecided(&RULE, resource, unknown);
        }
    }
    evaluation
}

/// The whitelists `resource` declares; `None` for types that only inform the rule (the
/// endpoint resources).
fn whitelists(resource: &Resource) -> Option<Whitelists<'_>> {
    alicloud::whitelist::whitelists(resource).or_else(|| ros::whitelist::whitelists(resource))
}
