//! `db-unencrypted-at-rest`: database storage is encrypted at rest.
//!
//! The provider modules read each database's encryption settings; `encryption` decides
//! them the same way for all.

use palisade_policy::{Evaluation, Resource, Rule, Severity};

use crate::encryption::AtRest;
use crate::whitelist::and_list;
use crate::{alicloud, aws, ros};

/// The rule this file holds.
pub const RULE: Rule = Rule {
    id: "db-unencrypted-at-rest",
    title: "Database storage is encrypted at rest",
    severity: Severity::High,
    description: "A database fails unless its storage is encrypted: RDS with TDE \
        (`tde_status`) or cloud disk encryption (`encryption_key`); PolarDB, Tair/Redis and \
        memory-optimized Tair with TDE; MongoDB with TDE or cloud disk encryption (`encrypted`); and the AWS \
        counterparts with `storage_encrypted` (RDS instances and clusters, DocumentDB) or \
        `at_rest_encryption_enabled` (ElastiCache replication groups). Every one of these \
        is off unless the template turns it on, so data files, backups and snapshots are \
        kept in clear, readable by anyone who obtains a copy; encrypting with KMS also \
        puts the data under key access control and audit.",
    remediation: "Turn on TDE (`tde_status = \"Enabled\"`, MongoDB `\"enabled\"`; ROS \
        `TDEStatus: true`; Tair `tde_status = \"enabled\"`) or disk encryption with a KMS key (`encryption_key` on RDS \
        MySQL, PostgreSQL and SQL Server; `encrypted = true` on MongoDB; ROS \
        `EncryptionKey`, `Encrypted: true`). On AWS set `storage_encrypted = true` or \
        `at_rest_encryption_enabled = true`, optionally with `kms_key_id`. These settings \
        are fixed at creation on most engines: plan the replacement.",
    documentation: include_str!("db-unencrypted-at-rest.md"),
    resource_types: &[
        alicloud::DB_INSTANCE,
        alicloud::POLARDB_CLUSTER,
        alicloud::KVSTORE_INSTANCE,
        alicloud::REDIS_TAIR_INSTANCE,
        alicloud::MONGODB_INSTANCE,
        alicloud::MONGODB_SHARDING_INSTANCE,
        aws::DB_INSTANCE,
        aws::RDS_CLUSTER,
        aws::DOCDB_CLUSTER,
        aws::ELASTICACHE_REPLICATION_GROUP,
        ros::RDS_DB_INSTANCE,
        ros::RDS_PREPAY_DB_INSTANCE,
        ros::POLARDB_DB_CLUSTER,
        ros::MONGODB_INSTANCE,
        ros::MONGODB_SHARDING_INSTANCE,
    ],
};

/// Decides the encryption at rest of every database resource.
pub fn evaluate(resources: &[&Resource]) -> Evaluation {
    let mut evaluation = Evaluation::default();
    for &resource in resources {
        let at_rest = alicloud::encryption::at_rest(resource)
            .or_else(|| aws::at_rest(resource))
            .or_else(|| ros::encryption::at_rest(resource));
        match at_rest {
            None | Some(AtRest::Pass) => {}
            Some(AtRest::Unencrypted { at, why }) => {
                let why: Vec<&str> = why.iter().map(String::as_str).collect();
                let message = format!("storage is not encrypted at rest: {}", and_list(&why));
                evaluation.fail(&RULE, resource, &at, message);
            }
            Some(AtRest::Undecided { at, message }) => {
                evaluation.note(&RULE, resource, &at, message);
            }
        }
    }
    evaluation
}
