//! Evaluation of a ROS template: parameters, conditions and intrinsic functions, down to
//! the plain JSON properties that policies read.
//!
//! A [`Template`] holds what every resource may refer to (parameter values, the
//! `Mappings` and `Conditions` sections, the logical ids) and turns a node of the tree
//! into JSON, recording the span of every literal value on the way. A value that cannot
//! be known before deployment (a resource's id, a parameter nobody gave) is an unknown
//! whose reason says why; a wrong function call is a problem at the call and an unknown.
//!
//! `Fn::If` on a condition that is unknown: when both branches evaluate to the same
//! value, that value; otherwise an unknown whose reason names the condition and shows
//! both branches, so that a user can see which branch would be insecure. Such a
//! condition is remembered ([`Template::take_undecided`]) so that the resource can be
//! evaluated again with the condition assumed true, then false ([`Template::assume`]).

mod budget;
mod conditions;
mod functions;
mod locals;
mod parameters;
mod stacks;

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::intrinsic::call;
use budget::{Budget, Over, Size};
use palisade_model::{
    AttrPath, Limit, Limits, LineIndex, Origin, Resource, Setting, Source, Span, UnknownMarker,
    unknown, unknown_ref,
};
use palisade_syntax::{Entry, Node, NodeValue};

pub use parameters::{Given, RosInput, RosInputs, SourceError, given};
pub use stacks::{given as stack_parameters, inline_body, remote_template, without_body};

/// How deep functions may nest inside each other (and conditions refer to each other).
const MAX_DEPTH: usize = 200;

/// The most instances one `Count` may create.
pub const MAX_COUNT: u64 = 1000;

/// What `ALIYUN::Index` stands for while a resource is evaluated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Index {
    /// The resource has no `Count`.
    Absent,
    /// The instance of a counted resource.
    Known(usize),
    /// The resource's `Count` is unknown.
    Unknown,
}

/// The sections of a template that values are evaluated against.
pub struct Template<'t> {
    text: &'t str,
    lines: &'t LineIndex,
    file: PathBuf,
    parameters: parameters::Parameters,
    locals: locals::Locals<'t>,
    mappings: Option<&'t Node>,
    conditions: HashMap<&'t str, &'t Node>,
    truths: RefCell<HashMap<String, conditions::State>>,
    resources: HashSet<&'t str>,
    /// The `Count` of every counted resource, and its value once evaluated (`None`
    /// while it is unknown or being evaluated).
    counts: HashMap<&'t str, &'t Node>,
    instance_counts: RefCell<HashMap<String, Option<usize>>>,
    /// How many `Count`s are being evaluated, one inside another.
    counts_nesting: Cell<usize>,
    index: Cell<Index>,
    problems: RefCell<Vec<SourceError>>,
    /// The parameters read since the current property started, for its origin.
    read_parameters: RefCell<Vec<String>>,
    /// Where the values of the current resource's properties come from, by path.
    origins: RefCell<BTreeMap<String, Origin>>,
    branches: RefCell<Branches>,
    budget: Budget,
    /// The stacks with an inline template, by logical id, and the outputs of theirs
    /// read so far.
    stacks: HashMap<&'t str, &'t Node>,
    stack_outputs: RefCell<HashMap<String, Value>>,
}

/// The unknown conditions of the resource being evaluated.
#[derive(Default)]
struct Branches {
    /// Truths assumed for unknown conditions, by name.
    assumed: BTreeMap<String, bool>,
    /// Unknown conditions whose `Fn::If` branches differ, met since the last take.
    undecided: BTreeSet<String>,
}

/// Spans recorded while a value is built: attribute path to where it is written.
pub type Spans = BTreeMap<String, Span>;

impl<'t> Template<'t> {
    /// Reads the sections of `root` (the template in `text`, from `file`), with the
    /// parameter values `given` by the user, to evaluate within `limits`.
    pub fn new(
        root: &'t Node,
        text: &'t str,
        lines: &'t LineIndex,
        file: &Path,
        given: &HashMap<String, Given>,
        limits: Limits,
    ) -> Self {
        let mut problems = Vec::new();
        let parameters =
            parameters::resolve(root.get("Parameters"), given, text, file, &mut problems);
        let section = |name: &str| -> &'t [Entry] {
            root.get(name)
                .and_then(|entry| entry.value.as_object())
                .unwrap_or_default()
        };
        let conditions = section("Conditions")
            .iter()
            .map(|entry| (entry.key.as_str(), &entry.value))
            .collect();
        let resources: HashSet<&str> = section("Resources")
            .iter()
            .map(|entry| entry.key.as_str())
            .collect();
        let taken = |name: &str| resources.contains(name) || parameters.values.contains_key(name);
        let locals = locals::Locals::read(root.get("Locals"), &taken, &mut problems);
        // The first of repeated logical ids is the resource (the others are errors).
        let counts = section("Resources")
            .iter()
            .rev()
            .filter_map(|entry| Some((entry.key.as_str(), &entry.value.get("Count")?.value)))
            .collect();
        let stacks = section("Resources")
            .iter()
            .rev()
            .filter(|entry| stacks::inline_body(&entry.value).is_some())
            .map(|entry| (entry.key.as_str(), &entry.value))
            .collect();
        Self {
            text,
            lines,
            file: file.to_path_buf(),
            stacks,
            stack_outputs: RefCell::default(),
            parameters,
            locals,
            mappings: root.get("Mappings").map(|entry| &entry.value),
            conditions,
            truths: RefCell::default(),
            resources,
            counts,
            instance_counts: RefCell::default(),
            counts_nesting: Cell::new(0),
            index: Cell::new(Index::Absent),
            problems: RefCell::new(problems),
            read_parameters: RefCell::default(),
            origins: RefCell::default(),
            branches: RefCell::default(),
            budget: Budget::new(limits),
        }
    }

    /// Makes `Fn::If` on each unknown condition named in `assumed` take the branch given
    /// there (an empty map undoes it), to evaluate one branch of a resource at a time.
    pub fn assume(&self, assumed: BTreeMap<String, bool>) {
        self.branches.borrow_mut().assumed = assumed;
    }

    /// The unknown conditions that chose between different `Fn::If` branches since the
    /// last call, leaving none behind.
    pub fn take_undecided(&self) -> BTreeSet<String> {
        std::mem::take(&mut self.branches.borrow_mut().undecided)
    }

    /// Runs `evaluate` with no condition assumed and nothing remembered, for values
    /// shared by every resource (a named condition, a `Count`), which are cached.
    fn shared<T>(&self, evaluate: impl FnOnce() -> T) -> T {
        let branches = self.branches.take();
        let value = evaluate();
        self.branches.replace(branches);
        value
    }

    /// Runs `evaluate`, dropping the problems it reports (already reported once).
    pub fn quietly<T>(&self, evaluate: impl FnOnce() -> T) -> T {
        let reported = self.problems.borrow().len();
        let value = evaluate();
        self.problems.borrow_mut().truncate(reported);
        value
    }

    /// The value of parameter `name` and where it comes from (`None` for a value that is
    /// unknown or has no origin).
    pub fn parameter(&self, name: &str) -> Option<(&Value, Option<&Setting>)> {
        let value = self.parameters.values.get(name)?;
        Some((value, self.parameters.origins.get(name)))
    }

    /// Where the values of the properties built since the last call come from, by
    /// attribute path (`parameter Acl: default at t.yaml:3:31`), leaving none behind.
    pub fn take_origins(&self) -> BTreeMap<String, Origin> {
        std::mem::take(&mut self.origins.borrow_mut())
    }

    /// How many instances the counted resource `id` has: `None` when it has no `Count`
    /// or its `Count` is unknown or invalid (reported once, at the `Count`).
    pub fn instance_count(&self, id: &str) -> Option<usize> {
        let count = *self.counts.get(id)?;
        if let Some(known) = self.instance_counts.borrow().get(id) {
            return *known;
        }
        // A `Count` that refers to itself stays unknown, and so does one at the end of a
        // chain of counts too long to follow.
        self.instance_counts
            .borrow_mut()
            .insert(id.to_owned(), None);
        let nesting = self.counts_nesting.get();
        if nesting >= MAX_DEPTH {
            return None;
        }
        self.counts_nesting.set(nesting + 1);
        let index = self.index.replace(Index::Absent);
        let read = self.read_parameters.borrow().len();
        let known = self.shared(|| self.evaluate_count(count));
        self.read_parameters.borrow_mut().truncate(read);
        self.index.set(index);
        self.counts_nesting.set(nesting);
        self.instance_counts
            .borrow_mut()
            .insert(id.to_owned(), known);
        known
    }

    fn evaluate_count(&self, count: &Node) -> Option<usize> {
        let value = self.value(count, 0);
        if is_unknown(&value) {
            return None;
        }
        let number = match &value {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.trim().parse::<u64>().ok(),
            _ => None,
        };
        let instances = self.budget.limits().instances;
        match number {
            Some(n) if n <= MAX_COUNT && n <= instances => usize::try_from(n).ok(),
            Some(n) if n <= MAX_COUNT => {
                let message = self
                    .budget
                    .limits()
                    .exceeded(Limit::Instances, format!("`Count` is {n}"));
                self.report(count, message);
                None
            }
            Some(n) => {
                let message =
                    format!("`Count` is {n}, more than the {MAX_COUNT} instances checked");
                self.report(count, message);
                None
            }
            None => {
                let message = format!("`Count` must be a non-negative integer, found {value}");
                self.report(count, message);
                None
            }
        }
    }

    /// What a `Ref` or `Fn::GetAtt` of resource `id` evaluates to: an unknown that refers
    /// to it, or for a counted resource the list of its instances (`Id[0]`, `Id[1]`, ...)
    /// that `Fn::Select` picks from; one unknown referring to `id` when the count is not
    /// known.
    fn resource_reference(&self, id: &str, reason: String) -> Value {
        match self.instance_count(id) {
            Some(count) => Value::Array(
                (0..count)
                    .map(|i| unknown_ref(reason.clone(), format!("{id}[{i}]")))
                    .collect(),
            ),
            None => unknown_ref(reason, id),
        }
    }

    /// The problems found so far, leaving none behind (but the template's values going
    /// over their total, which stays).
    pub fn take_problems(&self) -> Vec<SourceError> {
        let mut problems = std::mem::take(&mut *self.problems.borrow_mut());
        problems.extend(self.budget.problem());
        problems
    }

    /// Sets what `ALIYUN::Index` evaluates to from now on.
    pub fn set_index(&self, index: Index) {
        self.index.set(index);
    }

    /// Reports a problem at `node`.
    pub fn report(&self, node: &Node, message: String) {
        self.problems
            .borrow_mut()
            .push((node.span.clone(), message));
    }

    fn problem(&self, node: &Node, message: String) -> Value {
        self.problems
            .borrow_mut()
            .push((node.span.clone(), message.clone()));
        unknown(message)
    }

    /// The JSON of `node`, which sits at `path`; with `spans`, the span of every literal
    /// value below `path` is recorded (the caller records `path`'s own). `None` is
    /// `ALIYUN::NoValue`: the property is removed.
    pub fn build(
        &self,
        node: &Node,
        path: &AttrPath,
        mut spans: Option<&mut Spans>,
        depth: usize,
    ) -> Option<Value> {
        if depth > MAX_DEPTH {
            let message = format!("functions nested deeper than {MAX_DEPTH} levels");
            return Some(self.problem(node, message));
        }
        if let Some((name, argument)) = call(node) {
            let recording = spans.is_some();
            let read = self.read_parameters.borrow().len();
            let value = if name == "If" {
                self.if_(node, argument, path, spans, depth + 1)
            } else {
                self.function(name, node, argument, depth + 1)
            };
            if recording {
                self.record_origin(path, read);
            }
            return value;
        }
        Some(match &node.value {
            NodeValue::Null => Value::Null,
            NodeValue::Bool(b) => Value::Bool(*b),
            NodeValue::Number(n) => Value::Number(n.clone()),
            NodeValue::String(s) => Value::String(s.clone()),
            NodeValue::Array(items) => {
                let mut list = Vec::with_capacity(items.len());
                let mut size = Size::default();
                for item in items {
                    let item_path = path.index(list.len());
                    record_span(&mut spans, &item_path, || self.span(item.span.clone()));
                    match self.build(item, &item_path, spans.as_deref_mut(), depth + 1) {
                        Some(value) => {
                            if let Err(over) = size.add(&self.budget, &value) {
                                return Some(self.over(node, over));
                            }
                            list.push(value);
                        }
                        None => forget_span(&mut spans, &item_path),
                    }
                }
                Value::Array(list)
            }
            NodeValue::Object(entries) => {
                let mut object = serde_json::Map::new();
                let mut size = Size::default();
                for entry in entries {
                    let entry_path = path.key(&entry.key);
                    record_span(&mut spans, &entry_path, || self.span(entry.span()));
                    match self.build(&entry.value, &entry_path, spans.as_deref_mut(), depth + 1) {
                        Some(value) => {
                            if let Err(over) = size.add(&self.budget, &value) {
                                return Some(self.over(node, over));
                            }
                            object.insert(entry.key.clone(), value);
                        }
                        // A repeated key removed by its last occurrence is removed.
                        None => {
                            forget_span(&mut spans, &entry_path);
                            object.remove(&entry.key);
                        }
                    }
                }
                Value::Object(object)
            }
            // `call` claims every tag.
            NodeValue::Tagged(_, inner) => return self.build(inner, path, spans, depth + 1),
        })
    }

    /// Records, as the origin of `path`, the parameters read since there were `read`.
    fn record_origin(&self, path: &AttrPath, read: usize) {
        let mut names: Vec<String> = self.read_parameters.borrow()[read..].to_vec();
        names.sort();
        names.dedup();
        let sources: Vec<Source> = names
            .into_iter()
            .filter_map(|name| {
                let setting = self.parameters.origins.get(&name)?.clone();
                Some(Source::Parameter { name, setting })
            })
            .collect();
        if !sources.is_empty() {
            self.origins
                .borrow_mut()
                .insert(path.to_string(), Origin { sources });
        }
    }

    /// The value of `node`, with no spans; `ALIYUN::NoValue` reads as null.
    pub fn value(&self, node: &Node, depth: usize) -> Value {
        self.build(node, &AttrPath::root(), None, depth)
            .unwrap_or(Value::Null)
    }

    fn span(&self, range: std::ops::Range<usize>) -> Span {
        self.lines.span(self.text, range)
    }

    /// `Fn::If [condition, then, else]`.
    fn if_(
        &self,
        node: &Node,
        argument: &Node,
        path: &AttrPath,
        spans: Option<&mut Spans>,
        depth: usize,
    ) -> Option<Value> {
        let Some([condition, then, otherwise]) = as_array(argument) else {
            let message = "`Fn::If` takes [condition, value if true, value if false]".to_owned();
            return Some(self.problem(node, message));
        };
        // The parameters a condition reads choose the value but are not its origin.
        let read = self.read_parameters.borrow().len();
        let (name, truth) = match condition.as_str() {
            Some(name) => (format!("`{name}`"), self.condition(name, condition, depth)),
            None => ("of `Fn::If`".to_owned(), self.truth(condition, depth)),
        };
        self.read_parameters.borrow_mut().truncate(read);
        match truth {
            Ok(true) => self.build(then, path, spans, depth),
            Ok(false) => self.build(otherwise, path, spans, depth),
            Err(reason) => {
                let assumed = condition
                    .as_str()
                    .and_then(|name| self.branches.borrow().assumed.get(name).copied());
                match assumed {
                    Some(true) => return self.build(then, path, spans, depth),
                    Some(false) => return self.build(otherwise, path, spans, depth),
                    None => {}
                }
                let first = self.build(then, &AttrPath::root(), None, depth);
                let second = self.build(otherwise, &AttrPath::root(), None, depth);
                if first == second {
                    return self.build(then, path, spans, depth);
                }
                if let Some(name) = condition.as_str() {
                    self.branches.borrow_mut().undecided.insert(name.to_owned());
                }
                Some(unknown(format!(
                    "condition {name} is unknown ({reason}): the value is either {} (true) \
                     or {} (false)",
                    brief(first.as_ref()),
                    brief(second.as_ref())
                )))
            }
        }
    }

    /// Any function but `Fn::If`, its value counted against the budget.
    fn function(&self, name: &str, node: &Node, argument: &Node, depth: usize) -> Option<Value> {
        if let Some(spent) = self.budget.spent_reason() {
            return Some(spent);
        }
        let value = self.uncounted(name, node, argument, depth)?;
        Some(match self.budget.charge(name, node, &value) {
            Ok(()) => value,
            Err(over) => self.over(node, over),
        })
    }

    /// The value of `node` when it went over a limit: a problem there, or an unknown.
    fn over(&self, node: &Node, over: Over) -> Value {
        match over {
            Over::Value(message) => self.problem(node, message),
            Over::Total(reason) => unknown(reason),
        }
    }

    fn uncounted(&self, name: &str, node: &Node, argument: &Node, depth: usize) -> Option<Value> {
        let value = match name {
            "Ref" => return self.ref_(node, argument, depth),
            "GetAtt" => self.get_att(node, argument, depth),
            "Equals" | "And" | "Or" | "Not" => match self.truth(node, depth) {
                Ok(truth) => Value::Bool(truth),
                Err(reason) => unknown(reason),
            },
            "Sub" => self.sub(node, argument, depth),
            "FindInMap" => self.find_in_map(node, argument, depth),
            _ if functions::is_supported(name) => {
                let argument = self.value(argument, depth);
                match functions::apply(name, argument, self.budget.max_value()) {
                    Ok(value) => value,
                    Err(functions::Failure::Unknown(value)) => value,
                    Err(functions::Failure::Invalid(message)) => {
                        self.problem(node, format!("`Fn::{name}`: {message}"))
                    }
                    Err(functions::Failure::TooLarge(size)) => {
                        self.problem(node, self.budget.too_large(name, size))
                    }
                }
            }
            _ => unknown(format!("`Fn::{name}` is not evaluated")),
        };
        Some(value)
    }

    /// The value of `Ref`: a parameter, a pseudo parameter or a resource.
    fn ref_(&self, node: &Node, argument: &Node, depth: usize) -> Option<Value> {
        let Some(name) = argument.as_str() else {
            return Some(self.problem(node, "`Ref` takes a name".to_owned()));
        };
        if let Some(value) = self.local(node, name, depth) {
            return Some(value);
        }
        Some(self.reference(name).unwrap_or_else(|| {
            self.problem(
                node,
                format!("`Ref` to `{name}`, which is neither a parameter, a local nor a resource"),
            )
        }))
        .filter(|_| name != "ALIYUN::NoValue")
    }

    /// What `name` refers to (`None` for a name the template does not know).
    fn reference(&self, name: &str) -> Option<Value> {
        if let Some(value) = self.parameters.values.get(name) {
            self.read_parameters.borrow_mut().push(name.to_owned());
            return Some(value.clone());
        }
        Some(match name {
            "ALIYUN::NoValue" => Value::Null,
            "ALIYUN::Index" => match self.index.get() {
                Index::Known(i) => Value::from(i),
                Index::Unknown => unknown("`ALIYUN::Index` of a resource whose `Count` is unknown"),
                Index::Absent => unknown("`ALIYUN::Index` outside a resource with `Count`"),
            },
            "ALIYUN::StackName" | "ALIYUN::StackId" | "ALIYUN::Region" | "ALIYUN::AccountId"
            | "ALIYUN::TenantId" => unknown(format!(
                "pseudo parameter `{name}` is not given (give it with --param {name}=VALUE)"
            )),
            _ if self.resources.contains(name) => self.resource_reference(
                name,
                format!("`Ref` to resource `{name}` is known only after deployment"),
            ),
            _ => return None,
        })
    }

    /// `Fn::GetAtt [resource, attribute]` or `Fn::GetAtt resource.attribute`: known only
    /// after deployment.
    fn get_att(&self, node: &Node, argument: &Node, depth: usize) -> Value {
        let (id, attribute) = match self.value(argument, depth) {
            Value::String(path) => match path.split_once('.') {
                Some((id, attribute)) => (id.to_owned(), attribute.to_owned()),
                None => (path, String::new()),
            },
            Value::Array(items) => match items.as_slice() {
                [Value::String(id), Value::String(attribute)] => (id.clone(), attribute.clone()),
                [Value::String(_), other] if is_unknown(other) => return other.clone(),
                _ => return self.problem(node, "`Fn::GetAtt` takes [resource, attribute]".into()),
            },
            other if is_unknown(&other) => return other,
            _ => return self.problem(node, "`Fn::GetAtt` takes [resource, attribute]".into()),
        };
        if let Some(value) = self.local_attribute(&id) {
            return value;
        }
        if let Some(value) = self.stack_output(node, &id, &attribute, depth) {
            return value;
        }
        let reason = format!("`Fn::GetAtt` of `{id}.{attribute}` is known only after deployment");
        if self.resources.contains(id.as_str()) {
            self.resource_reference(&id, reason)
        } else {
            self.problem(
                node,
                format!("`Fn::GetAtt` of `{id}`, which is not a resource"),
            )
        }
    }

    /// `Fn::Sub "text ${Name}"` or `Fn::Sub [text, {Name: value}]`.
    fn sub(&self, node: &Node, argument: &Node, depth: usize) -> Value {
        let (template, variables) = match self.value(argument, depth) {
            Value::String(template) => (template, serde_json::Map::new()),
            Value::Array(items) => match <[Value; 2]>::try_from(items) {
                Ok([Value::String(template), Value::Object(variables)]) => (template, variables),
                Ok([Value::String(template), other]) if is_unknown(&other) => {
                    let _ = template;
                    return other;
                }
                _ => return self.problem(node, SUB_SHAPE.to_owned()),
            },
            other if is_unknown(&other) => return other,
            _ => return self.problem(node, SUB_SHAPE.to_owned()),
        };
        let mut out = String::new();
        let mut rest = template.as_str();
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                rest = "";
                break;
            };
            let name = &after[..end];
            rest = &after[end + 1..];
            if let Some(literal) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
                continue;
            }
            let name = name.trim();
            let value = match variables.get(name) {
                Some(value) => value.clone(),
                None => match self.reference(name) {
                    Some(value) => value,
                    None => match name.split_once('.') {
                        Some((id, attribute)) if self.resources.contains(id) => self
                            .resource_reference(
                                id,
                                format!(
                                    "`Fn::GetAtt` of `{id}.{attribute}` is known only after \
                                     deployment"
                                ),
                            ),
                        _ => {
                            return self.problem(
                                node,
                                format!("`Fn::Sub` of `${{{name}}}`, which is not defined"),
                            );
                        }
                    },
                },
            };
            match value {
                Value::Object(_) | Value::Array(_) if find_unknown(&value).is_some() => {
                    return functions::propagate("Sub", find_unknown(&value).unwrap_or(&value));
                }
                Value::Object(_) | Value::Array(_) => {
                    return self.problem(
                        node,
                        format!("`Fn::Sub`: `${{{name}}}` is not a string or a number"),
                    );
                }
                other => out.push_str(&parameters::text_of(&other)),
            }
            if out.len() as u64 > self.budget.max_value() {
                return self.problem(node, self.budget.too_large("Sub", out.len() as u64));
            }
        }
        out.push_str(rest);
        Value::String(out)
    }

    /// `Fn::FindInMap [map, first key, second key]`.
    fn find_in_map(&self, node: &Node, argument: &Node, depth: usize) -> Value {
        let keys = match self.value(argument, depth) {
            Value::Array(keys) if keys.len() == 3 => keys,
            other if is_unknown(&other) => return other,
            _ => {
                let message = "`Fn::FindInMap` takes [map, first key, second key]".to_owned();
                return self.problem(node, message);
            }
        };
        if let Some(unknown) = keys.iter().find(|key| is_unknown(key)) {
            return functions::propagate("FindInMap", unknown);
        }
        let mut found = self.mappings;
        let mut trail = Vec::new();
        for key in &keys {
            let key = parameters::text_of(key);
            found = found
                .and_then(|node| node.get(&key))
                .map(|entry| &entry.value);
            trail.push(key);
            if found.is_none() {
                let message = format!("`Fn::FindInMap`: `Mappings` has no `{}`", trail.join("."));
                return self.problem(node, message);
            }
        }
        found.map_or(Value::Null, |found| self.value(found, depth))
    }
}

const SUB_SHAPE: &str = "`Fn::Sub` takes a string, or [string, {name: value}]";

/// The items of `node` if it is a list of exactly `N`.
fn as_array<const N: usize>(node: &Node) -> Option<&[Node; N]> {
    match &node.value {
        NodeValue::Array(items) => items.as_slice().try_into().ok(),
        _ => None,
    }
}

/// Whether `value` is an unknown, as [`unknown`] makes them.
pub fn is_unknown(value: &Value) -> bool {
    UnknownMarker::read(value).is_some()
}

/// The first unknown inside `value` (or `value` itself).
pub fn find_unknown(value: &Value) -> Option<&Value> {
    if is_unknown(value) {
        return Some(value);
    }
    match value {
        Value::Array(items) => items.iter().find_map(find_unknown),
        Value::Object(object) => object.values().find_map(find_unknown),
        _ => None,
    }
}

/// A value as a reason shows it: JSON, shortened.
fn brief(value: Option<&Value>) -> String {
    const MAX: usize = 60;
    let Some(value) = value else {
        return "no value (`ALIYUN::NoValue`)".to_owned();
    };
    if let Some(marker) = UnknownMarker::read(value) {
        return format!("unknown ({})", marker.reason);
    }
    let text = value.to_string();
    if text.chars().count() <= MAX {
        text
    } else {
        let cut: String = text.chars().take(MAX).collect();
        format!("{cut}…")
    }
}

/// Plain JSON for a node read outside a template (a parameters file, a default): tags
/// are ignored.
pub fn node_to_json(node: &Node) -> Value {
    match &node.value {
        NodeValue::Null => Value::Null,
        NodeValue::Bool(b) => Value::Bool(*b),
        NodeValue::Number(n) => Value::Number(n.clone()),
        NodeValue::String(s) => Value::String(s.clone()),
        NodeValue::Array(items) => Value::Array(items.iter().map(node_to_json).collect()),
        NodeValue::Object(entries) => Value::Object(
            entries
                .iter()
                .map(|entry| (entry.key.clone(), node_to_json(&entry.value)))
                .collect(),
        ),
        NodeValue::Tagged(_, inner) => node_to_json(inner),
    }
}

/// Records the span of `path` before its value is built, so that a resource's first
/// [`Resource::MAX_SPANS`] positions are those of the outermost values.
fn record_span(
    spans: &mut Option<&mut BTreeMap<String, Span>>,
    path: &AttrPath,
    span: impl FnOnce() -> Span,
) {
    if let Some(spans) = spans.as_deref_mut()
        && spans.len() < Resource::MAX_SPANS
    {
        spans.insert(path.to_string(), span());
    }
}

/// Drops the span of `path`, whose value turned out not to exist.
fn forget_span(spans: &mut Option<&mut BTreeMap<String, Span>>, path: &AttrPath) {
    if let Some(spans) = spans.as_deref_mut() {
        spans.remove(path.as_str());
    }
}
