//! `scimeter sensitivity`: how far each weight can move before the ranking (or the winner)
//! changes, the most critical axis, the smallest weight shift that changes the winner, and
//! SMAA rank acceptability from seeded Dirichlet(1,…,1) weights.

use crate::config::{Config, Format, Task};
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::report::table::Table;
use crate::score::sensitivity::{self, StabilityInterval};
use crate::score::smaa::{SmaaConfig, SmaaResult, smaa};
use crate::score::{Axis, Ranking};
use serde::Serialize;

/// Everything the command computes, for JSON and reports.
#[derive(Debug, Clone, Serialize)]
pub struct Sensitivity {
    /// Scenario id.
    pub scenario: String,
    /// Normalised weights.
    pub weights: [f64; 5],
    /// Ranked provider ids (rows of the value matrix).
    pub providers: Vec<String>,
    /// Per axis: the weight range keeping the whole ranking.
    pub ranking_intervals: Vec<Interval>,
    /// Per axis: the weight range keeping the winner.
    pub winner_intervals: Vec<Interval>,
    /// The most critical axis, as a sentence.
    pub critical_axis: Option<String>,
    /// The smallest total weight shift that changes the winner, as a sentence.
    pub smallest_shift: Option<String>,
    /// SMAA settings and results.
    pub smaa: Smaa,
}

/// A stability interval in serialisable form.
#[derive(Debug, Clone, Serialize)]
pub struct Interval {
    /// Axis key.
    pub axis: &'static str,
    /// Current weight.
    pub weight: f64,
    /// Lowest weight keeping the order.
    pub low: f64,
    /// Highest weight keeping the order.
    pub high: f64,
    /// The pair that swaps at the low end.
    pub low_flip: Option<(String, String)>,
    /// The pair that swaps at the high end.
    pub high_flip: Option<(String, String)>,
}

/// SMAA output.
#[derive(Debug, Clone, Serialize)]
pub struct Smaa {
    /// Draws.
    pub draws: usize,
    /// Seed.
    pub seed: u64,
    /// `[provider][rank − 1]` share of draws.
    pub rank_acceptability: Vec<Vec<f64>>,
    /// Share of draws each provider ranks first.
    pub first_rank: Vec<f64>,
    /// Mean weights of the draws each provider wins (none if it never wins).
    pub central_weights: Vec<Option<[f64; 5]>>,
    /// `P(row beats column)`.
    pub pairwise_winning: Vec<Vec<f64>>,
    /// Decision entropy in bits (0 = one clear winner).
    pub entropy: f64,
}

impl From<SmaaResult> for Smaa {
    fn from(r: SmaaResult) -> Smaa {
        Smaa {
            draws: r.draws,
            seed: r.seed,
            rank_acceptability: r.rank_acceptability,
            first_rank: r.first_rank,
            central_weights: r.central_weights,
            pairwise_winning: r.pairwise_winning,
            entropy: r.entropy,
        }
    }
}

/// Computes the analysis for a ranking.
pub fn analyse(ranking: &Ranking, draws: usize, seed: u64) -> Sensitivity {
    let values = ranking.values();
    let names: Vec<String> = ranking.ranked.iter().map(|r| r.card.provider.clone()).collect();
    let w = ranking.weights;
    let conv = |list: Vec<StabilityInterval>| -> Vec<Interval> {
        list.into_iter()
            .map(|i| Interval {
                axis: Axis::ALL[i.axis].key(),
                weight: i.current,
                low: i.low,
                high: i.high,
                low_flip: i.low_flip.map(|(a, b)| (names[a].clone(), names[b].clone())),
                high_flip: i.high_flip.map(|(a, b)| (names[a].clone(), names[b].clone())),
            })
            .collect()
    };
    let critical_axis = sensitivity::most_critical_axis(&values, w).map(|c| {
        format!(
            "{} is the most critical axis: changing its weight from {:.1} % to {:.1} % (others rescaled proportionally) makes {} tie {}",
            Axis::ALL[c.axis].key(),
            c.current * 100.0,
            c.new_weight * 100.0,
            names[c.challenger],
            names[c.winner]
        )
    });
    let smallest_shift = sensitivity::smallest_winner_shift(&values, w).map(|s| {
        let moves: Vec<String> = s.moves.iter().map(|(f, t, a)| format!("{:.1} points of weight from {} to {}", a * 100.0, Axis::ALL[*f].key(), Axis::ALL[*t].key())).collect();
        if moves.is_empty() {
            format!("{} already ties {} for first place", names[s.challenger], names[s.winner])
        } else {
            format!("moving {} makes {} tie {} (a total shift of {:.1} points)", moves.join(" and "), names[s.challenger], names[s.winner], s.total_shift * 100.0)
        }
    });
    let ranking_intervals = conv(sensitivity::ranking_intervals(&values, w));
    let winner_intervals = conv(sensitivity::winner_intervals(&values, w));
    Sensitivity {
        scenario: ranking.scenario.clone(),
        weights: w,
        providers: names,
        ranking_intervals,
        winner_intervals,
        critical_axis,
        smallest_shift,
        smaa: smaa(&values, &SmaaConfig { draws, seed }).into(),
    }
}

/// Runs the command.
pub fn run(config: &Config) -> Result<(ExitStatus, String), Error> {
    let Task::Sensitivity { scenario, draws, seed, weights, format } = &config.task else {
        return Err(Error::Other("internal: wrong task for `sensitivity`".into()));
    };
    let catalog = super::load(config)?;
    let scenario = super::scenario(&catalog, scenario)?;
    let ranking = super::ranking(&catalog, scenario, *weights)?;
    let a = analyse(&ranking, *draws, *seed);
    let text = match format {
        Format::Json => serde_json::to_string_pretty(&serde_json::json!({ "schema_version": 1, "sensitivity": a })).unwrap_or_default() + "\n",
        Format::Csv => smaa_csv(&a, &ranking).to_csv(),
        Format::Markdown => render(&a, &ranking, true),
        Format::Table => render(&a, &ranking, false),
    };
    Ok((ExitStatus::Success, text))
}

/// The stability intervals.
pub fn interval_table(a: &Sensitivity) -> Table {
    let mut t = Table::new(["Axis", "Weight", "Ranking unchanged for", "Winner unchanged for", "First swap"]).right_align(&[1]);
    for (r, w) in a.ranking_intervals.iter().zip(&a.winner_intervals) {
        // The swap at the nearer end of the interval is the one a small change would cause.
        let nearer_high = (r.high - r.weight) <= (r.weight - r.low);
        let (first, second) = if nearer_high { (&r.high_flip, &r.low_flip) } else { (&r.low_flip, &r.high_flip) };
        let flip = first.as_ref().or(second.as_ref()).map_or_else(|| "none".to_owned(), |(x, y)| format!("{x} / {y}"));
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
pub fn smaa_table(a: &Sensitivity, ranking: &Ranking) -> Table {
    let m = a.providers.len();
    let shown = m.min(5);
    let mut headers = vec!["Provider".to_owned(), "Current rank".to_owned()];
    headers.extend((1..=shown).map(|r| format!("P(rank {r})")));
    headers.push("Central weights (ease/features/pricing/integration/prereqs)".into());
    let mut t = Table::new(headers).right_align(&(1..2 + shown).collect::<Vec<_>>());
    for (i, p) in a.providers.iter().enumerate() {
        let mut row = vec![p.clone(), ranking.ranked.get(i).map_or_else(String::new, |r| r.rank.to_string())];
        row.extend((0..shown).map(|r| format!("{:.1} %", a.smaa.rank_acceptability[i].get(r).copied().unwrap_or(0.0) * 100.0)));
        row.push(a.smaa.central_weights[i].map_or_else(|| "never first".to_owned(), |w| w.iter().map(|x| format!("{:.0}", x * 100.0)).collect::<Vec<_>>().join("/")));
        t.push(row);
    }
    t
}

/// SMAA results as raw fractions, one row per provider, with the draws and seed on each row
/// (for `--format csv`; the intervals are in `--format json`).
pub fn smaa_csv(a: &Sensitivity, ranking: &Ranking) -> Table {
    let m = a.providers.len();
    let mut headers: Vec<String> = ["provider", "current_rank", "draws", "seed"].map(String::from).to_vec();
    headers.extend((1..=m).map(|r| format!("p_rank_{r}")));
    headers.extend(Axis::ALL.iter().map(|x| format!("central_weight_{}", x.key())));
    let mut t = Table::new(headers);
    for (i, p) in a.providers.iter().enumerate() {
        let mut row = vec![p.clone(), ranking.ranked.get(i).map_or_else(String::new, |r| r.rank.to_string()), a.smaa.draws.to_string(), a.smaa.seed.to_string()];
        row.extend((0..m).map(|r| format!("{:.6}", a.smaa.rank_acceptability[i].get(r).copied().unwrap_or(0.0))));
        match a.smaa.central_weights[i] {
            Some(w) => row.extend(w.iter().map(|x| format!("{x:.6}"))),
            None => row.extend(std::iter::repeat_n(String::new(), 5)),
        }
        t.push(row);
    }
    t
}

/// The human report.
pub fn render(a: &Sensitivity, ranking: &Ranking, md: bool) -> String {
    let h = if md { "#### " } else { "" };
    let mut s = format!("{h}Sensitivity of scenario `{}`\nweights: {}\n", a.scenario, super::weights_line(&a.weights));
    if a.providers.len() < 2 {
        s.push_str("Fewer than two providers are ranked: there is no order to disturb.\n");
        return s;
    }
    s.push_str(&format!("\n{h}Weight stability intervals (one weight moves, the others rescale proportionally)\n"));
    let t = interval_table(a);
    s.push_str(&if md { t.to_markdown() + "\n" } else { t.to_terminal() });
    if let Some(c) = &a.critical_axis {
        s.push_str(&format!("{c}.\n"));
    }
    match &a.smallest_shift {
        Some(x) => s.push_str(&format!("Smallest total weight shift that changes the winner: {x}.\n")),
        None => s.push_str("No shift of weights changes the winner: it is at least as good on every axis.\n"),
    }
    s.push_str(&format!(
        "\n{h}SMAA rank acceptability ({} Dirichlet(1,…,1) weight draws, seed {}; rerun with `--seed` to vary)\n",
        a.smaa.draws, a.smaa.seed
    ));
    let t = smaa_table(a, ranking);
    s.push_str(&if md { t.to_markdown() + "\n" } else { t.to_terminal() });
    s.push_str(&format!("Decision entropy: {:.2} bits (0 means one provider wins under every weighting).\n", a.smaa.entropy));
    s
}
