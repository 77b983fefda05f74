//! YAML text to a positioned [`Node`] tree, built from yaml-rust2's event stream.
//!
//! The tree is built with an explicit stack (never by recursion) and refuses nesting
//! deeper than [`MAX_DEPTH`], so no input can exhaust the stack here or in the stages that
//! walk the tree later. Anchors and aliases are expanded, with a budget against "billion
//! laughs" documents; `<<` merge keys are applied. Plain scalars are typed the way PyYAML
//! (YAML 1.1) types them, as ROS does: `true`/`yes`/`on` are booleans, `0x1f` and `017`
//! are numbers, quoted scalars are always strings. A file is one document: a second one is
//! an error, since nothing after the first would be checked.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::tree::{Entry, Node, NodeValue};
use palisade_model::{LoadError, Position};

/// How deep collections may nest.
pub const MAX_DEPTH: usize = 256;

/// How many nodes alias expansion may add to a document in total.
const MAX_ALIAS_NODES: usize = 1_000_000;

/// Parses the document of `text` (the contents of `file`); `None` if there is none.
pub fn parse(file: &Path, text: &str) -> Result<Option<Node>, LoadError> {
    let mut builder = Builder::new(text);
    let mut parser = Parser::new_from_str(text);
    let error = |marker: &Marker, message: String| LoadError {
        file: file.to_path_buf(),
        position: position(marker),
        message,
    };
    loop {
        let (event, marker) = parser
            .next_token()
            .map_err(|e| error(e.marker(), format!("invalid YAML: {}", e.info())))?;
        match builder.event(event, marker) {
            Ok(Step::Continue) => {}
            Ok(Step::Done(root)) => {
                return match no_second_document(&mut parser) {
                    Ok(()) => Ok(root),
                    Err(marker) => Err(error(&marker, SECOND_DOCUMENT.to_owned())),
                };
            }
            Err((marker, message)) => return Err(error(&marker, message)),
        }
    }
}

/// Reads the rest of the stream after the first document: `Err` with where a second
/// document starts, unless it is empty (a `---` at the end of a file).
fn no_second_document(parser: &mut Parser<std::str::Chars<'_>>) -> Result<(), Marker> {
    loop {
        let start = match parser.next_token() {
            Ok((Event::StreamEnd, _)) => return Ok(()),
            Ok((Event::DocumentStart, marker)) => marker,
            Ok((_, marker)) => return Err(marker),
            Err(error) => return Err(*error.marker()),
        };
        let empty = matches!(
            parser.next_token(),
            Ok((Event::Scalar(value, TScalarStyle::Plain, 0, None), _)) if value.is_empty()
        ) && matches!(parser.next_token(), Ok((Event::DocumentEnd, _)));
        if !empty {
            return Err(start);
        }
    }
}

/// The error at the start of a second document in one file.
const SECOND_DOCUMENT: &str = "a second YAML document: a file holds one document, and nothing after the first would \
     be checked";

fn position(marker: &Marker) -> Position {
    let line = u32::try_from(marker.line()).unwrap_or(u32::MAX);
    let column = u32::try_from(marker.col() + 1).unwrap_or(u32::MAX);
    Position::new(line.max(1), column)
}

enum Step {
    Continue,
    Done(Option<Node>),
}

type BuildError = (Marker, String);

/// A collection whose children are still arriving.
enum Frame {
    Sequence {
        start: usize,
        flow: bool,
        anchor: usize,
        tag: Option<Tag>,
        items: Vec<Node>,
    },
    Mapping {
        start: usize,
        flow: bool,
        anchor: usize,
        tag: Option<Tag>,
        entries: Vec<Entry>,
        /// The key whose value is awaited.
        key: Option<(String, Range<usize>)>,
        /// Values of `<<` keys, applied when the mapping ends.
        merges: Vec<Node>,
    },
}

struct Builder<'a> {
    text: &'a str,
    lines: LineIndex,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Anchored>,
    alias_nodes: usize,
    /// The last node added ends where the text before the next event ends (block and
    /// multi-line scalars, whose end the parser does not report).
    open_end: bool,
    root: Option<Node>,
}

struct Anchored {
    node: Node,
    size: usize,
    height: usize,
}

impl<'a> Builder<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            lines: LineIndex::new(text),
            stack: Vec::new(),
            anchors: HashMap::new(),
            alias_nodes: 0,
            open_end: false,
            root: None,
        }
    }

    fn offset(&self, marker: &Marker) -> usize {
        self.lines.offset(self.text, marker.line(), marker.col())
    }

    fn event(&mut self, event: Event, marker: Marker) -> Result<Step, BuildError> {
        let at = self.offset(&marker);
        if self.open_end {
            self.open_end = false;
            let end = self.text[..at].trim_end().len();
            self.close_last(end);
        }
        match event {
            Event::Scalar(value, style, anchor, tag) => {
                let (node, open) = self.scalar(value, style, tag, at);
                self.open_end = open;
                self.anchor(anchor, &node);
                self.add(node, &marker)?;
            }
            Event::SequenceStart(anchor, tag) => {
                self.enter(&marker)?;
                let flow = self.text[at..].starts_with('[');
                self.stack.push(Frame::Sequence {
                    start: at,
                    flow,
                    anchor,
                    tag,
                    items: Vec::new(),
                });
            }
            Event::MappingStart(anchor, tag) => {
                self.enter(&marker)?;
                let flow = self.text[at..].starts_with('{');
                self.stack.push(Frame::Mapping {
                    start: at,
                    flow,
                    anchor,
                    tag,
                    entries: Vec::new(),
                    key: None,
                    merges: Vec::new(),
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = self.stack.pop() else {
                    return Err((marker, "invalid YAML: unbalanced collection".into()));
                };
                let (node, anchor) = self.finish(frame, at);
                self.anchor(anchor, &node);
                self.add(node, &marker)?;
            }
            Event::Alias(id) => {
                let Some(anchored) = self.anchors.get(&id) else {
                    return Err((marker, "invalid YAML: unknown alias".into()));
                };
                if self.stack.len() + anchored.height > MAX_DEPTH {
                    return Err((
                        marker,
                        format!("YAML nested deeper than {MAX_DEPTH} levels"),
                    ));
                }
                self.alias_nodes = self.alias_nodes.saturating_add(anchored.size);
                if self.alias_nodes > MAX_ALIAS_NODES {
                    return Err((
                        marker,
                        format!("YAML aliases expand to more than {MAX_ALIAS_NODES} values"),
                    ));
                }
                let mut node = anchored.node.clone();
                // Findings on an alias point at the alias, not at the anchored original.
                node.span = at..self.alias_end(at);
                self.add(node, &marker)?;
            }
            Event::DocumentEnd => return Ok(Step::Done(self.root.take())),
            Event::StreamEnd => return Ok(Step::Done(self.root.take())),
            Event::StreamStart | Event::DocumentStart | Event::Nothing => {}
        }
        Ok(Step::Continue)
    }

    fn enter(&self, marker: &Marker) -> Result<(), BuildError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err((
                *marker,
                format!("YAML nested deeper than {MAX_DEPTH} levels"),
            ));
        }
        Ok(())
    }

    /// The end of an alias (`*name`) token starting at `at`.
    fn alias_end(&self, at: usize) -> usize {
        let rest = &self.text[at..];
        let len = rest
            .char_indices()
            .skip(1)
            .find(|(_, c)| c.is_whitespace() || matches!(c, ',' | ']' | '}'))
            .map_or(rest.len(), |(i, _)| i);
        at + len
    }

    fn anchor(&mut self, anchor: usize, node: &Node) {
        if anchor > 0 {
            let (size, height) = measure(node);
            self.anchors.insert(
                anchor,
                Anchored {
                    node: node.clone(),
                    size,
                    height,
                },
            );
        }
    }

    fn scalar(
        &self,
        value: String,
        style: TScalarStyle,
        tag: Option<Tag>,
        at: usize,
    ) -> (Node, bool) {
        let rest = &self.text[at..];
        let (end, open) = match style {
            TScalarStyle::SingleQuoted => (at + quoted_len(rest, b'\''), false),
            TScalarStyle::DoubleQuoted => (at + quoted_len(rest, b'"'), false),
            TScalarStyle::Plain if rest.starts_with(value.as_str()) => (at + value.len(), false),
            _ => (at, true),
        };
        let typed = match (&style, &tag) {
            (_, Some(tag)) if is_core(tag) && tag.suffix == "str" => NodeValue::String(value),
            (TScalarStyle::Plain, _) => resolve_plain(value),
            _ => NodeValue::String(value),
        };
        let node = Node {
            value: typed,
            span: at..end,
        };
        (self.tagged(node, tag), open)
    }

    /// Wraps `node` in its local tag (`!Ref`), widening the span back over the tag when it
    /// is on the same line.
    fn tagged(&self, node: Node, tag: Option<Tag>) -> Node {
        match tag {
            Some(tag) if tag.handle == "!" => {
                let before = &self.text[..node.span.start];
                let trimmed = before.trim_end_matches([' ', '\t']);
                let word_start = trimmed
                    .rfind(|c: char| c.is_whitespace() || matches!(c, '[' | '{' | ','))
                    .map_or(0, |i| i + 1);
                let start = if trimmed[word_start..].starts_with('!') {
                    word_start
                } else {
                    node.span.start
                };
                Node {
                    span: start..node.span.end,
                    value: NodeValue::Tagged(tag.suffix, Box::new(node)),
                }
            }
            _ => node,
        }
    }

    /// Sets the end of the node added last (see `open_end`).
    fn close_last(&mut self, end: usize) {
        let last = match self.stack.last_mut() {
            Some(Frame::Sequence { items, .. }) => items.last_mut(),
            // While a key awaits its value, the last node was that key: keys are
            // single-line and never open-ended.
            Some(Frame::Mapping { entries, key, .. }) if key.is_none() => {
                entries.last_mut().map(|entry| &mut entry.value)
            }
            Some(Frame::Mapping { .. }) => None,
            None => self.root.as_mut(),
        };
        if let Some(node) = last {
            set_end(node, end);
        }
    }

    fn finish(&mut self, frame: Frame, at: usize) -> (Node, usize) {
        match frame {
            Frame::Sequence {
                start,
                flow,
                anchor,
                tag,
                items,
            } => {
                let end = if flow {
                    at + 1
                } else {
                    items.last().map_or(start, |item| item.span.end)
                };
                let node = Node {
                    value: NodeValue::Array(items),
                    span: start..end.min(self.text.len()),
                };
                (self.tagged(node, tag), anchor)
            }
            Frame::Mapping {
                start,
                flow,
                anchor,
                tag,
                entries,
                merges,
                ..
            } => {
                // Block mappings start at their first key, not where the parser noticed them.
                let start = entries
                    .first()
                    .map_or(start, |e| e.key_span.start.min(start));
                let end = if flow {
                    at + 1
                } else {
                    entries.last().map_or(start, |entry| entry.span().end)
                };
                let entries = merge(entries, merges);
                let node = Node {
                    value: NodeValue::Object(entries),
                    span: start..end.min(self.text.len()),
                };
                (self.tagged(node, tag), anchor)
            }
        }
    }

    /// Adds a finished node to the collection being built (or makes it the root).
    fn add(&mut self, node: Node, marker: &Marker) -> Result<(), BuildError> {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Sequence { items, .. }) => items.push(node),
            Some(Frame::Mapping {
                entries,
                key,
                merges,
                ..
            }) => match key.take() {
                None => {
                    let text = match node.value {
                        NodeValue::String(s) => s,
                        NodeValue::Null => String::new(),
                        NodeValue::Bool(b) => b.to_string(),
                        NodeValue::Number(n) => n.to_string(),
                        _ => {
                            return Err((*marker, "YAML mapping keys must be scalars".into()));
                        }
                    };
                    *key = Some((text, node.span));
                }
                Some((name, _)) if name == "<<" => merges.push(node),
                Some((key, key_span)) => entries.push(Entry {
                    key,
                    key_span,
                    value: node,
                }),
            },
        }
        Ok(())
    }
}

/// Applies `<<` merge keys: entries of the merged mappings that the mapping does not set
/// itself, earlier merges winning over later ones.
fn merge(mut entries: Vec<Entry>, merges: Vec<Node>) -> Vec<Entry> {
    for source in merges {
        let sources = match source.value {
            NodeValue::Array(items) => items,
            _ => vec![source],
        };
        for source in sources {
            if let NodeValue::Object(merged) = source.value {
                for entry in merged {
                    if !entries.iter().any(|e| e.key == entry.key) {
                        entries.push(entry);
                    }
                }
            }
        }
    }
    entries
}

fn set_end(node: &mut Node, end: usize) {
    node.span.end = end.max(node.span.start);
    if let NodeValue::Tagged(_, inner) = &mut node.value {
        set_end(inner, end);
    }
}

/// Number of nodes and height of a tree that is at most [`MAX_DEPTH`] deep.
fn measure(node: &Node) -> (usize, usize) {
    let children: Box<dyn Iterator<Item = &Node>> = match &node.value {
        NodeValue::Array(items) => Box::new(items.iter()),
        NodeValue::Object(entries) => Box::new(entries.iter().map(|e| &e.value)),
        NodeValue::Tagged(_, inner) => Box::new(std::iter::once(inner.as_ref())),
        _ => Box::new(std::iter::empty()),
    };
    children.fold((1, 1), |(size, height), child| {
        let (s, h) = measure(child);
        (size.saturating_add(s), height.max(h + 1))
    })
}

/// Length of a quoted scalar starting at `text[0]`, through its closing quote.
fn quoted_len(text: &str, quote: u8) -> usize {
    let bytes = text.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    text.len()
}

/// `!!str` and friends: the YAML core schema's tags.
fn is_core(tag: &Tag) -> bool {
    tag.handle == "!!" || tag.handle == "tag:yaml.org,2002:"
}

/// Types a plain scalar as PyYAML's YAML 1.1 resolver does (except sexagesimal numbers,
/// which stay strings); values JSON cannot hold (`.inf`, `.nan`, huge integers) stay
/// strings too.
fn resolve_plain(text: String) -> NodeValue {
    match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => return NodeValue::Null,
        "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => {
            return NodeValue::Bool(true);
        }
        "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => {
            return NodeValue::Bool(false);
        }
        _ => {}
    }
    match yaml11_number(&text) {
        Some(number) => NodeValue::Number(number),
        None => NodeValue::String(text),
    }
}

fn yaml11_number(text: &str) -> Option<serde_json::Number> {
    let (negative, body) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let digits_in = |s: &str, radix: u32| {
        !s.is_empty()
            && s.chars().any(|c| c != '_')
            && s.chars().all(|c| c == '_' || c.is_digit(radix))
    };
    let integer = |s: &str, radix: u32| -> Option<serde_json::Number> {
        let clean: String = s.chars().filter(|&c| c != '_').collect();
        let magnitude = i128::from_str_radix(&clean, radix).ok()?;
        let value = if negative { -magnitude } else { magnitude };
        if let Ok(v) = i64::try_from(value) {
            Some(v.into())
        } else {
            u64::try_from(value).ok().map(Into::into)
        }
    };
    if let Some(hex) = body.strip_prefix("0x") {
        return digits_in(hex, 16).then(|| integer(hex, 16)).flatten();
    }
    if let Some(bin) = body.strip_prefix("0b") {
        return digits_in(bin, 2).then(|| integer(bin, 2)).flatten();
    }
    if body.len() > 1 && body.starts_with('0') && digits_in(body, 8) {
        return integer(&body[1..], 8);
    }
    if body == "0"
        || (body.starts_with(|c: char| c.is_ascii_digit() && c != '0') && digits_in(body, 10))
    {
        return integer(body, 10);
    }
    // Floats need a dot: `[0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)?` or `\.[0-9_]+(...)?`.
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (whole, fraction) = mantissa.split_once('.')?;
    let whole_ok = if whole.is_empty() {
        digits_in(fraction, 10)
    } else {
        whole.starts_with(|c: char| c.is_ascii_digit())
            && whole.chars().all(|c| c == '_' || c.is_ascii_digit())
            && fraction.chars().all(|c| c == '_' || c.is_ascii_digit())
    };
    let exponent_ok = exponent.is_none_or(|e| {
        e.len() > 1 && e.starts_with(['-', '+']) && e[1..].chars().all(|c| c.is_ascii_digit())
    });
    if !(whole_ok && exponent_ok) {
        return None;
    }
    let clean: String = text.chars().filter(|&c| c != '_').collect();
    let value: f64 = clean.parse().ok()?;
    serde_json::Number::from_f64(value)
}

/// Byte offsets of line starts, to turn the parser's line and character column into a
/// byte offset.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { starts }
    }

    /// The byte offset of 1-based `line`, 0-based character `column`.
    fn offset(&self, text: &str, line: usize, column: usize) -> usize {
        let Some(&start) = self.starts.get(line.saturating_sub(1)) else {
            return text.len();
        };
        let rest = &text[start..];
        rest.char_indices()
            .nth(column)
            .map_or(text.len(), |(i, _)| start + i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse_ok(text: &str) -> Node {
        parse(Path::new("t.yaml"), text).unwrap().unwrap()
    }

    fn error(text: &str) -> LoadError {
        parse(Path::new("t.yaml"), text).unwrap_err()
    }

    fn slice<'t>(text: &'t str, node: &Node) -> &'t str {
        &text[node.span.clone()]
    }

    #[test]
    fn scalars_are_typed_like_pyyaml() {
        let text = "a: true\nb: 'true'\nc: on\nd: 012\ne: 0x1F\nf: 1.5\ng: 1e5\nh: ~\ni: 1_000\nj: -3\nk: !!str 5\nl: .inf\n";
        let root = parse_ok(text);
        let value = |key: &str| root.get(key).unwrap().value.value.clone();
        assert_eq!(value("a"), NodeValue::Bool(true));
        assert_eq!(value("b"), NodeValue::String("true".into()));
        assert_eq!(value("c"), NodeValue::Bool(true));
        assert_eq!(value("d"), NodeValue::Number(10.into()));
        assert_eq!(value("e"), NodeValue::Number(31.into()));
        assert_eq!(
            value("f"),
            NodeValue::Number(serde_json::Number::from_f64(1.5).unwrap())
        );
        assert_eq!(value("g"), NodeValue::String("1e5".into()));
        assert_eq!(value("h"), NodeValue::Null);
        assert_eq!(value("i"), NodeValue::Number(1000.into()));
        assert_eq!(value("j"), NodeValue::Number((-3).into()));
        assert_eq!(value("k"), NodeValue::String("5".into()));
        assert_eq!(value("l"), NodeValue::String(".inf".into()));
        let _ = json!(null);
    }

    #[test]
    fn spans_cover_keys_values_and_items() {
        let text = "top:\n  name: \"q\\\"x\"  # c\n  list:\n    - 'it''s'\n    - [1, 2]\n  block: |\n    l1\n    l2\n\nnext: plain words\n";
        let root = parse_ok(text);
        let top = root.get("top").unwrap();
        assert_eq!(&text[top.key_span.clone()], "top");
        let name = top.value.get("name").unwrap();
        assert_eq!(&text[name.span()], "name: \"q\\\"x\"");
        let list = top.value.get("list").unwrap();
        let NodeValue::Array(items) = &list.value.value else {
            panic!()
        };
        assert_eq!(slice(text, &items[0]), "'it''s'");
        assert_eq!(slice(text, &items[1]), "[1, 2]");
        assert_eq!(&text[list.span()], "list:\n    - 'it''s'\n    - [1, 2]");
        let block = top.value.get("block").unwrap();
        assert_eq!(&text[block.span()], "block: |\n    l1\n    l2");
        assert_eq!(block.value.value, NodeValue::String("l1\nl2\n".into()));
        assert_eq!(&text[root.get("next").unwrap().span()], "next: plain words");
        assert_eq!(
            slice(text, &top.value),
            "name: \"q\\\"x\"  # c\n  list:\n    - 'it''s'\n    - [1, 2]\n  block: |\n    l1\n    l2"
        );
    }

    #[test]
    fn local_tags_wrap_their_node() {
        let text = "a: !Ref Bucket\nb: !Join [',', [x, y]]\nc: !GetAtt\n  - X\n  - Y\n";
        let root = parse_ok(text);
        let a = &root.get("a").unwrap().value;
        assert_eq!(slice(text, a), "!Ref Bucket");
        let NodeValue::Tagged(tag, inner) = &a.value else {
            panic!()
        };
        assert_eq!((tag.as_str(), inner.as_str()), ("Ref", Some("Bucket")));
        let b = &root.get("b").unwrap().value;
        assert_eq!(slice(text, b), "!Join [',', [x, y]]");
        let c = &root.get("c").unwrap().value;
        assert!(matches!(&c.value, NodeValue::Tagged(tag, _) if tag == "GetAtt"));
    }

    #[test]
    fn anchors_aliases_and_merge_keys_expand() {
        let text = "base: &base {x: 1, y: 2}\nuse: *base\nmerged:\n  <<: *base\n  y: 3\n";
        let root = parse_ok(text);
        let used = &root.get("use").unwrap().value;
        assert_eq!(slice(text, used), "*base");
        assert_eq!(
            used.get("x").unwrap().value.value,
            NodeValue::Number(1.into())
        );
        let merged = &root.get("merged").unwrap().value;
        let keys: Vec<_> = merged
            .as_object()
            .unwrap()
            .iter()
            .map(|e| e.key.as_str())
            .collect();
        assert_eq!(keys, ["y", "x"]);
        assert_eq!(
            merged.get("y").unwrap().value.value,
            NodeValue::Number(3.into())
        );
    }

    #[test]
    fn syntax_errors_have_positions() {
        let e = error("a: [1, 2\nb: 3\n");
        assert!(e.message.starts_with("invalid YAML: "), "{}", e.message);
        let e = error("a:\n  b: 1\n c: 2\n");
        assert_eq!(e.position, Position::new(3, 3));
        let e = error("a: \"unterminated\n");
        assert_eq!(e.position.line, 1);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        // The scanner itself limits flow collections to 255 levels.
        for text in ["[".repeat(100_000), "{a: ".repeat(100_000)] {
            let e = error(&text);
            assert_eq!(e.message, "invalid YAML: recursion limit exceeded");
            assert_eq!(e.position.line, 1);
        }
        assert_eq!(error(&"[".repeat(100_000)).position, Position::new(1, 256));
        let e = error(&"- ".repeat(100_000));
        assert_eq!(
            e.message,
            format!("YAML nested deeper than {MAX_DEPTH} levels")
        );
        assert_eq!(e.position, Position::new(1, 2 * MAX_DEPTH as u32 + 1));
        let indented: String = (0..1_000)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect();
        assert_eq!(
            error(&indented).position,
            Position::new(MAX_DEPTH as u32 + 1, MAX_DEPTH as u32 + 2)
        );
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            text.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
        }
        let e = error(&text);
        assert!(e.message.contains("aliases expand"), "{}", e.message);
    }

    #[test]
    fn a_second_document_is_an_error_at_its_start() {
        let second = "a: 1\n---\nb: 2\n";
        let e = error(second);
        assert_eq!(e.position, Position::new(2, 1));
        assert_eq!(e.message, SECOND_DOCUMENT);
        assert_eq!(
            error("a: 1\n...\n---\n{{ helm }}: [\n").position,
            Position::new(3, 1)
        );
        assert!(parse_ok("---\na: 1\n...\n").get("a").is_some());
        // An empty document holds nothing to check.
        assert!(parse_ok("a: 1\n---\n# nothing\n---\n").get("a").is_some());
        assert_eq!(error("a: 1\n---\n---\n~\n").position, Position::new(3, 1));
        assert_eq!(parse(Path::new("t.yaml"), "").unwrap(), None);
    }
}
