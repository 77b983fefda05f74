//! End-to-end tests of the `palisade` command line: the real binary, the real sandbox,
//! the built-in policy components and real files.

mod authoring;
mod bad_input;
mod baseline;
mod cache;
mod common;
mod config;
mod corpus;
mod distribution;
mod docs;
mod examples;
mod github;
mod hostile;
mod hostile_text;
mod junit;
mod minified;
mod modules;
mod outputs;
mod plan;
mod policy_test;
mod precommit;
mod sarif;
mod secrets;
mod suppress;
mod terminal;
mod terraform;
