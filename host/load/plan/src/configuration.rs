//! What a plan's `configuration` says of each resource: the attributes it sets, the
//! resources those refer to, and for attributes named like secrets, whether the
//! configuration writes their value (a literal, or root module variables only). Read with
//! serde in one pass over the module tree; the configuration is a hint, so one Terraform
//! would not write is read as none.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::value::RawValue;

use super::without_indexes;
use palisade_model::is_secret_name;

/// Per configuration address, the top-level attributes its `expressions` set.
pub(super) type Configured = HashMap<String, HashSet<String>>;

/// Per configuration address (`module.a.aws_s3_bucket_acl.x`, without instance keys), the
/// resource each top-level attribute refers to, relative to its module (`aws_s3_bucket.b`).
pub(super) type References = HashMap<String, BTreeMap<String, String>>;

/// Per configuration address, how the configuration sets each top-level attribute whose
/// name says it holds a secret.
pub(super) type Secrets = HashMap<String, BTreeMap<String, Setting>>;

/// How the configuration sets a value.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Setting {
    /// A literal (`constant_value`), in the resource or in the module calls that lead to
    /// it.
    Constant,
    /// From these root module variables (and literals) only.
    Variables(Vec<String>),
    /// From anything else (a local value, another resource, a function of them): the plan
    /// does not say whether the configuration writes it.
    Untraced,
}

/// What a plan's `configuration` says, read once.
#[derive(Default)]
pub(super) struct Configuration {
    pub configured: Configured,
    pub references: References,
    pub secrets: Secrets,
    /// The root module's variable defaults, by name.
    pub defaults: HashMap<String, serde_json::Value>,
}

// Expressions stay borrowed text until their references are read: their constant values
// (policy documents, user data) are not needed, and a large plan has many.
#[derive(Deserialize)]
pub(super) struct Document<'a> {
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
    #[serde(borrow)]
    variables: BTreeMap<String, &'a RawValue>,
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
    #[serde(borrow, default)]
    expressions: BTreeMap<String, &'a RawValue>,
}

/// The part of an attribute's expression that says what it is made of.
#[derive(Deserialize)]
struct Expression {
    #[serde(default)]
    references: Vec<String>,
    constant_value: Option<IgnoredAny>,
}

/// A variable declaration's default.
#[derive(Deserialize)]
struct Declaration {
    default: Option<serde_json::Value>,
}

/// What the `configuration` text says of every resource.
pub(super) fn read(configuration: &str) -> Configuration {
    serde_json::from_str(configuration)
        .map(of_document)
        .unwrap_or_default()
}

/// What a configuration document says of every resource.
pub(super) fn of_document(document: Document<'_>) -> Configuration {
    let mut found = Configuration::default();
    if let Document {
        root_module: Some(module),
    } = document
    {
        found.defaults = module
            .variables
            .iter()
            .filter_map(|(name, declaration)| {
                let declaration: Declaration = serde_json::from_str(declaration.get()).ok()?;
                Some((name.clone(), declaration.default?))
            })
            .collect();
        walk(&module, "", None, &mut found);
    }
    found
}

/// Reads the resources of `module` (at address `prefix`) and its calls; `inputs` says how
/// the module's variables are set by its call, `None` for the root module.
fn walk(
    module: &Module<'_>,
    prefix: &str,
    inputs: Option<&HashMap<String, Setting>>,
    found: &mut Configuration,
) {
    let with_default: HashSet<&str> = module
        .variables
        .iter()
        .filter(|(_, declaration)| {
            serde_json::from_str::<Declaration>(declaration.get())
                .is_ok_and(|declaration| declaration.default.is_some())
        })
        .map(|(name, _)| name.as_str())
        .collect();
    let scope = Scope {
        inputs,
        with_default: &with_default,
    };
    for resource in &module.resources {
        let address = format!("{prefix}{}", resource.address);
        let mut targets = BTreeMap::new();
        let mut secrets = BTreeMap::new();
        for (attribute, expression) in &resource.expressions {
            // A nested block's expression is a list of objects: not an expression.
            let Ok(expression) = serde_json::from_str::<Expression>(expression.get()) else {
                continue;
            };
            if is_secret_name(attribute) {
                secrets.insert(attribute.clone(), scope.setting(&expression));
            }
            if let Some(target) = expression
                .references
                .into_iter()
                .find(|r| is_resource_address(r))
            {
                targets.insert(attribute.clone(), target);
            }
        }
        if !targets.is_empty() {
            found.references.insert(address.clone(), targets);
        }
        if !secrets.is_empty() {
            found.secrets.insert(address.clone(), secrets);
        }
        found
            .configured
            .insert(address, resource.expressions.keys().cloned().collect());
    }
    for (name, call) in &module.module_calls {
        if let Some(child) = &call.module {
            let passed: HashMap<String, Setting> = call
                .expressions
                .iter()
                .map(|(variable, expression)| {
                    let setting = serde_json::from_str::<Expression>(expression.get())
                        .map_or(Setting::Untraced, |e| scope.setting(&e));
                    (variable.clone(), setting)
                })
                .collect();
            walk(
                child,
                &format!("{prefix}module.{name}."),
                Some(&passed),
                found,
            );
        }
    }
}

/// The variables of one module, as its expressions read them.
struct Scope<'s> {
    /// How the module's call sets its variables; `None` for the root module.
    inputs: Option<&'s HashMap<String, Setting>>,
    /// The module's variables that have a default, which applies when the call does not
    /// set them.
    with_default: &'s HashSet<&'s str>,
}

impl Scope<'_> {
    /// How `expression` is set.
    fn setting(&self, expression: &Expression) -> Setting {
        if expression.references.is_empty() {
            return match expression.constant_value {
                Some(_) => Setting::Constant,
                None => Setting::Untraced,
            };
        }
        let mut variables = Vec::new();
        for reference in &expression.references {
            let mut parts = reference.split('.');
            let (Some("var"), Some(name)) = (parts.next(), parts.next()) else {
                return Setting::Untraced;
            };
            let name = without_indexes(name);
            let Some(inputs) = self.inputs else {
                variables.push(name);
                continue;
            };
            match inputs.get(&name) {
                Some(Setting::Constant) => {}
                Some(Setting::Variables(names)) => variables.extend(names.iter().cloned()),
                None if self.with_default.contains(name.as_str()) => {}
                Some(Setting::Untraced) | None => return Setting::Untraced,
            }
        }
        variables.sort();
        variables.dedup();
        if variables.is_empty() {
            Setting::Constant
        } else {
            Setting::Variables(variables)
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
    fn secret_attributes_are_traced_to_literals_and_root_variables() {
        let text = r#"{"root_module": {
            "variables": {"pw": {"default": "from-default"}, "free": {}},
            "resources": [{"address": "alicloud_instance.a", "expressions": {
                "password": {"references": ["var.pw"]},
                "instance_type": {"constant_value": "ecs.g6.large"}}},
              {"address": "alicloud_instance.b", "expressions": {
                "password": {"constant_value": "written"}}},
              {"address": "alicloud_instance.c", "expressions": {
                "password": {"references": ["local.pw"]}}}],
            "module_calls": {"db": {
              "expressions": {"secret": {"references": ["var.free"]}, "name": {"constant_value": "x"}},
              "module": {
                "variables": {"secret": {}, "name": {}, "other": {"default": "y"}},
                "resources": [{"address": "alicloud_db_account.a", "expressions": {
                  "account_password": {"references": ["var.secret", "var.name"]},
                  "password": {"references": ["var.other"]}}}]}}}}}"#;
        let found = read(text);
        assert_eq!(found.defaults["pw"], "from-default");
        assert!(!found.defaults.contains_key("free"));
        let of = |address: &str, attribute: &str| found.secrets[address][attribute].clone();
        assert_eq!(
            of("alicloud_instance.a", "password"),
            Setting::Variables(vec!["pw".into()])
        );
        assert!(!found.secrets["alicloud_instance.a"].contains_key("instance_type"));
        assert_eq!(of("alicloud_instance.b", "password"), Setting::Constant);
        assert_eq!(of("alicloud_instance.c", "password"), Setting::Untraced);
        let module = "module.db.alicloud_db_account.a";
        assert_eq!(
            of(module, "account_password"),
            Setting::Variables(vec!["free".into()])
        );
        assert_eq!(of(module, "password"), Setting::Constant);
    }

    #[test]
    fn module_calls_prefix_the_addresses_and_bad_shapes_read_as_nothing() {
        let text = r#"{"root_module": {"module_calls": {"m": {"module": {"resources": [
            {"address": "aws_s3_bucket_acl.a", "expressions": {
                "bucket": {"references": ["aws_s3_bucket.b.id", "aws_s3_bucket.b"]},
                "acl": {"constant_value": "private"}}}]}}}}}"#;
        let Configuration {
            configured,
            references,
            ..
        } = read(text);
        let key = "module.m.aws_s3_bucket_acl.a";
        assert_eq!(configured[key].len(), 2);
        assert_eq!(references[key]["bucket"], "aws_s3_bucket.b");
        assert_eq!(
            read(r#"{"root_module": {"resources": 3}}"#)
                .configured
                .len(),
            0
        );
    }
}
