//! How series look: the palette, marker shapes, dashed and dotted paths, hatched lanes.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

use super::ChartError;
use super::layout::Metrics;
use super::render::draw_err;

/// Okabe–Ito colours (yellow and black swapped for Tol's wine and olive, which read on white),
/// then eight darker or stronger hues, so that a catalog of up to 16 providers gets 16 colours
/// (the stacked bars use the first ones only).
pub(super) const PALETTE: [RGBColor; 16] = [
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0x88, 0x22, 0x55),
    RGBColor(0x99, 0x99, 0x33),
    RGBColor(0x1B, 0x78, 0x37),
    RGBColor(0x76, 0x2A, 0x83),
    RGBColor(0x33, 0x22, 0x88),
    RGBColor(0x44, 0xAA, 0x99),
    RGBColor(0x8C, 0x51, 0x0A),
    RGBColor(0xE7, 0x29, 0x8A),
    RGBColor(0x44, 0x77, 0xAA),
    RGBColor(0xBB, 0x55, 0x66),
];
/// Opacity of an estimated band's fill.
pub(super) const BAND_OPACITY: f64 = 0.2;
pub(super) const TEXT: RGBColor = RGBColor(0x22, 0x22, 0x22);
pub(super) const AXIS: RGBColor = RGBColor(0x55, 0x55, 0x55);
pub(super) const GRID: RGBColor = RGBColor(0xDD, 0xDD, 0xDD);
pub(super) const GRID_LIGHT: RGBColor = RGBColor(0xF0, 0xF0, 0xF0);
pub(super) const MILESTONE: RGBColor = RGBColor(0x44, 0x44, 0x44);
pub(super) const UNKNOWN_GREY: RGBColor = RGBColor(0x77, 0x77, 0x77);
pub(super) const LEGEND_BORDER: RGBColor = RGBColor(0x99, 0x99, 0x99);

/// Fills `(x0, y0)..(x1, y1)` with a light tint of `color` and diagonal hatching.
pub(super) fn draw_hatched<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (x0, y0): (i32, i32),
    (x1, y1): (i32, i32),
    color: RGBColor,
    spacing: i32,
) -> Result<(), ChartError> {
    let (w, h) = (x1 - x0, y1 - y0);
    if w <= 0 || h <= 0 {
        return Ok(());
    }
    root.draw(&Rectangle::new(
        [(x0, y0), (x1, y1)],
        color.mix(0.18).filled(),
    ))
    .map_err(draw_err)?;
    let spacing = spacing.max(3);
    // Lines of slope -1 in pixel space: (x0 + k + t, y1 - t) for t in 0..=h, clipped to the box.
    let mut k = -h;
    while k < w {
        let t0 = (-k).max(0);
        let t1 = h.min(w - k);
        if t0 < t1 {
            root.draw(&PathElement::new(
                vec![(x0 + k + t0, y1 - t0), (x0 + k + t1, y1 - t1)],
                color.mix(0.85).stroke_width(1),
            ))
            .map_err(draw_err)?;
        }
        k += spacing;
    }
    root.draw(&Rectangle::new([(x0, y0), (x1, y1)], color.stroke_width(1)))
        .map_err(draw_err)?;
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Circle,
    TriangleUp,
    Square,
    Diamond,
    TriangleDown,
    Cross,
    Plus,
}

/// Seven shapes against sixteen colours: the first 112 series all differ in (colour, shape).
const SHAPES: [Shape; 7] = [
    Shape::Circle,
    Shape::TriangleUp,
    Shape::Square,
    Shape::Diamond,
    Shape::TriangleDown,
    Shape::Cross,
    Shape::Plus,
];

#[derive(Debug, Clone, Copy)]
pub(super) struct Look {
    pub(super) color: RGBColor,
    shape: Shape,
    /// Series 8–15 (and 24–31, …) get white-filled markers.
    hollow: bool,
}

pub(super) fn look(index: usize) -> Look {
    Look {
        color: PALETTE[index % PALETTE.len()],
        shape: SHAPES[index % SHAPES.len()],
        hollow: (index / 8) % 2 == 1,
    }
}

pub(super) fn draw_marker<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    centre: (i32, i32),
    radius: i32,
    lk: Look,
    stroke: u32,
) -> Result<(), ChartError> {
    let (cx, cy) = centre;
    let fill = if lk.hollow {
        WHITE.filled()
    } else {
        lk.color.filled()
    };
    let outline = lk.color.stroke_width(stroke);
    let reach = radius + 1;
    let polygon = match lk.shape {
        Shape::Circle => {
            root.draw(&Circle::new(centre, radius, fill))
                .map_err(draw_err)?;
            return root
                .draw(&Circle::new(centre, radius, outline))
                .map_err(draw_err);
        }
        Shape::Cross | Shape::Plus => {
            let strokes = if lk.shape == Shape::Cross {
                [
                    [(cx - reach, cy - reach), (cx + reach, cy + reach)],
                    [(cx - reach, cy + reach), (cx + reach, cy - reach)],
                ]
            } else {
                [
                    [(cx - reach, cy), (cx + reach, cy)],
                    [(cx, cy - reach), (cx, cy + reach)],
                ]
            };
            let style = lk.color.stroke_width(stroke + 1);
            for line in strokes {
                root.draw(&PathElement::new(line.to_vec(), style))
                    .map_err(draw_err)?;
            }
            return Ok(());
        }
        Shape::TriangleUp => vec![
            (cx, cy - reach),
            (cx + reach, cy + radius),
            (cx - reach, cy + radius),
        ],
        Shape::TriangleDown => vec![
            (cx, cy + reach),
            (cx + reach, cy - radius),
            (cx - reach, cy - radius),
        ],
        Shape::Square => {
            let half = (radius - 1).max(2);
            vec![
                (cx - half, cy - half),
                (cx + half, cy - half),
                (cx + half, cy + half),
                (cx - half, cy + half),
            ]
        }
        Shape::Diamond => vec![
            (cx, cy - reach),
            (cx + reach, cy),
            (cx, cy + reach),
            (cx - reach, cy),
        ],
    };
    root.draw(&Polygon::new(polygon.clone(), fill))
        .map_err(draw_err)?;
    let mut closed = polygon;
    closed.push(closed[0]);
    root.draw(&PathElement::new(closed, outline))
        .map_err(draw_err)
}

/// The thin line of an estimate's middle (P50).
pub(super) fn median_style(color: RGBColor, m: Metrics) -> ShapeStyle {
    color.mix(0.9).stroke_width((m.line_width() / 2).max(2))
}

/// Dots of an estimate's middle line: `(on, off)` px.
pub(super) fn median_dash(m: Metrics) -> (i32, i32) {
    (m.px(0.12).max(2), m.px(0.22).max(3))
}

/// Draws a (possibly dashed) polyline in pixel coordinates.
pub(super) fn draw_path<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    points: Vec<(i32, i32)>,
    style: ShapeStyle,
    dash: Option<(i32, i32)>,
) -> Result<(), ChartError> {
    match dash {
        Some((on, off)) => root.draw(&DashedPathElement::new(points, on, off, style)),
        None => root.draw(&PathElement::new(points, style)),
    }
    .map_err(draw_err)
}
