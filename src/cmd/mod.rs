//! One file per subcommand. Each takes the resolved [`crate::config::Config`] and returns the
//! exit status and the text for stdout.

pub mod check;
pub mod cost;
pub mod project;
pub mod schema;

use crate::config::Config;
use crate::error::Error;
use crate::load::{Catalog, LoadOptions, load_catalog, suggest};
use crate::model::{Date, Provider, Scenario};

/// Loads the catalog for a command that computes (staleness warnings are `check`'s job).
pub fn load(config: &Config) -> Result<Catalog, Error> {
    let loaded = load_catalog(&config.catalog, LoadOptions { as_of: Date::today_utc(), max_age_days: i64::MAX });
    match loaded.catalog {
        Some(c) => Ok(c),
        None => Err(Error::Catalog { diagnostics: loaded.diagnostics, files: loaded.files }),
    }
}

/// Finds a scenario by id, suggesting the closest one on a typo.
pub fn scenario<'c>(catalog: &'c Catalog, id: &str) -> Result<&'c Scenario, Error> {
    catalog.scenario(id).ok_or_else(|| {
        Error::usage(
            format!("unknown scenario `{id}`"),
            Some(suggest::help_for(id, catalog.scenarios.iter().map(Scenario::id))),
        )
    })
}

/// The providers to work on: all, or the named ones (each must exist).
pub fn providers<'c>(catalog: &'c Catalog, only: Option<&[String]>) -> Result<Vec<&'c Provider>, Error> {
    match only {
        None => Ok(catalog.providers.iter().collect()),
        Some(ids) => ids
            .iter()
            .map(|id| {
                catalog.provider(id).ok_or_else(|| {
                    Error::usage(format!("unknown provider `{id}`"), Some(suggest::help_for(id, catalog.providers.iter().map(Provider::id))))
                })
            })
            .collect(),
    }
}
