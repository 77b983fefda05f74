//! The evaluate stage: every policy on every loaded document set, in the sandbox and in
//! parallel, each finding located in its file.
//!
//! Problems are collected, never thrown, so that one bad file or one misbehaving policy
//! does not hide the rest.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};
use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;

use super::locate::locate;
use super::policies::{RuleFilter, rules};
use crate::engine::{Evaluation, Policy, PolicyError, Selection};
use palisade_load::Loaded;
use palisade_model::{
    Checked, DocumentSet, Finding, PARAMETER_TYPE, Place, Position, Problem, Report, RuleRun, Span,
};

/// Evaluates `policies` (restricted by `filter`) on every document set `loaded` holds,
/// and with `list_checked` lists what every rule read in [`Report::checked`].
pub fn evaluate(
    loaded: Loaded,
    policies: &[Policy],
    filter: &RuleFilter,
    list_checked: bool,
) -> Report {
    // What the rules read is listed while they run: a plan lists tens of thousands.
    let (results, checked): (Vec<Evaluated>, _) = rayon::join(
        || {
            let chosen = chosen(policies, filter);
            evaluate_batches(&batches(&loaded.sets, &chosen), filter)
        },
        || {
            if list_checked {
                checked(&loaded.sets, policies, filter)
            } else {
                Vec::new()
            }
        },
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
    report
        .findings
        .reserve_exact(results.iter().map(|r| r.findings.len()).sum());
    report
        .notes
        .reserve_exact(results.iter().map(|r| r.notes.len()).sum());
    for result in results {
        report.findings.extend(result.findings);
        report.notes.extend(result.notes);
        report.errors.extend(result.errors);
    }
    sort_by_file(&mut report.findings, |f| &f.file, finding_order);
    sort_by_file(&mut report.notes, |f| &f.file, finding_order);
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
    sort_by_file(
        &mut checked,
        |c| &c.file,
        |(file_a, a), (file_b, b)| checked_key(file_a, a).cmp(&checked_key(file_b, b)),
    );
    checked.dedup_by(|a, b| (&a.rule, &a.address, &a.file) == (&b.rule, &b.address, &b.file));
    checked
}

/// Sorts `items` by `order`, which is given each item with the rank of its `file` in
/// path order. Comparing paths component by component for every pair of thousands of
/// findings (one per rule and resource in `checked`) costs more than the rest of the
/// report, so each distinct path is compared only while ranking; and sorting positions
/// rather than the items themselves spares a copy of them all (the sort's scratch).
fn sort_by_file<T>(
    items: &mut [T],
    file: impl Fn(&T) -> &Path,
    order: impl Fn((usize, &T), (usize, &T)) -> Ordering,
) {
    let ranks: Vec<usize> = {
        let distinct: HashSet<&Path> = items.iter().map(&file).collect();
        let mut sorted: Vec<&Path> = distinct.into_iter().collect();
        sorted.sort_unstable();
        let rank: HashMap<&Path, usize> = sorted.into_iter().zip(0..).collect();
        items.iter().map(|item| rank[file(item)]).collect()
    };
    let mut sorted: Vec<usize> = (0..items.len()).collect();
    sorted.sort_by(|&a, &b| order((ranks[a], &items[a]), (ranks[b], &items[b])));
    permute(items, sorted);
}

/// Reorders `items` so that position `i` holds the item that was at `from[i]`, in
/// place: each cycle of the permutation is followed once.
fn permute<T>(items: &mut [T], mut from: Vec<usize>) {
    for start in 0..items.len() {
        let mut at = start;
        while from[at] != start {
            let next = from[at];
            items.swap(at, next);
            from[at] = at;
            at = next;
        }
        from[at] = at;
    }
}

/// The order of `Checked`'s fields, with the file's rank for the file.
fn checked_key(file: usize, c: &Checked) -> (&str, usize, &str, &str, Span) {
    (&c.rule, file, &c.address, &c.resource_type, c.span)
}

fn finding_order((file_a, a): (usize, &Finding), (file_b, b): (usize, &Finding)) -> Ordering {
    order_key(file_a, a).cmp(&order_key(file_b, b))
}

fn order_key(file: usize, f: &Finding) -> (usize, Position, &str, &str, &str, &str) {
    (
        file,
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

/// At most this many document sets are evaluated by one policy in one instance. A fresh
/// instance costs more than evaluating most templates, and a batch is one task for the
/// thread pool: batches small enough leave work to share between the threads.
const BATCH_SETS: usize = 16;

/// A batch is closed once it holds this many selected resources.
const BATCH_RESOURCES: usize = 2_000;

/// Document sets one policy evaluates in one instance, with the resources of each that
/// its rules read.
struct Batch<'a> {
    policy: &'a Policy,
    /// The rules `filter` keeps, when it does not keep them all.
    rules: Option<&'a [String]>,
    selections: Vec<(&'a DocumentSet, Vec<usize>)>,
}

/// What each batch's policy said about each of its sets, in the order of `batches`.
///
/// The batches are started largest first, each by the next thread free. A plan is one
/// batch per policy, of tens of milliseconds each: started in the order given (or split
/// in halves between the threads, as a parallel iterator does) the longest could start
/// last, while the other threads wait for it with nothing left to do.
fn evaluate_batches(batches: &[Batch<'_>], filter: &RuleFilter) -> Vec<Evaluated> {
    let mut largest_first: Vec<usize> = (0..batches.len()).collect();
    largest_first.sort_by_key(|&i| std::cmp::Reverse(batches[i].resources()));
    let next = AtomicUsize::new(0);
    let done = Mutex::new(Vec::with_capacity(batches.len()));
    rayon::scope(|scope| {
        for _ in 0..rayon::current_num_threads() {
            scope.spawn(|_| {
                while let Some(&i) = largest_first.get(next.fetch_add(1, AtomicOrdering::Relaxed)) {
                    let evaluated = batches[i].evaluate(filter);
                    done.lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push((i, evaluated));
                }
            });
        }
    });
    let mut done = done.into_inner().unwrap_or_else(PoisonError::into_inner);
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter()
        .flat_map(|(_, evaluated)| evaluated)
        .collect()
}

/// Each policy with the ids of its rules that `filter` keeps.
fn chosen<'a>(policies: &'a [Policy], filter: &RuleFilter) -> Vec<(&'a Policy, Vec<String>)> {
    policies
        .iter()
        .map(|policy| {
            let rules = policy.rules.iter().filter(|rule| filter.allows(&rule.id));
            (policy, rules.map(|rule| rule.id.clone()).collect())
        })
        .collect()
}

/// Every set's selected resources for each policy with its `chosen` rules, in batches
/// in the order of the policies and the sets, so that a batch holds the same sets on
/// every run. A set of which a policy reads nothing is not sent to it.
fn batches<'a>(sets: &'a [DocumentSet], chosen: &'a [(&'a Policy, Vec<String>)]) -> Vec<Batch<'a>> {
    let selected: Vec<Vec<(&DocumentSet, Vec<usize>)>> = chosen
        .par_iter()
        .map(|(policy, rules)| {
            let wanted: BTreeSet<&str> = policy
                .rules
                .iter()
                .filter(|rule| rules.contains(&rule.id))
                .flat_map(|rule| rule.resource_types.iter().map(String::as_str))
                .collect();
            sets.iter()
                .map(|set| (set, read_by(set, &wanted)))
                .filter(|(_, selected)| !selected.is_empty())
                .collect()
        })
        .collect();
    chosen
        .iter()
        .zip(selected)
        .flat_map(|((policy, rules), selections)| {
            // Every rule: the plain evaluation; some: the component runs only those.
            let rules = (rules.len() < policy.rules.len()).then_some(rules.as_slice());
            in_batches(selections)
                .into_iter()
                .map(move |selections| Batch {
                    policy,
                    rules,
                    selections,
                })
        })
        .collect()
}

/// `selections` in order, cut into batches of at most [`BATCH_SETS`] sets, each closed
/// once it reaches [`BATCH_RESOURCES`] selected resources.
fn in_batches<S>(selections: Vec<(S, Vec<usize>)>) -> Vec<Vec<(S, Vec<usize>)>> {
    let mut batches: Vec<Vec<(S, Vec<usize>)>> = Vec::new();
    let mut resources = 0;
    for selection in selections {
        match batches.last_mut() {
            Some(batch) if batch.len() < BATCH_SETS && resources < BATCH_RESOURCES => {
                resources += selection.1.len();
                batch.push(selection);
            }
            _ => {
                resources = selection.1.len();
                batches.push(vec![selection]);
            }
        }
    }
    batches
}

/// The positions of the resources of `set` whose type is `wanted`.
fn read_by(set: &DocumentSet, wanted: &BTreeSet<&str>) -> Vec<usize> {
    set.resources
        .iter()
        .enumerate()
        .filter(|(_, r)| wanted.contains(r.resource_type.as_str()))
        .map(|(i, _)| i)
        .collect()
}

impl Batch<'_> {
    /// How many resources the policy reads: what its evaluation takes, roughly.
    fn resources(&self) -> usize {
        self.selections
            .iter()
            .map(|(_, selected)| selected.len())
            .sum()
    }

    /// What the policy said about each set, its findings located in their files.
    fn evaluate(&self, filter: &RuleFilter) -> Vec<Evaluated> {
        let selections: Vec<Selection<'_>> = self
            .selections
            .iter()
            .map(|(set, resources)| Selection { set, resources })
            .collect();
        let results = self.policy.evaluate_sets(&selections, self.rules);
        self.selections
            .iter()
            .zip(results)
            .map(|((set, _), result)| evaluated(set, self.policy, filter, result))
            .collect()
    }
}

fn evaluated(
    set: &DocumentSet,
    policy: &Policy,
    filter: &RuleFilter,
    result: Result<Evaluation, PolicyError>,
) -> Evaluated {
    let evaluation = match result {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_hold_at_most_16_sets_and_close_past_2000_resources() {
        let sizes = |batches: Vec<Vec<(usize, Vec<usize>)>>| -> Vec<Vec<usize>> {
            let sizes = batches
                .into_iter()
                .map(|batch| batch.into_iter().map(|(set, _)| set));
            sizes.map(Iterator::collect).collect()
        };
        let small: Vec<(usize, Vec<usize>)> = (0..35).map(|set| (set, vec![0; 10])).collect();
        let counts: Vec<usize> = sizes(in_batches(small)).iter().map(Vec::len).collect();
        assert_eq!(counts, [16, 16, 3]);
        let large = vec![
            (0, vec![0; 1500]),
            (1, vec![0; 600]),
            (2, vec![0; 1]),
            (3, vec![0; 5000]),
        ];
        assert_eq!(sizes(in_batches(large)), [vec![0, 1], vec![2, 3]]);
        assert!(in_batches(Vec::<(usize, Vec<usize>)>::new()).is_empty());
    }

    #[test]
    fn permute_moves_each_item_where_the_order_says() {
        let mut items = vec!['a', 'b', 'c', 'd', 'e'];
        permute(&mut items, vec![3, 0, 4, 1, 2]);
        assert_eq!(items, ['d', 'a', 'e', 'b', 'c']);
        let mut same = vec![1, 2];
        permute(&mut same, vec![0, 1]);
        assert_eq!(same, [1, 2]);
    }

    #[test]
    fn sorting_by_file_ranks_paths_in_path_order() {
        let mut items = vec![("b/x", 2), ("a", 1), ("a/b", 3), ("a", 0), ("a-b", 4)];
        sort_by_file(
            &mut items,
            |(file, _)| Path::new(file),
            |(fa, a), (fb, b)| (fa, a.1).cmp(&(fb, b.1)),
        );
        let files: Vec<_> = items.iter().map(|item| item.0).collect();
        // Component order: `a` < `a/b` < `a-b` (bytes would put `a-b` before `a/b`).
        assert_eq!(files, ["a", "a", "a/b", "a-b", "b/x"]);
        assert_eq!(items[0].1, 0);
    }
}
