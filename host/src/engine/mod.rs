//! Runs policy components: compile (or load from the cache), check, and evaluate them in
//! a sandbox.
//!
//! An [`Engine`] is created once per run; [`Engine::load`] turns each [`PolicySource`]
//! into a [`Policy`], compiled once and reused, and [`Policy::evaluate`] runs it on a
//! document set in a fresh, capability-free store with a time budget and a memory cap
//! (see `sandbox`). Anything a policy does wrong, from garbage bytes to an infinite loop,
//! becomes a [`PolicyError`] naming that policy; nothing it does can stop the others.

mod bindings;
mod cache;
mod error;
mod limits;
mod policy;
mod sandbox;
mod sent;
mod source;
mod ticker;
mod version;

#[cfg(test)]
mod tests;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use sha2::{Digest, Sha256};
use wasmtime::component::{Component, Linker};

pub use error::{EngineError, PolicyError, PolicyErrorKind};
pub use palisade_model::Rule;
pub use policy::{CompileOrigin, Evaluation, Policy, PolicyInfo, RawFinding, Selection};
pub use source::{PolicySource, builtin_policies, policy_files, read_component};
pub use version::HOST_WIT_VERSION;

use bindings::PolicyCorePre;
use cache::CompileCache;
use sandbox::{Sandbox, StoreState};
use version::VersionCheck;

/// Limits and caching for every policy an [`Engine`] loads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineOptions {
    /// Wall-clock budget of one call into a policy.
    pub timeout: Duration,
    /// Linear memory one policy instance may use in total, in bytes.
    pub memory_limit: usize,
    /// Where compiled components are kept between runs.
    pub cache: CacheMode,
}

/// Whether compiled components are kept on disk between runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheMode {
    /// Keep them in this directory (created on first use).
    Dir(PathBuf),
    /// Compile every policy on every run (tests, read-only environments).
    Disabled,
}

impl Default for EngineOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(2),
            memory_limit: 256 << 20,
            cache: default_cache_dir().map_or(CacheMode::Disabled, CacheMode::Dir),
        }
    }
}

/// The per-user cache directory (`~/.cache/palisade` on Linux), if the platform has one.
pub fn default_cache_dir() -> Option<PathBuf> {
    dirs::cache_dir().map(|dir| dir.join("palisade"))
}

/// The shared machinery for loading and running policies: the wasmtime engine, the
/// linker that provides the sandbox's WASI, the compile cache and the epoch ticker.
/// Create one per run and load every policy through it.
pub struct Engine {
    engine: wasmtime::Engine,
    linker: Linker<StoreState>,
    cache: CompileCache,
    sandbox: Arc<Sandbox>,
}

impl Engine {
    /// Sets up wasmtime with epoch interruption, the sandbox's WASI linker and the
    /// epoch ticker thread (stopped once the engine and every policy are dropped).
    pub fn new(options: EngineOptions) -> Result<Engine, EngineError> {
        let setup = |error: &dyn std::fmt::Display| EngineError::Setup(format!("{error:#}"));
        let mut config = wasmtime::Config::new();
        config.wasm_component_model(true).epoch_interruption(true);
        let engine = wasmtime::Engine::new(&config).map_err(|e| setup(&e))?;
        let linker = sandbox::linker(&engine).map_err(|e| setup(&e))?;
        let sandbox =
            Sandbox::new(&engine, options.timeout, options.memory_limit).map_err(|e| setup(&e))?;
        Ok(Engine {
            cache: CompileCache::new(&options.cache, &engine),
            engine,
            linker,
            sandbox: Arc::new(sandbox),
        })
    }

    /// Compiles the component (or loads it from the on-disk cache), checks that it was
    /// built against a compatible WIT version, and instantiates it once to read its
    /// metadata and rules.
    pub fn load(&self, source: PolicySource) -> Result<Policy, PolicyError> {
        let PolicySource {
            name,
            bytes,
            builtin,
        } = source;
        check_header(&name, &bytes)?;
        let digest = source::embedded_digest(&bytes)
            .map_or_else(|| hex::encode(Sha256::digest(&bytes)), str::to_owned);
        let (component, compiled) = self
            .cache
            .component(&self.engine, &bytes, &digest)
            .map_err(|error| PolicyError::new(&name, PolicyErrorKind::InvalidComponent(error)))?;
        let wit_version = self.check_version(&name, &component)?;
        let pre = self
            .linker
            .instantiate_pre(&component)
            .and_then(PolicyCorePre::new)
            .map_err(|error| PolicyError::new(&name, PolicyErrorKind::Link(error)))?;
        let (info, rules) = self.sandbox.run(&self.engine, &name, |store| {
            let guest = pre.instantiate(&mut *store)?;
            Ok((
                guest.call_info(&mut *store)?,
                guest.call_rules(&mut *store)?,
            ))
        })?;
        Ok(Policy {
            info: policy::info_from_guest(info, wit_version),
            rules: policy::rules_from_guest(&name, rules)?,
            name,
            builtin,
            digest,
            compiled,
            evaluate_rules: component.get_export_index(None, policy::EVALUATE_RULES),
            pre,
            sandbox: Arc::clone(&self.sandbox),
        })
    }

    fn check_version(&self, policy: &str, component: &Component) -> Result<String, PolicyError> {
        let ty = component.component_type();
        let imports = ty.imports(&self.engine).map(|(name, _)| name);
        let exports = ty.exports(&self.engine).map(|(name, _)| name);
        match version::check(imports.chain(exports)) {
            VersionCheck::Compatible(version) => Ok(version),
            VersionCheck::Incompatible(found) => Err(PolicyError::new(
                policy,
                PolicyErrorKind::IncompatibleVersion {
                    found,
                    supported: HOST_WIT_VERSION.to_owned(),
                },
            )),
            VersionCheck::NotAPolicy => Err(PolicyError::new(policy, PolicyErrorKind::NotAPolicy)),
        }
    }
}

/// Tells a core module and a non-wasm file apart from a component before compiling, so
/// the user gets the fix rather than a parser message.
fn check_header(policy: &str, bytes: &[u8]) -> Result<(), PolicyError> {
    const MAGIC: &[u8] = b"\0asm";
    const CORE_MODULE_LAYER: &[u8] = &[0, 0];
    if !bytes.starts_with(MAGIC) {
        return Err(PolicyError::new(policy, PolicyErrorKind::NotWasm));
    }
    if bytes.get(6..8) == Some(CORE_MODULE_LAYER) {
        return Err(PolicyError::new(policy, PolicyErrorKind::CoreModule));
    }
    Ok(())
}
