//! Buyer quotes: a price a vendor quoted to this buyer, replacing one catalog price for
//! this buyer only. Read from the catalog's `quotes/*.toml` and from `--quotes FILE`.

use super::Date;
use super::price::Amount;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A quotes file: `[[quotes]]` entries.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteFile {
    /// The quotes.
    #[serde(default)]
    pub quotes: Vec<BuyerQuote>,
}

/// One quoted price.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BuyerQuote {
    /// The provider's id.
    pub provider: String,
    /// The price it replaces, as a path into the provider file, for example
    /// `pricing.plans.pay-as-you-go.charges.0.tiers.5.unit_price` (plans and add-ons by id,
    /// charges and tiers by 0-based index). `scimeter questions` prints these paths.
    pub price: String,
    /// The quoted amount, in the provider's currency, per the same unit as the price.
    pub amount: Amount,
    /// When it was quoted.
    pub date: Date,
    /// Who quoted it (the vendor's contact, or the buyer who recorded it).
    pub by: String,
    /// Terms or caveats (term length, volume commitment).
    pub note: Option<String>,
}

/// A quote as applied to a provider: the price path it replaced and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppliedQuote {
    /// The price path.
    pub price: String,
    /// The quoted amount.
    pub amount: Amount,
    /// When it was quoted.
    pub date: Date,
    /// Who quoted it.
    pub by: String,
    /// The quotes file it came from.
    pub file: String,
}
