//! The terminal report: one rustc-style diagnostic per finding, with the offending
//! attribute underlined in its source line and the remediation as help, then a summary.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use super::{TextStyle, display_path};
use palisade_model::{Finding, Problem, Report};
use palisade_model::{LineIndex, Position, Severity, Span, printable};
use palisade_syntax::source::read_regular;

pub(super) fn render(report: &Report, style: TextStyle) -> String {
    let renderer = if style.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut sources = Sources {
        files: HashMap::new(),
        max_file_size: style.max_file_size,
    };
    let mut out = String::new();
    let mut emit = |group: Group<'_>| {
        out.push_str(&without_blank_origins(renderer.render(&[group])));
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
        .primary_title(printable(&finding.full_message()).into_owned())
        .id(finding.rule.as_str());
    let label = if finding.attribute.is_empty() {
        printable(&finding.address).into_owned()
    } else {
        format!(
            "{}: {}",
            printable(&finding.address),
            printable(&finding.attribute)
        )
    };
    let mut group = if !finding.quoted {
        title
            .element(origin(&finding.file, finding.span))
            .element(Level::NOTE.message(format!("resource {label}")))
    } else {
        title.elements(located(&finding.file, finding.span, label, sources))
    };
    if !finding.remediation.is_empty() {
        group = group.element(Level::HELP.message(printable(&finding.remediation)));
    }
    group
}

/// A problem: its message's first line as the title, then where it is, then each further
/// line (a policy's stderr, say) as a note of its own, so that no line of the message
/// starts a line of the output.
fn problem<'a>(error: &'a Problem, level: Level<'a>, sources: &mut Sources) -> Group<'a> {
    let mut lines = error.message().lines();
    let title = level.primary_title(printable(lines.next().unwrap_or_default()));
    let group = match (error.file(), error.position()) {
        (Some(file), Some(position)) => {
            let span = Span::new(position, position);
            title.elements(located(file, span, String::new(), sources))
        }
        (Some(file), None) => title.element(Origin::path(shown_path(file))),
        _ => Group::with_title(title),
    };
    group.elements(lines.map(|line| Level::NOTE.message(printable(line))))
}

/// The lines of `span` in `file` with the span underlined, or just `file:line:col`
/// when the file cannot be read any more. Long lines are cut to a window around the
/// span ([`excerpt`]); the location is then given apart, since the snippet's own
/// columns no longer count from the start of the line.
fn located<'a>(
    file: &Path,
    span: Span,
    label: String,
    sources: &mut Sources,
) -> Vec<annotate_snippets::Element<'a>> {
    let Some((text, index)) = sources.get(file) else {
        return vec![origin(file, span)];
    };
    let last = span.end.line.clamp(
        span.start.line,
        span.start.line.saturating_add(MAX_LINES - 1),
    );
    let start = index.offset(text, span.start);
    let end = if last == span.end.line {
        index.offset(text, span.end).max(start)
    } else {
        index.offset(text, Position::new(last, u32::MAX))
    };
    let Excerpt { lines, shown, cut } = excerpt(text, index, span.start.line..=last, start..end);
    // An empty span (an error at one position) still gets one caret.
    let shown = if shown.is_empty() {
        let width = lines[shown.start..]
            .chars()
            .next()
            .map_or(0, char::len_utf8);
        shown.start..shown.start + width
    } else {
        shown
    };
    let snippet = Snippet::source(lines)
        .line_start(span.start.line as usize)
        .annotation(AnnotationKind::Primary.span(shown).label(label));
    if cut {
        vec![origin(file, span), snippet.into()]
    } else {
        vec![snippet.path(shown_path(file)).into()]
    }
}

/// `rendered` without the empty `:::` line annotate-snippets draws above a snippet with
/// no file name: a cut line's snippet has none, its location being given apart.
fn without_blank_origins(rendered: String) -> String {
    // Only a cut line's snippet has one: every other finding is passed through as it is.
    if !rendered.contains(":::") {
        return rendered;
    }
    let blank = |line: &str| {
        let mut plain = String::new();
        let mut rest = line;
        // Colours are SGR sequences, `ESC [ ... m`.
        while let Some(start) = rest.find('\u{1b}') {
            plain.push_str(&rest[..start]);
            rest = rest[start..]
                .find('m')
                .map_or("", |end| &rest[start + end + 1..]);
        }
        plain.push_str(rest);
        plain.trim() == ":::"
    };
    let lines: Vec<&str> = rendered.split('\n').filter(|line| !blank(line)).collect();
    lines.join("\n")
}

/// Bytes of a source line shown whole; a longer line (a minified file is one line of
/// megabytes) is cut to a window around the span, so that each finding costs the same
/// whatever the line's length and the report stays linear in its size.
const LINE_WINDOW: usize = 240;
/// Bytes shown on each side of the span in a cut line.
const CONTEXT: usize = 60;
/// Bytes of the span itself shown in a cut line.
const SPAN_WINDOW: usize = 120;
/// Lines of one span shown at most.
const MAX_LINES: u32 = 50;

/// Source lines as a snippet shows them.
struct Excerpt {
    /// The lines, each cut to its window and made [`printable`], joined.
    lines: String,
    /// Where the span lies in `lines`.
    shown: Range<usize>,
    /// Whether the first line lost its start, so that columns in `lines` are not the
    /// file's.
    cut: bool,
}

/// The `lines` of `text` around the byte range `span`, as [`Excerpt`] says.
fn excerpt(
    text: &str,
    index: &LineIndex,
    lines: std::ops::RangeInclusive<u32>,
    span: Range<usize>,
) -> Excerpt {
    let mut out = String::new();
    let mut shown = 0..0;
    let mut cut = false;
    let (first, last) = (*lines.start(), *lines.end());
    for line in lines {
        if line > first {
            out.push('\n');
        }
        let line_start = index.offset(text, Position::new(line, 1));
        let mut line_end = index.offset(text, Position::new(line, u32::MAX));
        if text[line_start..line_end].ends_with('\r') {
            line_end -= 1;
        }
        let from = span.start.clamp(line_start, line_end);
        let to = span.end.clamp(from, line_end);
        let (window, part) = if line_end - line_start <= LINE_WINDOW {
            (line_start..line_end, from..to)
        } else {
            let to = floor_char(text, to.min(from + SPAN_WINDOW));
            let window = floor_char(text, from.saturating_sub(CONTEXT).max(line_start))
                ..ceil_char(text, (to + CONTEXT).min(line_end));
            (window, from..to)
        };
        if window.start > line_start {
            cut |= line == first;
            out.push('…');
        }
        out.push_str(&printable(&text[window.start..part.start]));
        if line == first {
            shown.start = out.len();
        }
        out.push_str(&printable(&text[part.clone()]));
        if line == last {
            shown.end = out.len();
        }
        out.push_str(&printable(&text[part.end..window.end]));
        if window.end < line_end {
            out.push('…');
        }
    }
    Excerpt {
        lines: out,
        shown,
        cut,
    }
}

/// The nearest character boundary at or before `offset`.
fn floor_char(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The nearest character boundary at or after `offset` (at most the end of `text`).
fn ceil_char(text: &str, mut offset: usize) -> usize {
    while offset < text.len() && !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}

/// A file's name as reports show it: relative when it can be, and [`printable`].
fn shown_path(file: &Path) -> String {
    printable(&display_path(file)).into_owned()
}

/// Just `file:line:col`, without quoting the source. annotate-snippets prints the
/// column as given: one-based, as editors count.
fn origin<'a>(file: &Path, span: Span) -> annotate_snippets::Element<'a> {
    Origin::path(shown_path(file))
        .line(span.start.line as usize)
        .char_column(span.start.column as usize)
        .into()
}

/// Source files read and indexed once each, for the snippets.
struct Sources {
    files: HashMap<PathBuf, Option<(String, LineIndex)>>,
    max_file_size: u64,
}

impl Sources {
    fn get(&mut self, file: &Path) -> Option<&(String, LineIndex)> {
        self.files
            .entry(file.to_path_buf())
            .or_insert_with(|| {
                // Only what a loader could read: a FIFO in a template's place must not
                // block the report, nor a huge file fill memory.
                let bytes = read_regular(file, self.max_file_size).ok()?;
                let text = String::from_utf8(bytes).ok()?;
                let index = LineIndex::new(&text);
                Some((text, index))
            })
            .as_ref()
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
            "  [{}] {} {}{}\n",
            printable(&entry.rule),
            printable(&entry.file),
            printable(&entry.address),
            printable(&attribute)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn excerpt_of(text: &str, line: u32, span: Range<usize>) -> (String, String, bool) {
        let index = LineIndex::new(text);
        let Excerpt { lines, shown, cut } = excerpt(text, &index, line..=line, span);
        (lines.clone(), lines[shown].to_owned(), cut)
    }

    /// A policy's error (its stderr, say) keeps its lines, each behind a note: none of
    /// them starts a line of the output, and control characters show as escapes.
    #[test]
    fn each_further_line_of_a_problem_is_a_note() {
        let report = Report {
            errors: vec![Problem::Environment {
                message: "crashed\n::error file=x::INJECTED\n\u{1b}[2J".to_owned(),
            }],
            ..Report::default()
        };
        let text = render(&report, TextStyle::default());
        assert!(text.starts_with("error: crashed\n"), "{text}");
        assert!(
            text.contains(" = note: ::error file=x::INJECTED\n"),
            "{text}"
        );
        assert!(text.contains(" = note: \\u{1b}[2J\n"), "{text}");
        assert!(!text.lines().any(|line| line.starts_with("::")), "{text}");
    }

    #[test]
    fn short_lines_are_quoted_whole_without_their_line_break() {
        let text = "a = 1\r\nb = \"\u{1b}[2J\"\r\n";
        let (lines, shown, cut) = excerpt_of(text, 2, 7..8);
        assert_eq!(lines, "b = \"\\u{1b}[2J\"");
        assert_eq!(shown, "b");
        assert!(!cut);
    }

    #[test]
    fn long_lines_are_cut_around_the_span_at_character_boundaries() {
        let text = format!("{}target{}", "é".repeat(1000), "中".repeat(1000));
        let start = text.find("target").unwrap();
        let (lines, shown, cut) = excerpt_of(&text, 1, start..start + 6);
        assert_eq!(shown, "target");
        assert!(cut);
        assert!(lines.starts_with('…') && lines.ends_with('…'), "{lines}");
        assert!(lines.len() < LINE_WINDOW + 2 * CONTEXT, "{}", lines.len());
    }
}
