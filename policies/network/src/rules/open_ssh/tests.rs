//! Behaviour of the rule on resources built in JSON, per provider.

use palisade_policy::family::FamilyRule;
use palisade_policy::testing::{locations as at, reference, resources, unknown};
use palisade_policy::{Evaluation, Severity};
use serde_json::{Value, json};

use super::RULE;

fn evaluate(specs: &[(&str, &str, Value)]) -> Evaluation {
    let rule = FamilyRule {
        rule: RULE,
        evaluate: super::evaluate,
    };
    rule.run(&resources(specs))
}

const ALI_RULE: &str = "alicloud_security_group_rule";

fn ali_rule(overrides: Value) -> Value {
    let mut rule = json!({
        "type": "ingress",
        "ip_protocol": "tcp",
        "port_range": "22/22",
        "cidr_ip": "0.0.0.0/0",
        "security_group_id": reference("alicloud_security_group.default"),
    });
    for (key, value) in overrides.as_object().unwrap() {
        rule[key] = value.clone();
    }
    rule
}

fn ali(overrides: Value) -> Evaluation {
    evaluate(&[(ALI_RULE, "r", ali_rule(overrides))])
}

// Alibaba Cloud Terraform.

#[test]
fn alicloud_ssh_to_the_world_fails_at_the_cidr() {
    let result = ali(json!({}));
    assert_eq!(at(&result.findings), [(0, "cidr_ip")]);
    assert_eq!(
        result.findings[0].message,
        "SSH (TCP 22) open to 0.0.0.0/0 via TCP port 22"
    );
    assert!(result.notes.is_empty());
}

#[test]
fn alicloud_ranges_containing_22_fail() {
    for range in ["1/65535", "20/30", "22/22"] {
        let result = ali(json!({"port_range": range}));
        assert_eq!(at(&result.findings), [(0, "cidr_ip")], "{range}");
    }
    let result = ali(json!({"port_range": "1/65535"}));
    assert_eq!(
        result.findings[0].message,
        "SSH (TCP 22) open to 0.0.0.0/0 via all TCP ports: every port is reachable from the internet"
    );
    assert_eq!(result.findings[0].severity, Some(Severity::Critical));
    let narrow = ali(json!({"port_range": "22/22"}));
    assert_eq!(
        narrow.findings[0].severity, None,
        "the rule's own severity, high"
    );
}

#[test]
fn alicloud_all_protocols_and_minus_one_fail() {
    for protocol in ["all", "ALL", "-1"] {
        let result = ali(json!({"ip_protocol": protocol, "port_range": "-1/-1"}));
        assert_eq!(at(&result.findings), [(0, "cidr_ip")], "{protocol}");
        assert!(
            result.findings[0]
                .message
                .contains("all protocols and ports")
        );
    }
    let result = ali(json!({"port_range": "-1/-1"}));
    assert_eq!(at(&result.findings), [(0, "cidr_ip")]);
}

#[test]
fn alicloud_ipv6_world_fails_at_its_own_attribute() {
    let result = ali(json!({"cidr_ip": null, "ipv6_cidr_ip": "::/0"}));
    assert_eq!(at(&result.findings), [(0, "ipv6_cidr_ip")]);
    let result = ali(json!({"cidr_ip": "10.0.0.0/8", "ipv6_cidr_ip": " ::0/0 "}));
    assert_eq!(at(&result.findings), [(0, "ipv6_cidr_ip")]);
}

#[test]
fn alicloud_negatives_pass_silently() {
    let cases = [
        json!({"policy": "drop"}),
        json!({"ip_protocol": "udp"}),
        json!({"ip_protocol": "icmp", "port_range": "-1/-1"}),
        json!({"ip_protocol": "gre", "port_range": "-1/-1"}),
        json!({"type": "egress"}),
        json!({"cidr_ip": "10.0.0.0/8"}),
        json!({"cidr_ip": "0.0.0.0/1"}),
        json!({"port_range": "23/65535"}),
        json!({"port_range": "80/80"}),
        json!({"cidr_ip": null, "source_security_group_id": "sg-123"}),
        json!({"cidr_ip": null, "prefix_list_id": "pl-123"}),
    ];
    for case in cases {
        let result = ali(case.clone());
        assert_eq!(result, Evaluation::default(), "{case}");
    }
}

#[test]
fn alicloud_unknowns_are_notes_only_when_they_matter() {
    let result = ali(json!({"cidr_ip": unknown("var.cidr has no value")}));
    assert!(result.findings.is_empty());
    assert_eq!(at(&result.notes), [(0, "cidr_ip")]);
    assert_eq!(
        result.notes[0].message,
        "could not decide: var.cidr has no value"
    );

    let result = ali(json!({"port_range": unknown("var.ports")}));
    assert_eq!(at(&result.notes), [(0, "port_range")]);

    let result = ali(json!({"policy": unknown("var.policy")}));
    assert_eq!(at(&result.notes), [(0, "policy")]);

    // Known to be harmless whatever the unknown is.
    let result = ali(json!({"cidr_ip": "10.0.0.0/8", "port_range": unknown("var.ports")}));
    assert_eq!(result, Evaluation::default());
    let result = ali(json!({"ip_protocol": "udp", "cidr_ip": unknown("var.cidr")}));
    assert_eq!(result, Evaluation::default());
}

#[test]
fn alicloud_unreadable_values_are_notes() {
    let result = ali(json!({"port_range": "22"}));
    assert_eq!(at(&result.findings), [(0, "cidr_ip")]);
    let result = ali(json!({"port_range": "30/20"}));
    assert_eq!(at(&result.notes), [(0, "port_range")]);
    assert!(result.notes[0].message.contains("invalid port range"));
    let result = ali(json!({"policy": "maybe"}));
    assert_eq!(at(&result.notes), [(0, "policy")]);
    let result = ali(json!({"ip_protocol": null}));
    assert_eq!(at(&result.notes), [(0, "ip_protocol")]);
}

#[test]
fn alicloud_drop_of_higher_or_equal_priority_shadows_the_accept() {
    for (drop_priority, accept_priority) in [(1, 2), (1, 1), (5, 10)] {
        let result = evaluate(&[
            (
                ALI_RULE,
                "ssh",
                ali_rule(json!({"priority": accept_priority})),
            ),
            (
                ALI_RULE,
                "deny",
                ali_rule(
                    json!({"policy": "drop", "priority": drop_priority, "port_range": "1/65535"}),
                ),
            ),
        ]);
        assert!(
            result.findings.is_empty(),
            "{drop_priority} vs {accept_priority}"
        );
        assert_eq!(at(&result.notes), [(0, "cidr_ip")]);
        assert!(
            result.notes[0]
                .message
                .ends_with("but drop rule alicloud_security_group_rule.deny takes precedence"),
            "{}",
            result.notes[0].message
        );
    }
}

#[test]
fn alicloud_default_priorities_are_equal_so_a_drop_wins() {
    let result = evaluate(&[
        (ALI_RULE, "ssh", ali_rule(json!({}))),
        (ALI_RULE, "deny", ali_rule(json!({"policy": "drop"}))),
    ]);
    assert!(result.findings.is_empty());
    assert_eq!(result.notes.len(), 1);
}

#[test]
fn alicloud_drops_that_do_not_cover_do_not_shadow() {
    let drops = [
        json!({"policy": "drop", "priority": 3}),
        json!({"policy": "drop", "port_range": "80/80"}),
        json!({"policy": "drop", "ip_protocol": "udp"}),
        json!({"policy": "drop", "cidr_ip": "10.0.0.0/8"}),
        json!({"policy": "drop", "cidr_ip": null, "ipv6_cidr_ip": "::/0"}),
        json!({"policy": "drop", "type": "egress"}),
        json!({"policy": "drop", "security_group_id": reference("alicloud_security_group.other")}),
        json!({"policy": "drop", "security_group_id": null}),
    ];
    for drop in drops {
        let result = evaluate(&[
            (ALI_RULE, "ssh", ali_rule(json!({"priority": 2}))),
            (ALI_RULE, "deny", ali_rule(drop.clone())),
        ]);
        assert_eq!(at(&result.findings), [(0, "cidr_ip")], "{drop}");
    }
    // An accept never shadows: both rules fail.
    let result = evaluate(&[
        (ALI_RULE, "ssh", ali_rule(json!({"priority": 2}))),
        (ALI_RULE, "also", ali_rule(json!({"priority": 1}))),
    ]);
    assert_eq!(at(&result.findings), [(0, "cidr_ip"), (1, "cidr_ip")]);
}

#[test]
fn alicloud_groups_match_by_literal_id_too() {
    let result = evaluate(&[
        (
            ALI_RULE,
            "ssh",
            ali_rule(json!({"security_group_id": "sg-1"})),
        ),
        (
            ALI_RULE,
            "deny",
            ali_rule(
                json!({"security_group_id": "sg-1", "policy": "drop", "ip_protocol": "all", "port_range": "-1/-1"}),
            ),
        ),
    ]);
    assert!(result.findings.is_empty());
}

#[test]
fn alicloud_a_drop_that_might_shadow_leaves_it_undecided() {
    let result = evaluate(&[
        (ALI_RULE, "ssh", ali_rule(json!({}))),
        (
            ALI_RULE,
            "deny",
            ali_rule(json!({"policy": "drop", "priority": unknown("var.priority")})),
        ),
    ]);
    assert!(result.findings.is_empty());
    assert_eq!(at(&result.notes), [(0, "cidr_ip")]);
    assert!(
        result.notes[0]
            .message
            .starts_with("could not decide whether a drop rule takes precedence: var.priority")
    );
}

// AWS Terraform.

fn aws_block(overrides: Value) -> Value {
    let mut block =
        json!({"protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]});
    for (key, value) in overrides.as_object().unwrap() {
        block[key] = value.clone();
    }
    block
}

fn aws_group(blocks: Vec<Value>) -> Evaluation {
    evaluate(&[(
        "aws_security_group",
        "web",
        json!({"ingress": blocks, "egress": [aws_block(json!({}))]}),
    )])
}

#[test]
fn aws_inline_ingress_fails_at_its_block_naming_each_cidr() {
    let result = aws_group(vec![
        aws_block(json!({"from_port": 443, "to_port": 443})),
        aws_block(
            json!({"cidr_blocks": ["10.0.0.0/8", "0.0.0.0/0"], "ipv6_cidr_blocks": ["::/0"]}),
        ),
    ]);
    assert_eq!(at(&result.findings), [(0, "ingress[1]"), (0, "ingress[1]")]);
    assert_eq!(
        result.findings[0].message,
        "SSH (TCP 22) open to 0.0.0.0/0 via TCP port 22"
    );
    assert_eq!(
        result.findings[1].message,
        "SSH (TCP 22) open to ::/0 via TCP port 22"
    );
}

#[test]
fn aws_protocol_all_and_numbers() {
    for protocol in [json!("-1"), json!(-1), json!("all")] {
        let result = aws_group(vec![aws_block(
            json!({"protocol": protocol, "from_port": 0, "to_port": 0}),
        )]);
        assert_eq!(at(&result.findings), [(0, "ingress[0]")], "{protocol}");
    }
    let result = aws_group(vec![aws_block(
        json!({"protocol": "6", "from_port": "0", "to_port": "65535"}),
    )]);
    assert_eq!(at(&result.findings), [(0, "ingress[0]")]);
    let result = aws_group(vec![aws_block(json!({"protocol": "17"}))]);
    assert_eq!(result, Evaluation::default());
}

#[test]
fn aws_negatives_pass_silently() {
    let cases = [
        json!({"protocol": "udp"}),
        json!({"cidr_blocks": ["10.0.0.0/8"]}),
        json!({"cidr_blocks": [], "security_groups": ["sg-1"]}),
        json!({"cidr_blocks": null, "self": true}),
        json!({"cidr_blocks": [], "prefix_list_ids": ["pl-1"]}),
        json!({"from_port": 80, "to_port": 80}),
        json!({"protocol": "icmp", "from_port": -1, "to_port": -1}),
    ];
    for case in cases {
        assert_eq!(
            aws_group(vec![aws_block(case.clone())]),
            Evaluation::default(),
            "{case}"
        );
    }
    // Egress only.
    let result = evaluate(&[(
        "aws_security_group",
        "web",
        json!({"egress": [aws_block(json!({}))]}),
    )]);
    assert_eq!(result, Evaluation::default());
}

#[test]
fn aws_unknown_lists_and_blocks_are_notes() {
    let result = aws_group(vec![aws_block(
        json!({"cidr_blocks": unknown("var.cidrs")}),
    )]);
    assert_eq!(at(&result.notes), [(0, "ingress[0].cidr_blocks")]);
    let result = aws_group(vec![aws_block(
        json!({"cidr_blocks": [unknown("var.cidr")]}),
    )]);
    assert_eq!(at(&result.notes), [(0, "ingress[0].cidr_blocks[0]")]);
    let result = evaluate(&[(
        "aws_security_group",
        "web",
        json!({"ingress": unknown("dynamic block over var.rules")}),
    )]);
    assert!(result.findings.is_empty());
    assert_eq!(at(&result.notes), [(0, "ingress")]);
}

#[test]
fn aws_separate_rule_resources() {
    let rule = json!({"type": "ingress", "protocol": "tcp", "from_port": 0, "to_port": 65535, "cidr_blocks": ["0.0.0.0/0"]});
    let result = evaluate(&[("aws_security_group_rule", "r", rule.clone())]);
    assert_eq!(at(&result.findings), [(0, "cidr_blocks[0]")]);
    let mut egress = rule;
    egress["type"] = json!("egress");
    assert_eq!(
        evaluate(&[("aws_security_group_rule", "r", egress)]),
        Evaluation::default()
    );

    let vpc = json!({"ip_protocol": "-1", "cidr_ipv6": "::/0"});
    let result = evaluate(&[("aws_vpc_security_group_ingress_rule", "r", vpc)]);
    assert_eq!(at(&result.findings), [(0, "cidr_ipv6")]);
    let vpc = json!({"ip_protocol": "tcp", "from_port": 22, "to_port": 22, "referenced_security_group_id": "sg-1"});
    assert_eq!(
        evaluate(&[("aws_vpc_security_group_ingress_rule", "r", vpc)]),
        Evaluation::default()
    );
}

// Alibaba Cloud ROS.

fn ros_rule(overrides: Value) -> Value {
    let mut rule = json!({"IpProtocol": "tcp", "PortRange": "22/22", "SourceCidrIp": "0.0.0.0/0"});
    for (key, value) in overrides.as_object().unwrap() {
        rule[key] = value.clone();
    }
    rule
}

#[test]
fn ros_inline_rules_fail_at_their_source() {
    let group = json!({"SecurityGroupIngress": [
        ros_rule(json!({"PortRange": "80/80"})),
        ros_rule(json!({"IpProtocol": "all", "PortRange": "-1/-1"})),
        ros_rule(json!({"SourceCidrIp": null, "SourceGroupId": "sg-1"})),
        ros_rule(json!({"SourceCidrIp": null, "Ipv6SourceCidrIp": "::/0"})),
        ros_rule(json!({"Policy": "drop", "Priority": 50})),
    ]});
    let result = evaluate(&[("ALIYUN::ECS::SecurityGroup", "Sg", group)]);
    assert_eq!(
        at(&result.findings),
        [
            (0, "SecurityGroupIngress[1].SourceCidrIp"),
            (0, "SecurityGroupIngress[3].Ipv6SourceCidrIp"),
        ]
    );
}

#[test]
fn ros_separate_ingress_resources_and_shadowing_across_them() {
    let ingress = ros_rule(json!({"SecurityGroupId": reference("Sg"), "Priority": 10}));
    let result = evaluate(&[("ALIYUN::ECS::SecurityGroupIngress", "Ssh", ingress.clone())]);
    assert_eq!(at(&result.findings), [(0, "SourceCidrIp")]);

    let group =
        json!({"SecurityGroupIngress": [ros_rule(json!({"Policy": "drop", "Priority": 1}))]});
    let result = evaluate(&[
        ("ALIYUN::ECS::SecurityGroupIngress", "Ssh", ingress),
        ("ALIYUN::ECS::SecurityGroup", "Sg", group),
    ]);
    assert!(result.findings.is_empty());
    assert_eq!(at(&result.notes), [(0, "SourceCidrIp")]);
    assert!(
        result.notes[0]
            .message
            .contains("drop rule Sg takes precedence")
    );
}

#[test]
fn ros_ingresses_permissions() {
    let rules = json!({"SecurityGroupId": "sg-1", "Permissions": [
        ros_rule(json!({"IpProtocol": "udp"})),
        ros_rule(json!({"PortRange": "1/65535"})),
    ]});
    let result = evaluate(&[("ALIYUN::ECS::SecurityGroupIngresses", "Rules", rules)]);
    assert_eq!(at(&result.findings), [(0, "Permissions[1].SourceCidrIp")]);
}

#[test]
fn the_metadata_lists_every_type_read() {
    assert_eq!(RULE.resource_types.len(), 7);
    assert!(
        RULE.resource_types
            .contains(&"ALIYUN::ECS::SecurityGroupIngress")
    );
}

#[test]
fn a_malformed_cidr_is_a_note_not_a_verdict() {
    let result = ali(json!({"cidr_ip": "/0"}));
    assert!(result.findings.is_empty());
    assert_eq!(
        result.notes[0].message,
        "could not decide: `/0` is not a CIDR block"
    );
    assert_eq!(result.notes[0].attribute, "cidr_ip");
}
