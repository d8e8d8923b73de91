//! The legend: one row per series and one per line style, laid out to fit its box.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::ChartError;
use super::layout::Metrics;
use super::render::draw_err;
use super::style::{
    AXIS, BAND_OPACITY, LEGEND_BORDER, Look, draw_hatched, draw_marker, draw_path, median_dash,
    median_style,
};
use super::text::{anchored, fit_text, text_size};

/// Legend text of the unknown / unavailable marking.
pub(super) const UNKNOWN_LABEL: &str = "unknown / unavailable";
/// Key texts of the line styles (shown when a chart draws floors or bands).
pub(super) const KEY_SOLID: &str = "published";
pub(super) const KEY_DASHED: &str = "published part + unknown";
pub(super) const KEY_BAND: &str = "estimate P10–P90";
pub(super) const KEY_MEDIAN: &str = "estimate P50";

#[derive(Debug, Clone)]
pub(super) enum Glyph {
    /// A line series with its marker: its line (solid, dashed, or solid then dashed when it has
    /// both; dotted when it has only a band), its band behind it, hatched when it shows nothing
    /// else.
    Series {
        look: Look,
        solid: bool,
        dashed: bool,
        band: bool,
        hatch: bool,
    },
    /// A key row: what a line style means, drawn in neutral grey.
    Key(Key),
    /// The hatched unknown / unavailable marking.
    Hatch(RGBColor),
    /// A filled square.
    Swatch(RGBColor),
}

/// The line styles the key of a line chart explains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Key {
    Solid,
    Dashed,
    Band,
    Median,
}

#[derive(Debug, Clone)]
pub(super) struct LegendEntry {
    pub(super) label: String,
    /// `None`: a blank spacer row (or a text-only row).
    pub(super) glyph: Option<Glyph>,
}

/// A legend fitted into a box.
#[derive(Clone)]
pub(super) struct Legend {
    style: TextStyle<'static>,
    rows: Vec<(String, Option<Glyph>)>,
    row_h: i32,
    glyph_w: i32,
    pad: i32,
    pub(super) width: i32,
    height: i32,
}

/// A legend laid out in the column right of the plot, and the room it leaves.
pub(super) struct LegendColumn {
    /// The legend, `None` when there is nothing to show or no room for it.
    pub(super) legend: Option<Legend>,
    /// Gap between the legend (or the plot, without one) and the right edge, in px.
    pub(super) margin_right: i32,
    /// Width left for the plot and its axis labels, in px.
    pub(super) plot_w: i32,
}

/// Lays `entries` out in a column at most `share` of the chart wide, from `top` down to the
/// bottom margin, and says how wide the plot may be beside it.
pub(super) fn legend_column<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
    m: Metrics,
    share: f64,
    top: i32,
) -> Result<LegendColumn, ChartError> {
    let margin_right = m.px(0.8);
    let legend = layout_legend(
        root,
        entries,
        m,
        (f64::from(m.width) * share) as i32,
        m.height - top - m.px(0.8),
    )?;
    let plot_w = m.width - legend.as_ref().map_or(0, |l| l.width + margin_right);
    Ok(LegendColumn {
        legend,
        margin_right,
        plot_w,
    })
}

/// Lays `entries` out in a box at most `max_w` × `max_h` px, shrinking the font and then
/// replacing the last rows with "… N more" when needed. `None` when there is nothing to show.
fn layout_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
    m: Metrics,
    max_w: i32,
    max_h: i32,
) -> Result<Option<Legend>, ChartError> {
    if entries.is_empty() || max_w < m.px(4.0) || max_h < m.px(2.0) {
        return Ok(None);
    }
    let pad = m.px(0.55);
    let glyph_w = m.px(2.4);
    let gap = m.px(0.5);
    let mut k = 0.9;
    let (style, row_h) = loop {
        let style = anchored(&m.font(k), HPos::Left, VPos::Center);
        // Rows tighten before the font shrinks further: a long legend (a catalog of 20-odd
        // providers plus the line-style key) should still list everyone.
        let spacing = if k < 0.75 { 1.3 } else { 1.5 };
        let row_h = (m.unit * k * spacing).round() as i32;
        if entries.len() as f64 * f64::from(row_h) + f64::from(2 * pad) <= f64::from(max_h)
            || k <= 0.6
        {
            break (style, row_h.max(1));
        }
        k -= 0.05;
    };
    let fit_rows = usize::try_from(((max_h - 2 * pad) / row_h).max(1)).unwrap_or(1);
    let label_max = max_w - 2 * pad - glyph_w - gap;
    let mut rows = Vec::new();
    let shown = if entries.len() > fit_rows {
        fit_rows.saturating_sub(1)
    } else {
        entries.len()
    };
    for e in &entries[..shown] {
        rows.push((
            fit_text(root, &e.label, &style, label_max)?,
            e.glyph.clone(),
        ));
    }
    if shown < entries.len() {
        rows.push((format!("… {} more", entries.len() - shown), None));
    }
    let mut text_w = 0;
    for (label, _) in &rows {
        text_w = text_w.max(text_size(root, label, &style)?.0);
    }
    let rows_i32 = i32::try_from(rows.len()).unwrap_or(i32::MAX);
    Ok(Some(Legend {
        width: 2 * pad + glyph_w + gap + text_w,
        height: 2 * pad + rows_i32.saturating_mul(row_h),
        style,
        rows,
        row_h,
        glyph_w,
        pad,
    }))
}

pub(super) fn draw_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    legend: &Legend,
    (x0, y0): (i32, i32),
    m: Metrics,
) -> Result<(), ChartError> {
    let (x1, y1) = (x0 + legend.width, y0 + legend.height);
    root.draw(&Rectangle::new([(x0, y0), (x1, y1)], WHITE.filled()))
        .map_err(draw_err)?;
    root.draw(&Rectangle::new(
        [(x0, y0), (x1, y1)],
        LEGEND_BORDER.stroke_width(1),
    ))
    .map_err(draw_err)?;
    let gx = x0 + legend.pad;
    let tx = gx + legend.glyph_w + m.px(0.5);
    let half = (legend.row_h / 2 - 2).max(2);
    for (i, (label, glyph)) in legend.rows.iter().enumerate() {
        let i = i32::try_from(i).unwrap_or(i32::MAX);
        let cy = y0 + legend.pad + i * legend.row_h + legend.row_h / 2;
        let (gx1, gxm) = (gx + legend.glyph_w, gx + legend.glyph_w / 2);
        match glyph {
            &Some(Glyph::Series {
                look: lk,
                solid,
                dashed,
                band,
                hatch,
            }) => {
                if band {
                    root.draw(&Rectangle::new(
                        [(gx, cy - half), (gx1, cy + half)],
                        lk.color.mix(BAND_OPACITY).filled(),
                    ))
                    .map_err(draw_err)?;
                }
                let style = lk.color.stroke_width(m.line_width());
                let dash = Some((m.px(0.5), m.px(0.3)));
                match (solid, dashed) {
                    (true, true) => {
                        draw_path(root, vec![(gx, cy), (gxm, cy)], style, None)?;
                        draw_path(root, vec![(gxm, cy), (gx1, cy)], style, dash)?;
                    }
                    (true, false) => draw_path(root, vec![(gx, cy), (gx1, cy)], style, None)?,
                    (false, true) => draw_path(root, vec![(gx, cy), (gx1, cy)], style, dash)?,
                    (false, false) if band => {
                        draw_path(
                            root,
                            vec![(gx, cy), (gx1, cy)],
                            median_style(lk.color, m),
                            Some(median_dash(m)),
                        )?;
                    }
                    (false, false) if hatch => {
                        draw_hatched(root, (gx, cy - half), (gx1, cy + half), lk.color, m.px(0.4))?;
                    }
                    (false, false) => {}
                }
                draw_marker(
                    root,
                    (gxm, cy),
                    m.marker_radius(),
                    lk,
                    m.line_width().min(2),
                )?;
            }
            Some(Glyph::Key(key)) => {
                let style = AXIS.stroke_width(m.line_width());
                let ends = vec![(gx, cy), (gx1, cy)];
                match key {
                    Key::Solid => draw_path(root, ends, style, None)?,
                    Key::Dashed => draw_path(root, ends, style, Some((m.px(0.5), m.px(0.3))))?,
                    Key::Band => {
                        root.draw(&Rectangle::new(
                            [(gx, cy - half), (gx1, cy + half)],
                            AXIS.mix(BAND_OPACITY).filled(),
                        ))
                        .map_err(draw_err)?;
                    }
                    Key::Median => {
                        draw_path(root, ends, median_style(AXIS, m), Some(median_dash(m)))?;
                    }
                }
            }
            Some(Glyph::Hatch(color)) => {
                draw_hatched(
                    root,
                    (gx, cy - half),
                    (gx + legend.glyph_w, cy + half),
                    *color,
                    m.px(0.4),
                )?;
            }
            Some(Glyph::Swatch(color)) => {
                root.draw(&Rectangle::new(
                    [
                        (gx + legend.glyph_w / 4, cy - half),
                        (gx + legend.glyph_w * 3 / 4, cy + half),
                    ],
                    color.filled(),
                ))
                .map_err(draw_err)?;
            }
            None => {}
        }
        root.draw(&Text::new(label.clone(), (tx, cy), legend.style.clone()))
            .map_err(draw_err)?;
    }
    Ok(())
}
