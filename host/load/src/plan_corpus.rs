//! Every Terraform plan of the shared corpus (`../shared/corpus/plans`: plans from the test
//! suites of Checkov, Conftest, KICS, Regula and Trivy) loads without a crash; the figures
//! per source are printed (`cargo test --release -p palisade-load plan_corpus -- --nocapture`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::{LoadOptions, PlanScope, load_paths};
use palisade_model::UNKNOWN_KEY;

fn plans_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/plans");
    dir.is_dir().then_some(dir)
}

fn plan_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            plan_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "json") {
            found.push(path);
        }
    }
}

fn unknowns(value: &serde_json::Value) -> usize {
    match value {
        serde_json::Value::Object(map) if map.contains_key(UNKNOWN_KEY) => 1,
        serde_json::Value::Object(map) => map.values().map(unknowns).sum(),
        serde_json::Value::Array(items) => items.iter().map(unknowns).sum(),
        _ => 0,
    }
}

#[derive(Default)]
struct Figures {
    files: usize,
    plans: usize,
    resources: usize,
    unknowns: usize,
    errors: Vec<String>,
}

#[test]
fn every_corpus_plan_loads() {
    let Some(dir) = plans_dir() else {
        eprintln!("../shared/corpus/plans is not here: skipped");
        return;
    };
    let mut files = Vec::new();
    plan_files(&dir, &mut files);
    let options = LoadOptions {
        plan_scope: PlanScope::All,
        ..LoadOptions::default()
    };
    let mut by_source: BTreeMap<String, Figures> = BTreeMap::new();
    for file in &files {
        let relative = file.strip_prefix(&dir).unwrap_or(file);
        let source = relative
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .unwrap_or_default();
        let loaded = load_paths(std::slice::from_ref(file), &options);
        let figures = by_source.entry(source).or_default();
        figures.files += 1;
        figures.plans += loaded.sets.len();
        for resource in loaded.sets.iter().flat_map(|s| &s.resources) {
            figures.resources += 1;
            figures.unknowns += unknowns(&resource.attributes);
        }
        for error in &loaded.errors {
            assert!(error.position.line > 0, "unlocated: {error}");
            figures
                .errors
                .push(format!("{}: {}", relative.display(), error.message));
        }
    }
    eprintln!(
        "{:<14} {:>6} {:>6} {:>10} {:>9} {:>7}",
        "source", "files", "plans", "resources", "unknowns", "errors"
    );
    for (source, f) in &by_source {
        eprintln!(
            "{source:<14} {:>6} {:>6} {:>10} {:>9} {:>7}",
            f.files,
            f.plans,
            f.resources,
            f.unknowns,
            f.errors.len()
        );
        for error in &f.errors {
            eprintln!("    {error}");
        }
    }
    assert!(files.len() > 50, "{} plans", files.len());
}
