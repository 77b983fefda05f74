//! A team's own Palisade policy, written the way the built-in ones are:
//!
//! - `required-tags`: every taggable Alibaba Cloud and AWS resource carries the tags
//!   `owner` and `cost-center` ([`tags`]);
//! - `allowed-instance-types`: instances use an approved type ([`instance_type`]).
//!
//! The runner sends every resource whose type one of the rules lists; each rule picks
//! its own types out of them.

pub mod instance_type;
pub mod tags;

use palisade_policy::{Evaluation, Policy, Resource, Rule, Severity};

/// Every taggable resource names who answers for it and who pays for it.
pub const REQUIRED_TAGS: Rule = Rule {
    id: "required-tags",
    title: "Resources carry owner and cost-center tags",
    severity: Severity::Medium,
    description: "A taggable resource fails unless its tags include `owner` and \
        `cost-center`, both non-empty. Untagged resources cannot be charged back to a team, \
        and nobody can be asked about them during an incident or a clean-up.",
    remediation: "Add both tags to the resource: `tags = { owner = \"payments\", \
        \"cost-center\" = \"cc-1234\" }` (ROS: `Tags: [{Key: owner, Value: payments}, \
        {Key: cost-center, Value: cc-1234}]`).",
    documentation: include_str!("../docs/required-tags.md"),
    resource_types: &tags::TYPES,
};

/// Instances use a type from the team's approved families.
pub const ALLOWED_INSTANCE_TYPES: Rule = Rule {
    id: "allowed-instance-types",
    title: "Instances use an approved instance type",
    severity: Severity::Medium,
    description: "An ECS or EC2 instance fails unless its instance type belongs to an \
        approved family (ecs.g7.*, ecs.c7.*, t3.*, m6i.*). The list keeps capacity \
        reservations, savings plans and performance baselines meaningful, and keeps \
        expensive or retired families out of production.",
    remediation: "Choose an approved instance type, such as `ecs.g7.large` or `t3.medium`, \
        or ask the platform team to approve the family you need.",
    documentation: include_str!("../docs/allowed-instance-types.md"),
    resource_types: &instance_type::TYPES,
};

/// The team policy.
pub struct TeamPolicy;

impl Policy for TeamPolicy {
    fn rules() -> Vec<Rule> {
        vec![REQUIRED_TAGS, ALLOWED_INSTANCE_TYPES]
    }

    fn evaluate(resources: &[Resource]) -> Result<Evaluation, String> {
        let mut evaluation = Evaluation::default();
        for resource in resources {
            tags::check(resource, &mut evaluation);
            instance_type::check(resource, &mut evaluation);
        }
        Ok(evaluation)
    }
}

palisade_policy::export!(TeamPolicy);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rules_describe_themselves() {
        let rules = TeamPolicy::rules();
        let ids: Vec<&str> = rules.iter().map(|rule| rule.id).collect();
        assert_eq!(ids, ["required-tags", "allowed-instance-types"]);
        for rule in &rules {
            assert!(
                rule.documentation.starts_with(&format!("# {}: ", rule.id)),
                "{}",
                rule.id
            );
        }
    }
}
