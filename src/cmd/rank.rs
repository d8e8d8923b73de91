//! `scimeter rank`: the ranked table for a scenario.

use crate::config::{Config, Format, Task};
use crate::error::Error;
use crate::exit::ExitStatus;
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
    let header = format!(
        "Ranking for scenario `{}` ({})\nweights: {}\n{}; unknown facts are scored pessimistically (best case shown where it differs)\n",
        scenario.id(),
        scenario.name,
        super::weights_line(&ranking.weights),
        super::verified_line(&catalog)
    );
    let text = match format {
        Format::Json => {
            serde_json::to_string_pretty(
                &serde_json::json!({ "schema_version": 1, "ranking": ranking }),
            )
            .unwrap_or_default()
                + "\n"
        }
        Format::Csv => csv_table(&ranking).to_csv(),
        Format::Markdown => format!(
            "{}\n{}{}",
            header.replace('\n', "  \n"),
            table(&ranking).to_markdown(),
            exclusions(&ranking)
        ),
        Format::Table => format!(
            "{header}{}{}",
            table(&ranking).to_terminal(),
            exclusions(&ranking)
        ),
    };
    Ok((ExitStatus::Success, text))
}
