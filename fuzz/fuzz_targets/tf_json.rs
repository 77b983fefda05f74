//! One `main.tf.json` in JSON syntax, evaluated from memory as a ROS `Workspace` is.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| common::terraform(data, "main.tf.json"));
