//! `report.json`: a versioned document; money as decimal strings; unknowns explicit.
//!
//! The document is serialised straight from the computed report into the output buffer, in a
//! fixed key order (the version first), without building a JSON tree in between: at 1,000
//! providers the projection alone is over 100 MB of JSON, and a tree of it several times that.

use super::scenario_report::ScenarioReport;
use crate::cost::analysis::ScenarioProjection;
use crate::cost::{CostValue, Projection};
use crate::estimate::joint::Joint;
use crate::model::Provider;
use serde::{Serialize, Serializer};

/// The version of the `report.json` layout. Bump it when a field changes meaning.
pub const REPORT_SCHEMA_VERSION: u32 = 2;

/// The whole document, borrowing everything from the report.
#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    generator: String,
    scenario: &'a crate::model::Scenario,
    #[serde(serialize_with = "providers")]
    providers: &'a [&'a Provider],
    ranking: &'a crate::score::Ranking,
    sensitivity: &'a crate::score::robustness::Sensitivity,
    milestones: &'a [crate::cost::analysis::MilestoneCost],
    estimate: Estimate<'a>,
    robustness: Robustness<'a>,
    questions: &'a [crate::estimate::joint::Question],
    projection: ProjectionDoc<'a>,
}

/// A provider's identity and provenance (its facts are in `ranking`).
#[derive(Serialize)]
struct ProviderInfo<'a> {
    id: &'a str,
    name: &'a str,
    verified: &'a crate::model::Date,
    pricing_model: &'a crate::model::PricingModel,
    caveats: &'a [String],
    sources: &'a [crate::model::provider::Source],
}

#[derive(Serialize)]
struct Estimate<'a> {
    draws: usize,
    seed: u64,
    method: &'static str,
    milestones: &'a [u64],
    providers: &'a [crate::estimate::simulation::ProviderEstimate],
    inputs: &'a [crate::estimate::input::Input],
    crossovers: &'a [crate::estimate::simulation::CrossoverEstimate],
}

#[derive(Serialize)]
struct Robustness<'a> {
    providers: &'a [String],
    p_first_weights: &'a [f64],
    p_first_joint: &'a [f64],
    acceptability_joint: &'a [Vec<f64>],
    headline: String,
}

#[derive(Serialize)]
struct ProjectionDoc<'a> {
    customers: &'a [u64],
    cheapest_bands: &'a [crate::cost::crossover::Band],
    crossovers: &'a [crate::cost::crossover::Crossover],
    cumulative_crossovers: &'a [crate::cost::crossover::Crossover],
    #[serde(serialize_with = "series")]
    series: &'a [Projection],
}

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

/// One provider's months, written row by row as they are serialised.
struct ProviderSeries<'a>(&'a Projection);

impl Serialize for ProviderSeries<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        struct Months<'a>(&'a Projection);
        impl Serialize for Months<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(self.0.months.iter().map(|m| MonthRow {
                    month: m.month,
                    customers: m.customers,
                    plan: m.quote.plan.as_deref(),
                    recurring: &m.quote.recurring,
                    one_time: &m.quote.one_time,
                    total: &m.total,
                    cumulative: &m.cumulative,
                }))
            }
        }
        let mut st = s.serialize_struct("ProviderSeries", 2)?;
        st.serialize_field("provider", &self.0.provider)?;
        st.serialize_field("months", &Months(self.0))?;
        st.end()
    }
}

fn providers<S: Serializer>(list: &&[&Provider], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(list.iter().map(|p| ProviderInfo {
        id: p.id(),
        name: &p.name,
        verified: &p.verified,
        pricing_model: &p.pricing.model,
        caveats: &p.caveats,
        sources: &p.sources,
    }))
}

fn series<S: Serializer>(list: &&[Projection], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(list.iter().map(ProviderSeries))
}

/// Serialises the report. Fails only if some value cannot be JSON (a map with non-string
/// keys), which would be a bug; the caller then writes no report at all.
pub fn report(r: &ScenarioReport<'_>) -> Result<Vec<u8>, serde_json::Error> {
    let ScenarioProjection {
        customers,
        projections,
        bands,
        crossovers,
        cumulative_crossovers,
        ..
    } = &r.projection;
    let Joint {
        settings,
        providers,
        p_first_weights,
        p_first_joint,
        acceptability_joint,
        questions,
        costs,
        ..
    } = &r.joint;
    let doc = Document {
        schema_version: REPORT_SCHEMA_VERSION,
        generator: format!("scimeter {}", env!("CARGO_PKG_VERSION")),
        scenario: r.scenario,
        providers: &r.providers,
        ranking: &r.ranking,
        sensitivity: &r.sensitivity,
        milestones: &r.milestones,
        estimate: Estimate {
            draws: settings.draws,
            seed: settings.seed,
            method: "triangular draws of every range, common random numbers per input; P10/P50/P90 are nearest-rank draws re-priced exactly",
            milestones: &costs.milestones,
            providers: &costs.providers,
            inputs: &costs.inputs,
            crossovers: &costs.crossovers,
        },
        robustness: Robustness {
            providers,
            p_first_weights,
            p_first_joint,
            acceptability_joint,
            headline: crate::report::question_table::certainty(&r.ranking, &r.joint),
        },
        questions,
        projection: ProjectionDoc {
            customers,
            cheapest_bands: bands,
            crossovers,
            cumulative_crossovers,
            series: projections,
        },
    };
    let mut bytes = super::json_layout::to_vec(&doc)?;
    bytes.push(b'\n');
    Ok(bytes)
}
