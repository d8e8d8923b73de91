//! P(cheapest): in each draw the lowest cost wins, and ties share the win.
//!
//! The tally takes one provider at a time and keeps only the draws of providers that can
//! still win a draw, so 10,000 providers × 10,000 draws need not be held at once (issue 15).

/// Whether `cost` ties the lowest cost `min` of a draw: within a billionth of it (at least
/// 1e-9 in absolute terms), so float noise between equal prices does not pick a winner.
fn ties(cost: f64, min: f64) -> bool {
    cost - min <= 1e-9 * min.abs().max(1.0)
}

/// A running P(cheapest) over providers offered in order.
///
/// Exact: it gives the same bits as comparing every provider in every draw. A provider is
/// dropped once it is above the running minimum by more than the tie tolerance in every draw,
/// and the minimum only falls, so it could never win. (The tolerance `t(m) = 1e-9 ·
/// max(|m|, 1)` changes by at most 1e-9 per unit of `m`, so `c − m > t(m)` for a running
/// minimum `m` implies `c − m' > t(m')` for any final minimum `m' ≤ m`.)
#[derive(Debug, Clone)]
pub struct CheapestTally {
    /// Draws per column.
    n: usize,
    /// The lowest cost so far in each draw.
    min: Vec<f64>,
    /// Whether each offered provider had a defined estimate, in offer order.
    defined: Vec<bool>,
    /// The columns that can still win a draw: (offer index, draws).
    kept: Vec<(usize, Vec<f64>)>,
    /// `kept.len()` after the last pruning: prune again when it has doubled.
    pruned_at: usize,
}

impl CheapestTally {
    /// An empty tally over `n` draws.
    pub fn new(n: usize) -> CheapestTally {
        CheapestTally {
            n,
            min: vec![f64::INFINITY; n],
            defined: Vec::new(),
            kept: Vec::new(),
            pruned_at: 0,
        }
    }

    /// Offers the next provider: its cost in every draw, or `None` when its estimate is not
    /// defined (it then gets no probability). Draws beyond `n` are ignored.
    pub fn offer(&mut self, costs: Option<&[f64]>) {
        let index = self.defined.len();
        self.defined.push(costs.is_some());
        let Some(costs) = costs else { return };
        let costs = &costs[..self.n.min(costs.len())];
        for (m, &c) in self.min.iter_mut().zip(costs) {
            *m = m.min(c);
        }
        if self.can_win(costs) {
            self.kept.push((index, costs.to_vec()));
        }
        if self.kept.len() >= 2 * self.pruned_at.max(8) {
            let kept = std::mem::take(&mut self.kept);
            self.kept = kept.into_iter().filter(|(_, c)| self.can_win(c)).collect();
            self.pruned_at = self.kept.len();
        }
    }

    fn can_win(&self, costs: &[f64]) -> bool {
        costs.iter().zip(&self.min).any(|(&c, &m)| ties(c, m))
    }

    /// The probability of being the cheapest for every offered provider, in offer order:
    /// `None` for those offered without an estimate, and `None` for all when none had one.
    pub fn finish(self) -> Vec<Option<f64>> {
        if !self.defined.contains(&true) {
            return vec![None; self.defined.len()];
        }
        let mut winners = vec![0u32; self.n];
        for (_, c) in &self.kept {
            for ((w, &c), &m) in winners.iter_mut().zip(c).zip(&self.min) {
                *w += u32::from(ties(c, m));
            }
        }
        let mut wins = vec![0.0; self.defined.len()];
        for (i, c) in &self.kept {
            // Shares are added draw by draw, as a draw-major count would add them.
            let mut w = 0.0;
            for ((&c, &m), &k) in c.iter().zip(&self.min).zip(&winners) {
                if ties(c, m) {
                    w += 1.0 / f64::from(k);
                }
            }
            wins[*i] = w;
        }
        let n = self.n as f64;
        self.defined
            .iter()
            .zip(wins)
            .map(|(&d, w)| d.then_some(w / n))
            .collect()
    }
}

/// P(cheapest) per column over `n` draws: in each draw the lowest cost wins; ties share the
/// win. `None` for columns without a defined estimate.
pub fn p_cheapest(cols: &[Option<&Vec<f64>>], n: usize) -> Vec<Option<f64>> {
    let mut tally = CheapestTally::new(n);
    for c in cols {
        tally.offer(c.map(Vec::as_slice));
    }
    tally.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition, draw by draw, as the tally must reproduce it bit for bit.
    fn naive(cols: &[Option<&Vec<f64>>], n: usize) -> Vec<Option<f64>> {
        let mut wins = vec![0.0; cols.len()];
        let defined: Vec<usize> = (0..cols.len()).filter(|&i| cols[i].is_some()).collect();
        if defined.is_empty() {
            return vec![None; cols.len()];
        }
        for d in 0..n {
            let min = defined
                .iter()
                .filter_map(|&i| cols[i].map(|c| c[d]))
                .fold(f64::INFINITY, f64::min);
            let winners: Vec<usize> = defined
                .iter()
                .copied()
                .filter(|&i| cols[i].is_some_and(|c| ties(c[d], min)))
                .collect();
            let share = 1.0 / winners.len() as f64;
            for w in winners {
                wins[w] += share;
            }
        }
        cols.iter()
            .zip(wins)
            .map(|(c, w)| c.map(|_| w / n as f64))
            .collect()
    }

    #[test]
    fn ties_share_the_win() {
        // Draw 0: a = b = 1 < 2 → a and b ½ each. Draw 1: b = 1 < a = 3 → b wins.
        // a: ½ of 2 draws = 0.25; b: 1½ of 2 = 0.75; c has no estimate.
        let a = vec![1.0, 3.0];
        let b = vec![1.0, 1.0];
        let p = p_cheapest(&[Some(&a), Some(&b), None], 2);
        assert_eq!(p, vec![Some(0.25), Some(0.75), None]);
    }

    #[test]
    fn no_estimate_anywhere_gives_none() {
        assert_eq!(p_cheapest(&[None, None], 3), vec![None, None]);
    }

    #[test]
    fn a_provider_that_never_wins_gets_zero_not_none() {
        let a = vec![1.0, 1.0];
        let b = vec![5.0, 5.0];
        assert_eq!(
            p_cheapest(&[Some(&b), Some(&a)], 2),
            vec![Some(0.0), Some(1.0)]
        );
    }

    #[test]
    fn near_ties_within_a_billionth_share() {
        // 1e6 and 1e6 + 1e-4 differ by 1e-10 of the minimum: a tie.
        let a = vec![1e6];
        let b = vec![1e6 + 1e-4];
        assert_eq!(
            p_cheapest(&[Some(&a), Some(&b)], 1),
            vec![Some(0.5), Some(0.5)]
        );
    }

    proptest::proptest! {
        /// Offered one at a time, with pruning, the tally equals the draw-by-draw
        /// definition exactly, ties (small integers make many) and all.
        #[test]
        fn the_tally_equals_the_definition(
            cols in proptest::collection::vec(
                proptest::option::weighted(0.9, proptest::collection::vec(0u8..6, 7)),
                0..60,
            ),
            scale in proptest::sample::select(vec![1.0, 1e-3, 1e7]),
        ) {
            let cols: Vec<Option<Vec<f64>>> = cols
                .into_iter()
                .map(|c| c.map(|c| c.into_iter().map(|x| f64::from(x) * scale).collect()))
                .collect();
            let refs: Vec<Option<&Vec<f64>>> = cols.iter().map(Option::as_ref).collect();
            proptest::prop_assert_eq!(p_cheapest(&refs, 7), naive(&refs, 7));
        }
    }

    #[test]
    fn many_providers_keep_only_possible_winners() {
        // 1,000 providers, each dearer than the last: after pruning only the first few
        // (the running minimum when offered) can be kept, never all of them.
        let mut tally = CheapestTally::new(4);
        let cols: Vec<Vec<f64>> = (0..1000).map(|i| vec![1000.0 - f64::from(i); 4]).collect();
        for c in cols.iter().rev() {
            tally.offer(Some(c));
        }
        assert!(tally.kept.len() <= 2, "{}", tally.kept.len());
        let p = tally.finish();
        assert_eq!(p[0], Some(1.0));
        assert!(p[1..].iter().all(|&x| x == Some(0.0)));
    }
}
