//! Alibaba Cloud ROS templates (`ROSTemplateFormatVersion: '2015-09-01'`), JSON or YAML,
//! to resources.
//!
//! Each entry of `Resources` is a resource: its logical id is the address, `Type` the
//! type, `Properties` the attributes (with spans relative to `Properties`, so
//! `SecurityGroupIngress[0].SourceCidrIp`). Parameters, conditions and intrinsic
//! functions are evaluated ([`eval`]); a resource whose `Condition` is false does not
//! exist, and one with a `Count` becomes `Name[0]`, `Name[1]`, ... A `Ref` or `Fn::GetAtt`
//! of a counted resource is, as in ROS, the list of its instances, so that
//! `Fn::Select [{Ref: ALIYUN::Index}, {Ref: Name}]` refers to `Name[i]`; when the count or
//! the index is unknown, the reference is to `Name`. A property whose value comes from a
//! parameter records where that value was given (its origin, shown with findings).
//! A resource whose properties depend on conditions that are unknown is checked once per
//! branch ([`branches`]).
//!
//! A template with `Transform: Aliyun::Terraform-v1.x` holds Terraform code instead
//! ([`workspace`]). Repeated keys in any mapping are errors ([`duplicates`]).

mod branches;
mod declared;
mod duplicates;
mod eval;
mod intrinsic;
mod workspace;

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde_json::Value;

use eval::{Index, Template};
use palisade_model::{
    AttrPath, Limit, Limits, LineIndex, LoadError, Location, Origin, Resource, Source, secret_paths,
};
use palisade_syntax::{Entry, Node, NodeValue};

pub use eval::{RosInput, RosInputs};

/// What the user gives the ROS loader.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// What loading may spend: file sizes (of parameter files, here), instances, value
    /// sizes, depth.
    pub limits: Limits,
    /// Parameter values from `--parameters` and `--param`.
    pub parameters: RosInputs,
    /// Fetches the registry, git and archive modules a `Workspace` calls
    /// (`--download-modules`), as ROS runs `terraform init` on it.
    pub downloads: Option<std::sync::Arc<palisade_terraform::modules::Downloader>>,
}

/// What loading one template found.
#[derive(Debug, Default)]
pub struct TemplateLoad {
    pub resources: Vec<Resource>,
    /// Problems of the template: each fails the check.
    pub errors: Vec<LoadError>,
    /// What was left unchecked though the template is valid (a stack whose template is
    /// elsewhere).
    pub warnings: Vec<LoadError>,
}

/// The resources of the template `root` (parsed from `text`, the contents of `file`), as
/// [`load`] finds them, and its errors.
pub fn resources(
    root: &Node,
    text: &str,
    file: &Path,
    options: &Options,
) -> (Vec<Resource>, Vec<LoadError>) {
    let load = load(root, text, file, options);
    (load.resources, load.errors)
}

/// The resources of the template `root` (parsed from `text`, the contents of `file`),
/// with the parameter values of `options`, an error for every problem found (the
/// resources without one still load), and a warning for what was left unchecked.
pub fn load(root: &Node, text: &str, file: &Path, options: &Options) -> TemplateLoad {
    let (given, mut errors) = eval::given(&options.parameters, options.limits.file_size);
    let lines = LineIndex::new(text);
    let context = Context {
        text,
        lines: &lines,
        file,
        options,
        warnings: RefCell::default(),
    };
    let section = root.get("Resources");
    errors.extend(
        duplicates::repeated_keys(root, text, section.map(|entry| &entry.value))
            .into_iter()
            .map(|(range, message)| context.error(range, message)),
    );
    let (mut resources, problems) = context.template(root, &given, 0);
    errors.extend(problems);
    let parameters = declared::parameters(root, text, &lines, file);
    let max_instances = usize::try_from(options.limits.instances).unwrap_or(usize::MAX);
    if resources.len() + parameters.len() > max_instances {
        let what = format!(
            "the template's {} parameters bring it to {} resources",
            parameters.len(),
            resources.len() + parameters.len()
        );
        let message = options.limits.exceeded(Limit::Instances, what);
        let at = root
            .get("Parameters")
            .map_or(0..0, |entry| entry.key_span.clone());
        errors.push(context.error(at, message));
    } else {
        resources.extend(parameters);
    }
    TemplateLoad {
        resources,
        errors,
        warnings: context.warnings.into_inner(),
    }
}

/// What the templates of one file share: the file, and the options of the load.
struct Context<'a> {
    text: &'a str,
    lines: &'a LineIndex,
    file: &'a Path,
    options: &'a Options,
    warnings: RefCell<Vec<LoadError>>,
}

/// How many stacks deep inline templates are evaluated.
const MAX_STACK_NESTING: usize = 5;

type SourceError = (std::ops::Range<usize>, String);

impl Context<'_> {
    fn error(&self, range: std::ops::Range<usize>, message: String) -> LoadError {
        LoadError {
            file: self.file.to_path_buf(),
            position: self.lines.position(self.text, range.start),
            message,
        }
    }

    /// The resources of the template `root`, evaluated with the parameter values
    /// `given`; `nesting` stacks deep (0 for the file's own template).
    fn template(
        &self,
        root: &Node,
        given: &HashMap<String, eval::Given>,
        nesting: usize,
    ) -> (Vec<Resource>, Vec<LoadError>) {
        let options = self.options;
        let template = Template::new(
            root,
            self.text,
            self.lines,
            self.file,
            given,
            options.limits,
        );
        let mut resources = Vec::new();
        let mut errors = Vec::new();
        if workspace::is_terraform(root) {
            let (found, problems) =
                workspace::resources(root, self.text, self.file, &template, options);
            resources.extend(found);
            errors.extend(problems);
        }
        let section = root.get("Resources");
        let entries = match section.map(|entry| (entry, entry.value.as_object())) {
            None => &[][..],
            Some((_, Some(entries))) => entries,
            Some((section, None)) => {
                let message = format!(
                    "`Resources` must be a mapping, found {}",
                    section.value.kind()
                );
                errors.push(self.error(section.value.span.clone(), message));
                &[][..]
            }
        };
        let max_instances = usize::try_from(options.limits.instances).unwrap_or(usize::MAX);
        let logical_ids: HashMap<&str, &Entry> =
            entries.iter().rev().map(|e| (e.key.as_str(), e)).collect();
        for entry in entries {
            let first = logical_ids[entry.key.as_str()];
            if !std::ptr::eq(first, entry) {
                let line = self.lines.position(self.text, first.key_span.start).line;
                let message = format!(
                    "duplicate resource `{}` (first defined on line {line})",
                    entry.key
                );
                errors.push(self.error(entry.key_span.clone(), message));
                continue;
            }
            match self.instances(entry, &template, nesting) {
                // Each resource is at most `MAX_COUNT` instances, but a template of many
                // is more than any real one.
                Ok((instances, _)) if resources.len() + instances.len() > max_instances => {
                    let what = format!(
                        "resource `{}` brings the template to {} instances",
                        entry.key,
                        resources.len() + instances.len()
                    );
                    let message = options.limits.exceeded(Limit::Instances, what);
                    errors.push(self.error(entry.key_span.clone(), message));
                }
                Ok((instances, nested_errors)) => {
                    resources.extend(instances);
                    errors.extend(nested_errors);
                }
                Err((range, message)) => errors.push(self.error(range, message)),
            }
        }
        errors.extend(
            template
                .take_problems()
                .into_iter()
                .map(|(range, message)| self.error(range, message)),
        );
        (resources, errors)
    }

    /// The instances of the resource `entry`: none when its `Condition` is false, one per
    /// `Count` (`Name[0]`, `Name[1]`, ...), else one; for a stack with an inline template,
    /// also the resources of that template, with the errors found in it.
    fn instances(
        &self,
        entry: &Entry,
        template: &Template<'_>,
        nesting: usize,
    ) -> Result<(Vec<Resource>, Vec<LoadError>), SourceError> {
        let id = &entry.key;
        let definition = &entry.value;
        let resource_type = resource_type(entry)?;
        // An unknown condition: the resource may exist, so it is checked, and every
        // finding on it says what it depends on.
        let mut undecided = None;
        if let Some(condition) = definition.get("Condition") {
            let name = condition.value.as_str();
            let truth = match name {
                Some(name) => template.condition(name, &condition.value, 0),
                None => template.truth(&condition.value, 0),
            };
            match truth {
                Ok(false) => return Ok((Vec::new(), Vec::new())),
                Ok(true) => {}
                Err(reason) => {
                    let which = name.map_or_else(
                        || "its `Condition`".to_owned(),
                        |name| format!("condition `{name}`"),
                    );
                    let when = format!("if {which} holds, which cannot be decided: {reason}");
                    undecided = Some(Origin::of(Source::Branch(when)));
                }
            }
        }
        if let Some(url) = eval::remote_template(definition) {
            let message = format!(
                "stack `{id}` deploys a template from its `TemplateURL`, which is not read: \
                 its resources are not checked (write the template in `TemplateBody`, or \
                 check that template too)"
            );
            let warning = self.error(url.key_span.clone(), message);
            self.warnings.borrow_mut().push(warning);
        }
        let indices: Vec<(String, Index)> = match definition.get("Count") {
            None => vec![(id.clone(), Index::Absent)],
            Some(_) => match template.instance_count(id) {
                Some(n) => (0..n)
                    .map(|i| (format!("{id}[{i}]"), Index::Known(i)))
                    .collect(),
                None => vec![(id.clone(), Index::Unknown)],
            },
        };
        let mut resources = Vec::with_capacity(indices.len());
        let mut errors = Vec::new();
        for (address, index) in indices {
            template.set_index(index);
            let variants = variants(id, definition, template);
            template.set_index(Index::Absent);
            for mut variant in variants? {
                if let Some(whole) = &undecided {
                    variant
                        .origins
                        .insert(Resource::WHOLE.to_owned(), whole.clone());
                }
                if let Some(body) = eval::inline_body(definition) {
                    let (mut nested, problems) =
                        self.stack(body, definition, &variant.attributes, &address, nesting);
                    if let Some(whole) = &undecided {
                        for resource in &mut nested {
                            let origin = resource.origins.entry(Resource::WHOLE.to_owned());
                            origin.or_default().sources.extend(whole.sources.clone());
                        }
                    }
                    resources.extend(nested);
                    errors.extend(problems);
                }
                resources.push(Resource {
                    resource_type: resource_type.clone(),
                    address: address.clone(),
                    file: self.file.to_path_buf(),
                    span: self.lines.span(self.text, entry.key_span.clone()),
                    origins: variant.origins,
                    sensitive: secret_paths(&variant.attributes),
                    attributes: variant.attributes,
                    spans: variant.spans.into(),
                });
            }
        }
        Ok((resources, errors))
    }

    /// The resources of the inline template `body` of the stack `definition` at
    /// `address`, with the parameters its evaluated `attributes` pass, addressed inside
    /// the stack (`NetworkStack.SecurityGroup`).
    fn stack(
        &self,
        body: &Node,
        definition: &Node,
        attributes: &Value,
        address: &str,
        nesting: usize,
    ) -> (Vec<Resource>, Vec<LoadError>) {
        if nesting + 1 > MAX_STACK_NESTING {
            let message = format!(
                "stacks nested more than {MAX_STACK_NESTING} deep are not checked: the \
                 resources of this template are left out"
            );
            return (Vec::new(), vec![self.error(body.span.clone(), message)]);
        }
        let parameters = definition
            .get("Properties")
            .and_then(|properties| properties.value.get("Parameters"));
        let at = parameters.map_or(&body.span, |entry| &entry.value.span);
        let at = Location::new(self.file, self.lines.position(self.text, at.start));
        let given = eval::stack_parameters(attributes.get("Parameters"), address, at);
        let (mut resources, errors) = self.template(body, &given, nesting + 1);
        for resource in &mut resources {
            resource.address = format!("{address}.{}", resource.address);
        }
        (resources, errors)
    }
}

/// The `Type` of the resource `entry`, or what is wrong with it.
fn resource_type(entry: &Entry) -> Result<String, SourceError> {
    let id = &entry.key;
    let definition = &entry.value;
    if definition.as_object().is_none() {
        let found = definition.kind();
        let message = format!("resource `{id}` must be a mapping, found {found}");
        return Err((definition.span.clone(), message));
    }
    match definition.get("Type") {
        Some(Entry {
            value:
                Node {
                    value: NodeValue::String(t),
                    ..
                },
            ..
        }) => Ok(t.clone()),
        Some(t) => Err((
            t.value.span.clone(),
            format!(
                "`Type` of resource `{id}` must be a string, found {}",
                t.value.kind()
            ),
        )),
        None => Err((
            entry.key_span.clone(),
            format!("resource `{id}` has no `Type`"),
        )),
    }
}

/// The evaluated properties of one resource instance.
struct Evaluation {
    attributes: Value,
    spans: BTreeMap<String, palisade_model::Span>,
    origins: BTreeMap<String, Origin>,
}

/// The properties of `definition`, once per assignment of the unknown conditions its
/// `Fn::If`s choose on (at most [`branches::MAX_CONDITIONS`]), else once. A property
/// that differs between assignments has the assignment in its origin.
fn variants(
    id: &str,
    definition: &Node,
    template: &Template<'_>,
) -> Result<Vec<Evaluation>, SourceError> {
    let evaluate = || {
        let mut spans = BTreeMap::new();
        let attributes = properties(id, definition, template, &mut spans);
        let origins = template.take_origins();
        let undecided = template.take_undecided();
        attributes.map(|attributes| {
            let evaluation = Evaluation {
                attributes,
                spans,
                origins,
            };
            (evaluation, undecided)
        })
    };
    let (single, undecided) = evaluate()?;
    if undecided.is_empty() || undecided.len() > branches::MAX_CONDITIONS {
        return Ok(vec![single]);
    }
    // Every branch was evaluated once already, so its problems are reported.
    let assignments = branches::assignments(&undecided);
    let evaluated: Result<Vec<Evaluation>, SourceError> = template.quietly(|| {
        let evaluated = assignments
            .iter()
            .map(|assignment| {
                template.assume(assignment.clone());
                evaluate().map(|(evaluation, _)| evaluation)
            })
            .collect();
        template.assume(BTreeMap::new());
        evaluated
    });
    let Ok(mut evaluated) = evaluated else {
        return Ok(vec![single]);
    };
    let values: Vec<&Value> = evaluated.iter().map(|e| &e.attributes).collect();
    let differing = branches::differing_paths(&values);
    if differing.is_empty() {
        return Ok(vec![single]);
    }
    for (evaluation, assignment) in evaluated.iter_mut().zip(&assignments) {
        let when = branches::describe(assignment);
        for path in &differing {
            let origin = evaluation.origins.entry(path.clone()).or_default();
            origin.sources.push(Source::Branch(when.clone()));
        }
    }
    Ok(evaluated)
}

/// The evaluated `Properties` of `definition`, recording their spans into `spans`.
fn properties(
    id: &str,
    definition: &Node,
    template: &Template<'_>,
    spans: &mut BTreeMap<String, palisade_model::Span>,
) -> Result<Value, SourceError> {
    let empty = || Value::Object(Default::default());
    let Some(properties) = definition.get("Properties") else {
        return Ok(empty());
    };
    // A stack's inline template is evaluated as a template of its own.
    let stripped =
        eval::inline_body(definition).and_then(|_| eval::without_body(&properties.value));
    let node = stripped.as_ref().unwrap_or(&properties.value);
    match &node.value {
        NodeValue::Null => Ok(empty()),
        NodeValue::Object(_) if !intrinsic::is_function(node) => Ok(template
            .build(node, &AttrPath::root(), Some(spans), 0)
            .unwrap_or_else(empty)),
        // `Properties: !If [...]` and the like.
        _ if intrinsic::is_function(node) => {
            match template.build(node, &AttrPath::root(), Some(spans), 0) {
                None => Ok(empty()),
                Some(value) if value.is_object() => Ok(value),
                Some(value) => Err((
                    node.span.clone(),
                    format!("`Properties` of resource `{id}` must be a mapping, found {value}"),
                )),
            }
        }
        _ => Err((
            node.span.clone(),
            format!(
                "`Properties` of resource `{id}` must be a mapping, found {}",
                node.kind()
            ),
        )),
    }
}

#[cfg(test)]
mod tests;
