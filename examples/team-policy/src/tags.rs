//! `required-tags`: every taggable resource carries the tags `owner` and `cost-center`.
//!
//! Tags come in two shapes: a map (`tags = { owner = "web" }` in Terraform, `Tags:
//! {owner: web}` on a ROS bucket) or a list of `Key`/`Value` pairs (the other ROS types).
//! Both are read into one answer per required tag: set, empty, missing, or not known
//! before apply.
//!
//! AWS provider `default_tags` live in the provider block, which the runner does not
//! pass to policies, so a Terraform configuration is judged by each resource's own
//! `tags`. A plan shows the merged result: for AWS resources in a plan the rule reads
//! `tags_all`, so checking the plan credits the default tags.

use palisade_policy::{Attr, AttrPath, Evaluation, Field, Format, Resource, Unknown};

use crate::REQUIRED_TAGS;

/// The tags every taggable resource must carry, with a non-empty value.
pub const REQUIRED: [&str; 2] = ["owner", "cost-center"];

/// The ROS type whose `Tags` is a map; every other ROS type here has a `Key`/`Value`
/// list.
const ROS_BUCKET: &str = "ALIYUN::OSS::Bucket";

/// Every resource type the rule reads: Terraform's `tags` map, ROS's `Tags`.
pub const TYPES: [&str; 17] = [
    "alicloud_instance",
    "alicloud_disk",
    "alicloud_ecs_disk",
    "alicloud_oss_bucket",
    "alicloud_vpc",
    "alicloud_security_group",
    "aws_instance",
    "aws_ebs_volume",
    "aws_s3_bucket",
    "aws_vpc",
    "aws_security_group",
    "ALIYUN::ECS::Instance",
    "ALIYUN::ECS::InstanceGroup",
    "ALIYUN::ECS::Disk",
    "ALIYUN::ECS::VPC",
    "ALIYUN::ECS::SecurityGroup",
    ROS_BUCKET,
];

/// What a resource's tags say about one required tag.
enum Tag<'a> {
    Set,
    /// Present with an empty value, at this path.
    Empty(AttrPath),
    Missing,
    Unknown(Unknown<'a>),
}

/// Records the findings and notes of `resource`, if it is of a type the rule reads.
pub fn check(resource: &Resource, evaluation: &mut Evaluation) {
    if !TYPES.contains(&resource.resource_type.as_str()) {
        return;
    }
    let tags = tags_field(resource);
    let read = match tags.attr() {
        Attr::Absent => {
            let message = format!("the resource has no tags; it needs {}", names(&REQUIRED));
            return evaluation.fail(&REQUIRED_TAGS, resource, &AttrPath::root(), message);
        }
        Attr::Unknown(unknown) => {
            return evaluation.undecided(&REQUIRED_TAGS, resource, &unknown);
        }
        Attr::Known(_) if resource.format == Format::Ros && !resource.is(ROS_BUCKET) => {
            read_list(&tags)
        }
        Attr::Known(_) => read_map(&tags),
    };
    let found = match read {
        Ok(found) => found,
        Err(unknown) => return evaluation.undecided(&REQUIRED_TAGS, resource, &unknown),
    };
    let mut missing = Vec::new();
    // One unknown key can hide both required tags: say so once.
    let mut undecided: Vec<Unknown<'_>> = Vec::new();
    for (name, tag) in REQUIRED.iter().zip(found) {
        match tag {
            Tag::Set => {}
            Tag::Missing => missing.push(*name),
            Tag::Empty(path) => {
                let message = format!("the tag `{name}` is empty");
                evaluation.fail(&REQUIRED_TAGS, resource, &path, message);
            }
            Tag::Unknown(unknown) if undecided.iter().any(|u| u.path == unknown.path) => {}
            Tag::Unknown(unknown) => undecided.push(unknown),
        }
    }
    if !missing.is_empty() {
        let noun = if missing.len() == 1 { "tag" } else { "tags" };
        let message = format!("missing {noun} {}", names(&missing));
        evaluation.fail(&REQUIRED_TAGS, resource, tags.path(), message);
    }
    for unknown in &undecided {
        evaluation.undecided(&REQUIRED_TAGS, resource, unknown);
    }
}

/// Where `resource` keeps its tags (see the module documentation for `tags_all`).
fn tags_field(resource: &Resource) -> Field<'_> {
    match resource.format {
        Format::Ros => resource.get("Tags"),
        Format::Plan if resource.resource_type.starts_with("aws_") => {
            let merged = resource.get("tags_all");
            if merged.attr().is_absent() {
                resource.get("tags")
            } else {
                merged
            }
        }
        Format::Terraform | Format::Plan => resource.get("tags"),
    }
}

/// Each required tag in a map of tags.
fn read_map<'a>(tags: &Field<'a>) -> Result<Vec<Tag<'a>>, Unknown<'a>> {
    match tags.attr() {
        Attr::Known(map) if map.is_object() => Ok(REQUIRED
            .iter()
            .map(|name| read_value(&tags.get(name)))
            .collect()),
        _ => Err(tags.unknown(format!("`{}` is not a map of tags", tags.path()))),
    }
}

/// Each required tag in a list of `{Key, Value}` pairs. A key that is not known might be
/// a required one, so a required tag not found beside such a key is unknown, not missing.
fn read_list<'a>(tags: &Field<'a>) -> Result<Vec<Tag<'a>>, Unknown<'a>> {
    let items = match tags.list() {
        Attr::Known(items) => items,
        Attr::Absent => Vec::new(),
        Attr::Unknown(unknown) => return Err(unknown),
    };
    let mut unknown_key = None;
    let mut found: Vec<Option<Tag<'a>>> = REQUIRED.iter().map(|_| None).collect();
    for item in &items {
        match item.get("Key").text() {
            Attr::Known(key) => {
                if let Some(index) = REQUIRED.iter().position(|name| *name == key) {
                    // A pair without a `Value` is an empty tag, reported at the pair.
                    let tag = match read_value(&item.get("Value")) {
                        Tag::Missing => Tag::Empty(item.path().clone()),
                        tag => tag,
                    };
                    found[index].get_or_insert(tag);
                }
            }
            Attr::Unknown(unknown) => {
                unknown_key.get_or_insert(unknown);
            }
            Attr::Absent => {}
        }
    }
    Ok(found
        .into_iter()
        .map(|tag| match (tag, &unknown_key) {
            (Some(tag), _) => tag,
            (None, Some(unknown)) => Tag::Unknown(unknown.clone()),
            (None, None) => Tag::Missing,
        })
        .collect())
}

/// One tag's value.
fn read_value<'a>(value: &Field<'a>) -> Tag<'a> {
    match value.text() {
        Attr::Known(text) if !text.trim().is_empty() => Tag::Set,
        Attr::Known(_) => Tag::Empty(value.path().clone()),
        Attr::Absent => Tag::Missing,
        Attr::Unknown(unknown) => Tag::Unknown(unknown),
    }
}

/// `` `owner` `` or `` `owner` and `cost-center` ``.
fn names(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

#[cfg(test)]
mod tests {
    use palisade_policy::serde_json::{Value, json};
    use palisade_policy::testing::{locations, resources, unknown};
    use palisade_policy::{Evaluation, Format, Resource};

    use super::*;

    fn evaluate(specs: &[(&str, Value)]) -> Evaluation {
        let specs: Vec<_> = specs
            .iter()
            .map(|(resource_type, attributes)| (*resource_type, "r", attributes.clone()))
            .collect();
        let mut evaluation = Evaluation::default();
        for resource in resources(&specs) {
            check(&resource, &mut evaluation);
        }
        evaluation
    }

    fn messages(findings: &[palisade_policy::Finding]) -> Vec<&str> {
        findings.iter().map(|f| f.message.as_str()).collect()
    }

    #[test]
    fn tagged_resources_pass() {
        let tags = json!({"owner": "web", "cost-center": "cc-1", "env": "prod"});
        let result = evaluate(&[
            ("alicloud_instance", json!({ "tags": tags })),
            ("aws_vpc", json!({ "tags": tags })),
            ("ALIYUN::OSS::Bucket", json!({ "Tags": tags })),
            (
                "ALIYUN::ECS::Instance",
                json!({"Tags": [
                    {"Key": "cost-center", "Value": "cc-1"},
                    {"Key": "owner", "Value": "web"},
                ]}),
            ),
        ]);
        assert_eq!(result, Evaluation::default());
    }

    #[test]
    fn untagged_resources_fail_at_the_header() {
        let result = evaluate(&[
            ("aws_s3_bucket", json!({"bucket": "logs"})),
            ("ALIYUN::ECS::Disk", json!({"Size": 40})),
        ]);
        assert_eq!(locations(&result.findings), [(0, ""), (1, "")]);
        assert_eq!(
            result.findings[0].message,
            "the resource has no tags; it needs `owner` and `cost-center`"
        );
    }

    #[test]
    fn missing_tags_fail_at_the_tags_in_one_finding() {
        let result = evaluate(&[
            ("alicloud_vpc", json!({"tags": {"Name": "main"}})),
            ("aws_instance", json!({"tags": {"owner": "web"}})),
            (
                "ALIYUN::ECS::SecurityGroup",
                json!({"Tags": [{"Key": "owner", "Value": "web"}]}),
            ),
        ]);
        assert_eq!(
            locations(&result.findings),
            [(0, "tags"), (1, "tags"), (2, "Tags")]
        );
        assert_eq!(
            messages(&result.findings),
            [
                "missing tags `owner` and `cost-center`",
                "missing tag `cost-center`",
                "missing tag `cost-center`",
            ]
        );
    }

    #[test]
    fn empty_values_fail_at_the_tag() {
        let result = evaluate(&[
            (
                "aws_ebs_volume",
                json!({"tags": {"owner": " ", "cost-center": "cc-1"}}),
            ),
            (
                "ALIYUN::ECS::VPC",
                json!({"Tags": [{"Key": "owner", "Value": "web"}, {"Key": "cost-center"}]}),
            ),
        ]);
        assert_eq!(
            locations(&result.findings),
            [(0, "tags.owner"), (1, "Tags[1]")]
        );
        assert_eq!(result.findings[1].message, "the tag `cost-center` is empty");
    }

    #[test]
    fn unknown_tags_are_notes() {
        let result = evaluate(&[
            (
                "alicloud_oss_bucket",
                json!({"tags": unknown("var.tags has no value")}),
            ),
            (
                "aws_security_group",
                json!({"tags": {"owner": unknown("var.team has no value"), "cost-center": "cc"}}),
            ),
            (
                "ALIYUN::ECS::InstanceGroup",
                json!({"Tags": [{"Key": unknown("Ref TagKey"), "Value": "x"}]}),
            ),
            ("aws_vpc", json!({"tags": ["owner"]})),
        ]);
        assert!(result.findings.is_empty(), "{:?}", result.findings);
        assert_eq!(
            locations(&result.notes),
            [
                (0, "tags"),
                (1, "tags.owner"),
                (2, "Tags[0].Key"),
                (3, "tags"),
            ]
        );
    }

    #[test]
    fn a_known_missing_tag_fails_even_beside_an_unknown_one() {
        let result = evaluate(&[(
            "alicloud_disk",
            json!({"tags": {"owner": unknown("var.team has no value")}}),
        )]);
        assert_eq!(locations(&result.findings), [(0, "tags")]);
        assert_eq!(locations(&result.notes), [(0, "tags.owner")]);
    }

    #[test]
    fn plans_of_aws_resources_credit_provider_default_tags() {
        let planned = |attributes: Value| {
            Resource::new(
                0,
                "aws_s3_bucket",
                "aws_s3_bucket.b",
                Format::Plan,
                attributes,
            )
        };
        let mut evaluation = Evaluation::default();
        let merged = json!({
            "tags": {"Name": "b"},
            "tags_all": {"Name": "b", "owner": "web", "cost-center": "cc-1"},
        });
        check(&planned(merged), &mut evaluation);
        assert_eq!(evaluation, Evaluation::default());

        check(&planned(json!({"tags": {"owner": "web"}})), &mut evaluation);
        assert_eq!(locations(&evaluation.findings), [(0, "tags")]);
    }

    #[test]
    fn other_types_are_ignored() {
        let result = evaluate(&[("aws_iam_role", json!({}))]);
        assert_eq!(result, Evaluation::default());
    }
}
