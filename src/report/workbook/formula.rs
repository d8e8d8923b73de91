//! A small formula language for the workbook's live cost model. Every computed cell is an
//! [`Expr`]: it renders to the spreadsheet formula and evaluates in Rust to the value the
//! spreadsheet will compute. The evaluated value is stored as the formula's cached result, so
//! a viewer that does not recalculate shows the same figures, and tests can check every
//! formula against scimeter's engine without a spreadsheet program.
//!
//! Evaluation follows the spreadsheet's rules where they matter here: an empty text counts as
//! 0 in arithmetic, comparisons of numbers with text are false, and `ROUND` rounds half away
//! from zero after reducing the binary value to 15 significant digits (as `LibreOffice` and
//! Excel do), so `ROUND(1.005, 2)` is 1.01.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::str::FromStr;

/// A sheet, by its index in the workbook.
pub type SheetId = u16;

/// A cell: sheet, 0-based row and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cell {
    /// The sheet.
    pub sheet: SheetId,
    /// 0-based row.
    pub row: u32,
    /// 0-based column.
    pub col: u16,
}

impl Cell {
    /// A cell on `sheet`.
    pub fn new(sheet: SheetId, row: u32, col: u16) -> Cell {
        Cell { sheet, row, col }
    }
}

/// A rectangular range on one sheet (inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    /// Top-left cell.
    pub first: Cell,
    /// Bottom-right cell (same sheet).
    pub last: Cell,
}

impl Range {
    /// Rows `first..=last` of the column the formula is in, on `sheet`.
    pub fn here(sheet: SheetId, first: u32, last: u32) -> Range {
        Range {
            first: Cell::new(sheet, first, HERE),
            last: Cell::new(sheet, last, HERE),
        }
    }

    /// The range with "this column" resolved.
    fn at(self, col: u16) -> Range {
        Range {
            first: self.first.at(col),
            last: self.last.at(col),
        }
    }

    /// The cells of the range, row by row.
    fn cells(self) -> impl Iterator<Item = Cell> {
        let sheet = self.first.sheet;
        (self.first.row..=self.last.row).flat_map(move |r| {
            (self.first.col..=self.last.col).map(move |c| Cell::new(sheet, r, c))
        })
    }
}

/// The column of a cell that means "the column the formula is in" (formulas of a row are
/// built once and written into every period column).
const HERE: u16 = u16::MAX;

impl Cell {
    /// Resolves [`HERE`] to `col`.
    fn at(self, col: u16) -> Cell {
        if self.col == HERE {
            Cell { col, ..self }
        } else {
            self
        }
    }
}

/// A computed value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A number.
    Num(f64),
    /// A text.
    Text(String),
    /// `#N/A`: not available (charts leave a gap).
    Na,
    /// A cell never written: 0 in arithmetic, equal to `""`.
    Empty,
}

impl Value {
    /// The number in arithmetic. Text (even `""`) is an error there, as `#VALUE!` is in a
    /// spreadsheet, so it evaluates to NaN and tests catch it; `SUM` skips text instead.
    fn num(&self) -> f64 {
        match self {
            Value::Num(v) => *v,
            Value::Empty => 0.0,
            Value::Text(_) | Value::Na => f64::NAN,
        }
    }

    /// The value as a cached result, as the file stores it.
    pub fn cached(&self) -> String {
        match self {
            Value::Num(v) => format!("{v}"),
            Value::Text(t) => t.clone(),
            Value::Na => "#N/A".to_owned(),
            Value::Empty => String::new(),
        }
    }
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    /// `=`
    Eq,
    /// `<>`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl Cmp {
    fn text(self) -> &'static str {
        match self {
            Cmp::Eq => "=",
            Cmp::Ne => "<>",
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
        }
    }
}

/// An expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A number literal.
    Num(f64),
    /// A text literal: only scimeter's own fixed words, never catalog text.
    Text(&'static str),
    /// A cell reference.
    Ref(Cell),
    /// A row of this sheet, in the column the formula is in.
    Here(u32),
    /// A row of this sheet, in the column left of the formula's.
    Left(u32),
    /// A defined name for a cell (rendered by name).
    Name(String, Cell),
    /// The sum of terms.
    Add(Vec<Expr>),
    /// `a − b`.
    Sub(Box<Expr>, Box<Expr>),
    /// The product of factors.
    Mul(Vec<Expr>),
    /// `a / b`.
    Div(Box<Expr>, Box<Expr>),
    /// `a ^ b`.
    Pow(Box<Expr>, Box<Expr>),
    /// `EXP(a)`.
    Exp(Box<Expr>),
    /// `MIN(…)`.
    Min(Vec<Expr>),
    /// `MAX(…)`.
    Max(Vec<Expr>),
    /// `INT(a)`: rounds down.
    Int(Box<Expr>),
    /// `ROUND(a, places)`, half away from zero.
    Round(Box<Expr>, i32),
    /// `ROUNDUP(a, 0)`.
    RoundUp(Box<Expr>),
    /// `IF(cond, then, else)`.
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// A comparison (true is 1).
    Compare(Box<Expr>, Cmp, Box<Expr>),
    /// `AND(…)`; an empty list is true.
    And(Vec<Expr>),
    /// `OR(…)`; an empty list is false.
    Or(Vec<Expr>),
    /// `NOT(a)`.
    Not(Box<Expr>),
    /// `SUM(…)` of cells or expressions.
    Sum(Vec<Expr>),
    /// `MIN(range)`: text cells are ignored; 0 when no number.
    MinOf(Range),
    /// `COUNT(range)`: how many numbers.
    CountOf(Range),
    /// `MATCH(MIN(range), range, 0)`: the 1-based position of the first smallest number.
    ArgMin(Range),
    /// `INDEX(range, n)` of a one-column or one-row range.
    Index(Range, Box<Expr>),
    /// Text concatenation (`&`).
    Concat(Vec<Expr>),
    /// `TEXT(a, "#,##0.00")`.
    Money(Box<Expr>),
    /// `NA()`.
    Na,
}

/// Shorthand constructors, so cost formulas read close to the maths.
impl Expr {
    /// `a + b + …`.
    pub fn add(terms: Vec<Expr>) -> Expr {
        Expr::Add(terms)
    }
    /// `a − b`.
    pub fn minus(a: Expr, b: Expr) -> Expr {
        Expr::Sub(Box::new(a), Box::new(b))
    }
    /// `a × b`.
    pub fn times(a: Expr, b: Expr) -> Expr {
        Expr::Mul(vec![a, b])
    }
    /// `a / b`.
    pub fn over(a: Expr, b: Expr) -> Expr {
        Expr::Div(Box::new(a), Box::new(b))
    }
    /// `ROUND(a, places)`.
    pub fn round(a: Expr, places: i32) -> Expr {
        Expr::Round(Box::new(a), places)
    }
    /// `IF(c, a, b)`.
    pub fn if_(c: Expr, a: Expr, b: Expr) -> Expr {
        Expr::If(Box::new(c), Box::new(a), Box::new(b))
    }
    /// `a <op> b`.
    pub fn cmp(a: Expr, op: Cmp, b: Expr) -> Expr {
        Expr::Compare(Box::new(a), op, Box::new(b))
    }
    /// `MIN(a, b)`.
    pub fn min(a: Expr, b: Expr) -> Expr {
        Expr::Min(vec![a, b])
    }
    /// `MAX(a, b)`.
    pub fn max(a: Expr, b: Expr) -> Expr {
        Expr::Max(vec![a, b])
    }
    /// `NOT(a)`.
    pub fn negate(a: Expr) -> Expr {
        Expr::Not(Box::new(a))
    }
    /// `ROUNDUP(ROUND(a, 6), 0)`: a whole count, after cancelling binary noise such as
    /// 100 × 0.07 = 7.000000000000001 (the engine computes in exact decimals).
    pub fn whole_up(a: Expr) -> Expr {
        Expr::RoundUp(Box::new(Expr::round(a, 6)))
    }
}

/// A hasher for cell coordinates: `SipHash`'s protection against crafted keys buys nothing
/// for coordinates the workbook itself assigns, and it was a tenth of the writing time.
#[derive(Debug, Default, Clone, Copy)]
pub struct CellHasher(u64);

impl std::hash::Hasher for CellHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u16(&mut self, v: u16) {
        self.write_u64(u64::from(v));
    }

    fn write_u32(&mut self, v: u32) {
        self.write_u64(u64::from(v));
    }

    fn write_u64(&mut self, v: u64) {
        // FxHash's step: rotate, mix in, multiply by an odd constant.
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// The values of every cell written so far, for evaluation.
#[derive(Debug, Default, Clone)]
pub struct Grid {
    values: HashMap<Cell, Value, std::hash::BuildHasherDefault<CellHasher>>,
}

impl Grid {
    /// Records a cell's value.
    pub fn set(&mut self, cell: Cell, value: Value) {
        self.values.insert(cell, value);
    }

    /// Adds another grid's values (of other sheets).
    pub fn merge(&mut self, other: Grid) {
        self.values.extend(other.values);
    }

    /// A cell's value.
    pub fn get(&self, cell: Cell) -> Value {
        self.values.get(&cell).cloned().unwrap_or(Value::Empty)
    }

    /// Evaluates an expression written in cell `at` over the recorded cells.
    pub fn eval(&self, e: &Expr, at: Cell) -> Value {
        use Value::{Na, Num, Text};
        let n = |e: &Expr| self.eval(e, at).num();
        let truth = |e: &Expr| self.eval(e, at).num() != 0.0;
        match e {
            Expr::Num(v) => Num(*v),
            Expr::Text(t) => Text((*t).to_owned()),
            Expr::Ref(c) | Expr::Name(_, c) => self.get(*c),
            Expr::Here(row) => self.get(Cell::new(at.sheet, *row, at.col)),
            Expr::Left(row) => self.get(Cell::new(at.sheet, *row, at.col.wrapping_sub(1))),
            Expr::Add(terms) => Num(terms.iter().map(n).sum()),
            Expr::Sum(terms) => Num(terms
                .iter()
                .map(|t| match self.eval(t, at) {
                    Text(_) | Value::Empty => 0.0,
                    v => v.num(),
                })
                .sum()),
            Expr::Sub(a, b) => Num(n(a) - n(b)),
            Expr::Mul(fs) => Num(fs.iter().map(n).product()),
            Expr::Div(a, b) => Num(n(a) / n(b)),
            Expr::Pow(a, b) => Num(n(a).powf(n(b))),
            Expr::Exp(a) => Num(n(a).exp()),
            Expr::Min(xs) => Num(xs.iter().map(n).fold(f64::INFINITY, f64::min)),
            Expr::Max(xs) => Num(xs.iter().map(n).fold(f64::NEG_INFINITY, f64::max)),
            Expr::Int(a) => Num(n(a).floor()),
            Expr::Round(a, places) => {
                Num(round(n(a), *places, RoundingStrategy::MidpointAwayFromZero))
            }
            Expr::RoundUp(a) => Num(round(n(a), 0, RoundingStrategy::AwayFromZero)),
            Expr::If(c, a, b) => {
                if truth(c) {
                    self.eval(a, at)
                } else {
                    self.eval(b, at)
                }
            }
            Expr::Compare(a, op, b) => {
                let (x, y) = (self.eval(a, at), self.eval(b, at));
                let blank = |v: &Value| match v {
                    Value::Empty => Text(String::new()),
                    v => v.clone(),
                };
                let ord = match (&x, &y) {
                    (Value::Empty, Num(q)) | (Num(q), Value::Empty) if *q == 0.0 => {
                        Some(std::cmp::Ordering::Equal)
                    }
                    (Num(p), Num(q)) => p.partial_cmp(q),
                    _ => match (blank(&x), blank(&y)) {
                        (Text(p), Text(q)) => Some(p.cmp(&q)),
                        _ => None,
                    },
                };
                let yes = match (op, ord) {
                    (Cmp::Ne, None) => true,
                    (_, None) => false,
                    (Cmp::Eq, Some(o)) => o.is_eq(),
                    (Cmp::Ne, Some(o)) => o.is_ne(),
                    (Cmp::Lt, Some(o)) => o.is_lt(),
                    (Cmp::Le, Some(o)) => o.is_le(),
                    (Cmp::Gt, Some(o)) => o.is_gt(),
                    (Cmp::Ge, Some(o)) => o.is_ge(),
                };
                Num(f64::from(u8::from(yes)))
            }
            Expr::And(xs) => Num(f64::from(u8::from(xs.iter().all(truth)))),
            Expr::Or(xs) => Num(f64::from(u8::from(xs.iter().any(truth)))),
            Expr::Not(a) => Num(f64::from(u8::from(!truth(a)))),
            Expr::MinOf(r) => Num(self
                .numbers(r.at(at.col))
                .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.min(v))))
                .unwrap_or(0.0)),
            Expr::CountOf(r) => Num(self.numbers(r.at(at.col)).count() as f64),
            Expr::ArgMin(r) => {
                let mut best: Option<(usize, f64)> = None;
                for (i, c) in r.at(at.col).cells().enumerate() {
                    if let Num(v) = self.get(c)
                        && best.is_none_or(|(_, b)| v < b)
                    {
                        best = Some((i + 1, v));
                    }
                }
                best.map_or(Na, |(i, _)| Num(i as f64))
            }
            Expr::Index(r, k) => {
                let k = n(k);
                if k < 1.0 {
                    return Na;
                }
                // Truncation is the spreadsheet's rule for a fractional position.
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let k = k as usize;
                r.at(at.col).cells().nth(k - 1).map_or(Na, |c| self.get(c))
            }
            Expr::Concat(parts) => {
                let mut s = String::new();
                for p in parts {
                    match self.eval(p, at) {
                        Text(t) => s.push_str(&t),
                        Num(v) => {
                            let _ = write!(s, "{v}");
                        }
                        Na => return Na,
                        Value::Empty => {}
                    }
                }
                Text(s)
            }
            Expr::Money(a) => Text(money_text(n(a))),
            Expr::Na => Na,
        }
    }

    fn numbers(&self, r: Range) -> impl Iterator<Item = f64> + '_ {
        r.cells().filter_map(|c| match self.get(c) {
            Value::Num(v) => Some(v),
            _ => None,
        })
    }
}

/// Rounds as the spreadsheet does: to 15 significant digits first, then to `places`.
fn round(v: f64, places: i32, strategy: RoundingStrategy) -> f64 {
    if !v.is_finite() {
        return v;
    }
    let text = format!("{v:.14e}");
    let Ok(d) = Decimal::from_scientific(&text).or_else(|_| Decimal::from_str(&text)) else {
        // Beyond the decimal range (about 7.9 × 10²⁸) no cent matters.
        return v;
    };
    let dp = u32::try_from(places.max(0)).unwrap_or(0);
    d.round_dp_with_strategy(dp, strategy).to_f64().unwrap_or(v)
}

/// `TEXT(v, "#,##0.00")`.
fn money_text(v: f64) -> String {
    let r = round(v, 2, RoundingStrategy::MidpointAwayFromZero);
    let s = format!("{:.2}", r.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{}{grouped}.{frac}", if r < 0.0 { "-" } else { "" })
}

/// Marks "this column" in a row template.
const HERE_MARK: char = '\u{1}';
/// Marks "the column to the left" in a row template.
const LEFT_MARK: char = '\u{2}';
/// The column left of [`HERE`].
const LEFT: u16 = HERE - 1;

/// Renders `e` once for a whole row of `sheet`: the text has markers where the column goes,
/// filled in per column by [`fill`] (rendering once per row rather than once per cell).
pub fn template(sheets: &[String], sheet: SheetId, row: u32, e: &Expr) -> String {
    Render {
        sheets,
        at: Cell::new(sheet, row, HERE),
    }
    .formula(e)
}

/// A row template's formula for column `col`.
pub fn fill(template: &str, col: u16) -> String {
    if !template.contains([HERE_MARK, LEFT_MARK]) {
        return template.to_owned();
    }
    let (here, left) = (col_name(col), col_name(col.saturating_sub(1)));
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(i) = rest.find([HERE_MARK, LEFT_MARK]) {
        out.push_str(&rest[..i]);
        out.push_str(if rest[i..].starts_with(HERE_MARK) {
            &here
        } else {
            &left
        });
        // Both markers are one byte long.
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
    out
}

/// Renders expressions as formula text for one cell.
pub struct Render<'a> {
    /// Sheet names by [`SheetId`].
    pub sheets: &'a [String],
    /// The cell the formula is in (its own sheet's cells are written without a sheet name).
    pub at: Cell,
}

/// The column letters of a 0-based column.
pub fn col_name(c: u16) -> String {
    let mut n = u32::from(c) + 1;
    let mut s = Vec::new();
    while n > 0 {
        // `n − 1) % 26` is below 26, so it fits a byte.
        #[allow(clippy::cast_possible_truncation)]
        s.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

impl Render<'_> {
    /// The formula text, with its leading `=`.
    pub fn formula(&self, e: &Expr) -> String {
        let mut s = String::from("=");
        self.write(&mut s, e);
        s
    }

    /// Column letters; in a row template (rendered at [`HERE`]) a marker for "this column"
    /// or "the column to the left", filled in per column by [`fill`].
    fn col(c: u16) -> String {
        match c {
            HERE => HERE_MARK.to_string(),
            LEFT => LEFT_MARK.to_string(),
            c => col_name(c),
        }
    }

    /// A sheet's name as a formula writes it: quoted unless it is letters, digits and `_`.
    fn sheet(&self, id: SheetId) -> String {
        let name = self.sheets.get(usize::from(id)).map_or("", String::as_str);
        if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            name.to_owned()
        } else {
            format!("'{name}'")
        }
    }

    fn cell(&self, c: Cell) -> String {
        let c = c.at(self.at.col);
        let a1 = format!("{}{}", Self::col(c.col), c.row + 1);
        if c.sheet == self.at.sheet {
            a1
        } else {
            format!(
                "{}!${}${}",
                self.sheet(c.sheet),
                Self::col(c.col),
                c.row + 1
            )
        }
    }

    fn range(&self, r: Range) -> String {
        let r = r.at(self.at.col);
        let a = |c: Cell| format!("${}${}", Self::col(c.col), c.row + 1);
        let body = if r.first.col == r.last.col {
            // A column range moves with the column it is in: `D$5:D$9`.
            format!(
                "{c}${}:{c}${}",
                r.first.row + 1,
                r.last.row + 1,
                c = Self::col(r.first.col)
            )
        } else {
            format!("{}:{}", a(r.first), a(r.last))
        };
        if r.first.sheet == self.at.sheet {
            body
        } else {
            format!("{}!{body}", self.sheet(r.first.sheet))
        }
    }

    fn list(&self, s: &mut String, f: &str, xs: &[Expr]) {
        s.push_str(f);
        s.push('(');
        for (i, x) in xs.iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            self.write(s, x);
        }
        s.push(')');
    }

    fn pair(&self, s: &mut String, open: &str, op: &str, a: &Expr, b: &Expr, close: &str) {
        s.push_str(open);
        self.write(s, a);
        s.push_str(op);
        self.write(s, b);
        s.push_str(close);
    }

    fn infix(&self, s: &mut String, op: &str, xs: &[Expr]) {
        s.push('(');
        for (i, x) in xs.iter().enumerate() {
            if i > 0 {
                s.push_str(op);
            }
            self.write(s, x);
        }
        s.push(')');
    }

    fn write(&self, s: &mut String, e: &Expr) {
        match e {
            Expr::Num(v) => {
                let _ = write!(s, "{v}");
            }
            Expr::Text(t) => {
                s.push('"');
                s.push_str(&t.replace('"', "\"\""));
                s.push('"');
            }
            Expr::Ref(c) => s.push_str(&self.cell(*c)),
            Expr::Here(row) => s.push_str(&self.cell(Cell::new(self.at.sheet, *row, self.at.col))),
            Expr::Left(row) => s.push_str(&self.cell(Cell::new(
                self.at.sheet,
                *row,
                self.at.col.saturating_sub(1),
            ))),
            Expr::Name(n, _) => s.push_str(n),
            Expr::Add(xs) => self.infix(s, "+", xs),
            Expr::Mul(xs) => self.infix(s, "*", xs),
            Expr::Sub(a, b) => self.pair(s, "(", "-", a, b, ")"),
            Expr::Div(a, b) => self.pair(s, "(", "/", a, b, ")"),
            Expr::Pow(a, b) => self.pair(s, "(", "^", a, b, ")"),
            Expr::Exp(a) => self.list(s, "EXP", std::slice::from_ref(a)),
            Expr::Min(xs) => self.list(s, "MIN", xs),
            Expr::Max(xs) => self.list(s, "MAX", xs),
            Expr::Int(a) => self.list(s, "INT", std::slice::from_ref(a)),
            Expr::Round(a, p) => {
                s.push_str("ROUND(");
                self.write(s, a);
                let _ = write!(s, ",{p})");
            }
            Expr::RoundUp(a) => {
                s.push_str("ROUNDUP(");
                self.write(s, a);
                s.push_str(",0)");
            }
            Expr::If(c, a, b) => {
                s.push_str("IF(");
                self.write(s, c);
                self.pair(s, ",", ",", a, b, ")");
            }
            Expr::Compare(a, op, b) => {
                s.push('(');
                self.write(s, a);
                s.push_str(op.text());
                self.write(s, b);
                s.push(')');
            }
            Expr::And(xs) if xs.is_empty() => s.push_str("TRUE()"),
            Expr::Or(xs) if xs.is_empty() => s.push_str("FALSE()"),
            Expr::And(xs) => self.list(s, "AND", xs),
            Expr::Or(xs) => self.list(s, "OR", xs),
            Expr::Not(a) => self.list(s, "NOT", std::slice::from_ref(a)),
            Expr::Sum(xs) => self.list(s, "SUM", xs),
            Expr::MinOf(r) => {
                let _ = write!(s, "MIN({})", self.range(*r));
            }
            Expr::CountOf(r) => {
                let _ = write!(s, "COUNT({})", self.range(*r));
            }
            Expr::ArgMin(r) => {
                let r = self.range(*r);
                let _ = write!(s, "MATCH(MIN({r}),{r},0)");
            }
            Expr::Index(r, k) => {
                let _ = write!(s, "INDEX({},", self.range(*r));
                self.write(s, k);
                s.push(')');
            }
            Expr::Concat(xs) => self.infix(s, "&", xs),
            Expr::Money(a) => {
                s.push_str("TEXT(");
                self.write(s, a);
                s.push_str(",\"#,##0.00\")");
            }
            Expr::Na => s.push_str("NA()"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Grid {
        /// Evaluates in a cell of column A of sheet 0, below the test data.
        fn eval_at(&self, e: &Expr) -> Value {
            self.eval(e, Cell::new(0, 20, 0))
        }
    }

    fn grid() -> Grid {
        let mut g = Grid::default();
        g.set(Cell::new(0, 0, 0), Value::Num(100.0));
        g.set(Cell::new(0, 1, 0), Value::Num(0.4));
        g.set(Cell::new(0, 2, 0), Value::Text(String::new()));
        g.set(Cell::new(0, 3, 0), Value::Num(7.0));
        g.set(Cell::new(0, 4, 0), Value::Num(3.0));
        g.set(Cell::new(0, 5, 0), Value::Num(3.0));
        g
    }

    #[test]
    #[allow(clippy::float_cmp)] // Rounded results are exact binary values.
    fn rounds_like_a_spreadsheet() {
        // 1.005 is 1.00499999999999989… in binary; spreadsheets round it to 1.01.
        assert_eq!(
            round(1.005, 2, RoundingStrategy::MidpointAwayFromZero),
            1.01
        );
        assert_eq!(round(-2.5, 0, RoundingStrategy::MidpointAwayFromZero), -3.0);
        // 100 × 0.07 = 7.000000000000001 in binary; ROUNDUP(ROUND(…, 6), 0) gives 7, not 8.
        let g = Grid::default();
        let e = Expr::whole_up(Expr::times(Expr::Num(100.0), Expr::Num(0.07)));
        assert_eq!(g.eval_at(&e), Value::Num(7.0));
        assert_eq!(money_text(1_234_567.891), "1,234,567.89");
        assert_eq!(money_text(-5.0), "-5.00");
    }

    #[test]
    fn evaluates_and_renders_the_same_expression() {
        let g = grid();
        let sheets = vec!["Cost".to_owned(), "Prices".to_owned()];
        let r = Render {
            sheets: &sheets,
            at: Cell::new(0, 20, 0),
        };
        // ROUNDUP(100 × 0.4) = 40; 40 − MAX(0, 15) = 25.
        let e = Expr::minus(
            Expr::whole_up(Expr::times(
                Expr::Ref(Cell::new(0, 0, 0)),
                Expr::Ref(Cell::new(0, 1, 0)),
            )),
            Expr::max(Expr::Num(0.0), Expr::Ref(Cell::new(1, 4, 7))),
        );
        assert_eq!(
            r.formula(&e),
            "=(ROUNDUP(ROUND((A1*A2),6),0)-MAX(0,Prices!$H$5))"
        );
        assert_eq!(g.eval_at(&e), Value::Num(40.0));
        // An empty text counts as 0 in a sum and is ignored by MIN over a range.
        let col = Range {
            first: Cell::new(0, 0, 0),
            last: Cell::new(0, 5, 0),
        };
        assert_eq!(g.eval_at(&Expr::MinOf(col)), Value::Num(0.4));
        assert_eq!(g.eval_at(&Expr::CountOf(col)), Value::Num(5.0));
        // The first of two equal minima: rows 5 and 6 both hold 3.
        let tail = Range {
            first: Cell::new(0, 3, 0),
            last: Cell::new(0, 5, 0),
        };
        assert_eq!(g.eval_at(&Expr::ArgMin(tail)), Value::Num(2.0));
        assert_eq!(
            r.formula(&Expr::ArgMin(tail)),
            "=MATCH(MIN(A$4:A$6),A$4:A$6,0)"
        );
        assert_eq!(
            g.eval_at(&Expr::Index(tail, Box::new(Expr::Num(1.0)))),
            Value::Num(7.0)
        );
        let status = Expr::Concat(vec![
            Expr::Text("≥ "),
            Expr::Money(Box::new(Expr::Ref(Cell::new(0, 0, 0)))),
        ]);
        assert_eq!(g.eval_at(&status), Value::Text("≥ 100.00".into()));
        assert_eq!(r.formula(&status), "=(\"≥ \"&TEXT(A1,\"#,##0.00\"))");
        assert_eq!(
            g.eval_at(&Expr::cmp(
                Expr::Ref(Cell::new(0, 2, 0)),
                Cmp::Eq,
                Expr::Text("")
            )),
            Value::Num(1.0)
        );
    }
}
