//! The locate stage: a policy's statement about resource number `i` of a document set
//! becomes a finding at a file, line and column.

use super::redact::redact;
use crate::engine::{Policy, RawFinding};
use palisade_model::{
    DocumentSet, Finding, Format, Origin, Place, Problem, Resource, Source, display_path,
};

/// Turns a policy's statement into a located finding, refusing statements about rules
/// the policy did not declare (a component must not speak for another's rule ids).
pub fn locate(set: &DocumentSet, policy: &Policy, raw: RawFinding) -> Result<Finding, Problem> {
    let refused = |message: String| Problem::Policy {
        policy: policy.name.clone(),
        place: Some(Place::file(&set.origin)),
        message,
    };
    let Some(rule) = policy.rules.iter().find(|r| r.id == raw.rule) else {
        return Err(refused(format!(
            "policy {} returned a finding for rule `{}`, which it does not declare",
            policy.name, raw.rule
        )));
    };
    let resource = usize::try_from(raw.resource_index)
        .ok()
        .and_then(|i| set.resources.get(i))
        .ok_or_else(|| {
            refused(format!(
                "policy {} returned a finding for resource #{}, which does not exist",
                policy.name, raw.resource_index
            ))
        })?;
    let (attribute, message) = redact(resource, raw.attribute, raw.message, policy.builtin);
    let format = match set.format {
        // A plan finding mapped to its configuration points at Terraform source.
        Format::Plan if resource.file != set.origin => Format::Terraform,
        format => format,
    };
    Ok(Finding {
        rule: rule.id.clone(),
        severity: raw.severity.unwrap_or(rule.severity),
        policy: policy.name.clone(),
        address: resource.address.clone(),
        resource_type: resource.resource_type.clone(),
        format,
        quoted: format != Format::Plan
            && (attribute.is_empty() || !resource.touches_sensitive(&attribute)),
        file: resource.file.clone(),
        span: resource.locate(&attribute),
        resource_span: resource.span,
        origin: origin(set, resource, &attribute),
        message,
        attribute,
        remediation: rule.remediation.clone(),
        expired_suppression: None,
    })
}

/// The origin of a finding on `attribute` of `resource`: the attribute's and the
/// resource's, and for a resource of a called Terraform module (its address starts with
/// `module.`), the root module whose call reached it, so that findings from two roots
/// calling one module stay apart.
fn origin(set: &DocumentSet, resource: &Resource, attribute: &str) -> Option<Origin> {
    let mut origin = resource.finding_origin(attribute);
    if set.format == Format::Terraform && resource.address.starts_with("module.") {
        let shown = display_path(&set.origin);
        let root = Source::Root(if shown.is_empty() { ".".into() } else { shown });
        origin.get_or_insert_default().sources.push(root);
    }
    origin
}
