//! Attribute paths: `ingress[1].cidr_blocks[0]`, `Properties.Tags["a.b"]`.
//!
//! A finding names the attribute it is about by this exact text, and the runner finds the
//! attribute's span by it, so the syntax is part of the contract: keys joined with `.`,
//! list indices as `[n]`, and keys that are not plain identifiers (anything but ASCII
//! alphanumerics, `_`, `-`, `:`) quoted as `["key"]` in JSON string syntax. The empty path
//! is the resource itself.

use std::fmt;

/// A path from a resource's attributes to one value, such as `ingress[1].cidr_blocks[0]`.
///
/// Built one segment at a time, so quoting is always right:
///
/// ```
/// use palisade_contract::AttrPath;
///
/// let path = AttrPath::root().key("ingress").index(1).key("cidr_blocks").index(0);
/// assert_eq!(path.as_str(), "ingress[1].cidr_blocks[0]");
/// assert_eq!(AttrPath::root().key("Tags").key("a.b").as_str(), r#"Tags["a.b"]"#);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AttrPath(String);

/// One step of an [`AttrPath`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// An object key.
    Key(String),
    /// A list index.
    Index(usize),
}

impl AttrPath {
    /// The empty path: the resource itself (where an insecure default is reported).
    pub fn root() -> Self {
        Self::default()
    }

    /// This path followed by the object key `key`.
    pub fn key(&self, key: &str) -> Self {
        if !is_plain_key(key) {
            let quoted = serde_json::Value::from(key).to_string();
            return self.extended(&["[", &quoted, "]"]);
        }
        let dot = if self.0.is_empty() { "" } else { "." };
        self.extended(&[dot, key])
    }

    /// This path followed by the list index `index`.
    pub fn index(&self, index: usize) -> Self {
        let mut digits = [0u8; 20];
        let mut start = digits.len();
        let mut rest = index;
        loop {
            start -= 1;
            // `rest % 10` is a single digit.
            digits[start] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        let digits = std::str::from_utf8(&digits[start..]).unwrap_or_default();
        self.extended(&["[", digits, "]"])
    }

    /// This path followed by `parts`, in one allocation: attribute reads build a path
    /// for every field they visit.
    fn extended(&self, parts: &[&str]) -> Self {
        let len = self.0.len() + parts.iter().map(|part| part.len()).sum::<usize>();
        let mut out = String::with_capacity(len);
        out.push_str(&self.0);
        for part in parts {
            out.push_str(part);
        }
        Self(out)
    }

    /// The path text, as findings carry it and span maps are keyed by.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is the resource itself.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// The path text one segment up (`a.b[0]` -> `a.b` -> `a` -> ``), or `None` at the
    /// root: how the runner falls back to the closest attribute that has a position.
    ///
    /// ```
    /// use palisade_contract::AttrPath;
    ///
    /// assert_eq!(AttrPath::parent(r#"Tags["a[0]"]"#), Some("Tags"));
    /// assert_eq!(AttrPath::parent("Tags"), Some(""));
    /// assert_eq!(AttrPath::parent(""), None);
    /// ```
    pub fn parent(path: &str) -> Option<&str> {
        if path.is_empty() {
            return None;
        }
        if path.ends_with(']') {
            // Find the `[` that opens the last segment, skipping over quoted keys.
            let open = last_bracket_open(path)?;
            return Some(&path[..open]);
        }
        Some(path.rfind('.').map_or("", |dot| &path[..dot]))
    }

    /// The paths that `path` lies inside, outermost first, then `path` itself: where a
    /// value that covers everything inside it (a sensitive one) may be recorded. A key
    /// holding `.` or `[` may give a prefix that is no real path, which only finds more.
    ///
    /// ```
    /// use palisade_contract::AttrPath;
    ///
    /// let all: Vec<&str> = AttrPath::prefixes("a.b[0]").collect();
    /// assert_eq!(all, ["a", "a.b", "a.b[0]"]);
    /// ```
    pub fn prefixes(path: &str) -> impl Iterator<Item = &str> {
        path.char_indices()
            .filter(|&(i, c)| i > 0 && (c == '.' || c == '['))
            .map(|(i, _)| &path[..i])
            .chain([path])
    }

    /// The value at the path `text` inside `value`, if the path parses and leads to one.
    pub fn find_mut<'v>(
        value: &'v mut serde_json::Value,
        text: &str,
    ) -> Option<&'v mut serde_json::Value> {
        Self::parse(text)?
            .iter()
            .try_fold(value, |value, segment| match segment {
                Segment::Key(key) => value.get_mut(key.as_str()),
                Segment::Index(index) => value.get_mut(*index),
            })
    }

    /// The value at the path `text` inside `value`, if the path parses and leads to one.
    pub fn find<'v>(value: &'v serde_json::Value, text: &str) -> Option<&'v serde_json::Value> {
        Self::parse(text)?
            .iter()
            .try_fold(value, |value, segment| match segment {
                Segment::Key(key) => value.get(key.as_str()),
                Segment::Index(index) => value.get(*index),
            })
    }

    /// Splits a path text into its segments, or `None` when it is not a valid path: for
    /// code that takes paths as data (a list of attributes that must be set).
    ///
    /// ```
    /// use palisade_contract::{AttrPath, Segment};
    ///
    /// let segments = AttrPath::parse(r#"a[0]["b.c"].d"#).unwrap();
    /// assert_eq!(
    ///     segments,
    ///     [
    ///         Segment::Key("a".into()),
    ///         Segment::Index(0),
    ///         Segment::Key("b.c".into()),
    ///         Segment::Key("d".into()),
    ///     ]
    /// );
    /// ```
    pub fn parse(text: &str) -> Option<Vec<Segment>> {
        let mut segments = Vec::new();
        let mut rest = text;
        let mut first = true;
        while !rest.is_empty() {
            if let Some(inner) = rest.strip_prefix('[') {
                let (segment, after) = parse_bracket(inner)?;
                segments.push(segment);
                rest = after;
            } else {
                if !first {
                    rest = rest.strip_prefix('.')?;
                }
                let end = rest.find(['.', '[']).unwrap_or(rest.len());
                let key = &rest[..end];
                if !is_plain_key(key) {
                    return None;
                }
                segments.push(Segment::Key(key.to_owned()));
                rest = &rest[end..];
            }
            first = false;
        }
        Some(segments)
    }
}

impl fmt::Display for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<AttrPath> for String {
    fn from(path: AttrPath) -> Self {
        path.0
    }
}

fn is_plain_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':'))
}

/// Parses the inside of `[...]` (after the `[`): an index or a quoted key.
fn parse_bracket(inner: &str) -> Option<(Segment, &str)> {
    if inner.starts_with('"') {
        let close = closing_quote(inner)?;
        let key: String = serde_json::from_str(&inner[..=close]).ok()?;
        let after = inner[close + 1..].strip_prefix(']')?;
        Some((Segment::Key(key), after))
    } else {
        let close = inner.find(']')?;
        let index = inner[..close].parse().ok()?;
        Some((Segment::Index(index), &inner[close + 1..]))
    }
}

/// Byte offset of the quote that closes the JSON string starting at offset 0.
fn closing_quote(text: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Some(i),
            _ => {}
        }
    }
    None
}

/// Byte offset of the `[` that opens the last segment of `path`, which ends with `]`.
fn last_bracket_open(path: &str) -> Option<usize> {
    let bytes = path.as_bytes();
    if bytes.get(bytes.len().wrapping_sub(2)) == Some(&b'"') {
        // `["..."]`: scan back to the opening quote, honouring backslash escapes.
        let mut i = bytes.len() - 2;
        while i > 0 {
            i -= 1;
            if bytes[i] == b'"' && !escaped(bytes, i) {
                return i.checked_sub(1).filter(|&open| bytes[open] == b'[');
            }
        }
        None
    } else {
        path.rfind('[')
    }
}

/// Whether the quote at `quote` is escaped by an odd number of backslashes before it.
fn escaped(bytes: &[u8], quote: usize) -> bool {
    bytes[..quote]
        .iter()
        .rev()
        .take_while(|&&b| b == b'\\')
        .count()
        % 2
        == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_dotted_and_indexed_paths() {
        let p = AttrPath::root()
            .key("ingress")
            .index(1)
            .key("cidr_blocks")
            .index(0);
        assert_eq!(p.as_str(), "ingress[1].cidr_blocks[0]");
        assert_eq!(
            AttrPath::root().key("Tags").key("a.b").as_str(),
            "Tags[\"a.b\"]"
        );
    }

    #[test]
    fn builds_the_paths_the_host_expects() {
        let root = AttrPath::root();
        assert!(root.is_root());
        assert_eq!(root.key("cidr_ip").as_str(), "cidr_ip");
        assert_eq!(
            root.key("SecurityGroupIngress")
                .index(0)
                .key("SourceCidrIp")
                .as_str(),
            "SecurityGroupIngress[0].SourceCidrIp"
        );
        assert_eq!(root.key("x:y-z_1").as_str(), "x:y-z_1");
        assert_eq!(root.key("").as_str(), r#"[""]"#);
        assert_eq!(root.index(2).as_str(), "[2]");
        assert_eq!(root.key("a").key("q\"]").as_str(), r#"a["q\"]"]"#);
    }

    #[test]
    fn walks_up_to_the_root() {
        let mut path = "ingress[1].cidr_blocks[0]";
        let mut seen = vec![];
        while let Some(parent) = AttrPath::parent(path) {
            seen.push(parent);
            path = parent;
        }
        assert_eq!(
            seen,
            ["ingress[1].cidr_blocks", "ingress[1]", "ingress", ""]
        );
        assert_eq!(AttrPath::parent("Tags[\"a[0]\"]"), Some("Tags"));
        assert_eq!(AttrPath::parent("Tags[\"q\\\"]\"]"), Some("Tags"));
    }

    #[test]
    fn parses_what_it_builds() {
        let path = AttrPath::root()
            .key("Tags")
            .key("a.b[0]")
            .index(3)
            .key("q\"")
            .key("plain");
        let segments = AttrPath::parse(path.as_str()).unwrap();
        assert_eq!(
            segments,
            [
                Segment::Key("Tags".into()),
                Segment::Key("a.b[0]".into()),
                Segment::Index(3),
                Segment::Key("q\"".into()),
                Segment::Key("plain".into()),
            ]
        );
        assert_eq!(AttrPath::parse(""), Some(vec![]));
    }

    #[test]
    fn rejects_malformed_paths() {
        for bad in ["a..b", ".a", "a.", "a[x]", "a[0", r#"a["b"#, "a b", "a[0]b"] {
            assert_eq!(AttrPath::parse(bad), None, "{bad}");
        }
    }
}
