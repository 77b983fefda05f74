//! Renders an [`Outcome`] for people (`text`) and for machines (`json`).
//!
//! Renderers only format: every decision (what fails, in which order) was made by
//! [`crate::check`].

pub mod fingerprint;
mod github;
mod json;
mod junit;
mod sarif;
mod text;

use std::path::Path;

use crate::check::Outcome;

/// The output formats of `palisade check --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// rustc-style diagnostics with the source line underlined.
    Text,
    /// A stable JSON document (`"version": 1`) for tools.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// JUnit XML: one test suite per rule, one test case per checked resource.
    Junit,
    /// GitHub Actions workflow commands: annotations on the pull request's diff.
    Github,
}

/// How text output looks; JSON ignores these.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextStyle {
    /// ANSI colours (only on a terminal, never with `NO_COLOR`).
    pub color: bool,
    /// Also print notes: values a rule could not decide, shadowed rules.
    pub verbose: bool,
    /// Leave out the summary line: only findings and errors (`--quiet`).
    pub quiet: bool,
}

/// Renders `outcome` in `format`.
pub fn render(outcome: &Outcome, format: OutputFormat, style: TextStyle) -> String {
    match format {
        OutputFormat::Text => text::render(outcome, style),
        OutputFormat::Json => json::render(outcome),
        OutputFormat::Sarif => sarif::render(outcome),
        OutputFormat::Junit => junit::render(outcome),
        OutputFormat::Github => github::render(outcome),
    }
}

/// `path` as users should read it: relative to the current directory when under it,
/// without a leading `./`.
pub fn display_path(path: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok())
        .unwrap_or(path);
    let relative = relative.strip_prefix(".").unwrap_or(relative);
    relative.display().to_string()
}
