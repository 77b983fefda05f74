//! Where each resource type takes a password, as the provider schemas (all `Sensitive`)
//! and the ROS resource reference name it.

use palisade_policy::PARAMETER_TYPE;

/// A resource type and the attributes (ROS: properties, as paths) that hold a password.
pub struct PasswordFields {
    pub resource_type: &'static str,
    pub paths: &'static [&'static str],
    /// The attribute that passes the password encrypted with KMS instead, if any.
    pub encrypted_alternative: Option<&'static str>,
}

const fn fields(
    resource_type: &'static str,
    paths: &'static [&'static str],
    encrypted_alternative: Option<&'static str>,
) -> PasswordFields {
    PasswordFields {
        resource_type,
        paths,
        encrypted_alternative,
    }
}

const KMS: Option<&str> = Some("kms_encrypted_password");

/// Every resource type read, with its password attributes.
pub const PASSWORD_FIELDS: &[PasswordFields] = &[
    fields("alicloud_instance", &["password"], KMS),
    fields("alicloud_ecs_instance_set", &["password"], None),
    fields(
        "alicloud_db_account",
        &["account_password", "password"],
        KMS,
    ),
    fields(
        "alicloud_rds_account",
        &["account_password", "password"],
        KMS,
    ),
    fields("alicloud_kvstore_instance", &["password"], KMS),
    fields("alicloud_kvstore_account", &["account_password"], KMS),
    fields("alicloud_polardb_account", &["account_password"], KMS),
    fields("alicloud_mongodb_instance", &["account_password"], KMS),
    fields(
        "alicloud_mongodb_sharding_instance",
        &["account_password"],
        KMS,
    ),
    fields("alicloud_mongodb_account", &["account_password"], None),
    fields("alicloud_adb_account", &["account_password"], KMS),
    fields("alicloud_gpdb_account", &["account_password"], None),
    fields("alicloud_redis_tair_instance", &["password"], None),
    fields("alicloud_ess_scaling_configuration", &["password"], KMS),
    fields("alicloud_ram_login_profile", &["password"], None),
    fields("aws_db_instance", &["password"], None),
    fields("aws_rds_cluster", &["master_password"], None),
    fields("ALIYUN::ECS::Instance", &["Password"], None),
    fields("ALIYUN::RDS::DBInstance", &["MasterUserPassword"], None),
    fields("ALIYUN::RDS::Account", &["AccountPassword"], None),
    fields("ALIYUN::REDIS::Instance", &["Password"], None),
    fields("ALIYUN::RAM::User", &["LoginProfile.Password"], None),
];

/// Every type the rule reads: those of [`PASSWORD_FIELDS`], then ROS parameter
/// declarations.
pub const RESOURCE_TYPES: [&str; PASSWORD_FIELDS.len() + 1] = {
    let mut types = [PARAMETER_TYPE; PASSWORD_FIELDS.len() + 1];
    let mut i = 0;
    while i < PASSWORD_FIELDS.len() {
        types[i] = PASSWORD_FIELDS[i].resource_type;
        i += 1;
    }
    types
};

/// The password fields of `resource_type`, if it has any.
pub fn of(resource_type: &str) -> Option<&'static PasswordFields> {
    PASSWORD_FIELDS
        .iter()
        .find(|fields| fields.resource_type == resource_type)
}
