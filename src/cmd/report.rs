//! `scimeter report`: regenerate `reports/` (or check that it is up to date).

use crate::config::{Config, Task};
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::load::Catalog;
use crate::report::charts::render_all;
use crate::report::scenario_report::ScenarioReport;
use crate::report::writer::{self, FileSet, WriteError};
use crate::report::{csv_export, json_export, markdown};

/// One scenario's computed report and its files (relative path, bytes).
type ScenarioFiles<'c> = (ScenarioReport<'c>, Vec<(String, Vec<u8>)>);

/// Computes every report file in memory with the default staleness threshold.
pub fn build(catalog: &Catalog) -> Result<FileSet, Error> {
    build_with(catalog, markdown::STALE_DAYS)
}

/// Computes every report file in memory. Nothing touches the disk here.
pub fn build_with(catalog: &Catalog, max_age_days: i64) -> Result<FileSet, Error> {
    // Scenarios are independent: compute them on all cores. Results are collected in scenario
    // order, so the output does not depend on scheduling.
    let results: Vec<Result<ScenarioFiles<'_>, Error>> = std::thread::scope(|scope| {
        let handles: Vec<_> = catalog.scenarios.iter().map(|s| scope.spawn(move || scenario_files(catalog, s))).collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|_| Err(Error::Other("internal: a report worker failed".into())))).collect()
    });
    let mut set = FileSet::default();
    let mut reports = Vec::with_capacity(results.len());
    for r in results {
        let (report, files) = r?;
        for (rel, bytes) in files {
            set.add(rel, bytes).map_err(|e| Error::Other(e.to_string()))?;
        }
        reports.push(report);
    }
    set.add("README.md", markdown::index(catalog, &reports, max_age_days)).map_err(|e| Error::Other(e.to_string()))?;
    set.seal();
    Ok(set)
}

/// Every file of one scenario's report.
fn scenario_files<'c>(catalog: &'c Catalog, s: &'c crate::model::Scenario) -> Result<ScenarioFiles<'c>, Error> {
    let r = ScenarioReport::build(catalog, s).map_err(|e| match e {
        crate::score::ranking::RankError::Weights(m) => Error::usage(m, None),
        crate::score::ranking::RankError::Overflow(o) => Error::Overflow(o),
    })?;
    let dir = s.id();
    let charts = render_all(&r).map_err(|e| Error::Other(format!("cannot draw the charts of `{dir}`: {e}")))?;
    let mut files = vec![
        (format!("{dir}/summary.md"), markdown::summary(&r, &charts)),
        (format!("{dir}/ranking.csv"), csv_export::ranking(&r)),
        (format!("{dir}/milestones.csv"), csv_export::milestones(&r)),
        (format!("{dir}/costs.csv"), csv_export::costs(&r)),
        (format!("{dir}/report.json"), json_export::report(&r)),
    ];
    for c in charts {
        files.push((format!("{dir}/{}.svg", c.stem), c.svg));
        files.push((format!("{dir}/{}.png", c.stem), c.png));
    }
    Ok((r, files))
}

/// Runs the command.
pub fn run(config: &Config) -> Result<(ExitStatus, String), Error> {
    let Task::Report { out, check, max_age_days } = &config.task else {
        return Err(Error::Other("internal: wrong task for `report`".into()));
    };
    let catalog = super::load(config)?;
    let set = build_with(&catalog, *max_age_days)?;
    let shown = out.display();
    if *check {
        let st = writer::check(out, &set);
        if st.is_clean() {
            return Ok((ExitStatus::Success, format!("`{shown}` is up to date ({} files)\n", set.0.len())));
        }
        let mut s = format!("`{shown}` is stale: run `scimeter report` and commit the result\n");
        for (label, list) in [("differs", &st.differing), ("missing", &st.missing), ("no longer generated", &st.extra)] {
            for f in list {
                s.push_str(&format!("  {label}: {f}\n"));
            }
        }
        return Ok((ExitStatus::Failure, s));
    }
    let changed = writer::write(out, &set).map_err(|e| match e {
        WriteError::Io { path, source } => Error::Write { path, source },
        other => Error::Other(other.to_string()),
    })?;
    Ok((ExitStatus::Success, format!("wrote {} files to `{shown}` ({changed} changed)\n", set.0.len())))
}
