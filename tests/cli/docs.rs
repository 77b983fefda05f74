//! `docs/rules` is rendered from the policies' own documentation and must stay current.

use std::fs;
use std::path::Path;

use crate::common::{palisade, root};

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
    assert_eq!(
        names,
        [
            "README.md",
            "open-ssh.md",
            "public-bucket.md",
            "unencrypted-disk.md"
        ]
    );
    assert_eq!(
        pages(&root().join("docs/rules")),
        expected,
        "docs/rules is stale: run `cargo run --release -- rules --write-docs docs/rules`"
    );
}

#[test]
fn explain_prints_the_rendered_page() {
    let run = palisade(&["explain", "open-ssh"], &root());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = fs::read_to_string(root().join("docs/rules/open-ssh.md")).unwrap_or_default();
    assert_eq!(run.stdout, page);
}
