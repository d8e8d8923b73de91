//! Size-dependent metrics: every length in a chart scales with one unit.

use plotters::prelude::*;

use super::render::FONT_FAMILY;
use super::style::TEXT;

/// Size-dependent metrics: everything scales with `unit` (roughly a label font size in px).
#[derive(Debug, Clone, Copy)]
pub(super) struct Metrics {
    pub(super) width: i32,
    pub(super) height: i32,
    pub(super) unit: f64,
}

impl Metrics {
    pub(super) fn new((width, height): (u32, u32)) -> Self {
        let base = f64::from(width).min(f64::from(height) * 1.3);
        Self {
            width: i32::try_from(width).unwrap_or(i32::MAX),
            height: i32::try_from(height).unwrap_or(i32::MAX),
            unit: (base / 38.0).clamp(10.0, 60.0),
        }
    }

    /// `k` units in whole pixels.
    pub(super) fn px(self, k: f64) -> i32 {
        (self.unit * k).round() as i32
    }

    /// Text style of `k` units, dark text, anchored top-left.
    pub(super) fn font(self, k: f64) -> TextStyle<'static> {
        let mut style = TextStyle::from((FONT_FAMILY, self.unit * k).into_font());
        style.color = TEXT.to_backend_color();
        style
    }

    pub(super) fn line_width(self) -> u32 {
        (self.unit / 7.0).round().max(2.0) as u32
    }

    pub(super) fn marker_radius(self) -> i32 {
        (self.unit * 0.3).round().max(3.0) as i32
    }
}
