//! `ALIYUN::REDIS::Instance.VpcPasswordFree`: `true` enables password-free access inside
//! the VPC. Only an explicit true fails (the ROS CDK documents no default, and the API
//! requires a password unless asked otherwise).

use palisade_policy::{Attr, Resource};

use super::REDIS_INSTANCE;
use crate::auth::Auth;
use crate::flag;

/// The authentication of `resource`, if it is a ROS Redis instance.
pub fn auth(resource: &Resource) -> Option<Auth<'_>> {
    if resource.resource_type != REDIS_INSTANCE {
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
