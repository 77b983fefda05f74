//! Where a plan's values named like secrets (`password`, `account_password`) were set.
//! A plan holds the planned value whatever set it: a literal of the configuration, a
//! variable's default, `-var`, a variables file or `TF_VAR_...`. Its `configuration`
//! section tells them apart: a literal or a default is written in the configuration, and
//! keeps its value (with the variable as its origin); anything else is not decided by the
//! configuration, and becomes unknown, so that no rule says the template writes it.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use super::configuration::Setting;
use palisade_model::{
    LineIndex, Location, Origin, Position, Setting as Set, Source, is_secret_name, unknown,
};
use palisade_syntax::json;

/// The values the plan's variables were given, and where the plan writes each.
#[derive(Default)]
pub(super) struct Given {
    values: HashMap<String, Value>,
    at: HashMap<String, Position>,
}

/// The plan's `variables` section, at `range` of `text`.
pub(super) fn given(text: &str, range: Range<usize>, lines: &LineIndex) -> Given {
    #[derive(Deserialize)]
    struct Variable {
        value: Option<Value>,
    }
    let values = serde_json::from_str::<HashMap<String, Variable>>(&text[range.clone()])
        .map(|variables| {
            variables
                .into_iter()
                .filter_map(|(name, variable)| Some((name, variable.value?)))
                .collect()
        })
        .unwrap_or_default();
    let at = json::parse_part(text, range)
        .and_then(|node| {
            let entries = node.as_object()?;
            Some(
                entries
                    .iter()
                    .map(|entry| {
                        let position = lines.position(text, entry.key_span.start);
                        (entry.key.clone(), position)
                    })
                    .collect(),
            )
        })
        .unwrap_or_default();
    Given { values, at }
}

/// What the configuration and the plan's variables say of one resource's secrets.
pub(super) struct Trace<'a> {
    /// How the configuration sets the resource's secret-looking attributes.
    pub settings: Option<&'a BTreeMap<String, Setting>>,
    /// The root module's variable defaults.
    pub defaults: &'a HashMap<String, Value>,
    pub given: &'a Given,
    pub file: &'a Path,
}

impl Trace<'_> {
    /// Makes every known secret-looking top-level value of `attributes` unknown unless
    /// the configuration writes it, and records the variable defaults it comes from.
    pub fn apply(&self, attributes: &mut Value, origins: &mut BTreeMap<String, Origin>) {
        let Some(map) = attributes.as_object_mut() else {
            return;
        };
        for (key, value) in map.iter_mut() {
            let holds_text = matches!(value, Value::String(text) if !text.is_empty());
            if !holds_text || !is_secret_name(key) {
                continue;
            }
            match self.settings.and_then(|settings| settings.get(key)) {
                Some(Setting::Constant) => {}
                Some(Setting::Variables(names)) => match self.defaults_of(names) {
                    Ok(origin) => {
                        origins.insert(key.clone(), origin);
                    }
                    Err(name) => {
                        *value = unknown(format!(
                            "set when the plan was made: var.{name} is not its default \
                             (-var, a variables file or TF_VAR_{name}), so the configuration \
                             does not write it"
                        ));
                    }
                },
                Some(Setting::Untraced) | None => {
                    *value = unknown(
                        "the plan does not say whether the configuration writes this value",
                    );
                }
            }
        }
    }

    /// The origin of a value computed from the variables `names`, when each holds its
    /// default; else the first that does not.
    fn defaults_of<'n>(&self, names: &'n [String]) -> Result<Origin, &'n str> {
        let mut origin = Origin::default();
        for name in names {
            let default = self.defaults.get(name);
            if default.is_none() || default != self.given.values.get(name) {
                return Err(name);
            }
            let position = self.given.at.get(name).copied().unwrap_or_default();
            origin.sources.push(Source::Variable {
                name: name.clone(),
                setting: Set::Default(Location::new(self.file, position)),
            });
        }
        Ok(origin)
    }
}
