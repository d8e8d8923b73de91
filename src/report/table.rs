//! A plain rectangular table rendered as a terminal table, CSV or markdown.

use super::escape;
use comfy_table::{
    Cell, CellAlignment, ColumnConstraint, ContentArrangement, Table as Comfy, Width,
    presets::UTF8_FULL_CONDENSED,
};

/// Headers and rows of strings; `right` marks numeric columns.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Column headers.
    pub headers: Vec<String>,
    /// Rows, each as long as `headers`.
    pub rows: Vec<Vec<String>>,
    /// Right-align these columns.
    pub right: Vec<bool>,
    /// Columns whose cells are already markdown (their catalog text escaped by whoever
    /// built them); every other cell is escaped as text in [`Table::to_markdown`].
    pub markdown: Vec<bool>,
}

impl Table {
    /// A table with these headers; every column left-aligned.
    pub fn new<S: Into<String>>(headers: impl IntoIterator<Item = S>) -> Table {
        let headers: Vec<String> = headers.into_iter().map(Into::into).collect();
        let right = vec![false; headers.len()];
        let markdown = vec![false; headers.len()];
        Table {
            headers,
            rows: Vec::new(),
            right,
            markdown,
        }
    }

    /// Marks columns whose cells are markdown already (links, emphasis, footnote marks).
    #[must_use]
    pub fn markdown_cols(mut self, cols: &[usize]) -> Table {
        for &c in cols {
            if let Some(m) = self.markdown.get_mut(c) {
                *m = true;
            }
        }
        self
    }

    /// Marks columns as numeric (right-aligned).
    #[must_use]
    pub fn right_align(mut self, cols: &[usize]) -> Table {
        for &c in cols {
            if let Some(r) = self.right.get_mut(c) {
                *r = true;
            }
        }
        self
    }

    /// Adds a row.
    pub fn push<S: Into<String>>(&mut self, row: impl IntoIterator<Item = S>) {
        self.rows.push(row.into_iter().map(Into::into).collect());
    }

    /// A terminal table. Without a `width` every cell stays on one line (the wide layout).
    /// With one (in columns), cells wrap at spaces to fit it; when even that cannot fit,
    /// because the columns' longest words alone are wider, each row becomes a block of
    /// `Header: value` pairs instead (like `psql`'s expanded display), so no word is ever split.
    /// Nothing here looks at the terminal, so the same width gives the same bytes.
    pub fn to_terminal(&self, width: Option<u16>) -> String {
        match width {
            Some(w) if self.min_width() > usize::from(w) => self.expanded(usize::from(w)),
            _ => self.boxed(width),
        }
    }

    /// The narrowest boxed layout that splits no word: each column as wide as its longest
    /// word, plus a space either side and one border character per column and one more.
    fn min_width(&self) -> usize {
        (0..self.headers.len())
            .map(|i| self.longest_word(i) + 3)
            .sum::<usize>()
            + 1
    }

    /// The longest space-separated word of a column, header included, in characters.
    fn longest_word(&self, col: usize) -> usize {
        std::iter::once(self.headers.get(col))
            .chain(self.rows.iter().map(|r| r.get(col)))
            .flatten()
            .flat_map(|c| c.split_whitespace())
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0)
    }

    fn boxed(&self, width: Option<u16>) -> String {
        let mut t = Comfy::new();
        t.load_style(UTF8_FULL_CONDENSED).force_no_tty();
        t.set_header(self.headers.iter().map(|h| escape::terminal(h)));
        for row in &self.rows {
            t.add_row(row.iter().enumerate().map(|(i, v)| {
                let c = Cell::new(escape::terminal(v));
                if self.right.get(i).copied().unwrap_or(false) {
                    c.set_alignment(CellAlignment::Right)
                } else {
                    c
                }
            }));
        }
        match width {
            Some(w) => {
                t.set_content_arrangement(ContentArrangement::Dynamic)
                    .set_width(w);
                for i in 0..self.headers.len() {
                    let floor = u16::try_from(self.longest_word(i)).unwrap_or(u16::MAX);
                    if let Some(col) = t.column_mut(i) {
                        col.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(floor)));
                    }
                }
            }
            None => {
                t.set_content_arrangement(ContentArrangement::Disabled);
            }
        }
        let mut s = t.trim_fmt();
        s.push('\n');
        s
    }

    /// One block per row: `Header: value` pairs joined by ` · ` and wrapped at spaces to
    /// `width` (a pair that does not fit on the line starts a new one; a pair wider than the
    /// width wraps at its own spaces, continuation rows indented); empty cells are left out;
    /// blocks are separated by a blank line.
    fn expanded(&self, width: usize) -> String {
        let mut out = String::new();
        for (r, row) in self.rows.iter().enumerate() {
            if r > 0 {
                out.push('\n');
            }
            // The line being filled and its width in characters.
            let mut line = String::new();
            let mut len = 0;
            let mut flush = |line: &mut String, len: &mut usize, indent: &str| {
                out.push_str(line);
                out.push('\n');
                line.clear();
                line.push_str(indent);
                *len = indent.len();
            };
            for (h, v) in self.headers.iter().zip(row) {
                if v.trim().is_empty() {
                    continue;
                }
                let pair = format!("{}: {}", escape::terminal(h), escape::terminal(v));
                let pair_len = pair.chars().count();
                if len > 0 {
                    if len + 3 + pair_len <= width {
                        line.push_str(" · ");
                        line.push_str(&pair);
                        len += 3 + pair_len;
                        continue;
                    }
                    flush(&mut line, &mut len, "");
                }
                for word in pair.split(' ').filter(|w| !w.is_empty()) {
                    let word_len = word.chars().count();
                    if !line.trim().is_empty() && len + 1 + word_len > width {
                        flush(&mut line, &mut len, "  ");
                    } else if len > 0 && !line.ends_with(' ') {
                        line.push(' ');
                        len += 1;
                    }
                    line.push_str(word);
                    len += word_len;
                }
            }
            out.push_str(&line);
            out.push('\n');
        }
        out
    }

    /// CSV with one header row.
    pub fn to_csv(&self) -> String {
        let mut w = CsvRows::new(&self.headers);
        for row in &self.rows {
            w.push(row);
        }
        String::from_utf8(w.finish()).unwrap_or_default()
    }

    /// A GitHub-flavoured markdown table. Text cells are escaped as literal text; cells of
    /// [`Table::markdown_cols`] only have `|` and line breaks escaped.
    pub fn to_markdown(&self) -> String {
        let esc = |s: &str| s.replace('|', "\\|").replace('\n', " ");
        let cell = |i: usize, s: &str| {
            if self.markdown.get(i).copied().unwrap_or(false) {
                esc(s)
            } else {
                escape::md_cell(s)
            }
        };
        let mut out = format!(
            "| {} |\n",
            // Headers can carry catalog text too (a provider's name over its column).
            self.headers
                .iter()
                .map(|h| escape::md_cell(h))
                .collect::<Vec<_>>()
                .join(" | ")
        );
        out.push('|');
        for i in 0..self.headers.len() {
            out.push_str(if self.right.get(i).copied().unwrap_or(false) {
                " ---: |"
            } else {
                " --- |"
            });
        }
        out.push('\n');
        for row in &self.rows {
            out.push_str(&format!(
                "| {} |\n",
                row.iter()
                    .enumerate()
                    .map(|(i, c)| cell(i, c))
                    .collect::<Vec<_>>()
                    .join(" | ")
            ));
        }
        out
    }
}

/// A CSV written a row at a time, escaped as [`Table::to_csv`] escapes it: for exports too
/// large to hold as a table of cells first (a 1,000-provider scenario's `costs.csv` has
/// 200,000 rows, and its cells took 140 MB, issue 15).
pub struct CsvRows {
    w: csv::Writer<Vec<u8>>,
}

impl CsvRows {
    /// Starts the CSV with its header row.
    pub fn new<S: AsRef<str>>(headers: impl IntoIterator<Item = S>) -> CsvRows {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        // Writing to a Vec cannot fail.
        let _ = w.write_record(headers.into_iter().map(|h| h.as_ref().to_owned()));
        CsvRows { w }
    }

    /// Adds a row; every cell is neutralised as a spreadsheet formula would be
    /// ([`escape::csv_cell`]).
    pub fn push<S: AsRef<str>>(&mut self, row: impl IntoIterator<Item = S>) {
        // Field by field, so a cell that needs no neutralising is written from where it is,
        // not copied first.
        for c in row {
            let _ = self.w.write_field(escape::csv_cell(c.as_ref()).as_bytes());
        }
        let _ = self.w.write_record(None::<&[u8]>);
    }

    /// The CSV's bytes.
    pub fn finish(self) -> Vec<u8> {
        self.w.into_inner().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_narrow_width_gives_header_value_blocks_without_split_words() {
        let mut t = Table::new(["Provider", "Plan", "Note"]);
        t.push(["Acme", "Pro", "one two three four"]);
        t.push(["Beta", "", "x"]);
        // Width 20: the columns' longest words need 8 + 3 + 4 + 3 + 5 + 3 + 1 = 27, so rows
        // become blocks. "Provider: Acme" (14) + " · " + "Plan: Pro" (9) = 26 > 20: a new
        // line. "Plan: Pro" + " · " + "Note: one two three four" (24) = 36 > 20: a new line,
        // where the pair itself is wider than 20 and wraps at its spaces: "Note: one two three"
        // (19), then "  four". Beta's empty plan is left out; "Provider: Beta" (14) + " · " +
        // "Note: x" (7) = 24 > 20.
        assert_eq!(
            t.to_terminal(Some(20)),
            "Provider: Acme\nPlan: Pro\nNote: one two three\n  four\n\nProvider: Beta\nNote: x\n"
        );
        // Wide enough for the boxed table: no blocks.
        assert!(t.to_terminal(Some(60)).starts_with('┌'));
    }

    #[test]
    fn renders_all_three() {
        let mut t = Table::new(["a", "b"]).right_align(&[1]);
        t.push(["x|y", "1,000"]);
        assert_eq!(t.to_csv(), "a,b\nx|y,\"1,000\"\n");
        assert_eq!(
            t.to_markdown(),
            "| a | b |\n| --- | ---: |\n| x\\|y | 1,000 |\n"
        );
        assert!(t.to_terminal(None).contains("1,000"));
    }
}
