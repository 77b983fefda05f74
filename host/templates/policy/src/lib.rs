//! The `{{name}}` policy: every bucket says who owns it, with an `owner` tag.
//!
//! To make it yours, change the rule's metadata in [`RULE`], the decision in
//! [`check_bucket`], the unit tests below and the fixtures under `tests/`; `palisade
//! build` and `palisade test` tell you when something is off.

use palisade_policy::{Attr, AttrPath, Evaluation, Format, Policy, Resource, Rule, Severity};

/// The tag every bucket must carry.
const OWNER: &str = "owner";

/// The rule this policy holds. Its id is how users select (`--rule`), skip and suppress
/// it, so it never changes once published.
pub const RULE: Rule = Rule {
    id: "{{name}}",
    title: "Buckets carry an owner tag",
    severity: Severity::Low,
    description: "A bucket fails unless its tags include a non-empty `owner`. A bucket \
        nobody owns outlives the project that made it: no one answers for its contents, its \
        access rights or its bill.",
    remediation: "Tag the bucket with the team that answers for it: \
        `tags = { owner = \"payments\" }` (ROS: `Tags: {owner: payments}`).",
    documentation: include_str!("../README.md"),
    resource_types: &[
        "alicloud_oss_bucket",
        "aws_s3_bucket",
        "ALIYUN::OSS::Bucket",
    ],
};

/// The `{{name}}` policy.
pub struct OwnerTag;

impl Policy for OwnerTag {
    fn rules() -> Vec<Rule> {
        vec![RULE]
    }

    /// The runner sends only the resource types `RULE` lists, so every resource here is
    /// a bucket.
    fn evaluate(resources: &[Resource]) -> Result<Evaluation, String> {
        let mut evaluation = Evaluation::default();
        for bucket in resources {
            check_bucket(bucket, &mut evaluation);
        }
        Ok(evaluation)
    }
}

/// Decides one bucket. A value the runner could not determine (a variable without a
/// value, a tag map computed at apply time) is neither a pass nor a failure: it becomes a
/// note saying why the rule could not decide.
fn check_bucket(bucket: &Resource, evaluation: &mut Evaluation) {
    let tags = bucket.get(tags_attribute(bucket.format));
    match tags.attr() {
        Attr::Absent => evaluation.fail(
            &RULE,
            bucket,
            &AttrPath::root(),
            format!("the bucket has no tags, so no `{OWNER}` tag"),
        ),
        Attr::Unknown(unknown) => evaluation.undecided(&RULE, bucket, &unknown),
        Attr::Known(map) if !map.is_object() => {
            let unknown = tags.unknown(format!("`{}` is not a map of tags", tags.path()));
            evaluation.undecided(&RULE, bucket, &unknown);
        }
        Attr::Known(_) => {
            let owner = tags.get(OWNER);
            match owner.text() {
                Attr::Known(team) if !team.trim().is_empty() => {}
                Attr::Known(_) => evaluation.fail(
                    &RULE,
                    bucket,
                    owner.path(),
                    format!("the `{OWNER}` tag is empty"),
                ),
                Attr::Absent => evaluation.fail(
                    &RULE,
                    bucket,
                    tags.path(),
                    format!("the bucket's tags have no `{OWNER}` tag"),
                ),
                Attr::Unknown(unknown) => evaluation.undecided(&RULE, bucket, &unknown),
            }
        }
    }
}

/// Terraform names the tag map `tags`; ROS names the property `Tags`.
fn tags_attribute(format: Format) -> &'static str {
    match format {
        Format::Terraform | Format::Plan => "tags",
        Format::Ros => "Tags",
    }
}

palisade_policy::export!(OwnerTag);

#[cfg(test)]
mod tests {
    use palisade_policy::serde_json::{Value, json};
    use palisade_policy::testing::{locations, resources, unknown};

    use super::*;

    fn evaluate(specs: &[(&str, Value)]) -> Evaluation {
        let specs: Vec<_> = specs
            .iter()
            .map(|(resource_type, attributes)| (*resource_type, "b", attributes.clone()))
            .collect();
        OwnerTag::evaluate(&resources(&specs)).unwrap()
    }

    #[test]
    fn an_owned_bucket_passes() {
        let result = evaluate(&[
            (
                "alicloud_oss_bucket",
                json!({"tags": {"owner": "payments"}}),
            ),
            (
                "aws_s3_bucket",
                json!({"tags": {"owner": "payments", "env": "prod"}}),
            ),
            (
                "ALIYUN::OSS::Bucket",
                json!({"Tags": {"owner": "payments"}}),
            ),
        ]);
        assert_eq!(result, Evaluation::default());
    }

    #[test]
    fn a_missing_owner_fails_where_it_should_be() {
        let result = evaluate(&[
            ("aws_s3_bucket", json!({"bucket": "logs"})),
            ("alicloud_oss_bucket", json!({"tags": {"env": "prod"}})),
            ("ALIYUN::OSS::Bucket", json!({"Tags": {"owner": " "}})),
        ]);
        assert_eq!(
            locations(&result.findings),
            [(0, ""), (1, "tags"), (2, "Tags.owner")]
        );
        assert_eq!(
            result.findings[1].message,
            "the bucket's tags have no `owner` tag"
        );
    }

    #[test]
    fn unknown_tags_are_notes_not_findings() {
        let result = evaluate(&[
            (
                "aws_s3_bucket",
                json!({"tags": unknown("var.tags has no value")}),
            ),
            (
                "aws_s3_bucket",
                json!({"tags": {"owner": unknown("var.team has no value")}}),
            ),
            ("aws_s3_bucket", json!({"tags": ["owner"]})),
        ]);
        assert!(result.findings.is_empty());
        assert_eq!(
            locations(&result.notes),
            [(0, "tags"), (1, "tags.owner"), (2, "tags")]
        );
        assert_eq!(
            result.notes[0].message,
            "could not decide: var.tags has no value"
        );
    }

    #[test]
    fn the_metadata_names_the_crate() {
        assert_eq!(RULE.id, env!("CARGO_PKG_NAME"));
        assert!(!RULE.documentation.is_empty());
    }
}
