//! Count prefixes and unclaimed names, which fixtures reach only through whole templates.

use palisade_policy::serde_json::{Value, json};
use palisade_policy::testing::{reference, resources, unknown};
use palisade_policy::{Format, Resource};

use super::*;

const LOGGING: &str = "ALIYUN::ACTIONTRAIL::TrailLogging";

fn trail(address: &str, name: Value) -> Resource {
    Resource::new(
        0,
        "ALIYUN::ACTIONTRAIL::Trail",
        address,
        Format::Ros,
        json!({ "Name": name }),
    )
}

fn index<'a>(set: &'a [Resource], claimed: &[&str]) -> Links<'a> {
    Links::new(set.iter().map(|r| (r, r.get("Name"))), |name| {
        claimed.contains(&name)
    })
}

#[test]
fn a_reference_names_every_counted_instance() {
    let set = resources(&[(LOGGING, "On", json!({"Name": reference("Trail")}))]);
    let links = index(&set, &[]);
    for address in ["Trail", "Trail[0]", "Trail[3]"] {
        let t = trail(address, json!("audit"));
        assert!(
            matches!(links.find(&t, &t.get("Name")), Link::Found(_)),
            "{address}"
        );
    }
    let other = trail("Trail2", json!("audit"));
    assert_eq!(links.find(&other, &other.get("Name")), Link::None);
}

#[test]
fn literal_names_link_and_unclaimed_ones_may_name_an_unknown_trail() {
    let set = resources(&[(LOGGING, "On", json!({"Name": "audit-trail"}))]);
    let links = index(&set, &[]);
    let named = trail("Trail", json!("audit-trail"));
    assert!(matches!(
        links.find(&named, &named.get("Name")),
        Link::Found(_)
    ));
    let other = trail("Other", json!("other-trail"));
    assert_eq!(links.find(&other, &other.get("Name")), Link::None);
    let unnamed = trail("Unnamed", unknown("parameter TrailName has no value"));
    let Link::Unknown { reason, .. } = links.find(&unnamed, &unnamed.get("Name")) else {
        panic!("expected an unknown link");
    };
    assert!(reason.contains("\"audit-trail\""), "{reason}");
    let claimed = index(&set, &["audit-trail"]);
    assert_eq!(claimed.find(&unnamed, &unnamed.get("Name")), Link::None);
}

#[test]
fn an_unknown_link_may_name_any_trail() {
    let set = resources(&[(
        LOGGING,
        "On",
        json!({"Name": unknown("parameter Name has no value")}),
    )]);
    let links = index(&set, &[]);
    let t = trail("Trail", json!("audit"));
    let Link::Unknown { by, reason } = links.find(&t, &t.get("Name")) else {
        panic!("expected an unknown link");
    };
    assert_eq!(by.address, "On");
    assert_eq!(
        reason,
        "the trail it names is unknown: parameter Name has no value"
    );
}
