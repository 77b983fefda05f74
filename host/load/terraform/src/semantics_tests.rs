//! Terraform's own answers where a value is partly known or an attribute is missing:
//! `try`, `can`, `lookup`, optional attributes, equality with unknowns, and local module
//! sources that do not exist.

use serde_json::json;

use crate::tests::{load_files, load_hcl};

/// `try` falls back, and `can` is false, when an attribute of a known object is missing:
/// Terraform makes that an error, which is what they catch.
#[test]
fn try_and_can_fall_back_on_missing_attributes_of_known_objects() {
    let (resources, errors) = load_hcl(
        r#"
variable "volume" {
  default = { size = 10 }
}
variable "typed" {
  type    = object({ size = number, encrypted = optional(bool) })
  default = { size = 10 }
}
locals {
  vols = { one = { size = 1 } }
}
resource "alicloud_disk" "d" {
  for_each  = local.vols
  encrypted = try(var.volume.encrypted, false)
  device    = try(each.value.root_block_device, null)
  can_read  = can(var.volume.encrypted)
  can_size  = can(var.volume.size)
  looked_up = lookup(var.volume, "encrypted", false)
  optional  = var.typed.encrypted
  nested    = try(var.volume.a.b, "fallback")
}
"#,
    );
    assert!(errors.is_empty(), "{errors:?}");
    let attributes = &resources[0].attributes;
    assert_eq!(attributes["encrypted"], json!(false));
    assert!(attributes["device"].is_null());
    assert_eq!(attributes["can_read"], json!(false));
    assert_eq!(attributes["can_size"], json!(true));
    assert_eq!(attributes["looked_up"], json!(false));
    assert!(attributes["optional"].is_null());
    assert_eq!(attributes["nested"], json!("fallback"));
}

/// Outside `try`, a missing attribute stays what it was: a value known only after apply
/// (resource instances reached through expressions hold their configured attributes).
#[test]
fn a_missing_attribute_outside_try_is_unknown_not_an_error() {
    let (resources, errors) = load_hcl(
        r#"
variable "volume" {
  default = { size = 10 }
}
resource "alicloud_disk" "d" {
  encrypted = var.volume.encrypted
}
"#,
    );
    assert!(errors.is_empty(), "{errors:?}");
    let reason = &resources[0].attributes["encrypted"]["$unknown"]["reason"];
    assert!(
        reason
            .as_str()
            .unwrap()
            .contains("has no attribute `encrypted`")
    );
}

/// Equality on collections that hold unknowns is decided where Terraform decides it: a
/// known map is not null, and collections of other lengths, keys or known elements differ.
#[test]
fn equality_decides_on_known_collections_with_unknowns_inside() {
    let (resources, errors) = load_files(&[(
        "main.tf",
        r#"
resource "alicloud_vpc" "v" {
  cidr_block = "10.0.0.0/8"
}
locals {
  m = { id = alicloud_vpc.v.id, name = "x" }
  l = [alicloud_vpc.v.id, "a"]
}
resource "alicloud_disk" "d" {
  not_null     = local.m != null
  is_null      = local.m == null
  other_keys   = local.m == { id = "x" }
  other_known  = local.l == ["b", "b"]
  other_length = local.l == ["a"]
  undecided    = local.l == [alicloud_vpc.v.id, "a"]
}
"#,
    )]);
    assert!(errors.is_empty(), "{errors:?}");
    let disk = resources
        .iter()
        .find(|r| r.address == "alicloud_disk.d")
        .unwrap();
    let attributes = &disk.attributes;
    assert_eq!(attributes["not_null"], json!(true));
    assert_eq!(attributes["is_null"], json!(false));
    assert_eq!(attributes["other_keys"], json!(false));
    assert_eq!(attributes["other_known"], json!(false));
    assert_eq!(attributes["other_length"], json!(false));
    assert!(attributes["undecided"]["$unknown"].is_object());
}

/// A local module `source` naming no directory is an error at the `source`, as
/// `terraform init` makes it, not a module silently left out.
#[test]
fn a_local_module_source_that_does_not_exist_is_an_error() {
    let (_, errors) = load_hcl(
        r#"
module "https" {
  source = "../../modules/https-443"
}
"#,
    );
    let [error] = errors.as_slice() else {
        panic!("{errors:?}");
    };
    assert_eq!((error.position.line, error.position.column), (3, 3));
    assert_eq!(
        error.message,
        "module `https` (source \"../../modules/https-443\") is not read: there is no such \
         directory"
    );
}

/// Blocks that refer to each other: Terraform refuses the cycle; the inner reference is
/// unknown and says why, rather than blaming a `count`.
#[test]
fn a_reference_cycle_between_blocks_is_unknown_and_named() {
    let (resources, errors) = load_hcl(
        r#"
resource "alicloud_security_group" "a" {
  description = alicloud_security_group.b.description
}
resource "alicloud_security_group" "b" {
  description = alicloud_security_group.a.description
}
"#,
    );
    assert!(errors.is_empty(), "{errors:?}");
    for resource in &resources {
        let reason = resource.attributes["description"]["$unknown"]["reason"]
            .as_str()
            .unwrap_or_default();
        assert!(
            reason.contains("(a cycle)"),
            "{}: {reason}",
            resource.address
        );
    }
}
