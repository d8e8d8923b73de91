//! A plain rectangular table rendered as a terminal table, CSV or markdown.

use super::escape;
use comfy_table::{
    Cell, CellAlignment, ContentArrangement, Table as Comfy, presets::UTF8_FULL_CONDENSED,
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

    /// A terminal table. Width is fixed (no terminal detection) so output is deterministic.
    pub fn to_terminal(&self) -> String {
        let mut t = Comfy::new();
        t.load_style(UTF8_FULL_CONDENSED)
            .force_no_tty()
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(self.headers.clone());
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
        let mut s = t.trim_fmt();
        s.push('\n');
        s
    }

    /// CSV with one header row.
    pub fn to_csv(&self) -> String {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        // Writing to a Vec cannot fail.
        let _ = w.write_record(&self.headers);
        for row in &self.rows {
            let _ = w.write_record(row.iter().map(|c| escape::csv_cell(c).into_owned()));
        }
        let bytes = w.into_inner().unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }

    /// A GitHub-flavoured markdown table. Text cells are escaped as literal text; cells of
    /// [`Table::markdown_cols`] only have `|` and line breaks escaped.
    pub fn to_markdown(&self) -> String {
        let esc = |s: &str| s.replace('|', "\\|").replace('\n', " ");
        let cell = |i: usize, s: &str| {
            if self.markdown.get(i).copied().unwrap_or(false) {
                esc(s)
            } else {
                escape::md_text(s)
            }
        };
        let mut out = format!(
            "| {} |\n",
            self.headers
                .iter()
                .map(|h| esc(h))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_all_three() {
        let mut t = Table::new(["a", "b"]).right_align(&[1]);
        t.push(["x|y", "1,000"]);
        assert_eq!(t.to_csv(), "a,b\nx|y,\"1,000\"\n");
        assert_eq!(
            t.to_markdown(),
            "| a | b |\n| --- | ---: |\n| x\\|y | 1,000 |\n"
        );
        assert!(t.to_terminal().contains("1,000"));
    }
}
