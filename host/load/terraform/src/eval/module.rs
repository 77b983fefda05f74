//! One instance of a Terraform module: its variables, locals, resources and data sources,
//! evaluated lazily, each at most once, in whatever order references demand.
//!
//! A local or resource is evaluated the first time something refers to it; a reference
//! back to something still being evaluated is a cycle, reported with its path.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use super::budget::Budget;
use super::calls::Called;
use super::children::ModuleSource;
use super::expand::Expanded;
use super::expr::{Evaluator, SourceError};
use super::functions::{FunctionError, MemoryFiles};
use super::scope::{Reference, Scope};
use super::syntax::{Block, Declared, Expr, SourceFile};
use super::value::Value;
use crate::normalize;
use palisade_model::{LoadError, Origin, Position, Resource, Setting, Source, secret_paths};
use palisade_modules::Package;
use std::sync::Arc;

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
    /// A configuration held in memory: the files file functions read instead of the disk.
    pub memory: Option<&'c MemoryFiles>,
    /// `web.sg` for module `sg` called by module `web`; empty for the root.
    pub key: String,
    /// The downloaded package the module is in: its local calls stay inside it.
    pub package: Option<Arc<Package>>,
    pub children: &'c dyn ModuleSource,
    /// What evaluating the whole document set may still spend.
    pub budget: &'c Budget,
}

/// A module instance being evaluated.
pub struct Module<'c> {
    /// Where each variable's value came from, for findings on values set elsewhere.
    pub(super) variable_origins: BTreeMap<String, Setting>,
    pub(super) key: String,
    pub(super) package: Option<Arc<Package>>,
    pub(super) children: &'c dyn ModuleSource,
    pub(super) budget: &'c Budget,
    /// Module calls by name, and their order in the source.
    pub(super) calls: HashMap<String, (&'c SourceFile, Block<'c>)>,
    pub(super) call_order: Vec<String>,
    pub(super) outputs: BTreeMap<String, (&'c SourceFile, Expr<'c>)>,
    pub(super) call_values: RefCell<HashMap<String, Slot<Rc<Called>>>>,
    pub(super) dir: &'c Path,
    /// The root module's directory: relative file paths resolve against it, as Terraform
    /// resolves them against its working directory.
    pub(super) root_dir: &'c Path,
    pub(super) file_base: &'c Path,
    /// No file outside it is read by `file`, `templatefile` and the like.
    pub(super) scan_root: &'c Path,
    pub(super) memory: Option<&'c MemoryFiles>,
    /// `module.web.` inside a module call, empty for the root module.
    pub(super) prefix: String,
    pub(super) variables: BTreeMap<String, Value>,
    pub(super) locals: HashMap<&'c str, (&'c SourceFile, Expr<'c>)>,
    /// Resource blocks by `TYPE.NAME`, and their order in the source.
    pub(super) resources: HashMap<String, (&'c SourceFile, Block<'c>)>,
    pub(super) order: Vec<String>,
    /// Data blocks by `TYPE.NAME`.
    pub(super) data_sources: HashMap<String, (&'c SourceFile, Block<'c>)>,
    pub(super) local_values: RefCell<HashMap<String, Slot<Value>>>,
    pub(super) resource_values: RefCell<HashMap<String, Slot<Rc<Expanded>>>>,
    /// What is being evaluated right now, outermost first: the path of a cycle.
    pub(super) evaluating: RefCell<Vec<String>>,
    pub(super) errors: RefCell<Vec<LoadError>>,
}

/// The state of a lazily evaluated value.
pub(super) enum Slot<T> {
    InProgress,
    Done(T),
}

impl<'c> Module<'c> {
    /// Collects the declarations of `files`, in either syntax; `variables` are the
    /// module's input values.
    pub fn new(
        place: Place<'c>,
        prefix: String,
        files: &'c [SourceFile],
        variables: BTreeMap<String, Value>,
        variable_origins: BTreeMap<String, Setting>,
    ) -> Self {
        let mut module = Module {
            variable_origins,
            key: place.key,
            package: place.package,
            children: place.children,
            budget: place.budget,
            calls: HashMap::new(),
            call_order: Vec::new(),
            outputs: BTreeMap::new(),
            call_values: RefCell::new(HashMap::new()),
            dir: place.dir,
            root_dir: place.root_dir,
            file_base: place.file_base,
            scan_root: place.scan_root,
            memory: place.memory,
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
                self.data_sources
                    .insert(format!("{data_type}.{name}"), (file, block));
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
                let attributes = instance.attributes.to_json();
                resources.push(Resource {
                    resource_type: key.split('.').next().unwrap_or_default().to_owned(),
                    address: instance.address.clone(),
                    file: file.path.clone(),
                    span: header,
                    sensitive: secret_paths(&attributes),
                    attributes,
                    spans: (*instance.spans).clone().into(),
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

    pub(super) fn error(
        &self,
        file: &SourceFile,
        range: Option<std::ops::Range<usize>>,
        message: String,
    ) {
        let offset = range.map_or(0, |r| r.start);
        self.errors.borrow_mut().push(LoadError {
            file: file.path.clone(),
            position: Position::from_offset(&file.text, offset),
            message,
        });
    }

    /// Evaluates `expr` of `file` with `bindings`, reporting its problems.
    pub(super) fn eval(
        &self,
        file: &SourceFile,
        expr: Expr<'_>,
        bindings: Vec<(String, Value)>,
    ) -> Value {
        let problems = RefCell::new(Vec::new());
        let value =
            expr.eval(&Evaluator::new(self, self.budget, &file.text, &problems).with(bindings));
        self.report(file, problems);
        value
    }

    pub(super) fn report(&self, file: &SourceFile, problems: RefCell<Vec<SourceError>>) {
        for problem in problems.into_inner() {
            self.error(file, Some(problem.range), problem.message);
        }
    }

    /// Runs `evaluate` for `name` unless it is already being evaluated. A cycle between
    /// locals is an error; between resources and module calls it is usually not real
    /// (they are evaluated whole, where Terraform orders single attributes), so it only
    /// makes the inner reference unknown.
    pub(super) fn guarded<T>(
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

    /// Where the value of `expr` comes from: the variables it reads, directly or through
    /// locals, with where each was set. `None` when it reads no variable.
    pub(super) fn origin_of(&self, expr: Expr<'_>) -> Option<Origin> {
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
        let sources: Vec<Source> = variables
            .iter()
            .filter_map(|name| {
                let setting = self.variable_origins.get(name)?.clone();
                Some(Source::Variable {
                    name: name.clone(),
                    setting,
                })
            })
            .collect();
        (!sources.is_empty()).then_some(Origin { sources })
    }
}

/// How many locals are followed to find the variables a value comes from.
const MAX_LOCAL_TRACE: usize = 64;

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
                if let Some(computed) = self.data_reference(data_type, &key) {
                    (computed, attrs.len().min(2))
                } else if self.data_sources.contains_key(&key) {
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

/// `path` as seen from `base` (`../..` for the module two levels above the root), as
/// Terraform's `path.module` is relative to the root module.
fn relative_to(path: &Path, base: &Path) -> PathBuf {
    let (path, base) = (normalize(path), normalize(base));
    // A downloaded package is in the cache, which only an absolute path reaches.
    if path.is_absolute() != base.is_absolute() {
        return path;
    }
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
