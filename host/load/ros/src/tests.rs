use std::path::Path;

use serde_json::json;

use super::*;
use crate::{Options, RosInput, RosInputs};
use palisade_model::{PARAMETER_TYPE, Position, Span};
use palisade_syntax::{json, yaml};

fn span(start: (u32, u32), end: (u32, u32)) -> Span {
    Span::new(Position::new(start.0, start.1), Position::new(end.0, end.1))
}

fn load_json(text: &str) -> (Vec<Resource>, Vec<LoadError>) {
    let root = json::parse(Path::new("t.json"), text).unwrap().unwrap();
    template_resources(resources(
        &root,
        text,
        Path::new("t.json"),
        &Options::default(),
    ))
}

fn load_yaml(text: &str) -> (Vec<Resource>, Vec<LoadError>) {
    let root = yaml::parse(Path::new("t.yaml"), text).unwrap().unwrap();
    template_resources(resources(
        &root,
        text,
        Path::new("t.yaml"),
        &Options::default(),
    ))
}

/// The resources of a load without its parameter declarations, which most tests ignore.
pub(crate) fn template_resources(
    (resources, errors): (Vec<Resource>, Vec<LoadError>),
) -> (Vec<Resource>, Vec<LoadError>) {
    let resources = resources
        .into_iter()
        .filter(|resource| resource.resource_type != PARAMETER_TYPE)
        .collect();
    (resources, errors)
}

#[test]
fn parameter_declarations_count_toward_the_instance_limit() {
    let text = "Parameters:\n  A: {Type: String}\n  B: {Type: String}\nResources:\n  \
                Bucket: {Type: ALIYUN::OSS::Bucket, Properties: {BucketName: b}}\n";
    let root = yaml::parse(Path::new("t.yaml"), text).unwrap().unwrap();
    let options = Options {
        limits: palisade_model::Limits {
            instances: 2,
            ..Default::default()
        },
        ..Options::default()
    };
    let (resources, errors) = resources(&root, text, Path::new("t.yaml"), &options);
    assert_eq!(resources.len(), 1);
    assert_eq!(
        messages(&errors),
        [
            "the template's 2 parameters bring it to 3 resources, over the limit of 2 \
          instances (--max-instances)"
        ]
    );
    assert_eq!(errors[0].position, Position::new(1, 1));
}

#[test]
fn parameter_declarations_load_as_resources_with_secret_defaults_sensitive() {
    let text = "Parameters:\n  DbPassword:\n    Type: String\n    Default: s3cret-value\n  \
                Name:\n    Type: String\n    Default: web\nResources: {}\n";
    let root = yaml::parse(Path::new("t.yaml"), text).unwrap().unwrap();
    let (resources, errors) = resources(&root, text, Path::new("t.yaml"), &Options::default());
    assert!(errors.is_empty(), "{errors:?}");
    let addresses: Vec<_> = resources.iter().map(|r| r.address.as_str()).collect();
    assert_eq!(addresses, ["Parameters.DbPassword", "Parameters.Name"]);
    assert!(resources.iter().all(|r| r.resource_type == PARAMETER_TYPE));
    assert_eq!(resources[0].sensitive, ["Default"]);
    assert!(resources[1].sensitive.is_empty());
    assert_eq!(resources[0].locate("Default"), span((4, 5), (4, 26)));
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
fn json_resources_load_with_functions_evaluated() {
    let (resources, errors) = load_json(JSON_TEMPLATE);
    assert!(errors.is_empty(), "{errors:?}");
    let group = &resources[0];
    assert_eq!(group.resource_type, "ALIYUN::ECS::SecurityGroup");
    assert_eq!(group.address, "Group");
    assert_eq!(group.span, span((5, 5), (5, 12)));
    assert_eq!(
        group.attributes,
        json!({
            "VpcId": {"$unknown": {
                "reason": "`Ref` to resource `Vpc` is known only after deployment", "refers": "Vpc"
            }},
            "SecurityGroupIngress": [
                {"PortRange": "22/22", "SourceCidrIp": "0.0.0.0/0", "Priority": 1},
                {"PortRange": "80/80", "SourceCidrIp": {"$unknown": {
                    "reason": "parameter `Cidr` has no value (no Default; give one with \
                               --param Cidr=VALUE or --parameters FILE)",
                    "refers": null
                }}},
            ],
            "Tags": [{"Key": "a", "Value": "x-y"}],
            "Name": {"$unknown": {
                "reason": "`Fn::GetAtt` of `Vpc.VpcName` is known only after deployment",
                "refers": "Vpc"
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
            "BucketName": {"$unknown": {"reason": "`Fn::Sub` of an unknown value: pseudo \
                parameter `ALIYUN::StackName` is not given (give it with \
                --param ALIYUN::StackName=VALUE)", "refers": null}},
            "AccessControl": "public-read",
            "Versioning": {"Status": "Enabled"},
            "Encrypted": true,
            "Count": 10,
            "Policy": {"$unknown": {
                "reason": "`Ref` to resource `Policy` is known only after deployment",
                "refers": "Policy"
            }},
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
                "reason": "`Fn::GetAtt` of `Bucket.Name` is known only after deployment",
                "refers": "Bucket"
            }},
            "Block": [{"$unknown": {
                "reason": "`Fn::GetAtt` of `Bucket.Arn` is known only after deployment",
                "refers": "Bucket"
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

fn load_with(text: &str, inputs: &[RosInput]) -> (Vec<Resource>, Vec<LoadError>) {
    let root = yaml::parse(Path::new("t.yaml"), text).unwrap().unwrap();
    let options = Options {
        parameters: RosInputs {
            args: inputs.to_vec(),
        },
        ..Options::default()
    };
    template_resources(resources(&root, text, Path::new("t.yaml"), &options))
}

fn messages(errors: &[LoadError]) -> Vec<String> {
    errors.iter().map(|e| e.message.clone()).collect()
}

fn reason(value: &Value) -> &str {
    value["$unknown"]["reason"].as_str().unwrap_or("<known>")
}

const PARAMETERS: &str = "\
ROSTemplateFormatVersion: '2015-09-01'
Parameters:
  Acl:
    Type: String
    Default: public-read
    AllowedValues: [private, public-read]
  Size: {Type: Number, Default: '40'}
  Zones: {Type: CommaDelimitedList, Default: 'a, b,c'}
  Config: {Type: Json, Default: '{\"k\": [1]}'}
  Enabled: {Type: Boolean, Default: 'true'}
  Image: {Type: 'ALIYUN::ECS::Image::ImageId', Default: 7}
  Missing: {Type: String}
Resources:
  Bucket:
    Type: ALIYUN::OSS::Bucket
    Properties:
      AccessControl: {Ref: Acl}
      Size: !Ref Size
      Zones: !Ref Zones
      Config: !Ref Config
      Enabled: !Ref Enabled
      Image: !Ref Image
      Missing: !Ref Missing
";

#[test]
fn parameters_take_their_type() {
    let (resources, errors) = load_with(PARAMETERS, &[]);
    assert!(errors.is_empty(), "{errors:?}");
    let attributes = &resources[0].attributes;
    assert_eq!(attributes["AccessControl"], json!("public-read"));
    assert_eq!(attributes["Size"], json!(40));
    assert_eq!(attributes["Zones"], json!(["a", "b", "c"]));
    assert_eq!(attributes["Config"], json!({"k": [1]}));
    assert_eq!(attributes["Enabled"], json!(true));
    assert_eq!(attributes["Image"], json!("7"));
    assert!(reason(&attributes["Missing"]).starts_with("parameter `Missing` has no value"));
    // The span of a property is where it is written, not where its value comes from.
    assert_eq!(resources[0].spans["AccessControl"], span((17, 7), (17, 32)));
}

#[test]
fn given_parameters_win_in_command_line_order() {
    let dir = tempfile::tempdir().unwrap();
    let object = dir.path().join("p.yaml");
    std::fs::write(&object, "Acl: private\nSize: 10\n").unwrap();
    let list = dir.path().join("p.json");
    std::fs::write(
        &list,
        r#"[{"ParameterKey": "Size", "ParameterValue": "20"}, {"ParameterKey": "Missing", "ParameterValue": "m"}]"#,
    )
    .unwrap();
    let inputs = [
        RosInput::Param("Size".into(), "5".into()),
        RosInput::File(object),
        RosInput::File(list),
        RosInput::Param("Missing".into(), "last".into()),
    ];
    let (resources, errors) = load_with(PARAMETERS, &inputs);
    assert!(errors.is_empty(), "{errors:?}");
    let attributes = &resources[0].attributes;
    assert_eq!(attributes["AccessControl"], json!("private"));
    assert_eq!(attributes["Size"], json!(20));
    assert_eq!(attributes["Missing"], json!("last"));
}

#[test]
fn invalid_parameter_values_are_errors_and_unknown() {
    let inputs = [
        RosInput::Param("Acl".into(), "public-read-write".into()),
        RosInput::Param("Size".into(), "big".into()),
        RosInput::Param("Enabled".into(), "maybe".into()),
    ];
    let (resources, errors) = load_with(PARAMETERS, &inputs);
    let attributes = &resources[0].attributes;
    for key in ["AccessControl", "Size", "Enabled"] {
        assert!(
            reason(&attributes[key]).starts_with("invalid value"),
            "{key}"
        );
    }
    let found = messages(&errors);
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found[0].contains("`public-read-write` is not one of the AllowedValues"));
    // Reported at the AllowedValues of the parameter.
    assert_eq!(errors[0].position, Position::new(6, 20));
}

#[test]
fn conditions_decide_resources_and_branches() {
    let text = "\
ROSTemplateFormatVersion: '2015-09-01'
Parameters:
  Env: {Type: String, Default: prod}
  Unset: {Type: String}
Conditions:
  IsProd: !Equals [prod, !Ref Env]
  IsDev: {Fn::Not: [IsProd]}
  Both: {Fn::And: [IsProd, {Condition: IsDev}]}
  Either: {Fn::Or: [IsDev, IsProd]}
  Maybe: !Equals [x, !Ref Unset]
  ProdOrMaybe: {Fn::Or: [IsProd, Maybe]}
  Loop: {Fn::Not: [{Condition: Loop}]}
Resources:
  Prod:
    Type: ALIYUN::OSS::Bucket
    Condition: IsProd
    Properties:
      Acl: !If [IsProd, private, public-read]
      Both: !If [Both, 1, 2]
      Either: !If [Either, 1, 2]
      Decided: !If [ProdOrMaybe, yes, no]
      Unknown: !If [Maybe, private, public-read]
      Same: !If [Maybe, private, private]
      Removed: !If [IsProd, !Ref 'ALIYUN::NoValue', x]
      List: [a, !If [IsDev, b, !Ref 'ALIYUN::NoValue'], c]
  Dev:
    Type: ALIYUN::OSS::Bucket
    Condition: IsDev
  Perhaps:
    Type: ALIYUN::OSS::Bucket
    Condition: Maybe
  Cycle:
    Type: ALIYUN::OSS::Bucket
    Properties:
      Loop: !If [Loop, 1, 2]
";
    let (resources, errors) = load_with(text, &[]);
    let addresses: Vec<_> = resources.iter().map(|r| r.address.as_str()).collect();
    // `Prod` and `Cycle` choose on unknown conditions: one variant per branch.
    assert_eq!(addresses, ["Prod", "Prod", "Perhaps", "Cycle", "Cycle"]);
    let prod = &resources[0].attributes;
    assert_eq!(prod["Acl"], json!("private"));
    assert_eq!(prod["Both"], json!(2));
    assert_eq!(prod["Either"], json!(1));
    assert_eq!(prod["Decided"], json!(true));
    assert_eq!(prod["Unknown"], json!("private"));
    assert_eq!(resources[1].attributes["Unknown"], json!("public-read"));
    assert_eq!(prod["Same"], json!("private"));
    assert!(prod.get("Removed").is_none());
    assert_eq!(prod["List"], json!(["a", "c"]));
    // Items after a removed one move up, with their own spans.
    assert_eq!(resources[0].spans["List[1]"], span((25, 57), (25, 58)));
    assert_eq!(resources[3].attributes["Loop"], json!(1));
    assert_eq!(resources[4].attributes["Loop"], json!(2));
    // Evaluating the branches again reports nothing twice.
    assert_eq!(messages(&errors), ["condition `Loop` depends on itself"]);
}

#[test]
fn functions_evaluate_in_properties() {
    let text = "\
ROSTemplateFormatVersion: '2015-09-01'
Parameters:
  Port: {Type: Number, Default: 22}
  Cidrs: {Type: CommaDelimitedList, Default: '10.0.0.0/8,0.0.0.0/0'}
Mappings:
  Regions:
    cn-hangzhou: {Acl: public-read}
Resources:
  Group:
    Type: ALIYUN::ECS::SecurityGroup
    Properties:
      Range: {Fn::Join: ['/', [{Ref: Port}, {Ref: Port}]]}
      Cidr: !Select [1, !Ref Cidrs]
      Sub: !Sub 'port ${Port} ${!Literal} ${Group.Arn}'
      SubMap: !Sub ['${A}-${Port}', {A: x}]
      Acl: !FindInMap [Regions, cn-hangzhou, Acl]
      Count: {Fn::Length: {Ref: Cidrs}}
      Other: !GetAZs cn-hangzhou
      Bad: !Join [1]
";
    let (resources, errors) = load_with(text, &[]);
    let group = &resources[0].attributes;
    assert_eq!(group["Range"], json!("22/22"));
    assert_eq!(group["Cidr"], json!("0.0.0.0/0"));
    assert_eq!(group["Sub"]["$unknown"]["refers"], json!("Group"));
    assert_eq!(group["SubMap"], json!("x-22"));
    assert_eq!(group["Acl"], json!("public-read"));
    assert_eq!(group["Count"], json!(2));
    assert_eq!(reason(&group["Other"]), "`Fn::GetAZs` is not evaluated");
    assert_eq!(
        messages(&errors),
        ["`Fn::Join`: takes [delimiter, [text, ...]]"]
    );
    assert_eq!(errors[0].position, Position::new(19, 12));
}

#[test]
fn sub_with_literal_and_pseudo_parameters() {
    let text = "\
ROSTemplateFormatVersion: '2015-09-01'
Resources:
  B:
    Type: ALIYUN::OSS::Bucket
    Properties:
      Name: !Sub '${ALIYUN::Region}-${!Literal}'
";
    let inputs = [RosInput::Param(
        "ALIYUN::Region".into(),
        "cn-beijing".into(),
    )];
    let (resources, errors) = load_with(text, &inputs);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        resources[0].attributes["Name"],
        json!("cn-beijing-${Literal}")
    );
}

#[test]
fn count_expands_instances_with_their_index() {
    let text = "\
ROSTemplateFormatVersion: '2015-09-01'
Parameters:
  N: {Type: Number, Default: 2}
  Unset: {Type: Number}
Resources:
  Disk:
    Type: ALIYUN::ECS::Disk
    Count: !Ref N
    Properties:
      Name: !Sub 'disk-${ALIYUN::Index}'
      Index: !Ref ALIYUN::Index
  Some:
    Type: ALIYUN::ECS::Disk
    Count: !Ref Unset
    Properties:
      Index: !Ref ALIYUN::Index
  Huge:
    Type: ALIYUN::ECS::Disk
    Count: 1000000
  None:
    Type: ALIYUN::ECS::Disk
    Count: 0
";
    let (resources, errors) = load_with(text, &[]);
    let addresses: Vec<_> = resources.iter().map(|r| r.address.as_str()).collect();
    assert_eq!(addresses, ["Disk[0]", "Disk[1]", "Some", "Huge"]);
    assert_eq!(
        resources[1].attributes,
        json!({"Name": "disk-1", "Index": 1})
    );
    assert!(reason(&resources[2].attributes["Index"]).contains("`Count` is unknown"));
    assert_eq!(
        messages(&errors),
        ["`Count` is 1000000, more than the 1000 instances checked"]
    );
}

#[test]
fn deep_nesting_and_unknown_functions_never_panic() {
    let mut value = String::from("x");
    for _ in 0..250 {
        value = format!("{{\"Fn::Join\": [\"\", [{value}]]}}");
    }
    let text = format!(
        r#"{{"ROSTemplateFormatVersion": "2015-09-01", "Resources": {{"A": {{"Type": "T", "Properties": {{"P": {value}, "Q": {{"Fn::Nope": 1}}, "R": {{"Ref": "Nothing"}}}}}}}}}}"#
    );
    if let Ok(Some(root)) = json::parse(Path::new("t.json"), &text) {
        let (resources, _) = resources(&root, &text, Path::new("t.json"), &Options::default());
        assert!(reason(&resources[0].attributes["Q"]).contains("`Fn::Nope`"));
    }
}

#[test]
fn properties_from_parameters_have_origins() {
    let text = "ROSTemplateFormatVersion: '2015-09-01'
Parameters:
  Acl: {Type: String, Default: public-read}
  Name: {Type: String}
  Public: {Type: Boolean, Default: true}
Conditions:
  IsPublic: !Equals [!Ref Public, true]
Resources:
  Bucket:
    Type: ALIYUN::OSS::Bucket
    Properties:
      AccessControl: !Ref Acl
      BucketName: !Join ['-', [!Ref Acl, !Ref Name]]
      Tag: !If [IsPublic, fixed, other]
      Plain: literal
";
    let (resources, errors) = load_yaml(text);
    assert!(errors.is_empty(), "{errors:?}");
    let bucket = &resources[0];
    assert_eq!(
        bucket
            .origin("AccessControl")
            .map(ToString::to_string)
            .as_deref(),
        Some("parameter Acl: default at t.yaml:3:32")
    );
    // `Name` has no value, so only `Acl` says where the value comes from.
    assert_eq!(
        bucket
            .origin("BucketName")
            .map(ToString::to_string)
            .as_deref(),
        Some("parameter Acl: default at t.yaml:3:32")
    );
    // A condition chooses a value; the value is still the literal written.
    assert_eq!(bucket.origin("Tag"), None);
    assert_eq!(bucket.origin("Plain"), None);
}

#[test]
fn references_to_counted_resources_select_one_instance() {
    let text = "ROSTemplateFormatVersion: '2015-09-01'
Resources:
  Eip:
    Type: ALIYUN::VPC::EIP
    Count: 2
  Slb:
    Type: ALIYUN::SLB::LoadBalancer
    Count: !Ref Unset
  Bind:
    Type: ALIYUN::VPC::EIPAssociation
    Count: 2
    Properties:
      AllocationId: !Select [!Ref ALIYUN::Index, !GetAtt Eip.AllocationId]
      First: !Select [0, !Ref Eip]
      All: !Ref Eip
      InstanceId: !GetAtt Slb.LoadBalancerId
      Name: !Sub '${Eip.Name}'
";
    let (resources, errors) = load_yaml(text);
    assert_eq!(errors.len(), 1, "{errors:?}"); // `Unset` is not defined.
    let refers = |value: &serde_json::Value| value["$unknown"]["refers"].clone();
    let binds: Vec<&Resource> = resources
        .iter()
        .filter(|r| r.address.starts_with("Bind"))
        .collect();
    assert_eq!(binds.len(), 2);
    for (i, bind) in binds.iter().enumerate() {
        let attributes = &bind.attributes;
        assert_eq!(
            refers(&attributes["AllocationId"]),
            json!(format!("Eip[{i}]"))
        );
        assert_eq!(refers(&attributes["First"]), json!("Eip[0]"));
        assert_eq!(refers(&attributes["All"][1]), json!("Eip[1]"));
        // The count of `Slb` is unknown: the reference is to the resource as a whole.
        assert_eq!(refers(&attributes["InstanceId"]), json!("Slb"));
        assert_eq!(refers(&attributes["Name"]), json!("Eip[0]"));
    }
}

#[test]
fn repeated_keys_are_errors_where_they_repeat() {
    let text = "ROSTemplateFormatVersion: '2015-09-01'
Resources:
  Bucket:
    Type: ALIYUN::OSS::Bucket
    Properties:
      AccessControl: private
      AccessControl: public-read
";
    let (_, errors) = load_yaml(text);
    let messages: Vec<(u32, &str)> = errors
        .iter()
        .map(|e| (e.position.line, e.message.as_str()))
        .collect();
    assert_eq!(
        messages,
        [(
            7,
            "duplicate key `AccessControl` (first on line 6): the keys of a mapping must be unique"
        )]
    );
    let json_text = r#"{"ROSTemplateFormatVersion": "2015-09-01",
 "Resources": {"B": {"Type": "ALIYUN::OSS::Bucket", "Type": "x"}}}"#;
    let (_, errors) = load_json(json_text);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].position, Position::new(2, 53));
}

#[test]
fn merge_keys_are_not_repeats() {
    let text = "ROSTemplateFormatVersion: '2015-09-01'
Resources:
  Bucket:
    Type: ALIYUN::OSS::Bucket
    Properties:
      Base: &base {AccessControl: private, Name: b}
      Merged:
        <<: *base
        AccessControl: public-read
";
    let (resources, errors) = load_yaml(text);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        resources[0].attributes["Merged"],
        json!({"AccessControl": "public-read", "Name": "b"})
    );
}

#[test]
fn an_unknown_index_refers_to_the_counted_resource() {
    let text = "ROSTemplateFormatVersion: '2015-09-01'
Parameters:
  N: {Type: Number}
Resources:
  Eip:
    Type: ALIYUN::VPC::EIP
    Count: 2
  Bind:
    Type: ALIYUN::VPC::EIPAssociation
    Count: !Ref N
    Properties:
      AllocationId: !Select [!Ref ALIYUN::Index, !GetAtt Eip.AllocationId]
";
    let (resources, errors) = load_yaml(text);
    assert!(errors.is_empty(), "{errors:?}");
    let bind = &resources[2];
    assert_eq!(bind.address, "Bind");
    assert_eq!(
        bind.attributes["AllocationId"]["$unknown"]["refers"],
        json!("Eip")
    );
}

#[test]
fn a_long_chain_of_counts_is_not_followed_to_the_end() {
    let mut text = String::from("ROSTemplateFormatVersion: '2015-09-01'\nResources:\n");
    for i in 0..5000 {
        text.push_str(&format!(
            "  R{i}:\n    Type: ALIYUN::VPC::EIP\n    Count: {{Fn::Length: {{Ref: R{}}}}}\n",
            i + 1
        ));
    }
    text.push_str("  R5000:\n    Type: ALIYUN::VPC::EIP\n    Count: 1\n");
    let (resources, _) = load_yaml(&text);
    assert!(!resources.is_empty());
}

#[test]
fn unknown_conditions_split_a_resource_into_its_branches() {
    let text = "\
ROSTemplateFormatVersion: '2015-09-01'
Parameters:
  Public: {Type: String}
  Name: {Type: String, Default: logs}
Conditions:
  IsPublic: !Equals [yes, !Ref Public]
Resources:
  Bucket:
    Type: ALIYUN::OSS::Bucket
    Properties:
      AccessControl: !If [IsPublic, public-read, private]
      BucketName: !If [IsPublic, !Ref Name, !Ref Name]
  Plain:
    Type: ALIYUN::OSS::Bucket
    Properties:
      AccessControl: private
";
    let (resources, errors) = load_yaml(text);
    assert!(errors.is_empty(), "{errors:?}");
    let addresses: Vec<_> = resources.iter().map(|r| r.address.as_str()).collect();
    assert_eq!(addresses, ["Bucket", "Bucket", "Plain"]);
    let (public, private) = (&resources[0], &resources[1]);
    assert_eq!(public.attributes["AccessControl"], json!("public-read"));
    assert_eq!(
        public
            .origin("AccessControl")
            .map(ToString::to_string)
            .as_deref(),
        Some("when condition `IsPublic` is true")
    );
    assert_eq!(private.attributes["AccessControl"], json!("private"));
    assert_eq!(
        private
            .origin("AccessControl")
            .map(ToString::to_string)
            .as_deref(),
        Some("when condition `IsPublic` is false")
    );
    // The same in both branches: only the parameter says where it comes from.
    for bucket in [public, private] {
        assert_eq!(bucket.attributes["BucketName"], json!("logs"));
        assert_eq!(
            bucket
                .origin("BucketName")
                .map(ToString::to_string)
                .as_deref(),
            Some("parameter Name: default at t.yaml:4:33")
        );
        assert_eq!(bucket.span, span((8, 3), (8, 9)));
    }
    assert_eq!(public.spans["AccessControl"], span((11, 7), (11, 58)));
}

#[test]
fn more_than_three_unknown_conditions_leave_one_resource_with_unknowns() {
    let text = "\
ROSTemplateFormatVersion: '2015-09-01'
Parameters:
  Unset: {Type: String}
Conditions:
  A: !Equals [a, !Ref Unset]
  B: !Equals [b, !Ref Unset]
  C: !Equals [c, !Ref Unset]
  D: !Equals [d, !Ref Unset]
Resources:
  Bucket:
    Type: ALIYUN::OSS::Bucket
    Properties:
      A: !If [A, 1, 2]
      B: !If [B, 1, 2]
      C: !If [C, 1, 2]
      D: !If [D, private, public-read]
";
    let (resources, errors) = load_yaml(text);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(resources.len(), 1);
    assert_eq!(
        reason(&resources[0].attributes["D"]),
        "condition `D` is unknown (parameter `Unset` has no value (no Default; give one \
         with --param Unset=VALUE or --parameters FILE)): the value is either \"private\" \
         (true) or \"public-read\" (false)"
    );
}

fn load_within(text: &str, limits: palisade_model::Limits) -> (Vec<Resource>, Vec<LoadError>) {
    let root = yaml::parse(Path::new("t.yaml"), text).unwrap().unwrap();
    let options = Options {
        limits,
        ..Options::default()
    };
    template_resources(resources(&root, text, Path::new("t.yaml"), &options))
}

#[test]
fn a_value_over_the_limit_is_an_error_at_its_function() {
    // Each replacement multiplies the text by ten: 10^12 bytes without the limit.
    let text = "\
ROSTemplateFormatVersion: '2015-09-01'
Resources:
  B:
    Type: ALIYUN::OSS::Bucket
    Properties:
      Acl: private
      Name:
        Fn::Replace:
          - {a: bbbbbbbbbb, b: cccccccccc, c: dddddddddd, d: eeeeeeeeee, e: ffffffffff,
             f: gggggggggg, g: hhhhhhhhhh, h: iiiiiiiiii, i: jjjjjjjjjj, j: kkkkkkkkkk,
             k: llllllllll, l: mmmmmmmmmm}
          - aaaaaaaaaa
";
    let (resources, errors) = load_yaml(text);
    assert_eq!(resources[0].attributes["Acl"], json!("private"));
    assert!(reason(&resources[0].attributes["Name"]).contains("--max-value-size"));
    assert_eq!(
        messages(&errors),
        [
            "`Fn::Replace` makes a value of at least 100000000 bytes, over the limit of \
          16777216 bytes (--max-value-size)"
        ]
    );
    assert_eq!(errors[0].position, Position::new(8, 9));
}

#[test]
fn values_computed_for_a_template_have_a_total() {
    // One value may take 300 KB: the list of 3,125 `Ref`s is built before it is joined.
    let limits = palisade_model::Limits {
        value_size: 300_000,
        evaluated_size: 1_000_000,
        ..Default::default()
    };
    // Each resource computes 100 KB (its `Ref`s, then their `Fn::Join`): the tenth
    // reaches the total.
    let mut text = String::from(
        "ROSTemplateFormatVersion: '2015-09-01'\n\
         Parameters:\n  P: {Type: String, Default: xxxxxxxxxxxxxxxx}\nResources:\n",
    );
    for i in 0..30 {
        text.push_str(&format!(
            "  B{i}:\n    Type: ALIYUN::OSS::Bucket\n    Properties:\n      Name: \
             {{Fn::Join: ['', [{}]]}}\n",
            vec!["{Ref: P}"; 50_000 / 16].join(", ")
        ));
    }
    let (resources, errors) = load_within(&text, limits);
    assert_eq!(resources.len(), 30);
    let over: Vec<&LoadError> = errors
        .iter()
        .filter(|e| e.message.contains("--max-evaluated-size"))
        .collect();
    assert_eq!(over.len(), 1, "{errors:?}");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        reason(&resources[29].attributes["Name"]).starts_with("not evaluated: "),
        "{}",
        resources[29].attributes["Name"]
    );
}

#[test]
fn counts_and_the_instances_of_a_template_have_a_limit() {
    let limits = palisade_model::Limits {
        instances: 10,
        ..Default::default()
    };
    let text = "\
ROSTemplateFormatVersion: '2015-09-01'
Resources:
  A:
    Type: ALIYUN::VPC::EIP
    Count: 20
  B:
    Type: ALIYUN::VPC::EIP
    Count: 6
  C:
    Type: ALIYUN::VPC::EIP
    Count: 6
  D:
    Type: ALIYUN::VPC::EIP
";
    let (resources, errors) = load_within(text, limits);
    let addresses: Vec<&str> = resources.iter().map(|r| r.address.as_str()).collect();
    assert_eq!(
        addresses,
        ["A", "B[0]", "B[1]", "B[2]", "B[3]", "B[4]", "B[5]", "D"]
    );
    assert_eq!(
        messages(&errors),
        [
            "resource `C` brings the template to 13 instances, over the limit of 10 \
             instances (--max-instances)",
            "`Count` is 20, over the limit of 10 instances (--max-instances)",
        ]
    );
    assert_eq!(errors[0].position, Position::new(9, 3));
    assert_eq!(errors[1].position, Position::new(5, 12));
}

#[test]
fn a_condition_cycle_is_reported_once() {
    let text = "\
ROSTemplateFormatVersion: '2015-09-01'
Conditions:
  A: {Condition: B}
  B: {Fn::And: [A, {Fn::Not: [A]}, {Condition: A}]}
Resources:
  R:
    Type: ALIYUN::VPC::EIP
    Condition: A
    Properties:
      Name: {Fn::If: [B, x, y]}
  S:
    Type: ALIYUN::VPC::EIP
    Condition: B
";
    let (_, errors) = load_yaml(text);
    assert_eq!(
        errors
            .iter()
            .map(|e| (e.position, e.message.as_str()))
            .collect::<Vec<_>>(),
        [(Position::new(4, 17), "condition `A` depends on itself")]
    );
}

#[test]
fn a_written_value_too_large_to_build_is_refused_before_it_is_built() {
    let limits = palisade_model::Limits {
        value_size: 20_000,
        ..Default::default()
    };
    let text = format!(
        "ROSTemplateFormatVersion: '2015-09-01'\nResources:\n  D:\n    Type: ALIYUN::ECS::Disk\n    \
         Properties:\n      Encrypted: false\n      Tags: [{}]\n",
        vec!["1"; 2_000].join(", ")
    );
    let (resources, errors) = load_within(&text, limits);
    let [error] = errors.as_slice() else {
        panic!("{errors:?}");
    };
    assert_eq!(error.position, Position::new(7, 13));
    assert!(
        error.message.starts_with("a value of ") && error.message.ends_with("(--max-value-size)"),
        "{}",
        error.message
    );
    assert_eq!(resources[0].attributes["Encrypted"], false);
}

#[test]
fn a_resource_keeps_its_first_positions() {
    let text = format!(
        "ROSTemplateFormatVersion: '2015-09-01'\nResources:\n  D:\n    Type: ALIYUN::ECS::Disk\n    \
         Properties:\n      Tags: [{}]\n",
        vec!["1"; Resource::MAX_SPANS + 10].join(", ")
    );
    let (resources, errors) = load_within(&text, palisade_model::Limits::default());
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(resources[0].spans.len(), Resource::MAX_SPANS);
    assert!(resources[0].spans.contains_key("Tags"));
}

/// `Default: null` is no default, whatever the type (Alibaba's own templates write it
/// for optional parameters): unknown unless given, and `AllowedValues` do not apply to it.
#[test]
fn a_null_default_is_no_default() {
    let text = "\
ROSTemplateFormatVersion: '2015-09-01'
Parameters:
  Size: {Type: Number, Default: null}
  Flag: {Type: Boolean, Default: null, AllowedValues: [true, false]}
  Doc: {Type: Json, Default: null}
  Zones: {Type: CommaDelimitedList, Default: null}
  Name: {Type: String, Default: null, AllowedValues: [a, b]}
Resources:
  Disk:
    Type: ALIYUN::ECS::Disk
    Properties:
      Size: {Ref: Size}
      Encrypted: {Ref: Flag}
      Doc: {Ref: Doc}
      Zones: {Ref: Zones}
      DiskName: {Ref: Name}
";
    let (resources, errors) = load_with(text, &[]);
    assert!(errors.is_empty(), "{errors:?}");
    let attributes = &resources[0].attributes;
    for (property, parameter) in [
        ("Size", "Size"),
        ("Encrypted", "Flag"),
        ("Doc", "Doc"),
        ("Zones", "Zones"),
        ("DiskName", "Name"),
    ] {
        let why = reason(&attributes[property]);
        assert!(
            why.starts_with(&format!("parameter `{parameter}` has no value")),
            "{property}: {why}"
        );
    }
    let given = [
        RosInput::Param("Size".into(), "40".into()),
        RosInput::Param("Flag".into(), "false".into()),
    ];
    let (resources, errors) = load_with(text, &given);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(resources[0].attributes["Size"], json!(40));
    assert_eq!(resources[0].attributes["Encrypted"], json!(false));
}

/// `Locals` as ROS documents them: a `Macro` or `Eval` local is its `Value` evaluated at
/// the `Ref`, a data source local is known only at deployment, and a malformed or
/// cyclic local is an error at it.
#[test]
fn locals_are_read_and_referred_to() {
    let text = "\
ROSTemplateFormatVersion: '2015-09-01'
Parameters:
  Open: {Type: String, Default: 0.0.0.0/0}
Locals:
  Cidr: {Value: {Ref: Open}}
  Port:
    Type: Eval
    Value: {'Fn::Join': ['/', ['22', '22']]}
  Vpcs:
    Type: DATASOURCE::VPC::Vpcs
    Properties: {VpcName: main}
  Again: {Value: {Ref: Cidr}}
  Loop: {Value: {Ref: Loop}}
  Empty: {Type: Eval}
Resources:
  Rule:
    Type: ALIYUN::ECS::SecurityGroupIngress
    Properties:
      SourceCidrIp: {Ref: Again}
      PortRange: {Ref: Port}
      VpcId: {'Fn::GetAtt': [Vpcs, VpcIds]}
      Name: {Ref: Vpcs}
      Self: {Ref: Loop}
";
    let (resources, errors) = load_with(text, &[]);
    let attributes = &resources[0].attributes;
    assert_eq!(attributes["SourceCidrIp"], json!("0.0.0.0/0"));
    assert_eq!(attributes["PortRange"], json!("22/22"));
    let data_source = "local `Vpcs` is a data source (`DATASOURCE::VPC::Vpcs`), queried only at \
                       deployment";
    assert_eq!(reason(&attributes["VpcId"]), data_source);
    assert_eq!(reason(&attributes["Name"]), data_source);
    assert_eq!(
        messages(&errors),
        [
            "local `Empty` has no `Value`",
            "local `Loop` refers to itself"
        ]
    );
    assert_eq!(errors[0].position, Position::new(14, 10));
    assert_eq!(errors[1].position, Position::new(13, 17));
}

/// A stack with an inline template is a template of its own: evaluated with the
/// parameters the parent passes, its resources addressed inside the stack and located in
/// the parent file, its outputs read by the parent's `Fn::GetAtt`.
#[test]
fn inline_nested_stacks_are_evaluated_as_their_own_templates() {
    let text = "\
ROSTemplateFormatVersion: '2015-09-01'
Parameters:
  Open: {Type: String, Default: 0.0.0.0/0}
Resources:
  Network:
    Type: ALIYUN::ROS::Stack
    Properties:
      Parameters:
        Cidr: {Ref: Open}
      TemplateBody:
        ROSTemplateFormatVersion: '2015-09-01'
        Parameters:
          Cidr: {Type: String}
          Protocol: {Type: String, Default: all}
        Resources:
          Group:
            Type: ALIYUN::ECS::SecurityGroup
            Properties:
              SecurityGroupIngress:
                - SourceCidrIp: {Ref: Cidr}
                  IpProtocol: {Ref: Protocol}
                  PortRange: -1/-1
        Outputs:
          GroupId: {Value: {'Fn::GetAtt': [Group, SecurityGroupId]}}
          Range: {Value: {Ref: Cidr}}
  Rule:
    Type: ALIYUN::ECS::SecurityGroupIngress
    Properties:
      SecurityGroupId: {'Fn::GetAtt': [Network, Outputs.GroupId]}
      SourceCidrIp: {'Fn::GetAtt': [Network, Outputs.Range]}
      Missing: {'Fn::GetAtt': [Network, Outputs.Nothing]}
  Remote:
    Type: ALIYUN::ROS::Stack
    Properties:
      TemplateURL: oss://bucket/network.yaml
";
    let (resources, errors) = load_with(text, &[]);
    assert_eq!(
        messages(&errors),
        ["stack `Network` has no output `Nothing`"]
    );
    let addresses: Vec<&str> = resources.iter().map(|r| r.address.as_str()).collect();
    assert_eq!(addresses, ["Network.Group", "Network", "Rule", "Remote"]);
    let group = &resources[0];
    assert_eq!(group.resource_type, "ALIYUN::ECS::SecurityGroup");
    assert_eq!(
        group.attributes["SecurityGroupIngress"][0],
        json!({"SourceCidrIp": "0.0.0.0/0", "IpProtocol": "all", "PortRange": "-1/-1"})
    );
    assert_eq!(group.span, span((16, 11), (16, 16)));
    let origin = group.origins["SecurityGroupIngress[0].SourceCidrIp"].to_string();
    assert!(
        origin.contains("set by stack `Network` at t.yaml:9:9"),
        "{origin}"
    );
    assert!(resources[1].attributes.get("TemplateBody").is_none());
    let rule = &resources[2].attributes;
    assert_eq!(rule["SourceCidrIp"], json!("0.0.0.0/0"));
    assert_eq!(
        reason(&rule["SecurityGroupId"]),
        "`Fn::GetAtt` of `Group.SecurityGroupId` is known only after deployment"
    );
}

/// A stack group's inline template is checked like a stack's; a nested Terraform
/// template's outputs are known only after deployment.
#[test]
fn stack_groups_and_terraform_stacks_are_nested_templates_too() {
    let text = "\
ROSTemplateFormatVersion: '2015-09-01'
Resources:
  Group:
    Type: ALIYUN::ROS::StackGroup
    Properties:
      StackGroupName: g
      Parameters: {Size: 40}
      TemplateBody:
        ROSTemplateFormatVersion: '2015-09-01'
        Parameters:
          Size: {Type: Number}
        Resources:
          Disk:
            Type: ALIYUN::ECS::Disk
            Properties: {Size: {Ref: Size}}
  Tf:
    Type: ALIYUN::ROS::Stack
    Properties:
      TemplateBody:
        ROSTemplateFormatVersion: '2015-09-01'
        Transform: Aliyun::Terraform-v1.2
        Workspace:
          main.tf: |
            resource \"alicloud_disk\" \"d\" {
              size = 20
            }
            output \"id\" {
              value = alicloud_disk.d.id
            }
  Reader:
    Type: ALIYUN::ECS::Disk
    Properties:
      DiskName: {'Fn::GetAtt': [Tf, Outputs.id]}
";
    let (resources, errors) = load_with(text, &[]);
    assert!(errors.is_empty(), "{errors:?}");
    let found: Vec<(&str, &str)> = resources
        .iter()
        .map(|r| (r.address.as_str(), r.resource_type.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("Group.Disk", "ALIYUN::ECS::Disk"),
            ("Group", "ALIYUN::ROS::StackGroup"),
            ("Tf.alicloud_disk.d", "alicloud_disk"),
            ("Tf", "ALIYUN::ROS::Stack"),
            ("Reader", "ALIYUN::ECS::Disk")
        ]
    );
    assert_eq!(resources[0].attributes["Size"], json!(40));
    assert_eq!(
        reason(&resources[4].attributes["DiskName"]),
        "`Fn::GetAtt` of `Tf.Outputs.id` is known only after deployment"
    );
}

/// A resource whose own `Condition` cannot be decided is checked, and every finding on it
/// says what it depends on; so do the resources of a nested stack under such a condition.
#[test]
fn a_resource_under_an_undecided_condition_says_so_in_every_finding() {
    let text = "\
ROSTemplateFormatVersion: '2015-09-01'
Parameters:
  Env: {Type: String}
Conditions:
  IsProd: {'Fn::Equals': [prod, {Ref: Env}]}
Resources:
  Disk:
    Type: ALIYUN::ECS::Disk
    Condition: IsProd
    Properties: {Size: 40}
  Stack:
    Type: ALIYUN::ROS::Stack
    Condition: IsProd
    Properties:
      TemplateBody:
        ROSTemplateFormatVersion: '2015-09-01'
        Resources:
          Inner: {Type: ALIYUN::ECS::Disk}
  Always:
    Type: ALIYUN::ECS::Disk
";
    let (resources, errors) = load_with(text, &[]);
    assert!(errors.is_empty(), "{errors:?}");
    let origin = |address: &str| {
        let resource = resources.iter().find(|r| r.address == address).unwrap();
        resource.finding_origin("Encrypted").map(|o| o.to_string())
    };
    let disk = origin("Disk").unwrap();
    assert!(
        disk.starts_with("if condition `IsProd` holds, which cannot be decided: "),
        "{disk}"
    );
    assert_eq!(origin("Stack.Inner"), Some(disk));
    assert_eq!(origin("Always"), None);
}

/// A stack whose template is elsewhere (`TemplateURL`) is not read: a warning at the URL
/// says its resources are not checked, and the check does not fail for it.
#[test]
fn a_stack_from_a_template_url_is_a_warning() {
    let text = "\
ROSTemplateFormatVersion: '2015-09-01'
Resources:
  Remote:
    Type: ALIYUN::ROS::Stack
    Properties:
      TemplateURL: oss://bucket/network.yaml
";
    let root = yaml::parse(Path::new("t.yaml"), text).unwrap().unwrap();
    let load = crate::load(&root, text, Path::new("t.yaml"), &Options::default());
    assert!(load.errors.is_empty(), "{:?}", load.errors);
    assert_eq!(load.resources.len(), 1);
    let [warning] = load.warnings.as_slice() else {
        panic!("{:?}", load.warnings);
    };
    assert_eq!(warning.position, Position::new(6, 7));
    assert!(
        warning
            .message
            .starts_with("stack `Remote` deploys a template from its `TemplateURL`")
    );
}
