//! Text a template, a file name or a configuration holds never reaches the terminal or
//! the CI log raw: a line break in a resource label must not start a line (where
//! `::error` is a GitHub Actions workflow command), and an escape sequence must not reach
//! the terminal.

use std::fs;

use crate::common::palisade;

/// An unencrypted disk whose label holds a line break, a workflow command and a
/// clear-screen sequence (as HCL escapes), and a raw escape in the quoted source line.
const INJECTING: &str = "resource \"alicloud_disk\" \"x\\n::error file=README.md,line=1::INJECTED\\n\\u001b[2Jhidden\" {\n  encrypted = false # \u{1b}[2J\u{7}\n}\n";

/// No line starts a workflow command it was not meant to, and no control character but
/// the line break (and a tab) is left.
fn assert_neutral(format: &str, text: &str) {
    for line in text.lines() {
        assert!(
            !line.trim_start().starts_with("::error file=README.md"),
            "{format}: {text}"
        );
    }
    assert!(
        !text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t'),
        "{format}: {text:?}"
    );
}

#[test]
fn labels_and_source_lines_are_printed_with_visible_escapes() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("main.tf"), INJECTING).expect("write main.tf");
    for format in ["text", "github", "junit"] {
        let run = palisade(&["check", ".", "--format", format], dir.path());
        assert_eq!(run.code, 1, "{format}: {}\n{}", run.stdout, run.stderr);
        assert_neutral(format, &run.stdout);
        assert!(
            run.stdout
                .contains("x\\n::error file=README.md,line=1::INJECTED\\n\\u{1b}[2Jhidden"),
            "{format}: {}",
            run.stdout
        );
    }
    let text = palisade(&["check", "."], dir.path()).stdout;
    assert!(
        text.contains("encrypted = false # \\u{1b}[2J\\u{7}"),
        "{text}"
    );
}

#[test]
fn error_messages_quote_file_names_with_visible_escapes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let name = "missing\n::error file=README.md::INJECTED\u{1b}[2J.toml";
    let run = palisade(&["check", ".", "--config", name], dir.path());
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_neutral("stderr", &run.stderr);
    assert!(
        run.stderr.starts_with(
            "error: cannot read missing\\n::error file=README.md::INJECTED\\u{1b}[2J.toml"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}
