//! `Transform: Aliyun::Terraform-v1.x` templates: a Terraform configuration embedded in a
//! ROS template, one HCL text per file name under `Workspace` (`main.tf`,
//! `modules/vpc/main.tf`, ...).
//!
//! The files are loaded as one Terraform root module (files in subdirectories are the
//! modules it calls), from memory, with the template's parameters as the values of the
//! variables of the same name, as ROS passes them. Every span and error is moved from the
//! embedded text to the template: a YAML literal block scalar (`|`) maps line for line
//! (its content starts on the line after the `|`, at the block's indentation), a string
//! written on one line without escapes maps column for column, and any other string (a
//! JSON string with `\n` escapes, a folded block) maps to the string's own position.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use super::eval::Template;
use palisade_syntax::{Entry, Node, NodeValue};
use palisade_terraform::{self as terraform, Preset};

use crate::Options;
use palisade_model::{LoadError, Location, Position, Resource, Setting, Span, Spans};

/// Whether `root` is a Terraform template: its `Transform` is `Aliyun::Terraform-...`.
pub fn is_terraform(root: &Node) -> bool {
    root.get("Transform")
        .and_then(|entry| entry.value.as_str())
        .is_some_and(|transform| transform.starts_with("Aliyun::Terraform"))
}

/// The resources of the `Workspace` of `root` (the template in `text`, from `file`), and
/// the problems found, located in the template.
pub fn resources(
    root: &Node,
    text: &str,
    file: &Path,
    template: &Template<'_>,
    options: &Options,
) -> (Vec<Resource>, Vec<LoadError>) {
    let at = |range: &Range<usize>, message: String| LoadError {
        file: file.to_path_buf(),
        position: Position::from_offset(text, range.start),
        message,
    };
    let Some(workspace) = root.get("Workspace") else {
        let message = "a Terraform template (`Transform: Aliyun::Terraform-...`) needs a \
                       `Workspace` mapping file names to Terraform code"
            .to_owned();
        let range = root
            .get("Transform")
            .map_or(0..0, |entry| entry.key_span.clone());
        return (Vec::new(), vec![at(&range, message)]);
    };
    let Some(entries) = workspace.value.as_object() else {
        let message = format!(
            "`Workspace` must be a mapping of file names to Terraform code, found {}",
            workspace.value.kind()
        );
        return (Vec::new(), vec![at(&workspace.value.span, message)]);
    };

    // The files live in a directory named after the template: it is never a directory on
    // disk, so nothing (no `terraform.tfvars`, no module) is read from there.
    let dir = file.to_path_buf();
    let (files, placements, mut errors) = workspace_files(entries, &dir, text, &at);
    let presets = presets(root, template);
    let outcome = terraform::evaluate_files(
        &dir,
        files,
        &presets,
        options.limits,
        options.downloads.clone(),
    );
    let place = Placed {
        file,
        text,
        dir: &dir,
        placements: &placements,
        workspace_at: workspace.key_span.clone(),
    };
    let set = outcome.set.resources;
    let resources = set.into_iter().map(|r| place.resource(r)).collect();
    errors.extend(outcome.errors.into_iter().map(|e| place.error(e)));
    (resources, errors)
}

/// Where each embedded file sits in the template, by the path it is evaluated under.
type Placements = HashMap<PathBuf, (String, Placement)>;

/// The files of a `Workspace` (its Terraform code and the files the code reads), where
/// each sits in the template, and the entries that cannot be files.
fn workspace_files(
    entries: &[Entry],
    dir: &Path,
    text: &str,
    at: &dyn Fn(&Range<usize>, String) -> LoadError,
) -> (Vec<(PathBuf, String)>, Placements, Vec<LoadError>) {
    let mut errors = Vec::new();
    let mut files = Vec::new();
    let mut placements = Placements::new();
    for entry in entries {
        let name = &entry.key;
        let NodeValue::String(code) = &entry.value.value else {
            let message = format!(
                "`Workspace` file `{name}` must be a string of code, found {}",
                entry.value.kind()
            );
            errors.push(at(&entry.value.span, message));
            continue;
        };
        if !stays_inside(name) {
            let message = format!(
                "`Workspace` file `{name}` must be a relative path inside the workspace \
                 (no leading `/`, no `..` above it)"
            );
            errors.push(at(&entry.key_span, message));
            continue;
        }
        let path = terraform::normalize(&dir.join(name));
        placements.insert(
            path.clone(),
            (name.clone(), Placement::of(&entry.value, code, text)),
        );
        files.push((path, code.clone()));
    }
    (files, placements, errors)
}

/// Whether the file name `name` stays inside the workspace directory: relative, and never
/// going above it with `..`. Any other file would be evaluated nowhere, and its code
/// silently go unchecked.
fn stays_inside(name: &str) -> bool {
    let mut depth = 0usize;
    for component in Path::new(name).components() {
        match component {
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::ParentDir => match depth.checked_sub(1) {
                Some(up) => depth = up,
                None => return false,
            },
            Component::RootDir | Component::Prefix(_) => return false,
        }
    }
    depth > 0
}

/// The template's parameter values, as Terraform variables of the same name: a parameter
/// nobody gave stays unknown there, rather than the variable taking its default.
fn presets(root: &Node, template: &Template<'_>) -> BTreeMap<String, Preset> {
    root.get("Parameters")
        .and_then(|entry| entry.value.as_object())
        .unwrap_or_default()
        .iter()
        .filter_map(|entry| {
            let name = &entry.key;
            let (value, origin) = template.parameter(name)?;
            let preset = Preset {
                value: value.clone(),
                origin: origin.map(|setting| Setting::Parameter {
                    name: name.clone(),
                    setting: Box::new(setting.clone()),
                }),
            };
            Some((name.clone(), preset))
        })
        .collect()
}

/// Moves what the Terraform evaluator located in embedded files into the template.
struct Placed<'a> {
    file: &'a Path,
    text: &'a str,
    dir: &'a Path,
    placements: &'a Placements,
    /// The `Workspace` key: where anything without a place of its own points.
    workspace_at: Range<usize>,
}

impl Placed<'_> {
    fn resource(&self, mut resource: Resource) -> Resource {
        if let Some((_, placement)) = self.placements.get(&resource.file) {
            resource.span = placement.span(resource.span);
            resource.spans = (resource.spans.iter())
                .map(|(path, span)| (path.clone(), placement.span(*span)))
                .collect();
        } else {
            resource.span = Span::from_range(self.text, self.workspace_at.clone());
            resource.spans = Spans::default();
        }
        for origin in resource.origins.values_mut() {
            origin.locations_mut(&mut |location| self.relocate(location));
        }
        resource.file = self.file.to_path_buf();
        resource
    }

    /// `location`, if inside an embedded file, moved to the template.
    fn relocate(&self, location: &mut Location) {
        if let Some((_, placement)) = self.placements.get(&location.file) {
            location.position = placement.position(location.position);
            location.file = self.file.to_path_buf();
        }
    }

    fn error(&self, mut error: LoadError) -> LoadError {
        match self.placements.get(&error.file) {
            Some((name, placement)) => {
                error.position = placement.position(error.position);
                error.message = format!("in `Workspace` file `{name}`: {}", error.message);
            }
            None if error.file.starts_with(self.dir) => {
                error.position = Position::from_offset(self.text, self.workspace_at.start);
            }
            None => {}
        }
        error.file = self.file.to_path_buf();
        error
    }
}

/// Where the text of one embedded file is written in the template.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Placement {
    /// A literal block scalar: line 1 of the code is template line `first_line`, every
    /// line indented by `indent` characters.
    Block { first_line: u32, indent: u32 },
    /// The code is the text from this position on, unchanged, on one line.
    Inline(Position),
    /// The code cannot be mapped character for character: everything is at the string.
    Whole(Span),
}

impl Placement {
    /// How the string `node`, whose value is `code`, is written in `text`.
    fn of(node: &Node, code: &str, text: &str) -> Placement {
        let whole = Span::from_range(text, node.span.clone());
        let written = text.get(node.span.clone()).unwrap_or_default();
        if let Some(content_start) = literal_block_content(text, node.span.start) {
            return Self::block(content_start, code, text).unwrap_or(Self::Whole(whole));
        }
        let unquoted = written
            .strip_prefix(['"', '\''])
            .and_then(|inner| inner.strip_suffix(['"', '\'']))
            .unwrap_or(written);
        if unquoted == code && !code.contains('\n') {
            let start = node.span.start + (written.len() - unquoted.len()) / 2;
            return Self::Inline(Position::from_offset(text, start));
        }
        Self::Whole(whole)
    }

    /// A literal block scalar whose content starts on the line that starts at byte
    /// `content_start`, if every line of `code` is found on its line of `text` at one
    /// indentation.
    fn block(content_start: usize, code: &str, text: &str) -> Option<Placement> {
        let first_line = Position::from_offset(text, content_start).line;
        let lines: Vec<&str> = text.get(content_start..)?.split('\n').collect();
        let indent = lines
            .iter()
            .find(|line| !line.trim().is_empty())
            .map(|line| line.len() - line.trim_start_matches(' ').len())?;
        for (written, line) in lines.iter().zip(code.trim_end_matches('\n').split('\n')) {
            let written = written.strip_suffix('\r').unwrap_or(written);
            let matches = if line.is_empty() {
                written.trim().is_empty()
            } else {
                written.get(indent..) == Some(line) && written[..indent].trim().is_empty()
            };
            if !matches {
                return None;
            }
        }
        Some(Self::Block {
            first_line,
            indent: u32::try_from(indent).ok()?,
        })
    }

    /// The template position of `position` in the code.
    fn position(self, position: Position) -> Position {
        match self {
            Self::Block { first_line, indent } => Position::new(
                first_line.saturating_add(position.line.saturating_sub(1)),
                indent.saturating_add(position.column),
            ),
            Self::Inline(start) => Position::new(
                start.line,
                start
                    .column
                    .saturating_add(position.column.saturating_sub(1)),
            ),
            Self::Whole(span) => span.start,
        }
    }

    /// The template span of `span` in the code.
    fn span(self, span: Span) -> Span {
        match self {
            Self::Whole(whole) => whole,
            _ => Span::new(self.position(span.start), self.position(span.end)),
        }
    }
}

/// The start of the first content line of the literal block scalar (`|`, `|-`, `|2`...)
/// whose node starts at byte `start`, whether the node's span starts at the `|` or at
/// its content.
fn literal_block_content(text: &str, start: usize) -> Option<usize> {
    let is_header = |header: &str| {
        header
            .strip_prefix('|')
            .is_some_and(|rest| rest.chars().all(|c| matches!(c, '-' | '+' | '0'..='9')))
    };
    let rest = text.get(start..)?;
    let first_line = rest.split('\n').next().unwrap_or_default();
    if is_header(first_line.trim_end()) {
        return Some(start + first_line.len() + 1);
    }
    // The span starts at the content: the line before it ends with the header.
    let line_start = text.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
    if !text.get(line_start..start)?.trim().is_empty() || line_start == 0 {
        return None;
    }
    let previous = text.get(..line_start - 1)?;
    let header = previous[previous.rfind('\n').map_or(0, |i| i + 1)..].trim_end();
    let header = header.rsplit(' ').next().unwrap_or_default();
    is_header(header).then_some(line_start)
}

#[cfg(test)]
mod tests;
