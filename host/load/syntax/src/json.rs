//! JSON text to a positioned [`Node`] tree, with jsonc-parser (which keeps byte ranges and
//! refuses input nested deeper than it can parse without exhausting the stack).
//!
//! The parser runs in strict JSON mode: comments, trailing commas and the like are
//! rejected, as the tools that deploy these templates reject them.
//!
//! Valid documents are built straight from the parser's token scanner, with no syntax
//! tree in between: a 30 MB Terraform plan then takes half the time and memory. Anything
//! else goes through the full parser, whose errors say what is wrong and where.

use std::borrow::Cow;
use std::ops::Range;
use std::path::Path;

use jsonc_parser::ast;
use jsonc_parser::tokens::Token;
use jsonc_parser::{CollectOptions, ParseOptions, Scanner, ScannerOptions, parse_to_ast};

use crate::strict;
use crate::tree::{Entry, Node, NodeValue};
use palisade_model::{AttrPath, LineIndex, LoadError, Position, Span};

/// As deep as the full parser accepts; deeper documents get its error.
const MAX_DEPTH: usize = 512;

/// Parses `text` (the contents of `file`) as one JSON value; `None` for an empty file.
pub fn parse(file: &Path, text: &str) -> Result<Option<Node>, LoadError> {
    if let Some(root) = Tokens::new(text, 0).document() {
        return Ok(Some(root));
    }
    let options = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    match parse_to_ast(text, &CollectOptions::default(), &options) {
        Ok(result) => Ok(result.value.as_ref().map(node)),
        Err(error) => Err(LoadError {
            file: file.to_path_buf(),
            position: Position::from_offset(text, error.range().start),
            message: format!("invalid JSON: {}", error.kind()),
        }),
    }
}

/// The top-level entries of a JSON object document, each with the byte range of its
/// value, without building their trees: a large document (a plan) can then be built one
/// part at a time with [`parse_part`]. `None` when `text` is not a valid JSON object.
pub fn top_level(text: &str) -> Option<Vec<(String, Range<usize>)>> {
    if let Some(parts) = strict::top_level(text) {
        return Some(parts);
    }
    let mut tokens = Tokens::new(text, 0);
    if tokens.next()? != Token::OpenBrace {
        return None;
    }
    let mut parts = Vec::new();
    tokens.object(|tokens, key, _, first| {
        let start = tokens.scanner.token_start();
        tokens.skip(first, 1)?;
        parts.push((key.into_owned(), start..tokens.scanner.token_end()));
        Some(())
    })?;
    tokens.end().then_some(parts)
}

/// The value at `range` of `text` (a range [`top_level`] gave), with spans into `text`.
pub fn parse_part(text: &str, range: Range<usize>) -> Option<Node> {
    let offset = range.start;
    Tokens::new(text.get(range)?, offset).document()
}

/// Calls `at` with the attribute path and byte range of the values inside the value at
/// `range` of `text` (not the value itself), for the first `limit` of them in document
/// order: the positions of a value without building its tree, which for a list of ten
/// million numbers would take twenty times the text. `None` when it is not valid JSON.
pub fn value_spans(
    text: &str,
    range: Range<usize>,
    limit: usize,
    at: &mut dyn FnMut(&str, Range<usize>),
) -> Option<()> {
    let mut tokens = Tokens::new(text.get(range.clone())?, range.start);
    let first = tokens.next()?;
    let mut left = limit;
    tokens.spans(first, &AttrPath::root(), 0, &mut left, at)?;
    tokens.end().then_some(())
}

/// [`value_spans`] with line and column positions, given the `lines` of `text`, and
/// each path owned: what a loader keeps of a value. Strict JSON is read at the speed of a
/// byte scan, counting lines as it goes; anything else as [`value_spans`] reads it.
pub fn value_positions(
    text: &str,
    range: Range<usize>,
    lines: &LineIndex,
    limit: usize,
    at: &mut dyn FnMut(String, Span),
) -> Option<()> {
    let start = lines.position(text, range.start);
    if let Some(found) = strict::value_spans(text, range.clone(), start, limit) {
        for (path, span) in found {
            at(path, span);
        }
        return Some(());
    }
    value_spans(text, range, limit, &mut |path, range| {
        at(path.to_owned(), lines.span(text, range));
    })
}

/// How many values (scalars, collections and object keys) the JSON `text` holds,
/// counted from its tokens without building anything: what building it would cost, known
/// before paying it. Malformed text is counted as far as it scans.
pub fn count_values(text: &str) -> u64 {
    let mut tokens = Tokens::new(text, 0);
    let mut count = 0;
    while let Some(token) = tokens.next() {
        if !matches!(
            token,
            Token::Comma | Token::Colon | Token::CloseBrace | Token::CloseBracket
        ) {
            count += 1;
        }
    }
    count
}

/// The tree of a valid document, built from tokens; `None` for anything the full parser
/// should look at (an error, an empty file).
struct Tokens<'a> {
    scanner: Scanner<'a>,
    /// Where the scanned text starts in its file.
    offset: usize,
}

impl<'a> Tokens<'a> {
    fn new(text: &'a str, offset: usize) -> Self {
        let strict = ScannerOptions {
            allow_single_quoted_strings: false,
            allow_hexadecimal_numbers: false,
            allow_unary_plus_numbers: false,
            allow_bare_decimal_point_numbers: false,
            allow_non_finite_numbers: false,
            allow_extended_string_escapes: false,
        };
        Self {
            scanner: Scanner::new(text, &strict),
            offset,
        }
    }

    /// One value and the end of the text.
    fn document(mut self) -> Option<Node> {
        let first = self.next()?;
        let root = self.value(first, 0)?;
        self.end().then_some(root)
    }

    /// Whether nothing but whitespace is left.
    fn end(&mut self) -> bool {
        matches!(self.scanner.scan(), Ok(None))
    }

    /// The next token; `None` at the end, on a scanning error and on a comment.
    fn next(&mut self) -> Option<Token<'a>> {
        self.scanner.scan().ok().flatten()
    }

    /// The byte range of the token just scanned, in the file.
    fn span(&self, start: usize) -> Range<usize> {
        start + self.offset..self.scanner.token_end() + self.offset
    }

    /// The value that starts with `token` (just scanned).
    fn value(&mut self, token: Token<'a>, depth: usize) -> Option<Node> {
        let start = self.scanner.token_start();
        let value = match token {
            Token::Null => NodeValue::Null,
            Token::Boolean(b) => NodeValue::Bool(b),
            Token::Number(text) => number(text),
            Token::String(text) => NodeValue::String(text.into_owned()),
            Token::OpenBracket if depth < MAX_DEPTH => {
                let mut items = Vec::new();
                self.array(|tokens, first| {
                    items.push(tokens.value(first, depth + 1)?);
                    Some(())
                })?;
                NodeValue::Array(items)
            }
            Token::OpenBrace if depth < MAX_DEPTH => {
                let mut entries = Vec::new();
                self.object(|tokens, key, key_span, first| {
                    let value = tokens.value(first, depth + 1)?;
                    entries.push(Entry {
                        key: key.into_owned(),
                        key_span,
                        value,
                    });
                    Some(())
                })?;
                NodeValue::Object(entries)
            }
            _ => return None,
        };
        Some(Node {
            value,
            span: self.span(start),
        })
    }

    /// Reads the value at `path` that starts with `token` as [`value_spans`] does, while
    /// `left` values may still be recorded; a value takes its place before its items.
    fn spans(
        &mut self,
        token: Token<'a>,
        path: &AttrPath,
        depth: usize,
        left: &mut usize,
        at: &mut dyn FnMut(&str, Range<usize>),
    ) -> Option<()> {
        let recorded = !path.is_root() && *left > 0;
        if recorded {
            *left -= 1;
        } else if !path.is_root() {
            return self.skip(token, depth);
        }
        let start = self.scanner.token_start();
        match token {
            Token::Null | Token::Boolean(_) | Token::Number(_) | Token::String(_) => {}
            Token::OpenBracket if depth < MAX_DEPTH => {
                let mut index = 0;
                self.array(|tokens, first| {
                    index += 1;
                    tokens.spans(first, &path.index(index - 1), depth + 1, left, at)
                })?;
            }
            Token::OpenBrace if depth < MAX_DEPTH => {
                self.object(|tokens, key, _, first| {
                    tokens.spans(first, &path.key(&key), depth + 1, left, at)
                })?;
            }
            _ => return None,
        }
        if recorded {
            at(path.as_str(), self.span(start));
        }
        Some(())
    }

    /// Reads past the value that starts with `token`, checking it as [`Self::value`] does.
    fn skip(&mut self, token: Token<'a>, depth: usize) -> Option<()> {
        match token {
            Token::Null | Token::Boolean(_) | Token::Number(_) | Token::String(_) => Some(()),
            Token::OpenBracket if depth < MAX_DEPTH => {
                self.array(|tokens, first| tokens.skip(first, depth + 1))
            }
            Token::OpenBrace if depth < MAX_DEPTH => {
                self.object(|tokens, _, _, first| tokens.skip(first, depth + 1))
            }
            _ => None,
        }
    }

    /// Calls `each` with the first token of every element of the array whose `[` was just
    /// scanned; `each` reads the element. Ends after the `]`.
    fn array(&mut self, mut each: impl FnMut(&mut Self, Token<'a>) -> Option<()>) -> Option<()> {
        let mut token = self.next()?;
        if token == Token::CloseBracket {
            return Some(());
        }
        loop {
            each(self, token)?;
            match self.next()? {
                Token::Comma => token = self.next()?,
                Token::CloseBracket => return Some(()),
                _ => return None,
            }
        }
    }

    /// Calls `each` with the key, the key's range and the value's first token of every
    /// entry of the object whose `{` was just scanned; `each` reads the value. Ends after
    /// the `}`.
    fn object(
        &mut self,
        mut each: impl FnMut(&mut Self, Cow<'a, str>, Range<usize>, Token<'a>) -> Option<()>,
    ) -> Option<()> {
        let mut token = self.next()?;
        if token == Token::CloseBrace {
            return Some(());
        }
        loop {
            let Token::String(key) = token else {
                return None;
            };
            let key_span = self.span(self.scanner.token_start());
            if self.next()? != Token::Colon {
                return None;
            }
            let first = self.next()?;
            each(self, key, key_span, first)?;
            match self.next()? {
                Token::Comma => token = self.next()?,
                Token::CloseBrace => return Some(()),
                _ => return None,
            }
        }
    }
}

fn node(value: &ast::Value) -> Node {
    let (value, range) = match value {
        ast::Value::NullKeyword(null) => (NodeValue::Null, null.range),
        ast::Value::BooleanLit(b) => (NodeValue::Bool(b.value), b.range),
        ast::Value::NumberLit(n) => (number(n.value), n.range),
        ast::Value::StringLit(s) => (NodeValue::String(s.value.to_string()), s.range),
        ast::Value::Array(array) => (
            NodeValue::Array(array.elements.iter().map(node).collect()),
            array.range,
        ),
        ast::Value::Object(object) => (
            NodeValue::Object(object.properties.iter().map(entry).collect()),
            object.range,
        ),
    };
    Node {
        value,
        span: range.start..range.end,
    }
}

fn entry(property: &ast::ObjectProp) -> Entry {
    let (key, range) = match &property.name {
        ast::ObjectPropName::String(s) => (s.value.to_string(), s.range),
        ast::ObjectPropName::Word(w) => (w.value.to_string(), w.range),
    };
    Entry {
        key,
        key_span: range.start..range.end,
        value: node(&property.value),
    }
}

/// A JSON number; one too large for a double stays as its text rather than being lost.
fn number(text: &str) -> NodeValue {
    match serde_json::from_str::<serde_json::Number>(text) {
        Ok(n) => NodeValue::Number(n),
        Err(_) => NodeValue::String(text.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> LoadError {
        parse(Path::new("t.json"), text).unwrap_err()
    }

    #[test]
    fn values_are_counted_without_building_them() {
        assert_eq!(count_values("[1, 2, 3]"), 4);
        assert_eq!(count_values(r#"{"a": {"b": [null, true, "x"]}}"#), 8);
        assert_eq!(count_values(""), 0);
    }

    #[test]
    fn keeps_ranges_of_keys_and_values() {
        let text = "{\n  \"a\": [1, \"x\"],\n  \"b\": {\"c\": null}\n}";
        let root = parse(Path::new("t.json"), text).unwrap().unwrap();
        let a = root.get("a").unwrap();
        assert_eq!(&text[a.key_span.clone()], "\"a\"");
        assert_eq!(&text[a.span()], "\"a\": [1, \"x\"]");
        let NodeValue::Array(items) = &a.value.value else {
            panic!("not an array")
        };
        assert_eq!(&text[items[1].span.clone()], "\"x\"");
    }

    /// The tree built from tokens is the tree built from the syntax tree.
    #[test]
    fn both_ways_of_building_agree() {
        let text = "{\"a\": [1, -2.5e3, \"x\\u00e9\\n\", true, false, null, {}, []],\n \
                    \"b\": {\"c\": {\"d\": [[]]}}, \"a\": 12345678901234567890123}";
        let tokens = Tokens::new(text, 0).document().unwrap();
        let parsed = parse_to_ast(text, &CollectOptions::default(), &ParseOptions::default())
            .unwrap()
            .value
            .unwrap();
        assert_eq!(tokens, node(&parsed));
    }

    type Parts = Vec<(String, Range<usize>)>;

    /// The token scanner's reading of a top level and of the positions of values, for
    /// texts that the strict reader takes and texts that it leaves to the scanner.
    fn by_tokens(text: &str) -> (Parts, Vec<(String, Span)>) {
        let mut tokens = Tokens::new(text, 0);
        assert_eq!(tokens.next(), Some(Token::OpenBrace));
        let mut parts = Vec::new();
        tokens
            .object(|tokens, key, _, first| {
                let start = tokens.scanner.token_start();
                tokens.skip(first, 1)?;
                parts.push((key.into_owned(), start..tokens.scanner.token_end()));
                Some(())
            })
            .unwrap();
        let lines = LineIndex::new(text);
        let mut spans = Vec::new();
        for (_, range) in &parts {
            value_spans(text, range.clone(), 3, &mut |path, range| {
                spans.push((path.to_owned(), lines.span(text, range)));
            });
        }
        (parts, spans)
    }

    #[test]
    fn the_strict_reader_agrees_with_the_token_scanner() {
        let long = "é中x".repeat(700);
        let texts = [
            "{\"a\": [1, -2.5e3, \"x\\u00e9\\n\", true, {\"k.k\": null}],\n \"b\": {}}".to_owned(),
            format!("{{\n  \"é\": {{\n    \"a\": \"{long}\", \"b\": [1, [2]], \"a\": 3\n  }}\n}}"),
            format!("{{\"k\\\"\": [\"{long}\", {{\"x\": 1}}], \"n\": [[[]]], \"t\": \"\\t\"}}"),
            // Left to the scanner: a control character in a string, a surrogate escape.
            "{\"a\": {\"b\": \"x\ty\", \"c\": \"\\ud83d\\ude00\"}}".to_owned(),
        ];
        for (i, text) in texts.iter().enumerate() {
            assert_eq!(strict::top_level(text).is_some(), i < 3, "{text}");
            let (parts, spans) = by_tokens(text);
            assert_eq!(top_level(text).unwrap(), parts, "{text}");
            let lines = LineIndex::new(text);
            let mut positions = Vec::new();
            for (_, range) in &parts {
                value_positions(text, range.clone(), &lines, 3, &mut |path, span| {
                    positions.push((path, span));
                })
                .unwrap();
            }
            assert_eq!(positions, spans, "{text}");
        }
    }

    #[test]
    fn invalid_documents_are_left_to_the_full_parser() {
        for text in [
            "",
            " ",
            "{\"a\": 1,}",
            "[1,]",
            "[1 2]",
            "{\"a\" 1}",
            "{a: 1}",
            "// c\n{}",
            "{} {}",
            "[1",
            "'x'",
            "0x10",
            "+1",
            ".5",
            "NaN",
            "[true false]",
            "{\"a\": 1 \"b\": 2}",
        ] {
            assert_eq!(Tokens::new(text, 0).document(), None, "{text:?}");
        }
        let deep = format!("{}{}", "[".repeat(600), "]".repeat(600));
        assert_eq!(Tokens::new(&deep, 0).document(), None);
        let fits = format!("{}{}", "[".repeat(512), "]".repeat(512));
        assert!(Tokens::new(&fits, 0).document().is_some());
    }

    #[test]
    fn parts_are_found_without_building_and_built_in_place() {
        let text = "{\"a\": [1, {\"b\": 2}],\n \"c\": \"x\"}";
        let parts = top_level(text).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(
            (parts[0].0.as_str(), &text[parts[0].1.clone()]),
            ("a", "[1, {\"b\": 2}]")
        );
        assert_eq!(&text[parts[1].1.clone()], "\"x\"");
        let whole = parse(Path::new("t.json"), text).unwrap().unwrap();
        assert_eq!(
            parse_part(text, parts[0].1.clone()),
            Some(whole.get("a").unwrap().value.clone())
        );
        for invalid in [
            "[1]",
            "{\"a\": [1 2]}",
            "{\"a\": 1,}",
            "{\"a\": 1} x",
            "{\"a\": {\"b\" 1}}",
        ] {
            assert_eq!(top_level(invalid), None, "{invalid:?}");
        }
    }

    #[test]
    fn syntax_errors_have_positions() {
        let e = error("{\n  \"a\": 1,\n}");
        assert_eq!(e.position, Position::new(2, 9));
        assert_eq!(e.message, "invalid JSON: Trailing commas are not allowed");
        assert_eq!(error("{\"a\" 1}").position, Position::new(1, 6));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(100_000);
        let e = error(&text);
        assert_eq!(e.message, "invalid JSON: Maximum nesting depth exceeded");
        assert_eq!(e.position.line, 1);
        let text = format!("{{\"a\": {}", "{\"b\": ".repeat(100_000));
        assert_eq!(
            error(&text).message,
            "invalid JSON: Maximum nesting depth exceeded"
        );
    }

    #[test]
    fn huge_numbers_keep_their_text() {
        let root = parse(Path::new("t.json"), "[1e400, 2.5]").unwrap().unwrap();
        let NodeValue::Array(items) = root.value else {
            panic!("not an array")
        };
        assert_eq!(items[0].value, NodeValue::String("1e400".into()));
        assert_eq!(
            items[1].value,
            NodeValue::Number(serde_json::Number::from_f64(2.5).unwrap())
        );
    }

    #[test]
    fn value_spans_are_found_without_a_tree_up_to_a_limit() {
        let text = r#"{"v": {"a": [1, {"b": "x"}], "c": null}}"#;
        let range = text.find("{\"a").unwrap()..text.len() - 1;
        let mut found = Vec::new();
        value_spans(text, range.clone(), usize::MAX, &mut |path, span| {
            found.push((path.to_owned(), &text[span]));
        })
        .unwrap();
        found.sort();
        assert_eq!(
            found,
            [
                ("a".to_owned(), r#"[1, {"b": "x"}]"#),
                ("a[0]".to_owned(), "1"),
                ("a[1]".to_owned(), r#"{"b": "x"}"#),
                ("a[1].b".to_owned(), r#""x""#),
                ("c".to_owned(), "null"),
            ]
        );
        let mut first = Vec::new();
        value_spans(text, range, 2, &mut |path, _| first.push(path.to_owned())).unwrap();
        first.sort();
        assert_eq!(first, ["a", "a[0]"]);
    }
}
