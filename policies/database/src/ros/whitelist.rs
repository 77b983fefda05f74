//! The whitelists of the ROS database types, each a comma-separated string:
//!
//! - `ALIYUN::RDS::DBInstance.SecurityIPList` (required);
//! - `ALIYUN::POLARDB::DBCluster.SecurityIPList`;
//! - `ALIYUN::POLARDB::DBClusterAccessWhiteList.SecurityIps`, for the cluster
//!   `DBClusterId`;
//! - `ALIYUN::REDIS::Whitelist.SecurityIps`, for the instance `InstanceId`
//!   (`ALIYUN::REDIS::Instance` has no whitelist property);
//! - `ALIYUN::MONGODB::Instance.SecurityIPArray`.

use palisade_policy::Resource;

use super::{
    MONGODB_INSTANCE, POLARDB_ACCESS_WHITELIST, POLARDB_DB_CLUSTER, RDS_DB_INSTANCE,
    REDIS_WHITELIST,
};
use crate::whitelist::Whitelists;

/// The whitelists `resource` declares, if it is a ROS database or whitelist type.
pub fn whitelists(resource: &Resource) -> Option<Whitelists<'_>> {
    let mut lists = Whitelists::default();
    match resource.resource_type.as_str() {
        RDS_DB_INSTANCE | POLARDB_DB_CLUSTER => lists.push(resource.get("SecurityIPList")),
        MONGODB_INSTANCE => lists.push(resource.get("SecurityIPArray")),
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
