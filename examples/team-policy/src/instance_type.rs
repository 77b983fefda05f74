//! `allowed-instance-types`: instances use a type from the approved families.
//!
//! Regions are not checked: Terraform sets the region on the provider block, which the
//! runner does not pass to policies, and a ROS template takes it from the stack.

use palisade_policy::{Attr, AttrPath, Evaluation, Format, Resource};

use crate::ALLOWED_INSTANCE_TYPES;

/// The approved instance types: a pattern ending in `*` approves every type that starts
/// with what comes before it; any other pattern approves exactly that type.
pub const ALLOWED: [&str; 4] = ["ecs.g7.*", "ecs.c7.*", "t3.*", "m6i.*"];

/// Every resource type the rule reads.
pub const TYPES: [&str; 4] = [
    "alicloud_instance",
    "aws_instance",
    "ALIYUN::ECS::Instance",
    "ALIYUN::ECS::InstanceGroup",
];

/// Records the finding or note of `resource`, if it is of a type the rule reads.
pub fn check(resource: &Resource, evaluation: &mut Evaluation) {
    if !TYPES.contains(&resource.resource_type.as_str()) {
        return;
    }
    let field = resource.get(match resource.format {
        Format::Ros => "InstanceType",
        Format::Terraform | Format::Plan => "instance_type",
    });
    let rule = &ALLOWED_INSTANCE_TYPES;
    match field.text() {
        Attr::Known(instance_type) if is_allowed(&instance_type) => {}
        Attr::Known(instance_type) => {
            let message = format!(
                "instance type `{instance_type}` is not approved (approved: {})",
                ALLOWED.join(", ")
            );
            evaluation.fail(rule, resource, field.path(), message);
        }
        // An AWS instance may take its type from a launch template.
        Attr::Absent => evaluation.note(
            rule,
            resource,
            &AttrPath::root(),
            format!("could not decide: `{}` is not set", field.path()),
        ),
        Attr::Unknown(unknown) => evaluation.undecided(rule, resource, &unknown),
    }
}

/// Whether one of the [`ALLOWED`] patterns approves `instance_type`.
pub fn is_allowed(instance_type: &str) -> bool {
    let instance_type = instance_type.trim();
    ALLOWED
        .iter()
        .any(|pattern| match pattern.strip_suffix('*') {
            Some(family) => instance_type.len() > family.len() && instance_type.starts_with(family),
            None => instance_type == *pattern,
        })
}

#[cfg(test)]
mod tests {
    use palisade_policy::serde_json::{Value, json};
    use palisade_policy::testing::{locations, resources, unknown};

    use super::*;

    fn evaluate(specs: &[(&str, Value)]) -> Evaluation {
        let specs: Vec<_> = specs
            .iter()
            .map(|(resource_type, attributes)| (*resource_type, "i", attributes.clone()))
            .collect();
        let mut evaluation = Evaluation::default();
        for resource in resources(&specs) {
            check(&resource, &mut evaluation);
        }
        evaluation
    }

    #[test]
    fn families_approve_their_sizes_only() {
        for approved in ["ecs.g7.large", "ecs.c7.2xlarge", "t3.micro", " m6i.large "] {
            assert!(is_allowed(approved), "{approved}");
        }
        for refused in [
            "ecs.g6.large",
            "ecs.g7",
            "ecs.g7.",
            "t3a.micro",
            "T3.micro",
            "",
        ] {
            assert!(!is_allowed(refused), "{refused}");
        }
    }

    #[test]
    fn unapproved_types_fail_at_the_attribute() {
        let result = evaluate(&[
            (
                "alicloud_instance",
                json!({"instance_type": "ecs.g7.large"}),
            ),
            ("aws_instance", json!({"instance_type": "c5.large"})),
            (
                "ALIYUN::ECS::Instance",
                json!({"InstanceType": "ecs.g6.large"}),
            ),
            (
                "ALIYUN::ECS::InstanceGroup",
                json!({"InstanceType": "ecs.c7.large"}),
            ),
        ]);
        assert_eq!(
            locations(&result.findings),
            [(1, "instance_type"), (2, "InstanceType")]
        );
        assert_eq!(
            result.findings[0].message,
            "instance type `c5.large` is not approved (approved: ecs.g7.*, ecs.c7.*, t3.*, m6i.*)"
        );
    }

    #[test]
    fn unknown_and_unset_types_are_notes() {
        let result = evaluate(&[
            (
                "alicloud_instance",
                json!({"instance_type": unknown("var.size has no value")}),
            ),
            (
                "aws_instance",
                json!({"launch_template": [{"name": "web"}]}),
            ),
        ]);
        assert!(result.findings.is_empty());
        assert_eq!(locations(&result.notes), [(0, "instance_type"), (1, "")]);
    }

    #[test]
    fn the_documentation_lists_every_approved_family() {
        let documentation = include_str!("../docs/allowed-instance-types.md");
        for pattern in ALLOWED {
            assert!(documentation.contains(&format!("`{pattern}`")), "{pattern}");
        }
    }
}
