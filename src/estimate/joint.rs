//! Joint robustness: SMAA over the weights, the unknown facts (each drawn over its possible
//! statuses) and the cost draws on the pricing axis, together; and the value of information
//! of each uncertain input (what to ask each vendor).

use super::input::{Dist, Input, InputKind};
use super::sample::stream;
use super::simulation::{ScenarioEstimate, Settings, simulate_ranked};
use crate::cost::money::Overflow;
use crate::model::{Feature, Provider, Scenario, Status};
use crate::score::pricing_evidence::DEFAULT_ANCHOR;
use crate::score::ranking::Ranking;
use crate::score::sensitivity::AXES;
use crate::score::smaa::{SmaaConfig, dirichlet_weights, ranked_index, ranked_key, smaa};
use crate::score::value::status_value;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

/// A question to settle an uncertain input, with its value of information.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    /// Whom to ask: the provider's name, or "your team".
    pub provider: String,
    /// The provider's id (`None` for the buyer's own assumptions).
    pub provider_id: Option<String>,
    /// The question.
    pub question: String,
    /// Expected absolute change in the current winner's joint P(rank 1) from learning the
    /// answer, 0–1.
    pub impact: f64,
    /// The input's key.
    pub input: String,
    /// What kind of input it is.
    pub kind: InputKind,
}

/// The joint model's results for one scenario.
#[derive(Debug, Clone, Serialize)]
pub struct Joint {
    /// Draws and seed.
    pub settings: Settings,
    /// Provider ids in ranking order.
    pub providers: Vec<String>,
    /// P(rank 1) when only the weights vary (SMAA, Dirichlet(1,…,1)).
    pub p_first_weights: Vec<f64>,
    /// P(rank 1) when weights, unknown facts and costs vary together.
    pub p_first_joint: Vec<f64>,
    /// Joint rank acceptability of the first ranks (up to [`ACCEPTABILITY_RANKS`]):
    /// `[provider][rank − 1]`.
    pub acceptability_joint: Vec<Vec<f64>>,
    /// The published ranking's winner (id).
    pub winner: Option<String>,
    /// Questions, highest impact first.
    pub questions: Vec<Question>,
    /// The cost Monte Carlo the pricing axis drew from (its providers' cost draws released).
    #[serde(skip)]
    pub costs: ScenarioEstimate,
}

impl Joint {
    /// The winner's closest rival in the joint draws: the other provider that ranks first in
    /// the most of them, with that share; on equal shares the better-ranked. (Shares are counts
    /// over the draws, so exact ties happen; the summary and the index must name the same
    /// rival.) `None` with fewer than two providers.
    pub fn rival(&self) -> Option<(usize, f64)> {
        self.p_first_joint.iter().copied().enumerate().skip(1).fold(
            None,
            |best: Option<(usize, f64)>, (i, p)| match best {
                Some((_, b)) if b >= p => best,
                _ => Some((i, p)),
            },
        )
    }
}

/// How a criterion's value is drawn.
enum Source {
    /// A fixed value.
    Fixed(f64),
    /// Streamed input `i`'s draw (a 0–1 share), mapped into `[low, high]`.
    Input(usize, f64, f64),
    /// The provider's cost draws (the pricing axis's cost criterion): its column in
    /// [`CostColumns`].
    Cost(usize),
}

struct AxisModel {
    total_points: f64,
    /// The points of the criteria that do not vary, summed once: most criteria are known
    /// facts, and summing them in every draw dominated a 1,000-provider report (issue 15).
    fixed: f64,
    /// Where the criteria that vary (never [`Source::Fixed`]), with their points, are in
    /// [`Models::parts`].
    parts: std::ops::Range<usize>,
}

/// Every provider's axis models and varying criteria, in flat arrays the loop reads in order
/// (a vector per provider and per axis was a pointer to follow for each, in every draw).
#[derive(Default)]
struct Models {
    /// Every provider's axes, one provider after another.
    axes: Vec<AxisModel>,
    /// Where each provider's axes start in `axes` (one more entry than providers: the end).
    axis_start: Vec<usize>,
    /// Every axis's varying criteria, with their points, one axis after another.
    parts: Vec<(f64, Source)>,
}

impl Models {
    /// Provider `i`'s axes.
    fn of(&self, i: usize) -> &[AxisModel] {
        &self.axes[self.axis_start[i]..self.axis_start[i + 1]]
    }
}

/// The customer counts at which the pricing axis scores cost (those the scenario reaches, or
/// its largest count), and the customer-months of the horizon.
fn scoring_points(scenario: &Scenario) -> (Vec<u64>, u64) {
    let (customers, counts) = crate::score::ranking::scored_counts(scenario);
    (counts, customers.iter().sum())
}

/// The most cost draws the joint model holds at once: 2²⁸ values of 8 bytes, 2 GiB. A run
/// above it is refused before anything is drawn ([`max_draws_for`]), instead of growing
/// until the system kills it.
pub const MAX_HELD_DRAWS: usize = 1 << 28;

/// The customer counts the joint model prices in each draw: the milestones, then the
/// pricing axis's scoring points that are not milestones.
fn cost_points(scenario: &Scenario) -> (Vec<u64>, Vec<u64>, u64) {
    let (points, customer_months) = scoring_points(scenario);
    let mut milestones = scenario.milestones();
    for p in &points {
        if !milestones.contains(p) {
            milestones.push(*p);
        }
    }
    (milestones, points, customer_months)
}

/// The most draws the joint model can run for `providers` ranked providers within
/// [`MAX_HELD_DRAWS`]: it holds one cost per draw for each count of [`cost_points`] and for
/// the horizon total. For example 1,000 providers priced at 2 counts and the horizon hold
/// 3,000 costs per draw, so at most ⌊2²⁸ ÷ 3,000⌋ = 89,478 draws.
pub fn max_draws_for(providers: usize, scenario: &Scenario) -> usize {
    max_draws_holding(providers.saturating_mul(cost_points(scenario).0.len() + 1))
}

/// The most draws that fit within [`MAX_HELD_DRAWS`] when each draw holds `per_draw` costs
/// (at least 1).
pub fn max_draws_holding(per_draw: usize) -> usize {
    (MAX_HELD_DRAWS / per_draw.max(1)).max(1)
}

/// Runs the joint model for a ranking.
pub fn joint(
    providers: &[&Provider],
    scenario: &Scenario,
    ranking: &Ranking,
    settings: Settings,
) -> Result<Joint, Overflow> {
    joint_with(providers, scenario, ranking, settings, None)
}

/// [`joint`], reusing the weights-only P(rank 1) when the caller has already run that SMAA
/// (with the same draws and seed, in ranking order).
pub fn joint_with(
    providers: &[&Provider],
    scenario: &Scenario,
    ranking: &Ranking,
    settings: Settings,
    weights_only: Option<Vec<f64>>,
) -> Result<Joint, Overflow> {
    let (milestones, points, customer_months) = cost_points(scenario);
    let ranked: Vec<&Provider> = ranking
        .ranked
        .iter()
        .filter_map(|r| {
            providers
                .iter()
                .copied()
                .find(|p| p.id() == r.card.provider)
        })
        .collect();
    let mut costs = simulate_ranked(&ranked, scenario, &milestones, settings)?;
    let n = costs.draws.n;
    let anchor = scenario
        .budget
        .anchor_per_customer
        .and_then(|a| a.0.to_f64())
        .unwrap_or(f64::from(DEFAULT_ANCHOR));

    // The pricing axis's cost value in each draw: the mean over the scoring points of
    // max(0, 1 − cost per customer per month ÷ anchor). An undefined estimate keeps the
    // criterion's pessimistic–optimistic range, drawn uniformly. Stored draw-major (a draw's
    // values side by side), as the loop reads them: one provider's column per draw, read
    // provider after provider, missed the cache at every provider.
    let cost_cols = CostColumns::new(&costs, &points, &milestones, customer_months, anchor);
    costs.release_cost_draws();
    // Per provider, per axis: points and how each criterion is drawn. Unknown criteria are
    // drawn as the loop goes (not stored): a large catalog has thousands of them.
    let mut streamed = Streamed::default();
    let mut models = Models::default();
    models.axis_start.push(0);
    for (i, (r, p)) in ranking.ranked.iter().zip(&ranked).enumerate() {
        for axis in &r.card.axes {
            let total_points: f64 = axis.criteria.iter().map(|c| c.points).sum();
            let mut parts = Vec::new();
            for c in &axis.criteria {
                let (low, high) = (c.value.low, c.value.high);
                // The cost criterion follows the provider's cost draws whenever its estimate is
                // defined, even when its published cost is exact: a ranged assumption (build
                // hours, a discount) still moves it.
                let src = if let Some(col) = cost_cols.column(i).filter(|_| c.key == "pricing.cost")
                {
                    Source::Cost(col)
                } else if (high - low).abs() <= 1e-12 {
                    Source::Fixed(low)
                } else if c.key == "pricing.cost" {
                    Source::Input(streamed.add(cost_input(p), settings.seed), low, high)
                } else {
                    Source::Input(
                        streamed.add(fact_input(p, scenario, &c.key, &c.label), settings.seed),
                        low,
                        high,
                    )
                };
                parts.push((c.points, src));
            }
            let fixed = parts
                .iter()
                .map(|(pts, src)| match src {
                    Source::Fixed(v) => pts * v,
                    Source::Input(..) | Source::Cost(_) => 0.0,
                })
                .sum();
            parts.retain(|(_, src)| !matches!(src, Source::Fixed(_)));
            let start = models.parts.len();
            models.parts.extend(parts);
            models.axes.push(AxisModel {
                total_points,
                fixed,
                parts: start..models.parts.len(),
            });
        }
        models.axis_start.push(models.axes.len());
    }
    let m = ranking.ranked.len();
    let mut wrng = stream(settings.seed, "joint:weights");
    let mut tally = RankTally::new(m);
    let mut winner_first = vec![0.0; n];
    let winner = ranking.ranked.first().map(|r| r.card.provider.clone());
    // Scores are computed a block of draws at a time, provider after provider: a provider's
    // model is read once per block instead of once per draw, its unknown criteria are drawn
    // for the whole block as it reads them (each stream's state is touched once a block, not
    // once every few draws: thousands of streams did not stay in cache), and the block's draws
    // are computed side by side (the compiler vectorises them). Each draw's arithmetic is the
    // same, in the same order, as draw by draw, so the scores are the same bits.
    let mut block_weights = Box::new([[0.0; STREAM_BLOCK]; AXES]);
    // Draw-major (`scores[row × m + provider]`), as the tally reads a draw's scores.
    let mut scores = vec![0.0; STREAM_BLOCK * m];
    for d0 in (0..n).step_by(STREAM_BLOCK) {
        let rows = STREAM_BLOCK.min(n - d0);
        for row in 0..rows {
            let w = dirichlet_weights(&mut wrng);
            for (axis, wk) in block_weights.iter_mut().zip(w) {
                axis[row] = wk;
            }
        }
        streamed.begin(rows);
        score_block(
            &models,
            &block_weights,
            &mut streamed,
            &cost_cols,
            (d0, rows),
            &mut scores,
        );
        streamed.finish_block();
        let block_first = &mut winner_first[d0..d0 + rows];
        for (first, scores) in block_first.iter_mut().zip(scores.chunks_exact(m.max(1))) {
            let share = tally.add(scores);
            if winner.is_some() {
                *first = share;
            }
        }
        streamed.record(block_first);
    }
    let RankTally {
        first_counts,
        rank_counts,
        ..
    } = tally;
    let p_first_joint = first_counts.iter().map(|c| c / n as f64).collect();
    let acceptability_joint = rank_counts
        .into_iter()
        .map(|row| row.into_iter().map(|c| c / n as f64).collect())
        .collect();
    let p_first_weights = weights_only.unwrap_or_else(|| {
        smaa(
            &ranking.values(),
            &SmaaConfig {
                draws: settings.draws,
                seed: settings.seed,
            },
        )
        .first_rank
    });
    let mut questions = questions(&costs.draws, &winner_first);
    questions.extend(streamed.questions(&winner_first));
    questions.sort_by(|a, b| b.impact.total_cmp(&a.impact).then(a.input.cmp(&b.input)));
    Ok(Joint {
        settings,
        providers: ranking
            .ranked
            .iter()
            .map(|r| r.card.provider.clone())
            .collect(),
        p_first_weights,
        p_first_joint,
        acceptability_joint,
        winner,
        questions,
        costs,
    })
}

/// Each draw's outcome, tallied: first place (split evenly among the providers tied for it)
/// and the first [`ACCEPTABILITY_RANKS`] ranks (tied providers share the better rank).
struct RankTally {
    /// Per provider (ranking order), the first places counted.
    first_counts: Vec<f64>,
    /// Per provider, the draws in which it held each of the first ranks.
    rank_counts: Vec<Vec<f64>>,
    /// How many ranks are tallied: [`ACCEPTABILITY_RANKS`], or fewer providers.
    top: usize,
    /// The draw's order as packed keys (best score first, then the ranking's order), selected
    /// and sorted as plain integers.
    order: Vec<u128>,
}

impl RankTally {
    fn new(m: usize) -> RankTally {
        let top = m.min(ACCEPTABILITY_RANKS);
        RankTally {
            first_counts: vec![0.0; m],
            rank_counts: vec![vec![0.0; top]; m],
            top,
            order: vec![0; m],
        }
    }

    /// Adds one draw's scores (one per provider, ranking order; within 1e-12 is a tie).
    /// Returns the share of first place that went to provider 0, the published winner.
    fn add(&mut self, scores: &[f64]) -> f64 {
        let best = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let tied: Vec<usize> = (0..scores.len())
            .filter(|&i| best - scores[i] <= 1e-12)
            .collect();
        let share = 1.0 / tied.len() as f64;
        for &i in &tied {
            self.first_counts[i] += share;
        }
        // Rank acceptability of the top ranks only: select them (linear time), then sort.
        // With no provider, `top` is 0 and every step below is empty.
        let top = self.top;
        for (key, (i, &score)) in self.order.iter_mut().zip(scores.iter().enumerate()) {
            *key = ranked_key(score, i);
        }
        if top < scores.len() {
            self.order.select_nth_unstable(top - 1);
        }
        self.order[..top].sort_unstable();
        let at = |pos: usize| ranked_index(self.order[pos]);
        let mut rank = 0;
        for pos in 0..top {
            if pos > 0 && scores[at(pos - 1)] > scores[at(pos)] + 1e-12 {
                rank = pos;
            }
            self.rank_counts[at(pos)][rank] += 1.0;
        }
        if tied.contains(&0) { share } else { 0.0 }
    }
}

/// Every provider's score in the `rows` draws of the block starting at draw `d0`, draw-major
/// (`scores[row × providers + provider]`), as the tally reads a draw's scores side by side.
fn score_block(
    models: &Models,
    weights: &[[f64; STREAM_BLOCK]; AXES],
    streamed: &mut impl Shares,
    cost_cols: &CostColumns,
    (d0, rows): (usize, usize),
    scores: &mut [f64],
) {
    let m = models.axis_start.len().saturating_sub(1);
    for i in 0..m {
        let block = block_score(models, i, weights, streamed, cost_cols, d0);
        for (row, &score) in block[..rows].iter().enumerate() {
            scores[row * m + i] = score;
        }
    }
}

/// Provider `i`'s score in each draw of the block starting at draw `d0`, given the block's
/// weights (`[axis][row]`). Rows past the end of the draws hold values that are never read.
fn block_score(
    models: &Models,
    i: usize,
    weights: &[[f64; STREAM_BLOCK]; AXES],
    streamed: &mut impl Shares,
    cost_cols: &CostColumns,
    d0: usize,
) -> [f64; STREAM_BLOCK] {
    const NO_WEIGHT: [f64; STREAM_BLOCK] = [0.0; STREAM_BLOCK];
    let mut total = [0.0; STREAM_BLOCK];
    for (k, a) in models.of(i).iter().enumerate() {
        let w = weights.get(k).unwrap_or(&NO_WEIGHT);
        // An axis without points is worth 1 (its weight times 1, exactly the weight).
        if a.total_points <= 0.0 {
            for (t, w) in total.iter_mut().zip(w) {
                *t += w;
            }
            continue;
        }
        // `Iterator::sum` of f64 starts at −0.0: so does this, for the same bits.
        let mut sum = [-0.0; STREAM_BLOCK];
        for (pts, src) in &models.parts[a.parts.clone()] {
            match *src {
                Source::Fixed(v) => {
                    for s in &mut sum {
                        *s += pts * v;
                    }
                }
                Source::Input(j, lo, hi) => {
                    for (s, share) in sum.iter_mut().zip(streamed.shares(j)) {
                        *s += pts * (lo + (hi - lo) * share);
                    }
                }
                Source::Cost(col) => {
                    for (s, c) in sum.iter_mut().zip(cost_cols.block(col, d0)) {
                        *s += pts * c;
                    }
                }
            }
        }
        for ((t, w), s) in total.iter_mut().zip(w).zip(sum) {
            *t += w * ((a.fixed + s) / a.total_points);
        }
    }
    total
}

/// One scored estimate's cost draws and the units (customers, or customer-months) that turn
/// them into a cost per customer per month.
type ScoredDraws<'a> = (&'a Vec<f64>, Units<'a>);

/// What a scored estimate's draws are divided by to give a cost per customer-month.
#[derive(Clone, Copy)]
enum Units<'a> {
    /// The same in every draw: a milestone's customers, or the horizon's customer-months
    /// with fixed growth.
    Fixed(f64),
    /// Each draw's own: the horizon's customer-months with ranged growth.
    PerDraw(&'a [f64]),
}

impl Units<'_> {
    fn at(self, d: usize) -> f64 {
        match self {
            Units::Fixed(u) => u,
            Units::PerDraw(v) => v.get(d).copied().unwrap_or(1.0).max(1.0),
        }
    }
}

/// The pricing axis's cost value of every provider with a defined estimate, in every draw,
/// column after column: `values[column × stride + d]`, each column padded to whole blocks of
/// draws so the loop reads a block without a bounds case.
struct CostColumns {
    /// Each provider's column (`None` when its estimate is undefined somewhere it is scored).
    column: Vec<Option<usize>>,
    /// The draws rounded up to a whole number of [`STREAM_BLOCK`]s.
    stride: usize,
    /// The cost values (0–1), one column's draws after another.
    values: Vec<f64>,
}

impl CostColumns {
    /// The mean over the scoring points (and the horizon, per customer-month) of
    /// max(0, 1 − cost per customer per month ÷ anchor), in each draw.
    fn new(
        costs: &ScenarioEstimate,
        points: &[u64],
        milestones: &[u64],
        customer_months: u64,
        anchor: f64,
    ) -> CostColumns {
        let n = costs.draws.n;
        // Per provider: each scored estimate's draws and the units they are divided by.
        let defined: Vec<Option<Vec<ScoredDraws<'_>>>> = costs
            .providers
            .iter()
            .map(|e| {
                let mut cols: Vec<ScoredDraws<'_>> = Vec::new();
                for &c in points {
                    let k = milestones.iter().position(|&m| m == c)?;
                    let m = &e.milestones[k];
                    if !m.is_defined() {
                        return None;
                    }
                    cols.push((&m.draws, Units::Fixed(c.max(1) as f64)));
                }
                if !e.horizon.is_defined() {
                    return None;
                }
                let units = costs
                    .customer_months
                    .as_deref()
                    .map_or(Units::Fixed(customer_months.max(1) as f64), Units::PerDraw);
                cols.push((&e.horizon.draws, units));
                Some(cols)
            })
            .collect();
        let mut columns = 0;
        let column: Vec<Option<usize>> = defined
            .iter()
            .map(|c| {
                c.as_ref().map(|_| {
                    columns += 1;
                    columns - 1
                })
            })
            .collect();
        let stride = n.next_multiple_of(STREAM_BLOCK);
        let mut values = vec![0.0; stride * columns];
        for (cols, at) in defined.iter().zip(&column) {
            let (Some(cols), Some(at)) = (cols, at) else {
                continue;
            };
            for d in 0..n {
                values[at * stride + d] = cols
                    .iter()
                    .map(|(v, units)| (1.0 - v[d] / units.at(d) / anchor).clamp(0.0, 1.0))
                    .sum::<f64>()
                    / cols.len() as f64;
            }
        }
        CostColumns {
            column,
            stride,
            values,
        }
    }

    /// Provider `i`'s column, when its cost estimate is defined.
    fn column(&self, i: usize) -> Option<usize> {
        self.column.get(i).copied().flatten()
    }

    /// A column's values in the block of draws starting at `d0` (a multiple of
    /// [`STREAM_BLOCK`]).
    fn block(&self, column: usize, d0: usize) -> &[f64] {
        let at = column * self.stride + d0;
        &self.values[at..at + STREAM_BLOCK]
    }
}

/// Registers the cost criterion of a provider whose estimate is undefined (an unpublished
/// price without an estimate): drawn uniformly over its pessimistic–optimistic range, from
/// its own stream.
fn cost_input(p: &Provider) -> Input {
    Input {
        key: format!("{}:pricing.cost", p.id()),
        provider: Some(p.id().to_owned()),
        owner: p.name.clone(),
        path: "pricing".into(),
        kind: InputKind::Price,
        dist: Dist::Uniform {
            low: 0.0,
            high: 1.0,
        },
        label: "cost at this scale (unpublished)".into(),
        question: format!(
            "{}: what would it cost at this scale? Its prices are unpublished and not estimated.",
            p.name
        ),
    }
}

/// Registers an unknown criterion as an input: a status fact is drawn over its possible
/// statuses; any other criterion (hours, SDKs, membership, IdP coverage) uniformly over its
/// range. The draw is a 0–1 share of the criterion's pessimistic–optimistic range.
fn fact_input(p: &Provider, scenario: &Scenario, key: &str, label: &str) -> Input {
    let last = key.rsplit('.').next().unwrap_or(key);
    // Membership is a value fact (first-class members 1, flat records 0.3), not a status:
    // it is drawn over its range like the other value facts.
    let feature = if key == "integration.membership" {
        None
    } else {
        Feature::from_key(last)
    };
    let fact = feature.map(|f| p.feature_fact(f));
    let question = match &fact {
        Some(_) => format!(
            "{}: {} — generally available, beta, planned, or not offered? (`{key}`)",
            p.name,
            label.trim_end_matches('.')
        ),
        None => format!(
            "{}: {} — not established; what is it? (`{key}`)",
            p.name,
            label.trim_end_matches('.')
        ),
    };
    let Some(fact) = fact else {
        return Input {
            key: format!("{}:{key}", p.id()),
            provider: Some(p.id().to_owned()),
            owner: p.name.clone(),
            path: key.to_owned(),
            kind: InputKind::Fact,
            dist: Dist::Uniform {
                low: 0.0,
                high: 1.0,
            },
            label: label.to_owned(),
            question,
        };
    };
    let possible: Vec<Status> = Some(fact)
        .map(|f| f.possible)
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| {
            Status::ALL
                .iter()
                .copied()
                .filter(|s| *s != Status::Unknown)
                .collect()
        });
    let values = possible
        .iter()
        .map(|s| status_value(*s, &scenario.team).low)
        .collect();
    Input {
        key: format!("{}:{key}", p.id()),
        provider: Some(p.id().to_owned()),
        owner: p.name.clone(),
        path: key.to_owned(),
        kind: InputKind::Fact,
        dist: Dist::Choice {
            values,
            labels: possible.iter().map(|s| s.as_str().to_owned()).collect(),
        },
        label: label.to_owned(),
        question,
    }
}

/// The value of information of one input from its bins: `(draws, sum of the winner's
/// first-place shares)` per bin. `None` when fewer than two bins are populated.
fn impact(bins: &[(f64, f64)], base: f64, n: usize) -> Option<f64> {
    if bins.iter().filter(|b| b.0 > 0.0).count() < 2 {
        return None;
    }
    // An input unrelated to the outcome still shows sampling noise: the expected
    // |P_bin − P| of a bin of k draws is about √(2/π) · √(P(1 − P)/k). Subtracting it
    // keeps irrelevant inputs near 0 instead of ranking noise.
    let spread = (base * (1.0 - base)).max(0.0);
    let (raw, noise) =
        bins.iter()
            .filter(|b| b.0 > 0.0)
            .fold((0.0, 0.0), |(raw, noise), &(k, wins)| {
                let p = wins / k;
                let share = k / n as f64;
                (
                    raw + share * (p - base).abs(),
                    noise + share * (2.0 / std::f64::consts::PI).sqrt() * (spread / k).sqrt(),
                )
            });
    let impact = (raw - noise).max(0.0);
    Some(impact)
}

/// Value of information: for each input, the expected absolute change in the winner's
/// P(rank 1) once the input is known, estimated by conditioning the joint draws on the
/// input's value (its categories, or five equal-count bins of a continuous input).
fn questions(draws: &super::input::Draws, winner_first: &[f64]) -> Vec<Question> {
    let n = winner_first.len();
    if n == 0 {
        return Vec::new();
    }
    let base = winner_first.iter().sum::<f64>() / n as f64;
    let mut out: Vec<Question> = draws
        .inputs
        .list
        .iter()
        .zip(&draws.values)
        .filter_map(|(input, xs)| {
            // Bins: a discrete input's values; a continuous input's quintiles.
            let bin_of: Box<dyn Fn(f64) -> usize> = match &input.dist {
                Dist::Triangular { .. } | Dist::Uniform { .. } => {
                    let mut sorted = xs.clone();
                    let cuts: Vec<f64> = (1..5)
                        .map(|b| {
                            let k = (b * n / 5).min(n - 1);
                            *sorted.select_nth_unstable_by(k, f64::total_cmp).1
                        })
                        .collect();
                    Box::new(move |x| cuts.iter().filter(|&&c| x >= c).count())
                }
                Dist::Bernoulli { .. } => Box::new(|x| usize::from(x >= 0.5)),
                Dist::Choice { values, .. } => {
                    let values = values.clone();
                    Box::new(move |x| {
                        values
                            .iter()
                            .position(|v| v.total_cmp(&x).is_eq())
                            .unwrap_or(0)
                    })
                }
            };
            // (draws in the bin, sum of the winner's first-place shares)
            let mut bins: Vec<(f64, f64)> = Vec::new();
            for (d, &x) in xs.iter().enumerate() {
                let b = bin_of(x);
                if bins.len() <= b {
                    bins.resize(b + 1, (0.0, 0.0));
                }
                bins[b].0 += 1.0;
                bins[b].1 += winner_first[d];
            }
            let impact = impact(&bins, base, n)?;
            Some(Question {
                provider: input.owner.clone(),
                provider_id: input.provider.clone(),
                question: input.question.clone(),
                impact,
                input: input.key.clone(),
                kind: input.kind,
            })
        })
        .collect();
    out.sort_by(|a, b| b.impact.total_cmp(&a.impact).then(a.input.cmp(&b.input)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estimate::input::Draws;

    fn input(key: &str, dist: Dist) -> Input {
        Input {
            key: key.into(),
            provider: Some("b".into()),
            owner: "B".into(),
            path: key.into(),
            kind: InputKind::Fact,
            dist,
            label: key.into(),
            question: format!("B: {key}?"),
        }
    }

    /// $10 per directory connection, one connection per customer: $10 a customer-month
    /// whatever the growth. With a ranged `growth.end` each draw's horizon cost grows with its
    /// customers, and so do the customer-months it serves, so the cost criterion is the same
    /// in every draw: 1 − 10 ÷ 150 = 0.9333… at the milestone and over the horizon. (Divided
    /// by the published customer-months, as until 2026-12-01, it varied from draw to draw.)
    #[test]
    fn ranged_growth_divides_each_draws_horizon_by_its_own_customer_months() {
        let p: Provider = toml::from_str(
            "id = \"flat\"\nname = \"Flat\"\nverified = 2026-11-01\n[features.scim]\nstatus = \"ga\"\n\
             [pricing]\nmodel = \"per_connection\"\n[[pricing.plans]]\nid = \"std\"\nfeatures = [\"scim\"]\n\
             [[pricing.plans.charges]]\nmeter = \"directory_connections\"\nunit_price = \"10\"\n",
        )
        .expect("provider");
        let s: Scenario = toml::from_str(
            "id = \"s\"\nname = \"S\"\nhorizon_months = 12\nmilestones = [20]\n\
             [growth]\nkind = \"linear\"\nstart = 10\nend = { low = 50, likely = 100, high = 400 }\n\
             [usage]\nsso_connections = 0\n",
        )
        .expect("scenario");
        let (milestones, points, customer_months) = cost_points(&s);
        let costs = simulate_ranked(&[&p], &s, &milestones, Settings { draws: 64, seed: 3 })
            .expect("prices");
        let months = costs.customer_months.as_deref().expect("ranged growth");
        assert!(
            months.iter().any(|&m| (m - months[0]).abs() > 1.0),
            "the draws' customer-months differ"
        );
        let cols = CostColumns::new(&costs, &points, &milestones, customer_months, 150.0);
        let column = cols.column(0).expect("a defined estimate");
        let expected = 1.0 - 10.0 / 150.0;
        for d in 0..64 {
            let v = cols.values[column * cols.stride + d];
            assert!((v - expected).abs() < 1e-9, "draw {d}: {v}");
        }
    }

    /// The joint loop draws its streamed inputs a block at a time; each input must still see
    /// its own stream's values in order, as [`crate::estimate::sample::draws`] gives them, and
    /// its bins must count every draw once, including a last, partial block.
    #[test]
    fn streamed_blocks_draw_each_stream_in_order() {
        let n = 2 * STREAM_BLOCK + 5;
        let dists = [
            Dist::Uniform {
                low: 0.0,
                high: 1.0,
            },
            Dist::Choice {
                values: vec![1.0, 0.3, 0.0],
                labels: vec!["ga".into(), "beta".into(), "none".into()],
            },
            Dist::Bernoulli { p: 0.25 },
            Dist::Triangular {
                low: 2.0,
                likely: 3.0,
                high: 7.0,
            },
        ];
        let mut streamed = Streamed::default();
        for (i, dist) in dists.iter().enumerate() {
            streamed.add(input(&format!("in{i}"), dist.clone()), 11);
        }
        let mut seen = vec![Vec::new(); dists.len()];
        let mut d = 0;
        while d < n {
            let rows = STREAM_BLOCK.min(n - d);
            streamed.begin(rows);
            for (i, seen) in seen.iter_mut().enumerate() {
                // Input 1 is not read in the first block (as an axis without points is not):
                // finishing the block must still draw it.
                if i == 1 && d == 0 {
                    continue;
                }
                seen.extend_from_slice(&streamed.shares(i)[..rows]);
            }
            streamed.finish_block();
            // The winner is first in even draws only.
            let wins: Vec<f64> = (d..d + rows)
                .map(|x| f64::from(u8::from(x % 2 == 0)))
                .collect();
            streamed.record(&wins);
            d += rows;
        }
        for (i, dist) in dists.iter().enumerate() {
            let expected = crate::estimate::sample::draws(dist, n, 11, &format!("in{i}"));
            let skipped = if i == 1 { STREAM_BLOCK } else { 0 };
            assert_eq!(seen[i], expected[skipped..], "input {i}");
            let bins = streamed.bins_of(i);
            assert!((bins.iter().map(|b| b.0).sum::<f64>() - n as f64).abs() < 1e-9);
            assert!((bins.iter().map(|b| b.1).sum::<f64>() - n.div_ceil(2) as f64).abs() < 1e-9);
            // Each draw in the bin `sample::value` gives it, with its first-place share.
            let mut rng = crate::estimate::sample::stream(11, &format!("in{i}"));
            let mut expected_bins = vec![(0.0, 0.0); bins.len()];
            for d in 0..n {
                let (_, b) = crate::estimate::sample::value(dist, rand::Rng::random(&mut rng));
                expected_bins[b].0 += 1.0;
                expected_bins[b].1 += f64::from(u8::from(d % 2 == 0));
            }
            assert_eq!(bins, expected_bins.as_slice(), "input {i}");
        }
    }

    /// The same shares for every input.
    struct FixedShares(Vec<f64>);

    impl Shares for FixedShares {
        fn shares(&mut self, _: usize) -> &[f64] {
            &self.0
        }
    }

    #[test]
    fn block_score_by_hand() {
        // One provider, two axes, weights 0.25 and 0.75 in every draw of the block.
        // Axis 1: 5 points; 1 point fixed (summed as `fixed` = 1.0), 2 points on an unknown
        // fact drawn as a share of [0.2, 0.6], 1 point on the cost column, and 1 point fixed at
        // 0.5 but left among the parts (models sum such parts into `fixed`; the score takes
        // one as it comes). Axis 2: no points, so its value is 1.
        //   draw 0, share 0, cost 0.4:   (1 + 2 × 0.2 + 0.4 + 0.5) ÷ 5 = 0.46;
        //                                score = 0.25 × 0.46 + 0.75 × 1 = 0.865
        //   draw 1, share 0.5, cost 0.8: (1 + 2 × 0.4 + 0.8 + 0.5) ÷ 5 = 0.62; score = 0.905
        //   draw 2, share 0, cost 0:     (1 + 2 × 0.2 + 0 + 0.5) ÷ 5 = 0.38;   score = 0.845
        // The block starts at draw `STREAM_BLOCK`, the cost column's second block.
        let models = Models {
            axes: vec![
                AxisModel {
                    total_points: 5.0,
                    fixed: 1.0,
                    parts: 0..3,
                },
                AxisModel {
                    total_points: 0.0,
                    fixed: 0.0,
                    parts: 3..3,
                },
            ],
            axis_start: vec![0, 2],
            parts: vec![
                (2.0, Source::Input(0, 0.2, 0.6)),
                (1.0, Source::Cost(0)),
                (1.0, Source::Fixed(0.5)),
            ],
        };
        let mut weights = [[0.0; STREAM_BLOCK]; AXES];
        weights[0] = [0.25; STREAM_BLOCK];
        weights[1] = [0.75; STREAM_BLOCK];
        let mut value = vec![0.0; STREAM_BLOCK];
        value[1] = 0.5;
        let mut streamed = FixedShares(value);
        let mut values = vec![0.0; 2 * STREAM_BLOCK];
        values[STREAM_BLOCK] = 0.4;
        values[STREAM_BLOCK + 1] = 0.8;
        let cost_cols = CostColumns {
            column: vec![Some(0)],
            stride: 2 * STREAM_BLOCK,
            values,
        };
        let score = block_score(
            &models,
            0,
            &weights,
            &mut streamed,
            &cost_cols,
            STREAM_BLOCK,
        );
        for (d, expected) in [0.865, 0.905, 0.845].into_iter().enumerate() {
            assert!(
                (score[d] - expected).abs() < 1e-12,
                "draw {d}: {}",
                score[d]
            );
        }
    }

    #[test]
    fn score_block_lays_out_a_draw_s_scores_side_by_side() {
        // Two providers with one axis each (weight 1 in every draw): provider 0's is fixed at
        // 0.2 (1 point, `fixed` 0.2); provider 1's is an unknown fact on [0, 1] whose share
        // in draw d is d ÷ 10. So draw d's scores are [0.2, d ÷ 10], at scores[2d] and
        // scores[2d + 1]: draw 0 → 0.2, 0.0; draw 1 → 0.2, 0.1; draw 2 → 0.2, 0.2.
        let models = Models {
            axes: vec![
                AxisModel {
                    total_points: 1.0,
                    fixed: 0.2,
                    parts: 0..0,
                },
                AxisModel {
                    total_points: 1.0,
                    fixed: 0.0,
                    parts: 0..1,
                },
            ],
            axis_start: vec![0, 1, 2],
            parts: vec![(1.0, Source::Input(0, 0.0, 1.0))],
        };
        let mut weights = [[0.0; STREAM_BLOCK]; AXES];
        weights[0] = [1.0; STREAM_BLOCK];
        let mut streamed = FixedShares((0..STREAM_BLOCK).map(|d| d as f64 / 10.0).collect());
        let cost_cols = CostColumns {
            column: Vec::new(),
            stride: STREAM_BLOCK,
            values: Vec::new(),
        };
        let mut scores = vec![-1.0; 2 * STREAM_BLOCK];
        score_block(
            &models,
            &weights,
            &mut streamed,
            &cost_cols,
            (0, 3),
            &mut scores,
        );
        let expected = [0.2, 0.0, 0.2, 0.1, 0.2, 0.2];
        for (k, (got, want)) in scores.iter().zip(expected).enumerate() {
            assert!(
                (got - want).abs() < 1e-12,
                "scores[{k}] = {got}, not {want}"
            );
        }
        // Only the block's draws are written.
        assert!(
            scores[6..]
                .iter()
                .all(|x| x.to_bits() == (-1.0_f64).to_bits())
        );
    }

    #[test]
    fn rank_tally_by_hand() {
        // Four providers, two draws.
        // Draw 1: scores 0.5, 0.9, 0.9 + 1e-13, 0.1. Providers 1 and 2 are within 1e-12: they
        // tie for first, half a first place each, none for provider 0 (the published winner).
        // Ranks: 2 and 1 share rank 1; 0 is third (two are better); 3 is fourth.
        // Draw 2: scores 0.7, 0.7, 0.2, 0.2. Providers 0 and 1 tie for first (the winner's
        // share is 1/2) and share rank 1; 2 and 3 share rank 3.
        let mut t = RankTally::new(4);
        assert!(t.add(&[0.5, 0.9, 0.9 + 1e-13, 0.1]).abs() < 1e-15);
        assert!((t.add(&[0.7, 0.7, 0.2, 0.2]) - 0.5).abs() < 1e-15);
        assert_eq!(t.first_counts, [0.5, 1.0, 0.5, 0.0]);
        assert_eq!(
            t.rank_counts,
            [
                [1.0, 0.0, 1.0, 0.0],
                [2.0, 0.0, 0.0, 0.0],
                [1.0, 0.0, 1.0, 0.0],
                [0.0, 0.0, 1.0, 1.0],
            ]
        );
    }

    #[test]
    fn rank_tally_ties_at_exactly_the_tolerance() {
        // 1e-12 apart is still a tie (the tolerance is inclusive): both first, half each, and
        // both hold rank 1.
        let mut t = RankTally::new(2);
        assert!((t.add(&[0.0, 1e-12]) - 0.5).abs() < 1e-15);
        assert_eq!(t.first_counts, [0.5, 0.5]);
        assert_eq!(t.rank_counts, [[1.0, 0.0], [1.0, 0.0]]);
    }

    #[test]
    fn rank_tally_of_no_provider_counts_nothing() {
        let mut t = RankTally::new(0);
        assert!(t.add(&[]).abs() < 1e-15);
        assert!(t.first_counts.is_empty() && t.rank_counts.is_empty());
    }

    #[test]
    fn rank_tally_keeps_the_first_ten_ranks_of_twelve() {
        // Twelve providers scored in reverse order (provider 11 best): provider 11 − r holds
        // rank r + 1 for r < 10, and providers 1 and 0 (ranks 11 and 12) are not tallied.
        let mut t = RankTally::new(12);
        let scores: Vec<f64> = (0..12).map(f64::from).collect();
        assert!(t.add(&scores).abs() < 1e-15);
        for (i, row) in t.rank_counts.iter().enumerate() {
            assert_eq!(row.len(), ACCEPTABILITY_RANKS);
            for (r, &c) in row.iter().enumerate() {
                let expected = if i >= 2 && r == 11 - i { 1.0 } else { 0.0 };
                assert!((c - expected).abs() < 1e-15, "provider {i}, rank {}", r + 1);
            }
        }
        assert!((t.first_counts[11] - 1.0).abs() < 1e-15);
        assert!(t.first_counts[..11].iter().all(|&c| c.abs() < 1e-15));
    }

    #[test]
    fn value_of_information_by_hand() {
        // 4,000 draws. Input `decisive` is 1 (ga) in the even draws and 0 (none) in the odd
        // ones; the winner ranks first exactly when it is 0. So P(first) = 0.5, and knowing
        // the input moves it to 0 or to 1:
        //   raw = 0.5 × |0 − 0.5| + 0.5 × |1 − 0.5| = 0.5
        //   noise = Σ share × √(2/π) × √(0.25 / 2,000) = √(2/π) × 0.5 / √2,000 ≈ 0.008921
        //   impact ≈ 0.5 − 0.008921 = 0.491079
        // Input `idle` alternates in pairs (1, 1, 0, 0, …), independent of the outcome: each
        // of its bins has P = 0.5, so raw = 0 and the impact is 0 after the noise term.
        let n = 4000;
        let mut draws = Draws::new(n, 1);
        let choice = || Dist::Choice {
            values: vec![1.0, 0.0],
            labels: vec!["ga".into(), "none".into()],
        };
        draws.inputs.add(input("decisive", choice()));
        draws.inputs.add(input("idle", choice()));
        draws.values = vec![
            (0..n).map(|d| if d % 2 == 0 { 1.0 } else { 0.0 }).collect(),
            (0..n)
                .map(|d| if (d / 2) % 2 == 0 { 1.0 } else { 0.0 })
                .collect(),
        ];
        let winner_first: Vec<f64> = (0..n).map(|d| if d % 2 == 0 { 0.0 } else { 1.0 }).collect();
        let q = questions(&draws, &winner_first);
        assert_eq!(q[0].input, "decisive");
        let expected = 0.5 - (2.0 / std::f64::consts::PI).sqrt() * 0.5 / 2000_f64.sqrt();
        assert!((q[0].impact - expected).abs() < 1e-12, "{}", q[0].impact);
        assert_eq!(q[1].input, "idle");
        assert!(q[1].impact.abs() < 1e-12, "{}", q[1].impact);
    }
}

/// How many ranks the joint acceptability records (a catalog of 1,000 providers would
/// otherwise carry a million cells per scenario).
pub const ACCEPTABILITY_RANKS: usize = 10;

/// A bin index as kept per draw: a status index or a quintile, well below 256 (a larger one
/// saturates, and a bin past the input's bins is never recorded).
fn bin_byte(bin: usize) -> u8 {
    u8::try_from(bin).unwrap_or(u8::MAX)
}

/// The `f64` in `[0, 1)` that `rand`'s `random::<f64>()` makes of the stream's next `u64`
/// (its 53 high bits, scaled), from that `u64`'s eight bytes as the stream gives them: a
/// `u64` is two consecutive 32-bit words, the first low, which is their little-endian bytes.
fn unit_interval(word: &[u8]) -> f64 {
    let mut bytes = [0_u8; 8];
    bytes.copy_from_slice(word);
    let bits = u64::from_le_bytes(bytes) >> 11;
    bits as f64 * (1.0 / (1_u64 << 53) as f64)
}

/// Where [`block_score`] reads the unknown criteria's values.
trait Shares {
    /// Input `i`'s values in the current block's draws (a 0–1 share of its criterion's
    /// range, one per draw; past a last, partial block's end, values that are never read).
    /// Each input is read once a block.
    fn shares(&mut self, i: usize) -> &[f64];
}

impl Shares for Streamed {
    fn shares(&mut self, i: usize) -> &[f64] {
        // Every input belongs to one criterion, read once a block.
        debug_assert!(!self.drawn[i], "input {i} read twice in a block");
        self.draw(i);
        &self.value
    }
}

/// How many draws the joint loop scores at a time. Each input's stream is read on for a
/// block of draws while its state is in cache, instead of every one of thousands of streams
/// being touched every few draws. What a block keeps between scoring and tallying is its
/// scores (1,000 providers × 256 draws: 2 MB) and bins (7,000 inputs × 256 draws: 1.8 MB).
const STREAM_BLOCK: usize = 256;

/// Unknown criteria drawn as the joint loop goes, each from its own keyed stream, with the
/// value-of-information bins accumulated on the way (so thousands of them need no storage
/// per draw). The values are the same, draw for draw, as drawing each input in every draw.
///
/// What a block touches for each input sits in flat arrays (its shape, its bins), not behind
/// the input's own allocations: with thousands of inputs, reaching each one's heap data once
/// per block missed the cache every time (a third of the loop at 1,000 providers).
#[derive(Default)]
struct Streamed {
    inputs: Vec<Input>,
    /// Each input's distribution, as drawn (see [`Shape`]).
    shapes: Vec<Shape>,
    /// The values of every [`Shape::Choice`], one after another.
    choices: Vec<f64>,
    rngs: Vec<rand_chacha::ChaCha8Rng>,
    /// The draws in the current block.
    rows: usize,
    /// The values of the input drawn last, one per draw of the block (a 0–1 share of the
    /// criterion's range): an input is read by one criterion, once a block.
    value: Vec<f64>,
    /// Whether each input has been drawn in the current block.
    drawn: Vec<bool>,
    /// The bytes of the input drawn last, as its stream gave them: eight per draw.
    words: Vec<u8>,
    /// The current block's bins, input-major (`bin[i × STREAM_BLOCK + row]`), so recording
    /// reads each input's bins in a row; a bin is a status index or a quintile, well below
    /// 256.
    bin: Vec<u8>,
    /// Every input's bins, one input after another: (draws, sum of the winner's first-place
    /// shares).
    bins: Vec<(f64, f64)>,
    /// Where each input's bins start in `bins` (one more entry than inputs: the end).
    bin_start: Vec<usize>,
}

/// An input's distribution in the form the block loop draws it: its parameters side by side
/// with the other inputs', not behind the input's own allocation.
#[derive(Debug, Clone, Copy)]
enum Shape {
    /// Uniform on `[low, high]`, binned by quintile.
    Uniform { low: f64, high: f64 },
    /// Triangular on `[low, high]` with mode `likely`, binned by quintile.
    Triangular { low: f64, likely: f64, high: f64 },
    /// 1 with probability `p`, else 0, binned by outcome.
    Bernoulli { p: f64 },
    /// One of `Streamed::choices[start..start + len]`, each equally likely, binned by index.
    Choice { start: usize, len: usize },
}

impl Streamed {
    fn add(&mut self, input: Input, seed: u64) -> usize {
        let nbins = match &input.dist {
            Dist::Choice { values, .. } => values.len().max(1),
            _ => 5,
        };
        let shape = match &input.dist {
            Dist::Uniform { low, high } => Shape::Uniform {
                low: *low,
                high: *high,
            },
            Dist::Choice { values, .. } => {
                self.choices.extend(values);
                Shape::Choice {
                    start: self.choices.len() - values.len(),
                    len: values.len(),
                }
            }
            Dist::Triangular { low, likely, high } => Shape::Triangular {
                low: *low,
                likely: *likely,
                high: *high,
            },
            Dist::Bernoulli { p } => Shape::Bernoulli { p: *p },
        };
        self.rngs.push(stream(seed, &input.key));
        self.inputs.push(input);
        self.shapes.push(shape);
        if self.bin_start.is_empty() {
            self.bin_start.push(0);
        }
        self.bins.resize(self.bins.len() + nbins, (0.0, 0.0));
        self.bin_start.push(self.bins.len());
        self.inputs.len() - 1
    }

    /// Starts a block of `rows` draws: no input is drawn yet.
    fn begin(&mut self, rows: usize) {
        let k = self.inputs.len();
        self.rows = rows;
        self.value.resize(STREAM_BLOCK, 0.0);
        self.words.resize(8 * STREAM_BLOCK, 0);
        self.drawn.clear();
        self.drawn.resize(k, false);
        self.bin.resize(STREAM_BLOCK * k, 0);
    }

    /// Draws input `i` for the block's draws, as [`super::sample::value`] would, keeping its
    /// values in `value` and its bins in `bin`.
    fn draw(&mut self, i: usize) {
        let rows = self.rows;
        let value = &mut self.value[..rows];
        let bin = &mut self.bin[i * STREAM_BLOCK..i * STREAM_BLOCK + rows];
        // The block's words in one copy from the stream, instead of a call per draw that
        // checks its place in the stream's buffer each time (issue 15).
        let words = &mut self.words[..8 * rows];
        rand::RngCore::fill_bytes(&mut self.rngs[i], words);
        for ((v, b), word) in value.iter_mut().zip(bin).zip(words.chunks_exact(8)) {
            let u = unit_interval(word);
            // `sample::value`'s own arithmetic, without reaching into the input.
            let (x, q) = match self.shapes[i] {
                Shape::Uniform { low, high } => super::sample::uniform(u, low, high),
                Shape::Triangular { low, likely, high } => {
                    super::sample::triangular_binned(u, low, likely, high)
                }
                Shape::Bernoulli { p } => super::sample::bernoulli(u, p),
                Shape::Choice { start, len } => {
                    super::sample::choice(u, &self.choices[start..start + len])
                }
            };
            (*v, *b) = (x, bin_byte(q));
        }
        self.drawn[i] = true;
    }

    /// Draws the inputs no criterion read in this block (those of an axis without points),
    /// so every stream stays at its draw and every bin counts every draw.
    fn finish_block(&mut self) {
        for i in 0..self.inputs.len() {
            if !self.drawn[i] {
                self.draw(i);
            }
        }
    }

    /// Input `i`'s bins.
    fn bins_of(&self, i: usize) -> &[(f64, f64)] {
        &self.bins[self.bin_start[i]..self.bin_start[i + 1]]
    }

    /// Adds the current block's outcomes (`winner_first`, one per draw) to every input's bins.
    fn record(&mut self, winner_first: &[f64]) {
        for (i, ends) in self.bin_start.windows(2).enumerate() {
            let bins = &mut self.bins[ends[0]..ends[1]];
            let block = &self.bin[i * STREAM_BLOCK..(i + 1) * STREAM_BLOCK];
            for (&b, &wins) in block.iter().zip(winner_first) {
                if let Some(bin) = bins.get_mut(usize::from(b)) {
                    bin.0 += 1.0;
                    bin.1 += wins;
                }
            }
        }
    }

    fn questions(&self, winner_first: &[f64]) -> Vec<Question> {
        let n = winner_first.len();
        if n == 0 {
            return Vec::new();
        }
        let base = winner_first.iter().sum::<f64>() / n as f64;
        self.inputs
            .iter()
            .enumerate()
            .filter_map(|(i, input)| {
                let bins = self.bins_of(i);
                Some(Question {
                    provider: input.owner.clone(),
                    provider_id: input.provider.clone(),
                    question: input.question.clone(),
                    impact: impact(bins, base, n)?,
                    input: input.key.clone(),
                    kind: input.kind,
                })
            })
            .collect()
    }
}
