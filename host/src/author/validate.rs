//! What makes a policy component fit to ship: metadata complete enough for `palisade
//! rules` and `palisade explain` to describe each rule, and rule ids no other loaded
//! policy declares ([`palisade_model::DeclaredIds`]). (Ids that are malformed or repeated
//! within one component never get this far: the engine refuses them when it loads it.)
//!
//! The checks are pure, over the metadata the engine read from a component
//! ([`PolicyInfo`], [`Rule`]), so that `palisade build` can refuse a component before
//! anyone ships it and `palisade check` can refuse one whose ids clash with another's.

use crate::engine::PolicyInfo;
use palisade_model::{IdTaken, Rule};

/// One reason a component's metadata is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Invalid {
    #[error("rule `{rule}` has an empty {field}")]
    EmptyRuleField { rule: String, field: &'static str },
    #[error("rule `{0}` lists no resource types, so the runner would never send it any")]
    NoResourceTypes(String),
    #[error("the policy's {0} is empty (it comes from the crate's Cargo.toml)")]
    EmptyPolicyField(&'static str),
    #[error("the policy declares no rules")]
    NoRules,
    #[error(transparent)]
    Taken(#[from] IdTaken),
}

/// Everything wrong with one component's metadata, in declaration order; empty when it
/// is fit to ship.
pub fn problems(info: &PolicyInfo, rules: &[Rule]) -> Vec<Invalid> {
    let mut problems = Vec::new();
    for (field, value) in [("name", &info.name), ("version", &info.version)] {
        if value.trim().is_empty() {
            problems.push(Invalid::EmptyPolicyField(field));
        }
    }
    if rules.is_empty() {
        problems.push(Invalid::NoRules);
    }
    for rule in rules {
        problems.extend(empty_fields(rule));
        if rule.resource_types.iter().all(|t| t.trim().is_empty()) {
            problems.push(Invalid::NoResourceTypes(rule.id.clone()));
        }
    }
    problems
}

fn empty_fields(rule: &Rule) -> impl Iterator<Item = Invalid> + '_ {
    [
        ("title", rule.title.as_str()),
        ("description", rule.description.as_str()),
        ("remediation", &*rule.remediation),
        ("documentation", rule.documentation.as_str()),
    ]
    .into_iter()
    .filter(|(_, value)| value.trim().is_empty())
    .map(|(field, _)| Invalid::EmptyRuleField {
        rule: rule.id.clone(),
        field,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_model::Severity;

    fn rule(id: &str) -> Rule {
        Rule {
            id: id.to_owned(),
            title: "Buckets carry an owner tag".to_owned(),
            severity: Severity::Low,
            description: "Unowned buckets are never cleaned up.".to_owned(),
            remediation: "Add an owner tag.".into(),
            documentation: "# owner-tag\n".to_owned(),
            resource_types: vec!["aws_s3_bucket".to_owned()],
        }
    }

    fn info() -> PolicyInfo {
        PolicyInfo {
            name: "team-policy".to_owned(),
            version: "0.1.0".to_owned(),
            authors: vec![],
            wit_version: "0.1.0".to_owned(),
        }
    }

    #[test]
    fn complete_metadata_has_no_problems() {
        assert_eq!(problems(&info(), &[rule("a"), rule("b")]), []);
    }

    #[test]
    fn each_empty_field_is_named_with_its_rule() {
        let mut incomplete = rule("owner-tag");
        incomplete.title = String::new();
        incomplete.documentation = "  \n".to_owned();
        incomplete.resource_types = vec![];
        let found = problems(&info(), &[incomplete]);
        let messages: Vec<String> = found.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "rule `owner-tag` has an empty title",
                "rule `owner-tag` has an empty documentation",
                "rule `owner-tag` lists no resource types, so the runner would never send it any",
            ]
        );
    }

    #[test]
    fn the_policy_needs_a_name_a_version_and_rules() {
        let nameless = PolicyInfo {
            name: String::new(),
            version: " ".to_owned(),
            ..info()
        };
        assert_eq!(
            problems(&nameless, &[]),
            [
                Invalid::EmptyPolicyField("name"),
                Invalid::EmptyPolicyField("version"),
                Invalid::NoRules,
            ]
        );
    }
}
