use std::path::Path;

use serde_json::json;

use crate::resources;
use crate::{Options, RosInput, RosInputs};
use palisade_model::{LoadError, Position, Resource, Span};
use palisade_syntax::{json, yaml};

fn load_yaml(text: &str, options: &Options) -> (Vec<Resource>, Vec<LoadError>) {
    let root = yaml::parse(Path::new("t.yaml"), text).unwrap().unwrap();
    crate::tests::template_resources(resources(&root, text, Path::new("t.yaml"), options))
}

fn span(start: (u32, u32), end: (u32, u32)) -> Span {
    Span::new(Position::new(start.0, start.1), Position::new(end.0, end.1))
}

const YAML: &str = r#"ROSTemplateFormatVersion: '2015-09-01'
Transform: Aliyun::Terraform-v1.5
Parameters:
  acl:
    Type: String
    Default: public-read
Workspace:
  variables.tf: |
    variable "acl" {
      type    = string
      default = "private"
    }
  main.tf: |
    resource "alicloud_oss_bucket" "b" {
      bucket = "logs"
      acl    = var.acl
    }
"#;

#[test]
fn yaml_workspace_loads_as_terraform_at_template_lines() {
    let (resources, errors) = load_yaml(YAML, &Options::default());
    assert!(errors.is_empty(), "{errors:?}");
    let [bucket] = resources.as_slice() else {
        panic!("{resources:?}")
    };
    assert_eq!(bucket.address, "alicloud_oss_bucket.b");
    assert_eq!(bucket.file, Path::new("t.yaml"));
    assert_eq!(bucket.span.start, Position::new(14, 5));
    assert_eq!(bucket.attributes["acl"], json!("public-read"));
    assert_eq!(bucket.locate("acl").start, Position::new(16, 7));
    assert_eq!(bucket.locate("bucket"), span((15, 7), (15, 22)));
    let origin = bucket.origin("acl").unwrap().to_string();
    assert!(
        origin.contains("parameter acl: default at t.yaml:6:14"),
        "{origin}"
    );
}

#[test]
fn given_parameters_reach_the_workspace() {
    let options = Options {
        parameters: RosInputs {
            args: vec![RosInput::Param("acl".into(), "public-read-write".into())],
        },
        ..Options::default()
    };
    let (resources, errors) = load_yaml(YAML, &options);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(resources[0].attributes["acl"], json!("public-read-write"));
    assert!(
        resources[0]
            .origin("acl")
            .unwrap()
            .to_string()
            .contains("--param")
    );
}

#[test]
fn embedded_errors_are_located_in_the_template() {
    let text = "ROSTemplateFormatVersion: '2015-09-01'\n\
                Transform: Aliyun::Terraform-v1.2\n\
                Workspace:\n  \
                  main.tf: |\n    \
                    resource \"alicloud_oss_bucket\" \"b\" {\n      \
                      acl = \n    \
                    }\n";
    let (resources, errors) = load_yaml(text, &Options::default());
    assert!(resources.is_empty());
    let [error] = errors.as_slice() else {
        panic!("{errors:?}")
    };
    assert_eq!(error.file, Path::new("t.yaml"));
    assert!(
        error.message.starts_with("in `Workspace` file `main.tf`: "),
        "{}",
        error.message
    );
    assert_eq!(error.position, Position::new(6, 13));
}

#[test]
fn json_workspace_strings_map_to_the_string() {
    let text = r#"{
  "ROSTemplateFormatVersion": "2015-09-01",
  "Transform": "Aliyun::Terraform-v1.5",
  "Workspace": {
    "main.tf": "resource \"alicloud_oss_bucket\" \"b\" {\n  acl = \"public-read\"\n}\n"
  }
}"#;
    let root = json::parse(Path::new("t.json"), text).unwrap().unwrap();
    let (resources, errors) = resources(&root, text, Path::new("t.json"), &Options::default());
    assert!(errors.is_empty(), "{errors:?}");
    let [bucket] = resources.as_slice() else {
        panic!("{resources:?}")
    };
    assert_eq!(bucket.file, Path::new("t.json"));
    assert_eq!(bucket.attributes["acl"], json!("public-read"));
    assert_eq!(bucket.span.start, Position::new(5, 16));
    assert_eq!(bucket.locate("acl").start, Position::new(5, 16));
}

#[test]
fn workspace_modules_are_called_from_memory() {
    let text = r#"ROSTemplateFormatVersion: '2015-09-01'
Transform: Aliyun::Terraform-v1.5
Workspace:
  main.tf: |
    module "store" {
      source = "./modules/store"
    }
  modules/store/main.tf: |
    resource "alicloud_oss_bucket" "b" {
      acl = "public-read"
    }
"#;
    let (resources, errors) = load_yaml(text, &Options::default());
    assert!(errors.is_empty(), "{errors:?}");
    let [bucket] = resources.as_slice() else {
        panic!("{resources:?}")
    };
    assert_eq!(bucket.address, "module.store.alicloud_oss_bucket.b");
    assert_eq!(bucket.locate("acl").start, Position::new(10, 7));
}

#[test]
fn a_workspace_that_is_not_code_is_an_error() {
    let text = "ROSTemplateFormatVersion: '2015-09-01'\n\
                Transform: Aliyun::Terraform-v1.5\n\
                Workspace:\n  main.tf: [1]\n";
    let (resources, errors) = load_yaml(text, &Options::default());
    assert!(resources.is_empty());
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].position, Position::new(4, 12));
}

#[test]
fn origins_inside_the_workspace_point_into_the_template() {
    // `acl` is no ROS parameter here: the Terraform variable keeps its default.
    let text = YAML.replace(
        "  acl:\n    Type: String\n    Default: public-read",
        "  other:\n    Type: String",
    );
    let (resources, errors) = load_yaml(&text, &Options::default());
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(resources[0].attributes["acl"], json!("private"));
    assert_eq!(
        resources[0]
            .origin("acl")
            .map(ToString::to_string)
            .as_deref(),
        Some("var.acl from default at t.yaml:10:17")
    );
}

#[test]
fn file_names_outside_the_workspace_are_errors_at_the_name() {
    let text = "ROSTemplateFormatVersion: '2015-09-01'\n\
                Transform: Aliyun::Terraform-v1.5\n\
                Workspace:\n  \
                  ../x.tf: 'resource \"alicloud_disk\" \"a\" {}'\n  \
                  /etc/x.tf: 'resource \"alicloud_disk\" \"b\" {}'\n  \
                  a/../../x.tf: 'resource \"alicloud_disk\" \"c\" {}'\n  \
                  a/../main.tf: 'resource \"alicloud_disk\" \"d\" {}'\n";
    let (resources, errors) = load_yaml(text, &Options::default());
    let addresses: Vec<&str> = resources.iter().map(|r| r.address.as_str()).collect();
    assert_eq!(addresses, ["alicloud_disk.d"]);
    let found: Vec<(Position, &str)> = errors
        .iter()
        .map(|e| (e.position, e.message.as_str()))
        .collect();
    let message = |name: &str| {
        format!(
            "`Workspace` file `{name}` must be a relative path inside the workspace \
             (no leading `/`, no `..` above it)"
        )
    };
    assert_eq!(
        found,
        [
            (Position::new(4, 3), message("../x.tf").as_str()),
            (Position::new(5, 3), message("/etc/x.tf").as_str()),
            (Position::new(6, 3), message("a/../../x.tf").as_str()),
        ]
    );
}

/// The entries of a `Workspace` are the files of its module: file functions read them
/// (and only them), as Terraform reads files beside its code.
#[test]
fn file_functions_read_the_entries_of_the_workspace() {
    let text = r#"ROSTemplateFormatVersion: '2015-09-01'
Transform: Aliyun::Terraform-v1.5
Workspace:
  user-data.sh: |
    #!/bin/sh
    echo ${name}
  scripts/a.sh: echo a
  main.tf: |
    resource "alicloud_instance" "vm" {
      user_data = file("./user-data.sh")
      rendered  = templatefile("${path.module}/user-data.sh", { name = "web" })
      exists    = [fileexists("scripts/a.sh"), fileexists("scripts/b.sh")]
      scripts   = fileset(path.module, "scripts/*.sh")
      outside   = fileexists("../t.yaml")
    }
"#;
    let (resources, errors) = load_yaml(text, &Options::default());
    let attributes = &resources[0].attributes;
    assert_eq!(attributes["user_data"], json!("#!/bin/sh\necho ${name}\n"));
    assert_eq!(attributes["rendered"], json!("#!/bin/sh\necho web\n"));
    assert_eq!(attributes["exists"], json!([true, false]));
    assert_eq!(attributes["scripts"], json!(["scripts/a.sh"]));
    // Nothing but the workspace exists for it, the template itself included.
    assert_eq!(attributes["outside"], json!(false));
    assert!(errors.is_empty(), "{errors:?}");
}

/// A parameter nobody gave is unknown inside the workspace too: the Terraform variable
/// does not fall back to its `default = null`.
#[test]
fn a_parameter_without_a_value_is_unknown_in_the_workspace() {
    let text = r#"ROSTemplateFormatVersion: '2015-09-01'
Transform: Aliyun::Terraform-v1.5
Parameters:
  cidr: {Type: String}
  net: {Type: Json}
Workspace:
  main.tf: |
    variable "cidr" {
      default = null
    }
    variable "net" {
      default = null
    }
    resource "alicloud_security_group_rule" "r" {
      cidr_ip = var.cidr
      vpc     = var.net.vpc
    }
"#;
    let (resources, errors) = load_yaml(text, &Options::default());
    assert!(errors.is_empty(), "{errors:?}");
    let attributes = &resources[0].attributes;
    for key in ["cidr_ip", "vpc"] {
        assert!(
            attributes[key]["$unknown"]["reason"].is_string(),
            "{key}: {attributes}"
        );
    }
    assert!(resources[0].origin("cidr_ip").is_none());
}
