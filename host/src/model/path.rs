//! Attribute paths: `ingress[1].cidr_blocks[0]`, `Properties.Tags["a.b"]`.
//!
//! Paths are strings so that they cross the WIT boundary and key span maps unchanged.
//! Segments are joined with `.`, list indices are `[n]`, and keys that are not plain
//! identifiers are quoted as `["key"]`.

/// Builds attribute paths one segment at a time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttrPath(String);

impl AttrPath {
    pub fn root() -> Self {
        Self::default()
    }

    /// This path followed by object key `key`.
    pub fn key(&self, key: &str) -> Self {
        let plain = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == ':');
        let mut out = self.0.clone();
        if plain {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(key);
        } else {
            out.push('[');
            out.push_str(&serde_json::Value::from(key).to_string());
            out.push(']');
        }
        Self(out)
    }

    /// This path followed by list index `index`.
    pub fn index(&self, index: usize) -> Self {
        Self(format!("{}[{index}]", self.0))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The path one segment up (`a.b[0]` -> `a.b` -> `a` -> ``), or `None` at the root.
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
}

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

fn escaped(bytes: &[u8], quote: usize) -> bool {
    bytes[..quote]
        .iter()
        .rev()
        .take_while(|&&b| b == b'\\')
        .count()
        % 2
        == 1
}

impl std::fmt::Display for AttrPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
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
}
