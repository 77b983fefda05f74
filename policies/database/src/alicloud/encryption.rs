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
//! - `alicloud_mongodb_instance`: TDE (`tde_status`, `enabled`/`disabled`, off unless
//!   set) or disk encryption (`encrypted`, default false; `cloud_disk_encryption_key`
//!   only chooses its key).

use palisade_policy::Resource;

use super::{DB_INSTANCE, KVSTORE_INSTANCE, MONGODB_INSTANCE, POLARDB_CLUSTER, is_memcache};
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
        KVSTORE_INSTANCE => {
            let tde = tde(TDE_OFF_UNLESS_SET);
            match is_memcache(resource) {
                Ok(true) => AtRest::Pass,
                Ok(false) => AtRest::any([tde]),
                Err(_) if matches!(tde, Setting::On) => AtRest::Pass,
                Err(unknown) => AtRest::undecided(&unknown),
            }
        }
        MONGODB_INSTANCE => {
            let encrypted = resource.get("encrypted");
            let omitted = if resource.get("cloud_disk_encryption_key").attr().is_absent() {
                "is not set and defaults to false"
            } else {
                "is not set and defaults to false (`cloud_disk_encryption_key` only chooses \
                 the key of the disk encryption that `encrypted` turns on)"
            };
            AtRest::any([
                tde(TDE_OFF_UNLESS_SET),
                Setting::switch(&encrypted, flag::boolean(resource, &encrypted), omitted),
            ])
        }
        _ => return None,
    })
}
