//! The cost engine: meters from a scenario, price schedules, plan selection, monthly
//! projections and crossovers. Every amount is an exact decimal; see `docs/cost-model.md`.

pub mod analysis;
pub mod cost_value;
pub mod crossover;
pub mod curve_pricer;
pub mod growth;
pub mod line_item;
pub mod meters;
pub mod money;
pub mod projection;
pub mod quote;
pub mod schedule;

pub use cost_value::CostValue;
pub use line_item::{LineItem, LineKind};
pub use meters::Meters;
pub use money::Money;
pub use projection::{Projection, ProjectionMonth, project};
pub use quote::{Quote, QuoteContext, quote};
#[cfg(test)]
mod tests;
