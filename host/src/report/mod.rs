//! Renders a [`Report`] for people (`text`, `github`) and for machines (`json`, `sarif`,
//! `junit`).
//!
//! Renderers only format: every decision (what fails, what is suppressed, in which
//! order) was made by the [`pipeline`](crate::pipeline).

mod github;
mod json;
mod junit;
mod sarif;
mod text;

use std::io::Write;

use palisade_model::Report;
pub use palisade_model::{OutputFormat, display_path};

/// How text output looks; JSON ignores these.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextStyle {
    /// ANSI colours (only on a terminal, never with `NO_COLOR`).
    pub color: bool,
    /// Also print notes: values a rule could not decide, shadowed rules.
    pub verbose: bool,
    /// Leave out the summary line: only findings and errors (`--quiet`).
    pub quiet: bool,
    /// The largest source file read back to quote its lines: what the loaders read.
    pub max_file_size: u64,
}

/// Writes `report` in `format` to `out`. A JSON report is written as it is serialized:
/// one of a hundred thousand findings is not held whole in memory first.
pub fn write(
    report: &Report,
    format: OutputFormat,
    style: TextStyle,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(64 << 10, out);
    match format {
        OutputFormat::Json => json::write(report, &mut out)?,
        _ => out.write_all(render(report, format, style).as_bytes())?,
    }
    out.flush()
}

/// Renders `report` in `format`.
pub fn render(report: &Report, format: OutputFormat, style: TextStyle) -> String {
    match format {
        OutputFormat::Text => text::render(report, style),
        OutputFormat::Json => json::render(report),
        OutputFormat::Sarif => sarif::render(report),
        OutputFormat::Junit => junit::render(report),
        OutputFormat::Github => github::render(report),
    }
}
