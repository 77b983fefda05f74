//! Compiled policies are cached on disk: a second run compiles nothing.

use std::fs;
use std::path::Path;
use std::time::SystemTime;

use crate::common::{builtin_families, root};

fn cached_artifacts(dir: &Path) -> Vec<(String, SystemTime)> {
    let mut files: Vec<_> = fs::read_dir(dir)
        .expect("cache dir exists")
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "cwasm"))
        .map(|e| {
            let modified = e.metadata().and_then(|m| m.modified()).expect("mtime");
            (e.file_name().to_string_lossy().into_owned(), modified)
        })
        .collect();
    files.sort();
    files
}

fn check_verbose(cache: &Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(["check", "examples/aws/secure", "--verbose", "--cache-dir"])
        .arg(cache)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .expect("palisade runs")
}

#[test]
fn second_run_loads_every_policy_from_the_cache() {
    let policies = builtin_families().len();
    let cache = tempfile::tempdir().expect("temp dir");
    let first = check_verbose(cache.path());
    assert_eq!(first.status.code(), Some(0));
    let first_log = String::from_utf8_lossy(&first.stderr);
    assert_eq!(
        first_log.matches("compiled").count(),
        policies,
        "{first_log}"
    );
    let artifacts = cached_artifacts(cache.path());
    assert_eq!(
        artifacts.len(),
        policies,
        "one artifact per built-in policy"
    );

    let second = check_verbose(cache.path());
    assert_eq!(second.status.code(), Some(0));
    let second_log = String::from_utf8_lossy(&second.stderr);
    assert_eq!(
        second_log.matches("from the cache").count(),
        policies,
        "{second_log}"
    );
    assert!(!second_log.contains("compiled"), "{second_log}");
    assert_eq!(
        cached_artifacts(cache.path()),
        artifacts,
        "nothing was rewritten"
    );
}

#[test]
fn no_cache_writes_nothing() {
    let cache = tempfile::tempdir().expect("temp dir");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(["check", "examples/aws/secure", "--no-cache"])
        .current_dir(root())
        .env("PALISADE_CACHE_DIR", cache.path())
        .output()
        .expect("palisade runs");
    assert_eq!(run.status.code(), Some(0));
    assert!(cached_artifacts(cache.path()).is_empty());
}
