//! A ROS template in JSON, parsed and loaded as a check loads `template.json`.
#![no_main]

mod common;

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use palisade_syntax::json;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let text = text.to_owned();
    common::on_worker(move || {
        // Not on disk: a `Workspace` is evaluated from memory only.
        let file = Path::new("/nonexistent/palisade-fuzz/template.json");
        // Only a parsed document with the version key is handed to the loader.
        if let Ok(Some(root)) = json::parse(file, &text)
            && root.get("ROSTemplateFormatVersion").is_some()
        {
            let _ = palisade_ros::resources(&root, &text, file, &palisade_ros::Options::default());
        }
    });
});
