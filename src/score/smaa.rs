//! SMAA-2 (stochastic multicriteria acceptability analysis) with no weight information: how
//! often each alternative takes each rank when the weights are drawn uniformly from the weight
//! simplex (`scoring-methods.md` §2.4).
//!
//! Weights are Dirichlet(1, …, 1) draws made by normalising five Exp(1) variates, from a
//! `ChaCha8Rng` seeded with [`SmaaConfig::seed`], so a result is reproducible on every platform.
//! Scores within [`TIE_EPSILON`] of each other are tied, and tied alternatives all count for the
//! shared (best) rank in that draw.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::sensitivity::{AXES, TIE_EPSILON};

/// The pairwise winning table covers at most this many alternatives: the first ones given,
/// which are the best-ranked when the rows come from a ranking.
pub const MAX_PAIRWISE: usize = 50;

/// How many weight vectors to draw, and from which seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SmaaConfig {
    /// The number of weight vectors drawn (10 000 by default: a 95% error of at most about ±0.01
    /// on every acceptability).
    pub draws: usize,
    /// The seed of the random number generator (42 by default).
    pub seed: u64,
}

impl Default for SmaaConfig {
    fn default() -> SmaaConfig {
        SmaaConfig {
            draws: 10_000,
            seed: 42,
        }
    }
}

/// The SMAA-2 indices, estimated from the draws. Alternatives are in input order.
#[derive(Debug, Clone, PartialEq)]
pub struct SmaaResult {
    /// The number of weight vectors drawn.
    pub draws: usize,
    /// The seed used.
    pub seed: u64,
    /// Rank acceptability `b_i^r`: `rank_acceptability[i][r - 1]` is the share of draws in which
    /// alternative `i` took rank `r`. Each row sums to 1 (when `draws > 0`); with ties a column
    /// may sum to more than 1, because tied alternatives share the best rank.
    pub rank_acceptability: Vec<Vec<f64>>,
    /// First-rank acceptability `b_i^1` (the first column of `rank_acceptability`): the share of
    /// weightings under which `i` wins, or shares the win.
    pub first_rank: Vec<f64>,
    /// Central weight vector `w_i^c`: the mean of the weights of the draws in which `i` ranked
    /// first; `None` when it never did.
    pub central_weights: Vec<Option<[f64; AXES]>>,
    /// Pairwise winning index `c_ij = P(S_i > S_j)`: `pairwise_winning[i][j]` is the share of
    /// draws in which `i` scored more than `j` by more than [`TIE_EPSILON`]. So
    /// `c_ij + c_ji ≤ 1` (ties count for neither) and `c_ii = 0`. Only the first
    /// [`MAX_PAIRWISE`] alternatives have rows and columns.
    pub pairwise_winning: Vec<Vec<f64>>,
    /// Decision entropy in bits, `−Σ_i p_i·log₂ p_i` over the first-rank acceptabilities
    /// normalised to sum to 1 (they already do unless there were shared wins). 0 means one
    /// alternative always wins; `log₂ m` means every one of `m` wins equally often.
    pub entropy: f64,
}

/// One weight vector drawn uniformly from the weight simplex (Dirichlet(1, …, 1)).
///
/// Draws `E_k = −ln U_k` with `U_k` uniform in `(0, 1]` (so never `ln 0`) and returns
/// `E_k / Σ E`. The weights are non-negative and sum to 1.
pub fn dirichlet_weights(rng: &mut impl Rng) -> [f64; AXES] {
    let mut draws = [0.0; AXES];
    for slot in &mut draws {
        // `random::<f64>()` is in [0, 1), so `uniform` is in (0, 1].
        let uniform = 1.0 - rng.random::<f64>();
        // `0.0 - ln 1` is +0.0, not −0.0.
        *slot = 0.0 - uniform.ln();
    }
    let total: f64 = draws.iter().sum();
    if total > 0.0 && total.is_finite() {
        draws.map(|draw| draw / total)
    } else {
        // Every U_k was exactly 1: probability about 2^-265. Any point of the simplex will do.
        [1.0 / AXES as f64; AXES]
    }
}

/// Runs SMAA-2 on `values` (one row per alternative, axis values in `[0, 1]`) with weights drawn
/// uniformly from the weight simplex.
///
/// Deterministic for a given `config`. With no alternatives, or zero draws, every index is 0,
/// every central weight vector `None`, and the entropy 0.
pub fn smaa(values: &[[f64; AXES]], config: &SmaaConfig) -> SmaaResult {
    let count = values.len();
    // Pairwise indices only among the first alternatives (the best-ranked, as callers pass
    // the ranking's rows): the full table is `count²` per draw, which dominated a
    // 1,000-provider report (issue 15) for a table nobody reads past the leaders.
    let paired = count.min(MAX_PAIRWISE);
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    // Flat count tables: `rank_counts[alternative * count + rank - 1]` and
    // `beaten_by[alternative * paired + other]` (draws in which `other` scored more).
    let mut rank_counts = vec![0_u64; count * count];
    let mut beaten_by = vec![0_u64; paired * paired];
    let mut first_weight_sums = vec![[0.0; AXES]; count];
    let mut scores = vec![0.0; count];
    // Each draw's order: each alternative beside its score's key (best score first), sorted
    // by the key as a plain integer. Sorting indices by looking up their scores cost a cache
    // miss per comparison at 1,000 alternatives. Equal keys are equal scores, whose order
    // changes no count below (they get the same rank), so the index is carried, not compared:
    // comparing `u128` keys of score and index was 11 % slower (issue 15).
    let mut order: Vec<(u64, usize)> = vec![(0, 0); count];
    if count > 0 {
        for _ in 0..config.draws {
            let weights = dirichlet_weights(&mut rng);
            for (score, row) in scores.iter_mut().zip(values) {
                *score = row
                    .iter()
                    .zip(&weights)
                    .map(|(value, weight)| value * weight)
                    .sum();
            }
            // Competition rank: one plus the number of clearly better alternatives. Sorted
            // best first, that number only grows down the list, so one pointer finds it for
            // every alternative: O(n log n) a draw instead of comparing every pair.
            for (key, (alternative, &score)) in order.iter_mut().zip(scores.iter().enumerate()) {
                *key = (descending_key(score), alternative);
            }
            order.sort_unstable_by_key(|k| k.0);
            let at = |position: usize| order[position].1;
            let mut better = 0;
            for position in 0..count {
                let alternative = at(position);
                let threshold = scores[alternative] + TIE_EPSILON;
                while scores[at(better)] > threshold {
                    better += 1;
                }
                rank_counts[alternative * count + better] += 1;
                if better == 0 {
                    for (sum, weight) in first_weight_sums[alternative].iter_mut().zip(&weights) {
                        *sum += weight;
                    }
                }
            }
            for (alternative, losses) in beaten_by.chunks_exact_mut(paired.max(1)).enumerate() {
                // Branch free, so the compiler can vectorise it.
                let threshold = scores[alternative] + TIE_EPSILON;
                for (loss, &other_score) in losses.iter_mut().zip(&scores[..paired]) {
                    *loss += u64::from(other_score > threshold);
                }
            }
        }
    }
    // `win_counts[winner * paired + loser]`: the transpose of `beaten_by`.
    let win_counts: Vec<u64> = (0..paired * paired)
        .map(|index| beaten_by[(index % paired) * paired + index / paired])
        .collect();

    let share = |hits: u64| {
        if config.draws == 0 {
            0.0
        } else {
            hits as f64 / config.draws as f64
        }
    };
    let table = |counts: &[u64], width: usize| -> Vec<Vec<f64>> {
        counts
            .chunks(width.max(1))
            .map(|row| row.iter().map(|&hits| share(hits)).collect())
            .collect()
    };
    let rank_acceptability = table(&rank_counts, count);
    let pairwise_winning = table(&win_counts, paired);
    let first_rank: Vec<f64> = rank_acceptability
        .iter()
        .map(|row| row.first().copied().unwrap_or(0.0))
        .collect();
    let central_weights = first_weight_sums
        .iter()
        .zip(rank_counts.chunks(count.max(1)))
        .map(|(sums, ranks)| {
            let wins = ranks.first().copied().unwrap_or(0);
            (wins > 0).then(|| sums.map(|sum| sum / wins as f64))
        })
        .collect();
    let entropy = decision_entropy(&first_rank);
    SmaaResult {
        draws: config.draws,
        seed: config.seed,
        rank_acceptability,
        first_rank,
        central_weights,
        pairwise_winning,
        entropy,
    }
}

/// An integer key whose order is `f64::total_cmp`'s: `total_cmp`'s own (the magnitude bits
/// of negatives flipped, so signed order is `total_cmp`'s), offset to unsigned. Sorting such
/// keys is sorting plain integers, with no float compared through an index.
pub(crate) fn total_key(x: f64) -> u64 {
    let bits = x.to_bits().cast_signed();
    let total = bits ^ (((bits >> 63).cast_unsigned() >> 1).cast_signed());
    total.cast_unsigned() ^ (1 << 63)
}

/// A key whose ascending order is `f64::total_cmp`'s descending order.
pub(crate) fn descending_key(x: f64) -> u64 {
    !total_key(x)
}

/// An alternative's place in a draw's order as one integer: the score best first (in
/// `total_cmp` order), then the alternative's index. Sorting or selecting these sorts plain
/// integers, with no float looked up through an index.
pub(crate) fn ranked_key(score: f64, index: usize) -> u128 {
    (u128::from(descending_key(score)) << 64) | index as u128
}

/// The alternative's index in a [`ranked_key`].
pub(crate) fn ranked_index(key: u128) -> usize {
    (key & u128::from(u64::MAX)) as usize
}

/// `−Σ p·log₂ p` over the shares normalised to sum to 1 (0 when they are all 0).
fn decision_entropy(shares: &[f64]) -> f64 {
    let total: f64 = shares.iter().sum();
    if total <= 0.0 {
        return 0.0;
    }
    let sum: f64 = shares
        .iter()
        .filter(|&&share| share > 0.0)
        .map(|&share| {
            let probability = share / total;
            probability * probability.log2()
        })
        .sum();
    // `0.0 - sum` rather than `-sum`, so a certain winner gives +0.0.
    0.0 - sum
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The integer keys order as `total_cmp` (and its reverse), whatever the bits
        /// (negatives, both zeros, infinities, NaN).
        #[test]
        fn descending_keys_order_as_total_cmp_descending(
            a in proptest::num::f64::ANY,
            b in proptest::num::f64::ANY,
        ) {
            proptest::prop_assert_eq!(total_key(a).cmp(&total_key(b)), a.total_cmp(&b));
            proptest::prop_assert_eq!(
                descending_key(a).cmp(&descending_key(b)),
                b.total_cmp(&a)
            );
        }

        /// A ranked key orders by score, best first, then by index, and gives its index back.
        #[test]
        fn ranked_keys_order_best_first_then_by_index(
            a in proptest::num::f64::ANY,
            b in proptest::num::f64::ANY,
            i in 0usize..1_000_000,
            j in 0usize..1_000_000,
        ) {
            proptest::prop_assert_eq!(
                ranked_key(a, i).cmp(&ranked_key(b, j)),
                b.total_cmp(&a).then(i.cmp(&j))
            );
            proptest::prop_assert_eq!(ranked_index(ranked_key(a, i)), i);
        }
    }

    fn close(left: f64, right: f64, tolerance: f64) -> bool {
        (left - right).abs() <= tolerance
    }

    #[test]
    fn default_config() {
        assert_eq!(
            SmaaConfig::default(),
            SmaaConfig {
                draws: 10_000,
                seed: 42
            }
        );
    }

    /// A generator whose every number is 0, so `random::<f64>()` is 0 and every `U_k` is 1.
    struct Zeros;

    impl rand::RngCore for Zeros {
        fn next_u32(&mut self) -> u32 {
            0
        }
        fn next_u64(&mut self) -> u64 {
            0
        }
        fn fill_bytes(&mut self, dst: &mut [u8]) {
            dst.fill(0);
        }
    }

    #[test]
    fn dirichlet_falls_back_to_equal_weights_when_every_draw_is_zero() {
        // E_k = −ln 1 = 0 for every k: 0/0 would be NaN, so the weights are 1/5 each.
        let weights = dirichlet_weights(&mut Zeros);
        assert!(weights.iter().all(|&w| close(w, 0.2, 0.0)), "{weights:?}");
    }

    #[test]
    fn dirichlet_marginals_match_theory() {
        // Dirichlet(1,1,1,1,1): each marginal is Beta(1, 4), with mean 1/5,
        // variance (n − 1)/(n²(n + 1)) = 4/150 ≈ 0.02667 and P(w > 1/2) = (1/2)^4 = 0.0625.
        // Standard errors over 200 000 draws: mean ≈ 3.7e-4, variance ≈ 1e-4, tail ≈ 5.4e-4.
        let draws = 200_000;
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut sums = [0.0; AXES];
        let mut squares = [0.0; AXES];
        let mut tails = [0_u32; AXES];
        for _ in 0..draws {
            let weights = dirichlet_weights(&mut rng);
            assert!(weights.iter().all(|&w| (0.0..=1.0).contains(&w)));
            assert!(close(weights.iter().sum(), 1.0, 1e-12));
            for k in 0..AXES {
                sums[k] += weights[k];
                squares[k] += weights[k] * weights[k];
                tails[k] += u32::from(weights[k] > 0.5);
            }
        }
        let n = f64::from(draws);
        for k in 0..AXES {
            let mean = sums[k] / n;
            let variance = squares[k] / n - mean * mean;
            let tail = f64::from(tails[k]) / n;
            assert!(close(mean, 0.2, 0.002), "mean {mean}");
            assert!(close(variance, 4.0 / 150.0, 0.0006), "variance {variance}");
            assert!(close(tail, 0.0625, 0.003), "tail {tail}");
        }
    }

    #[test]
    fn same_seed_same_result() {
        let values = [
            [0.9, 0.2, 0.5, 0.5, 0.4],
            [0.3, 0.8, 0.6, 0.4, 0.5],
            [0.5, 0.5, 0.5, 0.5, 0.5],
        ];
        let config = SmaaConfig {
            draws: 2_000,
            seed: 9,
        };
        let first = smaa(&values, &config);
        assert_eq!(first, smaa(&values, &config));
        assert_eq!((first.draws, first.seed), (2_000, 9));
        let other = smaa(&values, &SmaaConfig { seed: 10, ..config });
        assert_ne!(first.first_rank, other.first_rank);
    }

    #[test]
    fn indices_are_consistent() {
        let values = [
            [0.9, 0.2, 0.5, 0.5, 0.4],
            [0.3, 0.8, 0.6, 0.4, 0.5],
            [0.5, 0.5, 0.5, 0.5, 0.5],
            [0.2, 0.1, 0.4, 0.3, 0.3], // dominated by the third row on every axis
            [0.5, 0.5, 0.5, 0.5, 0.5], // identical to the third row: always tied with it
        ];
        let result = smaa(&values, &SmaaConfig::default());
        let m = values.len();
        assert_eq!(result.rank_acceptability.len(), m);
        for (i, row) in result.rank_acceptability.iter().enumerate() {
            assert_eq!(row.len(), m);
            assert!(close(row.iter().sum(), 1.0, 1e-12), "row {i}: {row:?}");
            assert!(close(row[0], result.first_rank[i], 0.0));
        }
        // Dominated: never first, so no central weights.
        assert!(close(result.first_rank[3], 0.0, 0.0));
        assert_eq!(result.central_weights[3], None);
        // Identical rows share every rank.
        assert_eq!(result.rank_acceptability[2], result.rank_acceptability[4]);
        for i in 0..m {
            assert!(close(result.pairwise_winning[i][i], 0.0, 0.0));
            for j in 0..m {
                let both = result.pairwise_winning[i][j] + result.pairwise_winning[j][i];
                assert!(both <= 1.0 + 1e-12, "c[{i}][{j}] + c[{j}][{i}] = {both}");
            }
        }
        assert!(close(result.pairwise_winning[2][4], 0.0, 0.0));
        assert!(close(result.pairwise_winning[2][3], 1.0, 0.0));
        for (share, central) in result.first_rank.iter().zip(&result.central_weights) {
            assert_eq!(*share > 0.0, central.is_some());
            if let Some(weights) = central {
                assert!(close(weights.iter().sum(), 1.0, 1e-9));
            }
        }
        assert!(result.entropy > 0.0 && result.entropy <= (m as f64).log2());
    }

    #[test]
    fn symmetric_pair_splits_evenly() {
        // A wins iff w_ease > w_features: probability 1/2 by symmetry. Central weights favour
        // the winning axis: E[w_1 | w_1 > w_2] = 0.3 for Dirichlet(1^5).
        let values = [[1.0, 0.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0, 0.0]];
        let result = smaa(&values, &SmaaConfig::default());
        assert!(
            close(result.first_rank[0], 0.5, 0.02),
            "{:?}",
            result.first_rank
        );
        assert!(close(
            result.first_rank[0] + result.first_rank[1],
            1.0,
            1e-12
        ));
        assert!(close(result.entropy, 1.0, 0.01));
        let central = result.central_weights[0].expect("A wins sometimes");
        assert!(close(central[0], 0.3, 0.01), "{central:?}");
        assert!(close(central[1], 0.1, 0.01), "{central:?}");
    }

    #[test]
    fn uniform_simplex_not_naive_normalisation() {
        // A = all on ease beats a flat 0.5 iff w_ease > 0.5: P = 0.0625 for the uniform simplex
        // (naive uniform-then-normalise sampling would give about 0.0085).
        let values = [[1.0, 0.0, 0.0, 0.0, 0.0], [0.5; AXES]];
        let result = smaa(
            &values,
            &SmaaConfig {
                draws: 100_000,
                seed: 1,
            },
        );
        assert!(
            close(result.first_rank[0], 0.0625, 0.004),
            "{:?}",
            result.first_rank
        );
    }

    #[test]
    fn one_dominant_alternative() {
        let values = [[0.9; AXES], [0.5, 0.8, 0.2, 0.4, 0.6], [0.1; AXES]];
        let result = smaa(&values, &SmaaConfig::default());
        assert_eq!(result.first_rank, vec![1.0, 0.0, 0.0]);
        assert_eq!(result.rank_acceptability[2], vec![0.0, 0.0, 1.0]);
        assert!(result.entropy == 0.0 && result.entropy.is_sign_positive());
        // The winner's central weights are the mean of all draws: about 1/5 each.
        let central = result.central_weights[0].expect("always wins");
        assert!(central.iter().all(|&w| close(w, 0.2, 0.01)), "{central:?}");
    }

    #[test]
    fn degenerate_inputs() {
        let empty = smaa(&[], &SmaaConfig::default());
        assert!(empty.rank_acceptability.is_empty() && empty.first_rank.is_empty());
        assert!(empty.central_weights.is_empty() && empty.pairwise_winning.is_empty());
        assert!(close(empty.entropy, 0.0, 0.0));

        let single = smaa(&[[0.3; AXES]], &SmaaConfig::default());
        assert_eq!(single.rank_acceptability, vec![vec![1.0]]);
        assert_eq!(single.pairwise_winning, vec![vec![0.0]]);

        let no_draws = smaa(
            &[[0.3; AXES], [0.4; AXES]],
            &SmaaConfig { draws: 0, seed: 1 },
        );
        assert_eq!(no_draws.first_rank, vec![0.0, 0.0]);
        assert_eq!(no_draws.central_weights, vec![None, None]);
        assert!(close(no_draws.entropy, 0.0, 0.0));

        // All tied: everyone shares rank 1 in every draw; entropy over normalised shares.
        let tied = smaa(&[[0.5; AXES]; 4], &SmaaConfig::default());
        assert_eq!(tied.first_rank, vec![1.0; 4]);
        assert!(close(tied.entropy, 2.0, 1e-12));
    }

    /// The definition, pair by pair: rank counts (flat, `count × count`) and `beaten_by`
    /// over every pair, for the same draws as [`smaa`].
    fn brute_force(values: &[[f64; AXES]], config: &SmaaConfig) -> (Vec<u64>, Vec<u64>) {
        let count = values.len();
        let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
        let mut ranks = vec![0; count * count];
        let mut beaten = vec![0; count * count];
        for _ in 0..config.draws {
            let w = dirichlet_weights(&mut rng);
            let scores: Vec<f64> = values
                .iter()
                .map(|row| row.iter().zip(&w).map(|(v, w)| v * w).sum())
                .collect();
            for (a, &score) in scores.iter().enumerate() {
                let mut better = 0;
                for (b, &other) in scores.iter().enumerate() {
                    if other > score + TIE_EPSILON {
                        better += 1;
                        beaten[a * count + b] += 1;
                    }
                }
                ranks[a * count + better] += 1;
            }
        }
        (ranks, beaten)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 64, failure_persistence: None, ..proptest::prelude::ProptestConfig::default()
        })]

        /// The sorted sweep gives exactly the pair-by-pair ranks, ties and near-ties
        /// included (values on a coarse grid tie often; `TIE_EPSILON` apart or less count
        /// as tied). Pairwise shares match on the first `MAX_PAIRWISE` alternatives.
        #[test]
        fn the_sorted_sweep_ranks_exactly_like_comparing_every_pair(
            grid in proptest::collection::vec(proptest::array::uniform5(0_u8..4), 1..70),
            nudge in proptest::collection::vec(proptest::prelude::any::<bool>(), 70),
        ) {
            let values: Vec<[f64; AXES]> = grid
                .iter()
                .zip(&nudge)
                .map(|(row, &n)| row.map(|v| f64::from(v) / 3.0 + if n { TIE_EPSILON / 2.0 } else { 0.0 }))
                .collect();
            let config = SmaaConfig { draws: 40, seed: 7 };
            let result = smaa(&values, &config);
            let (ranks, beaten) = brute_force(&values, &config);
            let count = values.len();
            for (a, row) in result.rank_acceptability.iter().enumerate() {
                for (r, share) in row.iter().enumerate() {
                    proptest::prop_assert!(close(*share, ranks[a * count + r] as f64 / 40.0, 0.0));
                }
            }
            let paired = count.min(MAX_PAIRWISE);
            proptest::prop_assert_eq!(result.pairwise_winning.len(), paired);
            for (i, row) in result.pairwise_winning.iter().enumerate() {
                proptest::prop_assert_eq!(row.len(), paired);
                for (j, share) in row.iter().enumerate() {
                    // `i` beats `j` in the draws where `j` was beaten by `i`.
                    proptest::prop_assert!(close(*share, beaten[j * count + i] as f64 / 40.0, 0.0));
                }
            }
        }
    }
}
