//! Horizontal stacked bars: one bar per provider, names written out, values in the segments.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::layout::Metrics;
use super::legend::{Glyph, LegendColumn, LegendEntry, draw_legend, legend_column};
use super::prepared::clamp_value;
use super::render::draw_err;
use super::style::{AXIS, GRID, GRID_LIGHT, PALETTE, TEXT};
use super::text::{
    anchored, clean, decimals_for_step, draw_note, draw_title, fit_text, format_number, text_size,
};
use super::{ChartError, StackedBars};

/// Horizontal stacked bars, one row per category from the top: the category names are
/// written out in full on the left (shortened only when longer than a third of the width),
/// every segment that is wide enough carries its value, and each bar ends in its total.
pub(super) fn draw_stacked_bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &StackedBars,
) -> Result<(), ChartError> {
    let m = Metrics::new(root.dim_in_pixel());
    root.fill(&WHITE).map_err(draw_err)?;
    let top = draw_title(root, &chart.title, m)?;
    let top = draw_note(root, &chart.note, top, m)?;

    let categories: Vec<String> = chart.categories.iter().map(|c| clean(c)).collect();
    let n_cat = categories.len();
    let value = |seg: &(String, Vec<f64>), i: usize| {
        seg.1
            .get(i)
            .copied()
            .filter(|v| v.is_finite() && *v > 0.0)
            .map_or(0.0, clamp_value)
    };
    let totals: Vec<f64> = (0..n_cat)
        .map(|i| chart.segments.iter().map(|seg| value(seg, i)).sum())
        .collect();
    let max_total = totals.iter().copied().fold(0.0_f64, f64::max);
    // Room after the longest bar for its total.
    let x_max = max_total.max(100.0) * 1.1;

    // Legend in stacking order (left to right, as the segments run).
    let entries: Vec<LegendEntry> = chart
        .segments
        .iter()
        .enumerate()
        .map(|(j, (name, _))| LegendEntry {
            label: clean(name),
            glyph: Some(Glyph::Swatch(PALETTE[j % PALETTE.len()])),
        })
        .collect();
    let LegendColumn {
        legend,
        margin_right,
        plot_w,
    } = legend_column(root, &entries, m, 0.36, top)?;

    let tick_style = m.font(0.85);
    let desc_style = m.font(1.0);
    let (_, desc_h) = text_size(root, "Xg", &desc_style)?;
    let value_label = clean(&chart.value_label);
    let (_, tick_h) = text_size(root, "0", &tick_style)?;
    let x_area = tick_h
        + m.px(0.9)
        + if value_label.is_empty() {
            0
        } else {
            desc_h + m.px(0.3)
        };
    let plot_h = m.height - top - x_area - m.px(0.3);
    let n_rows = i32::try_from(n_cat.max(1)).unwrap_or(i32::MAX);
    let row_px = (plot_h / n_rows).max(1);
    // The names' font follows the row height, so a long ranking still gets one line each.
    let k = (f64::from(row_px) / m.unit / 1.45).clamp(0.55, 0.85);
    let cat_style = anchored(&m.font(k), HPos::Right, VPos::Center);
    let cat_max = (f64::from(plot_w) / 3.0) as i32;
    let mut cat_lines = Vec::with_capacity(n_cat);
    let mut cat_w = 0;
    for c in &categories {
        let line = fit_text(root, c, &cat_style, cat_max)?;
        cat_w = cat_w.max(text_size(root, &line, &cat_style)?.0);
        cat_lines.push(line);
    }
    let y_area = cat_w + m.px(0.6);
    let margin_left = m.px(0.4);

    let area = root.clone().shrink(
        (0, top),
        (
            u32::try_from(plot_w.max(1)).unwrap_or(1),
            u32::try_from((m.height - top).max(1)).unwrap_or(1),
        ),
    );
    let x_ticks = usize::try_from((plot_w - y_area) / m.px(4.0).max(1))
        .unwrap_or(2)
        .clamp(2, 11);
    let x_fmt = |v: &f64| format_number(*v, decimals_for_step(x_max / x_ticks as f64));
    let mut ctx = ChartBuilder::on(&area)
        .margin_left(margin_left)
        .margin_right(margin_right)
        .margin_top(m.px(0.3))
        .x_label_area_size(x_area)
        .y_label_area_size(y_area)
        .build_cartesian_2d(0.0..x_max, 0.0..n_cat.max(1) as f64)
        .map_err(draw_err)?;
    {
        let mut mesh = ctx.configure_mesh();
        mesh.disable_y_mesh()
            .y_labels(0)
            .x_labels(x_ticks)
            .max_light_lines(1)
            .x_label_formatter(&x_fmt)
            .label_style(tick_style)
            .axis_desc_style(desc_style)
            .bold_line_style(GRID.stroke_width(1))
            .light_line_style(GRID_LIGHT.stroke_width(1))
            .axis_style(AXIS.stroke_width(1));
        if !value_label.is_empty() {
            mesh.x_desc(value_label.as_str());
        }
        mesh.draw().map_err(draw_err)?;
    }
    let (xr, yr) = ctx.plotting_area().get_pixel_range();
    let to_px = |p: (f64, f64)| ctx.backend_coord(&p);

    if n_cat == 0 || chart.segments.is_empty() {
        let style = anchored(&m.font(1.1), HPos::Center, VPos::Center);
        root.draw(&Text::new(
            "no data",
            (
                i32::midpoint(xr.start, xr.end),
                i32::midpoint(yr.start, yr.end),
            ),
            style,
        ))
        .map_err(draw_err)?;
    }

    let value_style = anchored(&m.font(k.min(0.75)), HPos::Center, VPos::Center);
    let total_style = anchored(&m.font(k.min(0.8)), HPos::Left, VPos::Center);
    let (_, value_h) = text_size(root, "0,9", &value_style)?;
    for (i, total) in totals.iter().enumerate() {
        // Row i counts from the top: the first category (the winner) is the top bar.
        let row = (n_cat - 1 - i) as f64;
        let (low, high) = (row + 0.16, row + 0.84);
        let mut left = 0.0;
        for (j, seg) in chart.segments.iter().enumerate() {
            let v = value(seg, i);
            if v <= 0.0 {
                continue;
            }
            let color = PALETTE[j % PALETTE.len()];
            let (x0, y0) = to_px((left, high));
            let (x1, y1) = to_px((left + v, low));
            root.draw(&Rectangle::new([(x0, y0), (x1, y1)], color.filled()))
                .map_err(draw_err)?;
            root.draw(&PathElement::new(
                vec![(x1, y0), (x1, y1)],
                WHITE.stroke_width(1),
            ))
            .map_err(draw_err)?;
            let text = format_number(v, 1);
            let (tw, _) = text_size(root, &text, &value_style)?;
            if y1 - y0 >= value_h + 2 && x1 - x0 >= tw + 4 {
                let luminance = 0.299 * f64::from(color.0)
                    + 0.587 * f64::from(color.1)
                    + 0.114 * f64::from(color.2);
                let mut style = value_style.clone();
                style.color = if luminance < 150.0 { WHITE } else { TEXT }.to_backend_color();
                root.draw(&Text::new(
                    text,
                    (i32::midpoint(x0, x1), i32::midpoint(y0, y1)),
                    style,
                ))
                .map_err(draw_err)?;
            }
            left += v;
        }
        let (tx, cy) = to_px((*total, row + 0.5));
        root.draw(&Text::new(
            format_number(*total, 1),
            (tx + m.px(0.25), cy),
            total_style.clone(),
        ))
        .map_err(draw_err)?;
        if let Some(line) = cat_lines.get(i) {
            root.draw(&Text::new(
                line.clone(),
                (xr.start - m.px(0.35), cy),
                cat_style.clone(),
            ))
            .map_err(draw_err)?;
        }
    }

    if let Some(legend) = legend {
        draw_legend(
            root,
            &legend,
            (m.width - margin_right - legend.width, top + m.px(0.3)),
            m,
        )?;
    }
    Ok(())
}
