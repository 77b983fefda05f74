//! Source positions, in the units users see in editors.

/// A 1-based line and 1-based column counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

impl Position {
    pub const fn new(line: u32, column: u32) -> Self {
        Self { line, column }
    }

    /// The position of byte `offset` in `text` (clamped to the text, snapped back to a
    /// character boundary), for parsers that report byte offsets.
    pub fn from_offset(text: &str, offset: usize) -> Self {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let column = before[line_start..].chars().count() + 1;
        Self::new(saturate(line), saturate(column))
    }

    /// The byte offset of this position in `text`, clamped to the end of its line (and
    /// of the text): the inverse of [`Position::from_offset`].
    pub fn to_offset(self, text: &str) -> usize {
        let mut line_start = 0;
        for _ in 1..self.line {
            match text[line_start..].find('\n') {
                Some(newline) => line_start += newline + 1,
                None => return text.len(),
            }
        }
        let line = &text[line_start..];
        let line = &line[..line.find('\n').unwrap_or(line.len())];
        let column = line
            .char_indices()
            .nth(self.column.saturating_sub(1) as usize)
            .map_or(line.len(), |(i, _)| i);
        line_start + column
    }
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A half-open range: `end` is the position just after the last character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
pub struct Span {
    pub start: Position,
    pub end: Position,
}

impl Span {
    pub const fn new(start: Position, end: Position) -> Self {
        Self { start, end }
    }

    /// The span of the byte range `range` in `text`.
    pub fn from_range(text: &str, range: std::ops::Range<usize>) -> Self {
        Self::new(
            Position::from_offset(text, range.start),
            Position::from_offset(text, range.end),
        )
    }
}

/// Where the lines of a text start, so that many offsets in one file turn into positions
/// in logarithmic time each instead of a scan from the top. Columns count characters;
/// a count of characters every [`BLOCK`] bytes keeps them cheap on the one long line of
/// a minified plan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// Characters before byte `k * BLOCK`, for every `k` up to the end of the text.
    chars_before: Vec<usize>,
}

/// Bytes between two character counts in [`LineIndex`].
const BLOCK: usize = 1024;

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        // Counted first: a large file has a million lines, and growing by doubling would
        // hold twice their size.
        let mut lines = 0;
        each_word(bytes, |word| lines += marked(newlines(word)));
        let mut starts = Vec::with_capacity(lines + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|at| at + 1));
        let mut chars_before = Vec::with_capacity(bytes.len() / BLOCK + 2);
        let mut count = 0;
        chars_before.push(0);
        for block in bytes.chunks(BLOCK) {
            count += characters(block);
            chars_before.push(count);
        }
        Self {
            starts,
            chars_before,
        }
    }

    /// The position of byte `offset` in `text` (the text this index was built from).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&start| start <= offset).max(1);
        let line_start = self.starts[line - 1];
        let prefix = offset - line_start;
        let column = if prefix < BLOCK {
            characters(&text.as_bytes()[line_start..offset])
        } else {
            self.chars_to(text, offset) - self.chars_to(text, line_start)
        } + 1;
        Position::new(saturate(line), saturate(column))
    }

    /// The span of the byte range `range` in `text`.
    pub fn span(&self, text: &str, range: std::ops::Range<usize>) -> Span {
        Span::new(
            self.position(text, range.start),
            self.position(text, range.end),
        )
    }

    /// The byte offset of `position` in `text` (the text this index was built from),
    /// clamped to the end of its line and of the text: [`Position::to_offset`] without a
    /// scan from the top of the text or of the line.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let line = position.line.max(1) as usize;
        let Some(&line_start) = self.starts.get(line - 1) else {
            return text.len();
        };
        let line_end = self.starts.get(line).map_or(text.len(), |&next| next - 1);
        let wanted = self.chars_to(text, line_start) + position.column.saturating_sub(1) as usize;
        // The last block that starts before the wanted character; it ends within BLOCK
        // bytes of there.
        let block = self
            .chars_before
            .partition_point(|&count| count <= wanted)
            .saturating_sub(1);
        let from = (block * BLOCK).clamp(line_start, line_end);
        let mut count = self.chars_to(text, from);
        for (i, &byte) in text.as_bytes()[from..line_end].iter().enumerate() {
            if (byte & 0xC0) != 0x80 {
                if count == wanted {
                    return from + i;
                }
                count += 1;
            }
        }
        line_end
    }

    /// How many characters come before byte `offset` (a character boundary).
    fn chars_to(&self, text: &str, offset: usize) -> usize {
        let block = offset / BLOCK;
        let counted = self.chars_before.get(block).copied().unwrap_or_default();
        let rest = text
            .as_bytes()
            .get(block * BLOCK..offset)
            .unwrap_or_default();
        counted + characters(rest)
    }
}

/// The characters that start in `bytes`: every byte but UTF-8 continuation bytes.
fn characters(bytes: &[u8]) -> usize {
    let mut high = 0;
    each_word(bytes, |word| high |= word);
    if high & HIGH_BITS == 0 {
        return bytes.len();
    }
    let mut continuations = 0;
    each_word(bytes, |word| {
        continuations += marked(word & !(word << 1) & HIGH_BITS);
    });
    bytes.len() - continuations
}

/// How many bytes of a word have their high bit set, given only high bits (without a
/// `popcnt` instruction, which the baseline target lacks).
fn marked(high_bits: u64) -> usize {
    ((high_bits >> 7).wrapping_mul(u64::from_le_bytes([1; 8])) >> 56) as usize
}

/// The high bit of every byte of a word.
const HIGH_BITS: u64 = u64::from_le_bytes([0x80; 8]);

/// Calls `each` with `bytes` eight at a time, each word read little-endian; the last one padded with zero bytes (neither a newline nor a continuation byte).
#[inline(always)]
fn each_word(bytes: &[u8], mut each: impl FnMut(u64)) {
    let whole = bytes.chunks_exact(8);
    let rest = whole.remainder();
    for chunk in whole {
        each(u64::from_le_bytes(chunk.try_into().unwrap_or_default()));
    }
    if !rest.is_empty() {
        let mut word = [0; 8];
        word[..rest.len()].copy_from_slice(rest);
        each(u64::from_le_bytes(word));
    }
}

/// The high bit of every byte of `word` that is a newline, and no other bit.
fn newlines(word: u64) -> u64 {
    const LOW_BITS: u64 = !HIGH_BITS;
    let zeroed = word ^ u64::from_le_bytes([b'\n'; 8]);
    !(((zeroed & LOW_BITS).wrapping_add(LOW_BITS)) | zeroed | LOW_BITS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_one_based_character_positions() {
        let text = "a = 1\nbé = \"x\"\n";
        assert_eq!(Position::from_offset(text, 0), Position::new(1, 1));
        assert_eq!(Position::from_offset(text, 6), Position::new(2, 1));
        // 'é' is two bytes but one column.
        assert_eq!(Position::from_offset(text, 9), Position::new(2, 3));
        // Inside a multi-byte character: snapped back to its start.
        assert_eq!(Position::from_offset(text, 8), Position::new(2, 2));
        assert_eq!(Position::from_offset(text, 1000), Position::new(3, 1));
    }

    #[test]
    fn the_line_index_agrees_with_a_scan() {
        let text = "a = 1\nbé = \"x\"\n\nlast";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(
                index.position(text, offset),
                Position::from_offset(text, offset),
                "{offset}"
            );
        }
    }

    /// Long lines with multi-byte characters across block boundaries, as in a minified plan.
    #[test]
    fn long_lines_agree_with_a_scan() {
        let text = format!("{}\n{}", "é\"x\",".repeat(700), "ab中".repeat(900));
        let index = LineIndex::new(&text);
        for offset in (0..=text.len() + 1)
            .step_by(7)
            .chain([BLOCK, 2 * BLOCK, text.len()])
        {
            assert_eq!(
                index.position(&text, offset),
                Position::from_offset(&text, offset),
                "{offset}"
            );
        }
    }

    #[test]
    fn the_line_index_maps_positions_back_as_a_scan_does() {
        let text = format!("a = 1\nbé = \"x\"\n\n{}\nlast", "é\"x\",ab中".repeat(500));
        let index = LineIndex::new(&text);
        for line in 0..=6 {
            for column in (0..3000).step_by(7).chain([1, 2, 3, 4, u32::MAX]) {
                let position = Position::new(line, column);
                assert_eq!(
                    index.offset(&text, position),
                    position.to_offset(&text),
                    "{position:?}"
                );
            }
        }
    }

    #[test]
    fn positions_map_back_to_offsets() {
        let text = "a = 1\nbé = \"x\"\n";
        for offset in [0, 3, 6, 7, 9, 15] {
            assert_eq!(Position::from_offset(text, offset).to_offset(text), offset);
        }
        assert_eq!(Position::new(1, 99).to_offset(text), 5);
        assert_eq!(Position::new(9, 1).to_offset(text), text.len());
    }
}
