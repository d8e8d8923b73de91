//! The cost Monte Carlo of one scenario: P10/P50/P90 per provider at each milestone and over
//! the horizon, P(cheapest), the inputs that drive each spread, and crossovers as
//! distributions.

use super::cheapest::CheapestTally;
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
use std::rc::Rc;

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

impl Settings {
    /// The draw count as people read it: "10,000".
    pub fn draws_text(&self) -> String {
        crate::cost::schedule::group(self.draws as u64)
    }
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            draws: DEFAULT_DRAWS,
            seed: DEFAULT_SEED,
        }
    }
}

/// P10, P50 and P90, each the exact cost of one draw (nearest rank), re-priced to the cent;
/// P50 and P90 are raised to the percentile below them where exact re-pricing reorders
/// draws whose float costs were a rounding apart.
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
    /// True when no plan can serve this usage (or the provider is excluded), as opposed to
    /// a price without an estimate.
    pub unavailable: bool,
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
    /// True when the figure rests on single-figure estimates: its published figure is not
    /// fully known (`published` false), yet every draw costs the same, so no sourced range
    /// stands behind its P10–P90. A fully published figure has no spread either, and needs no
    /// warning.
    pub fn is_point_estimate(&self, published: bool) -> bool {
        !published && self.spread.is_some_and(|s| s.p10 == s.p90)
    }

    fn undefined(customers: Option<u64>, reason: String, unavailable: bool) -> PointEstimate {
        PointEstimate {
            customers,
            spread: None,
            reason: Some(reason),
            p_cheapest: None,
            unavailable,
            drivers: Vec::new(),
            draws: Vec::new(),
            picks: [0; 3],
        }
    }

    /// True when the estimate is defined (it has percentiles; its draws may have been
    /// released, see [`ScenarioEstimate::release_draws`]).
    pub fn is_defined(&self) -> bool {
        self.spread.is_some()
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

/// A crossover as a distribution: the month from which `cheaper`'s cumulative cost stays
/// below `than`'s, over the draws in which that happens.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrossoverEstimate {
    /// The provider that becomes cheaper.
    pub cheaper: String,
    /// The provider it overtakes.
    pub than: String,
    /// Share of draws in which it happens within the horizon.
    pub probability: f64,
    /// 10th percentile of the month, over those draws.
    pub month_p10: u32,
    /// Median month.
    pub month_p50: u32,
    /// 90th percentile month.
    pub month_p90: u32,
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
    /// Crossovers in cumulative cost, as distributions, among the cheapest providers.
    pub crossovers: Vec<CrossoverEstimate>,
    /// Every uncertain cost input.
    pub inputs: Vec<Input>,
    /// The draws (not serialised).
    #[serde(skip)]
    pub draws: Draws,
    /// With ranged growth, the customer-months of the horizon in each draw, which each
    /// draw's horizon cost serves (`None`: the published curve's, in every draw).
    #[serde(skip)]
    pub customer_months: Option<Vec<f64>>,
}

impl ScenarioEstimate {
    /// The estimate of the provider with this id. Reports give their providers in id order,
    /// so a binary search finds it (the exporters look every provider up, which a linear
    /// search made quadratic at 1,000 providers); a linear search covers any other order.
    pub fn of(&self, id: &str) -> Option<&ProviderEstimate> {
        match self
            .providers
            .binary_search_by(|p| p.provider.as_str().cmp(id))
        {
            Ok(i) => Some(&self.providers[i]),
            Err(_) => self.providers.iter().find(|p| p.provider == id),
        }
    }

    /// Frees every draw, keeping the percentiles, drivers, probabilities and crossovers
    /// that reports print. A 1,000-provider scenario holds hundreds of megabytes of draws,
    /// which a report that keeps every scenario for its index must not (issue 15).
    pub fn release_draws(&mut self) {
        self.release_cost_draws();
        self.draws.values = Vec::new();
    }

    /// Frees each provider's cost draws, keeping the inputs' draws (the value of information
    /// reads them): the joint model calls it once it has turned the cost draws into the
    /// pricing axis's values, so a scenario never holds both.
    pub fn release_cost_draws(&mut self) {
        for p in &mut self.providers {
            for m in p
                .milestones
                .iter_mut()
                .chain(std::iter::once(&mut p.horizon))
            {
                m.draws = Vec::new();
            }
        }
    }
}

/// Runs the cost Monte Carlo for a scenario.
pub fn simulate(
    providers: &[&Provider],
    scenario: &Scenario,
    milestones: &[u64],
    settings: Settings,
) -> Result<ScenarioEstimate, Overflow> {
    run(providers, scenario, milestones, settings, Plan::whole(0))
}

/// [`simulate`] for providers in ranking order (the joint model's): the first two, the winner
/// and the runner-up, always get crossover distributions, besides the four cheapest by median
/// horizon total. Whether the runner-up's cumulative cost overtakes the winner's is the
/// question a reader asks first, and the cheapest four need not include either.
pub fn simulate_ranked(
    ranked: &[&Provider],
    scenario: &Scenario,
    milestones: &[u64],
    settings: Settings,
) -> Result<ScenarioEstimate, Overflow> {
    run(
        ranked,
        scenario,
        milestones,
        settings,
        Plan::whole(CROSSOVER_LEADERS),
    )
}

/// [`simulate`] for commands that print the estimate and keep nothing else (`project` over
/// 10,000 providers): the percentiles and their exact re-pricing run on up to `threads`
/// threads, and each provider's cost draws are released as soon as its percentiles and its
/// share of P(cheapest) are taken, so memory does not grow with providers × draws. The draws
/// themselves are made on one thread, in order, so the results do not depend on `threads`,
/// and they are the same as [`simulate`]'s, draws aside.
pub fn simulate_on(
    providers: &[&Provider],
    scenario: &Scenario,
    milestones: &[u64],
    settings: Settings,
    threads: usize,
) -> Result<ScenarioEstimate, Overflow> {
    run(
        providers,
        scenario,
        milestones,
        settings,
        Plan {
            threads,
            chunk: CHUNK_PER_THREAD * threads.max(1),
            keep_draws: false,
            leaders: 0,
        },
    )
}

/// The cost draws [`simulate_on`] holds at once for each draw: one per figure (each
/// milestone and the horizon) of a chunk of providers, and the running cheapest of each
/// figure. `cost` checks `--draws` against it.
pub fn held_per_draw(providers: usize, milestones: usize, threads: usize) -> usize {
    let figures = milestones.saturating_add(1);
    providers
        .min(CHUNK_PER_THREAD.saturating_mul(threads.max(1)))
        .saturating_add(1)
        .saturating_mul(figures)
}

/// Providers drawn per thread before their percentiles are taken (a chunk's draws are held
/// at once: 64 providers × 10,000 draws × 8 bytes = 5 MB per thread per figure).
const CHUNK_PER_THREAD: usize = 64;

/// How a simulation runs.
#[derive(Debug, Clone, Copy)]
pub(super) struct Plan {
    /// Threads for the percentiles.
    pub(super) threads: usize,
    /// Providers drawn before their percentiles are taken.
    pub(super) chunk: usize,
    /// Keep every provider's cost draws in the result (the joint model reads them).
    pub(super) keep_draws: bool,
    /// How many providers at the front of the list (in ranking order) get crossover
    /// distributions whatever their median cost.
    pub(super) leaders: usize,
}

impl Plan {
    /// One thread, one chunk, every draw kept: what the joint model reads.
    fn whole(leaders: usize) -> Self {
        Plan {
            threads: 1,
            chunk: usize::MAX,
            keep_draws: true,
            leaders,
        }
    }
}

/// Runs the cost Monte Carlo as `plan` says.
pub(super) fn run(
    providers: &[&Provider],
    scenario: &Scenario,
    milestones: &[u64],
    settings: Settings,
    plan: Plan,
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

    let mut estimates: Vec<ProviderEstimate> = Vec::with_capacity(providers.len());
    let mut at_milestones: Vec<CheapestTally> =
        milestones.iter().map(|_| CheapestTally::new(n)).collect();
    let mut over_horizon = CheapestTally::new(n);
    // Each provider's median horizon total: crossovers are looked for among the cheapest.
    let mut medians: Vec<Option<f64>> = Vec::with_capacity(providers.len());
    let chunk = plan.chunk.max(1);
    for (c, part) in models.chunks_mut(chunk).enumerate() {
        let mut work = Vec::with_capacity(part.len());
        for (j, model) in part.iter_mut().enumerate() {
            let p = providers[c * chunk + j];
            let points: Vec<Raw> = milestones
                .iter()
                .map(|&count| point_draws(model, &mut draws, count))
                .collect();
            let months = MonthForms::new(model, &mut draws, &base_customers, slow_months);
            let h = horizon_draws(model, &mut draws, &months, &customers_in);
            // The forms are rebuilt for the few providers crossovers compare.
            model.forget_forms();
            work.push((p, points, h));
        }
        // Percentiles, exact re-pricing, drivers: independent per provider.
        let draws_ref = &draws;
        let read = RepricingInputs::new(&draws.inputs.list);
        let done = crate::parallel::map_on(plan.threads, work, |(p, points, horizon)| {
            let read = read.of(p.id());
            let mut ms = Vec::with_capacity(points.len());
            for (&count, pd) in milestones.iter().zip(points) {
                ms.push(finish(p, scenario, Some(count), pd, draws_ref, &read)?);
            }
            Ok(ProviderEstimate {
                provider: p.id().to_owned(),
                name: p.name.clone(),
                milestones: ms,
                horizon: finish(p, scenario, None, horizon, draws_ref, &read)?,
            })
        });
        for e in done {
            let mut e = e?;
            for (tally, m) in at_milestones.iter_mut().zip(&e.milestones) {
                tally.offer(m.is_defined().then_some(m.draws.as_slice()));
            }
            let h = &e.horizon;
            over_horizon.offer(h.is_defined().then_some(h.draws.as_slice()));
            medians.push(h.is_defined().then(|| h.draws[h.picks[1]]));
            if !plan.keep_draws {
                for m in e
                    .milestones
                    .iter_mut()
                    .chain(std::iter::once(&mut e.horizon))
                {
                    m.draws = Vec::new();
                }
            }
            estimates.push(e);
        }
    }
    for (k, tally) in at_milestones.into_iter().enumerate() {
        for (e, p) in estimates.iter_mut().zip(tally.finish()) {
            e.milestones[k].p_cheapest = p;
        }
    }
    for (e, p) in estimates.iter_mut().zip(over_horizon.finish()) {
        e.horizon.p_cheapest = p;
    }
    let crossovers = crossovers(
        &estimates,
        &medians,
        plan.leaders,
        &models,
        &draws,
        (&base_customers, slow_months),
        &customers_in,
    );
    // A draw with more customers costs more over the horizon and serves more
    // customer-months: per customer-month, each draw's cost is divided by its own.
    let customer_months = growth_input.map(|_| {
        (0..n)
            .map(|d| customers_in(d, &draws).iter().sum::<u64>() as f64)
            .collect()
    });
    Ok(ScenarioEstimate {
        scenario: scenario.id().to_owned(),
        settings,
        milestones: milestones.to_vec(),
        providers: estimates,
        crossovers,
        inputs: draws.inputs.list.clone(),
        draws,
        customer_months,
    })
}

/// Raw draws of one figure: costs, or why it is undefined (and whether because unavailable).
enum Raw {
    Costs(Vec<f64>),
    Undefined(String),
    Unavailable(String),
}

/// The figure is undefined in this draw: unavailable, or a price without an estimate.
fn raw_undefined(model: &CostModel<'_>, forms: &PointForms, cost: DrawCost) -> Raw {
    let why = undefined_reason(model, forms, cost);
    if matches!(cost, DrawCost::Unavailable) {
        Raw::Unavailable(why)
    } else {
        Raw::Undefined(why)
    }
}

fn undefined_reason(model: &CostModel<'_>, forms: &PointForms, cost: DrawCost) -> String {
    match cost {
        DrawCost::Unavailable => forms
            .unavailable
            .clone()
            .unwrap_or_else(|| "unavailable at this usage".into()),
        _ => format!(
            "no estimate for {}",
            model
                .missing_reason(forms)
                .unwrap_or_else(|| "an unpublished price".into())
        ),
    }
}

/// The monthly recurring cost at a milestone (month-1 prices), in every draw.
fn point_draws(model: &mut CostModel<'_>, draws: &mut Draws, customers: u64) -> Raw {
    let n = draws.n;
    let mut costs = Vec::with_capacity(n);
    let fixed = (!model.usage_varies()).then(|| model.point(customers, draws, 0));
    for d in 0..n {
        let forms = match &fixed {
            Some(f) => Rc::clone(f),
            None => model.point(customers, draws, d),
        };
        match model.monthly(&forms, 1, draws, d) {
            DrawCost::Cost(c) => costs.push(c),
            other => return raw_undefined(model, &forms, other),
        }
    }
    Raw::Costs(costs)
}

/// The forms of every month, when they do not vary by draw (fixed usage and growth).
struct MonthForms {
    /// Customers by month (the published growth).
    customers: Vec<u64>,
    /// `Some` when meters are the same in every draw.
    fixed: Option<Vec<Rc<PointForms>>>,
}

impl MonthForms {
    fn new(model: &mut CostModel<'_>, draws: &mut Draws, base: &[u64], slow: bool) -> MonthForms {
        let fixed = (!slow && !model.usage_varies())
            .then(|| base.iter().map(|&c| model.point(c, draws, 0)).collect());
        MonthForms {
            customers: base.to_vec(),
            fixed,
        }
    }
}

/// The cumulative cost by month of draw `d` (one-time costs in their month).
fn cumulative(
    model: &mut CostModel<'_>,
    draws: &mut Draws,
    months: &MonthForms,
    customers_in: &dyn Fn(usize, &Draws) -> Vec<u64>,
    d: usize,
    out: &mut Vec<f64>,
) -> Result<(), Raw> {
    out.clear();
    let owned;
    let customers: &[u64] = if months.fixed.is_some() {
        &months.customers
    } else {
        owned = customers_in(d, draws);
        &owned
    };
    let mut total = 0.0;
    for (i, &c) in customers.iter().enumerate() {
        let month = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let forms = match &months.fixed {
            Some(f) => Rc::clone(&f[i]),
            None => model.point(c, draws, d),
        };
        match model.monthly(&forms, month, draws, d) {
            DrawCost::Cost(x) => total += x,
            other => return Err(raw_undefined(model, &forms, other)),
        }
        match model.one_time_in(month, draws, d) {
            DrawCost::Cost(x) => total += x,
            other => return Err(raw_undefined(model, &forms, other)),
        }
        out.push(total);
    }
    Ok(())
}

/// The horizon total in every draw. With fixed meters and one plan left per month the
/// horizon's vendor fees are one linear form, so a draw is one dot product; otherwise the
/// months are summed draw by draw.
fn horizon_draws(
    model: &mut CostModel<'_>,
    draws: &mut Draws,
    months: &MonthForms,
    customers_in: &dyn Fn(usize, &Draws) -> Vec<u64>,
) -> Raw {
    let n = draws.n;
    let count = months.customers.len();
    let last = u32::try_from(count).unwrap_or(u32::MAX);
    if let Some(forms) = &months.fixed {
        if let Some(f) = forms.iter().find(|f| f.unavailable.is_some()) {
            return raw_undefined(model, f, DrawCost::Unavailable);
        }
        let singles: Option<Vec<Vec<Linear>>> =
            forms.iter().map(|f| CostModel::single(f)).collect();
        if let Some(singles) = singles
            && singles.iter().flatten().all(|l| l.missing.is_none())
        {
            let variants = singles.first().map_or(1, Vec::len);
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
                    let reason = forms
                        .first()
                        .map(|f| undefined_reason(model, f, DrawCost::Undefined))
                        .unwrap_or_default();
                    return Raw::Undefined(reason);
                };
                costs.push(vendor + labor * count as f64 + once);
            }
            return Raw::Costs(costs);
        }
    }
    let mut costs = Vec::with_capacity(n);
    let mut series = Vec::with_capacity(count);
    for d in 0..n {
        match cumulative(model, draws, months, customers_in, d, &mut series) {
            Ok(()) => costs.push(series.last().copied().unwrap_or(0.0)),
            Err(raw) => return raw,
        }
    }
    Raw::Costs(costs)
}

/// How many providers (cheapest by median horizon total) get crossover distributions.
const CROSSOVER_PROVIDERS: usize = 4;
/// How many of the best-ranked providers get them too, when the caller ranks
/// ([`simulate_ranked`]).
const CROSSOVER_LEADERS: usize = 2;
/// How many draws the crossover distributions use (the first ones of the same streams).
pub const CROSSOVER_DRAWS: usize = 2_000;
/// Crossovers that happen in fewer draws than this share are not reported.
const CROSSOVER_MIN_SHARE: f64 = 0.05;

/// Crossovers as distributions among the providers with the lowest median horizon totals and
/// the first `leaders` providers: in each draw, the month from which `cheaper`'s cumulative
/// cost stays below `than`'s, when it starts above it.
fn crossovers(
    estimates: &[ProviderEstimate],
    medians: &[Option<f64>],
    leaders: usize,
    models: &[CostModel<'_>],
    draws: &Draws,
    (base, slow): (&[u64], bool),
    customers_in: &dyn Fn(usize, &Draws) -> Vec<u64>,
) -> Vec<CrossoverEstimate> {
    // Month percentiles are whole months: the first draws of the same streams (at most
    // CROSSOVER_DRAWS) pin them down at a fraction of the cost of month-by-month series.
    let n = draws.n.min(CROSSOVER_DRAWS);
    let mut cands: Vec<(usize, f64)> = medians
        .iter()
        .enumerate()
        .filter_map(|(i, m)| m.map(|m| (i, m)))
        .collect();
    cands.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    cands.truncate(CROSSOVER_PROVIDERS);
    let mut cands: Vec<usize> = cands.into_iter().map(|(i, _)| i).collect();
    cands.extend((0..leaders.min(medians.len())).filter(|&i| medians[i].is_some()));
    cands.sort_unstable();
    cands.dedup();
    // Cumulative series of the candidates: [candidate][draw × months + month]. Every input
    // they read was drawn in the first pass, so rebuilding their forms draws nothing new.
    let mut draws_mut = draws.clone();
    let mut series: Vec<Vec<f64>> = Vec::new();
    let mut buf = Vec::new();
    let len = base.len();
    for &i in &cands {
        let mut model = models[i].clone();
        let months = MonthForms::new(&mut model, &mut draws_mut, base, slow);
        let mut all = Vec::with_capacity(n * len);
        for d in 0..n {
            if cumulative(
                &mut model,
                &mut draws_mut,
                &months,
                customers_in,
                d,
                &mut buf,
            )
            .is_err()
            {
                all.clear();
                break;
            }
            all.extend_from_slice(&buf);
        }
        series.push(all);
    }
    let mut out = Vec::new();
    for (a, &ia) in cands.iter().enumerate() {
        for (b, &ib) in cands.iter().enumerate() {
            if a == b || series[a].is_empty() || series[b].is_empty() || len == 0 {
                continue;
            }
            let mut at = Vec::new();
            for d in 0..n {
                let ca = &series[a][d * len..(d + 1) * len];
                let cb = &series[b][d * len..(d + 1) * len];
                if ca[0] > cb[0] && ca[len - 1] < cb[len - 1] {
                    // The first month from which a stays cheaper to the end.
                    let last_dearer = (0..len).rev().find(|&m| ca[m] >= cb[m]).unwrap_or(0);
                    at.push(u32::try_from(last_dearer + 2).unwrap_or(u32::MAX));
                }
            }
            let share = at.len() as f64 / n as f64;
            if share < CROSSOVER_MIN_SHARE {
                continue;
            }
            at.sort_unstable();
            let q = |p: f64| at[rank_of(p, at.len())];
            out.push(CrossoverEstimate {
                cheaper: estimates[ia].provider.clone(),
                than: estimates[ib].provider.clone(),
                probability: share,
                month_p10: q(0.1),
                month_p50: q(0.5),
                month_p90: q(0.9),
            });
        }
    }
    out.sort_by(|x, y| {
        y.probability
            .total_cmp(&x.probability)
            .then_with(|| x.cheaper.cmp(&y.cheaper))
            .then_with(|| x.than.cmp(&y.than))
    });
    out
}

/// Percentiles (re-priced exactly), drivers.
fn finish(
    p: &Provider,
    s: &Scenario,
    customers: Option<u64>,
    raw: Raw,
    draws: &Draws,
    read: &[usize],
) -> Result<PointEstimate, Overflow> {
    let costs = match raw {
        Raw::Undefined(why) => return Ok(PointEstimate::undefined(customers, why, false)),
        Raw::Unavailable(why) => return Ok(PointEstimate::undefined(customers, why, true)),
        Raw::Costs(c) => c,
    };
    let picks = percentile_draws(&costs);
    let mut exact = [Money::ZERO; 3];
    for (k, &d) in picks.iter().enumerate() {
        // Two picked draws that agree on every input the re-pricing reads price the same:
        // a provider without uncertain inputs is re-priced once, not three times.
        let same = (0..k).find(|&e| {
            read.iter()
                .all(|&i| draws.values[i][picks[e]].to_bits() == draws.values[i][d].to_bits())
        });
        exact[k] = match same {
            Some(e) => exact[e],
            None => match reprice(p, s, customers, draws, d)? {
                Some(m) => m,
                // The float model priced the draw but the exact engine finds a part without a
                // price: no input is known to reach this, and a float must never stand in for
                // a printed figure (it used to), so the estimate is undefined and says why.
                None => {
                    return Ok(PointEstimate::undefined(
                        customers,
                        format!("{}: draw {d} could not be re-priced exactly", p.name),
                        false,
                    ));
                }
            },
        };
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
        unavailable: false,
        drivers: drivers(p, &costs, draws),
        draws: costs,
        picks,
    })
}

/// The draws at the nearest-rank P10, P50 and P90 of `costs`, ties broken by draw index (the
/// draws a full sort would give), by selection in linear time. Each selection keeps to the
/// part above the previous pick, and compares packed keys (the cost's `total_cmp` order as
/// an integer, then the index) rather than looking each cost up.
fn percentile_draws(costs: &[f64]) -> [usize; 3] {
    let n = costs.len();
    let mut order: Vec<(u64, usize)> = costs
        .iter()
        .enumerate()
        .map(|(d, &c)| (crate::score::smaa::total_key(c), d))
        .collect();
    let mut from = 0;
    [0.1, 0.5, 0.9].map(|q| {
        let k = rank_of(q, n).max(from);
        order[from..].select_nth_unstable(k - from);
        from = k;
        order[k].1
    })
}

/// Which inputs each provider's exact re-pricing reads ([`provider_at`], [`scenario_at`]):
/// its own, and the scenario's assumptions that apply to it (not another provider's
/// discount).
struct RepricingInputs<'a> {
    own: std::collections::HashMap<&'a str, Vec<usize>>,
    shared: Vec<usize>,
}

impl<'a> RepricingInputs<'a> {
    fn new(list: &'a [Input]) -> RepricingInputs<'a> {
        let mut own: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
        let mut shared = Vec::new();
        for (i, input) in list.iter().enumerate() {
            match (&input.provider, input.key.strip_prefix("scenario:")) {
                (Some(id), _) => own.entry(id.as_str()).or_default().push(i),
                (None, Some(path)) => match super::cost_model::discount_of(path) {
                    Some(id) => own.entry(id).or_default().push(i),
                    None => shared.push(i),
                },
                // Not an input re-pricing reads; counted anyway, so nothing is missed.
                (None, None) => shared.push(i),
            }
        }
        RepricingInputs { own, shared }
    }

    /// The inputs provider `id`'s re-pricing reads, in index order.
    fn of(&self, id: &str) -> Vec<usize> {
        let mut out = self.shared.clone();
        out.extend(self.own.get(id).into_iter().flatten());
        out.sort_unstable();
        out
    }
}

/// The exact cost of draw `d`: the catalog with the draw written in, through the cost engine
/// (at `customers`, or over the horizon when `None`).
pub(super) fn reprice(
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
        .filter(|(i, _)| match i.provider.as_deref() {
            Some(id) => id == p.id(),
            None => super::cost_model::assumption_applies(&i.path, p.id()),
        })
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

pub use super::cheapest::p_cheapest;

/// How many draws the chart bands use (the first draws of the same streams): enough for a
/// P10–P90 area on a picture, at a tenth of the cost of the tables' draws.
pub const CURVE_DRAWS: usize = 1_000;

/// A provider's estimated effective monthly cost along the cost-versus-customers curve (for
/// charts only: floats, never printed as money).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CurveBand {
    /// Provider id.
    pub provider: String,
    /// `(customers, p10, p50, p90)` at each count where every draw is defined.
    pub points: Vec<(u64, f64, f64, f64)>,
}

/// P10 / P50 / P90 of the effective monthly cost (recurring cost plus one-time costs spread
/// over the horizon, as the published curve) at each customer count, for the providers whose
/// estimate is defined there. Uses `min(draws, CURVE_DRAWS)` draws. Each input's draws come from
/// its own keyed stream, so a provider's band is the same whichever other providers are
/// estimated with it.
pub fn curve_bands(
    providers: &[&Provider],
    scenario: &Scenario,
    counts: &[u64],
    settings: Settings,
) -> Vec<CurveBand> {
    bands_with(providers, scenario, counts, settings, false)
        .into_iter()
        .filter(|b| !b.points.is_empty())
        .collect()
}

/// Whether each provider's [`curve_bands`] band has a point (in the order given): its estimate
/// is defined at some count. Stops at the first such count, so it costs a provider one
/// count's draws where [`curve_bands`] costs every count's, and a sort less at each.
pub fn has_bands(
    providers: &[&Provider],
    scenario: &Scenario,
    counts: &[u64],
    settings: Settings,
) -> Vec<bool> {
    bands_with(providers, scenario, counts, settings, true)
        .iter()
        .map(|b| !b.points.is_empty())
        .collect()
}

/// Every provider's band, in order (empty where the estimate is never defined). With `probe`,
/// a band stops at its first point and that point's percentiles are not taken (they read 0):
/// only whether there is one is asked.
fn bands_with(
    providers: &[&Provider],
    scenario: &Scenario,
    counts: &[u64],
    settings: Settings,
    probe: bool,
) -> Vec<CurveBand> {
    let n = settings.draws.clamp(1, CURVE_DRAWS);
    let mut draws = Draws::new(n, settings.seed);
    let horizon = scenario.horizon();
    let spread_months = f64::from(horizon.max(1));
    let mut out = Vec::with_capacity(providers.len());
    for p in providers {
        let mut model = CostModel::new(p, scenario, &mut draws.inputs);
        draws.sync();
        let mut points = Vec::new();
        let mut costs = vec![0.0; n];
        'count: for &c in counts {
            if probe && !points.is_empty() {
                break;
            }
            // With fixed usage the forms are the same in every draw: look them up once.
            let fixed = (!model.usage_varies()).then(|| model.point(c, &mut draws, 0));
            for (d, slot) in costs.iter_mut().enumerate() {
                let forms = match &fixed {
                    Some(f) => Rc::clone(f),
                    None => model.point(c, &mut draws, d),
                };
                let DrawCost::Cost(once) = model.one_time(Some(horizon), &draws, d) else {
                    continue 'count;
                };
                match model.monthly(&forms, 1, &draws, d) {
                    DrawCost::Cost(x) => *slot = x + once / spread_months,
                    _ => continue 'count,
                }
            }
            if probe {
                // Only whether there is a point matters, not where.
                points.push((c, 0.0, 0.0, 0.0));
                continue;
            }
            let mut sorted = costs.clone();
            sorted.sort_by(f64::total_cmp);
            let q = |p: f64| sorted[rank_of(p, n)];
            points.push((c, q(0.1), q(0.5), q(0.9)));
        }
        out.push(CurveBand {
            provider: p.id().to_owned(),
            points,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The picks are the draws a full sort by (cost, draw index) puts at the nearest-rank
        /// P10, P50 and P90: with ties (few distinct costs), negative zero and negatives.
        #[test]
        fn percentile_picks_are_the_sorted_draws(
            costs in proptest::collection::vec(
                proptest::sample::select(vec![-3.5_f64, -0.0, 0.0, 1.0, 2.25, 1e9]),
                1..200,
            ),
        ) {
            let mut sorted: Vec<usize> = (0..costs.len()).collect();
            sorted.sort_by(|&a, &b| costs[a].total_cmp(&costs[b]).then(a.cmp(&b)));
            let expected = [0.1, 0.5, 0.9].map(|q| sorted[rank_of(q, costs.len())]);
            proptest::prop_assert_eq!(percentile_draws(&costs), expected);
        }
    }

    /// Re-pricing reads a provider's own inputs and the shared assumptions, never another
    /// provider's discount.
    #[test]
    fn repricing_reads_own_and_shared_inputs_only() {
        let input = |key: &str, provider: Option<&str>| Input {
            key: key.into(),
            provider: provider.map(Into::into),
            owner: String::new(),
            path: String::new(),
            kind: InputKind::Assumption,
            dist: Dist::Bernoulli { p: 0.5 },
            label: String::new(),
            question: String::new(),
        };
        let list = [
            input("scenario:growth.end", None),
            input("a:pricing.tier_mode", Some("a")),
            input("scenario:billing.discounts.b", None),
            input("b:pricing.plans.main.base_fee", Some("b")),
            input("scenario:billing.discounts.a", None),
        ];
        let read = RepricingInputs::new(&list);
        assert_eq!(read.of("a"), [0, 1, 4]);
        assert_eq!(read.of("b"), [0, 2, 3]);
        assert_eq!(read.of("c"), [0]);
    }
}
