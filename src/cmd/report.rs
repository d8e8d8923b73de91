//! `scimeter report`: regenerate `reports/` (or check that it is up to date).

use crate::config::{Config, Task};
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::load::Catalog;
use crate::report::charts::render_all;
use crate::report::scenario_report::ScenarioReport;
use crate::report::writer::{self, FileSet, WriteError};
use crate::report::{csv_export, json_export, markdown};

/// Computes every report file in memory. Nothing touches the disk here.
pub fn build(catalog: &Catalog) -> Result<FileSet, Error> {
    let mut reports = Vec::with_capacity(catalog.scenarios.len());
    for s in &catalog.scenarios {
        reports.push(ScenarioReport::build(catalog, s).map_err(|e| match e {
            crate::score::ranking::RankError::Weights(m) => Error::usage(m, None),
            crate::score::ranking::RankError::Overflow(o) => Error::Overflow(o),
        })?);
    }
    let mut set = FileSet::default();
    let add = |set: &mut FileSet, rel: String, bytes: Vec<u8>| set.add(rel, bytes).map_err(|e| Error::Other(e.to_string()));
    for r in &reports {
        let dir = r.scenario.id();
        let charts = render_all(r).map_err(|e| Error::Other(format!("cannot draw the charts of `{dir}`: {e}")))?;
        add(&mut set, format!("{dir}/summary.md"), markdown::summary(r, &charts))?;
        add(&mut set, format!("{dir}/ranking.csv"), csv_export::ranking(r))?;
        add(&mut set, format!("{dir}/milestones.csv"), csv_export::milestones(r))?;
        add(&mut set, format!("{dir}/costs.csv"), csv_export::costs(r))?;
        add(&mut set, format!("{dir}/report.json"), json_export::report(r))?;
        for c in charts {
            add(&mut set, format!("{dir}/{}.svg", c.stem), c.svg)?;
            add(&mut set, format!("{dir}/{}.png", c.stem), c.png)?;
        }
    }
    add(&mut set, "README.md".into(), markdown::index(catalog, &reports))?;
    set.seal();
    Ok(set)
}

/// Runs the command.
pub fn run(config: &Config) -> Result<(ExitStatus, String), Error> {
    let Task::Report { out, check } = &config.task else {
        return Err(Error::Other("internal: wrong task for `report`".into()));
    };
    let catalog = super::load(config)?;
    let set = build(&catalog)?;
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
