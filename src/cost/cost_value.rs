//! A cost that is known, known only as a lower bound, or unavailable.

use super::money::{Money, Overflow};
use serde::Serialize;

/// The value of a cost. An unknown price is never shown as 0: it makes the cost
/// `AtLeast { floor, .. }` — "at least the floor, plus something unknown".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum CostValue {
    /// Every part is priced.
    Known {
        /// The exact amount.
        amount: Money,
    },
    /// Some part is unpriced (contact sales, or not found).
    AtLeast {
        /// The sum of the priced parts.
        floor: Money,
        /// Why the rest is unknown, one entry per unpriced part.
        unknown: Vec<String>,
    },
    /// No plan can serve this usage.
    Unavailable {
        /// Why.
        reason: String,
    },
}

impl CostValue {
    /// A known zero.
    pub fn zero() -> CostValue {
        CostValue::Known {
            amount: Money::ZERO,
        }
    }

    /// A known amount.
    pub fn known(amount: Money) -> CostValue {
        CostValue::Known { amount }
    }

    /// The known amount, if fully known.
    pub fn amount(&self) -> Option<Money> {
        match self {
            CostValue::Known { amount } => Some(*amount),
            _ => None,
        }
    }

    /// The priced part: the amount when known, the floor when partly unknown.
    pub fn floor(&self) -> Option<Money> {
        match self {
            CostValue::Known { amount } => Some(*amount),
            CostValue::AtLeast { floor, .. } => Some(*floor),
            CostValue::Unavailable { .. } => None,
        }
    }

    /// The priced part as a raw decimal for CSV: the amount, or the floor of a partly unknown
    /// cost; empty when nothing is priced (a wholly unknown cost is never written as 0.00) or
    /// the provider is unavailable.
    pub fn priced_raw(&self) -> String {
        match self {
            CostValue::Known { amount } => amount.raw(),
            CostValue::AtLeast { floor, .. } if !floor.is_zero() => floor.raw(),
            _ => String::new(),
        }
    }

    /// True when not fully known.
    pub fn is_partial(&self) -> bool {
        !matches!(self, CostValue::Known { .. })
    }

    /// A short status word for tables and CSV: `known`, `at_least`, `unavailable`.
    pub fn status(&self) -> &'static str {
        match self {
            CostValue::Known { .. } => "known",
            CostValue::AtLeast { .. } => "at_least",
            CostValue::Unavailable { .. } => "unavailable",
        }
    }

    /// True for a cost with an unknown part and nothing priced (a floor of 0).
    pub fn is_unpriced(&self) -> bool {
        matches!(self, CostValue::AtLeast { floor, .. } if floor.is_zero())
    }

    /// The status word for CSV columns: `exact`, `at_least`, `unknown` (nothing priced) or
    /// `unavailable`.
    pub fn csv_status(&self) -> &'static str {
        match self {
            CostValue::Known { .. } => "exact",
            c if c.is_unpriced() => "unknown",
            CostValue::AtLeast { .. } => "at_least",
            CostValue::Unavailable { .. } => "unavailable",
        }
    }

    /// Adds two costs: unknown parts accumulate; unavailable wins.
    pub fn plus(&self, other: &CostValue) -> Result<CostValue, Overflow> {
        Ok(match (self, other) {
            (CostValue::Unavailable { reason }, _) | (_, CostValue::Unavailable { reason }) => {
                CostValue::Unavailable {
                    reason: reason.clone(),
                }
            }
            (CostValue::Known { amount: a }, CostValue::Known { amount: b }) => {
                CostValue::Known { amount: a.add(*b)? }
            }
            (a, b) => {
                let mut unknown = Vec::new();
                for v in [a, b] {
                    if let CostValue::AtLeast { unknown: u, .. } = v {
                        for r in u {
                            if !unknown.contains(r) {
                                unknown.push(r.clone());
                            }
                        }
                    }
                }
                let floor = a
                    .floor()
                    .unwrap_or(Money::ZERO)
                    .add(b.floor().unwrap_or(Money::ZERO))?;
                CostValue::AtLeast { floor, unknown }
            }
        })
    }

    /// Multiplies by a whole number (e.g. 12 months).
    pub fn times(&self, n: u64) -> Result<CostValue, Overflow> {
        Ok(match self {
            CostValue::Known { amount } => CostValue::Known {
                amount: amount.times(n)?,
            },
            CostValue::AtLeast { floor, unknown } => CostValue::AtLeast {
                floor: floor.times(n)?,
                unknown: unknown.clone(),
            },
            CostValue::Unavailable { reason } => CostValue::Unavailable {
                reason: reason.clone(),
            },
        })
    }

    /// Displays as `$1,234.00`, `≥ $1,234.00 + unknown`, or `unavailable`.
    pub fn display(&self, currency: &str) -> String {
        match self {
            CostValue::Known { amount } => amount.display(currency),
            CostValue::AtLeast { floor, .. } if floor.is_zero() => "unknown".to_owned(),
            CostValue::AtLeast { floor, .. } => format!("≥ {} + unknown", floor.display(currency)),
            CostValue::Unavailable { .. } => "unavailable".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn unknown_is_never_zero() {
        let a = CostValue::known(Money(Decimal::from(100)));
        let b = CostValue::AtLeast {
            floor: Money::ZERO,
            unknown: vec!["contact sales".into()],
        };
        let s = a.plus(&b).unwrap();
        assert_eq!(s.display("USD"), "≥ $100.00 + unknown");
        assert!(s.amount().is_none());
    }

    fn usd(units: i64, cents: u32) -> Money {
        Money(Decimal::new(units * 100 + i64::from(cents), 2))
    }

    fn at_least(floor: Money, why: &[&str]) -> CostValue {
        CostValue::AtLeast {
            floor,
            unknown: why.iter().map(|s| (*s).to_string()).collect(),
        }
    }

    fn unavailable(why: &str) -> CostValue {
        CostValue::Unavailable { reason: why.into() }
    }

    /// Every accessor on each of the four shapes a cost takes: known, partly known (a floor
    /// above 0), wholly unknown (floor 0) and unavailable.
    #[test]
    fn each_shape_reads_as_stated() {
        let known = CostValue::known(usd(1234, 50));
        let partly = at_least(usd(99, 0), &["contact sales"]);
        let unknown = at_least(Money::ZERO, &["price unknown"]);
        let none = unavailable("no plan");

        assert_eq!(known.amount(), Some(usd(1234, 50)));
        assert_eq!(partly.amount(), None);
        assert_eq!(none.amount(), None);

        assert_eq!(known.floor(), Some(usd(1234, 50)));
        assert_eq!(partly.floor(), Some(usd(99, 0)));
        assert_eq!(unknown.floor(), Some(Money::ZERO));
        assert_eq!(none.floor(), None);

        // CSV: the priced part, never "0.00" for a wholly unknown cost.
        assert_eq!(known.priced_raw(), "1234.50");
        assert_eq!(partly.priced_raw(), "99.00");
        assert_eq!(unknown.priced_raw(), "");
        assert_eq!(none.priced_raw(), "");
        assert_eq!(CostValue::zero().priced_raw(), "0.00");

        // Nothing priced: only the wholly unknown shape (a known 0 is priced).
        assert!(unknown.is_unpriced());
        for priced in [&known, &partly, &none, &CostValue::zero()] {
            assert!(!priced.is_unpriced(), "{priced:?}");
        }

        assert!(!known.is_partial());
        assert!(!CostValue::zero().is_partial());
        assert!(partly.is_partial());
        assert!(unknown.is_partial());
        assert!(none.is_partial());

        assert_eq!(known.status(), "known");
        assert_eq!(partly.status(), "at_least");
        assert_eq!(unknown.status(), "at_least");
        assert_eq!(none.status(), "unavailable");

        assert_eq!(known.csv_status(), "exact");
        assert_eq!(partly.csv_status(), "at_least");
        assert_eq!(unknown.csv_status(), "unknown");
        assert_eq!(none.csv_status(), "unavailable");

        assert_eq!(known.display("USD"), "$1,234.50");
        assert_eq!(partly.display("USD"), "≥ $99.00 + unknown");
        assert_eq!(unknown.display("USD"), "unknown");
        assert_eq!(none.display("USD"), "unavailable");
    }

    /// Sums by hand: $10.25 + $4.75 = $15.00 exactly; a partly known part makes the sum
    /// "at least" with the known parts as the floor ($15.00 + $3.00 = $18.00), each reason
    /// once; unavailable wins from either side.
    #[test]
    fn sums_keep_floors_and_reasons() {
        let a = CostValue::known(usd(10, 25));
        let b = CostValue::known(usd(4, 75));
        assert_eq!(a.plus(&b).unwrap(), CostValue::known(usd(15, 0)));

        let c = at_least(usd(3, 0), &["contact sales", "band 201+"]);
        let d = at_least(Money::ZERO, &["contact sales", "add-on fee"]);
        let sum = a.plus(&b).unwrap().plus(&c).unwrap();
        assert_eq!(sum, at_least(usd(18, 0), &["contact sales", "band 201+"]));
        assert_eq!(
            sum.plus(&d).unwrap(),
            at_least(usd(18, 0), &["contact sales", "band 201+", "add-on fee"])
        );
        // Order of the operands: the left side's reasons come first.
        assert_eq!(
            d.plus(&c).unwrap(),
            at_least(usd(3, 0), &["contact sales", "add-on fee", "band 201+"])
        );

        let x = unavailable("limit exceeded");
        assert_eq!(a.plus(&x).unwrap(), x);
        assert_eq!(x.plus(&c).unwrap(), x);
        assert_eq!(c.plus(&x).unwrap(), x);
    }

    /// Twelve months of $125.40 is $1,504.80; of "at least $2.50" is "at least $30.00" with
    /// the same reasons; unavailable stays unavailable.
    #[test]
    fn times_scales_amounts_and_floors() {
        assert_eq!(
            CostValue::known(usd(125, 40)).times(12).unwrap(),
            CostValue::known(usd(1504, 80))
        );
        assert_eq!(
            at_least(usd(2, 50), &["x"]).times(12).unwrap(),
            at_least(usd(30, 0), &["x"])
        );
        assert_eq!(unavailable("r").times(12).unwrap(), unavailable("r"));
        assert_eq!(
            CostValue::known(usd(1, 0)).times(0).unwrap(),
            CostValue::zero()
        );
    }
}
