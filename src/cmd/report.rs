//! `scimeter report`: regenerate `reports/` (or check that it is up to date).

use crate::config::{Config, Task};
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::report::writer::{Checker, Sink, Transaction};
use std::sync::{Mutex, PoisonError};

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
    // Before any scenario runs, so a refused `--draws` writes and computes nothing.
    for s in &catalog.scenarios {
        super::check_draws(catalog.providers.len(), s, config.simulation)?;
    }
    let shown = out.display();
    let progress = super::progress::Progress::start(catalog.scenarios.len());
    let build = |sink: &Mutex<dyn Sink>| {
        let built = crate::report::build::build_into(
            &catalog,
            *max_age_days,
            config.simulation,
            &|| progress.tick(),
            sink,
        );
        progress.finish();
        built
    };
    if *check {
        let checker = Mutex::new(Checker::new(out));
        build(&checker)?;
        let checker = checker.into_inner().unwrap_or_else(PoisonError::into_inner);
        let total = checker.file_count();
        let st = checker.finish();
        if st.is_clean() {
            return Ok((
                ExitStatus::Success,
                format!("`{shown}` is up to date ({total} files)\n"),
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
        if st.staging_blocked {
            s.push_str("  blocked: `.scimeter-staging` is not a directory; `scimeter report` refuses to run until it is moved away\n");
        }
        return Ok((ExitStatus::Failure, s));
    }
    // The transaction holds the output's lock for the whole run and stages each file as
    // soon as it is computed; an error drops it, which removes the staging.
    let transaction = Mutex::new(Transaction::begin(out, *force)?);
    build(&transaction)?;
    let transaction = transaction
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    let total = transaction.file_count();
    let changed = transaction.commit()?;
    Ok((
        ExitStatus::Success,
        if changed == 0 {
            format!("`{shown}` was already up to date ({total} files); nothing was written\n")
        } else {
            format!("wrote {total} files to `{shown}` ({changed} added, changed or removed)\n")
        },
    ))
}
