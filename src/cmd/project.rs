//! `scimeter project`: monthly and cumulative costs over the horizon, the cheapest provider
//! per band of customer counts, and crossovers.

use crate::config::{Config, Format, Task};
use crate::cost::analysis::{Keep, project_scenario_with};
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::report::projection_table::{TIDY_HEADERS, summary, tidy_rows, wide_column, wide_table};
use crate::report::table::CsvRows;

/// Runs the command.
pub fn run(config: &Config) -> Result<(ExitStatus, String), Error> {
    let Task::Project {
        scenario,
        providers,
        format,
    } = &config.task
    else {
        return Err(Error::Other("internal: wrong task for `project`".into()));
    };
    let catalog = super::load(config)?;
    let scenario = super::scenario(&catalog, scenario)?;
    let providers = super::providers(&catalog, providers.as_deref())?;
    // Line items are printed only in JSON, curves never (only the bands and crossovers
    // taken from them); the providers are priced on every core.
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let keep = Keep {
        lines: *format == Format::Json,
        curves: false,
        months: *format == Format::Json,
    };
    let names = super::Names::of(&providers);
    let name = |id: &str| names.get(id);
    let cur = scenario.currency();
    // The exact projection is written as each provider is priced, and its months dropped
    // before the Monte Carlo runs (10,000 providers' months are 470 MB).
    let months = usize::try_from(scenario.horizon()).unwrap_or(0);
    let mut headers = Vec::new();
    let mut columns = Vec::new();
    let mut csv = (*format == Format::Csv).then(|| CsvRows::new(TIDY_HEADERS));
    let sp = project_scenario_with(&providers, scenario, keep, cores, &mut |p| match format {
        Format::Json => {}
        Format::Csv => {
            if let Some(csv) = &mut csv {
                for row in tidy_rows(p, scenario) {
                    csv.push(row);
                }
            }
        }
        Format::Table | Format::Markdown => {
            headers.push(name(&p.provider));
            columns.push(wide_column(p, months, cur));
        }
    })?;
    let exact = match format {
        Format::Json => String::new(),
        Format::Csv => {
            String::from_utf8(csv.map(CsvRows::finish).unwrap_or_default()).unwrap_or_default()
        }
        Format::Markdown => {
            let mut s = format!("### Monthly cost for `{}` ({cur})\n\n", scenario.id());
            let table = wide_table(headers, columns, &sp.customers, scenario);
            s.push_str(&table.to_markdown());
            s.push('\n');
            s.push_str(&summary(&sp, scenario, &name));
            s
        }
        Format::Table => {
            let mut s = format!(
                "Monthly cost for scenario `{}` in {cur} over {} months\n",
                scenario.id(),
                scenario.horizon()
            );
            let table = wide_table(headers, columns, &sp.customers, scenario);
            s.push_str(&table.to_terminal(config.width));
            s.push('\n');
            s.push_str(&summary(&sp, scenario, &name));
            s
        }
    };
    // The estimated view of the horizon: totals and crossovers as distributions (no
    // milestones: `cost` shows those).
    let est = crate::estimate::simulation::simulate_on(
        &providers,
        scenario,
        &[],
        config.simulation,
        cores,
    )?;
    let estimated = |markdown: bool| {
        let mut s = format!(
            "\nEstimated horizon totals and crossovers ({} draws, seed {}):\n\n",
            est.settings.draws_text(),
            est.settings.seed
        );
        let t = crate::report::estimate_table::estimate_table(&est, cur);
        s.push_str(&if markdown {
            t.to_markdown()
        } else {
            t.to_terminal(config.width)
        });
        let lines = crate::report::estimate_table::crossover_lines(&est);
        if !lines.is_empty() {
            s.push('\n');
            for l in lines {
                s.push_str(&format!("- {l}\n"));
            }
        }
        s
    };
    let text = match format {
        Format::Json => {
            let doc = serde_json::json!({
                "schema_version": 2,
                "scenario": scenario.id(),
                "currency": cur,
                "projection": sp,
                "estimated": {
                    "draws": est.settings.draws,
                    "seed": est.settings.seed,
                    "horizon": est.providers.iter().map(|p| serde_json::json!({
                        "provider": p.provider,
                        "total": crate::report::estimate_table::estimated_json(&p.horizon),
                    })).collect::<Vec<_>>(),
                    "crossovers": est.crossovers,
                },
            });
            serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
        }
        Format::Csv => exact,
        Format::Markdown => exact + &estimated(true),
        Format::Table => exact + &estimated(false),
    };
    Ok((ExitStatus::Success, text))
}
