//! Loads the paths given on the command line with the default options and prints what
//! was loaded: to measure what loading an input costs (`/usr/bin/time -v`).

use std::path::PathBuf;

use palisade_load::{LoadOptions, load_paths};

fn main() {
    let paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let loaded = load_paths(&paths, &LoadOptions::default());
    let resources: usize = loaded.sets.iter().map(|set| set.resources.len()).sum();
    println!(
        "{} files, {} resources, {} errors",
        loaded.files,
        resources,
        loaded.errors.len()
    );
    for error in loaded.errors.iter().take(5) {
        println!("{error}");
    }
}
