//! ROS parameter declarations (resources of type [`PARAMETER_TYPE`]): which ones hold a
//! secret in their `Default`.

use palisade_policy::{Field, PARAMETER_TYPE, Resource, is_secret_name};

/// A parameter whose name says it holds a secret and whose `Default` writes one into the
/// template without `NoEcho`.
pub struct ExposedDefault<'a> {
    pub name: &'a str,
    pub default: Field<'a>,
}

/// The exposed default of the parameter declaration `resource`, if it has one. Only text
/// parameters are read (a `Number` named `PasswordLength` holds no secret), and not those
/// with `AllowedValues` (a choice among listed values is no secret either).
pub fn exposed_default(resource: &Resource) -> Option<ExposedDefault<'_>> {
    let name = resource.address.strip_prefix("Parameters.")?;
    if !resource.is(PARAMETER_TYPE) || !is_secret_name(name) {
        return None;
    }
    let is_text = resource
        .get("Type")
        .text()
        .known()
        .is_some_and(|kind| kind.eq_ignore_ascii_case("string"));
    let listed = !resource.get("AllowedValues").attr().is_absent();
    let no_echo = resource.get("NoEcho").bool().known() == Some(true);
    let default = resource.get("Default");
    let written = default.text().known().is_some_and(|text| !text.is_empty());
    (is_text && !listed && !no_echo && written).then_some(ExposedDefault { name, default })
}
