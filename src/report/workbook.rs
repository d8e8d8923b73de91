//! `workbook.xlsx`: a finance workbook (Summary, Inputs, Prices, one `Cost_` and one `Proj_`
//! sheet per scenario, with native charts). Pure: data in, bytes out.
//!
//! Every text from the catalog is written with `write_string`, so a name such as `=cmd` stays
//! text and never becomes a formula. The document date is fixed, so the bytes are the same on
//! every run.
//!
//! Line items are the engine's exact amounts (values); totals, annual figures and cumulative
//! costs are formulas over them, with the engine's figure stored as the cached result. An
//! unpriced line is left empty (never 0) and the total's status cell says "≥ … + unknown".

use super::scenario_report::ScenarioReport;
use crate::cost::CostValue;
use crate::cost::money::Money;
use crate::load::Catalog;
use crate::model::price::{Price, UnknownReason};
use crate::model::pricing::Charge;
use rust_xlsxwriter::{
    Chart, ChartType, DocProperties, ExcelDateTime, Format, Formula, Url, Workbook, Worksheet,
    XlsxError,
};

/// The fixed document date: the bytes never depend on the clock.
const DOC_DATE: (u16, u8, u8) = (2026, 1, 1);

/// Excel's limit on sheet names.
const MAX_SHEET_NAME: usize = 31;

/// The workbook's bytes, with scimeter's figures cached as the formulas' results.
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
    let mut wb = Workbook::new();
    let (y, m, d) = DOC_DATE;
    let date = ExcelDateTime::from_ymd(y, m, d)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title("scimeter finance workbook")
            .set_creation_datetime(&date),
    );
    let styles = Styles::new(cache);

    let mut summary = Worksheet::new();
    summary.set_name("Summary")?;
    write_summary(&mut summary, reports, &styles)?;
    wb.push_worksheet(summary);

    let mut inputs = Worksheet::new();
    inputs.set_name("Inputs")?;
    let names = write_inputs(&mut inputs, reports, &styles)?;
    wb.push_worksheet(inputs);
    for (name, range) in names {
        wb.define_name(name, &range)?;
    }

    let mut prices = Worksheet::new();
    prices.set_name("Prices")?;
    write_prices(&mut prices, catalog, &styles)?;
    wb.push_worksheet(prices);

    for r in reports {
        let mut cost = Worksheet::new();
        cost.set_name(cost_sheet(r.scenario.id()))?;
        write_costs(&mut cost, r, &styles)?;
        wb.push_worksheet(cost);

        let mut proj = Worksheet::new();
        let name = proj_sheet(r.scenario.id());
        proj.set_name(&name)?;
        write_projection(&mut proj, &name, r, &styles)?;
        wb.push_worksheet(proj);
    }
    wb.save_to_buffer()
}

/// The name of a scenario's cost sheet.
pub fn cost_sheet(id: &str) -> String {
    sheet_name("Cost_", id)
}

/// The name of a scenario's projection sheet.
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

/// A defined name from a scenario id and a label: letters, digits and `_` only.
fn defined_name(id: &str, label: &str) -> String {
    let raw = format!("{id}_{label}");
    let mut s: String = raw
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if !s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        s.insert(0, '_');
    }
    s
}

/// Cell formats.
struct Styles {
    bold: Format,
    money: Format,
    title: Format,
    cache: bool,
}

impl Styles {
    fn new(cache: bool) -> Styles {
        Styles {
            cache,
            bold: Format::new().set_bold(),
            money: Format::new().set_num_format("#,##0.00"),
            title: Format::new().set_bold().set_font_size(14),
        }
    }
}

impl Styles {
    /// A formula, with `value` as its cached result when caching.
    fn formula(&self, text: String, value: f64) -> Formula {
        let f = Formula::new(text);
        if self.cache {
            f.set_result(format!("{value}"))
        } else {
            f
        }
    }
}

fn headers(ws: &mut Worksheet, row: u32, cols: &[&str], s: &Styles) -> Result<(), XlsxError> {
    for (c, h) in cols.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *h, &s.bold)?;
    }
    Ok(())
}

/// The cheapest provider with a fully known monthly cost at a milestone (ties: catalog order).
fn cheapest(r: &ScenarioReport<'_>, customers: u64) -> Option<String> {
    let mut best: Option<(&str, Money)> = None;
    for m in r.milestones.iter().filter(|m| m.customers == customers) {
        if let CostValue::Known { amount } = m.quote.recurring
            && best.is_none_or(|(_, b)| amount.0 < b.0)
        {
            best = Some((&m.provider, amount));
        }
    }
    best.map(|(id, _)| r.name(id))
}

fn write_summary(
    ws: &mut Worksheet,
    reports: &[ScenarioReport<'_>],
    s: &Styles,
) -> Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, "scimeter finance workbook", &s.title)?;
    ws.write_string(
        1,
        0,
        "Winner: rank 1 of the weighted ranking. Cheapest: the lowest fully known monthly cost at the milestone (a partly unknown cost is never counted as cheaper).",
    )?;
    headers(
        ws,
        3,
        &[
            "Scenario",
            "Winner",
            "Cheapest at each milestone",
            "Costs",
            "Projection",
            "Inputs",
        ],
        s,
    )?;
    for (row, r) in (4u32..).zip(reports) {
        let id = r.scenario.id();
        ws.write_string(row, 0, &r.scenario.name)?;
        let winner = r
            .ranking
            .ranked
            .first()
            .map_or_else(|| "none".to_owned(), |w| w.card.name.clone());
        ws.write_string(row, 1, &winner)?;
        let cheap: Vec<String> = r
            .scenario
            .milestones()
            .iter()
            .map(|&n| {
                format!(
                    "{n}: {}",
                    cheapest(r, n).unwrap_or_else(|| "no fully known cost".to_owned())
                )
            })
            .collect();
        ws.write_string(row, 2, cheap.join("; "))?;
        let cost = cost_sheet(id);
        let proj = proj_sheet(id);
        ws.write_url(
            row,
            3,
            Url::new(format!("internal:'{cost}'!A1")).set_text(&cost),
        )?;
        ws.write_url(
            row,
            4,
            Url::new(format!("internal:'{proj}'!A1")).set_text(&proj),
        )?;
        ws.write_url(row, 5, Url::new("internal:'Inputs'!A1").set_text("Inputs"))?;
    }
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_column_width(0, 50)?;
    ws.set_column_width(1, 14)?;
    ws.set_column_width(2, 60)?;
    ws.set_column_width(3, 28)?;
    ws.set_column_width(4, 28)?;
    Ok(())
}

/// Writes the Inputs sheet; returns the defined names (name, `=Inputs!$B$n`).
fn write_inputs(
    ws: &mut Worksheet,
    reports: &[ScenarioReport<'_>],
    s: &Styles,
) -> Result<Vec<(String, String)>, XlsxError> {
    ws.write_string_with_format(0, 0, "Usage assumptions per scenario", &s.title)?;
    ws.write_string(
        1,
        0,
        "The scenario files' figures. The cost sheets hold the engine's figures for these inputs.",
    )?;
    let mut names = Vec::new();
    let mut row = 3u32;
    for r in reports {
        let sc = r.scenario;
        let id = sc.id();
        ws.write_string_with_format(row, 0, &sc.name, &s.bold)?;
        ws.write_string(row, 1, id)?;
        row += 1;
        let u = &sc.usage;
        let mut items: Vec<(String, String, f64)> = sc
            .milestones()
            .iter()
            .enumerate()
            .map(|(k, &n)| {
                (
                    format!("Customers at milestone {}", k + 1),
                    format!("customers_{}", k + 1),
                    n as f64,
                )
            })
            .collect();
        items.extend([
            (
                "SCIM directories per customer".to_owned(),
                "directory_connections".to_owned(),
                u.directory_connections,
            ),
            (
                "SSO connections per customer".to_owned(),
                "sso_connections".to_owned(),
                u.sso_connections,
            ),
            (
                "Seats per customer (likely)".to_owned(),
                "seats".to_owned(),
                u.seats.likely,
            ),
            (
                "Active share (likely)".to_owned(),
                "active_share".to_owned(),
                u.active_share.likely,
            ),
            ("Other MAU".to_owned(), "other_mau".to_owned(), u.other_mau),
            (
                "Organizations per customer".to_owned(),
                "organizations".to_owned(),
                u.organizations,
            ),
            (
                "API requests per customer".to_owned(),
                "api_requests".to_owned(),
                u.api_requests,
            ),
            (
                "Horizon (months)".to_owned(),
                "horizon_months".to_owned(),
                f64::from(sc.horizon()),
            ),
        ]);
        for (label, key, v) in items {
            ws.write_string(row, 0, &label)?;
            ws.write_number(row, 1, v)?;
            let name = defined_name(id, &key);
            ws.write_string(row, 2, &name)?;
            names.push((name, format!("=Inputs!$B${}", row + 1)));
            row += 1;
        }
        row += 1;
    }
    ws.set_column_width(0, 34)?;
    ws.set_column_width(2, 40)?;
    Ok(names)
}

fn price_status(p: &Price) -> (&'static str, Option<f64>, Option<String>) {
    match p {
        Price::Known(d) => ("published", Some(decimal_f64(*d)), None),
        Price::Unpublished {
            reason,
            estimate,
            note,
        } => {
            let status = match (estimate, reason) {
                (Some(_), _) => "estimate",
                (None, UnknownReason::ContactSales) => "quote (contact sales)",
                (None, UnknownReason::Unknown) => "unknown",
            };
            (
                status,
                estimate.as_ref().map(|e| decimal_f64(e.likely)),
                note.clone(),
            )
        }
    }
}

fn decimal_f64(d: rust_decimal::Decimal) -> f64 {
    Money(d).to_f64()
}

/// One row of the Prices sheet.
struct PriceRow<'a> {
    provider: &'a str,
    kind: &'a str,
    item: String,
    meter: String,
    mode: String,
    band: String,
    included: Option<u64>,
    price: Option<&'a Price>,
    source: Option<&'a str>,
}

impl<'a> PriceRow<'a> {
    /// A price that is not a band of a charge: a fee, a rate, a one-time or recurring amount.
    fn fee(
        provider: &'a str,
        kind: &'a str,
        item: String,
        price: Option<&'a Price>,
        source: Option<&'a str>,
    ) -> PriceRow<'a> {
        PriceRow {
            provider,
            kind,
            item,
            meter: String::new(),
            mode: String::new(),
            band: String::new(),
            included: None,
            price,
            source,
        }
    }
}

fn write_price_row(ws: &mut Worksheet, row: u32, p: &PriceRow<'_>) -> Result<(), XlsxError> {
    ws.write_string(row, 0, p.provider)?;
    ws.write_string(row, 1, p.kind)?;
    ws.write_string(row, 2, &p.item)?;
    ws.write_string(row, 3, &p.meter)?;
    ws.write_string(row, 4, &p.mode)?;
    ws.write_string(row, 5, &p.band)?;
    if let Some(i) = p.included {
        ws.write_number(row, 6, i as f64)?;
    }
    if let Some(price) = p.price {
        let (status, value, note) = price_status(price);
        match price {
            Price::Known(_) => {
                if let Some(v) = value {
                    ws.write_number(row, 7, v)?;
                }
            }
            Price::Unpublished { .. } => {
                if let Some(v) = value {
                    ws.write_number(row, 9, v)?;
                }
            }
        }
        ws.write_string(row, 8, status)?;
        if let Some(n) = note {
            ws.write_string(row, 11, n)?;
        }
    }
    if let Some(src) = p.source {
        ws.write_string(row, 10, src)?;
    }
    Ok(())
}

fn charge_rows<'a>(
    provider: &'a str,
    kind: &'a str,
    owner: &str,
    c: &'a Charge,
    fallback_source: Option<&'a str>,
) -> Vec<PriceRow<'a>> {
    let meter = c.meter.as_str().to_owned();
    let item = c
        .name
        .clone()
        .map_or_else(|| format!("{owner}: {meter}"), |n| format!("{owner}: {n}"));
    let mode = c.mode.map(|m| m.as_str().to_owned()).unwrap_or_default();
    let source = c.source.as_deref().or(fallback_source);
    let mut rows = Vec::new();
    if let Some(up) = &c.unit_price {
        rows.push(PriceRow {
            provider,
            kind,
            item: item.clone(),
            meter: meter.clone(),
            mode: mode.clone(),
            band: "every unit".to_owned(),
            included: c.included,
            price: Some(up),
            source,
        });
    }
    let mut lower = 0u64;
    for t in c.tiers.iter().flatten() {
        let band = match t.up_to {
            Some(u) => format!("{}–{u}", lower + 1),
            None => format!("{}+", lower + 1),
        };
        rows.push(PriceRow {
            provider,
            kind,
            item: item.clone(),
            meter: meter.clone(),
            mode: mode.clone(),
            band: band.clone(),
            included: c.included,
            price: Some(&t.unit_price),
            source,
        });
        if let Some(f) = &t.flat_fee {
            rows.push(PriceRow {
                provider,
                kind,
                item: format!("{item} (flat fee per band)"),
                meter: meter.clone(),
                mode: mode.clone(),
                band,
                included: None,
                price: Some(f),
                source,
            });
        }
        lower = t.up_to.unwrap_or(lower);
    }
    rows
}

fn write_prices(ws: &mut Worksheet, catalog: &Catalog, s: &Styles) -> Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, "Prices as data", &s.title)?;
    ws.write_string(
        1,
        0,
        "Status: published (an exact public price), estimate (unpublished; the likely estimate is shown apart), quote (contact sales), unknown (not found). An unpublished price is never 0.",
    )?;
    headers(
        ws,
        3,
        &[
            "Provider",
            "Kind",
            "Item",
            "Meter",
            "Mode",
            "Band (units)",
            "Included",
            "Price",
            "Status",
            "Estimate (likely)",
            "Source",
            "Note",
        ],
        s,
    )?;
    let mut row = 4u32;
    for p in &catalog.providers {
        let pid = p.id();
        let pr = &p.pricing;
        let psrc = pr.source.as_deref();
        let mut rows: Vec<PriceRow<'_>> = Vec::new();
        if let Some(h) = &pr.hourly_rate {
            rows.push(PriceRow::fee(
                pid,
                "hourly rate",
                "engineering hour".to_owned(),
                Some(h),
                psrc,
            ));
        }
        for plan in &pr.plans {
            let src = plan.source.as_deref().or(psrc);
            let label = plan.label();
            if let Some(f) = &plan.base_fee {
                rows.push(PriceRow::fee(
                    pid,
                    "plan fee (monthly)",
                    label.clone(),
                    Some(f),
                    src,
                ));
            }
            if let Some(f) = &plan.annual_base_fee {
                rows.push(PriceRow::fee(
                    pid,
                    "plan fee (annual billing)",
                    label.clone(),
                    Some(f),
                    src,
                ));
            }
            for c in &plan.charges {
                rows.extend(charge_rows(pid, "plan charge", &label, c, src));
            }
        }
        for a in &pr.addons {
            let src = a.source.as_deref().or(psrc);
            let label = a.label();
            if let Some(f) = &a.fee {
                rows.push(PriceRow::fee(
                    pid,
                    "add-on fee",
                    label.clone(),
                    Some(f),
                    src,
                ));
            }
            for c in &a.charges {
                rows.extend(charge_rows(pid, "add-on charge", &label, c, src));
            }
        }
        for o in &pr.one_time {
            rows.push(PriceRow::fee(
                pid,
                "one-time",
                o.name.clone().unwrap_or_else(|| o.id.to_string()),
                o.amount.as_ref(),
                o.source.as_deref().or(psrc),
            ));
        }
        for o in &pr.recurring {
            rows.push(PriceRow::fee(
                pid,
                "recurring (outside plans)",
                o.name.clone().unwrap_or_else(|| o.id.to_string()),
                o.amount.as_ref(),
                o.source.as_deref().or(psrc),
            ));
        }
        for r in &rows {
            write_price_row(ws, row, r)?;
            row += 1;
        }
    }
    ws.set_column_width(0, 18)?;
    ws.set_column_width(1, 22)?;
    ws.set_column_width(2, 40)?;
    ws.set_column_width(10, 50)?;
    Ok(())
}

/// The status text of a cost.
fn status_text(v: &CostValue, cur: &str) -> String {
    match v {
        CostValue::Known { .. } => "exact".to_owned(),
        CostValue::AtLeast { floor, unknown } if floor.is_zero() => {
            format!("unknown ({})", unknown.join("; "))
        }
        CostValue::AtLeast { floor, unknown } => {
            format!(
                "≥ {} + unknown ({})",
                floor.display(cur),
                unknown.join("; ")
            )
        }
        CostValue::Unavailable { reason } => format!("unavailable: {reason}"),
    }
}

/// The priced part of a cost: the amount, or a non-zero floor; none when unavailable or
/// wholly unknown (an unknown cost is never shown as 0).
fn priced(v: &CostValue) -> Option<f64> {
    match v {
        CostValue::Known { amount } => Some(amount.to_f64()),
        CostValue::AtLeast { floor, .. } if !floor.is_zero() => Some(floor.to_f64()),
        CostValue::AtLeast { .. } | CostValue::Unavailable { .. } => None,
    }
}

fn write_costs(ws: &mut Worksheet, r: &ScenarioReport<'_>, s: &Styles) -> Result<(), XlsxError> {
    let cur = r.scenario.currency();
    ws.write_string_with_format(0, 0, format!("Costs: {}", r.scenario.name), &s.title)?;
    ws.write_string(
        1,
        0,
        format!(
            "Steady state at each milestone, in {cur}. Line amounts are scimeter's figures; totals are formulas over them. An empty amount is an unpublished price, never 0."
        ),
    )?;
    headers(
        ws,
        3,
        &[
            "Provider",
            "Customers",
            "Plan",
            "Kind",
            "Item",
            "Amount",
            "Status",
            "Unknown",
            "Source",
        ],
        s,
    )?;
    let mut row = 4u32;
    for m in &r.milestones {
        let name = r.name(&m.provider);
        let q = &m.quote;
        let plan = q.plan.clone().unwrap_or_default();
        let first = row;
        for l in &q.lines {
            ws.write_string(row, 0, &name)?;
            ws.write_number(row, 1, m.customers as f64)?;
            ws.write_string(row, 2, &plan)?;
            ws.write_string(row, 3, l.kind.as_str())?;
            ws.write_string(row, 4, &l.label)?;
            if let Some(a) = l.amount {
                ws.write_number_with_format(row, 5, a.to_f64(), &s.money)?;
            }
            ws.write_string(row, 6, l.status())?;
            if let Some(u) = &l.unknown {
                ws.write_string(row, 7, u)?;
            }
            if let Some(src) = &l.source {
                ws.write_string(row, 8, src)?;
            }
            row += 1;
        }
        let total_row = row;
        ws.write_string_with_format(row, 0, &name, &s.bold)?;
        ws.write_number(row, 1, m.customers as f64)?;
        ws.write_string(row, 2, &plan)?;
        ws.write_string_with_format(row, 4, "Monthly total", &s.bold)?;
        if let Some(v) = priced(&q.recurring) {
            let f = if first < total_row {
                format!("=SUM(F{}:F{})", first + 1, total_row)
            } else {
                "=0".to_owned()
            };
            ws.write_formula_with_format(row, 5, s.formula(f, v), &s.money)?;
        }
        ws.write_string(row, 6, status_text(&q.recurring, cur))?;
        row += 1;
        ws.write_string(row, 0, &name)?;
        ws.write_number(row, 1, m.customers as f64)?;
        ws.write_string(row, 4, "Annual (12 × monthly)")?;
        if let Some(v) = priced(&m.annual) {
            ws.write_formula_with_format(
                row,
                5,
                s.formula(format!("=F{}*12", total_row + 1), v),
                &s.money,
            )?;
        }
        ws.write_string(row, 6, status_text(&m.annual, cur))?;
        row += 1;
        let ot_first = row;
        for l in &q.one_time_lines {
            ws.write_string(row, 0, &name)?;
            ws.write_number(row, 1, m.customers as f64)?;
            ws.write_string(row, 3, l.kind.as_str())?;
            ws.write_string(row, 4, &l.label)?;
            if let Some(a) = l.amount {
                ws.write_number_with_format(row, 5, a.to_f64(), &s.money)?;
            }
            ws.write_string(row, 6, l.status())?;
            if let Some(u) = &l.unknown {
                ws.write_string(row, 7, u)?;
            }
            if let Some(src) = &l.source {
                ws.write_string(row, 8, src)?;
            }
            row += 1;
        }
        ws.write_string(row, 0, &name)?;
        ws.write_number(row, 1, m.customers as f64)?;
        ws.write_string(row, 4, "One-time total")?;
        if let Some(v) = priced(&q.one_time) {
            let f = if ot_first < row {
                format!("=SUM(F{}:F{})", ot_first + 1, row)
            } else {
                "=0".to_owned()
            };
            ws.write_formula_with_format(row, 5, s.formula(f, v), &s.money)?;
        }
        ws.write_string(row, 6, status_text(&q.one_time, cur))?;
        row += 1;
        if let Some(e) = estimate(r, &m.provider, m.customers) {
            for (label, v) in [("P10", e.0), ("P50", e.1), ("P90", e.2)] {
                ws.write_string(row, 0, &name)?;
                ws.write_number(row, 1, m.customers as f64)?;
                ws.write_string(row, 4, format!("Monthly {label}"))?;
                ws.write_number_with_format(row, 5, v, &s.money)?;
                ws.write_string(row, 6, "estimate (values, not formulas)")?;
                row += 1;
            }
        }
        row += 1;
    }
    ws.set_column_width(0, 18)?;
    ws.set_column_width(2, 16)?;
    ws.set_column_width(4, 40)?;
    ws.set_column_width(5, 14)?;
    ws.set_column_width(6, 40)?;
    Ok(())
}

/// The Monte Carlo P10 / P50 / P90 of a provider's monthly cost at a milestone.
fn estimate(r: &ScenarioReport<'_>, provider: &str, customers: u64) -> Option<(f64, f64, f64)> {
    let est = &r.joint.costs;
    let k = est.milestones.iter().position(|&m| m == customers)?;
    let p = est.providers.iter().find(|p| p.provider == provider)?;
    let s = p.milestones.get(k)?.spread.as_ref()?;
    Some((s.p10.to_f64(), s.p50.to_f64(), s.p90.to_f64()))
}

fn col_name(c: u16) -> String {
    let mut n = u32::from(c) + 1;
    let mut s = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        s.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

fn write_projection(
    ws: &mut Worksheet,
    sheet: &str,
    r: &ScenarioReport<'_>,
    s: &Styles,
) -> Result<(), XlsxError> {
    let cur = r.scenario.currency();
    ws.write_string_with_format(
        0,
        0,
        format!("Monthly projection: {}", r.scenario.name),
        &s.title,
    )?;
    ws.write_string(
        1,
        0,
        format!(
            "Customers from the growth curve; each provider's monthly cost (scimeter's figure, in {cur}; the floor when partly unknown, empty when unavailable) and its cumulative cost (a formula)."
        ),
    )?;
    let head = 3u32;
    ws.write_string_with_format(head, 0, "Month", &s.bold)?;
    ws.write_string_with_format(head, 1, "Customers", &s.bold)?;
    let first = head + 1;
    let months = r.projection.customers.len() as u32;
    for (k, &c) in r.projection.customers.iter().enumerate() {
        ws.write_number(first + k as u32, 0, (k + 1) as f64)?;
        ws.write_number(first + k as u32, 1, c as f64)?;
    }
    let last = first + months.saturating_sub(1);
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
    let mut col = 2u16;
    let mut notes = Vec::new();
    for p in &r.projection.projections {
        let name = r.name(&p.provider);
        ws.write_string_with_format(head, col, format!("{name} monthly"), &s.bold)?;
        ws.write_string_with_format(head, col + 1, format!("{name} cumulative"), &s.bold)?;
        let mut partly = false;
        for (k, m) in p.months.iter().enumerate() {
            let row = first + k as u32;
            if matches!(m.total, CostValue::AtLeast { .. }) {
                partly = true;
            }
            if let Some(v) = priced(&m.total) {
                ws.write_number_with_format(row, col, v, &s.money)?;
            }
            let this = format!("{}{}", col_name(col), row + 1);
            let f = if k == 0 {
                format!("={this}")
            } else {
                format!("={}{}+{this}", col_name(col + 1), row)
            };
            let Some(cached) = priced(&m.cumulative) else {
                continue;
            };
            ws.write_formula_with_format(row, col + 1, s.formula(f, cached), &s.money)?;
        }
        if partly {
            notes.push(format!(
                "{name}: partly unknown; the figures are floors (≥ … + unknown)"
            ));
        }
        if months > 0 {
            monthly_chart
                .add_series()
                .set_name((sheet, head, col))
                .set_categories((sheet, first, 1, last, 1))
                .set_values((sheet, first, col, last, col));
            cum_chart
                .add_series()
                .set_name((sheet, head, col + 1))
                .set_categories((sheet, first, 0, last, 0))
                .set_values((sheet, first, col + 1, last, col + 1));
        }
        ws.set_column_width(col, 16)?;
        ws.set_column_width(col + 1, 18)?;
        col += 2;
    }
    for (note_row, n) in (2u32..).zip(notes) {
        ws.write_string(note_row, col + 1, n)?;
    }
    if months > 0 {
        ws.insert_chart(first, col + 1, &monthly_chart)?;
        ws.insert_chart(first + 17, col + 1, &cum_chart)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let uncached = workbook_with(&catalog, &reports, false).unwrap();
        assert_ne!(a, uncached);
    }

    #[test]
    fn names_are_valid() {
        assert_eq!(cost_sheet("baseline"), "Cost_baseline");
        assert!(cost_sheet(&"x".repeat(40)).len() <= MAX_SHEET_NAME);
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
