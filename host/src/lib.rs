//! Palisade: a policy-as-code gate for Terraform configurations, Terraform plans and
//! Alibaba Cloud ROS templates, whose policies are sandboxed WebAssembly components.
//!
//! This crate is the `palisade` command on top of the library crates beside it:
//! `palisade-model` (resources, findings and the report of a run) and `palisade-load`
//! (files into resources, with one crate per format). Its own stages, each depending
//! only on those listed before it: `engine`, policy components in the sandbox; `config`,
//! `palisade.toml`; `pipeline`, the stages of a check from loading to the baseline, in
//! one `run`; `report`, a report rendered as text, JSON, SARIF, JUnit or GitHub
//! annotations; `author`, scaffolding, building and testing policies; `cli`, the command.

mod author;
mod cli;
mod config;
mod engine;
mod pipeline;
mod report;

/// The `palisade` command: parses the arguments, runs, prints once, and says how it went.
pub use cli::main;
/// The WIT contract version this runner implements, which a distributed policy must match.
pub use engine::HOST_WIT_VERSION;

/// Reads and checks `text` as a `palisade.toml`, as a run does, discarding the outcome:
/// the entry point of the `config` fuzz target. Not part of the interface.
#[doc(hidden)]
pub fn fuzz_config(text: &str) {
    let _ = config::Config::parse(text, std::path::Path::new("infra/palisade.toml"));
}
