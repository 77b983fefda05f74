//! The labelled real-world corpus (`../shared/corpus`, cases from Checkov, KICS,
//! InfraGuard, Regula and Trivy with `labels.json`): recall, precision and finding lines
//! of the three core rules on Terraform, ROS and plan cases, printed as a table and held
//! to 1.0 / 1.0 / 95 %.
//!
//! Run `cargo test --release --test cli corpus -- --nocapture` to see the figures.
//! Every case directory is its own document set, as if scanned alone.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{palisade, root};

/// The subchecks that are the three rules' own verdicts (the S3 public-access-block
/// subchecks repeat an upstream verdict and are not scored).
const CORE_SUBCHECKS: [&str; 3] = ["acl-public", "ingress-22-world", "disk-unencrypted"];

fn corpus() -> Option<PathBuf> {
    let dir = root().parent()?.join("shared/corpus");
    dir.join("labels.json").is_file().then_some(dir)
}

#[derive(Default, Debug)]
struct Score {
    true_positives: usize,
    false_negatives: usize,
    false_positives: usize,
    true_negatives: usize,
    right_line: usize,
    misses: Vec<String>,
}

impl Score {
    fn recall(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }
    fn precision(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }
    fn line_accuracy(&self) -> f64 {
        ratio(self.right_line, self.true_positives)
    }
}

fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 { 1.0 } else { n as f64 / d as f64 }
}

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key].as_str().unwrap_or_default()
}

fn case_of(file: &str) -> String {
    Path::new(file)
        .parent()
        .map(|p| p.display().to_string())
        .unwrap_or_default()
}

#[test]
fn labelled_corpus_recall_precision_and_lines() {
    let Some(corpus) = corpus() else {
        eprintln!("../shared/corpus is not here: corpus scoring skipped");
        return;
    };
    let labels: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(corpus.join("labels.json")).expect("labels.json reads"),
    )
    .expect("labels.json parses");
    let cases: BTreeSet<String> = labels.iter().map(|l| case_of(text(l, "file"))).collect();
    let mut args = vec!["check", "--format", "json"];
    args.extend(cases.iter().map(String::as_str));
    let run = palisade(&args, &corpus);
    let report = run.json();

    // Findings by (case, rule) -> [(address, line)]. A public bucket *policy* is an
    // exposure the ACL labels (`acl-public`) do not speak of, so it is not scored here.
    let mut found: BTreeMap<(String, String), Vec<(String, u64)>> = BTreeMap::new();
    for finding in report["findings"].as_array().into_iter().flatten() {
        let attribute = text(finding, "attribute");
        if attribute.starts_with("policy") || attribute.starts_with("Policy") {
            continue;
        }
        found
            .entry((
                case_of(text(finding, "file")),
                text(finding, "rule").to_owned(),
            ))
            .or_default()
            .push((
                text(&finding["resource"], "address").to_owned(),
                finding["line"].as_u64().unwrap_or_default(),
            ));
    }

    let mut scores: BTreeMap<(String, bool), Score> = BTreeMap::new();
    for label in &labels {
        if !CORE_SUBCHECKS.contains(&text(label, "subcheck")) {
            continue;
        }
        let group = if text(label, "format") == "plan" {
            "plan"
        } else {
            "tf+ros"
        };
        let rule = text(label, "rule").to_owned();
        let ambiguous = label["ambiguous"].as_bool().unwrap_or(false);
        let mut addresses = vec![text(label, "resource")];
        addresses.extend(
            label["alt_resources"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str),
        );
        let key = (case_of(text(label, "file")), rule.clone());
        let hits: Vec<u64> = found
            .get(&key)
            .into_iter()
            .flatten()
            .filter(|(address, _)| addresses.contains(&address.as_str()))
            .map(|(_, line)| *line)
            .collect();
        let score = scores
            .entry((format!("{rule} ({group})"), ambiguous))
            .or_default();
        let what = format!("{} {}", text(label, "file"), text(label, "resource"));
        match (text(label, "expected") == "fail", hits.is_empty()) {
            (true, false) => {
                score.true_positives += 1;
                if hits.contains(&label["line"].as_u64().unwrap_or_default()) {
                    score.right_line += 1;
                } else {
                    score
                        .misses
                        .push(format!("line {hits:?}, labelled {}: {what}", label["line"]));
                }
            }
            (true, true) => {
                score.false_negatives += 1;
                score.misses.push(format!("missed: {what}"));
            }
            (false, false) => {
                score.false_positives += 1;
                score.misses.push(format!("false positive: {what}"));
            }
            (false, true) => score.true_negatives += 1,
        }
    }

    eprintln!(
        "{:<32} {:>4} {:>4} {:>4} {:>4} {:>7} {:>9} {:>6}",
        "rule (labels)", "tp", "fn", "fp", "tn", "recall", "precision", "line"
    );
    for ((name, ambiguous), s) in &scores {
        eprintln!(
            "{:<32} {:>4} {:>4} {:>4} {:>4} {:>7.3} {:>9.3} {:>6.3}",
            format!("{name}{}", if *ambiguous { " ambiguous" } else { "" }),
            s.true_positives,
            s.false_negatives,
            s.false_positives,
            s.true_negatives,
            s.recall(),
            s.precision(),
            s.line_accuracy()
        );
        for miss in &s.misses {
            eprintln!("    {miss}");
        }
    }
    // Recall and precision per rule and format group; the finding line over all the
    // Terraform and ROS failures, since the sources label one shape at different lines (an
    // inline `ingress` block: its header for Checkov and Regula, its `cidr_blocks` line for
    // one KICS query). Plan lines are printed, not held: the three plan labels point at the
    // `"ingress": [` key where findings point at the list element, and one at a line of
    // another resource.
    let (mut failures, mut right_lines) = (0, 0);
    for ((name, ambiguous), s) in &scores {
        if *ambiguous {
            continue;
        }
        assert!(s.recall() == 1.0 && s.precision() == 1.0, "{name}: {s:#?}");
        if name.ends_with("(plan)") {
            continue;
        }
        failures += s.true_positives;
        right_lines += s.right_line;
    }
    let line_accuracy = ratio(right_lines, failures);
    eprintln!(
        "finding line equal to the label's: {right_lines} of {failures} ({line_accuracy:.3})"
    );
    assert!(
        line_accuracy >= 0.95,
        "{right_lines} of {failures} findings at the labelled line"
    );
}
