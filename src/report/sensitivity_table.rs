//! Tables and text of a robustness analysis: stability intervals and SMAA acceptabilities.

use crate::report::table::Table;
use crate::score::robustness::Sensitivity;
use crate::score::{Axis, Ranking};

/// The stability intervals.
pub fn interval_table(a: &Sensitivity) -> Table {
    let mut t = Table::new([
        "Axis",
        "Weight",
        "Ranking unchanged for",
        "Winner unchanged for",
        "First swap",
    ])
    .right_align(&[1]);
    for (r, w) in a.ranking_intervals.iter().zip(&a.winner_intervals) {
        // The swap at the nearer end of the interval is the one a small change would cause.
        let nearer_high = (r.high - r.weight) <= (r.weight - r.low);
        let (first, second) = if nearer_high {
            (&r.high_flip, &r.low_flip)
        } else {
            (&r.low_flip, &r.high_flip)
        };
        let flip = first.as_ref().or(second.as_ref()).map_or_else(
            || "none".to_owned(),
            |(x, y)| format!("{} / {}", a.name(x), a.name(y)),
        );
        t.push([
            r.axis.to_owned(),
            format!("{:.1} %", r.weight * 100.0),
            format!("{:.1} % – {:.1} %", r.low * 100.0, r.high * 100.0),
            format!("{:.1} % – {:.1} %", w.low * 100.0, w.high * 100.0),
            flip,
        ]);
    }
    t
}

/// SMAA rank acceptability (first ranks) and central weights.
/// With `joint`, a last column gives P(rank 1) when unknown facts and costs vary too
/// (the joint model), next to the weights-only figures.
pub fn smaa_table(a: &Sensitivity, ranking: &Ranking, joint: Option<&[f64]>) -> Table {
    let m = a.providers.len();
    let shown = m.min(5);
    let mut headers = vec!["Provider".to_owned(), "Current rank".to_owned()];
    headers.extend((1..=shown).map(|r| format!("P(rank {r})")));
    if joint.is_some() {
        headers.push("P(rank 1), joint".into());
    }
    headers.push("Central weights (ease/features/pricing/integration/prereqs)".into());
    let numeric = 2 + shown + usize::from(joint.is_some());
    let mut t = Table::new(headers).right_align(&(1..numeric).collect::<Vec<_>>());
    for (i, p) in a.providers.iter().enumerate() {
        let mut row = vec![
            a.name(p).to_owned(),
            ranking
                .ranked
                .get(i)
                .map_or_else(String::new, |r| r.rank.to_string()),
        ];
        row.extend((0..shown).map(|r| {
            format!(
                "{:.1} %",
                a.smaa.rank_acceptability[i].get(r).copied().unwrap_or(0.0) * 100.0
            )
        }));
        if let Some(j) = joint {
            row.push(format!("{:.1} %", j.get(i).copied().unwrap_or(0.0) * 100.0));
        }
        row.push(a.smaa.central_weights[i].map_or_else(
            || "never first".to_owned(),
            |w| {
                w.iter()
                    .map(|x| format!("{:.0}", x * 100.0))
                    .collect::<Vec<_>>()
                    .join("/")
            },
        ));
        t.push(row);
    }
    t
}

/// SMAA results as raw fractions, one row per provider, with the draws and seed on each row
/// (for `--format csv`; the intervals are in `--format json`).
pub fn smaa_csv(a: &Sensitivity, ranking: &Ranking) -> Table {
    let m = a.providers.len();
    let mut headers: Vec<String> = ["provider", "name", "current_rank", "draws", "seed"]
        .map(String::from)
        .to_vec();
    headers.extend((1..=m).map(|r| format!("p_rank_{r}")));
    headers.extend(
        Axis::ALL
            .iter()
            .map(|x| format!("central_weight_{}", x.key())),
    );
    let mut t = Table::new(headers);
    for (i, p) in a.providers.iter().enumerate() {
        let mut row = vec![
            p.clone(),
            a.name(p).to_owned(),
            ranking
                .ranked
                .get(i)
                .map_or_else(String::new, |r| r.rank.to_string()),
            a.smaa.draws.to_string(),
            a.smaa.seed.to_string(),
        ];
        row.extend((0..m).map(|r| {
            format!(
                "{:.6}",
                a.smaa.rank_acceptability[i].get(r).copied().unwrap_or(0.0)
            )
        }));
        match a.smaa.central_weights[i] {
            Some(w) => row.extend(w.iter().map(|x| format!("{x:.6}"))),
            None => row.extend(std::iter::repeat_n(String::new(), 5)),
        }
        t.push(row);
    }
    t
}

/// The human report.
pub fn render(
    a: &Sensitivity,
    ranking: &Ranking,
    joint: Option<&[f64]>,
    md: bool,
    width: Option<u16>,
) -> String {
    let h = if md { "#### " } else { "" };
    let mut s = format!(
        "{h}Sensitivity of scenario `{}`\nweights: {}\n",
        a.scenario,
        crate::cmd::weights_line(&a.weights)
    );
    if a.providers.len() < 2 {
        s.push_str("Fewer than two providers are ranked: there is no order to disturb.\n");
        return s;
    }
    s.push_str(&format!(
        "\n{h}Weight stability intervals (one weight moves, the others rescale proportionally)\n"
    ));
    let t = interval_table(a);
    s.push_str(&if md {
        t.to_markdown() + "\n"
    } else {
        t.to_terminal(width)
    });
    if let Some(c) = &a.critical_axis {
        s.push_str(&format!("{c}.\n"));
    }
    match &a.smallest_shift {
        Some(x) => s.push_str(&format!(
            "Smallest total weight shift that changes the winner: {x}.\n"
        )),
        None => s.push_str(
            "No shift of weights changes the winner: it is at least as good on every axis.\n",
        ),
    }
    s.push_str(&format!(
        "\n{h}SMAA rank acceptability ({} Dirichlet(1,…,1) weight draws, seed {}; rerun with `--seed` to vary)\n",
        crate::cost::schedule::group(a.smaa.draws as u64),
        a.smaa.seed
    ));
    let t = smaa_table(a, ranking, joint);
    s.push_str(&if md {
        t.to_markdown() + "\n"
    } else {
        t.to_terminal(width)
    });
    s.push_str(&format!(
        "Decision entropy: {:.2} bits (0 means one provider wins under every weighting).\n",
        a.smaa.entropy
    ));
    s
}
