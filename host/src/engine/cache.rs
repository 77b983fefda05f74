//! The on-disk cache of compiled components, so that a second run does not compile.
//!
//! Compiling a policy with Cranelift takes tens of milliseconds; loading the compiled
//! artifact takes a fraction of one. An entry is `<dir>/<key>.cwasm`, where `key` is the
//! SHA-256 of the component's bytes followed by the engine's compatibility fingerprint
//! (target, compiler flags, wasm features, wasmtime version), so any change to either
//! yields a different file. The cache is an optimisation only: every failure to read or
//! write it falls back to compiling, silently.

use std::fs;
use std::hash::Hasher;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};
use wasmtime::component::Component;

use super::{CacheMode, CompileOrigin};

/// Where compiled components are kept, if anywhere.
pub(super) struct CompileCache {
    dir: Option<PathBuf>,
    /// The engine's compatibility hash, as bytes.
    engine_fingerprint: Vec<u8>,
}

impl CompileCache {
    pub fn new(mode: &CacheMode, engine: &wasmtime::Engine) -> Self {
        let dir = match mode {
            CacheMode::Dir(dir) => Some(dir.clone()),
            CacheMode::Disabled => None,
        };
        let mut fingerprint = CollectingHasher::default();
        std::hash::Hash::hash(&engine.precompile_compatibility_hash(), &mut fingerprint);
        Self {
            dir,
            engine_fingerprint: fingerprint.bytes,
        }
    }

    /// The compiled form of the component `bytes`, whose SHA-256 digest is `digest` (hex),
    /// from the cache when present and valid, else compiled (and then stored).
    pub fn component(
        &self,
        engine: &wasmtime::Engine,
        bytes: &[u8],
        digest: &str,
    ) -> wasmtime::Result<(Component, CompileOrigin)> {
        let Some(dir) = &self.dir else {
            return Ok((Component::new(engine, bytes)?, CompileOrigin::Compiled));
        };
        let key = Sha256::new_with_prefix(digest.as_bytes()).chain_update(&self.engine_fingerprint);
        let key = hex::encode(key.finalize());
        let entry = dir.join(format!("{key}.cwasm"));
        if let Some(component) = load(engine, &entry) {
            return Ok((component, CompileOrigin::Cached));
        }
        let component = Component::new(engine, bytes)?;
        if let Ok(compiled) = component.serialize() {
            // A read-only or full disk only costs the next run a compile.
            let _ = store(dir, &entry, &compiled);
        }
        Ok((component, CompileOrigin::Compiled))
    }
}

fn load(engine: &wasmtime::Engine, entry: &Path) -> Option<Component> {
    if !entry.is_file() {
        return None;
    }
    // SAFETY: `deserialize_file` maps the file and runs the machine code in it, so it
    // must only be given artifacts wasmtime produced. Entries in this directory are
    // written only by `store` below, from `Component::serialize`, under a name derived
    // from the component bytes and this engine's configuration; a file is renamed into
    // place only once completely written, so a reader never sees a partial one.
    // Wasmtime itself checks the artifact's format, version and engine compatibility, so
    // a truncated, foreign or garbage file fails here and is compiled afresh. It cannot
    // detect deliberate tampering: the directory is the user's own cache, and whoever can
    // write to it can already replace the `palisade` binary.
    unsafe { Component::deserialize_file(engine, entry) }.ok()
}

/// Writes `compiled` to `entry` atomically: a unique temporary file, then a rename.
fn store(dir: &Path, entry: &Path, compiled: &[u8]) -> std::io::Result<()> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    fs::create_dir_all(dir)?;
    let temporary = dir.join(format!(
        ".{}.{}.{}.tmp",
        entry
            .file_stem()
            .and_then(|stem| stem.to_str())
            .unwrap_or("entry"),
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let written = fs::File::create(&temporary)
        .and_then(|mut file| file.write_all(compiled))
        .and_then(|()| fs::rename(&temporary, entry));
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    written
}

/// Turns a `Hash` value into the bytes it feeds a hasher.
#[derive(Default)]
struct CollectingHasher {
    bytes: Vec<u8>,
}

impl Hasher for CollectingHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.bytes.extend_from_slice(bytes);
    }

    /// Unused: the collected bytes are the result.
    fn finish(&self) -> u64 {
        0
    }
}
