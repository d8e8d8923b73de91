//! Builds the chart descriptions of a scenario report and renders them (pure: bytes out).

use super::chart::{
    BandPoint, ChartError, ImageFormat, LineChart, Series, StackedBars, line_chart,
    needs_log_scale, outlier_cut, png_from_svg, series_max, stacked_bars,
};
use super::scenario_report::ScenarioReport;
use crate::cost::crossover::{Curve, CurvePoint};
use crate::cost::projection::ProjectionMonth;
use crate::cost::schedule::group;
use crate::cost::{CostValue, Money};
use crate::estimate::simulation::CurveBand;
use crate::score::Axis;

/// Image size of every chart, in pixels.
pub const SIZE: (u32, u32) = (1100, 640);
/// At most this many x samples per line (curves are sampled evenly, milestones always kept).
const MAX_SAMPLES: u64 = 400;
/// At most this many providers in one chart. The legend has room for about 30 rows (names and
/// the line-style key), and a line chart of a few hundred providers is a blot; a larger
/// scenario's charts draw its [`shortlist`] and say how many they leave out. Every shipped
/// scenario is within it, so its charts still draw everyone.
pub const MAX_CHART_PROVIDERS: usize = 24;

/// The providers a chart of a large scenario draws, most important first: the cheapest at
/// any customer count (the cost charts' question), then the best-ranked, up to
/// [`MAX_CHART_PROVIDERS`] of those the chart can draw (`drawable`).
pub(crate) fn shortlist<'r>(
    r: &'r ScenarioReport<'_>,
    drawable: impl Fn(&str) -> bool,
) -> Vec<&'r str> {
    let mut ids: Vec<&str> = Vec::with_capacity(MAX_CHART_PROVIDERS);
    let cheapest = r
        .projection
        .bands
        .iter()
        .flat_map(|b| b.cheapest.iter().map(String::as_str));
    let ranked = r.ranking.ranked.iter().map(|e| e.card.provider.as_str());
    for id in cheapest.chain(ranked) {
        if ids.len() == MAX_CHART_PROVIDERS {
            break;
        }
        if drawable(id) && !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

/// A chart's providers kept to the [`shortlist`] when there are more than
/// [`MAX_CHART_PROVIDERS`], in their original order, and how many it left out.
fn fit_ids<'r>(r: &'r ScenarioReport<'_>, mut ids: Vec<&'r str>) -> (Vec<&'r str>, usize) {
    let before = ids.len();
    if before > MAX_CHART_PROVIDERS {
        let keep = shortlist(r, |id| ids.contains(&id));
        ids.retain(|id| keep.contains(id));
    }
    let left_out = before - ids.len();
    (ids, left_out)
}

/// A chart's series (each with its provider id), kept as [`fit_ids`] keeps their providers.
fn fit(r: &ScenarioReport<'_>, series: Vec<(&str, Series)>) -> (Vec<Series>, usize) {
    let (kept, left_out) = fit_ids(r, series.iter().map(|(id, _)| *id).collect());
    let series = series
        .into_iter()
        .filter(|(id, _)| kept.contains(id))
        .map(|(_, s)| s)
        .collect();
    (series, left_out)
}

/// The providers the cost-versus-customers charts draw, in curve order, and how many drawable
/// ones their shortlist leaves out. A provider is drawable when its curve is not unavailable
/// over the whole range or it has an estimated band.
pub(crate) fn customer_chart_providers<'r>(r: &'r ScenarioReport<'_>) -> (Vec<&'r str>, usize) {
    let (min, max) = (r.projection.curve_min, r.projection.curve_max);
    let drawable = r
        .projection
        .curves
        .iter()
        .filter(|c| {
            // A band that only repeats the curve (see [`band_runs`]) is known where it is, so
            // the curve is available there and the provider drawable either way.
            r.has_band(&c.provider)
                || (min..=max).any(|x| at(c, x).is_some_and(|v| v != CurvePoint::Unavailable))
        })
        .map(|c| c.provider.as_str())
        .collect();
    fit_ids(r, drawable)
}

/// A rendered chart: the file stem and its SVG and PNG bytes.
pub struct RenderedChart {
    /// File stem, e.g. `cost-vs-customers`.
    pub stem: &'static str,
    /// Alt text / caption.
    pub caption: String,
    /// SVG bytes.
    pub svg: Vec<u8>,
    /// PNG bytes.
    pub png: Vec<u8>,
}

fn point(c: CurvePoint) -> Option<f64> {
    c.amount().map(crate::cost::Money::to_f64)
}

/// The published floor of a partly unknown cost; `None` when nothing of it is priced (a zero
/// floor is "unknown", never drawn as a line at 0).
fn floor(c: CurvePoint) -> Option<f64> {
    match c {
        CurvePoint::AtLeast(floor) if !floor.is_zero() => Some(floor.to_f64()),
        _ => None,
    }
}

/// The cost of a curve at a customer count (counts start at 1).
fn at(curve: &Curve, customers: u64) -> Option<CurvePoint> {
    usize::try_from(customers.checked_sub(1)?)
        .ok()
        .and_then(|i| curve.costs.get(i).copied())
}

/// A provider's estimated band as chart runs. The band is split where customer counts are
/// missing (the estimate is undefined there): a step more than 1.5 times the usual one. A band
/// that only repeats the published curve (no spread, equal to the known cost everywhere) is
/// left out, so it does not claim an estimate that adds nothing.
fn band_runs(band: &CurveBand, curve: Option<&Curve>) -> Vec<Vec<BandPoint>> {
    let pts = &band.points;
    let adds_nothing = pts.iter().all(|&(c, p10, _, p90)| {
        curve
            .and_then(|cv| at(cv, c))
            .and_then(point)
            .is_some_and(|known| (p90 - p10).abs() < 0.005 && (known - p10).abs() < 0.005)
    });
    if pts.is_empty() || adds_nothing {
        return Vec::new();
    }
    let mut steps: Vec<u64> = pts
        .windows(2)
        .map(|w| w[1].0.saturating_sub(w[0].0))
        .collect();
    steps.sort_unstable();
    let usual = steps.get(steps.len() / 2).copied().unwrap_or(1).max(1);
    let mut runs: Vec<Vec<BandPoint>> = Vec::new();
    let mut last: Option<u64> = None;
    for &(c, p10, p50, p90) in pts {
        if last.is_none_or(|l| c.saturating_sub(l) * 2 > usual * 3) {
            runs.push(Vec::new());
        }
        last = Some(c);
        if let Some(run) = runs.last_mut() {
            run.push(BandPoint {
                x: c as f64,
                low: p10,
                mid: p50,
                high: p90,
            });
        }
    }
    runs
}

/// A whole amount of money for a chart note, e.g. `$255,375`.
fn whole(v: f64, currency: &str) -> String {
    let shown = Money(rust_decimal::Decimal::from(v.round() as i64)).display(currency);
    shown
        .strip_suffix(".00")
        .map_or_else(|| shown.clone(), str::to_owned)
}

/// The lines under a line chart's title: the scenario's name; when the axis is cut, who goes
/// off the top (`beyond` says where to see them); and the providers that are in the legend but
/// draw nothing, because no count has a published or estimated cost, so a reader does not look
/// for their lines.
fn note_lines(
    r: &ScenarioReport<'_>,
    series: &[Series],
    left_out: usize,
    cut: Option<f64>,
    beyond: &str,
    blank_line: &str,
) -> String {
    let mut lines = vec![r.scenario.name.clone()];
    lines.extend(shortlist_line(series.len(), left_out));
    if let Some(cut) = cut {
        let above: Vec<String> = series
            .iter()
            .filter_map(|s| {
                series_max(s)
                    .filter(|m| *m > cut)
                    .map(|m| format!("{} (up to {})", s.label, whole(m, r.scenario.currency())))
            })
            .collect();
        lines.push(format!(
            "Axis cut so the smaller costs stay readable: {} off the top; {beyond}.",
            above.join(", ")
        ));
    }
    let blank: Vec<String> = series
        .iter()
        .filter(|s| !s.draws_anything())
        .map(|s| s.label.replace(' ', "\u{a0}"))
        .collect();
    if !blank.is_empty() {
        lines.push(format!("{blank_line}: {}.", blank.join(", ")));
    }
    lines.join("\n")
}

/// The note line of a chart that draws a shortlist (`None` when it draws everyone).
fn shortlist_line(shown: usize, left_out: usize) -> Option<String> {
    (left_out > 0).then(|| {
        format!(
            "The {shown} cheapest and best-ranked of {} providers; costs.csv and \
             milestones.csv have the other {left_out}.",
            shown + left_out
        )
    })
}

/// Cost versus customers: every provider that is not unavailable over the whole range. Known
/// costs are solid lines, published floors of partly unknown costs dashed lines, estimated
/// P10–P90 shaded bands (P50 dotted); ranges with no published figure are hatched. When one or
/// a few providers dwarf the others, the linear axis is cut above the rest and the note says
/// who goes off the top (the log-scale chart then shows everything).
pub fn cost_vs_customers(r: &ScenarioReport<'_>) -> LineChart {
    cost_vs_customers_fitted(r).0
}

/// [`cost_vs_customers`] and how many drawable providers its shortlist left out.
fn cost_vs_customers_fitted(r: &ScenarioReport<'_>) -> (LineChart, usize) {
    let max = r.projection.curve_max;
    let milestones = r.scenario.milestones();
    let min = r.projection.curve_min;
    let step = (max - min + 1).div_ceil(MAX_SAMPLES).max(1);
    let mut xs: Vec<u64> = (min..=max)
        .step_by(usize::try_from(step).unwrap_or(1))
        .collect();
    xs.extend(
        milestones
            .iter()
            .copied()
            .filter(|m| (min..=max).contains(m)),
    );
    xs.push(max);
    xs.sort_unstable();
    xs.dedup();
    let (drawn, left_out) = customer_chart_providers(r);
    let series: Vec<Series> = r
        .projection
        .curves
        .iter()
        .filter(|c| drawn.contains(&c.provider.as_str()))
        .map(|c| Series {
            style: r.style_of(&c.provider),
            label: r.name(&c.provider),
            points: xs
                .iter()
                .map(|&x| (x as f64, at(c, x).and_then(point)))
                .collect(),
            floors: xs
                .iter()
                .filter_map(|&x| at(c, x).and_then(floor).map(|f| (x as f64, f)))
                .collect(),
            bands: r
                .bands
                .iter()
                .find(|b| b.provider == c.provider)
                .map(|b| band_runs(b, Some(c)))
                .unwrap_or_default(),
            lower_bound: false,
        })
        .collect();
    let y_max = outlier_cut(&series);
    let note = note_lines(
        r,
        &series,
        left_out,
        y_max,
        "the log-scale chart shows all",
        "No published or estimated cost at any customer count (hatched in the legend)",
    );
    let chart = LineChart {
        title: "Effective monthly cost by number of customers".into(),
        x_label: "Customers".into(),
        y_label: format!(
            "Monthly cost + one-time ÷ {} months ({})",
            r.scenario.horizon(),
            r.scenario.currency()
        ),
        series,
        markers: milestones
            .iter()
            .filter(|m| **m <= max)
            .map(|m| (*m as f64, format!("{} customers", group(*m))))
            .collect(),
        log_y: false,
        y_max,
        note,
    };
    (chart, left_out)
}

/// A month's recurring or cumulative cost.
fn month_value(m: &ProjectionMonth, cumulative: bool) -> &CostValue {
    if cumulative {
        &m.cumulative
    } else {
        &m.quote.recurring
    }
}

/// Cost over the months of the horizon, monthly or cumulative: known costs solid, published
/// floors of partly unknown costs dashed, every provider that is not unavailable in every month
/// listed. The linear axis is cut above outliers as in [`cost_vs_customers`].
fn over_time(r: &ScenarioReport<'_>, cumulative: bool) -> LineChart {
    let series: Vec<(&str, Series)> = r
        .projection
        .projections
        .iter()
        .filter(|p| {
            p.months
                .iter()
                .any(|m| !matches!(month_value(m, cumulative), CostValue::Unavailable { .. }))
        })
        .map(|p| {
            (
                p.provider.as_str(),
                Series {
                    style: r.style_of(&p.provider),
                    label: r.name(&p.provider),
                    points: p
                        .months
                        .iter()
                        .map(|m| (f64::from(m.month), point(month_value(m, cumulative).into())))
                        .collect(),
                    lower_bound: false,
                    floors: p
                        .months
                        .iter()
                        // A cumulative floor stops growing once a month has nothing published,
                        // and a flat line would read as the cheapest: it ends there, and the
                        // months after are hatched as unknown.
                        .take_while(|m| !cumulative || !m.quote.recurring.is_unpriced())
                        .filter_map(|m| {
                            floor(month_value(m, cumulative).into())
                                .map(|f| (f64::from(m.month), f))
                        })
                        .collect(),
                    bands: Vec::new(),
                },
            )
        })
        .collect();
    let (series, left_out) = fit(r, series);
    let y_max = outlier_cut(&series);
    // These charts draw published figures only: the estimates are per milestone and over the
    // horizon (summary.md), not per month, so a blank series may still have an estimate.
    let note = note_lines(
        r,
        &series,
        left_out,
        y_max,
        "see the CSV for their figures",
        "No published cost in any month (hatched in the legend; estimates in summary.md)",
    );
    LineChart {
        title: if cumulative {
            "Cumulative cost, including one-time costs".into()
        } else {
            format!(
                "Monthly recurring cost over {} months",
                r.scenario.horizon()
            )
        },
        x_label: r
            .scenario
            .start
            .map_or_else(|| "Month".into(), |s| format!("Month (month 1 = {s})")),
        y_label: format!(
            "{} ({})",
            if cumulative {
                "Cumulative cost"
            } else {
                "Monthly cost"
            },
            r.scenario.currency()
        ),
        series,
        markers: Vec::new(),
        log_y: false,
        y_max,
        note,
    }
}

/// Weighted axis contributions per ranked provider (the bars add up to the total score).
pub fn contributions(r: &ScenarioReport<'_>) -> StackedBars {
    // The bars are in rank order: a large scenario's chart keeps the best-ranked.
    let ranked = &r.ranking.ranked[..r.ranking.ranked.len().min(MAX_CHART_PROVIDERS)];
    let left_out = r.ranking.ranked.len() - ranked.len();
    let mut note = r.scenario.name.clone();
    if left_out > 0 {
        note.push_str(&format!(
            "\nThe {} best-ranked of {} providers; ranking.csv has the other {left_out}.",
            ranked.len(),
            r.ranking.ranked.len()
        ));
    }
    StackedBars {
        title: "Weighted axis points per provider: why the winner wins".into(),
        note,
        value_label: "Score (points of 100)".into(),
        categories: ranked.iter().map(|e| e.card.name.clone()).collect(),
        segments: Axis::ALL
            .iter()
            .enumerate()
            .map(|(k, a)| {
                (
                    format!("{} ({:.0} %)", a.label(), r.ranking.weights[k] * 100.0),
                    ranked.iter().map(|e| e.card.contributions[k]).collect(),
                )
            })
            .collect(),
    }
}

/// The chart's SVG and the PNG rasterised from it (drawn once).
fn both(stem: &'static str, caption: String, svg: Vec<u8>) -> Result<RenderedChart, ChartError> {
    Ok(RenderedChart {
        stem,
        caption,
        png: png_from_svg(&svg, SIZE)?,
        svg,
    })
}

/// Renders every chart of a scenario.
pub fn render_all(r: &ScenarioReport<'_>) -> Result<Vec<RenderedChart>, ChartError> {
    let mut out = Vec::new();
    let (curve, left_out) = cost_vs_customers_fitted(r);
    out.push(both(
        "cost-vs-customers",
        "Monthly cost versus customers".into(),
        line_chart(&curve, ImageFormat::Svg, SIZE)?,
    )?);
    if curve.y_max.is_some() || needs_log_scale(&curve.series) {
        let log = LineChart {
            log_y: true,
            title: format!("{} (log scale)", curve.title),
            y_max: None,
            // Nothing is cut on a log scale; a shortlist still needs saying.
            note: shortlist_line(curve.series.len(), left_out).unwrap_or_default(),
            ..curve
        };
        out.push(both(
            "cost-vs-customers-log",
            "Monthly cost versus customers, log scale".into(),
            line_chart(&log, ImageFormat::Svg, SIZE)?,
        )?);
    }
    out.push(both(
        "monthly-cost",
        "Monthly recurring cost over the horizon".into(),
        line_chart(&over_time(r, false), ImageFormat::Svg, SIZE)?,
    )?);
    out.push(both(
        "cumulative-cost",
        "Cumulative cost over the horizon".into(),
        line_chart(&over_time(r, true), ImageFormat::Svg, SIZE)?,
    )?);
    out.push(both(
        "axis-contributions",
        "Weighted axis contributions per provider".into(),
        stacked_bars(&contributions(r), ImageFormat::Svg, SIZE)?,
    )?);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estimate::simulation::Settings;
    use crate::load::{Catalog, LoadOptions, load_catalog};
    use crate::model::Date;
    use crate::report::chart::tests::texts;

    fn fixture() -> Catalog {
        let loaded = load_catalog(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/report/catalog"),
            LoadOptions {
                as_of: "2026-03-01".parse::<Date>().unwrap(),
                max_age_days: i64::MAX,
            },
        );
        loaded.catalog.expect("the report fixture loads")
    }

    fn report<'c>(catalog: &'c Catalog, scenario: &str) -> ScenarioReport<'c> {
        let settings = Settings {
            draws: 200,
            seed: 7,
        };
        ScenarioReport::build(catalog, catalog.scenario(scenario).unwrap(), settings).unwrap()
    }

    fn svg(chart: &LineChart) -> String {
        String::from_utf8(line_chart(chart, ImageFormat::Svg, SIZE).unwrap()).unwrap()
    }

    use crate::load::shipped;

    /// A cumulative floor ends at the first month with nothing published: drawn on, it would
    /// stay flat and read as the cheapest line (a review found `WorkOS` flat at $13,000 over 36
    /// months in baseline, below every priced provider). In baseline `WorkOS`'s 100 customers
    /// need 200 connections in month 1 (priced: $13,000 in graduated mode); month 2's 212 reach
    /// the unpriced band above 200, and in volume mode every connection is then charged at that
    /// unknown rate, so the month's floor is 0.
    #[test]
    fn a_cumulative_floor_ends_at_the_first_month_with_nothing_published() {
        let catalog = shipped();
        let r = report(&catalog, "baseline");
        let chart = over_time(&r, true);
        let mut cut_somewhere = false;
        for p in &r.projection.projections {
            let Some(s) = chart.series.iter().find(|s| s.label == r.name(&p.provider)) else {
                continue;
            };
            let end = p
                .months
                .iter()
                .find(|m| m.quote.recurring.is_unpriced())
                .map_or(f64::INFINITY, |m| f64::from(m.month));
            assert!(s.floors.iter().all(|f| f.0 < end), "{}", s.label);
            cut_somewhere |= end.is_finite() && !s.floors.is_empty();
        }
        assert!(cut_somewhere);
        let workos = |c: &LineChart| {
            c.series
                .iter()
                .find(|s| s.label == "WorkOS")
                .unwrap()
                .floors
                .clone()
        };
        assert_eq!(workos(&chart), vec![(1.0, 13_000.0)]);
        // The monthly chart agrees: it never draws a floor of 0.
        assert_eq!(workos(&over_time(&r, false)), vec![(1.0, 13_000.0)]);
    }

    /// Issue 12's complaint, on the shipped catalog: every provider that is not unavailable is
    /// either drawn (line, floor or band) or named in the note under the title, in every line
    /// chart; the titles are the chart's subject and the note starts with the scenario's name.
    #[test]
    fn every_available_provider_is_drawn_or_named_on_the_shipped_catalog() {
        let catalog = shipped();
        let r = report(&catalog, "baseline");
        let available: Vec<String> = r
            .projection
            .curves
            .iter()
            .filter(|c| c.costs.iter().any(|v| *v != CurvePoint::Unavailable))
            .map(|c| r.name(&c.provider))
            .collect();
        assert!(available.len() >= 15, "{available:?}");
        for chart in [
            cost_vs_customers(&r),
            over_time(&r, false),
            over_time(&r, true),
        ] {
            let labels: Vec<&str> = chart.series.iter().map(|s| s.label.as_str()).collect();
            assert_eq!(labels.len(), available.len(), "{}", chart.title);
            let first = chart.note.lines().next().unwrap();
            assert_eq!(first, r.scenario.name);
            assert!(!chart.title.contains("baseline"));
            for s in &chart.series {
                let named = chart
                    .note
                    .lines()
                    .filter(|l| l.starts_with("No published"))
                    .any(|l| {
                        l.split(": ")
                            .nth(1)
                            .unwrap_or("")
                            .trim_end_matches('.')
                            .split(", ")
                            .any(|n| n == s.label.replace(' ', "\u{a0}"))
                    });
                assert!(
                    s.draws_anything() != named,
                    "{}: `{}` must be drawn or named, not both or neither",
                    chart.title,
                    s.label
                );
            }
        }
        // The SVG carries the note and a milestone marker for each milestone.
        let t = texts(&svg(&cost_vs_customers(&r)));
        assert!(t.iter().any(|x| x == "100 customers"), "{t:?}");
        assert!(t.iter().any(|x| x == "1,000 customers"), "{t:?}");
        assert!(
            t.iter()
                .any(|x| x.starts_with("No published or estimated cost"))
        );
    }

    /// The contributions chart writes every ranked provider's name in full and labels the
    /// winner's wide segments with their values (the old vertical bars cut "Wor…" and dropped
    /// the winner's 18.7, 10.1, 15.8 and 17.6).
    #[test]
    fn contributions_show_full_names_and_the_winners_values() {
        let catalog = shipped();
        let r = report(&catalog, "baseline");
        let bars = contributions(&r);
        let doc = String::from_utf8(stacked_bars(&bars, ImageFormat::Svg, SIZE).unwrap()).unwrap();
        let t = texts(&doc);
        for name in &bars.categories {
            assert!(
                t.iter().any(|x| x == name),
                "`{name}` not written in full: {t:?}"
            );
        }
        assert!(!t.iter().any(|x| {
            x.ends_with('…')
                && bars
                    .categories
                    .iter()
                    .any(|c| c.starts_with(x.trim_end_matches('…')))
        }));
        for (_, values) in &bars.segments {
            let v = values[0];
            // A segment of 5 points or more is about 35 px wide: room for its label.
            if v >= 5.0 {
                let label = format!("{v:.1}");
                let label = label.strip_suffix(".0").unwrap_or(&label);
                assert!(
                    t.iter().any(|x| x == label),
                    "winner's `{label}` missing: {t:?}"
                );
            }
        }
    }

    #[test]
    fn partly_unknown_costs_are_floors_and_unavailable_providers_are_left_out() {
        let catalog = fixture();
        let r = report(&catalog, "growth");
        let chart = cost_vs_customers(&r);
        let names: Vec<&str> = chart.series.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(names, ["Bundle Co", "Conn Co", "Gated Co"]);
        // Gated Co: Team (known) up to 20 directories, then Enterprise: at least 10 × n.
        let gated = &chart.series[2];
        assert!(
            gated
                .points
                .iter()
                .all(|(x, y)| y.is_some() == (*x <= 20.0))
        );
        assert!(!gated.floors.is_empty());
        assert!(gated.floors.iter().all(|(x, f)| *x > 20.0 && *f > 0.0));
        assert_eq!(
            gated
                .floors
                .iter()
                .find(|f| f.0.total_cmp(&50.0).is_eq())
                .map(|f| f.1),
            Some(500.0)
        );
        assert!(chart.series[..2].iter().all(|s| s.floors.is_empty()));
        let t = texts(&svg(&chart));
        for label in [
            "Bundle Co",
            "Conn Co",
            "Gated Co",
            "published part + unknown",
        ] {
            assert!(t.iter().any(|x| x == label), "`{label}` missing: {t:?}");
        }
        // `steady` excludes Gated Co (it lacks groups): unavailable everywhere, not drawn.
        let steady = report(&catalog, "steady");
        let chart = cost_vs_customers(&steady);
        assert!(chart.series.iter().all(|s| s.label != "Gated Co"));
        assert!(!texts(&svg(&chart)).iter().any(|x| x == "Gated Co"));
    }

    #[test]
    fn a_provider_with_only_an_estimate_gets_a_band_and_a_legend_entry() {
        let catalog = fixture();
        let mut r = report(&catalog, "growth");
        // Make Conn Co's published price wholly unknown, with an estimate of 2–3 × 100 / month.
        let conn = r
            .projection
            .curves
            .iter_mut()
            .find(|c| c.provider == "conn")
            .unwrap();
        for c in &mut conn.costs {
            *c = CurvePoint::AtLeast(Money::ZERO);
        }
        r.bands.retain(|b| b.provider != "conn");
        if !r.has_band("conn") {
            r.banded.push("conn".into());
            r.banded.sort_unstable();
        }
        r.bands.push(CurveBand {
            provider: "conn".into(),
            points: (5..=60_u32)
                .step_by(5)
                .map(|c| {
                    let x = f64::from(c);
                    (u64::from(c), 200.0 * x, 250.0 * x, 300.0 * x)
                })
                .collect(),
        });
        let chart = cost_vs_customers(&r);
        let conn = chart.series.iter().find(|s| s.label == "Conn Co").unwrap();
        assert!(conn.points.iter().all(|p| p.1.is_none()));
        assert!(conn.floors.is_empty(), "a zero floor is not drawn");
        assert_eq!(conn.bands.len(), 1);
        assert_eq!(conn.bands[0].len(), 12);
        let svg = svg(&chart);
        let t = texts(&svg);
        for label in [
            "Conn Co",
            "estimate P10–P90",
            "estimate P50",
            "unknown / unavailable",
        ] {
            assert!(t.iter().any(|x| x == label), "`{label}` missing: {t:?}");
        }
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let translucent = |tag: &str| -> Vec<String> {
            doc.descendants()
                .filter(|n| n.has_tag_name(tag) && n.attribute("fill-opacity") == Some("0.2"))
                .filter_map(|n| n.attribute("fill").map(str::to_owned))
                .collect()
        };
        // The plotted band (a polygon) and the legend swatch (a rectangle) share Conn Co's
        // colour; no other provider has a band.
        let bands = translucent("polygon");
        assert_eq!(bands.len(), 1, "{bands:?}");
        assert!(translucent("rect").contains(&bands[0]));
    }

    #[test]
    fn bands_split_at_missing_counts_and_repeat_nothing() {
        let curve = Curve {
            provider: "p".into(),
            costs: (1..=100)
                .map(|c| CurvePoint::Known(Money(rust_decimal::Decimal::from(c * 10))))
                .collect(),
        };
        let band = |counts: &[u64], spread: f64| CurveBand {
            provider: "p".into(),
            points: counts
                .iter()
                .map(|&c| {
                    let v = c as f64 * 10.0;
                    (c, v - spread, v, v + spread)
                })
                .collect(),
        };
        // Same as the known curve, no spread: nothing to add.
        assert!(band_runs(&band(&[10, 20, 30], 0.0), Some(&curve)).is_empty());
        let runs = band_runs(&band(&[10, 20, 30, 40, 70, 80, 90], 5.0), Some(&curve));
        let lens: Vec<usize> = runs.iter().map(Vec::len).collect();
        assert_eq!(lens, [4, 3]);
        assert_eq!((runs[1][0].x, runs[0][0].low), (70.0, 95.0));
        // Without a published curve a degenerate band is still an estimate.
        assert_eq!(band_runs(&band(&[10, 20], 0.0), None).len(), 1);
        assert!(band_runs(&band(&[], 1.0), None).is_empty());
    }

    #[test]
    fn cut_note_names_the_outliers() {
        assert_eq!(whole(255_375.4, "USD"), "$255,375");
        assert_eq!(whole(12.0, "EUR"), "€12");
    }

    #[test]
    fn rendering_is_deterministic() {
        let catalog = fixture();
        let r = report(&catalog, "growth");
        let a = render_all(&r).unwrap();
        let b = render_all(&r).unwrap();
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.stem, y.stem);
            assert!(x.svg == y.svg && x.png == y.png, "{} differs", x.stem);
        }
    }

    /// A scenario with more providers than a chart has room for draws its shortlist: the
    /// cheapest at every customer count first, then the best-ranked, at most
    /// [`MAX_CHART_PROVIDERS`] in all; the note says how many are left out and where they are.
    #[test]
    fn a_large_scenario_draws_its_shortlist_and_says_so() {
        let catalog = crate::synthetic::catalog(60, 1, 24, 5).expect("the synthetic catalog loads");
        let s = &catalog.scenarios[0];
        let settings = Settings {
            draws: 100,
            seed: 7,
        };
        let r = ScenarioReport::build(&catalog, s, settings).unwrap();
        let name = |id: &str| r.name(id);
        for chart in [
            cost_vs_customers(&r),
            over_time(&r, false),
            over_time(&r, true),
        ] {
            let drawable = if chart.title.starts_with("Effective") {
                r.projection
                    .curves
                    .iter()
                    .filter(|c| c.costs.iter().any(|&v| v != CurvePoint::Unavailable))
                    .count()
            } else {
                r.projection
                    .projections
                    .iter()
                    .filter(|p| {
                        p.months
                            .iter()
                            .any(|m| !matches!(m.quote.recurring, CostValue::Unavailable { .. }))
                    })
                    .count()
            };
            assert!(drawable > MAX_CHART_PROVIDERS, "{drawable} drawable");
            assert_eq!(chart.series.len(), MAX_CHART_PROVIDERS, "{}", chart.title);
            let labels: Vec<&str> = chart.series.iter().map(|s| s.label.as_str()).collect();
            for band in &r.projection.bands {
                for id in &band.cheapest {
                    assert!(
                        labels.contains(&name(id).as_str()),
                        "{id} is cheapest somewhere"
                    );
                }
            }
            assert!(labels.contains(&name(&r.ranking.ranked[0].card.provider).as_str()));
            let line = format!(
                "The {MAX_CHART_PROVIDERS} cheapest and best-ranked of {drawable} providers; \
                 costs.csv and milestones.csv have the other {}.",
                drawable - MAX_CHART_PROVIDERS
            );
            assert!(chart.note.lines().any(|l| l == line), "{}", chart.note);
        }
        let bars = contributions(&r);
        assert_eq!(bars.categories.len(), MAX_CHART_PROVIDERS);
        assert_eq!(bars.categories[0], r.ranking.ranked[0].card.name);
        assert!(
            bars.segments
                .iter()
                .all(|(_, v)| v.len() == MAX_CHART_PROVIDERS)
        );
        assert!(bars.note.ends_with(&format!(
            "ranking.csv has the other {}.",
            r.ranking.ranked.len() - MAX_CHART_PROVIDERS
        )));
        // Every rendered chart says so, the log-scale one included (it has no other note).
        for c in render_all(&r).unwrap() {
            let svg = String::from_utf8(c.svg).unwrap();
            assert!(svg.contains("best-ranked of "), "{} does not say", c.stem);
        }
    }
}
