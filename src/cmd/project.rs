//! `scimeter project`: monthly and cumulative costs over the horizon, the cheapest provider
//! per band of customer counts, and crossovers.

use crate::config::{Config, Format, Task};
use crate::cost::analysis::project_scenario_with;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::report::projection_table::{summary, tidy_table, wide_table};

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
    // Line items are printed only in JSON; the providers are priced on every core.
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let sp = project_scenario_with(&providers, scenario, *format == Format::Json, cores)?;
    let name = |id: &str| super::provider_name(&providers, id);
    // The estimated view of the horizon: totals and crossovers as distributions (no
    // milestones: `cost` shows those).
    let est = crate::estimate::simulation::simulate_on(
        &providers,
        scenario,
        &[],
        config.simulation,
        cores,
    )?;
    let cur = scenario.currency();
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
        Format::Csv => tidy_table(&sp, scenario).to_csv(),
        Format::Markdown => {
            let mut s = format!("### Monthly cost for `{}` ({cur})\n\n", scenario.id());
            s.push_str(&wide_table(&sp, scenario, &name).to_markdown());
            s.push('\n');
            s.push_str(&summary(&sp, scenario, &name));
            s.push_str(&estimated(true));
            s
        }
        Format::Table => {
            let mut s = format!(
                "Monthly cost for scenario `{}` in {cur} over {} months\n",
                scenario.id(),
                scenario.horizon()
            );
            s.push_str(&wide_table(&sp, scenario, &name).to_terminal(config.width));
            s.push('\n');
            s.push_str(&summary(&sp, scenario, &name));
            s.push_str(&estimated(false));
            s
        }
    };
    Ok((ExitStatus::Success, text))
}
