//! Line-chart data made drawable: values merged per x, ranges padded, outliers clipped.

use super::style::{Look, look};
use super::text::clean;
use super::{BandPoint, LineChart, Series};

/// Larger magnitudes are clamped so that range arithmetic stays finite.
const VALUE_LIMIT: f64 = 1e30;

/// What a series says at one x.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Value {
    Known(f64),
    Floor(f64),
    Unknown,
}

impl Value {
    /// Which of two values at the same x wins: the smaller rank.
    fn rank(self) -> u8 {
        match self {
            Value::Known(_) => 0,
            Value::Floor(_) => 1,
            Value::Unknown => 2,
        }
    }

    fn y(self) -> Option<f64> {
        match self {
            Value::Known(y) | Value::Floor(y) => Some(y),
            Value::Unknown => None,
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct PreparedSeries {
    pub(super) label: String,
    pub(super) look: Look,
    /// Runs of consecutive known points in data coordinates (y already clamped for log axes
    /// and clipped at the top of a cut axis).
    pub(super) solid: Vec<Vec<(f64, f64)>>,
    /// Runs of floors (joined to the neighbouring known points), and known runs of a
    /// `lower_bound` series.
    pub(super) dashed: Vec<Vec<(f64, f64)>>,
    /// Outlines of the visible parts of the estimated bands.
    pub(super) areas: Vec<Vec<(f64, f64)>>,
    /// The bands' lower and upper edges (visible parts).
    pub(super) edges: Vec<Vec<(f64, f64)>>,
    /// Runs of the bands' middle lines.
    pub(super) medians: Vec<Vec<(f64, f64)>>,
    /// Bands of a single x: drawn as a vertical stroke from low to high.
    pub(super) whiskers: Vec<[(f64, f64); 2]>,
    /// Points that get a marker.
    pub(super) markers: Vec<(f64, f64)>,
    /// Unknown x ranges `(from, to)` between the neighbouring known samples; `from == to` for a
    /// lone unknown sample.
    pub(super) unknown: Vec<(f64, f64)>,
    /// What the series shows, for its legend glyph.
    /// What the series shows, for its legend glyph: solid or dashed lines (runs of two points
    /// or more), bands, any value at all (a lone point is a marker only).
    pub(super) has_solid: bool,
    pub(super) has_dashed: bool,
    pub(super) has_band: bool,
    has_values: bool,
}

impl PreparedSeries {
    /// Whether the series has a line, a floor or a band anywhere.
    pub(super) fn draws_something(&self) -> bool {
        self.has_values || self.has_band
    }
}

#[derive(Debug, Clone)]
pub(super) struct PreparedLine {
    pub(super) series: Vec<PreparedSeries>,
    pub(super) x: (f64, f64),
    pub(super) y: (f64, f64),
    pub(super) log: bool,
    pub(super) milestones: Vec<(f64, String)>,
    pub(super) any_known: bool,
    /// The chart uses floors or bands, so the legend explains the line styles.
    pub(super) key: bool,
}

pub(super) fn clamp_value(v: f64) -> f64 {
    v.clamp(-VALUE_LIMIT, VALUE_LIMIT)
}

/// Range of `values` (finite), padded when degenerate; `(0, 1)` when empty.
fn x_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    if hi - lo <= hi.abs().max(lo.abs()).max(1.0) * 1e-9 {
        let pad = (lo.abs() * 0.05).max(0.5);
        return (lo - pad, hi + pad);
    }
    (lo, hi)
}

/// Linear y range that includes 0, with some headroom above the data.
fn linear_y_range(values: &[f64], headroom: f64) -> (f64, f64) {
    let (min, max) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    if !min.is_finite() || !max.is_finite() {
        return (0.0, 1.0);
    }
    let (lo, hi) = (min.min(0.0), max.max(0.0));
    let span = hi - lo;
    if span <= hi.abs().max(lo.abs()).max(1.0) * 1e-9 {
        return (lo, lo + 1.0);
    }
    (
        if min < 0.0 { lo - span * 0.05 } else { lo },
        if max > 0.0 { hi + span * headroom } else { hi },
    )
}

/// Log y range covering the positive `values` in whole decades; `(1, 10)` when there are none.
fn log_y_range(values: &[f64]) -> (f64, f64) {
    let (min, max) = values
        .iter()
        .filter(|v| **v > 0.0)
        .fold((f64::INFINITY, 0.0_f64), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    if !min.is_finite() || max <= 0.0 {
        return (1.0, 10.0);
    }
    let min = min.max(1.0 / VALUE_LIMIT);
    let lo = 10_f64.powf(min.log10().floor());
    let mut hi = 10_f64.powf(max.log10().ceil());
    if hi <= lo * 1.000_001 {
        hi = lo * 10.0;
    }
    (lo, hi)
}

/// The samples of a series, merged and sorted by x: non-finite x dropped, a known value wins
/// over a floor and a floor over an unknown value at the same x.
fn merged_samples(s: &Series) -> Vec<(f64, Value)> {
    let mut samples: Vec<(f64, Value)> = s
        .points
        .iter()
        .filter(|(x, _)| x.is_finite())
        .map(|&(x, y)| {
            (
                clamp_value(x),
                y.filter(|v| v.is_finite())
                    .map_or(Value::Unknown, |v| Value::Known(clamp_value(v))),
            )
        })
        .chain(
            s.floors
                .iter()
                .filter(|(x, f)| x.is_finite() && f.is_finite())
                .map(|&(x, f)| (clamp_value(x), Value::Floor(clamp_value(f)))),
        )
        .collect();
    samples.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.rank().cmp(&b.1.rank())));
    samples.dedup_by(|later, earlier| {
        later.0.total_cmp(&earlier.0).is_eq() && later.1.rank() > earlier.1.rank()
    });
    samples
}

/// The band runs of a series: finite points only, sorted by x, `low ≤ high`; empty runs
/// dropped.
fn clean_bands(s: &Series) -> Vec<Vec<BandPoint>> {
    s.bands
        .iter()
        .map(|run| {
            let mut run: Vec<BandPoint> = run
                .iter()
                .filter(|b| [b.x, b.low, b.mid, b.high].iter().all(|v| v.is_finite()))
                .map(|b| {
                    let (low, high) = (clamp_value(b.low), clamp_value(b.high));
                    BandPoint {
                        x: clamp_value(b.x),
                        low: low.min(high),
                        mid: clamp_value(b.mid),
                        high: low.max(high),
                    }
                })
                .collect();
            run.sort_by(|a, b| a.x.total_cmp(&b.x));
            run
        })
        .filter(|run| !run.is_empty())
        .collect()
}

/// Whether the sample nearest to `x` (the earlier one on a tie) is unknown; `true` when there
/// are no samples.
fn unknown_near(points: &[(f64, Value)], x: f64) -> bool {
    let i = points.partition_point(|p| p.0 < x);
    let nearest = match (i.checked_sub(1).map(|j| points[j]), points.get(i)) {
        (Some(before), Some(after)) => {
            if x - before.0 <= after.0 - x {
                Some(before)
            } else {
                Some(*after)
            }
        }
        (before, after) => before.or(after.copied()),
    };
    nearest.is_none_or(|p| p.1 == Value::Unknown)
}

/// The parts of a polyline at or below `top`, split where it leaves and re-enters.
fn clip_top(points: &[(f64, f64)], top: f64) -> Vec<Vec<(f64, f64)>> {
    let mut runs = Vec::new();
    let mut run: Vec<(f64, f64)> = Vec::new();
    for (i, &p) in points.iter().enumerate() {
        if i > 0 {
            let q = points[i - 1];
            if (q.1 > top) != (p.1 > top) {
                run.push(crossing(q, p, top));
            }
        }
        if p.1 > top {
            if !run.is_empty() {
                runs.push(std::mem::take(&mut run));
            }
        } else {
            run.push(p);
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

/// The outlines of the visible parts of a band (edges `low` and `high` at the same xs): the
/// parts where the lower edge is at or below `top`, with the upper edge lowered to `top`.
fn band_areas(low: &[(f64, f64)], high: &[(f64, f64)], top: f64) -> Vec<Vec<(f64, f64)>> {
    // (x, low, high), with the points where the lower edge crosses `top` added.
    let mut pts: Vec<(f64, f64, f64)> = Vec::with_capacity(low.len() + 2);
    for i in 0..low.len().min(high.len()) {
        if i > 0 {
            let (a, b) = (low[i - 1], low[i]);
            if (a.1 > top) != (b.1 > top) {
                let c = crossing(a, b, top);
                let t = if b.0 > a.0 {
                    ((c.0 - a.0) / (b.0 - a.0)).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                let h = high[i - 1].1 + (high[i].1 - high[i - 1].1) * t;
                pts.push((c.0, top, h.max(top)));
            }
        }
        pts.push((low[i].0, low[i].1, high[i].1));
    }
    let mut areas = Vec::new();
    for run in pts.split(|p| p.1 > top).filter(|run| run.len() > 1) {
        let upper: Vec<(f64, f64)> = run.iter().map(|p| (p.0, p.2)).collect();
        let mut outline = clamp_top(&upper, top);
        outline.extend(run.iter().rev().map(|p| (p.0, p.1)));
        areas.push(outline);
    }
    areas
}

/// A polyline with every y above `top` lowered to `top` (crossings inserted), so a band's
/// outline follows the top of the plot where it is cut.
fn clamp_top(points: &[(f64, f64)], top: f64) -> Vec<(f64, f64)> {
    let mut out = Vec::with_capacity(points.len() + 2);
    for (i, &p) in points.iter().enumerate() {
        if i > 0 {
            let q = points[i - 1];
            if (q.1 > top) != (p.1 > top) {
                out.push(crossing(q, p, top));
            }
        }
        out.push((p.0, p.1.min(top)));
    }
    out
}

/// Where the segment `a`–`b` crosses the height `y` (the two ends are on either side).
fn crossing(a: (f64, f64), b: (f64, f64), y: f64) -> (f64, f64) {
    let t = ((y - a.1) / (b.1 - a.1)).clamp(0.0, 1.0);
    let x = a.0 + (b.0 - a.0) * t;
    (if x.is_finite() { x } else { a.0 }, y)
}

pub(super) fn prepare_line(chart: &LineChart) -> PreparedLine {
    let samples: Vec<Vec<(f64, Value)>> = chart.series.iter().map(merged_samples).collect();
    let bands: Vec<Vec<Vec<BandPoint>>> = chart.series.iter().map(clean_bands).collect();

    let x = x_range(
        samples
            .iter()
            .flatten()
            .map(|p| p.0)
            .chain(bands.iter().flatten().flatten().map(|b| b.x)),
    );
    let values: Vec<f64> = samples
        .iter()
        .flatten()
        .filter_map(|p| p.1.y())
        .chain(
            bands
                .iter()
                .flatten()
                .flatten()
                .flat_map(|b| [b.low, b.mid, b.high]),
        )
        .collect();
    let milestones: Vec<(f64, String)> = chart
        .markers
        .iter()
        .filter(|(mx, _)| mx.is_finite() && *mx >= x.0 && *mx <= x.1)
        .map(|(mx, label)| (*mx, clean(label)))
        .collect();
    let headroom = if milestones.is_empty() { 0.05 } else { 0.14 };
    let cut = chart
        .y_max
        .filter(|m| !chart.log_y && m.is_finite() && *m > 0.0)
        .map(clamp_value);
    let y = if chart.log_y {
        log_y_range(&values)
    } else if let Some(cut) = cut {
        let kept: Vec<f64> = values
            .iter()
            .copied()
            .filter(|v| *v <= cut)
            .chain([cut])
            .collect();
        linear_y_range(&kept, headroom)
    } else {
        linear_y_range(&values, headroom)
    };
    let fix_y = |v: f64| if chart.log_y { v.max(y.0) } else { v };
    // Everything is clipped at the top of the plot (only a cut axis has values above it).
    let top = if chart.log_y { f64::INFINITY } else { y.1 };

    let series = chart
        .series
        .iter()
        .zip(samples.iter().zip(&bands))
        .enumerate()
        .map(|(index, (s, (points, bands)))| prepare_series(index, s, points, bands, fix_y, top))
        .collect();

    PreparedLine {
        series,
        x,
        y,
        log: chart.log_y,
        milestones,
        any_known: !values.is_empty(),
        key: chart
            .series
            .iter()
            .any(|s| !s.floors.is_empty() || !s.bands.is_empty()),
    }
}

/// One series' geometry in data coordinates: solid and dashed runs, band outlines, markers and
/// unknown ranges.
fn prepare_series(
    index: usize,
    s: &Series,
    points: &[(f64, Value)],
    bands: &[Vec<BandPoint>],
    fix_y: impl Fn(f64) -> f64,
    top: f64,
) -> PreparedSeries {
    let kind = |v: Value| v.rank();
    let n_valued = points.iter().filter(|p| p.1.y().is_some()).count();
    let every = n_valued.div_ceil(10).max(1);
    let offset = index % every;
    let mut solid: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut dashed: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut markers = Vec::new();
    let mut unknown = Vec::new();
    let (mut has_solid, mut has_dashed) = (false, false);
    let unknown_at = |i: usize| points.get(i).is_some_and(|p| p.1 == Value::Unknown);
    let mut k = 0_usize;
    let mut i = 0_usize;
    while i < points.len() {
        let start = i;
        let this = kind(points[i].1);
        while i < points.len() && kind(points[i].1) == this {
            i += 1;
        }
        let at = |j: usize| {
            let (x, v) = points[j];
            (x, fix_y(v.y().unwrap_or(0.0)))
        };
        match points[start].1 {
            Value::Unknown => {
                // The lane spans everything the lines do not: from the last known x before
                // the run to the first known x after it (or the run's own ends).
                let from = points[start.saturating_sub(1)].0;
                let to = points[i.min(points.len() - 1)].0;
                unknown.push((from, to));
                continue;
            }
            Value::Known(_) if !s.lower_bound => {
                has_solid |= i - start > 1;
                solid.push((start..i).map(at).collect::<Vec<_>>());
            }
            Value::Known(_) => {
                has_dashed |= i - start > 1;
                dashed.push((start..i).map(at).collect());
            }
            Value::Floor(_) => {
                // Joined to the known line on either side.
                let before = start
                    .checked_sub(1)
                    .filter(|&j| matches!(points[j].1, Value::Known(_)));
                let after =
                    Some(i).filter(|&j| matches!(points.get(j), Some((_, Value::Known(_)))));
                dashed.push(
                    before
                        .into_iter()
                        .chain(start..i)
                        .chain(after)
                        .map(at)
                        .collect(),
                );
                has_dashed |= dashed.last().is_some_and(|d| d.len() > 1);
            }
        }
        let len = i - start;
        let isolated = len == 1
            && (start == 0 || unknown_at(start - 1))
            && (i == points.len() || unknown_at(i));
        for j in start..i {
            let at_gap =
                (j == start && start > 0 && unknown_at(start - 1)) || (j + 1 == i && unknown_at(i));
            if k % every == offset || isolated || at_gap {
                markers.push(at(j));
            }
            k += 1;
        }
    }

    let mut areas = Vec::new();
    let mut edges = Vec::new();
    let mut medians = Vec::new();
    let mut whiskers = Vec::new();
    for run in bands {
        let edge = |f: fn(&BandPoint) -> f64| -> Vec<(f64, f64)> {
            run.iter().map(|b| (b.x, fix_y(f(b)))).collect()
        };
        let (low, mid, high) = (edge(|b| b.low), edge(|b| b.mid), edge(|b| b.high));
        if run.len() == 1 {
            let (x, lo) = low[0];
            if lo <= top {
                whiskers.push([(x, lo), (x, high[0].1.min(top))]);
            }
        } else {
            areas.extend(band_areas(&low, &high, top));
            edges.extend(clip_top(&low, top).into_iter().filter(|e| e.len() > 1));
            edges.extend(clip_top(&high, top).into_iter().filter(|e| e.len() > 1));
        }
        // The middle line is drawn only where no published line or floor is (joined to the
        // neighbouring points): elsewhere it would only crowd the published line.
        let open: Vec<bool> = run.iter().map(|b| unknown_near(points, b.x)).collect();
        let mut j = 0;
        while j < run.len() {
            if !open[j] {
                j += 1;
                continue;
            }
            let start = j;
            while j < run.len() && open[j] {
                j += 1;
            }
            let part = &mid[start.saturating_sub(1)..(j + 1).min(run.len())];
            medians.extend(clip_top(part, top).into_iter().filter(|m| m.len() > 1));
        }
    }
    let has_band = !bands.is_empty();
    let has_values = points.iter().any(|p| p.1.y().is_some());
    if has_band && !has_solid && !has_dashed {
        // Only an estimate: a few markers on its middle line tell it apart.
        for m in &medians {
            let every = m.len().div_ceil(6).max(1);
            markers.extend(m.iter().skip((index % every) + every / 2).step_by(every));
        }
    }
    markers.retain(|p| p.1 <= top);
    if markers.is_empty() {
        // A series mostly above a cut axis may have had all its markers clipped: its first
        // visible point gets one, so the line that shows can be told from its colour twin.
        markers.extend(
            solid
                .iter()
                .chain(&dashed)
                .flatten()
                .filter(|p| p.1 <= top)
                .min_by(|a, b| a.0.total_cmp(&b.0))
                .copied(),
        );
    }

    let mut label = clean(&s.label);
    if s.lower_bound {
        label.push_str(" (at least)");
    }
    PreparedSeries {
        label,
        look: look(s.style.unwrap_or(index)),
        solid: solid.iter().flat_map(|r| clip_top(r, top)).collect(),
        dashed: dashed.iter().flat_map(|r| clip_top(r, top)).collect(),
        areas,
        edges,
        medians,
        whiskers,
        markers,
        unknown,
        has_solid,
        has_dashed,
        has_band,
        has_values,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipping_helpers() {
        let line = [(0.0, 0.0), (10.0, 20.0), (20.0, 0.0)];
        assert_eq!(
            clip_top(&line, 10.0),
            vec![
                vec![(0.0, 0.0), (5.0, 10.0)],
                vec![(15.0, 10.0), (20.0, 0.0)]
            ]
        );
        assert_eq!(clip_top(&line, 30.0), vec![line.to_vec()]);
        assert!(clip_top(&[(0.0, 50.0), (1.0, 60.0)], 10.0).is_empty());
        assert_eq!(
            clamp_top(&line, 10.0),
            vec![
                (0.0, 0.0),
                (5.0, 10.0),
                (10.0, 10.0),
                (15.0, 10.0),
                (20.0, 0.0)
            ]
        );
        // A band whose lower edge leaves the plot: only the part below the top remains.
        let low = [(0.0, 0.0), (10.0, 20.0)];
        let high = [(0.0, 5.0), (10.0, 30.0)];
        let areas = band_areas(&low, &high, 10.0);
        assert_eq!(areas.len(), 1);
        assert!(
            areas[0].iter().all(|p| p.1 <= 10.0 && p.0 <= 5.0),
            "{:?}",
            areas[0]
        );
        assert!(
            band_areas(
                &[(0.0, 20.0), (1.0, 20.0)],
                &[(0.0, 30.0), (1.0, 30.0)],
                10.0
            )
            .is_empty()
        );
    }
}
