//! Rendering plumbing: the size check, the embedded font, the SVG backend and the SVG-to-PNG
//! rasteriser (resvg), so a chart is drawn once and its PNG cannot drift from its SVG.

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::register_font;

use super::bars::draw_stacked_bars;
use super::line::draw_line_chart;
use super::{ChartError, ImageFormat, LineChart, StackedBars};

pub(super) const MIN_SIDE: u32 = 150;
pub(super) const MAX_SIDE: u32 = 6000;

pub(super) const FONT_FAMILY: &str = "sans-serif";
static FONT_BYTES: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");

/// Something that can draw itself on any plotters backend.
pub(super) trait Draw {
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

pub(super) fn draw_err<E: std::fmt::Display>(e: E) -> ChartError {
    ChartError::Draw(e.to_string())
}

fn ensure_font() -> Result<(), ChartError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED
        .get_or_init(|| register_font(FONT_FAMILY, FontStyle::Normal, FONT_BYTES).is_ok());
    if ok { Ok(()) } else { Err(ChartError::Font) }
}

pub(super) fn render<D: Draw>(
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
            Ok(paint_opacity(&svg).into_bytes())
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

/// Rewrites the alpha of every shape that plotters paints with its stroke alone or its fill
/// alone from `opacity` to `stroke-opacity` or `fill-opacity`. plotters writes a colour's
/// alpha as `opacity`, which SVG defines as group opacity: a renderer paints the shape on an
/// offscreen layer and composites the layer (resvg did so for each of the shipped charts'
/// 10,051 translucent lines, dashes, bands and legend boxes, which cost 0.25 s of the shipped
/// `report`'s 1.54 s of CPU). For a shape with one paint the two are the same picture. Only
/// shape tags are touched; they carry plotters' numbers and colours, never catalog text.
pub(super) fn paint_opacity(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len() + svg.len() / 8);
    let mut rest = svg;
    // In well-formed XML every `<` starts markup (text escapes it as `&lt;`), so the next
    // shape tag is found by its name.
    while let Some(start) = rest.find('<') {
        let (before, tail) = rest.split_at(start);
        out.push_str(before);
        let end = tail.find('>').map_or(tail.len(), |e| e + 1);
        let (tag, after) = tail.split_at(end);
        let has = |attr: &str| tag.contains(attr);
        let paint = if tag.starts_with("<polyline ") && has(" fill=\"none\"") {
            Some("stroke-opacity")
        } else if ["<rect ", "<polygon ", "<circle "]
            .iter()
            .any(|t| tag.starts_with(t))
            && (!has(" stroke=\"") || has(" stroke=\"none\""))
        {
            Some("fill-opacity")
        } else {
            None
        };
        match paint {
            Some(paint) => out.push_str(&tag.replacen(" opacity=\"", &format!(" {paint}=\""), 1)),
            None => out.push_str(tag),
        }
        rest = after;
    }
    out.push_str(rest);
    out
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
    encoder.set_deflate_compression(png::DeflateCompression::Level(6));
    encoder.set_filter(png::Filter::NoFilter);
    let mut writer = encoder.write_header().map_err(png_err)?;
    writer.write_image_data(rgb).map_err(png_err)?;
    writer.finish().map_err(png_err)?;
    Ok(out)
}
