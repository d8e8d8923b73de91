//! A progress bar on stderr for long `report` runs: shown only on a terminal and only once a
//! run has lasted a second (the shipped catalog finishes in half that, so it never shows), and
//! never when stderr is piped or redirected, so logs and CI output stay clean.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long a run goes before the bar appears.
const DELAY: Duration = Duration::from_secs(1);

/// A scenario counter that may become visible.
pub struct Progress {
    bar: ProgressBar,
    /// True once finished; the lock orders "show" against "finish".
    finished: Arc<Mutex<bool>>,
}

impl Progress {
    /// Starts counting `total` scenarios.
    pub fn start(total: usize) -> Progress {
        let bar = ProgressBar::with_draw_target(
            Some(u64::try_from(total).unwrap_or(u64::MAX)),
            ProgressDrawTarget::hidden(),
        );
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} computing scenarios [{bar:30}] {pos}/{len} ({elapsed})",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        let finished = Arc::new(Mutex::new(false));
        if std::io::stderr().is_terminal() {
            let (b, f) = (bar.clone(), Arc::clone(&finished));
            std::thread::spawn(move || {
                std::thread::sleep(DELAY);
                if let Ok(done) = f.lock()
                    && !*done
                {
                    b.set_draw_target(ProgressDrawTarget::stderr());
                    b.enable_steady_tick(Duration::from_millis(200));
                }
            });
        }
        Progress { bar, finished }
    }

    /// One scenario is done.
    pub fn tick(&self) {
        self.bar.inc(1);
    }

    /// Removes the bar (if it was shown) before the command prints its result.
    pub fn finish(&self) {
        if let Ok(mut done) = self.finished.lock() {
            *done = true;
            self.bar.finish_and_clear();
        }
    }
}
