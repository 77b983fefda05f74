//! The policies of a run, and which of their rules take part.

use std::collections::BTreeSet;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::engine::{Engine, Policy, PolicyError, PolicySource, builtin_policies, policy_files};
use palisade_model::{DeclaredIds, Problem, Rule};

/// Which rules take part, from `--rule` and `--skip-rule`.
#[derive(Debug, Clone, Default)]
pub struct RuleFilter {
    /// When not empty, only these rule ids run.
    pub only: Vec<String>,
    /// These rule ids never run.
    pub skip: Vec<String>,
}

impl RuleFilter {
    pub fn allows(&self, id: &str) -> bool {
        (self.only.is_empty() || self.only.iter().any(|r| r == id))
            && !self.skip.iter().any(|r| r == id)
    }

    /// Rule ids named in the filter that no loaded policy defines: a typo the user
    /// must hear about rather than a silently empty run.
    pub fn unknown_ids<'a>(&'a self, policies: &[Policy]) -> Vec<&'a str> {
        let known: BTreeSet<&str> = rules(policies).map(|(_, rule)| rule.id.as_str()).collect();
        self.only
            .iter()
            .chain(&self.skip)
            .map(String::as_str)
            .filter(|id| !known.contains(id))
            .collect()
    }
}

/// Every rule of every policy, with the policy that holds it.
pub fn rules(policies: &[Policy]) -> impl Iterator<Item = (&Policy, &Rule)> {
    policies
        .iter()
        .flat_map(|p| p.rules.iter().map(move |r| (p, r)))
}

/// A policy could not be loaded or evaluated: a problem of the run.
pub fn policy_problem(error: &PolicyError) -> Problem {
    Problem::Policy {
        policy: error.policy.clone(),
        place: None,
        message: error.to_string(),
    }
}

/// The built-in policies plus the components found at `extra` paths, each compiled or
/// taken from the cache. A component that fails to load, or that declares a rule id an
/// earlier policy declares, is a problem, not a stop.
pub fn load_policies(engine: &Engine, extra: &[PathBuf]) -> (Vec<Policy>, Vec<Problem>) {
    load_policies_with(engine, extra, Vec::new())
}

/// [`load_policies`], plus components the caller has read already: those
/// `palisade.toml` pins, whose bytes were checked against their digests.
pub fn load_policies_with(
    engine: &Engine,
    extra: &[PathBuf],
    read: Vec<PolicySource>,
) -> (Vec<Policy>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut sources = builtin_policies();
    for path in extra {
        match policy_files(path) {
            Ok(found) => sources.extend(found),
            Err(error) => problems.push(policy_problem(&error)),
        }
    }
    sources.extend(read);
    let results: Vec<_> = sources
        .into_par_iter()
        .map(|source| engine.load(source).map_err(|e| policy_problem(&e)))
        .collect();
    // Built-ins come first, so a built-in rule id always keeps its meaning.
    let mut declared = DeclaredIds::default();
    let mut policies = Vec::new();
    for result in results {
        match result {
            Ok(policy) => match declared.claim(&policy.name, &policy.rules) {
                Ok(()) => policies.push(policy),
                Err(clash) => problems.push(Problem::Policy {
                    message: format!("policy `{}` is not loaded: {clash}", policy.name),
                    policy: policy.name,
                    place: None,
                }),
            },
            Err(problem) => problems.push(problem),
        }
    }
    (policies, problems)
}
