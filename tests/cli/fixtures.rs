//! Per-rule fixtures, one snapshot each: `policies/<rule>/tests/<case>/` holds the
//! templates of one case (secure, insecure or tricky) and its `expect.toml`, and
//! `policies/<rule>/snapshots/<case>.snap` records everything the rule says about them,
//! findings and notes, with the source line each points at. `palisade test` checks the
//! same cases against their `expect.toml` (tests/cli/policy_test.rs); the snapshot also
//! keeps the notes and the full messages.
//!
//! A new case is a new directory; `cargo insta review` shows its snapshot to read.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{palisade, root};

#[test]
fn every_rule_fixture_matches_its_snapshot() {
    let mut cases = 0;
    let mut mismatches = Vec::new();
    for (rule, rule_dir) in rule_dirs() {
        for case in case_dirs(&rule_dir) {
            let name = file_name(&case);
            let run = palisade(&["check", ".", "--rule", &rule, "--format", "json"], &case);
            assert!(
                run.code == 0 || run.code == 1,
                "{rule}/{name}: {}\n{}",
                run.stdout,
                run.stderr
            );
            let report = run.json();
            assert_eq!(report["errors"], serde_json::json!([]), "{rule}/{name}");
            let mut settings = insta::Settings::clone_current();
            settings.set_snapshot_path(rule_dir.join("snapshots"));
            settings.set_prepend_module_to_snapshot(false);
            settings.set_omit_expression(true);
            settings.set_input_file(&case);
            let rendered = render(&report, &case);
            // Every case is compared (and every pending snapshot written) before failing,
            // so that one rule's review does not hide another's.
            let compared = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                settings.bind(|| insta::assert_snapshot!(name.as_str(), rendered));
            }));
            if compared.is_err() {
                mismatches.push(format!("{rule}/{name}"));
            }
            cases += 1;
        }
    }
    assert!(cases > 0, "no fixtures found");
    assert!(mismatches.is_empty(), "snapshots differ: {mismatches:?}");
}

/// `(rule id, policies/<rule>)` for every policy crate that has fixtures.
fn rule_dirs() -> Vec<(String, PathBuf)> {
    subdirs(&root().join("policies"))
        .into_iter()
        .filter(|dir| !case_dirs(dir).is_empty())
        .map(|dir| (file_name(&dir), dir))
        .collect()
}

/// The fixture directories of a policy crate, as `palisade test` finds them: every
/// directory under `tests/` except cargo's Rust helper modules and hidden ones.
fn case_dirs(rule_dir: &Path) -> Vec<PathBuf> {
    subdirs(&rule_dir.join("tests"))
        .into_iter()
        .filter(|case| !file_name(case).starts_with('.') && !holds_rust(case))
        .collect()
}

fn holds_rust(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .filter_map(Result::ok)
            .any(|e| e.path().extension().is_some_and(|ext| ext == "rs"))
    })
}

fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    dirs
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// One block per finding or note: where, what, and the source line it points at.
fn render(report: &Value, case: &Path) -> String {
    let mut out = String::new();
    for (kind, key) in [("fail", "findings"), ("note", "notes")] {
        for item in report[key].as_array().into_iter().flatten() {
            let file = item["file"].as_str().unwrap_or_default();
            let line = item["line"].as_u64().unwrap_or_default();
            let source = fs::read_to_string(case.join(file)).unwrap_or_default();
            let text = source
                .lines()
                .nth(line.saturating_sub(1) as usize)
                .unwrap_or_default();
            out.push_str(&format!(
                "{kind} {}:{}:{} {} {} {}\n  {}\n  | {}\n",
                file,
                line,
                item["column"],
                item["severity"].as_str().unwrap_or_default(),
                item["resource"]["address"].as_str().unwrap_or_default(),
                item["attribute"].as_str().unwrap_or_default(),
                item["message"].as_str().unwrap_or_default(),
                text.trim(),
            ));
        }
    }
    if out.is_empty() {
        out.push_str("no findings, no notes\n");
    }
    out
}
