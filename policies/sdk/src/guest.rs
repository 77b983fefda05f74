//! The component side of the WIT contract: generated bindings and the conversions
//! between them and the SDK's types.
//!
//! Policy authors never use this module directly; [`export!`](crate::export) expands to
//! an implementation of the generated `Guest` trait that calls these functions.

use crate::Policy;
use crate::evaluation::{Evaluation, Finding, Rule, Severity};
use crate::resource::{Format, Resource};

/// Bindings generated from `wit/policy.wit` (world `policy`).
#[allow(missing_docs, unsafe_op_in_unsafe_fn, clippy::all)]
pub mod bindings {
    wit_bindgen::generate!({
        path: "../../wit",
        world: "policy",
        pub_export_macro: true,
        export_macro_name: "export_world",
    });
}

use bindings::palisade::policy::types as wit;

pub use bindings::Guest;
/// The WIT `policy-info` record.
pub type PolicyInfo = wit::PolicyInfo;
/// The WIT `rule` record.
pub type WitRule = wit::Rule;
/// The WIT `cloud-resource` record.
pub type CloudResource = wit::CloudResource;
/// The WIT `evaluation` record.
pub type WitEvaluation = wit::Evaluation;

/// The `info` export, from the policy crate's Cargo metadata (`CARGO_PKG_AUTHORS` is
/// colon-separated).
pub fn info(name: &str, version: &str, authors: &str) -> PolicyInfo {
    PolicyInfo {
        name: name.to_owned(),
        version: version.to_owned(),
        authors: authors
            .split(':')
            .map(str::trim)
            .filter(|author| !author.is_empty())
            .map(str::to_owned)
            .collect(),
    }
}

/// The `rules` export.
pub fn rules<P: Policy>() -> Vec<WitRule> {
    P::rules().into_iter().map(rule_to_wit).collect()
}

/// The `evaluate` export: decodes every resource once, runs the policy, converts back.
pub fn evaluate<P: Policy>(resources: Vec<CloudResource>) -> Result<WitEvaluation, String> {
    let evaluation = P::evaluate(&decode(resources)?)?;
    Ok(evaluation_to_wit(evaluation))
}

/// The `evaluate-rules` export: [`evaluate`] for the rules with the ids `rules` only.
pub fn evaluate_rules<P: Policy>(
    rules: Vec<String>,
    resources: Vec<CloudResource>,
) -> Result<WitEvaluation, String> {
    let ids: Vec<&str> = rules.iter().map(String::as_str).collect();
    let evaluation = P::evaluate_rules(&decode(resources)?, &ids)?;
    Ok(evaluation_to_wit(evaluation))
}

/// Decodes the attributes of every resource, once.
fn decode(resources: Vec<CloudResource>) -> Result<Vec<Resource>, String> {
    resources
        .into_iter()
        .map(|resource| {
            Resource::from_text(
                resource.index,
                resource.resource_type,
                resource.address,
                format_from_wit(resource.format),
                resource.attributes,
            )
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| error.to_string())
}

fn rule_to_wit(rule: Rule) -> WitRule {
    WitRule {
        id: rule.id.to_owned(),
        title: rule.title.to_owned(),
        severity: severity_to_wit(rule.severity),
        description: rule.description.to_owned(),
        remediation: rule.remediation.to_owned(),
        documentation: rule.documentation.to_owned(),
        resource_types: rule
            .resource_types
            .iter()
            .map(|resource_type| (*resource_type).to_owned())
            .collect(),
    }
}

fn severity_to_wit(severity: Severity) -> wit::Severity {
    match severity {
        Severity::Info => wit::Severity::Info,
        Severity::Low => wit::Severity::Low,
        Severity::Medium => wit::Severity::Medium,
        Severity::High => wit::Severity::High,
        Severity::Critical => wit::Severity::Critical,
    }
}

fn format_from_wit(format: wit::SourceFormat) -> Format {
    match format {
        wit::SourceFormat::Terraform => Format::Terraform,
        wit::SourceFormat::Plan => Format::Plan,
        wit::SourceFormat::Ros => Format::Ros,
    }
}

fn evaluation_to_wit(evaluation: Evaluation) -> WitEvaluation {
    let convert = |findings: Vec<Finding>| {
        findings
            .into_iter()
            .map(|finding| wit::Finding {
                rule: finding.rule,
                resource_index: finding.resource_index,
                attribute: finding.attribute,
                message: finding.message,
                severity: finding.severity.map(severity_to_wit),
            })
            .collect()
    };
    WitEvaluation {
        findings: convert(evaluation.findings),
        notes: convert(evaluation.notes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::path::AttrPath;

    struct FlagEverything;

    const RULE: Rule = Rule {
        id: "flag-everything",
        title: "Flags every resource",
        severity: Severity::Critical,
        description: "d",
        remediation: "r",
        documentation: "# doc",
        resource_types: &["t"],
    };

    impl Policy for FlagEverything {
        fn rules() -> Vec<Rule> {
            vec![RULE]
        }

        fn evaluate(resources: &[Resource]) -> Result<Evaluation, String> {
            let mut evaluation = Evaluation::default();
            for resource in resources {
                evaluation.fail(&RULE, resource, &AttrPath::root().key("a"), "bad");
                evaluation.note(&RULE, resource, &AttrPath::root(), "why");
            }
            Ok(evaluation)
        }
    }

    fn cloud_resource(attributes: &str) -> CloudResource {
        CloudResource {
            index: 4,
            resource_type: "t".into(),
            address: "t.x".into(),
            format: wit::SourceFormat::Ros,
            attributes: attributes.into(),
        }
    }

    #[test]
    fn info_splits_cargo_authors() {
        let info = info("open-ssh", "0.1.0", "A <a@x>:B");
        assert_eq!(info.authors, ["A <a@x>", "B"]);
        assert!(super::info("p", "1.0.0", "").authors.is_empty());
    }

    #[test]
    fn rules_convert_every_field() {
        let [rule] = rules::<FlagEverything>().try_into().unwrap();
        assert_eq!(rule.id, "flag-everything");
        assert_eq!(rule.severity, wit::Severity::Critical);
        assert_eq!(rule.resource_types, ["t"]);
        assert_eq!(rule.documentation, "# doc");
    }

    #[test]
    fn evaluate_decodes_runs_and_converts() {
        let result = evaluate::<FlagEverything>(vec![cloud_resource(r#"{"a": 1}"#)]).unwrap();
        assert_eq!(result.findings.len(), 1);
        assert_eq!(result.findings[0].resource_index, 4);
        assert_eq!(result.findings[0].attribute, "a");
        assert_eq!(result.notes[0].message, "why");
    }

    #[test]
    fn evaluate_rules_keeps_what_the_selected_rules_report() {
        let resources = || vec![cloud_resource(r#"{"a": 1}"#)];
        let selected =
            evaluate_rules::<FlagEverything>(vec!["flag-everything".into()], resources());
        assert_eq!(selected.unwrap().findings.len(), 1);
        let other = evaluate_rules::<FlagEverything>(vec!["other".into()], resources()).unwrap();
        assert!(other.findings.is_empty() && other.notes.is_empty());
    }

    #[test]
    fn evaluate_rejects_broken_attribute_json() {
        let error = evaluate::<FlagEverything>(vec![cloud_resource("{oops")]).unwrap_err();
        assert!(
            error.starts_with("resource t.x: attributes are not valid JSON"),
            "{error}"
        );
    }
}
