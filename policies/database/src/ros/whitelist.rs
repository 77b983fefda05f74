//! The whitelists of the ROS database types, each a comma-separated string:
//!
//! - `ALIYUN::RDS::DBInstance.SecurityIPList` (required);
//! - `ALIYUN::RDS::DBInstanceSecurityIps.DBInstanceIPArrayAttribute`, for the instance
//!   `DBInstanceId`: the reference calls it "the attribute of the whitelist group", but
//!   its own example, the ROS CDK ("Security ips to add or remove") and the published
//!   templates write the entries there. (`ALIYUN::RDS::PrepayDBInstance` has no
//!   whitelist property; its whitelist comes from this type.)
//! - `ALIYUN::POLARDB::DBCluster.SecurityIPList`;
//! - `ALIYUN::POLARDB::DBClusterAccessWhiteList.SecurityIps`, for the cluster
//!   `DBClusterId`;
//! - `ALIYUN::REDIS::Whitelist.SecurityIps`, for the instance `InstanceId`
//!   (`ALIYUN::REDIS::Instance` has no whitelist property);
//! - `SecurityIPArray` of `ALIYUN::MONGODB::Instance`, `ALIYUN::MONGODB::ShardingInstance`
//!   and `ALIYUN::MONGODB::ServerlessInstance`.

use palisade_policy::Resource;

use super::{
    MONGODB_INSTANCE, MONGODB_SERVERLESS_INSTANCE, MONGODB_SHARDING_INSTANCE,
    POLARDB_ACCESS_WHITELIST, POLARDB_DB_CLUSTER, RDS_DB_INSTANCE, RDS_SECURITY_IPS,
    REDIS_WHITELIST,
};
use crate::whitelist::Whitelists;

/// The whitelists `resource` declares, if it is a ROS database or whitelist type.
pub fn whitelists(resource: &Resource) -> Option<Whitelists<'_>> {
    let mut lists = Whitelists::default();
    match resource.resource_type.as_str() {
        RDS_DB_INSTANCE | POLARDB_DB_CLUSTER => lists.push(resource.get("SecurityIPList")),
        MONGODB_INSTANCE | MONGODB_SHARDING_INSTANCE | MONGODB_SERVERLESS_INSTANCE => {
            lists.push(resource.get("SecurityIPArray"));
        }
        RDS_SECURITY_IPS => {
            lists.push(resource.get("DBInstanceIPArrayAttribute"));
            lists.of = Some(resource.get("DBInstanceId"));
        }
        POLARDB_ACCESS_WHITELIST => {
            lists.push(resource.get("SecurityIps"));
            lists.of = Some(resource.get("DBClusterId"));
        }
        REDIS_WHITELIST => {
            lists.push(resource.get("SecurityIps"));
            lists.of = Some(resource.get("InstanceId"));
        }
        _ => return None,
    }
    Some(lists)
}
