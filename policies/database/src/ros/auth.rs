//! `VpcPasswordFree` of `ALIYUN::REDIS::Instance` and `ALIYUN::REDIS::PrepayInstance`:
//! `true` enables password-free access inside the VPC. Only an explicit true fails (the
//! ROS reference documents `false` as the default).

use palisade_policy::{Attr, Resource};

use super::{REDIS_INSTANCE, REDIS_PREPAY_INSTANCE};
use crate::auth::Auth;
use crate::flag;

/// The authentication of `resource`, if it is a ROS Redis instance.
pub fn auth(resource: &Resource) -> Option<Auth<'_>> {
    if !matches!(
        resource.resource_type.as_str(),
        REDIS_INSTANCE | REDIS_PREPAY_INSTANCE
    ) {
        return None;
    }
    let free = resource.get("VpcPasswordFree");
    Some(match flag::boolean(resource, &free) {
        Attr::Known(true) => Auth::PasswordFree {
            at: free.path().clone(),
            setting: format!("`VpcPasswordFree` is {}", flag::written(&free)),
        },
        Attr::Known(false) | Attr::Absent => Auth::Required,
        Attr::Unknown(unknown) => Auth::Undecided(unknown),
    })
}
