//! What the pricing axis knows about a provider's costs under a scenario: the monthly cost at
//! each milestone and the cumulative cost over the horizon, from the cost engine.

use super::value::Value;
use crate::cost::CostValue;
use crate::cost::money::Money;
use crate::cost::schedule::group;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// The default budget anchor: a monthly cost per customer that scores 0.
pub const DEFAULT_ANCHOR: u32 = 150;

/// Cost evidence for the pricing axis.
#[derive(Debug, Clone)]
pub struct PricingEvidence {
    /// Reporting currency.
    pub currency: String,
    /// Monthly cost per customer that scores 0.
    pub anchor: Decimal,
    /// Monthly recurring cost at each milestone customer count.
    pub milestones: Vec<(u64, CostValue)>,
    /// Cumulative cost over the horizon (one-time costs included) and the customer-months it
    /// served.
    pub horizon: Option<(CostValue, u64)>,
    /// Where a milestone's cost is unknown only because a tier table's mode is unstated: its
    /// cost under each reading of the mode (same order as `milestones`; empty when the
    /// provider states every mode).
    pub milestone_readings: Vec<Option<TierReadings>>,
    /// The same for the horizon's cumulative cost.
    pub horizon_readings: Option<TierReadings>,
    /// Whether labelled estimates were used.
    pub uses_estimates: bool,
    /// The plans and add-ons costed at the scored milestones, with the features every one of
    /// them unlocks (`None` when no milestone is scored).
    pub costed: Option<CostedPlan>,
}

/// The plans (and add-ons) the cost figures assume.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostedPlan {
    /// The plan id at the largest scored milestone that a plan serves (empty when none does).
    pub plan: String,
    /// Every plan id costed at a scored milestone, in milestone order, each once.
    pub plans: Vec<String>,
    /// Add-on ids bought with them.
    pub addons: Vec<String>,
    /// Features that every costed plan, with its add-ons, unlocks.
    pub features: Vec<String>,
}

pub use crate::cost::analysis::TierReadings;

impl PricingEvidence {
    /// Share of milestones with a published cost: known 1, known up to an unstated tier mode
    /// 1 (every price is published; the mode's bounded gap already costs pessimistic cost
    /// points), otherwise partly unknown 0.5 (0 when nothing at all is published),
    /// unavailable 0.
    pub fn transparency(&self) -> f64 {
        if self.milestones.is_empty() {
            return 0.0;
        }
        let sum: f64 = self
            .milestones
            .iter()
            .enumerate()
            .map(|(k, (_, c))| match c {
                CostValue::Known { .. } => 1.0,
                CostValue::AtLeast { .. } if self.milestone_reading(k).is_some() => 1.0,
                CostValue::AtLeast { floor, .. } if !floor.is_zero() => 0.5,
                _ => 0.0,
            })
            .sum();
        sum / self.milestones.len() as f64
    }

    /// A description of the transparency level.
    pub fn transparency_level(&self) -> String {
        self.milestones
            .iter()
            .enumerate()
            .map(|(k, (n, c))| {
                format!(
                    "{}: {}",
                    group(*n),
                    match c {
                        CostValue::Known { .. } => "published",
                        CostValue::AtLeast { .. } if self.milestone_reading(k).is_some() =>
                            "published (tier mode unstated)",
                        CostValue::AtLeast { floor, .. } if !floor.is_zero() =>
                            "partly unpublished",
                        CostValue::AtLeast { .. } => "unpublished",
                        CostValue::Unavailable { .. } => "unavailable",
                    }
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// `max(0, 1 − cost per unit ÷ anchor)`, with `units` the customers (or customer-months)
    /// the cost serves.
    fn value_of(&self, cost: Money, units: u64) -> f64 {
        let per = cost
            .0
            .checked_div(Decimal::from(units.max(1)))
            .unwrap_or(Decimal::MAX);
        let ratio = per
            .checked_div(self.anchor)
            .and_then(|r| r.to_f64())
            .unwrap_or(f64::MAX);
        (1.0 - ratio).clamp(0.0, 1.0)
    }

    /// One point's value, ignoring tier-mode readings.
    fn point_value(&self, cost: &CostValue, units: u64) -> Value {
        match cost {
            CostValue::Known { amount } => Value::exact(self.value_of(*amount, units)),
            CostValue::AtLeast { floor, .. } => Value {
                low: 0.0,
                high: self.value_of(*floor, units),
            },
            CostValue::Unavailable { .. } => Value::exact(0.0),
        }
    }

    /// The milestones' readings, `None` for each when the provider states every mode.
    fn milestone_reading(&self, k: usize) -> Option<TierReadings> {
        self.milestone_readings.get(k).copied().flatten()
    }

    /// The cost criterion's value: the mean over the milestones and the horizon of
    /// `max(0, 1 − cost per customer per month ÷ anchor)`. A partly unknown cost ranges from 0
    /// to the value of its floor, and an unavailable one is 0, except a cost unknown only
    /// through an unstated tier mode: it is one of its two readings, and the same reading at
    /// every point, so those points add the values of whichever reading sums lower
    /// (pessimistic) or higher (optimistic).
    pub fn cost_value(&self) -> Value {
        let mut n = 0_u32;
        let (mut low, mut high) = (0.0, 0.0);
        let (mut graduated, mut volume) = (0.0, 0.0);
        let points = self
            .milestones
            .iter()
            .enumerate()
            .map(|(k, (units, c))| (c, *units, self.milestone_reading(k)))
            .chain(
                self.horizon
                    .iter()
                    .map(|(c, months)| (c, *months, self.horizon_readings)),
            );
        for (cost, units, readings) in points {
            n += 1;
            if let (CostValue::AtLeast { .. }, Some(r)) = (cost, readings) {
                graduated += self.value_of(r.graduated, units);
                volume += self.value_of(r.volume, units);
            } else {
                let v = self.point_value(cost, units);
                low += v.low;
                high += v.high;
            }
        }
        if n == 0 {
            return Value::unknown();
        }
        let n = f64::from(n);
        Value {
            low: (low + f64::min(graduated, volume)) / n,
            high: (high + f64::max(graduated, volume)) / n,
        }
    }

    /// The cost per customer at each point, in words.
    pub fn cost_level(&self) -> String {
        let each =
            |m: Money, units: u64| Money(m.0 / Decimal::from(units.max(1))).display(&self.currency);
        let per = |c: &CostValue, units: u64, readings: Option<TierReadings>| match (c, readings) {
            (CostValue::Known { amount }, _) => each(*amount, units),
            (CostValue::AtLeast { .. }, Some(r)) => {
                let (low, high) = r.range();
                format!(
                    "{}–{} (tier mode unstated)",
                    each(low, units),
                    each(high, units)
                )
            }
            // Nothing priced: "unknown", never "≥ $0.00" (docs/cost-model.md).
            (CostValue::AtLeast { floor, .. }, None) if floor.0.is_zero() => "unknown".into(),
            // "+ unknown", as in every money cell: a floor of the priced part alone can be far
            // below the cost (found in review: "≥ $0.66" read like a price).
            (CostValue::AtLeast { floor, .. }, None) => {
                format!("≥ {} + unknown", each(*floor, units))
            }
            (CostValue::Unavailable { .. }, _) => "unavailable".into(),
        };
        let mut parts: Vec<String> = self
            .milestones
            .iter()
            .enumerate()
            .map(|(k, (n, c))| {
                format!("{} at {}", per(c, *n, self.milestone_reading(k)), group(*n))
            })
            .collect();
        if let Some((c, months)) = &self.horizon {
            parts.push(format!(
                "{} over the horizon",
                per(c, *months, self.horizon_readings)
            ));
        }
        format!("{} per customer-month", parts.join("; "))
    }

    /// The anchor as text.
    pub fn anchor_display(&self) -> String {
        format!(
            "{}/customer/month scores 0",
            Money(self.anchor).display(&self.currency)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The anchor in words: $50 a customer-month scores 0; in EUR, €12.50.
    #[test]
    fn anchor_is_described_in_the_scenario_currency() {
        let ev = |anchor: &str, currency: &str| PricingEvidence {
            currency: currency.into(),
            anchor: anchor.parse().unwrap(),
            milestones: Vec::new(),
            horizon: None,
            milestone_readings: Vec::new(),
            horizon_readings: None,
            uses_estimates: false,
            costed: None,
        };
        assert_eq!(
            ev("50", "USD").anchor_display(),
            "$50.00/customer/month scores 0"
        );
        assert_eq!(
            ev("12.5", "EUR").anchor_display(),
            "€12.50/customer/month scores 0"
        );
    }

    /// Per customer-month: $13,000 at 100 customers is $130.00; a floor at 1,000 of $660
    /// reads "≥ $0.66"; a cost with nothing priced reads "unknown", never "≥ $0.00".
    #[test]
    fn cost_level_never_shows_an_unpriced_cost_as_zero() {
        let at_least = |floor: &str| CostValue::AtLeast {
            floor: Money(floor.parse().unwrap()),
            unknown: vec!["contact sales".into()],
        };
        let ev = PricingEvidence {
            currency: "USD".into(),
            anchor: Decimal::from(250),
            milestones: vec![
                (
                    100,
                    CostValue::Known {
                        amount: Money(Decimal::from(13_000)),
                    },
                ),
                (1_000, at_least("660")),
                (2_000, at_least("0")),
            ],
            horizon: Some((at_least("0"), 36)),
            milestone_readings: Vec::new(),
            horizon_readings: None,
            uses_estimates: false,
            costed: None,
        };
        assert_eq!(
            ev.cost_level(),
            "$130.00 at 100; ≥ $0.66 + unknown at 1,000; unknown at 2,000; unknown over the horizon per customer-month"
        );
    }
}
