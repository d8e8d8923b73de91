//! Computing every report file of a catalog in memory (no disk access): each scenario's
//! summary, CSVs, JSON and charts, and the index.

use super::charts::render_all;
use super::scenario_report::ScenarioReport;
use super::writer::{FileSet, Sink};
use super::{csv_export, html_export, json_export, markdown, workbook};
use crate::cost::analysis::projection_work;
use crate::error::Error;
use crate::estimate::simulation::Settings;
use crate::load::Catalog;
use std::path::Path;
use std::sync::{Mutex, PoisonError};

/// One scenario's computed report (slimmed) and its part of the page, once its files are
/// with the sink.
type ScenarioDone<'c> = (ScenarioReport<'c>, html_export::ScenarioPage);

/// Gives one rendered file (path relative to the output, bytes) to the sink.
type Put<'a> = dyn Fn(&str, &[u8]) -> Result<(), Error> + 'a;

/// Computes every report file in memory with the default staleness threshold.
pub fn build(catalog: &Catalog) -> Result<FileSet, Error> {
    build_with(catalog, markdown::STALE_DAYS, Settings::default())
}

/// Computes every report file in memory. Nothing touches the disk here.
pub fn build_with(
    catalog: &Catalog,
    max_age_days: i64,
    settings: Settings,
) -> Result<FileSet, Error> {
    let set = Mutex::new(FileSet::default());
    build_into(catalog, max_age_days, settings, &|| {}, &set)?;
    let mut set = set.into_inner().unwrap_or_else(PoisonError::into_inner);
    set.seal();
    Ok(set)
}

/// Computes every report file and gives each to `sink` as soon as it is rendered (from any
/// thread, scenarios in any order), so `report` holds one file at a time per core instead of
/// the whole report. Calls `on_scenario` each time a scenario is done, so a front end can
/// show progress. The manifest is the sink's to add. The exporters stay pure: only the sink
/// touches the disk.
pub fn build_into<S: Sink + ?Sized>(
    catalog: &Catalog,
    max_age_days: i64,
    settings: Settings,
    on_scenario: &(dyn Fn() + Sync),
    sink: &Mutex<S>,
) -> Result<(), Error> {
    let put = |rel: &str, bytes: &[u8]| {
        sink.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .put(Path::new(rel), bytes)
            .map_err(Error::from)
    };
    // Scenarios are independent: compute them on the cores, never more threads than cores
    // (one thread per scenario held ten scenarios' working memory at once). The largest start
    // first, so the last to finish is a small one and no core waits long for it (a
    // 1,000-provider catalog's largest scenario took longer than two others together).
    // Results are put back in scenario order, so the index does not depend on scheduling.
    let mut queue: Vec<(usize, &crate::model::Scenario)> =
        catalog.scenarios.iter().enumerate().collect();
    queue.sort_by_key(|&(i, s)| (std::cmp::Reverse(projection_work(s)), i));
    let mut results: Vec<(usize, Result<ScenarioDone<'_>, Error>)> =
        crate::parallel::map(queue, |(i, s)| {
            let done = scenario_files(catalog, s, settings, &put);
            if done.is_ok() {
                on_scenario();
            }
            (i, done)
        });
    results.sort_by_key(|(i, _)| *i);
    let mut reports = Vec::with_capacity(results.len());
    let mut pages = Vec::with_capacity(results.len());
    for (_, r) in results {
        let (report, page) = r?;
        reports.push(report);
        pages.push(page);
    }
    put(
        "README.md",
        &markdown::index(catalog, &reports, max_age_days),
    )?;
    let html = html_export::index_with(&reports, &pages)
        .map_err(|e| Error::Other(format!("cannot render `index.html`: {e}")))?;
    put("index.html", &html)?;
    let xlsx = workbook::workbook(catalog, &reports)
        .map_err(|e| Error::Other(format!("cannot write `workbook.xlsx`: {e}")))?;
    put("workbook.xlsx", &xlsx)
}

/// Every file of one scenario's report, each given to `put` (relative path, bytes) as soon as
/// it is rendered, so a large scenario never holds all of its files at once (`report.json`
/// alone is 100 MB at 1,000 providers). Returns the slimmed report and its part of the page.
fn scenario_files<'c>(
    catalog: &'c Catalog,
    s: &'c crate::model::Scenario,
    settings: Settings,
    put: &Put<'_>,
) -> Result<ScenarioDone<'c>, Error> {
    let mut r = ScenarioReport::build(catalog, s, settings).map_err(|e| match e {
        crate::score::ranking::RankError::Weights(m) => Error::usage(m, None),
        crate::score::ranking::RankError::Overflow(o) => Error::Overflow(o),
    })?;
    let dir = s.id();
    let charts = render_all(&r)
        .map_err(|e| Error::Other(format!("cannot draw the charts of `{dir}`: {e}")))?;
    put(
        &format!("{dir}/report.json"),
        &json_export::report(&r)
            .map_err(|e| Error::Other(format!("cannot write `{dir}/report.json`: {e}")))?,
    )?;
    put(&format!("{dir}/costs.csv"), &csv_export::costs(&r))?;
    put(
        &format!("{dir}/milestones.csv"),
        &csv_export::milestones(&r),
    )?;
    put(&format!("{dir}/ranking.csv"), &csv_export::ranking(&r))?;
    put(
        &format!("{dir}/summary.md"),
        &markdown::summary(&r, &charts),
    )?;
    for c in charts {
        put(&format!("{dir}/{}.svg", c.stem), &c.svg)?;
        put(&format!("{dir}/{}.png", c.stem), &c.png)?;
    }
    // Every scenario's report waits here for the index: keep only what it reads.
    let page = html_export::page(&r);
    r.slim();
    Ok((r, page))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// `report` slims each scenario's report once its own files are rendered; the index,
    /// the page and the workbook read what is left. They must come out byte for byte as
    /// from full reports, on the shipped catalog (whose curves and line items are all used).
    #[test]
    fn slimmed_reports_give_the_same_index_page_and_workbook() {
        let catalog = crate::load::shipped();
        let set = build(&catalog).unwrap();
        let full: Vec<ScenarioReport<'_>> = catalog
            .scenarios
            .iter()
            .map(|s| ScenarioReport::build(&catalog, s, Settings::default()).unwrap())
            .collect();
        assert!(!full[0].projection.curves.is_empty());
        let file = |name: &str| &set.0[Path::new(name)];
        assert!(*file("README.md") == markdown::index(&catalog, &full, markdown::STALE_DAYS));
        assert!(*file("index.html") == html_export::index(&full).unwrap());
        assert!(*file("workbook.xlsx") == workbook::workbook(&catalog, &full).unwrap());
    }
}
