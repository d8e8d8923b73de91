//! Costs of every provider under one scenario: at milestone customer counts, month by month,
//! along the cost-versus-customers curve, with cheapest bands and crossovers.

use super::cost_value::CostValue;
use super::crossover::{Band, Crossover, Curve, CurvePoint, MAX_CURVE_CUSTOMERS};
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

/// Projects every provider and computes curves, bands and crossovers. Curves, bands and
/// customer-count crossovers use the *effective* monthly cost: recurring plus one-time costs
/// spread over the horizon.
pub fn project_scenario(
    providers: &[&Provider],
    scenario: &Scenario,
) -> Result<ScenarioProjection, Overflow> {
    project_scenario_with(providers, scenario, true, 1)
}

/// [`project_scenario`] on up to `threads` threads (providers are independent), keeping each
/// month's line items only when `keep_lines` (`project` prints them only as JSON; without
/// them 10,000 providers' projections take a tenth of the memory).
pub fn project_scenario_with(
    providers: &[&Provider],
    scenario: &Scenario,
    keep_lines: bool,
    threads: usize,
) -> Result<ScenarioProjection, Overflow> {
    let horizon = scenario.horizon();
    let customers = monthly_customers(scenario);
    let curve_max = curve_max(scenario, &customers);
    let one = |p: &Provider| -> Result<(Projection, Curve), Overflow> {
        let cx = QuoteContext::new(p, scenario).lean();
        let totals = cx.totals();
        let projection = if keep_lines {
            project(&cx, &customers)?
        } else {
            project_totals(&totals, &customers)?
        };
        // Effective monthly cost: recurring cost plus one-time costs spread evenly over the
        // horizon, so a build-it-yourself option's up-front cost is not ignored.
        let one_time = quote(&cx, cx.meters(0), 1, OneTime::UpTo(horizon))?.one_time;
        let spread = spread_over(&one_time, horizon)?;
        let mut costs = Vec::with_capacity(usize::try_from(curve_max).unwrap_or(0));
        for n in 1..=curve_max {
            costs.push(CurvePoint::from(
                &quote(&totals, cx.meters(n), 1, OneTime::InMonth(0))?
                    .recurring
                    .plus(&spread)?,
            ));
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
    let mut curves = Vec::with_capacity(providers.len());
    for done in crate::parallel::map_on(threads, providers.to_vec(), one) {
        let (projection, curve) = done?;
        projections.push(projection);
        curves.push(curve);
    }
    let curve_min = scenario
        .milestones()
        .into_iter()
        .chain(customers.iter().copied())
        .filter(|&n| n > 0)
        .min()
        .unwrap_or(1)
        .clamp(1, curve_max);
    let bands = super::crossover::cheapest_bands_from(&curves, curve_min);
    let series: Vec<(String, Vec<Option<Money>>)> = curves
        .iter()
        .map(|c| {
            (
                c.provider.clone(),
                c.costs.iter().map(CurvePoint::amount).collect(),
            )
        })
        .collect();
    let month_of = |n: u64| {
        customers
            .iter()
            .position(|&c| c >= n)
            .map(|i| u32::try_from(i + 1).unwrap_or(u32::MAX))
    };
    let crossovers = super::crossover::crossovers_from(&series, curve_min, &month_of);
    let cumulative: Vec<(String, Vec<Option<Money>>)> = projections
        .iter()
        .map(|p| {
            (
                p.provider.clone(),
                p.months.iter().map(|m| m.cumulative.amount()).collect(),
            )
        })
        .collect();
    let cumulative_crossovers =
        super::crossover::crossovers(&cumulative, &|m| u32::try_from(m).ok());
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
