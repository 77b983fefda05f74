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
const NAMES: Rule = rule("names", &["alicloud_disk"]);

fn flag(rule: &Rule, resources: &[&Resource]) -> Evaluation {
    let mut evaluation = Evaluation::default();
    for resource in resources {
        evaluation.fail(rule, resource, &AttrPath::root(), resource.address.clone());
    }
    evaluation
}

/// A shared reading that counts how often it is made.
struct Count(usize);

thread_local! {
    static READS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

impl<'a> Shared<'a> for Count {
    fn read(resources: &[&'a Resource]) -> Self {
        READS.with(|reads| reads.set(reads.get() + 1));
        Count(resources.len())
    }
}

/// What the generated code of a family of the three rules does.
fn family(set: &[Resource], selection: Selection<'_>) -> Evaluation {
    let mut run = Run::<Count>::new(set, selection);
    run.rule(&DISKS, |input| {
        assert_eq!(
            input.shared().0,
            3,
            "the shared reading sees every resource"
        );
        flag(&DISKS, input)
    });
    run.rule(&BUCKETS, |_| {
        panic!("no bucket was sent, so the rule does not run")
    });
    run.rule(&NAMES, |input| {
        assert_eq!(input.shared().0, 3);
        flag(&NAMES, input)
    });
    run.finish()
}

#[test]
fn each_rule_sees_only_its_types_and_the_evaluations_merge() {
    let set = resources(&[
        ("alicloud_instance", "web", json!({})),
        ("alicloud_disk", "a", json!({})),
        ("alicloud_disk", "b", json!({})),
    ]);
    READS.with(|reads| reads.set(0));
    let evaluation = family(&set, Selection::All);
    assert_eq!(
        locations(&evaluation.findings),
        [(1, ""), (2, ""), (1, ""), (2, "")]
    );
    assert_eq!(READS.with(|reads| reads.get()), 1, "read once, shared");
}

#[test]
fn unselected_rules_do_not_run_and_nothing_is_read_for_none() {
    let set = resources(&[
        ("alicloud_instance", "web", json!({})),
        ("alicloud_disk", "a", json!({})),
        ("alicloud_disk", "b", json!({})),
    ]);
    READS.with(|reads| reads.set(0));
    let evaluation = family(&set, Selection::Only(&["names"]));
    assert!(evaluation.findings.iter().all(|f| f.rule == "names"));
    assert_eq!(evaluation.findings.len(), 2);
    let nothing = family(&set, Selection::Only(&["buckets"]));
    assert_eq!(nothing, Evaluation::default());
    assert_eq!(READS.with(|reads| reads.get()), 1);
}

#[test]
fn a_rule_runs_alone_as_its_family_runs_it() {
    let set = resources(&[
        ("alicloud_oss_bucket", "logs", json!({})),
        ("alicloud_disk", "a", json!({})),
    ]);
    let alone = FamilyRule {
        rule: DISKS,
        evaluate: |resources| flag(&DISKS, resources),
    };
    assert_eq!(locations(&alone.run(&set).findings), [(1, "")]);
    assert!(!id_is(&DISKS, "disk") && !id_is(&DISKS, "diskz"));
    assert_eq!(rules(&[DISKS, BUCKETS]).len(), 2);
}
