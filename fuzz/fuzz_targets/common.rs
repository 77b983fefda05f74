//! What every loader target shares: an input is text of a file that does not exist on
//! disk, loaded as a check loads it.

// Each target is its own crate and uses only the helpers of its format.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::thread;

use palisade_model::{Limits, LoadError};
use palisade_syntax::Node;

/// The stack of a rayon worker, where a check loads each file: an input that overflows
/// it overflows a real run.
const WORKER_STACK: usize = 2 * 1024 * 1024;

/// Where inputs are said to live: a directory that does not exist, so that nothing the
/// input names is read from disk.
const DIR: &str = "/nonexistent/palisade-fuzz";

/// Runs `load` on the text of `data` (when it is UTF-8), as the file `name`, on a thread
/// with a worker's stack; a panic there is a finding.
pub fn load_text(data: &[u8], name: &str, load: impl FnOnce(&Path, &str) + Send + 'static) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let text = text.to_owned();
    let file = Path::new(DIR).join(name);
    let worker = thread::Builder::new()
        .stack_size(WORKER_STACK)
        .spawn(move || load(&file, &text))
        .expect("spawn a loader thread");
    if let Err(panic) = worker.join() {
        std::panic::resume_unwind(panic);
    }
}

/// One Terraform file `name`, evaluated from memory as a ROS `Workspace` is.
pub fn terraform(data: &[u8], name: &str) {
    load_text(data, name, |file, text| {
        let files: Vec<(PathBuf, String)> = vec![(file.to_path_buf(), text.to_owned())];
        let _ = palisade_terraform::evaluate_files(
            Path::new(DIR),
            files,
            &BTreeMap::new(),
            Limits::default(),
        );
    });
}

/// A ROS template `name`, parsed with `parse` and, when it has the version key as a
/// check requires, loaded.
pub fn ros(data: &[u8], name: &str, parse: fn(&Path, &str) -> Result<Option<Node>, LoadError>) {
    load_text(data, name, move |file, text| {
        if let Ok(Some(root)) = parse(file, text)
            && root.get("ROSTemplateFormatVersion").is_some()
        {
            let _ = palisade_ros::resources(&root, text, file, &palisade_ros::Options::default());
        }
    });
}
