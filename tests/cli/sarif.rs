//! `--format sarif` end to end: the report validates against the OASIS SARIF 2.1.0 schema,
//! agrees with the JSON report on every finding, and keeps each finding's fingerprint when
//! lines move, so that code scanning tracks one alert rather than opening a new one.

use std::fs;
use std::path::Path;

use serde_json::{Value, json};

use crate::common::{Run, finding_lines, palisade, root};

/// The shipped OASIS schema. Its two `language` patterns have a stray `]` that a validator
/// checking the schema's own regexes rejects (oasis-tcs/sarif-spec#490); Palisade never
/// writes `language`, so they are corrected here rather than in the shipped file.
fn schema_validator() -> jsonschema::Validator {
    let file = root().join("tests/fixtures/sarif/sarif-schema-2.1.0.json");
    let text = fs::read_to_string(file).expect("the shipped schema");
    let text = text.replace(
        r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#,
        r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#,
    );
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles")
}

/// Parses a SARIF report and checks it against the shipped schema.
fn valid_sarif(run: &Run) -> Value {
    let document: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", run.stdout, run.stderr));
    let errors: Vec<String> = schema_validator()
        .iter_errors(&document)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{}", run.stdout);
    document
}

fn results(document: &Value) -> &Vec<Value> {
    document["runs"][0]["results"]
        .as_array()
        .expect("results is an array")
}

/// `(rule, uri, line)` of every result, in report order.
fn result_lines(document: &Value) -> Vec<(String, String, u64)> {
    results(document)
        .iter()
        .map(|r| {
            let location = &r["locations"][0]["physicalLocation"];
            (
                r["ruleId"].as_str().unwrap_or_default().to_owned(),
                location["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                location["region"]["startLine"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

fn fingerprints(document: &Value) -> Vec<String> {
    results(document)
        .iter()
        .map(|r| {
            r["partialFingerprints"]["palisade/v1"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

#[test]
fn examples_give_one_result_per_finding_of_the_json_report() {
    let sarif = palisade(&["check", "examples", "--format", "sarif"], &root());
    assert_eq!(sarif.code, 1, "{}", sarif.stderr);
    assert!(sarif.stdout.ends_with("}\n"), "{}", sarif.stdout);
    let document = valid_sarif(&sarif);
    let json = palisade(&["check", "examples", "--format", "json"], &root());
    let expected = finding_lines(&json.json());
    assert!(!expected.is_empty());
    assert_eq!(result_lines(&document), expected);

    let run = &document["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "Palisade");
    assert_eq!(run["tool"]["driver"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    for result in results(&document) {
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        // The result's rule is the descriptor its index points at.
        let index = result["ruleIndex"].as_u64().expect("a rule index") as usize;
        assert_eq!(
            run["tool"]["driver"]["rules"][index]["id"],
            result["ruleId"]
        );
        assert_eq!(
            result["locations"][0]["logicalLocations"][0]["kind"],
            "resource"
        );
    }
}

#[test]
fn every_rule_that_ran_is_described_with_its_security_severity() {
    let run = palisade(&["check", "examples", "--format", "sarif"], &root());
    let document = valid_sarif(&run);
    let rules = document["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules is an array");
    let ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
    for id in ["open-ssh", "public-bucket", "unencrypted-disk"] {
        assert!(ids.contains(&id), "{ids:?}");
    }
    for rule in rules {
        let score: f64 = rule["properties"]["security-severity"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no security-severity: {rule:#}"));
        assert!((0.0..=10.0).contains(&score), "{rule:#}");
        assert_eq!(rule["properties"]["tags"], json!(["security"]));
        assert!(
            rule["help"]["markdown"]
                .as_str()
                .is_some_and(|h| !h.is_empty()),
            "{rule:#}"
        );
    }

    // A rule that ran without a finding is still described.
    let secure = palisade(
        &["check", "examples/aws/secure", "--format", "sarif"],
        &root(),
    );
    assert_eq!(secure.code, 0, "{}", secure.stderr);
    let document = valid_sarif(&secure);
    assert_eq!(results(&document).len(), 0);
    assert!(
        !document["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .expect("rules is an array")
            .is_empty()
    );
}

#[test]
fn fingerprints_stay_when_lines_move_above_the_resources() {
    let original =
        fs::read_to_string(root().join("examples/aws/insecure/main.tf")).expect("the example");
    let before = tempfile::tempdir().expect("temp dir");
    let after = tempfile::tempdir().expect("temp dir");
    fs::write(before.path().join("main.tf"), &original).expect("write");
    fs::write(
        after.path().join("main.tf"),
        format!("\n\n\n# moved down\n\n{original}"),
    )
    .expect("write");

    let report = |dir: &Path| {
        let run = palisade(&["check", ".", "--format", "sarif"], dir);
        assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
        valid_sarif(&run)
    };
    let (before, after) = (report(before.path()), report(after.path()));
    assert!(!results(&before).is_empty());
    let lines = |document: &Value| -> Vec<u64> {
        result_lines(document).into_iter().map(|r| r.2).collect()
    };
    let moved: Vec<u64> = lines(&before).into_iter().map(|line| line + 5).collect();
    assert_eq!(lines(&after), moved);
    assert_eq!(fingerprints(&after), fingerprints(&before));
    let prints = fingerprints(&before);
    let mut distinct = prints.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), prints.len(), "{prints:?}");
}

#[test]
fn a_file_that_does_not_parse_makes_an_unsuccessful_but_valid_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir(dir.path().join("with space")).expect("create dir");
    fs::write(
        dir.path().join("with space/broken.tf"),
        "resource \"alicloud_disk\" \"d\" {\n  size = \n}\n",
    )
    .expect("write");
    let run = palisade(&["check", ".", "--format", "sarif"], dir.path());
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    let document = valid_sarif(&run);
    let invocation = &document["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notification = &invocation["toolExecutionNotifications"][0];
    assert_eq!(notification["level"], "error");
    assert!(
        notification["message"]["text"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{notification:#}"
    );
    let location = &notification["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        "with%20space/broken.tf"
    );
    assert!(
        location["region"]["startLine"].as_u64() >= Some(1),
        "{location:#}"
    );
}

#[test]
fn plan_results_point_at_the_plan_without_its_values() {
    const PLAN: &str = "tests/fixtures/plans/sensitive.json";
    let run = palisade(
        &["check", PLAN, "--format", "sarif", "--plan-scope", "all"],
        &root(),
    );
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let document = valid_sarif(&run);
    let lines = result_lines(&document);
    assert!(!lines.is_empty());
    assert!(lines.iter().all(|(_, uri, _)| uri == PLAN), "{lines:?}");
    // Rule documentation may show example values; results must not quote the plan's.
    let results = serde_json::to_string(results(&document)).expect("serializes");
    for secret in ["s3cr3t", "0.0.0.0/0"] {
        assert!(!results.contains(secret), "{results}");
    }
}
