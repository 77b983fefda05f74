//! A minified template is one long line: the text report quotes a window of it around
//! each finding, so that the report grows with the findings, not with findings times the
//! line's length, and the reports written to files beside it are written.

use std::fmt::Write as _;
use std::fs;

use crate::common::palisade;

/// 30,000 unencrypted disks in a `.tf.json` of one line (about 950 KB), the last one
/// returned with the byte offset of its `"encrypted"`. Quoting the whole line for each
/// finding printed 28 GB and ran for minutes.
fn minified(disks: usize) -> (String, usize) {
    let mut text = String::from(r#"{"resource":{"alicloud_disk":{"#);
    let mut last = 0;
    for i in 0..disks {
        if i > 0 {
            text.push(',');
        }
        let _ = write!(text, r#""disk{i}":{{"#);
        last = text.len();
        text.push_str(r#""encrypted":false}"#);
    }
    text.push_str("}}}");
    (text, last)
}

#[test]
fn a_long_line_is_quoted_around_each_finding() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (text, last) = minified(30_000);
    fs::write(dir.path().join("main.tf.json"), &text).expect("write template");
    let run = palisade(
        &["check", ".", "--format", "sarif", "--output", "out.sarif"],
        dir.path(),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout
            .ends_with("30000 findings (30000 high), 0 errors\n"),
        "{}",
        run.stderr
    );
    let longest = run.stdout.lines().map(str::len).max().unwrap_or_default();
    assert!(longest < 400, "a line of {longest} bytes");
    // The location is the finding's column in the file, not in the quoted window.
    assert!(
        run.stdout
            .contains(&format!(" --> main.tf.json:1:{}\n", last + 1)),
        "{}",
        &run.stdout[run.stdout.len().saturating_sub(600)..]
    );
    assert!(run.stdout.contains(r#"1 | …rypted":false},"disk29998":{"#));
    let sarif: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("out.sarif")).expect("SARIF"))
            .expect("SARIF is JSON");
    let results = sarif["runs"][0]["results"].as_array().map(Vec::len);
    assert_eq!(results, Some(30_000));
}
