//! The clock behind every policy's time budget.
//!
//! Wasmtime's epoch interruption checks a counter at function entries and loop headers,
//! which costs far less than fuel metering. One thread per engine advances the counter
//! every [`TICK`]; a store's deadline is a number of ticks from the start of its call.

use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

/// How often the epoch advances: the resolution of time budgets.
pub(super) const TICK: Duration = Duration::from_millis(10);

/// Advances the engine's epoch until dropped.
pub(super) struct EpochTicker {
    /// Dropping the sender wakes the thread and tells it to stop.
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl EpochTicker {
    pub fn start(engine: wasmtime::Engine) -> std::io::Result<Self> {
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("palisade-epoch".into())
            .spawn(move || {
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(TICK) {
                    engine.increment_epoch();
                }
            })?;
        Ok(Self {
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// The number of ticks that covers `budget` (at least one).
    pub fn ticks_for(budget: Duration) -> u64 {
        let ticks = budget.as_nanos().div_ceil(TICK.as_nanos()).max(1);
        u64::try_from(ticks).unwrap_or(u64::MAX)
    }
}

impl Drop for EpochTicker {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            // The thread only sleeps and increments a counter; it cannot have panicked.
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_round_up_to_whole_ticks() {
        assert_eq!(EpochTicker::ticks_for(Duration::from_secs(2)), 200);
        assert_eq!(EpochTicker::ticks_for(Duration::from_millis(15)), 2);
        assert_eq!(EpochTicker::ticks_for(Duration::ZERO), 1);
    }
}
