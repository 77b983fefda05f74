//! A resource's attributes, decoded when first read.
//!
//! Decoding the attribute text into values is most of what a policy does, and most of it
//! is wasted: a rule reads a few attributes of a resource (a disk's `encrypted`, an
//! instance's `password`), not its tags and names, and a family is sent every resource
//! of every type its rules read. The text is therefore only checked and split into its
//! top-level entries when it arrives; an entry's value is built the first time a rule
//! reads it, and the whole tree only for a rule that walks it ([`Resource::root`]).
//!
//! [`Resource::root`]: crate::Resource::root

use std::borrow::Cow;
use std::cell::OnceCell;
use std::fmt;
use std::ops::Range;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use palisade_contract::{INPUTS_KEY, UNKNOWN_KEY, unknown};

/// The attributes of one resource (without [`INPUTS_KEY`]) and the inputs beside them.
#[derive(Debug, Clone)]
pub(crate) enum Attributes {
    /// Built by the caller: tests, and attribute texts that are themselves unknown.
    Built {
        attributes: Value,
        inputs: Map<String, Value>,
    },
    /// The host's text, split into its top-level entries.
    Text(Text),
}

/// Attribute text split into top-level entries, their values built on first read.
#[derive(Debug, Clone)]
pub(crate) struct Text {
    text: String,
    /// Each entry's key, the byte range of its value in `text` and that value once
    /// read, in document order.
    entries: Vec<(Key, Range<usize>, OnceCell<Value>)>,
    inputs: Option<Range<usize>>,
    whole: OnceCell<Value>,
    inputs_read: OnceCell<Map<String, Value>>,
}

/// An entry's key: where it is in the text, or the key itself when it has escapes.
#[derive(Debug, Clone)]
enum Key {
    At(Range<usize>),
    Unescaped(String),
}

/// Why the attribute text was refused.
pub(crate) enum Refused {
    Json(serde_json::Error),
    NotAnObject,
}

impl Attributes {
    /// Checks `text` (the whole of it is JSON, and an object) and splits it.
    pub fn read(text: String) -> Result<Self, Refused> {
        let mut reader = serde_json::Deserializer::from_str(&text);
        let split = (&mut reader)
            .deserialize_any(Split { base: &text })
            .and_then(|split| reader.end().map(|()| split));
        let entries = match split {
            Ok(Some(entries)) => entries,
            Ok(None) => return Err(Refused::NotAnObject),
            Err(error) => return Err(Refused::Json(error)),
        };
        let mut read = Text {
            entries: Vec::with_capacity(entries.len()),
            inputs: None,
            whole: OnceCell::new(),
            inputs_read: OnceCell::new(),
            text,
        };
        for (key, range) in entries {
            match read.key(&key) {
                INPUTS_KEY => read.inputs = Some(range),
                // Unknown attributes as a whole are built at once, so that every read
                // below them is the same unknown, as it is in a built tree.
                UNKNOWN_KEY => return Ok(Self::built(read.text)),
                _ => read.entries.push((key, range, OnceCell::new())),
            }
        }
        Ok(Self::Text(read))
    }

    /// The tree of `text`, an object, with its inputs taken out.
    fn built(text: String) -> Self {
        let mut attributes: Value = serde_json::from_str(&text).unwrap_or_default();
        let inputs = match attributes
            .as_object_mut()
            .and_then(|map| map.remove(INPUTS_KEY))
        {
            Some(Value::Object(inputs)) => inputs,
            _ => Map::new(),
        };
        Self::Built { attributes, inputs }
    }

    /// The whole attribute tree.
    pub fn whole(&self) -> &Value {
        match self {
            Self::Built { attributes, .. } => attributes,
            Self::Text(text) => text.whole(),
        }
    }

    /// The value of the top-level attribute `key`; `None` when absent.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Self::Built { attributes, .. } => attributes.get(key),
            Self::Text(text) => text.get(key),
        }
    }

    /// The inputs object the host sent beside the attributes.
    pub fn inputs(&self) -> &Map<String, Value> {
        match self {
            Self::Built { inputs, .. } => inputs,
            Self::Text(text) => text.inputs(),
        }
    }
}

impl Text {
    fn key<'t>(&'t self, key: &'t Key) -> &'t str {
        match key {
            Key::At(range) => &self.text[range.clone()],
            Key::Unescaped(key) => key,
        }
    }

    fn get(&self, key: &str) -> Option<&Value> {
        // The last of repeated keys wins, as in a tree built from the text.
        let (_, range, value) = self
            .entries
            .iter()
            .rfind(|(written, ..)| self.key(written) == key)?;
        Some(value.get_or_init(|| self.build(range.clone())))
    }

    fn whole(&self) -> &Value {
        self.whole.get_or_init(|| {
            let map = self
                .entries
                .iter()
                .map(|(key, range, read)| {
                    let value = read.get().cloned();
                    (
                        self.key(key).to_owned(),
                        value.unwrap_or_else(|| self.build(range.clone())),
                    )
                })
                .collect();
            Value::Object(map)
        })
    }

    fn inputs(&self) -> &Map<String, Value> {
        self.inputs_read.get_or_init(|| match &self.inputs {
            Some(range) => match self.build(range.clone()) {
                Value::Object(inputs) => inputs,
                _ => Map::new(),
            },
            None => Map::new(),
        })
    }

    /// The value written at `range`, which [`Attributes::read`] checked; one that still
    /// fails to build (deeper than the reader goes) is unknown, never absent.
    fn build(&self, range: Range<usize>) -> Value {
        serde_json::from_str(&self.text[range])
            .unwrap_or_else(|error| unknown(format!("the value could not be read: {error}")))
    }
}

/// Reads a JSON object's entries as keys and value ranges, checking every value without
/// building it; `None` for any other JSON value.
struct Split<'t> {
    base: &'t str,
}

impl Split<'_> {
    fn range(&self, part: &str) -> Range<usize> {
        let start = part.as_ptr() as usize - self.base.as_ptr() as usize;
        start..start + part.len()
    }
}

type Entries = Vec<(Key, Range<usize>)>;

impl<'de> Visitor<'de> for Split<'de> {
    type Value = Option<Entries>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            let value: &'de RawValue = map.next_value()?;
            let key = match key {
                Cow::Borrowed(key) => Key::At(self.range(key)),
                Cow::Owned(key) => Key::Unescaped(key),
            };
            entries.push((key, self.range(value.get())));
        }
        Ok(Some(entries))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(text: &str) -> Attributes {
        Attributes::read(text.to_owned()).ok().unwrap()
    }

    #[test]
    fn entries_read_alone_are_what_the_whole_tree_holds() {
        let text =
            r#"{"a": {"b": [1, "x"]}, "e\"k": true, "a": 2, "$inputs": {"a": []}, "n": null}"#;
        let split = read(text);
        assert_eq!(
            split.get("a"),
            Some(&json!(2)),
            "the last repeated key wins"
        );
        assert_eq!(split.get("e\"k"), Some(&json!(true)));
        assert_eq!(split.get("n"), Some(&Value::Null));
        assert_eq!(split.get("$inputs"), None);
        assert_eq!(split.get("missing"), None);
        assert_eq!(split.whole(), &json!({"a": 2, "e\"k": true, "n": null}));
        assert_eq!(split.inputs(), json!({"a": []}).as_object().unwrap());
    }

    #[test]
    fn unknown_attributes_stay_one_unknown() {
        let split = read(r#"{"$unknown": {"reason": "r", "refers": null}, "$inputs": {}}"#);
        assert!(matches!(split, Attributes::Built { .. }));
        assert_eq!(
            split.whole(),
            &json!({"$unknown": {"reason": "r", "refers": null}})
        );
    }

    #[test]
    fn anything_but_one_json_object_is_refused() {
        for text in ["[1]", "3", "\"x\"", "null"] {
            assert!(
                matches!(Attributes::read(text.into()), Err(Refused::NotAnObject)),
                "{text}"
            );
        }
        for text in ["{", "{\"a\": [1,]}", "{} {}", "{\"a\": tru}", ""] {
            assert!(
                matches!(Attributes::read(text.into()), Err(Refused::Json(_))),
                "{text}"
            );
        }
    }
}
