//! Exact money: a decimal amount with checked arithmetic and one rounding rule.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Serialize, Serializer};

/// Arithmetic left the representable range (about ±7.9 × 10²⁸).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("amount overflow: a cost exceeds the largest representable amount")]
pub struct Overflow;

/// An exact amount of money in the scenario's currency. Arithmetic is checked: overflow is
/// an error, never a wrap or a panic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(pub Decimal);

// `add`, `sub` and `mul` return `Result` (overflow is an error), which the `std::ops` traits
// cannot express.
#[allow(clippy::should_implement_trait)]
impl Money {
    /// Zero.
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// `self + other`.
    pub fn add(self, other: Money) -> Result<Money, Overflow> {
        self.0.checked_add(other.0).map(Money).ok_or(Overflow)
    }

    /// `self − other`.
    pub fn sub(self, other: Money) -> Result<Money, Overflow> {
        self.0.checked_sub(other.0).map(Money).ok_or(Overflow)
    }

    /// `self × factor`.
    pub fn mul(self, factor: Decimal) -> Result<Money, Overflow> {
        self.0.checked_mul(factor).map(Money).ok_or(Overflow)
    }

    /// `self × units`.
    pub fn times(self, units: u64) -> Result<Money, Overflow> {
        self.mul(Decimal::from(units))
    }

    /// Rounded to the cent, half away from zero (the rule of `docs/cost-model.md`).
    #[must_use]
    pub fn cents(self) -> Money {
        Money(
            self.0
                .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero),
        )
    }

    /// True for zero.
    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// Sums amounts with overflow checking.
    pub fn sum<I: IntoIterator<Item = Money>>(items: I) -> Result<Money, Overflow> {
        items.into_iter().try_fold(Money::ZERO, Money::add)
    }

    /// The raw decimal as a plain string (no grouping), normalised to at least two decimals,
    /// as written in CSV and JSON.
    pub fn raw(self) -> String {
        let mut d = self.0.normalize();
        d.rescale(d.scale().max(2));
        d.to_string()
    }

    /// For charts only: the nearest `f64`.
    pub fn to_f64(self) -> f64 {
        use rust_decimal::prelude::ToPrimitive;
        self.0.to_f64().unwrap_or(f64::MAX)
    }

    /// Formats with a currency symbol and thousands separators, rounded to the cent:
    /// `$8,225.00`, `€12.50`, `CHF 3.00`.
    pub fn display(self, currency: &str) -> String {
        format_amount(self.cents().0, currency, 2)
    }
}

/// Formats a rate (a unit price) exactly, with at least two decimals: `$0.0175`, `$125.00`.
pub fn display_rate(rate: Decimal, currency: &str) -> String {
    let scale = rate.normalize().scale().max(2);
    format_amount(rate, currency, scale)
}

fn format_amount(value: Decimal, currency: &str, min_scale: u32) -> String {
    let mut v = value.normalize();
    v.rescale(v.scale().max(min_scale));
    let negative = v.is_sign_negative() && !v.is_zero();
    let text = v.abs().to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let number = if frac.is_empty() {
        grouped
    } else {
        format!("{grouped}.{frac}")
    };
    let sign = if negative { "−" } else { "" };
    match currency {
        "USD" => format!("{sign}${number}"),
        "EUR" => format!("{sign}€{number}"),
        "GBP" => format!("{sign}£{number}"),
        other => format!("{sign}{other} {number}"),
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.raw())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn m(s: &str) -> Money {
        Money(Decimal::from_str(s).unwrap())
    }

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(m("12.345").cents(), m("12.35"));
        assert_eq!(m("12.355").cents(), m("12.36"));
        assert_eq!(m("-0.005").cents(), m("-0.01"));
    }

    #[test]
    fn formats_with_grouping() {
        assert_eq!(m("8225").display("USD"), "$8,225.00");
        assert_eq!(m("1234567.891").display("EUR"), "€1,234,567.89");
        assert_eq!(m("-5").display("CHF"), "−CHF 5.00");
        assert_eq!(
            display_rate(Decimal::from_str("0.0175").unwrap(), "USD"),
            "$0.0175"
        );
        assert_eq!(m("100").raw(), "100.00");
        assert_eq!(m("0.0175").raw(), "0.0175");
    }

    #[test]
    fn overflow_is_an_error() {
        assert_eq!(Money(Decimal::MAX).add(m("1")), Err(Overflow));
        assert_eq!(Money(Decimal::MAX).times(2), Err(Overflow));
    }
}
