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

use serde_json::{Map, Value, json};

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
    /// The JSON object that stands for the input.
    pub fn to_json(&self) -> Value {
        let kind = match self.kind {
            InputKind::Variable => "variable",
            InputKind::Parameter => "parameter",
        };
        json!({ kind: self.name, "set": self.set.as_str() })
    }

    /// The input an object written by [`Input::to_json`] stands for; `None` for anything
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

/// The [`INPUTS_KEY`] object for `inputs` by attribute path.
pub fn inputs_json<'a>(inputs: impl IntoIterator<Item = (&'a str, Vec<Input>)>) -> Value {
    let map: Map<String, Value> = inputs
        .into_iter()
        .filter(|(_, inputs)| !inputs.is_empty())
        .map(|(path, inputs)| {
            let list = inputs.iter().map(Input::to_json).collect();
            (path.to_owned(), Value::Array(list))
        })
        .collect();
    Value::Object(map)
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
    const MARKS: [&str; 12] = [
        "password",
        "passwd",
        "pwd",
        "secret",
        "apikey",
        "api_key",
        "accesskey",
        "access_key",
        "token",
        "credential",
        "privatekey",
        "private_key",
    ];
    let lower = name.to_ascii_lowercase();
    MARKS.iter().any(|mark| lower.contains(mark))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_read_back_as_written() {
        let input = Input {
            kind: InputKind::Parameter,
            name: "DbPassword".into(),
            set: Setting::Flag,
        };
        assert_eq!(Input::from_json(&input.to_json()), Some(input));
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
        let json = inputs_json([("password", vec![default]), ("name", vec![])]);
        assert_eq!(
            json,
            json!({"password": [{"variable": "pw", "set": "default"}]})
        );
    }
}
