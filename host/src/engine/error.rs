//! What can go wrong with a policy, phrased for the person running the gate.
//!
//! Every [`PolicyError`] names the policy it concerns, so that one failing policy is
//! reported as such while the others keep running; its `Display` is the whole message.

use std::path::PathBuf;
use std::time::Duration;

use super::limits::MemoryLimitExceeded;
use super::sandbox::ClockWaitRefused;

/// The engine itself could not be set up (not specific to any policy).
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("cannot set up the WebAssembly engine: {0}")]
    Setup(String),
}

/// A policy could not be read, loaded or evaluated.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error("cannot read policy `{policy}`: {source}")]
    Read {
        policy: String,
        #[source]
        source: std::io::Error,
    },

    #[error("no policies in `{}`: the directory has no `*.wasm` files", directory.display())]
    NoPolicies { directory: PathBuf },

    #[error(
        "policy `{policy}` is not a WebAssembly component (it does not start with the \
         `\\0asm` header); policies are built with `cargo build --target wasm32-wasip2`"
    )]
    NotWasm { policy: String },

    #[error(
        "policy `{policy}` is a core WebAssembly module, not a component; build it with \
         `cargo build --target wasm32-wasip2`, or wrap it with `wasm-tools component new`"
    )]
    CoreModule { policy: String },

    #[error("policy `{policy}` is not a valid WebAssembly component: {message}")]
    InvalidComponent { policy: String, message: String },

    #[error(
        "policy `{policy}` is not a Palisade policy: it uses no `palisade:policy` interface \
         (build it with the palisade-policy crate)"
    )]
    NotAPolicy { policy: String },

    #[error(
        "policy `{policy}` was built against palisade:policy@{found}, which this palisade \
         (palisade:policy@{supported}) cannot run; rebuild the policy against \
         palisade:policy@{supported}, or run it with a palisade release that supports \
         palisade:policy@{found}"
    )]
    IncompatibleVersion {
        policy: String,
        found: String,
        supported: String,
    },

    #[error("policy `{policy}` cannot run in the sandbox: {message}")]
    Link { policy: String, message: String },

    #[error(
        "policy `{policy}` did not finish within its time budget of {}",
        human_duration(*budget)
    )]
    Timeout { policy: String, budget: Duration },

    #[error(
        "policy `{policy}` exceeded its memory limit of {}",
        human_bytes(*limit)
    )]
    OutOfMemory { policy: String, limit: usize },

    #[error("policy `{policy}` crashed: {message}{}", stderr_suffix(stderr))]
    Trap {
        policy: String,
        message: String,
        /// What the policy wrote to stderr before it stopped (a panic message, typically).
        stderr: String,
    },

    #[error("policy `{policy}` reported an error: {message}")]
    Returned { policy: String, message: String },

    #[error("policy `{policy}` returned an invalid result: {message}")]
    InvalidOutput { policy: String, message: String },
}

impl PolicyError {
    /// The policy (or directory) the error is about, as the user named it.
    pub fn policy(&self) -> String {
        match self {
            Self::NoPolicies { directory } => directory.display().to_string(),
            Self::Read { policy, .. }
            | Self::NotWasm { policy }
            | Self::CoreModule { policy }
            | Self::InvalidComponent { policy, .. }
            | Self::NotAPolicy { policy }
            | Self::IncompatibleVersion { policy, .. }
            | Self::Link { policy, .. }
            | Self::Timeout { policy, .. }
            | Self::OutOfMemory { policy, .. }
            | Self::Trap { policy, .. }
            | Self::Returned { policy, .. }
            | Self::InvalidOutput { policy, .. } => policy.clone(),
        }
    }

    /// Classifies an error raised while running guest code.
    pub(super) fn from_run(policy: &str, error: wasmtime::Error, run: RunContext) -> Self {
        let policy = policy.to_owned();
        if let Some(exceeded) = error.downcast_ref::<MemoryLimitExceeded>() {
            return Self::OutOfMemory {
                policy,
                limit: exceeded.limit,
            };
        }
        if let Some(wasmtime::Trap::Interrupt) = error.downcast_ref::<wasmtime::Trap>() {
            return Self::Timeout {
                policy,
                budget: run.timeout,
            };
        }
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
        Self::Trap {
            policy,
            message,
            stderr: run.stderr,
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
        let error = PolicyError::Trap {
            policy: "p.wasm".into(),
            message: "wasm `unreachable` instruction executed".into(),
            stderr: "thread panicked at src/lib.rs:3:5:\nboom\n".into(),
        };
        assert_eq!(
            error.to_string(),
            "policy `p.wasm` crashed: wasm `unreachable` instruction executed\n\
             policy stderr:\nthread panicked at src/lib.rs:3:5:\nboom"
        );
    }
}
