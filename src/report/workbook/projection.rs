//! A scenario's `Proj_` sheet: one row per month, reading its cost sheet's month columns,
//! with two native charts over these cells (monthly cost versus customers, and cumulative
//! cost by month). An unknown or unavailable month is `#N/A`, which charts leave as a gap
//! (an empty text would be drawn as 0, and an unknown cost is never 0).

use super::book::Book;
use super::cost_sheet::{CostLayout, Period};
use super::formula::{Cell, Cmp, Expr, SheetId};
use crate::cost::CostValue;
use crate::report::scenario_report::ScenarioReport;
use rust_xlsxwriter::{Chart, ChartLegendPosition, ChartType, Worksheet, XlsxError};

/// Writes the projection sheet.
pub fn write(
    book: &mut Book,
    ws: &mut Worksheet,
    sheet: SheetId,
    cost_sheet: SheetId,
    layout: &CostLayout,
    r: &ScenarioReport<'_>,
) -> Result<(), XlsxError> {
    let name = book.sheets[usize::from(sheet)].clone();
    let cur = r.scenario.currency();
    let (title, bold, money) = (
        book.styles.title.clone(),
        book.styles.bold.clone(),
        book.styles.money.clone(),
    );
    let at = |row: u32, col: u16| Cell::new(sheet, row, col);
    book.text(
        ws,
        at(0, 0),
        &format!("Monthly projection: {}", r.scenario.name),
        Some(&title),
    )?;
    book.text(
        ws,
        at(1, 0),
        &format!(
            "Customers from the growth inputs; each provider's monthly and cumulative cost in {cur}, read from the cost sheet's live formulas. #N/A: unknown or unavailable (the charts leave a gap; an unknown cost is never 0). A partly unknown month shows its floor."
        ),
        None,
    )?;
    let head = 3u32;
    book.text(ws, at(head, 0), "Month", Some(&bold))?;
    book.text(ws, at(head, 1), "Customers", Some(&bold))?;
    let first = head + 1;
    let months: Vec<(u32, u16)> = layout
        .periods
        .iter()
        .filter_map(|p| match p {
            Period::Month(m) => layout.col(*p).map(|c| (*m, c)),
            Period::Milestone(_) => None,
        })
        .collect();
    let src = |row: u32, col: u16| Expr::Ref(Cell::new(cost_sheet, row, col));
    let or_na = |e: Expr| Expr::if_(Expr::cmp(e.clone(), Cmp::Eq, Expr::Text("")), Expr::Na, e);
    for (k, &(_, col)) in months.iter().enumerate() {
        let row = first + u32::try_from(k).unwrap_or(u32::MAX);
        book.formula(ws, at(row, 0), &src(layout.month_row, col), None)?;
        book.formula(ws, at(row, 1), &src(layout.customers_row, col), None)?;
    }
    let last = first
        + u32::try_from(months.len())
            .unwrap_or(u32::MAX)
            .saturating_sub(1);
    let mut monthly_chart = Chart::new(ChartType::ScatterStraight);
    monthly_chart
        .title()
        .set_name("Monthly cost versus customers");
    monthly_chart.x_axis().set_name("Customers");
    monthly_chart
        .y_axis()
        .set_name(format!("Monthly cost ({cur})").as_str());
    let mut cum_chart = Chart::new(ChartType::Line);
    cum_chart.title().set_name("Cumulative cost");
    cum_chart.x_axis().set_name("Month");
    cum_chart
        .y_axis()
        .set_name(format!("Cumulative cost ({cur})").as_str());
    for chart in [&mut monthly_chart, &mut cum_chart] {
        // Room for the plot above a legend of every provider.
        chart.set_width(960).set_height(520);
        chart.legend().set_position(ChartLegendPosition::Bottom);
        chart.y_axis().set_num_format("#,##0");
    }
    let mut col = 2u16;
    let mut notes = Vec::new();
    for p in &layout.providers {
        let proj = r.projection.projections.iter().find(|x| x.provider == p.id);
        book.text(
            ws,
            at(head, col),
            &format!("{} monthly", p.name),
            Some(&bold),
        )?;
        book.text(
            ws,
            at(head, col + 1),
            &format!("{} cumulative", p.name),
            Some(&bold),
        )?;
        for (k, &(_, c)) in months.iter().enumerate() {
            let row = first + u32::try_from(k).unwrap_or(u32::MAX);
            for (dc, src_row) in [(0u16, p.month_total), (1, p.cumulative)] {
                let e = src_row.map_or(Expr::Na, |sr| or_na(src(sr, c)));
                book.formula(ws, at(row, col + dc), &e, Some(&money))?;
            }
        }
        if proj.is_some_and(|proj| {
            proj.months
                .iter()
                .any(|m| matches!(m.total, CostValue::AtLeast { .. }))
        }) {
            notes.push(format!(
                "{}: partly unknown; the figures are floors (≥ … + unknown)",
                p.name
            ));
        }
        if !months.is_empty() {
            monthly_chart
                .add_series()
                .set_name((name.as_str(), head, col))
                .set_categories((name.as_str(), first, 1, last, 1))
                .set_values((name.as_str(), first, col, last, col));
            cum_chart
                .add_series()
                .set_name((name.as_str(), head, col + 1))
                .set_categories((name.as_str(), first, 0, last, 0))
                .set_values((name.as_str(), first, col + 1, last, col + 1));
        }
        ws.set_column_width(col, 16)?;
        ws.set_column_width(col + 1, 18)?;
        col += 2;
    }
    // The notes go below both charts (which span about 55 rows).
    for (note_row, n) in (first + 57..).zip(notes) {
        book.text(ws, at(note_row, col + 1), &n, None)?;
    }
    if !months.is_empty() {
        ws.insert_chart(first, col + 1, &monthly_chart)?;
        ws.insert_chart(first + 28, col + 1, &cum_chart)?;
    }
    ws.set_freeze_panes(first, 2)?;
    Ok(())
}
