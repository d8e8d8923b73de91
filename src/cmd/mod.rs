//! One file per subcommand. Each takes the resolved [`crate::config::Config`] and returns the
//! exit status and the text for stdout.

pub mod check;
pub mod cost;
pub mod diff;
pub mod explain;
pub mod list;
pub mod man;
mod progress;
pub mod project;
pub mod questions;
pub mod rank;
pub mod report;
pub mod scaffold;
pub mod schema;
pub mod sensitivity;
pub mod sources;

use crate::config::Config;
use crate::error::Error;
use crate::load::{Catalog, LoadOptions, suggest};
use crate::model::{Date, Provider, Scenario};

/// Loads the catalog for a command that computes (staleness warnings are `check`'s job).
pub fn load(config: &Config) -> Result<Catalog, Error> {
    let loaded = crate::load::catalog::load_catalog_with(
        &config.catalog,
        LoadOptions {
            as_of: Date::today_utc(),
            max_age_days: i64::MAX,
        },
        &config.quotes,
    );
    match loaded.catalog {
        Some(c) => Ok(c),
        None => Err(Error::Catalog {
            diagnostics: loaded.diagnostics,
            files: loaded.files,
        }),
    }
}

/// Finds a scenario by id, suggesting the closest one on a typo.
pub fn scenario<'c>(catalog: &'c Catalog, id: &str) -> Result<&'c Scenario, Error> {
    catalog.scenario(id).ok_or_else(|| {
        Error::usage(
            format!("unknown scenario `{id}`"),
            Some(suggest::help_for(
                id,
                catalog.scenarios.iter().map(Scenario::id),
            )),
        )
    })
}

/// The providers to work on: all, or the named ones (each must exist).
pub fn providers<'c>(
    catalog: &'c Catalog,
    only: Option<&[String]>,
) -> Result<Vec<&'c Provider>, Error> {
    match only {
        None => Ok(catalog.providers.iter().collect()),
        Some(ids) => ids.iter().map(|id| provider(catalog, id)).collect(),
    }
}

/// Finds a provider by id, suggesting the closest one on a typo.
pub fn provider<'c>(catalog: &'c Catalog, id: &str) -> Result<&'c Provider, Error> {
    catalog.provider(id).ok_or_else(|| {
        Error::usage(
            format!("unknown provider `{id}`"),
            Some(suggest::help_for(
                id,
                catalog.providers.iter().map(Provider::id),
            )),
        )
    })
}

/// Refuses `--draws` when the joint model's cost draws for `providers` providers would not
/// fit in [`MAX_HELD_DRAWS`](crate::estimate::joint::MAX_HELD_DRAWS) (2 GiB): a clear
/// usage error instead of a process the system kills for memory.
pub fn check_draws(
    providers: usize,
    scenario: &Scenario,
    settings: crate::estimate::simulation::Settings,
) -> Result<(), Error> {
    let fits = crate::estimate::joint::max_draws_for(providers, scenario);
    draws_fit(fits, providers, scenario, settings, "the joint model")
}

/// Refuses `--draws` above `fits`, naming `what` would hold too many cost draws.
pub fn draws_fit(
    fits: usize,
    providers: usize,
    scenario: &Scenario,
    settings: crate::estimate::simulation::Settings,
    what: &str,
) -> Result<(), Error> {
    if settings.draws <= fits {
        return Ok(());
    }
    Err(Error::usage(
        format!(
            "`--draws {}` is too many for {} providers in scenario `{}`: {what} would hold more than {} cost draws (2 GiB)",
            settings.draws,
            crate::cost::schedule::group(providers as u64),
            scenario.id(),
            crate::cost::schedule::group(crate::estimate::joint::MAX_HELD_DRAWS as u64)
        ),
        Some(format!(
            "use `--draws {fits}` or fewer for this catalog (the default is 10,000)"
        )),
    ))
}

/// Ranks with the scenario's weights or an override.
pub fn ranking(
    catalog: &Catalog,
    scenario: &Scenario,
    weights: Option<crate::config::WeightOverrides>,
) -> Result<crate::score::Ranking, Error> {
    let providers: Vec<&Provider> = catalog.providers.iter().collect();
    crate::score::rank(&providers, scenario, raw_weights(scenario, weights)).map_err(|e| match e {
        crate::score::ranking::RankError::Weights(m) => Error::usage(m, None),
        crate::score::ranking::RankError::Overflow(o) => Error::Overflow(o),
    })
}

/// The scenario's raw weights with `--weights` applied: a named axis takes the given weight,
/// the others keep the scenario's.
pub fn raw_weights(
    scenario: &Scenario,
    overrides: Option<crate::config::WeightOverrides>,
) -> [f64; 5] {
    let mut w = scenario.weights.raw();
    for (slot, o) in w.iter_mut().zip(overrides.unwrap_or_default()) {
        if let Some(v) = o {
            *slot = v;
        }
    }
    w
}

/// The line saying `--weights` changed the scenario's weights (empty without overrides), e.g.
/// "(`--weights` set ease = 2; the other axes keep the scenario's weights)".
pub fn override_note(overrides: Option<crate::config::WeightOverrides>) -> String {
    let Some(o) = overrides else {
        return String::new();
    };
    let set: Vec<String> = crate::score::Axis::ALL
        .iter()
        .zip(o)
        .filter_map(|(a, v)| v.map(|v| format!("{} = {v}", a.key())))
        .collect();
    format!(
        "(`--weights` set {}; the other axes keep the scenario's weights)\n",
        set.join(", ")
    )
}

/// "ease 20 %, features 20 %, …".
pub fn weights_line(weights: &[f64; 5]) -> String {
    crate::score::Axis::ALL
        .iter()
        .zip(weights)
        .map(|(a, w)| format!("{} {:.1} %", a.key(), w * 100.0))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "verified 2026-06-03 to 2026-09-20".
pub fn verified_line(catalog: &Catalog) -> String {
    match catalog.verified_range() {
        Some((a, b)) if a == b => format!("data verified {a}"),
        Some((a, b)) => format!("data verified between {a} and {b}"),
        None => "no data".into(),
    }
}

/// Providers' display names by id, looked up in constant time (`project` names 10,000
/// providers in its table; a scan per name was quadratic).
pub struct Names<'a>(std::collections::HashMap<&'a str, &'a str>);

impl<'a> Names<'a> {
    /// The names of `providers`.
    pub fn of(providers: &[&'a crate::model::Provider]) -> Names<'a> {
        Names(
            providers
                .iter()
                .map(|p| (p.id(), p.name.as_str()))
                .collect(),
        )
    }

    /// A provider's display name, or its id when it is not among the providers.
    pub fn get(&self, id: &str) -> String {
        self.0
            .get(id)
            .map_or_else(|| id.to_owned(), |n| (*n).to_owned())
    }
}
