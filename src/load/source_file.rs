//! The text of one catalog file, kept for diagnostics.

use std::ops::Range;

/// One file read from a catalog, with the name used in messages.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as shown to the user, relative to the catalog (`providers/workos.toml`).
    pub name: String,
    /// The file's text. Empty when the file was not valid UTF-8.
    pub text: String,
    /// Byte offset of each line's start, built once: locating a span is a binary search,
    /// so thousands of diagnostics in one file stay linear (they were quadratic).
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// A file and its line index.
    pub fn new(name: String, text: String) -> SourceFile {
        let line_starts = std::iter::once(0)
            .chain(
                text.bytes()
                    .enumerate()
                    .filter(|(_, b)| *b == b'\n')
                    .map(|(i, _)| i + 1),
            )
            .collect();
        SourceFile {
            name,
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts.get(line - 1).copied().unwrap_or(0);
        let col = self.text.as_bytes()[start..offset]
            .iter()
            .filter(|&&b| (b & 0xC0) != 0x80)
            .count()
            + 1;
        (line, col)
    }

    /// The length in bytes of the line holding `offset`.
    pub fn line_len(&self, offset: usize) -> usize {
        let (line, _) = self.line_col(offset);
        let start = self.line_starts.get(line - 1).copied().unwrap_or(0);
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        end - start
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
        let f = SourceFile::new("x".into(), "ab\ncdé\nf".into());
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        assert_eq!(f.line_col(7), (2, 4));
        assert_eq!(f.line_col(999), (3, 2));
        // The index agrees with the byte scan everywhere, including at line ends.
        for at in 0..=f.text.len() {
            assert_eq!(f.line_col(at), line_col(f.text.as_bytes(), at), "at {at}");
        }
        assert_eq!(f.line_len(4), 5); // "cdé\n": é is two bytes
        assert_eq!(f.clamp(6..6), 5..7);
    }
}
