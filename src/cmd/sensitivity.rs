//! `scimeter sensitivity`: how far each weight can move before the ranking (or the winner)
//! changes, the most critical axis, the smallest weight shift that changes the winner, and
//! SMAA rank acceptability from seeded Dirichlet(1,…,1) weights.

use crate::config::{Config, Format, Task};
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::report::sensitivity_table::{render, smaa_csv};
use crate::score::robustness::analyse;

/// Runs the command.
pub fn run(config: &Config) -> Result<(ExitStatus, String), Error> {
    let Task::Sensitivity {
        scenario,
        draws,
        seed,
        weights,
        format,
    } = &config.task
    else {
        return Err(Error::Other(
            "internal: wrong task for `sensitivity`".into(),
        ));
    };
    let catalog = super::load(config)?;
    let scenario = super::scenario(&catalog, scenario)?;
    let ranking = super::ranking(&catalog, scenario, *weights)?;
    super::check_draws(ranking.ranked.len(), scenario, config.simulation)?;
    let a = analyse(&ranking, *draws, *seed);
    // The joint model (weights, unknown facts and costs together) next to the weights-only
    // figures; it reuses the SMAA above.
    let providers: Vec<&crate::model::Provider> = catalog.providers.iter().collect();
    let joint = crate::estimate::joint::joint_with(
        &providers,
        scenario,
        &ranking,
        config.simulation,
        Some(a.smaa.first_rank.clone()),
    )?;
    let text = match format {
        Format::Json => {
            serde_json::to_string_pretty(&serde_json::json!({
                "schema_version": 2,
                "sensitivity": a,
                "joint": {
                    "providers": joint.providers,
                    "p_first_joint": joint.p_first_joint,
                    "acceptability_joint": joint.acceptability_joint,
                    "headline": crate::report::question_table::certainty(&ranking, &joint),
                },
            }))
            .unwrap_or_default()
                + "\n"
        }
        Format::Csv => smaa_csv(&a, &ranking).to_csv(),
        Format::Markdown => {
            super::override_note(*weights)
                + &render(&a, &ranking, Some(&joint.p_first_joint), true, None)
        }
        Format::Table => {
            super::override_note(*weights)
                + &render(
                    &a,
                    &ranking,
                    Some(&joint.p_first_joint),
                    false,
                    config.width,
                )
        }
    };
    Ok((ExitStatus::Success, text))
}
