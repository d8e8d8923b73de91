//! The month-by-month projection of one provider under one scenario.

use super::cost_value::CostValue;
use super::growth::GrowthCurve;
use super::money::Overflow;
use super::quote::{OneTime, Quote, QuoteContext, quote};
use serde::Serialize;

/// One month of a projection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectionMonth {
    /// Month number, 1-based.
    pub month: u32,
    /// Whole customers this month.
    pub customers: u64,
    /// The month's quote (plan, lines, recurring and one-time totals).
    pub quote: Quote,
    /// Recurring plus one-time cost of the month.
    pub total: CostValue,
    /// Sum of `total` from month 1 to this month.
    pub cumulative: CostValue,
}

/// A provider's projection over the scenario's horizon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Projection {
    /// Provider id.
    pub provider: String,
    /// One entry per month.
    pub months: Vec<ProjectionMonth>,
}

impl Projection {
    /// The cumulative cost at the end of the horizon.
    pub fn horizon_total(&self) -> Option<&CostValue> {
        self.months.last().map(|m| &m.cumulative)
    }
}

/// The customer count of every month of a scenario.
pub fn customers_by_month(curve: &GrowthCurve, horizon: u32) -> Vec<u64> {
    (1..=horizon).map(|m| curve.customers(m)).collect()
}

/// Projects one provider month by month, keeping every month's line items.
pub fn project(cx: &QuoteContext<'_>, customers: &[u64]) -> Result<Projection, Overflow> {
    project_with(cx, customers, true)
}

/// Projects one provider month by month, keeping only totals (line items are dropped as soon
/// as they are summed): for bulk work such as ranking large catalogs.
pub fn project_totals(cx: &QuoteContext<'_>, customers: &[u64]) -> Result<Projection, Overflow> {
    project_with(cx, customers, false)
}

fn project_with(
    cx: &QuoteContext<'_>,
    customers: &[u64],
    keep_lines: bool,
) -> Result<Projection, Overflow> {
    let mut months = Vec::with_capacity(customers.len());
    let mut cumulative = CostValue::zero();
    for (i, &n) in customers.iter().enumerate() {
        let month = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let mut q = quote(cx, cx.meters(n), month, OneTime::InMonth(month))?;
        let total = q.recurring.plus(&q.one_time)?;
        if !keep_lines {
            q.lines = Vec::new();
            q.one_time_lines = Vec::new();
            q.plans = Vec::new();
        }
        cumulative = cumulative.plus(&total)?;
        months.push(ProjectionMonth {
            month,
            customers: n,
            quote: q,
            total,
            cumulative: cumulative.clone(),
        });
    }
    Ok(Projection {
        provider: cx.provider.id().to_owned(),
        months,
    })
}
