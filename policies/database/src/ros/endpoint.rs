//! The public endpoints of the ROS database types.
//!
//! - `ALIYUN::RDS::DBInstance` and `ALIYUN::RDS::PrepayDBInstance`:
//!   `AllocatePublicConnection: true`, or `DBInstanceNetType: Internet` (the default is
//!   `Intranet`);
//! - `ALIYUN::RDS::Connection` (always public) for `DBInstanceId`;
//! - `ALIYUN::POLARDB::DBClusterEndpointAddress` for `DBClusterId`, public when `NetType`
//!   is `Public` (the default);
//! - `ALIYUN::REDIS::Instance` and `ALIYUN::REDIS::PrepayInstance`: a
//!   `Connections.PublicConnection`;
//! - `ALIYUN::REDIS::Connection` for `InstanceId`, public when `ConnectionType` is
//!   `Public` (`Direct` is a private direct connection).
//!
//! - `ALIYUN::MONGODB::ShardingNetworkPublicAddress` (always public) for the sharded
//!   cluster `DBInstanceId`.
//!
//! No ROS type is known to give a MongoDB replica set or Serverless instance a public
//! endpoint.

use palisade_policy::{Attr, Resource, Unknown};

use super::{
    MONGODB_INSTANCE, MONGODB_SERVERLESS_INSTANCE, MONGODB_SHARDING_INSTANCE,
    MONGODB_SHARDING_PUBLIC_ADDRESS, POLARDB_DB_CLUSTER, POLARDB_ENDPOINT_ADDRESS, RDS_CONNECTION,
    RDS_DB_INSTANCE, RDS_PREPAY_DB_INSTANCE, REDIS_CONNECTION, REDIS_INSTANCE,
    REDIS_PREPAY_INSTANCE,
};
use crate::endpoint::Allocation;
use crate::flag;

/// The public endpoint `resource` allocates, if it is a ROS endpoint type.
pub fn allocation(resource: &Resource) -> Option<Allocation<'_>> {
    let is_public = |key: &str, default: &str| {
        let field = resource.get(key);
        let value = field.text().with_default(default.into());
        value.map(|value| value.trim().eq_ignore_ascii_case("public"))
    };
    let (database, public) = match resource.resource_type.as_str() {
        RDS_CONNECTION | MONGODB_SHARDING_PUBLIC_ADDRESS => {
            (resource.get("DBInstanceId"), Ok(true))
        }
        POLARDB_ENDPOINT_ADDRESS => (resource.get("DBClusterId"), is_public("NetType", "Public")),
        REDIS_CONNECTION => (resource.get("InstanceId"), is_public("ConnectionType", "")),
        _ => return None,
    };
    Some(Allocation {
        database: database.target(),
        public,
        by: &resource.address,
    })
}

/// The public endpoint a database's own properties allocate, if it is a ROS database
/// type: `Some(Ok(None))` when they allocate none.
pub fn inline(database: &Resource) -> Option<Result<Option<String>, Unknown<'_>>> {
    match database.resource_type.as_str() {
        RDS_DB_INSTANCE | RDS_PREPAY_DB_INSTANCE => {
            let allocate = database.get("AllocatePublicConnection");
            let allocate = match flag::boolean(database, &allocate) {
                Attr::Known(true) => {
                    return Some(Ok(Some("`AllocatePublicConnection` is true".to_owned())));
                }
                Attr::Known(false) | Attr::Absent => None,
                Attr::Unknown(unknown) => Some(unknown),
            };
            let net_type = match database.get("DBInstanceNetType").text() {
                Attr::Known(net) if net.trim().eq_ignore_ascii_case("internet") => {
                    return Some(Ok(Some("`DBInstanceNetType` is Internet".to_owned())));
                }
                Attr::Known(_) | Attr::Absent => None,
                Attr::Unknown(unknown) => Some(unknown),
            };
            Some(allocate.or(net_type).map_or(Ok(None), Err))
        }
        REDIS_INSTANCE | REDIS_PREPAY_INSTANCE => Some(
            match database.get("Connections").get("PublicConnection").attr() {
                Attr::Known(_) => Ok(Some("`Connections.PublicConnection` is set".to_owned())),
                Attr::Absent => Ok(None),
                Attr::Unknown(unknown) => Err(unknown),
            },
        ),
        POLARDB_DB_CLUSTER
        | MONGODB_INSTANCE
        | MONGODB_SHARDING_INSTANCE
        | MONGODB_SERVERLESS_INSTANCE => Some(Ok(None)),
        _ => None,
    }
}
