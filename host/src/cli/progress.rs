//! A sign of life on the terminal while a long check runs.
//!
//! A check of a few files finishes before anyone could read a progress line, so the
//! indicator waits half a second before it draws; after that a spinner with the time
//! spent is redrawn on standard error, and erased when the check ends. It is only ever
//! drawn on a terminal: piped or redirected standard error stays clean.

use std::io::{IsTerminal, Write};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long a check runs before the indicator appears.
const DELAY: Duration = Duration::from_millis(500);
/// How often the indicator is redrawn.
const TICK: Duration = Duration::from_millis(100);
const FRAMES: [char; 4] = ['|', '/', '-', '\\'];

/// A running indicator; [`Progress::finish`] (or dropping it) erases it.
pub struct Progress {
    stop: Option<Sender<()>>,
    drawer: Option<JoinHandle<()>>,
}

impl Progress {
    /// Starts the indicator for `what` when standard error is a terminal; otherwise
    /// one that never draws.
    pub fn start(what: String) -> Self {
        if !std::io::stderr().is_terminal() {
            return Self {
                stop: None,
                drawer: None,
            };
        }
        let (stop, stopped) = mpsc::channel();
        let drawer = std::thread::spawn(move || {
            let started = Instant::now();
            let mut wait = DELAY;
            let mut width = 0;
            for frame in FRAMES.iter().cycle() {
                match stopped.recv_timeout(wait) {
                    Err(RecvTimeoutError::Timeout) => {}
                    Ok(()) | Err(RecvTimeoutError::Disconnected) => break,
                }
                let elapsed = started.elapsed().as_secs_f64();
                let line = format!("{frame} {what} {elapsed:.1}s");
                width = width.max(line.len());
                let _ = write!(std::io::stderr(), "\r{line}");
                wait = TICK;
            }
            if width > 0 {
                // Blanks over the line rather than an escape code: `NO_COLOR` terminals
                // and logs of a terminal session stay free of them.
                let _ = write!(std::io::stderr(), "\r{:width$}\r", "");
            }
        });
        Self {
            stop: Some(stop),
            drawer: Some(drawer),
        }
    }

    /// Erases the indicator, before anything else is written to the terminal.
    pub fn finish(mut self) {
        self.stop_drawing();
    }

    fn stop_drawing(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(drawer) = self.drawer.take() {
            let _ = drawer.join();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.stop_drawing();
    }
}
