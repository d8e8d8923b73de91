//! One scored criterion: the fact, its level, its value and its points on an axis.

use super::value::Value;
use serde::Serialize;

/// A criterion of an axis, traced to the fact and source that earned its points.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Criterion {
    /// The fact's key in the provider file (`features.groups`), or a derived measure.
    pub key: String,
    /// What it measures, in words.
    pub label: String,
    /// Points it carries in the rubric before renormalisation (see `docs/scoring.md`).
    pub points: f64,
    /// The fact's level as written (`ga`, `managed`, `3 of 4 languages`, …).
    pub level: String,
    /// The level's value on the 0–1 scale.
    pub value: Value,
    /// URL of the source backing the fact, when there is one.
    pub source: Option<String>,
    /// A caveat from the provider file or the rubric.
    pub note: Option<String>,
}

/// An axis score: criteria, and the 0–100 score they add up to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AxisScore {
    /// Axis name.
    pub axis: &'static str,
    /// The applicable criteria (ignored needs are left out and their points redistributed).
    pub criteria: Vec<Criterion>,
    /// The score, 0–100, as a pessimistic–optimistic pair.
    pub score: Value,
}

impl AxisScore {
    /// Sums points × value over the criteria and scales to 0–100. An axis with no applicable
    /// criteria scores 100 for everyone, so it cannot separate providers.
    pub fn from_criteria(axis: &'static str, criteria: Vec<Criterion>) -> AxisScore {
        let total: f64 = criteria.iter().map(|c| c.points).sum();
        let score = if total <= 0.0 {
            Value::exact(100.0)
        } else {
            Value {
                low: 100.0 * criteria.iter().map(|c| c.points * c.value.low).sum::<f64>() / total,
                high: 100.0
                    * criteria
                        .iter()
                        .map(|c| c.points * c.value.high)
                        .sum::<f64>()
                    / total,
            }
        };
        AxisScore {
            axis,
            criteria,
            score,
        }
    }

    /// A criterion's contribution to this axis's 0–100 score (pessimistic).
    pub fn contribution(&self, c: &Criterion) -> f64 {
        let total: f64 = self.criteria.iter().map(|c| c.points).sum();
        if total <= 0.0 {
            0.0
        } else {
            100.0 * c.points * c.value.low / total
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn criterion(points: f64, low: f64, high: f64) -> Criterion {
        Criterion {
            key: "k".into(),
            label: "l".into(),
            points,
            level: "x".into(),
            value: Value { low, high },
            source: None,
            note: None,
        }
    }

    /// Contributions by hand: points 30, 20, 50 (total 100) with pessimistic values 0.5, 1
    /// and 0 contribute 100 × 30 × 0.5 / 100 = 15, 20 and 0; with no points at all, 0.
    #[test]
    fn contributions_are_points_times_value_over_the_total() {
        let a = AxisScore::from_criteria(
            "ease",
            vec![
                criterion(30.0, 0.5, 0.5),
                criterion(20.0, 1.0, 1.0),
                criterion(50.0, 0.0, 1.0),
            ],
        );
        let got: Vec<f64> = a.criteria.iter().map(|c| a.contribution(c)).collect();
        assert_eq!(got, [15.0, 20.0, 0.0]);
        let empty = AxisScore::from_criteria("ease", vec![criterion(0.0, 1.0, 1.0)]);
        assert!(empty.contribution(&empty.criteria[0]).abs() < f64::EPSILON);
    }
}
