//! `docs/rules` is rendered from the policies' own documentation and must stay current.

use std::fs;
use std::path::Path;

use crate::common::{builtin_families, palisade, root};

fn pages(dir: &Path) -> Vec<(String, String)> {
    let mut pages: Vec<_> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| {
                    let text = fs::read_to_string(e.path()).unwrap_or_default();
                    (e.file_name().to_string_lossy().into_owned(), text)
                })
                .collect()
        })
        .unwrap_or_default();
    pages.sort();
    pages
}

#[test]
fn rendered_rule_pages_are_current() {
    let fresh = tempfile::tempdir().expect("temp dir");
    let dir = fresh.path().to_string_lossy().into_owned();
    let run = palisade(&["rules", "--write-docs", &dir], &root());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected = pages(fresh.path());
    let names: Vec<&str> = expected.iter().map(|(name, _)| name.as_str()).collect();
    let mut rules: Vec<String> = builtin_families()
        .into_iter()
        .flat_map(|(_, rules)| rules)
        .map(|rule| format!("{rule}.md"))
        .collect();
    rules.push("README.md".to_owned());
    rules.sort();
    assert_eq!(names, rules);
    assert_eq!(
        pages(&root().join("docs/rules")),
        expected,
        "docs/rules is stale: run `cargo run --release -- rules --write-docs docs/rules`"
    );
}

#[test]
fn explain_prints_the_rendered_page_of_every_rule() {
    for (_, rules) in builtin_families() {
        for rule in rules {
            let run = palisade(&["explain", &rule], &root());
            assert_eq!(run.code, 0, "{}", run.stderr);
            let page = root().join("docs/rules").join(format!("{rule}.md"));
            assert_eq!(run.stdout, fs::read_to_string(page).unwrap_or_default());
        }
    }
}
