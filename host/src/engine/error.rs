//! What can go wrong with a policy, phrased for the person running the gate.
//!
//! Every [`PolicyError`] names the policy it concerns, so that one failing policy is
//! reported as such while the others keep running; its `Display` is the whole message.

use std::fmt;
use std::time::Duration;

use super::limits::MemoryLimitExceeded;
use super::sandbox::ClockWaitRefused;

/// The engine itself could not be set up (not specific to any policy).
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("cannot set up the WebAssembly engine: {0}")]
    Setup(String),
}

/// A policy could not be read, loaded or evaluated: which policy, and what went wrong.
/// Its `Display` is the whole message; the error underneath (an I/O error, wasmtime's
/// own) stays reachable as its `source`.
#[derive(Debug)]
pub struct PolicyError {
    /// The policy as the user named it (`builtin:network`, a file path), or the directory
    /// that held no policy.
    pub policy: String,
    pub kind: PolicyErrorKind,
}

/// What went wrong with a policy.
#[derive(Debug)]
pub enum PolicyErrorKind {
    Read(std::io::Error),
    /// The directory named as a policy holds no `*.wasm` file.
    NoPolicies,
    NotWasm,
    CoreModule,
    InvalidComponent(wasmtime::Error),
    NotAPolicy,
    IncompatibleVersion {
        found: String,
        supported: String,
    },
    Link(wasmtime::Error),
    Timeout {
        budget: Duration,
    },
    OutOfMemory {
        limit: usize,
    },
    Trap {
        message: String,
        /// What the policy wrote to stderr before it stopped (a panic message, typically).
        stderr: String,
        /// wasmtime's error, when the trap came from running guest code.
        error: Option<wasmtime::Error>,
    },
    /// The policy's `evaluate` returned an error of its own.
    Returned(String),
    InvalidOutput(String),
}

impl PolicyError {
    pub fn new(policy: impl Into<String>, kind: PolicyErrorKind) -> Self {
        Self {
            policy: policy.into(),
            kind,
        }
    }

    /// Classifies an error raised while running guest code.
    pub(super) fn from_run(policy: &str, error: wasmtime::Error, run: RunContext) -> Self {
        let kind = if let Some(exceeded) = error.downcast_ref::<MemoryLimitExceeded>() {
            PolicyErrorKind::OutOfMemory {
                limit: exceeded.limit,
            }
        } else if let Some(wasmtime::Trap::Interrupt) = error.downcast_ref::<wasmtime::Trap>() {
            PolicyErrorKind::Timeout {
                budget: run.timeout,
            }
        } else {
            let message = if let Some(trap) = error.downcast_ref::<wasmtime::Trap>() {
                trap.to_string()
            } else if let Some(exit) = error.downcast_ref::<wasmtime_wasi::I32Exit>() {
                format!("it exited with status {}", exit.0)
            } else if let Some(refused) = error.downcast_ref::<ClockWaitRefused>() {
                refused.to_string()
            } else {
                // Host-side failures (argument lowering, resource table) carry their own text.
                format!("{error:#}")
            };
            PolicyErrorKind::Trap {
                message,
                stderr: run.stderr,
                error: Some(error),
            }
        };
        Self::new(policy, kind)
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let policy = &self.policy;
        match &self.kind {
            PolicyErrorKind::Read(error) => write!(f, "cannot read policy `{policy}`: {error}"),
            PolicyErrorKind::NoPolicies => write!(
                f,
                "no policies in `{policy}`: the directory has no `*.wasm` files"
            ),
            PolicyErrorKind::NotWasm => write!(
                f,
                "policy `{policy}` is not a WebAssembly component (it does not start with the \
                 `\\0asm` header); policies are built with `cargo build --target wasm32-wasip2`"
            ),
            PolicyErrorKind::CoreModule => write!(
                f,
                "policy `{policy}` is a core WebAssembly module, not a component; build it with \
                 `cargo build --target wasm32-wasip2`, or wrap it with `wasm-tools component new`"
            ),
            PolicyErrorKind::InvalidComponent(error) => write!(
                f,
                "policy `{policy}` is not a valid WebAssembly component: {error:#}"
            ),
            PolicyErrorKind::NotAPolicy => write!(
                f,
                "policy `{policy}` is not a Palisade policy: it uses no `palisade:policy` \
                 interface (build it with the palisade-policy crate)"
            ),
            PolicyErrorKind::IncompatibleVersion { found, supported } => write!(
                f,
                "policy `{policy}` was built against palisade:policy@{found}, which this \
                 palisade (palisade:policy@{supported}) cannot run; rebuild the policy against \
                 palisade:policy@{supported}, or run it with a palisade release that supports \
                 palisade:policy@{found}"
            ),
            PolicyErrorKind::Link(error) => {
                write!(f, "policy `{policy}` cannot run in the sandbox: {error:#}")
            }
            PolicyErrorKind::Timeout { budget } => write!(
                f,
                "policy `{policy}` did not finish within its time budget of {}",
                human_duration(*budget)
            ),
            PolicyErrorKind::OutOfMemory { limit } => write!(
                f,
                "policy `{policy}` exceeded its memory limit of {}",
                human_bytes(*limit)
            ),
            PolicyErrorKind::Trap {
                message, stderr, ..
            } => write!(
                f,
                "policy `{policy}` crashed: {message}{}",
                stderr_suffix(stderr)
            ),
            PolicyErrorKind::Returned(message) => {
                write!(f, "policy `{policy}` reported an error: {message}")
            }
            PolicyErrorKind::InvalidOutput(message) => {
                write!(f, "policy `{policy}` returned an invalid result: {message}")
            }
        }
    }
}

impl std::error::Error for PolicyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            PolicyErrorKind::Read(error) => Some(error),
            PolicyErrorKind::InvalidComponent(error)
            | PolicyErrorKind::Link(error)
            | PolicyErrorKind::Trap {
                error: Some(error), ..
            } => {
                let error: &(dyn std::error::Error + Send + Sync) = error.as_ref();
                Some(error)
            }
            _ => None,
        }
    }
}

/// What the classification of a failed call needs to know about the call.
pub(super) struct RunContext {
    pub timeout: Duration,
    pub stderr: String,
}

/// How much of a policy's stderr an error message shows: its end, where a panic's
/// message is.
const STDERR_SHOWN: usize = 4 * 1024;

fn stderr_suffix(stderr: &str) -> String {
    let stderr = stderr.trim();
    if stderr.is_empty() {
        return String::new();
    }
    let mut start = stderr.len().saturating_sub(STDERR_SHOWN);
    while !stderr.is_char_boundary(start) {
        start += 1;
    }
    let omitted = if start > 0 {
        format!("[{start} earlier bytes omitted]\n")
    } else {
        String::new()
    };
    format!("\npolicy stderr:\n{omitted}{}", &stderr[start..])
}

/// `2s`, `1500ms`.
fn human_duration(duration: Duration) -> String {
    if duration.subsec_millis() == 0 && duration.as_secs() > 0 {
        format!("{}s", duration.as_secs())
    } else {
        format!("{}ms", duration.as_millis())
    }
}

/// `256 MiB`, `1500 bytes`.
fn human_bytes(bytes: usize) -> String {
    const MIB: usize = 1 << 20;
    const KIB: usize = 1 << 10;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_shown_in_human_units() {
        assert_eq!(human_duration(Duration::from_secs(2)), "2s");
        assert_eq!(human_duration(Duration::from_millis(1500)), "1500ms");
        assert_eq!(human_duration(Duration::from_millis(20)), "20ms");
        assert_eq!(human_bytes(256 << 20), "256 MiB");
        assert_eq!(human_bytes(64 << 10), "64 KiB");
        assert_eq!(human_bytes(1500), "1500 bytes");
    }

    #[test]
    fn long_stderr_is_cut_to_its_end() {
        let stderr = format!(
            "{}é{}",
            "x".repeat(STDERR_SHOWN),
            "y".repeat(STDERR_SHOWN - 1)
        );
        let shown = stderr_suffix(&stderr);
        assert!(shown.starts_with("\npolicy stderr:\n[4098 earlier bytes omitted]\nyyy"));
        assert!(shown.len() < STDERR_SHOWN + 64);
    }

    #[test]
    fn a_trap_message_carries_the_policy_stderr() {
        let error = PolicyError::new(
            "p.wasm",
            PolicyErrorKind::Trap {
                message: "wasm `unreachable` instruction executed".into(),
                stderr: "thread panicked at src/lib.rs:3:5:\nboom\n".into(),
                error: None,
            },
        );
        assert_eq!(
            error.to_string(),
            "policy `p.wasm` crashed: wasm `unreachable` instruction executed\n\
             policy stderr:\nthread panicked at src/lib.rs:3:5:\nboom"
        );
    }
}
