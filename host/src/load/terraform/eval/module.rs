//! One instance of a Terraform module: its variables, locals, resources and data sources,
//! evaluated lazily, each at most once, in whatever order references demand.
//!
//! A local or resource is evaluated the first time something refers to it; a reference
//! back to something still being evaluated is a cycle, reported with its path.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body};

use super::block::BlockReader;
use super::expr::{Evaluator, Problem};
use super::functions::{self, FunctionContext, FunctionError};
use super::scope::{Expansion, Reference, Scope};
use super::template;
use super::value::Value;
use crate::load::terraform::spans;
use crate::model::{LineIndex, LoadError, Position, Resource, Span};

/// One parsed `.tf` file.
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    pub lines: LineIndex,
    pub body: Body,
}

/// Where a module instance sits: its directory, the root module's, and the directory
/// that bounds file reads.
#[derive(Clone, Copy)]
pub struct Place<'c> {
    pub dir: &'c Path,
    pub root_dir: &'c Path,
    pub scan_root: &'c Path,
}

/// A module instance being evaluated.
pub struct Module<'c> {
    dir: &'c Path,
    /// The root module's directory: relative file paths resolve against it, as Terraform
    /// resolves them against its working directory.
    root_dir: &'c Path,
    /// No file outside it is read by `file`, `templatefile` and the like.
    scan_root: &'c Path,
    /// `module.web.` inside a module call, empty for the root module.
    prefix: String,
    variables: BTreeMap<String, Value>,
    locals: HashMap<&'c str, (&'c SourceFile, &'c Expression)>,
    /// Resource blocks by `TYPE.NAME`, and their order in the source.
    resources: HashMap<String, (&'c SourceFile, &'c Block)>,
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

struct Instance {
    address: String,
    key: Value,
    attributes: Value,
    spans: Rc<BTreeMap<String, Span>>,
}

impl<'c> Module<'c> {
    /// Collects the declarations of `files`; `variables` are the module's input values.
    pub fn new(
        place: Place<'c>,
        prefix: String,
        files: &'c [SourceFile],
        variables: BTreeMap<String, Value>,
    ) -> Self {
        let mut module = Module {
            dir: place.dir,
            root_dir: place.root_dir,
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
            for block in file.body.blocks() {
                module.declare(file, block);
            }
        }
        module
    }

    fn declare(&mut self, file: &'c SourceFile, block: &'c Block) {
        let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
        match (block.ident.as_str(), labels.as_slice()) {
            ("locals", _) => {
                for attribute in block.body.attributes() {
                    let name = attribute.key.as_str();
                    if self.locals.insert(name, (file, &attribute.value)).is_some() {
                        self.error(
                            file,
                            attribute.span(),
                            format!("duplicate local value `{name}`"),
                        );
                    }
                }
            }
            ("resource", [resource_type, name]) => {
                let key = format!("{resource_type}.{name}");
                if let Some((first, first_block)) = self.resources.get(&key) {
                    let line = Position::from_offset(
                        &first.text,
                        first_block.ident.span().map_or(0, |r| r.start),
                    )
                    .line;
                    let message = format!(
                        "duplicate resource `{key}` (first defined at {}:{line})",
                        first.path.display()
                    );
                    self.error(file, block.ident.span(), message);
                } else {
                    self.order.push(key.clone());
                    self.resources.insert(key, (file, block));
                }
            }
            ("resource", _) => {
                let message = "a resource block needs two labels, its type and its name".to_owned();
                self.error(file, block.ident.span(), message);
            }
            ("data", [data_type, name]) => {
                self.data_sources.insert(format!("{data_type}.{name}"), ());
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
            let header = file
                .lines
                .span(&file.text, spans::block_header(&file.text, block));
            let expanded = self.resource(key);
            for instance in &expanded.instances {
                resources.push(Resource {
                    resource_type: key.split('.').next().unwrap_or_default().to_owned(),
                    address: instance.address.clone(),
                    file: file.path.clone(),
                    span: header,
                    attributes: instance.attributes.to_json(),
                    spans: (*instance.spans).clone(),
                });
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
    fn eval(&self, file: &SourceFile, expr: &Expression, bindings: Vec<(String, Value)>) -> Value {
        let problems = RefCell::new(Vec::new());
        let value = Evaluator::new(self, &file.text, &problems)
            .with(bindings)
            .eval(expr);
        self.report(file, problems);
        value
    }

    fn report(&self, file: &SourceFile, problems: RefCell<Vec<Problem>>) {
        for problem in problems.into_inner() {
            self.error(file, Some(problem.range), problem.message);
        }
    }

    /// Runs `evaluate` for `name` unless it is already being evaluated (a cycle).
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
            self.error(file, range, format!("cycle: {cycle}"));
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
            .guarded(&format!("local.{name}"), file, expr.span(), || {
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
        let Some(&(file, block)) = self.resources.get(key) else {
            return empty();
        };
        self.resource_values
            .borrow_mut()
            .insert(key.to_owned(), Slot::InProgress);
        let expanded = self
            .guarded(key, file, block.ident.span(), || {
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
        let meta = |name: &str| block.body.get_attribute(name).map(|a| &a.value);
        let (expansion, known, keys): (Expansion, bool, Vec<(Value, Value)>) =
            if let Some(count) = meta("count") {
                match self.eval(file, count, Vec::new()) {
                    Value::Unknown(unknown) => (
                        Expansion::Count,
                        false,
                        vec![(Value::Unknown(unknown), Value::Null)],
                    ),
                    value => match value.to_number().filter(|n| n.fract() == 0.0 && *n >= 0.0) {
                        Some(n) => (
                            Expansion::Count,
                            true,
                            (0..n as usize)
                                .map(|i| (Value::Number(i as f64), Value::Null))
                                .collect(),
                        ),
                        None => {
                            self.error(
                                file,
                                count.span(),
                                "`count` must be a whole number, 0 or more".to_owned(),
                            );
                            (Expansion::Count, true, Vec::new())
                        }
                    },
                }
            } else if let Some(for_each) = meta("for_each") {
                match self.eval(file, for_each, Vec::new()) {
                    Value::Object(map) => (
                        Expansion::ForEach,
                        true,
                        map.into_iter()
                            .map(|(k, v)| (Value::String(k), v))
                            .collect(),
                    ),
                    Value::List(items) => {
                        let mut keys: Vec<String> = Vec::new();
                        for item in &items {
                            match item.to_text() {
                                Some(text) => keys.push(text),
                                None => {
                                    self.error(
                                        file,
                                        for_each.span(),
                                        "`for_each` over a set needs strings".to_owned(),
                                    );
                                    return Expanded {
                                        expansion: Expansion::ForEach,
                                        known: true,
                                        instances: Vec::new(),
                                    };
                                }
                            }
                        }
                        keys.sort();
                        keys.dedup();
                        (
                            Expansion::ForEach,
                            true,
                            keys.into_iter()
                                .map(|k| (Value::String(k.clone()), Value::String(k)))
                                .collect(),
                        )
                    }
                    Value::Unknown(unknown) => (
                        Expansion::ForEach,
                        false,
                        vec![(Value::Unknown(unknown.clone()), Value::Unknown(unknown))],
                    ),
                    Value::Null => (Expansion::ForEach, true, Vec::new()),
                    other => {
                        self.error(
                            file,
                            for_each.span(),
                            format!(
                                "`for_each` needs a map or a set of strings, not a {}",
                                other.type_name()
                            ),
                        );
                        (Expansion::ForEach, true, Vec::new())
                    }
                }
            } else {
                (Expansion::Single, true, vec![(Value::Null, Value::Null)])
            };

        let mut shared_spans: Option<Rc<BTreeMap<String, Span>>> = None;
        let mut instances = Vec::new();
        for (instance_key, each_value) in keys {
            let (instance_address, bindings) = match expansion {
                Expansion::Single => (address.clone(), Vec::new()),
                Expansion::Count => (
                    match &instance_key {
                        Value::Number(i) => format!("{address}[{i}]"),
                        _ => address.clone(),
                    },
                    vec![(
                        "count".to_owned(),
                        object([("index", instance_key.clone())]),
                    )],
                ),
                Expansion::ForEach => (
                    match &instance_key {
                        Value::String(k) => format!("{address}[{k:?}]"),
                        _ => address.clone(),
                    },
                    vec![(
                        "each".to_owned(),
                        object([("key", instance_key.clone()), ("value", each_value)]),
                    )],
                ),
            };
            let problems = RefCell::new(Vec::new());
            let evaluator = Evaluator::new(self, &file.text, &problems).with(bindings);
            let mut reader = BlockReader::new(&evaluator, &file.text, &file.lines);
            let attributes = reader.resource(&block.body);
            let spans =
                shared_spans.get_or_insert_with(|| Rc::new(std::mem::take(&mut reader.spans)));
            self.report(file, problems);
            instances.push(Instance {
                address: instance_address,
                key: instance_key,
                attributes,
                spans: Rc::clone(spans),
            });
        }
        Expanded {
            expansion,
            known,
            instances,
        }
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
            ("module", Some(name)) => (
                Reference::Value(Value::unknown(format!(
                    "the outputs of module.{name} are not evaluated"
                ))),
                1,
            ),
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
                let relative = self.dir.strip_prefix(self.root_dir).unwrap_or(self.dir);
                (Reference::Value(Value::String(path_text(relative))), 1)
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
            root_dir: self.root_dir,
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

fn path_text(dir: &Path) -> String {
    let text = dir.display().to_string();
    if text.is_empty() {
        ".".to_owned()
    } else {
        text
    }
}
