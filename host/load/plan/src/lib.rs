//! Terraform plan JSON, as `terraform show -json PLAN` writes it: one resource per managed
//! resource change, with the attributes applying the plan would give it (`change.after`),
//! already in the shape policies read (nested blocks are lists of objects).
//!
//! Values Terraform knows only after apply (`after_unknown`) become unknowns; where the
//! plan's `configuration` says such a value refers to another resource, the unknown names
//! that resource, so that policies can still link the two. Sensitive values
//! (`after_sensitive`) are kept, and their paths recorded in [`Resource::sensitive`]: the
//! built-in rules decide on them, while other policies get unknowns and reports never
//! show them; a marker that does not match its value hides the whole value and is
//! reported ([`sensitive`]). A value named like a secret (`password`) stays known only
//! when the configuration writes it, a literal or a variable default ([`secrets`]).
//! Spans point into the plan file: a resource at its `address`,
//! an attribute at its value in `change.after` (a sensitive one at its resource, so that
//! no report quotes the line that holds it).

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

mod configuration;
mod early;
mod planned;
mod secrets;
mod sensitive;

use rayon::prelude::*;
use serde::Deserialize;
use serde::de::{Deserializer, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use configuration::Configuration;
pub use early::Early;
use palisade_model::{
    Limit, Limits, LineIndex, LoadError, Resource, Span, Spans, unknown, unknown_ref,
};
use palisade_syntax::{Node, NodeValue, json};

/// Which resource changes a plan check looks at: by default what applying the plan would
/// change, since the rest was checked when it was applied.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum PlanScope {
    /// Resources the plan creates, updates or replaces.
    #[default]
    Changed,
    /// Also resources the plan leaves unchanged (`no-op`) or only reads.
    All,
}

/// Why a value is unknown when Terraform computes it during apply.
const AFTER_APPLY: &str = "known after apply";
/// Why a sensitive value is unknown: it is never shown.
const SENSITIVE: &str = "sensitive value, not shown";

/// The most attribute positions kept for one resource.
const MAX_SPANS: usize = Resource::MAX_SPANS;

/// What a zip archive starts with: a binary plan as `terraform plan -out` writes it.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// Whether `bytes` (the file's first bytes at least) are a binary plan, as `terraform
/// plan -out` writes it: a zip archive that the user named or whose name says it is a plan.
pub fn is_binary_plan(file: &Path, bytes: &[u8], explicit: bool) -> bool {
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let named_as_plan = name == "tfplan" || name.ends_with(".tfplan") || name.ends_with(".plan");
    bytes.starts_with(ZIP_MAGIC) && (explicit || named_as_plan)
}

/// The error for a binary plan, which says how to get the JSON this loader reads.
pub fn binary_plan_error(file: &Path) -> LoadError {
    LoadError::whole_file(
        file,
        "this is a binary Terraform plan; run `terraform show -json PLAN > plan.json` and \
         check that",
    )
}

/// Whether a JSON object with these top-level entries ([`json::top_level`]) is a plan.
pub fn is_plan(parts: &[(String, Range<usize>)]) -> bool {
    let has = |key: &str| parts.iter().any(|(k, _)| k == key);
    has("format_version") && (has("planned_values") || has("resource_changes"))
}

/// A plan's text and where its lines start, kept as long as its resources: the
/// positions of a resource's values are found in it when a finding first needs them.
#[derive(Debug)]
pub struct PlanText {
    /// The whole file.
    pub text: String,
    /// Where its lines start, for positions.
    pub lines: LineIndex,
}

/// The resources of the plan `plan` (the contents of `file`, with top-level entries
/// `parts`, and `early` what was read of it before), and the problems that kept some of
/// them out.
///
/// A large plan never sits in memory as one tree: resource changes are read by serde
/// straight from the text (a malformed one is read again as a tree, to say where it is
/// wrong), a chunk of them at a time, and the parts read for positions and references
/// are read one resource at a time. A change whose values would take more than
/// `limits.value_size` to build is refused before it is built, and the resources stop at
/// `limits.instances`. The first `max_errors` problems are kept and the others only
/// counted, so that a plan of ten million broken changes costs no more than its text.
pub fn resources(
    plan: &Arc<PlanText>,
    parts: &[(String, Range<usize>)],
    early: Early,
    file: &Path,
    options: &Options,
) -> PlanLoad {
    let PlanText { text, lines } = &**plan;
    let mut load = PlanLoad::default();
    let located = |lines: &LineIndex, problem: SourceError| LoadError {
        file: file.to_path_buf(),
        position: lines.position(text, problem.range.start),
        message: problem.message,
    };
    let part = |key: &str| {
        let (_, range) = parts.iter().find(|(k, _)| k == key)?;
        json::parse_part(text, range.clone())
    };
    if let Err(problem) = check_version(part("format_version").as_ref()) {
        load.errors.push(located(lines, problem));
        return load;
    }
    let Some((_, range)) = parts.iter().find(|(key, _)| key == "resource_changes") else {
        return load;
    };
    let list = &text[range.clone()];
    let range = |key: &str| parts.iter().find(|(k, _)| k == key).map(|(_, r)| r.clone());
    // What was not read early, or not where the plan has it, is read now, side by side.
    let Early {
        configuration: early_configuration,
        planned: early_planned,
    } = early;
    let (planned, configuration) = rayon::join(
        || {
            range("planned_values")
                .map(|range| {
                    early_planned
                        .at(&range)
                        .unwrap_or_else(|| planned::positions(text, range))
                })
                .unwrap_or_default()
        },
        || {
            range("configuration")
                .map(|range| {
                    early_configuration
                        .at(&range)
                        .unwrap_or_else(|| configuration::read(&text[range]))
                })
                .unwrap_or_default()
        },
    );
    let given = range("variables")
        .map(|range| secrets::given(text, range, lines))
        .unwrap_or_default();
    let located = |problem| located(lines, problem);
    let plan = Plan {
        source: plan,
        file,
        options,
        configuration,
        given,
        planned,
        after_apply: unknown(AFTER_APPLY),
        not_shown: unknown(SENSITIVE),
    };
    let read = in_chunks(
        list,
        |chunk| {
            chunk
                .par_iter()
                .map(|change| plan.resource(change.get()))
                .collect()
        },
        |chunk, results: Vec<_>| {
            for (result, change) in results.into_iter().zip(chunk) {
                let problem = match result {
                    Ok(Some(_)) if load.resources.len() as u64 == options.limits.instances => {
                        load.errors.push(located(plan.too_many(change.get())));
                        return false;
                    }
                    Ok(Some((resource, problem))) => {
                        load.resources.push(resource);
                        problem
                    }
                    Ok(None) => None,
                    Err(problem) => Some(problem),
                };
                match problem {
                    Some(problem) if load.errors.len() < options.max_errors => {
                        load.errors.push(located(problem));
                    }
                    Some(_) => load.unreported += 1,
                    None => {}
                }
            }
            true
        },
    );
    if read.is_err() {
        let problem = SourceError::new(&range_in(text, list), "`resource_changes` must be a list");
        load.errors.push(located(problem));
    }
    load
}

/// Builds the resource changes of `list` (the text of `resource_changes`) with `build`,
/// a chunk at a time, and hands each chunk and what was built of it to `take` in order,
/// until `take` says to stop: a plan of ten million changes never holds them all at
/// once. The next chunk is scanned while the last one is built.
fn in_chunks<'t, R: Send>(
    list: &'t str,
    build: impl Fn(&[&'t RawValue]) -> R + Sync,
    take: impl FnMut(&[&'t RawValue], R) -> bool,
) -> serde_json::Result<()> {
    struct Chunks<B, T>(B, T);
    impl<'t, R, B, T> Visitor<'t> for Chunks<B, T>
    where
        R: Send,
        B: Fn(&[&'t RawValue]) -> R + Sync,
        T: FnMut(&[&'t RawValue], R) -> bool,
    {
        type Value = ();

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list of resource changes")
        }

        fn visit_seq<A: SeqAccess<'t>>(mut self, mut seq: A) -> Result<(), A::Error> {
            let mut chunk = next_chunk(&mut seq)?;
            while !chunk.is_empty() {
                let mut built = None;
                let next = rayon::in_place_scope(|scope| {
                    scope.spawn(|_| built = Some((self.0)(&chunk)));
                    next_chunk(&mut seq)
                });
                // The scope has waited for the chunk to be built.
                if let Some(built) = built
                    && !(self.1)(&chunk, built)
                {
                    return Ok(());
                }
                chunk = next?;
            }
            Ok(())
        }
    }
    fn next_chunk<'t, A: SeqAccess<'t>>(seq: &mut A) -> Result<Vec<&'t RawValue>, A::Error> {
        let mut chunk = Vec::with_capacity(CHUNK);
        while chunk.len() < CHUNK {
            match seq.next_element()? {
                Some(change) => chunk.push(change),
                None => break,
            }
        }
        Ok(chunk)
    }
    let mut reader = serde_json::Deserializer::from_str(list);
    reader.deserialize_seq(Chunks(build, take))?;
    reader.end()
}

/// How many resource changes are read in parallel before their results are collected.
const CHUNK: usize = 4096;

/// How a plan is read.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub scope: PlanScope,
    pub limits: Limits,
    /// How many problems are kept; the others are only counted.
    pub max_errors: usize,
}

/// What a plan gave: its resources, the first problems found, and how many more there
/// were.
#[derive(Debug, Default)]
pub struct PlanLoad {
    pub resources: Vec<Resource>,
    pub errors: Vec<LoadError>,
    /// Problems found past the first [`Options::max_errors`], counted only.
    pub unreported: usize,
}

/// A problem at a byte range of the plan file.
#[derive(Debug)]
struct SourceError {
    range: Range<usize>,
    message: String,
}

impl SourceError {
    fn new(range: &Range<usize>, message: impl Into<String>) -> Self {
        Self {
            range: range.clone(),
            message: message.into(),
        }
    }
}

/// Plan formats 0.1 to 1.2 share one shape; a new major version may not.
fn check_version(format_version: Option<&Node>) -> Result<(), SourceError> {
    let Some(node) = format_version else {
        return Err(SourceError::new(&(0..0), "missing `format_version`"));
    };
    let version = node
        .as_str()
        .ok_or_else(|| SourceError::new(&node.span, "`format_version` must be a string"))?;
    match version.split('.').next() {
        Some("0" | "1") => Ok(()),
        _ => Err(SourceError::new(
            &node.span,
            format!(
                "unsupported Terraform plan format_version {version:?}; \
                 versions 0.x and 1.x are supported"
            ),
        )),
    }
}

/// Everything one resource change needs from the rest of the plan.
struct Plan<'a> {
    /// The plan's text and lines, shared with the resources for the positions found
    /// later.
    source: &'a Arc<PlanText>,
    file: &'a Path,
    options: &'a Options,
    /// What the plan's `configuration` says of each resource.
    configuration: Configuration,
    /// The values the plan's variables were given.
    given: secrets::Given,
    /// Where each resource address appears in `planned_values`: where a reader of the
    /// plan sees its values, so findings point there.
    planned: planned::Positions,
    /// The unknowns a value known after apply and a sensitive value become, built once.
    after_apply: Value,
    not_shown: Value,
}

/// One resource change as Terraform writes it, with what a check reads of it.
#[derive(Debug, Deserialize)]
struct Change {
    address: String,
    mode: String,
    #[serde(rename = "type")]
    resource_type: String,
    name: String,
    module_address: Option<String>,
    change: Details,
}

/// Where a resource change writes its address and the values read of it.
#[derive(Deserialize)]
struct Written<'a> {
    #[serde(borrow)]
    address: &'a RawValue,
    #[serde(borrow)]
    change: WrittenDetails<'a>,
}

#[derive(Deserialize)]
struct WrittenDetails<'a> {
    #[serde(borrow)]
    after: Option<&'a RawValue>,
    #[serde(borrow)]
    after_unknown: Option<&'a RawValue>,
    #[serde(borrow)]
    after_sensitive: Option<&'a RawValue>,
}

#[derive(Debug, Deserialize)]
struct Details {
    actions: Vec<String>,
    after: Option<Value>,
    after_unknown: Option<Value>,
    after_sensitive: Option<Value>,
}

impl Plan<'_> {
    /// The whole plan text.
    fn text(&self) -> &str {
        &self.source.text
    }

    /// The resource for the change written at `raw` (a slice of the plan text) and a
    /// problem that did not keep it out, or `None` for a change the scope leaves out.
    fn resource(&self, raw: &str) -> Result<Option<(Resource, Option<SourceError>)>, SourceError> {
        let range = range_in(self.text(), raw);
        self.check_size(raw, &range)?;
        let mut change: Change =
            serde_json::from_str(raw).map_err(|error| self.malformed(range.clone(), &error))?;
        if change.mode != "managed" || !self.in_scope(&change.change.actions) {
            return Ok(None);
        }
        let (header, values) = match self.planned.take(&change.address) {
            Some(planned) => (self.span(planned.header), planned.values),
            None => self.written_in_change(range.clone())?,
        };
        let mut attributes = match change.change.after.take() {
            Some(after @ Value::Object(_)) => after,
            _ => Value::Object(Map::new()),
        };
        let key = configuration_key(&change);
        if let Some(after_unknown) = &change.change.after_unknown {
            overlay(&mut attributes, after_unknown, &self.after_apply);
            self.link(&key, change.module_address.as_deref(), &mut attributes);
            self.drop_omitted(&key, &mut attributes);
        }
        let mut origins = BTreeMap::new();
        let trace = secrets::Trace {
            settings: self.configuration.secrets.get(&key),
            defaults: &self.configuration.defaults,
            given: &self.given,
            file: self.file,
        };
        trace.apply(&mut attributes, &mut origins);
        let mut problem = None;
        let mut sensitive = Vec::new();
        if let Some(after_sensitive) = &change.change.after_sensitive {
            let hidden = sensitive::mark(&mut attributes, after_sensitive, &self.not_shown);
            if !hidden.malformed.is_empty() {
                problem = Some(self.malformed_sensitive(range, &change.address, &hidden));
            }
            sensitive.extend(hidden.paths);
            sensitive.sort();
        }

        let spans = match values {
            Some(values) => Spans::deferred(Arc::new(planned::ValueSpans {
                plan: Arc::clone(self.source),
                values,
                hidden: sensitive.clone(),
            })),
            None => Spans::default(),
        };
        let resource = Resource {
            resource_type: change.resource_type,
            address: change.address,
            file: self.file.to_path_buf(),
            span: header,
            attributes,
            spans,
            origins,
            sensitive,
        };
        Ok(Some((resource, problem)))
    }

    /// Refuses the change written at `raw` (at `range`) when building its values would
    /// take more than the value size limit: a list of ten million numbers is 20 MB of
    /// text and twenty times that built. Only a change large enough to be in doubt is
    /// counted, so that others cost nothing.
    fn check_size(&self, raw: &str, range: &Range<usize>) -> Result<(), SourceError> {
        const PER_VALUE: u64 = std::mem::size_of::<Value>() as u64;
        let limits = &self.options.limits;
        if (raw.len() as u64).saturating_mul(PER_VALUE + 1) <= limits.value_size {
            return Ok(());
        }
        let written: Written =
            serde_json::from_str(raw).map_err(|error| self.malformed(range.clone(), &error))?;
        let details = &written.change;
        let parts = [
            ("after", details.after),
            ("after_unknown", details.after_unknown),
            ("after_sensitive", details.after_sensitive),
        ];
        for (name, part) in parts {
            let Some(text) = part.map(RawValue::get) else {
                continue;
            };
            let bytes = text.len() as u64 + json::count_values(text) * PER_VALUE;
            if bytes > limits.value_size {
                let what = format!("`{name}` of this resource change takes {bytes} bytes");
                let message = limits.exceeded(Limit::ValueSize, what);
                return Err(SourceError::new(range, message));
            }
        }
        Ok(())
    }

    /// The problem of the change written at `raw`, one resource past the limit.
    fn too_many(&self, raw: &str) -> SourceError {
        let limits = &self.options.limits;
        let what = format!("this plan checks more than {} resources", limits.instances);
        SourceError::new(
            &range_in(self.text(), raw),
            limits.exceeded(Limit::Instances, what),
        )
    }

    /// The problem of a change at `range` whose `after_sensitive` does not match `after`
    /// where `hidden` says, located at its `after_sensitive`; never quoting a value.
    fn malformed_sensitive(
        &self,
        range: Range<usize>,
        address: &str,
        hidden: &sensitive::Hidden,
    ) -> SourceError {
        let at = json::parse_part(self.text(), range.clone())
            .and_then(|node| {
                Some(
                    node.get("change")?
                        .value
                        .get("after_sensitive")?
                        .key_span
                        .clone(),
                )
            })
            .unwrap_or(range);
        let message = match hidden.malformed.as_slice() {
            [whole] if whole.is_empty() => format!(
                "`after_sensitive` of `{address}` does not match `after`: every attribute is \
                 treated as a sensitive value"
            ),
            [first, rest @ ..] => {
                let more = match rest.len() {
                    0 => String::new(),
                    n => format!(" and {n} more places"),
                };
                format!(
                    "`after_sensitive` of `{address}` does not match `after` at `{first}`{more}: \
                     treated as a sensitive value"
                )
            }
            [] => String::new(),
        };
        SourceError::new(&at, message)
    }

    /// Why the change at `range` is not one Terraform writes, located as precisely as its
    /// tree allows.
    fn malformed(&self, range: Range<usize>, error: &serde_json::Error) -> SourceError {
        let Some(node) = json::parse_part(self.text(), range.clone()) else {
            return SourceError::new(&range, format!("a malformed resource change: {error}"));
        };
        let problem = (|| {
            string(&node, "mode")?;
            string(&node, "address")?;
            string(&node, "type")?;
            string(&node, "name")?;
            let details = node
                .get("change")
                .map(|entry| &entry.value)
                .filter(|node| node.as_object().is_some())
                .ok_or_else(|| {
                    SourceError::new(&node.span, "a resource change without `change`")
                })?;
            let actions = details
                .get("actions")
                .and_then(|entry| match &entry.value.value {
                    NodeValue::Array(items) => {
                        items.iter().map(Node::as_str).collect::<Option<Vec<_>>>()
                    }
                    _ => None,
                });
            if actions.is_none() {
                return Err(SourceError::new(
                    &details.span,
                    "`actions` must be a list of strings",
                ));
            }
            Err(SourceError::new(
                &node.span,
                format!("a malformed resource change: {error}"),
            ))
        })();
        problem.unwrap_or_else(|problem| problem)
    }

    /// Where the change at `range` writes its address, and the range of its `after`:
    /// where a resource that `planned_values` does not list is written.
    fn written_in_change(
        &self,
        range: Range<usize>,
    ) -> Result<(Span, Option<Range<usize>>), SourceError> {
        let written: Written = serde_json::from_str(&self.text()[range.clone()])
            .map_err(|_| SourceError::new(&range, "a malformed resource change"))?;
        let header = self.span(range_in(self.text(), written.address.get()));
        let after = written
            .change
            .after
            .map(|after| range_in(self.text(), after.get()));
        Ok((header, after))
    }

    /// Whether the change's actions are ones this scope checks. Deletions never are:
    /// nothing of the resource is left to be insecure.
    fn in_scope(&self, actions: &[String]) -> bool {
        let actions: Vec<&str> = actions.iter().map(String::as_str).collect();
        match actions.as_slice() {
            ["create"] | ["update"] | ["delete", "create"] | ["create", "delete"] => true,
            ["no-op"] | ["read"] => self.options.scope == PlanScope::All,
            _ => false,
        }
    }

    fn span(&self, range: Range<usize>) -> Span {
        self.source.lines.span(self.text(), range)
    }

    /// Removes the top-level attributes that are unknown only because the configuration
    /// omits them and the provider computes them (`encrypted` of an `aws_ebs_volume`): the
    /// rules then see them omitted, which is what the configuration says, rather than
    /// undecidable. Without a `configuration` section nothing is removed.
    fn drop_omitted(&self, key: &str, attributes: &mut Value) {
        let (Some(configured), Value::Object(attributes)) =
            (self.configuration.configured.get(key), attributes)
        else {
            return;
        };
        attributes.retain(|name, value| *value != self.after_apply || configured.contains(name));
    }

    /// Turns the unknown top-level attributes that the configuration (at `key`) says refer
    /// to another resource into references to it, inside `module`.
    fn link(&self, key: &str, module: Option<&str>, attributes: &mut Value) {
        let (Some(targets), Value::Object(attributes)) =
            (self.configuration.references.get(key), attributes)
        else {
            return;
        };
        for (attribute, target) in targets {
            if let Some(value) = attributes.get_mut(attribute)
                && *value == self.after_apply
            {
                let target = match module {
                    Some(module) => format!("{module}.{target}"),
                    None => target.clone(),
                };
                *value = unknown_ref(AFTER_APPLY, target);
            }
        }
    }
}

/// The configuration address of a resource change: its module path without instance keys,
/// then `type.name`.
fn configuration_key(change: &Change) -> String {
    match &change.module_address {
        Some(module) => format!(
            "{}.{}.{}",
            without_indexes(module),
            change.resource_type,
            change.name
        ),
        None => format!("{}.{}", change.resource_type, change.name),
    }
}

/// The string value of `key` in `node`, with its byte range.
fn string<'a>(node: &'a Node, key: &str) -> Result<(&'a str, Range<usize>), SourceError> {
    let entry = node.get(key).ok_or_else(|| {
        SourceError::new(&node.span, format!("a resource change without `{key}`"))
    })?;
    let value = entry
        .value
        .as_str()
        .ok_or_else(|| SourceError::new(&entry.value.span, format!("`{key}` must be a string")))?;
    Ok((value, entry.value.span.clone()))
}

/// Replaces every value of `attributes` that `mirror` (the same structure) marks `true`
/// by `mark`, adding object keys that `attributes` lacks.
fn overlay(attributes: &mut Value, mirror: &Value, mark: &Value) {
    if *mirror == Value::Bool(true) {
        // The whole object: each attribute of it, so that attributes stay an object.
        if let Value::Object(map) = attributes {
            for value in map.values_mut() {
                *value = mark.clone();
            }
        }
    } else {
        overlay_at(attributes, mirror, mark);
    }
}

fn overlay_at(value: &mut Value, mirror: &Value, mark: &Value) {
    match (mirror, value) {
        (Value::Bool(true), value) => *value = mark.clone(),
        (Value::Object(mirror), Value::Object(map)) => {
            for (key, inner) in mirror {
                match map.get_mut(key) {
                    Some(child) => overlay_at(child, inner, mark),
                    None if *inner == Value::Bool(true) => {
                        map.insert(key.clone(), mark.clone());
                    }
                    None => {}
                }
            }
        }
        (Value::Array(mirror), Value::Array(items)) => {
            for (item, inner) in items.iter_mut().zip(mirror) {
                overlay_at(item, inner, mark);
            }
        }
        _ => {}
    }
}

/// Where `part`, a slice of `text`, lies in it.
fn range_in(text: &str, part: &str) -> Range<usize> {
    let start = (part.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
    start..start + part.len()
}

/// `address` without its instance keys: `module.a["k"].x.y[0]` -> `module.a.x.y`, the
/// block that wrote every instance.
pub fn without_indexes(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let (mut in_brackets, mut in_string, mut escaped) = (false, false, false);
    for c in address.chars() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '[' => in_brackets = true,
            ']' => in_brackets = false,
            '"' if in_brackets => in_string = true,
            _ if !in_brackets => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_model::Position;
    use serde_json::json;

    fn options(scope: PlanScope, max_errors: usize) -> Options {
        Options {
            scope,
            max_errors,
            ..Options::default()
        }
    }

    /// Reads the plan `text` as the loader does.
    fn read(text: &str, options: &Options) -> PlanLoad {
        let parts = json::top_level(text).unwrap();
        let plan = Arc::new(PlanText {
            text: text.to_owned(),
            lines: LineIndex::new(text),
        });
        let early = Early::read(text);
        resources(&plan, &parts, early, Path::new("plan.json"), options)
    }

    fn load(plan: &Value, scope: PlanScope) -> (Vec<Resource>, Vec<LoadError>) {
        let text = serde_json::to_string_pretty(plan).unwrap();
        let load = read(&text, &options(scope, usize::MAX));
        (load.resources, load.errors)
    }

    fn change(address: &str, actions: &[&str], after: Value) -> Value {
        json!({
            "address": address,
            "mode": "managed",
            "type": "aws_s3_bucket",
            "name": "b",
            "change": {"actions": actions, "after": after}
        })
    }

    fn plan(changes: Vec<Value>) -> Value {
        json!({"format_version": "1.2", "resource_changes": changes})
    }

    fn addresses(plan: &Value, scope: PlanScope) -> Vec<String> {
        let (resources, errors) = load(plan, scope);
        assert_eq!(errors, []);
        resources.into_iter().map(|r| r.address).collect()
    }

    #[test]
    fn actions_decide_what_is_checked() {
        let changes = [
            ("a", vec!["create"]),
            ("b", vec!["update"]),
            ("c", vec!["delete", "create"]),
            ("d", vec!["create", "delete"]),
            ("e", vec!["delete"]),
            ("f", vec!["no-op"]),
            ("g", vec!["read"]),
        ];
        let plan = plan(
            changes
                .iter()
                .map(|(a, actions)| change(a, actions, json!({})))
                .collect(),
        );
        assert_eq!(addresses(&plan, PlanScope::Changed), ["a", "b", "c", "d"]);
        assert_eq!(
            addresses(&plan, PlanScope::All),
            ["a", "b", "c", "d", "f", "g"]
        );
    }

    #[test]
    fn data_sources_are_skipped() {
        let mut data = change("data.aws_s3_bucket.b", &["read"], json!({}));
        data["mode"] = json!("data");
        assert_eq!(
            addresses(&plan(vec![data]), PlanScope::All),
            [] as [&str; 0]
        );
    }

    #[test]
    fn modules_and_indexed_addresses_are_kept_as_given() {
        let address = r#"module.a["k"].aws_s3_bucket.b[0]"#;
        let plan = plan(vec![change(
            address,
            &["create"],
            json!({"acl": "private"}),
        )]);
        let (resources, _) = load(&plan, PlanScope::Changed);
        assert_eq!(resources[0].address, address);
        assert_eq!(resources[0].resource_type, "aws_s3_bucket");
        assert_eq!(resources[0].attributes, json!({"acl": "private"}));
        assert_eq!(
            without_indexes(r#"module.a["k]\"x"].t.n[0]"#),
            "module.a.t.n"
        );
    }

    #[test]
    fn spans_point_at_the_address_and_the_values_in_after() {
        let text = r#"{"format_version": "1.0", "resource_changes": [
  {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b",
   "change": {"actions": ["create"], "after": {
     "acl": "public-read",
     "rule": [{"days": 3}]}}}]}"#;
        let load = read(text, &options(PlanScope::Changed, 10));
        assert_eq!(load.errors, []);
        let r = &load.resources[0];
        assert_eq!(
            r.span,
            Span::new(Position::new(2, 15), Position::new(2, 32))
        );
        assert_eq!(r.locate("acl").start, Position::new(4, 13));
        assert_eq!(r.locate("rule[0].days").start, Position::new(5, 24));
    }

    #[test]
    fn unknown_values_follow_after_unknown() {
        let mut c = change(
            "aws_s3_bucket.b",
            &["create"],
            json!({"acl": "private", "rule": [{"days": 3, "id": null}]}),
        );
        c["change"]["after_unknown"] = json!({"arn": true, "rule": [{"id": true}], "acl": false});
        let (resources, _) = load(&plan(vec![c]), PlanScope::Changed);
        assert_eq!(
            resources[0].attributes,
            json!({
                "acl": "private",
                "rule": [{"days": 3, "id": unknown(AFTER_APPLY)}],
                "arn": unknown(AFTER_APPLY),
            })
        );
    }

    #[test]
    fn sensitive_values_are_kept_recorded_and_lose_their_spans() {
        let mut c = change(
            "aws_db_instance.d",
            &["create"],
            json!({"username": "hunter2", "tags": {"secret-key": "v"}, "port": 5432}),
        );
        c["change"]["after_sensitive"] = json!({"username": true, "tags": true});
        let (resources, _) = load(&plan(vec![c]), PlanScope::Changed);
        let r = &resources[0];
        assert_eq!(r.attributes["username"], json!("hunter2"));
        assert_eq!(r.sensitive, ["tags", "username"]);
        assert!(r.spans.contains_key("port"));
        assert!(
            !r.spans
                .keys()
                .any(|k| k.starts_with("username") || k.starts_with("tags"))
        );
        assert_eq!(r.locate("username"), r.span);

        let mut whole = change("aws_db_instance.d", &["create"], json!({"username": "x"}));
        whole["change"]["after_sensitive"] = json!(true);
        let (resources, _) = load(&plan(vec![whole]), PlanScope::Changed);
        assert_eq!(resources[0].attributes, json!({"username": "x"}));
        assert_eq!(resources[0].sensitive, ["username"]);
    }

    #[test]
    fn malformed_sensitive_markers_hide_the_value_and_are_reported() {
        let cases = [
            (json!({"encrypted": [true]}), "at `encrypted`"),
            (json!("true"), "every attribute"),
            (json!(1), "every attribute"),
        ];
        for (marker, says) in cases {
            let mut c = change(
                "aws_ebs_volume.v",
                &["create"],
                json!({"encrypted": "hunter2"}),
            );
            c["change"]["after_sensitive"] = marker.clone();
            let (resources, errors) = load(&plan(vec![c]), PlanScope::Changed);
            assert_eq!(
                resources[0].attributes,
                json!({"encrypted": unknown(SENSITIVE)}),
                "{marker}"
            );
            let [error] = errors.as_slice() else {
                panic!("{errors:?}")
            };
            assert!(error.message.contains(says), "{}", error.message);
            assert!(!error.message.contains("hunter2"), "{}", error.message);
            assert_eq!(error.position.line, 16, "{marker}");
        }
    }

    #[test]
    fn unknown_references_name_the_resource_from_the_configuration() {
        let acl = |module: Option<&str>| {
            let address = match module {
                Some(m) => format!("{m}.aws_s3_bucket_acl.a"),
                None => "aws_s3_bucket_acl.a".to_owned(),
            };
            let mut c = change(&address, &["create"], json!({"acl": "public-read"}));
            c["type"] = json!("aws_s3_bucket_acl");
            c["name"] = json!("a");
            if let Some(m) = module {
                c["module_address"] = json!(m);
            }
            c["change"]["after_unknown"] = json!({"bucket": true});
            c
        };
        let resource = json!({
            "address": "aws_s3_bucket_acl.a",
            "expressions": {
                "bucket": {"references": ["aws_s3_bucket.b.id", "aws_s3_bucket.b"]},
                "acl": {"constant_value": "public-read"}
            }
        });
        let mut plan = plan(vec![acl(None), acl(Some(r#"module.m["x"]"#))]);
        plan["configuration"] = json!({"root_module": {
            "resources": [resource],
            "module_calls": {"m": {"module": {"resources": [resource]}}}
        }});
        let (resources, _) = load(&plan, PlanScope::Changed);
        assert_eq!(
            resources[0].attributes["bucket"],
            unknown_ref(AFTER_APPLY, "aws_s3_bucket.b")
        );
        assert_eq!(
            resources[1].attributes["bucket"],
            unknown_ref(AFTER_APPLY, r#"module.m["x"].aws_s3_bucket.b"#)
        );
    }

    #[test]
    fn the_configuration_read_early_is_used_only_where_the_plan_has_it() {
        let mut c = change("aws_s3_bucket_acl.a", &["create"], json!({}));
        c["type"] = json!("aws_s3_bucket_acl");
        c["name"] = json!("a");
        c["change"]["after_unknown"] = json!({"bucket": true});
        let configuration = json!({"root_module": {"resources": [{
            "address": "aws_s3_bucket_acl.a",
            "expressions": {"bucket": {"references": ["aws_s3_bucket.b"]}}
        }]}});
        let mut written = plan(vec![c.clone()]);
        written["configuration"] = configuration.clone();
        let text = serde_json::to_string_pretty(&written).unwrap();
        let parts = json::top_level(&text).unwrap();
        let (_, range) = parts.iter().find(|(k, _)| k == "configuration").unwrap();
        assert!(Early::read(&text).configuration.at(range).is_some());

        // An attribute that looks like a configuration comes first: the plan's own is read.
        c["change"]["after"] = json!({"configuration": {"root_module": {}}});
        let mut lookalike = plan(vec![c]);
        lookalike["configuration"] = configuration;
        let text = serde_json::to_string_pretty(&lookalike).unwrap();
        let parts = json::top_level(&text).unwrap();
        let (_, range) = parts.iter().find(|(k, _)| k == "configuration").unwrap();
        assert!(Early::read(&text).configuration.at(range).is_none());
        let (resources, _) = load(&lookalike, PlanScope::Changed);
        assert_eq!(
            resources[0].attributes["bucket"],
            unknown_ref(AFTER_APPLY, "aws_s3_bucket.b")
        );
    }

    #[test]
    fn planned_values_read_early_are_used_only_where_the_plan_has_them() {
        let planned = json!({"root_module": {"resources": [
            {"address": "aws_s3_bucket.b", "values": {"acl": "public-read"}}
        ]}});
        let mut written = plan(vec![change("aws_s3_bucket.b", &["create"], json!({}))]);
        written["planned_values"] = planned.clone();
        let mut lookalike = json!({"format_version": "1.2", "variables": {
            "v": {"value": {"planned_values": {"root_module": {}}}}
        }});
        for (key, value) in written.as_object().unwrap() {
            lookalike[key] = value.clone();
        }
        for (plan, early) in [(written, true), (lookalike, false)] {
            let text = serde_json::to_string_pretty(&plan).unwrap();
            let parts = json::top_level(&text).unwrap();
            let (_, range) = parts.iter().find(|(k, _)| k == "planned_values").unwrap();
            assert_eq!(Early::read(&text).planned.at(range).is_some(), early);
            let (resources, _) = load(&plan, PlanScope::Changed);
            let at = resources[0].locate("acl").start.to_offset(&text);
            assert!(range.contains(&at), "{early}");
        }
    }

    #[test]
    fn every_version_of_the_format_is_read_and_an_unknown_major_is_an_error() {
        for version in ["0.1", "0.2", "1.0", "1.1", "1.2"] {
            let mut p = plan(vec![change("a", &["create"], json!({}))]);
            p["format_version"] = json!(version);
            assert_eq!(addresses(&p, PlanScope::Changed), ["a"], "{version}");
        }
        let mut p = plan(vec![change("a", &["create"], json!({}))]);
        p["format_version"] = json!("2.0");
        let (resources, errors) = load(&p, PlanScope::Changed);
        assert!(resources.is_empty());
        assert_eq!(errors[0].position, Position::new(2, 21));
        assert!(
            errors[0].message.contains("\"2.0\""),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn malformed_changes_are_located_errors() {
        let mut c = change("a", &["create"], json!({}));
        c["type"] = json!(3);
        let (resources, errors) = load(&plan(vec![c]), PlanScope::Changed);
        assert!(resources.is_empty());
        assert_eq!(errors[0].message, "`type` must be a string");
    }

    #[test]
    fn problems_past_the_first_are_counted_not_kept() {
        let text = format!(
            r#"{{"format_version": "1.2", "resource_changes": [{}]}}"#,
            vec!["{}"; 10_000].join(",")
        );
        let load = read(&text, &options(PlanScope::Changed, 3));
        assert_eq!(load.errors.len(), 3);
        assert_eq!(load.unreported, 9_997);
        assert_eq!(load.errors[0].position, Position::new(1, 48));
        assert_eq!(load.errors[2].position, Position::new(1, 54));
    }

    #[test]
    fn a_huge_value_keeps_its_first_positions() {
        let items = vec!["0"; MAX_SPANS + 10].join(",");
        let mut c = change("aws_s3_bucket.b", &["create"], json!({}));
        c["change"]["after"] = json!({"l": []});
        let text = serde_json::to_string(&plan(vec![c]))
            .unwrap()
            .replace(r#""l":[]"#, &format!(r#""l":[{items}]"#));
        let load = read(&text, &options(PlanScope::Changed, 10));
        let r = &load.resources[0];
        assert_eq!(r.attributes["l"].as_array().unwrap().len(), MAX_SPANS + 10);
        assert_eq!(r.spans.len(), MAX_SPANS);
        assert!(r.spans.contains_key("l"));
        assert!(!r.spans.contains_key(&format!("l[{}]", MAX_SPANS)));
    }

    #[test]
    fn a_change_too_large_to_build_is_refused_before_it_is_built() {
        let big = change(
            "alicloud_disk.big",
            &["create"],
            json!({"l": vec![0; 1_000]}),
        );
        let small = change(
            "alicloud_disk.small",
            &["create"],
            json!({"encrypted": false}),
        );
        let text = serde_json::to_string_pretty(&plan(vec![big, small])).unwrap();
        let options = Options {
            limits: Limits {
                value_size: 20_000,
                ..Limits::default()
            },
            ..options(PlanScope::Changed, 10)
        };
        let load = read(&text, &options);
        assert_eq!(load.resources.len(), 1);
        assert_eq!(load.resources[0].address, "alicloud_disk.small");
        let [error] = load.errors.as_slice() else {
            panic!("{:?}", load.errors);
        };
        assert_eq!(error.position, Position::new(4, 5));
        assert!(
            error
                .message
                .starts_with("`after` of this resource change takes")
                && error
                    .message
                    .ends_with("over the limit of 20000 bytes (--max-value-size)"),
            "{}",
            error.message
        );
    }

    #[test]
    fn resources_stop_at_the_instance_limit() {
        let changes = (0..5)
            .map(|i| change(&format!("alicloud_disk.d{i}"), &["create"], json!({})))
            .collect();
        let text = serde_json::to_string_pretty(&plan(changes)).unwrap();
        let options = Options {
            limits: Limits {
                instances: 3,
                ..Limits::default()
            },
            ..options(PlanScope::Changed, 10)
        };
        let load = read(&text, &options);
        assert_eq!(load.resources.len(), 3);
        let [error] = load.errors.as_slice() else {
            panic!("{:?}", load.errors);
        };
        assert_eq!(
            error.message,
            "this plan checks more than 3 resources, over the limit of 3 instances \
             (--max-instances)"
        );
    }

    #[test]
    fn changes_are_read_past_the_first_chunk() {
        let changes = (0..CHUNK + 5)
            .map(|i| change(&format!("alicloud_disk.d{i}"), &["create"], json!({})))
            .collect();
        let (resources, errors) = load(&plan(changes), PlanScope::Changed);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(resources.len(), CHUNK + 5);
        assert_eq!(
            resources[CHUNK + 4].address,
            format!("alicloud_disk.d{}", CHUNK + 4)
        );
    }

    #[test]
    fn binary_plans_are_recognised_by_content_and_name() {
        let zip = b"PK\x03\x04rest";
        assert!(is_binary_plan(Path::new("out.bin"), zip, true));
        assert!(is_binary_plan(Path::new("dir/tfplan"), zip, false));
        assert!(is_binary_plan(Path::new("x.tfplan"), zip, false));
        assert!(!is_binary_plan(Path::new("x.zip"), zip, false));
        assert!(!is_binary_plan(Path::new("x.tfplan"), b"{}", true));
        assert!(
            binary_plan_error(Path::new("x"))
                .message
                .contains("terraform show -json")
        );
    }
}
