//! `vpc_auth_mode` of `alicloud_kvstore_instance` and `alicloud_redis_tair_instance`:
//! `Open` (the default) asks for a password, `Close` lets clients in the VPC in without
//! one. The values are written as the API spells them: KVStore validates them exactly,
//! and anything but `Open` or `Close` is a note.
//!
//! KVStore's docs say the setting is "only meaningful if instance_type is `Redis` and
//! network type is VPC": a Memcache instance is not judged, and an instance without
//! `vswitch_id` (the classic network) is a note. A Tair instance is always in a VPC
//! (`vpc_id` and `vswitch_id` are required) and always Redis-compatible; the provider
//! sets its mode only when the attribute is written (`ModifyInstanceVpcAuthMode`), so an
//! omitted one keeps the password.

use palisade_policy::{Attr, Resource};

use super::{KVSTORE_INSTANCE, REDIS_TAIR_INSTANCE, is_memcache};
use crate::auth::Auth;

/// The authentication of `resource`, if it is an Alibaba Cloud KVStore or Tair instance.
pub fn auth(resource: &Resource) -> Option<Auth<'_>> {
    let kvstore = match resource.resource_type.as_str() {
        KVSTORE_INSTANCE => true,
        REDIS_TAIR_INSTANCE => false,
        _ => return None,
    };
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
    let at = mode.path().clone();
    let password_free = Auth::PasswordFree {
        at: at.clone(),
        setting: "`vpc_auth_mode` is \"Close\"".to_owned(),
    };
    if !kvstore {
        return Some(password_free);
    }
    match is_memcache(resource) {
        Ok(true) => return Some(Auth::Required),
        Ok(false) => {}
        Err(unknown) => return Some(Auth::Undecided(unknown)),
    }
    let classic = match resource.get("vswitch_id").text() {
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
        password_free
    })
}
