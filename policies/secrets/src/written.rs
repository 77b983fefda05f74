//! Whether a value is written in the scanned files: a literal, or computed only from
//! variable defaults, variables files and module arguments, all of which sit in the
//! repository. A value given when the tool runs (`TF_VAR_...`, `-var`, `--param`) is
//! not, and neither is one a ROS parameter brings, which is judged at the parameter.

use palisade_policy::{InputKind, Resource};

/// Where a password value comes from, as far as the rule cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// Written where it is used, or from inputs written in the repository.
    InRepository,
    /// From a ROS parameter: the parameter's declaration decides.
    ByParameter,
    /// At least one input is given at run time: the template holds no secret.
    AtRunTime,
}

/// Where the value at `path` of `resource` comes from.
pub fn written(resource: &Resource, path: &str) -> Written {
    let inputs = resource.inputs(path);
    if inputs
        .iter()
        .any(|input| input.kind == InputKind::Parameter)
    {
        Written::ByParameter
    } else if inputs.iter().all(|input| input.set.is_written()) {
        Written::InRepository
    } else {
        Written::AtRunTime
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_policy::Format;

    fn account(inputs: &str) -> Resource {
        let text =
            format!(r#"{{"account_password": "x", "$inputs": {{"account_password": {inputs}}}}}"#);
        Resource::from_json(0, "alicloud_db_account", "a", Format::Terraform, &text).unwrap()
    }

    #[test]
    fn a_value_is_written_when_every_input_sits_in_the_repository() {
        let plain = Resource::from_json(
            0,
            "alicloud_db_account",
            "a",
            Format::Terraform,
            r#"{"account_password": "x"}"#,
        )
        .unwrap();
        assert_eq!(written(&plain, "account_password"), Written::InRepository);
        let default = account(r#"[{"variable": "pw", "set": "default"}]"#);
        assert_eq!(written(&default, "account_password"), Written::InRepository);
        let caller =
            account(r#"[{"variable": "pw", "set": "caller"}, {"variable": "p", "set": "file"}]"#);
        assert_eq!(written(&caller, "account_password"), Written::InRepository);
    }

    #[test]
    fn one_input_given_at_run_time_or_a_parameter_keeps_it_out() {
        let mixed = account(
            r#"[{"variable": "pw", "set": "default"}, {"variable": "s", "set": "environment"}]"#,
        );
        assert_eq!(written(&mixed, "account_password"), Written::AtRunTime);
        let flag = account(r#"[{"variable": "pw", "set": "flag"}]"#);
        assert_eq!(written(&flag, "account_password"), Written::AtRunTime);
        let parameter = account(r#"[{"parameter": "DbPassword", "set": "default"}]"#);
        assert_eq!(
            written(&parameter, "account_password"),
            Written::ByParameter
        );
    }
}
