//! The robustness of a ranking: stability intervals, the most critical axis, the smallest
//! weight shift that changes the winner, and SMAA acceptabilities, in one serialisable result.

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
    /// Their display names, in the same order (the sentences use these).
    pub names: Vec<String>,
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

impl Sensitivity {
    /// The display name of a ranked provider id (the id itself when it is not ranked).
    pub fn name<'a>(&'a self, id: &'a str) -> &'a str {
        self.providers
            .iter()
            .position(|p| p == id)
            .and_then(|i| self.names.get(i))
            .map_or(id, String::as_str)
    }
}

/// Computes the analysis for a ranking.
pub fn analyse(ranking: &Ranking, draws: usize, seed: u64) -> Sensitivity {
    let values = ranking.values();
    let ids: Vec<String> = ranking
        .ranked
        .iter()
        .map(|r| r.card.provider.clone())
        .collect();
    let names: Vec<String> = ranking.ranked.iter().map(|r| r.card.name.clone()).collect();
    let w = ranking.weights;
    let conv = |list: Vec<StabilityInterval>| -> Vec<Interval> {
        list.into_iter()
            .map(|i| Interval {
                axis: Axis::ALL[i.axis].key(),
                weight: i.current,
                low: i.low,
                high: i.high,
                low_flip: i.low_flip.map(|(a, b)| (ids[a].clone(), ids[b].clone())),
                high_flip: i.high_flip.map(|(a, b)| (ids[a].clone(), ids[b].clone())),
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
        let moves: Vec<String> = s
            .moves
            .iter()
            .map(|(f, t, a)| {
                format!(
                    "{:.1} points of weight from {} to {}",
                    a * 100.0,
                    Axis::ALL[*f].key(),
                    Axis::ALL[*t].key()
                )
            })
            .collect();
        if moves.is_empty() {
            format!(
                "{} already ties {} for first place",
                names[s.challenger], names[s.winner]
            )
        } else {
            format!(
                "moving {} makes {} tie {} (a total shift of {:.1} points)",
                moves.join(" and "),
                names[s.challenger],
                names[s.winner],
                s.total_shift * 100.0
            )
        }
    });
    let ranking_intervals = conv(sensitivity::ranking_intervals(&values, w));
    let winner_intervals = conv(sensitivity::winner_intervals(&values, w));
    Sensitivity {
        scenario: ranking.scenario.clone(),
        weights: w,
        providers: ids,
        names,
        ranking_intervals,
        winner_intervals,
        critical_axis,
        smallest_shift,
        smaa: smaa(&values, &SmaaConfig { draws, seed }).into(),
    }
}
