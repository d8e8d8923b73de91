//! The line chart: axes, milestones, floors, bands, unknown lanes and the legend.

use plotters::coord::Shift;
use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::layout::Metrics;
use super::legend::{
    Glyph, KEY_BAND, KEY_DASHED, KEY_MEDIAN, KEY_SOLID, Key, LegendColumn, LegendEntry,
    UNKNOWN_LABEL, draw_legend, legend_column,
};
use super::prepared::{PreparedLine, PreparedSeries, prepare_line};
use super::render::draw_err;
use super::style::{
    AXIS, BAND_OPACITY, GRID, GRID_LIGHT, MILESTONE, UNKNOWN_GREY, draw_hatched, draw_marker,
    draw_path, median_dash, median_style,
};
use super::text::{
    anchored, clean, decimals_for_step, draw_note, draw_title, fit_text, format_number,
    log_decimals, text_size,
};
use super::{ChartError, LineChart};

/// Pixel layout decisions for a line chart, computed before the chart is built.
#[derive(Debug, Clone, Copy)]
struct LineLayout {
    y_area: i32,
    x_area: i32,
    margin_left: i32,
    margin_right: i32,
    margin_top: i32,
    x_ticks: usize,
    y_ticks: usize,
    x_decimals: usize,
    y_decimals: usize,
    lane_h: i32,
}

fn format_y(v: f64, log: bool, decimals: usize) -> String {
    if log {
        format_number(v, log_decimals(v))
    } else {
        format_number(v, decimals)
    }
}

pub(super) fn draw_line_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &LineChart,
) -> Result<(), ChartError> {
    let m = Metrics::new(root.dim_in_pixel());
    root.fill(&WHITE).map_err(draw_err)?;
    let prep = prepare_line(chart);
    let top = draw_title(root, &chart.title, m)?;
    let top = draw_note(root, &chart.note, top, m)?;

    // Legend on the right, outside the plot, so it never hides data: one row per series, then
    // (when floors or bands are drawn) a key to the line styles.
    let mut entries: Vec<LegendEntry> = prep
        .series
        .iter()
        .map(|s| LegendEntry {
            label: s.label.clone(),
            glyph: Some(Glyph::Series {
                look: s.look,
                solid: s.has_solid,
                dashed: s.has_dashed,
                band: s.has_band,
                hatch: !s.draws_something(),
            }),
        })
        .collect();
    // Unknown ranges get a hatched lane under the plot, except for series that draw nothing at
    // all: their legend glyph is hatched instead (a lane across the whole chart per provider
    // would say the same and squash the plot).
    let lanes: Vec<&PreparedSeries> = prep
        .series
        .iter()
        .filter(|s| !s.unknown.is_empty() && s.draws_something())
        .collect();
    if prep.key {
        entries.push(LegendEntry {
            label: String::new(),
            glyph: None,
        });
        let any = |f: fn(&PreparedSeries) -> bool| prep.series.iter().any(f);
        for (shown, key, label) in [
            (any(|s| s.has_solid), Key::Solid, KEY_SOLID),
            (any(|s| s.has_dashed), Key::Dashed, KEY_DASHED),
            (any(|s| s.has_band), Key::Band, KEY_BAND),
            (any(|s| s.has_band), Key::Median, KEY_MEDIAN),
        ] {
            if shown {
                entries.push(LegendEntry {
                    label: label.to_owned(),
                    glyph: Some(Glyph::Key(key)),
                });
            }
        }
    }
    if !lanes.is_empty() || prep.series.iter().any(|s| !s.draws_something()) {
        entries.push(LegendEntry {
            label: UNKNOWN_LABEL.to_owned(),
            glyph: Some(Glyph::Hatch(UNKNOWN_GREY)),
        });
    }
    let LegendColumn {
        legend,
        margin_right,
        plot_w,
    } = legend_column(root, &entries, m, 0.34, top)?;

    // Axis label areas sized from the widest tick labels.
    let tick_style = m.font(0.85);
    let desc_style = m.font(1.0);
    let (_, tick_h) = text_size(root, "0,9", &tick_style)?;
    let (_, desc_h) = text_size(root, "Xg", &desc_style)?;
    let plot_h_est = (m.height - top - 3 * tick_h).max(1);
    let y_ticks = usize::try_from(plot_h_est / m.px(2.4).max(1))
        .unwrap_or(2)
        .clamp(2, 10);
    let y_decimals = decimals_for_step((prep.y.1 - prep.y.0) / y_ticks as f64);
    let mut y_tick_w = 0;
    for v in [prep.y.0, prep.y.1, f64::midpoint(prep.y.0, prep.y.1)] {
        y_tick_w =
            y_tick_w.max(text_size(root, &format_y(v, prep.log, y_decimals), &tick_style)?.0);
    }
    let x_label = clean(&chart.x_label);
    let y_label = clean(&chart.y_label);
    let y_area = y_tick_w
        + 10
        + m.px(0.5)
        + if y_label.is_empty() {
            0
        } else {
            desc_h + m.px(0.4)
        };
    let x_area = tick_h
        + 10
        + m.px(0.3)
        + if x_label.is_empty() {
            0
        } else {
            desc_h + m.px(0.5)
        };
    let x_probe = decimals_for_step((prep.x.1 - prep.x.0) / 8.0);
    let mut x_tick_w = 0;
    for v in [prep.x.0, prep.x.1] {
        x_tick_w = x_tick_w.max(text_size(root, &format_number(v, x_probe), &tick_style)?.0);
    }
    let x_ticks = usize::try_from((plot_w - y_area) / (x_tick_w + m.px(1.5)).max(1))
        .unwrap_or(2)
        .clamp(2, 12);
    let layout = LineLayout {
        y_area,
        x_area,
        margin_left: m.px(0.4),
        // The last x tick label is centred on the plot's right edge: keep it off the legend.
        margin_right: margin_right.max(x_tick_w / 2 + m.px(0.3)),
        margin_top: m.px(0.3),
        x_ticks,
        y_ticks,
        x_decimals: decimals_for_step((prep.x.1 - prep.x.0) / x_ticks as f64),
        y_decimals,
        lane_h: {
            let n = i32::try_from(lanes.len()).unwrap_or(i32::MAX).max(1);
            m.px(1.2).min((m.height - top) * 3 / 10 / n).max(1)
        },
    };

    let area = root.clone().shrink(
        (0, top),
        (
            u32::try_from(plot_w.max(1)).unwrap_or(1),
            u32::try_from((m.height - top).max(1)).unwrap_or(1),
        ),
    );
    let (main, strip) = if lanes.is_empty() {
        (area, None)
    } else {
        let n = i32::try_from(lanes.len()).unwrap_or(i32::MAX);
        let strip_h = n
            .saturating_mul(layout.lane_h)
            .saturating_add(layout.x_area + m.px(0.4))
            .min((m.height - top) / 2);
        let (main, strip) = area.split_vertically(m.height - top - strip_h);
        (main, Some(strip))
    };

    if prep.log {
        draw_line_body(
            root,
            &main,
            strip.as_ref(),
            (prep.y.0..prep.y.1).log_scale(),
            &prep,
            &lanes,
            &x_label,
            &y_label,
            layout,
            m,
        )?;
    } else {
        draw_line_body(
            root,
            &main,
            strip.as_ref(),
            prep.y.0..prep.y.1,
            &prep,
            &lanes,
            &x_label,
            &y_label,
            layout,
            m,
        )?;
    }

    if let Some(legend) = legend {
        draw_legend(
            root,
            &legend,
            (
                m.width - margin_right - legend.width,
                top + layout.margin_top,
            ),
            m,
        )?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn draw_line_body<DB, Y>(
    root: &DrawingArea<DB, Shift>,
    main: &DrawingArea<DB, Shift>,
    strip: Option<&DrawingArea<DB, Shift>>,
    y_spec: Y,
    prep: &PreparedLine,
    lanes: &[&PreparedSeries],
    x_label: &str,
    y_label: &str,
    layout: LineLayout,
    m: Metrics,
) -> Result<(), ChartError>
where
    DB: DrawingBackend,
    Y: AsRangedCoord<Value = f64>,
    Y::CoordDescType: ValueFormatter<f64>,
{
    let tick_style = m.font(0.85);
    let desc_style = m.font(1.0);
    let x_fmt = |v: &f64| format_number(*v, layout.x_decimals);
    let y_fmt = |v: &f64| format_y(*v, prep.log, layout.y_decimals);

    let mut ctx = ChartBuilder::on(main)
        .margin_left(layout.margin_left)
        .margin_right(layout.margin_right)
        .margin_top(layout.margin_top)
        .margin_bottom(if strip.is_some() {
            m.px(0.2)
        } else {
            m.px(0.3)
        })
        .x_label_area_size(if strip.is_some() { 0 } else { layout.x_area })
        .y_label_area_size(layout.y_area)
        .build_cartesian_2d(prep.x.0..prep.x.1, y_spec)
        .map_err(draw_err)?;
    {
        let mut mesh = ctx.configure_mesh();
        mesh.x_labels(layout.x_ticks)
            .y_labels(layout.y_ticks)
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .label_style(tick_style.clone())
            .axis_desc_style(desc_style.clone())
            .bold_line_style(GRID.stroke_width(1))
            .light_line_style(GRID_LIGHT.stroke_width(1))
            .axis_style(AXIS.stroke_width(1));
        mesh.x_max_light_lines(1);
        if !prep.log {
            mesh.y_max_light_lines(1);
        }
        if strip.is_none() && !x_label.is_empty() {
            mesh.x_desc(x_label);
        }
        if !y_label.is_empty() {
            mesh.y_desc(y_label);
        }
        mesh.draw().map_err(draw_err)?;
    }
    let (xr, yr) = ctx.plotting_area().get_pixel_range();
    let to_px = |p: (f64, f64)| ctx.backend_coord(&p);
    let line_w = m.line_width();

    // Frame around the plot so the top/right edges read as the plot's end.
    root.draw(&Rectangle::new(
        [(xr.start, yr.start), (xr.end - 1, yr.end - 1)],
        GRID.stroke_width(1),
    ))
    .map_err(draw_err)?;

    // Milestone lines (labels are drawn last, on top of everything).
    let milestone_px: Vec<(i32, &str)> = prep
        .milestones
        .iter()
        .map(|(x, label)| (to_px((*x, prep.y.0)).0, label.as_str()))
        .collect();
    for (px, _) in &milestone_px {
        draw_path(
            root,
            vec![(*px, yr.start), (*px, yr.end - 1)],
            MILESTONE.stroke_width(1),
            Some((m.px(0.45), m.px(0.3))),
        )?;
    }

    // Bands under everything else: translucent areas, then their dotted middle lines.
    for s in &prep.series {
        let fill = s.look.color.mix(BAND_OPACITY).filled();
        for area in &s.areas {
            let pts: Vec<(i32, i32)> = area.iter().map(|p| to_px(*p)).collect();
            root.draw(&Polygon::new(pts, fill)).map_err(draw_err)?;
        }
        let edge = s.look.color.mix(0.45).stroke_width(1);
        for e in &s.edges {
            let pts: Vec<(i32, i32)> = e.iter().map(|p| to_px(*p)).collect();
            draw_path(root, pts, edge, None)?;
        }
        for [a, b] in &s.whiskers {
            draw_path(
                root,
                vec![to_px(*a), to_px(*b)],
                s.look.color.mix(0.6).stroke_width(line_w),
                None,
            )?;
        }
    }
    for s in &prep.series {
        for median in &s.medians {
            let pts: Vec<(i32, i32)> = median.iter().map(|p| to_px(*p)).collect();
            draw_path(
                root,
                pts,
                median_style(s.look.color, m),
                Some(median_dash(m)),
            )?;
        }
    }

    // Lines (dashed floors, then solid published values), then markers on top.
    for s in &prep.series {
        for segment in s.dashed.iter().filter(|seg| seg.len() > 1) {
            let pts: Vec<(i32, i32)> = segment.iter().map(|p| to_px(*p)).collect();
            let dash = Some((m.px(0.7), m.px(0.4)));
            draw_path(root, pts, s.look.color.stroke_width(line_w), dash)?;
        }
        for segment in s.solid.iter().filter(|seg| seg.len() > 1) {
            let pts: Vec<(i32, i32)> = segment.iter().map(|p| to_px(*p)).collect();
            draw_path(root, pts, s.look.color.stroke_width(line_w), None)?;
        }
    }
    for s in &prep.series {
        for p in &s.markers {
            draw_marker(root, to_px(*p), m.marker_radius(), s.look, line_w.min(2))?;
        }
    }

    if !prep.any_known {
        let msg = if prep.series.is_empty() {
            "no data"
        } else {
            "no known values"
        };
        let style = anchored(&m.font(1.1), HPos::Center, VPos::Center);
        root.draw(&Text::new(
            msg,
            (
                i32::midpoint(xr.start, xr.end),
                i32::midpoint(yr.start, yr.end),
            ),
            style,
        ))
        .map_err(draw_err)?;
    }

    // Milestone labels: left-aligned right of the line (right-aligned near the right edge),
    // stacked in up to three rows when they would overlap.
    let label_style = m.font(0.8);
    let (_, label_h) = text_size(root, "Xg", &label_style)?;
    let mut row_ends: Vec<i32> = vec![i32::MIN; 3];
    for (px, label) in &milestone_px {
        if label.is_empty() {
            continue;
        }
        let text = fit_text(root, label, &label_style, (xr.end - xr.start) / 2)?;
        let (w, _) = text_size(root, &text, &label_style)?;
        let gap = m.px(0.25);
        let min_sep = m.px(1.0);
        let left = if px + gap + w <= xr.end - gap {
            px + gap
        } else {
            px - gap - w
        };
        let row = row_ends
            .iter()
            .position(|end| left > end.saturating_add(min_sep))
            .unwrap_or(0);
        row_ends[row] = left + w;
        let y = yr.start + gap + i32::try_from(row).unwrap_or(0) * (label_h + gap * 2);
        root.draw(&Rectangle::new(
            [(left - 2, y - 1), (left + w + 2, y + label_h + 2)],
            WHITE.mix(0.85).filled(),
        ))
        .map_err(draw_err)?;
        root.draw(&Text::new(
            text,
            (left, y),
            anchored(&label_style, HPos::Left, VPos::Top),
        ))
        .map_err(draw_err)?;
    }

    let Some(strip) = strip else {
        return Ok(());
    };

    // Unknown / unavailable lanes: one hatched lane per series with unknown ranges, sharing
    // the x axis with the main plot.
    let n_lanes = lanes.len();
    let mut sctx = ChartBuilder::on(strip)
        .margin_left(layout.margin_left)
        .margin_right(layout.margin_right)
        .margin_top(0)
        .x_label_area_size(layout.x_area)
        .y_label_area_size(layout.y_area)
        .build_cartesian_2d(prep.x.0..prep.x.1, 0.0..n_lanes as f64)
        .map_err(draw_err)?;
    {
        let mut mesh = sctx.configure_mesh();
        mesh.x_labels(layout.x_ticks)
            .y_labels(0)
            .disable_y_mesh()
            .max_light_lines(0)
            .x_label_formatter(&x_fmt)
            .label_style(tick_style.clone())
            .axis_desc_style(desc_style)
            .bold_line_style(GRID.stroke_width(1))
            .axis_style(AXIS.stroke_width(1));
        if !x_label.is_empty() {
            mesh.x_desc(x_label);
        }
        mesh.draw().map_err(draw_err)?;
    }
    let (sxr, syr) = sctx.plotting_area().get_pixel_range();
    root.draw(&Rectangle::new(
        [(sxr.start, syr.start), (sxr.end - 1, syr.end - 1)],
        GRID.stroke_width(1),
    ))
    .map_err(draw_err)?;
    let lane_font = m.font(0.8).pos(Pos::new(HPos::Right, VPos::Center));
    let (_, lane_font_h) = text_size(root, "Xg", &lane_font)?;
    let min_w = m.px(0.5).max(4);
    let lane_px = (syr.end - syr.start) / i32::try_from(n_lanes.max(1)).unwrap_or(i32::MAX);
    for (i, s) in lanes.iter().enumerate() {
        // Lane 0 at the top.
        let lane_top = (n_lanes - i) as f64;
        let inset = 0.12;
        for &(from, to) in &s.unknown {
            let (mut x0, y0) = sctx.backend_coord(&(from, lane_top - inset));
            let (mut x1, y1) = sctx.backend_coord(&(to, lane_top - 1.0 + inset));
            if x1 - x0 < min_w {
                let c = i32::midpoint(x0, x1);
                x0 = (c - min_w / 2).max(sxr.start);
                x1 = (x0 + min_w).min(sxr.end - 1);
            }
            draw_hatched(
                root,
                (x0, y0),
                (x1, y1.max(y0 + 2)),
                s.look.color,
                m.px(0.45),
            )?;
            if x1 - x0 > 4 * m.marker_radius() && y1 - y0 > 2 * m.marker_radius() {
                draw_marker(
                    root,
                    (x0 + 2 * m.marker_radius(), i32::midpoint(y0, y1)),
                    m.marker_radius(),
                    s.look,
                    line_w.min(2),
                )?;
            }
        }
        if lane_font_h <= lane_px + 2 {
            let (_, cy) = sctx.backend_coord(&(prep.x.0, lane_top - 0.5));
            let name = fit_text(root, &s.label, &lane_font, layout.y_area - 14)?;
            root.draw(&Text::new(name, (sxr.start - 8, cy), lane_font.clone()))
                .map_err(draw_err)?;
        }
    }
    Ok(())
}
