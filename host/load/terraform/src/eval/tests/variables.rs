use std::fs;

use super::*;

const LIMIT: u64 = 1 << 20;

/// A module directory holding `variables.tf` and the given variables files.
struct Module {
    dir: tempfile::TempDir,
}

impl Module {
    fn new(variables: &str, files: &[(&str, &str)]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("variables.tf"), variables).unwrap();
        for (name, text) in files {
            fs::write(dir.path().join(name), text).unwrap();
        }
        Module { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn declarations(&self) -> Vec<Declaration> {
        let file = self.path("variables.tf");
        let text = fs::read_to_string(&file).unwrap();
        let (found, errors) = declarations(&parsed(&file, &text));
        assert_eq!(errors, []);
        found
    }

    fn resolve(&self, inputs: &Inputs) -> Resolved {
        values(
            &self.declarations(),
            self.dir.path(),
            inputs,
            LIMIT,
            self.dir.path(),
        )
    }
}

/// `text` parsed as the file `path`, in the syntax its name says.
fn parsed(path: &Path, text: &str) -> SourceFile {
    let (file, problems) = SourceFile::parse(path, text.to_owned()).expect("parses");
    assert_eq!(problems, []);
    file
}

fn env(pairs: &[(&str, &str)]) -> Inputs {
    Inputs {
        args: Vec::new(),
        env: pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    }
}

fn var(name: &str, value: &str) -> CliInput {
    CliInput::Var(name.to_owned(), value.to_owned())
}

const ACL: &str = "variable \"acl\" {\n  type    = string\n  default = \"private\"\n}\n";

#[test]
fn declarations_read_type_default_and_flags() {
    let text = r#"
variable "ports" {
  description = "ignored"
  type        = list(number)
  default     = ["22", 80]
  nullable    = false
  sensitive   = true
  validation {
    condition     = length(var.ports) > 0
    error_message = "ignored"
  }
}
variable "free" {}
"#;
    let (found, errors) = declarations(&parsed(Path::new("variables.tf"), text));
    assert_eq!(errors, []);
    let [ports, free] = found.as_slice() else {
        panic!("{found:?}");
    };
    assert_eq!(ports.name, "ports");
    assert_eq!(
        ports.default,
        Some(Value::List(vec![22.0.into(), 80.0.into()]))
    );
    assert_eq!(ports.default_position, Some(Position::new(5, 17)));
    assert_eq!(
        ports
            .constraint
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("list(number)")
    );
    assert!(!ports.nullable && ports.sensitive);
    assert_eq!(
        ports.span,
        Span::new(Position::new(2, 1), Position::new(2, 19))
    );
    assert_eq!(
        (
            &free.default,
            &free.constraint,
            free.nullable,
            free.sensitive
        ),
        (&None, &None, true, false)
    );
}

#[test]
fn bad_types_and_defaults_are_located() {
    let text = "variable \"a\" {\n  type = lst(string)\n}\nvariable \"b\" {\n  type    = number\n  default = \"many\"\n}\nvariable {}\n";
    let (found, errors) = declarations(&parsed(Path::new("v.tf"), text));
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            r#"v.tf:2:10: invalid type constraint for var.a: "lst" is not a type constructor"#,
            "v.tf:6:13: invalid default value for var.b: a number is required",
            "v.tf:8:1: a variable block needs one label, its name",
        ]
    );
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].constraint, None);
    assert!(found[1].default.as_ref().is_some_and(Value::is_unknown));
}

#[test]
fn json_declarations_read_type_strings_and_literal_defaults() {
    let text = r#"{
  "//": "generated",
  "variable": {
    "ports": {
      "type": "list(number)",
      "default": ["22", 80],
      "nullable": false,
      "description": "${not a template}"
    },
    "greeting": {"default": "${var.name} stays as written"},
    "bad": {"type": "lst(string)"},
    "broken": {"type": "list(", "default": 1}
  }
}"#;
    let (file, problems) = SourceFile::parse(Path::new("v.tf.json"), text.to_owned()).unwrap();
    assert_eq!(problems, []);
    let (found, errors) = declarations(&file);
    let names: Vec<&str> = found.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["ports", "greeting", "bad", "broken"]);
    let ports = &found[0];
    assert_eq!(
        ports.default,
        Some(Value::List(vec![22.0.into(), 80.0.into()]))
    );
    assert_eq!(
        ports
            .constraint
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("list(number)")
    );
    assert!(!ports.nullable);
    // The header of a JSON variable is its name's key.
    assert_eq!(
        ports.span,
        Span::new(Position::new(4, 5), Position::new(4, 12))
    );
    assert_eq!(ports.default_position, Some(Position::new(6, 18)));
    assert_eq!(
        found[1].default,
        Some(Value::String("${var.name} stays as written".to_owned()))
    );
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert_eq!(
        messages[0],
        r#"v.tf.json:11:21: invalid type constraint for var.bad: "lst" is not a type constructor"#
    );
    assert!(
        messages[1].starts_with(
            "v.tf.json:12:24: invalid type constraint for var.broken: `list(` is not a type expression"
        ),
        "{messages:?}"
    );
}

#[test]
fn a_default_alone_is_the_value() {
    let module = Module::new(ACL, &[]);
    let resolved = module.resolve(&Inputs::default());
    assert_eq!(resolved.errors, []);
    assert_eq!(resolved.values["acl"], "private".into());
    let origin = resolved.origins["acl"].to_string();
    assert_eq!(
        origin,
        format!("default at {}:3:13", module.path("variables.tf").display())
    );
}

#[test]
fn environment_overrides_defaults_and_tfvars_override_environment() {
    let module = Module::new(ACL, &[]);
    let resolved = module.resolve(&env(&[("acl", "public-read")]));
    assert_eq!(resolved.values["acl"], "public-read".into());
    assert_eq!(resolved.origins["acl"].to_string(), "TF_VAR_acl");

    let module = Module::new(
        ACL,
        &[("terraform.tfvars", "\nacl = \"authenticated-read\"\n")],
    );
    let resolved = module.resolve(&env(&[("acl", "public-read")]));
    assert_eq!(resolved.values["acl"], "authenticated-read".into());
    assert_eq!(
        resolved.origins["acl"].to_string(),
        format!("{}:2:1", module.path("terraform.tfvars").display())
    );
}

#[test]
fn module_files_apply_in_terraform_order() {
    let files = [
        ("terraform.tfvars", "acl = \"tfvars\""),
        ("terraform.tfvars.json", r#"{"acl": "tfvars.json"}"#),
        ("b.auto.tfvars", "acl = \"b\""),
        ("a.auto.tfvars.json", r#"{"acl": "a"}"#),
        ("unrelated.tfvars", "acl = \"never read\""),
    ];
    let module = Module::new(ACL, &files);
    assert_eq!(module.resolve(&Inputs::default()).values["acl"], "b".into());

    let module = Module::new(ACL, &files[..4]);
    fs::remove_file(module.path("b.auto.tfvars")).unwrap();
    assert_eq!(module.resolve(&Inputs::default()).values["acl"], "a".into());
    fs::remove_file(module.path("a.auto.tfvars.json")).unwrap();
    assert_eq!(
        module.resolve(&Inputs::default()).values["acl"],
        "tfvars.json".into()
    );
}

#[test]
fn command_line_options_apply_in_the_order_given() {
    let module = Module::new(
        ACL,
        &[
            ("z.auto.tfvars", "acl = \"auto\""),
            ("prod.tfvars", "# production\n\n\nacl = \"prod\"\n"),
        ],
    );
    let prod = CliInput::File(module.path("prod.tfvars"));
    let resolved = module.resolve(&Inputs {
        args: vec![var("acl", "cli"), prod.clone()],
        env: Vec::new(),
    });
    assert_eq!(resolved.values["acl"], "prod".into());
    assert_eq!(
        resolved.origins["acl"].to_string(),
        format!("{}:4:1", module.path("prod.tfvars").display())
    );
    let resolved = module.resolve(&Inputs {
        args: vec![prod, var("acl", "cli")],
        env: Vec::new(),
    });
    assert_eq!(resolved.values["acl"], "cli".into());
    assert_eq!(resolved.origins["acl"], Setting::Flag("-var"));
}

#[test]
fn json_variables_files_keep_types_and_positions() {
    let variables = "variable \"tags\" {\n  type = map(string)\n}\nvariable \"mixed\" {}\n";
    let json = "{\n  \"tags\": {\"env\": \"prod\", \"tier\": 1},\n  \"mixed\": [1, true]\n}";
    let module = Module::new(variables, &[("terraform.tfvars.json", json)]);
    let resolved = module.resolve(&Inputs::default());
    assert_eq!(resolved.errors, []);
    assert_eq!(
        resolved.values["tags"],
        Value::Object(BTreeMap::from([
            ("env".to_owned(), "prod".into()),
            ("tier".to_owned(), "1".into()),
        ]))
    );
    assert_eq!(
        resolved.values["mixed"],
        Value::List(vec![1.0.into(), true.into()])
    );
    assert_eq!(
        resolved.origins["tags"].to_string(),
        format!("{}:2:3", module.path("terraform.tfvars.json").display())
    );
}

#[test]
fn command_line_text_is_raw_for_primitives_and_hcl_otherwise() {
    let variables = r#"
variable "name" { type = string }
variable "port" { type = number }
variable "untyped" {}
variable "cidrs" { type = list(string) }
variable "anything" { type = any }
"#;
    let module = Module::new(variables, &[]);
    let resolved = module.resolve(&Inputs {
        args: vec![
            var("name", "[1, 2]"),
            var("port", "8080"),
            var("untyped", "{a = 1}"),
            var("cidrs", r#"["10.0.0.0/8", 1]"#),
        ],
        env: vec![("anything".to_owned(), "{a = 1}".to_owned())],
    });
    assert_eq!(resolved.errors, []);
    assert_eq!(resolved.values["name"], "[1, 2]".into());
    assert_eq!(resolved.values["port"], 8080.0.into());
    assert_eq!(resolved.values["untyped"], "{a = 1}".into());
    assert_eq!(
        resolved.values["cidrs"],
        Value::List(vec!["10.0.0.0/8".into(), "1".into()])
    );
    assert_eq!(
        resolved.values["anything"],
        Value::Object(BTreeMap::from([("a".to_owned(), 1.0.into())]))
    );
}

#[test]
fn undeclared_variables_are_an_error_only_on_the_command_line() {
    let module = Module::new(ACL, &[("terraform.tfvars", "other = 1\nacl = \"x\"\n")]);
    let resolved = module.resolve(&Inputs {
        args: vec![var("nope", "1")],
        env: vec![("unused".to_owned(), "1".to_owned())],
    });
    assert_eq!(resolved.values.keys().collect::<Vec<_>>(), ["acl"]);
    assert_eq!(resolved.values["acl"], "x".into());
    let messages: Vec<String> = resolved.errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "-var:1:1: a variable named \"nope\" was assigned on the command line, but the \
          module does not declare a variable of that name"
        ]
    );
}

#[test]
fn a_variable_without_any_value_is_unknown() {
    let module = Module::new("variable \"region\" {\n  type = string\n}\n", &[]);
    let resolved = module.resolve(&Inputs::default());
    assert_eq!(resolved.errors, []);
    assert_eq!(
        resolved.values["region"],
        Value::unknown("var.region has no value (no default, not set)")
    );
    assert!(!resolved.origins.contains_key("region"));
}

#[test]
fn null_for_a_non_nullable_variable_is_its_default() {
    let variables = "variable \"acl\" {\n  default  = \"private\"\n  nullable = false\n}\n\
                     variable \"open\" {\n  default = true\n}\n\
                     variable \"must\" {\n  nullable = false\n}\n";
    let module = Module::new(
        variables,
        &[("terraform.tfvars", "acl = null\nopen = null\nmust = null\n")],
    );
    let resolved = module.resolve(&Inputs::default());
    assert_eq!(resolved.values["acl"], "private".into());
    assert!(matches!(resolved.origins["acl"], Setting::Default(_)));
    assert_eq!(resolved.values["open"], Value::Null);
    assert!(resolved.values["must"].is_unknown());
    let messages: Vec<String> = resolved.errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [format!(
            "{}:3:1: var.must may not be null (nullable = false)",
            module.path("terraform.tfvars").display()
        )]
    );
}

#[test]
fn conversion_errors_are_located_at_the_value() {
    let variables = "variable \"port\" {\n  type = number\n}\nvariable \"rule\" {\n  type = object({from = number, to = number})\n}\n";
    let module = Module::new(
        variables,
        &[("terraform.tfvars", "port = \"ssh\"\n\nrule = {from = 22}\n")],
    );
    let resolved = module.resolve(&env(&[("port", "22"), ("rule", "[")]));
    let tfvars = module.path("terraform.tfvars");
    let messages: Vec<String> = resolved.errors.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert_eq!(
        messages,
        [
            "TF_VAR_rule:1:1: invalid value for var.rule: expected `]`".to_owned(),
            format!(
                "{}:1:1: invalid value for var.port: a number is required",
                tfvars.display()
            ),
            format!(
                "{}:3:1: invalid value for var.rule: attribute \"to\" is required",
                tfvars.display()
            ),
        ]
    );
    assert!(resolved.values["port"].is_unknown());
    assert!(resolved.values["rule"].is_unknown());
}

#[test]
fn broken_and_oversized_files_are_reported() {
    let module = Module::new(
        ACL,
        &[
            ("terraform.tfvars", "acl = \"tfvars\"\nblock {}\n"),
            ("a.auto.tfvars", "acl = [\n"),
            ("b.auto.tfvars.json", "{\"acl\": }"),
            ("c.auto.tfvars.json", "[1]"),
            ("d.auto.tfvars", &"#".repeat(2000)),
            ("e.auto.tfvars.json", r#"{"acl": "ok", "acl": "again"}"#),
        ],
    );
    let missing = module.path("missing.tfvars");
    let inputs = Inputs {
        args: vec![CliInput::File(missing.clone())],
        env: Vec::new(),
    };
    let resolved = values(
        &module.declarations(),
        module.dir.path(),
        &inputs,
        1000,
        module.dir.path(),
    );
    assert_eq!(resolved.values["acl"], "ok".into());
    let located: Vec<(String, u32, u32)> = resolved
        .errors
        .iter()
        .map(|e| {
            let name = e.file.file_name().unwrap().to_string_lossy().into_owned();
            (name, e.position.line, e.position.column)
        })
        .collect();
    assert_eq!(
        located,
        [
            ("terraform.tfvars".to_owned(), 2, 1),
            ("a.auto.tfvars".to_owned(), 1, 8),
            ("b.auto.tfvars.json".to_owned(), 1, 9),
            ("c.auto.tfvars.json".to_owned(), 1, 1),
            ("d.auto.tfvars".to_owned(), 1, 1),
            ("e.auto.tfvars.json".to_owned(), 1, 15),
            ("missing.tfvars".to_owned(), 1, 1),
        ]
    );
    assert!(
        resolved.errors[0]
            .message
            .contains("blocks are not allowed")
    );
    assert!(resolved.errors[4].message.contains("over the limit"));
    assert!(resolved.errors[5].message.contains("already set at line 1"));
}

#[test]
fn a_default_that_refers_to_anything_or_calls_a_function_is_refused_where_it_does() {
    let text = "variable \"v\" {\n  default = var.v\n}\n\
                variable \"f\" {\n  default = [upper(\"x\")]\n}\n\
                variable \"ok\" {\n  default = [for x in [1, 2] : \"%{for c in [x]}${c}%{endfor}\"]\n}\n";
    let (found, errors) = declarations(&parsed(Path::new("variables.tf"), text));
    let reported: Vec<_> = errors
        .iter()
        .map(|e| (e.position, e.message.as_str()))
        .collect();
    assert_eq!(
        reported,
        [
            (
                Position::new(2, 13),
                "the default of var.v must be a literal value: variables may not be used here"
            ),
            (
                Position::new(5, 14),
                "the default of var.f must be a literal value: functions may not be called here"
            ),
        ]
    );
    assert!(found[0].default.as_ref().is_some_and(Value::is_unknown));
    assert_eq!(
        found[2].default,
        Some(Value::List(vec!["1".into(), "2".into()]))
    );
}

#[cfg(unix)]
#[test]
fn implicit_variables_files_linking_outside_the_scan_are_refused_without_quoting_them() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret");
    fs::write(&secret, "hunter2 is not HCL\n").unwrap();
    let module = Module::new(ACL, &[("inside.txt", "acl = \"public-read\"\n")]);
    for name in ["terraform.tfvars", "x.auto.tfvars.json"] {
        std::os::unix::fs::symlink(&secret, module.path(name)).unwrap();
    }
    std::os::unix::fs::symlink(module.path("inside.txt"), module.path("y.auto.tfvars")).unwrap();
    let resolved = module.resolve(&Inputs::default());
    let refused: Vec<_> = resolved.errors.iter().map(|e| e.file.clone()).collect();
    assert_eq!(
        refused,
        [
            module.path("terraform.tfvars"),
            module.path("x.auto.tfvars.json")
        ]
    );
    for error in &resolved.errors {
        assert!(!error.message.contains("hunter2"), "{}", error.message);
        assert!(error.message.contains("outside"), "{}", error.message);
    }
    // A link inside the scanned directory is read.
    assert_eq!(resolved.values["acl"], "public-read".into());
}
