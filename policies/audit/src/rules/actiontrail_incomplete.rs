//! `actiontrail-incomplete`: every audit trail records every region and every event, and
//! is logging.
//!
//! A trail with a gap gives a false sense of coverage: the activity it leaves out (another
//! region, read calls, everything once logging is off) is exactly what an investigation
//! later needs. Each provider module lists a trail's gaps (`crate::gap`).

use palisade_policy::{Evaluation, Resource, Rule, Severity};

use crate::{alicloud, aws, ros};

/// The rule this file holds.
pub const RULE: Rule = Rule {
    id: "actiontrail-incomplete",
    title: "Audit trails record every region and every event, and are logging",
    severity: Severity::High,
    description: "An ActionTrail or CloudTrail trail fails when it leaves activity \
        unrecorded: it covers one region instead of all (`trail_region` is not `All`; AWS \
        `is_multi_region_trail` is not true), it records only read or only write events \
        (`event_rw`, ROS `EventRW` not `All`; AWS event selectors narrowed to `ReadOnly` or \
        `WriteOnly`, or `include_global_service_events = false`), or it is not logging (Terraform `status` not `Enable`, which the \
        provider needs to start logging; no ROS `ALIYUN::ACTIONTRAIL::TrailLogging` with \
        `Enable: true` naming it; AWS `enable_logging = false`). One finding lists every gap. \
        An attacker's activity in an unwatched region or through read calls (listing keys, \
        reading secrets) leaves no record, and a trail that is not logging records nothing.",
    remediation: "Set `trail_region = \"All\"`, `event_rw = \"All\"` and `status = \"Enable\"` \
        on the `alicloud_actiontrail_trail`; in ROS set `EventRW: All` and add an \
        `ALIYUN::ACTIONTRAIL::TrailLogging` with `Name: {Fn::GetAtt: [Trail, Name]}` and \
        `Enable: true`; on an `aws_cloudtrail` set `is_multi_region_trail = true`, keep \
        `enable_logging` true and management event selectors at `read_write_type = \"All\"`.",
    documentation: include_str!("actiontrail-incomplete.md"),
    resource_types: &[
        alicloud::TRAIL,
        alicloud::TRAIL_ALIAS,
        aws::TRAIL,
        ros::TRAIL,
        ros::LOGGING,
    ],
};

/// Decides every trail, linking ROS trails to the `TrailLogging` resources that name them.
pub fn evaluate(resources: &[&Resource]) -> Evaluation {
    let ros_trails = ros::Trails::read(resources);
    let mut evaluation = Evaluation::default();
    for &trail in resources {
        let gaps = match trail.resource_type.as_str() {
            alicloud::TRAIL | alicloud::TRAIL_ALIAS => alicloud::gaps(trail),
            aws::TRAIL => aws::gaps(trail),
            ros::TRAIL => ros_trails.gaps(trail),
            _ => continue,
        };
        gaps.report(&RULE, trail, &mut evaluation);
    }
    evaluation
}
