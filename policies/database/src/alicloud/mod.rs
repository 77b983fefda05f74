//! Alibaba Cloud Terraform resources (provider `aliyun/alicloud`): the database types,
//! their whitelists ([`whitelist`]), the resources that give them a public endpoint
//! ([`endpoint`]), their encryption at rest ([`encryption`]) and Redis authentication
//! ([`auth`]).

pub mod auth;
pub mod encryption;
pub mod endpoint;
pub mod whitelist;

use palisade_policy::{Resource, Unknown};

/// `alicloud_db_instance`: an ApsaraDB RDS instance.
pub const DB_INSTANCE: &str = "alicloud_db_instance";
/// `alicloud_polardb_cluster`: a PolarDB cluster.
pub const POLARDB_CLUSTER: &str = "alicloud_polardb_cluster";
/// `alicloud_kvstore_instance`: a Tair (Redis) or Memcache instance.
pub const KVSTORE_INSTANCE: &str = "alicloud_kvstore_instance";
/// `alicloud_redis_tair_instance`: a Tair (Enterprise Edition) instance.
pub const REDIS_TAIR_INSTANCE: &str = "alicloud_redis_tair_instance";
/// `alicloud_mongodb_instance`: a MongoDB replica set instance.
pub const MONGODB_INSTANCE: &str = "alicloud_mongodb_instance";
/// `alicloud_mongodb_sharding_instance`: a MongoDB sharded cluster instance.
pub const MONGODB_SHARDING_INSTANCE: &str = "alicloud_mongodb_sharding_instance";
/// `alicloud_db_connection`: the public endpoint of an RDS instance.
pub const DB_CONNECTION: &str = "alicloud_db_connection";
/// `alicloud_polardb_endpoint_address`: a public address of a PolarDB endpoint.
pub const POLARDB_ENDPOINT_ADDRESS: &str = "alicloud_polardb_endpoint_address";
/// `alicloud_kvstore_connection`: the public endpoint of a KVStore instance.
pub const KVSTORE_CONNECTION: &str = "alicloud_kvstore_connection";
/// `alicloud_mongodb_public_network_address`: the public endpoint of a MongoDB instance.
pub const MONGODB_PUBLIC_NETWORK_ADDRESS: &str = "alicloud_mongodb_public_network_address";
/// `alicloud_mongodb_sharding_network_public_address`: a public endpoint of a node of a
/// MongoDB sharded cluster.
pub const MONGODB_SHARDING_PUBLIC_ADDRESS: &str =
    "alicloud_mongodb_sharding_network_public_address";

/// Whether a KVStore instance is Memcache (`instance_type`, default `Redis`), to which
/// Redis settings (password-free access, TDE) do not apply.
pub fn is_memcache(instance: &Resource) -> Result<bool, Unknown<'_>> {
    let engine = instance
        .get("instance_type")
        .text()
        .with_default("Redis".into())?;
    Ok(engine.trim().eq_ignore_ascii_case("memcache"))
}
