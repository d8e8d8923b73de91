//! Pure chart exporters: chart data in, SVG or PNG bytes out.
//!
//! Nothing in this module touches the file system, the clock or the environment, and no hash
//! map is iterated, so identical input always gives byte-identical output. Text is rendered with
//! the embedded DejaVu Sans font, registered once under the `"sans-serif"` family, so PNGs render
//! on machines without any system fonts.
//!
//! * [`line_chart`]: one line per provider (for example monthly cost against customers). Known
//!   values are solid lines, published lower bounds ("at least") dashed lines, estimated ranges
//!   shaded semi-transparent areas with a dotted median; ranges where nothing is known are marked
//!   with hatched lanes under the plot. Milestones are dashed vertical lines, the linear y axis
//!   can be cut above one or two outliers (see [`outlier_cut`]) and the y axis can be
//!   logarithmic (see [`needs_log_scale`]).
//! * [`stacked_bars`]: one horizontal stacked bar per provider (for example score points per
//!   axis), with the names written out and the segment values inside the bars.

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
    /// month). `y = None` means not (fully) known at that x (contact sales, over a plan cap):
    /// the solid line breaks there; where [`Series::floors`] has a floor it is drawn dashed,
    /// otherwise the x range from the last drawn sample before to the first drawn sample after
    /// is marked with a hatched "unknown / unavailable" lane in the series colour under the plot
    /// (a series that draws nothing at all gets a hatched legend glyph instead of a lane). It is
    /// never drawn as 0. A non-finite `y` counts as `None`; points with a non-finite `x` are
    /// ignored. Points are sorted by x (stable) before drawing, and magnitudes above 1e30 are
    /// clamped.
    pub points: Vec<(f64, Option<f64>)>,
    /// `true` when the known values are only lower bounds ("at least"): the line is dashed and
    /// the legend label gets an " (at least)" suffix.
    pub lower_bound: bool,
    /// Fixed style slot (colour, marker) for this series; `None` uses its position. Give each
    /// provider the same slot in every chart so it looks the same everywhere.
    pub style: Option<usize>,
    /// Published lower bounds as `(x, floor)` where the value is only partly known ("at least
    /// `floor` + unknown"): drawn as a dashed line in the series colour, joined to the solid
    /// line where they meet. A known value in `points` at the same x wins. An x with neither a
    /// known value nor a floor is unknown (hatched lane). Non-finite entries are ignored.
    pub floors: Vec<(f64, f64)>,
    /// Estimated ranges: each run is drawn as one shaded, semi-transparent area from `low` to
    /// `high` in the series colour, with a thin dotted `mid` line; the estimate is undefined
    /// between runs. Bands count towards the y range and never hide the lines (they are drawn
    /// under them). Points with a non-finite value are dropped.
    pub bands: Vec<Vec<BandPoint>>,
}

impl Series {
    /// Whether the series has anything to draw: a finite value or floor at a finite x, or a
    /// band point whose values are all finite. A series without is hatched in the legend.
    pub fn draws_anything(&self) -> bool {
        self.points
            .iter()
            .any(|p| p.0.is_finite() && p.1.is_some_and(f64::is_finite))
            || self
                .floors
                .iter()
                .any(|f| f.0.is_finite() && f.1.is_finite())
            || self
                .bands
                .iter()
                .flatten()
                .any(|b| [b.x, b.low, b.mid, b.high].iter().all(|v| v.is_finite()))
    }
}

/// One x of an estimated range in [`Series::bands`], for example P10 / P50 / P90 of a cost.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct BandPoint {
    /// X, in x-axis units.
    pub x: f64,
    /// Lower edge (for example P10).
    pub low: f64,
    /// Middle line (for example P50).
    pub mid: f64,
    /// Upper edge (for example P90).
    pub high: f64,
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
    /// Cut the linear y axis here: the axis is scaled to the values up to `y_max` (plus the
    /// usual headroom) and lines, floors and bands above it are clipped at the top of the plot.
    /// Say so in `note`. Ignored on a log axis or when not finite and positive. See
    /// [`outlier_cut`].
    pub y_max: Option<f64>,
    /// Short lines drawn under the title, one per `\n`-separated line (for example the
    /// scenario's name and why the axis is cut), wrapped at spaces to the width; at most four rows
    /// are drawn, the last marked with an ellipsis when more were cut; empty: none.
    pub note: String,
}

/// A stacked bar chart: one horizontal bar per category, one stacked segment per named part.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StackedBars {
    /// Title drawn centred at the top.
    pub title: String,
    /// Short lines under the title, as [`LineChart::note`]; empty: none.
    pub note: String,
    /// Value (x) axis caption including its unit, for example `"Score (points of 100)"`.
    pub value_label: String,
    /// Bar labels (providers), drawn top to bottom in this order (rank order), in full unless
    /// longer than a third of the chart's width.
    pub categories: Vec<String>,
    /// Stack segments, left to right, as `(axis name, value per category)`. Values are in
    /// value-axis units and expected to be ≥ 0 with a total of up to 100 per category (the axis
    /// always spans at least 0 to 100). Missing values count as 0, negative or non-finite values
    /// are drawn as 0, and values beyond the number of categories are ignored.
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

/// `true` when the known, finite, positive y values of `series` (points, floors and bands)
/// span more than two orders of magnitude (largest / smallest > 100), so a logarithmic y axis
/// reads better.
pub fn needs_log_scale(series: &[Series]) -> bool {
    let mut lo = f64::INFINITY;
    let mut hi = 0.0_f64;
    for y in series.iter().flat_map(series_values).filter(|y| *y > 0.0) {
        lo = lo.min(y);
        hi = hi.max(y);
    }
    lo.is_finite() && hi / lo > 100.0
}

/// The largest finite y value a series draws (known values, floors and bands), if any.
pub fn series_max(series: &Series) -> Option<f64> {
    series_values(series).reduce(f64::max)
}

/// A series whose largest value is more than this many times the next one is an outlier.
const CUT_RATIO: f64 = 2.5;

/// Where to cut a linear y axis ([`LineChart::y_max`]) so that one or a few very large series
/// do not squash the others: series are ordered by their largest value, and the axis is cut
/// below the first (largest) ones that are more than 2.5 times the next largest, at that next
/// largest value. Only outliers among several series are cut: at most a minority
/// ((n − 1) / 2 of n series with a positive maximum), and at least three stay whole, so a
/// chart of three series or fewer is never cut. `None` when nothing needs cutting.
pub fn outlier_cut(series: &[Series]) -> Option<f64> {
    let mut maxima: Vec<f64> = series
        .iter()
        .filter_map(series_max)
        .filter(|m| *m > 0.0)
        .map(clamp_value)
        .collect();
    maxima.sort_by(|a, b| b.total_cmp(a));
    let n = maxima.len();
    let allowed = (n.saturating_sub(1) / 2).min(n.saturating_sub(3));
    (0..allowed)
        .find(|&i| maxima[i] > CUT_RATIO * maxima[i + 1])
        .map(|i| maxima[i + 1])
}

/// Every finite y value a series draws: known values, floors and band edges and medians.
fn series_values(s: &Series) -> impl Iterator<Item = f64> + '_ {
    s.points
        .iter()
        .filter(|p| p.0.is_finite())
        .filter_map(|p| p.1)
        .chain(s.floors.iter().filter(|f| f.0.is_finite()).map(|f| f.1))
        .chain(
            s.bands
                .iter()
                .flatten()
                .filter(|b| b.x.is_finite())
                .flat_map(|b| [b.low, b.mid, b.high]),
        )
        .filter(|y| y.is_finite())
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
/// Key texts of the line styles (shown when a chart draws floors or bands).
const KEY_SOLID: &str = "published";
const KEY_DASHED: &str = "published part + unknown";
const KEY_BAND: &str = "estimate P10–P90";
const KEY_MEDIAN: &str = "estimate P50";
/// Longest label kept (in chars) before measuring; longer ones are truncated anyway.
const MAX_LABEL_CHARS: usize = 200;
/// Lines of a chart note drawn at most (the rest would crowd the plot).
const MAX_NOTE_LINES: usize = 4;

/// Okabe–Ito colours (yellow and black swapped for Tol's wine and olive, which read on white),
/// then eight darker or stronger hues, so that a catalog of up to 16 providers gets 16 colours
/// (the stacked bars use the first ones only).
const PALETTE: [RGBColor; 16] = [
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
const BAND_OPACITY: f64 = 0.2;
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
            // The PNG is the SVG rasterised, not a second drawing: plotters' bitmap backend
            // places glyphs one by one without kerning ("effec tive"), while an SVG renderer
            // shapes whole strings, and one drawing means the two files cannot drift apart.
            let svg = render(chart, ImageFormat::Svg, (width, height))?;
            png_from_svg(&svg, (width, height))
        }
    }
}

/// The font database of the rasteriser and the embedded font's family name: only the embedded
/// font, answering for every generic family, so the PNG never depends on the machine's fonts.
fn font_db() -> &'static (std::sync::Arc<resvg::usvg::fontdb::Database>, String) {
    static DB: OnceLock<(std::sync::Arc<resvg::usvg::fontdb::Database>, String)> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = resvg::usvg::fontdb::Database::new();
        db.load_font_data(FONT_BYTES.to_vec());
        let family = db
            .faces()
            .next()
            .and_then(|f| f.families.first().map(|(name, _)| name.clone()))
            .unwrap_or_else(|| "DejaVu Sans".to_owned());
        db.set_sans_serif_family(family.clone());
        db.set_serif_family(family.clone());
        db.set_monospace_family(family.clone());
        (std::sync::Arc::new(db), family)
    })
}

/// Rasterises a chart's SVG (as [`line_chart`] or [`stacked_bars`] return it) onto white and
/// encodes it as an RGB PNG of `(width, height)` pixels: the PNG of the same drawing, without
/// drawing it again.
pub fn png_from_svg(svg: &[u8], (width, height): (u32, u32)) -> Result<Vec<u8>, ChartError> {
    use resvg::{tiny_skia, usvg};
    if !(MIN_SIDE..=MAX_SIDE).contains(&width) || !(MIN_SIDE..=MAX_SIDE).contains(&height) {
        return Err(ChartError::InvalidSize { width, height });
    }
    let (db, family) = font_db();
    let options = usvg::Options {
        font_family: family.clone(),
        fontdb: db.clone(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_data(svg, &options).map_err(draw_err)?;
    let mut pixmap =
        tiny_skia::Pixmap::new(width, height).ok_or(ChartError::InvalidSize { width, height })?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    // Opaque white underneath, so every pixel has alpha 255 and premultiplied RGB is plain RGB.
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    encode_png(&rgb, width, height)
}

fn encode_png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, ChartError> {
    let png_err = |e: png::EncodingError| ChartError::Png(e.to_string());
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    // Measured on the shipped reports (38 charts): zlib's default level without a row filter
    // gives the smallest files (2.5 MB in all) and the fastest full report; adaptive filtering
    // was 25 % larger, `Up`, `Sub` and `Paeth` 25–29 % larger, `Fast` 2.7× larger.
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
    clean_at_most(text, MAX_LABEL_CHARS)
}

/// [`clean`] with its own length cap (a note line may list many providers; it wraps).
fn clean_at_most(text: &str, max_chars: usize) -> String {
    text.chars()
        .take(max_chars)
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

/// Draws the note's lines (if any) centred from `top` down and returns the y pixel below them.
/// Each line is shortened with an ellipsis to fit the width.
fn draw_note<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    note: &str,
    top: i32,
    m: Metrics,
) -> Result<i32, ChartError> {
    let style = anchored(&m.font(0.8), HPos::Center, VPos::Top);
    let max_w = m.width - 2 * m.px(1.0);
    let mut rows = Vec::new();
    for line in note.lines() {
        rows.extend(wrap_words(
            root,
            &clean_at_most(line, 8 * MAX_LABEL_CHARS),
            &style,
            max_w,
        )?);
    }
    if rows.len() > MAX_NOTE_LINES {
        rows.truncate(MAX_NOTE_LINES);
        if let Some(last) = rows.last_mut() {
            // Always marked as cut, even when the kept row happens to fit.
            *last = fit_text(root, &format!("{last} …"), &style, max_w)?;
        }
    }
    let mut y = top - m.px(0.35);
    for row in &rows {
        let (_, h) = text_size(root, row, &style)?;
        let text = fit_text(root, row, &style, max_w)?;
        root.draw(&Text::new(text, (m.width / 2, y), style.clone()))
            .map_err(draw_err)?;
        y += h + m.px(0.15);
    }
    Ok(if rows.is_empty() { top } else { y + m.px(0.35) })
}

/// Splits `text` at ASCII spaces into rows no wider than `max_w` (a single word wider than that
/// stays one row, shortened later); an empty text gives no rows.
fn wrap_words<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    max_w: i32,
) -> Result<Vec<String>, ChartError> {
    let mut rows: Vec<String> = Vec::new();
    let mut row = String::new();
    // Only ASCII spaces break: a caller keeps a name together with no-break spaces.
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let candidate = if row.is_empty() {
            word.to_owned()
        } else {
            format!("{row} {word}")
        };
        if row.is_empty() || text_size(area, &candidate, style)?.0 <= max_w {
            row = candidate;
        } else {
            rows.push(std::mem::replace(&mut row, word.to_owned()));
        }
    }
    if !row.is_empty() {
        rows.push(row);
    }
    Ok(rows)
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
        hollow: (index / 8) % 2 == 1,
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

/// The thin line of an estimate's middle (P50).
fn median_style(color: RGBColor, m: Metrics) -> ShapeStyle {
    color.mix(0.9).stroke_width((m.line_width() / 2).max(2))
}

/// Dots of an estimate's middle line: `(on, off)` px.
fn median_dash(m: Metrics) -> (i32, i32) {
    (m.px(0.12).max(2), m.px(0.22).max(3))
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
enum Key {
    Solid,
    Dashed,
    Band,
    Median,
}

#[derive(Debug, Clone)]
struct LegendEntry {
    label: String,
    /// `None`: a blank spacer row (or a text-only row).
    glyph: Option<Glyph>,
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

// ---------------------------------------------------------------------------------------------
// Line chart
// ---------------------------------------------------------------------------------------------

/// What a series says at one x.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Value {
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
struct PreparedSeries {
    label: String,
    look: Look,
    /// Runs of consecutive known points in data coordinates (y already clamped for log axes
    /// and clipped at the top of a cut axis).
    solid: Vec<Vec<(f64, f64)>>,
    /// Runs of floors (joined to the neighbouring known points), and known runs of a
    /// `lower_bound` series.
    dashed: Vec<Vec<(f64, f64)>>,
    /// Outlines of the visible parts of the estimated bands.
    areas: Vec<Vec<(f64, f64)>>,
    /// The bands' lower and upper edges (visible parts).
    edges: Vec<Vec<(f64, f64)>>,
    /// Runs of the bands' middle lines.
    medians: Vec<Vec<(f64, f64)>>,
    /// Bands of a single x: drawn as a vertical stroke from low to high.
    whiskers: Vec<[(f64, f64); 2]>,
    /// Points that get a marker.
    markers: Vec<(f64, f64)>,
    /// Unknown x ranges `(from, to)` between the neighbouring known samples; `from == to` for a
    /// lone unknown sample.
    unknown: Vec<(f64, f64)>,
    /// What the series shows, for its legend glyph.
    /// What the series shows, for its legend glyph: solid or dashed lines (runs of two points
    /// or more), bands, any value at all (a lone point is a marker only).
    has_solid: bool,
    has_dashed: bool,
    has_band: bool,
    has_values: bool,
}

impl PreparedSeries {
    /// Whether the series has a line, a floor or a band anywhere.
    fn draws_something(&self) -> bool {
        self.has_values || self.has_band
    }
}

#[derive(Debug, Clone)]
struct PreparedLine {
    series: Vec<PreparedSeries>,
    x: (f64, f64),
    y: (f64, f64),
    log: bool,
    milestones: Vec<(f64, String)>,
    any_known: bool,
    /// The chart uses floors or bands, so the legend explains the line styles.
    key: bool,
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

fn prepare_line(chart: &LineChart) -> PreparedLine {
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

// ---------------------------------------------------------------------------------------------
// Stacked bars
// ---------------------------------------------------------------------------------------------

/// Horizontal stacked bars, one row per category from the top: the category names are
/// written out in full on the left (shortened only when longer than a third of the width),
/// every segment that is wide enough carries its value, and each bar ends in its total.
fn draw_stacked_bars<DB: DrawingBackend>(
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
    let margin_right = m.px(0.8);
    let legend = layout_legend(
        root,
        &entries,
        m,
        (f64::from(m.width) * 0.36) as i32,
        m.height - top - m.px(0.8),
    )?;
    let plot_w = m.width - legend.as_ref().map_or(0, |l| l.width + margin_right);

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

#[cfg(test)]
mod tests {
    use super::*;

    fn cost_chart() -> LineChart {
        let xs = [1.0, 10.0, 50.0, 100.0, 250.0, 500.0, 1000.0, 2500.0, 5000.0];
        LineChart {
            y_max: None,
            note: String::new(),
            title: "Projected monthly cost".to_owned(),
            x_label: "Customers".to_owned(),
            y_label: "Monthly cost (USD)".to_owned(),
            series: vec![
                Series {
                    floors: Vec::new(),
                    bands: Vec::new(),
                    label: "Acme SSO".to_owned(),
                    points: xs.iter().map(|&x| (x, Some(125.0 * x))).collect(),
                    style: None,
                    lower_bound: false,
                },
                Series {
                    floors: Vec::new(),
                    bands: Vec::new(),
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
                    floors: Vec::new(),
                    bands: Vec::new(),
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
            value_label: "Score (points of 100)".to_owned(),
            note: String::new(),
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
            y_max: None,
            note: String::new(),
            title: String::new(),
            x_label: String::new(),
            y_label: String::new(),
            series: vec![],
            markers: vec![(f64::NAN, "nan".into()), (5.0, String::new())],
            log_y: false,
        };
        let one = |points: Vec<(f64, Option<f64>)>| Series {
            floors: Vec::new(),
            bands: Vec::new(),
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
            floors: Vec::new(),
            bands: Vec::new(),
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
            y_max: None,
            note: String::new(),
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
            note: long.clone(),
            value_label: long.clone(),
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
                    .map(|(i, points)| Series { label: format!("s{i}"), points, lower_bound: i == 1, style: None, ..Series::default() })
                    .collect(),
                markers: markers.into_iter().map(|x| (x, "m".to_owned())).collect(),
                log_y,
                ..LineChart::default()
            };
            let svg = line_chart(&chart, ImageFormat::Svg, (420, 300)).unwrap();
            svg_text(&svg);
        }

        #[test]
        fn random_uncertain_charts_render(
            raw in proptest::collection::vec(
                proptest::collection::vec(
                    (any_value(), proptest::option::of(any_value()), proptest::option::of(any_value())),
                    0..12,
                ),
                0..5,
            ),
            bands in proptest::collection::vec(
                proptest::collection::vec((any_value(), any_value(), any_value(), any_value()), 0..8),
                0..3,
            ),
            y_max in proptest::option::of(any_value()),
            log_y: bool,
        ) {
            let chart = LineChart {
                series: raw
                    .into_iter()
                    .enumerate()
                    .map(|(i, samples)| Series {
                        label: format!("s{i}"),
                        points: samples.iter().map(|s| (s.0, s.1)).collect(),
                        floors: samples.iter().filter_map(|s| s.2.map(|f| (s.0, f))).collect(),
                        bands: if i == 0 {
                            bands
                                .iter()
                                .map(|run| {
                                    run.iter()
                                        .map(|b| BandPoint { x: b.0, low: b.1, mid: b.2, high: b.3 })
                                        .collect()
                                })
                                .collect()
                        } else {
                            Vec::new()
                        },
                        ..Series::default()
                    })
                    .collect(),
                y_max,
                log_y,
                note: "n".into(),
                ..LineChart::default()
            };
            svg_text(&line_chart(&chart, ImageFormat::Svg, (420, 300)).unwrap());
            let _ = outlier_cut(&chart.series);
            let _ = needs_log_scale(&chart.series);
            // The caption under a report chart names the series `draws_anything` rejects; the
            // legend hatches the ones the drawing found empty. They must be the same series.
            let prepared = prepare_line(&chart);
            for (s, p) in chart.series.iter().zip(&prepared.series) {
                proptest::prop_assert_eq!(s.draws_anything(), p.draws_something(), "{:?}", s);
            }
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
                floors: Vec::new(),
                bands: Vec::new(),
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
                floors: Vec::new(),
                bands: Vec::new(),
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
            floors: Vec::new(),
            bands: Vec::new(),
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

    fn color_hex(c: RGBColor) -> String {
        format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
    }

    /// `(opacity, fill)` of every `<polygon>` in an SVG.
    fn polygons(svg: &str) -> Vec<(String, String)> {
        let doc = roxmltree::Document::parse(svg).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name("polygon"))
            .map(|n| {
                (
                    n.attribute("opacity").unwrap_or("1").to_owned(),
                    n.attribute("fill").unwrap_or("").to_owned(),
                )
            })
            .collect()
    }

    /// Number of `<polyline>` strokes in a colour.
    fn strokes(svg: &str, color: &str) -> usize {
        let doc = roxmltree::Document::parse(svg).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name("polyline") && n.attribute("stroke") == Some(color))
            .count()
    }

    fn texts(svg: &str) -> Vec<String> {
        let doc = roxmltree::Document::parse(svg).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name("text"))
            .map(|n| n.text().unwrap_or("").trim().to_owned())
            .collect()
    }

    fn band(xs: &[f64], f: impl Fn(f64) -> (f64, f64, f64)) -> Vec<BandPoint> {
        xs.iter()
            .map(|&x| {
                let (low, mid, high) = f(x);
                BandPoint { x, low, mid, high }
            })
            .collect()
    }

    /// Known 1–5, then only a floor ("at least") 6–10; a second series with only an estimate.
    fn uncertain_chart() -> LineChart {
        let xs: Vec<f64> = (1..=10).map(f64::from).collect();
        LineChart {
            title: "Uncertain".into(),
            series: vec![
                Series {
                    label: "Floor Co".into(),
                    points: xs
                        .iter()
                        .map(|&x| (x, (x <= 5.0).then_some(100.0 * x)))
                        .collect(),
                    floors: xs
                        .iter()
                        .filter(|x| **x > 5.0)
                        .map(|&x| (x, 80.0 * x))
                        .collect(),
                    style: Some(0),
                    ..Series::default()
                },
                Series {
                    label: "Estimate Co".into(),
                    points: xs.iter().map(|&x| (x, None)).collect(),
                    bands: vec![band(&xs, |x| (50.0 * x, 70.0 * x, 90.0 * x))],
                    style: Some(1),
                    ..Series::default()
                },
            ],
            ..LineChart::default()
        }
    }

    #[test]
    fn floors_are_dashed_and_bands_are_shaded() {
        let chart = uncertain_chart();
        let svg = svg_text(&line_chart(&chart, ImageFormat::Svg, (900, 560)).unwrap());
        // The band: a translucent polygon in the series colour.
        let estimate = color_hex(PALETTE[1]);
        assert!(
            polygons(&svg)
                .iter()
                .any(|(opacity, fill)| *opacity == BAND_OPACITY.to_string() && *fill == estimate),
            "no translucent band polygon in {estimate}"
        );
        // The floor: dashed, i.e. drawn as many short strokes. The same values drawn as known
        // points make one solid stroke.
        let floor_color = color_hex(PALETTE[0]);
        let mut solid = chart.clone();
        solid.series[0].points = (1..=10)
            .map(|x| {
                let x = f64::from(x);
                (x, Some(if x <= 5.0 { 100.0 * x } else { 80.0 * x }))
            })
            .collect();
        solid.series[0].floors.clear();
        let solid_svg = svg_text(&line_chart(&solid, ImageFormat::Svg, (900, 560)).unwrap());
        let (dashed_n, solid_n) = (
            strokes(&svg, &floor_color),
            strokes(&solid_svg, &floor_color),
        );
        assert!(
            dashed_n >= solid_n + 8,
            "{dashed_n} strokes vs {solid_n} solid"
        );
        // Legend: both providers by name, and the key to the styles.
        let t = texts(&svg);
        for label in [
            "Floor Co",
            "Estimate Co",
            KEY_SOLID,
            KEY_DASHED,
            KEY_BAND,
            KEY_MEDIAN,
            UNKNOWN_LABEL,
        ] {
            assert!(t.iter().any(|x| x == label), "`{label}` missing from {t:?}");
        }
        // The key is only for charts that need it.
        let plain = svg_text(&line_chart(&cost_chart(), ImageFormat::Svg, (900, 560)).unwrap());
        assert!(!plain.contains(KEY_BAND) && !plain.contains(KEY_DASHED));
    }

    #[test]
    fn floors_join_the_known_line_and_mark_no_unknown_range() {
        let prep = prepare_line(&uncertain_chart());
        let floor = &prep.series[0];
        assert_eq!(
            floor.solid,
            vec![
                (1..=5)
                    .map(|x| (f64::from(x), 100.0 * f64::from(x)))
                    .collect::<Vec<_>>()
            ]
        );
        // The dashed run starts at the last known point, so the line has no gap.
        assert_eq!(floor.dashed.len(), 1);
        assert_eq!(floor.dashed[0][0], (5.0, 500.0));
        assert_eq!(floor.dashed[0].last(), Some(&(10.0, 800.0)));
        assert!(floor.unknown.is_empty());
        assert!(floor.has_solid && floor.has_dashed && !floor.has_band);
        // The estimate-only series: a band, its median (no published line there), a lane.
        let estimate = &prep.series[1];
        assert!(estimate.has_band && estimate.draws_something());
        assert_eq!(estimate.areas.len(), 1);
        assert_eq!(estimate.medians.len(), 1);
        assert_eq!(estimate.unknown, vec![(1.0, 10.0)]);
        assert!(!estimate.markers.is_empty());
        // The y axis covers the band's top.
        assert!(prep.y.1 >= 900.0);
    }

    #[test]
    fn a_series_with_only_an_estimate_is_in_the_legend() {
        let xs = [10.0, 20.0, 30.0];
        let chart = LineChart {
            series: vec![Series {
                label: "Only Estimated".into(),
                bands: vec![band(&xs, |x| (x, 2.0 * x, 3.0 * x))],
                ..Series::default()
            }],
            ..LineChart::default()
        };
        let svg = svg_text(&line_chart(&chart, ImageFormat::Svg, (700, 450)).unwrap());
        let t = texts(&svg);
        assert!(t.iter().any(|x| x == "Only Estimated"), "{t:?}");
        assert!(!svg.contains("no known values"));
        assert!(
            polygons(&svg)
                .iter()
                .any(|(o, _)| *o == BAND_OPACITY.to_string())
        );
    }

    #[test]
    fn median_is_drawn_only_where_nothing_is_published() {
        let xs: Vec<f64> = (1..=10).map(f64::from).collect();
        let chart = LineChart {
            series: vec![Series {
                label: "Half".into(),
                points: xs
                    .iter()
                    .map(|&x| (x, (x <= 4.0).then_some(10.0)))
                    .collect(),
                bands: vec![band(&xs, |_| (8.0, 10.0, 12.0))],
                ..Series::default()
            }],
            ..LineChart::default()
        };
        let prep = prepare_line(&chart);
        let s = &prep.series[0];
        assert_eq!(s.medians.len(), 1);
        // From the last published point on.
        assert_eq!(s.medians[0].first(), Some(&(4.0, 10.0)));
        assert_eq!(s.medians[0].last(), Some(&(10.0, 10.0)));
    }

    #[test]
    fn outliers_cut_the_axis_and_are_clipped() {
        let rising = |label: &str, y: f64| Series {
            label: label.into(),
            points: vec![(0.0, Some(0.0)), (10.0, Some(y))],
            ..Series::default()
        };
        let few = vec![rising("a", 1000.0), rising("b", 100.0), rising("c", 90.0)];
        assert_eq!(outlier_cut(&few), None, "three series are never cut");
        let mut many = few.clone();
        many.extend([rising("d", 80.0), rising("e", 70.0)]);
        assert_eq!(outlier_cut(&many), Some(100.0));
        many[1] = rising("b", 900.0);
        assert_eq!(outlier_cut(&many), Some(90.0), "two outliers among five");
        many[1] = rising("b", 500.0);
        assert_eq!(outlier_cut(&many), Some(90.0));
        assert_eq!(outlier_cut(&many[1..]), Some(90.0));
        assert_eq!(
            outlier_cut(&[
                rising("x", 10.0),
                rising("y", 9.0),
                rising("z", 8.0),
                rising("w", 7.0)
            ]),
            None
        );
        // A band counts towards a series' maximum.
        let mut banded = rising("f", 10.0);
        banded.bands = vec![band(&[0.0, 10.0], |_| (1.0, 2.0, 5000.0))];
        assert_eq!(series_max(&banded), Some(5000.0));

        let chart = LineChart {
            series: many,
            y_max: Some(90.0),
            note: "cut note".into(),
            ..LineChart::default()
        };
        let prep = prepare_line(&chart);
        assert!(prep.y.1 < 200.0, "{:?}", prep.y);
        for s in &prep.series {
            for p in s.solid.iter().flatten().chain(&s.markers) {
                assert!(p.1 <= prep.y.1, "{} above the plot: {p:?}", s.label);
            }
        }
        // The outlier leaves through the top: its visible part ends at the top edge.
        let outlier = &prep.series[0].solid;
        assert_eq!(outlier.len(), 1);
        let exit = outlier[0].last().unwrap();
        assert!(
            (exit.1 - prep.y.1).abs() < 1e-9 && exit.0 < 10.0,
            "{exit:?}"
        );
        let svg = svg_text(&line_chart(&chart, ImageFormat::Svg, (800, 500)).unwrap());
        assert!(svg.contains("cut note"));
        // A log axis ignores the cut.
        let log = LineChart {
            log_y: true,
            ..chart
        };
        assert!(prepare_line(&log).y.1 >= 1000.0);
    }

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

    #[test]
    fn uncertain_charts_are_deterministic_and_survive_odd_bands() {
        let mut chart = uncertain_chart();
        chart.y_max = Some(300.0);
        chart.note = "note".into();
        for format in [ImageFormat::Svg, ImageFormat::Png] {
            assert_eq!(
                line_chart(&chart, format, (700, 450)).unwrap(),
                line_chart(&chart, format, (700, 450)).unwrap()
            );
        }
        chart.series[1].bands = vec![
            vec![],
            vec![BandPoint {
                x: 3.0,
                low: 5.0,
                mid: 4.0,
                high: 1.0,
            }],
            vec![
                BandPoint {
                    x: f64::NAN,
                    low: 1.0,
                    mid: 1.0,
                    high: 1.0,
                },
                BandPoint {
                    x: 2.0,
                    low: f64::INFINITY,
                    mid: 1.0,
                    high: 1.0,
                },
                BandPoint {
                    x: 4.0,
                    low: 2.0,
                    mid: 2.0,
                    high: 2.0,
                },
                BandPoint {
                    x: 4.0,
                    low: 1e300,
                    mid: -1e300,
                    high: 0.0,
                },
            ],
        ];
        chart.series[0].floors.push((f64::NAN, 1.0));
        chart.series[0].floors.push((7.0, f64::INFINITY));
        for log_y in [false, true] {
            let chart = LineChart {
                log_y,
                ..chart.clone()
            };
            svg_text(&line_chart(&chart, ImageFormat::Svg, (400, 300)).unwrap());
            assert_eq!(
                png_dims(&line_chart(&chart, ImageFormat::Png, (400, 300)).unwrap()),
                (400, 300)
            );
        }
    }
}
