//! Palisade: a policy-as-code gate for Terraform configurations, Terraform plans and
//! Alibaba Cloud ROS templates, whose policies are sandboxed WebAssembly components.
//!
//! The layers, each depending only on those listed before it:
//! [`model`]: resources, findings and the [`Report`](model::Report) of a run;
//! [`load`]: files into model resources; [`engine`]: policy components in the sandbox;
//! [`config`]: `palisade.toml`; [`pipeline`]: the stages of a check, from loading to the
//! baseline, in one [`run`](pipeline::run); [`report`]: a report rendered as text, JSON,
//! SARIF, JUnit or GitHub annotations; [`author`]: scaffolding, building and testing
//! policies; [`cli`]: the `palisade` command.

pub mod author;
pub mod cli;
pub mod config;
pub mod engine;
pub mod load;
pub mod model;
pub mod pipeline;
pub mod report;
