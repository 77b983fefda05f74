//! Which kind of template a resource came from: the WIT `source-format` enum, as both
//! sides use it.

/// Which loader produced a resource, so that a rule can tell a Terraform attribute from a
/// ROS property of the same meaning, and a report can say what kind of file it points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Format {
    /// Terraform configuration (`.tf`, `.tf.json`).
    Terraform,
    /// Terraform plan (`terraform show -json`).
    Plan,
    /// Alibaba Cloud ROS template (JSON or YAML); attributes are the `Properties`.
    Ros,
}
