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
//! lists, so it never filters by hand; the family runs every rule and merges what they
//! report.

use crate::evaluation::{Evaluation, Rule};
use crate::resource::Resource;

/// One rule of a family and the function that evaluates it; the generated
/// `rules::ALL` lists one per rule file.
#[derive(Debug, Clone)]
pub struct FamilyRule {
    /// The rule's metadata.
    pub rule: Rule,
    /// Evaluates the rule on the resources of its types, in document order.
    pub evaluate: fn(&[&Resource]) -> Evaluation,
}

/// The metadata of every rule of `family`, as the component's `rules` export.
pub fn rules(family: &[FamilyRule]) -> Vec<Rule> {
    family.iter().map(|entry| entry.rule.clone()).collect()
}

/// Runs every rule of `family` on the resources of its types, skipping a rule that has
/// none (as the runner skips a policy), and merges their findings and notes.
///
/// ```
/// use palisade_policy::family::{self, FamilyRule};
/// use palisade_policy::testing::{locations, resources};
/// use palisade_policy::{AttrPath, Evaluation, Resource, Rule, Severity};
/// use palisade_policy::serde_json::json;
///
/// const DISK_NAME: Rule = Rule {
///     id: "disk-name",
///     title: "Disks are named",
///     severity: Severity::Info,
///     description: "Unnamed disks cannot be traced to their owner in the console.",
///     remediation: "Set `disk_name`.",
///     documentation: "# disk-name\n",
///     resource_types: &["alicloud_disk"],
/// };
///
/// // Only disks reach the rule: no filtering by type.
/// fn disk_name(disks: &[&Resource]) -> Evaluation {
///     let mut evaluation = Evaluation::default();
///     for disk in disks {
///         if disk.get("disk_name").attr().is_absent() {
///             evaluation.fail(&DISK_NAME, disk, &AttrPath::root(), "the disk has no name");
///         }
///     }
///     evaluation
/// }
///
/// const ALL: &[FamilyRule] = &[FamilyRule { rule: DISK_NAME, evaluate: disk_name }];
///
/// let set = resources(&[
///     ("alicloud_oss_bucket", "logs", json!({})),
///     ("alicloud_disk", "data", json!({"size": 20})),
/// ]);
/// let evaluation = family::evaluate(ALL, &set);
/// assert_eq!(locations(&evaluation.findings), [(1, "")]);
/// ```
pub fn evaluate(family: &[FamilyRule], resources: &[Resource]) -> Evaluation {
    let mut evaluation = Evaluation::default();
    for entry in family {
        evaluation.extend(entry.run(resources));
    }
    evaluation
}

impl FamilyRule {
    /// Runs this rule alone on the resources of its types, as [`evaluate`] does for each
    /// rule; a rule's unit tests call it to see what the family would report.
    pub fn run(&self, resources: &[Resource]) -> Evaluation {
        let types = self.rule.resource_types;
        let selected: Vec<&Resource> = resources
            .iter()
            .filter(|resource| types.contains(&resource.resource_type.as_str()))
            .collect();
        if selected.is_empty() {
            return Evaluation::default();
        }
        (self.evaluate)(&selected)
    }
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
