//! What a plan's `configuration` says of each resource: the attributes it sets and the
//! resources those refer to. Read with serde in one pass over the module tree; the
//! configuration is a hint, so one Terraform would not write is read as none.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Deserialize;
use serde_json::value::RawValue;

use super::without_indexes;

/// Per configuration address, the top-level attributes its `expressions` set.
pub(super) type Configured = HashMap<String, HashSet<String>>;

/// Per configuration address (`module.a.aws_s3_bucket_acl.x`, without instance keys), the
/// resource each top-level attribute refers to, relative to its module (`aws_s3_bucket.b`).
pub(super) type References = HashMap<String, BTreeMap<String, String>>;

// Expressions stay borrowed text until their references are read: their constant values
// (policy documents, user data) are not needed, and a large plan has many.
#[derive(Deserialize)]
struct Configuration<'a> {
    #[serde(borrow)]
    root_module: Option<Module<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Module<'a> {
    #[serde(borrow)]
    resources: Vec<ConfiguredResource<'a>>,
    #[serde(borrow)]
    module_calls: BTreeMap<String, ModuleCall<'a>>,
}

#[derive(Deserialize)]
struct ConfiguredResource<'a> {
    address: String,
    #[serde(borrow, default)]
    expressions: BTreeMap<String, &'a RawValue>,
}

#[derive(Deserialize)]
struct ModuleCall<'a> {
    #[serde(borrow)]
    module: Option<Module<'a>>,
}

/// The part of an attribute's expression that names what it refers to.
#[derive(Deserialize)]
struct Expression {
    #[serde(default)]
    references: Vec<String>,
}

/// The attributes and references of every resource of the `configuration` text.
pub(super) fn read(configuration: &str) -> (Configured, References) {
    let mut found = (Configured::new(), References::new());
    if let Ok(Configuration {
        root_module: Some(module),
    }) = serde_json::from_str(configuration)
    {
        walk(&module, "", &mut found);
    }
    found
}

fn walk(module: &Module<'_>, prefix: &str, found: &mut (Configured, References)) {
    for resource in &module.resources {
        let address = format!("{prefix}{}", resource.address);
        let targets: BTreeMap<String, String> = resource
            .expressions
            .iter()
            .filter_map(|(attribute, expression)| {
                // A nested block's expression is a list of objects: not a reference.
                let expression: Expression = serde_json::from_str(expression.get()).ok()?;
                let target = expression
                    .references
                    .into_iter()
                    .find(|r| is_resource_address(r))?;
                Some((attribute.clone(), target))
            })
            .collect();
        if !targets.is_empty() {
            found.1.insert(address.clone(), targets);
        }
        found
            .0
            .insert(address, resource.expressions.keys().cloned().collect());
    }
    for (name, call) in &module.module_calls {
        if let Some(child) = &call.module {
            walk(child, &format!("{prefix}module.{name}."), found);
        }
    }
}

/// Whether a configuration reference names a managed resource itself
/// (`aws_s3_bucket.b`, `aws_s3_bucket.b[0]`), not one of its attributes or another object.
fn is_resource_address(reference: &str) -> bool {
    const NOT_RESOURCES: [&str; 9] = [
        "var",
        "local",
        "each",
        "count",
        "path",
        "terraform",
        "self",
        "module",
        "data",
    ];
    let bare = without_indexes(reference);
    let mut parts = bare.split('.');
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some(kind), Some(name), None)
            if !kind.is_empty() && !name.is_empty() && !NOT_RESOURCES.contains(&kind)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_to_resources_are_told_from_other_references() {
        assert!(is_resource_address("aws_s3_bucket.b"));
        assert!(is_resource_address("aws_s3_bucket.b[0]"));
        assert!(!is_resource_address("var.name"));
        assert!(!is_resource_address("aws_s3_bucket.b.id"));
        assert!(!is_resource_address("data.aws_iam_policy_document.p"));
    }

    #[test]
    fn module_calls_prefix_the_addresses_and_bad_shapes_read_as_nothing() {
        let text = r#"{"root_module": {"module_calls": {"m": {"module": {"resources": [
            {"address": "aws_s3_bucket_acl.a", "expressions": {
                "bucket": {"references": ["aws_s3_bucket.b.id", "aws_s3_bucket.b"]},
                "acl": {"constant_value": "private"}}}]}}}}}"#;
        let (configured, references) = read(text);
        let key = "module.m.aws_s3_bucket_acl.a";
        assert_eq!(configured[key].len(), 2);
        assert_eq!(references[key]["bucket"], "aws_s3_bucket.b");
        assert_eq!(read(r#"{"root_module": {"resources": 3}}"#).0.len(), 0);
    }
}
