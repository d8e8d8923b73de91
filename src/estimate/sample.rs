//! Seeded sampling with common random numbers: each input's stream is seeded from the run's
//! seed and the input's key, so the draws of one input never change when another provider or
//! input is added, and every provider sees the same draws of a shared assumption.

use super::input::Dist;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// FNV-1a over the key: stable across platforms and Rust versions (unlike `DefaultHasher`).
pub fn key_hash(key: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The random stream of one input.
pub fn stream(seed: u64, key: &str) -> ChaCha8Rng {
    let mut s = [0u8; 32];
    s[..8].copy_from_slice(&seed.to_le_bytes());
    s[8..16].copy_from_slice(&key_hash(key).to_le_bytes());
    ChaCha8Rng::from_seed(s)
}

/// The inverse CDF of the triangular distribution on `[a, b]` with mode `m`, at `u ∈ [0, 1)`.
///
/// Worked example: a = 0, m = 0, b = 1 has CDF F(x) = 1 − (1 − x)², so the median is
/// 1 − √0.5 ≈ 0.2929.
pub fn triangular(u: f64, a: f64, m: f64, b: f64) -> f64 {
    if b <= a {
        return a;
    }
    let c = (m - a) / (b - a);
    if u < c {
        a + (u * (b - a) * (m - a)).sqrt()
    } else {
        b - ((1.0 - u) * (b - a) * (b - m)).sqrt()
    }
}

/// `n` draws of one input. Continuous draws are kept as floats: the exact re-pricing of a
/// draw writes one back as a decimal of 15 significant digits, which a float carries, so both
/// paths price the same value (to well within a cent).
pub fn draws(dist: &Dist, n: usize, seed: u64, key: &str) -> Vec<f64> {
    let mut rng = stream(seed, key);
    (0..n).map(|_| value(dist, rng.random()).0).collect()
}

/// The value of a draw at `u ∈ [0, 1)`, and its bin for the value of information: a
/// choice's index, a Bernoulli's outcome, or the quintile of a continuous draw (`u` is
/// uniform, so its fifths are the distribution's quintiles).
pub fn value(dist: &Dist, u: f64) -> (f64, usize) {
    match dist {
        // The float itself: the exact re-pricing writes it back with 15 significant digits,
        // which a float carries, so both paths price the same value.
        Dist::Triangular { low, likely, high } => triangular_binned(u, *low, *likely, *high),
        Dist::Uniform { low, high } => uniform(u, *low, *high),
        Dist::Bernoulli { p } => bernoulli(u, *p),
        Dist::Choice { values, .. } => choice(u, values),
    }
}

/// [`value`] of a triangular draw on `[low, high]` with mode `likely`, binned by quintile.
pub fn triangular_binned(u: f64, low: f64, likely: f64, high: f64) -> (f64, usize) {
    (triangular(u, low, likely, high), quintile(u))
}

/// [`value`] of a Bernoulli draw with `P(1) = p`: 1 or 0, and that outcome as its bin.
pub fn bernoulli(u: f64, p: f64) -> (f64, usize) {
    (f64::from(u8::from(u < p)), usize::from(u < p))
}

/// The quintile of `u ∈ [0, 1)`: its bin for the value of information.
fn quintile(u: f64) -> usize {
    ((u * 5.0) as usize).min(4)
}

/// [`value`] of a uniform draw on `[low, high]`, binned by quintile.
pub fn uniform(u: f64, low: f64, high: f64) -> (f64, usize) {
    (low + u * (high - low), quintile(u))
}

/// [`value`] of a choice among `values`, each equally likely, binned by its index (0 and bin
/// 0 when there is nothing to choose).
pub fn choice(u: f64, values: &[f64]) -> (f64, usize) {
    let i = ((u * values.len() as f64) as usize).min(values.len().saturating_sub(1));
    (values.get(i).copied().unwrap_or(0.0), i)
}

/// The nearest-rank percentile position (0-based) of `p` in `n` sorted draws.
pub fn rank_of(p: f64, n: usize) -> usize {
    ((p * n as f64).ceil() as usize).clamp(1, n.max(1)) - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triangular_inverse_cdf_by_hand() {
        // Mode at the left edge: F(x) = 1 − (1 − x)², so F⁻¹(0.5) = 1 − √0.5.
        assert!((triangular(0.5, 0.0, 0.0, 1.0) - (1.0 - 0.5_f64.sqrt())).abs() < 1e-12);
        // Symmetric on [0, 2] with mode 1: the median is the mode.
        assert!((triangular(0.5, 0.0, 1.0, 2.0) - 1.0).abs() < 1e-12);
        // F(x) = (x − a)² / ((b − a)(m − a)) below the mode: a = 10, m = 20, b = 40,
        // u = 1/6 → (x − 10)² = 1/6 × 30 × 10 = 50 → x = 10 + √50.
        assert!((triangular(1.0 / 6.0, 10.0, 20.0, 40.0) - (10.0 + 50_f64.sqrt())).abs() < 1e-9);
        // A point range is the point.
        assert!((triangular(0.7, 5.0, 5.0, 5.0) - 5.0).abs() < f64::EPSILON);
        // The branch point is F(m) = (m − a) / (b − a) = 10 / 30 = 1/3. At u = 1/4, below it:
        // (x − 10)² = 1/4 × 30 × 10 = 75; at u = 1/2, above it: (40 − x)² = 1/2 × 30 × 20 =
        // 300. (u = 1/6 alone could not tell 1/3 from a wrong branch point above 1/6.)
        assert!((triangular(0.25, 10.0, 20.0, 40.0) - (10.0 + 75_f64.sqrt())).abs() < 1e-9);
        assert!((triangular(0.5, 10.0, 20.0, 40.0) - (40.0 - 300_f64.sqrt())).abs() < 1e-9);
    }

    /// Each shape's value and bin at hand-picked `u`: the bins are what the value of
    /// information groups draws by, so a wrong bin misstates which question matters.
    #[test]
    fn values_and_bins_by_hand() {
        // Bernoulli(0.3): 1 below 0.3, 0 from 0.3 on; the outcome is the bin.
        assert_eq!(bernoulli(0.29, 0.3), (1.0, 1));
        assert_eq!(bernoulli(0.3, 0.3), (0.0, 0));
        assert_eq!(bernoulli(0.9, 0.3), (0.0, 0));
        // Quintiles of u: [0, 0.2) → 0, …, [0.8, 1) → 4.
        assert_eq!(
            [0.0, 0.19, 0.2, 0.5, 0.79, 0.8, 0.999].map(quintile),
            [0, 0, 1, 2, 3, 4, 4]
        );
        // Uniform on [10, 30]: 10 + u × 20, binned by quintile.
        assert_eq!(uniform(0.0, 10.0, 30.0), (10.0, 0));
        assert_eq!(uniform(0.25, 10.0, 30.0), (15.0, 1));
        assert_eq!(uniform(0.9, 10.0, 30.0), (28.0, 4));
        // A choice among three: thirds of u, the index as the bin; nothing to choose gives 0.
        let v = [5.0, 7.0, 9.0];
        assert_eq!(choice(0.0, &v), (5.0, 0));
        assert_eq!(choice(0.34, &v), (7.0, 1));
        assert_eq!(choice(0.7, &v), (9.0, 2));
        assert_eq!(choice(0.5, &[]), (0.0, 0));
        // `value` dispatches to each.
        assert_eq!(value(&Dist::Bernoulli { p: 0.3 }, 0.1), (1.0, 1));
        assert_eq!(
            value(
                &Dist::Uniform {
                    low: 10.0,
                    high: 30.0
                },
                0.25
            ),
            (15.0, 1)
        );
        let statuses = Dist::Choice {
            values: v.to_vec(),
            labels: vec!["a".into(), "b".into(), "c".into()],
        };
        assert_eq!(value(&statuses, 0.7), (9.0, 2));
    }

    /// FNV-1a's published test vectors: every stream, and so every shipped figure, depends on
    /// these hashes staying the same.
    #[test]
    fn key_hash_is_fnv_1a() {
        assert_eq!(key_hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(key_hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(key_hash("foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn streams_are_keyed_and_seeded() {
        let d = Dist::Triangular {
            low: 1.0,
            likely: 2.0,
            high: 4.0,
        };
        let a = draws(&d, 100, 7, "workos:x");
        assert_eq!(a, draws(&d, 100, 7, "workos:x"));
        assert_ne!(a, draws(&d, 100, 8, "workos:x"));
        assert_ne!(a, draws(&d, 100, 7, "clerk:x"));
        assert!(a.iter().all(|v| (1.0..=4.0).contains(v)));
    }

    #[test]
    fn nearest_rank() {
        // 10 draws: P10 is the 1st, P50 the 5th, P90 the 9th (1-based).
        assert_eq!(
            (rank_of(0.1, 10), rank_of(0.5, 10), rank_of(0.9, 10)),
            (0, 4, 8)
        );
        assert_eq!(rank_of(0.5, 1), 0);
    }
}
