//! Writing a policy, end to end as a team does it: `palisade new`, `palisade build`,
//! `palisade test`, then `palisade check --policy` beside the built-in policies; and the
//! refusals that keep a broken component from running at all.
//!
//! Policy crates are built by a nested cargo into `target/test-policies`, shared by these
//! tests so that the SDK and its dependencies compile once, and apart from the outer
//! cargo's target directory so that the nested build never waits on its lock.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{Run, finding_lines, palisade, palisade_building, policy_target_dir, root};

/// Runs `palisade ARGS` in `cwd` for a command that builds a policy crate.
fn author(args: &[&str], cwd: &Path) -> Run {
    palisade_building(args, cwd)
}

/// The component a successful `palisade build` run in `cwd` reports.
fn built_component(run: &Run, cwd: &Path) -> PathBuf {
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let shown = run
        .stdout
        .lines()
        .find_map(|line| line.strip_prefix("Built "))
        .unwrap_or_else(|| panic!("no `Built` line in:\n{}", run.stdout));
    cwd.join(shown)
}

/// The component cargo writes for the crate named `name`, built or refused.
fn component_of(name: &str) -> PathBuf {
    policy_target_dir()
        .join("wasm32-wasip2/release")
        .join(format!("{}.wasm", name.replace('-', "_")))
}

/// Creates the policy crate `name` in `dir` and returns its directory.
fn new_policy(name: &str, dir: &Path) -> PathBuf {
    let crate_dir = dir.join(name);
    let crate_arg = crate_dir.to_string_lossy().into_owned();
    let run = author(&["new", name, "--dir", &crate_arg], dir);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    crate_dir
}

/// Replaces the first `from` in `file` with `to`, making sure it was there.
fn edit(file: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(file).expect("read the source");
    assert!(text.contains(from), "{} has no `{from}`", file.display());
    fs::write(file, text.replacen(from, to, 1)).expect("write the source");
}

/// A world-open SSH rule, for a built-in finding beside the new rule's.
const OPEN_SSH: &str = "\
resource \"alicloud_security_group_rule\" \"ssh\" {
  type        = \"ingress\"
  ip_protocol = \"tcp\"
  port_range  = \"22/22\"
  cidr_ip     = \"0.0.0.0/0\"
}
";

fn errors(report: &serde_json::Value) -> Vec<String> {
    report["errors"]
        .as_array()
        .expect("errors is an array")
        .iter()
        .map(|e| e["message"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn a_new_policy_builds_passes_its_tests_and_reports_beside_the_built_ins() {
    let dir = tempfile::tempdir().expect("temp dir");
    let crate_dir = new_policy("bucket-owner", dir.path());
    for file in [
        "Cargo.toml",
        "src/lib.rs",
        "README.md",
        "tests/insecure/expect.toml",
    ] {
        assert!(crate_dir.join(file).is_file(), "{file}");
    }

    let build = author(&["build", "--offline"], &crate_dir);
    let component = built_component(&build, &crate_dir);
    assert!(
        component.ends_with("wasm32-wasip2/release/bucket_owner.wasm"),
        "{}",
        component.display()
    );
    for expected in [
        "WIT     palisade:policy@",
        "sha256  ",
        " KiB",
        "bucket-owner  low       Buckets carry an owner tag",
        "palisade check --policy ",
    ] {
        assert!(
            build.stdout.contains(expected),
            "{expected}: {}",
            build.stdout
        );
    }

    let tested = author(&["test", "--offline"], &crate_dir);
    assert_eq!(tested.code, 0, "{}\n{}", tested.stdout, tested.stderr);

    fs::create_dir(dir.path().join("network")).expect("create dir");
    fs::write(dir.path().join("network/main.tf"), OPEN_SSH).expect("write fixture");
    let component = component.to_string_lossy().into_owned();
    let run = palisade(
        &[
            "check",
            "--policy",
            &component,
            "bucket-owner/tests/insecure",
            "network",
            "--format",
            "json",
        ],
        dir.path(),
    );
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let report = run.json();
    assert_eq!(errors(&report), Vec::<String>::new());
    let expected = [
        // The scaffold's bucket has no default encryption: the built-in rule says so.
        ("oss-sse-disabled", "bucket-owner/tests/insecure/main.tf", 3),
        ("bucket-owner", "bucket-owner/tests/insecure/main.tf", 5),
        ("bucket-owner", "bucket-owner/tests/insecure/main.tf", 10),
        ("open-ssh", "network/main.tf", 5),
    ]
    .map(|(rule, file, line)| (rule.to_owned(), file.to_owned(), line));
    assert_eq!(finding_lines(&report), expected);
}

#[test]
fn the_team_policy_builds_passes_its_tests_and_reports_its_insecure_fixture() {
    let build = author(&["build", "examples/team-policy", "--offline"], &root());
    let component = built_component(&build, &root());
    assert!(
        build.stdout.contains("required-tags") && build.stdout.contains("allowed-instance-types"),
        "{}",
        build.stdout
    );
    let component = component.to_string_lossy().into_owned();

    let tested = author(&["test", "examples/team-policy", "--offline"], &root());
    assert_eq!(tested.code, 0, "{}\n{}", tested.stdout, tested.stderr);
    assert!(tested.stdout.contains("3 passed"), "{}", tested.stdout);

    let insecure = palisade(
        &[
            "check",
            "--policy",
            &component,
            "examples/team-policy/tests/insecure",
            "--format",
            "json",
        ],
        &root(),
    );
    assert_eq!(insecure.code, 1, "{}\n{}", insecure.stdout, insecure.stderr);
    let report = insecure.json();
    assert_eq!(errors(&report), Vec::<String>::new());
    let tf = "examples/team-policy/tests/insecure/main.tf";
    let ros = "examples/team-policy/tests/insecure/template.yaml";
    let expected = [
        ("allowed-instance-types", tf, 4),
        ("required-tags", tf, 7),
        ("required-tags", tf, 12),
        ("allowed-instance-types", tf, 21),
        ("required-tags", tf, 26),
        ("required-tags", tf, 33),
        ("allowed-instance-types", ros, 7),
        ("required-tags", ros, 9),
        ("required-tags", ros, 18),
    ]
    .map(|(rule, file, line)| (rule.to_owned(), file.to_owned(), line));
    assert_eq!(finding_lines(&report), expected);

    for clean in ["secure", "unknown"] {
        let fixture = format!("examples/team-policy/tests/{clean}");
        let run = palisade(&["check", "--policy", &component, &fixture], &root());
        assert_eq!(run.code, 0, "{clean}: {}\n{}", run.stdout, run.stderr);
    }
}

#[test]
fn a_policy_whose_rules_share_an_id_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let crate_dir = new_policy("twice-declared", dir.path());
    edit(
        &crate_dir.join("src/lib.rs"),
        "vec![RULE]",
        "vec![RULE, RULE]",
    );
    let run = author(&["build", "--offline"], &crate_dir);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr
            .contains("rule id `twice-declared` is declared twice"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_policy_with_an_empty_title_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let crate_dir = new_policy("untitled-rule", dir.path());
    edit(
        &crate_dir.join("src/lib.rs"),
        "title: \"Buckets carry an owner tag\",",
        "title: \"\",",
    );
    let run = author(&["build", "--offline"], &crate_dir);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr
            .contains("cannot be used as a policy: rule `untitled-rule` has an empty title"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}

#[test]
fn a_rule_id_of_a_built_in_is_refused_and_the_others_still_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    let crate_dir = new_policy("ssh-impostor", dir.path());
    edit(
        &crate_dir.join("src/lib.rs"),
        "id: \"ssh-impostor\",",
        "id: \"open-ssh\",",
    );
    let build = author(&["build", "--offline"], &crate_dir);
    assert_eq!(build.code, 2, "{}\n{}", build.stdout, build.stderr);
    let clash = "rule id `open-ssh` is already declared by builtin:network";
    assert!(build.stderr.contains(clash), "{}", build.stderr);

    // The component exists even though the build refused it: `check` refuses it too.
    let component = component_of("ssh-impostor").to_string_lossy().into_owned();
    let run = palisade(
        &[
            "check",
            "--policy",
            &component,
            "examples/aws/insecure",
            "--format",
            "json",
        ],
        &root(),
    );
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    let report = run.json();
    let errors = errors(&report);
    assert_eq!(
        errors,
        [format!(
            "policy `{component}` is not loaded: {clash}; rule ids must be unique"
        )]
    );
    let rules: Vec<String> = finding_lines(&report).into_iter().map(|f| f.0).collect();
    for rule in ["public-bucket", "open-ssh", "unencrypted-disk"] {
        assert!(rules.iter().any(|r| r == rule), "{rule}: {rules:?}");
    }
}

#[test]
fn files_that_are_not_components_are_refused_and_the_built_ins_still_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("main.tf"), OPEN_SSH).expect("write fixture");
    let noise: Vec<u8> = (0u32..4096)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    fs::write(dir.path().join("noise.wasm"), noise).expect("write noise");
    // The smallest core module: the magic number and version 1, no sections.
    fs::write(dir.path().join("core.wasm"), b"\0asm\x01\0\0\0").expect("write module");

    for (file, expected) in [
        ("noise.wasm", "is not a WebAssembly component"),
        ("core.wasm", "is a core WebAssembly module, not a component"),
    ] {
        let run = palisade(
            &["check", "--policy", file, "main.tf", "--format", "json"],
            dir.path(),
        );
        assert_eq!(run.code, 2, "{file}: {}\n{}", run.stdout, run.stderr);
        let report = run.json();
        let errors = errors(&report);
        assert!(
            errors.len() == 1 && errors[0].contains(file) && errors[0].contains(expected),
            "{file}: {errors:?}"
        );
        assert_eq!(
            finding_lines(&report),
            [("open-ssh".to_owned(), "main.tf".to_owned(), 5)]
        );
    }
}
