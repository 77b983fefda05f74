//! Parts of a plan read before the plan is split into its top-level parts. The split is a
//! strict pass over the whole text, on one core; reading the configuration and where the
//! planned values are written waited for it. Each part is found where Terraform writes it
//! (its key, then an object whose first key is one Terraform writes first), read from
//! there, and used only when the split puts the part exactly there: a resource attribute
//! could look the same, and is then read for nothing.

use std::ops::Range;

use serde::Deserialize;

use super::configuration::{self, Configuration};
use super::planned::{self, Positions};

/// The configuration and the planned values of a plan, as far as they were found.
#[derive(Default)]
pub struct Early {
    pub(super) configuration: Part<Configuration>,
    pub(super) planned: Part<Positions>,
}

impl Early {
    /// Reads what are likely the configuration and the planned values of the plan `text`.
    pub fn read(text: &str) -> Self {
        let (configuration, planned) = rayon::join(
            || {
                Part::read(
                    text,
                    "configuration",
                    &["provider_config", "root_module"],
                    configuration::of_document,
                )
            },
            || {
                Part::read(text, "planned_values", &["outputs", "root_module"], |d| {
                    planned::of_document(text, d)
                })
            },
        );
        Self {
            configuration,
            planned,
        }
    }
}

/// One part, read from where it likely starts to where its value ends.
pub(super) struct Part<T>(Option<(Range<usize>, T)>);

impl<T> Default for Part<T> {
    fn default() -> Self {
        Self(None)
    }
}

impl<T> Part<T> {
    /// The value of the first `"key"` of `text` that holds an object starting with one
    /// of `first_keys`, deserialized as `D` and made into `T` by `read`.
    fn read<'t, D: Deserialize<'t>>(
        text: &'t str,
        key: &str,
        first_keys: &[&str],
        read: impl FnOnce(D) -> T,
    ) -> Self {
        let Some(start) = likely_start(text, key, first_keys) else {
            return Self::default();
        };
        let mut values = serde_json::Deserializer::from_str(&text[start..]).into_iter();
        match values.next() {
            Some(Ok(document)) => {
                let end = start + values.byte_offset();
                Self(Some((start..end, read(document))))
            }
            _ => Self::default(),
        }
    }

    /// What was read, if it is the part at `range`.
    pub(super) fn at(self, range: &Range<usize>) -> Option<T> {
        let (read, value) = self.0?;
        (read == *range).then_some(value)
    }
}

/// Where the value of the first `"key"` of `text` whose object starts with one of
/// `first_keys` starts.
fn likely_start(text: &str, key: &str, first_keys: &[&str]) -> Option<usize> {
    let bytes = text.as_bytes();
    let quoted = |key: &str| format!("\"{key}\"");
    let key = quoted(key);
    let first_keys: Vec<String> = first_keys.iter().map(|first| quoted(first)).collect();
    let after_spaces = |mut at: usize| {
        while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        at
    };
    memchr::memmem::find_iter(bytes, key.as_bytes()).find_map(|at| {
        let colon = after_spaces(at + key.len());
        let start = after_spaces(colon + 1);
        let first = bytes.get(after_spaces(start + 1)..)?;
        let looks_right = bytes.get(colon) == Some(&b':')
            && bytes.get(start) == Some(&b'{')
            && first_keys
                .iter()
                .any(|key| first.starts_with(key.as_bytes()));
        looks_right.then_some(start)
    })
}
