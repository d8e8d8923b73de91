//! `scimeter report`: regenerate `reports/` (or check that it is up to date).

use crate::config::{Config, Task};
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::report::writer::{self, WriteError};

pub use crate::report::build::{build, build_with};

/// Runs the command.
pub fn run(config: &Config) -> Result<(ExitStatus, String), Error> {
    let Task::Report {
        out,
        check,
        force,
        max_age_days,
    } = &config.task
    else {
        return Err(Error::Other("internal: wrong task for `report`".into()));
    };
    let catalog = super::load(config)?;
    let progress = super::progress::Progress::start(catalog.scenarios.len());
    let set = crate::report::build::build_with_progress(
        &catalog,
        *max_age_days,
        config.simulation,
        &|| progress.tick(),
    );
    progress.finish();
    let set = set?;
    let shown = out.display();
    if *check {
        let st = writer::check(out, &set);
        if st.is_clean() {
            return Ok((
                ExitStatus::Success,
                format!("`{shown}` is up to date ({} files)\n", set.0.len()),
            ));
        }
        let mut s = format!("`{shown}` is stale: run `scimeter report` and commit the result\n");
        for (label, list) in [
            ("differs", &st.differing),
            ("missing", &st.missing),
            ("no longer generated", &st.extra),
        ] {
            for f in list {
                s.push_str(&format!("  {label}: {f}\n"));
            }
        }
        if st.interrupted {
            s.push_str("  interrupted: a previous `scimeter report` was killed while moving files; the next run completes it\n");
        }
        return Ok((ExitStatus::Failure, s));
    }
    let changed = writer::write(out, &set, *force).map_err(|e| match e {
        WriteError::Io { path, source } => Error::Write { path, source },
        other => Error::Other(other.to_string()),
    })?;
    let total = set.0.len();
    Ok((
        ExitStatus::Success,
        if changed == 0 {
            format!("`{shown}` was already up to date ({total} files); nothing was written\n")
        } else {
            format!("wrote {total} files to `{shown}` ({changed} added, changed or removed)\n")
        },
    ))
}
