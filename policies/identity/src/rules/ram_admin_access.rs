//! `ram-admin-access`: no policy grants every action on every resource, and no user,
//! group or role is given the system policy `AdministratorAccess`.
//!
//! A custom policy is reported once, at its document, naming the attachments of the same
//! configuration that give it to someone (`crate::link`); an inline policy names the
//! principal it is written on; an `AdministratorAccess` attachment is reported where it
//! names the policy.

use palisade_policy::{AttrPath, Evaluation, Resource, Rule, Severity};

use crate::attachment::{self, Attachment, Verdict, principal};
use crate::grant::Cloud;
use crate::holders::{self, Document, IAM_POLICY, RAM_POLICY, ROS_POLICY};
use crate::link::Links;

/// The rule this file holds.
pub const RULE: Rule = Rule {
    id: "ram-admin-access",
    title: "No policy grants full administrator access",
    severity: Severity::Critical,
    description: "A RAM (or IAM) policy fails when one of its statements allows every \
        action (`*`, `*:*`) on every resource (`*`), and an attachment fails when it gives \
        a user, group or role the system policy `AdministratorAccess`. Such a principal \
        can read and delete every resource of the account, create access keys and grant \
        itself or anyone else any permission: one leaked credential is the whole account.",
    remediation: "Grant each user, group or role only the actions it needs on the \
        resources it needs (`ecs:Describe*` on `acs:ecs:*:*:instance/*`), or a narrower \
        system policy (`ReadOnlyAccess`, `AliyunECSFullAccess`). Keep full administrator \
        access for a few break-glass principals managed outside the template, with MFA.",
    documentation: include_str!("ram-admin-access.md"),
    resource_types: &[
        RAM_POLICY,
        IAM_POLICY,
        ROS_POLICY,
        "alicloud_ram_user_policy_attachment",
        "alicloud_ram_group_policy_attachment",
        "alicloud_ram_role_policy_attachment",
        "aws_iam_user_policy",
        "aws_iam_group_policy",
        "aws_iam_role_policy",
        "aws_iam_role",
        "aws_iam_user_policy_attachment",
        "aws_iam_group_policy_attachment",
        "aws_iam_role_policy_attachment",
        "aws_iam_policy_attachment",
        "aws_iam_user_policy_attachments_exclusive",
        "aws_iam_group_policy_attachments_exclusive",
        "aws_iam_role_policy_attachments_exclusive",
        "aws_ssoadmin_permission_set_inline_policy",
        "aws_ssoadmin_managed_policy_attachment",
        "ALIYUN::RAM::User",
        "ALIYUN::RAM::Group",
        "ALIYUN::RAM::Role",
        "ALIYUN::RAM::AttachPolicyToUser",
        "ALIYUN::RAM::AttachPolicyToGroup",
        "ALIYUN::RAM::AttachPolicyToRole",
    ],
};

/// Decides every policy document and every attachment.
pub fn evaluate(resources: &[&Resource]) -> Evaluation {
    let attachments: Vec<Attachment<'_>> = resources
        .iter()
        .flat_map(|resource| attachment::attachments(resource))
        .collect();
    let links = Links::new(&attachments);
    let mut evaluation = Evaluation::default();
    for &resource in resources {
        let mut failures: Vec<(AttrPath, String)> = Vec::new();
        for document in holders::documents(resource) {
            read_document(resource, document, &links, &mut failures, &mut evaluation);
        }
        for attached in attachment::attachments(resource) {
            match attached.verdict() {
                Verdict::Admin => {
                    let message = admin_attachment(&attached);
                    failures.push((attached.policy.path().clone(), message));
                }
                Verdict::Other => {}
                Verdict::Undecided(unknown) => evaluation.undecided(&RULE, resource, &unknown),
            }
        }
        if let Some(((path, first), rest)) = failures.split_first().map(|(f, r)| (f.clone(), r)) {
            let mut message = first;
            for (_, more) in rest {
                message.push_str("; also, ");
                message.push_str(more);
            }
            evaluation.fail(&RULE, resource, &path, message);
        }
    }
    evaluation
}

/// Records the failure of one document that grants administrator access, or its notes.
fn read_document<'a>(
    resource: &'a Resource,
    document: Document<'a>,
    links: &Links<'a, '_>,
    failures: &mut Vec<(AttrPath, String)>,
    evaluation: &mut Evaluation,
) {
    if document.reading.admin.is_empty() {
        for unknown in &document.reading.undecided {
            evaluation.undecided(&RULE, resource, unknown);
        }
        return;
    }
    let statements: Vec<String> = document.reading.admin.iter().map(ToString::to_string).collect();
    let whom = match &document.inline_on {
        Some(on) => format!("written inline on {on}"),
        None => {
            let (whom, maybe) = attached_to(resource, links);
            if let Some((by, reason)) = maybe {
                let message =
                    format!("could not decide whether {by} attaches this policy: {reason}");
                evaluation.note(&RULE, resource, &AttrPath::root(), message);
            }
            whom
        }
    };
    let statements = statements.join(", ");
    let message = format!("the policy grants full administrator access: {statements}; {whom}");
    failures.push((document.field.path().clone(), message));
}

/// Whom a standalone policy is attached to in the document set, in words, and an
/// attachment that may name it but cannot be told.
fn attached_to(policy: &Resource, links: &Links<'_, '_>) -> (String, Option<(String, String)>) {
    let name_key = match policy.resource_type.as_str() {
        RAM_POLICY if policy.get("policy_name").attr().is_absent() => "name",
        RAM_POLICY => "policy_name",
        ROS_POLICY => "PolicyName",
        _ => "name",
    };
    let name = policy.get(name_key).text().known();
    let attached = links.attached(policy, name.as_deref());
    let mut whom: Vec<String> = attached
        .by
        .iter()
        .map(|a| format!("{} ({})", a.to, a.resource.address))
        .collect();
    if policy.is(ROS_POLICY) {
        for (key, kind) in [("Users", "user"), ("Groups", "group"), ("Roles", "role")] {
            let items = policy.get(key).list().known().unwrap_or_default();
            whom.extend(items.iter().map(|item| format!("{} ({key})", principal(kind, item))));
        }
    }
    let maybe = attached
        .maybe
        .map(|(by, reason)| (by.resource.address.clone(), reason));
    let whom = if whom.is_empty() {
        "it is attached to no user, group or role in this configuration".to_owned()
    } else {
        format!("attached to {}", whom.join(", "))
    };
    (whom, maybe)
}

/// The message of an `AdministratorAccess` attachment.
fn admin_attachment(attached: &Attachment<'_>) -> String {
    let named = attached.policy.text().known().unwrap_or_default();
    let kind = match attached.cloud {
        Cloud::Alibaba => "system policy",
        Cloud::Aws => "AWS managed policy",
    };
    format!(
        "the {kind} AdministratorAccess ({:?}) is attached to {}: full administrator access",
        named.trim(),
        attached.to
    )
}
