//! The uncertain inputs of a scenario: unpublished prices with estimates, unstated tier
//! modes, ranged hours and scenario assumptions, and unknown facts. Each has a stable key, so
//! its draws do not depend on which other inputs exist (common random numbers).

use serde::Serialize;
use std::collections::HashMap;

/// How an input is drawn.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Dist {
    /// A triangular distribution on `[low, high]` with its mode at `likely`.
    Triangular {
        /// Lower bound.
        low: f64,
        /// Mode.
        likely: f64,
        /// Upper bound.
        high: f64,
    },
    /// Uniform on `[low, high]` (an unknown non-status criterion, as a share of its range).
    Uniform {
        /// Lower bound.
        low: f64,
        /// Upper bound.
        high: f64,
    },
    /// 1 with probability `p`, else 0 (a tier table is graduated with probability `p`).
    Bernoulli {
        /// Probability of 1.
        p: f64,
    },
    /// One of `values`, each equally likely (an unknown fact's possible statuses).
    Choice {
        /// The values (0–1 scores of the possible statuses).
        values: Vec<f64>,
        /// The status each value stands for.
        labels: Vec<String>,
    },
}

/// What kind of thing an input is, for wording questions and grouping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputKind {
    /// An unpublished price with an estimate.
    Price,
    /// A tier table whose mode no source states.
    TierMode,
    /// Engineering hours (build or maintenance).
    Hours,
    /// A scenario assumption (rate, discount, seats, share, growth).
    Assumption,
    /// An unknown capability fact.
    Fact,
}

/// One uncertain input.
#[derive(Debug, Clone, Serialize)]
pub struct Input {
    /// Stable key: `<provider id>:<path>` or `scenario:<path>`.
    pub key: String,
    /// The provider it belongs to (`None` for the buyer's own assumptions).
    pub provider: Option<String>,
    /// The provider's display name, or "your team".
    pub owner: String,
    /// The dotted path in the provider or scenario file.
    pub path: String,
    /// What it is.
    pub kind: InputKind,
    /// How it is drawn.
    pub dist: Dist,
    /// A short label ("Directory Sync connections, units 201+").
    pub label: String,
    /// The question that would settle it.
    pub question: String,
}

/// The inputs of one scenario, in registration order, with a lookup by key.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// Every input.
    pub list: Vec<Input>,
    index: HashMap<String, usize>,
}

impl Inputs {
    /// Registers an input (or finds the one with the same key) and returns its index.
    pub fn add(&mut self, input: Input) -> usize {
        if let Some(&i) = self.index.get(&input.key) {
            return i;
        }
        let i = self.list.len();
        self.index.insert(input.key.clone(), i);
        self.list.push(input);
        i
    }

    /// The index of the input with this key.
    pub fn find(&self, key: &str) -> Option<usize> {
        self.index.get(key).copied()
    }

    /// Number of inputs.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// True when there is no input.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// The inputs and their draws. Draws are made when an input is first registered, from the
/// run's seed and the input's key alone, so they do not depend on registration order.
#[derive(Debug, Clone)]
pub struct Draws {
    /// The inputs.
    pub inputs: Inputs,
    /// `values[input][draw]`.
    pub values: Vec<Vec<f64>>,
    /// Number of draws.
    pub n: usize,
    /// The seed.
    pub seed: u64,
}

impl Draws {
    /// No inputs yet.
    pub fn new(n: usize, seed: u64) -> Draws {
        Draws {
            inputs: Inputs::default(),
            values: Vec::new(),
            n,
            seed,
        }
    }

    /// Draws the inputs registered since the last call.
    pub fn sync(&mut self) {
        while self.values.len() < self.inputs.len() {
            let input = &self.inputs.list[self.values.len()];
            self.values.push(super::sample::draws(
                &input.dist,
                self.n,
                self.seed,
                &input.key,
            ));
        }
    }

    /// The bounds of input `i`'s draws.
    pub fn bounds(&self, i: usize) -> (f64, f64) {
        match &self.inputs.list[i].dist {
            Dist::Triangular { low, high, .. } | Dist::Uniform { low, high } => (*low, *high),
            Dist::Bernoulli { .. } => (0.0, 1.0),
            Dist::Choice { values, .. } => (
                values.iter().copied().fold(f64::INFINITY, f64::min),
                values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(key: &str) -> Input {
        Input {
            key: key.into(),
            provider: None,
            owner: "your team".into(),
            path: key.into(),
            kind: InputKind::Assumption,
            dist: Dist::Bernoulli { p: 0.5 },
            label: key.into(),
            question: key.into(),
        }
    }

    /// An input is registered once per key: the same key again returns the first index, so
    /// two plans reading one estimated price share its draws.
    #[test]
    fn inputs_are_registered_once_per_key() {
        let mut inputs = Inputs::default();
        assert!(inputs.is_empty());
        assert_eq!(inputs.add(input("a")), 0);
        assert_eq!(inputs.add(input("b")), 1);
        assert_eq!(inputs.add(input("a")), 0);
        assert!(!inputs.is_empty());
        assert_eq!(inputs.len(), 2);
        assert_eq!(inputs.find("b"), Some(1));
        assert_eq!(inputs.find("c"), None);
    }
}
