//! AWS Terraform counterparts of the encryption-at-rest rule (`hashicorp/aws`):
//!
//! - `aws_db_instance.storage_encrypted` (default false; Checkov CKV_AWS_16);
//! - `aws_rds_cluster.storage_encrypted` (default false for the `provisioned`
//!   `engine_mode`, true for `serverless`; CKV_AWS_96);
//! - `aws_docdb_cluster.storage_encrypted` (default false; CKV_AWS_74);
//! - `aws_elasticache_replication_group.at_rest_encryption_enabled` (default false for
//!   `engine` `redis`, the default engine, true for `valkey`; CKV_AWS_29).
//!
//! A database created from a snapshot, as a replica of another or as a member of a global
//! replication group takes that source's encryption when its flag is omitted, which the
//! configuration does not show: a note.

use palisade_policy::{Attr, AttrPath, Resource, Unknown};

use crate::encryption::{AtRest, Setting};
use crate::flag;

/// `aws_db_instance`: an RDS DB instance.
pub const DB_INSTANCE: &str = "aws_db_instance";
/// `aws_rds_cluster`: an Aurora (or Multi-AZ) DB cluster.
pub const RDS_CLUSTER: &str = "aws_rds_cluster";
/// `aws_docdb_cluster`: a DocumentDB cluster.
pub const DOCDB_CLUSTER: &str = "aws_docdb_cluster";
/// `aws_elasticache_replication_group`: an ElastiCache Redis OSS or Valkey group.
pub const ELASTICACHE_REPLICATION_GROUP: &str = "aws_elasticache_replication_group";

/// Whether `resource` is encrypted at rest, if it is an AWS database type.
pub fn at_rest(resource: &Resource) -> Option<AtRest> {
    let (flag_name, sources): (&str, &[(&str, &str)]) = match resource.resource_type.as_str() {
        DB_INSTANCE => (
            "storage_encrypted",
            &[
                ("replicate_source_db", "a replica of"),
                ("snapshot_identifier", "restored from snapshot"),
            ],
        ),
        RDS_CLUSTER => (
            "storage_encrypted",
            &[
                ("replication_source_identifier", "a replica of"),
                ("snapshot_identifier", "restored from snapshot"),
            ],
        ),
        DOCDB_CLUSTER => (
            "storage_encrypted",
            &[("snapshot_identifier", "restored from snapshot")],
        ),
        ELASTICACHE_REPLICATION_GROUP => (
            "at_rest_encryption_enabled",
            &[(
                "global_replication_group_id",
                "a member of global replication group",
            )],
        ),
        _ => return None,
    };
    let field = resource.get(flag_name);
    let value = flag::boolean(resource, &field);
    if value.is_absent() {
        for (source, how) in sources {
            let source = resource.get(source);
            match source.text() {
                Attr::Known(id) if !id.trim().is_empty() => {
                    return Some(inherited(source.path(), flag_name, &format!("{how} {id}")));
                }
                Attr::Unknown(unknown) => {
                    let how = format!("{how} {}", unknown.reason);
                    return Some(inherited(source.path(), flag_name, &how));
                }
                Attr::Known(_) | Attr::Absent => {}
            }
        }
        match default_on(resource) {
            Ok(true) => return Some(AtRest::Pass),
            Ok(false) => {}
            Err(unknown) => return Some(AtRest::undecided(&unknown)),
        }
    }
    let omitted = match resource.resource_type.as_str() {
        ELASTICACHE_REPLICATION_GROUP => "is not set and defaults to false for engine redis",
        RDS_CLUSTER => {
            "is not set and defaults to false (true only for `engine_mode = \"serverless\"`)"
        }
        _ => "is not set and defaults to false",
    };
    Some(AtRest::any([Setting::switch(&field, value, omitted)]))
}

/// Whether the type's default encrypts this resource when its flag is omitted: Aurora
/// Serverless v1 clusters (`engine_mode = "serverless"`) and Valkey replication groups.
fn default_on(resource: &Resource) -> Result<bool, Unknown<'_>> {
    let (key, default, on) = match resource.resource_type.as_str() {
        RDS_CLUSTER => ("engine_mode", "provisioned", "serverless"),
        ELASTICACHE_REPLICATION_GROUP => ("engine", "redis", "valkey"),
        _ => return Ok(false),
    };
    let value = resource.get(key).text().with_default(default.into())?;
    Ok(value.trim().eq_ignore_ascii_case(on))
}

/// The note for a database that takes its encryption from `source`.
fn inherited(at: &AttrPath, flag_name: &str, source: &str) -> AtRest {
    AtRest::Undecided {
        at: at.clone(),
        message: format!(
            "could not decide: the database is {source} and takes its encryption from it; \
             set `{flag_name}` to decide"
        ),
    }
}
