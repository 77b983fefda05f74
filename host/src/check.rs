//! The pipeline of `palisade check`: load templates, evaluate every policy on every
//! document set in the sandbox, and locate each finding in its file.
//!
//! Each step takes plain data and returns plain data; problems are collected, never
//! thrown, so that one bad file or one misbehaving policy does not hide the rest.

use std::collections::BTreeSet;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::author::validate::DeclaredIds;
use crate::engine::{
    Engine, Policy, PolicyError, PolicySource, RawFinding, Rule, builtin_policies, policy_files,
};
use crate::load::{LoadOptions, load_paths};
use crate::model::{DocumentSet, Format, LoadError, Position, Severity, Span};

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

/// A failing (or, as a note, undecided) statement about one resource, located.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    /// The policy that holds the rule: `builtin:open-ssh` or a component path.
    pub policy: String,
    pub address: String,
    pub resource_type: String,
    /// The format of the file: a plan's lines are never quoted, since they may hold
    /// sensitive values next to the one a finding is about.
    pub format: Format,
    pub file: PathBuf,
    pub span: Span,
    /// The resource's header (`resource "t" "n" {`, a ROS logical id): a suppression
    /// comment on or above it covers every finding on the resource.
    pub resource_span: Span,
    /// Attribute path (`ingress[0].cidr_blocks[0]`); empty for the resource header.
    pub attribute: String,
    pub message: String,
    pub remediation: String,
}

/// Something that kept Palisade from checking part of the input: a file that could not
/// be loaded, or a policy that could not be loaded or evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: Option<PathBuf>,
    pub position: Option<Position>,
    pub policy: Option<String>,
    pub message: String,
}

impl Problem {
    fn policy(name: &str, error: &PolicyError) -> Self {
        Self {
            file: None,
            position: None,
            policy: Some(name.to_owned()),
            message: error.to_string(),
        }
    }
}

impl From<LoadError> for Problem {
    fn from(error: LoadError) -> Self {
        Self {
            position: (error.position.line > 0).then_some(error.position),
            file: Some(error.file),
            policy: None,
            message: error.message,
        }
    }
}

/// Counts for the summary line and the JSON `summary` object.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub resources: usize,
    pub policies: usize,
    pub findings: usize,
    pub errors: usize,
    /// Findings a suppression comment or ROS `Metadata` silenced.
    pub suppressed: usize,
}

/// A rule that took part in a run, with the policy that holds it: reports that describe
/// their rules (SARIF's tool driver, JUnit's suites) list these.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleRun {
    pub policy: String,
    pub rule: Rule,
}

/// One resource a rule read: JUnit shows it as a test case, so a report shows what passed
/// as well as what failed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Checked {
    pub rule: String,
    pub file: PathBuf,
    pub address: String,
    pub resource_type: String,
    pub span: Span,
}

/// Everything one run found, sorted for deterministic output.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    /// Every rule that ran, in the order the policies declare them.
    pub rules: Vec<RuleRun>,
    /// Every (rule, resource) pair evaluated, sorted; branch variants of one resource
    /// appear once.
    pub checked: Vec<Checked>,
    pub findings: Vec<Finding>,
    /// Statements that never fail a run: undecidable values, shadowed rules.
    pub notes: Vec<Finding>,
    pub errors: Vec<Problem>,
    /// Findings silenced by a suppression with a reason; they never fail a run.
    pub suppressed: Vec<crate::suppress::Suppressed>,
    /// Located remarks that never change the verdict: unused suppressions.
    pub warnings: Vec<Problem>,
    /// Findings a `--baseline` records: known, so they never fail a run.
    pub baselined: Vec<Finding>,
    /// Baseline entries no finding of the run matched: fixed since the baseline.
    pub fixed: Vec<crate::baseline::Entry>,
    pub summary: Summary,
}

/// What the process exit code means; documented in `palisade --help`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Exit 0: no finding at or above the threshold.
    Pass = 0,
    /// Exit 1: findings at or above the threshold.
    Fail = 1,
    /// Exit 2: a file or policy could not be loaded or evaluated.
    Error = 2,
}

impl Outcome {
    pub fn verdict(&self, fail_on: Severity) -> Verdict {
        if !self.errors.is_empty() {
            Verdict::Error
        } else if self.findings.iter().any(|f| f.severity >= fail_on) {
            Verdict::Fail
        } else {
            Verdict::Pass
        }
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
            Err(error) => problems.push(Problem::policy(&path.display().to_string(), &error)),
        }
    }
    sources.extend(read);
    let results: Vec<_> = sources
        .into_par_iter()
        .map(|source| {
            let name = source.name.clone();
            engine.load(source).map_err(|e| Problem::policy(&name, &e))
        })
        .collect();
    // Built-ins come first, so a built-in rule id always keeps its meaning.
    let mut declared = DeclaredIds::default();
    let mut policies = Vec::new();
    for result in results {
        match result {
            Ok(policy) => match declared.claim(&policy.name, &policy.rules) {
                Ok(()) => policies.push(policy),
                Err(clash) => problems.push(Problem {
                    file: None,
                    position: None,
                    message: format!("policy `{}` is not loaded: {clash}", policy.name),
                    policy: Some(policy.name),
                }),
            },
            Err(problem) => problems.push(problem),
        }
    }
    (policies, problems)
}

/// Loads `paths` and evaluates `policies` (restricted by `filter`) on every document set.
pub fn check(
    policies: &[Policy],
    paths: &[PathBuf],
    load: &LoadOptions,
    filter: &RuleFilter,
) -> Outcome {
    let loaded = load_paths(paths, load);
    let jobs: Vec<(&DocumentSet, &Policy)> = loaded
        .sets
        .iter()
        .flat_map(|set| policies.iter().map(move |policy| (set, policy)))
        .collect();
    let results: Vec<Evaluated> = jobs
        .into_par_iter()
        .map(|(set, policy)| evaluate(set, policy, filter))
        .collect();

    let mut outcome = Outcome {
        rules: rules(policies)
            .filter(|(_, rule)| filter.allows(&rule.id))
            .map(|(policy, rule)| RuleRun {
                policy: policy.name.clone(),
                rule: rule.clone(),
            })
            .collect(),
        checked: checked(&loaded.sets, policies, filter),
        errors: loaded.errors.into_iter().map(Problem::from).collect(),
        ..Outcome::default()
    };
    for result in results {
        outcome.findings.extend(result.findings);
        outcome.notes.extend(result.notes);
        outcome.errors.extend(result.errors);
    }
    outcome.findings.sort_by(finding_order);
    outcome.notes.sort_by(finding_order);
    // Branch variants of one resource agree on what does not depend on the branch.
    outcome.findings.dedup();
    outcome.notes.dedup();
    outcome.errors.sort_by(|a, b| {
        (&a.file, a.position, &a.policy, &a.message)
            .cmp(&(&b.file, b.position, &b.policy, &b.message))
    });
    outcome.summary = Summary {
        files: loaded.files,
        resources: loaded.sets.iter().map(|s| s.resources.len()).sum(),
        policies: policies.len(),
        findings: outcome.findings.len(),
        errors: outcome.errors.len(),
        suppressed: 0,
    };
    outcome
}

/// Every (rule, resource) pair the rules read, one per resource address.
fn checked(sets: &[DocumentSet], policies: &[Policy], filter: &RuleFilter) -> Vec<Checked> {
    let mut checked: Vec<Checked> = rules(policies)
        .filter(|(_, rule)| filter.allows(&rule.id))
        .flat_map(|(_, rule)| {
            sets.iter()
                .flat_map(|set| &set.resources)
                .filter(|r| rule.resource_types.contains(&r.resource_type))
                .map(|r| Checked {
                    rule: rule.id.clone(),
                    file: r.file.clone(),
                    address: r.address.clone(),
                    resource_type: r.resource_type.clone(),
                    span: r.span,
                })
        })
        .collect();
    checked.sort();
    checked.dedup_by(|a, b| (&a.rule, &a.file, &a.address) == (&b.rule, &b.file, &b.address));
    checked
}

fn finding_order(a: &Finding, b: &Finding) -> std::cmp::Ordering {
    (
        &a.file,
        a.span.start,
        &a.rule,
        &a.address,
        &a.attribute,
        &a.message,
    )
        .cmp(&(
            &b.file,
            b.span.start,
            &b.rule,
            &b.address,
            &b.attribute,
            &b.message,
        ))
}

/// What one policy said about one document set.
#[derive(Default)]
struct Evaluated {
    findings: Vec<Finding>,
    notes: Vec<Finding>,
    errors: Vec<Problem>,
}

fn evaluate(set: &DocumentSet, policy: &Policy, filter: &RuleFilter) -> Evaluated {
    let wanted: BTreeSet<&str> = policy
        .rules
        .iter()
        .filter(|rule| filter.allows(&rule.id))
        .flat_map(|rule| rule.resource_types.iter().map(String::as_str))
        .collect();
    let selected: Vec<usize> = set
        .resources
        .iter()
        .enumerate()
        .filter(|(_, r)| wanted.contains(r.resource_type.as_str()))
        .map(|(i, _)| i)
        .collect();
    if selected.is_empty() {
        return Evaluated::default();
    }
    match policy.evaluate(set, &selected) {
        Ok(evaluation) => {
            let mut out = Evaluated::default();
            for (raw, is_note) in evaluation
                .findings
                .into_iter()
                .map(|f| (f, false))
                .chain(evaluation.notes.into_iter().map(|f| (f, true)))
            {
                match locate(set, policy, raw) {
                    Ok(finding) if !filter.allows(&finding.rule) => {}
                    Ok(finding) if is_note => out.notes.push(finding),
                    Ok(finding) => out.findings.push(finding),
                    Err(problem) => out.errors.push(problem),
                }
            }
            out
        }
        Err(error) => Evaluated {
            errors: vec![Problem {
                file: Some(set.origin.clone()),
                ..Problem::policy(&policy.name, &error)
            }],
            ..Evaluated::default()
        },
    }
}

/// Turns a policy's statement into a located finding, refusing statements about rules
/// the policy did not declare (a component must not speak for another's rule ids).
fn locate(set: &DocumentSet, policy: &Policy, raw: RawFinding) -> Result<Finding, Problem> {
    let Some(rule) = policy.rules.iter().find(|r| r.id == raw.rule) else {
        return Err(Problem {
            file: Some(set.origin.clone()),
            position: None,
            policy: Some(policy.name.clone()),
            message: format!(
                "policy {} returned a finding for rule `{}`, which it does not declare",
                policy.name, raw.rule
            ),
        });
    };
    let resource = usize::try_from(raw.resource_index)
        .ok()
        .and_then(|i| set.resources.get(i))
        .ok_or_else(|| Problem {
            file: Some(set.origin.clone()),
            position: None,
            policy: Some(policy.name.clone()),
            message: format!(
                "policy {} returned a finding for resource #{}, which does not exist",
                policy.name, raw.resource_index
            ),
        })?;
    Ok(Finding {
        rule: rule.id.clone(),
        severity: raw.severity.unwrap_or(rule.severity),
        policy: policy.name.clone(),
        address: resource.address.clone(),
        resource_type: resource.resource_type.clone(),
        // A plan finding mapped to its configuration points at Terraform source.
        format: match set.format {
            Format::Plan if resource.file != set.origin => Format::Terraform,
            format => format,
        },
        file: resource.file.clone(),
        span: resource.locate(&raw.attribute),
        resource_span: resource.span,
        message: match resource.origin(&raw.attribute) {
            Some(origin) => format!("{} ({origin})", raw.message),
            None => raw.message,
        },
        attribute: raw.attribute,
        remediation: rule.remediation.clone(),
    })
}
