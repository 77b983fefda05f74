//! A ROS template in YAML, parsed and loaded as a check loads `template.yaml`.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| common::ros(data, "template.yaml", palisade_syntax::yaml::parse));
