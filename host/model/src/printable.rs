//! Text from templates, plans, configuration files and policies, made safe to print.
//!
//! Every string a run reads may come from a stranger's pull request: a resource label, a
//! ROS logical id, a file name, a policy's message. Printed raw, a line break in one
//! starts a new line of the CI log (where `::error ...` at the start of a line is a
//! GitHub Actions workflow command) and an escape sequence drives the terminal. Every
//! human-facing report and message passes such strings through [`printable`] first.

use std::borrow::Cow;
use std::fmt::Write as _;

/// `text` with every character that could break a line or control a terminal written as
/// a visible escape (`\n`, `\r`, `\u{1b}`), so that it stays within the line it is
/// printed on and shows exactly what the input holds. Tabs stay: they move the cursor
/// only along the line.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `text` that is meant to span lines (a rule's documentation page) made printable line by
/// line: its line breaks stay, and every other control character is escaped as
/// [`printable`] does, so that no line can hold an escape sequence or a carriage return;
/// a line that starts with `::` (a GitHub Actions workflow command) is indented by a space.
pub fn printable_lines(text: &str) -> String {
    text.split('\n')
        .map(|line| {
            let line = printable(line);
            if line.starts_with("::") {
                format!(" {line}")
            } else {
                line.into_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Control characters (C0, DEL, C1) but tab, the Unicode line and paragraph separators,
/// which some viewers break lines at, and the bidirectional controls, which reorder what
/// a reader sees.
fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(
            c,
            '\u{2028}'
                | '\u{2029}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_keeps_its_lines_and_loses_its_escape_sequences() {
        assert_eq!(
            printable_lines("# Title\n\nText\u{1b}[2J\r\n::error::x"),
            "# Title\n\nText\\u{1b}[2J\\r\n ::error::x"
        );
    }

    #[test]
    fn line_breaks_and_escape_sequences_become_visible() {
        assert_eq!(
            printable("x\n::error file=a::INJECTED\r\u{1b}[2J\u{7}\u{85}\u{202e}end"),
            "x\\n::error file=a::INJECTED\\r\\u{1b}[2J\\u{7}\\u{85}\\u{202e}end"
        );
    }

    #[test]
    fn ordinary_text_is_borrowed_as_it_is() {
        let text = "aws_s3_bucket.b[\"é\"]: ingress[0]\tcidr";
        assert!(matches!(printable(text), Cow::Borrowed(t) if t == text));
    }
}
