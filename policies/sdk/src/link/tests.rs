//! Address prefixes and unclaimed names, which fixtures reach only through whole
//! configurations.

use serde_json::json;

use crate::Format;
use crate::testing::{reference, resources, unknown};

use super::*;

const SSE: &str = "alicloud_oss_bucket_server_side_encryption";

fn bucket(address: &str, name: serde_json::Value) -> Resource {
    Resource::new(
        0,
        "alicloud_oss_bucket",
        address,
        Format::Terraform,
        json!({ "bucket": name }),
    )
}

/// The links of `set`, where `claimed` are the known bucket names.
fn index<'a>(set: &'a [Resource], claimed: &[&str]) -> Links<'a> {
    Links::new("bucket", set.iter().map(|r| (r, r.get("bucket"))), |name| {
        claimed.contains(&name)
    })
}

fn found(link: Link<'_>) -> Option<&str> {
    match link {
        Link::Found(by) => Some(by.address.as_str()),
        Link::None | Link::Unknown { .. } => None,
    }
}

#[test]
fn a_reference_names_every_instance_and_only_them() {
    let set = resources(&[(
        SSE,
        "all",
        json!({"bucket": reference("alicloud_oss_bucket.b")}),
    )]);
    let links = index(&set, &[]);
    for address in [
        "alicloud_oss_bucket.b",
        "alicloud_oss_bucket.b[0]",
        "alicloud_oss_bucket.b[\"logs\"]",
    ] {
        let b = bucket(address, json!("x"));
        let link = links.find(&b, &b.get("bucket"));
        assert_eq!(
            found(link),
            Some("alicloud_oss_bucket_server_side_encryption.all"),
            "{address}"
        );
    }
    let other = bucket("alicloud_oss_bucket.bb", json!("x"));
    assert_eq!(links.find(&other, &other.get("bucket")), Link::None);
}

#[test]
fn an_instance_reference_names_that_instance_in_its_module() {
    let set = resources(&[(
        SSE,
        "one",
        json!({"bucket": reference("module.m[1].alicloud_oss_bucket.b[0]")}),
    )]);
    let links = index(&set, &[]);
    let named = bucket("module.m[1].alicloud_oss_bucket.b[0]", json!("x"));
    assert!(found(links.find(&named, &named.get("bucket"))).is_some());
    for address in [
        "module.m[1].alicloud_oss_bucket.b[1]",
        "module.m[0].alicloud_oss_bucket.b[0]",
    ] {
        let other = bucket(address, json!("x"));
        assert_eq!(links.find(&other, &other.get("bucket")), Link::None);
    }
}

#[test]
fn literal_names_and_shared_references_link() {
    let set = resources(&[
        (SSE, "by_name", json!({"bucket": "team-logs"})),
        (SSE, "by_pet", json!({"bucket": reference("random_pet.p")})),
    ]);
    let links = index(&set, &[]);
    let named = bucket("alicloud_oss_bucket.logs", json!("team-logs"));
    let link = links.find(&named, &named.get("bucket"));
    assert_eq!(
        found(link),
        Some("alicloud_oss_bucket_server_side_encryption.by_name")
    );
    let pet = bucket("alicloud_oss_bucket.pet", reference("random_pet.p"));
    let link = links.find(&pet, &pet.get("bucket"));
    assert_eq!(
        found(link),
        Some("alicloud_oss_bucket_server_side_encryption.by_pet")
    );
}

#[test]
fn an_unclaimed_name_may_be_a_bucket_whose_name_is_unknown() {
    let set = resources(&[(SSE, "e", json!({"bucket": "prod-logs"}))]);
    let links = index(&set, &[]);
    let unnamed = bucket("alicloud_oss_bucket.b", unknown("var.name has no value"));
    let Link::Unknown { by, reason } = links.find(&unnamed, &unnamed.get("bucket")) else {
        panic!("expected an unknown link");
    };
    assert_eq!(by.address, "alicloud_oss_bucket_server_side_encryption.e");
    assert!(reason.contains("\"prod-logs\""), "{reason}");
    assert!(reason.contains("var.name has no value"), "{reason}");
    // Claimed by a bucket with that known name: not this one.
    let claimed = index(&set, &["prod-logs"]);
    assert_eq!(claimed.find(&unnamed, &unnamed.get("bucket")), Link::None);
    // A bucket with a known, different name is  named by it.
    let other = bucket("alicloud_oss_bucket.c", json!("dev-logs"));
    assert_eq!(links.find(&other, &other.get("bucket")), Link::None);
}

#[test]
fn an_unknown_link_may_name_any_bucket_but_a_found_one_wins() {
    let set = resources(&[
        (
            SSE,
            "var",
            json!({"bucket": unknown("var.bucket has no value")}),
        ),
        (
            SSE,
            "ref",
            json!({"bucket": reference("alicloud_oss_bucket.a")}),
        ),
    ]);
    let links = index(&set, &[]);
    let a = bucket("alicloud_oss_bucket.a", json!("a"));
    assert!(found(links.find(&a, &a.get("bucket"))).is_some());
    let b = bucket("alicloud_oss_bucket.b", json!("b"));
    let Link::Unknown { by, reason } = links.find(&b, &b.get("bucket")) else {
        panic!("expected an unknown link");
    };
    assert_eq!(by.address, "alicloud_oss_bucket_server_side_encryption.var");
    assert_eq!(
        reason,
        "the bucket it names is unknown: var.bucket has no value"
    );
}
