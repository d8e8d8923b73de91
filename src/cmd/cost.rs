//! `scimeter cost`: each provider's cost at chosen customer counts.

use crate::config::{Config, Format, Task};
use crate::cost::analysis::milestone_costs;
use crate::cost::schedule::group;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::report::cost_table::{display_table, join_and, line_table, notes, raw_table};
use crate::report::estimate_table::{estimate_table, estimated_json};

/// Runs the command.
pub fn run(config: &Config) -> Result<(ExitStatus, String), Error> {
    let Task::Cost {
        scenario,
        at,
        explain,
        providers,
        format,
    } = &config.task
    else {
        return Err(Error::Other("internal: wrong task for `cost`".into()));
    };
    let catalog = super::load(config)?;
    let scenario = super::scenario(&catalog, scenario)?;
    let providers = super::providers(&catalog, providers.as_deref())?;
    let counts = at.clone().unwrap_or_else(|| scenario.milestones());
    let rows = milestone_costs(&providers, scenario, &counts)?;
    let names = super::Names::of(&providers);
    let name = |id: &str| names.get(id);
    // Only the percentiles are printed, so each chunk of providers' draws is freed as soon
    // as they are taken: memory grows with the chunk, not with every provider × count.
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let per_draw = crate::estimate::simulation::held_per_draw(providers.len(), counts.len(), cores);
    let fits = crate::estimate::joint::max_draws_holding(per_draw);
    super::draws_fit(
        fits,
        providers.len(),
        scenario,
        config.simulation,
        "the cost estimate",
    )?;
    let est = crate::estimate::simulation::simulate_on(
        &providers,
        scenario,
        &counts,
        config.simulation,
        cores,
    )?;
    let cur = scenario.currency();
    // `cost` prices the counts, not the horizon: its horizon rows get no point-estimate word.
    let published = |id: &str, at: Option<u64>| {
        at.is_none_or(|n| {
            rows.iter().any(|m| {
                m.provider == id
                    && m.customers == n
                    && matches!(m.quote.recurring, crate::cost::CostValue::Known { .. })
            })
        })
    };
    let text = match format {
        Format::Json => {
            let rows: Vec<serde_json::Value> = rows
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    // Rows are count-major: provider i % providers, count i / providers.
                    let e = est
                        .providers
                        .get(i % providers.len().max(1))
                        .and_then(|p| p.milestones.get(i / providers.len().max(1)));
                    serde_json::json!({
                        "provider": r.provider,
                        "customers": r.customers,
                        "published": r,
                        "estimated": e.map(estimated_json),
                    })
                })
                .collect();
            let doc = serde_json::json!({
                "schema_version": 2,
                "scenario": scenario.id(),
                "currency": cur,
                "billing": scenario.billing.cycle,
                "draws": est.settings.draws,
                "seed": est.settings.seed,
                "rows": rows,
            });
            serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
        }
        Format::Csv if *explain => line_table(&rows, scenario.id()).to_csv(),
        Format::Csv => raw_table(&rows, scenario.id(), Some(&est)).to_csv(),
        Format::Markdown => {
            let mut s = format!(
                "### Costs for `{}` ({cur}, steady state)\n\n",
                scenario.id()
            );
            s.push_str(&display_table(&rows, cur, &name).to_markdown());
            s.push_str(&notes(&rows, cur, *explain, true, &name));
            s.push_str(&format!(
                "\n### Estimated ({} draws, seed {})\n\n",
                est.settings.draws_text(),
                est.settings.seed
            ));
            s.push_str(&estimate_table(&est, cur, &published).to_markdown());
            s
        }
        Format::Table => {
            let mut s = format!(
                "Costs for scenario `{}` in {cur} at {} customers (steady state: month-1 prices, {} billing)\n",
                scenario.id(),
                join_and(&counts.iter().map(|&c| group(c)).collect::<Vec<_>>()),
                match scenario.billing.cycle {
                    crate::model::scenario::Cycle::Monthly => "monthly",
                    crate::model::scenario::Cycle::Annual => "annual",
                }
            );
            s.push_str(&display_table(&rows, cur, &name).to_terminal(config.width));
            s.push_str(&notes(&rows, cur, *explain, false, &name));
            s.push_str(&format!(
                "\nEstimated: P10 / P50 / P90 of the monthly cost over {} Monte Carlo draws (seed {}); unpublished prices drawn from their ranges\n",
                est.settings.draws_text(), est.settings.seed
            ));
            s.push_str(&estimate_table(&est, cur, &published).to_terminal(config.width));
            s
        }
    };
    Ok((ExitStatus::Success, text))
}
