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
/// font (without its legacy `kern` table, see [`without_table`]), answering for every generic
/// family, so the PNG never depends on the machine's fonts.
fn font_db() -> &'static (std::sync::Arc<resvg::usvg::fontdb::Database>, String) {
    static DB: OnceLock<(std::sync::Arc<resvg::usvg::fontdb::Database>, String)> = OnceLock::new();
    DB.get_or_init(|| font_database(without_table(FONT_BYTES, *b"kern")))
}

/// A font database of this one font, answering for every generic family, and its family name.
fn font_database(font: Vec<u8>) -> (std::sync::Arc<resvg::usvg::fontdb::Database>, String) {
    let mut db = resvg::usvg::fontdb::Database::new();
    db.load_font_data(font);
    let family = db
        .faces()
        .next()
        .and_then(|f| f.families.first().map(|(name, _)| name.clone()))
        .unwrap_or_else(|| "DejaVu Sans".to_owned());
    db.set_sans_serif_family(family.clone());
    db.set_serif_family(family.clone());
    db.set_monospace_family(family.clone());
    (std::sync::Arc::new(db), family)
}

/// The font file without the table `tag`: its record leaves the table directory (the tables'
/// bytes stay where they are, so every other record's offset still holds).
///
/// The rasteriser gets the embedded font without its legacy `kern` table. The font also kerns
/// in `GPOS`, which shaping prefers, so the `kern` table never moves a glyph in resvg; but
/// harfrust reads all of it into a cache for every text element it shapes, a tenth of the PNGs'
/// work (issue 15). plotters keeps the whole font: it measures text with `kern`.
fn without_table(font: &[u8], tag: [u8; 4]) -> Vec<u8> {
    const HEADER: usize = 12;
    const RECORD: usize = 16;
    let count = font
        .get(4..6)
        .map_or(0, |n| usize::from(u16::from_be_bytes([n[0], n[1]])));
    let Some(directory) = font.get(HEADER..HEADER + count * RECORD) else {
        return font.to_vec();
    };
    let kept: Vec<&[u8]> = directory
        .chunks_exact(RECORD)
        .filter(|record| record[..4] != tag)
        .collect();
    if kept.len() == count {
        return font.to_vec();
    }
    let mut out = font.to_vec();
    let n = u16::try_from(kept.len()).unwrap_or(u16::MAX);
    // The binary-search fields of the directory's header, as the OpenType spec defines them.
    let log = n.checked_ilog2().unwrap_or(0);
    let search_range = (1_u16 << log).saturating_mul(16);
    let entry_selector = u16::try_from(log).unwrap_or(0);
    let range_shift = n.saturating_mul(16).saturating_sub(search_range);
    for (at, field) in [n, search_range, entry_selector, range_shift]
        .iter()
        .enumerate()
    {
        out[4 + 2 * at..6 + 2 * at].copy_from_slice(&field.to_be_bytes());
    }
    let records: Vec<u8> = kept.concat();
    out[HEADER..HEADER + records.len()].copy_from_slice(&records);
    // The freed record becomes padding before the first table.
    out[HEADER + records.len()..HEADER + count * RECORD].fill(0);
    out
}

/// Rasterises a chart's SVG (as [`line_chart`] or [`stacked_bars`] return it) onto white and
/// encodes it as an RGB PNG of `(width, height)` pixels: the PNG of the same drawing, without
/// drawing it again.
pub fn png_from_svg(svg: &[u8], (width, height): (u32, u32)) -> Result<Vec<u8>, ChartError> {
    if !(MIN_SIDE..=MAX_SIDE).contains(&width) || !(MIN_SIDE..=MAX_SIDE).contains(&height) {
        return Err(ChartError::InvalidSize { width, height });
    }
    let rgb = rasterise(svg, (width, height), font_db())?;
    encode_png(&rgb, width, height)
}

/// The SVG's pixels on white, as RGB rows, drawn with the fonts of `db`.
fn rasterise(
    svg: &[u8],
    (width, height): (u32, u32),
    (db, family): &(std::sync::Arc<resvg::usvg::fontdb::Database>, String),
) -> Result<Vec<u8>, ChartError> {
    use resvg::{tiny_skia, usvg};
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
    Ok(pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect())
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The table tags of a font's directory, in order.
    fn tags(font: &[u8]) -> Vec<[u8; 4]> {
        let n = usize::from(u16::from_be_bytes([font[4], font[5]]));
        (0..n)
            .map(|i| {
                let at = 12 + 16 * i;
                [font[at], font[at + 1], font[at + 2], font[at + 3]]
            })
            .collect()
    }

    #[test]
    fn without_table_drops_one_record_and_keeps_the_others_as_they_were() {
        let full = FONT_BYTES;
        let stripped = without_table(full, *b"kern");
        assert_eq!(stripped.len(), full.len());
        let before = tags(full);
        let after = tags(&stripped);
        assert!(before.contains(b"kern"));
        assert_eq!(after.len(), before.len() - 1);
        assert!(!after.contains(b"kern"));
        // Every other record (tag, checksum, offset, length) is unchanged and in order.
        let records = |font: &[u8], n: usize| -> Vec<Vec<u8>> {
            (0..n)
                .map(|i| font[12 + 16 * i..28 + 16 * i].to_vec())
                .filter(|r| r[..4] != *b"kern")
                .collect()
        };
        assert_eq!(records(&stripped, after.len()), records(full, before.len()));
        // The header's search fields for 19 tables: the largest power of two that fits (16)
        // × 16 = 256, log2(16) = 4, and 19 × 16 − 256 = 48.
        assert_eq!(before.len(), 20, "the shipped font's table count changed");
        let field = |at: usize| u16::from_be_bytes([stripped[at], stripped[at + 1]]);
        assert_eq!((field(4), field(6), field(8), field(10)), (19, 256, 4, 48));
        // The freed record is zeros, and every table's bytes are where they were.
        assert!(stripped[12 + 16 * 19..12 + 16 * 20].iter().all(|&b| b == 0));
        assert_eq!(stripped[12 + 16 * 20..], full[12 + 16 * 20..]);
    }

    #[test]
    fn without_table_leaves_a_font_without_the_tag_or_a_broken_one_as_it_is() {
        assert_eq!(without_table(FONT_BYTES, *b"zzzz"), FONT_BYTES);
        assert_eq!(
            without_table(&FONT_BYTES[..100], *b"kern"),
            &FONT_BYTES[..100]
        );
        assert_eq!(without_table(&[0, 1], *b"kern"), vec![0, 1]);
    }

    #[test]
    fn the_rasteriser_s_font_draws_the_same_pixels_as_the_whole_font() {
        // Pairs that kern in DejaVu Sans ("AV", "To", "Ty", "LT", "P.", "Yo"): if dropping
        // the legacy table changed how resvg kerns, these glyphs would move.
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="420" height="160">
            <text x="10" y="50" font-family="sans-serif" font-size="40">AVATAR To Ty LT P. Yo</text>
            <text x="10" y="120" font-family="sans-serif" font-size="18" text-anchor="start">WAVE Type Vo P.A. 12,345.67 %</text>
            </svg>"#;
        let whole =
            rasterise(svg, (420, 160), &font_database(FONT_BYTES.to_vec())).expect("whole font");
        let stripped = rasterise(svg, (420, 160), font_db()).expect("stripped font");
        assert!(whole.iter().any(|&c| c < 128), "the text drew nothing");
        // (`assert!`, not `assert_eq!`: a failure would print 200,000 bytes.)
        assert!(whole == stripped, "dropping `kern` moved a pixel");
        // And the sample is kerned at all, by `GPOS`: without it the glyphs move.
        let neither = without_table(&without_table(FONT_BYTES, *b"kern"), *b"GPOS");
        let unkerned = rasterise(svg, (420, 160), &font_database(neither)).expect("unkerned");
        assert!(
            unkerned.iter().any(|&c| c < 128),
            "the unkerned text drew nothing"
        );
        assert!(
            unkerned != stripped,
            "the sample is not kerned, so it proves nothing"
        );
    }

    #[test]
    fn a_side_out_of_range_on_its_own_is_refused() {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"/>"#;
        for size in [
            (MIN_SIDE - 1, 300),
            (400, MAX_SIDE + 1),
            (MAX_SIDE + 1, 300),
            (400, 0),
        ] {
            assert!(
                matches!(png_from_svg(svg, size), Err(ChartError::InvalidSize { .. })),
                "{size:?} was accepted"
            );
        }
        assert!(png_from_svg(svg, (400, 300)).is_ok());
    }

    #[test]
    fn text_without_a_family_is_drawn_in_the_embedded_font() {
        // A text element that names no family is still drawn: the default family is the
        // embedded font's, and the database holds no other font to fall back on.
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60">
            <text x="10" y="40" font-size="30">Text</text></svg>"#;
        let pixels = rasterise(svg, (200, 60), font_db()).expect("drawn");
        assert!(pixels.iter().any(|&c| c < 128), "the text drew nothing");
    }
}
