//! Estimated costs: P10 / P50 / P90, P(cheapest) and the drivers of each spread, shown next
//! to (never mixed into) the published figures.

use crate::cost::schedule::group;
use crate::estimate::simulation::{PointEstimate, ScenarioEstimate};
use crate::report::table::Table;

/// One row per provider × milestone, then the horizon totals. `published(provider, customers)`
/// says whether that figure (`None`: the horizon total) is fully published: a figure that is
/// not, and whose draws never vary, rests on single-figure estimates, and says so (found in
/// review: $500 / $500 / $500 with P(cheapest) 100 % read as certainty).
pub fn estimate_table(
    est: &ScenarioEstimate,
    cur: &str,
    published: &dyn Fn(&str, Option<u64>) -> bool,
) -> Table {
    let mut t = Table::new([
        "Provider",
        "Customers",
        "P10",
        "P50",
        "P90",
        "P(cheapest)",
        "Main driver",
    ])
    .right_align(&[1, 2, 3, 4, 5]);
    for (k, &count) in est.milestones.iter().enumerate() {
        for p in &est.providers {
            if let Some(e) = p.milestones.get(k) {
                let point = e.is_point_estimate(published(&p.provider, Some(count)));
                push(&mut t, &p.name, group(count), e, cur, point);
            }
        }
    }
    for p in &est.providers {
        let point = !published(&p.provider, None);
        push(
            &mut t,
            &p.name,
            "horizon total".into(),
            &p.horizon,
            cur,
            point,
        );
    }
    t
}

/// The main-driver cell of a figure whose draws never vary: published figures need no word;
/// an estimate without a range does.
const POINT_ESTIMATE: &str = "none: single-figure estimates (no sourced range)";

fn push(t: &mut Table, name: &str, at: String, e: &PointEstimate, cur: &str, point: bool) {
    let word = if e.unavailable {
        "unavailable"
    } else {
        "unknown"
    };
    let (p10, p50, p90) = e.spread.as_ref().map_or_else(
        || (word.to_owned(), word.to_owned(), word.to_owned()),
        |s| (s.p10.display(cur), s.p50.display(cur), s.p90.display(cur)),
    );
    let driver = match (&e.spread, e.drivers.first()) {
        (Some(_), Some(d)) => format!("{} ({:.0} %)", d.label, d.share * 100.0),
        (Some(_), None) if point => POINT_ESTIMATE.into(),
        (Some(_), None) => "—".into(),
        (None, _) => e.reason.clone().unwrap_or_default(),
    };
    t.push([
        name.to_owned(),
        at,
        p10,
        p50,
        p90,
        e.p_cheapest
            .map_or_else(|| "—".into(), |p| format!("{:.1} %", p * 100.0)),
        driver,
    ]);
}

/// The `estimated` object of one figure: decimal strings (or null with a reason),
/// P(cheapest) as a number, and the drivers.
pub fn estimated_json(e: &PointEstimate) -> serde_json::Value {
    serde_json::json!({
        "p10": e.spread.map(|s| s.p10.raw()),
        "p50": e.spread.map(|s| s.p50.raw()),
        "p90": e.spread.map(|s| s.p90.raw()),
        "reason": e.reason,
        "p_cheapest": e.p_cheapest,
        "drivers": e.drivers,
    })
}

/// The crossover distributions in words: "Clerk becomes cheaper than Build in-house at month
/// 9 (P10–P90: 6–17) in 85 % of draws".
pub fn crossover_lines(est: &ScenarioEstimate) -> Vec<String> {
    let name = |id: &str| {
        est.providers
            .iter()
            .find(|p| p.provider == id)
            .map_or_else(|| id.to_owned(), |p| p.name.clone())
    };
    est.crossovers
        .iter()
        .map(|c| {
            format!(
                "{} becomes cheaper than {} at month {} (P10–P90: {}–{}) in {:.0} % of draws",
                name(&c.cheaper),
                name(&c.than),
                c.month_p50,
                c.month_p10,
                c.month_p90,
                c.probability * 100.0
            )
        })
        .collect()
}
