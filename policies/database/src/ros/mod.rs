//! Alibaba Cloud ROS resources (attributes are the `Properties`): the database types,
//! their whitelists ([`whitelist`]), what gives them a public endpoint ([`endpoint`]),
//! their encryption at rest ([`encryption`]) and Redis authentication ([`auth`]).
//!
//! Property names and types were checked in the ROS resource reference and the ROS
//! CDK's generated property lists (`DBInstanceProps`, `DBClusterProps`,
//! `DBClusterAccessWhiteListProps`, `DBClusterEndpointAddressProps`, Redis
//! `InstanceProps`, `WhitelistProps`, `ConnectionProps`, MongoDB `InstanceProps`).

pub mod auth;
pub mod encryption;
pub mod endpoint;
pub mod whitelist;

/// `ALIYUN::RDS::DBInstance`: an ApsaraDB RDS instance.
pub const RDS_DB_INSTANCE: &str = "ALIYUN::RDS::DBInstance";
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
/// `ALIYUN::REDIS::Whitelist`: a whitelist group of a Redis instance.
pub const REDIS_WHITELIST: &str = "ALIYUN::REDIS::Whitelist";
/// `ALIYUN::REDIS::Connection`: a public or direct endpoint of a Redis instance.
pub const REDIS_CONNECTION: &str = "ALIYUN::REDIS::Connection";
/// `ALIYUN::MONGODB::Instance`: a MongoDB replica set instance.
pub const MONGODB_INSTANCE: &str = "ALIYUN::MONGODB::Instance";
