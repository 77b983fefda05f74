//! Where a plan writes each resource's values (`planned_values`): findings point there,
//! since that is where a reader of the plan sees them. The module tree is read with serde,
//! and the positions of one resource's values from its tokens, never as a tree.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::Mutex;

use rayon::prelude::*;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{MAX_SPANS, range_in};
use palisade_model::{LineIndex, Span};
use palisade_syntax::json;

/// Where every resource of `planned_values` is written, by address; each is taken once,
/// by the resource change of that address.
#[derive(Debug, Default)]
pub(super) struct Positions(HashMap<String, Mutex<Option<Planned>>>);

impl Positions {
    /// The positions of the resource at `address`, unless already taken.
    pub fn take(&self, address: &str) -> Option<Planned> {
        self.0.get(address)?.lock().ok()?.take()
    }
}

/// Where one resource of `planned_values` is written.
#[derive(Debug)]
pub(super) struct Planned {
    /// Its `address` value.
    pub header: Span,
    /// Every value under `values`, by attribute path.
    pub spans: BTreeMap<String, Span>,
}

#[derive(Deserialize)]
struct PlannedValues<'a> {
    #[serde(borrow)]
    root_module: Option<Module<'a>>,
}

#[derive(Deserialize)]
struct Module<'a> {
    #[serde(borrow, default)]
    resources: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    child_modules: Vec<Module<'a>>,
}

/// The positions of every resource of the `planned_values` part of `text` (at `range`),
/// by address.
pub(super) fn positions(text: &str, range: Range<usize>, lines: &LineIndex) -> Positions {
    let Some(Ok(PlannedValues {
        root_module: Some(root),
    })) = text.get(range).map(serde_json::from_str)
    else {
        return Positions::default();
    };
    let mut resources = Vec::new();
    collect(&root, &mut resources);
    Positions(
        resources
            .par_iter()
            .filter_map(|raw| resource(text, range_in(text, raw.get()), lines))
            .map(|(address, planned)| (address, Mutex::new(Some(planned))))
            .collect(),
    )
}

fn collect<'a>(module: &Module<'a>, found: &mut Vec<&'a RawValue>) {
    found.extend(&module.resources);
    for child in &module.child_modules {
        collect(child, found);
    }
}

/// Where a resource of `planned_values` writes its address and its values.
#[derive(Deserialize)]
struct Written<'a> {
    #[serde(borrow)]
    address: &'a RawValue,
    #[serde(borrow)]
    values: Option<&'a RawValue>,
}

/// The address and positions of the planned resource at `range` of `text`.
fn resource(text: &str, range: Range<usize>, lines: &LineIndex) -> Option<(String, Planned)> {
    let written: Written = serde_json::from_str(text.get(range)?).ok()?;
    let address: String = serde_json::from_str(written.address.get()).ok()?;
    let mut planned = Planned {
        header: lines.span(text, range_in(text, written.address.get())),
        spans: BTreeMap::new(),
    };
    if let Some(values) = written.values {
        let values = range_in(text, values.get());
        json::value_positions(text, values, lines, MAX_SPANS, &mut |path, span| {
            planned.spans.insert(path, span);
        });
    }
    Some((address, planned))
}
