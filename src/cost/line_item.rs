//! One line of a cost breakdown.

use super::money::Money;
use serde::Serialize;

/// What a line item is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// A plan's monthly base fee.
    BaseFee,
    /// A metered charge of the plan.
    Charge,
    /// An add-on's monthly fee.
    AddOnFee,
    /// A metered charge of an add-on.
    AddOnCharge,
    /// The scenario's negotiated discount on vendor fees (negative).
    Discount,
    /// The yearly price escalator on vendor fees.
    Escalator,
    /// A recurring cost outside the plans (maintenance, hosting).
    Recurring,
    /// A one-time cost (setup, build).
    OneTime,
}

impl LineKind {
    /// The key used in CSV and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            LineKind::BaseFee => "base_fee",
            LineKind::Charge => "charge",
            LineKind::AddOnFee => "addon_fee",
            LineKind::AddOnCharge => "addon_charge",
            LineKind::Discount => "discount",
            LineKind::Escalator => "escalator",
            LineKind::Recurring => "recurring",
            LineKind::OneTime => "one_time",
        }
    }

    /// True for amounts paid to the vendor (subject to discount and escalator).
    pub fn is_vendor_fee(self) -> bool {
        matches!(
            self,
            LineKind::BaseFee | LineKind::Charge | LineKind::AddOnFee | LineKind::AddOnCharge
        )
    }
}

/// One line of a breakdown. `amount` is rounded to the cent when the line is created (as on
/// an invoice); totals are exact sums of lines, so lines always add up to the total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineItem {
    /// What the line is for.
    pub kind: LineKind,
    /// Label, e.g. "Directory connections" or "Pro plan".
    pub label: String,
    /// The amount in the scenario's currency; `None` when its price is unpublished.
    pub amount: Option<Money>,
    /// Why the amount is unknown ("contact sales", "price unknown").
    pub unknown: Option<String>,
    /// True when the amount uses a labelled estimate (the scenario opted in).
    pub estimate: bool,
    /// True when the amount uses a buyer quote (`quotes/` or `--quotes`) instead of the
    /// catalog's price.
    pub quote: bool,
    /// The arithmetic behind the amount, e.g. `15 × $125.00 + 5 × $100.00 = $2,375.00`.
    pub explanation: String,
    /// URL of the source the price comes from, when known.
    pub source: Option<String>,
}

impl LineItem {
    /// The line's status for CSV: `exact`, `estimate`, `quote`, `at_least` (partly priced) or
    /// `unknown` (nothing priced). An unknown line is never written as 0.
    pub fn status(&self) -> &'static str {
        match (self.amount, &self.unknown) {
            (_, None) if self.estimate => "estimate",
            (_, None) if self.quote => "quote",
            (_, None) => "exact",
            (Some(_), Some(_)) => "at_least",
            (None, Some(_)) => "unknown",
        }
    }
}
