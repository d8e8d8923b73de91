//! Builds the chart descriptions of a scenario report and renders them (pure: bytes out).

use super::chart::{
    ChartError, ImageFormat, LineChart, Series, StackedBars, line_chart, needs_log_scale,
    stacked_bars,
};
use super::scenario_report::ScenarioReport;
use crate::cost::CostValue;
use crate::cost::schedule::group;
use crate::score::Axis;

/// Image size of every chart, in pixels.
pub const SIZE: (u32, u32) = (1100, 640);
/// At most this many x samples per line (curves are sampled evenly, milestones always kept).
const MAX_SAMPLES: u64 = 400;

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

fn point(c: &CostValue) -> Option<f64> {
    c.amount().map(crate::cost::Money::to_f64)
}

/// Cost versus customers: one line per provider with any known cost.
pub fn cost_vs_customers(r: &ScenarioReport<'_>) -> LineChart {
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
    let series = r
        .projection
        .curves
        .iter()
        .filter(|c| {
            c.costs
                .iter()
                .skip(usize::try_from(min - 1).unwrap_or(usize::MAX))
                .any(|v| v.amount().is_some())
        })
        .map(|c| Series {
            style: r.style_of(&c.provider),
            label: r.name(&c.provider),
            points: xs
                .iter()
                .map(|&x| {
                    (
                        x as f64,
                        c.costs
                            .get(usize::try_from(x - 1).unwrap_or(0))
                            .and_then(point),
                    )
                })
                .collect(),
            lower_bound: false,
        })
        .collect();
    LineChart {
        title: format!(
            "{}: effective monthly cost by number of customers",
            r.scenario.id()
        ),
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
    }
}

fn over_time(r: &ScenarioReport<'_>, cumulative: bool) -> LineChart {
    let series = r
        .projection
        .projections
        .iter()
        .filter(|p| {
            p.months.iter().any(|m| {
                if cumulative {
                    m.cumulative.amount().is_some()
                } else {
                    m.quote.recurring.amount().is_some()
                }
            })
        })
        .map(|p| Series {
            style: r.style_of(&p.provider),
            label: r.name(&p.provider),
            points: p
                .months
                .iter()
                .map(|m| {
                    (
                        f64::from(m.month),
                        point(if cumulative {
                            &m.cumulative
                        } else {
                            &m.quote.recurring
                        }),
                    )
                })
                .collect(),
            lower_bound: false,
        })
        .collect();
    LineChart {
        title: if cumulative {
            format!(
                "{}: cumulative cost including one-time costs",
                r.scenario.id()
            )
        } else {
            format!(
                "{}: monthly recurring cost over {} months",
                r.scenario.id(),
                r.scenario.horizon()
            )
        },
        x_label: "Month".into(),
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
    }
}

/// Weighted axis contributions per ranked provider (the bars add up to the total score).
pub fn contributions(r: &ScenarioReport<'_>) -> StackedBars {
    StackedBars {
        title: format!(
            "{}: weighted axis points per provider (why the winner wins)",
            r.scenario.id()
        ),
        y_label: "Score (points of 100)".into(),
        categories: r
            .ranking
            .ranked
            .iter()
            .map(|e| e.card.name.clone())
            .collect(),
        segments: Axis::ALL
            .iter()
            .enumerate()
            .map(|(k, a)| {
                (
                    format!("{} ({:.0} %)", a.label(), r.ranking.weights[k] * 100.0),
                    r.ranking
                        .ranked
                        .iter()
                        .map(|e| e.card.contributions[k])
                        .collect(),
                )
            })
            .collect(),
    }
}

fn both(
    stem: &'static str,
    caption: String,
    chart: &LineChart,
) -> Result<RenderedChart, ChartError> {
    Ok(RenderedChart {
        stem,
        caption,
        svg: line_chart(chart, ImageFormat::Svg, SIZE)?,
        png: line_chart(chart, ImageFormat::Png, SIZE)?,
    })
}

/// Renders every chart of a scenario.
pub fn render_all(r: &ScenarioReport<'_>) -> Result<Vec<RenderedChart>, ChartError> {
    let mut out = Vec::new();
    let curve = cost_vs_customers(r);
    out.push(both(
        "cost-vs-customers",
        "Monthly cost versus customers".into(),
        &curve,
    )?);
    if needs_log_scale(&curve.series) {
        let log = LineChart {
            log_y: true,
            title: format!("{} (log scale)", curve.title),
            ..curve
        };
        out.push(both(
            "cost-vs-customers-log",
            "Monthly cost versus customers, log scale".into(),
            &log,
        )?);
    }
    out.push(both(
        "monthly-cost",
        "Monthly recurring cost over the horizon".into(),
        &over_time(r, false),
    )?);
    out.push(both(
        "cumulative-cost",
        "Cumulative cost over the horizon".into(),
        &over_time(r, true),
    )?);
    let bars = contributions(r);
    out.push(RenderedChart {
        stem: "axis-contributions",
        caption: "Weighted axis contributions per provider".into(),
        svg: stacked_bars(&bars, ImageFormat::Svg, SIZE)?,
        png: stacked_bars(&bars, ImageFormat::Png, SIZE)?,
    });
    Ok(out)
}
