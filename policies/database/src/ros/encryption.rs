//! Encryption at rest of the ROS database types.
//!
//! - `ALIYUN::RDS::DBInstance` and `ALIYUN::RDS::PrepayDBInstance`: disk encryption with
//!   `EncryptionKey` (for `Engine` MySQL, PostgreSQL and SQL Server, as in Terraform).
//!   Neither type has a `TDEStatus` property in the ROS reference or the ROS CDK
//!   (`DBInstanceProps`, `PrepayDBInstanceProps`), so a `TDEStatus` written there turns
//!   nothing on and is named in the finding.
//! - `ALIYUN::POLARDB::DBCluster`: `TDEStatus`, a boolean, default false.
//! - `ALIYUN::MONGODB::Instance`: `TDEStatus` (a boolean, default false) or `Encrypted`
//!   (cloud disk encryption, off unless set; `EncryptionKey` is that encryption's key,
//!   which the Terraform provider sends from `cloud_disk_encryption_key`).
//! - `ALIYUN::MONGODB::ShardingInstance`: `TDEStatus` (a boolean, default false); it has
//!   no disk encryption property.
//!
//! No ROS type is known to set Redis TDE, nor the encryption of a MongoDB Serverless
//! instance.

use palisade_policy::Resource;

use super::{
    MONGODB_INSTANCE, MONGODB_SHARDING_INSTANCE, POLARDB_DB_CLUSTER, RDS_DB_INSTANCE,
    RDS_PREPAY_DB_INSTANCE,
};
use crate::encryption::{AtRest, Setting};
use crate::flag;

/// Whether `resource` is encrypted at rest, if it is a ROS database type.
pub fn at_rest(resource: &Resource) -> Option<AtRest> {
    let tde_field = resource.get("TDEStatus");
    let tde = || {
        Setting::switch(
            &tde_field,
            flag::status(resource, &tde_field),
            "is not set and defaults to false",
        )
    };
    Some(match resource.resource_type.as_str() {
        RDS_DB_INSTANCE | RDS_PREPAY_DB_INSTANCE => {
            let mut settings = vec![Setting::rds_disk_key(
                &resource.get("EncryptionKey"),
                &resource.get("Engine"),
            )];
            if !tde_field.attr().is_absent() {
                settings.push(Setting::Off {
                    at: Some(tde_field.path().clone()),
                    why: format!(
                        "`TDEStatus` is not a property of {} and turns nothing on",
                        resource.resource_type
                    ),
                });
            }
            AtRest::any(settings)
        }
        POLARDB_DB_CLUSTER | MONGODB_SHARDING_INSTANCE => AtRest::any([tde()]),
        MONGODB_INSTANCE => {
            let encrypted = resource.get("Encrypted");
            let omitted = if resource.get("EncryptionKey").attr().is_absent() {
                "is not set (disk encryption stays off)"
            } else {
                "is not set (disk encryption stays off; `EncryptionKey` only chooses its key)"
            };
            AtRest::any([
                tde(),
                Setting::switch(&encrypted, flag::boolean(resource, &encrypted), omitted),
            ])
        }
        _ => return None,
    })
}
