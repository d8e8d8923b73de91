//! Scoring: five axes from facts, hard requirements, the weighted total, and the robustness of
//! the ranking (stability intervals, SMAA). The rubric is documented in `docs/scoring.md`.

pub mod axis;
pub mod criterion;
pub mod pricing_evidence;
pub mod ranking;
pub mod requirement;
pub mod robustness;
pub mod rubric;
pub mod sensitivity;
pub mod smaa;
pub mod value;

pub use axis::Axis;
pub use ranking::{Ranking, Scorecard, rank};

#[cfg(test)]
mod tests;
