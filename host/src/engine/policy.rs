//! A loaded policy: its metadata, and evaluation of document sets in the sandbox.
//!
//! Everything a guest returns is checked before the rest of the runner sees it: rule ids
//! are well-formed and unique (as `palisade_contract` defines them), and every finding
//! names a declared rule and a resource that was actually sent. A policy that breaks
//! these promises gets an error of its own instead of confusing (or crashing) the
//! reporter.

use std::sync::Arc;

use palisade_contract::{check_rule_id, first_duplicate};

use palisade_model::{DocumentSet, Format, Rule, Severity};

use wasmtime::component::{ComponentExportIndex, Instance};

use super::bindings::palisade::policy::types as wit;
use super::bindings::{PolicyCore, PolicyCorePre};
use super::error::{PolicyError, PolicyErrorKind};
use super::limits::{MAX_POLICY_DOCUMENT, MAX_POLICY_TEXT, cut};
use super::sandbox::{Guarded, Sandbox, StoreState};
use super::sent::resource_text;

/// The export that evaluates some rules only (`palisade:policy@0.1.1`).
pub(super) const EVALUATE_RULES: &str = "evaluate-rules";

/// A compiled, version-checked policy component, ready to evaluate from any thread.
pub struct Policy {
    /// `builtin:network`, or the file path as the user gave it.
    pub name: String,
    /// Embedded in the binary (`PolicySource::builtin`): sees sensitive values.
    pub builtin: bool,
    pub info: PolicyInfo,
    pub rules: Vec<Rule>,
    /// SHA-256 of the component bytes, in hex: identifies exactly which build ran.
    pub digest: String,
    pub compiled: CompileOrigin,
    /// The `evaluate-rules` export (since 0.1.1); `None` for an older component, which
    /// evaluates every rule.
    pub(super) evaluate_rules: Option<ComponentExportIndex>,
    pub(super) pre: PolicyCorePre<StoreState>,
    pub(super) sandbox: Arc<Sandbox>,
}

/// Whether loading compiled the component or found it in the on-disk cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompileOrigin {
    Compiled,
    Cached,
}

/// Who built the component, for `palisade rules`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyInfo {
    pub name: String,
    pub version: String,
    pub authors: Vec<String>,
    /// The `palisade:policy` version the component was built against.
    pub wit_version: String,
}

/// What one evaluation found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evaluation {
    /// Failures.
    pub findings: Vec<RawFinding>,
    /// What the rules could not decide, or passed for a reason worth saying.
    pub notes: Vec<RawFinding>,
}

/// A finding as the policy reported it, before it is located in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawFinding {
    pub rule: String,
    /// Index into the evaluated `DocumentSet::resources`.
    pub resource_index: u32,
    /// Attribute path (`ingress[1].cidr_blocks[0]`), empty for the resource itself.
    pub attribute: String,
    pub message: String,
    /// The policy's own severity for this finding, when it differs from the rule's.
    pub severity: Option<Severity>,
}

/// One document set and the resources of it a policy reads (indices into
/// `set.resources`).
#[derive(Debug, Clone, Copy)]
pub struct Selection<'a> {
    pub set: &'a DocumentSet,
    pub resources: &'a [usize],
}

/// The component instantiated in a sandboxed store, with the export a batch calls.
struct Instantiated<'r> {
    store: Guarded,
    entry: Entry<'r>,
}

enum Entry<'r> {
    /// `evaluate`, through the exports found when the component was loaded.
    Every(PolicyCore),
    /// `evaluate-rules` with these rules.
    Some(Instance, ComponentExportIndex, &'r [String]),
}

impl Policy {
    /// Evaluates the rules with the ids `rules` (every rule when `None`) on the
    /// resources `selected` (indices into `set.resources`) of one document set, in a
    /// fresh sandbox. See [`Policy::evaluate_sets`].
    #[cfg(test)]
    pub fn evaluate(
        &self,
        set: &DocumentSet,
        selected: &[usize],
        rules: Option<&[String]>,
    ) -> Result<Evaluation, PolicyError> {
        let selection = Selection {
            set,
            resources: selected,
        };
        let mut results = self.evaluate_sets(&[selection], rules);
        results.pop().expect("one result per document set")
    }

    /// Evaluates the rules with the ids `rules` (every rule when `None`) on each
    /// selection, one call each, in one sandboxed instance: a fresh store and instance
    /// cost more than evaluating most templates. Each call has the whole time budget;
    /// the memory cap holds for the instance. A call that fails ends the instance, and
    /// one that fails in an instance that served an earlier call is made again in a
    /// fresh one, so that each error belongs to its document set alone and every set
    /// gets the result it would get by itself. Indices out of range are skipped. A
    /// component older than `evaluate-rules` evaluates every rule; the caller keeps the
    /// selected ones.
    pub fn evaluate_sets(
        &self,
        selections: &[Selection<'_>],
        rules: Option<&[String]>,
    ) -> Vec<Result<Evaluation, PolicyError>> {
        let mut instantiated: Option<Instantiated<'_>> = None;
        selections
            .iter()
            .map(|selection| {
                let resources = self.resources_sent(selection);
                let reused = instantiated
                    .as_mut()
                    .map(|used| self.call(used, &resources));
                let returned = match reused {
                    Some(Ok(returned)) => returned,
                    // The first call, or one that failed: a failure ends the instance.
                    _ => {
                        instantiated = None;
                        self.call_fresh(&mut instantiated, rules, &resources)?
                    }
                };
                let evaluation = returned.map_err(|message| {
                    let message = cut(message, MAX_POLICY_TEXT);
                    PolicyError::new(&self.name, PolicyErrorKind::Returned(message))
                })?;
                let mut sent: Vec<u32> = resources.iter().map(|resource| resource.index).collect();
                sent.sort_unstable();
                Ok(Evaluation {
                    findings: check_findings(&self.name, &self.rules, evaluation.findings, &sent)?,
                    notes: check_findings(&self.name, &self.rules, evaluation.notes, &sent)?,
                })
            })
            .collect()
    }

    /// The selected resources as the component receives them.
    fn resources_sent(&self, selection: &Selection<'_>) -> Vec<wit::CloudResource> {
        let format = source_format(selection.set.format);
        selection
            .resources
            .iter()
            .filter_map(|&index| {
                let resource = selection.set.resources.get(index)?;
                Some(wit::CloudResource {
                    index: u32::try_from(index).ok()?,
                    resource_type: resource.resource_type.clone(),
                    address: resource.address.clone(),
                    format,
                    attributes: resource_text(resource, self.builtin),
                })
            })
            .collect()
    }

    /// Calls the component in a fresh instance, which `instantiated` keeps for the
    /// next call if this one succeeds.
    fn call_fresh<'r>(
        &self,
        instantiated: &mut Option<Instantiated<'r>>,
        rules: Option<&'r [String]>,
        resources: &[wit::CloudResource],
    ) -> Result<Result<wit::Evaluation, String>, PolicyError> {
        let mut store = self.sandbox.store(self.pre.engine());
        let entry = store.call(&self.name, |store| {
            Ok(match (rules, self.evaluate_rules) {
                (Some(rules), Some(export)) => {
                    let instance = self.pre.instance_pre().instantiate(store)?;
                    Entry::Some(instance, export, rules)
                }
                // The exports were found and checked once, when the component was loaded.
                _ => Entry::Every(self.pre.instantiate(store)?),
            })
        })?;
        let mut fresh = Instantiated { store, entry };
        let returned = self.call(&mut fresh, resources)?;
        *instantiated = Some(fresh);
        Ok(returned)
    }

    /// Calls the export the instance was made for.
    fn call(
        &self,
        instantiated: &mut Instantiated<'_>,
        resources: &[wit::CloudResource],
    ) -> Result<Result<wit::Evaluation, String>, PolicyError> {
        let Instantiated { store, entry } = instantiated;
        store.call(&self.name, |store| match entry {
            Entry::Some(instance, export, rules) => {
                type Params<'p> = (&'p [String], &'p [wit::CloudResource]);
                type Results = (Result<wit::Evaluation, String>,);
                let func = instance.get_typed_func::<Params<'_>, Results>(&mut *store, &*export)?;
                let (returned,) = func.call(&mut *store, (*rules, resources))?;
                Ok(returned)
            }
            Entry::Every(policy) => policy.call_evaluate(&mut *store, resources),
        })
    }
}

/// The findings of `policy`, each naming one of its `rules` and a resource it was
/// `sent` (in ascending order), with their text cut to [`MAX_POLICY_TEXT`].
fn check_findings(
    policy: &str,
    rules: &[Rule],
    findings: Vec<wit::Finding>,
    sent: &[u32],
) -> Result<Vec<RawFinding>, PolicyError> {
    let invalid =
        |message: String| PolicyError::new(policy, PolicyErrorKind::InvalidOutput(message));
    findings
        .into_iter()
        .map(|finding| {
            let finding = wit::Finding {
                rule: cut(finding.rule, MAX_POLICY_TEXT),
                attribute: cut(finding.attribute, MAX_POLICY_TEXT),
                message: cut(finding.message, MAX_POLICY_TEXT),
                ..finding
            };
            if !rules.iter().any(|rule| rule.id == finding.rule) {
                return Err(invalid(format!(
                    "a finding names rule `{}`, which the policy does not declare",
                    finding.rule
                )));
            }
            if sent.binary_search(&finding.resource_index).is_err() {
                return Err(invalid(format!(
                    "rule `{}` reported resource index {}, which was not sent to it",
                    finding.rule, finding.resource_index
                )));
            }
            Ok(RawFinding {
                rule: finding.rule,
                resource_index: finding.resource_index,
                attribute: finding.attribute,
                message: finding.message,
                severity: finding.severity.map(severity),
            })
        })
        .collect()
}

impl std::fmt::Debug for Policy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Policy")
            .field("name", &self.name)
            .field("info", &self.info)
            .field("rules", &self.rules)
            .field("digest", &self.digest)
            .field("compiled", &self.compiled)
            .finish_non_exhaustive()
    }
}

/// Converts and checks the metadata a component returned when loaded: every rule id is
/// well-formed and declared once.
pub(super) fn rules_from_guest(
    policy: &str,
    rules: Vec<wit::Rule>,
) -> Result<Vec<Rule>, PolicyError> {
    let invalid =
        |message: String| PolicyError::new(policy, PolicyErrorKind::InvalidOutput(message));
    let rules: Vec<wit::Rule> = rules.into_iter().map(bounded_rule).collect();
    for rule in &rules {
        check_rule_id(&rule.id)
            .map_err(|problem| invalid(format!("rule id `{}` {problem}", rule.id)))?;
    }
    if let Some(id) = first_duplicate(rules.iter().map(|rule| rule.id.as_str())) {
        return Err(invalid(format!("rule id `{id}` is declared twice")));
    }
    Ok(rules
        .into_iter()
        .map(|rule| Rule {
            id: rule.id,
            title: rule.title,
            severity: severity(rule.severity),
            description: rule.description,
            remediation: rule.remediation.into(),
            documentation: rule.documentation,
            resource_types: rule.resource_types,
        })
        .collect())
}

/// `rule` with its text cut to [`MAX_POLICY_TEXT`] (its page to [`MAX_POLICY_DOCUMENT`]).
fn bounded_rule(rule: wit::Rule) -> wit::Rule {
    wit::Rule {
        id: cut(rule.id, MAX_POLICY_TEXT),
        title: cut(rule.title, MAX_POLICY_TEXT),
        description: cut(rule.description, MAX_POLICY_TEXT),
        remediation: cut(rule.remediation, MAX_POLICY_TEXT),
        documentation: cut(rule.documentation, MAX_POLICY_DOCUMENT),
        resource_types: rule
            .resource_types
            .into_iter()
            .map(|name| cut(name, MAX_POLICY_TEXT))
            .collect(),
        ..rule
    }
}

pub(super) fn info_from_guest(info: wit::PolicyInfo, wit_version: String) -> PolicyInfo {
    PolicyInfo {
        name: cut(info.name, MAX_POLICY_TEXT),
        version: cut(info.version, MAX_POLICY_TEXT),
        authors: info
            .authors
            .into_iter()
            .map(|author| cut(author, MAX_POLICY_TEXT))
            .collect(),
        wit_version,
    }
}

fn severity(severity: wit::Severity) -> Severity {
    match severity {
        wit::Severity::Info => Severity::Info,
        wit::Severity::Low => Severity::Low,
        wit::Severity::Medium => Severity::Medium,
        wit::Severity::High => Severity::High,
        wit::Severity::Critical => Severity::Critical,
    }
}

fn source_format(format: Format) -> wit::SourceFormat {
    match format {
        Format::Terraform => wit::SourceFormat::Terraform,
        Format::Plan => wit::SourceFormat::Plan,
        Format::Ros => wit::SourceFormat::Ros,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(id: &str) -> wit::Rule {
        wit::Rule {
            id: id.into(),
            title: String::new(),
            severity: wit::Severity::High,
            description: String::new(),
            remediation: "".into(),
            documentation: String::new(),
            resource_types: vec![],
        }
    }

    /// A policy's text is copied into every report: 100 MB of it is cut when read.
    #[test]
    fn long_text_from_a_policy_is_cut_when_read() {
        let huge = "m".repeat(100 << 20);
        let rules = rules_from_guest(
            "p.wasm",
            vec![wit::Rule {
                title: huge.clone(),
                documentation: huge.clone(),
                ..rule("a")
            }],
        )
        .unwrap();
        assert!(rules[0].title.ends_with("m… (cut: 104857600 bytes)"));
        assert!(rules[0].title.len() < MAX_POLICY_TEXT + 40);
        assert!(rules[0].documentation.len() < MAX_POLICY_DOCUMENT + 40);
        let finding = wit::Finding {
            rule: "a".into(),
            resource_index: 0,
            attribute: huge.clone(),
            message: huge,
            severity: None,
        };
        let found = check_findings("p.wasm", &rules, vec![finding], &[0]).unwrap();
        assert!(found[0].message.ends_with("m… (cut: 104857600 bytes)"));
        assert!(found[0].message.len() < MAX_POLICY_TEXT + 40);
        assert!(found[0].attribute.len() < MAX_POLICY_TEXT + 40);
    }

    #[test]
    fn duplicate_and_malformed_rule_ids_are_errors_of_the_policy() {
        let twice = rules_from_guest("p.wasm", vec![rule("a"), rule("a")]).unwrap_err();
        assert_eq!(
            twice.to_string(),
            "policy `p.wasm` returned an invalid result: rule id `a` is declared twice"
        );
        assert!(rules_from_guest("p.wasm", vec![rule("A")]).is_err());
        let ok = rules_from_guest("p.wasm", vec![rule("a"), rule("b")]).unwrap();
        assert_eq!(ok[1].severity, Severity::High);
    }

    #[test]
    fn ids_with_a_leading_digit_or_over_64_characters_are_refused() {
        let digit = rules_from_guest("p.wasm", vec![rule("ok"), rule("4-1")]).unwrap_err();
        assert_eq!(
            digit.to_string(),
            "policy `p.wasm` returned an invalid result: rule id `4-1` must start with a \
             lowercase letter"
        );
        let long = "a".repeat(65);
        let too_long = rules_from_guest("p.wasm", vec![rule(&long)]).unwrap_err();
        assert_eq!(
            too_long.to_string(),
            format!(
                "policy `p.wasm` returned an invalid result: rule id `{long}` is longer than \
                 64 characters"
            )
        );
        assert!(rules_from_guest("p.wasm", vec![rule(&"a".repeat(64))]).is_ok());
    }
}
