//! Shared by the fuzz targets: fixed valid inputs, the load options, and the checks every
//! target makes on a load result (a diagnostic for every failure, rendering never panics,
//! and a valid catalog goes through costing, scoring and the exporters).

#![allow(dead_code)]

use scimeter::load::catalog::{Loaded, RawFile, load_files};
use scimeter::load::{Catalog, LoadOptions, Severity};
use scimeter::model::Date;
use scimeter::report::scenario_report::ScenarioReport;
use scimeter::report::{csv_export, json_export, markdown};

/// The commented example provider (every key of the schema).
pub const PROVIDER: &[u8] = include_bytes!("../../../docs/examples/providers/example.toml");
/// The commented example scenario (every key of the schema).
pub const SCENARIO: &[u8] = include_bytes!("../../../docs/examples/scenarios/example.toml");

/// Fixed load options: a fixed reference date so runs are reproducible.
pub fn options() -> LoadOptions {
    LoadOptions {
        as_of: Date {
            year: 2026,
            month: 11,
            day: 28,
        },
        max_age_days: 180,
    }
}

/// One provider file and one scenario file.
pub fn pair(provider: &[u8], scenario: &[u8]) -> Vec<RawFile> {
    vec![
        RawFile {
            name: "providers/example.toml".into(),
            bytes: provider.to_vec(),
            quotes: false,
        },
        RawFile {
            name: "scenarios/example.toml".into(),
            bytes: scenario.to_vec(),
            quotes: false,
        },
    ]
}

/// Loads, then checks the invariants of a load result. Returns the catalog when valid.
pub fn load_and_check(files: Vec<RawFile>) -> Option<Catalog> {
    let loaded = load_files(files, options());
    check_loaded(&loaded);
    loaded.catalog
}

/// A failed load has at least one error; every diagnostic renders without panicking.
pub fn check_loaded(loaded: &Loaded) {
    let errors = loaded
        .diagnostics
        .0
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    assert_eq!(
        loaded.catalog.is_none(),
        errors > 0,
        "a catalog is returned exactly when there is no error"
    );
    let text = loaded.diagnostics.render(&loaded.files);
    assert!(errors == 0 || !text.is_empty());
    // The JSON form of `check --json` must serialize too.
    let _ = serde_json::to_string(&loaded.diagnostics.0);
}

/// Costs, scores and exports every scenario of a valid catalog in memory (no charts: those
/// are exercised by the `pipeline` target, where inputs are cheaper to make valid).
pub fn compute(catalog: &Catalog) {
    let mut reports = Vec::new();
    for s in &catalog.scenarios {
        // Few draws: the fuzzer looks for panics, not for precise percentiles.
        let settings = scimeter::estimate::simulation::Settings { draws: 64, seed: 1 };
        let Ok(r) = ScenarioReport::build(catalog, s, settings) else {
            continue;
        };
        let _ = csv_export::ranking(&r);
        let _ = csv_export::milestones(&r);
        let _ = csv_export::costs(&r);
        let _ = json_export::report(&r);
        let _ = markdown::summary(&r, &[]);
        reports.push(r);
    }
    let _ = markdown::index(catalog, &reports, markdown::STALE_DAYS);
}
