//! Customer-count curves: how many customers need SSO/SCIM in each month.

use crate::model::scenario::{Growth, GrowthKind};

/// The largest customer count accepted anywhere (milestones, growth).
pub const MAX_CUSTOMERS: u64 = 1_000_000_000;

/// A validated growth curve. `raw(month)` is the real-valued curve; `customers(month)` the
/// whole count used for costs.
#[derive(Debug, Clone, PartialEq)]
pub enum GrowthCurve {
    /// The same count every month.
    Constant(f64),
    /// A straight line from `start` in month 1 to `end` in month `horizon`.
    Linear {
        /// Customers in month 1.
        start: f64,
        /// Customers in the last month.
        end: f64,
        /// The last month.
        horizon: u32,
    },
    /// `start × (1 + rate)^(month − 1)`, optionally capped.
    Compound {
        /// Customers in month 1.
        start: f64,
        /// Growth per month as a fraction.
        rate: f64,
        /// Optional ceiling.
        cap: Option<f64>,
    },
    /// `capacity / (1 + e^(−steepness × (month − midpoint)))`.
    Logistic {
        /// The ceiling.
        capacity: f64,
        /// Month at half capacity.
        midpoint: f64,
        /// Steepness per month.
        steepness: f64,
    },
    /// Linear interpolation between points; flat before the first and after the last.
    Points(Vec<(u32, f64)>),
}

/// A problem in a growth spec: (key, message, expected).
pub type GrowthProblem = (String, String, String);

impl GrowthCurve {
    /// Builds the curve from the scenario's `[growth]` table, or lists what is wrong with it.
    /// `horizon` is the last month (a `linear` curve reaches `end` there).
    pub fn from_spec(g: &Growth, horizon: u32) -> Result<GrowthCurve, Vec<GrowthProblem>> {
        let mut problems = Vec::new();
        let allowed: &[&str] = match g.kind {
            GrowthKind::Constant => &["customers"],
            GrowthKind::Linear => &["start", "end"],
            GrowthKind::Compound => &["start", "monthly_rate", "cap"],
            GrowthKind::Logistic => &["capacity", "midpoint_month", "steepness"],
            GrowthKind::Points => &["points"],
        };
        let present = [
            ("customers", g.customers.is_some()),
            ("start", g.start.is_some()),
            ("end", g.end.is_some()),
            ("monthly_rate", g.monthly_rate.is_some()),
            ("cap", g.cap.is_some()),
            ("capacity", g.capacity.is_some()),
            ("midpoint_month", g.midpoint_month.is_some()),
            ("steepness", g.steepness.is_some()),
            ("points", !g.points.is_empty()),
        ];
        let kind = g.kind.as_str();
        for (key, is) in present {
            if is && !allowed.contains(&key) {
                problems.push((
                    key.to_owned(),
                    format!("`{key}` is not used by `{kind}` growth"),
                    format!("only {}", list(allowed)),
                ));
            }
        }
        let mut need = |key: &str, v: Option<f64>, min: f64| -> f64 {
            match v {
                None => {
                    problems.push((
                        String::new(),
                        format!("`{kind}` growth needs `{key}`"),
                        format!("`{key} = …` in `[growth]`"),
                    ));
                    0.0
                }
                Some(x) if !x.is_finite() || x < min => {
                    problems.push((
                        key.to_owned(),
                        format!("`{key}` = {x} is out of range"),
                        format!("a finite number of at least {min}"),
                    ));
                    0.0
                }
                Some(x) => x,
            }
        };
        let curve = match g.kind {
            GrowthKind::Constant => GrowthCurve::Constant(need("customers", g.customers, 0.0)),
            GrowthKind::Linear => {
                let start = need("start", g.start, 0.0);
                // `end` may be below `start` (a shrinking base) but not negative.
                let end = need("end", g.end.as_ref().map(|r| r.likely), 0.0);
                GrowthCurve::Linear {
                    start,
                    end,
                    horizon,
                }
            }
            GrowthKind::Compound => {
                let start = need("start", g.start, 0.0);
                let rate = need("monthly_rate", g.monthly_rate, -1.0);
                let cap = g.cap.map(|c| need("cap", Some(c), 0.0));
                GrowthCurve::Compound { start, rate, cap }
            }
            GrowthKind::Logistic => {
                let capacity = need("capacity", g.capacity, 0.0);
                let midpoint = need("midpoint_month", g.midpoint_month, f64::MIN);
                let steepness = need("steepness", g.steepness, 0.0);
                GrowthCurve::Logistic {
                    capacity,
                    midpoint,
                    steepness,
                }
            }
            GrowthKind::Points => {
                if g.points.is_empty() {
                    problems.push((
                        "points".into(),
                        "`points` growth needs at least one point".into(),
                        "`points = [{ month = 1, customers = 10 }, …]`".into(),
                    ));
                }
                for (i, p) in g.points.iter().enumerate() {
                    if !p.customers.is_finite() || p.customers < 0.0 {
                        problems.push((
                            "points".into(),
                            format!("point {i} has {} customers", p.customers),
                            "0 or more customers".into(),
                        ));
                    }
                    if p.month == 0 {
                        problems.push((
                            "points".into(),
                            format!("point {i} is in month 0"),
                            "months counted from 1".into(),
                        ));
                    }
                    if i > 0 && p.month <= g.points[i - 1].month {
                        problems.push((
                            "points".into(),
                            format!(
                                "point {i} (month {}) is not after the previous point",
                                p.month
                            ),
                            "months in ascending order".into(),
                        ));
                    }
                }
                GrowthCurve::Points(g.points.iter().map(|p| (p.month, p.customers)).collect())
            }
        };
        if problems.is_empty() {
            Ok(curve)
        } else {
            Err(problems)
        }
    }

    /// The real-valued count in `month` (1-based), before rounding.
    pub fn raw(&self, month: u32) -> f64 {
        let m = f64::from(month);
        match self {
            GrowthCurve::Constant(c) => *c,
            GrowthCurve::Linear {
                start,
                end,
                horizon,
            } => {
                if *horizon <= 1 {
                    *end
                } else {
                    start + (end - start) * (m - 1.0) / f64::from(horizon - 1)
                }
            }
            GrowthCurve::Compound { start, rate, cap } => {
                let v = start * (1.0 + rate).powf(m - 1.0);
                cap.map_or(v, |c| v.min(c))
            }
            GrowthCurve::Logistic {
                capacity,
                midpoint,
                steepness,
            } => capacity / (1.0 + (-steepness * (m - midpoint)).exp()),
            GrowthCurve::Points(points) => interpolate(points, month),
        }
    }

    /// Whole customers in `month`: the curve rounded half away from zero, never negative,
    /// never above [`MAX_CUSTOMERS`]. This is the one place a customer count is rounded.
    pub fn customers(&self, month: u32) -> u64 {
        let raw = self.raw(month);
        if !raw.is_finite() || raw <= 0.0 {
            return 0;
        }
        (raw.round() as u64).min(MAX_CUSTOMERS)
    }
}

fn interpolate(points: &[(u32, f64)], month: u32) -> f64 {
    let Some(first) = points.first() else {
        return 0.0;
    };
    if month <= first.0 {
        return first.1;
    }
    for pair in points.windows(2) {
        let ((m0, c0), (m1, c1)) = (pair[0], pair[1]);
        if month <= m1 {
            return c0 + (c1 - c0) * f64::from(month - m0) / f64::from(m1 - m0);
        }
    }
    points.last().map_or(0.0, |p| p.1)
}

fn list(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_hits_both_ends() {
        let c = GrowthCurve::Linear {
            start: 10.0,
            end: 1000.0,
            horizon: 36,
        };
        assert_eq!(c.customers(1), 10);
        assert_eq!(c.customers(36), 1000);
        // month 18: 10 + 990 × 17/35 = 490.857… → 491
        assert_eq!(c.customers(18), 491);
    }

    #[test]
    fn compound_and_cap() {
        let c = GrowthCurve::Compound {
            start: 100.0,
            rate: 0.1,
            cap: Some(150.0),
        };
        assert_eq!(c.customers(1), 100);
        assert_eq!(c.customers(2), 110);
        assert_eq!(c.customers(3), 121);
        assert_eq!(c.customers(12), 150);
    }

    #[test]
    fn logistic_is_half_at_midpoint() {
        let c = GrowthCurve::Logistic {
            capacity: 1000.0,
            midpoint: 18.0,
            steepness: 0.3,
        };
        assert_eq!(c.customers(18), 500);
        assert!(c.customers(1) < c.customers(36));
    }

    #[test]
    fn points_interpolate_and_hold() {
        let c = GrowthCurve::Points(vec![(1, 10.0), (11, 110.0)]);
        assert_eq!(c.customers(6), 60);
        assert_eq!(c.customers(40), 110);
    }

    #[test]
    fn rounding_is_half_away_from_zero_and_never_negative() {
        assert_eq!(GrowthCurve::Constant(2.5).customers(1), 3);
        assert_eq!(GrowthCurve::Constant(-4.0).customers(1), 0);
        assert_eq!(GrowthCurve::Constant(f64::NAN).customers(1), 0);
    }
    fn spec(body: &str) -> Growth {
        toml::from_str(body).unwrap_or_else(|e| panic!("growth TOML: {e}\n{body}"))
    }

    /// The keys of the problems `from_spec` reports, or the curve's first months.
    fn check(body: &str) -> Result<Vec<u64>, Vec<String>> {
        GrowthCurve::from_spec(&spec(body), 3)
            .map(|c| (1..=3).map(|m| c.customers(m)).collect())
            .map_err(|ps| {
                ps.into_iter()
                    .map(|p| format!("{}: {}", p.0, p.1))
                    .collect()
            })
    }

    #[test]
    fn from_spec_accepts_the_boundaries_and_names_every_problem() {
        // A rate of exactly −100 % is allowed (everyone leaves): 10, 0, 0.
        assert_eq!(
            check("kind = \"compound\"\nstart = 10\nmonthly_rate = -1.0"),
            Ok(vec![10, 0, 0])
        );
        // Below it, or not a number, is a problem of that key.
        assert_eq!(
            check("kind = \"compound\"\nstart = 10\nmonthly_rate = -1.5"),
            Err(vec![
                "monthly_rate: `monthly_rate` = -1.5 is out of range".to_owned()
            ])
        );
        assert_eq!(
            check("kind = \"compound\"\nstart = nan\nmonthly_rate = 0.1"),
            Err(vec!["start: `start` = NaN is out of range".to_owned()])
        );
        // A start of 0 is allowed: 0 × anything stays 0.
        assert_eq!(
            check("kind = \"compound\"\nstart = 0\nmonthly_rate = 0.1"),
            Ok(vec![0, 0, 0])
        );
        // A missing key is reported without a key (it is not in the file to point at).
        assert_eq!(
            check("kind = \"linear\"\nstart = 10"),
            Err(vec![": `linear` growth needs `end`".to_owned()])
        );
        // A key of another kind is named, with the keys this kind takes.
        let stray =
            GrowthCurve::from_spec(&spec("kind = \"constant\"\ncustomers = 5\nstart = 1"), 3)
                .unwrap_err();
        assert_eq!(
            stray,
            vec![(
                "start".to_owned(),
                "`start` is not used by `constant` growth".to_owned(),
                "only `customers`".to_owned()
            )]
        );
        let stray =
            GrowthCurve::from_spec(&spec("kind = \"linear\"\nstart = 1\nend = 2\ncap = 3"), 3)
                .unwrap_err();
        assert_eq!(stray[0].2, "only `start`, `end`");
    }

    #[test]
    fn from_spec_checks_every_point() {
        // Ascending months from 1 with customers ≥ 0 are fine: 5, 10 (interpolated), 15.
        assert_eq!(
            check(
                "kind = \"points\"\npoints = [{ month = 1, customers = 5 }, { month = 3, customers = 15 }]"
            ),
            Ok(vec![5, 10, 15])
        );
        assert_eq!(
            check("kind = \"points\""),
            Err(vec![
                "points: `points` growth needs at least one point".to_owned()
            ])
        );
        assert_eq!(
            check("kind = \"points\"\npoints = [{ month = 1, customers = -1 }]"),
            Err(vec!["points: point 0 has -1 customers".to_owned()])
        );
        assert_eq!(
            check("kind = \"points\"\npoints = [{ month = 1, customers = inf }]"),
            Err(vec!["points: point 0 has inf customers".to_owned()])
        );
        assert_eq!(
            check("kind = \"points\"\npoints = [{ month = 0, customers = 1 }]"),
            Err(vec!["points: point 0 is in month 0".to_owned()])
        );
        // A repeated month is as wrong as a decreasing one; the first point has no predecessor.
        assert_eq!(
            check(
                "kind = \"points\"\npoints = [{ month = 2, customers = 1 }, { month = 2, customers = 3 }, { month = 1, customers = 4 }]"
            ),
            Err(vec![
                "points: point 1 (month 2) is not after the previous point".to_owned(),
                "points: point 2 (month 1) is not after the previous point".to_owned(),
            ])
        );
    }

    #[test]
    fn an_infinite_curve_has_no_customers() {
        // Not a count: 0, never the `MAX_CUSTOMERS` a saturating cast would give.
        assert_eq!(GrowthCurve::Constant(f64::INFINITY).customers(1), 0);
        assert_eq!(GrowthCurve::Constant(0.4).customers(1), 0);
        assert_eq!(GrowthCurve::Constant(0.5).customers(1), 1);
    }
}
