//! `workbook.xlsx`: a finance workbook with a live cost model. Sheets: `Summary`, `Inputs`
//! (every assumption as a named, editable cell), `Prices` (every price, band and allowance as
//! data with its status and source), then per scenario a `Cost_` sheet (scimeter's cost model
//! as formulas over Inputs and Prices, one column per milestone and per month) and a `Proj_`
//! sheet (the month-by-month projection with native charts). Pure: data in, bytes out.
//!
//! Every formula is built as an expression that is also evaluated in Rust
//! ([`formula`]); the evaluated value is stored as the cached result, and tests compare it
//! with the engine's figures to the cent. Every text from the catalog is written as a string
//! cell, so a name such as `=cmd` never becomes a formula; formulas carry only numbers,
//! references, defined names and scimeter's own words. The document date is fixed, so the
//! bytes are the same on every run.

mod book;
mod cost_sheet;
pub mod formula;
mod inputs;
mod prices;
mod projection;

use super::scenario_report::ScenarioReport;
use crate::cost::money::Money;
use crate::load::Catalog;
use book::Book;
use cost_sheet::{CostLayout, Period};
use formula::{Cell, Expr, SheetId};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Url, Workbook, Worksheet, XlsxError};

/// The fixed document date: the bytes never depend on the clock.
const DOC_DATE: (u16, u8, u8) = (2026, 1, 1);

/// Excel's limit on sheet names.
const MAX_SHEET_NAME: usize = 31;

const SUMMARY: SheetId = 0;
const INPUTS: SheetId = 1;
const PRICES: SheetId = 2;

/// The workbook's bytes, with every formula's evaluated result cached.
pub fn workbook(catalog: &Catalog, reports: &[ScenarioReport<'_>]) -> Result<Vec<u8>, XlsxError> {
    workbook_with(catalog, reports, true)
}

/// The workbook's bytes. With `cache` false every formula's cached result is left at 0, so
/// only a spreadsheet that recalculates shows the right figures (the `LibreOffice` test uses
/// this to prove the recalculation really happened).
pub fn workbook_with(
    catalog: &Catalog,
    reports: &[ScenarioReport<'_>],
    cache: bool,
) -> Result<Vec<u8>, XlsxError> {
    // The evaluation model (`book`) is only needed to compute the cached results: drop it
    // before the sheets are serialised, which is the workbook's peak (issue 15).
    let Assembled { sheets, names, .. } = assemble(catalog, reports, cache)?;
    let mut wb = Workbook::new();
    wb.set_zip_compression_level(1);
    let (y, m, d) = DOC_DATE;
    let date = ExcelDateTime::from_ymd(y, m, d)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title("scimeter finance workbook")
            .set_creation_datetime(&date),
    );
    for ws in sheets {
        wb.push_worksheet(ws);
    }
    for (name, range) in &names {
        wb.define_name(name, range)?;
    }
    wb.save_to_buffer()
}

/// The sheets, their evaluated values, and where each scenario's results are.
struct Assembled {
    #[cfg_attr(not(test), allow(dead_code))]
    book: Book,
    sheets: Vec<Worksheet>,
    names: Vec<(String, String)>,
    #[cfg_attr(not(test), allow(dead_code))]
    layouts: Vec<(SheetId, CostLayout)>,
}

fn assemble(
    catalog: &Catalog,
    reports: &[ScenarioReport<'_>],
    cache: bool,
) -> Result<Assembled, XlsxError> {
    let ids: Vec<&str> = reports.iter().map(|r| r.scenario.id()).collect();
    let names = sheet_names(&ids);
    let mut book = Book::new(names.clone(), cache);
    let mut sheets: Vec<Worksheet> = Vec::with_capacity(names.len());
    for n in &names {
        let mut ws = Worksheet::new();
        ws.set_name(n)?;
        if cache {
            // An empty cached text must stay empty: the default would store it as 0, and an
            // unknown cost is never 0.
            ws.set_formula_result_default("");
        }
        sheets.push(ws);
    }
    let scenarios: Vec<_> = reports.iter().map(|r| r.scenario).collect();
    // Inputs and Prices cover the providers some scenario models.
    let shown: std::collections::BTreeSet<&str> = reports
        .iter()
        .flat_map(modelled)
        .map(crate::model::Provider::id)
        .collect();
    let priced: Vec<crate::model::Provider> = catalog
        .providers
        .iter()
        .filter(|p| shown.contains(p.id()))
        .cloned()
        .collect();
    let inputs = inputs::write(
        &mut book,
        &mut sheets[usize::from(INPUTS)],
        INPUTS,
        &scenarios,
        &priced,
    )?;
    let prices = prices::write(&mut book, &mut sheets[usize::from(PRICES)], PRICES, &priced)?;
    // Scenario sheets read only Inputs and Prices: write them in parallel, each with its
    // own copy of those values, then take their values back for the summary. They run on at
    // most as many threads as there are cores, each taking the next scenario when free (a
    // thread per scenario meant 100 threads for 100 scenarios). Results are joined in
    // scenario order, so the bytes do not depend on scheduling.
    let work: Vec<_> = reports
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let cost = std::mem::take(&mut sheets[3 + 2 * i]);
            let proj = std::mem::take(&mut sheets[4 + 2 * i]);
            (i, r, book.fork(), cost, proj)
        })
        .collect();
    let results: Vec<Result<(Book, Worksheet, Worksheet, CostLayout), XlsxError>> =
        crate::parallel::map(work, |(i, r, mut fork, mut cost, mut proj)| {
            let cost_id = SheetId::try_from(3 + 2 * i).unwrap_or(SheetId::MAX);
            let layout = cost_sheet::write(&mut fork, &mut cost, cost_id, r, &inputs, &prices)?;
            projection::write(&mut fork, &mut proj, cost_id + 1, cost_id, &layout, r)?;
            Ok((fork, cost, proj, layout))
        });
    let mut layouts = Vec::with_capacity(reports.len());
    for (i, result) in results.into_iter().enumerate() {
        let (fork, cost, proj, layout) = result?;
        book.join(fork);
        sheets[3 + 2 * i] = cost;
        sheets[4 + 2 * i] = proj;
        layouts.push((SheetId::try_from(3 + 2 * i).unwrap_or(SheetId::MAX), layout));
    }
    write_summary(
        &mut book,
        &mut sheets[usize::from(SUMMARY)],
        reports,
        &layouts,
    )?;
    Ok(Assembled {
        book,
        sheets,
        names: inputs.names,
        layouts,
    })
}

/// Every sheet's name, in order: `Summary`, `Inputs`, `Prices`, then each scenario's cost and
/// projection sheets. Excel cuts names at 31 characters and compares them without case, so
/// two long scenario ids that share their first 26 characters would give one name twice and
/// the file could not be written: a repeated name ends in `~N` instead (N from 2 up, the
/// first that is free), still within 31 characters.
pub fn sheet_names(scenario_ids: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = vec!["Summary".into(), "Inputs".into(), "Prices".into()];
    let mut used: std::collections::HashSet<String> =
        names.iter().map(|n| n.to_lowercase()).collect();
    for id in scenario_ids {
        for base in [cost_sheet(id), proj_sheet(id)] {
            let mut name = base.clone();
            let mut n = 1_u32;
            while !used.insert(name.to_lowercase()) {
                n += 1;
                let tag = format!("~{n}");
                // `sheet_name` keeps only ASCII, so any byte is a character boundary.
                name = format!(
                    "{}{tag}",
                    &base[..base.len().min(MAX_SHEET_NAME - tag.len())]
                );
            }
            names.push(name);
        }
    }
    names
}

/// The name of a scenario's cost sheet, before [`sheet_names`] makes it unique.
pub fn cost_sheet(id: &str) -> String {
    sheet_name("Cost_", id)
}

/// The name of a scenario's projection sheet, before [`sheet_names`] makes it unique.
pub fn proj_sheet(id: &str) -> String {
    sheet_name("Proj_", id)
}

fn sheet_name(prefix: &str, id: &str) -> String {
    let clean: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut s = format!("{prefix}{clean}");
    s.truncate(MAX_SHEET_NAME);
    s
}

/// The most providers a scenario's cost sheet models: beyond this a sheet would hold
/// millions of formulas (1,000 providers × 122 columns × 25 rows), and a finance model
/// compares a shortlist. The CSVs and `report.json` keep every provider.
pub const MAX_WORKBOOK_PROVIDERS: usize = 25;

/// The providers a scenario's sheets model, in catalog order: all of them, or the
/// [`MAX_WORKBOOK_PROVIDERS`] best-ranked (ranked before excluded) in a larger catalog.
pub fn modelled<'c>(r: &ScenarioReport<'c>) -> Vec<&'c crate::model::Provider> {
    if r.providers.len() <= MAX_WORKBOOK_PROVIDERS {
        return r.providers.clone();
    }
    let shortlist: Vec<&str> = r
        .ranking
        .ranked
        .iter()
        .map(|e| e.card.provider.as_str())
        .chain(r.ranking.excluded.iter().map(|x| x.provider.as_str()))
        .take(MAX_WORKBOOK_PROVIDERS)
        .collect();
    r.providers
        .iter()
        .copied()
        .filter(|p| shortlist.contains(&p.id()))
        .collect()
}

/// For spreadsheet cells only: the nearest `f64` of an exact amount.
fn decimal_f64(d: rust_decimal::Decimal) -> f64 {
    Money(d).to_f64()
}

fn write_summary(
    book: &mut Book,
    ws: &mut Worksheet,
    reports: &[ScenarioReport<'_>],
    layouts: &[(SheetId, CostLayout)],
) -> Result<(), XlsxError> {
    let at = |row: u32, col: u16| Cell::new(SUMMARY, row, col);
    let (title, bold) = (book.styles.title.clone(), book.styles.bold.clone());
    book.text(ws, at(0, 0), "scimeter finance workbook", Some(&title))?;
    book.text(
        ws,
        at(1, 0),
        "Winner: rank 1 of scimeter's weighted ranking (a value). Cheapest: the lowest fully known monthly cost at each milestone, a live formula over the cost sheet (a partly unknown cost is never counted as cheaper). Change Inputs or Prices and the cheapest follow.",
        None,
    )?;
    let most = reports
        .iter()
        .map(|r| r.scenario.milestones().len())
        .max()
        .unwrap_or(0);
    let mut heads = vec!["Scenario".to_owned(), "Winner".to_owned()];
    heads.extend((1..=most).map(|k| format!("Cheapest at milestone {k}")));
    heads.extend([
        "Costs".to_owned(),
        "Projection".to_owned(),
        "Inputs".to_owned(),
    ]);
    for (col, h) in (0u16..).zip(&heads) {
        book.text(ws, at(3, col), h, Some(&bold))?;
    }
    let link_col = 2 + u16::try_from(most).unwrap_or(0);
    for ((row, r), (cost_id, layout)) in (4u32..).zip(reports).zip(layouts) {
        book.text(ws, at(row, 0), &r.scenario.name, None)?;
        let winner = r
            .ranking
            .ranked
            .first()
            .map_or_else(|| "none".to_owned(), |w| w.card.name.clone());
        book.text(ws, at(row, 1), &winner, None)?;
        for (k, &n) in r.scenario.milestones().iter().enumerate() {
            let Some(col) = layout.col(Period::Milestone(k)) else {
                continue;
            };
            let cheapest = Expr::Ref(Cell::new(*cost_id, layout.cheapest_row, col));
            let label = Expr::Concat(vec![
                Expr::Ref(Cell::new(*cost_id, layout.customers_row, col)),
                Expr::Text(": "),
                cheapest,
            ]);
            let _ = n;
            book.formula(ws, at(row, 2 + u16::try_from(k).unwrap_or(0)), &label, None)?;
        }
        let cost = book.sheets[usize::from(*cost_id)].clone();
        let proj = book.sheets[usize::from(*cost_id) + 1].clone();
        ws.write_url(
            row,
            link_col,
            Url::new(format!("internal:'{cost}'!A1")).set_text(&cost),
        )?;
        ws.write_url(
            row,
            link_col + 1,
            Url::new(format!("internal:'{proj}'!A1")).set_text(&proj),
        )?;
        ws.write_url(
            row,
            link_col + 2,
            Url::new("internal:'Inputs'!A1").set_text("Inputs"),
        )?;
    }
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_column_width(0, 60)?;
    ws.set_column_width(1, 14)?;
    for k in 0..u16::try_from(most).unwrap_or(0) {
        ws.set_column_width(2 + k, 26)?;
    }
    ws.set_column_width(link_col, 26)?;
    ws.set_column_width(link_col + 1, 26)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use formula::col_name;
    use inputs::defined_name;
    use std::io::Read;

    /// The text of one part of the xlsx zip.
    fn part(bytes: &[u8], name: &str) -> String {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut f = z.by_name(name).unwrap();
        let mut s = String::new();
        f.read_to_string(&mut s).unwrap();
        s
    }

    /// The shipped catalog, with one provider renamed to a formula-looking string.
    #[test]
    fn deterministic_and_hostile_text_stays_text() {
        let loaded = crate::load::load_catalog(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
            crate::load::LoadOptions {
                as_of: "2026-03-01".parse::<crate::model::Date>().unwrap(),
                max_age_days: i64::MAX,
            },
        );
        let mut catalog = loaded.catalog.expect("the shipped catalog loads");
        let hostile = "=cmd|'/C calc'!A0";
        catalog.providers[0].name = hostile.to_owned();
        catalog.providers[1].name = "+SUM(1,1)".to_owned();
        let settings = crate::estimate::simulation::Settings { draws: 50, seed: 7 };
        let reports: Vec<ScenarioReport<'_>> = catalog
            .scenarios
            .iter()
            .map(|s| ScenarioReport::build(&catalog, s, settings).unwrap())
            .collect();
        let a = workbook(&catalog, &reports).unwrap();
        let b = workbook(&catalog, &reports).unwrap();
        assert_eq!(a, b, "the bytes depend on nothing but the data");
        let core = part(&a, "docProps/core.xml");
        assert!(core.contains("2026-01-01T00:00:00Z"), "{core}");
        let strings = part(&a, "xl/sharedStrings.xml");
        assert!(
            strings.contains("=cmd|'/C calc'!A0"),
            "stored as a shared string"
        );
        assert!(strings.contains("+SUM(1,1)"));
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(&a[..])).unwrap();
        let names: Vec<String> = (0..z.len())
            .map(|i| z.by_index(i).unwrap().name().unwrap().into_owned())
            .collect();
        for n in names
            .iter()
            .filter(|n| n.starts_with("xl/worksheets/sheet"))
        {
            let mut s = String::new();
            z.by_name(n).unwrap().read_to_string(&mut s).unwrap();
            for f in s.split("<f>").skip(1) {
                let f = &f[..f.find("</f>").unwrap()];
                assert!(!f.contains("cmd") && !f.contains("SUM(1,1)"), "{n}: {f}");
            }
        }
        // Auth0's wholly unknown total (first summary row of the first cost sheet) is cached
        // as an empty text, never as 0.
        let cost = part(&a, "xl/worksheets/sheet4.xml");
        let d5 = &cost[cost.find("<c r=\"D5\"").unwrap()..];
        let d5 = &d5[..d5.find("</c>").unwrap()];
        assert!(d5.contains("t=\"str\"") && d5.ends_with("<v></v>"), "{d5}");
        let uncached = workbook_with(&catalog, &reports, false).unwrap();
        assert_ne!(a, uncached);
    }

    /// The priced part of a cost as the sheets show it: the amount or a non-zero floor;
    /// `None` (an empty cell) when unavailable or wholly unknown.
    fn shown(v: &crate::cost::CostValue) -> Option<f64> {
        use crate::cost::CostValue;
        match v {
            CostValue::Known { amount } => Some(amount.to_f64()),
            CostValue::AtLeast { floor, .. } if !floor.is_zero() => Some(floor.to_f64()),
            CostValue::AtLeast { .. } | CostValue::Unavailable { .. } => None,
        }
    }

    fn check_cell(what: &str, got: &formula::Value, want: Option<f64>) {
        use formula::Value;
        match (got, want) {
            (Value::Num(g), Some(w)) => assert!((g - w).abs() < 0.004, "{what}: {g} ≠ {w}"),
            (Value::Text(t), None) if t.is_empty() => {}
            (Value::Na, None) => {}
            _ => panic!("{what}: the sheet has {got:?}, the engine {want:?}"),
        }
    }

    /// Every live total of every cost sheet, evaluated by the formula evaluator, equals the
    /// engine's figure to the cent: milestones, one-time costs, each month and the running
    /// total, and the status word.
    fn agrees_with_engine(catalog: &Catalog) -> usize {
        use crate::cost::CostValue;
        use formula::Value;
        let settings = crate::estimate::simulation::Settings { draws: 20, seed: 7 };
        let reports: Vec<ScenarioReport<'_>> = catalog
            .scenarios
            .iter()
            .map(|s| ScenarioReport::build(catalog, s, settings).unwrap())
            .collect();
        let built = assemble(catalog, &reports, true).unwrap();
        let mut checked = 0;
        for (r, (sheet, layout)) in reports.iter().zip(&built.layouts) {
            let v = |row: u32, col: u16| built.book.value(Cell::new(*sheet, row, col));
            for pr in &layout.providers {
                let at = format!("{} / {}", r.scenario.id(), pr.name);
                for (k, &n) in r.scenario.milestones().iter().enumerate() {
                    let col = layout.col(Period::Milestone(k)).unwrap();
                    let m = r
                        .milestones
                        .iter()
                        .find(|m| m.customers == n && m.provider == pr.id)
                        .unwrap();
                    if let Some(row) = pr.monthly {
                        check_cell(
                            &format!("{at} monthly at {n}"),
                            &v(row, col),
                            shown(&m.quote.recurring),
                        );
                        let status = v(pr.status.unwrap(), col);
                        let word = match &m.quote.recurring {
                            CostValue::Known { .. } => "exact".to_owned(),
                            CostValue::AtLeast { floor, .. } if floor.is_zero() => {
                                "unknown".to_owned()
                            }
                            CostValue::AtLeast { floor, .. } => {
                                format!("≥ {} + unknown", &floor.display("USD")[1..])
                            }
                            CostValue::Unavailable { .. } => "unavailable".to_owned(),
                        };
                        assert_eq!(status, Value::Text(word), "{at} status at {n}");
                        check_cell(
                            &format!("{at} one-time at {n}"),
                            &v(pr.one_time.unwrap(), col),
                            shown(&m.quote.one_time),
                        );
                        checked += 3;
                    } else {
                        assert!(
                            matches!(m.quote.recurring, CostValue::Unavailable { .. }),
                            "{at}"
                        );
                    }
                }
                let proj = r
                    .projection
                    .projections
                    .iter()
                    .find(|p| p.provider == pr.id)
                    .unwrap();
                for (j, month) in proj.months.iter().enumerate() {
                    let col = layout
                        .col(Period::Month(u32::try_from(j + 1).unwrap()))
                        .unwrap();
                    assert_eq!(
                        v(layout.customers_row, col),
                        Value::Num(month.customers as f64),
                        "{at} customers in month {}",
                        j + 1
                    );
                    if let (Some(t), Some(c)) = (pr.month_total, pr.cumulative) {
                        check_cell(
                            &format!("{at} month {}", j + 1),
                            &v(t, col),
                            shown(&month.total),
                        );
                        check_cell(
                            &format!("{at} cumulative {}", j + 1),
                            &v(c, col),
                            shown(&month.cumulative),
                        );
                        checked += 2;
                    }
                }
            }
        }
        checked
    }

    fn shipped() -> Catalog {
        crate::load::load_catalog(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
            crate::load::LoadOptions {
                as_of: "2026-03-01".parse::<crate::model::Date>().unwrap(),
                max_age_days: i64::MAX,
            },
        )
        .catalog
        .expect("the shipped catalog loads")
    }

    #[test]
    fn formulas_agree_with_the_engine_on_the_shipped_catalog() {
        assert!(agrees_with_engine(&shipped()) > 1000);
    }

    /// The same with everything the shipped scenarios leave at its default: estimates used,
    /// annual billing, a 5 % escalator over three years, a 10 % discount, no hourly rate
    /// (hours unknown), 30 % more seats, and compound growth.
    #[test]
    fn formulas_agree_with_the_engine_on_varied_scenarios() {
        use crate::model::price::Amount;
        use rust_decimal::Decimal;
        let mut c = shipped();
        for (i, sc) in c.scenarios.iter_mut().enumerate() {
            sc.billing.use_estimates = i % 2 == 0;
            if i % 3 == 0 {
                sc.billing.cycle = crate::model::scenario::Cycle::Annual;
            }
            sc.billing.escalator = Some(Amount(Decimal::new(5, 2)));
            sc.billing.discounts.insert(
                "workos".into(),
                crate::model::Ranged::point(Decimal::new(10, 2)),
            );
            sc.billing.discounts.insert(
                "clerk".into(),
                crate::model::Ranged::point(Decimal::new(125, 3)),
            );
            if i == 1 {
                sc.engineering.hourly_rate = None;
            }
            sc.usage.seats = crate::model::Ranged::point(sc.usage.seats.likely * 1.3);
            if i == 2 {
                sc.growth.kind = crate::model::scenario::GrowthKind::Compound;
                sc.growth.start = Some(80.0);
                sc.growth.monthly_rate = Some(0.07);
                sc.growth.cap = Some(900.0);
                sc.growth.end = None;
            }
        }
        assert!(agrees_with_engine(&c) > 1000);
    }

    /// A synthetic catalog (all four pricing models, random bands, unknown prices, 30
    /// providers): the formulas still agree with the engine, and a sheet models the 25
    /// best-ranked providers.
    #[test]
    fn formulas_agree_on_a_synthetic_catalog_and_model_a_shortlist() {
        let c = crate::synthetic::catalog(30, 2, 24, 3).expect("the synthetic catalog loads");
        assert!(agrees_with_engine(&c) > 500);
        let settings = crate::estimate::simulation::Settings { draws: 20, seed: 7 };
        let r = ScenarioReport::build(&c, &c.scenarios[0], settings).unwrap();
        let shown = modelled(&r);
        assert_eq!(shown.len(), MAX_WORKBOOK_PROVIDERS);
        let best = &r.ranking.ranked[0].card.provider;
        assert!(
            shown.iter().any(|p| p.id() == best),
            "the winner is modelled"
        );
    }

    #[test]
    fn names_are_valid() {
        assert_eq!(cost_sheet("baseline"), "Cost_baseline");
        assert!(cost_sheet(&"x".repeat(40)).len() <= MAX_SHEET_NAME);
    }

    #[test]
    fn long_scenario_ids_that_share_a_prefix_get_distinct_sheet_names() {
        // Both ids cut to `Cost_north-america-enterprise-2` (31 characters); the second
        // becomes `…-enterprise~2`, and a third id differing only in case `~3`.
        let names = sheet_names(&[
            "north-america-enterprise-2026-low",
            "north-america-enterprise-2026-high",
            "NORTH-america-enterprise-2026-mid",
            "baseline",
        ]);
        assert_eq!(names[3], "Cost_north-america-enterprise-2");
        assert_eq!(names[5], "Cost_north-america-enterprise~2");
        assert_eq!(names[7], "Cost_NORTH-america-enterprise~3");
        assert_eq!(names[8], "Proj_NORTH-america-enterprise~3");
        assert_eq!(names[9], "Cost_baseline");
        let lower: std::collections::HashSet<String> =
            names.iter().map(|n| n.to_lowercase()).collect();
        assert_eq!(lower.len(), names.len());
        assert!(names.iter().all(|n| n.len() <= MAX_SHEET_NAME));
        assert_eq!(
            defined_name("enterprise-100", "customers_1"),
            "enterprise_100_customers_1"
        );
        assert_eq!(defined_name("1x", "seats"), "_1x_seats");
        assert_eq!(col_name(0), "A");
        assert_eq!(col_name(25), "Z");
        assert_eq!(col_name(26), "AA");
    }
}
