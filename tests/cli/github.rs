//! `--format github`: workflow commands the Actions runner turns into annotations,
//! checked by decoding them the way the runner does.

use std::collections::BTreeMap;
use std::fs;

use regex::Regex;

use crate::common::{palisade, root};

/// A workflow command, decoded.
#[derive(Debug)]
struct Command {
    level: String,
    properties: BTreeMap<String, String>,
    message: String,
}

/// `::level key=value,…::message`, with only the escapes the runner knows.
fn command_pattern() -> Regex {
    let escaped = |plain: &str, escapes: &str| format!("(?:[^%{plain}]|%(?:{escapes}))");
    let value = escaped(",:\r\n", "25|0D|0A|3A|2C");
    let data = escaped("\r\n", "25|0D|0A");
    Regex::new(&format!(
        "^::(error|warning|notice) ((?:[a-zA-Z]+={value}*)(?:,[a-zA-Z]+={value}*)*)::({data}*)$"
    ))
    .expect("valid pattern")
}

/// Decodes `%XX` escapes left to right, as the runner's unescaping amounts to.
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let (decoded, len) = match rest.get(i..i + 3) {
            Some("%25") => ("%", 3),
            Some("%0D") => ("\r", 3),
            Some("%0A") => ("\n", 3),
            Some("%3A") => (":", 3),
            Some("%2C") => (",", 3),
            _ => ("%", 1),
        };
        out.push_str(decoded);
        rest = &rest[i + len..];
    }
    out.push_str(rest);
    out
}

/// Every line but the last, parsed; the last is the plain summary.
fn commands(stdout: &str) -> (Vec<Command>, String) {
    let pattern = command_pattern();
    let mut lines: Vec<&str> = stdout.lines().collect();
    let summary = lines.pop().unwrap_or_default().to_owned();
    assert!(!summary.starts_with("::"), "{summary}");
    let commands = lines
        .into_iter()
        .map(|line| {
            let captures = pattern
                .captures(line)
                .unwrap_or_else(|| panic!("not a workflow command: {line}"));
            let properties = captures[2]
                .split(',')
                .map(|pair| {
                    let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                    (key.to_owned(), unescape(value))
                })
                .collect();
            Command {
                level: captures[1].to_owned(),
                properties,
                message: unescape(&captures[3]),
            }
        })
        .collect();
    (commands, summary)
}

#[test]
fn examples_give_one_annotation_per_finding() {
    let run = palisade(&["check", "examples", "--format", "github"], &root());
    assert_eq!(run.code, 1, "{}", run.stderr);
    let (commands, summary) = commands(&run.stdout);

    let json = palisade(&["check", "examples", "--format", "json"], &root()).json();
    let findings = json["findings"].as_array().expect("findings array");
    assert_eq!(commands.len(), findings.len());
    let count = |severity: &str| {
        findings
            .iter()
            .filter(|f| f["severity"] == severity)
            .count()
    };
    assert_eq!(
        summary,
        format!(
            "palisade: findings={} (critical={}, high={}) errors=0 files={} resources={} policies={}",
            findings.len(),
            count("critical"),
            count("high"),
            json["summary"]["files"],
            json["summary"]["resources"],
            crate::common::builtin_families().len()
        )
    );
    for (command, finding) in commands.iter().zip(findings) {
        let text = |key: &str| finding[key].as_str().unwrap_or_default().to_owned();
        let number = |key: &str| finding[key].to_string();
        let level = match finding["severity"].as_str() {
            Some("critical" | "high") => "error",
            Some("medium" | "low") => "warning",
            _ => "notice",
        };
        assert_eq!(command.level, level);
        let p = &command.properties;
        assert_eq!(p["file"], text("file"));
        assert_eq!(p["line"], number("line"));
        assert_eq!(p["endLine"], number("end_line"));
        // Columns are given for a finding on one line only, as GitHub reads them.
        if finding["line"] == finding["end_line"] {
            assert_eq!(p["col"], number("column"));
        } else {
            assert!(!p.contains_key("col"), "{p:?}");
        }
        assert_eq!(
            p["title"],
            format!("{} ({})", text("rule"), text("severity"))
        );
        assert_eq!(
            command.message,
            format!(
                "{}: {}\n{}",
                finding["resource"]["address"].as_str().unwrap_or_default(),
                text("message"),
                text("remediation")
            )
        );
    }
}

#[test]
fn special_characters_in_paths_and_messages_are_escaped() {
    // The finding's message names the file the variable's default comes from, so the
    // same awkward path is both a property and part of the message.
    let dir = tempfile::tempdir().expect("temp dir");
    let module = dir.path().join("team,a: 100%");
    fs::create_dir(&module).expect("create dir");
    fs::write(
        module.join("vars 100%.tf"),
        "variable \"acl\" {\n  default = \"public-read\"\n}\n",
    )
    .expect("write fixture");
    fs::write(
        module.join("main.tf"),
        "resource \"alicloud_oss_bucket\" \"b\" {\n  bucket = \"b\"\n  acl    = var.acl\n  server_side_encryption_rule {\n    sse_algorithm = \"AES256\"\n  }\n}\n",
    )
    .expect("write fixture");
    let run = palisade(&["check", ".", "--format", "github"], dir.path());
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let first = run.stdout.lines().next().unwrap_or_default();
    // Properties escape `,` `:` `%`; the message escapes `%` and its line break only.
    assert!(
        first.starts_with("::error file=team%2Ca%3A 100%25/main.tf,line=3,col=3,"),
        "{first}"
    );
    assert!(
        first.contains("team,a: 100%25/vars 100%25.tf:2:13)%0ASet the ACL"),
        "{first}"
    );

    let (commands, _) = commands(&run.stdout);
    assert_eq!(commands.len(), 1);
    assert_eq!(commands[0].properties["file"], "team,a: 100%/main.tf");
    assert!(
        commands[0]
            .message
            .contains("team,a: 100%/vars 100%.tf:2:13)\nSet the ACL"),
        "{:?}",
        commands[0].message
    );
}

#[test]
fn a_file_that_does_not_parse_is_a_located_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(
        dir.path().join("broken.tf"),
        "resource \"alicloud_disk\" \"d\" {\n  size = \n}\n",
    )
    .expect("write fixture");
    let run = palisade(&["check", ".", "--format", "github"], dir.path());
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    let (commands, summary) = commands(&run.stdout);
    assert_eq!(commands.len(), 1, "{}", run.stdout);
    let error = &commands[0];
    assert_eq!(error.level, "error");
    assert_eq!(error.properties["file"], "broken.tf");
    assert_eq!(error.properties["line"], "2");
    assert_eq!(error.properties["title"], "palisade: cannot load");
    assert!(summary.contains("errors=1"), "{summary}");
}
