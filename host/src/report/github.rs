//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per finding
//! and per problem, which the runner turns into annotations on the pull request's diff,
//! then a plain summary line so that the job log still reads well.
//!
//! Every value read from an input or a policy is made [`printable`] first, then escaped
//! the way the runner unescapes it, so no message or file name can end a command early,
//! start another one, or reach the log as a terminal escape sequence.

use std::fmt::Write as _;

use super::display_path;
use palisade_model::{Finding, Problem, Report};
use palisade_model::{Severity, Span, printable};

pub(super) fn render(report: &Report) -> String {
    let mut out = String::new();
    for problem in &report.errors {
        out.push_str(&problem_command(problem));
        out.push('\n');
    }
    for finding in &report.findings {
        out.push_str(&finding_command(finding));
        out.push('\n');
    }
    out.push_str(&summary(report));
    out.push('\n');
    out
}

/// The annotation level GitHub shows for a severity: only critical and high look like
/// failures; info is there to read, not to fix.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium | Severity::Low => "warning",
        Severity::Info => "notice",
    }
}

fn finding_command(finding: &Finding) -> String {
    let mut properties = vec![("file", annotation_path(&finding.file))];
    properties.extend(location(finding.span));
    properties.push(("title", format!("{} ({})", finding.rule, finding.severity)));
    let mut message = format!(
        "{}: {}",
        printable(&finding.address),
        printable(&finding.full_message())
    );
    if !finding.remediation.is_empty() {
        message.push('\n');
        message.push_str(&printable(&finding.remediation));
    }
    command(level(finding.severity), &properties, &message)
}

fn problem_command(problem: &Problem) -> String {
    let mut properties = Vec::new();
    if let Some(file) = problem.file() {
        properties.push(("file", annotation_path(file)));
        if let Some(position) = problem.position() {
            properties.extend(location(Span::new(position, position)));
        }
    }
    let title = match problem.policy() {
        Some(policy) => format!("palisade: policy {} failed", printable(policy)),
        None => "palisade: cannot load".to_owned(),
    };
    properties.push(("title", title));
    command("error", &properties, &printable(problem.message()))
}

/// `::level key=value,key=value::message`, escaped as the runner expects.
fn command(level: &str, properties: &[(&str, String)], message: &str) -> String {
    let mut line = format!("::{level}");
    for (i, (key, value)) in properties.iter().enumerate() {
        let separator = if i == 0 { ' ' } else { ',' };
        let _ = write!(line, "{separator}{key}={}", escape_property(value));
    }
    line.push_str("::");
    line.push_str(&escape_data(message));
    line
}

/// The line and column properties of `span`. The runner's `endLine` and `endColumn`
/// name the last character (our spans end just after it), and it drops columns unless
/// the annotation starts and ends on one line, so multi-line spans give lines only.
fn location(span: Span) -> Vec<(&'static str, String)> {
    let start = span.start;
    if start.line == 0 {
        return Vec::new();
    }
    let mut properties = vec![("line", start.line.to_string())];
    match last_character(span) {
        (line, Some(column)) if line == start.line && start.column > 0 => {
            properties.push(("col", start.column.to_string()));
            properties.push(("endLine", line.to_string()));
            properties.push(("endColumn", column.max(start.column).to_string()));
        }
        (line, _) => properties.push(("endLine", line.max(start.line).to_string())),
    }
    properties
}

/// The line and (when known) column of the last character of `span`; an empty span is
/// the single position it starts at.
fn last_character(span: Span) -> (u32, Option<u32>) {
    let Span { start, end } = span;
    if end <= start {
        (start.line, Some(start.column))
    } else if end.column > 1 {
        (end.line, Some(end.column - 1))
    } else {
        // The span ends with a line break: its last character ends the line before.
        (end.line.saturating_sub(1), None)
    }
}

/// The path GitHub matches against the repository: relative, with forward slashes.
fn annotation_path(file: &std::path::Path) -> String {
    let path = display_path(file);
    if std::path::MAIN_SEPARATOR == '/' {
        path
    } else {
        path.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

/// Escapes a command's message: `%`, CR and LF.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (made [`printable`]): as a message, plus `:` and `,`, which
/// end values.
fn escape_property(text: &str) -> String {
    escape_data(&printable(text))
        .replace(':', "%3A")
        .replace(',', "%2C")
}

/// A plain line (not a command) with the counts, for people reading the job log.
fn summary(report: &Report) -> String {
    let s = report.summary();
    let by_severity: Vec<String> = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ]
    .into_iter()
    .filter_map(|severity| {
        let n = report
            .findings
            .iter()
            .filter(|f| f.severity == severity)
            .count();
        (n > 0).then(|| format!("{severity}={n}"))
    })
    .collect();
    let breakdown = if by_severity.is_empty() {
        String::new()
    } else {
        format!(" ({})", by_severity.join(", "))
    };
    format!(
        "palisade: findings={}{breakdown} errors={} files={} resources={} policies={}",
        report.findings.len(),
        report.errors.len(),
        s.files,
        s.resources,
        s.policies,
    )
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use palisade_model::{Format, Position};

    fn finding(severity: Severity, span: Span) -> Finding {
        Finding {
            rule: "open-ssh".to_owned(),
            severity,
            policy: "builtin:open-ssh".to_owned(),
            address: "aws_security_group.web".to_owned(),
            resource_type: "aws_security_group".to_owned(),
            format: Format::Terraform,
            file: PathBuf::from("main.tf"),
            span,
            resource_span: Span::default(),
            attribute: "ingress[0]".to_owned(),
            message: "SSH open to 0.0.0.0/0".to_owned(),
            remediation: "Restrict the source.".into(),
            origin: None,
            expired_suppression: None,
            quoted: true,
        }
    }

    fn on_line(line: u32, start: u32, end: u32) -> Span {
        Span::new(Position::new(line, start), Position::new(line, end))
    }

    #[test]
    fn data_escapes_percent_and_line_breaks_only() {
        assert_eq!(escape_data("100%\r\na: b, c"), "100%25%0D%0Aa: b, c");
        // `%` first: an escape already in the text is not mistaken for ours.
        assert_eq!(escape_data("%0A"), "%250A");
    }

    #[test]
    fn properties_also_escape_colons_and_commas() {
        assert_eq!(escape_property("dir,1/a:b%.tf"), "dir%2C1/a%3Ab%25.tf");
    }

    /// A line break or escape sequence in a file name or title stays visible text: it
    /// neither ends the command nor reaches the log as a control character.
    #[test]
    fn properties_show_control_characters_as_escapes() {
        assert_eq!(
            escape_property("a\n::error::x\u{1b}[2J\u{7}.tf"),
            "a\\n%3A%3Aerror%3A%3Ax\\u{1b}[2J\\u{7}.tf"
        );
    }

    #[test]
    fn severities_map_to_annotation_levels() {
        let levels: Vec<&str> = [
            Severity::Critical,
            Severity::High,
            Severity::Medium,
            Severity::Low,
            Severity::Info,
        ]
        .into_iter()
        .map(level)
        .collect();
        assert_eq!(levels, ["error", "error", "warning", "warning", "notice"]);
    }

    #[test]
    fn a_finding_is_one_command_with_location_title_and_remediation() {
        let command = finding_command(&finding(Severity::Medium, on_line(26, 3, 12)));
        assert_eq!(
            command,
            "::warning file=main.tf,line=26,col=3,endLine=26,endColumn=11,\
             title=open-ssh (medium)::aws_security_group.web: SSH open to 0.0.0.0/0%0A\
             Restrict the source."
        );
    }

    #[test]
    fn multi_line_spans_give_lines_without_columns() {
        let block = Span::new(Position::new(3, 1), Position::new(7, 2));
        assert_eq!(
            location(block),
            [("line", "3".to_owned()), ("endLine", "7".to_owned())]
        );
        // Ending just after a line break: the last character is on the line before.
        let through_newline = Span::new(Position::new(3, 5), Position::new(4, 1));
        assert_eq!(
            location(through_newline),
            [("line", "3".to_owned()), ("endLine", "3".to_owned())]
        );
    }

    #[test]
    fn an_empty_span_is_one_column_and_an_unknown_one_has_no_lines() {
        let point = Span::new(Position::new(2, 8), Position::new(2, 8));
        let columns: Vec<String> = location(point).into_iter().map(|(_, v)| v).collect();
        assert_eq!(columns, ["2", "8", "2", "8"]);
        assert!(location(Span::default()).is_empty());
    }

    #[test]
    fn problems_are_errors_located_when_known() {
        let located = Problem::at(
            Path::new("bad,file.tf"),
            Position::new(2, 8),
            "expected an expression",
        );
        assert_eq!(
            problem_command(&located),
            "::error file=bad%2Cfile.tf,line=2,col=8,endLine=2,endColumn=8,\
             title=palisade%3A cannot load::expected an expression"
        );
        let policy = Problem::Policy {
            policy: "broken.wasm".to_owned(),
            place: None,
            message: "trapped: unreachable".to_owned(),
        };
        assert_eq!(
            problem_command(&policy),
            "::error title=palisade%3A policy broken.wasm failed::trapped: unreachable"
        );
    }

    #[test]
    fn the_log_ends_with_a_plain_summary() {
        let report = Report {
            findings: vec![
                finding(Severity::High, on_line(1, 1, 2)),
                finding(Severity::Low, on_line(2, 1, 2)),
            ],
            files: 2,
            resources: 5,
            policies: 3,
            ..Report::default()
        };
        let text = render(&report);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("::error "));
        assert!(lines[1].starts_with("::warning "));
        assert_eq!(
            lines[2],
            "palisade: findings=2 (high=1, low=1) errors=0 files=2 resources=5 policies=3"
        );
        assert!(text.ends_with('\n'));
    }
}
