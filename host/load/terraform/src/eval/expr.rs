//! HCL expressions to [`Value`]s, with Terraform's semantics: operators, conditionals,
//! `for` expressions, splats, indexing, templates and function calls.
//!
//! Names are resolved by a [`Scope`]; what cannot be known (an unset variable, an
//! attribute computed at apply, a function that is not modelled) is [`Value::Unknown`]
//! and stays unknown through every operation that depends on it. Invalid expressions
//! (a type error, a missing attribute) are problems located in the source, and unknown.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::ops::Range;
use std::rc::Rc;

use hcl_edit::Span as _;
use hcl_edit::expr::{
    BinaryOperator, Expression, ForExpr, FuncCall, ObjectKey, Traversal, TraversalOperator,
    UnaryOperator,
};

use super::budget::Budget;
use super::functions::FunctionError;
use super::scope::{Expansion, Reference, Scope};
use super::template;
use super::value::{Value, format_number};

/// Something Terraform would reject, at a byte range of the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError {
    pub range: Range<usize>,
    pub message: String,
}

/// Evaluates the expressions of one source text against a scope.
pub struct Evaluator<'a> {
    scope: &'a dyn Scope,
    budget: &'a Budget,
    text: &'a str,
    /// `for` expression, template `for` and `dynamic` iterator variables, innermost last;
    /// shared, so that a nested loop does not copy the values of the loops around it at
    /// every iteration.
    bindings: Vec<(String, Rc<Value>)>,
    problems: &'a RefCell<Vec<SourceError>>,
    /// Inside `try` or `can`: a missing attribute of a known object is the error
    /// Terraform makes it, so that they fall back, rather than a value to come at apply.
    strict: bool,
}

/// Evaluates an expression without references: a variable default, a tfvars value.
/// Constants are evaluated on their own, within the default limits.
pub fn constant(expr: &Expression) -> Value {
    let problems = RefCell::new(Vec::new());
    let budget = Budget::new(palisade_model::Limits::default());
    Evaluator::new(&super::scope::Empty, &budget, "", &problems).eval(expr)
}

impl<'a> Evaluator<'a> {
    pub fn new(
        scope: &'a dyn Scope,
        budget: &'a Budget,
        text: &'a str,
        problems: &'a RefCell<Vec<SourceError>>,
    ) -> Self {
        Self {
            scope,
            budget,
            text,
            bindings: Vec::new(),
            problems,
            strict: false,
        }
    }

    /// The same evaluator with `bindings` added (innermost wins).
    pub fn with(&self, bindings: impl IntoIterator<Item = (String, Value)>) -> Evaluator<'a> {
        let mut all = self.bindings.clone();
        all.extend(
            bindings
                .into_iter()
                .map(|(name, value)| (name, Rc::new(value))),
        );
        Evaluator {
            scope: self.scope,
            budget: self.budget,
            text: self.text,
            bindings: all,
            problems: self.problems,
            strict: self.strict,
        }
    }

    /// An evaluator with the same scope and bindings for expressions parsed from `text`
    /// (a template inside a JSON string, whose positions are relative to it); their
    /// problems go to `problems`, for the caller to place in the file.
    pub fn within<'b>(
        &'b self,
        text: &'b str,
        problems: &'b RefCell<Vec<SourceError>>,
    ) -> Evaluator<'b> {
        Evaluator {
            scope: self.scope,
            budget: self.budget,
            text,
            bindings: self.bindings.clone(),
            problems,
            strict: self.strict,
        }
    }

    /// The source text the expressions' positions refer to.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// Records a problem found outside the evaluator (in a JSON string's template).
    pub fn report(&self, problem: SourceError) {
        self.problems.borrow_mut().push(problem);
    }

    /// What this evaluation may still spend.
    pub fn budget(&self) -> &'a Budget {
        self.budget
    }

    /// The value of `expr`, one level deeper; a value it builds or copies is counted
    /// against the budget.
    pub fn eval(&self, expr: &Expression) -> Value {
        let _level = match self.budget.enter() {
            Ok(level) => level,
            Err(Some(message)) => return self.invalid(expr, &message),
            Err(None) => return stopped(),
        };
        let value = self.eval_expr(expr);
        let built = !matches!(
            expr,
            Expression::Parenthesis(_)
                | Expression::Conditional(_)
                | Expression::Null(_)
                | Expression::Bool(_)
                | Expression::Number(_)
                | Expression::UnaryOp(_)
                | Expression::BinaryOp(_)
        );
        if built && let Err(message) = self.budget.account(&value) {
            return self.invalid(expr, &message);
        }
        value
    }

    fn eval_expr(&self, expr: &Expression) -> Value {
        match expr {
            Expression::Null(_) => Value::Null,
            Expression::Bool(b) => Value::Bool(*b.value()),
            Expression::Number(n) => n.value().as_f64().map_or(Value::Null, Value::Number),
            Expression::String(s) => Value::String(s.value().clone()),
            Expression::Array(array) => Value::List(array.iter().map(|e| self.eval(e)).collect()),
            Expression::Object(object) => {
                let mut map = BTreeMap::new();
                for (key, value) in object.iter() {
                    let key_value = match key {
                        ObjectKey::Ident(ident) => Value::String(ident.as_str().to_owned()),
                        ObjectKey::Expression(key) => self.eval(key),
                    };
                    match key_value.to_text() {
                        Some(key) => {
                            map.insert(key, self.eval(value.expr()));
                        }
                        None if key_value.is_unknown() => return key_value,
                        None => {
                            return self.invalid(expr, "an object key must be a string");
                        }
                    }
                }
                Value::Object(map)
            }
            Expression::StringTemplate(t) => template::render(self, t),
            Expression::HeredocTemplate(h) => {
                template::heredoc(self, h, expr.span().and_then(|r| self.text.get(r)))
            }
            Expression::Parenthesis(inner) => self.eval(inner.inner()),
            Expression::Variable(name) => self.traverse(expr, name.as_str(), &[]),
            Expression::Conditional(c) => {
                let condition = self.eval(&c.cond_expr);
                match condition.to_bool() {
                    Some(true) => self.eval(&c.true_expr),
                    Some(false) => self.eval(&c.false_expr),
                    None if condition.is_unknown() => {
                        let (yes, no) = (self.eval(&c.true_expr), self.eval(&c.false_expr));
                        if yes == no {
                            yes
                        } else {
                            self.depends(expr, &condition)
                        }
                    }
                    None => self.invalid(&c.cond_expr, "the condition must be a bool"),
                }
            }
            Expression::FuncCall(call) => self.call(expr, call),
            Expression::Traversal(traversal) => self.traversal(expr, traversal),
            Expression::UnaryOp(op) => {
                let value = self.eval(&op.expr);
                if value.is_unknown() {
                    return value;
                }
                match op.operator.value() {
                    UnaryOperator::Neg => match value.to_number() {
                        Some(n) => Value::Number(-n),
                        None => self.invalid(expr, "a number is required"),
                    },
                    UnaryOperator::Not => match value.to_bool() {
                        Some(b) => Value::Bool(!b),
                        None => self.invalid(expr, "a bool is required"),
                    },
                }
            }
            Expression::BinaryOp(op) => self.binary(expr, op),
            Expression::ForExpr(for_expr) => self.for_expr(expr, for_expr),
        }
    }

    fn binary(&self, expr: &Expression, op: &hcl_edit::expr::BinaryOp) -> Value {
        let operator = *op.operator.value();
        let lhs = self.eval(&op.lhs_expr);
        // `&&` and `||` decide on one known side, so that `var.enabled && unknown` is false
        // when the switch is off.
        match (operator, lhs.to_bool()) {
            (BinaryOperator::And, Some(false)) => return Value::Bool(false),
            (BinaryOperator::Or, Some(true)) => return Value::Bool(true),
            _ => {}
        }
        let rhs = self.eval(&op.rhs_expr);
        match operator {
            BinaryOperator::Eq | BinaryOperator::NotEq => match lhs.equals(&rhs) {
                Some(equal) => Value::Bool(equal == (operator == BinaryOperator::Eq)),
                None => self.depends(expr, if lhs.contains_unknown() { &lhs } else { &rhs }),
            },
            BinaryOperator::And | BinaryOperator::Or => {
                match (lhs.to_bool(), rhs.to_bool()) {
                    (_, Some(r)) if lhs.is_unknown() => {
                        // `unknown && false` is false; `unknown || true` is true.
                        if (operator == BinaryOperator::And) != r {
                            Value::Bool(r)
                        } else {
                            lhs
                        }
                    }
                    (Some(l), Some(r)) => Value::Bool(if operator == BinaryOperator::And {
                        l && r
                    } else {
                        l || r
                    }),
                    _ if rhs.is_unknown() || lhs.is_unknown() => {
                        self.depends(expr, if lhs.is_unknown() { &lhs } else { &rhs })
                    }
                    _ => self.invalid(expr, "a bool is required"),
                }
            }
            _ => {
                if lhs.is_unknown() || rhs.is_unknown() {
                    return self.depends(expr, if lhs.is_unknown() { &lhs } else { &rhs });
                }
                let (Some(l), Some(r)) = (lhs.to_number(), rhs.to_number()) else {
                    return self.invalid(expr, "a number is required");
                };
                match operator {
                    BinaryOperator::Plus => Value::Number(l + r),
                    BinaryOperator::Minus => Value::Number(l - r),
                    BinaryOperator::Mul => Value::Number(l * r),
                    BinaryOperator::Div if r == 0.0 => self.invalid(expr, "division by zero"),
                    BinaryOperator::Div => Value::Number(l / r),
                    BinaryOperator::Mod if r == 0.0 => self.invalid(expr, "division by zero"),
                    BinaryOperator::Mod => Value::Number(l % r),
                    BinaryOperator::Less => Value::Bool(l < r),
                    BinaryOperator::LessEq => Value::Bool(l <= r),
                    BinaryOperator::Greater => Value::Bool(l > r),
                    BinaryOperator::GreaterEq => Value::Bool(l >= r),
                    _ => self.invalid(expr, "unsupported operator"),
                }
            }
        }
    }

    /// Evaluates an argument of `try` or `can`, which ask whether it can be evaluated:
    /// the problems of a failed attempt are dropped, but a spent evaluation budget is not
    /// theirs to hide.
    fn attempt(&self, arg: &Expression) -> Attempt {
        let before = self.problems.borrow().len();
        let strict = Evaluator {
            bindings: self.bindings.clone(),
            strict: true,
            ..*self
        };
        let value = strict.eval(arg);
        let failed = self.problems.borrow().len() > before;
        if self.budget.exhausted() {
            return Attempt::Stopped;
        }
        self.problems.borrow_mut().truncate(before);
        if failed {
            Attempt::Failed
        } else {
            Attempt::Evaluated(value)
        }
    }

    fn call(&self, expr: &Expression, call: &FuncCall) -> Value {
        let name = call.name.name.as_str();
        if !call.name.namespace.is_empty() {
            return Value::unknown(format!(
                "provider function `{}` is not modelled",
                self.quote(expr)
            ));
        }
        match name {
            // `try` and `can` look at whether their arguments can be evaluated at all.
            "try" => {
                for arg in call.args.iter() {
                    match self.attempt(arg) {
                        Attempt::Stopped => return stopped(),
                        Attempt::Evaluated(value) => return value,
                        Attempt::Failed => {}
                    }
                }
                self.invalid(expr, "no argument of `try` could be evaluated")
            }
            "can" => {
                let Some(arg) = call.args.iter().next() else {
                    return self.invalid(expr, "`can` takes one argument");
                };
                match self.attempt(arg) {
                    Attempt::Stopped => stopped(),
                    Attempt::Failed => Value::Bool(false),
                    Attempt::Evaluated(value) if value.is_unknown() => value,
                    Attempt::Evaluated(_) => Value::Bool(true),
                }
            }
            _ => {
                let mut args: Vec<Value> = call.args.iter().map(|a| self.eval(a)).collect();
                if call.args.expand_final() {
                    match args.pop() {
                        Some(Value::List(rest)) => args.extend(rest),
                        Some(unknown @ Value::Unknown(_)) => return self.depends(expr, &unknown),
                        _ => {
                            return self
                                .invalid(expr, "the final argument to expand must be a list");
                        }
                    }
                }
                match self.scope.call(name, args) {
                    Ok(value) => value,
                    Err(FunctionError::Unmodelled) => {
                        Value::unknown(format!("function `{name}` is not modelled"))
                    }
                    Err(FunctionError::Invalid(message)) => {
                        self.invalid(expr, &function_message(name, message))
                    }
                }
            }
        }
    }

    fn traversal(&self, expr: &Expression, traversal: &Traversal) -> Value {
        let operators: Vec<&TraversalOperator> =
            traversal.operators.iter().map(|o| o.value()).collect();
        match &traversal.expr {
            Expression::Variable(root) => {
                let root = root.as_str();
                let attrs: Vec<&str> = operators
                    .iter()
                    .map_while(|op| match op {
                        TraversalOperator::GetAttr(name) => Some(name.as_str()),
                        _ => None,
                    })
                    .collect();
                let (reference, used) = if let Some(value) = self.binding(root) {
                    (Reference::Value(value.clone()), 0)
                } else {
                    self.scope.resolve(root, &attrs)
                };
                self.walk(expr, reference, &operators[used.min(operators.len())..])
            }
            inner => {
                let value = self.eval(inner);
                self.walk(expr, Reference::Value(value), &operators)
            }
        }
    }

    fn traverse(&self, expr: &Expression, root: &str, operators: &[&TraversalOperator]) -> Value {
        let reference = match self.binding(root) {
            Some(value) => Reference::Value(value.clone()),
            None => self.scope.resolve(root, &[]).0,
        };
        self.walk(expr, reference, operators)
    }

    fn binding(&self, name: &str) -> Option<&Value> {
        self.bindings
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_ref())
    }

    /// Applies traversal operators to a resolved reference.
    fn walk(
        &self,
        expr: &Expression,
        reference: Reference,
        operators: &[&TraversalOperator],
    ) -> Value {
        let (value, cursor) = match reference {
            Reference::Value(value) => (value, Cursor::Plain),
            Reference::Resource {
                value,
                address,
                expansion: Expansion::Single,
            } => (value, Cursor::Instance(address)),
            Reference::Resource { value, address, .. } => (value, Cursor::Instances(address)),
            // Terraform would refuse the reference; scanned configurations are often
            // excerpts, so it is an unknown value that says why rather than an error.
            Reference::Undefined(message) => return Value::unknown(message),
        };
        self.apply(expr, value, cursor, operators)
    }

    fn apply(
        &self,
        expr: &Expression,
        value: Value,
        cursor: Cursor,
        operators: &[&TraversalOperator],
    ) -> Value {
        let Some((operator, rest)) = operators.split_first() else {
            return value;
        };
        if let Value::Unknown(_) = value {
            // Everything below an unknown is unknown, and keeps what it refers to.
            return value;
        }
        match operator {
            TraversalOperator::GetAttr(name) => {
                let name = name.as_str();
                match (value, cursor) {
                    (Value::Object(mut map), Cursor::Instance(address)) => match map.remove(name) {
                        Some(attribute) => self.apply(expr, attribute, Cursor::Plain, rest),
                        None => Value::reference(
                            format!("`{address}.{name}` is known only after apply"),
                            address,
                        ),
                    },
                    (Value::Object(mut map), _) => match map.remove(name) {
                        Some(attribute) => self.apply(expr, attribute, Cursor::Plain, rest),
                        // Resource instances reached through a `for` expression or a
                        // function hold their configured attributes only: a missing one
                        // is most likely computed at apply, not an error. Inside `try`
                        // and `can` it is the error Terraform makes of a missing
                        // attribute of a known object (the common case there).
                        None if self.strict => self.invalid(
                            expr,
                            &format!("`{}` has no attribute `{name}`", self.quote(expr)),
                        ),
                        None => Value::unknown(format!(
                            "`{}` has no attribute `{name}` before apply",
                            self.quote(expr)
                        )),
                    },
                    (Value::Null, _) => {
                        self.invalid(expr, &format!("cannot read `{name}` of null"))
                    }
                    (other, _) => self.invalid(
                        expr,
                        &format!("cannot read `{name}` of a {}", other.type_name()),
                    ),
                }
            }
            TraversalOperator::Index(index) => {
                let key = self.eval(index);
                self.index(expr, value, cursor, key, rest)
            }
            TraversalOperator::LegacyIndex(n) => {
                let key = Value::Number(*n.value() as f64);
                self.index(expr, value, cursor, key, rest)
            }
            TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                let full = matches!(operator, TraversalOperator::FullSplat(_));
                self.splat(expr, value, cursor, full, rest)
            }
        }
    }

    /// A splat (`[*]`, or `.*` when not `full`) over `value`, then the `rest`.
    fn splat(
        &self,
        expr: &Expression,
        value: Value,
        cursor: Cursor,
        full: bool,
        rest: &[&TraversalOperator],
    ) -> Value {
        // An attribute splat applies only the attribute accesses that follow it.
        let split = if full {
            rest.len()
        } else {
            rest.iter()
                .take_while(|op| matches!(op, TraversalOperator::GetAttr(_)))
                .count()
        };
        let (each, after) = rest.split_at(split);
        let items: Vec<(Value, Cursor)> = match (value, cursor) {
            (Value::List(items), Cursor::Instances(address)) => items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (v, Cursor::Instance(format!("{address}[{i}]"))))
                .collect(),
            (Value::Object(map), Cursor::Instances(address)) => map
                .into_iter()
                .map(|(k, v)| (v, Cursor::Instance(format!("{address}[{k:?}]"))))
                .collect(),
            (Value::List(items), _) => items.into_iter().map(|v| (v, Cursor::Plain)).collect(),
            (Value::Null, _) => Vec::new(),
            (single, cursor) => vec![(single, cursor)],
        };
        let mapped = items
            .into_iter()
            .map(|(v, c)| self.apply(expr, v, c, each))
            .collect();
        self.apply(expr, Value::List(mapped), Cursor::Plain, after)
    }

    fn index(
        &self,
        expr: &Expression,
        value: Value,
        cursor: Cursor,
        key: Value,
        rest: &[&TraversalOperator],
    ) -> Value {
        if key.is_unknown() {
            return match cursor {
                Cursor::Instances(address) | Cursor::Instance(address) => Value::reference(
                    format!("an instance of `{address}` chosen by an unknown key"),
                    address,
                ),
                Cursor::Plain => self.depends(expr, &key),
            };
        }
        let instance = |label: String| match &cursor {
            Cursor::Instances(address) => Cursor::Instance(format!("{address}[{label}]")),
            _ => Cursor::Plain,
        };
        match value {
            Value::List(mut items) => {
                let Some(i) = key.to_number().filter(|n| n.fract() == 0.0 && *n >= 0.0) else {
                    return self.invalid(expr, "a list index must be a whole number");
                };
                let i = i as usize;
                if i >= items.len() {
                    return self.invalid(
                        expr,
                        &format!("index {i} is out of range for a list of {}", items.len()),
                    );
                }
                let item = items.swap_remove(i);
                self.apply(expr, item, instance(i.to_string()), rest)
            }
            Value::Object(mut map) => {
                let Some(name) = key.to_text() else {
                    return self.invalid(expr, "a map key must be a string");
                };
                match map.remove(&name) {
                    Some(item) => self.apply(expr, item, instance(format!("{name:?}")), rest),
                    None => self.invalid(expr, &format!("no element with key {name:?}")),
                }
            }
            other => self.invalid(expr, &format!("cannot index a {}", other.type_name())),
        }
    }

    fn for_expr(&self, expr: &Expression, for_expr: &ForExpr) -> Value {
        let collection = self.eval(&for_expr.intro.collection_expr);
        let pairs: Vec<(Value, Value)> = match collection.into_entries() {
            Ok(pairs) => pairs,
            Err(unknown @ Value::Unknown(_)) => return self.depends(expr, &unknown),
            Err(Value::Null) => return self.invalid(expr, "cannot iterate over null"),
            Err(other) => {
                return self.invalid(
                    expr,
                    &format!("cannot iterate over a {}", other.type_name()),
                );
            }
        };
        let key_var = for_expr
            .intro
            .key_var
            .as_ref()
            .map(|k| k.as_str().to_owned());
        let value_var = for_expr.intro.value_var.as_str().to_owned();
        let mut list = Vec::new();
        let mut object: BTreeMap<String, Value> = BTreeMap::new();
        for (key, value) in pairs {
            let mut bindings = vec![(value_var.clone(), value)];
            if let Some(key_var) = &key_var {
                bindings.push((key_var.clone(), key));
            }
            let inner = self.with(bindings);
            if let Some(cond) = &for_expr.cond {
                let keep = inner.eval(&cond.expr);
                match keep.to_bool() {
                    Some(true) => {}
                    Some(false) => continue,
                    None if keep.is_unknown() => return self.depends(expr, &keep),
                    None => return self.invalid(&cond.expr, "the condition must be a bool"),
                }
            }
            let element = inner.eval(&for_expr.value_expr);
            match &for_expr.key_expr {
                None => list.push(element),
                Some(key_expr) => {
                    let key = inner.eval(key_expr);
                    let Some(key) = key.to_text() else {
                        return if key.is_unknown() {
                            self.depends(expr, &key)
                        } else {
                            self.invalid(key_expr, "a key must be a string")
                        };
                    };
                    if for_expr.grouping {
                        let group = object.entry(key).or_insert_with(|| Value::List(Vec::new()));
                        if let Value::List(group) = group {
                            group.push(element);
                        }
                    } else if object.insert(key.clone(), element).is_some() {
                        return self
                            .invalid(expr, &format!("duplicate key {key:?}; add `...` to group"));
                    }
                }
            }
        }
        if for_expr.key_expr.is_some() {
            Value::Object(object)
        } else {
            Value::List(list)
        }
    }

    /// An unknown result of `expr` that depends on `input`'s unknown value.
    pub fn depends(&self, expr: &Expression, input: &Value) -> Value {
        let why = input
            .first_unknown()
            .map(|u| u.reason.as_str())
            .unwrap_or("unknown input");
        Value::unknown(format!(
            "`{}` depends on an unknown value: {why}",
            self.quote(expr)
        ))
    }

    /// Records that `expr` is invalid, and returns an unknown value for it.
    pub fn invalid(&self, expr: &Expression, message: &str) -> Value {
        let range = expr.span().unwrap_or(0..0);
        self.problems.borrow_mut().push(SourceError {
            range,
            message: message.to_owned(),
        });
        Value::unknown(format!("`{}` is invalid: {message}", self.quote(expr)))
    }

    /// The source of `expr`, shortened for messages.
    pub fn quote(&self, expr: &Expression) -> String {
        let source = expr.span().and_then(|range| self.text.get(range));
        shorten(source.unwrap_or("expression"))
    }

    /// The value of `value` as template text, or why it has none.
    pub fn text_of(&self, expr: &Expression, value: &Value) -> Result<String, Value> {
        match value {
            // The text is unknown for the same reason; a reference inside a string is not
            // the resource itself, so what it refers to is not carried on.
            Value::Unknown(unknown) => Err(Value::unknown(unknown.reason.clone())),
            Value::Number(n) => Ok(format_number(*n)),
            other => other.to_text().ok_or_else(|| {
                self.invalid(
                    expr,
                    &format!("cannot include a {} in a string", other.type_name()),
                )
            }),
        }
    }
}

/// A function's error as reported at its call: it names the function once, whether
/// or not the function's own message already does.
fn function_message(name: &str, message: String) -> String {
    if message.contains(&format!("`{name}`")) {
        message
    } else {
        format!("`{name}`: {message}")
    }
}

/// How an argument of `try` or `can` went.
enum Attempt {
    Evaluated(Value),
    Failed,
    /// The evaluation budget ran out: nothing more is evaluated.
    Stopped,
}

/// The value of whatever is evaluated once the budget is spent (the error that says so
/// is reported where it happened).
pub fn stopped() -> Value {
    Value::unknown("evaluation stopped: the values computed reached their limit")
}

/// `source` cut to its first line and at most a few dozen characters, for messages.
pub fn shorten(source: &str) -> String {
    const MAX_CHARS: usize = 60;
    let source = source.trim();
    let first_line = source.lines().next().unwrap_or_default();
    if first_line.chars().count() > MAX_CHARS || first_line.len() < source.len() {
        let short: String = first_line.chars().take(MAX_CHARS).collect();
        format!("{short}...")
    } else {
        first_line.to_owned()
    }
}

/// Where a traversal stands relative to a resource, so that an attribute that is not
/// configured becomes a reference to the right instance.
enum Cursor {
    Plain,
    /// One instance, by its address.
    Instance(String),
    /// All instances of a counted or `for_each` resource.
    Instances(String),
}
