//! Tables of a ranking: the ranked table, raw CSV, and the exclusions.

use crate::report::table::Table;
use crate::score::ranking::Ranked;
use crate::score::{Axis, Ranking};

/// Rank, provider, totals, axis scores and margin. `?` marks a score resting on unknown facts.
pub fn table(r: &Ranking) -> Table {
    table_with(r, |e| e.card.name.clone(), |t| format!("{t:.1}"))
}

/// The ranked table with custom provider and total cells (markdown adds footnote references
/// and bold totals).
pub fn table_with(
    r: &Ranking,
    provider: impl Fn(&Ranked) -> String,
    total: impl Fn(f64) -> String,
) -> Table {
    let mut headers = vec![
        "Rank".to_owned(),
        "Provider".to_owned(),
        "Total".to_owned(),
        "Best case".to_owned(),
    ];
    headers.extend(Axis::ALL.iter().map(|a| a.label().to_owned()));
    headers.push("Margin".into());
    let mut t = Table::new(headers).right_align(&[0, 2, 3, 4, 5, 6, 7, 8, 9]);
    for e in &r.ranked {
        let mut row = vec![
            format!("{}{}", e.rank, if e.tied { "=" } else { "" }),
            provider(e),
            total(e.card.total.low),
            if e.card.uncertain() {
                format!("{:.1}", e.card.total.high)
            } else {
                String::new()
            },
        ];
        row.extend(e.card.axes.iter().map(|a| {
            format!(
                "{:.1}{}",
                a.score.low,
                if a.score.is_uncertain() { " ?" } else { "" }
            )
        }));
        row.push(e.margin.map_or_else(String::new, |m| format!("{m:.1}")));
        t.push(row);
    }
    t
}

/// Each axis's weighted points (score × weight × 100) per ranked provider, and their sum: the
/// numbers of the axis-contributions chart, for segments too narrow to carry their label.
pub fn contributions_table(r: &Ranking) -> Table {
    let mut headers = vec!["Provider".to_owned()];
    headers.extend(
        Axis::ALL
            .iter()
            .enumerate()
            .map(|(k, a)| format!("{} ({:.0} %)", a.label(), r.weights[k] * 100.0)),
    );
    headers.push("Total".into());
    let mut t = Table::new(headers).right_align(&(1..=Axis::ALL.len() + 1).collect::<Vec<_>>());
    for e in &r.ranked {
        let mut row = vec![e.card.name.clone()];
        row.extend(e.card.contributions.iter().map(|c| format!("{c:.1}")));
        row.push(format!("{:.1}", e.card.total.low));
        t.push(row);
    }
    t
}

/// Raw numbers for spreadsheets.
pub fn csv_table(r: &Ranking) -> Table {
    let mut headers: Vec<String> = [
        "scenario",
        "rank",
        "tied",
        "provider",
        "total",
        "total_best_case",
    ]
    .map(String::from)
    .to_vec();
    for a in Axis::ALL {
        headers.push(a.key().to_owned());
        headers.push(format!("{}_best_case", a.key()));
        headers.push(format!("{}_weighted", a.key()));
    }
    headers.push("margin".into());
    headers.push("excluded_because".into());
    let mut t = Table::new(headers);
    for e in &r.ranked {
        let mut row = vec![
            r.scenario.clone(),
            e.rank.to_string(),
            e.tied.to_string(),
            e.card.provider.clone(),
            format!("{:.4}", e.card.total.low),
            format!("{:.4}", e.card.total.high),
        ];
        for (k, a) in e.card.axes.iter().enumerate() {
            row.push(format!("{:.4}", a.score.low));
            row.push(format!("{:.4}", a.score.high));
            row.push(format!("{:.4}", e.card.contributions[k]));
        }
        row.push(e.margin.map_or_else(String::new, |m| format!("{m:.4}")));
        row.push(String::new());
        t.push(row);
    }
    for x in &r.excluded {
        let mut row = vec![
            r.scenario.clone(),
            String::new(),
            "false".into(),
            x.provider.clone(),
        ];
        row.resize(t.headers.len() - 1, String::new());
        row.push(
            x.failures
                .iter()
                .map(|f| f.reason.clone())
                .collect::<Vec<_>>()
                .join("; "),
        );
        t.push(row);
    }
    t
}

/// The excluded providers and every failed requirement.
pub fn exclusions(r: &Ranking, md: bool) -> String {
    if r.excluded.is_empty() {
        return String::new();
    }
    // In markdown the names and reasons (catalog text) are escaped as literal text.
    let text = |t: &str| crate::report::escape::md_text_if(md, t);
    let mut s = String::from("\nExcluded by hard requirements:\n");
    for x in &r.excluded {
        s.push_str(&format!(
            "  - {} ({}): {}\n",
            text(&x.name),
            x.provider,
            x.failures
                .iter()
                .map(|f| text(&f.reason))
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    s
}
