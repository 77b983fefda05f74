//! Finds suppression comments in a file's text, with their positions and the line each
//! one covers.
//!
//! A comment that shares its line with code covers that line; a comment on a line of its
//! own covers the next line of code, through any other comment lines between them (so
//! that suppressions stack) but not through a blank line. The scan knows just enough
//! syntax to tell comments from strings: HCL `#`, `//` and `/* */` outside `"..."` and
//! heredocs; YAML `#` at the start of a line or after a space, outside quotes.

use std::path::Path;

use super::comment::MARKER;
use palisade_model::Position;

/// The comment syntax of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Hcl,
    Yaml,
}

impl Syntax {
    /// The syntax of `file` (whose contents are `text`); `None` for JSON, which has no
    /// comments.
    pub fn of(file: &Path, text: &str) -> Option<Self> {
        let name = file.file_name()?.to_str()?;
        if name.ends_with(".tf") || name.ends_with(".hcl") {
            Some(Self::Hcl)
        } else if name.ends_with(".yaml")
            || name.ends_with(".yml")
            || (name.ends_with(".template") && !text.trim_start().starts_with('{'))
        {
            Some(Self::Yaml)
        } else {
            None
        }
    }
}

/// A suppression comment: its text from [`MARKER`] to the end of the comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found<'a> {
    /// Where [`MARKER`] starts.
    pub position: Position,
    pub text: &'a str,
    /// The line the comment covers; `None` when no code follows it.
    pub target: Option<u32>,
}

/// Every suppression comment of `text`.
pub fn suppression_comments(text: &str, syntax: Syntax) -> Vec<Found<'_>> {
    let lines = lex(text, syntax);
    let mut found = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        for &(offset, body) in &line.comments {
            let Some(start) = body.find(MARKER).filter(|&i| body[..i].trim().is_empty()) else {
                continue;
            };
            let target = if line.code {
                Some(index)
            } else {
                lines[index + 1..]
                    .iter()
                    .position(|next| next.code || next.comments.is_empty())
                    .map(|skipped| index + 1 + skipped)
                    .filter(|&next| lines[next].code)
            };
            let column = line.text[..offset + start].chars().count() + 1;
            found.push(Found {
                position: Position::new(line_number(index), saturate(column)),
                text: body[start..].trim_end(),
                target: target.map(line_number),
            });
        }
    }
    found
}

fn line_number(index: usize) -> u32 {
    saturate(index + 1)
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// One line of text: whether it holds code, and its comments (byte offset of each body
/// in the line, and the body).
#[derive(Debug, Default)]
struct Line<'a> {
    text: &'a str,
    code: bool,
    comments: Vec<(usize, &'a str)>,
}

fn lex(text: &str, syntax: Syntax) -> Vec<Line<'_>> {
    let mut state = HclState::default();
    text.split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .map(|line| match syntax {
            Syntax::Hcl => state.line(line),
            Syntax::Yaml => yaml_line(line),
        })
        .collect()
}

/// What carries from one HCL line to the next: an open `/*` comment or heredoc.
#[derive(Default)]
struct HclState {
    in_block_comment: bool,
    heredoc: Option<String>,
}

impl HclState {
    fn line<'a>(&mut self, text: &'a str) -> Line<'a> {
        let mut line = Line {
            text,
            ..Line::default()
        };
        if let Some(end) = &self.heredoc {
            if text.trim() == end {
                self.heredoc = None;
            }
            line.code = true;
            return line;
        }
        let bytes = text.as_bytes();
        let mut i = 0;
        if self.in_block_comment {
            match text.find("*/") {
                Some(end) => {
                    line.comments.push((0, &text[..end]));
                    self.in_block_comment = false;
                    i = end + 2;
                }
                None => {
                    line.comments.push((0, text));
                    return line;
                }
            }
        }
        let mut in_string = false;
        while i < bytes.len() {
            let next = bytes.get(i + 1).copied();
            match (bytes[i], in_string) {
                (b'\\', true) => i += 1,
                (b'"', _) => {
                    in_string = !in_string;
                    line.code = true;
                }
                (_, true) => {}
                (b'#', false) => {
                    line.comments.push((i + 1, &text[i + 1..]));
                    break;
                }
                (b'/', false) if next == Some(b'/') => {
                    line.comments.push((i + 2, &text[i + 2..]));
                    break;
                }
                (b'/', false) if next == Some(b'*') => {
                    let body = &text[i + 2..];
                    match body.find("*/") {
                        Some(end) => {
                            line.comments.push((i + 2, &body[..end]));
                            i += end + 3;
                        }
                        None => {
                            line.comments.push((i + 2, body));
                            self.in_block_comment = true;
                            break;
                        }
                    }
                }
                (b'<', false) if next == Some(b'<') => {
                    line.code = true;
                    self.heredoc = heredoc_end(&text[i + 2..]);
                    if self.heredoc.is_some() {
                        break;
                    }
                    i += 1;
                }
                (c, false) if !c.is_ascii_whitespace() => line.code = true,
                _ => {}
            }
            i += 1;
        }
        line
    }
}

/// The terminator of a heredoc opened by `<<` followed by `rest` (`EOT` for `<<EOT` or
/// `<<-EOT` at the end of the line).
fn heredoc_end(rest: &str) -> Option<String> {
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let (name, after) = rest.split_at(end);
    (!name.is_empty() && after.trim().is_empty()).then(|| name.to_owned())
}

/// A YAML line: `#` starts a comment at the start of the line or after a space, outside a
/// quoted scalar; a quote opens one only where a scalar can start.
fn yaml_line(text: &str) -> Line<'_> {
    let mut line = Line {
        text,
        ..Line::default()
    };
    let mut quote: Option<char> = None;
    let mut previous: Option<char> = None;
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match (quote, c) {
            (Some('"'), '\\') => {
                chars.next();
            }
            (Some(open), c) if c == open => quote = None,
            (Some(_), _) => {}
            (None, '#') if previous.is_none_or(char::is_whitespace) => {
                line.comments.push((i + 1, &text[i + 1..]));
                break;
            }
            (None, '"' | '\'')
                if previous.is_none_or(|p| p.is_whitespace() || "[{,:-".contains(p)) =>
            {
                quote = Some(c);
                line.code = true;
            }
            (None, c) if !c.is_whitespace() => line.code = true,
            _ => {}
        }
        previous = Some(c);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(line, column, text, target)` of every suppression comment.
    fn scan(text: &str, syntax: Syntax) -> Vec<(u32, u32, &str, Option<u32>)> {
        suppression_comments(text, syntax)
            .into_iter()
            .map(|f| (f.position.line, f.position.column, f.text, f.target))
            .collect()
    }

    #[test]
    fn hcl_comments_cover_their_line_or_the_next_line_of_code() {
        let text = r#"# palisade:ignore a reason="above"
resource "t" "n" { // palisade:ignore b reason="header"
  cidr = "0.0.0.0/0" /* palisade:ignore c reason="inline" */

  # palisade:ignore d reason="stacked"
  # palisade:ignore e reason="stacked"
  port = 22
}
# palisade:ignore f reason="before a blank line"

"#;
        assert_eq!(
            scan(text, Syntax::Hcl),
            [
                (1, 3, r#"palisade:ignore a reason="above""#, Some(2)),
                (2, 23, r#"palisade:ignore b reason="header""#, Some(2)),
                (3, 25, r#"palisade:ignore c reason="inline""#, Some(3)),
                (5, 5, r#"palisade:ignore d reason="stacked""#, Some(7)),
                (6, 5, r#"palisade:ignore e reason="stacked""#, Some(7)),
                (
                    9,
                    3,
                    r#"palisade:ignore f reason="before a blank line""#,
                    None
                ),
            ]
        );
    }

    #[test]
    fn hcl_strings_and_heredocs_are_not_comments() {
        let text = r##"name = "# palisade:ignore a reason=\"x\""
url = "http://x" # palisade:ignore b reason="y"
script = <<-EOT
  # palisade:ignore c reason="in a heredoc"
EOT
/*
 palisade:ignore d reason="in a block comment"
*/
tags = {}
text = "prose mentioning palisade:ignore" # not palisade:ignore e
"##;
        assert_eq!(
            scan(text, Syntax::Hcl),
            [
                (2, 20, r#"palisade:ignore b reason="y""#, Some(2)),
                (
                    7,
                    2,
                    r#"palisade:ignore d reason="in a block comment""#,
                    Some(9)
                ),
            ]
        );
    }

    #[test]
    fn yaml_comments_need_a_space_before_the_hash() {
        let text = r#"Resources:
  # palisade:ignore a reason="above the logical id"
  Group:
    Type: ALIYUN::ECS::SecurityGroup
    Url: http://x/#palisade:ignore b reason="part of the value"
    Text: "a # palisade:ignore c reason=quoted"
    Note: it's fine # palisade:ignore d reason="after an apostrophe"
"#;
        assert_eq!(
            scan(text, Syntax::Yaml),
            [
                (
                    2,
                    5,
                    r#"palisade:ignore a reason="above the logical id""#,
                    Some(3)
                ),
                (
                    7,
                    23,
                    r#"palisade:ignore d reason="after an apostrophe""#,
                    Some(7)
                ),
            ]
        );
    }

    #[test]
    fn syntax_follows_the_file_name() {
        let of = |name: &str, text: &str| Syntax::of(Path::new(name), text);
        assert_eq!(of("main.tf", ""), Some(Syntax::Hcl));
        assert_eq!(of("web.yaml", ""), Some(Syntax::Yaml));
        assert_eq!(of("web.yml", ""), Some(Syntax::Yaml));
        assert_eq!(of("web.template", "Resources: {}"), Some(Syntax::Yaml));
        assert_eq!(of("web.template", " {}"), None);
        assert_eq!(of("main.tf.json", "{}"), None);
        assert_eq!(of("plan.json", "{}"), None);
    }
}
