//! The cost Monte Carlo of one scenario: P10/P50/P90 per provider at each milestone and over
//! the horizon, P(cheapest), the inputs that drive each spread, and crossovers as
//! distributions.

use super::cost_model::{CostModel, DrawCost, Linear, PointForms};
use super::input::{Dist, Draws, Input, InputKind};
use super::resolve::{provider_at, scenario_at};
use super::sample::rank_of;
use crate::cost::analysis::milestone_costs;
use crate::cost::growth::GrowthCurve;
use crate::cost::money::{Money, Overflow};
use crate::cost::projection::{customers_by_month, project_totals};
use crate::cost::quote::QuoteContext;
use crate::model::{Provider, Ranged, Scenario};
use serde::Serialize;

/// The default number of draws.
pub const DEFAULT_DRAWS: usize = 10_000;
/// The most draws a run may ask for (memory grows with draws × inputs).
pub const MAX_DRAWS: usize = 1_000_000;
/// The default seed.
pub const DEFAULT_SEED: u64 = 42;

/// How many draws, with which seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Settings {
    /// Draws.
    pub draws: usize,
    /// Seed.
    pub seed: u64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            draws: DEFAULT_DRAWS,
            seed: DEFAULT_SEED,
        }
    }
}

/// P10, P50 and P90, each the exact cost of one draw (nearest rank), re-priced to the cent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Spread {
    /// 10th percentile.
    pub p10: Money,
    /// Median.
    pub p50: Money,
    /// 90th percentile.
    pub p90: Money,
}

/// An input's share of a spread.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Driver {
    /// The input's key.
    pub input: String,
    /// Who owns it.
    pub owner: String,
    /// What it is.
    pub label: String,
    /// Its share of the explained variance, 0–1 (squared correlation, normalised).
    pub share: f64,
}

/// The estimate of one cost figure.
#[derive(Debug, Clone, Serialize)]
pub struct PointEstimate {
    /// The customer count (`None` for the horizon total).
    pub customers: Option<u64>,
    /// The spread, when every draw is defined.
    pub spread: Option<Spread>,
    /// Why there is no spread.
    pub reason: Option<String>,
    /// Probability of being the cheapest among the providers with a defined estimate.
    pub p_cheapest: Option<f64>,
    /// The inputs that make most of the spread, largest first.
    pub drivers: Vec<Driver>,
    /// Every draw's cost (not serialised).
    #[serde(skip)]
    pub draws: Vec<f64>,
    /// The draw behind each percentile (not serialised).
    #[serde(skip)]
    pub picks: [usize; 3],
}

impl PointEstimate {
    fn undefined(customers: Option<u64>, reason: String) -> PointEstimate {
        PointEstimate {
            customers,
            spread: None,
            reason: Some(reason),
            p_cheapest: None,
            drivers: Vec::new(),
            draws: Vec::new(),
            picks: [0; 3],
        }
    }

    /// True when the estimate is defined.
    pub fn is_defined(&self) -> bool {
        !self.draws.is_empty()
    }
}

/// One provider's estimates.
#[derive(Debug, Clone, Serialize)]
pub struct ProviderEstimate {
    /// Provider id.
    pub provider: String,
    /// Display name.
    pub name: String,
    /// Monthly recurring cost at each milestone (scenario order).
    pub milestones: Vec<PointEstimate>,
    /// Total cost over the horizon, one-time costs included.
    pub horizon: PointEstimate,
}

/// The Monte Carlo of one scenario.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioEstimate {
    /// Scenario id.
    pub scenario: String,
    /// Draws and seed.
    pub settings: Settings,
    /// The milestone customer counts.
    pub milestones: Vec<u64>,
    /// Providers, in the order given.
    pub providers: Vec<ProviderEstimate>,
    /// Every uncertain cost input.
    pub inputs: Vec<Input>,
    /// The draws (not serialised).
    #[serde(skip)]
    pub draws: Draws,
}

/// Runs the cost Monte Carlo for a scenario.
pub fn simulate(
    providers: &[&Provider],
    scenario: &Scenario,
    milestones: &[u64],
    settings: Settings,
) -> Result<ScenarioEstimate, Overflow> {
    let n = settings.draws.max(1);
    let mut draws = Draws::new(n, settings.seed);
    let horizon = scenario.horizon();
    let growth_input = scenario
        .growth
        .end
        .as_ref()
        .filter(|r| !r.is_point())
        .map(|r| {
            let (low, likely, high) = r.as_f64();
            draws.inputs.add(Input {
                key: "scenario:growth.end".into(),
                provider: None,
                owner: "your team".into(),
                path: "growth.end".into(),
                kind: InputKind::Assumption,
                dist: Dist::Triangular { low, likely, high },
                label: "customers at the end of the horizon".into(),
                question: "Your team: how many customers will need SCIM by the end of the horizon?"
                    .into(),
            })
        });
    let mut models: Vec<CostModel<'_>> = providers
        .iter()
        .map(|p| CostModel::new(p, scenario, &mut draws.inputs))
        .collect();
    draws.sync();
    let base_customers = GrowthCurve::from_spec(&scenario.growth, horizon)
        .map(|c| customers_by_month(&c, horizon))
        .unwrap_or_default();
    // Customers by month in each draw, only when the growth is ranged.
    let customers_in = |d: usize, draws: &Draws| -> Vec<u64> {
        let Some(i) = growth_input else {
            return base_customers.clone();
        };
        let mut g = scenario.growth.clone();
        g.end = Some(Ranged::point(draws.values[i][d]));
        GrowthCurve::from_spec(&g, horizon)
            .map(|c| customers_by_month(&c, horizon))
            .unwrap_or_default()
    };
    let slow_months = growth_input.is_some();

    let mut out = Vec::with_capacity(models.len());
    for (m, model) in models.iter_mut().enumerate() {
        let p = providers[m];
        let mut points = Vec::new();
        for &count in milestones {
            points.push(point_draws(
                model,
                &mut draws,
                count,
                |model, forms, draws, d| match model.monthly(forms, 1, draws, d) {
                    DrawCost::Cost(c) => DrawCost::Cost(c),
                    other => other,
                },
            ));
        }
        let horizon_draws = horizon_draws(
            model,
            &mut draws,
            &base_customers,
            slow_months,
            &customers_in,
        );
        out.push((p, points, horizon_draws));
    }

    // Percentiles, exact re-pricing, drivers.
    let mut estimates = Vec::with_capacity(out.len());
    for (p, points, horizon) in out {
        let mut ms = Vec::with_capacity(points.len());
        for (&count, pd) in milestones.iter().zip(points) {
            ms.push(finish(p, scenario, Some(count), pd, &draws)?);
        }
        let h = finish(p, scenario, None, horizon, &draws)?;
        estimates.push(ProviderEstimate {
            provider: p.id().to_owned(),
            name: p.name.clone(),
            milestones: ms,
            horizon: h,
        });
    }
    for k in 0..milestones.len() {
        let cols: Vec<Option<&Vec<f64>>> = estimates
            .iter()
            .map(|e| {
                e.milestones[k]
                    .is_defined()
                    .then_some(&e.milestones[k].draws)
            })
            .collect();
        let p = p_cheapest(&cols, n);
        for (e, p) in estimates.iter_mut().zip(p) {
            e.milestones[k].p_cheapest = p;
        }
    }
    let cols: Vec<Option<&Vec<f64>>> = estimates
        .iter()
        .map(|e| e.horizon.is_defined().then_some(&e.horizon.draws))
        .collect();
    let ps = p_cheapest(&cols, n);
    for (e, p) in estimates.iter_mut().zip(ps) {
        e.horizon.p_cheapest = p;
    }
    Ok(ScenarioEstimate {
        scenario: scenario.id().to_owned(),
        settings,
        milestones: milestones.to_vec(),
        providers: estimates,
        inputs: draws.inputs.list.clone(),
        draws,
    })
}

/// Raw draws of one figure: costs, or why it is undefined.
enum Raw {
    Costs(Vec<f64>),
    Undefined(String),
}

fn point_draws(
    model: &mut CostModel<'_>,
    draws: &mut Draws,
    customers: u64,
    f: impl Fn(&CostModel<'_>, &PointForms, &Draws, usize) -> DrawCost,
) -> Raw {
    let n = draws.n;
    let mut costs = Vec::with_capacity(n);
    let fixed = (!model.usage_varies()).then(|| model.point(customers, draws, 0));
    for d in 0..n {
        let forms = match &fixed {
            Some(f) => f.clone_ref(),
            None => model.point(customers, draws, d),
        };
        match f(model, &forms, draws, d) {
            DrawCost::Cost(c) => costs.push(c),
            DrawCost::Unavailable => {
                return Raw::Undefined(
                    forms
                        .unavailable
                        .unwrap_or_else(|| "unavailable at this usage".into()),
                );
            }
            DrawCost::Undefined => {
                return Raw::Undefined(format!(
                    "no estimate for {}",
                    model
                        .missing_reason(&forms)
                        .unwrap_or_else(|| "an unpublished price".into())
                ));
            }
        }
    }
    Raw::Costs(costs)
}

#[allow(clippy::type_complexity)]
fn horizon_draws(
    model: &mut CostModel<'_>,
    draws: &mut Draws,
    base: &[u64],
    slow: bool,
    customers_in: &dyn Fn(usize, &Draws) -> Vec<u64>,
) -> Raw {
    let n = draws.n;
    let months = base.len();
    let last = u32::try_from(months).unwrap_or(u32::MAX);
    // Fast path: fixed meters and one plan per month: the horizon's vendor fees are one
    // linear form, so a draw is one dot product.
    if !slow && !model.usage_varies() {
        let forms: Vec<PointForms> = base.iter().map(|&c| model.point(c, draws, 0)).collect();
        if let Some(why) = forms.iter().find_map(|f| f.unavailable.clone()) {
            return Raw::Undefined(why);
        }
        let singles: Option<Vec<Vec<Linear>>> = forms.iter().map(CostModel::single).collect();
        if let Some(singles) = singles
            && singles.iter().flatten().all(|l| l.missing.is_none())
        {
            let variants = singles[0].len();
            let mut sum = vec![Linear::default(); variants];
            for (i, month) in singles.iter().enumerate() {
                let factor = model.vendor_factor(u32::try_from(i + 1).unwrap_or(u32::MAX));
                for (v, lin) in month.iter().enumerate() {
                    sum[v].constant += lin.constant * factor;
                    for &(k, c) in &lin.terms {
                        match sum[v].terms.iter_mut().find(|t| t.0 == k) {
                            Some(t) => t.1 += c * factor,
                            None => sum[v].terms.push((k, c * factor)),
                        }
                    }
                }
            }
            let mut costs = Vec::with_capacity(n);
            for d in 0..n {
                let v = match model.mode_input() {
                    Some(i) if draws.values[i][d] < 0.5 && variants > 1 => 1,
                    _ => 0,
                };
                let vendor = sum[v].eval(&draws.values, d) * (1.0 - model.discount(draws, d));
                let (Some(labor), DrawCost::Cost(once)) =
                    (model.labor(draws, d), model.one_time(Some(last), draws, d))
                else {
                    return Raw::Undefined(format!(
                        "no estimate for {}",
                        model
                            .missing_reason(&forms[0])
                            .unwrap_or_else(|| "an hours cost".into())
                    ));
                };
                costs.push(vendor + labor * months as f64 + once);
            }
            return Raw::Costs(costs);
        }
    }
    // General path: month by month (ranged usage or growth, or several candidate plans).
    let mut costs = Vec::with_capacity(n);
    for d in 0..n {
        let customers = if slow {
            customers_in(d, draws)
        } else {
            base.to_vec()
        };
        let mut total = 0.0;
        for (i, &c) in customers.iter().enumerate() {
            let month = u32::try_from(i + 1).unwrap_or(u32::MAX);
            let forms = model.point(c, draws, d);
            match model.monthly(&forms, month, draws, d) {
                DrawCost::Cost(x) => total += x,
                DrawCost::Unavailable => {
                    return Raw::Undefined(forms.unavailable.unwrap_or_default());
                }
                DrawCost::Undefined => {
                    return Raw::Undefined(format!(
                        "no estimate for {}",
                        model
                            .missing_reason(&forms)
                            .unwrap_or_else(|| "an unpublished price".into())
                    ));
                }
            }
        }
        match model.one_time(Some(last), draws, d) {
            DrawCost::Cost(x) => total += x,
            _ => {
                return Raw::Undefined("no estimate for a one-time cost".into());
            }
        }
        costs.push(total);
    }
    Raw::Costs(costs)
}

impl PointForms {
    fn clone_ref(&self) -> PointForms {
        self.clone()
    }
}

/// Percentiles (re-priced exactly), drivers.
fn finish(
    p: &Provider,
    s: &Scenario,
    customers: Option<u64>,
    raw: Raw,
    draws: &Draws,
) -> Result<PointEstimate, Overflow> {
    let costs = match raw {
        Raw::Undefined(why) => return Ok(PointEstimate::undefined(customers, why)),
        Raw::Costs(c) => c,
    };
    let n = costs.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| costs[a].total_cmp(&costs[b]).then(a.cmp(&b)));
    let picks = [0.1, 0.5, 0.9].map(|q| order[rank_of(q, n)]);
    let mut exact = [Money::ZERO; 3];
    for (slot, &d) in exact.iter_mut().zip(&picks) {
        *slot = reprice(p, s, customers, draws, d)?.unwrap_or_else(|| {
            Money(rust_decimal::Decimal::from_f64_retain(costs[d]).unwrap_or_default()).cents()
        });
    }
    // A draw re-priced exactly can differ from its float by rounding; keep the order.
    exact[1] = exact[1].max(exact[0]);
    exact[2] = exact[2].max(exact[1]);
    Ok(PointEstimate {
        customers,
        spread: Some(Spread {
            p10: exact[0],
            p50: exact[1],
            p90: exact[2],
        }),
        reason: None,
        p_cheapest: None,
        drivers: drivers(p, &costs, draws),
        draws: costs,
        picks,
    })
}

/// The exact cost of draw `d`: the catalog with the draw written in, through the cost engine.
fn reprice(
    p: &Provider,
    s: &Scenario,
    customers: Option<u64>,
    draws: &Draws,
    d: usize,
) -> Result<Option<Money>, Overflow> {
    let p2 = provider_at(p, &draws.inputs, &draws.values, d);
    let s2 = scenario_at(s, &draws.inputs, &draws.values, d);
    if let Some(n) = customers {
        let rows = milestone_costs(&[&p2], &s2, &[n])?;
        Ok(rows.first().and_then(|r| r.quote.recurring.amount()))
    } else {
        let horizon = s2.horizon();
        let customers = GrowthCurve::from_spec(&s2.growth, horizon)
            .map(|c| customers_by_month(&c, horizon))
            .unwrap_or_default();
        let proj = project_totals(&QuoteContext::new(&p2, &s2).lean(), &customers)?;
        Ok(proj
            .horizon_total()
            .and_then(crate::cost::CostValue::amount))
    }
}

/// Squared Pearson correlation of each relevant input with the cost, normalised to shares.
fn drivers(p: &Provider, costs: &[f64], draws: &Draws) -> Vec<Driver> {
    let n = costs.len() as f64;
    let mean = costs.iter().sum::<f64>() / n;
    let var: f64 = costs.iter().map(|c| (c - mean).powi(2)).sum();
    if var <= f64::EPSILON * mean.abs().max(1.0) {
        return Vec::new();
    }
    let mut out: Vec<Driver> = draws
        .inputs
        .list
        .iter()
        .zip(&draws.values)
        .filter(|(i, _)| i.provider.as_deref().is_none_or(|id| id == p.id()))
        .filter(|(i, _)| i.kind != InputKind::Fact)
        .filter_map(|(input, xs)| {
            let mx = xs.iter().sum::<f64>() / n;
            let vx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
            if vx <= 0.0 {
                return None;
            }
            let cov: f64 = xs
                .iter()
                .zip(costs)
                .map(|(x, c)| (x - mx) * (c - mean))
                .sum();
            let r2 = cov * cov / (vx * var);
            (r2 > 1e-4).then(|| Driver {
                input: input.key.clone(),
                owner: input.owner.clone(),
                label: input.label.clone(),
                share: r2,
            })
        })
        .collect();
    let total: f64 = out.iter().map(|d| d.share).sum();
    for d in &mut out {
        d.share /= total;
    }
    out.sort_by(|a, b| b.share.total_cmp(&a.share).then(a.input.cmp(&b.input)));
    out.truncate(5);
    out
}

/// P(cheapest) per provider: in each draw the lowest cost wins; ties share the win. `None`
/// for providers without a defined estimate.
pub fn p_cheapest(cols: &[Option<&Vec<f64>>], n: usize) -> Vec<Option<f64>> {
    let mut wins = vec![0.0; cols.len()];
    let defined: Vec<usize> = (0..cols.len()).filter(|&i| cols[i].is_some()).collect();
    if defined.is_empty() {
        return vec![None; cols.len()];
    }
    for d in 0..n {
        let min = defined
            .iter()
            .filter_map(|&i| cols[i].map(|c| c[d]))
            .fold(f64::INFINITY, f64::min);
        let tol = 1e-9 * min.abs().max(1.0);
        let winners: Vec<usize> = defined
            .iter()
            .copied()
            .filter(|&i| cols[i].is_some_and(|c| c[d] - min <= tol))
            .collect();
        let share = 1.0 / winners.len() as f64;
        for w in winners {
            wins[w] += share;
        }
    }
    cols.iter()
        .zip(wins)
        .map(|(c, w)| c.map(|_| w / n as f64))
        .collect()
}
