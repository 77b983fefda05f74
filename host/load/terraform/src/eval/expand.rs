//! The instances of a resource block: its `count` or `for_each` keys, and each
//! instance's attributes, spans and origins; what a reference to the resource sees.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use super::block::BlockReader;
use super::documents;
use super::expr::Evaluator;
use super::module::{Module, Slot};
use super::scope::{Expansion, Reference};
use super::syntax::{Block, Expr, SourceFile};
use super::value::Value;
use palisade_model::{Origin, Span};

/// A resource block's instances.
pub(super) struct Expanded {
    pub(super) expansion: Expansion,
    /// Whether the instances are known: an unknown `count` or `for_each` still yields
    /// one instance to check, but references to its instances are unknown.
    pub(super) known: bool,
    /// The block refers back to itself through the references being followed: a cycle,
    /// which leaves the inner reference unknown.
    pub(super) in_cycle: bool,
    pub(super) instances: Vec<Instance>,
}

pub(super) struct Instance {
    pub(super) address: String,
    pub(super) key: Value,
    pub(super) attributes: Value,
    pub(super) spans: Rc<Spans>,
    pub(super) origins: Rc<Origins>,
}

/// The address suffix (`[0]`, `["k"]`) and the `count` / `each` bindings of one instance.
pub(super) fn instance(
    expansion: Expansion,
    key: &Value,
    each_value: Value,
) -> (String, Vec<(String, Value)>) {
    match (expansion, key) {
        (Expansion::Single, _) => (String::new(), Vec::new()),
        (Expansion::Count, key) => (
            match key {
                Value::Number(i) => format!("[{i}]"),
                _ => String::new(),
            },
            vec![("count".to_owned(), object([("index", key.clone())]))],
        ),
        (Expansion::ForEach, key) => (
            match key {
                Value::String(k) => format!("[{k:?}]"),
                _ => String::new(),
            },
            vec![(
                "each".to_owned(),
                object([("key", key.clone()), ("value", each_value)]),
            )],
        ),
    }
}

pub(super) fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

/// The span of every attribute path of a resource block.
pub(super) type Spans = BTreeMap<String, Span>;

/// Where attribute values come from, by attribute path.
pub(super) type Origins = BTreeMap<String, Origin>;

impl<'c> Module<'c> {
    pub(super) fn resource(&self, key: &str) -> Rc<Expanded> {
        self.expanded(key, self.resources.get(key), |_| {})
    }

    /// The instances of the block `declared` (a resource, or a data source with the key
    /// `data.TYPE.NAME`), evaluated once, each instance's attributes then `complete`d
    /// with what the block computes from them.
    fn expanded(
        &self,
        key: &str,
        declared: Option<&(&SourceFile, Block<'_>)>,
        complete: impl Fn(&mut Value),
    ) -> Rc<Expanded> {
        if let Some(Slot::Done(expanded)) = self.resource_values.borrow().get(key) {
            return Rc::clone(expanded);
        }
        let empty = |in_cycle| {
            Rc::new(Expanded {
                expansion: Expansion::Single,
                known: false,
                in_cycle,
                instances: Vec::new(),
            })
        };
        let Some((file, block)) = declared else {
            return empty(false);
        };
        self.resource_values
            .borrow_mut()
            .insert(key.to_owned(), Slot::InProgress);
        let expanded = self
            .guarded(key, file, block.at(), || {
                let mut expanded = self.expand(key, file, block);
                for instance in &mut expanded.instances {
                    complete(&mut instance.attributes);
                }
                Rc::new(expanded)
            })
            .unwrap_or_else(|| empty(true));
        self.resource_values
            .borrow_mut()
            .insert(key.to_owned(), Slot::Done(Rc::clone(&expanded)));
        expanded
    }

    /// A resource block's instances, from its `count` or `for_each`.
    pub(super) fn expand(&self, key: &str, file: &SourceFile, block: &Block) -> Expanded {
        let address = format!("{}{key}", self.prefix);
        let (expansion, known, keys) = self.instance_keys(file, block);
        let expansion_origin = ["count", "for_each"]
            .iter()
            .find_map(|meta| block.attribute(meta))
            .and_then(|meta| self.origin_of(meta));
        let origin = |expr: Expr<'_>| self.origin_of(expr);
        let mut shared: Option<(Rc<Spans>, Rc<Origins>)> = None;
        let mut instances = Vec::new();
        for (instance_key, each_value) in keys {
            let (suffix, bindings) = instance(expansion, &instance_key, each_value);
            let problems = RefCell::new(Vec::new());
            let evaluator = Evaluator::new(self, self.budget, &file.text, &problems).with(bindings);
            let mut reader = BlockReader::new(&evaluator, &file.text, &file.lines, &origin);
            let attributes = reader.resource(block.body());
            let (spans, origins) = shared.get_or_insert_with(|| {
                let mut origins = std::mem::take(&mut reader.origins);
                if let Some(origin) = &expansion_origin {
                    origins.insert(String::new(), origin.clone());
                }
                (Rc::new(std::mem::take(&mut reader.spans)), Rc::new(origins))
            });
            self.report(file, problems);
            instances.push(Instance {
                address: format!("{address}{suffix}"),
                key: instance_key,
                attributes,
                spans: Rc::clone(spans),
                origins: Rc::clone(origins),
            });
        }
        Expanded {
            expansion,
            known,
            in_cycle: false,
            instances,
        }
    }

    /// The instance keys of a resource or module block, from its `count` or `for_each`,
    /// each with its `each.value`; whether they are known (an unknown collection still
    /// gives one instance to check, without a key).
    pub(super) fn instance_keys(
        &self,
        file: &SourceFile,
        block: &Block,
    ) -> (Expansion, bool, Vec<(Value, Value)>) {
        let meta = |name: &str| block.attribute(name);
        if let Some(count) = meta("count") {
            return match self.eval(file, count, Vec::new()) {
                Value::Unknown(unknown) => (
                    Expansion::Count,
                    false,
                    vec![(Value::Unknown(unknown), Value::Null)],
                ),
                value => match value.to_number().filter(|n| n.fract() == 0.0 && *n >= 0.0) {
                    Some(n) => {
                        if let Err(message) = self.budget.instances(n as u64, "`count`") {
                            self.error(file, count.range(), message);
                            return (Expansion::Count, true, Vec::new());
                        }
                        let keys = (0..n as usize)
                            .map(|i| (Value::Number(i as f64), Value::Null))
                            .collect();
                        (Expansion::Count, true, keys)
                    }
                    None => {
                        self.error(
                            file,
                            count.range(),
                            "`count` must be a whole number, 0 or more".to_owned(),
                        );
                        (Expansion::Count, true, Vec::new())
                    }
                },
            };
        }
        let Some(for_each) = meta("for_each") else {
            if let Err(message) = self.budget.instances(1, "this block") {
                self.error(file, block.at(), message);
                return (Expansion::Single, true, Vec::new());
            }
            return (Expansion::Single, true, vec![(Value::Null, Value::Null)]);
        };
        let (expansion, known, keys) = self.for_each_keys(file, for_each);
        if let Err(message) = self.budget.instances(keys.len() as u64, "`for_each`") {
            self.error(file, for_each.range(), message);
            return (expansion, known, Vec::new());
        }
        (expansion, known, keys)
    }

    /// The instance keys of a `for_each`, each with its `each.value`.
    fn for_each_keys(
        &self,
        file: &SourceFile,
        for_each: Expr<'_>,
    ) -> (Expansion, bool, Vec<(Value, Value)>) {
        match self.eval(file, for_each, Vec::new()) {
            Value::Object(map) => (
                Expansion::ForEach,
                true,
                map.into_iter()
                    .map(|(k, v)| (Value::String(k), v))
                    .collect(),
            ),
            Value::List(items) => {
                let Some(mut keys) = items
                    .iter()
                    .map(Value::to_text)
                    .collect::<Option<Vec<String>>>()
                else {
                    self.error(
                        file,
                        for_each.range(),
                        "`for_each` over a set needs strings".to_owned(),
                    );
                    return (Expansion::ForEach, true, Vec::new());
                };
                keys.sort();
                keys.dedup();
                let keys = keys
                    .into_iter()
                    .map(|k| (Value::String(k.clone()), Value::String(k)))
                    .collect();
                (Expansion::ForEach, true, keys)
            }
            Value::Unknown(unknown) => (
                Expansion::ForEach,
                false,
                vec![(Value::Unknown(unknown.clone()), Value::Unknown(unknown))],
            ),
            Value::Null => (Expansion::ForEach, true, Vec::new()),
            other => {
                let message = format!(
                    "`for_each` needs a map or a set of strings, not a {}",
                    other.type_name()
                );
                self.error(file, for_each.range(), message);
                (Expansion::ForEach, true, Vec::new())
            }
        }
    }

    /// The value a reference to resource `key` sees.
    pub(super) fn resource_reference(&self, key: &str) -> Reference {
        self.instances_reference(key, &self.resource(key))
    }

    /// The value a reference to the data source `TYPE.NAME` (`key`) of type `data_type`
    /// sees, when its attributes are computed from its configuration (see
    /// [`documents`](super::documents)); `None` for one read from the provider.
    pub(super) fn data_reference(&self, data_type: &str, key: &str) -> Option<Reference> {
        if !documents::computes(data_type) {
            return None;
        }
        let declared = self.data_sources.get(key)?;
        let key = format!("data.{key}");
        let expanded = self.expanded(&key, Some(declared), |attributes| {
            documents::complete(data_type, attributes);
        });
        Some(self.instances_reference(&key, &expanded))
    }

    /// The value a reference to the instances `expanded` of block `key` sees.
    fn instances_reference(&self, key: &str, expanded: &Expanded) -> Reference {
        let address = format!("{}{key}", self.prefix);
        if !expanded.known {
            let reason = if expanded.in_cycle {
                format!("`{address}` refers back to itself through other blocks (a cycle)")
            } else {
                format!(
                    "the instances of `{address}` are not known (their count or for_each is \
                     unknown)"
                )
            };
            return Reference::Value(Value::reference(reason, address));
        }
        let value = match expanded.expansion {
            Expansion::Single => expanded
                .instances
                .first()
                .map_or(Value::Null, |i| i.attributes.clone()),
            Expansion::Count => Value::List(
                expanded
                    .instances
                    .iter()
                    .map(|i| i.attributes.clone())
                    .collect(),
            ),
            Expansion::ForEach => Value::Object(
                expanded
                    .instances
                    .iter()
                    .filter_map(|i| Some((i.key.to_text()?, i.attributes.clone())))
                    .collect(),
            ),
        };
        Reference::Resource {
            value,
            address,
            expansion: expanded.expansion,
        }
    }
}
