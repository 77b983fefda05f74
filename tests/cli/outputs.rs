//! Where reports go and what the exit code says: `--format`/`--output` pairs, the text
//! report kept on the terminal, and `--soft-fail`.

use crate::common::{builtin_families, palisade, palisade_with_stdout, root};

const INSECURE: &str = "examples/aws/insecure";

#[test]
fn several_reports_in_one_run_and_text_on_the_terminal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sarif = dir.path().join("reports/palisade.sarif");
    let junit = dir.path().join("junit.xml");
    let json = dir.path().join("palisade.json");
    let (sarif_arg, junit_arg, json_arg) = (
        sarif.to_string_lossy().into_owned(),
        junit.to_string_lossy().into_owned(),
        json.to_string_lossy().into_owned(),
    );
    let run = palisade(
        &[
            "check", INSECURE, "--format", "sarif", "--output", &sarif_arg, "--format", "junit",
            "-o", &junit_arg, // No --format: the extension says JSON.
            "--output", &json_arg,
        ],
        &root(),
    );
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let policies = format!("checked with {} policies", builtin_families().len());
    assert!(run.stdout.contains(&policies), "{}", run.stdout);
    assert!(run.stdout.contains("high[open-ssh]"), "{}", run.stdout);

    let read = |path: &std::path::Path| std::fs::read_to_string(path).expect("report written");
    let sarif: serde_json::Value = serde_json::from_str(&read(&sarif)).expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    assert!(read(&junit).starts_with("<?xml"));
    let json: serde_json::Value = serde_json::from_str(&read(&json)).expect("JSON report");
    let findings = json["findings"].as_array().expect("findings").len();
    assert!(findings > 0);
    assert_eq!(
        sarif["runs"][0]["results"]
            .as_array()
            .expect("results")
            .len(),
        findings
    );
}

#[test]
fn one_format_on_stdout_beside_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sarif = dir.path().join("r.sarif").to_string_lossy().into_owned();
    let run = palisade(
        &[
            "check", INSECURE, "--format", "sarif", "-o", &sarif, "--format", "json",
        ],
        &root(),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.json()["findings"].is_array());
}

#[test]
fn ambiguous_destinations_are_refused() {
    let run = palisade(
        &["check", INSECURE, "--format", "json", "--format", "sarif"],
        &root(),
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("only one --format can go to standard output"),
        "{}",
        run.stderr
    );

    let run = palisade(&["check", INSECURE, "--output", "report"], &root());
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("needs a --format"), "{}", run.stderr);
}

#[test]
fn a_report_that_cannot_be_written_is_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "").expect("write");
    let target = blocker.join("report.json").to_string_lossy().into_owned();
    let run = palisade(
        &["check", INSECURE, "--format", "json", "-o", &target],
        &root(),
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("cannot write"), "{}", run.stderr);
}

#[test]
fn soft_fail_reports_findings_but_not_errors_as_success() {
    let run = palisade(&["check", INSECURE, "--soft-fail"], &root());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("high[open-ssh]"), "{}", run.stdout);

    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("broken.tf"), "resource \"a\" {\n").expect("write");
    let broken = dir.path().to_string_lossy().into_owned();
    let run = palisade(&["check", INSECURE, &broken, "--soft-fail"], &root());
    assert_eq!(run.code, 2, "{}", run.stdout);
}

/// A report that cannot be written (a full disk, here `/dev/full`) fails the run: a CI
/// step must not pass without its report.
#[test]
fn a_full_disk_fails_the_run() {
    if !std::path::Path::new("/dev/full").exists() {
        return;
    }
    for format in ["json", "text"] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full opens");
        let run = palisade_with_stdout(&["check", INSECURE, "--format", format], &root(), full);
        assert_eq!(run.code, 2, "{format}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("error: cannot write to standard output"),
            "{format}: {}",
            run.stderr
        );
    }
    let run = palisade(
        &[
            "check",
            INSECURE,
            "--format",
            "sarif",
            "--output",
            "/dev/full",
        ],
        &root(),
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("error: cannot write /dev/full"),
        "{}",
        run.stderr
    );
}
