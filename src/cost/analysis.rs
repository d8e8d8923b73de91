//! Costs of every provider under one scenario: at milestone customer counts, month by month,
//! along the cost-versus-customers curve, with cheapest bands and crossovers.

use super::cost_value::CostValue;
use super::crossover::{
    Band, BandTally, CandidateSeries, Crossover, Curve, CurvePoint, MAX_CURVE_CUSTOMERS,
};
use super::curve_pricer::CurvePricer;
use super::growth::GrowthCurve;
use super::money::{Money, Overflow};
use super::projection::{Projection, customers_by_month, project, project_totals};
use super::quote::{OneTime, Quote, QuoteContext, quote};
use crate::model::{Provider, Scenario};
use rust_decimal::Decimal;
use serde::Serialize;

/// One provider at one customer count, in steady state (month 1 prices, every one-time cost).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MilestoneCost {
    /// Provider id.
    pub provider: String,
    /// Customer count.
    pub customers: u64,
    /// The quote.
    pub quote: Quote,
    /// 12 × the monthly recurring cost.
    pub annual: CostValue,
    /// Annual plus the one-time costs due in months 1–12.
    pub first_year: CostValue,
    /// Monthly recurring cost per customer (exact; rounded only when shown).
    pub per_customer: Option<Money>,
}

/// Steady-state costs of each provider at each customer count.
pub fn milestone_costs(
    providers: &[&Provider],
    scenario: &Scenario,
    counts: &[u64],
) -> Result<Vec<MilestoneCost>, Overflow> {
    let mut out = Vec::with_capacity(providers.len() * counts.len());
    for &n in counts {
        for p in providers {
            let cx = QuoteContext::new(p, scenario);
            let q = quote(&cx, cx.meters(n), 1, OneTime::All)?;
            let annual = q.recurring.times(12)?;
            // First year: twelve months of recurring cost plus the one-time costs due in it.
            let first_year_one_time = quote(&cx, cx.meters(n), 1, OneTime::UpTo(12))?.one_time;
            let first_year = annual.plus(&first_year_one_time)?;
            let per_customer = q
                .recurring
                .amount()
                .and_then(|a| a.0.checked_div(Decimal::from(n.max(1))))
                .map(Money);
            out.push(MilestoneCost {
                provider: p.id().to_owned(),
                customers: n,
                quote: q,
                annual,
                first_year,
                per_customer,
            });
        }
    }
    Ok(out)
}

/// Everything time-dependent about a scenario.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioProjection {
    /// Customers per month (index 0 = month 1).
    pub customers: Vec<u64>,
    /// One projection per provider, in provider order.
    pub projections: Vec<Projection>,
    /// The smallest customer count the scenario covers (its smallest monthly count or
    /// milestone): bands and crossovers start here.
    pub curve_min: u64,
    /// The largest customer count on the cost curves.
    pub curve_max: u64,
    /// Cheapest provider per band of customer counts (effective monthly cost, steady state).
    pub bands: Vec<Band>,
    /// Customer counts where two providers' effective monthly costs swap order.
    pub crossovers: Vec<Crossover>,
    /// Months where two providers' cumulative costs swap order (one-time costs included).
    pub cumulative_crossovers: Vec<Crossover>,
    /// Each provider's effective monthly cost (recurring + one-time ÷ horizon) at customer
    /// counts 1..=`curve_max`; not serialized.
    #[serde(skip)]
    pub curves: Vec<Curve>,
}

/// Customers per month over the scenario's horizon (index 0 = month 1).
fn monthly_customers(scenario: &Scenario) -> Vec<u64> {
    let horizon = scenario.horizon();
    GrowthCurve::from_spec(&scenario.growth, horizon)
        .map(|c| customers_by_month(&c, horizon))
        .unwrap_or_default()
}

/// The largest customer count on the cost curves: the largest milestone or monthly count.
fn curve_max(scenario: &Scenario, customers: &[u64]) -> u64 {
    scenario
        .milestones()
        .into_iter()
        .chain(customers.iter().copied())
        .max()
        .unwrap_or(1)
        .clamp(1, MAX_CURVE_CUSTOMERS)
}

/// A scenario's share of the work of [`project_scenario`] relative to others over the same
/// providers, in quotes per provider: a point per customer count on the curve and one per
/// month. Used to start the largest scenarios first.
pub fn projection_work(scenario: &Scenario) -> u64 {
    let customers = monthly_customers(scenario);
    curve_max(scenario, &customers) + u64::from(scenario.horizon())
}

/// One-time costs as a monthly amount over `months` (exact division, not rounded).
fn spread_over(one_time: &CostValue, months: u32) -> Result<CostValue, Overflow> {
    let div = |m: Money| {
        m.0.checked_div(Decimal::from(months.max(1)))
            .map(Money)
            .ok_or(Overflow)
    };
    Ok(match one_time {
        CostValue::Known { amount } => CostValue::Known {
            amount: div(*amount)?,
        },
        CostValue::AtLeast { floor, unknown } => CostValue::AtLeast {
            floor: div(*floor)?,
            unknown: unknown.clone(),
        },
        CostValue::Unavailable { reason } => CostValue::Unavailable {
            reason: reason.clone(),
        },
    })
}

/// A provider's effective monthly cost at `n` customers (recurring at steady state plus the
/// one-time costs of the horizon spread over it), as on the cost curves.
pub fn effective_cost(p: &Provider, scenario: &Scenario, n: u64) -> Result<CurvePoint, Overflow> {
    let horizon = scenario.horizon();
    let cx = QuoteContext::new(p, scenario).lean();
    let recurring = quote(&cx, cx.meters(n), 1, OneTime::All)?.recurring;
    let one_time = quote(&cx, cx.meters(0), 1, OneTime::UpTo(horizon))?.one_time;
    CurvePoint::from(&recurring).plus(&spread_over(&one_time, horizon)?)
}

/// A provider's two readings of its unstated tier modes: a copy with every unstated table
/// graduated, then a copy with every one volume (one draw decides all of a provider's
/// unstated tables: a vendor bills them one way). `None` when the provider states every mode.
pub fn tier_readings(p: &Provider) -> Option<[Provider; 2]> {
    use crate::model::TierMode;
    let pricing = &p.pricing;
    let unstated = pricing
        .plans
        .iter()
        .flat_map(|plan| &plan.charges)
        .chain(pricing.addons.iter().flat_map(|a| &a.charges))
        .any(|c| c.mode == Some(TierMode::Unstated));
    if !unstated {
        return None;
    }
    Some([TierMode::Graduated, TierMode::Volume].map(|reading| {
        let mut fixed = p.clone();
        let pricing = &mut fixed.pricing;
        for c in pricing
            .plans
            .iter_mut()
            .flat_map(|plan| plan.charges.iter_mut())
            .chain(pricing.addons.iter_mut().flat_map(|a| a.charges.iter_mut()))
        {
            if c.mode == Some(TierMode::Unstated) {
                c.mode = Some(reading);
            }
        }
        fixed
    }))
}

/// The largest of a provider's effective monthly costs at `n` customers under each reading
/// of its unstated tier modes ([`tier_readings`]), when both readings are fully published.
/// `None` when the provider states every mode, or when a reading is partly unknown or
/// unavailable for another reason. The published figure is then "at least the lower
/// reading"; this is the upper end, so a provider cheaper than another even at its upper end
/// is cheaper whichever mode it bills.
pub fn upper_over_tier_readings(
    p: &Provider,
    scenario: &Scenario,
    n: u64,
) -> Result<Option<Money>, Overflow> {
    let Some(readings) = tier_readings(p) else {
        return Ok(None);
    };
    let mut upper: Option<Money> = None;
    for fixed in &readings {
        let CurvePoint::Known(cost) = effective_cost(fixed, scenario, n)? else {
            return Ok(None);
        };
        upper = Some(upper.map_or(cost, |u| if cost.0 > u.0 { cost } else { u }));
    }
    Ok(upper)
}

/// Whether two quotes buy the same plan and add-ons.
pub fn same_purchase(a: &Quote, b: &Quote) -> bool {
    a.plan == b.plan && a.addons == b.addons
}

/// The recurring costs of the two reading quotes at one point ([`tier_readings`]), as
/// (graduated, volume), when `published` (the quote as published at that point) is partly
/// unknown and both readings are fully published and buy the plan and add-ons `published`
/// assumes: the tier mode is then its only unknown, and its bill is one of the two. (A
/// reading can make a plan fully known that the published quote passed over for another
/// plan's lower floor; the unknown is then that plan's unpriced part.) The one rule the
/// pricing axis and the summary's cost notes share.
pub fn point_readings(
    published: &Quote,
    graduated: &Quote,
    volume: &Quote,
) -> Option<(Money, Money)> {
    let only_the_mode = matches!(published.recurring, CostValue::AtLeast { .. })
        && same_purchase(published, graduated)
        && same_purchase(published, volume);
    if !only_the_mode {
        return None;
    }
    Some((graduated.recurring.amount()?, volume.recurring.amount()?))
}

/// A cost that is unknown only because a tier table's mode is unstated: the provider's cost
/// under each reading (every unstated table graduated, then every one volume; see
/// [`tier_readings`]). The true cost is one of the two, and the same reading
/// holds at every point (one draw decides all of a provider's unstated tables).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TierReadings {
    /// The cost with every unstated table graduated, in the scenario's currency.
    pub graduated: Money,
    /// The cost with every unstated table volume, in the scenario's currency.
    pub volume: Money,
}

impl TierReadings {
    /// The two readings' costs, when both are fully published.
    pub fn of(graduated: &CostValue, volume: &CostValue) -> Option<Self> {
        Some(Self {
            graduated: graduated.amount()?,
            volume: volume.amount()?,
        })
    }

    /// The cheaper and the dearer reading.
    pub fn range(&self) -> (Money, Money) {
        if self.graduated.0 <= self.volume.0 {
            (self.graduated, self.volume)
        } else {
            (self.volume, self.graduated)
        }
    }
}

/// What a provider's two tier-mode readings say at a scenario's milestones and over its
/// horizon ([`mode_readings`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModeReadings {
    /// Per milestone (in the order given), the readings where the tier mode is the cost's
    /// only unknown.
    pub milestones: Vec<Option<TierReadings>>,
    /// The same for the cumulative cost over the horizon.
    pub horizon: Option<TierReadings>,
    /// Whether a reading that is used runs through a labelled estimate.
    pub uses_estimates: bool,
}

/// Prices both readings of a provider's unstated tier modes ([`tier_readings`]) at the scored
/// milestones and over the horizon. A milestone gets its readings by [`point_readings`] (the
/// tier mode is its only unknown); the horizon by the same rule, with every month buying what
/// the published month buys. `rows` and `projection` are the provider's published costs at
/// `milestones` and over the months of `customers`. The pricing axis keeps [0, floor] at any
/// other point.
pub fn mode_readings(
    provider: &Provider,
    scenario: &Scenario,
    milestones: &[u64],
    customers: &[u64],
    rows: &[MilestoneCost],
    projection: &Projection,
) -> ModeReadings {
    let Some([graduated, volume]) = tier_readings(provider) else {
        return ModeReadings::default();
    };
    let each = |p: &Provider| -> Result<_, Overflow> {
        let rows = milestone_costs(&[p], scenario, milestones)?;
        let projection = project_totals(&QuoteContext::new(p, scenario).lean(), customers)?;
        Ok((rows, projection))
    };
    // A reading too large for the decimal type is no reading: the point keeps [0, floor]
    // rather than failing a ranking that the published quote can score.
    let (Ok((g_rows, g_proj)), Ok((v_rows, v_proj))) = (each(&graduated), each(&volume)) else {
        return ModeReadings::default();
    };
    let same = same_purchase;
    let partly = |c: &CostValue| matches!(c, CostValue::AtLeast { .. });
    let milestones: Vec<Option<TierReadings>> = rows
        .iter()
        .zip(g_rows.iter().zip(&v_rows))
        .map(|(r, (g, v))| {
            point_readings(&r.quote, &g.quote, &v.quote)
                .map(|(graduated, volume)| TierReadings { graduated, volume })
        })
        .collect();
    let months_buy_the_same = projection.months.len() == g_proj.months.len()
        && projection.months.len() == v_proj.months.len()
        && projection
            .months
            .iter()
            .zip(g_proj.months.iter().zip(&v_proj.months))
            .all(|(m, (g, v))| same(&m.quote, &g.quote) && same(&m.quote, &v.quote));
    let horizon = match (
        projection.horizon_total(),
        g_proj.horizon_total(),
        v_proj.horizon_total(),
    ) {
        (Some(c), Some(g), Some(v)) if partly(c) && months_buy_the_same => TierReadings::of(g, v),
        _ => None,
    };
    // The dearer reading may run through an estimated band the published floor skipped.
    let used = milestones.iter().any(Option::is_some) || horizon.is_some();
    let uses_estimates = used
        && g_rows
            .iter()
            .chain(&v_rows)
            .map(|r| &r.quote)
            .chain(g_proj.months.iter().chain(&v_proj.months).map(|m| &m.quote))
            .any(|q| q.uses_estimates);
    ModeReadings {
        milestones,
        horizon,
        uses_estimates,
    }
}

/// A provider's monthly recurring cost at `n` customers under each reading of its unstated
/// tier modes, as (graduated, volume), by [`point_readings`] against `published`, its quote at
/// `n`. `None` when that rule says so, or when a reading is too large for the decimal type.
pub fn recurring_readings(
    p: &Provider,
    scenario: &Scenario,
    published: &Quote,
    n: u64,
) -> Option<(Money, Money)> {
    if !matches!(published.recurring, CostValue::AtLeast { .. }) {
        return None;
    }
    let [graduated, volume] = tier_readings(p)?.map(|fixed| {
        let cx = QuoteContext::new(&fixed, scenario).lean();
        quote(&cx, cx.meters(n), 1, OneTime::All).ok()
    });
    point_readings(published, &graduated?, &volume?)
}

/// Projects every provider and computes curves, bands and crossovers. Curves, bands and
/// customer-count crossovers use the *effective* monthly cost: recurring plus one-time costs
/// spread over the horizon.
pub fn project_scenario(
    providers: &[&Provider],
    scenario: &Scenario,
) -> Result<ScenarioProjection, Overflow> {
    project_scenario_with(
        providers,
        scenario,
        Keep {
            lines: true,
            curves: true,
            months: true,
        },
        1,
        &mut |_| {},
    )
}

/// What a projection keeps besides the totals, bands and crossovers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keep {
    /// Each month's line items (`project` prints them only as JSON; without them 10,000
    /// providers' projections take a tenth of the memory).
    pub lines: bool,
    /// Each provider's cost curve (charts draw them; `project` prints only the bands and
    /// crossovers computed from them, and 10,000 providers' curves are 200 MB).
    pub curves: bool,
    /// Each provider's months in the result (without them, `project_scenario_with` hands
    /// each projection to its caller and drops it: 10,000 providers' months are 470 MB).
    pub months: bool,
}

/// Providers priced per thread before their curves are folded into the bands and crossover
/// candidates (and dropped, unless kept).
const CHUNK_PER_THREAD: usize = 64;

/// [`project_scenario`] on up to `threads` threads (providers are independent), keeping what
/// `keep` says and showing `each` every provider's projection, in provider order, as it is
/// made. Bands and crossovers are the same whatever is kept.
pub fn project_scenario_with(
    providers: &[&Provider],
    scenario: &Scenario,
    keep: Keep,
    threads: usize,
    each: &mut dyn FnMut(&Projection),
) -> Result<ScenarioProjection, Overflow> {
    let horizon = scenario.horizon();
    let customers = monthly_customers(scenario);
    let curve_max = curve_max(scenario, &customers);
    let curve_min = scenario
        .milestones()
        .into_iter()
        .chain(customers.iter().copied())
        .filter(|&n| n > 0)
        .min()
        .unwrap_or(1)
        .clamp(1, curve_max);
    // Meters depend on the scenario's usage alone: computed once for every provider's curve
    // (decimal products and ceilings were a tenth of the curves' time).
    let rates = super::meters::UsageRates::new(&scenario.usage);
    let curve_meters: Vec<super::meters::Meters> =
        (1..=curve_max).map(|n| rates.meters(n)).collect();
    let one = |p: &Provider| -> Result<(Projection, Curve), Overflow> {
        let cx = QuoteContext::new(p, scenario).lean();
        let totals = cx.totals();
        // Months are priced with labels even without line items: a partly unknown total
        // names its unknown parts.
        let projection = if keep.lines {
            project(&cx, &customers)?
        } else {
            project_totals(&cx, &customers)?
        };
        // Effective monthly cost: recurring cost plus one-time costs spread evenly over the
        // horizon, so a build-it-yourself option's up-front cost is not ignored.
        let one_time = quote(&cx, cx.meters(0), 1, OneTime::UpTo(horizon))?.one_time;
        let spread = spread_over(&one_time, horizon)?;
        let mut costs = Vec::with_capacity(usize::try_from(curve_max).unwrap_or(0));
        let mut pricer = CurvePricer::new(&totals);
        for meters in &curve_meters {
            costs.push(pricer.point(meters)?.plus(&spread)?);
        }
        Ok((
            projection,
            Curve {
                provider: p.id().to_owned(),
                costs,
            },
        ))
    };
    let mut projections = Vec::with_capacity(providers.len());
    let mut curves = Vec::new();
    let mut bands = BandTally::new(curve_min);
    let mut candidates = CandidateSeries::default();
    let mut cumulative = CandidateSeries::default();
    for part in providers.chunks(CHUNK_PER_THREAD * threads.max(1)) {
        for done in crate::parallel::map_on(threads, part.to_vec(), one) {
            let (projection, curve) = done?;
            each(&projection);
            cumulative.offer((
                projection.provider.clone(),
                projection
                    .months
                    .iter()
                    .map(|m| m.cumulative.amount())
                    .collect(),
            ));
            if keep.months {
                projections.push(projection);
            }
            bands.offer(&curve);
            candidates.offer((
                curve.provider.clone(),
                curve.costs.iter().map(CurvePoint::amount).collect(),
            ));
            if keep.curves {
                curves.push(curve);
            }
        }
    }
    let bands = bands.finish();
    let month_of = |n: u64| {
        customers
            .iter()
            .position(|&c| c >= n)
            .map(|i| u32::try_from(i + 1).unwrap_or(u32::MAX))
    };
    let crossovers = candidates.crossovers(curve_min, &month_of);
    let cumulative_crossovers = cumulative.crossovers(1, &|m| u32::try_from(m).ok());
    Ok(ScenarioProjection {
        customers,
        projections,
        curve_min,
        curve_max,
        bands,
        crossovers,
        cumulative_crossovers,
        curves,
    })
}

/// Projects every provider under every scenario on all cores (scenarios are independent),
/// without line explanations. Results are in scenario order, then provider order.
pub fn project_catalog(
    providers: &[&Provider],
    scenarios: &[Scenario],
) -> Result<Vec<Vec<Projection>>, Overflow> {
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .clamp(1, scenarios.len().max(1));
    let chunk = scenarios.len().div_ceil(workers).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = scenarios
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|s| {
                            let customers = monthly_customers(s);
                            providers
                                .iter()
                                .map(|p| {
                                    project_totals(&QuoteContext::new(p, s).lean(), &customers)
                                })
                                .collect::<Result<Vec<_>, _>>()
                        })
                        .collect::<Result<Vec<_>, Overflow>>()
                })
            })
            .collect();
        let mut out = Vec::with_capacity(scenarios.len());
        for h in handles {
            // A worker panics only on a bug: re-raise it rather than lose its results.
            match h.join() {
                Ok(r) => out.extend(r?),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        Ok(out)
    })
}
