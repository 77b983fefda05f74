//! `plaintext-secret`: no password is written into a template.

use palisade_policy::{Evaluation, Resource, Rule, Severity};

use crate::fields::{self, PasswordFields};
use crate::parameter::exposed_default;
use crate::written::{Written, written};

/// The rule this file holds.
pub const RULE: Rule = Rule {
    id: "plaintext-secret",
    title: "No password is written into a template",
    severity: Severity::High,
    description: "A password written into a template (a literal, a variable default, a \
        variables file committed beside it, or a ROS parameter `Default` without `NoEcho`) \
        is readable by everyone who can read the repository, its history, its forks and \
        its CI logs, for as long as the history lives. Instance, database account, Redis, \
        scaling configuration and RAM console passwords are read, in Terraform, plans and \
        ROS. A password given when the template is applied (a sensitive variable without \
        default, `TF_VAR_...`, a parameter without default), encrypted with KMS or taken \
        from another resource passes. Findings never show the password.",
    remediation: "Remove the password from the template: declare a variable with \
        `sensitive = true` and no default and pass it at apply time (TF_VAR_..., a secret \
        store), or use `kms_encrypted_password`; in ROS, a parameter with `NoEcho: true` \
        and no `Default`. Then change the password, since the old one stays in the \
        repository's history.",
    documentation: include_str!("plaintext-secret.md"),
    resource_types: &fields::RESOURCE_TYPES,
};

/// Decides every password attribute and every ROS parameter declaration.
pub fn evaluate(resources: &[&Resource]) -> Evaluation {
    let mut evaluation = Evaluation::default();
    for &resource in resources {
        if let Some(parameter) = exposed_default(resource) {
            let message = format!(
                "parameter `{}` has a password written in its `Default` and no \
                 `NoEcho`: remove the `Default`, set `NoEcho: true` and give the value \
                 when the stack is created",
                parameter.name
            );
            evaluation.fail(&RULE, resource, parameter.default.path(), message);
        } else if let Some(fields) = fields::of(&resource.resource_type) {
            judge_passwords(resource, fields, &mut evaluation);
        }
    }
    evaluation
}

/// A finding on the first password attribute of `resource` holding a written password.
fn judge_passwords(resource: &Resource, fields: &PasswordFields, evaluation: &mut Evaluation) {
    for path in fields.paths {
        let field = resource.at(path);
        let Some(text) = field.text().known() else {
            continue;
        };
        if text.is_empty() {
            continue;
        }
        if written(resource, path) == Written::InRepository {
            evaluation.fail(&RULE, resource, field.path(), message(path, fields));
            return;
        }
    }
}

/// What the finding on the password attribute `path` says: never its value.
fn message(path: &str, fields: &PasswordFields) -> String {
    let instead = match fields.encrypted_alternative {
        Some(encrypted) => format!(
            "pass it from a variable with `sensitive = true` and no default, or use \
             `{encrypted}`"
        ),
        None if fields.resource_type.starts_with("ALIYUN::") => {
            "pass it from a parameter with `NoEcho: true` and no `Default`".to_owned()
        }
        None => "pass it from a variable with `sensitive = true` and no default".to_owned(),
    };
    format!("`{path}` holds a password written in the template: {instead}")
}
