use std::path::Path;

use serde_json::json;

use super::*;
use crate::load::{json, yaml};
use crate::model::Span;

fn span(start: (u32, u32), end: (u32, u32)) -> Span {
    Span::new(Position::new(start.0, start.1), Position::new(end.0, end.1))
}

fn load_json(text: &str) -> (Vec<Resource>, Vec<LoadError>) {
    let root = json::parse(Path::new("t.json"), text).unwrap().unwrap();
    resources(&root, text, Path::new("t.json"))
}

fn load_yaml(text: &str) -> (Vec<Resource>, Vec<LoadError>) {
    let root = yaml::parse(Path::new("t.yaml"), text).unwrap().unwrap();
    resources(&root, text, Path::new("t.yaml"))
}

const JSON_TEMPLATE: &str = r#"{
  "ROSTemplateFormatVersion": "2015-09-01",
  "Parameters": {"Cidr": {"Type": "String"}},
  "Resources": {
    "Group": {
      "Type": "ALIYUN::ECS::SecurityGroup",
      "Properties": {
        "VpcId": {"Ref": "Vpc"},
        "SecurityGroupIngress": [
          {"PortRange": "22/22", "SourceCidrIp": "0.0.0.0/0", "Priority": 1},
          {"PortRange": "80/80", "SourceCidrIp": {"Ref": "Cidr"}}
        ],
        "Tags": [{"Key": "a", "Value": {"Fn::Join": ["-", ["x", "y"]]}}],
        "Name": {"Fn::GetAtt": ["Vpc", "VpcName"]}
      }
    },
    "Vpc": {"Type": "ALIYUN::ECS::VPC"}
  }
}"#;

#[test]
fn json_resources_load_with_intrinsics_as_unknowns() {
    let (resources, errors) = load_json(JSON_TEMPLATE);
    assert!(errors.is_empty(), "{errors:?}");
    let group = &resources[0];
    assert_eq!(group.resource_type, "ALIYUN::ECS::SecurityGroup");
    assert_eq!(group.address, "Group");
    assert_eq!(group.span, span((5, 5), (5, 12)));
    assert_eq!(
        group.attributes,
        json!({
            "VpcId": {"$unknown": {"reason": "`Ref` to `Vpc` is not evaluated", "refers": "Vpc"}},
            "SecurityGroupIngress": [
                {"PortRange": "22/22", "SourceCidrIp": "0.0.0.0/0", "Priority": 1},
                {"PortRange": "80/80", "SourceCidrIp": {"$unknown": {
                    "reason": "`Ref` to `Cidr` is not evaluated", "refers": null
                }}},
            ],
            "Tags": [{"Key": "a", "Value": {"$unknown": {
                "reason": "`Fn::Join` is not evaluated", "refers": null
            }}}],
            "Name": {"$unknown": {
                "reason": "`Fn::GetAtt` of `Vpc.VpcName` is not evaluated", "refers": "Vpc"
            }},
        })
    );
    assert_eq!(
        group.spans["SecurityGroupIngress[0].SourceCidrIp"],
        span((10, 34), (10, 61))
    );
    assert_eq!(
        group.spans["SecurityGroupIngress[1]"],
        span((11, 11), (11, 66))
    );
    assert_eq!(group.spans["VpcId"], span((8, 9), (8, 32)));
    assert!(!group.spans.contains_key("VpcId.Ref"));
    assert_eq!(resources[1].attributes, json!({}));
    assert!(resources[1].spans.is_empty());
}

const YAML_TEMPLATE: &str = "\
ROSTemplateFormatVersion: '2015-09-01'
Resources:
  Bucket:
    Type: ALIYUN::OSS::Bucket
    Properties:
      BucketName: !Sub '${ALIYUN::StackName}-logs'
      AccessControl: public-read
      Versioning: &versioning
        Status: Enabled
      Encrypted: yes
      Count: 012
      Policy: !Ref Policy
  Disk:
    Type: ALIYUN::ECS::Disk
    Properties:
      Encrypted: 'false'
      Copy: *versioning
      Source: !GetAtt Bucket.Name
      Block:
        - !GetAtt [Bucket, Arn]
  Policy:
    Type: ALIYUN::RAM::ManagedPolicy
";

#[test]
fn yaml_resources_load_with_short_tags_and_anchors() {
    let (resources, errors) = load_yaml(YAML_TEMPLATE);
    assert!(errors.is_empty(), "{errors:?}");
    let addresses: Vec<_> = resources.iter().map(|r| r.address.as_str()).collect();
    assert_eq!(addresses, ["Bucket", "Disk", "Policy"]);
    let bucket = &resources[0];
    assert_eq!(bucket.span, span((3, 3), (3, 9)));
    assert_eq!(
        bucket.attributes,
        json!({
            "BucketName": {"$unknown": {"reason": "`Fn::Sub` is not evaluated", "refers": null}},
            "AccessControl": "public-read",
            "Versioning": {"Status": "Enabled"},
            "Encrypted": true,
            "Count": 10,
            "Policy": {"$unknown": {"reason": "`Ref` to `Policy` is not evaluated", "refers": "Policy"}},
        })
    );
    assert_eq!(bucket.spans["AccessControl"], span((7, 7), (7, 33)));
    assert_eq!(bucket.spans["Versioning"], span((8, 7), (9, 24)));
    assert_eq!(bucket.spans["Versioning.Status"], span((9, 9), (9, 24)));
    assert_eq!(bucket.spans["Policy"], span((12, 7), (12, 26)));
    let disk = &resources[1];
    assert_eq!(
        disk.attributes,
        json!({
            "Encrypted": "false",
            "Copy": {"Status": "Enabled"},
            "Source": {"$unknown": {
                "reason": "`Fn::GetAtt` of `Bucket.Name` is not evaluated", "refers": "Bucket"
            }},
            "Block": [{"$unknown": {
                "reason": "`Fn::GetAtt` of `Bucket.Arn` is not evaluated", "refers": "Bucket"
            }}],
        })
    );
    assert_eq!(disk.spans["Copy"], span((17, 7), (17, 24)));
    assert_eq!(disk.spans["Block[0]"], span((20, 11), (20, 32)));
}

#[test]
fn malformed_resources_are_reported_and_the_rest_load() {
    let text = "\
ROSTemplateFormatVersion: '2015-09-01'
Resources:
  NoType:
    Properties: {}
  BadProperties:
    Type: ALIYUN::ECS::Disk
    Properties: [1]
  Scalar: 3
  Good:
    Type: ALIYUN::ECS::Disk
  Good:
    Type: ALIYUN::ECS::Instance
  BadType:
    Type: [x]
";
    let (resources, errors) = load_yaml(text);
    assert_eq!(resources.len(), 1);
    assert_eq!(resources[0].resource_type, "ALIYUN::ECS::Disk");
    let found: Vec<_> = errors
        .iter()
        .map(|e| (e.position, e.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (Position::new(3, 3), "resource `NoType` has no `Type`"),
            (
                Position::new(7, 17),
                "`Properties` of resource `BadProperties` must be a mapping, found a list"
            ),
            (
                Position::new(8, 11),
                "resource `Scalar` must be a mapping, found a number"
            ),
            (
                Position::new(11, 3),
                "duplicate resource `Good` (first defined on line 9)"
            ),
            (
                Position::new(14, 11),
                "`Type` of resource `BadType` must be a string, found a list"
            ),
        ]
    );
}

#[test]
fn resources_that_are_not_a_mapping_are_reported() {
    let (resources, errors) =
        load_json(r#"{"ROSTemplateFormatVersion": "2015-09-01", "Resources": []}"#);
    assert!(resources.is_empty());
    assert_eq!(
        errors[0].message,
        "`Resources` must be a mapping, found a list"
    );
    assert_eq!(errors[0].position, Position::new(1, 57));
}
