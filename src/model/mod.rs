//! The data model: what a provider file and a scenario file say, as typed Rust values.
//!
//! These types are the TOML schema. Every struct denies unknown keys so that a typo is an
//! error, never a silently ignored setting. Semantic validation (`crate::load`) names keys by
//! their dotted path and finds their line and column in the parsed document.

pub mod coverage;
pub mod date;
pub mod fact;
pub mod feature;
pub mod id;
pub mod idp;
pub mod price;
pub mod pricing;
pub mod provider;
pub mod quote;
pub mod range;
pub mod scenario;
mod schema_keys;
pub mod status;
pub mod year_month;

pub use date::Date;
pub use fact::{SourceRef, StatusFact, ValueFact};
pub use feature::Feature;
pub use id::Id;
pub use idp::Idp;
pub use price::Price;
pub use pricing::{
    AddOn, Charge, Meter, OneTimeCost, Plan, Pricing, PricingModel, RecurringCost, Tier, TierMode,
};
pub use provider::Provider;
pub use range::{Estimate, Ranged};
pub use scenario::Scenario;
pub use status::Status;
pub use year_month::YearMonth;
