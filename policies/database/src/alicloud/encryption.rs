//! Encryption at rest of the Alibaba Cloud database types.
//!
//! - `alicloud_db_instance`: TDE (`tde_status`, Optional+Computed, off unless set) or
//!   disk encryption (`encryption_key`, Optional+Computed, off unless set; the value
//!   `disabled` turns it off, and the provider ignores it for engines other than MySQL,
//!   PostgreSQL and SQL Server). `tde_encryption_key` only chooses TDE's key.
//! - `alicloud_polardb_cluster`: `tde_status`, default `Disabled` (`encryption_key` only
//!   chooses TDE's key).
//! - `alicloud_kvstore_instance`: `tde_status` (only `Enabled`; off unless set). A
//!   Memcache instance (`instance_type = "Memcache"`) has no TDE and keeps no data on
//!   disk: not judged.
//! - `alicloud_redis_tair_instance`: `tde_status` (only `enabled`; off unless set). Tair
//!   offers TDE on memory-optimized instances only (`instance_type = "tair_rdb"`); the
//!   persistent-memory and ESSD types have none and are not judged.
//! - `alicloud_mongodb_instance` and `alicloud_mongodb_sharding_instance`: TDE
//!   (`tde_status`, `enabled`/`disabled`, off unless set) or disk encryption (`encrypted`,
//!   default false; `cloud_disk_encryption_key` only chooses its key). The provider
//!   suppresses `tde_status` when `engine_version` sorts before `"4.0"`, so TDE written
//!   for MongoDB 3.4 turns nothing on.

use palisade_policy::{Attr, Resource, Unknown};

use super::{
    DB_INSTANCE, KVSTORE_INSTANCE, MONGODB_INSTANCE, MONGODB_SHARDING_INSTANCE, POLARDB_CLUSTER,
    REDIS_TAIR_INSTANCE, is_memcache,
};
use crate::encryption::{AtRest, Setting};
use crate::flag;

/// What a TDE status left out means where TDE is off until it is enabled.
const TDE_OFF_UNLESS_SET: &str = "is not set (TDE stays off until it is enabled)";

/// Whether `resource` is encrypted at rest, if it is an Alibaba Cloud database type.
pub fn at_rest(resource: &Resource) -> Option<AtRest> {
    let tde_field = resource.get("tde_status");
    let tde = |omitted| Setting::switch(&tde_field, flag::status(resource, &tde_field), omitted);
    Some(match resource.resource_type.as_str() {
        DB_INSTANCE => AtRest::any([
            tde(TDE_OFF_UNLESS_SET),
            Setting::rds_disk_key(&resource.get("encryption_key"), &resource.get("engine")),
        ]),
        POLARDB_CLUSTER => AtRest::any([tde("is not set and defaults to \"Disabled\"")]),
        KVSTORE_INSTANCE => where_tde_exists(
            tde(TDE_OFF_UNLESS_SET),
            is_memcache(resource).map(|memcache| !memcache),
        ),
        REDIS_TAIR_INSTANCE => where_tde_exists(tde(TDE_OFF_UNLESS_SET), tair_has_tde(resource)),
        MONGODB_INSTANCE | MONGODB_SHARDING_INSTANCE => {
            let encrypted = resource.get("encrypted");
            let omitted = if resource.get("cloud_disk_encryption_key").attr().is_absent() {
                "is not set and defaults to false"
            } else {
                "is not set and defaults to false (`cloud_disk_encryption_key` only chooses \
                 the key of the disk encryption that `encrypted` turns on)"
            };
            AtRest::any([
                mongodb_tde(resource, tde(TDE_OFF_UNLESS_SET)),
                Setting::switch(&encrypted, flag::boolean(resource, &encrypted), omitted),
            ])
        }
        _ => return None,
    })
}

/// A TDE setting judged only where the instance has TDE (`exists`): a Memcache or a
/// non-memory-optimized Tair instance has none and passes; when that is unknown, TDE
/// written on still passes.
fn where_tde_exists<'a>(tde: Setting<'a>, exists: Result<bool, Unknown<'a>>) -> AtRest {
    match exists {
        Ok(true) => AtRest::any([tde]),
        Ok(false) => AtRest::Pass,
        Err(_) if matches!(tde, Setting::On) => AtRest::Pass,
        Err(unknown) => AtRest::undecided(&unknown),
    }
}

/// Whether a Tair instance offers TDE: only the memory-optimized type (`tair_rdb`) does.
fn tair_has_tde(instance: &Resource) -> Result<bool, Unknown<'_>> {
    let kind = instance.get("instance_type").text().decide()?;
    Ok(kind.is_none_or(|kind| kind.trim().eq_ignore_ascii_case("tair_rdb")))
}

/// MongoDB TDE as the provider applies it: `tde_status` is suppressed when
/// `engine_version` sorts before `"4.0"` (the provider compares the strings), so TDE
/// written for an older engine is off, and with an unknown engine it is undecided.
fn mongodb_tde<'a>(instance: &'a Resource, tde: Setting<'a>) -> Setting<'a> {
    if !matches!(tde, Setting::On) {
        return tde;
    }
    let engine = instance.get("engine_version");
    match engine.text() {
        Attr::Known(version) if version.as_ref() < "4.0" => Setting::Off {
            at: Some(instance.get("tde_status").path().clone()),
            why: format!(
                "`tde_status` is ignored for `engine_version` {version:?} (the provider \
                 applies TDE from MongoDB 4.0)"
            ),
        },
        Attr::Unknown(unknown) => Setting::Unknown(unknown),
        Attr::Known(_) | Attr::Absent => tde,
    }
}
