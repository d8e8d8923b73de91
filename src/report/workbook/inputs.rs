//! The `Inputs` sheet: every assumption the cost sheets read, as an editable, named cell.

use super::book::Book;
use super::formula::{Cell, Expr, SheetId};
use crate::model::scenario::GrowthKind;
use crate::model::{Provider, Scenario};
use rust_xlsxwriter::{Worksheet, XlsxError};
use std::collections::{BTreeMap, HashMap};

/// The named input cells of one scenario, by key (`customers_1`, `seats`, `discount_workos`, …).
#[derive(Debug, Default)]
pub struct ScenarioInputs {
    cells: BTreeMap<String, (String, Cell)>,
}

impl ScenarioInputs {
    /// The input as a formula term (by its defined name), if the scenario has it.
    pub fn get(&self, key: &str) -> Option<Expr> {
        self.cells
            .get(key)
            .map(|(name, cell)| Expr::Name(name.clone(), *cell))
    }

    /// The input, or 0 when the scenario does not have it.
    pub fn or_zero(&self, key: &str) -> Expr {
        self.get(key).unwrap_or(Expr::Num(0.0))
    }
}

/// Every input cell of the workbook.
#[derive(Debug, Default)]
pub struct Inputs {
    /// Per scenario id.
    pub scenarios: HashMap<String, ScenarioInputs>,
    /// Engineering hours per provider and item key (`one_time.<id>`, `recurring.<id>`).
    pub hours: HashMap<(String, String), (String, Cell)>,
    /// Defined names and their targets (`=Inputs!$B$5`), for the workbook.
    pub names: Vec<(String, String)>,
}

impl Inputs {
    /// The hours of a provider's item as a formula term.
    pub fn hours(&self, provider: &str, item: &str) -> Option<Expr> {
        self.hours
            .get(&(provider.to_owned(), item.to_owned()))
            .map(|(name, cell)| Expr::Name(name.clone(), *cell))
    }
}

/// A defined name from a prefix and a label: letters, digits and `_` only, starting with a
/// letter or `_` (so it can never read as a cell reference such as `AB12`).
pub fn defined_name(id: &str, label: &str) -> String {
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

/// The rows of one scenario's block: label, key, value.
fn scenario_items(sc: &Scenario, providers: &[Provider]) -> Vec<(String, String, f64)> {
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
    let u = &sc.usage;
    let mut push =
        |label: &str, key: &str, v: f64| items.push((label.to_owned(), key.to_owned(), v));
    push(
        "SCIM directories per customer",
        "directory_connections",
        u.directory_connections,
    );
    push(
        "SSO connections per customer",
        "sso_connections",
        u.sso_connections,
    );
    push("Seats per customer (likely)", "seats", u.seats.likely);
    push(
        "Active share of seats (likely)",
        "active_share",
        u.active_share.likely,
    );
    push("Other MAU", "other_mau", u.other_mau);
    push(
        "Organizations per customer",
        "organizations",
        u.organizations,
    );
    push("API requests per customer", "api_requests", u.api_requests);
    push(
        "Horizon (months; the sheets have this many month columns)",
        "horizon_months",
        f64::from(sc.horizon()),
    );
    let g = &sc.growth;
    let opt = |v: Option<f64>| v.unwrap_or(0.0);
    match g.kind {
        GrowthKind::Constant => push(
            "Growth: customers every month",
            "growth_customers",
            opt(g.customers),
        ),
        GrowthKind::Linear => {
            push("Growth: customers in month 1", "growth_start", opt(g.start));
            push(
                "Growth: customers in the last month (likely)",
                "growth_end",
                g.end.as_ref().map_or(0.0, |r| r.likely),
            );
        }
        GrowthKind::Compound => {
            push("Growth: customers in month 1", "growth_start", opt(g.start));
            push(
                "Growth: monthly rate",
                "growth_monthly_rate",
                opt(g.monthly_rate),
            );
            if let Some(c) = g.cap {
                push("Growth: cap", "growth_cap", c);
            }
        }
        GrowthKind::Logistic => {
            push("Growth: capacity", "growth_capacity", opt(g.capacity));
            push(
                "Growth: midpoint month",
                "growth_midpoint_month",
                opt(g.midpoint_month),
            );
            push("Growth: steepness", "growth_steepness", opt(g.steepness));
        }
        GrowthKind::Points => {
            for (i, p) in g.points.iter().enumerate() {
                push(
                    &format!("Growth point {}: month", i + 1),
                    &format!("growth_point_{}_month", i + 1),
                    f64::from(p.month),
                );
                push(
                    &format!("Growth point {}: customers", i + 1),
                    &format!("growth_point_{}_customers", i + 1),
                    p.customers,
                );
            }
        }
    }
    push(
        "Yearly price escalator (fraction)",
        "escalator",
        sc.billing
            .escalator
            .map_or(0.0, |a| super::decimal_f64(a.0)),
    );
    if let Some(rate) = &sc.engineering.hourly_rate {
        push(
            "Engineering rate per hour (likely)",
            "hourly_rate",
            super::decimal_f64(rate.likely),
        );
    }
    for (cur, rate) in &sc.exchange_rates {
        push(
            &format!("Exchange rate: {} per {cur}", sc.currency()),
            &format!("fx_{cur}"),
            super::decimal_f64(rate.0),
        );
    }
    for p in providers {
        let d = sc
            .billing
            .discounts
            .get(p.id())
            .map_or(0.0, |r| super::decimal_f64(r.likely));
        push(
            &format!("Discount on vendor fees: {} (fraction)", p.id()),
            &format!("discount_{}", p.id()),
            d,
        );
    }
    items
}

/// Writes the Inputs sheet.
pub fn write(
    book: &mut Book,
    ws: &mut Worksheet,
    sheet: SheetId,
    scenarios: &[&Scenario],
    providers: &[Provider],
) -> Result<Inputs, XlsxError> {
    let s = |row: u32, col: u16| Cell::new(sheet, row, col);
    let title = book.styles.title.clone();
    let bold = book.styles.bold.clone();
    let input = book.styles.input.clone();
    book.text(
        ws,
        s(0, 0),
        "Inputs: the assumptions every cost sheet reads",
        Some(&title),
    )?;
    book.text(
        ws,
        s(1, 0),
        "Shaded cells are live: change one and the Cost_ and Proj_ sheets and their charts follow. Each has a defined name (column C) for use in your own formulas.",
        None,
    )?;
    let mut out = Inputs::default();
    // Spreadsheet names ignore case, and `defined_name` maps `-` and `_` alike: scenarios
    // `s-1` and `s_1` would both want `s_1_customers_1`, and the workbook would not save.
    let mut used = std::collections::HashSet::new();
    let mut unique = |name: String| {
        let mut candidate = name.clone();
        let mut n = 1_u32;
        while !used.insert(candidate.to_lowercase()) {
            n += 1;
            candidate = format!("{name}_{n}");
        }
        candidate
    };
    let mut row = 3u32;
    for sc in scenarios {
        let id = sc.id();
        book.text(ws, s(row, 0), &sc.name, Some(&bold))?;
        book.text(ws, s(row, 1), id, None)?;
        row += 1;
        let mut cells = ScenarioInputs::default();
        for (label, key, v) in scenario_items(sc, providers) {
            book.text(ws, s(row, 0), &label, None)?;
            book.num(ws, s(row, 1), v, Some(&input))?;
            let name = unique(defined_name(id, &key));
            book.text(ws, s(row, 2), &name, None)?;
            out.names
                .push((name.clone(), format!("=Inputs!$B${}", row + 1)));
            cells.cells.insert(key, (name, s(row, 1)));
            row += 1;
        }
        out.scenarios.insert(id.to_owned(), cells);
        row += 1;
    }
    book.text(
        ws,
        s(row, 0),
        "Engineering hours (likely), per provider",
        Some(&bold),
    )?;
    row += 1;
    for p in providers {
        let items = p
            .pricing
            .one_time
            .iter()
            .map(|o| {
                (
                    "one_time",
                    &o.id,
                    o.name.as_ref(),
                    o.hours.as_ref(),
                    o.amount.is_none(),
                )
            })
            .chain(p.pricing.recurring.iter().map(|r| {
                (
                    "recurring",
                    &r.id,
                    r.name.as_ref(),
                    r.hours.as_ref(),
                    r.amount.is_none(),
                )
            }));
        for (kind, item, name, hours, by_hours) in items {
            if !by_hours {
                continue;
            }
            let label = name.cloned().unwrap_or_else(|| item.to_string());
            book.text(
                ws,
                s(row, 0),
                &format!("{}: {label} ({})", p.id(), kind.replace('_', "-")),
                None,
            )?;
            book.num(
                ws,
                s(row, 1),
                hours.map_or(0.0, |h| super::decimal_f64(h.likely)),
                Some(&input),
            )?;
            let dn = unique(defined_name("hours", &format!("{}_{kind}_{item}", p.id())));
            book.text(ws, s(row, 2), &dn, None)?;
            out.names
                .push((dn.clone(), format!("=Inputs!$B${}", row + 1)));
            out.hours.insert(
                (p.id().to_owned(), format!("{kind}.{item}")),
                (dn, s(row, 1)),
            );
            row += 1;
        }
    }
    ws.set_column_width(0, 52)?;
    ws.set_column_width(1, 12)?;
    ws.set_column_width(2, 44)?;
    Ok(out)
}
