//! A price as a catalog states it: an exact amount, "contact sales", or not known.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

pub use super::range::Estimate;

/// Why a price has no published amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum UnknownReason {
    /// The vendor publishes no price and asks buyers to contact sales.
    ContactSales,
    /// The catalog author could not find the price.
    Unknown,
}

impl UnknownReason {
    /// The TOML spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            UnknownReason::ContactSales => "contact_sales",
            UnknownReason::Unknown => "unknown",
        }
    }

    /// Human wording used in tables ("contact sales", "price unknown").
    pub fn label(self) -> &'static str {
        match self {
            UnknownReason::ContactSales => "contact sales",
            UnknownReason::Unknown => "price unknown",
        }
    }
}

/// A price. In TOML it is one of:
/// - an amount: `125`, `0.0175` or, preferred for exactness, `"0.0175"`;
/// - `"contact_sales"` or `"unknown"`;
/// - a table `{ status = "contact_sales", estimate = "90", note = "…" }` or, with a range,
///   `estimate = { low = "30", likely = "45", high = "50", source = "…", note = "…" }`. The
///   published view uses the estimate's `likely` value only when a scenario sets
///   `billing.use_estimates = true`, always labelled; the estimated view draws over the range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Price {
    /// A published, exact amount in the provider's currency.
    Known(Decimal),
    /// No published amount.
    Unpublished {
        /// Why it is not published.
        reason: UnknownReason,
        /// An optional estimate: a point or a `{ low, likely, high }` range. The published
        /// view uses its `likely` value only when the scenario opts in (`use_estimates`); the
        /// estimated view always draws over it.
        estimate: Option<Estimate>,
        /// Where the estimate comes from.
        note: Option<String>,
    },
}

impl Price {
    /// A known zero.
    pub const ZERO: Price = Price::Known(Decimal::ZERO);

    /// The amount, when known.
    pub fn known(&self) -> Option<Decimal> {
        match self {
            Price::Known(d) => Some(*d),
            Price::Unpublished { .. } => None,
        }
    }

    /// True for a known negative amount (an input error).
    pub fn is_negative(&self) -> bool {
        match self {
            Price::Known(d) => d.is_sign_negative() && !d.is_zero(),
            Price::Unpublished { estimate, .. } => estimate
                .as_ref()
                .is_some_and(|e| e.low.is_sign_negative() && !e.low.is_zero()),
        }
    }
}

impl fmt::Display for Price {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Price::Known(d) => write!(f, "{d}"),
            Price::Unpublished {
                reason,
                estimate: Some(e),
                ..
            } => write!(f, "{} (estimate {e})", reason.label()),
            Price::Unpublished {
                reason,
                estimate: None,
                ..
            } => f.write_str(reason.label()),
        }
    }
}

/// Parses a decimal amount exactly from its text, with a message fit for a diagnostic.
pub fn parse_decimal(text: &str) -> Result<Decimal, String> {
    let t = text.trim();
    let unsigned = t.strip_prefix('-').unwrap_or(t);
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (unsigned, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    // The schema's `-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?`: no `12_5` (which the decimal
    // parser reads as 125), no stray characters.
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)));
    if !digits(int) || !(frac.is_empty() && !mantissa.contains('.') || digits(frac)) || !exponent_ok
    {
        return Err(format!(
            "`{text}` is not a decimal amount: write digits with at most one `.`, such as `\"0.05\"` (no `_` or spaces)"
        ));
    }
    if exponent.is_some() {
        let significant = format!("{int}{frac}").trim_start_matches('0').len();
        return Decimal::from_scientific(t)
            .ok()
            .filter(|_| significant <= 28)
            .ok_or_else(|| {
                format!("`{text}` is not a decimal amount of at most 28 significant digits")
            });
    }
    // A decimal holds 28 or 29 significant digits (a 96-bit mantissa); beyond that the parser
    // would round silently: refuse instead, by comparing the digits kept with those written.
    let parsed = Decimal::from_str(t).map_err(|_| {
        format!("`{text}` is not a decimal amount of at most 28 significant digits (an exact decimal holds at most about 7.9 × 10²⁸)")
    })?;
    let shown = parsed.abs().normalize().to_string();
    let (kept_int, kept_frac) = shown.split_once('.').unwrap_or((&shown, ""));
    let written = (int.trim_start_matches('0'), frac.trim_end_matches('0'));
    if written != (kept_int.trim_start_matches('0'), kept_frac) {
        return Err(format!(
            "`{text}` has more significant digits than an exact decimal holds (28); it would be rounded"
        ));
    }
    Ok(parsed)
}

struct PriceVisitor;

impl<'de> Visitor<'de> for PriceVisitor {
    type Value = Price;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an amount (e.g. `\"125.00\"`), `\"contact_sales\"`, `\"unknown\"`, or a table with `status` and `estimate`")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Price, E> {
        Ok(Price::Known(Decimal::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Price, E> {
        Ok(Price::Known(Decimal::from(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Price, E> {
        float_to_decimal(v).map(Price::Known).map_err(E::custom)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Price, E> {
        match v {
            "contact_sales" => Ok(Price::Unpublished {
                reason: UnknownReason::ContactSales,
                estimate: None,
                note: None,
            }),
            "unknown" => Ok(Price::Unpublished {
                reason: UnknownReason::Unknown,
                estimate: None,
                note: None,
            }),
            other => parse_decimal(other).map(Price::Known).map_err(|e| {
                E::custom(format!(
                    "{e}; expected an amount, `contact_sales` or `unknown`"
                ))
            }),
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Price, A::Error> {
        let mut reason = None;
        let mut estimate = None;
        let mut note = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "status" => reason = Some(map.next_value::<UnknownReason>()?),
                "estimate" => estimate = Some(map.next_value::<Estimate>()?),
                "note" => note = Some(map.next_value::<String>()?),
                other => {
                    return Err(de::Error::unknown_field(
                        other,
                        &["status", "estimate", "note"],
                    ));
                }
            }
        }
        let reason = reason.ok_or_else(|| de::Error::missing_field("status"))?;
        Ok(Price::Unpublished {
            reason,
            estimate,
            note,
        })
    }
}

/// Converts a TOML float to a decimal through its shortest round-trip text, so `0.0175`
/// becomes exactly 0.0175 (not 0.017499999…).
pub fn float_to_decimal(v: f64) -> Result<Decimal, String> {
    if !v.is_finite() {
        return Err(format!("`{v}` is not a finite amount"));
    }
    let text = v.to_string();
    parse_decimal(&text).map_err(|_| {
        format!("`{text}` does not fit an exact decimal (at most 28 significant digits)")
    })
}

impl<'de> Deserialize<'de> for Price {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Price, D::Error> {
        deserializer.deserialize_any(PriceVisitor)
    }
}

impl Serialize for Price {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Price::Known(d) => serializer.collect_str(d),
            Price::Unpublished {
                reason,
                estimate: None,
                note: None,
            } => serializer.serialize_str(reason.as_str()),
            Price::Unpublished {
                reason,
                estimate,
                note,
            } => {
                use serde::ser::SerializeStruct;
                let mut s = serializer.serialize_struct("Price", 3)?;
                s.serialize_field("status", reason)?;
                s.serialize_field("estimate", estimate)?;
                s.serialize_field("note", note)?;
                s.end()
            }
        }
    }
}

impl JsonSchema for Price {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Price".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An amount in the provider's currency (a number, or a decimal string for exactness), \"contact_sales\", \"unknown\", or a table with status and an optional estimate.",
            "anyOf": [
                { "type": "number", "minimum": 0 },
                { "type": "string", "pattern": "^(contact_sales|unknown|[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?)$" },
                {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["status"],
                    "properties": {
                        "status": { "enum": ["contact_sales", "unknown"] },
                        "estimate": {
                            "description": "A point estimate, or a range { low, likely, high, source, note } drawn by the Monte Carlo.",
                            "anyOf": [
                                { "type": "number", "minimum": 0 },
                                { "type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?$" },
                                super::range::range_object_schema()
                            ]
                        },
                        "note": { "type": "string" }
                    }
                }
            ]
        })
    }
}

/// An exact, non-price decimal quantity (a rate, a share, a count that may be fractional),
/// parsed like [`Price`] amounts: from an integer, a float via its shortest text, or a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Amount(pub Decimal);

struct AmountVisitor;

impl Visitor<'_> for AmountVisitor {
    type Value = Amount;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number or a decimal string such as `\"0.05\"`")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Amount, E> {
        Ok(Amount(Decimal::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Amount, E> {
        Ok(Amount(Decimal::from(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Amount, E> {
        float_to_decimal(v).map(Amount).map_err(E::custom)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Amount, E> {
        parse_decimal(v).map(Amount).map_err(E::custom)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Amount, D::Error> {
        deserializer.deserialize_any(AmountVisitor)
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

impl JsonSchema for Amount {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Amount".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An exact decimal: a number, or a decimal string such as \"0.05\".",
            "anyOf": [
                { "type": "number" },
                { "type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?$" }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Doc {
        p: Price,
    }

    fn p(src: &str) -> Result<Price, toml::de::Error> {
        toml::from_str::<Doc>(src).map(|d| d.p)
    }

    #[test]
    fn float_and_string_are_both_exact() {
        let exact = Decimal::from_str("0.0175").unwrap();
        assert_eq!(p("p = 0.0175").unwrap(), Price::Known(exact));
        assert_eq!(p("p = \"0.0175\"").unwrap(), Price::Known(exact));
        assert_eq!(p("p = 125").unwrap(), Price::Known(Decimal::from(125)));
    }

    #[test]
    fn unpublished_forms() {
        assert!(matches!(
            p("p = \"contact_sales\"").unwrap(),
            Price::Unpublished {
                reason: UnknownReason::ContactSales,
                estimate: None,
                ..
            }
        ));
        let est = p("p = { status = \"unknown\", estimate = \"99.5\" }").unwrap();
        assert_eq!(
            est,
            Price::Unpublished {
                reason: UnknownReason::Unknown,
                estimate: Some(Estimate::point(Decimal::from_str("99.5").unwrap())),
                note: None
            }
        );
    }

    #[test]
    fn rejects_garbage_and_overflow() {
        assert!(p("p = \"cheap\"").is_err());
        assert!(p("p = \"99999999999999999999999999999999\"").is_err());
        assert!(p("p = { status = \"free\" }").is_err());
        assert!(p("p = { estimate = 1 }").is_err());
    }
}
