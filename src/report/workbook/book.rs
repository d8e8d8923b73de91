//! The workbook under construction: sheet names, cell formats, and the grid of values that
//! evaluates formulas as they are written.

use super::formula::{self, Cell, Expr, Grid, Render, Value};
use rust_xlsxwriter::{Format, Formula, Worksheet, XlsxError};

/// Cell formats.
pub struct Styles {
    /// Headers and labels.
    pub bold: Format,
    /// Amounts: `#,##0.00`.
    pub money: Format,
    /// Totals: bold amounts.
    pub total: Format,
    /// Sheet titles.
    pub title: Format,
    /// Editable inputs: a pale yellow fill, as finance models mark them.
    pub input: Format,
    /// Small helper figures (flags, choice keys).
    pub helper: Format,
}

impl Styles {
    fn new() -> Styles {
        Styles {
            bold: Format::new().set_bold(),
            money: Format::new().set_num_format("#,##0.00"),
            total: Format::new().set_num_format("#,##0.00").set_bold(),
            title: Format::new().set_bold().set_font_size(14),
            input: Format::new().set_background_color(0x00FF_F2CC),
            helper: Format::new().set_font_color(0x0080_8080),
        }
    }
}

/// Sheet names, formats, and the value of every cell written so far.
pub struct Book {
    /// Sheet names by id.
    pub sheets: Vec<String>,
    /// Cell formats.
    pub styles: Styles,
    /// Store each formula's evaluated result in the file (false: leave 0, to prove that a
    /// spreadsheet recalculates).
    cache: bool,
    grid: Grid,
}

/// The most characters a spreadsheet cell holds.
const MAX_CELL_CHARS: usize = 32_767;

impl Book {
    /// A book with these sheet names.
    pub fn new(sheets: Vec<String>, cache: bool) -> Book {
        Book {
            sheets,
            styles: Styles::new(),
            cache,
            grid: Grid::default(),
        }
    }

    /// A book for writing other sheets in parallel: same names and formats, and a copy of
    /// the values written so far (the sheets it will read).
    pub fn fork(&self) -> Book {
        Book {
            sheets: self.sheets.clone(),
            styles: Styles::new(),
            cache: self.cache,
            grid: self.grid.clone(),
        }
    }

    /// Takes in the values a fork has written.
    pub fn join(&mut self, fork: Book) {
        self.grid.merge(fork.grid);
    }

    /// The value of a cell written so far.
    #[cfg(test)]
    pub fn value(&self, cell: Cell) -> Value {
        self.grid.get(cell)
    }

    /// Writes a number.
    pub fn num(
        &mut self,
        ws: &mut Worksheet,
        cell: Cell,
        v: f64,
        format: Option<&Format>,
    ) -> Result<(), XlsxError> {
        self.grid.set(cell, Value::Num(v));
        match format {
            Some(f) => ws.write_number_with_format(cell.row, cell.col, v, f)?,
            None => ws.write_number(cell.row, cell.col, v)?,
        };
        Ok(())
    }

    /// Writes a text as a string cell, whatever it looks like (catalog text never becomes a
    /// formula).
    pub fn text(
        &mut self,
        ws: &mut Worksheet,
        cell: Cell,
        t: &str,
        format: Option<&Format>,
    ) -> Result<(), XlsxError> {
        // A cell holds at most 32,767 characters; a longer catalog string (a note, a name)
        // would fail the whole workbook, so it is cut, visibly.
        let cut;
        let t = if t.chars().count() > MAX_CELL_CHARS {
            cut = t
                .chars()
                .take(MAX_CELL_CHARS - 1)
                .chain(['…'])
                .collect::<String>();
            cut.as_str()
        } else {
            t
        };
        self.grid.set(cell, Value::Text(t.to_owned()));
        match format {
            Some(f) => ws.write_string_with_format(cell.row, cell.col, t, f)?,
            None => ws.write_string(cell.row, cell.col, t)?,
        };
        Ok(())
    }

    /// Writes a formula; its evaluated value is recorded and, when caching, stored as its
    /// result. Returns the value.
    pub fn formula(
        &mut self,
        ws: &mut Worksheet,
        cell: Cell,
        e: &Expr,
        format: Option<&Format>,
    ) -> Result<Value, XlsxError> {
        let text = Render {
            sheets: &self.sheets,
            at: cell,
        }
        .formula(e);
        self.write_formula(ws, cell, e, text, format)
    }

    /// Writes the same formula into several cells of one row (rendered once).
    pub fn formula_row(
        &mut self,
        ws: &mut Worksheet,
        cells: impl IntoIterator<Item = Cell>,
        e: &Expr,
        format: Option<&Format>,
    ) -> Result<(), XlsxError> {
        let mut template = None;
        for cell in cells {
            let t = template
                .get_or_insert_with(|| formula::template(&self.sheets, cell.sheet, cell.row, e));
            let text = formula::fill(t, cell.col);
            self.write_formula(ws, cell, e, text, format)?;
        }
        Ok(())
    }

    fn write_formula(
        &mut self,
        ws: &mut Worksheet,
        cell: Cell,
        e: &Expr,
        text: String,
        format: Option<&Format>,
    ) -> Result<Value, XlsxError> {
        let v = self.grid.eval(e, cell);
        let mut f = Formula::new(text);
        if self.cache {
            f = f.set_result(v.cached());
        }
        match format {
            Some(fm) => ws.write_formula_with_format(cell.row, cell.col, f, fm)?,
            None => ws.write_formula(cell.row, cell.col, f)?,
        };
        self.grid.set(cell, v.clone());
        Ok(v)
    }
}
