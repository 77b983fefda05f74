//! Shipping policy components: `palisade.toml` pins each to its SHA-256 digest,
//! `palisade policy add` writes the pins, and components built against older or newer
//! copies of the WIT contract load or are refused by version.
//!
//! The components come from tests/policies/compat: one source built against a frozen
//! copy of `palisade:policy@0.1.0` (`old`), and against copies relabelled `0.1.9`
//! (`newer`) and `0.2.0` (`incompatible`). They are built once per test process.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use palisade::HOST_WIT_VERSION;

use crate::common::{Run, build_policies, finding_lines, palisade, policy_target_dir};

/// The directory holding `compat_policy_{old,newer,incompatible}.wasm`.
fn compat_components() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        build_policies(
            &[
                "--profile",
                "policy",
                "-p",
                "compat-policy-old",
                "-p",
                "compat-policy-newer",
                "-p",
                "compat-policy-incompatible",
            ],
            "the compat policies",
        );
        let target_dir = policy_target_dir();
        target_dir.join("wasm32-wasip2/policy")
    })
}

fn component(version: &str) -> Vec<u8> {
    let file = compat_components().join(format!("compat_policy_{version}.wasm"));
    fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// The same component with a custom section appended: still valid and loadable, but
/// another build, with another digest (as a rebuild or a tampered file would be).
fn rebuilt(component: &[u8]) -> Vec<u8> {
    let name = b"rebuild";
    let payload = b"2";
    let size = 1 + name.len() + payload.len();
    let mut bytes = component.to_vec();
    bytes.extend([0, u8::try_from(size).expect("a small section")]);
    bytes.push(u8::try_from(name.len()).expect("a short name"));
    bytes.extend(name);
    bytes.extend(payload);
    bytes
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// A project: a Terraform file with a resource for the compat rule and an unencrypted
/// disk for the built-ins, and the components under `policies/`.
fn project(components: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir_all(dir.path().join("infra")).expect("create dir");
    fs::write(
        dir.path().join("infra/main.tf"),
        "resource \"compat_marker\" \"x\" {\n  note = \"marked\"\n}\n\n\
         resource \"alicloud_disk\" \"data\" {\n  size = 20\n}\n",
    )
    .expect("write fixture");
    fs::create_dir_all(dir.path().join("policies")).expect("create dir");
    for (name, bytes) in components {
        fs::write(dir.path().join("policies").join(name), bytes).expect("write component");
    }
    dir
}

fn check_json(dir: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["check", "infra", "--format", "json"];
    args.extend(extra);
    palisade(&args, dir)
}

fn findings(run: &Run) -> Vec<(String, String, u64)> {
    finding_lines(&run.json())
}

fn compat_finding() -> (String, String, u64) {
    ("compat-marker".into(), "infra/main.tf".into(), 1)
}

fn builtin_finding() -> (String, String, u64) {
    ("unencrypted-disk".into(), "infra/main.tf".into(), 5)
}

#[test]
fn a_pinned_component_loads_and_reports_beside_the_built_ins() {
    let old = component("old");
    let dir = project(&[("compat.wasm", &old)]);
    fs::write(
        dir.path().join("palisade.toml"),
        format!(
            "# Our policies.\n[[policy]]\npath = \"policies/compat.wasm\"\nsha256 = \"{}\"\n",
            sha256(&old)
        ),
    )
    .expect("write config");

    let run = check_json(dir.path(), &[]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(findings(&run), [compat_finding(), builtin_finding()]);

    // The same configuration from elsewhere: paths stay relative to palisade.toml.
    let config = dir.path().join("palisade.toml");
    let elsewhere = palisade(
        &[
            "check",
            "main.tf",
            "--format",
            "json",
            "--config",
            &config.to_string_lossy(),
        ],
        &dir.path().join("infra"),
    );
    assert_eq!(elsewhere.code, 1, "{}", elsewhere.stderr);
    let rules: Vec<String> = findings(&elsewhere).into_iter().map(|f| f.0).collect();
    assert_eq!(rules, ["compat-marker", "unencrypted-disk"]);

    // `palisade rules` shows the component's metadata, with the contract version the
    // component was built against (whatever 0.1.x the runner is at).
    let rules = palisade(&["rules"], dir.path());
    assert_eq!(rules.code, 0, "{}", rules.stderr);
    let line = format!(
        "policies/compat.wasm (compat-policy-old 0.1.0 by Palisade compatibility tests; \
         palisade:policy@0.1.0; sha256 {})",
        &sha256(&old)[..12]
    );
    assert!(rules.stdout.contains(&line), "{}", rules.stdout);
    assert!(
        rules.stdout.contains("  compat-marker "),
        "{}",
        rules.stdout
    );
}

#[test]
fn a_component_that_differs_from_its_pin_is_refused_and_the_built_ins_still_report() {
    let old = component("old");
    let swapped = rebuilt(&old);
    let dir = project(&[("compat.wasm", &swapped)]);
    fs::write(
        dir.path().join("palisade.toml"),
        format!(
            "[[policy]]\npath = \"policies/compat.wasm\"\nsha256 = \"{}\"\n",
            sha256(&old)
        ),
    )
    .expect("write config");

    let run = check_json(dir.path(), &[]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(findings(&run), [builtin_finding()]);
    let report = run.json();
    let errors = report["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1, "{}", run.stdout);
    assert_eq!(
        errors[0]["message"],
        format!(
            "policies/compat.wasm: sha256 is {}, palisade.toml pins {}; if this build is the \
             one to trust, pin it again with `palisade policy add policies/compat.wasm`",
            sha256(&swapped),
            sha256(&old)
        )
    );
    assert_eq!(errors[0]["file"], "palisade.toml");
    assert_eq!(errors[0]["line"], 3);

    let text = palisade(&["check", "infra"], dir.path());
    assert_eq!(text.code, 2);
    assert!(
        text.stdout.contains(&sha256(&swapped)) && text.stdout.contains(&sha256(&old)),
        "{}",
        text.stdout
    );
}

#[test]
fn a_configuration_with_an_unknown_key_stops_the_run_at_its_line() {
    let old = component("old");
    let dir = project(&[("compat.wasm", &old)]);
    fs::write(
        dir.path().join("palisade.toml"),
        format!(
            "[[policy]]\npath = \"policies/compat.wasm\"\nsha265 = \"{}\"\n",
            sha256(&old)
        ),
    )
    .expect("write config");
    let run = palisade(&["check", "infra"], dir.path());
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr
            .contains("error: palisade.toml:3:1: unknown field `sha265`, expected one of"),
        "{}",
        run.stderr
    );

    let missing = palisade(&["check", "infra", "--config", "nowhere.toml"], dir.path());
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("cannot read nowhere.toml"),
        "{}",
        missing.stderr
    );
}

#[test]
fn policy_add_writes_a_pin_that_loads_keeps_comments_and_updates_on_re_add() {
    let old = component("old");
    let dir = project(&[("compat.wasm", &old)]);
    let config = dir.path().join("palisade.toml");
    let comments = "# Reviewed by the security team; ask #sec before changing.\n";
    fs::write(&config, comments).expect("write config");

    let add = palisade(&["policy", "add", "policies/compat.wasm"], dir.path());
    assert_eq!(add.code, 0, "{}", add.stderr);
    let entry = format!(
        "[[policy]]\npath = \"policies/compat.wasm\"\nsha256 = \"{}\"\n",
        sha256(&old)
    );
    assert_eq!(
        fs::read_to_string(&config).expect("read config"),
        format!("{comments}\n{entry}")
    );
    assert!(
        add.stdout.starts_with(&format!(
            "palisade.toml: added policies/compat.wasm\n\n{entry}"
        )),
        "{}",
        add.stdout
    );
    assert!(add.stdout.contains("  compat-marker "), "{}", add.stdout);

    let run = check_json(dir.path(), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(findings(&run), [compat_finding(), builtin_finding()]);

    // A rebuilt component is refused until it is added again; then it runs.
    let rebuilt = rebuilt(&old);
    fs::write(dir.path().join("policies/compat.wasm"), &rebuilt).expect("write component");
    assert_eq!(check_json(dir.path(), &[]).code, 2);
    let again = palisade(
        &[
            "policy",
            "add",
            "policies/compat.wasm",
            "--config",
            "palisade.toml",
        ],
        dir.path(),
    );
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again
            .stdout
            .starts_with("palisade.toml: updated the pin of policies/compat.wasm"),
        "{}",
        again.stdout
    );
    assert_eq!(
        fs::read_to_string(&config).expect("read config"),
        format!(
            "{comments}\n{}",
            entry.replace(&sha256(&old), &sha256(&rebuilt))
        )
    );
    let run = check_json(dir.path(), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(findings(&run), [compat_finding(), builtin_finding()]);
}

#[test]
fn policy_add_refuses_what_does_not_load_and_pins_directories_by_file_name() {
    let old = component("old");
    let dir = project(&[("compat.wasm", &old)]);
    fs::write(dir.path().join("not-a-component.wasm"), "hello").expect("write file");
    let refused = palisade(&["policy", "add", "not-a-component.wasm"], dir.path());
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("is not a WebAssembly component"),
        "{}",
        refused.stderr
    );
    assert!(!dir.path().join("palisade.toml").exists());

    // From a subdirectory, into a configuration one level up.
    let add = palisade(
        &[
            "policy",
            "add",
            "../policies",
            "--config",
            "../palisade.toml",
        ],
        &dir.path().join("infra"),
    );
    assert_eq!(add.code, 0, "{}", add.stderr);
    let written = fs::read_to_string(dir.path().join("palisade.toml")).expect("read config");
    assert!(
        written.ends_with(&format!(
            "[[policy]]\npath = \"policies\"\n\n[policy.pins]\n\"compat.wasm\" = \"{}\"\n",
            sha256(&old)
        )),
        "{written}"
    );
    let run = check_json(dir.path(), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(findings(&run), [compat_finding(), builtin_finding()]);
}

#[test]
fn a_component_built_against_the_frozen_0_1_0_contract_loads() {
    let dir = project(&[("old.wasm", &component("old"))]);
    let run = check_json(dir.path(), &["--policy", "policies/old.wasm"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(findings(&run), [compat_finding(), builtin_finding()]);
}

#[test]
fn components_built_against_a_newer_or_incompatible_contract_are_refused_naming_both() {
    for (crate_version, wit_version) in [("newer", "0.1.9"), ("incompatible", "0.2.0")] {
        let dir = project(&[("compat.wasm", &component(crate_version))]);
        let run = check_json(dir.path(), &["--policy", "policies/compat.wasm"]);
        assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
        assert_eq!(findings(&run), [builtin_finding()]);
        let report = run.json();
        let message = report["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(
            message.starts_with(&format!(
                "policy `policies/compat.wasm` was built against palisade:policy@{wit_version}, \
                 which this palisade (palisade:policy@{HOST_WIT_VERSION}) cannot run"
            )),
            "{message}"
        );

        let add = palisade(&["policy", "add", "policies/compat.wasm"], dir.path());
        assert_eq!(add.code, 2, "{}", add.stdout);
        assert!(
            add.stderr
                .contains(&format!("palisade:policy@{wit_version}")),
            "{}",
            add.stderr
        );
    }
}
