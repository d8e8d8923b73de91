//! CSV exporters: raw decimals, one header row, stable column order.

use super::scenario_report::ScenarioReport;
use super::table::CsvRows;

/// `ranking.csv`: one row per provider (ranked, then excluded).
pub fn ranking(r: &ScenarioReport<'_>) -> Vec<u8> {
    crate::report::ranking_table::csv_table(&r.ranking)
        .to_csv()
        .into_bytes()
}

/// `milestones.csv`: one row per provider × milestone customer count.
pub fn milestones(r: &ScenarioReport<'_>) -> Vec<u8> {
    crate::report::cost_table::raw_table(&r.milestones, r.scenario.id(), Some(&r.joint.costs))
        .to_csv()
        .into_bytes()
}

/// `costs.csv`: tidy, one row per provider × month × line item. An unpriced line has an empty
/// `amount` and its reason in `unknown`; the lines of a month sum to that month's total.
pub fn costs(r: &ScenarioReport<'_>) -> Vec<u8> {
    let mut t = CsvRows::new([
        "scenario",
        "provider",
        "month",
        "calendar_month",
        "customers",
        "plan",
        "kind",
        "item",
        "amount",
        "status",
        "unknown",
        "estimate",
    ]);
    let sid = r.scenario.id();
    for p in &r.projection.projections {
        for m in &p.months {
            let q = &m.quote;
            if q.plan.is_none() {
                let reason = match &q.recurring {
                    crate::cost::CostValue::Unavailable { reason } => reason.clone(),
                    _ => String::new(),
                };
                t.push([
                    sid.to_owned(),
                    p.provider.clone(),
                    m.month.to_string(),
                    r.scenario.calendar_month(m.month).unwrap_or_default(),
                    m.customers.to_string(),
                    String::new(),
                    "unavailable".into(),
                    String::new(),
                    String::new(),
                    "unavailable".into(),
                    reason,
                    "false".into(),
                ]);
            }
            // A month's cells, shared by its lines (a large catalog writes millions of rows).
            let month = m.month.to_string();
            let calendar = r.scenario.calendar_month(m.month).unwrap_or_default();
            let customers = m.customers.to_string();
            let plan = q.plan.as_deref().unwrap_or_default();
            for l in q.lines.iter().chain(&q.one_time_lines) {
                let amount = l
                    .amount
                    .map(super::super::cost::money::Money::raw)
                    .unwrap_or_default();
                t.push([
                    sid,
                    &p.provider,
                    &month,
                    &calendar,
                    &customers,
                    plan,
                    l.kind.as_str(),
                    &l.label,
                    &amount,
                    l.status(),
                    l.unknown.as_deref().unwrap_or_default(),
                    if l.estimate { "true" } else { "false" },
                ]);
            }
        }
    }
    t.finish()
}
