//! Alibaba Cloud ROS resources (attributes are the `Properties`): the database types,
//! their whitelists ([`whitelist`]), what gives them a public endpoint ([`endpoint`]),
//! their encryption at rest ([`encryption`]) and Redis authentication ([`auth`]).
//!
//! Property names and types were checked in the ROS resource reference and the ROS
//! CDK's generated property lists (`DBInstanceProps`, `PrepayDBInstanceProps`,
//! `DBInstanceSecurityIpsProps`, `DBClusterProps`, `DBClusterAccessWhiteListProps`,
//! `DBClusterEndpointAddressProps`, Redis `InstanceProps`, `PrepayInstanceProps`,
//! `WhitelistProps`, `ConnectionProps`, MongoDB `InstanceProps`,
//! `ShardingInstanceProps`, `ServerlessInstanceProps`,
//! `ShardingNetworkPublicAddressProps`).

pub mod auth;
pub mod encryption;
pub mod endpoint;
pub mod whitelist;

/// `ALIYUN::RDS::DBInstance`: an ApsaraDB RDS instance.
pub const RDS_DB_INSTANCE: &str = "ALIYUN::RDS::DBInstance";
/// `ALIYUN::RDS::PrepayDBInstance`: a subscription ApsaraDB RDS instance.
pub const RDS_PREPAY_DB_INSTANCE: &str = "ALIYUN::RDS::PrepayDBInstance";
/// `ALIYUN::RDS::DBInstanceSecurityIps`: a whitelist group of an RDS instance.
pub const RDS_SECURITY_IPS: &str = "ALIYUN::RDS::DBInstanceSecurityIps";
/// `ALIYUN::RDS::Connection`: a public endpoint of an RDS instance.
pub const RDS_CONNECTION: &str = "ALIYUN::RDS::Connection";
/// `ALIYUN::POLARDB::DBCluster`: a PolarDB cluster.
pub const POLARDB_DB_CLUSTER: &str = "ALIYUN::POLARDB::DBCluster";
/// `ALIYUN::POLARDB::DBClusterAccessWhiteList`: a whitelist group of a PolarDB cluster.
pub const POLARDB_ACCESS_WHITELIST: &str = "ALIYUN::POLARDB::DBClusterAccessWhiteList";
/// `ALIYUN::POLARDB::DBClusterEndpointAddress`: an address of a PolarDB endpoint.
pub const POLARDB_ENDPOINT_ADDRESS: &str = "ALIYUN::POLARDB::DBClusterEndpointAddress";
/// `ALIYUN::REDIS::Instance`: a Tair (Redis) instance.
pub const REDIS_INSTANCE: &str = "ALIYUN::REDIS::Instance";
/// `ALIYUN::REDIS::PrepayInstance`: a subscription Tair (Redis) instance.
pub const REDIS_PREPAY_INSTANCE: &str = "ALIYUN::REDIS::PrepayInstance";
/// `ALIYUN::REDIS::Whitelist`: a whitelist group of a Redis instance.
pub const REDIS_WHITELIST: &str = "ALIYUN::REDIS::Whitelist";
/// `ALIYUN::REDIS::Connection`: a public or direct endpoint of a Redis instance.
pub const REDIS_CONNECTION: &str = "ALIYUN::REDIS::Connection";
/// `ALIYUN::MONGODB::Instance`: a MongoDB replica set instance.
pub const MONGODB_INSTANCE: &str = "ALIYUN::MONGODB::Instance";
/// `ALIYUN::MONGODB::ShardingInstance`: a MongoDB sharded cluster instance.
pub const MONGODB_SHARDING_INSTANCE: &str = "ALIYUN::MONGODB::ShardingInstance";
/// `ALIYUN::MONGODB::ServerlessInstance`: a MongoDB Serverless instance.
pub const MONGODB_SERVERLESS_INSTANCE: &str = "ALIYUN::MONGODB::ServerlessInstance";
/// `ALIYUN::MONGODB::ShardingNetworkPublicAddress`: a public endpoint of a node of a
/// MongoDB sharded cluster.
pub const MONGODB_SHARDING_PUBLIC_ADDRESS: &str = "ALIYUN::MONGODB::ShardingNetworkPublicAddress";
