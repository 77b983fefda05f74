//! The SARIF 2.1.0 report, in the shape GitHub code scanning reads.
//!
//! One run: the rules that took part describe themselves in `tool.driver.rules` (with
//! GitHub's `security-severity`), every finding is a result located in its file and on
//! its resource, and files or policies that could not be checked are tool execution
//! notifications that mark the run unsuccessful. Notes are not results: they never fail a
//! run, and code scanning would raise them as alerts.
//!
//! The document is built with `serde_json::json!` rather than a typed SARIF model: it
//! reads like the SARIF it prints, the properties code scanning needs are free-form
//! property bags either way, and the shipped OASIS schema checks the shape in the tests.
//! No source text is ever quoted: a plan's line may hold sensitive values.

use std::collections::HashMap;
use std::path::Path;

use serde_json::{Value, json};

use palisade_model::{
    Finding, Problem, Report, Rule, RuleRun, Severity, Span, Suppressed, fingerprint, portable_path,
};

/// The published schema of the OASIS SARIF 2.1.0 standard.
const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json";

/// Key of the fingerprint in `partialFingerprints`; a new recipe gets a new key.
const FINGERPRINT_KEY: &str = "palisade/v1";

/// Base of every relative artifact URI: the directory `palisade check` ran in.
const SOURCE_ROOT: &str = "%SRCROOT%";

pub(super) fn render(report: &Report) -> String {
    let rules = RuleTable::new(&report.rules);
    let document = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "Palisade",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules.runs.iter().map(descriptor).collect::<Vec<_>>(),
                }
            },
            "invocations": [{
                "executionSuccessful": report.errors.is_empty(),
                "toolExecutionNotifications":
                    report.errors.iter().map(notification).collect::<Vec<_>>(),
            }],
            // Span columns count characters, not UTF-16 code units (SARIF's default).
            "columnKind": "unicodeCodePoints",
            // Suppressed findings are results with their in-source suppression, so that
            // code scanning shows them as dismissed, with the reason, rather than not at all.
            "results": report
                .findings
                .iter()
                .map(|f| result(f, &rules))
                .chain(report.suppressed.iter().map(|s| suppressed(s, &rules)))
                .collect::<Vec<_>>(),
        }],
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

/// The rules of the driver, with the index results refer to them by. Rule ids are
/// unique across the loaded policies, so each rule appears once.
struct RuleTable<'a> {
    runs: &'a [RuleRun],
    index: HashMap<(&'a str, &'a str), usize>,
}

impl<'a> RuleTable<'a> {
    fn new(runs: &'a [RuleRun]) -> Self {
        let index = runs
            .iter()
            .enumerate()
            .map(|(i, run)| ((run.policy.as_str(), run.rule.id.as_str()), i))
            .collect();
        Self { runs, index }
    }

    fn index_of(&self, finding: &Finding) -> Option<usize> {
        self.index
            .get(&(finding.policy.as_str(), finding.rule.as_str()))
            .copied()
    }
}

fn descriptor(run: &RuleRun) -> Value {
    let rule = &run.rule;
    let help = help(rule);
    json!({
        "id": rule.id,
        "name": pascal_case(&rule.id),
        "shortDescription": { "text": rule.title },
        "fullDescription": { "text": rule.description },
        "help": { "text": help, "markdown": help },
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": {
            "tags": ["security"],
            "security-severity": security_severity(rule.severity),
            "policy": run.policy,
        },
    })
}

/// The rule's documentation followed by its remediation: results carry only the message,
/// and code scanning shows this next to every alert of the rule.
fn help(rule: &Rule) -> String {
    let documentation = rule.documentation.trim_end();
    let remediation = rule.remediation.trim();
    match (documentation.is_empty(), remediation.is_empty()) {
        (false, false) => format!("{documentation}\n\n## Remediation\n\n{remediation}\n"),
        (false, true) => documentation.to_owned(),
        (true, false) => remediation.to_owned(),
        (true, true) => rule.description.clone(),
    }
}

/// A suppressed finding: a result whose `suppressions` says where and why.
fn suppressed(suppressed: &Suppressed, rules: &RuleTable) -> Value {
    let mut value = result(&suppressed.finding, rules);
    let suppression = &suppressed.suppression;
    let mut entry = json!({
        "kind": "inSource",
        "justification": suppression.reason,
        "location": physical_location(
            &suppression.file,
            region(Span::new(suppression.position, suppression.position)),
        ),
    });
    if let Some(expires) = &suppression.expires {
        entry["properties"] = json!({ "expires": expires.to_string() });
    }
    value["suppressions"] = json!([entry]);
    value
}

fn result(finding: &Finding, rules: &RuleTable) -> Value {
    let mut result = json!({ "ruleId": finding.rule });
    if let Some(index) = rules.index_of(finding) {
        result["ruleIndex"] = json!(index);
    }
    result["level"] = json!(level(finding.severity));
    result["message"] = json!({ "text": finding.full_message() });
    let mut location = physical_location(&finding.file, region(finding.span));
    location["logicalLocations"] = json!([{
        "fullyQualifiedName": finding.address,
        "kind": "resource",
    }]);
    result["locations"] = json!([location]);
    result["partialFingerprints"] = json!({ FINGERPRINT_KEY: fingerprint(finding) });
    result["properties"] = json!({
        "severity": finding.severity,
        "attribute": finding.attribute,
        "resourceType": finding.resource_type,
    });
    result
}

fn notification(problem: &Problem) -> Value {
    let mut notification = json!({
        "level": "error",
        "message": { "text": problem.message() },
    });
    if let Some(file) = problem.file() {
        let region = problem
            .position()
            .and_then(|start| region(Span::new(start, start)));
        notification["locations"] = json!([physical_location(file, region)]);
    }
    if let Some(policy) = problem.policy() {
        notification["properties"] = json!({ "policy": policy });
    }
    notification
}

/// A `location` object holding only the physical location of `file`.
fn physical_location(file: &Path, region: Option<Value>) -> Value {
    let mut physical = json!({ "artifactLocation": artifact_location(file) });
    if let Some(region) = region {
        physical["region"] = region;
    }
    json!({ "physicalLocation": physical })
}

/// A file as a URI: relative to [`SOURCE_ROOT`] when under the current directory (what
/// code scanning maps onto the repository), else an absolute `file:` URI.
fn artifact_location(file: &Path) -> Value {
    let path = portable_path(file);
    let encoded = encode_path(&path);
    if Path::new(&path).is_absolute() || path.starts_with('/') {
        let slash = if encoded.starts_with('/') { "" } else { "/" };
        json!({ "uri": format!("file://{slash}{encoded}") })
    } else {
        json!({ "uri": encoded, "uriBaseId": SOURCE_ROOT })
    }
}

/// Percent-encodes each `/`-separated segment of `path`, keeping only RFC 3986's
/// unreserved characters: spaces, `%`, `#`, `?` and a `:` in the first segment would
/// otherwise change what the URI means.
fn encode_path(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// The region of `span`, or none when the span has no line (SARIF lines start at 1). Both
/// count from 1 and end just after the last character, so positions carry over as they are.
fn region(span: Span) -> Option<Value> {
    let Span { start, end } = span;
    if start.line == 0 {
        return None;
    }
    let mut region = json!({ "startLine": start.line });
    if start.column > 0 {
        region["startColumn"] = json!(start.column);
    }
    if end >= start && end.line > 0 {
        region["endLine"] = json!(end.line);
        if start.column > 0 && end.column > 0 {
            region["endColumn"] = json!(end.column);
        }
    }
    Some(region)
}

/// SARIF's level: errors block, warnings surface, notes inform.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium | Severity::Low => "warning",
        Severity::Info => "note",
    }
}

/// GitHub's `security-severity`, a CVSS-like score that code scanning bands into its own
/// labels: over 9.0 critical, 7.0 to 8.9 high, 4.0 to 6.9 medium, 0.1 to 3.9 low, and 0.0
/// none. Each value sits inside its band, away from the edges.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

/// `open-ssh` as `OpenSsh`: SARIF's rule `name` is an identifier, the title is prose.
fn pascal_case(id: &str) -> String {
    id.split('-')
        .flat_map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars))
                .into_iter()
                .flatten()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use palisade_model::{Format, Position};

    fn rule(id: &str, severity: Severity) -> RuleRun {
        RuleRun {
            policy: format!("builtin:{id}"),
            rule: Rule {
                id: id.to_owned(),
                title: format!("{id} title"),
                severity,
                description: format!("{id} description"),
                remediation: format!("Fix {id}.").into(),
                documentation: format!("# {id}\n\nWhy it matters.\n"),
                resource_types: vec!["t".to_owned()],
            },
        }
    }

    fn finding(rule: &str, severity: Severity, file: &str, line: u32) -> Finding {
        Finding {
            rule: rule.to_owned(),
            severity,
            policy: format!("builtin:{rule}"),
            address: "t.x".to_owned(),
            resource_type: "t".to_owned(),
            format: Format::Terraform,
            file: PathBuf::from(file),
            span: Span::new(Position::new(line, 3), Position::new(line, 20)),
            resource_span: Span::default(),
            attribute: "acl".to_owned(),
            message: format!("{rule} failed"),
            remediation: format!("Fix {rule}.").into(),
            origin: None,
            expired_suppression: None,
            quoted: true,
        }
    }

    fn render_json(report: &Report) -> Value {
        let text = render(report);
        assert!(text.ends_with("}\n"), "{text}");
        serde_json::from_str(&text).expect("the report is JSON")
    }

    /// The shipped OASIS schema. Its two `language` patterns have a stray `]` that a validator
    /// checking the schema's own regexes rejects (oasis-tcs/sarif-spec#490); Palisade never
    /// writes `language`, so they are corrected here rather than in the shipped file.
    fn schema_validator() -> jsonschema::Validator {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/sarif/sarif-schema-2.1.0.json");
        let text = std::fs::read_to_string(&path).expect("the shipped SARIF schema");
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

    fn assert_valid(document: &Value) {
        let errors: Vec<String> = schema_validator()
            .iter_errors(document)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}\n{document:#}");
    }

    #[test]
    fn severities_map_to_levels_and_security_severity() {
        let severities = [
            (Severity::Critical, "error", "9.5"),
            (Severity::High, "error", "8.0"),
            (Severity::Medium, "warning", "5.5"),
            (Severity::Low, "warning", "3.0"),
            (Severity::Info, "note", "0.0"),
        ];
        let report = Report {
            rules: severities
                .iter()
                .map(|(s, _, _)| rule(s.as_str(), *s))
                .collect(),
            findings: severities
                .iter()
                .map(|(s, _, _)| finding(s.as_str(), *s, "main.tf", 1))
                .collect(),
            ..Report::default()
        };
        let document = render_json(&report);
        assert_valid(&document);
        let run = &document["runs"][0];
        for (i, (_, level, score)) in severities.iter().enumerate() {
            let descriptor = &run["tool"]["driver"]["rules"][i];
            assert_eq!(descriptor["defaultConfiguration"]["level"], *level);
            assert_eq!(descriptor["properties"]["security-severity"], *score);
            assert_eq!(run["results"][i]["level"], *level);
            assert_eq!(run["results"][i]["ruleIndex"], i);
        }
    }

    #[test]
    fn a_finding_severity_overrides_the_rule_default_in_its_level() {
        let report = Report {
            rules: vec![rule("public-bucket", Severity::Medium)],
            findings: vec![finding("public-bucket", Severity::Critical, "main.tf", 4)],
            ..Report::default()
        };
        let run = &render_json(&report)["runs"][0];
        assert_eq!(run["results"][0]["level"], "error");
        assert_eq!(run["results"][0]["properties"]["severity"], "critical");
        assert_eq!(
            run["tool"]["driver"]["rules"][0]["defaultConfiguration"]["level"],
            "warning"
        );
    }

    #[test]
    fn rules_describe_themselves_for_code_scanning() {
        let report = Report {
            rules: vec![rule("open-ssh", Severity::High)],
            ..Report::default()
        };
        let document = render_json(&report);
        let descriptor = &document["runs"][0]["tool"]["driver"]["rules"][0];
        assert_eq!(descriptor["id"], "open-ssh");
        assert_eq!(descriptor["name"], "OpenSsh");
        assert_eq!(descriptor["shortDescription"]["text"], "open-ssh title");
        assert_eq!(
            descriptor["fullDescription"]["text"],
            "open-ssh description"
        );
        let help = descriptor["help"]["markdown"].as_str().unwrap_or_default();
        assert!(help.starts_with("# open-ssh\n\nWhy it matters."), "{help}");
        assert!(help.contains("## Remediation\n\nFix open-ssh."), "{help}");
        assert_eq!(descriptor["help"]["text"], descriptor["help"]["markdown"]);
        assert_eq!(
            descriptor["properties"],
            json!({ "tags": ["security"], "security-severity": "8.0", "policy": "builtin:open-ssh" })
        );
        // No results and no errors is still a complete, successful scan.
        assert_eq!(document["runs"][0]["results"], json!([]));
        assert_eq!(
            document["runs"][0]["invocations"][0]["executionSuccessful"],
            true
        );
        assert_valid(&document);
    }

    #[test]
    fn a_result_locates_the_finding_in_its_file_and_on_its_resource() {
        let report = Report {
            rules: vec![rule("public-bucket", Severity::High)],
            findings: vec![finding("public-bucket", Severity::High, "net/main.tf", 7)],
            ..Report::default()
        };
        let result = &render_json(&report)["runs"][0]["results"][0];
        assert_eq!(result["ruleId"], "public-bucket");
        assert_eq!(result["message"]["text"], "public-bucket failed");
        let location = &result["locations"][0];
        assert_eq!(
            location["physicalLocation"],
            json!({
                "artifactLocation": { "uri": "net/main.tf", "uriBaseId": "%SRCROOT%" },
                "region": { "startLine": 7, "startColumn": 3, "endLine": 7, "endColumn": 20 },
            })
        );
        assert_eq!(
            location["logicalLocations"],
            json!([{ "fullyQualifiedName": "t.x", "kind": "resource" }])
        );
        assert_eq!(
            result["partialFingerprints"]["palisade/v1"],
            fingerprint(&report.findings[0])
        );
        assert_eq!(result["properties"]["attribute"], "acl");
    }

    #[test]
    fn uris_are_percent_encoded_relative_references() {
        assert_eq!(
            artifact_location(Path::new("my infra/prod #1/main.tf")),
            json!({ "uri": "my%20infra/prod%20%231/main.tf", "uriBaseId": "%SRCROOT%" })
        );
        assert_eq!(
            artifact_location(Path::new("c:d/50%.tf"))["uri"],
            "c%3Ad/50%25.tf"
        );
        assert_eq!(
            artifact_location(Path::new("ünïcode.yaml"))["uri"],
            "%C3%BCn%C3%AFcode.yaml"
        );
    }

    #[test]
    fn files_outside_the_current_directory_get_absolute_file_uris() {
        let outside = Path::new("/nonexistent dir/main.tf");
        assert_eq!(
            artifact_location(outside),
            json!({ "uri": "file:///nonexistent%20dir/main.tf" })
        );
    }

    #[test]
    fn regions_without_a_line_are_left_out() {
        assert_eq!(region(Span::default()), None);
        let start = Position::new(3, 0);
        assert_eq!(
            region(Span::new(start, start)),
            Some(json!({ "startLine": 3, "endLine": 3 }))
        );
        let backwards = Span::new(Position::new(5, 2), Position::new(4, 1));
        assert_eq!(
            region(backwards),
            Some(json!({ "startLine": 5, "startColumn": 2 }))
        );
    }

    #[test]
    fn errors_are_notifications_of_an_unsuccessful_run() {
        let report = Report {
            rules: vec![rule("open-ssh", Severity::High)],
            errors: vec![
                Problem::at(
                    Path::new("broken.tf"),
                    Position::new(2, 9),
                    "expected an expression",
                ),
                Problem::Policy {
                    policy: "policies/bad.wasm".to_owned(),
                    place: None,
                    message: "not a component".to_owned(),
                },
            ],
            notes: vec![finding("open-ssh", Severity::Info, "main.tf", 1)],
            ..Report::default()
        };
        let document = render_json(&report);
        assert_valid(&document);
        let run = &document["runs"][0];
        let invocation = &run["invocations"][0];
        assert_eq!(invocation["executionSuccessful"], false);
        assert_eq!(
            invocation["toolExecutionNotifications"],
            json!([
                {
                    "level": "error",
                    "message": { "text": "expected an expression" },
                    "locations": [{ "physicalLocation": {
                        "artifactLocation": { "uri": "broken.tf", "uriBaseId": "%SRCROOT%" },
                        "region": { "startLine": 2, "startColumn": 9, "endLine": 2, "endColumn": 9 },
                    }}],
                },
                {
                    "level": "error",
                    "message": { "text": "not a component" },
                    "properties": { "policy": "policies/bad.wasm" },
                },
            ])
        );
        // Notes never become results.
        assert_eq!(run["results"], json!([]));
    }

    #[test]
    fn edge_cases_still_validate() {
        let mut bare = rule("bare", Severity::Medium);
        bare.rule.documentation = String::new();
        bare.rule.remediation = "".into();
        let mut unlocated = finding("bare", Severity::Medium, "/abs path/x.json", 1);
        unlocated.span = Span::default();
        unlocated.policy = "unknown".to_owned();
        let report = Report {
            rules: vec![bare],
            findings: vec![unlocated],
            ..Report::default()
        };
        let document = render_json(&report);
        assert_valid(&document);
        let result = &document["runs"][0]["results"][0];
        assert_eq!(result.get("ruleIndex"), None);
        assert_eq!(
            result["locations"][0]["physicalLocation"].get("region"),
            None
        );
        assert_eq!(
            document["runs"][0]["tool"]["driver"]["rules"][0]["help"]["text"],
            "bare description"
        );
    }

    #[test]
    fn suppressed_findings_are_results_with_their_in_source_suppression() {
        use palisade_model::{Date, Suppressed, Suppression};
        let report = Report {
            rules: vec![rule("open-ssh", Severity::High)],
            findings: vec![finding("open-ssh", Severity::High, "main.tf", 9)],
            suppressed: vec![Suppressed {
                finding: finding("open-ssh", Severity::High, "main.tf", 4),
                suppression: Suppression {
                    reason: "bastion, keys only".to_owned(),
                    expires: Date::parse("2027-01-31").ok(),
                    file: PathBuf::from("main.tf"),
                    position: Position::new(3, 3),
                },
            }],
            ..Report::default()
        };
        let document = render_json(&report);
        assert_valid(&document);
        let results = &document["runs"][0]["results"];
        assert_eq!(results[0].get("suppressions"), None);
        let suppression = &results[1]["suppressions"][0];
        assert_eq!(suppression["kind"], "inSource");
        assert_eq!(suppression["justification"], "bastion, keys only");
        assert_eq!(suppression["properties"]["expires"], "2027-01-31");
        assert_eq!(
            suppression["location"]["physicalLocation"]["region"]["startLine"],
            3
        );
    }

    #[test]
    fn pascal_case_joins_the_words_of_an_id() {
        assert_eq!(pascal_case("open-ssh"), "OpenSsh");
        assert_eq!(pascal_case("unencrypted-disk"), "UnencryptedDisk");
        assert_eq!(pascal_case("s3--x"), "S3X");
        assert_eq!(pascal_case(""), "");
    }
}
