//! `--fail-above`: a percentage or an amount, in either direction.

use rust_decimal::Decimal;
use std::str::FromStr;

/// Which changes a threshold watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Increases only (`10%`, `500`).
    Up,
    /// Decreases only (`-10%`, `-500`).
    Down,
    /// Both (`±10%`, `+-500`).
    Both,
}

/// A parsed `--fail-above` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Threshold {
    /// The size of change allowed (a fraction for percentages, e.g. 0.10).
    pub limit: Decimal,
    /// True for a percentage of the old cost; false for an absolute monthly amount.
    pub percent: bool,
    /// Which direction is watched.
    pub direction: Direction,
}

impl FromStr for Threshold {
    type Err = String;

    fn from_str(text: &str) -> Result<Threshold, String> {
        let t = text.trim();
        let (direction, rest) =
            if let Some(r) = t.strip_prefix('±').or_else(|| t.strip_prefix("+-")) {
                (Direction::Both, r)
            } else if let Some(r) = t.strip_prefix('-') {
                (Direction::Down, r)
            } else {
                (Direction::Up, t.strip_prefix('+').unwrap_or(t))
            };
        let (number, percent) = match rest.strip_suffix('%') {
            Some(n) => (n.trim(), true),
            None => (rest.trim(), false),
        };
        let value = Decimal::from_str(number)
            .map_err(|_| format!("`{text}` is not a percentage (`10%`) or an amount (`500`)"))?;
        if value.is_sign_negative() {
            return Err(format!(
                "`{text}`: put the sign in front (`-10%` watches decreases)"
            ));
        }
        let limit = if percent {
            value / Decimal::from(100)
        } else {
            value
        };
        Ok(Threshold {
            limit,
            percent,
            direction,
        })
    }
}

impl Threshold {
    /// Whether a change from `old` to `new` breaks the threshold.
    pub fn exceeded(&self, old: Decimal, new: Decimal) -> bool {
        let delta = new - old;
        let size = if self.percent {
            if old.is_zero() {
                // Any change from zero is an infinite relative change.
                if delta.is_zero() {
                    Decimal::ZERO
                } else {
                    Decimal::MAX
                }
            } else {
                delta.abs() / old.abs()
            }
        } else {
            delta.abs()
        };
        let watched = match self.direction {
            Direction::Up => delta > Decimal::ZERO,
            Direction::Down => delta < Decimal::ZERO,
            Direction::Both => !delta.is_zero(),
        };
        watched && size > self.limit
    }

    /// The threshold in words.
    pub fn describe(&self) -> String {
        let size = if self.percent {
            format!("{} %", (self.limit * Decimal::from(100)).normalize())
        } else {
            self.limit.normalize().to_string()
        };
        match self.direction {
            Direction::Up => format!("an increase of more than {size}"),
            Direction::Down => format!("a decrease of more than {size}"),
            Direction::Both => format!("a change of more than {size} either way"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_itself_in_words() {
        let words = |t: &str| t.parse::<Threshold>().unwrap().describe();
        assert_eq!(words("10%"), "an increase of more than 10 %");
        assert_eq!(words("-2.5%"), "a decrease of more than 2.5 %");
        assert_eq!(words("±500"), "a change of more than 500 either way");
        assert_eq!(words("500"), "an increase of more than 500");
    }

    #[test]
    fn parses_and_applies() {
        let t: Threshold = "10%".parse().unwrap();
        assert!(t.exceeded(Decimal::from(100), Decimal::from(111)));
        assert!(!t.exceeded(Decimal::from(100), Decimal::from(110)));
        assert!(!t.exceeded(Decimal::from(100), Decimal::from(50)));
        let d: Threshold = "-10%".parse().unwrap();
        assert!(d.exceeded(Decimal::from(100), Decimal::from(50)));
        let b: Threshold = "±500".parse().unwrap();
        assert!(
            b.exceeded(Decimal::from(1000), Decimal::from(400))
                && b.exceeded(Decimal::from(0), Decimal::from(501))
        );
        assert!("ten".parse::<Threshold>().is_err());
    }
}
