//! The capability-free world a policy runs in, and one guarded call into it.
//!
//! Policies are untrusted code. They get WASI with nothing behind it: no preopened
//! directories (file reads fail with ENOENT), no environment or arguments, no network,
//! clocks frozen at one instant, the same "random" bytes on every run, an empty stdin,
//! stdout discarded and stderr captured (bounded) for the error report. Each store has a
//! memory cap, and each call into it its own epoch deadline; see [`Sandbox::store`].
//!
//! Waiting on a clock is refused outright: wasmtime-wasi implements `subscribe-duration`
//! with a real host timer, and time spent blocked in the host is invisible to the epoch
//! deadline, so a policy that sleeps could otherwise hold the gate forever.

use std::time::Duration;

use wasmtime::Store;
use wasmtime::component::{HasSelf, Linker, Resource, ResourceTable};
use wasmtime_wasi::p2::DynPollable;
use wasmtime_wasi::p2::bindings::clocks::monotonic_clock;
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{Deterministic, WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};

use super::error::{PolicyError, RunContext};
use super::limits::MemoryLimiter;
use super::ticker::EpochTicker;

/// How much of a policy's stderr is kept; a panic message fits many times over. A policy
/// that writes more gets a write error (and, from Rust's `eprintln!`, a trap).
const STDERR_CAPACITY: usize = 64 * 1024;

/// The instant the sandbox's wall clock shows: 2000-01-01T00:00:00Z.
const FROZEN_WALL_CLOCK: Duration = Duration::from_secs(946_684_800);

/// Seed of the sandbox's fixed stream of random bytes.
const RANDOM_SEED: u64 = 0x7061_6c69_7361_6465;

/// Per-store state: the WASI context and the memory cap.
pub(super) struct StoreState {
    wasi: WasiCtx,
    table: ResourceTable,
    limiter: MemoryLimiter,
    clock: FrozenClock,
}

impl WasiView for StoreState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

/// The linker every policy is instantiated with: WASI p2 minus the ability to wait.
pub(super) fn linker(engine: &wasmtime::Engine) -> wasmtime::Result<Linker<StoreState>> {
    let mut linker = Linker::new(engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?;
    linker.allow_shadowing(true);
    monotonic_clock::add_to_linker::<StoreState, HasSelf<FrozenClock>>(&mut linker, |state| {
        &mut state.clock
    })?;
    linker.allow_shadowing(false);
    Ok(linker)
}

/// Limits that apply to every call, and the ticker that enforces the time budget.
pub(super) struct Sandbox {
    timeout: Duration,
    memory_limit: usize,
    deadline_ticks: u64,
    /// Kept alive as long as any policy can still be evaluated.
    _ticker: EpochTicker,
}

impl Sandbox {
    pub fn new(
        engine: &wasmtime::Engine,
        timeout: Duration,
        memory_limit: usize,
    ) -> std::io::Result<Self> {
        Ok(Self {
            timeout,
            memory_limit,
            deadline_ticks: EpochTicker::ticks_for(timeout),
            _ticker: EpochTicker::start(engine.clone())?,
        })
    }

    /// Runs `call` in a fresh store under the limits, classifying any failure as an
    /// error of `policy` (with its captured stderr).
    pub fn run<R>(
        &self,
        engine: &wasmtime::Engine,
        policy: &str,
        call: impl FnOnce(&mut Store<StoreState>) -> wasmtime::Result<R>,
    ) -> Result<R, PolicyError> {
        self.store(engine).call(policy, call)
    }

    /// A fresh store under the limits, for one call or several in a row.
    pub fn store(&self, engine: &wasmtime::Engine) -> Guarded {
        let stderr = MemoryOutputPipe::new(STDERR_CAPACITY);
        let state = StoreState {
            wasi: wasi_context(stderr.clone()),
            table: ResourceTable::new(),
            limiter: MemoryLimiter::new(self.memory_limit),
            clock: FrozenClock,
        };
        let mut store = Store::new(engine, state);
        store.limiter(|state| &mut state.limiter);
        store.epoch_deadline_trap();
        Guarded {
            store,
            stderr,
            timeout: self.timeout,
            deadline_ticks: self.deadline_ticks,
        }
    }
}

/// A store under the sandbox's limits: the memory cap holds for the store's whole life,
/// the time budget for each call. After a failed call the store is not to be used
/// again (an instance that trapped cannot be entered).
pub(super) struct Guarded {
    store: Store<StoreState>,
    stderr: MemoryOutputPipe,
    timeout: Duration,
    deadline_ticks: u64,
}

impl Guarded {
    /// Runs `call` within a time budget of its own, classifying any failure as an error
    /// of `policy` (with what it wrote to stderr so far).
    pub fn call<R>(
        &mut self,
        policy: &str,
        call: impl FnOnce(&mut Store<StoreState>) -> wasmtime::Result<R>,
    ) -> Result<R, PolicyError> {
        self.store.set_epoch_deadline(self.deadline_ticks);
        call(&mut self.store).map_err(|error| {
            let run = RunContext {
                timeout: self.timeout,
                stderr: String::from_utf8_lossy(&self.stderr.contents()).into_owned(),
            };
            PolicyError::from_run(policy, error, run)
        })
    }
}

fn wasi_context(stderr: MemoryOutputPipe) -> WasiCtx {
    // The builder's defaults already give no preopens, env or args, a closed stdin and
    // a discarding stdout; the rest is set explicitly.
    WasiCtxBuilder::new()
        .stderr(stderr)
        .wall_clock(FrozenClock)
        .monotonic_clock(FrozenClock)
        .secure_random(Deterministic::new(fixed_random_bytes()))
        .insecure_random(Deterministic::new(fixed_random_bytes()))
        .insecure_random_seed(u128::from(RANDOM_SEED))
        .allow_tcp(false)
        .allow_udp(false)
        .allow_ip_name_lookup(false)
        .build()
}

/// A kilobyte of well-mixed bytes (SplitMix64), the same on every run.
fn fixed_random_bytes() -> Vec<u8> {
    let mut state = RANDOM_SEED;
    (0..128)
        .flat_map(|_| {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            (z ^ (z >> 31)).to_le_bytes()
        })
        .collect()
}

/// Time that does not pass: both WASI clocks show one fixed instant.
struct FrozenClock;

/// Raised when a policy tries to sleep or wait on the clock.
#[derive(Debug, thiserror::Error)]
#[error("it tried to wait on a clock, which the sandbox does not allow")]
pub(super) struct ClockWaitRefused;

impl wasmtime_wasi::HostWallClock for FrozenClock {
    fn resolution(&self) -> Duration {
        Duration::from_secs(1)
    }

    fn now(&self) -> Duration {
        FROZEN_WALL_CLOCK
    }
}

impl wasmtime_wasi::HostMonotonicClock for FrozenClock {
    fn resolution(&self) -> u64 {
        1
    }

    fn now(&self) -> u64 {
        0
    }
}

impl monotonic_clock::Host for FrozenClock {
    fn now(&mut self) -> wasmtime::Result<monotonic_clock::Instant> {
        Ok(0)
    }

    fn resolution(&mut self) -> wasmtime::Result<monotonic_clock::Duration> {
        Ok(1)
    }

    fn subscribe_instant(
        &mut self,
        _when: monotonic_clock::Instant,
    ) -> wasmtime::Result<Resource<DynPollable>> {
        Err(ClockWaitRefused.into())
    }

    fn subscribe_duration(
        &mut self,
        _duration: monotonic_clock::Duration,
    ) -> wasmtime::Result<Resource<DynPollable>> {
        Err(ClockWaitRefused.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_bytes_are_fixed_and_not_trivial() {
        let bytes = fixed_random_bytes();
        assert_eq!(bytes.len(), 1024);
        assert_eq!(bytes, fixed_random_bytes());
        assert!(bytes.iter().filter(|&&b| b == 0).count() < 32);
    }
}
