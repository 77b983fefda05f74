//! The secrets family: rules about credentials written into templates, whatever resource
//! holds them (instances, database accounts, RAM login profiles, ROS parameters).
//!
//! `fields` says where each resource type takes a password; `written` decides whether a
//! value is written in the scanned files (a literal, a variable default, a variables
//! file) or given when the tool runs; `parameter` reads ROS parameter declarations.

mod fields;
mod parameter;
mod written;

palisade_policy::family!();
