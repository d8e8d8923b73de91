//! The computed data of one scenario's report. Every exporter reads this and nothing else.

use crate::cost::analysis::{MilestoneCost, ScenarioProjection, milestone_costs, project_scenario};
use crate::estimate::joint::{Joint, joint_with};
use crate::estimate::simulation::{CurveBand, Settings, curve_bands};
use crate::load::Catalog;
use crate::model::{Provider, Scenario};
use crate::score::ranking::{RankError, Ranking, rank};
use crate::score::robustness::{Sensitivity, analyse};

/// One scenario, fully computed.
#[derive(Debug, Clone)]
pub struct ScenarioReport<'c> {
    /// The scenario.
    pub scenario: &'c Scenario,
    /// Every provider, in id order.
    pub providers: Vec<&'c Provider>,
    /// The ranking (with exclusions).
    pub ranking: Ranking,
    /// Robustness of the ranking.
    pub sensitivity: Sensitivity,
    /// Steady-state costs at the milestones, grouped by customer count then provider.
    pub milestones: Vec<MilestoneCost>,
    /// The monthly projection, curves, bands and crossovers.
    pub projection: ScenarioProjection,
    /// The Monte Carlo: estimated costs at the milestones, joint robustness and questions.
    pub joint: Joint,
    /// Estimated P10–P90 bands along the cost-versus-customers curve (chart geometry).
    pub bands: Vec<CurveBand>,
}

impl<'c> ScenarioReport<'c> {
    /// Computes everything for one scenario. SMAA uses the default draws and seed, so reports
    /// are deterministic.
    pub fn build(
        catalog: &'c Catalog,
        scenario: &'c Scenario,
        settings: Settings,
    ) -> Result<ScenarioReport<'c>, RankError> {
        let providers: Vec<&Provider> = catalog.providers.iter().collect();
        let ranking = rank(&providers, scenario, scenario.weights.raw())?;
        let sensitivity = analyse(&ranking, settings.draws, settings.seed);
        let mut joint = joint_with(
            &providers,
            scenario,
            &ranking,
            settings,
            Some(sensitivity.smaa.first_rank.clone()),
        )?;
        // The exporters read the percentiles, never the draws.
        joint.costs.release_draws();
        let milestones = milestone_costs(&providers, scenario, &scenario.milestones())?;
        let projection = project_scenario(&providers, scenario).map_err(RankError::from)?;
        let bands = curve_bands(
            &providers,
            scenario,
            &band_counts(
                projection.curve_min,
                projection.curve_max,
                &scenario.milestones(),
            ),
            settings,
        );
        Ok(ScenarioReport {
            scenario,
            providers,
            ranking,
            sensitivity,
            milestones,
            projection,
            joint,
            bands,
        })
    }

    /// Drops what only the scenario's own files read, once they are rendered: the cost
    /// curves (a point per customer count for every provider), the projection's line items
    /// and the projections of providers the workbook does not model, the milestone quotes'
    /// arithmetic text and plan verdicts, and the SMAA tables. The index, the page and the
    /// workbook read the rest; the page's curve samples come from
    /// [`crate::report::html_export::page`], taken before. A 1,000-provider scenario held about
    /// 300 MB of these while `report` waited for the other scenarios (issue 15).
    pub fn slim(&mut self) {
        self.projection.curves = Vec::new();
        // The workbook's projection sheet reads the providers it models, month totals only.
        let modelled: Vec<&str> = crate::report::workbook::modelled(self)
            .iter()
            .map(|p| p.id())
            .collect();
        self.projection
            .projections
            .retain(|p| modelled.contains(&p.provider.as_str()));
        for p in &mut self.projection.projections {
            for m in &mut p.months {
                m.quote.lines = Vec::new();
            }
        }
        // The milestone quotes' arithmetic and plan verdicts: summary, CSV and JSON only.
        for m in &mut self.milestones {
            m.quote.plans = Vec::new();
            for l in m.quote.lines.iter_mut().chain(&mut m.quote.one_time_lines) {
                l.explanation = String::new();
            }
        }
        // Every provider's acceptability of every rank (`n²` shares): summary and JSON only.
        self.sensitivity.smaa.rank_acceptability = Vec::new();
        self.sensitivity.smaa.pairwise_winning = Vec::new();
    }

    /// The provider with this id.
    pub fn provider(&self, id: &str) -> Option<&'c Provider> {
        self.providers.iter().copied().find(|p| p.id() == id)
    }

    /// The chart style slot of a provider: its position in the catalog, so it has the same
    /// colour and marker in every chart.
    pub fn style_of(&self, id: &str) -> Option<usize> {
        self.providers.iter().position(|p| p.id() == id)
    }

    /// The display name of a provider id.
    pub fn name(&self, id: &str) -> String {
        self.provider(id)
            .map_or_else(|| id.to_owned(), |p| p.name.clone())
    }

    /// The cheapest fully published provider(s) at a customer count, by name ("A = B" when
    /// tied), "no known price" when none is fully published there, "—" outside the curve.
    pub fn cheapest_at(&self, n: u64) -> String {
        self.projection
            .bands
            .iter()
            .find(|b| b.from <= n && n <= b.to)
            .map_or_else(
                || "—".into(),
                |b| {
                    if b.cheapest.is_empty() {
                        "no known price".into()
                    } else {
                        b.cheapest
                            .iter()
                            .map(|c| self.name(c))
                            .collect::<Vec<_>>()
                            .join(" = ")
                    }
                },
            )
    }

    /// The milestone cost of a provider at a customer count.
    pub fn milestone(&self, provider: &str, customers: u64) -> Option<&MilestoneCost> {
        self.milestones
            .iter()
            .find(|m| m.provider == provider && m.customers == customers)
    }
}

/// The customer counts the chart bands are estimated at: 48 even steps over the curve's
/// range, plus the milestones inside it.
fn band_counts(min: u64, max: u64, milestones: &[u64]) -> Vec<u64> {
    let (min, max) = (min.max(1), max.max(1));
    let mut counts: Vec<u64> = (0..=48u64)
        .map(|i| min + (max.saturating_sub(min)) * i / 48)
        .chain(
            milestones
                .iter()
                .copied()
                .filter(|m| (min..=max).contains(m)),
        )
        .collect();
    counts.sort_unstable();
    counts.dedup();
    counts
}
