//! The priced structure of an offering: plans, add-ons, charges, tiers, one-time and recurring
//! costs. See `docs/cost-model.md` for how these are evaluated.

use super::price::Amount;
use super::{Feature, Id, Price};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use super::serde_spanned::{ser_spanned, ser_spanned_map, ser_spanned_opt, ser_spanned_vec};
use toml::Spanned;

/// The pricing model's classification, as the seed's four models (plus self-managed options).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PricingModel {
    /// Pay per active directory (or SSO/SCIM) connection per month.
    PerConnection,
    /// SCIM ships with each enterprise SSO connection at no separate SCIM charge.
    Bundled,
    /// Billing tracks monthly active users.
    PerMau,
    /// SCIM exists only on a higher plan or edition, or as a paid module.
    TierGated,
    /// You run it yourself: build or self-host, paid in engineering time and hosting.
    SelfManaged,
    /// Not established.
    #[default]
    Unknown,
}

impl PricingModel {
    /// The TOML key.
    pub fn as_str(self) -> &'static str {
        match self {
            PricingModel::PerConnection => "per_connection",
            PricingModel::Bundled => "bundled",
            PricingModel::PerMau => "per_mau",
            PricingModel::TierGated => "tier_gated",
            PricingModel::SelfManaged => "self_managed",
            PricingModel::Unknown => "unknown",
        }
    }
}

/// What a charge counts each month. Meter values come from the scenario (see `docs/cost-model.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Meter {
    /// Directory (SCIM) connections.
    DirectoryConnections,
    /// SSO connections.
    SsoConnections,
    /// Enterprise connections drawn from one pool for SSO and SCIM (Stytch, Frontegg).
    EnterpriseConnections,
    /// Monthly active users (users who authenticate in the month).
    Mau,
    /// Customer organizations (tenants).
    Organizations,
    /// API requests per month.
    ApiRequests,
    /// Always 1: a flat monthly charge.
    Flat,
}

impl Meter {
    /// Every meter, in a fixed order.
    pub const ALL: [Meter; 7] = [
        Meter::DirectoryConnections,
        Meter::SsoConnections,
        Meter::EnterpriseConnections,
        Meter::Mau,
        Meter::Organizations,
        Meter::ApiRequests,
        Meter::Flat,
    ];

    /// The TOML key.
    pub fn as_str(self) -> &'static str {
        match self {
            Meter::DirectoryConnections => "directory_connections",
            Meter::SsoConnections => "sso_connections",
            Meter::EnterpriseConnections => "enterprise_connections",
            Meter::Mau => "mau",
            Meter::Organizations => "organizations",
            Meter::ApiRequests => "api_requests",
            Meter::Flat => "flat",
        }
    }

    /// The unit, singular, for explanations ("connection", "MAU").
    pub fn unit(self) -> &'static str {
        match self {
            Meter::DirectoryConnections => "directory connection",
            Meter::SsoConnections => "SSO connection",
            Meter::EnterpriseConnections => "enterprise connection",
            Meter::Mau => "MAU",
            Meter::Organizations => "organization",
            Meter::ApiRequests => "API request",
            Meter::Flat => "month",
        }
    }
}

impl std::fmt::Display for Meter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a tiered schedule prices a quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TierMode {
    /// Each band's units at that band's rate (Stripe "graduated").
    Graduated,
    /// All units at the rate of the band the total falls in (Stripe "volume").
    Volume,
}

impl TierMode {
    /// The TOML key.
    pub fn as_str(self) -> &'static str {
        match self {
            TierMode::Graduated => "graduated",
            TierMode::Volume => "volume",
        }
    }
}

/// One band of a tiered schedule. Bands are `(previous up_to, up_to]` in whole units of the
/// meter's total (not of the billable quantity): `{ up_to = 15 }` is units 1–15.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// Inclusive upper bound of the band in units; absent for the last, unbounded band.
    #[schemars(with = "Option<u64>")]
    #[serde(default, serialize_with = "ser_spanned_opt")]
    pub up_to: Option<Spanned<u64>>,
    /// Price per unit within the band (per month).
    #[schemars(with = "Price")]
    #[serde(serialize_with = "ser_spanned")]
    pub unit_price: Spanned<Price>,
    /// A flat monthly fee charged once when the quantity reaches into the band.
    #[schemars(with = "Option<Price>")]
    #[serde(default, serialize_with = "ser_spanned_opt")]
    pub flat_fee: Option<Spanned<Price>>,
}

/// A metered charge: a meter, an included (free) quantity, and a price schedule.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Charge {
    /// Label shown in line items; defaults to the meter's name.
    pub name: Option<String>,
    /// What the charge counts.
    pub meter: Meter,
    /// Units per month that cost nothing, consumed before any band (default 0).
    #[schemars(with = "u64")]
    #[serde(default, serialize_with = "ser_spanned_opt")]
    pub included: Option<Spanned<u64>>,
    /// A single price per unit (per month). Exactly one of `unit_price` and `tiers` is given.
    #[schemars(with = "Option<Price>")]
    #[serde(default, serialize_with = "ser_spanned_opt")]
    pub unit_price: Option<Spanned<Price>>,
    /// Required with `tiers`: `graduated` or `volume`. Never inferred.
    pub mode: Option<TierMode>,
    /// Ordered bands, ascending by `up_to`, the unbounded band (if any) last.
    #[schemars(with = "Option<Vec<Tier>>")]
    #[serde(default, serialize_with = "ser_spanned_opt")]
    pub tiers: Option<Spanned<Vec<Tier>>>,
    /// Id of the source that states this charge.
    #[schemars(with = "Option<String>")]
    #[serde(default, serialize_with = "ser_spanned_opt")]
    pub source: Option<Spanned<String>>,
    /// Caveat shown with the charge (for example a doubt about the tier mode).
    pub note: Option<String>,
}

impl Charge {
    /// The label for line items.
    pub fn label(&self) -> String {
        self.name.clone().unwrap_or_else(|| self.meter.as_str().replace('_', " "))
    }

    /// The included quantity (0 when absent).
    pub fn included_units(&self) -> u64 {
        self.included.as_ref().map_or(0, |s| *s.get_ref())
    }
}

/// A plan (edition, tier) the provider sells.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// Plan id, unique within the provider.
    #[schemars(with = "Id")]
    #[serde(serialize_with = "ser_spanned")]
    pub id: Spanned<Id>,
    /// Display name.
    pub name: Option<String>,
    /// Monthly base fee when billed monthly (default 0).
    #[schemars(with = "Option<Price>")]
    #[serde(default, serialize_with = "ser_spanned_opt")]
    pub base_fee: Option<Spanned<Price>>,
    /// Monthly base fee when billed annually, if lower.
    #[schemars(with = "Option<Price>")]
    #[serde(default, serialize_with = "ser_spanned_opt")]
    pub annual_base_fee: Option<Spanned<Price>>,
    /// Features this plan unlocks. SCIM must be listed for the plan to be eligible.
    #[schemars(with = "Vec<Feature>")]
    #[serde(default, serialize_with = "ser_spanned_vec")]
    pub features: Vec<Spanned<String>>,
    /// Upper limits per month on meters (inclusive), e.g. `{ enterprise_connections = 3 }`.
    #[schemars(with = "BTreeMap<Meter, u64>")]
    #[serde(default, serialize_with = "ser_spanned_map")]
    pub limits: BTreeMap<String, Spanned<u64>>,
    /// Metered charges.
    #[serde(default)]
    pub charges: Vec<Charge>,
    /// Id of the source for the plan's fee and features.
    #[schemars(with = "Option<String>")]
    #[serde(default, serialize_with = "ser_spanned_opt")]
    pub source: Option<Spanned<String>>,
    /// Caveat.
    pub note: Option<String>,
}

impl Plan {
    /// The plan's display name, or its id.
    pub fn label(&self) -> String {
        self.name.clone().unwrap_or_else(|| self.id.get_ref().to_string())
    }
}

/// An add-on module: a fee, charges, and the features it supplies.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AddOn {
    /// Add-on id, unique within the provider.
    #[schemars(with = "Id")]
    #[serde(serialize_with = "ser_spanned")]
    pub id: Spanned<Id>,
    /// Display name.
    pub name: Option<String>,
    /// Monthly fee (default 0).
    #[schemars(with = "Option<Price>")]
    #[serde(default, serialize_with = "ser_spanned_opt")]
    pub fee: Option<Spanned<Price>>,
    /// Features the add-on supplies.
    #[schemars(with = "Vec<Feature>")]
    #[serde(default, serialize_with = "ser_spanned_vec")]
    pub features: Vec<Spanned<String>>,
    /// Plans it can be bought with (default: all plans).
    #[schemars(with = "Vec<Id>")]
    #[serde(default, serialize_with = "ser_spanned_vec")]
    pub plans: Vec<Spanned<String>>,
    /// True when it must always be bought with those plans.
    #[serde(default)]
    pub required: bool,
    /// Metered charges.
    #[serde(default)]
    pub charges: Vec<Charge>,
    /// Id of the source.
    #[schemars(with = "Option<String>")]
    #[serde(default, serialize_with = "ser_spanned_opt")]
    pub source: Option<Spanned<String>>,
    /// Caveat.
    pub note: Option<String>,
}

impl AddOn {
    /// The add-on's display name, or its id.
    pub fn label(&self) -> String {
        self.name.clone().unwrap_or_else(|| self.id.get_ref().to_string())
    }
}

/// A cost paid once: a setup fee, or an engineering build priced as hours × hourly rate.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OneTimeCost {
    /// Id, unique among the provider's one-time costs.
    #[schemars(with = "Id")]
    #[serde(serialize_with = "ser_spanned")]
    pub id: Spanned<Id>,
    /// Display name.
    pub name: Option<String>,
    /// A fixed amount. Exactly one of `amount` and `hours`.
    #[schemars(with = "Option<Price>")]
    #[serde(default, serialize_with = "ser_spanned_opt")]
    pub amount: Option<Spanned<Price>>,
    /// Engineer-hours, priced at the hourly rate (scenario `engineering.hourly_rate`, else the
    /// provider's `pricing.hourly_rate`).
    #[schemars(with = "Option<Amount>")]
    #[serde(default, serialize_with = "ser_spanned_opt")]
    pub hours: Option<Spanned<Amount>>,
    /// The month (1-based) in which it is paid (default 1).
    #[schemars(with = "Option<u32>")]
    #[serde(default, serialize_with = "ser_spanned_opt")]
    pub month: Option<Spanned<u32>>,
    /// Id of the source.
    #[schemars(with = "Option<String>")]
    #[serde(default, serialize_with = "ser_spanned_opt")]
    pub source: Option<Spanned<String>>,
    /// Caveat.
    pub note: Option<String>,
}

/// A recurring cost outside the vendor's plans: maintenance, hosting.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecurringCost {
    /// Id, unique among the provider's recurring costs.
    #[schemars(with = "Id")]
    #[serde(serialize_with = "ser_spanned")]
    pub id: Spanned<Id>,
    /// Display name.
    pub name: Option<String>,
    /// A fixed amount per month. Exactly one of `amount` and `hours`.
    #[schemars(with = "Option<Price>")]
    #[serde(default, serialize_with = "ser_spanned_opt")]
    pub amount: Option<Spanned<Price>>,
    /// Engineer-hours per month, priced at the hourly rate.
    #[schemars(with = "Option<Amount>")]
    #[serde(default, serialize_with = "ser_spanned_opt")]
    pub hours: Option<Spanned<Amount>>,
    /// Id of the source.
    #[schemars(with = "Option<String>")]
    #[serde(default, serialize_with = "ser_spanned_opt")]
    pub source: Option<Spanned<String>>,
    /// Caveat.
    pub note: Option<String>,
}

/// The `[pricing]` table of a provider.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pricing {
    /// The classification used by the pricing axis.
    #[serde(default)]
    pub model: PricingModel,
    /// Id of the source for the classification.
    #[schemars(with = "Option<String>")]
    #[serde(default, serialize_with = "ser_spanned_opt")]
    pub source: Option<Spanned<String>>,
    /// Default engineering rate per hour for hours-based costs; a scenario's
    /// `engineering.hourly_rate` overrides it.
    #[schemars(with = "Option<Price>")]
    #[serde(default, serialize_with = "ser_spanned_opt")]
    pub hourly_rate: Option<Spanned<Price>>,
    /// Plans. A provider with no plan that lists `scim` is unavailable in every scenario.
    #[serde(default)]
    pub plans: Vec<Plan>,
    /// Add-ons.
    #[serde(default)]
    pub addons: Vec<AddOn>,
    /// One-time costs.
    #[serde(default)]
    pub one_time: Vec<OneTimeCost>,
    /// Recurring costs outside the plans (maintenance, hosting).
    #[serde(default)]
    pub recurring: Vec<RecurringCost>,
    /// Caveats about the pricing as a whole (shown in reports).
    #[serde(default)]
    pub notes: Vec<String>,
}
