//! A policy that misbehaves on purpose, so the runner's sandbox can be tested against
//! it. Never ship it.
//!
//! One rule, `hostile`, reads resources of type `hostile_test`; each resource's `mode`
//! attribute chooses the misbehaviour:
//!
//! | mode        | behaviour                                                            |
//! |-------------|----------------------------------------------------------------------|
//! | `loop`      | spins forever                                                        |
//! | `alloc`     | allocates and touches memory until allocation fails                  |
//! | `panic`     | panics with "hostile policy panicked on purpose"                     |
//! | `read-file` | reads `/etc/passwd`, `Cargo.toml` and lists `.`; reports the outcome |
//! | `read-env`  | reads `HOME`, `PATH` and every variable; reports the outcome         |
//! | `recurse`   | recurses without bound                                               |
//! | `error`     | returns the error "hostile policy returned an error"                 |
//! | `huge-message` | reports one finding whose message is 100 MiB of `x`               |
//! | `huge-error`   | returns an error of 100 MiB of `x`                                |
//! | `keep`      | allocates 40 MiB that it keeps as long as the instance lives         |
//! | `count`     | reports how many `count` resources this instance has seen           |
//!
//! `read-file` and `read-env` report one finding whose message starts with the mode,
//! then `denied: ...` / `empty` when the sandbox holds, or `LEAKED ...` when it does not.
//! `keep` and `count` report `keep: N MiB kept` and `count: N`, which tell what an
//! instance keeps from one call to the next.

use std::hint::black_box;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

use palisade_policy::{Attr, AttrPath, Evaluation, Policy, Resource, Rule, Severity};

/// The rule this policy holds.
pub const RULE: Rule = Rule {
    id: "hostile",
    title: "Misbehaves on purpose (sandbox tests)",
    severity: Severity::Low,
    description: "Tests the runner's sandbox: loops, exhausts memory, panics, recurses, \
        returns errors, or tries to read files and environment variables, as each \
        `hostile_test` resource's `mode` asks.",
    remediation: "None: this policy exists only for tests.",
    documentation: "# hostile\n\nA deliberately misbehaving policy for sandbox tests.\n",
    resource_types: &["hostile_test"],
};

/// The hostile policy.
pub struct Hostile;

impl Policy for Hostile {
    fn rules() -> Vec<Rule> {
        vec![RULE]
    }

    fn evaluate(resources: &[Resource]) -> Result<Evaluation, String> {
        let mut evaluation = Evaluation::default();
        for resource in resources.iter().filter(|r| r.is("hostile_test")) {
            let mode = match resource.get("mode").text() {
                Attr::Known(mode) => mode.into_owned(),
                Attr::Absent => continue,
                Attr::Unknown(unknown) => {
                    evaluation.undecided(&RULE, resource, &unknown);
                    continue;
                }
            };
            let mode_path = AttrPath::root().key("mode");
            match mode.as_str() {
                "loop" => spin(),
                "alloc" => exhaust_memory(),
                "panic" => panic!("hostile policy panicked on purpose"),
                "recurse" => {
                    black_box(recurse(black_box(0)));
                }
                "error" => return Err("hostile policy returned an error".to_owned()),
                "huge-message" => evaluation.fail(&RULE, resource, &mode_path, huge()),
                "huge-error" => return Err(huge()),
                "read-file" => {
                    evaluation.fail(&RULE, resource, &mode_path, read_files());
                }
                "read-env" => {
                    evaluation.fail(&RULE, resource, &mode_path, read_env());
                }
                "keep" => evaluation.fail(&RULE, resource, &mode_path, keep()),
                "count" => {
                    let seen = COUNTED.fetch_add(1, Ordering::Relaxed) + 1;
                    evaluation.fail(&RULE, resource, &mode_path, format!("count: {seen}"));
                }
                other => evaluation.note(
                    &RULE,
                    resource,
                    &mode_path,
                    format!("unknown mode {other:?}"),
                ),
            }
        }
        Ok(evaluation)
    }
}

/// `count` resources seen by this instance.
static COUNTED: AtomicU32 = AtomicU32::new(0);

/// What `keep` allocated, never freed.
static KEPT: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());

/// Allocates and touches 40 MiB that stay allocated; says how much is kept now.
fn keep() -> String {
    let mut kept = KEPT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut block = vec![0u8; 40 << 20];
    for page in block.iter_mut().step_by(4096) {
        *page = 1;
    }
    kept.push(block);
    let total: usize = kept.iter().map(Vec::len).sum();
    format!("keep: {} MiB kept", total >> 20)
}

/// 100 MiB of text, which no report should copy.
fn huge() -> String {
    "x".repeat(100 << 20)
}

/// Loops forever; `black_box` keeps the optimizer from proving the loop does nothing.
fn spin() -> ! {
    let mut counter = 0u64;
    loop {
        counter = black_box(counter.wrapping_add(1));
    }
}

/// Allocates 1 MiB blocks and writes to every page, keeping them all, until allocation
/// fails (which aborts) or the host stops it.
fn exhaust_memory() -> ! {
    const BLOCK: usize = 1 << 20;
    let mut kept: Vec<Vec<u8>> = Vec::new();
    loop {
        let mut block = vec![0u8; BLOCK];
        for page in block.iter_mut().step_by(4096) {
            *page = 1;
        }
        kept.push(black_box(block));
        black_box(&kept);
    }
}

/// Recurses without bound; the frame buffer and the use of the result after the call
/// keep it from becoming a loop.
#[expect(unconditional_recursion, reason = "unbounded recursion is the point")]
fn recurse(depth: u64) -> u64 {
    let frame = black_box([depth as u8; 256]);
    recurse(black_box(depth + 1)).wrapping_add(u64::from(frame[255]))
}

/// Tries the filesystem; says exactly what happened.
fn read_files() -> String {
    let mut leaks = Vec::new();
    let mut denials = Vec::new();
    for path in ["/etc/passwd", "Cargo.toml"] {
        match std::fs::read(path) {
            Ok(bytes) => leaks.push(format!("{path}: {} bytes", bytes.len())),
            Err(error) => denials.push(format!("{path}: {error}")),
        }
    }
    match std::fs::read_dir(".") {
        Ok(entries) => leaks.push(format!(".: {} entries", entries.count())),
        Err(error) => denials.push(format!(".: {error}")),
    }
    if leaks.is_empty() {
        format!("read-file: denied: {}", denials.join("; "))
    } else {
        format!("read-file: LEAKED {}", leaks.join("; "))
    }
}

/// Tries the environment; says exactly what happened.
fn read_env() -> String {
    let mut leaks = Vec::new();
    for name in ["HOME", "PATH"] {
        if let Some(value) = std::env::var_os(name) {
            leaks.push(format!("{name}={}", value.to_string_lossy()));
        }
    }
    let count = std::env::vars_os().count();
    if count > 0 {
        leaks.push(format!("{count} variables"));
    }
    if leaks.is_empty() {
        "read-env: empty".to_owned()
    } else {
        format!("read-env: LEAKED {}", leaks.join(", "))
    }
}

palisade_policy::export!(Hostile);

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_policy::Format;
    use serde_json::json;

    fn run(mode: &str) -> Result<Evaluation, String> {
        let resource = Resource::new(
            0,
            "hostile_test",
            "hostile_test.x",
            Format::Terraform,
            json!({"mode": mode}),
        );
        Hostile::evaluate(&[resource])
    }

    #[test]
    fn error_mode_returns_the_error() {
        assert_eq!(
            run("error"),
            Err("hostile policy returned an error".to_owned())
        );
    }

    #[test]
    fn probes_report_what_happened() {
        // Natively nothing is sandboxed, so the probes see the real environment.
        let files = run("read-file").unwrap();
        assert!(files.findings[0].message.starts_with("read-file: "));
        let env = run("read-env").unwrap();
        assert!(env.findings[0].message.starts_with("read-env: LEAKED"));
    }

    #[test]
    fn unknown_modes_are_notes() {
        let result = run("sleep").unwrap();
        assert!(result.findings.is_empty());
        assert_eq!(result.notes[0].message, "unknown mode \"sleep\"");
    }
}
