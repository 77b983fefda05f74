//! Attachments: resources that give a user, group or role a policy by name (Alibaba
//! Cloud, ROS) or by ARN (AWS), and whether that policy is the system policy
//! `AdministratorAccess`.

use palisade_policy::{Attr, Field, Resource, Unknown};

use crate::grant::Cloud;

/// The name of the provider-managed policy that grants every permission, in both clouds.
pub const ADMINISTRATOR_ACCESS: &str = "AdministratorAccess";

/// One policy given to a principal.
pub struct Attachment<'a> {
    /// The resource that attaches it.
    pub resource: &'a Resource,
    /// The attribute that names the policy (`policy_name`, `policy_arn`,
    /// `PolicyAttachments.System[0]`).
    pub policy: Field<'a>,
    /// Alibaba Cloud: the policy type (`System` or `Custom`) as written: `Known(true)`
    /// for a system policy. AWS ARNs say it themselves: `Absent`.
    pub system: Attr<'a, bool>,
    /// The cloud, which decides how the policy is named.
    pub cloud: Cloud,
    /// Whom it is given to, in words (`user "alice"`).
    pub to: String,
}

/// Whether an attachment gives `AdministratorAccess`.
pub enum Verdict<'a> {
    /// It does.
    Admin,
    /// It gives another policy.
    Other,
    /// It depends on an unknown value.
    Undecided(Unknown<'a>),
}

impl<'a> Attachment<'a> {
    /// Whether this attachment gives the system policy `AdministratorAccess`.
    pub fn verdict(&self) -> Verdict<'a> {
        match (self.cloud, self.policy.text()) {
            (_, Attr::Absent) => Verdict::Other,
            (Cloud::Aws, Attr::Known(arn)) if is_administrator_arn(&arn) => Verdict::Admin,
            (Cloud::Aws, Attr::Known(_)) => Verdict::Other,
            (Cloud::Alibaba, Attr::Known(name)) => {
                if !name.trim().eq_ignore_ascii_case(ADMINISTRATOR_ACCESS) {
                    return Verdict::Other;
                }
                match &self.system {
                    Attr::Known(true) => Verdict::Admin,
                    Attr::Known(false) | Attr::Absent => Verdict::Other,
                    Attr::Unknown(unknown) => Verdict::Undecided(unknown.clone()),
                }
            }
            // A reference names a resource of the configuration (a custom policy).
            (_, Attr::Unknown(unknown)) if unknown.refers.is_some() => Verdict::Other,
            (_, Attr::Unknown(_)) if matches!(self.system, Attr::Known(false)) => Verdict::Other,
            (_, Attr::Unknown(unknown)) => Verdict::Undecided(unknown),
        }
    }

    /// Whether this attachment may name a custom policy of the configuration: not a
    /// system policy by its type or by its ARN.
    pub fn may_be_custom(&self) -> bool {
        match self.cloud {
            Cloud::Alibaba => !matches!(self.system, Attr::Known(true)),
            Cloud::Aws => !self
                .policy
                .text()
                .known()
                .is_some_and(|arn| aws_managed(&arn)),
        }
    }
}

/// Whether `arn` is the AWS managed `AdministratorAccess` policy, in any partition
/// (`arn:aws:iam::aws:policy/AdministratorAccess`, `arn:aws-cn:...`).
pub fn is_administrator_arn(arn: &str) -> bool {
    let arn = arn.trim();
    aws_managed(arn)
        && arn
            .rsplit_once(":policy/")
            .is_some_and(|(_, path)| path == ADMINISTRATOR_ACCESS)
}

/// Whether `arn` names an AWS managed policy (account `aws`).
fn aws_managed(arn: &str) -> bool {
    let parts: Vec<&str> = arn.trim().splitn(6, ':').collect();
    matches!(parts.as_slice(), ["arn", partition, "iam", "", "aws", resource]
        if partition.starts_with("aws") && resource.starts_with("policy/"))
}

/// Every policy `resource` attaches.
pub fn attachments(resource: &Resource) -> Vec<Attachment<'_>> {
    let kind = resource.resource_type.as_str();
    let one = |policy: &str, system, cloud, to| Attachment {
        resource,
        policy: resource.get(policy),
        system,
        cloud,
        to,
    };
    match kind {
        "alicloud_ram_user_policy_attachment"
        | "alicloud_ram_group_policy_attachment"
        | "alicloud_ram_role_policy_attachment" => {
            let who = kind["alicloud_ram_".len()..].trim_end_matches("_policy_attachment");
            let to = principal(who, &resource.get(&format!("{who}_name")));
            vec![one(
                "policy_name",
                system(&resource.get("policy_type")),
                Cloud::Alibaba,
                to,
            )]
        }
        "ALIYUN::RAM::AttachPolicyToUser"
        | "ALIYUN::RAM::AttachPolicyToGroup"
        | "ALIYUN::RAM::AttachPolicyToRole" => {
            let who = &kind["ALIYUN::RAM::AttachPolicyTo".len()..];
            let to = principal(&who.to_lowercase(), &resource.get(&format!("{who}Name")));
            vec![one(
                "PolicyName",
                system(&resource.get("PolicyType")),
                Cloud::Alibaba,
                to,
            )]
        }
        "aws_iam_user_policy_attachment"
        | "aws_iam_group_policy_attachment"
        | "aws_iam_role_policy_attachment" => {
            let who = kind["aws_iam_".len()..].trim_end_matches("_policy_attachment");
            let to = principal(who, &resource.get(who));
            vec![one("policy_arn", Attr::Absent, Cloud::Aws, to)]
        }
        "aws_iam_policy_attachment" => {
            vec![one(
                "policy_arn",
                Attr::Absent,
                Cloud::Aws,
                listed_principals(resource),
            )]
        }
        "aws_ssoadmin_managed_policy_attachment" => {
            let to = principal("permission set", &resource.get("permission_set_arn"));
            vec![one("managed_policy_arn", Attr::Absent, Cloud::Aws, to)]
        }
        "aws_iam_role" => elements(resource, "managed_policy_arns", Attr::Absent, Cloud::Aws),
        "aws_iam_user_policy_attachments_exclusive"
        | "aws_iam_group_policy_attachments_exclusive"
        | "aws_iam_role_policy_attachments_exclusive" => {
            let who = kind["aws_iam_".len()..].trim_end_matches("_policy_attachments_exclusive");
            let to = principal(who, &resource.get(&format!("{who}_name")));
            let mut all = elements(resource, "policy_arns", Attr::Absent, Cloud::Aws);
            all.iter_mut()
                .for_each(|attachment| attachment.to.clone_from(&to));
            all
        }
        "ALIYUN::RAM::User" | "ALIYUN::RAM::Group" | "ALIYUN::RAM::Role" => {
            let mut all = elements(
                resource,
                "PolicyAttachments.System",
                Attr::Known(true),
                Cloud::Alibaba,
            );
            all.extend(elements(
                resource,
                "PolicyAttachments.Custom",
                Attr::Known(false),
                Cloud::Alibaba,
            ));
            all
        }
        _ => Vec::new(),
    }
}

/// The policies listed in `path` of a principal resource, given to itself.
fn elements<'a>(
    resource: &'a Resource,
    path: &str,
    system: Attr<'a, bool>,
    cloud: Cloud,
) -> Vec<Attachment<'a>> {
    let to = own_principal(resource);
    let field = resource.at(path);
    let items = match field.list() {
        Attr::Known(items) => items,
        Attr::Absent => Vec::new(),
        Attr::Unknown(_) => vec![field],
    };
    items
        .into_iter()
        .map(|policy| Attachment {
            resource,
            policy,
            system: system.clone(),
            cloud,
            to: to.clone(),
        })
        .collect()
}

/// A policy type attribute read as "is a system policy" (`System`; `Custom` is not).
fn system<'a>(policy_type: &Field<'a>) -> Attr<'a, bool> {
    policy_type
        .text()
        .map(|t| t.trim().eq_ignore_ascii_case("system"))
}

/// A principal named by `field`, in words: `user "alice"`, `role aws_iam_role.admin`, or
/// `a user` when its name is unknown.
pub fn principal(kind: &str, field: &Field<'_>) -> String {
    match field.text() {
        Attr::Known(name) => format!("{kind} {:?}", name.trim()),
        Attr::Unknown(unknown) => match unknown.refers {
            Some(address) => format!("{kind} {address}"),
            None => format!("a {kind}"),
        },
        Attr::Absent => format!("a {kind}"),
    }
}

/// The principals of an `aws_iam_policy_attachment`: `users`, `groups` and `roles`.
fn listed_principals(resource: &Resource) -> String {
    let mut named = Vec::new();
    for (key, kind) in [("users", "user"), ("groups", "group"), ("roles", "role")] {
        let field = resource.get(key);
        match field.list() {
            Attr::Known(items) => named.extend(items.iter().map(|item| principal(kind, item))),
            Attr::Unknown(_) => named.push(format!("unknown {key}")),
            Attr::Absent => {}
        }
    }
    if named.is_empty() {
        "no principal".to_owned()
    } else {
        named.join(", ")
    }
}

/// How a principal resource names itself: `role "admin"`, or `this role`.
pub fn own_principal(resource: &Resource) -> String {
    let (kind, key) = match resource.resource_type.as_str() {
        "ALIYUN::RAM::User" => ("user", "UserName"),
        "ALIYUN::RAM::Group" => ("group", "GroupName"),
        "ALIYUN::RAM::Role" => ("role", "RoleName"),
        _ => ("role", "name"),
    };
    match resource.get(key).text().known() {
        Some(name) => format!("{kind} {:?}", name.trim()),
        None => format!("this {kind}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn administrator_arns_in_every_partition() {
        assert!(is_administrator_arn(
            "arn:aws:iam::aws:policy/AdministratorAccess"
        ));
        assert!(is_administrator_arn(
            "arn:aws-cn:iam::aws:policy/AdministratorAccess"
        ));
        assert!(!is_administrator_arn(
            "arn:aws:iam::aws:policy/AdministratorAccess-Amplify"
        ));
        assert!(!is_administrator_arn(
            "arn:aws:iam::123456789012:policy/AdministratorAccess"
        ));
        assert!(!is_administrator_arn(
            "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"
        ));
        assert!(!is_administrator_arn("AdministratorAccess"));
    }
}
