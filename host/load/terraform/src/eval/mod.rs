//! Evaluation of Terraform expressions, as `terraform plan` would evaluate them as far as
//! that is possible without providers and network.

pub mod block;
pub mod budget;
mod builtins;
mod calls;
pub mod children;
mod documents;
mod expand;
pub mod expr;
pub mod functions;
pub mod json_body;
pub mod json_expr;
pub mod json_structure;
pub mod module;
pub mod origins;
mod packages;
pub mod scope;
pub mod syntax;
pub mod template;
pub mod types;
pub mod value;
pub mod variables;
