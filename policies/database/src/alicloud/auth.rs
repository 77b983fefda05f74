//! `alicloud_kvstore_instance.vpc_auth_mode`: `Open` (the default) asks for a password,
//! `Close` lets clients in the VPC in without one. The values are case-sensitive
//! (the provider validates them exactly), and the docs say the setting is "only
//! meaningful if instance_type is `Redis` and network type is VPC": a Memcache instance is
//! not judged, and an instance without `vswitch_id` (the classic network) is a note.

use palisade_policy::{Attr, Resource};

use super::{KVSTORE_INSTANCE, is_memcache};
use crate::auth::Auth;

/// The authentication of `resource`, if it is an Alibaba Cloud KVStore instance.
pub fn auth(resource: &Resource) -> Option<Auth<'_>> {
    if resource.resource_type != KVSTORE_INSTANCE {
        return None;
    }
    let mode = resource.get("vpc_auth_mode");
    let text = match mode.text() {
        Attr::Absent => return Some(Auth::Required),
        Attr::Unknown(unknown) => return Some(Auth::Undecided(unknown)),
        Attr::Known(text) => text,
    };
    match text.trim() {
        "Close" => {}
        "Open" => return Some(Auth::Required),
        other => {
            let unknown = mode.unknown(format!(
                "`vpc_auth_mode` is {other:?}, which is neither \"Open\" nor \"Close\" \
                 (the values are case-sensitive)"
            ));
            return Some(Auth::Undecided(unknown));
        }
    }
    match is_memcache(resource) {
        Ok(true) => return Some(Auth::Required),
        Ok(false) => {}
        Err(unknown) => return Some(Auth::Undecided(unknown)),
    }
    let at = mode.path().clone();
    let vswitch = resource.get("vswitch_id").text();
    let classic = match &vswitch {
        Attr::Absent => true,
        Attr::Known(id) => id.trim().is_empty(),
        Attr::Unknown(_) => false,
    };
    Some(if classic {
        Auth::Ineffective {
            at,
            message: "passes: `vpc_auth_mode` is \"Close\", but it applies only in a VPC and \
                      the instance sets no `vswitch_id` (classic network)"
                .to_owned(),
        }
    } else {
        Auth::PasswordFree {
            at,
            setting: "`vpc_auth_mode` is \"Close\"".to_owned(),
        }
    })
}
