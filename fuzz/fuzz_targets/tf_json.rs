//! One `main.tf.json` in JSON syntax, evaluated from memory as a ROS `Workspace` is.
#![no_main]

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use palisade_model::Limits;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let text = text.to_owned();
    common::on_worker(move || {
        // A directory that does not exist: nothing is read from disk.
        let dir = Path::new("/nonexistent/palisade-fuzz");
        let files = vec![(dir.join("main.tf.json"), text)];
        let _ = palisade_terraform::evaluate_files(dir, files, &BTreeMap::new(), Limits::default());
    });
});
