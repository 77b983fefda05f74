//! Engine tests against real components: the built-in policies embedded by `build.rs`,
//! and the `hostile-policy` test component, which misbehaves on request.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::json;

use super::*;
use palisade_model::{DocumentSet, Format, Resource, Span};

fn options(cache: CacheMode) -> EngineOptions {
    EngineOptions {
        timeout: Duration::from_millis(500),
        memory_limit: 64 << 20,
        cache,
    }
}

fn engine(cache: CacheMode) -> Engine {
    Engine::new(options(cache)).unwrap()
}

fn cache_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    entries
}

#[test]
fn engines_and_policies_can_be_shared_across_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Engine>();
    send_sync::<Policy>();
}

#[test]
fn loads_every_builtin_and_reads_its_rules() {
    let engine = engine(CacheMode::Disabled);
    for source in builtin_policies() {
        let name = source.name.clone();
        let policy = engine.load(source).unwrap();
        assert_eq!(policy.name, name);
        assert_eq!(policy.compiled, CompileOrigin::Compiled);
        assert_eq!(policy.info.wit_version, HOST_WIT_VERSION);
        assert!(!policy.info.name.is_empty(), "{name}");
        assert!(!policy.rules.is_empty(), "{name} declares no rules");
        assert_eq!(policy.digest.len(), 64);
        assert!(policy.digest.bytes().all(|b| b.is_ascii_hexdigit()));
    }
}

#[test]
fn a_second_engine_loads_from_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let cache = CacheMode::Dir(dir.path().join("cache"));
    let source = builtin_policies().remove(0);

    let first = engine(cache.clone()).load(source.clone()).unwrap();
    assert_eq!(first.compiled, CompileOrigin::Compiled);
    let entries = cache_entries(&dir.path().join("cache"));
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert!(entries[0].extension().is_some_and(|ext| ext == "cwasm"));

    let second = engine(cache).load(source).unwrap();
    assert_eq!(second.compiled, CompileOrigin::Cached);
    assert_eq!(second.rules, first.rules);
    assert_eq!(second.digest, first.digest);
}

#[test]
fn a_corrupt_cache_entry_is_compiled_again() {
    let dir = tempfile::tempdir().unwrap();
    let cache = CacheMode::Dir(dir.path().to_path_buf());
    let source = builtin_policies().remove(0);
    engine(cache.clone()).load(source.clone()).unwrap();
    for entry in cache_entries(dir.path()) {
        std::fs::write(entry, b"\x7fELF but not really").unwrap();
    }

    let reloaded = engine(cache.clone()).load(source.clone()).unwrap();
    assert_eq!(reloaded.compiled, CompileOrigin::Compiled);
    assert!(!reloaded.rules.is_empty());
    // The bad entry was replaced by a good one.
    assert_eq!(
        engine(cache).load(source).unwrap().compiled,
        CompileOrigin::Cached
    );
}

#[test]
fn a_cache_directory_that_cannot_be_created_only_costs_a_compile() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("file");
    std::fs::write(&file, b"").unwrap();
    let engine = engine(CacheMode::Dir(file.join("cache")));
    let source = builtin_policies().remove(0);
    assert_eq!(
        engine.load(source.clone()).unwrap().compiled,
        CompileOrigin::Compiled
    );
    assert_eq!(
        engine.load(source).unwrap().compiled,
        CompileOrigin::Compiled
    );
}

fn load_bytes(bytes: &'static [u8]) -> PolicyError {
    let source = PolicySource {
        name: "policies/odd.wasm".into(),
        bytes: Cow::Borrowed(bytes),
        builtin: false,
    };
    engine(CacheMode::Disabled).load(source).unwrap_err()
}

#[test]
fn garbage_bytes_are_refused_clearly() {
    let error = load_bytes(b"#!/bin/sh\necho not a policy\n");
    assert!(matches!(error.kind, PolicyErrorKind::NotWasm), "{error:?}");
    assert_eq!(
        error.to_string(),
        "policy `policies/odd.wasm` is not a WebAssembly component (it does not start with \
         the `\\0asm` header); policies are built with `cargo build --target wasm32-wasip2`"
    );
}

#[test]
fn a_core_module_is_refused_clearly() {
    // The smallest valid core module: the header and no sections.
    let error = load_bytes(b"\0asm\x01\0\0\0");
    assert!(
        matches!(error.kind, PolicyErrorKind::CoreModule),
        "{error:?}"
    );
    assert!(
        error.to_string().starts_with(
            "policy `policies/odd.wasm` is a core WebAssembly module, not a component"
        )
    );
}

#[test]
fn a_truncated_component_is_refused_clearly() {
    let error = load_bytes(b"\0asm\x0d\0\x01\0\x07\x10");
    assert!(
        matches!(error.kind, PolicyErrorKind::InvalidComponent(_)),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .starts_with("policy `policies/odd.wasm` is not a valid WebAssembly component: "),
        "{error}"
    );
}

// The hostile test component.

/// Builds `tests/policies/hostile` once per test binary.
fn hostile_component() -> &'static [u8] {
    static COMPONENT: OnceLock<Vec<u8>> = OnceLock::new();
    COMPONENT.get_or_init(|| build_test_policy("hostile-policy"))
}

/// Builds the test policy crate `package` with the profile the built-ins use, into
/// `target/test-policies`: a target directory of its own, so the nested cargo does not
/// wait for the lock the outer one holds.
fn build_test_policy(package: &str) -> Vec<u8> {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let target_dir = workspace.join("target/test-policies");
    let mut cargo = Command::new(env!("CARGO"));
    cargo
        .args([
            "build",
            "--quiet",
            "--profile",
            "policy",
            "--target",
            "wasm32-wasip2",
        ])
        .args(["-p", package, "--manifest-path"])
        .arg(workspace.join("Cargo.toml"));
    for var in [
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "RUSTC_WORKSPACE_WRAPPER",
    ] {
        cargo.env_remove(var);
    }
    let status = cargo.env("CARGO_TARGET_DIR", &target_dir).status().unwrap();
    assert!(status.success(), "building {package} failed");
    let file = format!("wasm32-wasip2/policy/{}.wasm", package.replace('-', "_"));
    std::fs::read(target_dir.join(file)).unwrap()
}

fn hostile_policy() -> Policy {
    let source = PolicySource {
        name: "hostile.wasm".into(),
        bytes: Cow::Borrowed(hostile_component()),
        builtin: false,
    };
    engine(CacheMode::Disabled).load(source).unwrap()
}

/// One `hostile_test` resource per mode.
fn hostile_set(modes: &[&str]) -> DocumentSet {
    DocumentSet {
        format: Format::Terraform,
        origin: PathBuf::from("fixtures"),
        resources: modes
            .iter()
            .enumerate()
            .map(|(i, mode)| Resource {
                resource_type: "hostile_test".into(),
                address: format!("hostile_test.r{i}"),
                file: PathBuf::from("fixtures/main.tf"),
                span: Span::default(),
                attributes: json!({ "mode": mode }),
                spans: Default::default(),
                origins: Default::default(),
                sensitive: Vec::new(),
            })
            .collect(),
    }
}

fn evaluate_mode(policy: &Policy, mode: &str) -> Result<policy::Evaluation, PolicyError> {
    policy.evaluate(&hostile_set(&[mode]), &[0], None)
}

/// The message of the one finding a mode that reports produces.
fn reported(policy: &Policy, mode: &str) -> String {
    let evaluation = evaluate_mode(policy, mode).unwrap();
    assert_eq!(evaluation.findings.len(), 1, "{evaluation:?}");
    evaluation.findings[0].message.clone()
}

#[test]
fn the_policy_outlives_the_engine_that_loaded_it() {
    // `hostile_policy` drops its engine: the time budget must still hold.
    let policy = hostile_policy();
    let started = Instant::now();
    let error = evaluate_mode(&policy, "loop").unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(
        matches!(error.kind, PolicyErrorKind::Timeout { .. }),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "policy `hostile.wasm` did not finish within its time budget of 500ms"
    );
}

#[test]
fn unbounded_allocation_is_stopped_by_the_memory_cap() {
    let error = evaluate_mode(&hostile_policy(), "alloc").unwrap_err();
    assert!(
        matches!(error.kind, PolicyErrorKind::OutOfMemory { .. }),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "policy `hostile.wasm` exceeded its memory limit of 64 MiB"
    );
}

#[test]
fn a_panic_reaches_the_user_with_its_message() {
    let error = evaluate_mode(&hostile_policy(), "panic").unwrap_err();
    assert!(
        matches!(error.kind, PolicyErrorKind::Trap { .. }),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.starts_with("policy `hostile.wasm` crashed: "),
        "{message}"
    );
    assert!(
        message.contains("hostile policy panicked on purpose"),
        "{message}"
    );
}

#[test]
fn unbounded_recursion_is_a_trap_not_a_crash() {
    let error = evaluate_mode(&hostile_policy(), "recurse").unwrap_err();
    assert!(
        matches!(error.kind, PolicyErrorKind::Trap { .. }),
        "{error:?}"
    );
}

#[test]
fn an_error_returned_by_the_policy_is_its_own_kind() {
    let error = evaluate_mode(&hostile_policy(), "error").unwrap_err();
    assert!(
        matches!(error.kind, PolicyErrorKind::Returned(_)),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "policy `hostile.wasm` reported an error: hostile policy returned an error"
    );
}

#[test]
fn the_sandbox_has_no_files_and_no_environment() {
    let policy = hostile_policy();
    let files = reported(&policy, "read-file");
    assert!(files.starts_with("read-file: denied"), "{files}");
    assert!(!files.contains("LEAKED"), "{files}");
    assert_eq!(reported(&policy, "read-env"), "read-env: empty");
}

#[test]
fn a_failed_call_does_not_affect_the_next_one() {
    let policy = hostile_policy();
    let set = hostile_set(&["loop", "read-env"]);
    for mode in ["panic", "loop", "alloc"] {
        assert!(evaluate_mode(&policy, mode).is_err(), "{mode}");
        let evaluation = policy.evaluate(&set, &[1], None).unwrap();
        let findings: Vec<_> = evaluation
            .findings
            .iter()
            .map(|f| (f.resource_index, f.message.as_str()))
            .collect();
        assert_eq!(findings, [(1, "read-env: empty")], "after {mode}");
    }
}

#[test]
fn policies_evaluate_in_parallel() {
    let policy = hostile_policy();
    let set = hostile_set(&["read-env"]);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| policy.evaluate(&set, &[0], None).map(|e| e.findings.len())))
            .collect();
        for worker in workers {
            assert_eq!(worker.join().unwrap().unwrap(), 1);
        }
    });
}

/// What `policy` says of each set evaluated in one batch: each finding's message, or
/// the error.
fn batch_outcomes(policy: &Policy, sets: &[DocumentSet]) -> Vec<Result<Vec<String>, String>> {
    let selections: Vec<Selection<'_>> = sets
        .iter()
        .map(|set| Selection {
            set,
            resources: &[0],
        })
        .collect();
    policy
        .evaluate_sets(&selections, None)
        .into_iter()
        .map(|result| {
            result
                .map(|evaluation| evaluation.findings.into_iter().map(|f| f.message).collect())
                .map_err(|error| error.to_string())
        })
        .collect()
}

#[test]
fn each_set_of_a_batch_gets_what_it_would_get_alone() {
    let policy = hostile_policy();
    let modes = [
        "read-env",
        "panic",
        "read-file",
        "loop",
        "error",
        "alloc",
        "read-env",
    ];
    let sets: Vec<DocumentSet> = modes.iter().map(|mode| hostile_set(&[mode])).collect();
    let together = batch_outcomes(&policy, &sets);
    let alone: Vec<_> = sets
        .iter()
        .flat_map(|set| batch_outcomes(&policy, std::slice::from_ref(set)))
        .collect();
    assert_eq!(together, alone);
    let failed: Vec<bool> = together.iter().map(Result::is_err).collect();
    assert_eq!(failed, [false, true, false, true, true, true, false]);
    assert_eq!(together[6], Ok(vec!["read-env: empty".to_owned()]));
}

#[test]
fn a_call_that_fails_in_a_used_instance_is_made_again_in_a_fresh_one() {
    // Each keeps 40 MiB: two exceed the 64 MiB cap of one instance, one does not.
    let sets = [hostile_set(&["keep"]), hostile_set(&["keep"])];
    let kept = Ok(vec!["keep: 40 MiB kept".to_owned()]);
    assert_eq!(
        batch_outcomes(&hostile_policy(), &sets),
        [kept.clone(), kept]
    );
}

#[test]
fn an_instance_serves_a_batch_until_a_call_fails() {
    let modes = ["count", "count", "panic", "count"];
    let sets: Vec<DocumentSet> = modes.iter().map(|mode| hostile_set(&[mode])).collect();
    let outcomes = batch_outcomes(&hostile_policy(), &sets);
    let count = |n: u32| Ok(vec![format!("count: {n}")]);
    assert_eq!(outcomes[..2], [count(1), count(2)]);
    assert!(outcomes[2].is_err());
    assert_eq!(outcomes[3], count(1));
}

/// One resource per `(type, attributes)`, as a Terraform document set.
fn terraform_set(resources: &[(&str, serde_json::Value)]) -> DocumentSet {
    DocumentSet {
        format: Format::Terraform,
        origin: PathBuf::from("fixtures"),
        resources: resources
            .iter()
            .enumerate()
            .map(|(i, (resource_type, attributes))| Resource {
                resource_type: (*resource_type).into(),
                address: format!("{resource_type}.r{i}"),
                file: PathBuf::from("fixtures/main.tf"),
                span: Span::default(),
                attributes: attributes.clone(),
                spans: Default::default(),
                origins: Default::default(),
                sensitive: Vec::new(),
            })
            .collect(),
    }
}

fn rules_reported(evaluation: &policy::Evaluation) -> Vec<&str> {
    let mut rules: Vec<&str> = evaluation
        .findings
        .iter()
        .map(|f| f.rule.as_str())
        .collect();
    rules.dedup();
    rules
}

#[test]
fn a_selection_reaches_a_component_that_has_evaluate_rules() {
    let source = builtin_policies()
        .into_iter()
        .find(|source| source.name == "builtin:network")
        .unwrap();
    let policy = engine(CacheMode::Disabled).load(source).unwrap();
    assert!(policy.evaluate_rules.is_some());
    // Every port to the world: open-ssh and sg-all-ports-open both fail it.
    let set = terraform_set(&[(
        "alicloud_security_group_rule",
        json!({"type": "ingress", "ip_protocol": "tcp", "port_range": "1/65535",
               "cidr_ip": "0.0.0.0/0", "security_group_id": "sg-1"}),
    )]);
    let every = policy.evaluate(&set, &[0], None).unwrap();
    assert_eq!(rules_reported(&every), ["open-ssh", "sg-all-ports-open"]);
    let ssh = ["open-ssh".to_owned()];
    let selected = policy.evaluate(&set, &[0], Some(&ssh)).unwrap();
    assert_eq!(rules_reported(&selected), ["open-ssh"]);
}

/// `tests/policies/compat/old`, built against the frozen `palisade:policy@0.1.0`.
fn component_built_against_0_1_0() -> &'static [u8] {
    static COMPONENT: OnceLock<Vec<u8>> = OnceLock::new();
    COMPONENT.get_or_init(|| build_test_policy("compat-policy-old"))
}

#[test]
fn a_component_older_than_evaluate_rules_evaluates_every_rule() {
    let source = PolicySource {
        name: "compat.wasm".into(),
        bytes: Cow::Borrowed(component_built_against_0_1_0()),
        builtin: false,
    };
    let policy = engine(CacheMode::Disabled).load(source).unwrap();
    assert_eq!(policy.info.wit_version, "0.1.0");
    assert!(policy.evaluate_rules.is_none());
    let set = terraform_set(&[("compat_marker", json!({}))]);
    let selected = ["compat-marker".to_owned()];
    let evaluation = policy.evaluate(&set, &[0], Some(&selected)).unwrap();
    assert_eq!(rules_reported(&evaluation), ["compat-marker"]);
    assert_eq!(evaluation, policy.evaluate(&set, &[0], None).unwrap());
}
