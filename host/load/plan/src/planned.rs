//! Where a plan writes each resource's values (`planned_values`): findings point there,
//! since that is where a reader of the plan sees them. The module tree is read with serde
//! in one pass; the positions of a resource's values are found from their tokens when a
//! finding first needs them ([`ValueSpans`]), never as a tree.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{MAX_SPANS, PlanText, range_in};
use palisade_model::{AttrPath, FindSpans, Span};
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
    /// Its `address` value, as a range of the plan text.
    pub header: Range<usize>,
    /// Its `values`, as a range of the plan text.
    pub values: Option<Range<usize>>,
}

#[derive(Deserialize)]
pub(super) struct PlannedValues<'a> {
    #[serde(borrow)]
    root_module: Option<Module<'a>>,
}

#[derive(Deserialize)]
struct Module<'a> {
    #[serde(borrow, default)]
    resources: Vec<Written<'a>>,
    #[serde(borrow, default)]
    child_modules: Vec<Module<'a>>,
}

/// Where a resource of `planned_values` writes its address and its values.
#[derive(Deserialize)]
struct Written<'a> {
    #[serde(borrow)]
    address: &'a RawValue,
    #[serde(borrow)]
    values: Option<&'a RawValue>,
}

/// Where every resource of the `planned_values` part of `text` (at `range`) is written,
/// by address.
pub(super) fn positions(text: &str, range: Range<usize>) -> Positions {
    match text.get(range).map(serde_json::from_str) {
        Some(Ok(planned)) => of_document(text, planned),
        _ => Positions::default(),
    }
}

/// Where every resource of `planned` (read from `text`) is written, by address.
pub(super) fn of_document(text: &str, planned: PlannedValues<'_>) -> Positions {
    let Some(root) = planned.root_module else {
        return Positions::default();
    };
    let mut resources = Vec::new();
    collect(&root, &mut resources);
    Positions(
        resources
            .par_iter()
            .filter_map(|written| {
                let address: String = serde_json::from_str(written.address.get()).ok()?;
                let planned = Planned {
                    header: range_in(text, written.address.get()),
                    values: written.values.map(|values| range_in(text, values.get())),
                };
                Some((address, Mutex::new(Some(planned))))
            })
            .collect(),
    )
}

fn collect<'m, 'a>(module: &'m Module<'a>, found: &mut Vec<&'m Written<'a>>) {
    found.extend(&module.resources);
    for child in &module.child_modules {
        collect(child, found);
    }
}

/// Finds the positions of the values written at `values` of a plan, for a finding on
/// them. None inside a sensitive value (`hidden`): a report shows the source a span
/// points at, and map keys inside a sensitive value are part of it, so findings on them
/// point at the resource instead.
pub(super) struct ValueSpans {
    pub plan: Arc<PlanText>,
    pub values: Range<usize>,
    pub hidden: Vec<String>,
}

impl FindSpans for ValueSpans {
    fn find(&self) -> BTreeMap<String, Span> {
        let PlanText { text, lines } = &*self.plan;
        let hidden =
            |path: &str| AttrPath::prefixes(path).any(|p| self.hidden.iter().any(|h| h == p));
        let mut spans = BTreeMap::new();
        json::value_positions(
            text,
            self.values.clone(),
            lines,
            MAX_SPANS,
            &mut |path, span| {
                if !hidden(&path) {
                    spans.insert(path, span);
                }
            },
        );
        spans
    }
}
