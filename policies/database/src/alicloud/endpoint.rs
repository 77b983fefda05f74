//! The public endpoints of the Alibaba Cloud database types: a resource of its own per
//! engine, naming the database, and the deprecated `enable_public` of KVStore.
//!
//! - `alicloud_db_connection.instance_id` (an RDS Internet connection string);
//! - `alicloud_polardb_endpoint_address.db_cluster_id`, public when `net_type` is
//!   `Public` (the default and only value);
//! - `alicloud_kvstore_connection.instance_id`;
//! - `alicloud_mongodb_public_network_address.db_instance_id`;
//! - `alicloud_mongodb_sharding_network_public_address.db_instance_id` (a node of a
//!   sharded cluster);
//! - `alicloud_kvstore_instance.enable_public` (deprecated since 1.101.0).

use palisade_policy::{Attr, Resource, Unknown};

use super::{
    DB_CONNECTION, DB_INSTANCE, KVSTORE_CONNECTION, KVSTORE_INSTANCE, MONGODB_INSTANCE,
    MONGODB_PUBLIC_NETWORK_ADDRESS, MONGODB_SHARDING_INSTANCE, MONGODB_SHARDING_PUBLIC_ADDRESS,
    POLARDB_CLUSTER, POLARDB_ENDPOINT_ADDRESS, REDIS_TAIR_INSTANCE,
};
use crate::endpoint::Allocation;

/// The public endpoint `resource` allocates, if it is an Alibaba Cloud endpoint type.
pub fn allocation(resource: &Resource) -> Option<Allocation<'_>> {
    let (database, public) = match resource.resource_type.as_str() {
        DB_CONNECTION | KVSTORE_CONNECTION => (resource.get("instance_id"), Ok(true)),
        MONGODB_PUBLIC_NETWORK_ADDRESS | MONGODB_SHARDING_PUBLIC_ADDRESS => {
            (resource.get("db_instance_id"), Ok(true))
        }
        POLARDB_ENDPOINT_ADDRESS => {
            let net_type = resource
                .get("net_type")
                .text()
                .with_default("Public".into());
            let public = net_type.map(|net| net.trim().eq_ignore_ascii_case("public"));
            (resource.get("db_cluster_id"), public)
        }
        _ => return None,
    };
    Some(Allocation {
        database: database.target(),
        public,
        by: &resource.address,
    })
}

/// The public endpoint a database's own attributes allocate, if it is an Alibaba Cloud
/// database type: `Some(Ok(None))` when they allocate none.
pub fn inline(database: &Resource) -> Option<Result<Option<String>, Unknown<'_>>> {
    match database.resource_type.as_str() {
        KVSTORE_INSTANCE => Some(match database.get("enable_public").bool() {
            Attr::Known(true) => Ok(Some("`enable_public` is true".to_owned())),
            Attr::Known(false) | Attr::Absent => Ok(None),
            Attr::Unknown(unknown) => Err(unknown),
        }),
        DB_INSTANCE
        | POLARDB_CLUSTER
        | REDIS_TAIR_INSTANCE
        | MONGODB_INSTANCE
        | MONGODB_SHARDING_INSTANCE => Some(Ok(None)),
        _ => None,
    }
}
