//! The whitelists of the Alibaba Cloud database types.
//!
//! - `alicloud_db_instance.security_ips` (Optional+Computed: omitted adds no entry),
//!   applied with `modify_mode` (`Cover` by default, `Append` or `Delete`).
//! - `alicloud_polardb_cluster`: each `db_cluster_ip_array` block's `security_ips`, with
//!   the block's `modify_mode`, and the top-level `security_ips` (deprecated since 1.130.0,
//!   the `default` group).
//! - `alicloud_kvstore_instance.security_ips` (Optional+Computed).
//! - `alicloud_redis_tair_instance.security_ips` (Optional+Computed, one comma string),
//!   applied with `modify_mode` (`Cover` by default, `Append` or `Delete`).
//! - `alicloud_mongodb_instance` and `alicloud_mongodb_sharding_instance`:
//!   `security_ip_list` (Optional+Computed, the `default` group) and each
//!   `security_ip_groups` block's `security_ip_list`, a comma string.

use palisade_policy::Resource;

use super::{
    DB_INSTANCE, KVSTORE_INSTANCE, MONGODB_INSTANCE, MONGODB_SHARDING_INSTANCE, POLARDB_CLUSTER,
    REDIS_TAIR_INSTANCE,
};
use crate::whitelist::{Whitelist, Whitelists};

/// The whitelists `resource` declares, if it is an Alibaba Cloud database type.
pub fn whitelists(resource: &Resource) -> Option<Whitelists<'_>> {
    let mut lists = Whitelists::default();
    match resource.resource_type.as_str() {
        DB_INSTANCE | REDIS_TAIR_INSTANCE => lists.lists.push(Whitelist {
            field: resource.get("security_ips"),
            mode: Some(resource.get("modify_mode")),
        }),
        POLARDB_CLUSTER => {
            for block in lists.blocks(&resource.get("db_cluster_ip_array")) {
                lists.lists.push(Whitelist {
                    field: block.get("security_ips"),
                    mode: Some(block.get("modify_mode")),
                });
            }
            lists.push(resource.get("security_ips"));
        }
        KVSTORE_INSTANCE => lists.push(resource.get("security_ips")),
        MONGODB_INSTANCE | MONGODB_SHARDING_INSTANCE => {
            lists.push(resource.get("security_ip_list"));
            for block in lists.blocks(&resource.get("security_ip_groups")) {
                lists.push(block.get("security_ip_list"));
            }
        }
        _ => return None,
    }
    Some(lists)
}
