//! The terminal report: one rustc-style diagnostic per finding, with the offending
//! attribute underlined in its source line and the remediation as help, then a summary.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use super::{TextStyle, display_path};
use palisade_model::{Finding, Problem, Report};
use palisade_model::{Format, Position, Severity, Span};

pub(super) fn render(report: &Report, style: TextStyle) -> String {
    let renderer = if style.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut sources = Sources::default();
    let mut out = String::new();
    let mut emit = |group: Group<'_>| {
        out.push_str(&renderer.render(&[group]));
        out.push_str("\n\n");
    };
    for error in &report.errors {
        emit(problem(error, Level::ERROR, &mut sources));
    }
    for warning in &report.warnings {
        emit(problem(warning, Level::WARNING, &mut sources));
    }
    for finding in &report.findings {
        emit(diagnostic(
            finding,
            severity_level(finding.severity),
            &mut sources,
        ));
    }
    if style.verbose {
        for note in &report.notes {
            emit(diagnostic(note, Level::NOTE, &mut sources));
        }
    }
    if !style.quiet {
        out.push_str(&fixed_since_baseline(report));
        out.push_str(&summary(report));
        out.push('\n');
    }
    out
}

fn severity_level(severity: Severity) -> Level<'static> {
    let level = match severity {
        Severity::Critical | Severity::High => Level::ERROR,
        Severity::Medium | Severity::Low => Level::WARNING,
        Severity::Info => Level::INFO,
    };
    level.with_name(severity.as_str())
}

fn diagnostic<'a>(finding: &'a Finding, level: Level<'a>, sources: &mut Sources) -> Group<'a> {
    let title = level
        .primary_title(finding.full_message())
        .id(finding.rule.as_str());
    let label = if finding.attribute.is_empty() {
        finding.address.clone()
    } else {
        format!("{}: {}", finding.address, finding.attribute)
    };
    let mut group = if finding.format == Format::Plan {
        title
            .element(origin(&finding.file, finding.span))
            .element(Level::NOTE.message(format!("resource {label}")))
    } else {
        title.element(located(&finding.file, finding.span, label, sources))
    };
    if !finding.remediation.is_empty() {
        group = group.element(Level::HELP.message(finding.remediation.as_str()));
    }
    group
}

fn problem<'a>(error: &'a Problem, level: Level<'a>, sources: &mut Sources) -> Group<'a> {
    let title = level.primary_title(error.message());
    match (error.file(), error.position()) {
        (Some(file), Some(position)) => {
            let span = Span::new(position, position);
            title.element(located(file, span, String::new(), sources))
        }
        (Some(file), None) => title.element(Origin::path(display_path(file))),
        _ => Group::with_title(title),
    }
}

/// The lines of `span` in `file` with the span underlined, or just `file:line:col`
/// when the file cannot be read any more.
fn located<'a>(
    file: &Path,
    span: Span,
    label: String,
    sources: &mut Sources,
) -> annotate_snippets::Element<'a> {
    let Some(text) = sources.get(file) else {
        return origin(file, span);
    };
    let path = display_path(file);
    let first = Position::new(span.start.line, 1).to_offset(text);
    let last_line_end = {
        let end = Position::new(span.end.line.max(span.start.line), u32::MAX).to_offset(text);
        end.max(first)
    };
    let lines = text[first..last_line_end].to_owned();
    let start = span.start.to_offset(text) - first;
    let end = (span.end.to_offset(text).max(first) - first).clamp(start, lines.len());
    // An empty span (an error at one position) still gets one caret.
    let end = if end == start {
        (start + 1).min(lines.len().max(start))
    } else {
        end
    };
    Snippet::source(lines)
        .path(path)
        .line_start(span.start.line as usize)
        .annotation(AnnotationKind::Primary.span(start..end).label(label))
        .into()
}

/// Just `file:line:col`, without quoting the source.
fn origin<'a>(file: &Path, span: Span) -> annotate_snippets::Element<'a> {
    Origin::path(display_path(file))
        .line(span.start.line as usize)
        .char_column(span.start.column.saturating_sub(1) as usize)
        .into()
}

/// Source files read once each, for the snippets.
#[derive(Default)]
struct Sources(HashMap<PathBuf, Option<String>>);

impl Sources {
    fn get(&mut self, file: &Path) -> Option<&str> {
        self.0
            .entry(file.to_path_buf())
            .or_insert_with(|| std::fs::read_to_string(file).ok())
            .as_deref()
    }
}

fn summary(report: &Report) -> String {
    let s = report.summary();
    let mut by_severity: Vec<String> = Vec::new();
    for severity in [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ] {
        let n = report
            .findings
            .iter()
            .filter(|f| f.severity == severity)
            .count();
        if n > 0 {
            by_severity.push(format!("{n} {severity}"));
        }
    }
    let findings = if by_severity.is_empty() {
        plural(s.findings, "finding")
    } else {
        format!(
            "{} ({})",
            plural(s.findings, "finding"),
            by_severity.join(", ")
        )
    };
    let findings = match s.suppressed {
        0 => findings,
        n => format!("{findings}, {n} suppressed"),
    };
    let findings = match report.baselined.len() {
        0 => findings,
        known => format!("{findings}, {known} known (baseline)"),
    };
    format!(
        "{} ({}) checked with {}: {findings}, {}",
        plural(s.files, "file"),
        plural(s.resources, "resource"),
        plural(s.policies, "policy"),
        plural(s.errors, "error"),
    )
}

/// The baseline's findings that no longer occur, one line each, so the baseline can be
/// written again; nothing when there are none.
fn fixed_since_baseline(report: &Report) -> String {
    let mut out = String::new();
    if report.fixed.is_empty() {
        return out;
    }
    out.push_str("fixed since the baseline:\n");
    for entry in &report.fixed {
        let attribute = if entry.attribute.is_empty() {
            String::new()
        } else {
            format!(": {}", entry.attribute)
        };
        out.push_str(&format!(
            "  [{}] {} {}{attribute}\n",
            entry.rule, entry.file, entry.address
        ));
    }
    out.push('\n');
    out
}

fn plural(n: usize, noun: &str) -> String {
    match (n, noun) {
        (1, _) => format!("1 {noun}"),
        (_, "policy") => format!("{n} policies"),
        _ => format!("{n} {noun}s"),
    }
}
