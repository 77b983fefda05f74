//! The gaps of an AWS CloudTrail trail (`aws_cloudtrail`).
//!
//! - `is_multi_region_trail` defaults to false: the trail records its home region only.
//! - `enable_logging` defaults to true.
//! - `include_global_service_events` defaults to true; false leaves out the events of
//!   global services such as IAM.
//! - Events: without selectors a trail records every management event, read and write.
//!   Event selectors record the management events of the selectors that include them
//!   (`include_management_events`, default true) with their `read_write_type` (default
//!   `All`); a trail records an event when any selector does. Advanced event selectors
//!   (which replace them) record management events when a selector's `eventCategory`
//!   equals `Management`, restricted by a `readOnly` field selector.

use palisade_policy::logic::{Decision, all, any};
use palisade_policy::{Attr, Field, Resource, Unknown};

use crate::gap::Gaps;

/// `aws_cloudtrail`.
pub const TRAIL: &str = "aws_cloudtrail";

/// The gaps of one trail.
pub fn gaps(trail: &Resource) -> Gaps {
    let mut gaps = Gaps::default();
    regions(trail, &mut gaps);
    events(trail, &mut gaps);
    logging(trail, &mut gaps);
    gaps
}

fn regions(trail: &Resource, gaps: &mut Gaps) {
    let field = trail.get("is_multi_region_trail");
    match field.bool() {
        Attr::Known(true) => {}
        Attr::Known(false) => gaps.gap(
            field.path(),
            "`is_multi_region_trail` is false: only the trail's home region is recorded",
        ),
        Attr::Absent => gaps.gap(
            field.path(),
            "`is_multi_region_trail` is not set (default false): only the trail's home region \
             is recorded",
        ),
        Attr::Unknown(unknown) => gaps.unknown(&unknown),
    }
}

fn logging(trail: &Resource, gaps: &mut Gaps) {
    let field = trail.get("enable_logging");
    match field.bool().with_default(true) {
        Ok(true) => {}
        Ok(false) => gaps.gap(
            field.path(),
            "`enable_logging` is false: the trail does not log",
        ),
        Err(unknown) => gaps.unknown(&unknown),
    }
}

fn events(trail: &Resource, gaps: &mut Gaps) {
    let global = trail.get("include_global_service_events");
    match global.bool().with_default(true) {
        Ok(true) => {}
        Ok(false) => gaps.gap(
            global.path(),
            "`include_global_service_events` is false: events of global services such as IAM \
             are not recorded",
        ),
        Err(unknown) => gaps.unknown(&unknown),
    }
    let advanced = trail.get("advanced_event_selector");
    match advanced.list() {
        Attr::Known(selectors) if !selectors.is_empty() => {
            return advanced_events(&advanced, &selectors, gaps);
        }
        Attr::Unknown(unknown) => return gaps.unknown(&unknown),
        Attr::Known(_) | Attr::Absent => {}
    }
    let field = trail.get("event_selector");
    match field.list() {
        Attr::Known(selectors) if !selectors.is_empty() => {
            selector_events(&field, &selectors, gaps);
        }
        Attr::Unknown(unknown) => gaps.unknown(&unknown),
        Attr::Known(_) | Attr::Absent => {}
    }
}

/// Whether one event selector records management events of the read/write type `kind`
/// (`ReadOnly` or `WriteOnly`).
fn selector_records<'a>(selector: &Field<'a>, kind: &str) -> Decision<'a> {
    let management = selector
        .get("include_management_events")
        .bool()
        .with_default(true);
    let types = selector
        .get("read_write_type")
        .text()
        .with_default("All".into())
        .map(|types| types == "All" || types == kind);
    all([management, types])
}

fn selector_events(field: &Field<'_>, selectors: &[Field<'_>], gaps: &mut Gaps) {
    let read = any(selectors.iter().map(|s| selector_records(s, "ReadOnly")));
    let write = any(selectors.iter().map(|s| selector_records(s, "WriteOnly")));
    let text = match (read, write) {
        (Ok(true), Ok(true)) => return,
        (Ok(false), Ok(false)) => "no `event_selector` records management events",
        (Ok(false), _) => "the event selectors record no read management events",
        (_, Ok(false)) => "the event selectors record no write management events",
        (Err(unknown), _) | (_, Err(unknown)) => return gaps.unknown(&unknown),
    };
    // Point at the first selector that narrows management events.
    let narrowing = selectors.iter().find_map(|selector| {
        let includes = selector.get("include_management_events");
        let types = selector.get("read_write_type");
        match (includes.bool().with_default(true), types.text().known()) {
            (Ok(false), _) => Some(includes.path().clone()),
            (Ok(true), Some(kind)) if kind != "All" => Some(types.path().clone()),
            _ => None,
        }
    });
    let path = narrowing.unwrap_or_else(|| field.path().clone());
    gaps.gap(&path, text);
}

fn advanced_events(field: &Field<'_>, selectors: &[Field<'_>], gaps: &mut Gaps) {
    let coverage: Vec<_> = selectors.iter().map(advanced_records).collect();
    let read = any(coverage.iter().map(|c| c.clone().map(|(read, _)| read)));
    let write = any(coverage.iter().map(|c| c.clone().map(|(_, write)| write)));
    let text = match (read, write) {
        (Ok(true), Ok(true)) => return,
        (Ok(false), Ok(false)) => "no `advanced_event_selector` records management events",
        (Ok(false), _) => "the advanced event selectors record no read management events",
        (_, Ok(false)) => "the advanced event selectors record no write management events",
        (Err(unknown), _) | (_, Err(unknown)) => return gaps.unknown(&unknown),
    };
    gaps.gap(field.path(), text);
}

/// Whether one advanced event selector records read and write management events.
fn advanced_records<'a>(selector: &Field<'a>) -> Result<(bool, bool), Unknown<'a>> {
    let mut management = false;
    let (mut read, mut write) = (true, true);
    let fields = selector.get("field_selector").list().decide()?;
    for field in fields.unwrap_or_default() {
        let name = field.get("field").text().decide()?.unwrap_or_default();
        let equals = texts(&field.get("equals"))?;
        match name.as_ref() {
            "eventCategory" => management = equals.iter().any(|value| value == "Management"),
            "readOnly" if !equals.is_empty() => {
                read = equals.iter().any(|value| value == "true");
                write = equals.iter().any(|value| value == "false");
            }
            _ => {}
        }
    }
    Ok((management && read, management && write))
}

/// The strings of a list attribute; absent is empty.
fn texts<'a>(field: &Field<'a>) -> Result<Vec<String>, Unknown<'a>> {
    let items = field.list().decide()?.unwrap_or_default();
    items
        .iter()
        .map(|item| Ok(item.text().decide()?.unwrap_or_default().into_owned()))
        .collect()
}
