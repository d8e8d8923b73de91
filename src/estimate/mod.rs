//! Uncertainty: ranges for every unpublished price, unstated tier mode, ranged hours and
//! scenario assumption, drawn in a seeded Monte Carlo with common random numbers. Published
//! figures (`crate::cost`) never mix with estimated ones; see `docs/cost-model.md`,
//! "Uncertainty".

pub mod cheapest;
pub mod cost_model;
pub mod input;
pub mod joint;
pub mod resolve;
pub mod sample;
pub mod simulation;
#[cfg(test)]
mod tests;
