//! Rule families: several rules, one file each, built and run as one component.
//!
//! The built-in policies are grouped by what they inspect (network, storage, compute):
//! one component per family keeps the number of compilations and evaluations small,
//! while each rule stays one file. A family crate has
//!
//! - `src/rules/<rule_id>.rs` per rule (`-` written `_`), with `pub const RULE: Rule` and
//!   `pub fn evaluate(resources: &[&Resource]) -> Evaluation`, its page beside it
//!   (`src/rules/<rule-id>.md`, the rule's `documentation`);
//! - a `build.rs` calling `palisade_family_build::generate()`, which lists the rule
//!   files;
//! - a `src/lib.rs` declaring the family's shared modules and ending with
//!   [`family!()`](crate::family!).
//!
//! Each rule is given only the resources of the types its [`Rule::resource_types`]
//! lists, so it never filters by hand; the family runs the rules the runner selected
//! (`--rule`, `--skip-rule`) and merges what they report.
//!
//! # What the rules of a family share
//!
//! When every rule starts from the same reading of the resources (the network rules
//! all read the inbound permissions of security groups), the family reads them once per
//! evaluation: `family!(shared: module::Type)` names a type implementing [`Shared`],
//! built at most once, when the first selected rule with resources asks for it. Its
//! rules then take the [`Input`] rather than the bare resources:
//! `pub fn evaluate(input: &Input<'_, 'a, Type<'a>>) -> Evaluation`, with
//! [`Input::shared`] for the shared reading; `Input` also derefs to the rule's own
//! resources, so a rule written for a family without a shared reading runs unchanged.

use std::cell::OnceCell;
use std::ops::Deref;

use crate::evaluation::{Evaluation, Rule};
use crate::resource::Resource;

/// One rule of a family and the function that evaluates it, for a rule's unit tests:
/// [`FamilyRule::run`] runs it as its family would.
#[derive(Debug, Clone)]
pub struct FamilyRule {
    /// The rule's metadata.
    pub rule: Rule,
    /// Evaluates the rule on the resources of its types, in document order.
    pub evaluate: fn(&[&Resource]) -> Evaluation,
}

impl FamilyRule {
    /// Runs this rule alone on the resources of its types, as its family does; a rule's
    /// unit tests call it to see what the family would report.
    pub fn run(&self, resources: &[Resource]) -> Evaluation {
        let mut run = Run::<()>::new(resources, Selection::All);
        run.rule(&self.rule, |input| (self.evaluate)(input));
        run.finish()
    }
}

/// A reading of a family's resources that all its rules start from, made once per
/// evaluation (see [the module documentation](self)).
pub trait Shared<'a> {
    /// Reads `resources`: every resource the family was sent, in document order.
    fn read(resources: &[&'a Resource]) -> Self;
}

/// Families without a shared reading.
impl<'a> Shared<'a> for () {
    fn read(_: &[&'a Resource]) {}
}

/// Which rules of a family the runner asked for.
#[derive(Debug, Clone, Copy)]
pub enum Selection<'s> {
    /// Every rule.
    All,
    /// The rules with these ids.
    Only(&'s [&'s str]),
}

impl Selection<'_> {
    /// Whether the rule `id` is selected.
    pub fn selects(&self, id: &str) -> bool {
        match self {
            Selection::All => true,
            Selection::Only(ids) => ids.contains(&id),
        }
    }
}

/// What one rule of a family is given: the resources of its types (it derefs to them)
/// and the family's shared reading.
pub struct Input<'r, 'a, S> {
    mine: Vec<&'a Resource>,
    all: &'r [&'a Resource],
    shared: &'r OnceCell<S>,
}

impl<'a, S> Deref for Input<'_, 'a, S> {
    type Target = [&'a Resource];

    fn deref(&self) -> &Self::Target {
        &self.mine
    }
}

impl<'r, 'a, S: Shared<'a>> Input<'r, 'a, S> {
    /// The family's shared reading of every resource it was sent, made on first use.
    pub fn shared(&self) -> &'r S {
        self.shared.get_or_init(|| S::read(self.all))
    }
}

/// One evaluation of a family: the generated code calls [`Run::rule`] once per rule
/// file, and [`Run::finish`] for the merged result.
pub struct Run<'s, 'a, S> {
    all: Vec<&'a Resource>,
    shared: OnceCell<S>,
    selection: Selection<'s>,
    evaluation: Evaluation,
}

impl<'s, 'a, S: Shared<'a>> Run<'s, 'a, S> {
    /// An evaluation of the rules `selection` selects on `resources`.
    pub fn new(resources: &'a [Resource], selection: Selection<'s>) -> Self {
        Self {
            all: resources.iter().collect(),
            shared: OnceCell::new(),
            selection,
            evaluation: Evaluation::default(),
        }
    }

    /// Runs `rule` through `evaluate` on the resources of its types, unless it is not
    /// selected or has none (as the runner skips a policy): neither costs anything.
    pub fn rule(&mut self, rule: &Rule, evaluate: impl FnOnce(&Input<'_, 'a, S>) -> Evaluation) {
        if !self.selection.selects(rule.id) {
            return;
        }
        let types = rule.resource_types;
        let mine: Vec<&'a Resource> = self
            .all
            .iter()
            .copied()
            .filter(|resource| types.contains(&resource.resource_type.as_str()))
            .collect();
        if mine.is_empty() {
            return;
        }
        let input = Input {
            mine,
            all: &self.all,
            shared: &self.shared,
        };
        self.evaluation.extend(evaluate(&input));
    }

    /// What the rules reported, merged in rule order.
    pub fn finish(self) -> Evaluation {
        self.evaluation
    }
}

/// The metadata of every rule of a family, as the component's `rules` export.
pub fn rules(family: &[Rule]) -> Vec<Rule> {
    family.to_vec()
}

/// Whether `rule` has the id `id`; usable in constants, so that the generated rule list
/// can refuse, at compile time, a rule whose id is not its file name.
pub const fn id_is(rule: &Rule, id: &str) -> bool {
    let (a, b) = (rule.id.as_bytes(), id.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests;
