//! `scimeter check`: validate the catalog and show how much of it is known.

use crate::config::Config;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::load::source_file::SourceFile;
use crate::load::{Catalog, LoadOptions, load_catalog};
use crate::model::coverage::{Coverage, Tally};
use crate::model::{Date, Provider};
use crate::report::table::Table;

/// Validates and reports: the coverage table and a one-line summary when valid, every
/// diagnostic otherwise.
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
        let coverage = loaded
            .catalog
            .as_ref()
            .map(|c| coverage_json(&c.providers, as_of, max_age_days));
        let doc = serde_json::json!({
            "valid": loaded.catalog.is_some(),
            "errors": loaded.diagnostics.errors(),
            "warnings": loaded.diagnostics.warnings(),
            "coverage": coverage,
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
            let summary = format!(
                "ok: {}, {}, {} (as of {as_of}, stale after {max_age_days} days)\n",
                count(catalog.providers.len(), "provider"),
                count(catalog.scenarios.len(), "scenario"),
                count(warnings, "warning")
            );
            let table = table_freeing(catalog, loaded.files, config.width);
            Ok((ExitStatus::Success, format!("{table}\n{summary}")))
        }
    }
}

/// The coverage table as terminal text. Freeing a large catalog and laying out its table are
/// both serial work (half a second each for 100,000 providers, a tenth of `check` each), so
/// once the table's cells are computed (on every core) one thread frees the files and the
/// catalog while this one lays the table out.
fn table_freeing(catalog: Catalog, files: Vec<SourceFile>, width: Option<u16>) -> String {
    let table = coverage_table(&catalog.providers);
    std::thread::scope(|s| {
        s.spawn(move || drop((files, catalog)));
        table.to_terminal(width)
    })
}

/// Every provider's coverage, on every core (100,000 providers took half a second on one).
fn coverages(providers: &[Provider]) -> Vec<Coverage> {
    crate::parallel::map(providers.iter().collect(), Coverage::of)
}

/// The catalog-wide tally over every provider's facts and prices.
fn catalog_tally(coverages: &[Coverage]) -> Tally {
    coverages
        .iter()
        .fold(Tally::default(), |acc, c| acc.plus(c.all()))
}

/// The coverage table `check` prints: one row per provider, then the catalog.
fn coverage_table(providers: &[Provider]) -> Table {
    let mut t = Table::new([
        "Provider",
        "Known",
        "Facts known",
        "Unpublished",
        "Not found",
        "Unexplained",
        "Prices known",
        "Verified",
        "Oldest source",
    ])
    .right_align(&[1, 2, 3, 4, 5, 6]);
    let coverages = coverages(providers);
    for (p, c) in providers.iter().zip(&coverages) {
        let all = c.all();
        t.push([
            p.id().to_string(),
            all.known_percent(),
            format!("{}/{}", c.facts.known, c.facts.total()),
            all.unpublished.to_string(),
            all.not_found.to_string(),
            all.unexplained.to_string(),
            format!("{}/{}", c.prices.known, c.prices.total()),
            c.verified.to_string(),
            c.oldest_source.map(|d| d.to_string()).unwrap_or_default(),
        ]);
    }
    let all = catalog_tally(&coverages);
    let facts = coverages
        .iter()
        .fold(Tally::default(), |acc, c| acc.plus(c.facts));
    let prices = coverages
        .iter()
        .fold(Tally::default(), |acc, c| acc.plus(c.prices));
    t.push([
        "catalog".to_string(),
        all.known_percent(),
        format!("{}/{}", facts.known, facts.total()),
        all.unpublished.to_string(),
        all.not_found.to_string(),
        all.unexplained.to_string(),
        format!("{}/{}", prices.known, prices.total()),
        coverages
            .iter()
            .map(|c| c.verified)
            .min()
            .map(|d| d.to_string())
            .unwrap_or_default(),
        coverages
            .iter()
            .filter_map(|c| c.oldest_source)
            .min()
            .map(|d| d.to_string())
            .unwrap_or_default(),
    ]);
    t
}

/// `coverage` in `check --format json`: the catalog-wide `known_share` (0–1, three decimals,
/// rounded down) and one entry per provider.
fn coverage_json(providers: &[Provider], as_of: Date, max_age_days: i64) -> serde_json::Value {
    // A share, not money: f64 prints 875 per mille as the exact 0.875.
    let share = |t: Tally| t.known_per_mille().map(|pm| f64::from(pm) / 1000.0);
    let coverages = coverages(providers);
    let rows: Vec<serde_json::Value> = providers
        .iter()
        .zip(&coverages)
        .map(|(p, c)| {
            serde_json::json!({
                "provider": p.id(),
                "known_share": share(c.all()),
                "facts": c.facts,
                "prices": c.prices,
                "verified": c.verified.to_string(),
                "oldest_source": c.oldest_source.map(|d| d.to_string()),
                "stale": c.verified.days_until(as_of) > max_age_days,
            })
        })
        .collect();
    serde_json::json!({
        "known_share": share(catalog_tally(&coverages)),
        "providers": rows,
    })
}

/// "1 scenario", "8 scenarios".
fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}
