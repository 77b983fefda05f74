//! The gaps of an Alibaba Cloud ActionTrail trail in Terraform
//! (`alicloud_actiontrail_trail`, and its deprecated alias `alicloud_actiontrail`, which
//! the provider maps to the same schema).
//!
//! - `trail_region` is Optional+Computed with no documented default: omitted, the region
//!   scope is the service's choice, a note.
//! - `event_rw` is Optional+Computed, documented default `All`: omitted passes.
//! - `status`: the provider creates the trail, waits for the state `Fresh`, and calls
//!   `StartLogging` only when `status` is set to `Enable` (it looks for a change of
//!   `status`, and an omitted Computed attribute has none), so an omitted `status` leaves
//!   the trail not logging, whatever the documentation's default says.

use palisade_policy::{Attr, Resource};

use crate::gap::Gaps;

/// `alicloud_actiontrail_trail`.
pub const TRAIL: &str = "alicloud_actiontrail_trail";

/// `alicloud_actiontrail`: the name the resource had before 1.95.0, still accepted.
pub const TRAIL_ALIAS: &str = "alicloud_actiontrail";

/// The value of `trail_region` and `event_rw` that covers everything.
const ALL: &str = "All";

/// The gaps of one trail.
pub fn gaps(trail: &Resource) -> Gaps {
    let mut gaps = Gaps::default();
    regions(trail, &mut gaps);
    events(trail, &mut gaps);
    logging(trail, &mut gaps);
    gaps
}

fn regions(trail: &Resource, gaps: &mut Gaps) {
    let field = trail.get("trail_region");
    match field.text() {
        Attr::Known(region) if region == ALL => {}
        Attr::Known(region) => gaps.gap(
            field.path(),
            format!(
                "`trail_region` is \"{region}\", not \"All\": events in other regions are not \
                 recorded"
            ),
        ),
        Attr::Absent => gaps.note(
            field.path(),
            "could not decide whether the trail records every region: `trail_region` is not \
             set and the provider documents no default; set it to \"All\"",
        ),
        Attr::Unknown(unknown) => gaps.unknown(&unknown),
    }
}

fn events(trail: &Resource, gaps: &mut Gaps) {
    let field = trail.get("event_rw");
    match field.text().with_default(ALL.into()) {
        Ok(events) if events == ALL => {}
        Ok(events) => gaps.gap(
            field.path(),
            format!(
                "`event_rw` is \"{events}\", not \"All\": {}",
                missing_events(&events)
            ),
        ),
        Err(unknown) => gaps.unknown(&unknown),
    }
}

/// What a read/write type other than `All` leaves out.
pub fn missing_events(events: &str) -> &'static str {
    match events {
        "Write" => "read events are not recorded",
        "Read" => "write events are not recorded",
        _ => "not every event is recorded",
    }
}

fn logging(trail: &Resource, gaps: &mut Gaps) {
    let field = trail.get("status");
    match field.text() {
        Attr::Known(status) if status == "Enable" => {}
        Attr::Known(status) => gaps.gap(
            field.path(),
            format!("`status` is \"{status}\", not \"Enable\": the trail does not log"),
        ),
        Attr::Absent => gaps.gap(
            field.path(),
            "`status` is not set: logging is not started (the provider starts it only when \
             `status = \"Enable\"`)",
        ),
        Attr::Unknown(unknown) => gaps.unknown(&unknown),
    }
}
