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

mod bars;
mod layout;
mod legend;
mod line;
mod prepared;
mod render;
mod style;
mod text;

#[cfg(test)]
pub(crate) mod tests;

pub use render::png_from_svg;

use prepared::clamp_value;

use render::{MAX_SIDE, MIN_SIDE};

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
    render::render(chart, format, size)
}

/// Render [`StackedBars`] as SVG or PNG bytes. `size` is `(width, height)` in pixels; each side
/// must be between 150 and 6000.
pub fn stacked_bars(
    chart: &StackedBars,
    format: ImageFormat,
    size: (u32, u32),
) -> Result<Vec<u8>, ChartError> {
    render::render(chart, format, size)
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
/// chart of three series or fewer is never cut. The cut is then raised to the lowest value of
/// any outlier that would otherwise be wholly above it, as long as that stays within 2.5 times
/// the cut: a series that starts high (a vendor whose first month already costs more than the
/// others ever do) keeps its start on the chart instead of vanishing. `None` when nothing
/// needs cutting.
pub fn outlier_cut(series: &[Series]) -> Option<f64> {
    let mut extremes: Vec<(f64, f64)> = series
        .iter()
        .filter_map(|s| {
            let max = series_max(s)?;
            let min = series_values(s).reduce(f64::min)?;
            Some((clamp_value(max), clamp_value(min)))
        })
        .filter(|(max, _)| *max > 0.0)
        .collect();
    extremes.sort_by(|a, b| b.0.total_cmp(&a.0));
    let n = extremes.len();
    let allowed = (n.saturating_sub(1) / 2).min(n.saturating_sub(3));
    let i = (0..allowed).find(|&i| extremes[i].0 > CUT_RATIO * extremes[i + 1].0)?;
    let cut = extremes[i + 1].0;
    let lowest_hidden = extremes[..=i]
        .iter()
        .map(|(_, min)| *min)
        .filter(|min| *min > cut && *min <= CUT_RATIO * cut)
        .reduce(f64::max);
    Some(lowest_hidden.map_or(cut, |m| m.max(cut)))
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
