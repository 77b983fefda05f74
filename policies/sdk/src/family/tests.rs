use super::*;
use crate::evaluation::Severity;
use crate::path::AttrPath;
use crate::testing::{locations, resources};
use serde_json::json;

const fn rule(id: &'static str, resource_types: &'static [&'static str]) -> Rule {
    Rule {
        id,
        title: "t",
        severity: Severity::Low,
        description: "d",
        remediation: "r",
        documentation: "# doc",
        resource_types,
    }
}

const DISKS: Rule = rule("disks", &["alicloud_disk"]);
// `id_is` works in constants, as the generated rule list uses it.
const _: () = assert!(id_is(&DISKS, "disks"));
const BUCKETS: Rule = rule("buckets", &["alicloud_oss_bucket"]);

fn flag(rule: &Rule, resources: &[&Resource]) -> Evaluation {
    let mut evaluation = Evaluation::default();
    for resource in resources {
        evaluation.fail(rule, resource, &AttrPath::root(), resource.address.clone());
    }
    evaluation
}

const FAMILY: &[FamilyRule] = &[
    FamilyRule {
        rule: DISKS,
        evaluate: |resources| flag(&DISKS, resources),
    },
    FamilyRule {
        rule: BUCKETS,
        evaluate: |_| panic!("no bucket was sent, so the rule does not run"),
    },
];

#[test]
fn each_rule_sees_only_its_types_and_the_evaluations_merge() {
    let set = resources(&[
        ("alicloud_instance", "web", json!({})),
        ("alicloud_disk", "a", json!({})),
        ("alicloud_disk", "b", json!({})),
    ]);
    let evaluation = evaluate(FAMILY, &set);
    assert_eq!(locations(&evaluation.findings), [(1, ""), (2, "")]);
    assert!(evaluation.findings.iter().all(|f| f.rule == "disks"));
}

#[test]
fn rules_lists_every_rule_and_ids_compare_in_constants() {
    let ids: Vec<&str> = rules(FAMILY).iter().map(|rule| rule.id).collect();
    assert_eq!(ids, ["disks", "buckets"]);
    assert!(!id_is(&DISKS, "disk") && !id_is(&DISKS, "diskz"));
}
