//! Where policy documents are written: standalone policies, which take effect through
//! attachments, and policies written inline on a user, group or role.

use palisade_policy::{Attr, Field, Resource};

use crate::attachment::{own_principal, principal};
use crate::document::{self, Reading};
use crate::grant::Cloud;

/// `alicloud_ram_policy`: a custom RAM policy.
pub const RAM_POLICY: &str = "alicloud_ram_policy";
/// `aws_iam_policy`: a customer managed IAM policy.
pub const IAM_POLICY: &str = "aws_iam_policy";
/// `ALIYUN::RAM::ManagedPolicy`: a custom RAM policy, with the principals it is attached to.
pub const ROS_POLICY: &str = "ALIYUN::RAM::ManagedPolicy";

/// One policy document of a resource, read.
pub struct Document<'a> {
    /// The attribute that holds it (where a finding points).
    pub field: Field<'a>,
    /// Its administrator statements and undecided parts.
    pub reading: Reading<'a>,
    /// For an inline policy, the principal it is written on (`user "alice"`); `None` for
    /// a standalone policy, which grants through its attachments.
    pub inline_on: Option<String>,
}

/// Every policy document `resource` holds.
pub fn documents(resource: &Resource) -> Vec<Document<'_>> {
    let cloud = if resource.resource_type.starts_with("aws_") {
        Cloud::Aws
    } else {
        Cloud::Alibaba
    };
    match resource.resource_type.as_str() {
        RAM_POLICY => vec![ram_policy(resource)],
        IAM_POLICY => vec![standalone(resource.get("policy"), cloud)],
        ROS_POLICY => {
            let unchecked = resource.get("PolicyDocumentUnchecked");
            // ROS ignores PolicyDocument when PolicyDocumentUnchecked is set.
            if unchecked.attr().is_absent() {
                vec![standalone(resource.get("PolicyDocument"), cloud)]
            } else {
                vec![standalone(unchecked, cloud)]
            }
        }
        "aws_iam_user_policy" | "aws_iam_group_policy" | "aws_iam_role_policy" => {
            let key = resource.resource_type["aws_iam_".len()..].trim_end_matches("_policy");
            let on = principal(key, &resource.get(key));
            vec![inline(resource.get("policy"), cloud, on)]
        }
        "aws_ssoadmin_permission_set_inline_policy" => {
            let on = principal("permission set", &resource.get("permission_set_arn"));
            vec![inline(resource.get("inline_policy"), cloud, on)]
        }
        "aws_iam_role" => blocks(resource, "inline_policy", "policy", cloud),
        "ALIYUN::RAM::User" | "ALIYUN::RAM::Group" | "ALIYUN::RAM::Role" => {
            blocks(resource, "Policies", "PolicyDocument", cloud)
        }
        _ => Vec::new(),
    }
}

/// `alicloud_ram_policy`: `policy_document`, else the deprecated `document`, else the
/// deprecated `statement` blocks (the three conflict in the provider's schema).
fn ram_policy(resource: &Resource) -> Document<'_> {
    for key in ["policy_document", "document"] {
        let field = resource.get(key);
        if !field.attr().is_absent() {
            let reading = document::read(&field, Cloud::Alibaba);
            return Document {
                field,
                reading,
                inline_on: None,
            };
        }
    }
    let field = resource.get("statement");
    let reading = document::read_blocks(&field);
    Document {
        field,
        reading,
        inline_on: None,
    }
}

/// A standalone policy document.
fn standalone(field: Field<'_>, cloud: Cloud) -> Document<'_> {
    let reading = document::read(&field, cloud);
    Document {
        field,
        reading,
        inline_on: None,
    }
}

/// An inline policy document.
fn inline<'a>(field: Field<'a>, cloud: Cloud, on: String) -> Document<'a> {
    let reading = document::read(&field, cloud);
    Document {
        field,
        reading,
        inline_on: Some(on),
    }
}

/// The inline policies of a principal resource: each element of the list `list` holds a
/// document under `key`.
fn blocks<'a>(resource: &'a Resource, list: &str, key: &str, cloud: Cloud) -> Vec<Document<'a>> {
    let on = own_principal(resource);
    let items = resource.get(list);
    match items.list() {
        Attr::Known(items) => items
            .iter()
            .map(|item| inline(item.get(key), cloud, on.clone()))
            .collect(),
        Attr::Absent => Vec::new(),
        Attr::Unknown(_) => vec![inline(items, cloud, on)],
    }
}
