//! One instance of a Terraform module: its variables, locals, resources and data sources,
//! evaluated lazily, each at most once, in whatever order references demand.
//!
//! A local or resource is evaluated the first time something refers to it; a reference
//! back to something still being evaluated is a cycle, reported with its path.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use super::block::BlockReader;
use super::children::ModuleSource;
use super::expr::{Evaluator, Problem};
use super::functions::{self, FunctionContext, FunctionError};
use super::scope::{Expansion, Reference, Scope};
use super::syntax::{Block, Declared, Expr, SourceFile};
use super::template;
use super::value::Value;
use super::variables;
use crate::load::terraform::normalize;
use crate::model::{LoadError, Position, Resource, Span};

/// Where a module instance sits: its directory, the root module's, the directory that
/// bounds file reads, its key among installed modules, and where called modules come from.
#[derive(Clone)]
pub struct Place<'c> {
    pub dir: &'c Path,
    pub root_dir: &'c Path,
    /// The root module's directory as an absolute path: what file functions resolve
    /// relative paths against.
    pub file_base: &'c Path,
    pub scan_root: &'c Path,
    /// `web.sg` for module `sg` called by module `web`; empty for the root.
    pub key: String,
    pub children: &'c dyn ModuleSource,
}

/// A module instance being evaluated.
pub struct Module<'c> {
    /// Where each variable's value came from, for findings on values set elsewhere.
    variable_origins: BTreeMap<String, String>,
    key: String,
    children: &'c dyn ModuleSource,
    /// Module calls by name, and their order in the source.
    calls: HashMap<String, (&'c SourceFile, Block<'c>)>,
    call_order: Vec<String>,
    outputs: BTreeMap<String, (&'c SourceFile, Expr<'c>)>,
    call_values: RefCell<HashMap<String, Slot<Rc<Called>>>>,
    dir: &'c Path,
    /// The root module's directory: relative file paths resolve against it, as Terraform
    /// resolves them against its working directory.
    root_dir: &'c Path,
    file_base: &'c Path,
    /// No file outside it is read by `file`, `templatefile` and the like.
    scan_root: &'c Path,
    /// `module.web.` inside a module call, empty for the root module.
    prefix: String,
    variables: BTreeMap<String, Value>,
    locals: HashMap<&'c str, (&'c SourceFile, Expr<'c>)>,
    /// Resource blocks by `TYPE.NAME`, and their order in the source.
    resources: HashMap<String, (&'c SourceFile, Block<'c>)>,
    order: Vec<String>,
    data_sources: HashMap<String, ()>,
    local_values: RefCell<HashMap<String, Slot<Value>>>,
    resource_values: RefCell<HashMap<String, Slot<Rc<Expanded>>>>,
    /// What is being evaluated right now, outermost first: the path of a cycle.
    evaluating: RefCell<Vec<String>>,
    errors: RefCell<Vec<LoadError>>,
}

enum Slot<T> {
    InProgress,
    Done(T),
}

/// A resource block's instances.
struct Expanded {
    expansion: Expansion,
    /// Whether the instances are known: an unknown `count` or `for_each` still yields
    /// one instance to check, but references to its instances are unknown.
    known: bool,
    instances: Vec<Instance>,
}

/// A module call's instances.
struct Called {
    expansion: Expansion,
    known: bool,
    instances: Vec<CalledInstance>,
    /// Why the module could not be evaluated (not installed, no source), if so: its
    /// outputs are then unknown.
    unchecked: Option<String>,
}

struct CalledInstance {
    key: Value,
    outputs: Value,
    resources: Vec<Resource>,
}

struct Instance {
    address: String,
    key: Value,
    attributes: Value,
    spans: Rc<Spans>,
    origins: Rc<Origins>,
}

impl<'c> Module<'c> {
    /// Collects the declarations of `files`, in either syntax; `variables` are the
    /// module's input values.
    pub fn new(
        place: Place<'c>,
        prefix: String,
        files: &'c [SourceFile],
        variables: BTreeMap<String, Value>,
        variable_origins: BTreeMap<String, String>,
    ) -> Self {
        let mut module = Module {
            variable_origins,
            key: place.key,
            children: place.children,
            calls: HashMap::new(),
            call_order: Vec::new(),
            outputs: BTreeMap::new(),
            call_values: RefCell::new(HashMap::new()),
            dir: place.dir,
            root_dir: place.root_dir,
            file_base: place.file_base,
            scan_root: place.scan_root,
            prefix,
            variables,
            locals: HashMap::new(),
            resources: HashMap::new(),
            order: Vec::new(),
            data_sources: HashMap::new(),
            local_values: RefCell::new(HashMap::new()),
            resource_values: RefCell::new(HashMap::new()),
            evaluating: RefCell::new(Vec::new()),
            errors: RefCell::new(Vec::new()),
        };
        for file in files {
            for declared in file.blocks() {
                module.declare(file, declared);
            }
        }
        module
    }

    fn declare(&mut self, file: &'c SourceFile, declared: Declared<'c>) {
        let Declared {
            kind,
            labels,
            block,
        } = declared;
        match (kind, labels.as_slice()) {
            ("locals", _) => {
                for argument in block.arguments() {
                    let name = argument.name;
                    if self.locals.insert(name, (file, argument.expr)).is_some() {
                        self.error(
                            file,
                            argument.range,
                            format!("duplicate local value `{name}`"),
                        );
                    }
                }
            }
            ("resource", [resource_type, name]) => {
                let key = format!("{resource_type}.{name}");
                if let Some((first, first_block)) = self.resources.get(&key) {
                    let line =
                        Position::from_offset(&first.text, first_block.at().map_or(0, |r| r.start))
                            .line;
                    let message = format!(
                        "duplicate resource `{key}` (first defined at {}:{line})",
                        first.path.display()
                    );
                    self.error(file, block.at(), message);
                } else {
                    self.order.push(key.clone());
                    self.resources.insert(key, (file, block));
                }
            }
            ("resource", _) => {
                let message = "a resource block needs two labels, its type and its name".to_owned();
                self.error(file, block.at(), message);
            }
            ("data", [data_type, name]) => {
                self.data_sources.insert(format!("{data_type}.{name}"), ());
            }
            ("module", [name]) => {
                let at = block.at();
                if self
                    .calls
                    .insert((*name).to_owned(), (file, block))
                    .is_some()
                {
                    self.error(file, at, format!("duplicate module call `{name}`"));
                } else {
                    self.call_order.push((*name).to_owned());
                }
            }
            ("output", [name]) => {
                if let Some(value) = block.attribute("value") {
                    self.outputs.insert((*name).to_owned(), (file, value));
                }
            }
            _ => {}
        }
    }

    /// Every resource instance, in source order, as policies see it; and every problem
    /// met on the way.
    pub fn finish(self) -> (Vec<Resource>, Vec<LoadError>) {
        let mut resources = Vec::new();
        for key in &self.order {
            let Some((file, block)) = self.resources.get(key) else {
                continue;
            };
            let header = file.lines.span(&file.text, block.header(&file.text));
            let expanded = self.resource(key);
            for instance in &expanded.instances {
                resources.push(Resource {
                    resource_type: key.split('.').next().unwrap_or_default().to_owned(),
                    address: instance.address.clone(),
                    file: file.path.clone(),
                    span: header,
                    attributes: instance.attributes.to_json(),
                    spans: (*instance.spans).clone(),
                    origins: (*instance.origins).clone(),
                });
            }
        }
        for name in &self.call_order {
            let called = self.module_call(name);
            for instance in &called.instances {
                resources.extend(instance.resources.iter().cloned());
            }
        }
        let mut errors = self.errors.into_inner();
        errors.sort_by(|a, b| (&a.file, a.position).cmp(&(&b.file, b.position)));
        errors.dedup();
        (resources, errors)
    }

    fn error(&self, file: &SourceFile, range: Option<std::ops::Range<usize>>, message: String) {
        let offset = range.map_or(0, |r| r.start);
        self.errors.borrow_mut().push(LoadError {
            file: file.path.clone(),
            position: Position::from_offset(&file.text, offset),
            message,
        });
    }

    /// Evaluates `expr` of `file` with `bindings`, reporting its problems.
    fn eval(&self, file: &SourceFile, expr: Expr<'_>, bindings: Vec<(String, Value)>) -> Value {
        let problems = RefCell::new(Vec::new());
        let value = expr.eval(&Evaluator::new(self, &file.text, &problems).with(bindings));
        self.report(file, problems);
        value
    }

    fn report(&self, file: &SourceFile, problems: RefCell<Vec<Problem>>) {
        for problem in problems.into_inner() {
            self.error(file, Some(problem.range), problem.message);
        }
    }

    /// Runs `evaluate` for `name` unless it is already being evaluated. A cycle between
    /// locals is an error; between resources and module calls it is usually not real
    /// (they are evaluated whole, where Terraform orders single attributes), so it only
    /// makes the inner reference unknown.
    fn guarded<T>(
        &self,
        name: &str,
        file: &SourceFile,
        range: Option<std::ops::Range<usize>>,
        evaluate: impl FnOnce() -> T,
    ) -> Option<T> {
        let cycle = {
            let evaluating = self.evaluating.borrow();
            evaluating.iter().position(|n| n == name).map(|start| {
                let mut path: Vec<&str> = evaluating[start..].iter().map(String::as_str).collect();
                path.push(name);
                path.join(" -> ")
            })
        };
        if let Some(cycle) = cycle {
            if name.starts_with("local.") {
                self.error(file, range, format!("cycle: {cycle}"));
            }
            return None;
        }
        self.evaluating.borrow_mut().push(name.to_owned());
        let value = evaluate();
        self.evaluating.borrow_mut().pop();
        Some(value)
    }

    fn local(&self, name: &str) -> Reference {
        match self.local_values.borrow().get(name) {
            Some(Slot::Done(value)) => return Reference::Value(value.clone()),
            Some(Slot::InProgress) | None => {}
        }
        let Some(&(file, expr)) = self.locals.get(name) else {
            return Reference::Undefined(format!(
                "no local value `{name}` is declared in this module"
            ));
        };
        self.local_values
            .borrow_mut()
            .insert(name.to_owned(), Slot::InProgress);
        let value = self
            .guarded(&format!("local.{name}"), file, expr.range(), || {
                self.eval(file, expr, Vec::new())
            })
            .unwrap_or_else(|| Value::unknown(format!("local.{name} is part of a cycle")));
        self.local_values
            .borrow_mut()
            .insert(name.to_owned(), Slot::Done(value.clone()));
        Reference::Value(value)
    }

    fn resource(&self, key: &str) -> Rc<Expanded> {
        if let Some(Slot::Done(expanded)) = self.resource_values.borrow().get(key) {
            return Rc::clone(expanded);
        }
        let empty = || {
            Rc::new(Expanded {
                expansion: Expansion::Single,
                known: false,
                instances: Vec::new(),
            })
        };
        let Some((file, block)) = self.resources.get(key) else {
            return empty();
        };
        self.resource_values
            .borrow_mut()
            .insert(key.to_owned(), Slot::InProgress);
        let expanded = self
            .guarded(key, file, block.at(), || {
                Rc::new(self.expand(key, file, block))
            })
            .unwrap_or_else(empty);
        self.resource_values
            .borrow_mut()
            .insert(key.to_owned(), Slot::Done(Rc::clone(&expanded)));
        expanded
    }

    /// A resource block's instances, from its `count` or `for_each`.
    fn expand(&self, key: &str, file: &SourceFile, block: &Block) -> Expanded {
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
            let evaluator = Evaluator::new(self, &file.text, &problems).with(bindings);
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
            instances,
        }
    }

    /// The instance keys of a resource or module block, from its `count` or `for_each`,
    /// each with its `each.value`; whether they are known (an unknown collection still
    /// gives one instance to check, without a key).
    fn instance_keys(
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
            return (Expansion::Single, true, vec![(Value::Null, Value::Null)]);
        };
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

    /// Where the value of `expr` comes from: the variables it reads, directly or through
    /// locals, with where each was set. `None` when it reads no variable.
    fn origin_of(&self, expr: Expr<'_>) -> Option<String> {
        let reads = expr.reads();
        let mut variables = reads.variables;
        let mut pending: Vec<String> = reads.locals.into_iter().collect();
        let mut seen = std::collections::BTreeSet::new();
        while let Some(local) = pending.pop() {
            if seen.len() > MAX_LOCAL_TRACE || !seen.insert(local.clone()) {
                continue;
            }
            if let Some((_, expr)) = self.locals.get(local.as_str()) {
                let reads = expr.reads();
                variables.extend(reads.variables);
                pending.extend(reads.locals);
            }
        }
        let described: Vec<String> = variables
            .iter()
            .filter_map(|name| Some(format!("var.{name} {}", self.variable_origins.get(name)?)))
            .collect();
        (!described.is_empty()).then(|| described.join("; "))
    }

    /// The outputs of this module instance, as the caller's `module.NAME` sees them.
    fn output_values(&self) -> Value {
        Value::Object(
            self.outputs
                .iter()
                .map(|(name, (file, expr))| ((*name).clone(), self.eval(file, *expr, Vec::new())))
                .collect(),
        )
    }

    /// A module call's instances: each one's outputs, resources and problems.
    fn module_call(&self, name: &str) -> Rc<Called> {
        if let Some(Slot::Done(called)) = self.call_values.borrow().get(name) {
            return Rc::clone(called);
        }
        let empty = || {
            Rc::new(Called {
                expansion: Expansion::Single,
                known: false,
                instances: Vec::new(),
                unchecked: Some(format!("module.{name} is part of a cycle")),
            })
        };
        let Some((file, block)) = self.calls.get(name) else {
            return empty();
        };
        self.call_values
            .borrow_mut()
            .insert(name.to_owned(), Slot::InProgress);
        let called = self
            .guarded(&format!("module.{name}"), file, block.at(), || {
                Rc::new(self.call(name, file, block))
            })
            .unwrap_or_else(empty);
        self.call_values
            .borrow_mut()
            .insert(name.to_owned(), Slot::Done(Rc::clone(&called)));
        called
    }

    fn call(&self, name: &str, file: &SourceFile, block: &Block) -> Called {
        let (expansion, known, keys) = self.instance_keys(file, block);
        let unchecked = |why: String| Called {
            expansion,
            known,
            instances: Vec::new(),
            unchecked: Some(why),
        };
        let Some(dir) = self.call_dir(name, file, block) else {
            return unchecked(format!(
                "module.{name} is not checked (see the error at its call)"
            ));
        };
        let key = if self.key.is_empty() {
            name.to_owned()
        } else {
            format!("{}.{name}", self.key)
        };
        if key.matches('.').count() >= MAX_MODULE_DEPTH {
            let message = format!(
                "module `{key}` is nested more than {MAX_MODULE_DEPTH} deep: a module that calls itself?"
            );
            self.error(file, block.at(), message);
            return unchecked(format!("module.{name} is nested too deep to check"));
        }
        let found = self.children.local(&dir);
        let child = found.files();
        self.errors
            .borrow_mut()
            .extend(self.children.first_use(child));
        let mut declarations = Vec::new();
        for source in &child.sources {
            declarations.extend(variables::declarations(source).0);
        }
        let inputs: Vec<_> = block
            .arguments()
            .into_iter()
            .filter(|argument| !CALL_ARGUMENTS.contains(&argument.name))
            .collect();

        let mut instances = Vec::new();
        for (instance_key, each_value) in keys {
            let (suffix, bindings) = instance(expansion, &instance_key, each_value);
            let values: BTreeMap<String, Value> = inputs
                .iter()
                .map(|input| {
                    let value = self.eval(file, input.expr, bindings.clone());
                    (input.name.to_owned(), value)
                })
                .collect();
            let (values, problems) = variables::from_inputs(&declarations, &values);
            for problem in problems {
                self.error(file, block.at(), format!("module `{name}`: {problem}"));
            }
            let place = Place {
                dir: &child.dir,
                root_dir: self.root_dir,
                file_base: self.file_base,
                scan_root: self.scan_root,
                key: key.clone(),
                children: self.children,
            };
            let prefix = format!("{}module.{name}{suffix}.", self.prefix);
            let origins = inputs
                .iter()
                .map(|input| {
                    let at = Position::from_offset(
                        &file.text,
                        input.range.clone().map_or(0, |r| r.start),
                    );
                    let mut origin = format!(
                        "set by module.{name}{suffix} at {}:{}:{}",
                        variables::shown(&file.path),
                        at.line,
                        at.column
                    );
                    if let Some(upstream) = self.origin_of(input.expr) {
                        origin.push_str(&format!(", from {upstream}"));
                    }
                    (input.name.to_owned(), origin)
                })
                .collect();
            let module = Module::new(place, prefix.clone(), &child.sources, values, origins);
            let outputs = module.output_values();
            let (resources, errors) = module.finish();
            self.errors.borrow_mut().extend(errors);
            instances.push(CalledInstance {
                key: instance_key,
                outputs,
                resources,
            });
        }
        Called {
            expansion,
            known,
            instances,
            unchecked: None,
        }
    }

    /// The directory a module call's `source` names, or why it cannot be checked.
    fn call_dir(&self, name: &str, file: &SourceFile, block: &Block) -> Option<PathBuf> {
        let Some(source) = block.argument("source") else {
            self.error(file, block.at(), format!("module `{name}` has no `source`"));
            return None;
        };
        let Some(text) = source.expr.literal_text() else {
            self.error(
                file,
                source.range,
                "a module `source` must be a literal string".to_owned(),
            );
            return None;
        };
        if crate::load::terraform::local_source(text) {
            return Some(self.dir.join(text));
        }
        let key = if self.key.is_empty() {
            name.to_owned()
        } else {
            format!("{}.{name}", self.key)
        };
        match self.children.installed(&key) {
            Some(dir) => Some(dir),
            None => {
                let message = format!(
                    "module `{key}` (source \"{text}\") is not installed, so its resources are not checked: \
                     run `terraform init` to download it into .terraform/modules"
                );
                self.error(file, source.range, message);
                None
            }
        }
    }

    /// The value `module.NAME` has for the caller.
    fn module_reference(&self, name: &str) -> Reference {
        if !self.calls.contains_key(name) {
            return Reference::Undefined(format!("no module `{name}` is called in this module"));
        }
        let called = self.module_call(name);
        if let Some(why) = &called.unchecked {
            return Reference::Value(Value::unknown(why.clone()));
        }
        if !called.known {
            return Reference::Value(Value::unknown(format!(
                "the instances of module.{name} are not known (its count or for_each is unknown)"
            )));
        }
        let value = match called.expansion {
            Expansion::Single => called
                .instances
                .first()
                .map_or(Value::Null, |i| i.outputs.clone()),
            Expansion::Count => {
                Value::List(called.instances.iter().map(|i| i.outputs.clone()).collect())
            }
            Expansion::ForEach => Value::Object(
                called
                    .instances
                    .iter()
                    .filter_map(|i| Some((i.key.to_text()?, i.outputs.clone())))
                    .collect(),
            ),
        };
        Reference::Value(value)
    }

    /// The value a reference to resource `key` sees.
    fn resource_reference(&self, key: &str) -> Reference {
        let expanded = self.resource(key);
        let address = format!("{}{key}", self.prefix);
        if !expanded.known {
            let reason = format!(
                "the instances of `{address}` are not known (their count or for_each is unknown)"
            );
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

/// The span of every attribute path of a resource block.
type Spans = BTreeMap<String, Span>;

/// Where attribute values come from, by attribute path.
type Origins = BTreeMap<String, String>;

/// How many locals are followed to find the variables a value comes from.
const MAX_LOCAL_TRACE: usize = 64;

/// Module calls deeper than this are refused: a module that calls itself would
/// otherwise never end.
const MAX_MODULE_DEPTH: usize = 16;

/// Arguments of a `module` block that are not inputs of the module.
const CALL_ARGUMENTS: [&str; 6] = [
    "source",
    "version",
    "count",
    "for_each",
    "providers",
    "depends_on",
];

/// The address suffix (`[0]`, `["k"]`) and the `count` / `each` bindings of one instance.
fn instance(
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

fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

impl Scope for Module<'_> {
    fn call(&self, name: &str, args: Vec<Value>) -> Result<Value, FunctionError> {
        self.functions().call(name, args)
    }

    fn resolve(&self, root: &str, attrs: &[&str]) -> (Reference, usize) {
        let first = attrs.first().copied();
        match (root, first) {
            ("var", Some(name)) => match self.variables.get(name) {
                Some(value) => (Reference::Value(value.clone()), 1),
                None => (
                    Reference::Undefined(format!(
                        "no variable `{name}` is declared in this module"
                    )),
                    1,
                ),
            },
            ("local", Some(name)) => (self.local(name), 1),
            ("module", Some(name)) => (self.module_reference(name), 1),
            ("data", Some(data_type)) => {
                let name = attrs.get(1).copied().unwrap_or_default();
                let key = format!("{data_type}.{name}");
                if self.data_sources.contains_key(&key) {
                    let reason = format!("data.{key} is read from the provider during plan");
                    (Reference::Value(Value::unknown(reason)), attrs.len().min(2))
                } else {
                    (
                        Reference::Undefined(format!(
                            "no data source `data.{key}` is declared in this module"
                        )),
                        attrs.len().min(2),
                    )
                }
            }
            ("path", Some("module")) => {
                let relative = relative_to(self.dir, self.root_dir);
                (Reference::Value(Value::String(path_text(&relative))), 1)
            }
            ("path", Some("root" | "cwd")) => (Reference::Value(Value::String(".".to_owned())), 1),
            ("terraform", Some("workspace")) => {
                (Reference::Value(Value::String("default".to_owned())), 1)
            }
            ("count" | "each", _) => (
                Reference::Undefined(format!(
                    "`{root}` can only be used in a resource or module with {root}"
                )),
                0,
            ),
            ("self", _) => (
                Reference::Value(Value::unknown("`self` is known only in provisioners")),
                0,
            ),
            (resource_type, Some(name))
                if self
                    .resources
                    .contains_key(&format!("{resource_type}.{name}")) =>
            {
                (
                    self.resource_reference(&format!("{resource_type}.{name}")),
                    1,
                )
            }
            (resource_type, Some(name)) => {
                let address = format!("{resource_type}.{name}");
                let reason = format!("`{address}` is not declared in this module");
                (
                    Reference::Value(Value::reference(
                        reason,
                        format!("{}{address}", self.prefix),
                    )),
                    1,
                )
            }
            (name, None) => (Reference::Undefined(format!("unknown name `{name}`")), 0),
        }
    }
}

impl Module<'_> {
    fn functions(&self) -> FunctionsOnly<'_> {
        FunctionsOnly {
            root_dir: self.file_base,
            scan_root: self.scan_root,
        }
    }
}

/// The built-in functions and nothing else: the scope of a `templatefile` template,
/// which sees only the variables it is given.
pub struct FunctionsOnly<'a> {
    root_dir: &'a Path,
    scan_root: &'a Path,
}

impl Scope for FunctionsOnly<'_> {
    fn resolve(&self, root: &str, _attrs: &[&str]) -> (Reference, usize) {
        (
            Reference::Undefined(format!("`{root}` is not a variable of this template")),
            0,
        )
    }

    fn call(&self, name: &str, args: Vec<Value>) -> Result<Value, FunctionError> {
        let render = |text: &str, variables: &BTreeMap<String, Value>| {
            let problems = RefCell::new(Vec::new());
            let bindings = variables.iter().map(|(k, v)| (k.clone(), v.clone()));
            let evaluator = Evaluator::new(self, text, &problems).with(bindings);
            template::render_text(&evaluator, text)
        };
        let context = FunctionContext {
            module_dir: self.root_dir,
            scan_root: self.scan_root,
            render_template: &render,
        };
        functions::call(name, args, &context)
    }
}

/// `path` as seen from `base` (`../..` for the module two levels above the root), as
/// Terraform's `path.module` is relative to the root module.
fn relative_to(path: &Path, base: &Path) -> PathBuf {
    let (path, base) = (normalize(path), normalize(base));
    let path: Vec<_> = path.components().collect();
    let base: Vec<_> = base.components().collect();
    let common = path.iter().zip(&base).take_while(|(a, b)| a == b).count();
    let mut relative = PathBuf::new();
    for _ in common..base.len() {
        relative.push("..");
    }
    for component in &path[common..] {
        relative.push(component);
    }
    relative
}

fn path_text(dir: &Path) -> String {
    let text = dir.display().to_string();
    if text.is_empty() {
        ".".to_owned()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths_are_relative_to_the_root_module() {
        let cases = [
            ("a/modules/web", "a", "modules/web"),
            ("a", "a/examples/complete", "../.."),
            ("./a/b/../c", "a", "c"),
            ("a", "a", ""),
        ];
        for (path, base, expected) in cases {
            assert_eq!(
                relative_to(Path::new(path), Path::new(base)),
                Path::new(expected),
                "{path} from {base}"
            );
        }
    }
}
