//! The syntax layer the format loaders share: a file read within a size limit and as
//! UTF-8 ([`source`]), and JSON ([`json`]) or YAML ([`yaml`]) text turned into one
//! positioned [`Node`] tree, so that the ROS and Terraform JSON loaders are written once
//! against it and never see a parser. Every failure is a [`LoadError`](palisade_model::LoadError)
//! with the file, line and column.

pub mod json;
pub mod source;
pub mod yaml;

mod strict;
mod tree;

pub use tree::{Entry, Node, NodeValue};
