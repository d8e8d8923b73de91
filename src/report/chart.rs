//! Pure chart exporters: chart data in, SVG or PNG bytes out.
//!
//! Nothing in this module touches the file system, the clock or the environment, and no hash
//! map is iterated, so identical input always gives byte-identical output. Text is rendered with
//! the embedded DejaVu Sans font, registered once under the `"sans-serif"` family, so PNGs render
//! on machines without any system fonts.
//!
//! * [`line_chart`]: one line per provider (for example monthly cost against customers). Ranges
//!   where a value is unknown or unavailable are marked with hatched lanes under the plot, known
//!   lower bounds are dashed, milestones are dashed vertical lines, and the y axis can be
//!   logarithmic (see [`needs_log_scale`]).
//! * [`stacked_bars`]: one stacked bar per provider (for example score points per axis).

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::register_font;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Output image format of the exporters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    /// SVG document as UTF-8 bytes. Text is emitted as `<text font-family="sans-serif">`, so the
    /// viewer's sans-serif font is used.
    Svg,
    /// 8-bit RGB PNG without metadata chunks, rasterised with the embedded DejaVu Sans font.
    Png,
}

/// One provider's line in a [`LineChart`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Series {
    /// Legend label, usually the provider name.
    pub label: String,
    /// `(x, y)` samples in the chart's x and y units (for example customers and USD per
    /// month). `y = None` means unknown or unavailable at that x (contact sales, over a plan
    /// cap): the line breaks there and the x range from the last known sample before to the
    /// first known sample after is marked with a hatched "unknown / unavailable" lane in the
    /// series colour under the plot; it is never drawn as 0. A non-finite `y` counts as `None`;
    /// points with a non-finite `x` are ignored. Points are sorted by x (stable) before drawing,
    /// and magnitudes above 1e30 are clamped.
    pub points: Vec<(f64, Option<f64>)>,
    /// `true` when the known values are only lower bounds ("at least"): the line is dashed and
    /// the legend label gets an " (at least)" suffix.
    pub lower_bound: bool,
    /// Fixed style slot (colour, marker) for this series; `None` uses its position. Give each
    /// provider the same slot in every chart so it looks the same everywhere.
    pub style: Option<usize>,
}

/// A line chart: one [`Series`] per provider against a shared x axis.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineChart {
    /// Title drawn centred at the top.
    pub title: String,
    /// X axis caption including its unit, for example `"Customers"`.
    pub x_label: String,
    /// Y axis caption including its unit, for example `"Monthly cost (USD)"`.
    pub y_label: String,
    /// The lines. Their order fixes colour, marker shape and legend order.
    pub series: Vec<Series>,
    /// Vertical milestone lines as `(x, label)`, x in x-axis units, for example
    /// `(100.0, "100 customers")`. Milestones outside the x range of the data are skipped.
    pub markers: Vec<(f64, String)>,
    /// Use a logarithmic (base 10) y axis. Known values ≤ 0 are clamped to the bottom of the
    /// axis. See [`needs_log_scale`] for a default.
    pub log_y: bool,
}

/// A stacked bar chart: one bar per category, one stacked segment per named part.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StackedBars {
    /// Title drawn centred at the top.
    pub title: String,
    /// Value (y) axis caption including its unit, for example `"Score (points of 100)"`.
    pub y_label: String,
    /// Bar labels (providers), drawn left to right in this order (rank order).
    pub categories: Vec<String>,
    /// Stack segments, bottom-up, as `(axis name, value per category)`. Values are in y-axis
    /// units and expected to be ≥ 0 with a total of up to 100 per category (the y axis always
    /// spans at least 0 to 100). Missing values count as 0, negative or non-finite values are
    /// drawn as 0, and values beyond the number of categories are ignored.
    pub segments: Vec<(String, Vec<f64>)>,
}

/// Why a chart could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The requested image size is outside the supported range.
    #[error(
        "invalid chart size {width}x{height} px: each side must be between {MIN_SIDE} and {MAX_SIDE} px"
    )]
    InvalidSize {
        /// Requested width in pixels.
        width: u32,
        /// Requested height in pixels.
        height: u32,
    },
    /// The embedded font could not be registered with plotters.
    #[error("failed to load the embedded chart font")]
    Font,
    /// plotters reported an error while drawing.
    #[error("failed to draw chart: {0}")]
    Draw(String),
    /// The rendered pixels could not be encoded as PNG.
    #[error("failed to encode png: {0}")]
    Png(String),
}

/// Render a [`LineChart`] as SVG or PNG bytes. `size` is `(width, height)` in pixels; each side
/// must be between 150 and 6000.
pub fn line_chart(
    chart: &LineChart,
    format: ImageFormat,
    size: (u32, u32),
) -> Result<Vec<u8>, ChartError> {
    render(chart, format, size)
}

/// Render [`StackedBars`] as SVG or PNG bytes. `size` is `(width, height)` in pixels; each side
/// must be between 150 and 6000.
pub fn stacked_bars(
    chart: &StackedBars,
    format: ImageFormat,
    size: (u32, u32),
) -> Result<Vec<u8>, ChartError> {
    render(chart, format, size)
}

/// `true` when the known, finite, positive y values of `series` span more than two orders of
/// magnitude (largest / smallest > 100), so a logarithmic y axis reads better.
pub fn needs_log_scale(series: &[Series]) -> bool {
    let mut lo = f64::INFINITY;
    let mut hi = 0.0_f64;
    for y in series
        .iter()
        .flat_map(|s| s.points.iter())
        .filter_map(|p| p.1)
        .filter(|y| y.is_finite() && *y > 0.0)
    {
        lo = lo.min(y);
        hi = hi.max(y);
    }
    lo.is_finite() && hi / lo > 100.0
}

// ---------------------------------------------------------------------------------------------
// Rendering plumbing
// ---------------------------------------------------------------------------------------------

const FONT_FAMILY: &str = "sans-serif";
static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

const MIN_SIDE: u32 = 150;
const MAX_SIDE: u32 = 6000;
/// Larger magnitudes are clamped so that range arithmetic stays finite.
const VALUE_LIMIT: f64 = 1e30;
/// Legend text of the unknown / unavailable marking.
const UNKNOWN_LABEL: &str = "unknown / unavailable";
/// Longest label kept (in chars) before measuring; longer ones are truncated anyway.
const MAX_LABEL_CHARS: usize = 200;

/// Okabe–Ito colours (yellow and black swapped for Tol's wine and olive, which read on white).
const PALETTE: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0x88, 0x22, 0x55),
    RGBColor(0x99, 0x99, 0x33),
];
const TEXT: RGBColor = RGBColor(0x22, 0x22, 0x22);
const AXIS: RGBColor = RGBColor(0x55, 0x55, 0x55);
const GRID: RGBColor = RGBColor(0xDD, 0xDD, 0xDD);
const GRID_LIGHT: RGBColor = RGBColor(0xF0, 0xF0, 0xF0);
const MILESTONE: RGBColor = RGBColor(0x44, 0x44, 0x44);
const UNKNOWN_GREY: RGBColor = RGBColor(0x77, 0x77, 0x77);
const LEGEND_BORDER: RGBColor = RGBColor(0x99, 0x99, 0x99);

/// Something that can draw itself on any plotters backend.
trait Draw {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError>;
}

impl Draw for LineChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        draw_line_chart(root, self)
    }
}

impl Draw for StackedBars {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        draw_stacked_bars(root, self)
    }
}

fn draw_err<E: std::fmt::Display>(e: E) -> ChartError {
    ChartError::Draw(e.to_string())
}

fn ensure_font() -> Result<(), ChartError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED
        .get_or_init(|| register_font(FONT_FAMILY, FontStyle::Normal, FONT_BYTES).is_ok());
    if ok { Ok(()) } else { Err(ChartError::Font) }
}

fn render<D: Draw>(
    chart: &D,
    format: ImageFormat,
    (width, height): (u32, u32),
) -> Result<Vec<u8>, ChartError> {
    if !(MIN_SIDE..=MAX_SIDE).contains(&width) || !(MIN_SIDE..=MAX_SIDE).contains(&height) {
        return Err(ChartError::InvalidSize { width, height });
    }
    ensure_font()?;
    match format {
        ImageFormat::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
                chart.draw(&root)?;
                root.present().map_err(draw_err)?;
            }
            Ok(svg.into_bytes())
        }
        ImageFormat::Png => {
            let mut rgb = vec![0_u8; width as usize * height as usize * 3];
            {
                let root =
                    BitMapBackend::with_buffer(&mut rgb, (width, height)).into_drawing_area();
                chart.draw(&root)?;
                root.present().map_err(draw_err)?;
            }
            encode_png(&rgb, width, height)
        }
    }
}

fn encode_png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, ChartError> {
    let png_err = |e: png::EncodingError| ChartError::Png(e.to_string());
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    // Charts are large flat areas: no row filter with zlib's default level gives the smallest
    // files here and is the fastest of the small options (measured: ~9 ms, ~47 KB per chart).
    encoder.set_compression(png::Compression::Default);
    encoder.set_filter(png::FilterType::NoFilter);
    encoder.set_adaptive_filter(png::AdaptiveFilterType::NonAdaptive);
    let mut writer = encoder.write_header().map_err(png_err)?;
    writer.write_image_data(rgb).map_err(png_err)?;
    writer.finish().map_err(png_err)?;
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Shared layout helpers
// ---------------------------------------------------------------------------------------------

/// Size-dependent metrics: everything scales with `unit` (roughly a label font size in px).
#[derive(Debug, Clone, Copy)]
struct Metrics {
    width: i32,
    height: i32,
    unit: f64,
}

impl Metrics {
    fn new((width, height): (u32, u32)) -> Self {
        let base = f64::from(width).min(f64::from(height) * 1.3);
        Self {
            width: i32::try_from(width).unwrap_or(i32::MAX),
            height: i32::try_from(height).unwrap_or(i32::MAX),
            unit: (base / 38.0).clamp(10.0, 60.0),
        }
    }

    /// `k` units in whole pixels.
    fn px(self, k: f64) -> i32 {
        (self.unit * k).round() as i32
    }

    /// Text style of `k` units, dark text, anchored top-left.
    fn font(self, k: f64) -> TextStyle<'static> {
        let mut style = TextStyle::from((FONT_FAMILY, self.unit * k).into_font());
        style.color = TEXT.to_backend_color();
        style
    }

    fn line_width(self) -> u32 {
        (self.unit / 7.0).round().max(2.0) as u32
    }

    fn marker_radius(self) -> i32 {
        (self.unit * 0.3).round().max(3.0) as i32
    }
}

fn anchored(style: &TextStyle<'static>, h: HPos, v: VPos) -> TextStyle<'static> {
    style.pos(Pos::new(h, v))
}

/// Label text made safe for XML and the layout: control chars become spaces, length is capped.
fn clean(text: &str) -> String {
    text.chars()
        .take(MAX_LABEL_CHARS)
        .map(|c| {
            if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' {
                ' '
            } else {
                c
            }
        })
        .collect::<String>()
        .trim()
        .to_owned()
}

fn text_size<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
) -> Result<(i32, i32), ChartError> {
    if text.is_empty() {
        return Ok((0, 0));
    }
    let (w, h) = area.estimate_text_size(text, style).map_err(draw_err)?;
    Ok((
        i32::try_from(w).unwrap_or(i32::MAX),
        i32::try_from(h).unwrap_or(i32::MAX),
    ))
}

/// `text` shortened with a trailing "…" so that it is at most `max_w` px wide.
fn fit_text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    max_w: i32,
) -> Result<String, ChartError> {
    if text_size(area, text, style)?.0 <= max_w {
        return Ok(text.to_owned());
    }
    let chars: Vec<char> = text.chars().collect();
    let shortened = |n: usize| {
        let mut s: String = chars[..n].iter().collect::<String>().trim_end().to_owned();
        s.push('…');
        s
    };
    let (mut lo, mut hi) = (0_usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if text_size(area, &shortened(mid), style)?.0 <= max_w {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    Ok(if lo == 0 {
        String::new()
    } else {
        shortened(lo)
    })
}

/// Draws the title (if any) and returns the y pixel where the content below it starts.
fn draw_title<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    m: Metrics,
) -> Result<i32, ChartError> {
    let title = clean(title);
    let top = m.px(0.6);
    if title.is_empty() {
        return Ok(top);
    }
    let style = anchored(&m.font(1.3), HPos::Center, VPos::Top);
    let text = fit_text(root, &title, &style, m.width - 2 * m.px(1.0))?;
    let (_, h) = text_size(root, &title, &style)?;
    root.draw(&Text::new(text, (m.width / 2, top), style))
        .map_err(draw_err)?;
    Ok(top + h + m.px(0.7))
}

/// Fills `(x0, y0)..(x1, y1)` with a light tint of `color` and diagonal hatching.
fn draw_hatched<DB: DrawingBackend>(
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

// ---------------------------------------------------------------------------------------------
// Number formatting
// ---------------------------------------------------------------------------------------------

/// Formats `v` with at most `decimals` decimals (trailing zeros trimmed) and thousands
/// separators ("12,500"). Magnitudes from 1e9 use B / T suffixes, from 1e15 scientific notation.
fn format_number(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let magnitude = v.abs();
    if magnitude >= 1e15 {
        let sci = format!("{v:.2e}");
        return match sci.split_once('e') {
            Some((mantissa, exp)) => format!("{}e{exp}", trim_zeros(mantissa)),
            None => sci,
        };
    }
    if magnitude >= 1e12 {
        return format!("{}T", trim_zeros(&format!("{:.2}", v / 1e12)));
    }
    if magnitude >= 1e9 {
        return format!("{}B", trim_zeros(&format!("{:.2}", v / 1e9)));
    }
    let fixed = trim_zeros(&format!("{:.*}", decimals.min(8), v));
    let (sign, digits) = match fixed.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", fixed.as_str()),
    };
    let (int, frac) = match digits.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (digits, None),
    };
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (pos, digit) in int.chars().enumerate() {
        if pos > 0 && (int.len() - pos) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let sign = if grouped.chars().all(|c| c == '0' || c == ',') && frac.is_none() {
        ""
    } else {
        sign
    };
    match frac {
        Some(fraction) => format!("{sign}{grouped}.{fraction}"),
        None => format!("{sign}{grouped}"),
    }
}

fn trim_zeros(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s.to_owned()
    }
}

/// Decimals needed to tell ticks `step` apart.
fn decimals_for_step(step: f64) -> usize {
    if !step.is_finite() || step <= 0.0 || step >= 1.0 {
        0
    } else {
        ((-step.log10()).ceil() as usize + 1).min(8)
    }
}

/// Decimals for a tick on a log axis: enough to show the leading digit of `v`.
fn log_decimals(v: f64) -> usize {
    if !v.is_finite() || v <= 0.0 || v >= 1.0 {
        0
    } else {
        ((-v.log10()).ceil() as usize).min(8)
    }
}

// ---------------------------------------------------------------------------------------------
// Series look and legend
// ---------------------------------------------------------------------------------------------

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

/// Seven shapes against eight colours: the first 56 series all differ in (colour, shape).
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
struct Look {
    color: RGBColor,
    shape: Shape,
    /// Series 8–15 (and 24–31, …) get white-filled markers.
    hollow: bool,
}

fn look(index: usize) -> Look {
    Look {
        color: PALETTE[index % PALETTE.len()],
        shape: SHAPES[index % SHAPES.len()],
        hollow: (index / PALETTE.len()) % 2 == 1,
    }
}

fn draw_marker<DB: DrawingBackend>(
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

/// Draws a (possibly dashed) polyline in pixel coordinates.
fn draw_path<DB: DrawingBackend>(
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

#[derive(Debug, Clone)]
enum Glyph {
    /// A series line with its marker; `true` when dashed.
    Line(Look, bool),
    /// The hatched unknown / unavailable marking.
    Hatch(RGBColor),
    /// A filled square.
    Swatch(RGBColor),
}

#[derive(Debug, Clone)]
struct LegendEntry {
    label: String,
    glyph: Glyph,
}

/// A legend fitted into a box.
#[derive(Clone)]
struct Legend {
    style: TextStyle<'static>,
    rows: Vec<(String, Option<Glyph>)>,
    row_h: i32,
    glyph_w: i32,
    pad: i32,
    width: i32,
    height: i32,
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
        let row_h = (m.unit * k * 1.5).round() as i32;
        if entries.len() as f64 * f64::from(row_h) + f64::from(2 * pad) <= f64::from(max_h)
            || k <= 0.65
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
            Some(e.glyph.clone()),
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

fn draw_legend<DB: DrawingBackend>(
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
        match glyph {
            Some(Glyph::Line(lk, dashed)) => {
                let style = lk.color.stroke_width(m.line_width());
                let dash = dashed.then(|| (m.px(0.5), m.px(0.3)));
                draw_path(root, vec![(gx, cy), (gx + legend.glyph_w, cy)], style, dash)?;
                draw_marker(
                    root,
                    (gx + legend.glyph_w / 2, cy),
                    m.marker_radius(),
                    *lk,
                    m.line_width().min(2),
                )?;
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

// ---------------------------------------------------------------------------------------------
// Line chart
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct PreparedSeries {
    label: String,
    look: Look,
    dashed: bool,
    /// Runs of consecutive known points in data coordinates (y already clamped for log axes).
    segments: Vec<Vec<(f64, f64)>>,
    /// Points that get a marker.
    markers: Vec<(f64, f64)>,
    /// Unknown x ranges `(from, to)` between the neighbouring known samples; `from == to` for a
    /// lone unknown sample.
    unknown: Vec<(f64, f64)>,
}

#[derive(Debug, Clone)]
struct PreparedLine {
    series: Vec<PreparedSeries>,
    x: (f64, f64),
    y: (f64, f64),
    log: bool,
    milestones: Vec<(f64, String)>,
    any_known: bool,
}

fn clamp_value(v: f64) -> f64 {
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

fn prepare_line(chart: &LineChart) -> PreparedLine {
    let cleaned: Vec<Vec<(f64, Option<f64>)>> = chart
        .series
        .iter()
        .map(|s| {
            let mut points: Vec<(f64, Option<f64>)> = s
                .points
                .iter()
                .filter(|(x, _)| x.is_finite())
                .map(|&(x, y)| (clamp_value(x), y.filter(|v| v.is_finite()).map(clamp_value)))
                .collect();
            points.sort_by(|a, b| a.0.total_cmp(&b.0));
            points
        })
        .collect();

    let x = x_range(cleaned.iter().flatten().map(|p| p.0));
    let known: Vec<f64> = cleaned.iter().flatten().filter_map(|p| p.1).collect();
    let milestones: Vec<(f64, String)> = chart
        .markers
        .iter()
        .filter(|(mx, _)| mx.is_finite() && *mx >= x.0 && *mx <= x.1)
        .map(|(mx, label)| (*mx, clean(label)))
        .collect();
    let headroom = if milestones.is_empty() { 0.05 } else { 0.14 };
    let y = if chart.log_y {
        log_y_range(&known)
    } else {
        linear_y_range(&known, headroom)
    };
    let fix_y = |v: f64| if chart.log_y { v.max(y.0) } else { v };

    let series = chart
        .series
        .iter()
        .zip(&cleaned)
        .enumerate()
        .map(|(index, (s, points))| {
            let n_known = points.iter().filter(|p| p.1.is_some()).count();
            let every = n_known.div_ceil(10).max(1);
            let offset = index % every;
            let mut segments = Vec::new();
            let mut markers = Vec::new();
            let mut unknown = Vec::new();
            let mut k = 0_usize;
            let mut i = 0_usize;
            while i < points.len() {
                let start = i;
                if points[i].1.is_none() {
                    while i < points.len() && points[i].1.is_none() {
                        i += 1;
                    }
                    // The band spans everything the line does not: from the last known x
                    // before the run to the first known x after it (or the run's own ends).
                    let from = points[start.saturating_sub(1)].0;
                    let to = points[i.min(points.len() - 1)].0;
                    unknown.push((from, to));
                } else {
                    let mut segment = Vec::new();
                    while let Some(&(px, Some(py))) = points.get(i) {
                        segment.push((px, fix_y(py)));
                        i += 1;
                    }
                    let len = segment.len();
                    for (j, p) in segment.iter().enumerate() {
                        let at_gap = (j == 0 && start > 0) || (j + 1 == len && i < points.len());
                        if k % every == offset || len == 1 || at_gap {
                            markers.push(*p);
                        }
                        k += 1;
                    }
                    segments.push(segment);
                }
            }
            let mut label = clean(&s.label);
            if s.lower_bound {
                label.push_str(" (at least)");
            }
            PreparedSeries {
                label,
                look: look(s.style.unwrap_or(index)),
                dashed: s.lower_bound,
                segments,
                markers,
                unknown,
            }
        })
        .collect();

    PreparedLine {
        series,
        x,
        y,
        log: chart.log_y,
        milestones,
        any_known: !known.is_empty(),
    }
}

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

fn draw_line_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &LineChart,
) -> Result<(), ChartError> {
    let m = Metrics::new(root.dim_in_pixel());
    root.fill(&WHITE).map_err(draw_err)?;
    let prep = prepare_line(chart);
    let top = draw_title(root, &chart.title, m)?;

    // Legend on the right, outside the plot, so it never hides data.
    let mut entries: Vec<LegendEntry> = prep
        .series
        .iter()
        .map(|s| LegendEntry {
            label: s.label.clone(),
            glyph: Glyph::Line(s.look, s.dashed),
        })
        .collect();
    let lanes: Vec<&PreparedSeries> = prep
        .series
        .iter()
        .filter(|s| !s.unknown.is_empty())
        .collect();
    if !lanes.is_empty() {
        entries.push(LegendEntry {
            label: UNKNOWN_LABEL.to_owned(),
            glyph: Glyph::Hatch(UNKNOWN_GREY),
        });
    }
    let margin_right = m.px(0.8);
    let legend = layout_legend(
        root,
        &entries,
        m,
        (f64::from(m.width) * 0.34) as i32,
        m.height - top - m.px(0.8),
    )?;
    let plot_w = m.width - legend.as_ref().map_or(0, |l| l.width + margin_right);

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
        margin_right,
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

    // Lines, then markers on top.
    for s in &prep.series {
        for segment in s.segments.iter().filter(|seg| seg.len() > 1) {
            let pts: Vec<(i32, i32)> = segment.iter().map(|p| to_px(*p)).collect();
            let dash = s.dashed.then(|| (m.px(0.7), m.px(0.4)));
            draw_path(root, pts, s.look.color.stroke_width(line_w), dash)?;
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

// ---------------------------------------------------------------------------------------------
// Stacked bars
// ---------------------------------------------------------------------------------------------

/// How category labels are laid out under the bars.
struct CategoryLabels {
    /// Lines per category.
    lines: Vec<Vec<String>>,
    /// Odd categories are drawn one tier lower (with a leader line).
    tiered: bool,
    style: TextStyle<'static>,
}

/// Category labels under the bars. Tries, in order: up to two lines per label, one line per
/// label on two alternating tiers, then the same with a smaller font; keeps the first layout
/// that truncates nothing, else the one that truncates the fewest labels.
fn layout_category_labels<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    labels: &[String],
    m: Metrics,
    slot_w: i32,
) -> Result<CategoryLabels, ChartError> {
    let mut best: Option<(usize, CategoryLabels)> = None;
    for k in [0.85, 0.72] {
        let style = anchored(&m.font(k), HPos::Center, VPos::Top);
        for tiered in [false, true] {
            if tiered && labels.len() < 2 {
                continue;
            }
            let mut lines = Vec::with_capacity(labels.len());
            let mut cut = 0;
            for label in labels {
                if tiered {
                    let line = fit_text(root, label, &style, slot_w * 2 - slot_w / 4)?;
                    cut += usize::from(line != *label);
                    lines.push(vec![line]);
                } else {
                    let (wrapped, was_cut) = wrap_two_lines(root, label, &style, slot_w)?;
                    cut += usize::from(was_cut);
                    lines.push(wrapped);
                }
            }
            let candidate = CategoryLabels {
                lines,
                tiered,
                style: style.clone(),
            };
            if cut == 0 {
                return Ok(candidate);
            }
            if best.as_ref().is_none_or(|(c, _)| cut < *c) {
                best = Some((cut, candidate));
            }
        }
    }
    Ok(best.map_or_else(
        || CategoryLabels {
            lines: Vec::new(),
            tiered: false,
            style: anchored(&m.font(0.85), HPos::Center, VPos::Top),
        },
        |(_, c)| c,
    ))
}

/// Greedy word wrap into at most two lines of `max_w` px; `true` when something was cut.
fn wrap_two_lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    label: &str,
    style: &TextStyle,
    max_w: i32,
) -> Result<(Vec<String>, bool), ChartError> {
    if text_size(root, label, style)?.0 <= max_w {
        return Ok((vec![label.to_owned()], false));
    }
    let words: Vec<&str> = label.split_whitespace().collect();
    let mut first = String::new();
    let mut used = 0;
    for (i, word) in words.iter().enumerate() {
        let candidate = if first.is_empty() {
            (*word).to_owned()
        } else {
            format!("{first} {word}")
        };
        if text_size(root, &candidate, style)?.0 <= max_w {
            first = candidate;
            used = i + 1;
        } else {
            break;
        }
    }
    if used == 0 {
        let line = fit_text(root, label, style, max_w)?;
        return Ok((vec![line], true));
    }
    let rest = words[used..].join(" ");
    let second = fit_text(root, &rest, style, max_w)?;
    let cut = second != rest;
    Ok((vec![first, second], cut))
}

fn draw_stacked_bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &StackedBars,
) -> Result<(), ChartError> {
    let m = Metrics::new(root.dim_in_pixel());
    root.fill(&WHITE).map_err(draw_err)?;
    let top = draw_title(root, &chart.title, m)?;

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
    let y_max = max_total.max(100.0) * 1.08;

    // Legend: top of the stack first, so it reads in the same order as the bars.
    let entries: Vec<LegendEntry> = chart
        .segments
        .iter()
        .enumerate()
        .rev()
        .map(|(j, (name, _))| LegendEntry {
            label: clean(name),
            glyph: Glyph::Swatch(PALETTE[j % PALETTE.len()]),
        })
        .collect();
    let margin_right = m.px(0.8);
    let legend = layout_legend(
        root,
        &entries,
        m,
        (f64::from(m.width) * 0.34) as i32,
        m.height - top - m.px(0.8),
    )?;
    let plot_w = m.width - legend.as_ref().map_or(0, |l| l.width + margin_right);

    let tick_style = m.font(0.85);
    let desc_style = m.font(1.0);
    let (_, desc_h) = text_size(root, "Xg", &desc_style)?;
    let y_label = clean(&chart.y_label);
    let mut y_tick_w = 0;
    for v in [0.0, y_max] {
        y_tick_w = y_tick_w.max(text_size(root, &format_number(v, 0), &tick_style)?.0);
    }
    let y_area = y_tick_w
        + 10
        + m.px(0.5)
        + if y_label.is_empty() {
            0
        } else {
            desc_h + m.px(0.4)
        };
    let margin_left = m.px(0.4);
    let n_slots = i32::try_from(n_cat.max(1)).unwrap_or(i32::MAX);
    let slot_w = ((plot_w - y_area - margin_left - margin_right) / n_slots).max(1);
    let cats = layout_category_labels(root, &categories, m, slot_w - m.px(0.3))?;
    let (_, cat_h) = text_size(root, "Xg", &cats.style)?;
    let line_gap = cat_h + m.px(0.25);
    let label_rows = if cats.tiered {
        2
    } else {
        cats.lines.iter().map(Vec::len).max().unwrap_or(1).max(1)
    };
    let x_area = m.px(0.5) + i32::try_from(label_rows).unwrap_or(2) * line_gap + m.px(0.3);

    let area = root.clone().shrink(
        (0, top),
        (
            u32::try_from(plot_w.max(1)).unwrap_or(1),
            u32::try_from((m.height - top).max(1)).unwrap_or(1),
        ),
    );
    let y_ticks = usize::try_from((m.height - top - x_area) / m.px(2.4).max(1))
        .unwrap_or(2)
        .clamp(2, 10);
    let y_fmt = |v: &f64| format_number(*v, decimals_for_step(y_max / y_ticks as f64));
    let mut ctx = ChartBuilder::on(&area)
        .margin_left(margin_left)
        .margin_right(margin_right)
        .margin_top(m.px(0.3))
        .x_label_area_size(x_area)
        .y_label_area_size(y_area)
        .build_cartesian_2d(0.0..n_cat.max(1) as f64, 0.0..y_max)
        .map_err(draw_err)?;
    {
        let mut mesh = ctx.configure_mesh();
        mesh.disable_x_mesh()
            .x_labels(0)
            .y_labels(y_ticks)
            .max_light_lines(1)
            .y_label_formatter(&y_fmt)
            .label_style(tick_style)
            .axis_desc_style(desc_style)
            .bold_line_style(GRID.stroke_width(1))
            .light_line_style(GRID_LIGHT.stroke_width(1))
            .axis_style(AXIS.stroke_width(1));
        if !y_label.is_empty() {
            mesh.y_desc(y_label.as_str());
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

    let value_style = anchored(&m.font(0.75), HPos::Center, VPos::Center);
    let (_, value_h) = text_size(root, "0,9", &value_style)?;
    for (i, total) in totals.iter().enumerate() {
        let (left, right) = (i as f64 + 0.18, i as f64 + 0.82);
        let mut bottom = 0.0;
        for (j, seg) in chart.segments.iter().enumerate() {
            let v = value(seg, i);
            if v <= 0.0 {
                continue;
            }
            let color = PALETTE[j % PALETTE.len()];
            let (x0, y0) = to_px((left, bottom + v));
            let (x1, y1) = to_px((right, bottom));
            root.draw(&Rectangle::new([(x0, y0), (x1, y1)], color.filled()))
                .map_err(draw_err)?;
            root.draw(&PathElement::new(
                vec![(x0, y1), (x1, y1)],
                WHITE.stroke_width(1),
            ))
            .map_err(draw_err)?;
            let text = format_number(v, 1);
            let (tw, _) = text_size(root, &text, &value_style)?;
            if y1 - y0 >= value_h + 3 && x1 - x0 >= tw + 4 {
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
            bottom += v;
        }
        let (cx, ty) = to_px((i as f64 + 0.5, *total));
        let total_style = anchored(&m.font(0.8), HPos::Center, VPos::Bottom);
        root.draw(&Text::new(
            format_number(*total, 1),
            (cx, ty - m.px(0.2)),
            total_style,
        ))
        .map_err(draw_err)?;
        let tier = if cats.tiered {
            i32::try_from(i % 2).unwrap_or(0)
        } else {
            0
        };
        let label_top = yr.end + m.px(0.5);
        if tier > 0 {
            root.draw(&PathElement::new(
                vec![(cx, yr.end + 2), (cx, label_top + line_gap - 2)],
                LEGEND_BORDER.stroke_width(1),
            ))
            .map_err(draw_err)?;
        }
        for (l, line) in cats.lines.get(i).into_iter().flatten().enumerate() {
            let ly = label_top + (tier + i32::try_from(l).unwrap_or(0)) * line_gap;
            root.draw(&Text::new(line.clone(), (cx, ly), cats.style.clone()))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn cost_chart() -> LineChart {
        let xs = [1.0, 10.0, 50.0, 100.0, 250.0, 500.0, 1000.0, 2500.0, 5000.0];
        LineChart {
            title: "Projected monthly cost".to_owned(),
            x_label: "Customers".to_owned(),
            y_label: "Monthly cost (USD)".to_owned(),
            series: vec![
                Series {
                    label: "Acme SSO".to_owned(),
                    points: xs.iter().map(|&x| (x, Some(125.0 * x))).collect(),
                    style: None,
                    lower_bound: false,
                },
                Series {
                    style: None,
                    label: "DirSync & Co <beta>".to_owned(),
                    points: xs
                        .iter()
                        .map(|&x| {
                            (
                                x,
                                if x > 1000.0 {
                                    None
                                } else {
                                    Some(500.0 + 40.0 * x)
                                },
                            )
                        })
                        .collect(),
                    lower_bound: false,
                },
                Series {
                    label: "Enterprise Ltd".to_owned(),
                    points: xs.iter().map(|&x| (x, Some(2000.0 + 10.0 * x))).collect(),
                    style: None,
                    lower_bound: true,
                },
            ],
            markers: vec![(100.0, "100 customers".to_owned())],
            log_y: false,
        }
    }

    fn bars() -> StackedBars {
        StackedBars {
            title: "Score breakdown".to_owned(),
            y_label: "Score (points of 100)".to_owned(),
            categories: vec!["Acme SSO".into(), "DirSync".into(), "Enterprise Ltd".into()],
            segments: vec![
                ("Protocol".into(), vec![30.0, 25.0, 20.0]),
                ("Cost".into(), vec![20.0, 30.0, 10.0]),
                ("Support".into(), vec![15.0, 10.0, 25.0]),
            ],
        }
    }

    fn svg_text(bytes: &[u8]) -> String {
        let text = String::from_utf8(bytes.to_vec()).expect("svg is utf-8");
        roxmltree::Document::parse(&text).expect("svg is well-formed xml");
        text
    }

    fn png_dims(bytes: &[u8]) -> (u32, u32) {
        let decoder = png::Decoder::new(bytes);
        let mut reader = decoder.read_info().expect("png header decodes");
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).expect("png frame decodes");
        (info.width, info.height)
    }

    #[test]
    fn line_svg_is_xml_with_title_legend_and_unknown_marking() {
        let svg = svg_text(&line_chart(&cost_chart(), ImageFormat::Svg, (900, 560)).unwrap());
        assert!(svg.contains("Projected monthly cost"));
        assert!(svg.contains("Acme SSO"));
        assert!(svg.contains("DirSync &amp; Co &lt;beta&gt;"));
        assert!(svg.contains("Enterprise Ltd (at least)"));
        assert!(svg.contains(UNKNOWN_LABEL));
        assert!(svg.contains("100 customers"));
        assert!(svg.contains("Monthly cost (USD)"));
    }

    #[test]
    fn unknown_marking_only_when_values_are_missing() {
        let mut chart = cost_chart();
        chart.series.remove(1);
        let svg = svg_text(&line_chart(&chart, ImageFormat::Svg, (900, 560)).unwrap());
        assert!(!svg.contains(UNKNOWN_LABEL));
    }

    #[test]
    fn money_ticks_have_thousands_separators() {
        let svg = svg_text(&line_chart(&cost_chart(), ImageFormat::Svg, (900, 560)).unwrap());
        assert!(svg.contains("500,000") || svg.contains("600,000"), "{svg}");
    }

    #[test]
    fn png_decodes_with_requested_size() {
        let png = line_chart(&cost_chart(), ImageFormat::Png, (640, 400)).unwrap();
        assert_eq!(png_dims(&png), (640, 400));
        let png = stacked_bars(&bars(), ImageFormat::Png, (500, 300)).unwrap();
        assert_eq!(png_dims(&png), (500, 300));
    }

    #[test]
    fn output_is_deterministic() {
        let mut chart = cost_chart();
        for format in [ImageFormat::Svg, ImageFormat::Png] {
            assert_eq!(
                line_chart(&chart, format, (700, 450)).unwrap(),
                line_chart(&chart, format, (700, 450)).unwrap()
            );
            assert_eq!(
                stacked_bars(&bars(), format, (700, 450)).unwrap(),
                stacked_bars(&bars(), format, (700, 450)).unwrap()
            );
        }
        chart.log_y = true;
        assert_eq!(
            line_chart(&chart, ImageFormat::Png, (700, 450)).unwrap(),
            line_chart(&chart, ImageFormat::Png, (700, 450)).unwrap()
        );
    }

    #[test]
    fn degenerate_line_inputs_do_not_panic() {
        let base = LineChart {
            title: String::new(),
            x_label: String::new(),
            y_label: String::new(),
            series: vec![],
            markers: vec![(f64::NAN, "nan".into()), (5.0, String::new())],
            log_y: false,
        };
        let one = |points: Vec<(f64, Option<f64>)>| Series {
            label: "s".into(),
            points,
            style: None,
            lower_bound: true,
        };
        let cases = vec![
            vec![],
            vec![one(vec![])],
            vec![one(vec![(1.0, None), (2.0, None)])],
            vec![one(vec![(3.0, Some(7.0))])],
            vec![one(vec![(3.0, None)])],
            vec![one(vec![(0.0, Some(0.0)), (1.0, Some(0.0))])],
            vec![one(vec![
                (5.0, Some(1e15)),
                (5.0, Some(-1e15)),
                (5.0, None),
            ])],
            vec![one(vec![
                (f64::NAN, Some(1.0)),
                (1.0, Some(f64::INFINITY)),
                (2.0, Some(f64::NAN)),
            ])],
            vec![one(vec![(-1e300, Some(1e300)), (1e300, Some(-1e-300))])],
            vec![one(vec![
                (1.0, Some(-5.0)),
                (2.0, Some(0.0)),
                (3.0, Some(1e-12)),
            ])],
        ];
        for series in cases {
            for log_y in [false, true] {
                let chart = LineChart {
                    series: series.clone(),
                    log_y,
                    ..base.clone()
                };
                for format in [ImageFormat::Svg, ImageFormat::Png] {
                    let out = line_chart(&chart, format, (300, 200)).unwrap();
                    assert!(!out.is_empty());
                }
                svg_text(&line_chart(&chart, ImageFormat::Svg, (900, 600)).unwrap());
            }
        }
    }

    #[test]
    fn extreme_layouts_do_not_panic() {
        let long = "W".repeat(300);
        let gappy = |i: u32| Series {
            style: None,
            label: format!("{long}{i}"),
            points: (0..30)
                .map(|x| {
                    let x = 123_456_789.0 + f64::from(x) / 64.0;
                    (x, (x.fract() > 0.3).then_some(f64::from(i) * 1e-7))
                })
                .collect(),
            lower_bound: i.is_multiple_of(2),
        };
        let chart = LineChart {
            title: long.clone(),
            x_label: long.clone(),
            y_label: long.clone(),
            series: (0..60).map(gappy).collect(),
            markers: (0..40)
                .map(|i| (123_456_789.0 + f64::from(i) / 80.0, long.clone()))
                .collect(),
            log_y: false,
        };
        for log_y in [false, true] {
            let chart = LineChart {
                log_y,
                ..chart.clone()
            };
            for size in [(200, 200), (200, 150), (6000, 200), (200, 6000)] {
                svg_text(&line_chart(&chart, ImageFormat::Svg, size).unwrap());
            }
            assert_eq!(
                png_dims(&line_chart(&chart, ImageFormat::Png, (200, 150)).unwrap()),
                (200, 150)
            );
        }
        let bars = StackedBars {
            title: long.clone(),
            y_label: long.clone(),
            categories: (0..80).map(|i| format!("{long} {i}")).collect(),
            segments: (0..20)
                .map(|j| (format!("{long}{j}"), vec![5.0; 80]))
                .collect(),
        };
        for size in [(200, 150), (6000, 200), (200, 6000)] {
            svg_text(&stacked_bars(&bars, ImageFormat::Svg, size).unwrap());
        }
        assert_eq!(
            png_dims(&stacked_bars(&bars, ImageFormat::Png, (200, 150)).unwrap()),
            (200, 150)
        );
    }

    fn any_value() -> impl proptest::strategy::Strategy<Value = f64> {
        use proptest::prelude::*;
        prop_oneof![
            -1e6..1e6_f64,
            Just(0.0),
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(-1e300),
            Just(1e15),
            Just(1e-300),
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        #[test]
        fn random_line_charts_render(
            raw in proptest::collection::vec(
                proptest::collection::vec((any_value(), proptest::option::of(any_value())), 0..12),
                0..5,
            ),
            markers in proptest::collection::vec(any_value(), 0..4),
            log_y: bool,
        ) {
            let chart = LineChart {
                title: "fuzz".into(),
                series: raw
                    .into_iter()
                    .enumerate()
                    .map(|(i, points)| Series { label: format!("s{i}"), points, lower_bound: i == 1, style: None })
                    .collect(),
                markers: markers.into_iter().map(|x| (x, "m".to_owned())).collect(),
                log_y,
                ..LineChart::default()
            };
            let svg = line_chart(&chart, ImageFormat::Svg, (420, 300)).unwrap();
            svg_text(&svg);
        }

        #[test]
        fn random_bars_render(
            cats in 0..6_usize,
            segs in proptest::collection::vec(proptest::collection::vec(any_value(), 0..7), 0..5),
        ) {
            let chart = StackedBars {
                categories: (0..cats).map(|i| format!("c{i}")).collect(),
                segments: segs.into_iter().enumerate().map(|(j, v)| (format!("a{j}"), v)).collect(),
                ..StackedBars::default()
            };
            svg_text(&stacked_bars(&chart, ImageFormat::Svg, (420, 300)).unwrap());
        }
    }

    #[test]
    fn all_unknown_series_is_marked() {
        let chart = LineChart {
            series: vec![Series {
                label: "Mystery".into(),
                points: vec![(1.0, None), (2.0, None)],
                style: None,
                lower_bound: false,
            }],
            ..LineChart::default()
        };
        let svg = svg_text(&line_chart(&chart, ImageFormat::Svg, (600, 400)).unwrap());
        assert!(svg.contains(UNKNOWN_LABEL));
        assert!(svg.contains("no known values"));
    }

    #[test]
    fn sixteen_series_and_long_labels_render() {
        let series = (0..16)
            .map(|i| Series {
                style: None,
                label: format!("Provider number {i} with a very long marketing name indeed"),
                points: (0..40)
                    .map(|x| (f64::from(x) * 25.0, Some(f64::from(i * 100 + x * (i + 1)))))
                    .collect(),
                lower_bound: i % 5 == 0,
            })
            .collect();
        let chart = LineChart {
            series,
            title: "t".repeat(500),
            ..cost_chart()
        };
        svg_text(&line_chart(&chart, ImageFormat::Svg, (900, 560)).unwrap());
        let png = line_chart(&chart, ImageFormat::Png, (200, 200)).unwrap();
        assert_eq!(png_dims(&png), (200, 200));
    }

    #[test]
    fn stacked_bars_svg_and_degenerate_inputs() {
        let svg = svg_text(&stacked_bars(&bars(), ImageFormat::Svg, (800, 500)).unwrap());
        for text in [
            "Score breakdown",
            "Protocol",
            "Cost",
            "Support",
            "Enterprise Ltd",
            "65",
        ] {
            assert!(svg.contains(text), "missing {text}");
        }
        let cases = vec![
            StackedBars::default(),
            StackedBars {
                categories: vec!["a".into()],
                ..StackedBars::default()
            },
            StackedBars {
                segments: vec![("x".into(), vec![1.0])],
                ..StackedBars::default()
            },
            StackedBars {
                categories: vec!["a".into(), "b\u{0}c".into()],
                segments: vec![
                    ("x".into(), vec![f64::NAN, -3.0, 7.0]),
                    ("y".into(), vec![1e15]),
                ],
                ..StackedBars::default()
            },
        ];
        for chart in cases {
            for format in [ImageFormat::Svg, ImageFormat::Png] {
                assert!(!stacked_bars(&chart, format, (250, 200)).unwrap().is_empty());
            }
            svg_text(&stacked_bars(&chart, ImageFormat::Svg, (250, 200)).unwrap());
        }
    }

    #[test]
    fn invalid_sizes_are_clean_errors() {
        for size in [(0, 0), (10, 500), (500, 100_000)] {
            let err = line_chart(&cost_chart(), ImageFormat::Png, size).unwrap_err();
            assert!(matches!(err, ChartError::InvalidSize { .. }));
            assert!(err.to_string().starts_with("invalid chart size"));
        }
    }

    #[test]
    fn log_scale_detection() {
        let s = |ys: &[f64]| Series {
            label: String::new(),
            points: ys
                .iter()
                .enumerate()
                .map(|(i, y)| (i as f64, Some(*y)))
                .collect(),
            style: None,
            lower_bound: false,
        };
        assert!(!needs_log_scale(&[]));
        assert!(!needs_log_scale(&[s(&[10.0, 900.0])]));
        assert!(needs_log_scale(&[s(&[10.0]), s(&[0.0, 5000.0])]));
        assert!(!needs_log_scale(&[s(&[0.0, -1e9, 3.0])]));
    }

    #[test]
    fn number_formatting() {
        assert_eq!(format_number(12_500.0, 0), "12,500");
        assert_eq!(format_number(-1_234_567.891, 2), "-1,234,567.89");
        assert_eq!(format_number(0.25, 2), "0.25");
        assert_eq!(format_number(-0.0001, 2), "0");
        assert_eq!(format_number(100.0, 0), "100");
        assert_eq!(format_number(2.5e9, 0), "2.5B");
        assert_eq!(format_number(3e12, 0), "3T");
        assert_eq!(format_number(1.5e15, 0), "1.5e15");
        assert_eq!(format_number(f64::NAN, 0), "");
        assert_eq!(decimals_for_step(1000.0), 0);
        assert_eq!(decimals_for_step(0.25), 2);
    }
}
