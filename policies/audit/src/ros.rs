//! The gaps of an ActionTrail trail in ROS: `ALIYUN::ACTIONTRAIL::Trail` says which events
//! it records, and a separate `ALIYUN::ACTIONTRAIL::TrailLogging` starts (or stops) its
//! logging, linked to it by reference or by the trail's literal name
//! (`palisade_policy::link`).
//!
//! `EventRW` defaults to `Write` (the ROS resource reference). The trail has no region
//! property, so its region scope is not judged.

use std::collections::HashSet;

use palisade_policy::cloud::flag;
use palisade_policy::{Attr, AttrPath, Resource};

use crate::alicloud::missing_events;
use crate::gap::Gaps;
use palisade_policy::link::{Link, Links};

/// `ALIYUN::ACTIONTRAIL::Trail`.
pub const TRAIL: &str = "ALIYUN::ACTIONTRAIL::Trail";

/// `ALIYUN::ACTIONTRAIL::TrailLogging`: turns a trail's logging on or off.
pub const LOGGING: &str = "ALIYUN::ACTIONTRAIL::TrailLogging";

/// Whether a trail logs, as its `TrailLogging` resources say.
enum Logging<'a> {
    /// A `TrailLogging` with `Enable: true` names it.
    Enabled,
    /// None does; `by` stops it, when one with `Enable: false` names it.
    Off(Option<&'a Resource>),
    /// `by` may start it, but its link or its `Enable` is unknown.
    Undecided { by: &'a Resource, reason: String },
}

/// The ROS trails of a document set and the `TrailLogging` resources that name them, split
/// by what they do.
pub struct Trails<'a> {
    enabled: Links<'a>,
    disabled: Links<'a>,
    undecided: Links<'a>,
}

impl<'a> Trails<'a> {
    /// Indexes the `TrailLogging` resources among `resources` by the trails they name.
    pub fn read(resources: &[&'a Resource]) -> Self {
        let names: HashSet<String> = resources
            .iter()
            .filter(|resource| resource.is(TRAIL))
            .filter_map(|trail| trail.get("Name").text().known())
            .map(|name| name.into_owned())
            .collect();
        let loggings: Vec<&Resource> = resources
            .iter()
            .copied()
            .filter(|resource| resource.is(LOGGING))
            .collect();
        let links = |keep: fn(&Result<bool, String>) -> bool| {
            let named = loggings
                .iter()
                .filter(move |logging| keep(&enable(logging)))
                .map(|&logging| (logging, logging.get("Name")));
            Links::new("trail", named, |name| names.contains(name))
        };
        Self {
            enabled: links(|enable| matches!(enable, Ok(true))),
            disabled: links(|enable| matches!(enable, Ok(false))),
            undecided: links(Result::is_err),
        }
    }

    /// The gaps of `trail`.
    pub fn gaps(&self, trail: &'a Resource) -> Gaps {
        let mut gaps = Gaps::default();
        events(trail, &mut gaps);
        let root = AttrPath::root();
        match self.logging(trail) {
            Logging::Enabled => {}
            Logging::Off(Some(by)) => gaps.gap(
                &root,
                format!("logging is stopped: {} sets `Enable` to false", by.address),
            ),
            Logging::Off(None) => gaps.gap(
                &root,
                format!(
                    "logging is not started: no `{LOGGING}` with `Enable: true` names this trail"
                ),
            ),
            Logging::Undecided { by, reason } => gaps.note(
                &root,
                format!(
                    "could not decide whether {} starts logging for this trail: {reason}",
                    by.address
                ),
            ),
        }
        gaps
    }

    fn logging(&self, trail: &'a Resource) -> Logging<'a> {
        let name = trail.get("Name");
        match self.enabled.find(trail, &name) {
            Link::Found(_) => return Logging::Enabled,
            Link::Unknown { by, reason } => return Logging::Undecided { by, reason },
            Link::None => {}
        }
        match self.undecided.find(trail, &name) {
            Link::Found(by) => {
                let reason = enable(by).err().unwrap_or_default();
                return Logging::Undecided { by, reason };
            }
            Link::Unknown { by, reason } => return Logging::Undecided { by, reason },
            Link::None => {}
        }
        match self.disabled.find(trail, &name) {
            Link::Found(by) => Logging::Off(Some(by)),
            Link::Unknown { .. } | Link::None => Logging::Off(None),
        }
    }
}

/// What a `TrailLogging`'s `Enable` says (a YAML 1.1 boolean or its string spelling); why
/// it cannot be read otherwise (`Enable` is required, so ROS rejects a template without
/// it).
fn enable(logging: &Resource) -> Result<bool, String> {
    match logging.get("Enable").attr() {
        Attr::Known(value) => {
            flag::parse_yaml(value).ok_or_else(|| format!("its `Enable` is not a boolean: {value}"))
        }
        Attr::Absent => Err("its `Enable` is not set".to_owned()),
        Attr::Unknown(unknown) => Err(format!("its `Enable` is unknown: {}", unknown.reason)),
    }
}

fn events(trail: &Resource, gaps: &mut Gaps) {
    let field = trail.get("EventRW");
    match field.text() {
        Attr::Known(events) if events == "All" => {}
        Attr::Known(events) => gaps.gap(
            field.path(),
            format!(
                "`EventRW` is \"{events}\", not \"All\": {}",
                missing_events(&events)
            ),
        ),
        Attr::Absent => gaps.gap(
            field.path(),
            "`EventRW` is not set (ROS default Write): read events are not recorded",
        ),
        Attr::Unknown(unknown) => gaps.unknown(&unknown),
    }
}

#[cfg(test)]
mod tests {
    use palisade_policy::serde_json::json;
    use palisade_policy::testing::{resources, unknown};

    use super::*;

    #[test]
    fn enable_reads_every_boolean_spelling_and_explains_the_rest() {
        let set = resources(&[
            (LOGGING, "A", json!({"Enable": true})),
            (LOGGING, "B", json!({"Enable": "On"})),
            (LOGGING, "C", json!({"Enable": "no"})),
            (LOGGING, "D", json!({"Enable": 1})),
            (LOGGING, "E", json!({})),
            (
                LOGGING,
                "F",
                json!({"Enable": unknown("parameter On has no value")}),
            ),
        ]);
        let read: Vec<_> = set.iter().map(enable).collect();
        assert_eq!(read[0], Ok(true));
        assert_eq!(read[1], Ok(true));
        assert_eq!(read[2], Ok(false));
        assert_eq!(read[3], Err("its `Enable` is not a boolean: 1".to_owned()));
        assert_eq!(read[4], Err("its `Enable` is not set".to_owned()));
        assert_eq!(
            read[5],
            Err("its `Enable` is unknown: parameter On has no value".to_owned())
        );
    }
}
