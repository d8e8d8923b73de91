//! The computed data of one scenario's report. Every exporter reads this and nothing else.

use crate::cost::Money;
use crate::cost::analysis::{MilestoneCost, ScenarioProjection, milestone_costs, project_scenario};
use crate::estimate::joint::{Joint, joint_with};
use crate::estimate::simulation::{CurveBand, Settings, curve_bands, has_bands};
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
    /// Estimated P10–P90 bands along the cost-versus-customers curve (chart geometry), of the
    /// providers some chart draws ([`ScenarioReport::charted_bands`]).
    pub bands: Vec<CurveBand>,
    /// The ids, sorted, of every provider whose estimate is defined at some count of the
    /// curve: those that have a band, drawn or not.
    pub banded: Vec<String>,
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
        let counts = band_counts(
            projection.curve_min,
            projection.curve_max,
            &scenario.milestones(),
        );
        // Which providers have a band is cheap to learn (a provider's first defined count);
        // the bands themselves are computed only for the providers a chart draws: at 1,000
        // providers the charts draw 24, and the other bands were a tenth of the report's work.
        let mut banded: Vec<String> = providers
            .iter()
            .zip(has_bands(&providers, scenario, &counts, settings))
            .filter(|(_, has)| *has)
            .map(|(p, _)| p.id().to_owned())
            .collect();
        banded.sort_unstable();
        let mut report = ScenarioReport {
            scenario,
            providers,
            ranking,
            sensitivity,
            milestones,
            projection,
            joint,
            bands: Vec::new(),
            banded,
        };
        let charted = report.charted_bands();
        let drawn: Vec<&Provider> = report
            .providers
            .iter()
            .copied()
            .filter(|p| charted.contains(&p.id()))
            .collect();
        report.bands = curve_bands(&drawn, scenario, &counts, settings);
        Ok(report)
    }

    /// Whether the provider's estimate is defined at some count of the curve (it has a band,
    /// whether a chart draws it or not).
    pub fn has_band(&self, id: &str) -> bool {
        self.banded.binary_search_by(|b| b.as_str().cmp(id)).is_ok()
    }

    /// The providers with a band that the cost-versus-customers charts or the page's chart
    /// draw: everyone with a band, unless a chart draws a shortlist.
    fn charted_bands(&self) -> Vec<&'c str> {
        let (chart, _) = crate::report::charts::customer_chart_providers(self);
        let (_, page) = crate::report::html_export::page_chart_providers(self);
        self.providers
            .iter()
            .map(|p| p.id())
            .filter(|id| self.has_band(id))
            .filter(|id| chart.contains(id) || page.as_ref().is_none_or(|k| k.contains(id)))
            .collect()
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
        self.position(id).map(|i| self.providers[i])
    }

    /// The chart style slot of a provider: its position in the catalog, so it has the same
    /// colour and marker in every chart.
    pub fn style_of(&self, id: &str) -> Option<usize> {
        self.position(id)
    }

    /// A provider's position in [`Self::providers`]. They are in id order, so a binary search
    /// finds it: the exporters look providers up once per provider and table, which a linear
    /// search made quadratic (about 2 % of the 1,000-provider report's CPU, issue 15). A
    /// linear search stays as the fallback, so an id is found whatever the order.
    fn position(&self, id: &str) -> Option<usize> {
        match self.providers.binary_search_by(|p| p.id().cmp(id)) {
            Ok(i) => Some(i),
            Err(_) => self.providers.iter().position(|p| p.id() == id),
        }
    }

    /// A provider's projection (the provider's month-by-month costs). Projections are in
    /// provider order until [`Self::slim`] drops those the workbook does not model, so the
    /// one at the provider's position is tried first.
    pub fn projection_of(&self, id: &str) -> Option<&crate::cost::Projection> {
        let all = &self.projection.projections;
        self.position(id)
            .and_then(|i| all.get(i))
            .filter(|p| p.provider == id)
            .or_else(|| all.iter().find(|p| p.provider == id))
    }

    /// The display name of a provider id.
    pub fn name(&self, id: &str) -> String {
        self.provider(id)
            .map_or_else(|| id.to_owned(), |p| p.name.clone())
    }

    /// The cheapest fully published provider(s) at a customer count, by name ("A = B" when
    /// tied), "no known price" when none is fully published there, "—" outside the curve.
    /// A provider whose only unknown is its tier mode, and which costs less than that under
    /// either mode, is named after it with its upper figure (SPEC §10 keeps it out of "fully
    /// published", but a reader should not take the named one for the cheapest).
    pub fn cheapest_at(&self, n: u64) -> String {
        let Some(band) = self
            .projection
            .bands
            .iter()
            .find(|b| b.from <= n && n <= b.to)
        else {
            return "—".into();
        };
        let cur = self.scenario.currency();
        let below = |limit: Option<Money>| self.cheaper_whatever_the_mode(n, &band.cheapest, limit);
        if band.cheapest.is_empty() {
            return match below(None) {
                Some((name, upper)) => format!(
                    "no known price ({name}: at most {} under either tier mode)",
                    upper.display(cur)
                ),
                None => "no known price".into(),
            };
        }
        let names = band
            .cheapest
            .iter()
            .map(|c| self.name(c))
            .collect::<Vec<_>>()
            .join(" = ");
        let cheapest_cost = self
            .provider(&band.cheapest[0])
            .and_then(|p| crate::cost::analysis::effective_cost(p, self.scenario, n).ok())
            .and_then(|c| c.amount());
        match cheapest_cost.and_then(|c| below(Some(c))) {
            Some((name, upper)) => format!(
                "{names} ({name} costs less under either tier mode: at most {})",
                upper.display(cur)
            ),
            None => names,
        }
    }

    /// The provider, other than `cheapest`, with the lowest upper figure over its tier-mode
    /// readings at `n` customers, when that is below `limit` (any, without one): its name and
    /// that figure. Only providers whose published cost there is partly unknown are tried.
    fn cheaper_whatever_the_mode(
        &self,
        n: u64,
        cheapest: &[String],
        limit: Option<Money>,
    ) -> Option<(String, Money)> {
        self.providers
            .iter()
            .filter(|p| !cheapest.iter().any(|c| c == p.id()))
            .filter(|p| {
                self.milestone(p.id(), n).is_some_and(|m| {
                    matches!(m.quote.recurring, crate::cost::CostValue::AtLeast { .. })
                })
            })
            .filter_map(|p| {
                let upper = crate::cost::analysis::upper_over_tier_readings(p, self.scenario, n)
                    .ok()
                    .flatten()?;
                limit
                    .is_none_or(|l| upper.0 < l.0)
                    .then(|| (p.name.clone(), upper))
            })
            .min_by(|a, b| a.1.0.cmp(&b.1.0).then_with(|| a.0.cmp(&b.0)))
    }

    /// The milestone cost of a provider at a customer count. The costs are laid out count by
    /// count, each in provider order ([`milestone_costs`]), so the cost is found by its
    /// count's block and the provider's position; a search stays as the fallback.
    pub fn milestone(&self, provider: &str, customers: u64) -> Option<&MilestoneCost> {
        let per_count = self.providers.len().max(1);
        let direct = self.position(provider).and_then(|i| {
            let block = self
                .milestones
                .iter()
                .step_by(per_count)
                .position(|m| m.customers == customers)?;
            self.milestones.get(block * per_count + i)
        });
        direct
            .filter(|m| m.provider == provider && m.customers == customers)
            .or_else(|| {
                self.milestones
                    .iter()
                    .find(|m| m.provider == provider && m.customers == customers)
            })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{charts, html_export, markdown};

    /// `WorkOS` prices Directory Sync and SSO connections each on bands of unstated mode: 1–15
    /// at $125, 16–30 at $100, 31–50 at $80, 51–100 at $65. At 100 customers (100 of each)
    /// graduated gives 15 × 125 + 15 × 100 + 20 × 80 + 50 × 65 = $8,225 per table, $16,450
    /// for both; volume gives 100 × 65 = $6,500 per table, $13,000. So its published figure is
    /// "≥ $13,000 + unknown", and its upper figure $16,450 is below Stytch's fully published
    /// $24,375 (100 × $243.75): the cell names Stytch and says `WorkOS` costs less either way.
    /// At 1,000 the 101+ bands have no published price: no upper figure. Stytch states its
    /// modes: none either.
    #[test]
    fn a_provider_cheaper_under_either_tier_mode_is_named_beside_the_cheapest() {
        let catalog = crate::load::shipped();
        let s = catalog.scenario("baseline").unwrap();
        let workos = catalog
            .providers
            .iter()
            .find(|p| p.id() == "workos")
            .unwrap();
        let stytch = catalog
            .providers
            .iter()
            .find(|p| p.id() == "stytch")
            .unwrap();
        let upper = |p, n| crate::cost::analysis::upper_over_tier_readings(p, s, n).unwrap();
        assert_eq!(upper(workos, 100), Some(Money("16450".parse().unwrap())));
        assert_eq!(upper(workos, 1_000), None);
        assert_eq!(upper(stytch, 100), None);
        // With a dearer last band (51–100 at $500 instead of $65) volume is the upper reading:
        // graduated 15 × 125 + 15 × 100 + 20 × 80 + 50 × 500 = $29,975 per table, volume
        // 100 × 500 = $50,000 per table, so $100,000 for both tables.
        let mut dear = workos.clone();
        for c in dear
            .pricing
            .plans
            .iter_mut()
            .flat_map(|p| p.charges.iter_mut())
        {
            if let Some(band) = c.tiers.as_mut().and_then(|t| t.get_mut(3)) {
                band.unit_price = crate::model::Price::Known(500.into());
            }
        }
        assert_eq!(upper(&dear, 100), Some(Money("100000".parse().unwrap())));
        let build = |scenario| {
            let settings = Settings {
                draws: 100,
                seed: 42,
            };
            ScenarioReport::build(&catalog, scenario, settings).unwrap()
        };
        let r = build(s);
        assert_eq!(
            r.cheapest_at(100),
            "Stytch (WorkOS costs less under either tier mode: at most $16,450.00)"
        );
        assert_eq!(r.cheapest_at(1_000), "no known price");
        let r = build(catalog.scenario("enterprise-1000-seat").unwrap());
        assert_eq!(
            r.cheapest_at(100),
            "no known price (WorkOS: at most $16,450.00 under either tier mode)"
        );
    }

    /// `baseline` requires provisioning and deprovisioning, so Hanko (among others) is
    /// excluded and has no curve to draw; Auth0 is ranked but publishes no price for SCIM.
    /// The summary names each under its own reason: an excluded provider is not one to ask
    /// for a quote.
    #[test]
    fn providers_not_drawn_are_named_under_their_reason() {
        let catalog = crate::load::shipped();
        let s = catalog.scenario("baseline").unwrap();
        let settings = Settings {
            draws: 100,
            seed: 42,
        };
        let r = ScenarioReport::build(&catalog, s, settings).unwrap();
        assert!(r.ranking.excluded.iter().any(|e| e.provider == "hanko"));
        let charts = charts::render_all(&r).unwrap();
        let summary = String::from_utf8(markdown::summary(&r, &charts)).unwrap();
        let line = |start: &str| {
            summary
                .lines()
                .find(|l| l.starts_with(start))
                .unwrap_or_else(|| panic!("no line `{start}`"))
                .to_owned()
        };
        let unpriced = line("Not drawn (nothing published");
        let excluded = line("Not drawn (excluded by the scenario's hard requirements): ");
        assert!(
            unpriced.contains("Auth0") && !unpriced.contains("Hanko"),
            "{unpriced}"
        );
        assert!(
            excluded.contains("Hanko") && !excluded.contains("Auth0"),
            "{excluded}"
        );
    }

    /// Bands are computed only for the providers a chart draws. Every chart, the page and the
    /// summary must come out byte for byte as with every provider's band, on a scenario whose
    /// charts draw a shortlist (so most bands are skipped) and on the shipped catalog (whose
    /// charts draw everyone).
    #[test]
    fn charts_drawn_from_the_charted_bands_equal_those_from_every_band() {
        let synthetic =
            crate::synthetic::catalog(60, 1, 24, 5).expect("the synthetic catalog loads");
        let shipped = crate::load::shipped();
        let settings = Settings {
            draws: 200,
            seed: 7,
        };
        let mut skipped = 0;
        for (catalog, scenario) in [(&synthetic, &synthetic.scenarios[0])]
            .into_iter()
            .chain(shipped.scenarios.iter().map(|s| (&shipped, s)))
        {
            let r = ScenarioReport::build(catalog, scenario, settings).unwrap();
            let mut all = r.clone();
            let counts = band_counts(
                r.projection.curve_min,
                r.projection.curve_max,
                &scenario.milestones(),
            );
            all.bands = curve_bands(&all.providers, scenario, &counts, settings);
            // `banded` lists exactly the providers with a band.
            let ids: Vec<&str> = all.bands.iter().map(|b| b.provider.as_str()).collect();
            assert_eq!(r.banded, ids, "{}", scenario.id());
            // The bands kept are those of every band, not recomputed differently.
            for b in &r.bands {
                assert!(all.bands.contains(b), "{}: {}", scenario.id(), b.provider);
            }
            skipped += all.bands.len() - r.bands.len();
            let (a, b) = (
                charts::render_all(&r).unwrap(),
                charts::render_all(&all).unwrap(),
            );
            assert_eq!(a.len(), b.len());
            for (x, y) in a.iter().zip(&b) {
                assert!(x.svg == y.svg, "{}: {}", scenario.id(), x.stem);
            }
            assert!(markdown::summary(&r, &a) == markdown::summary(&all, &b));
            assert!(
                html_export::index(std::slice::from_ref(&r)).unwrap()
                    == html_export::index(std::slice::from_ref(&all)).unwrap()
            );
        }
        assert!(skipped > 10, "the shortlist skipped only {skipped} bands");
    }

    /// Providers, milestone costs and projections are found by position, and the answer is
    /// the one a search gives, also once providers are out of id order and projections
    /// slimmed (the fallbacks).
    #[test]
    fn lookups_by_position_agree_with_a_search() {
        let catalog = crate::synthetic::catalog(12, 1, 12, 3).expect("the synthetic catalog loads");
        let settings = Settings { draws: 20, seed: 1 };
        let mut r = ScenarioReport::build(&catalog, &catalog.scenarios[0], settings).unwrap();
        let check = |r: &ScenarioReport<'_>| {
            for (i, p) in r.providers.iter().enumerate() {
                assert_eq!(r.style_of(p.id()), Some(i));
                assert_eq!(r.provider(p.id()).map(Provider::id), Some(p.id()));
                for m in r.scenario.milestones().into_iter().chain([7]) {
                    let found = r
                        .milestones
                        .iter()
                        .find(|c| c.provider == p.id() && c.customers == m);
                    assert_eq!(
                        r.milestone(p.id(), m).map(|c| (&c.provider, c.customers)),
                        found.map(|c| (&c.provider, c.customers))
                    );
                }
                let found = r
                    .projection
                    .projections
                    .iter()
                    .find(|x| x.provider == p.id());
                assert_eq!(
                    r.projection_of(p.id()).map(|x| &x.provider),
                    found.map(|x| &x.provider)
                );
            }
            assert!(r.provider("nobody").is_none() && r.milestone("nobody", 100).is_none());
        };
        assert!(r.milestones.len() >= 2 * r.providers.len());
        check(&r);
        r.providers.reverse();
        r.projection
            .projections
            .retain(|p| p.provider.ends_with('3'));
        check(&r);
    }

    /// The page's chart can draw everyone while the PNG charts draw a shortlist: the page
    /// counts only known costs as drawable, the charts also partly unknown ones. Then every
    /// band is charted, also those of providers the shortlist leaves out.
    #[test]
    fn bands_the_page_draws_are_charted_when_the_charts_draw_a_shortlist() {
        let catalog = crate::synthetic::catalog(60, 1, 24, 5).expect("the synthetic catalog loads");
        let settings = Settings { draws: 50, seed: 7 };
        let mut r = ScenarioReport::build(&catalog, &catalog.scenarios[0], settings).unwrap();
        // Every curve partly unknown, so the charts draw all 60 and shortlist them; the
        // cheapest bands empty, so the shortlist is the best-ranked 24.
        for c in &mut r.projection.curves {
            for p in &mut c.costs {
                *p = crate::cost::crossover::CurvePoint::AtLeast(crate::cost::Money(
                    rust_decimal::Decimal::ONE,
                ));
            }
        }
        r.projection.bands.clear();
        // Bands for the five worst-ranked only: the page draws just them (no known cost).
        let worst: Vec<String> = r
            .ranking
            .ranked
            .iter()
            .rev()
            .take(5)
            .map(|e| e.card.provider.clone())
            .collect();
        r.banded.clone_from(&worst);
        r.banded.sort_unstable();
        let (chart, left_out) = crate::report::charts::customer_chart_providers(&r);
        assert!(left_out > 0);
        assert!(worst.iter().all(|w| !chart.contains(&w.as_str())));
        assert!(
            crate::report::html_export::page_chart_providers(&r)
                .1
                .is_none()
        );
        let mut charted = r.charted_bands();
        charted.sort_unstable();
        assert_eq!(charted, r.banded);
    }
}
