//! Text: cleaning hostile labels, measuring and fitting them, titles, wrapped notes and the
//! number formats of tick labels.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::ChartError;
use super::layout::Metrics;
use super::render::draw_err;

/// Longest label kept (in chars) before measuring; longer ones are truncated anyway.
const MAX_LABEL_CHARS: usize = 200;
/// Lines of a chart note drawn at most (the rest would crowd the plot).
const MAX_NOTE_LINES: usize = 4;

pub(super) fn anchored(style: &TextStyle<'static>, h: HPos, v: VPos) -> TextStyle<'static> {
    style.pos(Pos::new(h, v))
}

/// Label text made safe for XML and the layout: control chars become spaces, length is capped.
pub(super) fn clean(text: &str) -> String {
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

pub(super) fn text_size<DB: DrawingBackend>(
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
pub(super) fn fit_text<DB: DrawingBackend>(
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
pub(super) fn draw_title<DB: DrawingBackend>(
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
pub(super) fn draw_note<DB: DrawingBackend>(
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

/// Formats `v` with at most `decimals` decimals (trailing zeros trimmed) and thousands
/// separators ("12,500"). Magnitudes from 1e9 use B / T suffixes, from 1e15 scientific notation.
pub(super) fn format_number(v: f64, decimals: usize) -> String {
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
pub(super) fn decimals_for_step(step: f64) -> usize {
    if !step.is_finite() || step <= 0.0 || step >= 1.0 {
        0
    } else {
        ((-step.log10()).ceil() as usize + 1).min(8)
    }
}

/// Decimals for a tick on a log axis: enough to show the leading digit of `v`.
pub(super) fn log_decimals(v: f64) -> usize {
    if !v.is_finite() || v <= 0.0 || v >= 1.0 {
        0
    } else {
        ((-v.log10()).ceil() as usize).min(8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
