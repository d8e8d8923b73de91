//! `scimeter questions`: the unknowns ranked by how much learning them would change the
//! decision, as questions to put to each vendor (and to your own team).

use crate::config::{Config, Format, Task};
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::model::Provider;
use crate::report::question_table::{markdown, table};

/// Runs the command.
pub fn run(config: &Config) -> Result<(ExitStatus, String), Error> {
    let Task::Questions { scenario, format } = &config.task else {
        return Err(Error::Other("internal: wrong task for `questions`".into()));
    };
    let catalog = super::load(config)?;
    let scenario = super::scenario(&catalog, scenario)?;
    let ranking = super::ranking(&catalog, scenario, None)?;
    super::check_draws(ranking.ranked.len(), scenario, config.simulation)?;
    let providers: Vec<&Provider> = catalog.providers.iter().collect();
    let joint = crate::estimate::joint::joint(&providers, scenario, &ranking, config.simulation)?;
    let winner = ranking
        .ranked
        .first()
        .map_or_else(|| "none".to_owned(), |r| r.card.name.clone());
    let text = match format {
        Format::Json => serde_json::to_string_pretty(&joint.questions).unwrap_or_default() + "\n",
        Format::Csv => table(&joint.questions).to_csv(),
        Format::Markdown => markdown(&joint, &crate::report::escape::md_text(&winner), 20),
        Format::Table => format!(
            "Questions for scenario `{}`, ranked by the expected change in {winner}'s P(rank 1) from knowing the answer\n{} draws, seed {}\n{}",
            scenario.id(),
            joint.settings.draws_text(),
            joint.settings.seed,
            table(&joint.questions).to_terminal(config.width)
        ),
    };
    Ok((ExitStatus::Success, text))
}
