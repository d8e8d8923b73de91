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

    /// The status word for CSV columns: `exact`, `at_least`, `unknown` (nothing priced) or
    /// `unavailable`.
    pub fn csv_status(&self) -> &'static str {
        match self {
            CostValue::Known { .. } => "exact",
            CostValue::AtLeast { floor, .. } if floor.is_zero() => "unknown",
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
}
