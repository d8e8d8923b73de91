//! A calendar month (`"2027-01"`), for labelling projection months.

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A month of the Gregorian calendar, written `"YYYY-MM"` (a string: TOML has no year-month
/// type). Years 1900–9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    /// Year, for example 2027.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
}

impl YearMonth {
    /// The calendar month of projection month `m` (1-based) when month 1 is `self`; `None` past
    /// the year 9999.
    pub fn nth(self, m: u32) -> Option<YearMonth> {
        let index =
            u64::from(self.year) * 12 + u64::from(self.month - 1) + u64::from(m.checked_sub(1)?);
        let year = u16::try_from(index / 12).ok().filter(|y| *y <= 9999)?;
        let month = u8::try_from(index % 12 + 1).ok()?;
        Some(YearMonth { year, month })
    }
}

impl std::str::FromStr for YearMonth {
    type Err = String;

    fn from_str(s: &str) -> Result<YearMonth, String> {
        let bad =
            || format!("`{s}` is not a calendar month: write it as \"YYYY-MM\", e.g. \"2027-01\"");
        let (y, m) = s.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 || !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let year: u16 = y.parse().map_err(|_| bad())?;
        let month: u8 = m.parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) || year < 1900 {
            return Err(bad());
        }
        Ok(YearMonth { year, month })
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for YearMonth {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<YearMonth, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for YearMonth {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "YearMonth".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^(19|[2-9][0-9])[0-9]{2}-(0[1-9]|1[0-2])$",
            "description": "A calendar month, \"YYYY-MM\"."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::YearMonth;

    #[test]
    fn months_roll_over_years() {
        let start: YearMonth = "2027-11".parse().unwrap();
        // Month 1 is November 2027, month 3 January 2028, month 15 January 2029.
        assert_eq!(start.nth(1).unwrap().to_string(), "2027-11");
        assert_eq!(start.nth(3).unwrap().to_string(), "2028-01");
        assert_eq!(start.nth(15).unwrap().to_string(), "2029-01");
        assert_eq!(start.nth(0), None);
        assert_eq!("9999-12".parse::<YearMonth>().unwrap().nth(2), None);
    }

    #[test]
    fn only_yyyy_mm_parses() {
        for bad in [
            "2027-1",
            "2027-13",
            "2027-00",
            "27-01",
            "2027/01",
            "2027-01-01",
            "1899-12",
            "２０２７-01",
        ] {
            assert!(bad.parse::<YearMonth>().is_err(), "{bad}");
        }
        assert_eq!(
            "2027-01".parse::<YearMonth>().unwrap(),
            YearMonth {
                year: 2027,
                month: 1
            }
        );
    }
}
