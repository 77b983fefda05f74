use std::path::Path;

use serde_json::json;

use super::*;

/// Loads one directory's `files` as a root module.
fn load_module(dir: &Path, files: &[PathBuf], options: &Options) -> RootLoad {
    let scan_root = scan_root(dir, &[]);
    evaluate_root(
        &parse_module(dir, files, options),
        &Library::new(),
        options,
        &scan_root,
    )
}
use palisade_model::{Position, Resource, Span};

pub(super) fn span(start: (u32, u32), end: (u32, u32)) -> Span {
    Span::new(Position::new(start.0, start.1), Position::new(end.0, end.1))
}

/// Loads `text` as the only file of a module, as `main.tf`.
pub(super) fn load_hcl(text: &str) -> (Vec<Resource>, Vec<LoadError>) {
    load_files(&[("main.tf", text)])
}

/// Loads `files` (name, text) as one module; paths in the results are the bare names.
pub(super) fn load_files(files: &[(&str, &str)]) -> (Vec<Resource>, Vec<LoadError>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let paths: Vec<PathBuf> = files
        .iter()
        .map(|(name, text)| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).expect("write a module file");
            path
        })
        .collect();
    let outcome = load_module(dir.path(), &paths, &Options::default());
    let strip = |path: &Path| path.strip_prefix(dir.path()).unwrap_or(path).to_path_buf();
    let resources = outcome
        .set
        .resources
        .into_iter()
        .map(|r| Resource {
            file: strip(&r.file),
            ..r
        })
        .collect();
    let errors = outcome
        .errors
        .into_iter()
        .map(|e| LoadError {
            file: strip(&e.file),
            ..e
        })
        .collect();
    (resources, errors)
}

const SECURITY_GROUP: &str = r#"variable "cidr" {}

resource "alicloud_security_group_rule" "ssh" {
  # one instance
  type        = "ingress"
  port_range  = "22/22"
  cidr_ip     = "0.0.0.0/0"
  priority    = 1
  nic_type    = var.nic_type
  group_id    = alicloud_security_group.main.id
  policy_id   = "${alicloud_security_group.main[0].id}"
  description = "ssh from ${var.cidr}"
  depends_on  = [alicloud_vpc.main]
}

resource "aws_security_group" "web" {
  name = "web"
  tags = {
    owner   = "ops"
    "a.b"   = true
  }
  ingress {
    cidr_blocks = ["10.0.0.0/8", "0.0.0.0/0"]
    from_port   = 22
  }
  ingress {
    cidr_blocks = []
  }
  user_data = <<-EOT
    #!/bin/sh
    echo hi
  EOT
  dynamic "egress" {
    for_each = var.rules
    content {}
  }
  lifecycle {
    create_before_destroy = true
  }
}

data "aws_ami" "x" {}
"#;

#[test]
fn resources_have_addresses_types_and_header_spans() {
    let (resources, errors) = load_hcl(SECURITY_GROUP);
    assert!(errors.is_empty(), "{errors:?}");
    let names: Vec<_> = resources
        .iter()
        .map(|r| (r.resource_type.as_str(), r.address.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            (
                "alicloud_security_group_rule",
                "alicloud_security_group_rule.ssh"
            ),
            ("aws_security_group", "aws_security_group.web"),
        ]
    );
    assert_eq!(resources[0].span, span((3, 1), (3, 48)));
    assert_eq!(resources[1].span, span((16, 1), (16, 38)));
    assert_eq!(resources[0].file, Path::new("main.tf"));
}

#[test]
fn literal_values_convert_and_others_are_unknown() {
    let (resources, _) = load_hcl(SECURITY_GROUP);
    assert_eq!(
        resources[0].attributes,
        json!({
            "type": "ingress",
            "port_range": "22/22",
            "cidr_ip": "0.0.0.0/0",
            "priority": 1,
            "nic_type": {"$unknown": {
                "reason": "no variable `nic_type` is declared in this module",
                "refers": null
            }},
            "group_id": {"$unknown": {
                "reason": "`alicloud_security_group.main` is not declared in this module",
                "refers": "alicloud_security_group.main"
            }},
            "policy_id": {"$unknown": {
                "reason": "`alicloud_security_group.main` is not declared in this module",
                "refers": "alicloud_security_group.main"
            }},
            "description": {"$unknown": {
                "reason": "var.cidr has no value (no default, not set)",
                "refers": null
            }},
        })
    );
}

#[test]
fn nested_blocks_become_lists_of_objects() {
    let (resources, _) = load_hcl(SECURITY_GROUP);
    assert_eq!(
        resources[1].attributes,
        json!({
            "name": "web",
            "tags": {"owner": "ops", "a.b": true},
            "ingress": [
                {"cidr_blocks": ["10.0.0.0/8", "0.0.0.0/0"], "from_port": 22},
                {"cidr_blocks": []},
            ],
            "user_data": "#!/bin/sh\necho hi\n",
            "egress": {"$unknown": {
                "reason": "dynamic block `egress` iterates over an unknown value: no variable `rules` is declared in this module",
                "refers": null
            }},
        })
    );
}

#[test]
fn every_attribute_block_element_and_item_has_a_span() {
    let (resources, _) = load_hcl(SECURITY_GROUP);
    let spans = &resources[1].spans;
    let keys: Vec<_> = spans.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "egress",
            "ingress",
            "ingress[0]",
            "ingress[0].cidr_blocks",
            "ingress[0].cidr_blocks[0]",
            "ingress[0].cidr_blocks[1]",
            "ingress[0].from_port",
            "ingress[1]",
            "ingress[1].cidr_blocks",
            "name",
            "tags",
            "tags.owner",
            "tags[\"a.b\"]",
            "user_data",
        ]
    );
    assert_eq!(spans["name"], span((17, 3), (17, 15)));
    assert_eq!(spans["tags"], span((18, 3), (21, 4)));
    assert_eq!(spans["tags.owner"], span((19, 5), (19, 20)));
    assert_eq!(spans["ingress"], span((22, 3), (22, 12)));
    assert_eq!(spans["ingress[1]"], span((26, 3), (26, 12)));
    assert_eq!(spans["ingress[0].cidr_blocks[1]"], span((23, 34), (23, 45)));
    assert_eq!(spans["egress"], span((33, 3), (33, 21)));
    assert_eq!(resources[0].spans["cidr_ip"], span((7, 3), (7, 28)));
    assert!(!resources[0].spans.contains_key("count"));
}

#[test]
fn syntax_errors_have_the_parser_position() {
    let (resources, errors) = load_hcl("resource \"a\" \"b\" {\n  x = \n}\n");
    assert!(resources.is_empty());
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].position, Position::new(2, 7));
    assert!(
        errors[0].message.starts_with("invalid HCL: "),
        "{}",
        errors[0].message
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let n = 100_000;
    let inputs = [
        format!("a = {}", "[".repeat(n)),
        format!("a = {}", "{a = ".repeat(n)),
        format!("a = {}", "(".repeat(n)),
        format!("a = \"{}", "${\"".repeat(n)),
        "b {\n".repeat(n),
        format!("a = {}", "-".repeat(n)),
        format!("a = {}1", "1 + ".repeat(n)),
    ];
    for text in inputs {
        let (_, errors) = load_hcl(&text);
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].message.starts_with("invalid HCL"),
            "{}",
            errors[0].message
        );
    }
    let (_, errors) = load_hcl(&format!("a = {}", "[".repeat(n)));
    assert_eq!(errors[0].position, Position::new(1, 70));
}

#[test]
fn malformed_resources_are_reported_and_the_rest_load() {
    let text = "resource \"only_type\" {\n}\nresource \"t\" \"ok\" {\n  a = 1\n}\n";
    let (resources, errors) = load_hcl(text);
    assert_eq!(resources.len(), 1, "{errors:?}");
    assert_eq!(resources[0].attributes, json!({"a": 1}));
    let found: Vec<_> = errors
        .iter()
        .map(|e| (e.position, e.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [(
            Position::new(1, 1),
            "a resource block needs two labels, its type and its name"
        )]
    );
    let (_, errors) = load_hcl("resource \"t\" \"x\" {\n  a = 1\n  a = 2\n}\n");
    assert_eq!(errors[0].position, Position::new(3, 3));
    assert_eq!(
        errors[0].message,
        "invalid HCL: invalid attribute; expected unique attribute key; found redefined attribute"
    );
}

#[test]
fn duplicate_resources_in_a_module_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.tf");
    let b = dir.path().join("b.tf.json");
    std::fs::write(&a, "resource \"t\" \"x\" {}\n").unwrap();
    std::fs::write(&b, "{\"resource\": {\"t\": {\"x\": {}}}}").unwrap();
    let outcome = load_module(dir.path(), &[a.clone(), b.clone()], &Options::default());
    assert_eq!(outcome.set.resources.len(), 1);
    assert_eq!(outcome.errors.len(), 1);
    assert_eq!(outcome.errors[0].file, b);
    assert_eq!(outcome.errors[0].position, Position::new(1, 21));
    assert_eq!(
        outcome.errors[0].message,
        format!(
            "duplicate resource `t.x` (first defined at {}:1)",
            a.display()
        )
    );
    assert_eq!(outcome.files, 2);
}

/// The attributes of the resource at `address`.
pub(super) fn attributes<'r>(resources: &'r [Resource], address: &str) -> &'r serde_json::Value {
    let found = resources.iter().find(|r| r.address == address);
    &found
        .unwrap_or_else(|| panic!("no {address} in {resources:#?}"))
        .attributes
}

#[test]
fn variables_locals_conditionals_and_templates_evaluate() {
    let (resources, errors) = load_hcl(
        r#"
variable "env" { default = "prod" }
variable "port" {
  type    = number
  default = "22"
}
locals {
  public = var.env == "prod" ? "public-read" : "private"
  prefix = "${var.env}-logs"
  ports  = [for p in [80, 443, var.port] : p if p != 80]
}
resource "alicloud_oss_bucket" "logs" {
  bucket = "${local.prefix}-bucket"
  acl    = local.public
  tags = {
    range = "${var.port}/${var.port}"
    upper = var.env != "prod" || false
    n     = length(local.ports) + 1
  }
  policy = <<-EOT
    %{ for p in local.ports ~}
    port ${p}
    %{ endfor ~}
  EOT
}
"#,
    );
    assert!(errors.is_empty(), "{errors:?}");
    let bucket = attributes(&resources, "alicloud_oss_bucket.logs");
    assert_eq!(bucket["bucket"], "prod-logs-bucket");
    assert_eq!(bucket["acl"], "public-read");
    assert_eq!(bucket["tags"]["range"], "22/22");
    assert_eq!(bucket["tags"]["upper"], false);
    assert_eq!(bucket["policy"], "port 443\nport 22\n");
}

#[test]
fn count_for_each_and_dynamic_blocks_expand() {
    let (resources, errors) = load_hcl(
        r#"
variable "rules" {
  default = {
    ssh   = { port = 22, cidr = "0.0.0.0/0" }
    https = { port = 443, cidr = "10.0.0.0/8" }
  }
}
resource "alicloud_security_group_rule" "rule" {
  for_each    = var.rules
  type        = "ingress"
  port_range  = "${each.value.port}/${each.value.port}"
  cidr_ip     = each.value.cidr
  description = each.key
}
resource "alicloud_disk" "data" {
  count     = 2
  disk_name = "data-${count.index}"
  encrypted = count.index == 0
}
resource "aws_security_group" "web" {
  dynamic "ingress" {
    for_each = var.rules
    iterator = rule
    content {
      from_port   = rule.value.port
      to_port     = rule.value.port
      cidr_blocks = [rule.value.cidr]
      description = rule.key
    }
  }
  ingress {
    from_port = 8080
  }
}
resource "aws_security_group" "none" {
  count = 0
}
"#,
    );
    assert!(errors.is_empty(), "{errors:?}");
    let addresses: Vec<&str> = resources.iter().map(|r| r.address.as_str()).collect();
    assert_eq!(
        addresses,
        [
            "alicloud_security_group_rule.rule[\"https\"]",
            "alicloud_security_group_rule.rule[\"ssh\"]",
            "alicloud_disk.data[0]",
            "alicloud_disk.data[1]",
            "aws_security_group.web",
        ]
    );
    let ssh = attributes(&resources, "alicloud_security_group_rule.rule[\"ssh\"]");
    assert_eq!(ssh["port_range"], "22/22");
    assert_eq!(ssh["cidr_ip"], "0.0.0.0/0");
    assert_eq!(
        attributes(&resources, "alicloud_disk.data[1]")["encrypted"],
        false
    );
    let web = attributes(&resources, "aws_security_group.web");
    assert_eq!(
        web["ingress"],
        json!([
            {"from_port": 443, "to_port": 443, "cidr_blocks": ["10.0.0.0/8"], "description": "https"},
            {"from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"], "description": "ssh"},
            {"from_port": 8080},
        ])
    );
    // Generated blocks point at the dynamic block, their attributes at the content's.
    let web = resources
        .iter()
        .find(|r| r.address == "aws_security_group.web")
        .expect("web");
    assert_eq!(web.spans["ingress[1]"].start.line, 21);
    assert_eq!(web.spans["ingress[1].cidr_blocks"].start.line, 27);
    assert_eq!(web.spans["ingress[2]"].start.line, 31);
}

#[test]
fn references_to_resources_are_known_when_configured_and_linked_when_computed() {
    let (resources, errors) = load_hcl(
        r#"
resource "aws_s3_bucket" "b" {
  count  = 2
  bucket = "logs-${count.index}"
}
resource "aws_s3_bucket_acl" "b" {
  bucket = aws_s3_bucket.b[1].bucket
  acl    = "private"
}
resource "aws_s3_bucket_acl" "c" {
  bucket = aws_s3_bucket.b[0].id
  names  = aws_s3_bucket.b[*].bucket
}
"#,
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        attributes(&resources, "aws_s3_bucket_acl.b")["bucket"],
        "logs-1"
    );
    let c = attributes(&resources, "aws_s3_bucket_acl.c");
    assert_eq!(c["bucket"]["$unknown"]["refers"], "aws_s3_bucket.b[0]");
    assert_eq!(c["names"], json!(["logs-0", "logs-1"]));
}

#[test]
fn a_cycle_between_locals_is_an_error_naming_it() {
    let (resources, errors) = load_hcl(
        r#"
locals {
  a = local.b
  b = local.a
}
resource "aws_ebs_volume" "v" {
  encrypted = local.a
}
"#,
    );
    assert_eq!(resources.len(), 1);
    assert!(
        errors
            .iter()
            .any(|e| e.message == "cycle: local.a -> local.b -> local.a"),
        "{errors:?}"
    );
    assert!(
        attributes(&resources, "aws_ebs_volume.v")["encrypted"]
            .get("$unknown")
            .is_some()
    );
}

/// What a tree of module directories loaded to, as the tests read it.
pub(super) struct Loaded {
    pub sets: Vec<DocumentSet>,
    pub errors: Vec<LoadError>,
}

/// Writes `files` (path, text) under a temporary directory and loads every directory
/// that holds Terraform files, as a scan of the directory would.
pub(super) fn load_tree(files: &[(&str, &str)]) -> (tempfile::TempDir, Loaded) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut modules: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dirs");
        std::fs::write(&path, text).expect("write");
        let name = path.to_string_lossy();
        if name.ends_with(".tf") || name.ends_with(".tf.json") {
            let module = path.parent().expect("parent").to_path_buf();
            modules.entry(module).or_default().push(path);
        }
    }
    let modules: Vec<(&Path, &[PathBuf])> = modules
        .iter()
        .map(|(dir, files)| (dir.as_path(), files.as_slice()))
        .collect();
    let roots = evaluate_roots(&modules, &[dir.path().to_path_buf()], &Options::default());
    let mut loaded = Loaded {
        sets: Vec::new(),
        errors: Vec::new(),
    };
    for root in roots {
        loaded.sets.push(root.set);
        loaded.errors.extend(root.errors);
    }
    loaded.sets.sort_by(|a, b| a.origin.cmp(&b.origin));
    loaded
        .errors
        .sort_by(|a, b| (&a.file, a.position).cmp(&(&b.file, b.position)));
    loaded.errors.dedup();
    (dir, loaded)
}

const WEB_MODULE: &str = r#"
variable "acl" {
  type    = string
  default = "private"
}
variable "name" {}
resource "alicloud_oss_bucket" "this" {
  bucket = var.name
  acl    = var.acl
}
module "logs" {
  source = "../logs"
  owner  = var.name
}
output "bucket" {
  value = alicloud_oss_bucket.this.bucket
}
output "logs_disk" {
  value = module.logs.disk
}
"#;

const LOGS_MODULE: &str = r#"
variable "owner" {}
resource "alicloud_disk" "logs" {
  disk_name = "${var.owner}-logs"
}
output "disk" {
  value = alicloud_disk.logs.disk_name
}
"#;

#[test]
fn modules_are_evaluated_through_their_calls_with_inputs_outputs_and_addresses() {
    let root = r#"
module "site" {
  source = "./modules/web"
  name   = "site"
  acl    = "public-read"
}
module "team" {
  source   = "./modules/web"
  for_each = toset(["a", "b"])
  name     = "team-${each.key}"
}
resource "aws_s3_bucket" "copy" {
  bucket = module.site.bucket
  tags   = { logs = module.site.logs_disk, team_a = module.team["a"].bucket }
}
"#;
    let (_dir, loaded) = load_tree(&[
        ("main.tf", root),
        ("modules/web/main.tf", WEB_MODULE),
        ("modules/logs/main.tf", LOGS_MODULE),
    ]);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    // Called modules are not also checked as roots with default inputs.
    assert_eq!(
        loaded.sets.len(),
        1,
        "{:#?}",
        loaded.sets.iter().map(|s| &s.origin).collect::<Vec<_>>()
    );
    let resources = &loaded.sets[0].resources;
    let addresses: Vec<&str> = resources.iter().map(|r| r.address.as_str()).collect();
    assert_eq!(
        addresses,
        [
            "aws_s3_bucket.copy",
            "module.site.alicloud_oss_bucket.this",
            "module.site.module.logs.alicloud_disk.logs",
            "module.team[\"a\"].alicloud_oss_bucket.this",
            "module.team[\"a\"].module.logs.alicloud_disk.logs",
            "module.team[\"b\"].alicloud_oss_bucket.this",
            "module.team[\"b\"].module.logs.alicloud_disk.logs",
        ]
    );
    let site = attributes(resources, "module.site.alicloud_oss_bucket.this");
    assert_eq!(site["acl"], "public-read");
    assert_eq!(
        attributes(resources, "module.team[\"b\"].alicloud_oss_bucket.this")["acl"],
        "private"
    );
    let copy = attributes(resources, "aws_s3_bucket.copy");
    assert_eq!(copy["bucket"], "site");
    assert_eq!(
        copy["tags"],
        json!({"logs": "site-logs", "team_a": "team-a"})
    );
    // A finding inside a module points into the module's own file.
    let inner = resources
        .iter()
        .find(|r| r.address == "module.site.alicloud_oss_bucket.this")
        .expect("site");
    assert!(
        inner.file.ends_with("modules/web/main.tf"),
        "{:?}",
        inner.file
    );
    assert_eq!(inner.spans["acl"].start.line, 9);
}

#[test]
fn installed_modules_are_read_and_missing_ones_reported() {
    let root = r#"
module "web" {
  source  = "example/web/alicloud"
  version = "1.0.0"
  name    = "site"
}
module "missing" {
  source = "example/missing/alicloud"
}
"#;
    let manifest = r#"{"Modules":[{"Key":"","Source":"","Dir":"."},
        {"Key":"web","Source":"registry.example/web","Dir":".terraform/modules/web"},
        {"Key":"web.logs","Source":"../logs","Dir":".terraform/modules/logs"}]}"#;
    let (_dir, loaded) = load_tree(&[
        ("main.tf", root),
        (".terraform/modules/modules.json", manifest),
        (".terraform/modules/web/main.tf", WEB_MODULE),
        (".terraform/modules/logs/main.tf", LOGS_MODULE),
    ]);
    let addresses: Vec<&str> = loaded.sets[0]
        .resources
        .iter()
        .map(|r| r.address.as_str())
        .collect();
    assert_eq!(
        addresses,
        [
            "module.web.alicloud_oss_bucket.this",
            "module.web.module.logs.alicloud_disk.logs"
        ]
    );
    let messages: Vec<&str> = loaded.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0]
            .starts_with("module `missing` (source \"example/missing/alicloud\") is not installed"),
        "{messages:?}"
    );
    assert_eq!(loaded.errors[0].position.line, 8);
}

#[test]
fn a_module_that_calls_itself_is_stopped() {
    let looping = r#"
module "again" {
  source = "./"
}
resource "aws_ebs_volume" "v" {
  encrypted = false
}
"#;
    let (_dir, loaded) = load_tree(&[("main.tf", looping)]);
    assert!(
        loaded
            .errors
            .iter()
            .any(|e| e.message.contains("nested more than 16 deep")),
        "{:?}",
        loaded.errors
    );
    assert!(loaded.sets[0].resources.len() > 1);
}

#[test]
fn function_errors_name_the_function_once() {
    let (_, errors) = load_hcl(
        "resource \"a\" \"b\" {\n  x = range(2000)\n  y = upper()\n  z = tonumber(\"x\")\n}\n",
    );
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "`range`: more than 1024 values were generated; either decrease the difference \
             between start and end or use a smaller step",
            "`upper` takes 1 argument(s), 0 given",
            "invalid argument 1 to `tonumber`: cannot convert \"x\" to a number",
        ]
    );
}

#[test]
fn files_held_in_memory_call_no_module_outside_them() {
    let outside = tempfile::tempdir().expect("temp dir");
    let module = outside.path().join("x");
    std::fs::create_dir(&module).expect("a module directory");
    std::fs::write(
        module.join("main.tf"),
        "resource \"a\" \"read_from_disk\" {}\n",
    )
    .expect("a module file");
    let dir = Path::new("/nonexistent/template.yaml");
    let escape = format!("../..{}", module.display());
    let main = format!(
        "module \"out\" {{\n  source = \"{escape}\"\n}}\nmodule \"in\" {{\n  source = \"./m\"\n}}\n"
    );
    let files = vec![
        (dir.join("main.tf"), main),
        (
            dir.join("m/main.tf"),
            "resource \"a\" \"inside\" {}\n".to_owned(),
        ),
    ];
    let outcome = evaluate_files(dir, files, &BTreeMap::new(), Limits::default(), None);
    let addresses: Vec<&str> = outcome
        .set
        .resources
        .iter()
        .map(|r| r.address.as_str())
        .collect();
    assert_eq!(addresses, ["module.in.a.inside"]);
    let errors: Vec<_> = outcome
        .errors
        .iter()
        .map(|e| (e.file.as_path(), e.position, e.message.as_str()))
        .collect();
    let message = format!(
        "module `out` (source \"{escape}\") is not read: it is outside the workspace, whose \
         modules are all its own files"
    );
    assert_eq!(
        errors,
        [(
            dir.join("main.tf").as_path(),
            Position::new(2, 3),
            message.as_str()
        )]
    );
}
