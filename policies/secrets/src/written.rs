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
