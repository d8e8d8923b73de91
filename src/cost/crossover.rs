//! Which provider is cheapest at each customer count, and where two providers' cost curves
//! cross. Comparisons use fully known costs only: a partly unknown cost is never compared as
//! if its floor were the price.

use super::cost_value::CostValue;
use super::money::{Money, Overflow};
use serde::Serialize;

/// Customer counts above this are not searched for crossovers (documented limit).
pub const MAX_CURVE_CUSTOMERS: u64 = 100_000;

/// A provider's effective monthly cost (recurring, plus one-time costs spread over the
/// horizon) at customer counts `1..=n` (index `n − 1`).
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

impl CurvePoint {
    /// This point plus a cost: unavailable when either is, known when both are, else the sum of
    /// the floors, partly unknown (as [`CostValue::plus`] gives, without merging the reasons a
    /// point does not keep).
    pub fn plus(self, other: &CostValue) -> Result<CurvePoint, Overflow> {
        Ok(match (self, other) {
            (CurvePoint::Unavailable, _) | (_, CostValue::Unavailable { .. }) => {
                CurvePoint::Unavailable
            }
            (CurvePoint::Known(a), CostValue::Known { amount }) => {
                CurvePoint::Known(a.add(*amount)?)
            }
            (CurvePoint::Known(a) | CurvePoint::AtLeast(a), _) => {
                CurvePoint::AtLeast(a.add(other.floor().unwrap_or(Money::ZERO))?)
            }
        })
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
    let mut tally = BandTally::new(from);
    for c in curves {
        tally.offer(c);
    }
    tally.finish()
}

/// The cheapest fully known provider at each customer count, taking one curve at a time so
/// that a large catalog's curves need not be held at once (10,000 providers × 1,000 counts
/// are 200 MB of points, issue 15). Ties keep the order in which curves were offered.
#[derive(Debug, Clone)]
pub struct BandTally {
    /// The first count's index.
    start: usize,
    /// Per count index: the lowest known cost so far and the offers that have it.
    best: Vec<Option<(Money, Vec<usize>)>>,
    /// Provider ids, in offer order.
    ids: Vec<String>,
}

impl BandTally {
    /// An empty tally for customer counts from `from` (curves start at 1).
    pub fn new(from: u64) -> BandTally {
        BandTally {
            start: usize::try_from(from.max(1) - 1).unwrap_or(usize::MAX),
            best: Vec::new(),
            ids: Vec::new(),
        }
    }

    /// Takes the next curve.
    pub fn offer(&mut self, curve: &Curve) {
        let who = self.ids.len();
        self.ids.push(curve.provider.clone());
        if self.best.len() < curve.costs.len() {
            self.best.resize(curve.costs.len(), None);
        }
        let counts = curve.costs.iter().zip(&mut self.best).skip(self.start);
        for (point, best) in counts {
            let Some(a) = point.amount() else { continue };
            match best {
                None => *best = Some((a, vec![who])),
                Some((min, winners)) => match a.cmp(min) {
                    std::cmp::Ordering::Less => {
                        *min = a;
                        winners.clear();
                        winners.push(who);
                    }
                    std::cmp::Ordering::Equal => winners.push(who),
                    std::cmp::Ordering::Greater => {}
                },
            }
        }
    }

    /// The bands: runs of counts with the same cheapest providers.
    pub fn finish(self) -> Vec<Band> {
        let mut bands: Vec<Band> = Vec::new();
        for (i, best) in self.best.iter().enumerate().skip(self.start) {
            let cheapest: Vec<String> = best.as_ref().map_or_else(Vec::new, |(_, w)| {
                w.iter().map(|&k| self.ids[k].clone()).collect()
            });
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

/// A series as the crossover lists know it: a name and a value per position.
pub type Series = (String, Vec<Option<Money>>);

/// The order in which series become crossover candidates: the lowest last known value first,
/// ties by name, series with no value last.
fn candidate_order(a: &Series, b: &Series) -> std::cmp::Ordering {
    let last = |s: &Series| s.1.iter().rev().find_map(|v| *v);
    match (last(a), last(b)) {
        (Some(x), Some(y)) => x.cmp(&y).then_with(|| a.0.cmp(&b.0)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.0.cmp(&b.0),
    }
}

/// The series whose crossovers are listed, chosen as series are offered one at a time: all of
/// them up to [`MAX_CROSSOVER_SERIES`], else that many first in [`candidate_order`]; only
/// those are held.
#[derive(Debug, Clone, Default)]
pub struct CandidateSeries {
    /// At most [`MAX_CROSSOVER_SERIES`] + 1 series with their offer index, best first.
    kept: Vec<(usize, Series)>,
    /// Series offered so far.
    offered: usize,
}

impl CandidateSeries {
    /// Takes the next series.
    pub fn offer(&mut self, series: Series) {
        let at = self
            .kept
            .partition_point(|(_, s)| candidate_order(s, &series).is_lt());
        if at < MAX_CROSSOVER_SERIES {
            self.kept.insert(at, (self.offered, series));
            self.kept.truncate(MAX_CROSSOVER_SERIES);
        }
        self.offered += 1;
    }

    /// Every pairwise crossover among the candidates at positions `from` and later, as
    /// [`crossovers_from`] finds them.
    pub fn crossovers(
        mut self,
        from: u64,
        month_of: &dyn Fn(u64) -> Option<u32>,
    ) -> Vec<Crossover> {
        // Pairs are visited in the order series were offered, as without the cap.
        self.kept.sort_by_key(|(i, _)| *i);
        let series: Vec<&Series> = self.kept.iter().map(|(_, s)| s).collect();
        pairwise(&series, from, month_of)
    }
}

/// The series whose crossovers are listed: all of them up to [`MAX_CROSSOVER_SERIES`], else
/// that many first in [`candidate_order`], in their given order.
fn crossover_candidates(series: &[Series]) -> Vec<&Series> {
    let mut all: Vec<(usize, &Series)> = series.iter().enumerate().collect();
    if all.len() > MAX_CROSSOVER_SERIES {
        all.sort_by(|a, b| candidate_order(a.1, b.1));
        all.truncate(MAX_CROSSOVER_SERIES);
        all.sort_by_key(|(i, _)| *i);
    }
    all.into_iter().map(|(_, s)| s).collect()
}

/// Every pairwise crossover at positions `from` and later (series start at position 1),
/// among at most [`MAX_CROSSOVER_SERIES`] series.
pub fn crossovers_from(
    series: &[Series],
    from: u64,
    month_of: &dyn Fn(u64) -> Option<u32>,
) -> Vec<Crossover> {
    pairwise(&crossover_candidates(series), from, month_of)
}

/// Every pairwise crossover at positions `from` and later among `series`, in pair order.
fn pairwise(
    series: &[&Series],
    from: u64,
    month_of: &dyn Fn(u64) -> Option<u32>,
) -> Vec<Crossover> {
    let mut out = Vec::new();
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

    /// A point plus a cost is the point of the costs' sum, for every pair of kinds: 12.50 +
    /// 0.25 = 12.75, known only when both are, a floor when either is partly unknown, and
    /// unavailable when either is.
    #[test]
    fn a_point_plus_a_cost_is_the_point_of_the_sum() {
        let known = |c: i64| CostValue::Known {
            amount: Money(Decimal::new(c, 2)),
        };
        let at_least = |c: i64| CostValue::AtLeast {
            floor: Money(Decimal::new(c, 2)),
            unknown: vec!["contact sales".into()],
        };
        let none = CostValue::Unavailable {
            reason: "over the limit".into(),
        };
        let values = [known(1250), at_least(1250), none.clone()];
        let others = [known(25), at_least(25), none];
        for a in &values {
            for b in &others {
                assert_eq!(
                    CurvePoint::from(a).plus(b).unwrap(),
                    CurvePoint::from(&a.plus(b).unwrap()),
                    "{a:?} + {b:?}"
                );
            }
        }
        assert_eq!(
            CurvePoint::from(&known(1250)).plus(&at_least(25)).unwrap(),
            CurvePoint::AtLeast(Money(Decimal::new(1275, 2)))
        );
    }

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
