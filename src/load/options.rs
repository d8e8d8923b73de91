//! How a catalog is loaded: the options every loading step reads.

use crate::model::Date;

/// How to load: the reference date for staleness and the allowed age.
#[derive(Debug, Clone, Copy)]
pub struct LoadOptions {
    /// The date `verified` is compared against.
    pub as_of: Date,
    /// Providers verified more than this many days before `as_of` get a warning.
    pub max_age_days: i64,
}
