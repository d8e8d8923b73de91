//! `report.json`: a versioned document; money as decimal strings; unknowns explicit.

use super::scenario_report::ScenarioReport;
use crate::cost::CostValue;
use serde::Serialize;

/// The version of the `report.json` layout. Bump it when a field changes meaning.
pub const REPORT_SCHEMA_VERSION: u32 = 2;

#[derive(Serialize)]
struct MonthRow<'a> {
    month: u32,
    customers: u64,
    plan: Option<&'a str>,
    recurring: &'a CostValue,
    one_time: &'a CostValue,
    total: &'a CostValue,
    cumulative: &'a CostValue,
}

#[derive(Serialize)]
struct ProviderSeries<'a> {
    provider: &'a str,
    months: Vec<MonthRow<'a>>,
}

/// Serialises the report.
pub fn report(r: &ScenarioReport<'_>) -> Vec<u8> {
    let series: Vec<ProviderSeries<'_>> = r
        .projection
        .projections
        .iter()
        .map(|p| ProviderSeries {
            provider: &p.provider,
            months: p
                .months
                .iter()
                .map(|m| MonthRow {
                    month: m.month,
                    customers: m.customers,
                    plan: m.quote.plan.as_deref(),
                    recurring: &m.quote.recurring,
                    one_time: &m.quote.one_time,
                    total: &m.total,
                    cumulative: &m.cumulative,
                })
                .collect(),
        })
        .collect();
    let providers: Vec<serde_json::Value> = r
        .providers
        .iter()
        .map(|p| serde_json::json!({ "id": p.id(), "name": p.name, "verified": p.verified, "pricing_model": p.pricing.model, "caveats": p.caveats, "sources": p.sources }))
        .collect();
    let doc = serde_json::json!({
        "schema_version": REPORT_SCHEMA_VERSION,
        "generator": format!("scimeter {}", env!("CARGO_PKG_VERSION")),
        "scenario": r.scenario,
        "providers": providers,
        "ranking": r.ranking,
        "sensitivity": r.sensitivity,
        "milestones": r.milestones,
        "estimate": {
            "draws": r.joint.settings.draws,
            "seed": r.joint.settings.seed,
            "method": "triangular draws of every range, common random numbers per input; P10/P50/P90 are nearest-rank draws re-priced exactly",
            "milestones": r.joint.costs.milestones,
            "providers": r.joint.costs.providers,
            "inputs": r.joint.costs.inputs,
            "crossovers": r.joint.costs.crossovers,
        },
        "robustness": {
            "providers": r.joint.providers,
            "p_first_weights": r.joint.p_first_weights,
            "p_first_joint": r.joint.p_first_joint,
            "acceptability_joint": r.joint.acceptability_joint,
            "headline": crate::report::question_table::certainty(&r.ranking, &r.joint),
        },
        "questions": r.joint.questions,
        "projection": {
            "customers": r.projection.customers,
            "cheapest_bands": r.projection.bands,
            "crossovers": r.projection.crossovers,
            "cumulative_crossovers": r.projection.cumulative_crossovers,
            "series": series,
        },
    });
    let mut bytes = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}
