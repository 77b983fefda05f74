//! Module calls: the module a `source` names, its instances with their inputs, and the
//! outputs, resources and problems each instance yields.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;

use super::expand::instance;
use super::module::{Module, Place, Slot};
use super::packages::Entry;
use super::scope::{Expansion, Reference};
use super::syntax::{Argument, Block, SourceFile};
use super::value::Value;
use super::variables;
use crate::{ModuleFiles, normalize};
use palisade_model::{Location, Position, Resource, Setting, Span};
use palisade_modules::Package;

/// A module call's instances.
pub(super) struct Called {
    pub(super) expansion: Expansion,
    pub(super) known: bool,
    pub(super) instances: Vec<CalledInstance>,
    /// Why the module could not be evaluated (not installed, no source), if so: its
    /// outputs are then unknown.
    pub(super) unchecked: Option<String>,
}

pub(super) struct CalledInstance {
    pub(super) key: Value,
    pub(super) outputs: Value,
    pub(super) resources: Vec<Resource>,
}

/// Module calls deeper than this are refused: a module that calls itself would
/// otherwise never end.
const MAX_MODULE_DEPTH: usize = 16;

/// A module call being evaluated: what every instance of it shares.
struct CallSite<'a> {
    name: &'a str,
    file: &'a SourceFile,
    block: &'a Block<'a>,
    /// The module's key among the installed modules (`net.subnets`).
    key: String,
    child: &'a ModuleFiles,
    /// The downloaded package the module is in, if it is in one.
    package: Option<Arc<Package>>,
    /// The call's `source`, when the call enters a package from outside it: what the
    /// package's resources and problems are reported at.
    entry: Option<Span>,
    declarations: Vec<variables::Declaration>,
    inputs: Vec<Argument<'a>>,
}

impl CallSite<'_> {
    fn entry(&self) -> Option<Entry<'_>> {
        Some(Entry {
            package: self.package.as_deref()?,
            file: &self.file.path,
            span: self.entry?,
        })
    }
}

/// What a module call reads.
pub(super) struct Target {
    pub(super) dir: PathBuf,
    /// The downloaded package the module is in.
    pub(super) package: Option<Arc<Package>>,
    /// Whether the call enters that package from outside it.
    pub(super) enters: bool,
}

/// Arguments of a `module` block that are not inputs of the module.
const CALL_ARGUMENTS: [&str; 6] = [
    "source",
    "version",
    "count",
    "for_each",
    "providers",
    "depends_on",
];

impl<'c> Module<'c> {
    /// The outputs of this module instance, as the caller's `module.NAME` sees them.
    pub(super) fn output_values(&self) -> Value {
        Value::Object(
            self.outputs
                .iter()
                .map(|(name, (file, expr))| ((*name).clone(), self.eval(file, *expr, Vec::new())))
                .collect(),
        )
    }

    /// A module call's instances: each one's outputs, resources and problems.
    pub(super) fn module_call(&self, name: &str) -> Rc<Called> {
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

    pub(super) fn call(&self, name: &str, file: &SourceFile, block: &Block) -> Called {
        let (expansion, known, keys) = self.instance_keys(file, block);
        let unchecked = |why: String| Called {
            expansion,
            known,
            instances: Vec::new(),
            unchecked: Some(why),
        };
        let Some(target) = self.call_dir(name, file, block) else {
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
        let found = self.children.local(&target.dir);
        let child = found.files();
        let entry = target.enters.then(|| {
            let range = block.argument("source").and_then(|source| source.range);
            Span::from_range(&file.text, range.unwrap_or(0..0))
        });
        let mut site = CallSite {
            name,
            file,
            block,
            key,
            child,
            package: target.package,
            entry,
            declarations: Vec::new(),
            inputs: block
                .arguments()
                .into_iter()
                .filter(|argument| !CALL_ARGUMENTS.contains(&argument.name))
                .collect(),
        };
        let mut first_use = self.children.first_use(child);
        if let Some(entry) = site.entry() {
            first_use
                .iter_mut()
                .for_each(|error| entry.relocate_error(error));
        }
        self.errors.borrow_mut().extend(first_use);
        for source in &child.sources {
            site.declarations.extend(variables::declarations(source).0);
        }
        let instances = keys
            .into_iter()
            .map(|(instance_key, each_value)| {
                self.call_instance(&site, expansion, instance_key, each_value)
            })
            .collect();
        Called {
            expansion,
            known,
            instances,
            unchecked: None,
        }
    }

    /// One instance of a module call: its inputs evaluated, the module evaluated with them.
    fn call_instance(
        &self,
        site: &CallSite<'_>,
        expansion: Expansion,
        instance_key: Value,
        each_value: Value,
    ) -> CalledInstance {
        let (name, file) = (site.name, site.file);
        let (suffix, bindings) = instance(expansion, &instance_key, each_value);
        let values: BTreeMap<String, Value> = site
            .inputs
            .iter()
            .map(|input| {
                let value = self.eval(file, input.expr, bindings.clone());
                (input.name.to_owned(), value)
            })
            .collect();
        let (values, problems) = variables::from_inputs(&site.declarations, &values);
        for problem in problems {
            self.error(file, site.block.at(), format!("module `{name}`: {problem}"));
        }
        // A package's modules read files of the package only, from disk.
        let (scan_root, memory) = match &site.package {
            Some(package) => (package.root.as_path(), None),
            None => (self.scan_root, self.memory),
        };
        let place = Place {
            dir: &site.child.dir,
            root_dir: self.root_dir,
            file_base: self.file_base,
            scan_root,
            memory,
            key: site.key.clone(),
            package: site.package.clone(),
            children: self.children,
            budget: self.budget,
        };
        let prefix = format!("{}module.{name}{suffix}.", self.prefix);
        let origins = self.input_origins(site, &suffix);
        let module = Module::new(place, prefix, &site.child.sources, values, origins);
        let outputs = module.output_values();
        let (mut resources, mut errors) = module.finish();
        if let Some(entry) = site.entry() {
            resources
                .iter_mut()
                .for_each(|r| entry.relocate_resource(r));
            errors.iter_mut().for_each(|e| entry.relocate_error(e));
        }
        self.errors.borrow_mut().extend(errors);
        CalledInstance {
            key: instance_key,
            outputs,
            resources,
        }
    }

    /// Where each input of a module call instance comes from, as the module's variables
    /// name it: the argument at the call, and what that argument reads.
    fn input_origins(&self, site: &CallSite<'_>, suffix: &str) -> BTreeMap<String, Setting> {
        site.inputs
            .iter()
            .map(|input| {
                let at = Position::from_offset(
                    &site.file.text,
                    input.range.clone().map_or(0, |r| r.start),
                );
                let setting = Setting::ModuleInput {
                    call: format!("module.{}{suffix}", site.name),
                    at: Location::new(&site.file.path, at),
                    upstream: self.origin_of(input.expr).map(Box::new),
                };
                (input.name.to_owned(), setting)
            })
            .collect()
    }

    /// The module a call's `source` names, or why it cannot be checked: a directory
    /// beside the caller, one `terraform init` installed, or a package downloaded now.
    pub(super) fn call_dir(&self, name: &str, file: &SourceFile, block: &Block) -> Option<Target> {
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
        let local = |dir: PathBuf, package: Option<Arc<Package>>| Target {
            dir,
            package,
            enters: false,
        };
        if crate::local_source(text) {
            let dir = self.dir.join(text);
            if let Some(package) = &self.package {
                let dir = normalize(&dir);
                if !(dir.starts_with(&package.root) && dir.is_dir()) {
                    let message = format!(
                        "module `{name}` (source \"{text}\") is not read: it is no directory of the package {}",
                        package.name
                    );
                    self.error(file, source.range, message);
                    return None;
                }
                return Some(local(dir, Some(Arc::clone(package))));
            }
            if let Some(why) = self.children.refused(&dir) {
                let message = format!("module `{name}` (source \"{text}\") is not read: {why}");
                self.error(file, source.range, message);
                return None;
            }
            return Some(local(dir, None));
        }
        let key = if self.key.is_empty() {
            name.to_owned()
        } else {
            format!("{}.{name}", self.key)
        };
        if let Some(dir) = self.children.installed(&key) {
            return Some(local(dir, None));
        }
        let version = block
            .argument("version")
            .and_then(|version| version.expr.literal_text());
        let message = match self.children.download(text, version) {
            Some(Ok(package)) => {
                return Some(Target {
                    dir: package.dir.clone(),
                    package: Some(package),
                    enters: true,
                });
            }
            Some(Err(why)) => format!(
                "module `{key}` (source \"{text}\") could not be downloaded, so its resources are not checked: {why}"
            ),
            None => format!(
                "module `{key}` (source \"{text}\") is not installed, so its resources are not checked: \
                 run `terraform init` to download it into .terraform/modules, or check with --download-modules"
            ),
        };
        self.error(file, source.range, message);
        None
    }

    /// The value `module.NAME` has for the caller.
    pub(super) fn module_reference(&self, name: &str) -> Reference {
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
}
