//! The built-in functions as a scope: what a module's expressions call, and all that a
//! `templatefile` template sees besides the variables it is given.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::Path;

use super::budget::Budget;
use super::expr::Evaluator;
use super::functions::{self, FunctionContext, FunctionError, MemoryFiles};
use super::module::Module;
use super::scope::{Reference, Scope};
use super::template;
use super::value::Value;

impl Module<'_> {
    pub(super) fn functions(&self) -> FunctionsOnly<'_> {
        FunctionsOnly {
            root_dir: self.file_base,
            scan_root: self.scan_root,
            memory: self.memory,
            budget: self.budget,
        }
    }
}

/// The built-in functions and nothing else: the scope of a `templatefile` template,
/// which sees only the variables it is given.
pub struct FunctionsOnly<'a> {
    root_dir: &'a Path,
    scan_root: &'a Path,
    memory: Option<&'a MemoryFiles>,
    budget: &'a Budget,
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
            let evaluator = Evaluator::new(self, self.budget, text, &problems).with(bindings);
            let value = template::render_text(&evaluator, text);
            match problems.into_inner().into_iter().next() {
                None => Ok(value),
                Some(problem) => Err(functions::invalid(format!(
                    "`templatefile`: {}",
                    problem.message.trim_start_matches("`templatefile`: ")
                ))),
            }
        };
        let context = FunctionContext {
            module_dir: self.root_dir,
            scan_root: self.scan_root,
            memory: self.memory,
            limits: self.budget.limits,
            render_template: &render,
        };
        functions::call(name, args, &context)
    }
}
