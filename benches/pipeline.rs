//! Benchmarks of the figures SPEC §9 sets (see `docs/performance.md` for results):
//! - costing and ranking a synthetic catalog of 1,000 providers × 10 scenarios × 120 months;
//! - the crossover search over those projections;
//! - SMAA with 10,000 draws for 20 providers;
//! - `check` (load + validate) and the full report of the shipped catalog, charts included;
//! - the uncertainty engine (cost Monte Carlo, joint robustness) with 10,000 draws.
//!
//! Run with `cargo bench --bench pipeline`.

use criterion::{Criterion, criterion_group, criterion_main};
use scimeter::cost::analysis::{project_catalog, project_scenario};
use scimeter::cost::crossover::crossovers;
use scimeter::cost::growth::GrowthCurve;
use scimeter::cost::money::Money;
use scimeter::cost::projection::{customers_by_month, project};
use scimeter::cost::quote::QuoteContext;
use scimeter::estimate::joint::joint_with;
use scimeter::estimate::simulation::Settings;
use scimeter::load::{LoadOptions, load_catalog};
use scimeter::model::{Date, Provider};
use scimeter::score::robustness::analyse;
use scimeter::score::smaa::{SmaaConfig, smaa};
use std::hint::black_box;
use std::path::Path;

fn as_of() -> LoadOptions {
    LoadOptions {
        as_of: Date {
            year: 2026,
            month: 11,
            day: 28,
        },
        max_age_days: 180,
    }
}

fn synthetic(c: &mut Criterion) {
    let catalog =
        scimeter::synthetic::catalog(1000, 10, 120, 42).expect("synthetic catalog is valid");
    let providers: Vec<&Provider> = catalog.providers.iter().collect();
    let mut g = c.benchmark_group("synthetic-1000x10x120");
    g.sample_size(10);
    g.bench_function("cost: project all (1.2M provider-months, all cores)", |b| {
        b.iter(|| {
            black_box(
                project_catalog(&providers, &catalog.scenarios)
                    .expect("no overflow")
                    .len(),
            )
        });
    });
    g.bench_function("rank all scenarios", |b| {
        b.iter(|| {
            for s in &catalog.scenarios {
                black_box(scimeter::score::rank(&providers, s, s.weights.raw()).expect("valid"));
            }
        });
    });
    let s = &catalog.scenarios[0];
    let customers = GrowthCurve::from_spec(&s.growth, s.horizon())
        .map(|c| customers_by_month(&c, s.horizon()))
        .unwrap_or_default();
    let series: Vec<(String, Vec<Option<Money>>)> = providers
        .iter()
        .map(|p| {
            let pr = project(&QuoteContext::new(p, s).lean(), &customers).expect("no overflow");
            (
                pr.provider.clone(),
                pr.months.iter().map(|m| m.cumulative.amount()).collect(),
            )
        })
        .collect();
    g.bench_function(
        "crossover search (1,000 series × 120 months, all pairs)",
        |b| b.iter(|| black_box(crossovers(&series, &|m| u32::try_from(m).ok()).len())),
    );
    // The steps of one scenario's report that dominate a 1,000-provider `report`
    // (docs/performance.md): the projection with its curves, SMAA, and the joint model with
    // its cost Monte Carlo (10,000 draws).
    g.bench_function("one scenario: projection and curves (one core)", |b| {
        b.iter(|| {
            black_box(
                project_scenario(&providers, s)
                    .expect("no overflow")
                    .curve_max,
            )
        });
    });
    let ranking = scimeter::score::rank(&providers, s, s.weights.raw()).expect("valid");
    let settings = Settings::default();
    g.bench_function("one scenario: SMAA and robustness (10,000 draws)", |b| {
        b.iter(|| {
            black_box(
                analyse(&ranking, settings.draws, settings.seed)
                    .smaa
                    .entropy,
            )
        });
    });
    let first = vec![0.0; ranking.ranked.len()];
    g.bench_function(
        "one scenario: joint model and cost Monte Carlo (10,000 draws)",
        |b| {
            b.iter(|| {
                black_box(
                    joint_with(&providers, s, &ranking, settings, Some(first.clone()))
                        .expect("no overflow")
                        .questions
                        .len(),
                )
            });
        },
    );
    g.finish();
}

fn smaa_20(c: &mut Criterion) {
    let values: Vec<[f64; 5]> = (0..20)
        .map(|i| {
            let x = f64::from(i) / 20.0;
            [x, 1.0 - x, (x * 7.0).fract(), (x * 3.0).fract(), 0.5]
        })
        .collect();
    c.bench_function("smaa 10,000 draws × 20 providers", |b| {
        b.iter(|| {
            black_box(smaa(
                &values,
                &SmaaConfig {
                    draws: 10_000,
                    seed: 42,
                },
            ))
        });
    });
}

fn shipped(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    c.bench_function("check: load + validate the shipped catalog", |b| {
        b.iter(|| black_box(load_catalog(root, as_of()).catalog.is_some()));
    });
    let catalog = load_catalog(root, as_of())
        .catalog
        .expect("shipped catalog is valid");
    let mut g = c.benchmark_group("shipped");
    g.sample_size(10);
    g.bench_function(
        "project: every scenario (months, curves, bands, crossovers)",
        |b| {
            b.iter(|| {
                let providers: Vec<&Provider> = catalog.providers.iter().collect();
                for s in &catalog.scenarios {
                    black_box(
                        scimeter::cost::analysis::project_scenario(&providers, s)
                            .expect("no overflow"),
                    );
                }
            });
        },
    );
    g.bench_function("report: every file in memory, charts included", |b| {
        b.iter(|| {
            black_box(
                scimeter::cmd::report::build(&catalog)
                    .expect("builds")
                    .0
                    .len(),
            )
        });
    });
    let reports: Vec<scimeter::report::scenario_report::ScenarioReport<'_>> = catalog
        .scenarios
        .iter()
        .map(|s| {
            scimeter::report::scenario_report::ScenarioReport::build(
                &catalog,
                s,
                scimeter::estimate::simulation::Settings::default(),
            )
            .expect("builds")
        })
        .collect();
    g.bench_function("report: index.html only (render the page)", |b| {
        b.iter(|| {
            black_box(
                scimeter::report::html_export::index(&reports)
                    .expect("renders")
                    .len(),
            )
        });
    });
    g.bench_function(
        "report: workbook.xlsx only (live formulas, evaluated)",
        |b| {
            b.iter(|| {
                black_box(
                    scimeter::report::workbook::workbook(&catalog, &reports)
                        .expect("writes")
                        .len(),
                )
            });
        },
    );
    g.finish();
}

/// The uncertainty engine on the shipped catalog with the default 10,000 draws: the cost
/// Monte Carlo of one scenario (milestones, horizon, crossovers, exact re-pricing) and the
/// joint model on top of it (weights, unknown facts and cost draws together, plus the value
/// of information of every input).
fn monte_carlo(c: &mut Criterion) {
    use scimeter::estimate::simulation::{Settings, simulate};
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let catalog = load_catalog(root, as_of())
        .catalog
        .expect("shipped catalog is valid");
    let providers: Vec<&Provider> = catalog.providers.iter().collect();
    let settings = Settings::default();
    let mut g = c.benchmark_group("monte-carlo-10000");
    g.sample_size(10);
    for id in ["baseline", "retrofit"] {
        let s = catalog.scenario(id).expect("shipped scenario");
        g.bench_function(format!("cost estimate: {id} (14 providers)"), |b| {
            b.iter(|| {
                black_box(
                    simulate(&providers, s, &s.milestones(), settings)
                        .expect("no overflow")
                        .providers
                        .len(),
                )
            });
        });
        let ranking = scimeter::score::rank(&providers, s, s.weights.raw()).expect("ranks");
        g.bench_function(format!("joint robustness + questions: {id}"), |b| {
            b.iter(|| {
                black_box(
                    scimeter::estimate::joint::joint(&providers, s, &ranking, settings)
                        .expect("no overflow")
                        .questions
                        .len(),
                )
            });
        });
    }
    g.finish();
}

criterion_group!(benches, synthetic, smaa_20, shipped, monte_carlo);
criterion_main!(benches);
