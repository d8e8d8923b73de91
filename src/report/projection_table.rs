//! Tables of a monthly projection, cheapest bands and crossovers.

use crate::cost::analysis::ScenarioProjection;
use crate::cost::crossover::{Crossover, format_bands};
use crate::cost::projection::Projection;
use crate::cost::schedule::group;
use crate::model::Scenario;
use crate::report::table::Table;

/// One provider's column of [`wide_table`]: its cost in each of `months` months (the
/// recurring cost, then `+ X once` when one-time costs are due), then its cumulative cost.
pub fn wide_column(p: &Projection, months: usize, cur: &str) -> Vec<String> {
    let mut col: Vec<String> = (0..months)
        .map(|i| {
            p.months.get(i).map_or_else(String::new, |m| {
                let recurring = m.quote.recurring.display(cur);
                // Something is due once this month: a priced amount or an unknown part (line
                // items may have been dropped, so the total decides).
                if m.quote.one_time.floor().is_some_and(|f| !f.is_zero())
                    || m.quote.one_time.is_partial()
                {
                    format!("{recurring} + {} once", m.quote.one_time.display(cur))
                } else {
                    recurring
                }
            })
        })
        .collect();
    col.push(
        p.horizon_total()
            .map_or_else(String::new, |c| c.display(cur)),
    );
    col
}

/// Month rows × provider columns (`names[k]` over `columns[k]`, each from [`wide_column`]),
/// and a cumulative row. With the scenario's `start`, a calendar column follows the month
/// number. Columns are taken as built, so a caller can drop each projection once its column
/// is written (10,000 providers' months are 470 MB; their text is a tenth of it).
pub fn wide_table(
    names: Vec<String>,
    columns: Vec<Vec<String>>,
    customers: &[u64],
    scenario: &Scenario,
) -> Table {
    let calendar = scenario.start.is_some();
    let mut headers = vec!["Month".to_owned()];
    if calendar {
        headers.push("Calendar month".to_owned());
    }
    headers.push("Customers".to_owned());
    headers.extend(names);
    let n = headers.len();
    let mut columns: Vec<std::vec::IntoIter<String>> =
        columns.into_iter().map(IntoIterator::into_iter).collect();
    let mut cells = || -> Vec<String> {
        columns
            .iter_mut()
            .map(|c| c.next().unwrap_or_default())
            .collect()
    };
    let mut t = Table::new(headers).right_align(&(0..n).collect::<Vec<_>>());
    for (i, &c) in customers.iter().enumerate() {
        let mut row = vec![(i + 1).to_string()];
        if calendar {
            let m = u32::try_from(i + 1).unwrap_or(u32::MAX);
            row.push(scenario.calendar_month(m).unwrap_or_default());
        }
        row.push(group(c));
        row.extend(cells());
        t.push(row);
    }
    let mut row = vec!["Cumulative".to_owned(), String::new()];
    if calendar {
        row.push(String::new());
    }
    row.extend(cells());
    t.push(row);
    t
}

/// The columns of the tidy table for finance ([`tidy_rows`]).
pub const TIDY_HEADERS: [&str; 16] = [
    "scenario",
    "provider",
    "month",
    "calendar_month",
    "customers",
    "directory_connections",
    "sso_connections",
    "enterprise_connections",
    "mau",
    "plan",
    "status",
    "recurring",
    "one_time",
    "total",
    "cumulative",
    "cumulative_status",
];

/// Tidy rows for finance: one per month of a provider's projection.
pub fn tidy_rows(p: &Projection, scen: &Scenario) -> Vec<[String; 16]> {
    let scenario = scen.id();
    let raw = |v: &crate::cost::CostValue| v.priced_raw();
    p.months
        .iter()
        .map(|m| {
            [
                scenario.to_owned(),
                p.provider.clone(),
                m.month.to_string(),
                scen.calendar_month(m.month).unwrap_or_default(),
                m.customers.to_string(),
                m.quote.meters.directory_connections.to_string(),
                m.quote.meters.sso_connections.to_string(),
                m.quote.meters.enterprise_connections.to_string(),
                m.quote.meters.mau.to_string(),
                m.quote.plan.clone().unwrap_or_default(),
                // The CSV words of every other export (found in review: `known`, and a wholly
                // unknown month as `at_least`).
                m.quote.status().to_owned(),
                raw(&m.quote.recurring),
                // An unavailable provider has no one-time cost, not one of 0.00.
                m.quote.one_time_if_available().map(raw).unwrap_or_default(),
                raw(&m.total),
                raw(&m.cumulative),
                m.cumulative.csv_status().to_owned(),
            ]
        })
        .collect()
}

/// Cheapest bands and crossovers as sentences.
pub fn summary(
    sp: &ScenarioProjection,
    scenario: &Scenario,
    name: &dyn Fn(&str) -> String,
) -> String {
    let cur = scenario.currency();
    let month = |m: u32| scenario.calendar_month(m);
    let mut s = format!(
        "Cheapest fully priced provider by effective monthly cost (recurring + one-time ÷ horizon), {}–{} customers: {}\n",
        group(sp.curve_min),
        group(sp.curve_max),
        format_bands(&sp.bands, name)
    );
    s.push_str("\nCrossovers of effective monthly cost by customer count:\n");
    s.push_str(&crossover_lines(&sp.crossovers, cur, false, name, &month));
    s.push_str("\nCrossovers of cumulative cost by month:\n");
    s.push_str(&crossover_lines(
        &sp.cumulative_crossovers,
        cur,
        true,
        name,
        &month,
    ));
    s
}

/// One line per crossover, or "none".
pub fn crossover_lines(
    list: &[Crossover],
    cur: &str,
    by_month: bool,
    name: &dyn Fn(&str) -> String,
    calendar: &dyn Fn(u32) -> Option<String>,
) -> String {
    let month = |m: u32| match calendar(m) {
        Some(c) => format!("month {m}, {c}"),
        None => format!("month {m}"),
    };
    if list.is_empty() {
        return "  none\n".to_owned();
    }
    let mut out = String::new();
    for x in list {
        let at = if by_month {
            month(u32::try_from(x.at).unwrap_or(u32::MAX))
        } else {
            match x.month {
                Some(m) => format!("{} customers ({})", group(x.at), month(m)),
                None => format!("{} customers (not reached in the horizon)", group(x.at)),
            }
        };
        out.push_str(&format!(
            "  {at}: {} becomes cheaper than {} ({} vs {})\n",
            name(&x.now_cheaper),
            name(&x.now_dearer),
            x.cheaper_cost.display(cur),
            x.dearer_cost.display(cur)
        ));
    }
    out
}
