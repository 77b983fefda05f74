//! What every target shares: inputs run as a loader runs them in a check.

use std::thread;

/// The stack of a rayon worker, where a check loads each file: an input that overflows
/// it overflows a real run.
const WORKER_STACK: usize = 2 * 1024 * 1024;

/// Runs `load` on a thread with a worker's stack; a panic there is a finding.
pub fn on_worker<F: FnOnce() + Send + 'static>(load: F) {
    let worker = thread::Builder::new()
        .stack_size(WORKER_STACK)
        .spawn(load)
        .expect("spawn a loader thread");
    if let Err(panic) = worker.join() {
        std::panic::resume_unwind(panic);
    }
}
