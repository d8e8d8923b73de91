//! Mapping fact levels to values on a fixed 0–1 scale. Unknown facts map to a range:
//! 0 when pessimistic, 1 when optimistic.

use crate::model::Status;
use crate::model::scenario::Team;
use serde::Serialize;

/// A value on the 0–1 scale, as a pessimistic–optimistic pair (equal when the fact is known).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Value {
    /// The value when unknowns are assumed the worst.
    pub low: f64,
    /// The value when unknowns are assumed the best.
    pub high: f64,
}

impl Value {
    /// A known value.
    pub fn exact(v: f64) -> Value {
        Value { low: v, high: v }
    }

    /// The full range: an unknown fact.
    pub fn unknown() -> Value {
        Value {
            low: 0.0,
            high: 1.0,
        }
    }

    /// True when the fact behind it is unknown (the range is not a point).
    pub fn is_uncertain(self) -> bool {
        (self.high - self.low).abs() > 1e-12
    }
}

/// The value of a status for a team: GA 1; beta the team's `beta_credit`; early access and
/// preview half of that; planned and none 0; unknown the full range. With `count_beta =
/// false`, pre-GA statuses are worth 0.
pub fn status_value(status: Status, team: &Team) -> Value {
    let beta = if team.count_beta {
        team.beta_credit.clamp(0.0, 1.0)
    } else {
        0.0
    };
    match status {
        Status::Ga => Value::exact(1.0),
        Status::Beta => Value::exact(beta),
        Status::EarlyAccess | Status::Preview => Value::exact(beta / 2.0),
        Status::Planned | Status::None => Value::exact(0.0),
        Status::Unknown => Value::unknown(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A range narrower than 1e-12 is float noise from summing weighted axes, not an unknown.
    #[test]
    fn uncertainty_has_a_tolerance_of_1e_12() {
        assert!(
            !Value {
                low: 0.5,
                high: 0.5
            }
            .is_uncertain()
        );
        assert!(
            !Value {
                low: 0.0,
                high: 1e-12
            }
            .is_uncertain()
        );
        assert!(
            Value {
                low: 0.0,
                high: 2e-12
            }
            .is_uncertain()
        );
        assert!(Value::unknown().is_uncertain());
    }

    #[test]
    fn levels_are_ordered() {
        let team = Team::default();
        let order = [
            Status::Ga,
            Status::Beta,
            Status::EarlyAccess,
            Status::Preview,
            Status::Planned,
            Status::None,
        ];
        for pair in order.windows(2) {
            assert!(status_value(pair[0], &team).low >= status_value(pair[1], &team).low);
        }
        assert_eq!(status_value(Status::Unknown, &team), Value::unknown());
        let strict = Team {
            count_beta: false,
            ..Team::default()
        };
        assert_eq!(status_value(Status::Beta, &strict), Value::exact(0.0));
    }
}
