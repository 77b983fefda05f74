//! Where a plan writes each resource's values (`planned_values`): findings point there,
//! since that is where a reader of the plan sees them. The module tree is read with serde,
//! and only one resource at a time is built as a positioned tree.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::Mutex;

use rayon::prelude::*;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{range_in, values};
use palisade_model::{AttrPath, LineIndex, Span};
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

/// The address and positions of the planned resource at `range` of `text`.
fn resource(text: &str, range: Range<usize>, lines: &LineIndex) -> Option<(String, Planned)> {
    let node = json::parse_part(text, range)?;
    let address = &node.get("address")?.value;
    let mut planned = Planned {
        header: lines.span(text, address.span.clone()),
        spans: BTreeMap::new(),
    };
    if let Some(entry) = node.get("values") {
        values(&entry.value, AttrPath::root(), &mut |path, node| {
            planned
                .spans
                .insert(path.to_owned(), lines.span(text, node.span.clone()));
        });
    }
    Some((address.as_str()?.to_owned(), planned))
}
