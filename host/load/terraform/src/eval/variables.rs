//! Input variables: their declarations, and the value each one has once every source
//! Terraform reads has been applied in Terraform's order of precedence.
//!
//! From lowest to highest precedence (a later source replaces an earlier one):
//! the declaration's `default`, `TF_VAR_NAME` environment variables, `terraform.tfvars`,
//! `terraform.tfvars.json`, `*.auto.tfvars` and `*.auto.tfvars.json` in lexical order of
//! file name, then `-var-file` and `-var` options in the order they were given. The
//! winning value is converted to the declared type; a variable that gets no value at all
//! is unknown, as it would be for a plan that prompts for it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::Structure;
use hcl_edit::template::ForDirective;
use hcl_edit::visit::{Visit, visit_expr};

use super::expr::constant;
use super::syntax::{Expr, SourceFile};
use super::types::{self, TypeConstraint};
use super::value::Value;
use palisade_model::{LoadError, Location, Position, Setting, Span};
use palisade_syntax::json;
use palisade_syntax::source;
use palisade_syntax::{Node, NodeValue};

/// One `variable "NAME" { ... }` block, as far as its value depends on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Declaration {
    /// The label: `acl` in `variable "acl"`, read as `var.acl`.
    pub name: String,
    /// The `default`, converted to the declared type.
    pub default: Option<Value>,
    /// Where the `default` expression starts, to say where a default value came from.
    pub default_position: Option<Position>,
    /// The `type`; `None` when the declaration has none (any value, `-var` taken as text).
    pub constraint: Option<TypeConstraint>,
    /// `nullable = false` replaces a null value by the default.
    pub nullable: bool,
    /// `sensitive = true`: the value is not to be shown in output.
    pub sensitive: bool,
    /// The file that declares the variable.
    pub file: PathBuf,
    /// The `variable "x" {` header.
    pub span: Span,
}

/// The `variable` blocks of one file, in either syntax. A bad type constraint or
/// default is reported at its position and the variable is still declared: without a
/// type, or with an unknown default.
///
/// In JSON syntax the arguments of a variable are not expressions: `type` is a string
/// holding a type expression (`"list(string)"`), and `default`, `nullable` and
/// `sensitive` are literal JSON, whose strings are not templates.
pub fn declarations(file: &SourceFile) -> (Vec<Declaration>, Vec<LoadError>) {
    let text = &file.text;
    let error = |offset: usize, message: String| LoadError {
        file: file.path.clone(),
        position: Position::from_offset(text, offset),
        message,
    };
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for declared in file.blocks().into_iter().filter(|d| d.kind == "variable") {
        let header = declared.block.header(text);
        let [name] = declared.labels.as_slice() else {
            let message = "a variable block needs one label, its name".to_owned();
            errors.push(error(header.start, message));
            continue;
        };
        let name = (*name).to_owned();
        let offset = |expr: Expr<'_>| expr.range().map_or(header.start, |r| r.start);
        let mut declaration = Declaration {
            name: name.clone(),
            default: None,
            default_position: None,
            constraint: None,
            nullable: true,
            sensitive: false,
            file: file.path.clone(),
            span: Span::from_range(text, header.clone()),
        };
        let mut default = None;
        for argument in declared.block.arguments() {
            let expr = argument.expr;
            match argument.name {
                "type" => match type_constraint(expr) {
                    Ok(constraint) => declaration.constraint = Some(constraint),
                    Err(message) => errors.push(error(
                        offset(expr),
                        format!("invalid type constraint for var.{name}: {message}"),
                    )),
                },
                "default" => default = Some(expr),
                key @ ("nullable" | "sensitive") => match literal(expr) {
                    Value::Bool(flag) if key == "nullable" => declaration.nullable = flag,
                    Value::Bool(flag) => declaration.sensitive = flag,
                    _ => errors.push(error(
                        offset(expr),
                        format!("`{key}` of var.{name} must be true or false"),
                    )),
                },
                _ => {}
            }
        }
        if let Some(expr) = default {
            let value = match not_constant(expr) {
                Some((at, why)) => {
                    let message =
                        format!("the default of var.{name} must be a literal value: {why}");
                    errors.push(error(at.map_or(offset(expr), |r| r.start), message.clone()));
                    Value::unknown(message)
                }
                None => literal(expr),
            };
            let value = match &declaration.constraint {
                Some(constraint) => types::convert(value, constraint).unwrap_or_else(|message| {
                    let message = format!("invalid default value for var.{name}: {message}");
                    errors.push(error(offset(expr), message.clone()));
                    Value::unknown(message)
                }),
                None => value,
            };
            declaration.default = Some(value);
            declaration.default_position = Some(Position::from_offset(text, offset(expr)));
        }
        found.push(declaration);
    }
    (found, errors)
}

/// The value of a variable argument that must be constant: an expression without
/// references in native syntax, literal JSON in JSON syntax.
fn literal(expr: Expr<'_>) -> Value {
    match expr {
        Expr::Hcl(expr) => constant(expr),
        Expr::Json(node) => json_value(node),
    }
}

/// Where and why `expr` is not a constant: Terraform refuses any reference and any
/// function call in a variable's default ("Variables not allowed", "Function calls not
/// allowed"); `for` expressions and directives may use their own iteration variables.
fn not_constant(expr: Expr<'_>) -> Option<(Option<std::ops::Range<usize>>, &'static str)> {
    let Expr::Hcl(expr) = expr else {
        return None;
    };
    let mut check = Constness::default();
    check.visit_expr(expr);
    check.found
}

/// Looks for the first reference or function call of an expression.
#[derive(Default)]
struct Constness {
    /// The iteration variables of the `for` expressions and directives around.
    bound: Vec<String>,
    found: Option<(Option<std::ops::Range<usize>>, &'static str)>,
}

impl Constness {
    /// Visits `visit` with `names` bound.
    fn binding(&mut self, names: [Option<&str>; 2], visit: impl FnOnce(&mut Self)) {
        let before = self.bound.len();
        self.bound
            .extend(names.into_iter().flatten().map(str::to_owned));
        visit(self);
        self.bound.truncate(before);
    }
}

impl Visit for Constness {
    fn visit_expr(&mut self, expr: &Expression) {
        if self.found.is_some() {
            return;
        }
        match expr {
            Expression::Variable(name) if !self.bound.iter().any(|b| b == name.as_str()) => {
                self.found = Some((expr.span(), "variables may not be used here"));
            }
            Expression::FuncCall(_) => {
                self.found = Some((expr.span(), "functions may not be called here"));
            }
            Expression::ForExpr(for_expr) => {
                let intro = &for_expr.intro;
                self.visit_expr(&intro.collection_expr);
                let names = [
                    intro.key_var.as_ref().map(|k| k.as_str()),
                    Some(intro.value_var.as_str()),
                ];
                self.binding(names, |check| {
                    for inner in [for_expr.key_expr.as_ref(), Some(&for_expr.value_expr)] {
                        inner.into_iter().for_each(|e| check.visit_expr(e));
                    }
                    if let Some(cond) = &for_expr.cond {
                        check.visit_expr(&cond.expr);
                    }
                });
            }
            _ => visit_expr(self, expr),
        }
    }

    fn visit_for_directive(&mut self, directive: &ForDirective) {
        let intro = &directive.for_expr;
        self.visit_expr(&intro.collection_expr);
        let names = [
            intro.key_var.as_ref().map(|k| k.as_str()),
            Some(intro.value_var.as_str()),
        ];
        self.binding(names, |check| check.visit_template(&intro.template));
    }
}

/// The type constraint `expr` declares; in JSON syntax, a string holding it.
fn type_constraint(expr: Expr<'_>) -> Result<TypeConstraint, String> {
    match expr {
        Expr::Hcl(expr) => types::parse(expr),
        Expr::Json(node) => {
            let text = node
                .as_str()
                .ok_or("a type must be a string in JSON syntax")?;
            let parsed = hcl_edit::parser::parse_expr(text)
                .map_err(|e| format!("`{text}` is not a type expression: {}", e.message()))?;
            types::parse(&parsed)
        }
    }
}

/// What the user gave on the command line and in the environment; the caller collects
/// it, this module reads no process state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inputs {
    /// `-var-file` and `-var` options, in command-line order: they override each other
    /// in that order, so they are kept in one list rather than two.
    pub args: Vec<CliInput>,
    /// `TF_VAR_NAME=value` environment variables, as `(NAME, value)`.
    pub env: Vec<(String, String)>,
}

/// One `-var-file` or `-var` option.
#[derive(Debug, Clone, PartialEq)]
pub enum CliInput {
    /// `-var-file=PATH`; a relative path is relative to the working directory, as for
    /// Terraform.
    File(PathBuf),
    /// `-var 'NAME=VALUE'`, as `(NAME, VALUE)`.
    Var(String, String),
}

/// Where to report a problem with a variable's value. Values from the command line
/// and the environment have no file: the "file" names the option or variable instead.
fn location(origin: &Setting) -> (PathBuf, Position) {
    match origin {
        Setting::Default(at) | Setting::File(at) => (at.file.clone(), at.position),
        Setting::Environment(name) => (PathBuf::from(format!("TF_VAR_{name}")), START),
        Setting::Flag(flag) => (PathBuf::from(flag), START),
        Setting::ModuleInput { at, .. } => (at.file.clone(), at.position),
        Setting::Parameter { setting, .. } => location(setting),
    }
}

const START: Position = Position::new(1, 1);

/// Every declared variable's value, where it came from, and the problems found on the
/// way.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Resolved {
    /// One value per declared variable: converted to its type, or unknown when it has
    /// none or the one given is invalid.
    pub values: BTreeMap<String, Value>,
    /// The source of each value; a variable with no value at all has no origin.
    pub origins: BTreeMap<String, Setting>,
    /// Unreadable files, syntax errors, values of the wrong type, unknown `-var` names.
    pub errors: Vec<LoadError>,
}

/// The value of every variable in `declarations` (those of the module in `module_dir`)
/// after applying `inputs` and the variables files of the module, in Terraform's order
/// of precedence. Files larger than `max_file_size` bytes are reported, not read; so are
/// the module's own variables files that resolve outside `scan_root` (a link to a secret
/// elsewhere on the machine), while `-var-file` reads what the user named.
pub fn values(
    declarations: &[Declaration],
    module_dir: &Path,
    inputs: &Inputs,
    max_file_size: u64,
    scan_root: &Path,
) -> Resolved {
    let declared: BTreeMap<&str, &Declaration> = declarations
        .iter()
        .map(|declaration| (declaration.name.as_str(), declaration))
        .collect();
    let mut sources = Sources {
        declared: &declared,
        max_file_size,
        assigned: BTreeMap::new(),
        errors: Vec::new(),
    };
    for declaration in declarations {
        if let (Some(value), Some(position)) = (&declaration.default, declaration.default_position)
        {
            let origin = Setting::Default(Location::new(&declaration.file, position));
            sources.assign(&declaration.name, value.clone(), origin);
        }
    }
    for (name, text) in &inputs.env {
        if declared.contains_key(name.as_str()) {
            let origin = Setting::Environment(name.clone());
            sources.assign_text(name, text, origin);
        }
    }
    for file in module_files(module_dir) {
        match outside(&file, scan_root) {
            None => sources.read_file(&file),
            Some(message) => sources.errors.push(LoadError {
                file,
                position: START,
                message,
            }),
        }
    }
    for arg in &inputs.args {
        match arg {
            CliInput::File(file) => sources.read_file(file),
            CliInput::Var(name, text) if declared.contains_key(name.as_str()) => {
                sources.assign_text(name, text, Setting::Flag("-var"));
            }
            CliInput::Var(name, _) => sources.errors.push(LoadError {
                file: PathBuf::from("-var"),
                position: START,
                message: format!(
                    "a variable named {name:?} was assigned on the command line, but the \
                     module does not declare a variable of that name"
                ),
            }),
        }
    }
    sources.finish(declarations)
}

/// The variables files Terraform reads from the module directory by itself, in order.
fn module_files(module_dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = ["terraform.tfvars", "terraform.tfvars.json"]
        .iter()
        .map(|name| module_dir.join(name))
        .filter(|path| path.is_file())
        .collect();
    let mut auto: Vec<(String, PathBuf)> = std::fs::read_dir(module_dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let auto = name.ends_with(".auto.tfvars") || name.ends_with(".auto.tfvars.json");
            (auto && entry.path().is_file()).then(|| (name, entry.path()))
        })
        .collect();
    auto.sort();
    files.extend(auto.into_iter().map(|(_, path)| path));
    files
}

/// Why the variables file `file`, read without being asked for, is not read: it
/// resolves (links followed) outside `scan_root`. Nothing of the target is quoted.
fn outside(file: &Path, scan_root: &Path) -> Option<String> {
    let bound = std::fs::canonicalize(scan_root).unwrap_or_else(|_| scan_root.to_path_buf());
    match std::fs::canonicalize(file) {
        Ok(target) if target.starts_with(&bound) => None,
        Ok(_) => Some(format!(
            "the variables file is not read: it is a link to a file outside {}",
            bound.display()
        )),
        Err(error) => Some(format!("the variables file cannot be read: {error}")),
    }
}

/// The values assigned so far, the last assignment of each variable winning.
struct Sources<'a> {
    declared: &'a BTreeMap<&'a str, &'a Declaration>,
    max_file_size: u64,
    assigned: BTreeMap<String, (Value, Setting)>,
    errors: Vec<LoadError>,
}

impl Sources<'_> {
    fn assign(&mut self, name: &str, value: Value, origin: Setting) {
        self.assigned.insert(name.to_owned(), (value, origin));
    }

    /// A `-var` or `TF_VAR_` value: the text itself for a variable without a type or of a
    /// primitive type, else an HCL expression (Terraform's rule).
    fn assign_text(&mut self, name: &str, text: &str, origin: Setting) {
        let constraint = self.declared.get(name).and_then(|d| d.constraint.as_ref());
        if constraint.is_none_or(TypeConstraint::is_primitive) {
            self.assign(name, Value::String(text.to_owned()), origin);
            return;
        }
        match hcl_edit::parser::parse_expr(text) {
            Ok(expr) => self.assign(name, constant(&expr), origin),
            Err(e) => {
                let (file, _) = location(&origin);
                self.errors.push(LoadError {
                    file,
                    position: Position::from_offset(text, e.location().offset()),
                    message: format!("invalid value for var.{name}: {}", e.message()),
                });
            }
        }
    }

    /// Assigns the variables set in `file`, a `.tfvars` (HCL) or `.tfvars.json` file.
    fn read_file(&mut self, file: &Path) {
        let text = match source::read_text(file, self.max_file_size) {
            Ok(text) => text,
            Err(error) => return self.errors.push(error),
        };
        let is_json = file
            .extension()
            .is_some_and(|extension| extension == "json");
        let (assignments, errors) = if is_json {
            json_assignments(file, &text)
        } else {
            hcl_assignments(file, &text)
        };
        self.errors.extend(errors);
        for (name, value, position) in assignments {
            // Terraform only warns about a value for an undeclared variable in a file.
            if self.declared.contains_key(name.as_str()) {
                let origin = Setting::File(Location::new(file, position));
                self.assign(&name, value, origin);
            }
        }
    }

    /// Converts each winning value to its variable's type, and gives the variables no
    /// source assigned their unknown value.
    fn finish(mut self, declarations: &[Declaration]) -> Resolved {
        let mut resolved = Resolved::default();
        for declaration in declarations {
            let name = &declaration.name;
            let Some((value, origin)) = self.assigned.remove(name) else {
                let reason = format!("var.{name} has no value (no default, not set)");
                resolved.values.insert(name.clone(), Value::unknown(reason));
                continue;
            };
            let (value, origin) = match (value, &declaration.default) {
                (Value::Null, Some(default)) if !declaration.nullable => {
                    let position = declaration.default_position.unwrap_or(START);
                    let origin = Setting::Default(Location::new(&declaration.file, position));
                    (default.clone(), origin)
                }
                (Value::Null, None) if !declaration.nullable => {
                    let message = format!("var.{name} may not be null (nullable = false)");
                    self.errors.push(located(&origin, message.clone()));
                    (Value::unknown(message), origin)
                }
                (value, _) => (value, origin),
            };
            let value = match &declaration.constraint {
                Some(constraint) => types::convert(value, constraint).unwrap_or_else(|message| {
                    let message = format!("invalid value for var.{name}: {message}");
                    self.errors.push(located(&origin, message.clone()));
                    Value::unknown(message)
                }),
                None => value,
            };
            resolved.values.insert(name.clone(), value);
            resolved.origins.insert(name.clone(), origin);
        }
        resolved.errors = self.errors;
        resolved
    }
}

fn located(origin: &Setting, message: String) -> LoadError {
    let (file, position) = location(origin);
    LoadError {
        file,
        position,
        message,
    }
}

/// A variable name, its value and where its assignment starts.
type Assignment = (String, Value, Position);

/// The assignments of a `.tfvars` file: `NAME = expression` lines, nothing else (the
/// parser itself refuses a name assigned twice).
fn hcl_assignments(file: &Path, text: &str) -> (Vec<Assignment>, Vec<LoadError>) {
    let error = |offset: usize, message: String| LoadError {
        file: file.to_path_buf(),
        position: Position::from_offset(text, offset),
        message,
    };
    let body = match hcl_edit::parser::parse_body(text) {
        Ok(body) => body,
        Err(e) => {
            let message = format!("invalid HCL: {}", e.message());
            return (Vec::new(), vec![error(e.location().offset(), message)]);
        }
    };
    let mut assignments: Vec<Assignment> = Vec::new();
    let mut errors = Vec::new();
    for structure in body.iter() {
        match structure {
            Structure::Attribute(attribute) => {
                let name = attribute.key.as_str();
                let offset = attribute.key.span().map_or(0, |r| r.start);
                let position = Position::from_offset(text, offset);
                assignments.push((name.to_owned(), constant(&attribute.value), position));
            }
            Structure::Block(block) => {
                let offset = block.ident.span().map_or(0, |r| r.start);
                let message = "blocks are not allowed in a variables file".to_owned();
                errors.push(error(offset, message));
            }
        }
    }
    (assignments, errors)
}

/// The assignments of a `.tfvars.json` file: one object whose keys are variable names.
fn json_assignments(file: &Path, text: &str) -> (Vec<Assignment>, Vec<LoadError>) {
    let root = match json::parse(file, text) {
        Ok(Some(root)) => root,
        Ok(None) => return (Vec::new(), Vec::new()),
        Err(error) => return (Vec::new(), vec![error]),
    };
    let error = |offset: usize, message: String| LoadError {
        file: file.to_path_buf(),
        position: Position::from_offset(text, offset),
        message,
    };
    let Some(entries) = root.as_object() else {
        let message = "a variables file must hold an object".to_owned();
        return (Vec::new(), vec![error(root.span.start, message)]);
    };
    let mut assignments: Vec<Assignment> = Vec::new();
    let mut errors = Vec::new();
    for entry in entries {
        let position = Position::from_offset(text, entry.key_span.start);
        if let Some((_, _, first)) = assignments.iter().find(|(n, ..)| *n == entry.key) {
            let message = format!("{:?} was already set at line {}", entry.key, first.line);
            errors.push(error(entry.key_span.start, message));
            continue;
        }
        assignments.push((entry.key.clone(), json_value(&entry.value), position));
    }
    (assignments, errors)
}

fn json_value(node: &Node) -> Value {
    match &node.value {
        NodeValue::Null => Value::Null,
        NodeValue::Bool(b) => Value::Bool(*b),
        NodeValue::Number(n) => n.as_f64().map_or(Value::Null, Value::Number),
        NodeValue::String(s) => Value::String(s.clone()),
        NodeValue::Array(items) => Value::List(items.iter().map(json_value).collect()),
        NodeValue::Object(entries) => Value::Object(
            entries
                .iter()
                .map(|entry| (entry.key.clone(), json_value(&entry.value)))
                .collect(),
        ),
        NodeValue::Tagged(_, inner) => json_value(inner),
    }
}

#[cfg(test)]
#[path = "tests/variables.rs"]
mod tests;

/// The variable values of a called module: the call's arguments, converted to each
/// variable's type, else its default. Returns the values and, for the caller to report
/// at the call, what is wrong (a required input not given, a value of the wrong type).
pub fn from_inputs(
    declarations: &[Declaration],
    inputs: &BTreeMap<String, Value>,
) -> (BTreeMap<String, Value>, Vec<String>) {
    let mut values = BTreeMap::new();
    let mut problems = Vec::new();
    for declaration in declarations {
        let name = &declaration.name;
        let given = inputs
            .get(name)
            .filter(|value| !matches!(value, Value::Null) || declaration.nullable);
        let value = match (given, &declaration.default) {
            (Some(value), _) => match &declaration.constraint {
                Some(constraint) => match super::types::convert(value.clone(), constraint) {
                    Ok(converted) => converted,
                    Err(message) => {
                        problems.push(format!("invalid value for input `{name}`: {message}"));
                        Value::unknown(format!("var.{name} has an invalid value: {message}"))
                    }
                },
                None => value.clone(),
            },
            (None, Some(default)) => default.clone(),
            (None, None) => {
                problems.push(format!("the module needs input `{name}`, which is not set"));
                Value::unknown(format!("var.{name} is not set by the module call"))
            }
        };
        values.insert(name.clone(), value);
    }
    (values, problems)
}
