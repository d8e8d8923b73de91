//! Tables of milestone costs: formatted, raw CSV, line items, and the notes that explain
//! unknown or unavailable costs.

use crate::cost::CostValue;
use crate::cost::analysis::MilestoneCost;
use crate::cost::schedule::group;
use crate::report::escape;
use crate::report::table::Table;

/// The human table: rounded, formatted amounts, providers by display name (`name` maps an id
/// to it).
pub fn display_table(rows: &[MilestoneCost], cur: &str, name: &dyn Fn(&str) -> String) -> Table {
    let mut t = Table::new([
        "Provider",
        "Customers",
        "Plan",
        "Monthly",
        "Per customer",
        "Annual",
        "One-time",
        "First year",
    ])
    .right_align(&[1, 3, 4, 5, 6, 7]);
    for r in rows {
        let q = &r.quote;
        let plan = match (&q.plan_label, q.addons.is_empty()) {
            (Some(p), true) => p.clone(),
            (Some(p), false) => format!("{p} + {}", q.addons.join(" + ")),
            (None, _) => "—".into(),
        };
        let est = q.recurring_mark();
        // The first year adds the one-time costs, and any estimate or quote among them.
        let est_first = match (q.uses_estimates, q.uses_quotes()) {
            (true, _) => " (est.)",
            (false, true) => " (quote)",
            _ => "",
        };
        t.push([
            name(&r.provider),
            group(r.customers),
            plan,
            format!("{}{est}", q.recurring.display(cur)),
            r.per_customer
                .map_or_else(|| "—".into(), |m| m.display(cur)),
            format!("{}{est}", r.annual.display(cur)),
            q.one_time_if_available()
                .map_or_else(|| "—".into(), |c| c.display(cur)),
            format!("{}{est_first}", r.first_year.display(cur)),
        ]);
    }
    t
}

/// Raw decimals for finance: one row per provider × customer count, with a status for each
/// money column and, when given, the estimated P10 / P50 / P90 and P(cheapest).
pub fn raw_table(
    rows: &[MilestoneCost],
    scenario: &str,
    est: Option<&crate::estimate::simulation::ScenarioEstimate>,
) -> Table {
    let mut t = Table::new([
        "scenario",
        "provider",
        "customers",
        "plan",
        "addons",
        "status",
        "monthly",
        "per_customer",
        "annual_status",
        "annual",
        "one_time_status",
        "one_time",
        "first_year_status",
        "first_year",
        "uses_estimates",
        "uses_quotes",
        "unknown",
        "p10",
        "p50",
        "p90",
        "p_cheapest",
        "estimate_note",
    ]);
    for r in rows {
        let e = est.and_then(|est| {
            let k = est.milestones.iter().position(|&m| m == r.customers)?;
            est.of(&r.provider).and_then(|p| p.milestones.get(k))
        });
        let pick = |f: fn(&crate::estimate::simulation::Spread) -> crate::cost::Money| {
            e.and_then(|e| e.spread.as_ref())
                .map(|s| f(s).raw())
                .unwrap_or_default()
        };
        let est_cols = [
            pick(|s| s.p10),
            pick(|s| s.p50),
            pick(|s| s.p90),
            e.and_then(|e| e.p_cheapest)
                .map(|p| format!("{p:.4}"))
                .unwrap_or_default(),
            e.and_then(|e| e.reason.clone())
                .or_else(|| e.is_none().then(|| "unavailable or not ranked".to_owned()))
                .unwrap_or_default(),
        ];
        let q = &r.quote;
        let unknown = match &q.recurring {
            CostValue::AtLeast { unknown, .. } => unknown.join("; "),
            CostValue::Unavailable { reason } => reason.clone(),
            CostValue::Known { .. } => String::new(),
        };
        t.push([
            scenario.to_owned(),
            r.provider.clone(),
            r.customers.to_string(),
            q.plan.clone().unwrap_or_default(),
            q.addons.join("+"),
            q.status().to_owned(),
            q.recurring.priced_raw(),
            r.per_customer
                .map(super::super::cost::money::Money::raw)
                .unwrap_or_default(),
            r.annual.csv_status().to_owned(),
            r.annual.priced_raw(),
            q.one_time_if_available()
                .map_or("unavailable", CostValue::csv_status)
                .to_owned(),
            q.one_time_if_available()
                .map(CostValue::priced_raw)
                .unwrap_or_default(),
            r.first_year.csv_status().to_owned(),
            r.first_year.priced_raw(),
            q.uses_estimates.to_string(),
            q.uses_quotes().to_string(),
            unknown,
            est_cols[0].clone(),
            est_cols[1].clone(),
            est_cols[2].clone(),
            est_cols[3].clone(),
            est_cols[4].clone(),
        ]);
    }
    t
}

/// Every line item, for `--explain --format csv`.
pub fn line_table(rows: &[MilestoneCost], scenario: &str) -> Table {
    let mut t = Table::new([
        "scenario",
        "provider",
        "customers",
        "kind",
        "label",
        "amount",
        "unknown",
        "estimate",
        "explanation",
        "source",
    ]);
    for r in rows {
        for l in r.quote.lines.iter().chain(&r.quote.one_time_lines) {
            t.push([
                scenario.to_owned(),
                r.provider.clone(),
                r.customers.to_string(),
                l.kind.as_str().to_owned(),
                l.label.clone(),
                l.amount
                    .map(super::super::cost::money::Money::raw)
                    .unwrap_or_default(),
                l.unknown.clone().unwrap_or_default(),
                l.estimate.to_string(),
                l.explanation.clone(),
                l.source.clone().unwrap_or_default(),
            ]);
        }
    }
    t
}

/// Footnotes: why a cost is unknown or unavailable, and (with `explain`) every line item.
/// `md` writes markdown: the notes as a list of escaped text and each explanation in a fenced
/// block (the columns only line up in a monospaced block).
pub fn notes(
    rows: &[MilestoneCost],
    cur: &str,
    explain: bool,
    md: bool,
    name: &dyn Fn(&str) -> String,
) -> String {
    let mut s = String::new();
    let mut seen = Vec::new();
    for r in rows {
        let note = match &r.quote.recurring {
            crate::cost::CostValue::AtLeast { unknown, .. } => Some(format!(
                "{} at {}: unknown part: {}",
                name(&r.provider),
                group(r.customers),
                unknown.join("; ")
            )),
            crate::cost::CostValue::Unavailable { reason } => Some(format!(
                "{} at {}: unavailable: {reason}",
                name(&r.provider),
                group(r.customers)
            )),
            crate::cost::CostValue::Known { .. } => None,
        };
        if let Some(n) = note
            && !seen.contains(&n)
        {
            seen.push(n);
        }
    }
    if !seen.is_empty() {
        s.push_str("\nNotes (≥ X + unknown means at least X plus a part with no published price; it is never counted as 0):\n");
        if md {
            s.push('\n');
        }
        for n in &seen {
            if md {
                s.push_str(&format!("- {}\n", escape::md_text(n)));
            } else {
                s.push_str(&format!("  - {n}\n"));
            }
        }
    }
    if explain {
        for r in rows {
            let block = explanation(r, cur, name);
            if md {
                s.push('\n');
                s.push_str(&escape::md_fenced(&block));
            } else {
                s.push('\n');
                s.push_str(&block);
            }
        }
    }
    s
}

/// One provider's costed plan at one count: a heading, then each line item as its label and
/// amount (amounts in one column, however long the labels), with the arithmetic and the
/// source indented under it; the plans not chosen and why; the totals.
fn explanation(r: &MilestoneCost, cur: &str, name: &dyn Fn(&str) -> String) -> String {
    let amount = |l: &crate::cost::LineItem| match (&l.amount, &l.unknown) {
        (Some(a), None) => a.display(cur),
        (Some(a), Some(u)) => format!("≥ {} + {u}", a.display(cur)),
        (None, Some(u)) => u.clone(),
        (None, None) => "—".into(),
    };
    let lines: Vec<&crate::cost::LineItem> = r
        .quote
        .lines
        .iter()
        .chain(&r.quote.one_time_lines)
        .collect();
    let totals = ["monthly total", "one-time total"];
    let width = lines
        .iter()
        .map(|l| l.label.chars().count())
        .chain(totals.iter().map(|t| t.chars().count()))
        .max()
        .unwrap_or(0);
    let row = |label: &str, value: &str| {
        let pad = width.saturating_sub(label.chars().count());
        format!("  {label}{}  {value}\n", " ".repeat(pad))
    };
    let mut s = format!(
        "{} at {} customers — plan {}\n",
        name(&r.provider),
        group(r.customers),
        r.quote.plan_label.as_deref().unwrap_or("none")
    );
    let item = |s: &mut String, l: &crate::cost::LineItem| {
        s.push_str(&row(&l.label, &amount(l)));
        if !l.explanation.is_empty() {
            s.push_str(&format!("      {}\n", l.explanation));
        }
        if let Some(src) = &l.source {
            s.push_str(&format!("      source: {src}\n"));
        }
    };
    for l in &r.quote.lines {
        item(&mut s, l);
    }
    for v in &r.quote.plans {
        if let Some(why) = &v.ineligible {
            s.push_str(&format!("  (not chosen: {why})\n"));
        }
    }
    s.push_str(&row(totals[0], &r.quote.recurring.display(cur)));
    if !r.quote.one_time_lines.is_empty() {
        for l in &r.quote.one_time_lines {
            item(&mut s, l);
        }
        s.push_str(&row(totals[1], &r.quote.one_time.display(cur)));
    }
    s
}

/// Joins words as "a", "a and b", "a, b and c".
pub fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
