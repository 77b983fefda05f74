//! Strict JSON (RFC 8259) read at the speed of a byte scan: the fast path of
//! [`top_level`](crate::json::top_level) and [`value_positions`](crate::json::value_positions)
//! on the 30 MB documents a plan can be.
//!
//! Everything read here is also valid to the token scanner (jsonc-parser in strict mode)
//! and has the same structure there. What the token scanner might read differently is
//! given up on (`None`), for it to decide: comments, control characters in strings,
//! escapes of surrogates, whitespace other than the four of JSON, and nesting past
//! [`MAX_DEPTH`]. Giving up is always safe; accepting is only done where both agree.

use std::borrow::Cow;
use std::ops::Range;

use palisade_model::{AttrPath, Position, Span};

/// Deeper documents are left to the token scanner, which stops at a depth of its own.
const MAX_DEPTH: usize = 256;

/// The top-level entries of the JSON object `text`, each with the byte range of its value;
/// `None` when `text` is not strict JSON or not an object.
pub(crate) fn top_level(text: &str) -> Option<Vec<(String, Range<usize>)>> {
    let mut reader = Reader::new(text, 0);
    reader.whitespace();
    reader.expect(b'{')?;
    let mut parts = Vec::new();
    reader.entries(|reader, key| {
        let key = reader.key(key)?.into_owned();
        let start = reader.pos;
        reader.skip(1)?;
        parts.push((key, start..reader.pos));
        Some(())
    })?;
    reader.whitespace();
    reader.at_end().then_some(parts)
}

/// The attribute path and span of every value inside the value at `range` of `text` (not
/// the value itself), for the first `limit` of them, as `json::value_spans` gives them;
/// `start` is the position of `range.start`. `None` when the value is not strict JSON.
pub(crate) fn value_spans(
    text: &str,
    range: Range<usize>,
    start: Position,
    limit: usize,
) -> Option<Vec<(String, Span)>> {
    let mut reader = Reader::new(text.get(..range.end)?, range.start);
    reader.line = start.line as usize;
    reader.counted = start.column.saturating_sub(1) as usize;
    let mut walk = Walk {
        left: limit,
        found: Vec::new(),
    };
    walk.value(&mut reader, &AttrPath::root(), 0)?;
    reader.whitespace();
    reader.at_end().then_some(walk.found)
}

/// Records the spans of the values under one value, in the order `json::value_spans`
/// records them: a value counts against the limit before its items, and is recorded after
/// them.
struct Walk {
    left: usize,
    found: Vec<(String, Span)>,
}

impl Walk {
    fn value(&mut self, reader: &mut Reader, path: &AttrPath, depth: usize) -> Option<()> {
        let recorded = !path.is_root() && self.left > 0;
        if recorded {
            self.left -= 1;
        } else if !path.is_root() {
            return reader.skip(depth);
        }
        let start = reader.position();
        match reader.peek()? {
            b'[' if depth < MAX_DEPTH => {
                reader.pos += 1;
                let mut index = 0;
                reader.items(|reader| {
                    index += 1;
                    self.value(reader, &path.index(index - 1), depth + 1)
                })?;
            }
            b'{' if depth < MAX_DEPTH => {
                reader.pos += 1;
                reader.entries(|reader, key| {
                    let path = path.key(&reader.key(key)?);
                    self.value(reader, &path, depth + 1)
                })?;
            }
            b'[' | b'{' => return None,
            _ => reader.scalar()?,
        }
        if recorded {
            let span = Span::new(start, reader.position());
            self.found.push((path.as_str().to_owned(), span));
        }
        Some(())
    }
}

/// A cursor over strict JSON text that keeps the line of where it is, and counts the
/// characters of that line lazily, so that positions cost nothing until asked for.
struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// The 1-based line of `pos`.
    line: usize,
    /// Characters of the current line before byte `counted_to`.
    counted: usize,
    counted_to: usize,
}

/// Where an object key is written, quotes included, and whether it has escapes.
struct Key {
    quoted: Range<usize>,
    escaped: bool,
}

/// Eight copies of a byte, to test eight bytes of text at once.
const fn lanes(byte: u8) -> u64 {
    u64::from_le_bytes([byte; 8])
}

/// The high bit of every byte of `word` that is zero, and no other bit.
const fn zero_bytes(word: u64) -> u64 {
    !(((word & lanes(0x7F)).wrapping_add(lanes(0x7F))) | word | lanes(0x7F))
}

/// Where the spaces at `bytes[pos..]` end: indentation, eight bytes at a time.
fn after_spaces(bytes: &[u8], mut pos: usize) -> usize {
    while let Some(chunk) = bytes.get(pos..pos + 8) {
        let Ok(chunk) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let others = !zero_bytes(u64::from_le_bytes(chunk) ^ lanes(b' ')) & lanes(0x80);
        if others != 0 {
            return pos + others.trailing_zeros() as usize / 8;
        }
        pos += 8;
    }
    while bytes.get(pos) == Some(&b' ') {
        pos += 1;
    }
    pos
}

/// The high bit of every byte of `word` (read little-endian) that ends a run of plain
/// string characters: a quote, a backslash or a control character.
const fn string_stops(word: u64) -> u64 {
    zero_bytes(word ^ lanes(b'"'))
        | zero_bytes(word ^ lanes(b'\\'))
        | zero_bytes(word & lanes(0xE0))
}

impl<'a> Reader<'a> {
    fn new(text: &'a str, pos: usize) -> Self {
        Self {
            text,
            bytes: text.as_bytes(),
            pos,
            line: 1,
            counted: 0,
            counted_to: pos,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn at_end(&self) -> bool {
        self.pos == self.bytes.len()
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.pos += 1)
    }

    /// The position of `pos`. Columns count characters from the start of the line; the
    /// count goes on from the last position asked for, so a long line is counted once.
    fn position(&mut self) -> Position {
        let newly = &self.bytes[self.counted_to..self.pos];
        self.counted += newly.iter().filter(|&&b| (b & 0xC0) != 0x80).count();
        self.counted_to = self.pos;
        let saturate = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Position::new(saturate(self.line), saturate(self.counted + 1))
    }

    /// Skips the JSON whitespace at `pos`, keeping count of lines.
    #[inline(always)]
    fn whitespace(&mut self) {
        if self.peek().is_some_and(|b| b > b' ') {
            return;
        }
        self.more_whitespace();
    }

    fn more_whitespace(&mut self) {
        let bytes = self.bytes;
        let mut pos = self.pos;
        while let Some(&byte) = bytes.get(pos) {
            match byte {
                b' ' => pos = after_spaces(bytes, pos + 1),
                b'\n' => {
                    pos += 1;
                    self.line += 1;
                    self.counted = 0;
                    self.counted_to = pos;
                }
                b'\t' | b'\r' => pos += 1,
                _ => break,
            }
        }
        self.pos = pos;
    }

    /// Reads the entries of the object whose `{` was just read, calling `each` with the
    /// reader at each value and its key; ends after the `}`.
    fn entries(&mut self, mut each: impl FnMut(&mut Self, Key) -> Option<()>) -> Option<()> {
        self.whitespace();
        if self.peek()? == b'}' {
            self.pos += 1;
            return Some(());
        }
        loop {
            let start = self.pos;
            let escaped = self.string()?;
            let key = Key {
                quoted: start..self.pos,
                escaped,
            };
            self.whitespace();
            self.expect(b':')?;
            self.whitespace();
            each(self, key)?;
            self.whitespace();
            match self.peek()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
            self.whitespace();
        }
    }

    /// Reads the items of the list whose `[` was just read, calling `each` with the reader
    /// at each item; ends after the `]`.
    fn items(&mut self, mut each: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.whitespace();
        if self.peek()? == b']' {
            self.pos += 1;
            return Some(());
        }
        loop {
            each(self)?;
            self.whitespace();
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
            self.whitespace();
        }
    }

    /// Reads past the value at `pos`, `depth` levels down, checking it.
    fn skip(&mut self, depth: usize) -> Option<()> {
        match self.peek()? {
            b'[' if depth < MAX_DEPTH => {
                self.pos += 1;
                self.items(|reader| reader.skip(depth + 1))
            }
            b'{' if depth < MAX_DEPTH => {
                self.pos += 1;
                self.entries(|reader, _| reader.skip(depth + 1))
            }
            b'[' | b'{' => None,
            _ => self.scalar(),
        }
    }

    /// Reads past the string, number, boolean or null at `pos`.
    fn scalar(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.string().map(drop),
            b't' => self.word(b"true"),
            b'f' => self.word(b"false"),
            b'n' => self.word(b"null"),
            _ => self.number(),
        }
    }

    fn word(&mut self, word: &[u8]) -> Option<()> {
        let end = self.pos + word.len();
        (self.bytes.get(self.pos..end)? == word).then(|| self.pos = end)
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Option<()> {
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek()? {
            b'0' => self.pos += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            self.peek().filter(u8::is_ascii_digit)?;
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            self.peek().filter(u8::is_ascii_digit)?;
            self.digits();
        }
        Some(())
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
    }

    /// The text of `key`, unescaped.
    fn key(&self, key: Key) -> Option<Cow<'a, str>> {
        let quoted = self.text.get(key.quoted)?;
        if key.escaped {
            // Every escape was checked to mean the same to serde_json as to the scanner.
            serde_json::from_str(quoted).ok().map(Cow::Owned)
        } else {
            quoted.get(1..quoted.len() - 1).map(Cow::Borrowed)
        }
    }

    /// Reads past the string at `pos`; whether it holds escapes.
    fn string(&mut self) -> Option<bool> {
        self.expect(b'"')?;
        let bytes = self.bytes;
        let mut escaped = false;
        loop {
            // Eight bytes at a time to the next quote, backslash or control character.
            let mut pos = self.pos;
            loop {
                let Some(chunk) = bytes.get(pos..pos + 8) else {
                    while bytes
                        .get(pos)
                        .is_some_and(|&b| b >= 0x20 && b != b'"' && b != b'\\')
                    {
                        pos += 1;
                    }
                    break;
                };
                let stops = string_stops(u64::from_le_bytes(chunk.try_into().ok()?));
                if stops != 0 {
                    pos += stops.trailing_zeros() as usize / 8;
                    break;
                }
                pos += 8;
            }
            self.pos = pos;
            match bytes.get(pos)? {
                b'"' => {
                    self.pos += 1;
                    return Some(escaped);
                }
                b'\\' => {
                    self.escape()?;
                    escaped = true;
                }
                _ => return None,
            }
        }
    }

    /// Reads past the escape at `pos`. A `\u` escape of a surrogate is given up on: the
    /// scanner may pair or refuse it differently.
    fn escape(&mut self) -> Option<()> {
        let next = *self.bytes.get(self.pos + 1)?;
        self.pos += 2;
        match next {
            b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Some(()),
            b'u' => {
                let hex = self.text.get(self.pos..self.pos + 4)?;
                let code = u16::from_str_radix(hex, 16).ok()?;
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) || (0xD800..0xE000).contains(&code) {
                    return None;
                }
                self.pos += 4;
                Some(())
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_json_is_split_at_its_top_level() {
        let text = "{\"a\": [1, {\"b\": null}],\n \"k\\u00e9y\": \"v\\n\", \"n\": -0.5e+3}";
        let parts = top_level(text).unwrap();
        let keys: Vec<&str> = parts.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["a", "kéy", "n"]);
        assert_eq!(&text[parts[0].1.clone()], "[1, {\"b\": null}]");
        assert_eq!(&text[parts[2].1.clone()], "-0.5e+3");
    }

    #[test]
    fn anything_the_scanner_might_read_otherwise_is_given_up() {
        for text in [
            "{\"a\": 1} // c",
            "{\"a\": \"x\ty\"}",
            "{\"a\": \"\\ud800\"}",
            "{\"a\": 01}",
            "{\"a\": 1.}",
            "{\"a\": tru}",
            "{\"a\": 1,}",
            "{\"a\" 1}",
            "{\u{a0}\"a\": 1}",
            "[1]",
            "{\"a\": 1}}",
            "{\"a\": \"\\x\"}",
        ] {
            assert_eq!(top_level(text), None, "{text}");
        }
        let deep = format!("{{\"a\": {}{}}}", "[".repeat(300), "]".repeat(300));
        assert_eq!(top_level(&deep), None);
    }
}
