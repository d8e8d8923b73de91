//! The `Prices` sheet: every provider's fees, band tables and add-ons as data, each with its
//! status and source. The cost sheets' formulas read their prices, band bounds and allowances
//! from here, so editing a price (say, a negotiated quote) reprices every scenario.

use super::book::Book;
use super::formula::{Cell, Expr, SheetId};
use crate::model::Provider;
use crate::model::price::{Price, UnknownReason};
use crate::model::pricing::{Charge, addon_path, charge_path, plan_path};
use rust_xlsxwriter::{Worksheet, XlsxError};
use std::collections::HashMap;

const COL_UP_TO: u16 = 6;
const COL_INCLUDED: u16 = 7;
const COL_PRICE: u16 = 8;
const COL_ESTIMATE: u16 = 10;

/// Where one price lives on the Prices sheet.
#[derive(Debug, Clone, Copy)]
pub struct PriceCell {
    /// The published (or quoted) price.
    pub price: Cell,
    /// The likely estimate of an unpublished price.
    pub estimate: Cell,
    /// The band's upper bound, for a tier.
    pub up_to: Cell,
    /// The charge's allowance (on every row of a charge).
    pub included: Cell,
}

/// Every price's cell, by provider id and price path (`pricing.plans.pro.base_fee`, …).
#[derive(Debug, Default)]
pub struct PriceCells {
    map: HashMap<(String, String), PriceCell>,
}

impl PriceCells {
    /// The cells of a price.
    pub fn get(&self, provider: &str, path: &str) -> Option<PriceCell> {
        self.map
            .get(&(provider.to_owned(), path.to_owned()))
            .copied()
    }

    /// A price as a formula term: the published price, or the likely estimate when the
    /// scenario uses estimates; `None` when it is unknown (never 0). The flag is true for an
    /// estimate.
    pub fn term(
        &self,
        provider: &str,
        path: &str,
        price: &Price,
        use_estimates: bool,
    ) -> Option<(Expr, bool)> {
        let cell = self.get(provider, path)?;
        match price {
            Price::Known(_) => Some((Expr::Ref(cell.price), false)),
            Price::Unpublished {
                estimate: Some(_), ..
            } if use_estimates => Some((Expr::Ref(cell.estimate), true)),
            Price::Unpublished { .. } => None,
        }
    }
}

/// One row of the Prices sheet.
struct PriceRow<'a> {
    kind: &'a str,
    item: String,
    meter: String,
    mode: String,
    from: Option<u64>,
    up_to: Option<u64>,
    included: Option<u64>,
    price: Option<&'a Price>,
    source: Option<&'a str>,
    path: String,
}

impl<'a> PriceRow<'a> {
    /// A price that is not a band of a charge: a fee, a rate, a one-time or recurring amount.
    fn fee(
        kind: &'a str,
        item: String,
        price: Option<&'a Price>,
        source: Option<&'a str>,
        path: String,
    ) -> PriceRow<'a> {
        PriceRow {
            kind,
            item,
            meter: String::new(),
            mode: String::new(),
            from: None,
            up_to: None,
            included: None,
            price,
            source,
            path,
        }
    }
}

fn charge_rows<'a>(
    kind: &'a str,
    owner: &str,
    c: &'a Charge,
    path: &str,
    fallback_source: Option<&'a str>,
) -> Vec<PriceRow<'a>> {
    let meter = c.meter.as_str().to_owned();
    let item = c
        .name
        .clone()
        .map_or_else(|| format!("{owner}: {meter}"), |n| format!("{owner}: {n}"));
    let mode = c.mode.map(|m| m.as_str().to_owned()).unwrap_or_default();
    let source = c.source.as_deref().or(fallback_source);
    let row = |item: String, from, up_to, price, path: String| PriceRow {
        kind,
        item,
        meter: meter.clone(),
        mode: mode.clone(),
        from,
        up_to,
        included: Some(c.included_units()),
        price,
        source,
        path,
    };
    let mut rows = Vec::new();
    if let Some(up) = &c.unit_price {
        rows.push(row(
            item.clone(),
            Some(1),
            None,
            Some(up),
            format!("{path}.unit_price"),
        ));
    }
    let mut lower = 0u64;
    for (j, t) in c.tiers.iter().flatten().enumerate() {
        rows.push(row(
            item.clone(),
            Some(lower.saturating_add(1)),
            t.up_to,
            Some(&t.unit_price),
            format!("{path}.tiers.{j}.unit_price"),
        ));
        if let Some(f) = &t.flat_fee {
            rows.push(row(
                format!("{item} (flat fee per band)"),
                Some(lower.saturating_add(1)),
                t.up_to,
                Some(f),
                format!("{path}.tiers.{j}.flat_fee"),
            ));
        }
        lower = t.up_to.unwrap_or(lower);
    }
    if rows.is_empty() {
        // A charge with no price at all still has an allowance row for the formulas.
        rows.push(row(item, None, None, None, format!("{path}.included")));
    }
    rows
}

fn provider_rows(p: &Provider) -> Vec<PriceRow<'_>> {
    let pr = &p.pricing;
    let psrc = pr.source.as_deref();
    let mut rows: Vec<PriceRow<'_>> = Vec::new();
    if let Some(h) = &pr.hourly_rate {
        rows.push(PriceRow::fee(
            "hourly rate",
            "engineering hour".to_owned(),
            Some(h),
            psrc,
            "pricing.hourly_rate".to_owned(),
        ));
    }
    for plan in &pr.plans {
        let src = plan.source.as_deref().or(psrc);
        let label = plan.label();
        let path = plan_path(plan);
        if let Some(f) = &plan.base_fee {
            rows.push(PriceRow::fee(
                "plan fee (monthly)",
                label.clone(),
                Some(f),
                src,
                format!("{path}.base_fee"),
            ));
        }
        if let Some(f) = &plan.annual_base_fee {
            rows.push(PriceRow::fee(
                "plan fee (annual billing)",
                label.clone(),
                Some(f),
                src,
                format!("{path}.annual_base_fee"),
            ));
        }
        for (i, c) in plan.charges.iter().enumerate() {
            rows.extend(charge_rows(
                "plan charge",
                &label,
                c,
                &charge_path(&path, i),
                src,
            ));
        }
    }
    for a in &pr.addons {
        let src = a.source.as_deref().or(psrc);
        let label = a.label();
        let path = addon_path(a);
        if let Some(f) = &a.fee {
            rows.push(PriceRow::fee(
                "add-on fee",
                label.clone(),
                Some(f),
                src,
                format!("{path}.fee"),
            ));
        }
        for (i, c) in a.charges.iter().enumerate() {
            rows.extend(charge_rows(
                "add-on charge",
                &label,
                c,
                &charge_path(&path, i),
                src,
            ));
        }
    }
    for o in &pr.one_time {
        rows.push(PriceRow::fee(
            "one-time",
            o.name.clone().unwrap_or_else(|| o.id.to_string()),
            o.amount.as_ref(),
            o.source.as_deref().or(psrc),
            format!("pricing.one_time.{}.amount", o.id),
        ));
    }
    for o in &pr.recurring {
        rows.push(PriceRow::fee(
            "recurring (outside plans)",
            o.name.clone().unwrap_or_else(|| o.id.to_string()),
            o.amount.as_ref(),
            o.source.as_deref().or(psrc),
            format!("pricing.recurring.{}.amount", o.id),
        ));
    }
    rows
}

/// The status word of a price, and its note.
fn status(p: &Provider, path: &str, price: &Price) -> (String, Option<String>) {
    if let Some(q) = p.quote_at(path) {
        return (format!("quote (by {} on {})", q.by, q.date), None);
    }
    match price {
        Price::Known(_) => ("published".to_owned(), None),
        Price::Unpublished {
            reason,
            estimate,
            note,
        } => {
            let s = match (estimate, reason) {
                (Some(_), _) => "estimate",
                (None, UnknownReason::ContactSales) => "unknown (contact sales)",
                (None, UnknownReason::Unknown) => "unknown",
            };
            (s.to_owned(), note.clone())
        }
    }
}

/// Writes the Prices sheet and returns where each price is.
pub fn write(
    book: &mut Book,
    ws: &mut Worksheet,
    sheet: SheetId,
    providers: &[Provider],
) -> Result<PriceCells, XlsxError> {
    let c = |row: u32, col: u16| Cell::new(sheet, row, col);
    let title = book.styles.title.clone();
    let bold = book.styles.bold.clone();
    let input = book.styles.input.clone();
    book.text(ws, c(0, 0), "Prices as data", Some(&title))?;
    book.text(
        ws,
        c(1, 0),
        "Status: published (an exact public price), quote (a buyer's quote), estimate (unpublished; the likely value is in its own column and is used only by scenarios that opt in), unknown. An unknown price has no number: it is never 0. Shaded cells are live inputs of the cost sheets.",
        None,
    )?;
    let heads = [
        "Provider",
        "Kind",
        "Item",
        "Meter",
        "Mode",
        "From unit",
        "Up to unit",
        "Included",
        "Price",
        "Status",
        "Estimate (likely)",
        "Source",
        "Note",
        "Catalog key",
    ];
    for (col, h) in (0u16..).zip(heads) {
        book.text(ws, c(3, col), h, Some(&bold))?;
    }
    let mut cells = PriceCells::default();
    let mut row = 4u32;
    for p in providers {
        for r in provider_rows(p) {
            book.text(ws, c(row, 0), p.id(), None)?;
            book.text(ws, c(row, 1), r.kind, None)?;
            book.text(ws, c(row, 2), &r.item, None)?;
            book.text(ws, c(row, 3), &r.meter, None)?;
            book.text(ws, c(row, 4), &r.mode, None)?;
            if let Some(f) = r.from {
                book.num(ws, c(row, 5), f as f64, None)?;
            }
            if let Some(u) = r.up_to {
                book.num(ws, c(row, COL_UP_TO), u as f64, Some(&input))?;
            }
            if let Some(i) = r.included {
                book.num(ws, c(row, COL_INCLUDED), i as f64, Some(&input))?;
            }
            if let Some(price) = r.price {
                let (st, note) = status(p, &r.path, price);
                match price {
                    Price::Known(d) => {
                        book.num(ws, c(row, COL_PRICE), super::decimal_f64(*d), Some(&input))?;
                    }
                    Price::Unpublished { estimate, .. } => {
                        if let Some(e) = estimate {
                            book.num(
                                ws,
                                c(row, COL_ESTIMATE),
                                super::decimal_f64(e.likely),
                                Some(&input),
                            )?;
                        }
                    }
                }
                book.text(ws, c(row, 9), &st, None)?;
                if let Some(n) = note {
                    book.text(ws, c(row, 12), &n, None)?;
                }
            }
            if let Some(src) = r.source {
                book.text(ws, c(row, 11), src, None)?;
            }
            book.text(ws, c(row, 13), &r.path, None)?;
            cells.map.insert(
                (p.id().to_owned(), r.path.clone()),
                PriceCell {
                    price: c(row, COL_PRICE),
                    estimate: c(row, COL_ESTIMATE),
                    up_to: c(row, COL_UP_TO),
                    included: c(row, COL_INCLUDED),
                },
            );
            row += 1;
        }
    }
    ws.set_column_width(0, 16)?;
    ws.set_column_width(1, 22)?;
    ws.set_column_width(2, 40)?;
    ws.set_column_width(11, 50)?;
    ws.set_column_width(13, 40)?;
    Ok(cells)
}
