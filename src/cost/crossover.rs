//! Which provider is cheapest at each customer count, and where two providers' cost curves
//! cross. Comparisons use fully known costs only: a partly unknown cost is never compared as
//! if its floor were the price.

use super::cost_value::CostValue;
use super::money::Money;
use serde::Serialize;

/// Customer counts above this are not searched for crossovers (documented limit).
pub const MAX_CURVE_CUSTOMERS: u64 = 100_000;

/// A provider's monthly recurring cost at customer counts `1..=n` (index `n − 1`).
#[derive(Debug, Clone)]
pub struct Curve {
    /// Provider id.
    pub provider: String,
    /// Cost at each customer count, starting at 1.
    pub costs: Vec<CurvePoint>,
}

/// One point of a cost curve: what the bands, crossovers and charts read of a cost, in 20
/// bytes with nothing on the heap. A curve has a point per customer count (up to
/// [`MAX_CURVE_CUSTOMERS`] for every provider), so keeping each point's [`CostValue`] with its
/// reasons held hundreds of megabytes per scenario of a 1,000-provider catalog (issue 15).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CurvePoint {
    /// Every part is priced: the amount.
    Known(Money),
    /// Some part is unpriced: the floor (the sum of the priced parts).
    AtLeast(Money),
    /// No plan can serve this usage.
    Unavailable,
}

impl CurvePoint {
    /// The known amount, if fully known.
    pub fn amount(&self) -> Option<Money> {
        match self {
            CurvePoint::Known(amount) => Some(*amount),
            _ => None,
        }
    }

    /// The priced part: the amount when known, the floor when partly unknown.
    pub fn floor(&self) -> Option<Money> {
        match self {
            CurvePoint::Known(amount) | CurvePoint::AtLeast(amount) => Some(*amount),
            CurvePoint::Unavailable => None,
        }
    }
}

impl From<&CostValue> for CurvePoint {
    fn from(cost: &CostValue) -> CurvePoint {
        match cost {
            CostValue::Known { amount } => CurvePoint::Known(*amount),
            CostValue::AtLeast { floor, .. } => CurvePoint::AtLeast(*floor),
            CostValue::Unavailable { .. } => CurvePoint::Unavailable,
        }
    }
}

/// A run of customer counts with the same cheapest provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Band {
    /// First customer count of the band.
    pub from: u64,
    /// Last customer count of the band.
    pub to: u64,
    /// The cheapest provider(s) with a fully known cost; several when tied; empty when no
    /// provider has a known cost in the band.
    pub cheapest: Vec<String>,
}

/// A point where two providers' order by cost flips.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Crossover {
    /// The provider that becomes cheaper here.
    pub now_cheaper: String,
    /// The provider it overtakes.
    pub now_dearer: String,
    /// The first customer count (or month) at which the new order holds.
    pub at: u64,
    /// For customer-count crossovers: the first month of the projection that reaches `at`
    /// customers, if any.
    pub month: Option<u32>,
    /// `now_cheaper`'s cost there.
    pub cheaper_cost: Money,
    /// `now_dearer`'s cost there.
    pub dearer_cost: Money,
}

/// Cheapest provider per band of customer counts, e.g. `1–34: A; 35–180: B; 181+: C`.
pub fn cheapest_bands(curves: &[Curve]) -> Vec<Band> {
    cheapest_bands_from(curves, 1)
}

/// Cheapest provider per band, for customer counts from `from` (curves start at 1).
pub fn cheapest_bands_from(curves: &[Curve], from: u64) -> Vec<Band> {
    let len = curves.iter().map(|c| c.costs.len()).max().unwrap_or(0);
    let start = usize::try_from(from.max(1) - 1).unwrap_or(usize::MAX);
    let mut bands: Vec<Band> = Vec::new();
    for i in start..len {
        let known: Vec<(&str, Money)> = curves
            .iter()
            .filter_map(|c| {
                c.costs
                    .get(i)
                    .and_then(CurvePoint::amount)
                    .map(|a| (c.provider.as_str(), a))
            })
            .collect();
        let min = known.iter().map(|(_, a)| *a).min();
        let cheapest: Vec<String> = known
            .iter()
            .filter(|(_, a)| Some(*a) == min)
            .map(|(p, _)| (*p).to_owned())
            .collect();
        let n = i as u64 + 1;
        match bands.last_mut() {
            Some(b) if b.cheapest == cheapest => b.to = n,
            _ => bands.push(Band {
                from: n,
                to: n,
                cheapest,
            }),
        }
    }
    bands
}

/// Every pairwise crossover along a series (customer counts starting at 1, or months starting
/// at 1). `month_of(x)` maps a customer count to the first month reaching it.
pub fn crossovers(
    series: &[(String, Vec<Option<Money>>)],
    month_of: &dyn Fn(u64) -> Option<u32>,
) -> Vec<Crossover> {
    crossovers_from(series, 1, month_of)
}

/// The most series compared pairwise: with more, only the cheapest at the end of the series
/// are (1,000 providers meant 499,500 pairs and lists nobody reads).
pub const MAX_CROSSOVER_SERIES: usize = 20;

/// The series whose crossovers are listed: all of them up to [`MAX_CROSSOVER_SERIES`], else
/// that many with the lowest last known value (ties by name; series with no value last).
fn crossover_candidates(
    series: &[(String, Vec<Option<Money>>)],
) -> Vec<&(String, Vec<Option<Money>>)> {
    let mut all: Vec<&(String, Vec<Option<Money>>)> = series.iter().collect();
    if all.len() > MAX_CROSSOVER_SERIES {
        let last = |s: &(String, Vec<Option<Money>>)| s.1.iter().rev().find_map(|v| *v);
        all.sort_by(|a, b| match (last(a), last(b)) {
            (Some(x), Some(y)) => x.cmp(&y).then_with(|| a.0.cmp(&b.0)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.0.cmp(&b.0),
        });
        all.truncate(MAX_CROSSOVER_SERIES);
        // Pairs are visited in the callers' order, as without the cap.
        all.sort_by_key(|s| series.iter().position(|x| std::ptr::eq(x, *s)));
    }
    all
}

/// Every pairwise crossover at positions `from` and later (series start at position 1),
/// among at most [`MAX_CROSSOVER_SERIES`] series.
pub fn crossovers_from(
    series: &[(String, Vec<Option<Money>>)],
    from: u64,
    month_of: &dyn Fn(u64) -> Option<u32>,
) -> Vec<Crossover> {
    let mut out = Vec::new();
    let series = crossover_candidates(series);
    for (i, (a, ca)) in series.iter().map(|s| (&s.0, &s.1)).enumerate() {
        for (b, cb) in series[i + 1..].iter().map(|s| (&s.0, &s.1)) {
            let mut last_sign = 0i8;
            for (k, (x, y)) in ca.iter().zip(cb).enumerate() {
                if (k as u64) + 1 < from {
                    continue;
                }
                let (Some(x), Some(y)) = (x, y) else { continue };
                let sign = match x.cmp(y) {
                    std::cmp::Ordering::Less => -1,
                    std::cmp::Ordering::Equal => 0,
                    std::cmp::Ordering::Greater => 1,
                };
                if sign != 0 && last_sign != 0 && sign != last_sign {
                    let at = k as u64 + 1;
                    let (now_cheaper, now_dearer, cheaper_cost, dearer_cost) = if sign < 0 {
                        (a, b, *x, *y)
                    } else {
                        (b, a, *y, *x)
                    };
                    out.push(Crossover {
                        now_cheaper: now_cheaper.clone(),
                        now_dearer: now_dearer.clone(),
                        at,
                        month: month_of(at),
                        cheaper_cost,
                        dearer_cost,
                    });
                }
                if sign != 0 {
                    last_sign = sign;
                }
            }
        }
    }
    out.sort_by(|p, q| {
        p.at.cmp(&q.at)
            .then_with(|| p.now_cheaper.cmp(&q.now_cheaper))
            .then_with(|| p.now_dearer.cmp(&q.now_dearer))
    });
    out
}

/// Formats bands as `1–34: A; 35–180: B; 181+: C` (the last band open-ended).
pub fn format_bands(bands: &[Band], name: &dyn Fn(&str) -> String) -> String {
    let n = bands.len();
    bands
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let who = if b.cheapest.is_empty() {
                "no known price".to_owned()
            } else {
                b.cheapest
                    .iter()
                    .map(|c| name(c))
                    .collect::<Vec<_>>()
                    .join(" = ")
            };
            let range = if i + 1 == n {
                format!("{}+", b.from)
            } else if b.from == b.to {
                b.from.to_string()
            } else {
                format!("{}–{}", b.from, b.to)
            };
            format!("{range}: {who}")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    /// 25 flat series at 1..=25 and one that starts at 100 and falls to 0.5: with the cap,
    /// only the 20 cheapest at the end are compared, so the falling series (cheapest at the
    /// end) crosses each of the 19 others kept, and series 20–25 appear in no crossover.
    #[test]
    fn crossovers_are_listed_among_the_cheapest_twenty() {
        let m = |v: i64| Some(Money(Decimal::new(v, 1)));
        let mut series: Vec<(String, Vec<Option<Money>>)> = (1..=25)
            .map(|i| (format!("p{i:02}"), vec![m(i * 10); 3]))
            .collect();
        series.push(("falling".into(), vec![m(1000), m(1000), m(5)]));
        let out = crossovers(&series, &|_| None);
        assert_eq!(out.len(), 19);
        assert!(out.iter().all(|c| c.now_cheaper == "falling" && c.at == 3));
        assert!(!out.iter().any(|c| c.now_dearer.as_str() > "p19"));
    }

    #[allow(clippy::unnecessary_wraps)] // series entries are `Option`s
    fn m(v: i64) -> Option<Money> {
        Some(Money(Decimal::from(v)))
    }

    #[test]
    fn finds_the_flip_and_its_month() {
        // A = 100 flat; B = 30 × n. B is cheaper for n ≤ 3 (90 < 100), dearer from n = 4 (120).
        let a: Vec<_> = (1..=6).map(|_| m(100)).collect();
        let b: Vec<_> = (1..=6).map(|n| m(30 * n)).collect();
        let x = crossovers(&[("a".into(), a), ("b".into(), b)], &|n| Some(n as u32 * 2));
        assert_eq!(x.len(), 1);
        assert_eq!(
            (x[0].now_cheaper.as_str(), x[0].at, x[0].month),
            ("a", 4, Some(8))
        );
    }

    #[test]
    fn bands_merge_and_format() {
        let curves = vec![
            Curve {
                provider: "a".into(),
                costs: (1..=5)
                    .map(|_| CurvePoint::Known(Money(Decimal::from(100))))
                    .collect(),
            },
            Curve {
                provider: "b".into(),
                costs: (1..=5)
                    .map(|n| CurvePoint::Known(Money(Decimal::from(40 * n))))
                    .collect(),
            },
        ];
        let bands = cheapest_bands(&curves);
        assert_eq!(format_bands(&bands, &|s| s.to_uppercase()), "1–2: B; 3+: A");
    }
}
