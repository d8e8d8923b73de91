//! An uncertain number: a point (what every file said before ranges existed) or a
//! `{ low, likely, high }` range that the Monte Carlo draws from (see `docs/cost-model.md`,
//! "Uncertainty").

use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use schemars::JsonSchema;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::marker::PhantomData;

/// A number that may be uncertain. In TOML it is either a plain number (a point: low = likely
/// = high) or a table `{ low = …, likely = …, high = …, source = "…", note = "…" }`.
///
/// The published view always uses `likely`; only the estimated view draws over the range.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranged<T> {
    /// The smallest plausible value.
    pub low: T,
    /// The most likely value: the one every published figure uses.
    pub likely: T,
    /// The largest plausible value.
    pub high: T,
    /// Id of the `[[sources]]` entry that supports the range (provider files), if any.
    pub source: Option<String>,
    /// Where the bounds come from.
    pub note: Option<String>,
}

impl Eq for Ranged<Decimal> {}

/// A decimal range: prices, hours, rates and discounts.
pub type Estimate = Ranged<Decimal>;

impl<T: Copy + PartialOrd> Ranged<T> {
    /// A point value.
    pub fn point(v: T) -> Ranged<T> {
        Ranged {
            low: v,
            likely: v,
            high: v,
            source: None,
            note: None,
        }
    }

    /// True when the range has no width.
    pub fn is_point(&self) -> bool {
        self.low == self.likely && self.likely == self.high
    }

    /// True when `low ≤ likely ≤ high`.
    pub fn is_ordered(&self) -> bool {
        self.low <= self.likely && self.likely <= self.high
    }
}

impl<T: fmt::Display + Copy + PartialOrd> fmt::Display for Ranged<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_point() {
            write!(f, "{}", self.likely)
        } else {
            write!(f, "{}–{} (likely {})", self.low, self.high, self.likely)
        }
    }
}

impl Ranged<Decimal> {
    /// The bounds as floats, for sampling: `(low, likely, high)`.
    pub fn as_f64(&self) -> (f64, f64, f64) {
        let f = |d: Decimal| d.to_f64().unwrap_or(0.0);
        (f(self.low), f(self.likely), f(self.high))
    }
}

impl Ranged<f64> {
    /// The bounds, for sampling: `(low, likely, high)`.
    pub fn as_f64(&self) -> (f64, f64, f64) {
        (self.low, self.likely, self.high)
    }
}

/// A scalar a range can hold, parsed from a TOML integer, float or string.
pub trait Scalar: Sized + Copy + PartialOrd + fmt::Display {
    /// What the scalar looks like, for "expected …" messages.
    const EXPECTING: &'static str;
    /// From a TOML integer.
    fn from_i64(v: i64) -> Result<Self, String>;
    /// From a TOML float.
    fn from_f64(v: f64) -> Result<Self, String>;
    /// From a TOML string.
    fn from_text(v: &str) -> Result<Self, String>;
    /// The value as a float (for checks and sampling).
    fn to_float(self) -> f64;
    /// A float back into the scalar (sampled values).
    fn from_float(v: f64) -> Option<Self>;
}

impl Scalar for Decimal {
    const EXPECTING: &'static str = "a number or a decimal string such as `\"0.05\"`";
    fn from_i64(v: i64) -> Result<Decimal, String> {
        Ok(Decimal::from(v))
    }
    fn from_f64(v: f64) -> Result<Decimal, String> {
        super::price::float_to_decimal(v)
    }
    fn from_text(v: &str) -> Result<Decimal, String> {
        super::price::parse_decimal(v)
    }
    fn to_float(self) -> f64 {
        self.to_f64().unwrap_or(0.0)
    }
    fn from_float(v: f64) -> Option<Decimal> {
        // Fifteen significant digits: what a float carries, so a drawn price of $0.0000004
        // per request survives, and the exact re-pricing sees the value the float path saw.
        <Decimal as FromPrimitive>::from_f64(v).and_then(|d| d.round_sf(15))
    }
}

impl Scalar for f64 {
    const EXPECTING: &'static str = "a number";
    fn from_i64(v: i64) -> Result<f64, String> {
        Ok(v as f64)
    }
    fn from_f64(v: f64) -> Result<f64, String> {
        if v.is_finite() {
            Ok(v)
        } else {
            Err(format!("`{v}` is not a finite number"))
        }
    }
    fn from_text(v: &str) -> Result<f64, String> {
        v.trim()
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| format!("`{v}` is not a number"))
    }
    fn to_float(self) -> f64 {
        self
    }
    fn from_float(v: f64) -> Option<f64> {
        v.is_finite().then_some(v)
    }
}

/// One scalar inside a range table.
struct ScalarDe<T>(T);

impl<'de, T: Scalar> Deserialize<'de> for ScalarDe<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ScalarDe<T>, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<T: Scalar> Visitor<'_> for V<T> {
            type Value = ScalarDe<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(T::EXPECTING)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ScalarDe<T>, E> {
                T::from_i64(v).map(ScalarDe).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ScalarDe<T>, E> {
                i64::try_from(v)
                    .map_err(|_| E::custom(format!("`{v}` is too large")))
                    .and_then(|v| T::from_i64(v).map_err(E::custom))
                    .map(ScalarDe)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<ScalarDe<T>, E> {
                T::from_f64(v).map(ScalarDe).map_err(E::custom)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ScalarDe<T>, E> {
                T::from_text(v).map(ScalarDe).map_err(E::custom)
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

struct RangedVisitor<T>(PhantomData<T>);

/// The keys of a range table, for "unknown key" messages.
pub const RANGE_KEYS: &[&str] = &["low", "likely", "high", "source", "note"];

impl<'de, T: Scalar> Visitor<'de> for RangedVisitor<T> {
    type Value = Ranged<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}, or a range `{{ low = …, likely = …, high = … }}`",
            T::EXPECTING
        )
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Ranged<T>, E> {
        T::from_i64(v).map(Ranged::point).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Ranged<T>, E> {
        ScalarDe::<T>::deserialize(de::value::U64Deserializer::<E>::new(v))
            .map(|s| Ranged::point(s.0))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Ranged<T>, E> {
        T::from_f64(v).map(Ranged::point).map_err(E::custom)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Ranged<T>, E> {
        T::from_text(v).map(Ranged::point).map_err(E::custom)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ranged<T>, A::Error> {
        let (mut low, mut likely, mut high, mut source, mut note) = (None, None, None, None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "low" => low = Some(map.next_value::<ScalarDe<T>>()?.0),
                "likely" => likely = Some(map.next_value::<ScalarDe<T>>()?.0),
                "high" => high = Some(map.next_value::<ScalarDe<T>>()?.0),
                "source" => source = Some(map.next_value::<String>()?),
                "note" => note = Some(map.next_value::<String>()?),
                other => return Err(de::Error::unknown_field(other, RANGE_KEYS)),
            }
        }
        let low = low.ok_or_else(|| de::Error::missing_field("low"))?;
        let high = high.ok_or_else(|| de::Error::missing_field("high"))?;
        // Without `likely` the range is symmetric: its midpoint is the point figure.
        let likely = match likely {
            Some(l) => l,
            None => T::from_float(f64::midpoint(low.to_float(), high.to_float()))
                .ok_or_else(|| de::Error::custom("the range's midpoint is not a number"))?,
        };
        Ok(Ranged {
            low,
            likely,
            high,
            source,
            note,
        })
    }
}

impl<'de, T: Scalar> Deserialize<'de> for Ranged<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Ranged<T>, D::Error> {
        d.deserialize_any(RangedVisitor(PhantomData))
    }
}

impl<T: Scalar> Serialize for Ranged<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        if self.is_point() && self.source.is_none() && self.note.is_none() {
            return serializer.collect_str(&self.likely);
        }
        let mut s = serializer.serialize_struct("Range", 5)?;
        s.serialize_field("low", &self.low.to_string())?;
        s.serialize_field("likely", &self.likely.to_string())?;
        s.serialize_field("high", &self.high.to_string())?;
        s.serialize_field("source", &self.source)?;
        s.serialize_field("note", &self.note)?;
        s.end()
    }
}

/// The JSON Schema of the table form `{ low, likely, high, source, note }` (shared by ranges
/// and by prices' `estimate`).
pub fn range_object_schema() -> serde_json::Value {
    serde_json::json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["low", "high"],
        "properties": {
            "low": { "anyOf": [{ "type": "number" }, { "type": "string" }] },
            "likely": { "anyOf": [{ "type": "number" }, { "type": "string" }] },
            "high": { "anyOf": [{ "type": "number" }, { "type": "string" }] },
            "source": { "type": "string", "description": "Id of a [[sources]] entry (provider files)." },
            "note": { "type": "string" }
        }
    })
}

impl<T> JsonSchema for Ranged<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Range".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A number (a point), or a range { low, likely, high } that the Monte Carlo draws from with a triangular distribution. `likely` defaults to the midpoint; published figures use `likely`.",
            "anyOf": [
                { "type": "number" },
                { "type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?$" },
                range_object_schema()
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[derive(Deserialize)]
    struct Doc {
        r: Ranged<Decimal>,
    }

    fn r(src: &str) -> Result<Ranged<Decimal>, toml::de::Error> {
        toml::from_str::<Doc>(src).map(|d| d.r)
    }

    #[test]
    fn point_forms_mean_what_they_meant() {
        let v = r("r = 600").unwrap();
        assert!(v.is_point());
        assert_eq!(v.likely, Decimal::from(600));
        assert_eq!(
            r("r = \"0.0175\"").unwrap().likely,
            Decimal::from_str("0.0175").unwrap()
        );
    }

    #[test]
    fn range_form_and_midpoint_default() {
        let v = r("r = { low = 600, likely = \"900\", high = 1800, source = \"seed\" }").unwrap();
        assert_eq!(
            (v.low, v.likely, v.high),
            (Decimal::from(600), Decimal::from(900), Decimal::from(1800))
        );
        assert_eq!(v.source.as_deref(), Some("seed"));
        // 600 and 1,800 without `likely`: the midpoint, 1,200.
        assert_eq!(
            r("r = { low = 600, high = 1800 }").unwrap().likely,
            Decimal::from(1200)
        );
    }

    #[test]
    fn rejects_unknown_keys_and_missing_bounds() {
        assert!(r("r = { low = 1, hi = 2 }").is_err());
        assert!(r("r = { likely = 1 }").is_err());
        assert!(r("r = \"lots\"").is_err());
    }
}
