//! Weight sensitivity of the weighted sum: scores and ranks, one-weight stability intervals, the
//! most critical axis, and the smallest total weight shift that changes the winner.
//!
//! Everything here is exact closed-form arithmetic on the value matrix (no sampling); the
//! formulas are those of `scoring-methods.md` §2.1–2.3.
//!
//! Inputs throughout: `values` has one row per alternative (provider) with the axis values in
//! `[0, 1]` in axis order (ease, features, pricing, integration, prerequisites), and `weights`
//! are the five non-negative axis weights, normalised to sum to 1. The functions that reason
//! about weight changes re-normalise the weights defensively and return nothing (an empty vector
//! or `None`) when the weights are negative, not finite, or all zero.
//!
//! Ties: two scores closer than [`TIE_EPSILON`] are tied, and tied alternatives share the best
//! rank (standard competition ranking, `1, 1, 3`).

/// The number of scoring axes (ease, features, pricing, integration, prerequisites).
pub const AXES: usize = 5;

/// Two scores that differ by no more than this are tied.
pub const TIE_EPSILON: f64 = 1e-9;

/// The weighted score `S_i = Σ_k w_k·v_ik` of every alternative, in input order.
///
/// The weights are used as given (not re-normalised).
pub fn scores(values: &[[f64; AXES]], weights: [f64; AXES]) -> Vec<f64> {
    values.iter().map(|row| dot(row, &weights)).collect()
}

/// Standard competition ranks (1-based, `1, 1, 3`) by descending score.
///
/// The rank of an alternative is one plus the number of alternatives whose score is higher by
/// more than [`TIE_EPSILON`], so tied alternatives share the best rank. (With near-ties chained
/// across several alternatives, the tolerance is applied pairwise.)
pub fn ranks(scores: &[f64]) -> Vec<usize> {
    let mut out = vec![0; scores.len()];
    ranks_into(scores, &mut out);
    out
}

/// [`ranks`] into a caller-provided buffer (no allocation); `out` must be as long as `scores`.
fn ranks_into(scores: &[f64], out: &mut [usize]) {
    for (slot, &score) in out.iter_mut().zip(scores) {
        *slot = 1 + scores
            .iter()
            .filter(|&&other| other > score + TIE_EPSILON)
            .count();
    }
}

/// The weights after setting axis `axis` to `t` and rescaling the other axes so the sum stays 1.
///
/// The other weights keep their proportions: `w_l(t) = w_l·(1 − t)/Σ_{m≠k} w_m`. When every other
/// weight is zero (the axis carries all the weight) proportional rescaling is undefined, and the
/// freed weight `1 − t` is shared equally among the other four axes instead. `t` is clamped to
/// `[0, 1]`; an out-of-range `axis` returns `weights` unchanged. The input need not be normalised.
pub fn rescaled_weights(weights: [f64; AXES], axis: usize, t: f64) -> [f64; AXES] {
    if axis >= AXES {
        return weights;
    }
    let t = t.clamp(0.0, 1.0);
    let mut out = other_shape(&weights, axis).map(|share| share * (1.0 - t));
    out[axis] = t;
    out
}

/// How far one weight can move (the others rescaled proportionally, see [`rescaled_weights`])
/// before the order of some pair of alternatives changes.
///
/// Inside the open interval `(low, high)` the considered order is unchanged. At an end with a
/// flip, the named pair ties exactly; an end with no flip is the edge of the weight range
/// (`0` or `1`).
///
/// Tie handling: a pair that is tied now (scores within [`TIE_EPSILON`]) and whose difference
/// changes with this weight breaks its tie on any move, so it pins the interval to the degenerate
/// `[current, current]`, and both flips name that pair. A pair that stays tied whatever this
/// weight is (for example two identical rows) never limits the interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StabilityInterval {
    /// The axis whose weight varies (0 = ease … 4 = prerequisites).
    pub axis: usize,
    /// The current (normalised) weight of the axis.
    pub current: f64,
    /// The lowest weight, in `[0, current]`, down to which the order holds.
    pub low: f64,
    /// The highest weight, in `[current, 1]`, up to which the order holds.
    pub high: f64,
    /// The pair `(ahead, behind)` that ties at `low`; `ahead` has the higher current score (the
    /// lower index when tied). `None` when `low` is the edge of the range with no flip.
    pub low_flip: Option<(usize, usize)>,
    /// The pair `(ahead, behind)` that ties at `high`, as for `low_flip`. `None` when `high` is
    /// the edge of the range with no flip.
    pub high_flip: Option<(usize, usize)>,
}

/// The stability interval of each axis weight for the whole ranking (a flip of any pair ends it).
///
/// One interval per axis, in axis order; empty when the weights are invalid (negative, not
/// finite, or all zero). With fewer than two alternatives every interval is `[0, 1]`. An axis
/// that carries all the weight (`w_k = 1`) has no other weights to rescale; its interval is
/// computed with the freed weight shared equally among the other axes (see
/// [`rescaled_weights`]), so `high` is 1 and `low` is where that first changes the ranking.
pub fn ranking_intervals(values: &[[f64; AXES]], weights: [f64; AXES]) -> Vec<StabilityInterval> {
    let Some(weights) = normalised(weights) else {
        return Vec::new();
    };
    let current = scores(values, weights);
    let mut pairs = Vec::new();
    for first in 0..values.len() {
        for second in first + 1..values.len() {
            pairs.push(oriented(&current, first, second));
        }
    }
    intervals(values, &weights, &pairs)
}

/// The stability interval of each axis weight for the winner only: only pairs involving a
/// current top alternative (rank 1) end it.
///
/// Same conventions as [`ranking_intervals`]. In each flip the first element is the top
/// alternative. When several alternatives share the top, pairs among them count too, so an
/// axis that separates them has a degenerate interval.
pub fn winner_intervals(values: &[[f64; AXES]], weights: [f64; AXES]) -> Vec<StabilityInterval> {
    let Some(weights) = normalised(weights) else {
        return Vec::new();
    };
    let current = scores(values, weights);
    let rank = ranks(&current);
    let is_top = |index: usize| rank.get(index) == Some(&1);
    let mut pairs = Vec::new();
    for top in (0..values.len()).filter(|&index| is_top(index)) {
        for other in 0..values.len() {
            // Pairs of two tops are taken once, with the lower index first.
            if other != top && !(is_top(other) && other < top) {
                pairs.push((top, other));
            }
        }
    }
    intervals(values, &weights, &pairs)
}

/// The axis whose weight needs the smallest change to flip the winner (Triantaphyllou–Sánchez
/// "absolute-top" critical criterion, expressed with the other weights rescaled proportionally).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CriticalAxis {
    /// The critical axis (0 = ease … 4 = prerequisites).
    pub axis: usize,
    /// Its current (normalised) weight.
    pub current: f64,
    /// The weight at which `winner` and `challenger` tie (the others rescaled proportionally).
    pub new_weight: f64,
    /// `new_weight − current`: negative when the weight must fall, positive when it must rise.
    pub change: f64,
    /// `change / current` (multiply by 100 for a percentage); `None` when the current weight is 0.
    pub relative_change: Option<f64>,
    /// The current top alternative whose lead is lost.
    pub winner: usize,
    /// The alternative that catches up with it.
    pub challenger: usize,
}

/// The most critical axis: the single weight change (others rescaled proportionally) of smallest
/// absolute size that makes another alternative tie the current winner.
///
/// This is the nearest flip end of [`winner_intervals`] over all axes; on equal sizes the lower
/// axis wins, and a decrease wins over an increase. If the top is already shared and some axis
/// separates the tied tops, the change is 0. `None` when the weights are invalid, there are
/// fewer than two alternatives, or no single-weight change can flip the winner.
pub fn most_critical_axis(values: &[[f64; AXES]], weights: [f64; AXES]) -> Option<CriticalAxis> {
    let mut best: Option<CriticalAxis> = None;
    for interval in winner_intervals(values, weights) {
        let ends = [
            (interval.low, interval.low_flip),
            (interval.high, interval.high_flip),
        ];
        for (end, flip) in ends {
            let Some((winner, challenger)) = flip else {
                continue;
            };
            let change = end - interval.current;
            if best.is_none_or(|found| change.abs() < found.change.abs()) {
                best = Some(CriticalAxis {
                    axis: interval.axis,
                    current: interval.current,
                    new_weight: end,
                    change,
                    relative_change: (interval.current > 0.0).then(|| change / interval.current),
                    winner,
                    challenger,
                });
            }
        }
    }
    best
}

/// The smallest total weight shift that makes a challenger tie the winner (§2.3).
#[derive(Debug, Clone, PartialEq)]
pub struct WeightShift {
    /// The alternative that is ahead now.
    pub winner: usize,
    /// The alternative that ties it at `new_weights`.
    pub challenger: usize,
    /// The total weight mass moved: the sum of the move amounts, which is the total-variation
    /// distance (half the L1 distance) between the old and new weights. 0 when already tied.
    pub total_shift: f64,
    /// The moves `(from axis, to axis, amount)`, largest lead-reduction rate first. Every move
    /// goes to the same axis, the one where the challenger is relatively strongest.
    pub moves: Vec<(usize, usize, f64)>,
    /// The weights after the moves: non-negative, summing to 1, with the winner's and the
    /// challenger's scores equal (within [`TIE_EPSILON`]).
    pub new_weights: [f64; AXES],
}

/// The smallest total weight shift (weight mass moved between axes) that makes some other
/// alternative tie the current winner; the minimum over all challengers.
///
/// The winner is the lowest-index alternative of rank 1. If another alternative already shares
/// the top, the result is a zero shift naming it. On equal shifts the lower challenger index
/// wins. `None` when the weights are invalid, there are fewer than two alternatives, or no
/// weighting at all lets any challenger catch up (each is dominated on the weighted scale).
pub fn smallest_winner_shift(values: &[[f64; AXES]], weights: [f64; AXES]) -> Option<WeightShift> {
    let weights = normalised(weights)?;
    let winner = ranks(&scores(values, weights))
        .iter()
        .position(|&rank| rank == 1)?;
    let mut best: Option<WeightShift> = None;
    for challenger in (0..values.len()).filter(|&index| index != winner) {
        if let Some(shift) = pair_shift(values, weights, winner, challenger)
            && best
                .as_ref()
                .is_none_or(|found| shift.total_shift < found.total_shift)
        {
            best = Some(shift);
        }
    }
    best
}

/// The smallest total weight shift that makes alternatives `ahead` and `behind` tie, by the exact
/// greedy solution of §2.3.
///
/// All moved weight goes to the axis `q` with the smallest `d_q = v_ahead,q − v_behind,q`; donors
/// are taken in decreasing order of `d_p`, each giving at most its whole weight, until the lead
/// is gone. If the two are already tied the result is a zero shift; if `behind` is in fact ahead
/// (by more than [`TIE_EPSILON`]) the roles are swapped in the result. `None` when an index is out
/// of range, the two are equal, the weights are invalid, or no weighting makes them tie.
pub fn pair_shift(
    values: &[[f64; AXES]],
    weights: [f64; AXES],
    ahead: usize,
    behind: usize,
) -> Option<WeightShift> {
    let weights = normalised(weights)?;
    let (row_ahead, row_behind) = (values.get(ahead)?, values.get(behind)?);
    if ahead == behind {
        return None;
    }
    let lead = dot(row_ahead, &weights) - dot(row_behind, &weights);
    if lead.abs() <= TIE_EPSILON {
        return Some(WeightShift {
            winner: ahead,
            challenger: behind,
            total_shift: 0.0,
            moves: Vec::new(),
            new_weights: weights,
        });
    }
    let sign = lead.signum();
    let (winner, challenger) = if sign > 0.0 {
        (ahead, behind)
    } else {
        (behind, ahead)
    };
    // d_k: how much better the winner is on axis k.
    let diff: [f64; AXES] = std::array::from_fn(|k| sign * (row_ahead[k] - row_behind[k]));
    let mut receiver = 0;
    for (axis, &gap) in diff.iter().enumerate() {
        if gap < diff[receiver] {
            receiver = axis;
        }
    }
    let mut donors: Vec<usize> = (0..AXES)
        .filter(|&axis| diff[axis] > diff[receiver] && weights[axis] > 0.0)
        .collect();
    // Stable sort: equal d_p keep axis order.
    donors.sort_by(|&left, &right| diff[right].total_cmp(&diff[left]));

    let mut remaining = lead.abs();
    let mut new_weights = weights;
    let mut moves = Vec::new();
    let mut total_shift = 0.0;
    let mut closed = false;
    for donor in donors {
        // Each unit moved from `donor` to `receiver` lowers the lead by `rate`.
        let rate = diff[donor] - diff[receiver];
        let available = weights[donor];
        let amount = if available * rate >= remaining {
            closed = true;
            new_weights[donor] = (available - remaining / rate).max(0.0);
            remaining / rate
        } else {
            new_weights[donor] = 0.0;
            available
        };
        new_weights[receiver] += amount;
        remaining -= amount * rate;
        total_shift += amount;
        moves.push((donor, receiver, amount));
        if closed {
            break;
        }
    }
    if !closed && remaining > TIE_EPSILON {
        return None;
    }
    Some(WeightShift {
        winner,
        challenger,
        total_shift,
        moves,
        new_weights,
    })
}

/// `Σ_k a_k·b_k`.
fn dot(row: &[f64; AXES], weights: &[f64; AXES]) -> f64 {
    row.iter()
        .zip(weights)
        .map(|(value, weight)| value * weight)
        .sum()
}

/// The weights divided by their sum; `None` if any is negative or not finite, or all are zero.
fn normalised(weights: [f64; AXES]) -> Option<[f64; AXES]> {
    if weights
        .iter()
        .any(|weight| !weight.is_finite() || *weight < 0.0)
    {
        return None;
    }
    let total: f64 = weights.iter().sum();
    (total > 0.0 && total.is_finite()).then(|| weights.map(|weight| weight / total))
}

/// The proportions of the weights other than `axis` (0 at `axis`, summing to 1); equal shares
/// when every other weight is zero.
fn other_shape(weights: &[f64; AXES], axis: usize) -> [f64; AXES] {
    let others: f64 = weights
        .iter()
        .enumerate()
        .filter(|&(index, _)| index != axis)
        .map(|(_, weight)| weight)
        .sum();
    std::array::from_fn(|index| {
        if index == axis {
            0.0
        } else if others > 0.0 {
            weights[index] / others
        } else {
            1.0 / (AXES - 1) as f64
        }
    })
}

/// The pair ordered `(ahead, behind)` by current score (lower index first when equal).
fn oriented(current: &[f64], first: usize, second: usize) -> (usize, usize) {
    if current[second] > current[first] {
        (second, first)
    } else {
        (first, second)
    }
}

/// The stability interval of every axis over the given `(ahead, behind)` pairs. `weights` must be
/// normalised.
fn intervals(
    values: &[[f64; AXES]],
    weights: &[f64; AXES],
    pairs: &[(usize, usize)],
) -> Vec<StabilityInterval> {
    (0..AXES)
        .map(|axis| {
            let current = weights[axis];
            // With weight t on `axis`, S_i(t) = t·v_ik + (1 − t)·rest_i, so each pair's score
            // difference is the line f(t) = t·f(1) + (1 − t)·f(0).
            let shape = other_shape(weights, axis);
            let rest: Vec<f64> = values.iter().map(|row| dot(row, &shape)).collect();
            let mut interval = StabilityInterval {
                axis,
                current,
                low: 0.0,
                high: 1.0,
                low_flip: None,
                high_flip: None,
            };
            for &(ahead, behind) in pairs {
                let at_zero = rest[ahead] - rest[behind];
                let at_one = values[ahead][axis] - values[behind][axis];
                let slope = at_one - at_zero;
                if slope.abs() <= TIE_EPSILON {
                    // Parallel lines: this weight never changes the pair's order.
                    continue;
                }
                let now = at_zero + current * slope;
                if now.abs() <= TIE_EPSILON {
                    // Tied now, and any move breaks the tie: pin both ends (first such pair).
                    if interval.low_flip.is_none() || interval.low < current {
                        interval.low = current;
                        interval.low_flip = Some((ahead, behind));
                    }
                    if interval.high_flip.is_none() || interval.high > current {
                        interval.high = current;
                        interval.high_flip = Some((ahead, behind));
                    }
                    continue;
                }
                // t* = f(0)/(f(0) − f(1)) = (w_k·d_k − D)/(d_k − D).
                let crossing = at_zero / (at_zero - at_one);
                if !(0.0..=1.0).contains(&crossing) {
                    continue;
                }
                if crossing < current {
                    if interval.low_flip.is_none() || crossing > interval.low {
                        interval.low = crossing;
                        interval.low_flip = Some((ahead, behind));
                    }
                } else if crossing > current
                    && (interval.high_flip.is_none() || crossing < interval.high)
                {
                    interval.high = crossing;
                    interval.high_flip = Some((ahead, behind));
                }
            }
            interval
        })
        .collect()
}

#[cfg(test)]
#[allow(
    clippy::float_cmp,
    reason = "the exact ends 0 and 1 and unchanged inputs are compared on purpose"
)]
mod tests {
    use super::*;
    use crate::score::smaa::dirichlet_weights;
    use proptest::prelude::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    // Three providers, weights (0.4, 0.2, 0.2, 0.1, 0.1).
    //
    // S_A = 0.4·1   + 0.2·0.5 + 0.2·0   + 0.1·0.5 + 0.1·0.5 = 0.4 + 0.1 + 0 + 0.05 + 0.05 = 0.60
    // S_B = 0.4·0.5 + 0.2·1   + 0.2·0.5 + 0.1·0.5 + 0.1·0   = 0.2 + 0.2 + 0.1 + 0.05 + 0 = 0.55
    // S_C = 0.4·0   + 0.2·0   + 0.2·1   + 0.1·1   + 0.1·1   = 0 + 0 + 0.2 + 0.1 + 0.1    = 0.40
    const VALUES: [[f64; AXES]; 3] = [
        [1.0, 0.5, 0.0, 0.5, 0.5],
        [0.5, 1.0, 0.5, 0.5, 0.0],
        [0.0, 0.0, 1.0, 1.0, 1.0],
    ];
    const WEIGHTS: [f64; AXES] = [0.4, 0.2, 0.2, 0.1, 0.1];
    const A: usize = 0;
    const B: usize = 1;
    const C: usize = 2;

    fn close(left: f64, right: f64) -> bool {
        (left - right).abs() < 1e-12
    }

    fn gap(values: &[[f64; AXES]], weights: [f64; AXES], first: usize, second: usize) -> f64 {
        dot(&values[first], &weights) - dot(&values[second], &weights)
    }

    #[test]
    fn hand_example_scores_and_ranks() {
        let scores = scores(&VALUES, WEIGHTS);
        assert!(close(scores[A], 0.60) && close(scores[B], 0.55) && close(scores[C], 0.40));
        assert_eq!(ranks(&scores), vec![1, 2, 3]);
    }

    #[test]
    fn hand_example_ease_interval() {
        // Axis 0 (ease), w = 0.4; the others' shape is (0.2, 0.2, 0.1, 0.1)/0.6 = (1/3, 1/3, 1/6, 1/6).
        // rest_A = 0.5/3 + 0 + 0.5/6 + 0.5/6 = 1/3
        // rest_B = 1/3 + 0.5/3 + 0.5/6 + 0   = 7/12
        // rest_C = 0 + 1/3 + 1/6 + 1/6       = 2/3
        // A–B: f(t) = 0.5t + (1 − t)(1/3 − 7/12) = 0.75t − 0.25       → t* = 1/3
        // A–C: f(t) = 1.0t + (1 − t)(1/3 − 2/3)  = (4t − 1)/3         → t* = 1/4
        // B–C: f(t) = 0.5t + (1 − t)(7/12 − 8/12) = (7t − 1)/12       → t* = 1/7
        // All crossings are below 0.4, so low = max = 1/3 (A–B) and high = 1 (no flip).
        // Spec form for A–B: (w·d − D)/(d − D) = (0.4·0.5 − 0.05)/(0.5 − 0.05) = 0.15/0.45 = 1/3.
        let ranking = ranking_intervals(&VALUES, WEIGHTS);
        let ease = ranking[0];
        assert!(close(ease.current, 0.4));
        assert!(close(ease.low, 1.0 / 3.0), "{ease:?}");
        assert_eq!(ease.low_flip, Some((A, B)));
        assert!(close(ease.high, 1.0) && ease.high_flip.is_none());
        assert_eq!(winner_intervals(&VALUES, WEIGHTS)[0], ease);
    }

    #[test]
    fn hand_example_other_intervals() {
        // Axis 1 (features), w = 0.2: crossings A–B 3/11 (above), A–C −1/3 (out of range),
        // B–C 1/17 (below). Ranking: [1/17 (B–C), 3/11 (A–B)]; winner: [0, 3/11 (A–B)].
        // Check A–B: d = 0.5 − 1 = −0.5, D = 0.05: (0.2·−0.5 − 0.05)/(−0.5 − 0.05) = 0.15/0.55.
        // Axis 2 (pricing), w = 0.2: A–B 3/11, A–C 1/3, B–C 5/13, all above → high 3/11.
        // Axis 3 (integration), w = 0.1: A–B 1 (equal on the axis), A–C 5/14, B–C 4/13.
        //   Ranking high = 4/13 (C passes B first); winner high = 5/14 (C passes A).
        // Axis 4 (prerequisites), w = 0.1: A–B 0 (equal elsewhere after rescaling), A–C 5/14,
        //   B–C 5/23. Ranking [0 (A–B), 5/23 (B–C)]; winner [0 (A–B), 5/14 (A–C)].
        let ranking = ranking_intervals(&VALUES, WEIGHTS);
        let winner = winner_intervals(&VALUES, WEIGHTS);
        let expect = |got: StabilityInterval, low: f64, lf, high: f64, hf| {
            assert!(close(got.low, low) && close(got.high, high), "{got:?}");
            assert_eq!((got.low_flip, got.high_flip), (lf, hf), "{got:?}");
        };
        expect(
            ranking[1],
            1.0 / 17.0,
            Some((B, C)),
            3.0 / 11.0,
            Some((A, B)),
        );
        expect(winner[1], 0.0, None, 3.0 / 11.0, Some((A, B)));
        expect(ranking[2], 0.0, None, 3.0 / 11.0, Some((A, B)));
        expect(winner[2], 0.0, None, 3.0 / 11.0, Some((A, B)));
        expect(ranking[3], 0.0, None, 4.0 / 13.0, Some((B, C)));
        expect(winner[3], 0.0, None, 5.0 / 14.0, Some((A, C)));
        expect(ranking[4], 0.0, Some((A, B)), 5.0 / 23.0, Some((B, C)));
        expect(winner[4], 0.0, Some((A, B)), 5.0 / 14.0, Some((A, C)));
    }

    #[test]
    fn hand_example_critical_axis() {
        // Nearest winner flips: ease 1/3 − 0.4 = −1/15 ≈ −0.0667; features and pricing
        // 3/11 − 0.2 = 8/110 ≈ 0.0727; integration 5/14 − 0.1 ≈ 0.257; prerequisites 0 − 0.1.
        let critical = most_critical_axis(&VALUES, WEIGHTS).expect("a flip exists");
        assert_eq!(critical.axis, 0);
        assert!(close(critical.new_weight, 1.0 / 3.0));
        assert!(close(critical.change, -1.0 / 15.0));
        assert!(close(critical.relative_change.expect("w > 0"), -1.0 / 6.0));
        assert_eq!((critical.winner, critical.challenger), (A, B));
    }

    #[test]
    fn hand_example_greedy_shift() {
        // A vs B: d = A − B = (0.5, −0.5, −0.5, 0, 0.5), D = 0.05. Receiver = features (first
        // minimum, −0.5). Best donor = ease (0.5, first maximum): rate 0.5 − (−0.5) = 1, so it
        // gives 0.05/1 = 0.05 ≤ 0.4 and the lead is gone. New weights (0.35, 0.25, 0.2, 0.1, 0.1):
        // S_A = 0.35 + 0.125 + 0 + 0.05 + 0.05 = 0.575 = 0.175 + 0.25 + 0.1 + 0.05 + 0 = S_B.
        // A vs C: d = (1, 0.5, −1, −0.5, −0.5), D = 0.2; ease → pricing at rate 2: 0.1. Larger.
        let shift = smallest_winner_shift(&VALUES, WEIGHTS).expect("a shift exists");
        assert_eq!((shift.winner, shift.challenger), (A, B));
        assert!(close(shift.total_shift, 0.05));
        assert_eq!(shift.moves.len(), 1);
        let (from, to, amount) = shift.moves[0];
        assert_eq!((from, to), (0, 1));
        assert!(close(amount, 0.05));
        let expected = [0.35, 0.25, 0.2, 0.1, 0.1];
        assert!(
            shift
                .new_weights
                .iter()
                .zip(expected)
                .all(|(got, want)| close(*got, want))
        );
        assert!(gap(&VALUES, shift.new_weights, A, B).abs() < 1e-12);

        let versus_c = pair_shift(&VALUES, WEIGHTS, A, C).expect("C can catch up");
        assert!(close(versus_c.total_shift, 0.1));
        assert_eq!(versus_c.moves.len(), 1);
        assert_eq!((versus_c.moves[0].0, versus_c.moves[0].1), (0, 2));
        // Asking the other way round swaps the roles.
        let swapped = pair_shift(&VALUES, WEIGHTS, C, A).expect("C can catch up");
        assert_eq!((swapped.winner, swapped.challenger), (A, C));
        assert!(close(swapped.total_shift, 0.1));
        // … and the same move: 0.1 from ease (A's best lead) to pricing (C's).
        assert_eq!(swapped.moves.len(), 1);
        assert_eq!((swapped.moves[0].0, swapped.moves[0].1), (0, 2));
        assert!(close(swapped.moves[0].2, 0.1));
    }

    #[test]
    fn greedy_shift_skips_donors_without_weight() {
        // A = (1, 1, 0, 0.5, 0.5), B = (0, 0.5, 1, 0.5, 0.5), weights (0, 0.6, 0.2, 0.1, 0.1):
        // S_A = 0.6 + 0.05 + 0.05 = 0.7, S_B = 0.3 + 0.2 + 0.1 = 0.6, lead 0.1.
        // d = (1, 0.5, −1, 0, 0): the receiver is pricing. Ease has the largest d but no weight
        // to give, so the first donor is features at rate 0.5 − (−1) = 1.5: 0.1/1.5 = 1/15.
        let values = [[1.0, 1.0, 0.0, 0.5, 0.5], [0.0, 0.5, 1.0, 0.5, 0.5]];
        let shift = pair_shift(&values, [0.0, 0.6, 0.2, 0.1, 0.1], 0, 1).expect("B can catch up");
        assert_eq!(shift.moves.len(), 1, "{:?}", shift.moves);
        assert_eq!((shift.moves[0].0, shift.moves[0].1), (1, 2));
        assert!(close(shift.total_shift, 1.0 / 15.0));
    }

    #[test]
    fn a_gap_left_within_the_tie_tolerance_counts_as_caught_up() {
        // A = (2e-9, 1e-9, 1e-9, 1e-9, 1e-9), B = 0, weights (0.25, 0.75, 0, 0, 0): the lead
        // is 0.25·2e-9 + 0.75·1e-9 = 1.25e-9. All of ease's 0.25 moves to features (rate
        // 1e-9), leaving exactly 1e-9 = TIE_EPSILON (exact in binary here): a tie, so the
        // shift exists, with every weight on features.
        let values = [[2e-9, 1e-9, 1e-9, 1e-9, 1e-9], [0.0; AXES]];
        let shift =
            pair_shift(&values, [0.25, 0.75, 0.0, 0.0, 0.0], 0, 1).expect("within tolerance");
        assert!(close(shift.total_shift, 0.25));
        assert_eq!(shift.new_weights, [0.0, 1.0, 0.0, 0.0, 0.0]);
    }

    #[test]
    fn weights_are_normalised_before_use() {
        // Three times the hand example's weights are the same weights: the same intervals,
        // with ease's current weight 0.4, not 1.2.
        let tripled = WEIGHTS.map(|w| w * 3.0);
        let (a, b) = (
            ranking_intervals(&VALUES, WEIGHTS),
            ranking_intervals(&VALUES, tripled),
        );
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            assert!(close(x.current, y.current) && close(x.low, y.low) && close(x.high, y.high));
            assert_eq!((x.low_flip, x.high_flip), (y.low_flip, y.high_flip));
        }
        assert!(close(b[0].current, 0.4));
    }

    #[test]
    fn three_tied_alternatives_pin_with_the_first_pair() {
        // A = (1, .5, .5, .5, 0), B = (.5, .5, .5, .5, .5), C = (0, .5, .5, .5, 1) all score 0.5
        // at equal weights and all differ on ease, so every pair pins ease's interval to
        // [0.2, 0.2]; the flips name the first pair, (A, B), not a later one.
        let values = [
            [1.0, 0.5, 0.5, 0.5, 0.0],
            [0.5, 0.5, 0.5, 0.5, 0.5],
            [0.0, 0.5, 0.5, 0.5, 1.0],
        ];
        let ease = ranking_intervals(&values, [0.2; AXES])[0];
        assert_eq!((ease.low, ease.high), (0.2, 0.2));
        assert_eq!(
            (ease.low_flip, ease.high_flip),
            (Some((0, 1)), Some((0, 1)))
        );
    }

    #[test]
    fn equal_crossings_keep_the_first_pair() {
        // The hand example with C replaced by a copy of B: A–B and A–B' cross at the same
        // weights (ease 1/3 below, features 3/11 above; B–B' never), so the flips name the
        // first pair, (A, B), at both kinds of end.
        let values = [VALUES[A], VALUES[B], VALUES[B]];
        let ranking = ranking_intervals(&values, WEIGHTS);
        assert!(close(ranking[0].low, 1.0 / 3.0));
        assert_eq!(ranking[0].low_flip, Some((0, 1)));
        assert!(close(ranking[1].high, 3.0 / 11.0));
        assert_eq!(ranking[1].high_flip, Some((0, 1)));
    }

    #[test]
    fn critical_axis_at_a_zero_weight_has_no_relative_change() {
        // A = (1, 1, 1, 1, 0), B = (0.9, 0.9, 0.9, 0.9, 1), weights (0.25 × 4, 0): A leads
        // 1 to 0.9. Moving any of the first four weights keeps prerequisites at 0 and A ahead;
        // raising prerequisites to t gives S_A = 1 − t and S_B = 0.9(1 − t) + t, equal at
        // t = 1/11. From a weight of 0 the relative change is undefined.
        let values = [[1.0, 1.0, 1.0, 1.0, 0.0], [0.9, 0.9, 0.9, 0.9, 1.0]];
        let critical =
            most_critical_axis(&values, [0.25, 0.25, 0.25, 0.25, 0.0]).expect("B can tie");
        assert_eq!(critical.axis, 4);
        assert_eq!(critical.current, 0.0);
        assert!(close(critical.new_weight, 1.0 / 11.0));
        assert!(close(critical.change, 1.0 / 11.0));
        assert_eq!(critical.relative_change, None);
    }

    #[test]
    fn competition_ranking_with_ties() {
        assert_eq!(ranks(&[0.5, 0.7, 0.5, 0.1]), vec![2, 1, 2, 4]);
        assert_eq!(ranks(&[0.5, 0.5 + 1e-12, 0.3]), vec![1, 1, 3]);
        assert_eq!(ranks(&[0.2, 0.2, 0.2]), vec![1, 1, 1]);
        assert_eq!(ranks(&[]), Vec::<usize>::new());
        // Exactly TIE_EPSILON apart (1e-9 − 0 is exactly 1e-9) is still a tie; 2e-9 is not.
        assert_eq!(ranks(&[0.0, TIE_EPSILON]), vec![1, 1]);
        assert_eq!(ranks(&[0.0, 2.0 * TIE_EPSILON]), vec![2, 1]);
    }

    #[test]
    fn rescaling_keeps_proportions_and_falls_back_to_equal_shares() {
        let rescaled = rescaled_weights(WEIGHTS, 0, 0.7);
        // Others were (0.2, 0.2, 0.1, 0.1)/0.6 of the rest; now 0.3 of it.
        let expected = [0.7, 0.1, 0.1, 0.05, 0.05];
        assert!(
            rescaled
                .iter()
                .zip(expected)
                .all(|(got, want)| close(*got, want))
        );
        let one_hot = rescaled_weights([0.0, 0.0, 1.0, 0.0, 0.0], 2, 0.6);
        let expected = [0.1, 0.1, 0.6, 0.1, 0.1];
        assert!(
            one_hot
                .iter()
                .zip(expected)
                .all(|(got, want)| close(*got, want))
        );
        assert_eq!(rescaled_weights(WEIGHTS, 9, 0.5), WEIGHTS);
    }

    #[test]
    fn degenerate_inputs_do_not_panic() {
        let equal = [0.2; AXES];
        // No alternatives.
        assert!(scores(&[], equal).is_empty());
        assert!(ranking_intervals(&[], equal).iter().all(|iv| {
            iv.low == 0.0 && iv.high == 1.0 && iv.low_flip.is_none() && iv.high_flip.is_none()
        }));
        assert_eq!(most_critical_axis(&[], equal), None);
        assert_eq!(smallest_winner_shift(&[], equal), None);
        // One alternative.
        let single = [[0.3, 0.6, 0.9, 0.1, 0.0]];
        assert_eq!(ranking_intervals(&single, equal).len(), AXES);
        assert!(
            winner_intervals(&single, equal)
                .iter()
                .all(|iv| iv.low_flip.is_none())
        );
        assert_eq!(most_critical_axis(&single, equal), None);
        assert_eq!(smallest_winner_shift(&single, equal), None);
        // Identical rows: tied whatever the weights, so no interval is limited and no single
        // weight change flips anything; the shift is zero (the top is already shared).
        let same = [[0.5, 0.25, 1.0, 0.0, 0.75]; 3];
        assert!(ranking_intervals(&same, WEIGHTS).iter().all(|iv| {
            iv.low == 0.0 && iv.high == 1.0 && iv.low_flip.is_none() && iv.high_flip.is_none()
        }));
        assert_eq!(most_critical_axis(&same, WEIGHTS), None);
        let shift = smallest_winner_shift(&same, WEIGHTS).expect("tied");
        assert_eq!(
            (shift.winner, shift.challenger, shift.total_shift),
            (0, 1, 0.0)
        );
        // Invalid weights.
        for bad in [
            [0.0; AXES],
            [0.5, -0.1, 0.2, 0.2, 0.2],
            [f64::NAN, 0.2, 0.2, 0.2, 0.2],
        ] {
            assert!(ranking_intervals(&VALUES, bad).is_empty());
            assert!(winner_intervals(&VALUES, bad).is_empty());
            assert_eq!(most_critical_axis(&VALUES, bad), None);
            assert_eq!(smallest_winner_shift(&VALUES, bad), None);
        }
        assert_eq!(pair_shift(&VALUES, WEIGHTS, 0, 7), None);
        assert_eq!(pair_shift(&VALUES, WEIGHTS, 1, 1), None);
    }

    #[test]
    fn weight_of_one_uses_equal_shares() {
        // All weight on pricing: C (1.0) > B (0.5) > A (0.0).
        let weights = [0.0, 0.0, 1.0, 0.0, 0.0];
        let pricing = ranking_intervals(&VALUES, weights)[2];
        assert_eq!(
            (pricing.current, pricing.high, pricing.high_flip),
            (1.0, 1.0, None)
        );
        // Lowering pricing to t shares 1 − t equally: rest_A = (1 + 0.5 + 0.5 + 0.5)/4 = 0.625,
        // rest_B = (0.5 + 1 + 0.5 + 0)/4 = 0.5, rest_C = (0 + 0 + 1 + 1)/4 = 0.5.
        // B–A: f(t) = 0.5t + (1 − t)(0.5 − 0.625) = 0.625t − 0.125  → t = 1/5.
        // C–A: f(t) = 1.0t + (1 − t)(0.5 − 0.625) = 1.125t − 0.125  → t = 1/9.
        // C–B: f(t) = 0.5t + (1 − t)(0.5 − 0.5)   = 0.5t            → t = 0.
        // The highest crossing below 1 is 1/5 (A passes B).
        assert!(close(pricing.low, 0.2), "{pricing:?}");
        assert_eq!(pricing.low_flip, Some((B, A)));
        // An axis with weight 0 can only rise.
        let ease = ranking_intervals(&VALUES, weights)[0];
        assert_eq!((ease.current, ease.low, ease.low_flip), (0.0, 0.0, None));
        assert!(ease.high_flip.is_some());
    }

    #[test]
    fn tied_pair_gives_degenerate_interval() {
        // A and B tie at equal weights (both sum to 2.5) but differ on ease.
        let values = [[1.0, 0.5, 0.5, 0.5, 0.0], [0.5, 0.5, 0.5, 0.5, 0.5]];
        let ease = ranking_intervals(&values, [0.2; AXES])[0];
        assert_eq!((ease.low, ease.high), (0.2, 0.2));
        assert_eq!(
            (ease.low_flip, ease.high_flip),
            (Some((0, 1)), Some((0, 1)))
        );
        // Features is equal for both, but rescaling it moves ease and prerequisites together
        // (d = +0.5 and −0.5 in equal proportion), so the tie survives: not limited.
        let features = ranking_intervals(&values, [0.2; AXES])[1];
        assert_eq!((features.low_flip, features.high_flip), (None, None));
        let critical = most_critical_axis(&values, [0.2; AXES]).expect("tied tops");
        assert_eq!((critical.axis, critical.change), (0, 0.0));
        // The winner intervals pin the axes that separate the two tied tops (ease, 1 vs 0.5,
        // and prerequisites, 0 vs 0.5) and name the pair lower index first, as the ranking
        // intervals do.
        let winner = winner_intervals(&values, [0.2; AXES]);
        for axis in [0, 4] {
            assert_eq!(
                (winner[axis].low_flip, winner[axis].high_flip),
                (Some((0, 1)), Some((0, 1))),
                "axis {axis}"
            );
        }
    }

    #[test]
    fn dominated_challenger_cannot_catch_up() {
        let values = [[0.9, 0.9, 0.9, 0.9, 0.9], [0.5, 0.2, 0.8, 0.1, 0.0]];
        assert_eq!(smallest_winner_shift(&values, [0.2; AXES]), None);
        assert_eq!(most_critical_axis(&values, [0.2; AXES]), None);
        // Weakly dominated (equal on pricing): catching up needs all weight on pricing.
        let values = [[0.9, 0.9, 0.5, 0.9, 0.9], [0.5, 0.2, 0.5, 0.1, 0.0]];
        let shift = smallest_winner_shift(&values, [0.2; AXES]).expect("reachable");
        assert!(close(shift.total_shift, 0.8));
        assert!(close(shift.new_weights[2], 1.0));
    }

    fn value() -> impl Strategy<Value = f64> {
        // Level-like values (many exact ties) and continuous ones.
        prop_oneof![
            (0u8..=4).prop_map(|level| f64::from(level) * 0.25),
            0.0..=1.0f64,
        ]
    }

    fn matrix() -> impl Strategy<Value = Vec<[f64; AXES]>> {
        proptest::collection::vec(proptest::array::uniform5(value()), 1..=6)
    }

    fn weights() -> impl Strategy<Value = [f64; AXES]> {
        proptest::array::uniform5(prop_oneof![1 => Just(0.0), 3 => 0.0..=1.0f64])
            .prop_filter("some weight is positive", |raw| {
                raw.iter().sum::<f64>() > 1e-3
            })
            .prop_map(|raw| {
                let total: f64 = raw.iter().sum();
                raw.map(|weight| weight / total)
            })
    }

    /// Checks (a) ties at flip ends and (b) an unchanged ranking strictly inside.
    fn check_intervals(
        values: &[[f64; AXES]],
        weights: [f64; AXES],
        found: &[StabilityInterval],
        only_winner: bool,
    ) -> Result<(), TestCaseError> {
        let base_ranks = ranks(&scores(values, weights));
        let winners = |ranks: &[usize]| -> Vec<bool> { ranks.iter().map(|&r| r == 1).collect() };
        prop_assert_eq!(found.len(), AXES);
        for interval in found {
            let axis = interval.axis;
            prop_assert!(0.0 <= interval.low && interval.low <= interval.current);
            prop_assert!(interval.current <= interval.high && interval.high <= 1.0);
            prop_assert!(interval.low_flip.is_some() || interval.low == 0.0);
            prop_assert!(interval.high_flip.is_some() || interval.high == 1.0);
            for (end, flip) in [
                (interval.low, interval.low_flip),
                (interval.high, interval.high_flip),
            ] {
                if let Some((ahead, behind)) = flip {
                    let at_end = rescaled_weights(weights, axis, end);
                    let difference = gap(values, at_end, ahead, behind);
                    prop_assert!(difference.abs() < 1e-9, "{interval:?}: gap {difference}");
                }
            }
            for fraction in [0.02, 0.25, 0.5, 0.75, 0.98] {
                let t = interval.low + fraction * (interval.high - interval.low);
                if t <= interval.low || t >= interval.high {
                    continue;
                }
                let inside = ranks(&scores(values, rescaled_weights(weights, axis, t)));
                if only_winner {
                    prop_assert_eq!(
                        winners(&inside),
                        winners(&base_ranks),
                        "{:?} t={}",
                        interval,
                        t
                    );
                } else {
                    prop_assert_eq!(&inside, &base_ranks, "{:?} t={}", interval, t);
                }
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn ranking_interval_ends_tie_and_inside_is_stable(values in matrix(), weights in weights()) {
            let found = ranking_intervals(&values, weights);
            check_intervals(&values, weights, &found, false)?;
            // The winner interval only looks at some pairs, so it contains the ranking interval.
            for (winner, ranking) in winner_intervals(&values, weights).iter().zip(&found) {
                prop_assert!(winner.low <= ranking.low && winner.high >= ranking.high);
            }
        }

        #[test]
        fn winner_interval_ends_tie_and_inside_keeps_winner(values in matrix(), weights in weights()) {
            let found = winner_intervals(&values, weights);
            check_intervals(&values, weights, &found, true)?;
        }

        #[test]
        fn critical_axis_ties_the_pair(values in matrix(), weights in weights()) {
            if let Some(critical) = most_critical_axis(&values, weights) {
                let at = rescaled_weights(weights, critical.axis, critical.new_weight);
                let difference = gap(&values, at, critical.winner, critical.challenger);
                prop_assert!(difference.abs() < 1e-9);
                prop_assert_eq!(ranks(&scores(&values, weights))[critical.winner], 1);
                // A single-weight change moving |change| of mass is one feasible shift, so the
                // greedy optimum is no larger.
                let shift = smallest_winner_shift(&values, weights);
                prop_assert!(shift.is_some());
                if let Some(shift) = shift {
                    prop_assert!(shift.total_shift <= critical.change.abs() + 1e-9);
                }
            }
        }

        #[test]
        fn greedy_shift_is_valid_and_minimal(values in matrix(), weights in weights(), seed in any::<u64>()) {
            let Some(shift) = smallest_winner_shift(&values, weights) else {
                // Then no sampled weighting may let anyone catch the winner either.
                if values.len() > 1 {
                    let winner = ranks(&scores(&values, weights)).iter().position(|&r| r == 1);
                    prop_assert!(winner.is_some());
                    let winner = winner.unwrap_or_default();
                    let mut rng = ChaCha8Rng::seed_from_u64(seed);
                    for _ in 0..200 {
                        let other = dirichlet_weights(&mut rng);
                        let s = scores(&values, other);
                        prop_assert!(s.iter().enumerate().all(|(j, &sj)| j == winner || sj < s[winner]));
                    }
                }
                return Ok(());
            };
            prop_assert_eq!(ranks(&scores(&values, weights))[shift.winner], 1);
            prop_assert!(shift.new_weights.iter().all(|&w| w >= 0.0));
            prop_assert!((shift.new_weights.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            let difference = gap(&values, shift.new_weights, shift.winner, shift.challenger);
            prop_assert!(difference.abs() < 1e-9, "gap {}", difference);
            let moved: f64 = shift.moves.iter().map(|&(_, _, amount)| amount).sum();
            prop_assert!((moved - shift.total_shift).abs() < 1e-12);
            let half_l1: f64 = 0.5 * shift.new_weights.iter().zip(&weights).map(|(a, b)| (a - b).abs()).sum::<f64>();
            prop_assert!((half_l1 - shift.total_shift).abs() < 1e-12);

            // No sampled weighting that lets some challenger catch the winner is closer.
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            for draw in 0..400 {
                let random = dirichlet_weights(&mut rng);
                // Half global draws, half local mixtures around the current weights.
                let mix = if draw % 2 == 0 { 1.0 } else { f64::from(draw % 20) / 40.0 };
                let other: [f64; AXES] = std::array::from_fn(|k| (1.0 - mix) * weights[k] + mix * random[k]);
                let s = scores(&values, other);
                let caught = s.iter().enumerate().any(|(j, &sj)| j != shift.winner && sj >= s[shift.winner]);
                if caught {
                    let distance: f64 = 0.5 * other.iter().zip(&weights).map(|(a, b)| (a - b).abs()).sum::<f64>();
                    prop_assert!(distance >= shift.total_shift - 1e-9, "{:?} beats {:?}", other, shift);
                }
            }
        }
    }
}
