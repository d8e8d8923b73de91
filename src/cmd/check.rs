//! `scimeter check`: validate the catalog.

use crate::config::Config;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::load::{LoadOptions, load_catalog};
use crate::model::Date;

/// Validates and reports: a one-line summary when clean, every diagnostic otherwise.
pub fn run(
    config: &Config,
    as_of: Date,
    max_age_days: i64,
    json: bool,
) -> Result<(ExitStatus, String), Error> {
    let loaded = load_catalog(
        &config.catalog,
        LoadOptions {
            as_of,
            max_age_days,
        },
    );
    if json {
        let doc = serde_json::json!({
            "valid": loaded.catalog.is_some(),
            "errors": loaded.diagnostics.errors(),
            "warnings": loaded.diagnostics.warnings(),
            "diagnostics": loaded.diagnostics.0,
        });
        let text = serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n";
        let status = if loaded.catalog.is_some() {
            ExitStatus::Success
        } else {
            ExitStatus::Error
        };
        return Ok((status, text));
    }
    match loaded.catalog {
        None => Err(Error::Catalog {
            diagnostics: loaded.diagnostics,
            files: loaded.files,
        }),
        Some(catalog) => {
            let warnings = loaded.diagnostics.warnings();
            if warnings > 0 {
                crate::app::to_stderr(&format!("{}\n", loaded.diagnostics.render(&loaded.files)));
            }
            Ok((
                ExitStatus::Success,
                format!(
                    "ok: {} providers, {} scenarios, {warnings} warning(s) (as of {as_of}, stale after {max_age_days} days)\n",
                    catalog.providers.len(),
                    catalog.scenarios.len()
                ),
            ))
        }
    }
}
