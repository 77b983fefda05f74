//! A ROS template in JSON, parsed and loaded as a check loads `template.json`.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| common::ros(data, "template.json", palisade_syntax::json::parse));
