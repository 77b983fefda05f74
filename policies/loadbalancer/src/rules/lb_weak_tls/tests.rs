//! Shapes the fixtures do not reach easily: a reference to every instance of a counted
//! policy, and a policy used by many listeners. The rest is covered by the fixtures
//! under `fixtures/lb-weak-tls/`.

use palisade_policy::family::FamilyRule;
use palisade_policy::serde_json::json;
use palisade_policy::testing::{locations, reference, resources};

use super::{RULE, evaluate};

fn listener(policy: &str) -> palisade_policy::serde_json::Value {
    json!({"listener_protocol": "HTTPS", "security_policy_id": reference(policy)})
}

#[test]
fn a_reference_to_a_counted_policy_names_every_instance() {
    let set = resources(&[
        ("alicloud_alb_security_policy", "p[0]", json!({"tls_versions": ["TLSv1.0"]})),
        ("alicloud_alb_security_policy", "p[1]", json!({"tls_versions": ["TLSv1.2"]})),
        ("alicloud_alb_listener", "web", listener("alicloud_alb_security_policy.p")),
    ]);
    let evaluation = FamilyRule { rule: RULE, evaluate }.run(&set);
    assert_eq!(locations(&evaluation.findings), [(0, "tls_versions[0]")]);
    assert!(
        evaluation.findings[0]
            .message
            .ends_with("; used by alicloud_alb_listener.web"),
        "{}",
        evaluation.findings[0].message
    );
    assert!(evaluation.notes.is_empty());
}

#[test]
fn a_policy_used_by_many_listeners_names_three() {
    let mut specs = vec![(
        "alicloud_alb_security_policy",
        "shared".to_owned(),
        json!({"tls_versions": ["TLSv1.1", "TLSv1.2"]}),
    )];
    for n in 0..5 {
        specs.push((
            "alicloud_alb_listener",
            format!("l{n}"),
            listener("alicloud_alb_security_policy.shared"),
        ));
    }
    let specs: Vec<_> = specs
        .iter()
        .map(|(kind, name, attributes)| (*kind, name.as_str(), attributes.clone()))
        .collect();
    let evaluation = FamilyRule { rule: RULE, evaluate }.run(&resources(&specs));
    assert_eq!(locations(&evaluation.findings), [(0, "tls_versions[0]")]);
    assert!(
        evaluation.findings[0].message.ends_with(
            "used by alicloud_alb_listener.l0, alicloud_alb_listener.l1, \
             alicloud_alb_listener.l2 and 2 more"
        ),
        "{}",
        evaluation.findings[0].message
    );
}

#[test]
fn a_reference_to_something_else_is_a_note() {
    let set = resources(&[(
        "alicloud_alb_listener",
        "web",
        listener("module.shared.alicloud_alb_security_policy.p"),
    )]);
    let evaluation = FamilyRule { rule: RULE, evaluate }.run(&set);
    assert!(evaluation.findings.is_empty());
    assert_eq!(locations(&evaluation.notes), [(0, "security_policy_id")]);
}
