//! What makes a policy component fit to run next to others: well-formed rule ids, unique
//! within the component and among every loaded policy, and metadata complete enough for
//! `palisade rules` and `palisade explain` to describe each rule.
//!
//! The checks are pure, over the metadata the engine read from a component
//! ([`PolicyInfo`], [`Rule`]), so that `palisade build` can refuse a component before
//! anyone ships it and `palisade check` can refuse one whose ids clash with another's.

use std::collections::{BTreeMap, BTreeSet};

use crate::engine::{PolicyInfo, Rule};

/// The longest rule id accepted: ids are typed on command lines and in suppression
/// comments, and fill a column of every report.
pub const MAX_RULE_ID_LEN: usize = 64;

/// Why a text is not a rule id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdProblem {
    #[error("is empty")]
    Empty,
    #[error("must start with a lowercase letter")]
    Start,
    #[error("may hold only lowercase letters, digits and `-`")]
    Characters,
    #[error("is longer than {MAX_RULE_ID_LEN} characters")]
    TooLong,
}

/// One reason a component's metadata is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Invalid {
    #[error("rule id `{id}` {problem}")]
    RuleId { id: String, problem: IdProblem },
    #[error("rule id `{0}` is declared twice in the component")]
    DuplicateId(String),
    #[error("rule `{rule}` has an empty {field}")]
    EmptyRuleField { rule: String, field: &'static str },
    #[error("rule `{0}` lists no resource types, so the runner would never send it any")]
    NoResourceTypes(String),
    #[error("the policy's {0} is empty (it comes from the crate's Cargo.toml)")]
    EmptyPolicyField(&'static str),
    #[error("the policy declares no rules")]
    NoRules,
    #[error("rule id `{id}` is already declared by {by}; rule ids must be unique")]
    Taken { id: String, by: String },
}

/// Checks that `id` is a rule id: lowercase ASCII letters, digits and `-`, starting with a
/// letter, at most [`MAX_RULE_ID_LEN`] characters.
pub fn check_rule_id(id: &str) -> Result<(), IdProblem> {
    match id.bytes().next() {
        None => Err(IdProblem::Empty),
        Some(first) if !first.is_ascii_lowercase() => Err(IdProblem::Start),
        Some(_) if !id.bytes().all(is_id_byte) => Err(IdProblem::Characters),
        Some(_) if id.len() > MAX_RULE_ID_LEN => Err(IdProblem::TooLong),
        Some(_) => Ok(()),
    }
}

fn is_id_byte(byte: u8) -> bool {
    byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-'
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
    let mut seen = BTreeSet::new();
    for rule in rules {
        if let Err(problem) = check_rule_id(&rule.id) {
            problems.push(Invalid::RuleId {
                id: rule.id.clone(),
                problem,
            });
        } else if !seen.insert(rule.id.as_str()) {
            problems.push(Invalid::DuplicateId(rule.id.clone()));
        }
        problems.extend(empty_fields(rule));
        if rule.resource_types.iter().all(|t| t.trim().is_empty()) {
            problems.push(Invalid::NoResourceTypes(rule.id.clone()));
        }
    }
    problems
}

fn empty_fields(rule: &Rule) -> impl Iterator<Item = Invalid> + '_ {
    [
        ("title", &rule.title),
        ("description", &rule.description),
        ("remediation", &rule.remediation),
        ("documentation", &rule.documentation),
    ]
    .into_iter()
    .filter(|(_, value)| value.trim().is_empty())
    .map(|(field, _)| Invalid::EmptyRuleField {
        rule: rule.id.clone(),
        field,
    })
}

/// The rule ids of the policies loaded so far, each with the policy that declared it:
/// one id must mean one rule in reports, suppressions and `--rule` selections.
#[derive(Debug, Clone, Default)]
pub struct DeclaredIds {
    owners: BTreeMap<String, String>,
}

impl DeclaredIds {
    /// Claims the ids of `rules` for `policy`. When one is already declared by another
    /// policy, nothing is claimed and the first such id is the error.
    pub fn claim(&mut self, policy: &str, rules: &[Rule]) -> Result<(), Invalid> {
        if let Some((id, by)) = rules
            .iter()
            .find_map(|rule| Some((&rule.id, self.owners.get(&rule.id)?)))
        {
            return Err(Invalid::Taken {
                id: id.clone(),
                by: by.clone(),
            });
        }
        for rule in rules {
            self.owners.insert(rule.id.clone(), policy.to_owned());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Severity;

    fn rule(id: &str) -> Rule {
        Rule {
            id: id.to_owned(),
            title: "Buckets carry an owner tag".to_owned(),
            severity: Severity::Low,
            description: "Unowned buckets are never cleaned up.".to_owned(),
            remediation: "Add an owner tag.".to_owned(),
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
    fn rule_ids_are_lowercase_words_starting_with_a_letter() {
        for good in [
            "open-ssh",
            "cis-4-1",
            "x",
            "a2",
            &"a".repeat(MAX_RULE_ID_LEN),
        ] {
            assert_eq!(check_rule_id(good), Ok(()), "{good}");
        }
        assert_eq!(check_rule_id(""), Err(IdProblem::Empty));
        for bad in ["-x", "4-1", "Open-ssh", "ß"] {
            assert_eq!(check_rule_id(bad), Err(IdProblem::Start), "{bad}");
        }
        for bad in ["open_ssh", "open ssh", "open-SSH", "openß"] {
            assert_eq!(check_rule_id(bad), Err(IdProblem::Characters), "{bad}");
        }
        let long = "a".repeat(MAX_RULE_ID_LEN + 1);
        assert_eq!(check_rule_id(&long), Err(IdProblem::TooLong));
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
    fn malformed_and_repeated_ids_are_refused() {
        let found = problems(&info(), &[rule("a"), rule("Bad_Id"), rule("a")]);
        assert_eq!(
            found,
            [
                Invalid::RuleId {
                    id: "Bad_Id".to_owned(),
                    problem: IdProblem::Start
                },
                Invalid::DuplicateId("a".to_owned()),
            ]
        );
        assert_eq!(
            found[1].to_string(),
            "rule id `a` is declared twice in the component"
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

    #[test]
    fn an_id_declared_by_an_earlier_policy_is_refused_whole() {
        let mut declared = DeclaredIds::default();
        assert_eq!(
            declared.claim("builtin:open-ssh", &[rule("open-ssh")]),
            Ok(())
        );
        let clash = declared
            .claim("team.wasm", &[rule("owner-tag"), rule("open-ssh")])
            .unwrap_err();
        assert_eq!(
            clash.to_string(),
            "rule id `open-ssh` is already declared by builtin:open-ssh; rule ids must be unique"
        );
        // Nothing of the refused policy was claimed.
        assert_eq!(declared.claim("other.wasm", &[rule("owner-tag")]), Ok(()));
    }
}
