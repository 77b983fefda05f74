//! The evaluate stage: every policy on every loaded document set, in the sandbox and in
//! parallel, each finding located in its file.
//!
//! Problems are collected, never thrown, so that one bad file or one misbehaving policy
//! does not hide the rest.

use std::collections::BTreeSet;
use std::path::Path;

use rayon::prelude::*;

use super::locate::locate;
use super::policies::{RuleFilter, rules};
use crate::engine::Policy;
use palisade_load::Loaded;
use palisade_model::{
    Checked, DocumentSet, Finding, PARAMETER_TYPE, Place, Position, Problem, Report, RuleRun,
};

/// Evaluates `policies` (restricted by `filter`) on every document set `loaded` holds.
pub fn evaluate(loaded: Loaded, policies: &[Policy], filter: &RuleFilter) -> Report {
    let jobs: Vec<(&DocumentSet, &Policy)> = loaded
        .sets
        .iter()
        .flat_map(|set| policies.iter().map(move |policy| (set, policy)))
        .collect();
    // What the rules read is listed while they run: a plan lists tens of thousands.
    let (results, checked): (Vec<Evaluated>, _) = rayon::join(
        || {
            jobs.into_par_iter()
                .map(|(set, policy)| evaluate_one(set, policy, filter))
                .collect()
        },
        || checked(&loaded.sets, policies, filter),
    );

    let mut report = Report {
        rules: rules(policies)
            .filter(|(_, rule)| filter.allows(&rule.id))
            .map(|(policy, rule)| RuleRun {
                policy: policy.name.clone(),
                rule: rule.clone(),
            })
            .collect(),
        checked,
        errors: loaded.errors.into_iter().map(Problem::from).collect(),
        warnings: loaded.warnings.into_iter().map(Problem::from).collect(),
        files: loaded.files,
        // A ROS parameter's declaration reaches policies as a resource, but is none.
        resources: loaded
            .sets
            .iter()
            .flat_map(|set| &set.resources)
            .filter(|resource| resource.resource_type != PARAMETER_TYPE)
            .count(),
        policies: policies.len(),
        ..Report::default()
    };
    // Freeing ten thousand resources takes as long as sorting what was found: it is
    // done on the side.
    let sets = loaded.sets;
    rayon::spawn(move || drop(sets));
    for result in results {
        report.findings.extend(result.findings);
        report.notes.extend(result.notes);
        report.errors.extend(result.errors);
    }
    report.findings.sort_by(finding_order);
    report.notes.sort_by(finding_order);
    // Branch variants of one resource agree on what does not depend on the branch.
    report.findings.dedup();
    report.notes.dedup();
    report
        .errors
        .sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    report
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
    order_key(a).cmp(&order_key(b))
}

fn order_key(f: &Finding) -> (&Path, Position, &str, &str, &str, &str) {
    (
        &f.file,
        f.span.start,
        &f.rule,
        &f.address,
        &f.attribute,
        &f.message,
    )
}

/// What one policy said about one document set.
#[derive(Default)]
struct Evaluated {
    findings: Vec<Finding>,
    notes: Vec<Finding>,
    errors: Vec<Problem>,
}

fn evaluate_one(set: &DocumentSet, policy: &Policy, filter: &RuleFilter) -> Evaluated {
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
    let evaluation = match policy.evaluate(set, &selected) {
        Ok(evaluation) => evaluation,
        Err(error) => {
            let problem = Problem::Policy {
                policy: policy.name.clone(),
                place: Some(Place::file(&set.origin)),
                message: error.to_string(),
            };
            return Evaluated {
                errors: vec![problem],
                ..Evaluated::default()
            };
        }
    };
    let mut out = Evaluated::default();
    let findings = evaluation.findings.into_iter().map(|f| (f, false));
    let notes = evaluation.notes.into_iter().map(|f| (f, true));
    for (raw, is_note) in findings.chain(notes) {
        match locate(set, policy, raw) {
            Ok(finding) if !filter.allows(&finding.rule) => {}
            Ok(finding) if is_note => out.notes.push(finding),
            Ok(finding) => out.findings.push(finding),
            Err(problem) => out.errors.push(problem),
        }
    }
    out
}
