//! A scenario file: one buyer's situation (growth, usage, needs, weights, billing).

use super::Id;
use super::Ranged;
use super::price::Amount;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The largest horizon accepted, in months (50 years).
pub const MAX_HORIZON_MONTHS: u32 = 600;

/// The most milestones a scenario may list (1,000,000 ran past 5 minutes and 5.4 GB).
pub const MAX_MILESTONES: usize = 20;

/// One buyer situation, as loaded from `scenarios/<id>.toml`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Unique id; also the report directory name. `[a-z0-9][a-z0-9_-]*`.
    pub id: Id,
    /// Display name.
    pub name: String,
    /// What situation this models and why.
    pub description: Option<String>,
    /// Assumptions, each with where it comes from (shown in reports).
    #[serde(default)]
    pub assumptions: Vec<String>,
    /// Length of the projection in months, 1–600.
    #[schemars(range(min = 1, max = 600))]
    pub horizon_months: u32,
    /// The calendar month of projection month 1, e.g. `"2027-01"`: tables, CSVs and charts
    /// then name each month (`2027-03`) beside its number. Optional.
    #[serde(default)]
    pub start: Option<super::YearMonth>,
    /// The currency all costs are reported in (default `USD`).
    #[serde(default)]
    pub currency: Option<String>,
    /// Exchange rates into `currency`: `EUR = "1.08"` means 1 EUR = 1.08 units of `currency`.
    #[schemars(transform = super::schema_keys::currency_keys)]
    #[serde(default)]
    pub exchange_rates: BTreeMap<String, Amount>,
    /// Customer counts to report costs at (default `[100, 1000]`).
    #[serde(default)]
    pub milestones: Option<Vec<u64>>,
    /// How many customers (those needing SSO/SCIM) there are each month.
    pub growth: Growth,
    /// Usage per customer.
    #[serde(default)]
    pub usage: Usage,
    /// Capability needs, keyed by feature (`groups = "required"`). Unlisted features are
    /// `preferred`.
    #[schemars(with = "BTreeMap<String, Need>", transform = super::schema_keys::feature_keys)]
    #[serde(default)]
    pub needs: BTreeMap<String, Need>,
    /// Share of customers per IdP, keyed by IdP (`okta = 0.5`). Normalised to sum to 1.
    #[schemars(with = "BTreeMap<String, f64>", transform = super::schema_keys::idp_keys)]
    #[serde(default)]
    pub idps: BTreeMap<String, f64>,
    /// The team's situation.
    #[serde(default)]
    pub team: Team,
    /// Axis weights (non-negative; normalised to sum to 1; equal when absent).
    #[serde(default)]
    pub weights: Weights,
    /// Billing terms.
    #[serde(default)]
    pub billing: Billing,
    /// Anchor for the pricing axis.
    #[serde(default)]
    pub budget: Budget,
    /// Engineering cost assumptions.
    #[serde(default)]
    pub engineering: Engineering,
}

impl Scenario {
    /// The scenario id as a string.
    pub fn id(&self) -> &str {
        self.id.as_str()
    }

    /// The reporting currency.
    pub fn currency(&self) -> &str {
        self.currency.as_deref().unwrap_or("USD")
    }

    /// The horizon in months.
    pub fn horizon(&self) -> u32 {
        self.horizon_months
    }

    /// The calendar month of projection month `m` (`"2027-03"`), when the scenario has a
    /// `start`.
    pub fn calendar_month(&self, m: u32) -> Option<String> {
        self.start.and_then(|s| s.nth(m)).map(|c| c.to_string())
    }

    /// The milestones (default 100 and 1,000 customers).
    pub fn milestones(&self) -> Vec<u64> {
        self.milestones.clone().unwrap_or_else(|| vec![100, 1000])
    }
}

/// The shape of the customer-count curve. Which keys are required depends on `kind`:
///
/// | kind | keys |
/// |---|---|
/// | `constant` | `customers` |
/// | `linear` | `start`, `end` (month 1 → last month) |
/// | `compound` | `start`, `monthly_rate`, optional `cap` |
/// | `logistic` | `capacity`, `midpoint_month`, `steepness` |
/// | `points` | `points` (month → customers, linearly interpolated) |
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Growth {
    /// The curve family.
    pub kind: GrowthKind,
    /// `constant`: the customer count in every month.
    pub customers: Option<f64>,
    /// Customers in month 1 (`linear`, `compound`).
    pub start: Option<f64>,
    /// `linear`: customers in the last month. A point or a range.
    pub end: Option<Ranged<f64>>,
    /// `compound`: growth per month as a fraction (`0.1` = 10 % a month).
    pub monthly_rate: Option<f64>,
    /// `compound`: an optional ceiling.
    pub cap: Option<f64>,
    /// `logistic`: the ceiling the S-curve approaches.
    pub capacity: Option<f64>,
    /// `logistic`: the month at which the curve is at half its capacity.
    pub midpoint_month: Option<f64>,
    /// `logistic`: how steep the S is (per month).
    pub steepness: Option<f64>,
    /// `points`: explicit `(month, customers)` points, months ascending.
    #[serde(default)]
    pub points: Vec<GrowthPoint>,
}

/// One explicit point of a `points` growth curve.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GrowthPoint {
    /// Month, 1-based.
    pub month: u32,
    /// Customers in that month.
    pub customers: f64,
}

/// Growth curve families.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GrowthKind {
    /// A steady state.
    Constant,
    /// A straight line from `start` to `end`.
    Linear,
    /// Compound monthly growth.
    Compound,
    /// An S-curve.
    Logistic,
    /// Explicit points, interpolated linearly.
    Points,
}

impl GrowthKind {
    /// The TOML key.
    pub fn as_str(self) -> &'static str {
        match self {
            GrowthKind::Constant => "constant",
            GrowthKind::Linear => "linear",
            GrowthKind::Compound => "compound",
            GrowthKind::Logistic => "logistic",
            GrowthKind::Points => "points",
        }
    }
}

/// Usage per customer per month.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Usage {
    /// Directory (SCIM) connections per customer (default 1).
    #[serde(default = "one")]
    pub directory_connections: f64,
    /// SSO connections per customer (default 1).
    #[serde(default = "one")]
    pub sso_connections: f64,
    /// Provisioned seats (users) per customer (default 100).
    #[serde(default = "hundred")]
    pub seats: Ranged<f64>,
    /// Share of provisioned seats that authenticate in a month, 0–1 (default 1). A point or
    /// a range.
    #[serde(default = "one_ranged")]
    pub active_share: Ranged<f64>,
    /// Monthly active users outside enterprise customers (absolute, default 0).
    #[serde(default)]
    pub other_mau: f64,
    /// Organizations (tenants) per customer (default 1).
    #[serde(default = "one")]
    pub organizations: f64,
    /// API requests per customer per month (default 0).
    #[serde(default)]
    pub api_requests: f64,
}

impl Default for Usage {
    fn default() -> Usage {
        Usage {
            directory_connections: 1.0,
            sso_connections: 1.0,
            seats: Ranged::point(100.0),
            active_share: Ranged::point(1.0),
            other_mau: 0.0,
            organizations: 1.0,
            api_requests: 0.0,
        }
    }
}

fn one() -> f64 {
    1.0
}

fn one_ranged() -> Ranged<f64> {
    Ranged::point(1.0)
}

fn hundred() -> Ranged<f64> {
    Ranged::point(100.0)
}

/// How much a capability matters to the buyer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Need {
    /// A hard gate: providers without it are excluded before scoring.
    Required,
    /// Scores on its axis.
    #[default]
    Preferred,
    /// Does not count.
    Ignored,
}

/// The team's situation.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Team {
    /// Server languages the team uses (`node`, `python`, `go`, …).
    #[serde(default)]
    pub sdk_languages: Vec<String>,
    /// True when the app already runs enterprise SSO (a retrofit); false for greenfield.
    #[serde(default)]
    pub has_sso: bool,
    /// Whether beta / early-access / preview features count at all (default true).
    #[serde(default = "yes")]
    pub count_beta: bool,
    /// The value (0–1) of a beta feature relative to GA (default 0.5). Early access and
    /// preview count half of this.
    #[serde(default = "half")]
    pub beta_credit: f64,
}

impl Default for Team {
    fn default() -> Team {
        Team {
            sdk_languages: Vec::new(),
            has_sso: false,
            count_beta: true,
            beta_credit: 0.5,
        }
    }
}

fn yes() -> bool {
    true
}

fn half() -> f64 {
    0.5
}

/// The five axis weights. Any non-negative numbers; normalised to sum to 1.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    /// Ease of implementation.
    #[serde(default = "w1")]
    pub ease: f64,
    /// SCIM features supported.
    #[serde(default = "w1")]
    pub features: f64,
    /// Pricing model.
    #[serde(default = "w1")]
    pub pricing: f64,
    /// Integration capabilities.
    #[serde(default = "w1")]
    pub integration: f64,
    /// Prerequisites.
    #[serde(default = "w1")]
    pub prerequisites: f64,
}

fn w1() -> f64 {
    1.0
}

impl Default for Weights {
    fn default() -> Weights {
        Weights {
            ease: w1(),
            features: w1(),
            pricing: w1(),
            integration: w1(),
            prerequisites: w1(),
        }
    }
}

impl Weights {
    /// The raw weights in axis order (ease, features, pricing, integration, prerequisites).
    pub fn raw(&self) -> [f64; 5] {
        [
            self.ease,
            self.features,
            self.pricing,
            self.integration,
            self.prerequisites,
        ]
    }
}

/// Monthly or annual billing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Cycle {
    /// Billed monthly: plans' `base_fee`.
    #[default]
    Monthly,
    /// Billed annually: plans' `annual_base_fee` where given.
    Annual,
}

/// Billing terms.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Billing {
    /// Monthly or annual.
    #[serde(default)]
    pub cycle: Cycle,
    /// Yearly price escalator as a fraction (`0.05` = prices rise 5 % at the start of each
    /// contract year after the first).
    #[serde(default)]
    pub escalator: Option<Amount>,
    /// Negotiated discount per provider id, as a fraction of vendor fees (`0.1` = 10 % off).
    #[serde(default)]
    pub discounts: BTreeMap<String, Ranged<Decimal>>,
    /// Use providers' labelled price estimates where a price is unpublished (default false).
    #[serde(default)]
    pub use_estimates: bool,
}

/// The anchor for the pricing axis.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    /// Monthly cost per customer that scores 0 on the cost part of the pricing axis (a cost of
    /// 0 scores 100, linear in between). Default 150.
    #[serde(default)]
    pub anchor_per_customer: Option<Amount>,
}

/// Engineering cost assumptions.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Engineering {
    /// Fully loaded cost per engineer-hour, overriding providers' `pricing.hourly_rate`.
    #[serde(default)]
    pub hourly_rate: Option<Ranged<Decimal>>,
}
