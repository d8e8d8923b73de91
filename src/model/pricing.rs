//! The priced structure of an offering: plans, add-ons, charges, tiers, one-time and recurring
//! costs. See `docs/cost-model.md` for how these are evaluated.

use super::price::Amount;
use super::{Feature, Id, Price, Ranged};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The pricing model's classification, as the seed's four models (plus self-managed options).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    Deserialize,
    Serialize,
    JsonSchema,
)]
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
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
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
    /// No source states the mode: both are possible. The published figure is the lower of
    /// the two, as "at least … + unknown"; each Monte Carlo draw picks one (see the charge's
    /// `graduated_share`).
    Unstated,
}

impl TierMode {
    /// The TOML key.
    pub fn as_str(self) -> &'static str {
        match self {
            TierMode::Graduated => "graduated",
            TierMode::Volume => "volume",
            TierMode::Unstated => "unstated",
        }
    }
}

/// One band of a tiered schedule. Bands are `(previous up_to, up_to]` in whole units of the
/// meter's total (not of the billable quantity): `{ up_to = 15 }` is units 1–15.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// First unit of the band (inclusive), optional. When given it must continue the previous
    /// band exactly (`previous up_to + 1`; for the first band `1` or `included + 1`), which
    /// catches gaps and overlaps when copying a vendor's "2–15, 16–30" table.
    #[serde(default)]
    pub from: Option<u64>,
    /// Inclusive upper bound of the band in units; absent for the last, unbounded band.
    #[serde(default)]
    pub up_to: Option<u64>,
    /// Price per unit within the band (per month).
    pub unit_price: Price,
    /// A flat monthly fee charged once when the quantity reaches into the band.
    #[serde(default)]
    pub flat_fee: Option<Price>,
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
    #[serde(default)]
    pub included: Option<u64>,
    /// A single price per unit (per month). Exactly one of `unit_price` and `tiers` is given.
    #[serde(default)]
    pub unit_price: Option<Price>,
    /// Required with `tiers`: `graduated`, `volume`, or `unstated` when no source says which.
    /// Never inferred.
    pub mode: Option<TierMode>,
    /// With `mode = "unstated"`: the probability (0–1) that the tiers are graduated, for the
    /// Monte Carlo (default 0.5).
    #[serde(default)]
    pub graduated_share: Option<Amount>,
    /// Ordered bands, ascending by `up_to`, the unbounded band (if any) last.
    #[serde(default)]
    pub tiers: Option<Vec<Tier>>,
    /// Id of the source that states this charge.
    #[serde(default)]
    pub source: Option<String>,
    /// Caveat shown with the charge (for example a doubt about the tier mode).
    pub note: Option<String>,
}

impl Charge {
    /// The label for line items.
    pub fn label(&self) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| self.meter.as_str().replace('_', " "))
    }

    /// The included quantity (0 when absent).
    pub fn included_units(&self) -> u64 {
        self.included.unwrap_or(0)
    }
}

/// A plan (edition, tier) the provider sells.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// Plan id, unique within the provider.
    pub id: Id,
    /// Display name.
    pub name: Option<String>,
    /// Monthly base fee when billed monthly (default 0).
    #[serde(default)]
    pub base_fee: Option<Price>,
    /// Monthly base fee when billed annually, if lower.
    #[serde(default)]
    pub annual_base_fee: Option<Price>,
    /// Features this plan unlocks. SCIM must be listed for the plan to be eligible.
    #[schemars(with = "Vec<Feature>")]
    #[serde(default)]
    pub features: Vec<String>,
    /// Upper limits per month on meters (inclusive), e.g. `{ enterprise_connections = 3 }`.
    #[schemars(with = "BTreeMap<String, u64>", transform = meter_keys)]
    #[serde(default)]
    pub limits: BTreeMap<String, u64>,
    /// Metered charges.
    #[serde(default)]
    pub charges: Vec<Charge>,
    /// Id of the source for the plan's fee and features.
    #[serde(default)]
    pub source: Option<String>,
    /// Caveat.
    pub note: Option<String>,
}

impl Plan {
    /// The plan's display name, or its id.
    pub fn label(&self) -> String {
        self.name.clone().unwrap_or_else(|| self.id.to_string())
    }
}

/// An add-on module: a fee, charges, and the features it supplies.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AddOn {
    /// Add-on id, unique within the provider.
    pub id: Id,
    /// Display name.
    pub name: Option<String>,
    /// Monthly fee (default 0).
    #[serde(default)]
    pub fee: Option<Price>,
    /// Features the add-on supplies.
    #[schemars(with = "Vec<Feature>")]
    #[serde(default)]
    pub features: Vec<String>,
    /// Plans it can be bought with (default: all plans).
    #[schemars(with = "Vec<Id>")]
    #[serde(default)]
    pub plans: Vec<String>,
    /// True when it must always be bought with those plans.
    #[serde(default)]
    pub required: bool,
    /// Required only above these quantities, e.g. `{ members_per_organization = 20 }`: keys
    /// are meter names or `members_per_organization` (seats ÷ organizations per customer,
    /// rounded up); the add-on is bought when any quantity exceeds its threshold.
    #[schemars(with = "BTreeMap<String, u64>")]
    #[serde(default)]
    pub required_above: BTreeMap<String, u64>,
    /// Metered charges.
    #[serde(default)]
    pub charges: Vec<Charge>,
    /// Id of the source.
    #[serde(default)]
    pub source: Option<String>,
    /// Caveat.
    pub note: Option<String>,
}

/// The quantity keys `required_above` accepts besides meter names.
pub const MEMBERS_PER_ORGANIZATION: &str = "members_per_organization";

impl AddOn {
    /// The add-on's display name, or its id.
    pub fn label(&self) -> String {
        self.name.clone().unwrap_or_else(|| self.id.to_string())
    }
}

/// A cost paid once: a setup fee, or an engineering build priced as hours × hourly rate.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OneTimeCost {
    /// Id, unique among the provider's one-time costs.
    pub id: Id,
    /// Display name.
    pub name: Option<String>,
    /// A fixed amount. Exactly one of `amount` and `hours`.
    #[serde(default)]
    pub amount: Option<Price>,
    /// Engineer-hours, priced at the hourly rate (scenario `engineering.hourly_rate`, else the
    /// provider's `pricing.hourly_rate`). A point or a `{ low, likely, high }` range.
    #[serde(default)]
    pub hours: Option<Ranged<Decimal>>,
    /// The month (1-based) in which it is paid (default 1).
    #[serde(default)]
    pub month: Option<u32>,
    /// Id of the source.
    #[serde(default)]
    pub source: Option<String>,
    /// Caveat.
    pub note: Option<String>,
}

/// A recurring cost outside the vendor's plans: maintenance, hosting.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecurringCost {
    /// Id, unique among the provider's recurring costs.
    pub id: Id,
    /// Display name.
    pub name: Option<String>,
    /// A fixed amount per month. Exactly one of `amount` and `hours`.
    #[serde(default)]
    pub amount: Option<Price>,
    /// Engineer-hours per month, priced at the hourly rate. A point or a range.
    #[serde(default)]
    pub hours: Option<Ranged<Decimal>>,
    /// Id of the source.
    #[serde(default)]
    pub source: Option<String>,
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
    #[serde(default)]
    pub source: Option<String>,
    /// With `model = "unknown"`: why it is unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<super::fact::ResearchGap>,
    /// With `model = "unknown"`: what was searched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub searched: Option<String>,
    /// Default engineering rate per hour for hours-based costs; a scenario's
    /// `engineering.hourly_rate` overrides it.
    #[serde(default)]
    pub hourly_rate: Option<Price>,
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

/// The path of a plan, add-on and charge in a provider file, as quotes and questions name it.
pub fn charge_path(parent: &str, index: usize) -> String {
    format!("{parent}.charges.{index}")
}

/// `pricing.plans.<id>`.
pub fn plan_path(plan: &Plan) -> String {
    format!("pricing.plans.{}", plan.id)
}

/// `pricing.addons.<id>`.
pub fn addon_path(addon: &AddOn) -> String {
    format!("pricing.addons.{}", addon.id)
}

/// Calls `f` with the path and a mutable reference of every price in a provider's pricing.
/// Paths: `pricing.plans.<id>.base_fee`, `….annual_base_fee`, `….charges.<i>.unit_price`,
/// `….charges.<i>.tiers.<j>.unit_price` / `flat_fee`, `pricing.addons.<id>.fee`,
/// `pricing.one_time.<id>.amount`, `pricing.recurring.<id>.amount`, `pricing.hourly_rate`.
pub fn visit_prices_mut(pricing: &mut Pricing, f: &mut dyn FnMut(&str, &mut Price)) {
    if let Some(r) = pricing.hourly_rate.as_mut() {
        f("pricing.hourly_rate", r);
    }
    for plan in &mut pricing.plans {
        let path = plan_path(plan);
        if let Some(p) = plan.base_fee.as_mut() {
            f(&format!("{path}.base_fee"), p);
        }
        if let Some(p) = plan.annual_base_fee.as_mut() {
            f(&format!("{path}.annual_base_fee"), p);
        }
        for (i, c) in plan.charges.iter_mut().enumerate() {
            visit_charge(&charge_path(&path, i), c, f);
        }
    }
    for addon in &mut pricing.addons {
        let path = addon_path(addon);
        if let Some(p) = addon.fee.as_mut() {
            f(&format!("{path}.fee"), p);
        }
        for (i, c) in addon.charges.iter_mut().enumerate() {
            visit_charge(&charge_path(&path, i), c, f);
        }
    }
    for o in &mut pricing.one_time {
        if let Some(p) = o.amount.as_mut() {
            f(&format!("pricing.one_time.{}.amount", o.id), p);
        }
    }
    for r in &mut pricing.recurring {
        if let Some(p) = r.amount.as_mut() {
            f(&format!("pricing.recurring.{}.amount", r.id), p);
        }
    }
}

fn visit_charge(path: &str, c: &mut Charge, f: &mut dyn FnMut(&str, &mut Price)) {
    if let Some(p) = c.unit_price.as_mut() {
        f(&format!("{path}.unit_price"), p);
    }
    for (j, t) in c.tiers.iter_mut().flatten().enumerate() {
        f(&format!("{path}.tiers.{j}.unit_price"), &mut t.unit_price);
        if let Some(p) = t.flat_fee.as_mut() {
            f(&format!("{path}.tiers.{j}.flat_fee"), p);
        }
    }
}

/// Every price path of a provider, in file order.
pub fn price_paths(pricing: &Pricing) -> Vec<String> {
    let mut pricing = pricing.clone();
    let mut out = Vec::new();
    visit_prices_mut(&mut pricing, &mut |path, _| out.push(path.to_owned()));
    out
}

/// The schema of a map keyed by meter: its keys must be meter names. (Here, beside [`Meter`],
/// so `schema_keys` needs nothing from this module.)
fn meter_keys(schema: &mut schemars::Schema) {
    super::schema_keys::restrict_keys(schema, Meter::ALL.iter().map(|m| m.as_str()));
}
