//! The rules policies declare, as the runner and the reports describe them.

use std::collections::BTreeMap;
use std::sync::Arc;

use palisade_contract::first_duplicate;

use super::Severity;

/// One rule of a policy, as `palisade rules` and `palisade explain` show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Stable id users select and suppress by, as `palisade_contract::check_rule_id`
    /// defines it.
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub description: String,
    /// Shared with every finding of the rule, which all carry it.
    pub remediation: Arc<str>,
    /// Markdown.
    pub documentation: String,
    /// The resource types the rule reads; the runner sends only these.
    pub resource_types: Vec<String>,
}

/// A rule that took part in a run, with the policy that holds it: reports that describe
/// their rules (SARIF's tool driver, JUnit's suites) list these.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleRun {
    pub policy: String,
    pub rule: Rule,
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
    pub fn claim(&mut self, policy: &str, rules: &[Rule]) -> Result<(), IdTaken> {
        let declared = self.owners.keys().map(String::as_str);
        let claimed = rules.iter().map(|rule| rule.id.as_str());
        if let Some(id) = first_duplicate(declared.chain(claimed)) {
            let by = self.owners.get(id).map_or(policy, String::as_str);
            return Err(IdTaken {
                id: id.to_owned(),
                by: by.to_owned(),
            });
        }
        for rule in rules {
            self.owners.insert(rule.id.clone(), policy.to_owned());
        }
        Ok(())
    }
}

/// A rule id that another loaded policy declares already.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("rule id `{id}` is already declared by {by}; rule ids must be unique")]
pub struct IdTaken {
    pub id: String,
    pub by: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(id: &str) -> Rule {
        Rule {
            id: id.to_owned(),
            title: "t".to_owned(),
            severity: Severity::Low,
            description: "d".to_owned(),
            remediation: "r".into(),
            documentation: "# d\n".to_owned(),
            resource_types: vec!["aws_s3_bucket".to_owned()],
        }
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
