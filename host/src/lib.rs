//! Palisade: a policy-as-code gate for Terraform configurations, Terraform plans and
//! Alibaba Cloud ROS templates, whose policies are sandboxed WebAssembly components.
//!
//! The pipeline, one module per stage, each taking and returning plain data:
//! [`load`] files into [`model`] resources, evaluate them with the policies in [`engine`],
//! and [`report`] the findings; [`check`] runs the stages in order for the [`cli`].
//! [`suppress`] then sets aside the findings that `palisade:ignore` comments justify.
//! [`author`] serves the people who write policies: scaffold, build, test.

pub mod author;
pub mod baseline;
pub mod check;
pub mod cli;
pub mod config;
pub mod engine;
pub mod load;
pub mod model;
pub mod report;
pub mod suppress;
