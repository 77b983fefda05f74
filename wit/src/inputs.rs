//! Where an attribute's value was set, when it is not written at the attribute: the
//! Terraform variables and ROS parameters it was computed from, and how each got its
//! value. A rule about secrets needs it: a password from a variable default is written in
//! the repository, one from `TF_VAR_db_password` is not.
//!
//! It travels in the attributes JSON under the reserved key [`INPUTS_KEY`] (no Terraform
//! attribute or ROS property starts with `$`), by attribute path, only for the paths that
//! have inputs:
//!
//! ```json
//! {"password": "hunter2",
//!  "$inputs": {"password": [{"variable": "db_password", "set": "default"}]}}
//! ```
//!
//! ROS parameter declarations reach policies as resources of type [`PARAMETER_TYPE`], so
//! that a rule can judge a parameter (its `Default`, `NoEcho`) where it is declared.

use serde_json::Value;

/// The reserved attribute holding the inputs of the resource's attributes.
pub const INPUTS_KEY: &str = "$inputs";

/// The resource type of a ROS template parameter's declaration (address
/// `Parameters.<name>`, attributes the declaration: `Type`, `Default`, `NoEcho`, ...).
pub const PARAMETER_TYPE: &str = "ROS::Parameter";

/// What a value was computed from: a Terraform variable or a ROS parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// `var.name`.
    Variable,
    /// `{"Ref": "Name"}`.
    Parameter,
}

/// How an input got its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    /// The declaration's `default` / `Default`.
    Default,
    /// A file: `terraform.tfvars`, `-var-file`, `--parameters`.
    File,
    /// A `TF_VAR_` environment variable.
    Environment,
    /// A command-line option: `-var`, `--param`.
    Flag,
    /// A value written in the module call that sets a module's variable.
    Caller,
}

impl Setting {
    /// Whether the value is written in the scanned files (a default, a variables file, a
    /// module call), rather than given when the tool runs.
    pub fn is_written(self) -> bool {
        matches!(self, Setting::Default | Setting::File | Setting::Caller)
    }

    fn as_str(self) -> &'static str {
        match self {
            Setting::Default => "default",
            Setting::File => "file",
            Setting::Environment => "environment",
            Setting::Flag => "flag",
            Setting::Caller => "caller",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "default" => Setting::Default,
            "file" => Setting::File,
            "environment" => Setting::Environment,
            "flag" => Setting::Flag,
            "caller" => Setting::Caller,
            _ => return None,
        })
    }
}

/// One variable or parameter a value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// A variable or a parameter.
    pub kind: InputKind,
    /// Its name, without `var.`.
    pub name: String,
    /// How it got its value.
    pub set: Setting,
}

impl Input {
    /// The input an object written by [`inputs_text`] stands for; `None` for anything
    /// else (a newer runner's kind of input is skipped, not misread).
    pub fn from_json(value: &Value) -> Option<Self> {
        let object = value.as_object()?;
        let set = Setting::parse(object.get("set")?.as_str()?)?;
        let (kind, name) = if let Some(name) = object.get("variable") {
            (InputKind::Variable, name)
        } else {
            (InputKind::Parameter, object.get("parameter")?)
        };
        Some(Input {
            kind,
            name: name.as_str()?.to_owned(),
            set,
        })
    }
}

/// The [`INPUTS_KEY`] object for `inputs` by attribute path, as JSON text, or `None`
/// when no path has any. Written directly: it is built for most resources sent to a
/// policy, once per policy.
pub fn inputs_text<'a>(inputs: impl IntoIterator<Item = (&'a str, Vec<Input>)>) -> Option<String> {
    let mut text = String::from("{");
    for (path, inputs) in inputs.into_iter().filter(|(_, inputs)| !inputs.is_empty()) {
        if text.len() > 1 {
            text.push(',');
        }
        push_json_string(&mut text, path);
        text.push_str(":[");
        for (i, input) in inputs.iter().enumerate() {
            if i > 0 {
                text.push(',');
            }
            text.push_str(match input.kind {
                InputKind::Variable => "{\"variable\":",
                InputKind::Parameter => "{\"parameter\":",
            });
            push_json_string(&mut text, &input.name);
            text.push_str(",\"set\":\"");
            text.push_str(input.set.as_str());
            text.push_str("\"}");
        }
        text.push(']');
    }
    (text.len() > 1).then(|| text + "}")
}

/// Appends `value` as a JSON string literal.
fn push_json_string(text: &mut String, value: &str) {
    // Serializing a string cannot fail.
    text.push_str(&serde_json::to_string(value).unwrap_or_default());
}

/// Whether an attribute, property or parameter name says it holds a secret: it contains,
/// in any case, `password`, `passwd`, `pwd`, `secret`, `apikey`, `api_key`, `accesskey`,
/// `access_key`, `token`, `credential`, `privatekey` or `private_key`.
///
/// ```
/// use palisade_contract::is_secret_name;
///
/// assert!(is_secret_name("MasterUserPassword"));
/// assert!(is_secret_name("db_api_key"));
/// assert!(!is_secret_name("instance_type"));
/// ```
pub fn is_secret_name(name: &str) -> bool {
    // Every attribute key of every resource is asked: no allocation, and the marks are
    // compared only where a letter they start with is.
    let name = name.as_bytes();
    (0..name.len()).any(|start| {
        let rest = &name[start..];
        marks_starting_with(rest[0]).iter().any(|mark| {
            rest.get(..mark.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(mark))
        })
    })
}

/// The secret marks (lowercase) that start with the letter `first`, in any case.
fn marks_starting_with(first: u8) -> &'static [&'static [u8]] {
    match first.to_ascii_lowercase() {
        b'p' => &[
            b"password",
            b"passwd",
            b"pwd",
            b"privatekey",
            b"private_key",
        ],
        b's' => &[b"secret"],
        b'a' => &[b"apikey", b"api_key", b"accesskey", b"access_key"],
        b't' => &[b"token"],
        b'c' => &[b"credential"],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secret_names_are_found_in_any_case_at_any_position() {
        for name in [
            "password",
            "DB_PASSWD",
            "AdminPwd",
            "client_secret",
            "ApiKey",
            "my_api_key",
            "AccessKeyId",
            "access_key",
            "GithubToken",
            "Credentials",
            "PrivateKey",
            "ssh_private_key",
            "pw\u{e9}_password",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "",
            "p",
            "pass",
            "word",
            "instance_type",
            "tok",
            "caf\u{e9}",
            "api-key",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn inputs_read_back_as_written() {
        let input = Input {
            kind: InputKind::Parameter,
            name: "DbPassword".into(),
            set: Setting::Flag,
        };
        let text = inputs_text([("p", vec![input.clone()])]).unwrap();
        let json: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(Input::from_json(&json["p"][0]), Some(input));
        assert_eq!(
            Input::from_json(&json!({"variable": "x", "set": "later"})),
            None
        );
        assert_eq!(Input::from_json(&json!("x")), None);
    }

    #[test]
    fn only_paths_with_inputs_are_written() {
        let default = Input {
            kind: InputKind::Variable,
            name: "pw".into(),
            set: Setting::Default,
        };
        let parameter = Input {
            kind: InputKind::Parameter,
            name: "Odd\"Name".into(),
            set: Setting::Flag,
        };
        let text = inputs_text([
            ("password", vec![default, parameter]),
            ("name", vec![]),
            ("a.b[0]", vec![]),
        ])
        .unwrap();
        let json: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            json,
            json!({"password": [
                {"variable": "pw", "set": "default"},
                {"parameter": "Odd\"Name", "set": "flag"},
            ]})
        );
        for (kind, input) in [("variable", 0), ("parameter", 1)] {
            let read = Input::from_json(&json["password"][input]).unwrap();
            assert_eq!(read.kind == InputKind::Variable, kind == "variable");
        }
        assert_eq!(inputs_text([("name", vec![])]), None);
    }
}
