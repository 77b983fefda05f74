//! Misbehaving policies are stopped and reported; the built-in policies still run.
//!
//! The hostile component (tests/policies/hostile) is built here with the same nested
//! cargo build as the built-ins, once per test process.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::common::{build_policies, finding_lines, palisade, policy_target_dir};

/// Builds the hostile policy component for wasm32-wasip2 and returns its path.
fn hostile_component() -> &'static Path {
    static COMPONENT: OnceLock<PathBuf> = OnceLock::new();
    COMPONENT.get_or_init(|| {
        build_policies(
            &["--profile", "policy", "-p", "hostile-policy"],
            "the hostile policy",
        );
        let target_dir = policy_target_dir();
        target_dir.join("wasm32-wasip2/policy/hostile_policy.wasm")
    })
}

fn scenario(dir: &Path, mode: &str) {
    let module = dir.join(mode);
    fs::create_dir_all(&module).expect("create dir");
    fs::write(
        module.join("main.tf"),
        format!("resource \"hostile_test\" \"x\" {{\n  mode = \"{mode}\"\n}}\n"),
    )
    .expect("write fixture");
}

#[test]
fn misbehaving_policies_are_stopped_and_the_built_ins_still_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    for mode in [
        "loop",
        "alloc",
        "panic",
        "read-file",
        "read-env",
        "recurse",
        "error",
    ] {
        scenario(dir.path(), mode);
    }
    fs::create_dir_all(dir.path().join("ssh")).expect("create dir");
    fs::write(
        dir.path().join("ssh/main.tf"),
        "resource \"alicloud_security_group_rule\" \"ssh\" {\n  type        = \"ingress\"\n  ip_protocol = \"tcp\"\n  port_range  = \"22/22\"\n  cidr_ip     = \"0.0.0.0/0\"\n}\n",
    )
    .expect("write fixture");

    let component = hostile_component().to_string_lossy().into_owned();
    let run = palisade(
        &[
            "check",
            ".",
            "--format",
            "json",
            "--policy",
            &component,
            "--policy-timeout",
            "1s",
            "--policy-memory",
            "64",
        ],
        dir.path(),
    );
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    let report = run.json();

    // The built-in policies ran despite the hostile one.
    let findings = finding_lines(&report);
    assert!(
        findings.contains(&("open-ssh".to_owned(), "ssh/main.tf".to_owned(), 5)),
        "{findings:?}"
    );

    // Reading files and the environment fails inside the guest: it reports what it saw.
    let messages: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "hostile")
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert!(
        messages.iter().any(|m| m.starts_with("read-file: denied")),
        "{messages:?}"
    );
    assert!(messages.contains(&"read-env: empty"), "{messages:?}");
    assert!(
        !messages.iter().any(|m| m.contains("LEAKED")),
        "{messages:?}"
    );

    let error_for = |mode: &str| -> String {
        report["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .find(|e| e["file"].as_str() == Some(mode))
            .and_then(|e| e["message"].as_str())
            .unwrap_or_else(|| panic!("no error for `{mode}`: {}", run.stdout))
            .to_owned()
    };
    let timeout = error_for("loop");
    assert!(
        timeout.contains(&component) && timeout.contains("1s"),
        "{timeout}"
    );
    let memory = error_for("alloc");
    assert!(memory.contains("64 MiB"), "{memory}");
    let panic = error_for("panic");
    assert!(
        panic.contains("hostile policy panicked on purpose"),
        "{panic}"
    );
    let recurse = error_for("recurse");
    assert!(recurse.contains(&component), "{recurse}");
    let error = error_for("error");
    assert!(
        error.contains("hostile policy returned an error"),
        "{error}"
    );
    assert_eq!(
        report["errors"].as_array().map(Vec::len),
        Some(5),
        "{}",
        run.stdout
    );
}

#[test]
fn huge_policy_texts_are_cut_in_every_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    for mode in ["huge-message", "huge-error"] {
        scenario(dir.path(), mode);
    }
    let component = hostile_component().to_string_lossy().into_owned();
    let check = |format: &str| {
        let args = ["check", ".", "--format", format, "--policy", &component];
        palisade(&args, dir.path())
    };

    let run = check("json");
    assert_eq!(run.code, 2, "{}", run.stderr);
    let report = run.json();
    let cut = "… (cut: 104857600 bytes)";
    let finding = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "hostile")
        .and_then(|f| f["message"].as_str())
        .expect("the huge finding");
    assert!(finding.len() < 5_000 && finding.ends_with(cut), "{finding}");
    let error = report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .find_map(|e| e["message"].as_str())
        .expect("the huge error");
    assert!(error.len() < 5_000 && error.ends_with(cut), "{error}");

    for format in ["text", "json", "sarif", "junit", "github"] {
        let run = check(format);
        // What the built-in rules write (SARIF carries their pages) is not the
        // component's doing: measured without it.
        let builtin = palisade(&["check", ".", "--format", format], dir.path());
        let output = (run.stdout.len() + run.stderr.len())
            .saturating_sub(builtin.stdout.len() + builtin.stderr.len());
        assert!(output < 100_000, "{format}: {output} bytes of output");
        assert!(
            run.stdout.contains("cut: 104857600 bytes")
                || run.stderr.contains("cut: 104857600 bytes"),
            "{format}"
        );
    }
}
