//! The formats a report of a run can be rendered in.

/// The output formats of `palisade check --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
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
