//! `scimeter rank`: the ranked table for a scenario.

use crate::config::{Config, Format, Task};
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::report::escape::md_text;
use crate::report::ranking_table::{csv_table, exclusions, table};

/// Runs the command.
pub fn run(config: &Config) -> Result<(ExitStatus, String), Error> {
    let Task::Rank {
        scenario,
        weights,
        format,
    } = &config.task
    else {
        return Err(Error::Other("internal: wrong task for `rank`".into()));
    };
    let catalog = super::load(config)?;
    let scenario = super::scenario(&catalog, scenario)?;
    let ranking = super::ranking(&catalog, scenario, *weights)?;
    super::check_draws(ranking.ranked.len(), scenario, config.simulation)?;
    let providers: Vec<&crate::model::Provider> = catalog.providers.iter().collect();
    let joint = crate::estimate::joint::joint(&providers, scenario, &ranking, config.simulation)?;
    let sure = crate::report::question_table::certainty(&ranking, &joint);
    let header = format!(
        "Ranking for scenario `{}` ({})\nweights: {}\n{}{}; unknown facts are scored pessimistically (best case shown where it differs)\n",
        scenario.id(),
        scenario.name,
        super::weights_line(&ranking.weights),
        super::override_note(*weights),
        super::verified_line(&catalog)
    );
    let text = match format {
        Format::Json => {
            let mut doc = serde_json::json!({
                "schema_version": 1,
                "ranking": ranking,
                "robustness": {
                    "draws": joint.settings.draws,
                    "seed": joint.settings.seed,
                    "headline": sure,
                },
            });
            if let Some(rows) = doc["ranking"]["ranked"].as_array_mut() {
                for (i, row) in rows.iter_mut().enumerate() {
                    row["p_first_weights"] = serde_json::json!(joint.p_first_weights.get(i));
                    row["p_first_joint"] = serde_json::json!(joint.p_first_joint.get(i));
                    row["acceptability_joint"] =
                        serde_json::json!(joint.acceptability_joint.get(i));
                }
            }
            serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
        }
        Format::Csv => csv_table(&ranking).to_csv(),
        Format::Markdown => format!(
            "{}\n{}\n{}\n{}",
            header
                .replacen(&scenario.name, &md_text(&scenario.name), 1)
                .replace('\n', "  \n"),
            table(&ranking).to_markdown(),
            md_text(&sure),
            exclusions(&ranking, true)
        ),
        Format::Table => format!(
            "{header}{}{sure}\n{}",
            table(&ranking).to_terminal(config.width),
            exclusions(&ranking, false)
        ),
    };
    Ok((ExitStatus::Success, text))
}
