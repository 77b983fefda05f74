//! What names mean while an expression is evaluated: the seam between the expression
//! evaluator and the module that owns variables, locals, resources and module calls.

use super::functions::FunctionError;
use super::value::Value;

/// What a reference's root (and the attributes it consumed) resolved to.
pub enum Reference {
    /// An ordinary value: a variable, a local, a module's outputs, `path.module`...
    Value(Value),
    /// A managed resource. `value` holds its instances' configured attributes (one object,
    /// a list for `count`, an object by key for `for_each`); an attribute that is not
    /// configured is known only after apply and refers to the instance.
    Resource {
        value: Value,
        address: String,
        expansion: Expansion,
    },
    /// Nothing by that name: Terraform would refuse the configuration; the evaluator
    /// makes it an unknown value with this reason.
    Undefined(String),
}

/// How a resource (or module call) is expanded into instances.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expansion {
    /// One instance, addressed without a key.
    Single,
    /// `count`: instances `[0]`, `[1]`, ...
    Count,
    /// `for_each`: instances `["key"]`.
    ForEach,
}

/// Resolves the roots of references for the evaluator.
pub trait Scope {
    /// Resolves `root` followed by the attribute names `attrs` (those written right after
    /// it, e.g. `["acl"]` for `var.acl`, `["b", "id"]` for `aws_s3_bucket.b.id`), and
    /// returns how many of `attrs` it consumed.
    fn resolve(&self, root: &str, attrs: &[&str]) -> (Reference, usize);

    /// Calls a built-in function; the default knows none, so every call is unknown.
    fn call(&self, name: &str, args: Vec<Value>) -> Result<Value, FunctionError> {
        let _ = (name, args);
        Err(FunctionError::Unmodelled)
    }
}

/// A scope with nothing in it: for constant expressions (tfvars, defaults, `-var`).
pub struct Empty;

impl Scope for Empty {
    fn resolve(&self, root: &str, _attrs: &[&str]) -> (Reference, usize) {
        (
            Reference::Undefined(format!("`{root}` cannot be used in a constant value")),
            0,
        )
    }
}
