//! The text of one catalog file, kept for diagnostics.

use std::ops::Range;

/// One file read from a catalog, with the name used in messages.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as shown to the user, relative to the catalog (`providers/workos.toml`).
    pub name: String,
    /// The file's text. Empty when the file was not valid UTF-8.
    pub text: String,
}

impl SourceFile {
    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        line_col(self.text.as_bytes(), offset)
    }

    /// The span clamped to the text and moved onto character boundaries, so a bad span can
    /// never make rendering panic.
    pub fn clamp(&self, span: Range<usize>) -> Range<usize> {
        let len = self.text.len();
        let mut start = span.start.min(len);
        let mut end = span.end.clamp(start, len);
        while !self.text.is_char_boundary(start) {
            start -= 1;
        }
        while !self.text.is_char_boundary(end) {
            end += 1;
        }
        start..end
    }
}

/// 1-based line and column of a byte offset in raw bytes; the column counts UTF-8 characters
/// (continuation bytes are not counted) so it matches what editors show.
pub fn line_col(bytes: &[u8], offset: usize) -> (usize, usize) {
    let offset = offset.min(bytes.len());
    let before = &bytes[..offset];
    let line = before.split(|&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let col = before[line_start..]
        .iter()
        .filter(|&&b| (b & 0xC0) != 0x80)
        .count()
        + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column() {
        let f = SourceFile {
            name: "x".into(),
            text: "ab\ncdé\nf".into(),
        };
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        assert_eq!(f.line_col(7), (2, 4));
        assert_eq!(f.line_col(999), (3, 2));
        assert_eq!(f.clamp(6..6), 5..7);
    }
}
