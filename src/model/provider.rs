//! A provider file: one offering (a vendor product, a self-hosted server, or building it
//! yourself), its capabilities on the five axes, its pricing, and the sources for all of it.

use super::fact::{StatusFact, ValueFact};
use super::{Date, Feature, Id, Idp, Pricing};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One offering, as loaded from `providers/<id>.toml`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    /// Unique id; also the report file-name stem. `[a-z0-9][a-z0-9_-]*`.
    pub id: Id,
    /// Display name (the vendor or alternative), e.g. "`WorkOS`".
    pub name: String,
    /// The product evaluated, e.g. "Directory Sync".
    pub product: Option<String>,
    /// Product home page.
    pub url: Option<String>,
    /// What kind of offering this is.
    #[serde(default)]
    pub kind: ProviderKind,
    /// When the facts in this file were last checked against their sources.
    pub verified: Date,
    /// ISO 4217 currency of every amount in the file (default `USD`).
    #[serde(default = "default_currency")]
    pub currency: String,
    /// One paragraph for reports.
    pub summary: Option<String>,
    /// Doubts the reader must know (shown in reports next to the provider).
    #[serde(default)]
    pub caveats: Vec<String>,
    /// Where the facts come from. Facts point at these by `id`.
    #[serde(default)]
    pub sources: Vec<Source>,
    /// Ease-of-implementation facts.
    #[serde(default)]
    pub ease: Ease,
    /// SCIM feature facts.
    #[serde(default)]
    pub features: Features,
    /// Integration-capability facts.
    #[serde(default)]
    pub integration: Integration,
    /// Prerequisite facts.
    #[serde(default)]
    pub prerequisites: Prerequisites,
    /// The priced structure.
    #[serde(default)]
    pub pricing: Pricing,
    /// Buyer quotes applied to this provider's prices (from `quotes/` or `--quotes`; never
    /// written in a provider file). Serialised so that `diff` shows a changed quote.
    #[serde(skip_deserializing, skip_serializing_if = "Vec::is_empty")]
    #[schemars(skip)]
    pub quotes: Vec<super::quote::AppliedQuote>,
}

impl Provider {
    /// The quote applied at a price path, if any.
    pub fn quote_at(&self, path: &str) -> Option<&super::quote::AppliedQuote> {
        self.quotes.iter().find(|q| q.price == path)
    }
}

fn default_currency() -> String {
    "USD".to_owned()
}

/// What kind of offering a provider file describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProviderKind {
    /// A hosted vendor product.
    #[default]
    Vendor,
    /// Software you host yourself (open source or licensed).
    SelfHosted,
    /// A reference alternative, such as building in-house or JIT-only provisioning.
    Alternative,
}

impl ProviderKind {
    /// The TOML key.
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderKind::Vendor => "vendor",
            ProviderKind::SelfHosted => "self_hosted",
            ProviderKind::Alternative => "alternative",
        }
    }
}

/// A source document.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Id used by facts (`source = "pricing"`).
    pub id: Id,
    /// URL of the document.
    pub url: String,
    /// The date the document (or its stored copy) was read.
    pub retrieved: Date,
    /// What the source is and how far to trust it.
    pub note: Option<String>,
    /// `sha256:` and the hex digest of the page's normalised visible text when it was last
    /// read, written by `scimeter sources check --update`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    /// A CSS selector limiting the fingerprint to part of the page (the pricing table).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<String>,
}

/// How the SCIM endpoint is provided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Endpoint {
    /// The vendor runs the SCIM endpoint for you.
    Managed,
    /// You run the vendor's software.
    SelfHosted,
    /// You write and maintain it.
    SelfBuilt,
    /// There is no SCIM endpoint at all (e.g. JIT only).
    NotApplicable,
    /// Not established.
    #[default]
    Unknown,
}

/// Ease-of-implementation facts.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ease {
    /// Managed endpoint or self-built.
    #[serde(default)]
    pub endpoint: ValueFact<Endpoint>,
    /// A self-serve admin portal for the customer's IT admin.
    #[serde(default)]
    pub admin_portal: StatusFact,
    /// Setup guides per IdP.
    #[serde(default)]
    pub setup_guides: StatusFact,
    /// Estimated engineer-hours to integrate (absent = unknown).
    #[serde(default)]
    pub integration_hours: ValueFact<Option<u32>>,
}

/// Per-IdP support.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IdpSupport {
    /// Whether users provision from this IdP.
    #[serde(default)]
    pub status: super::Status,
    /// Whether groups sync from this IdP (relevant for Google Workspace).
    #[serde(default)]
    pub groups: super::Status,
    /// Id of the source.
    #[serde(default)]
    pub source: Option<String>,
    /// Caveat.
    pub note: Option<String>,
    /// With `status = "unknown"`: why it is unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<super::fact::ResearchGap>,
    /// With `status = "unknown"`: what was searched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub searched: Option<String>,
}

/// SCIM feature facts.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Features {
    /// SCIM provisioning into your app at all.
    #[serde(default)]
    pub scim: StatusFact,
    /// Enterprise SSO offered.
    #[serde(default)]
    pub sso: StatusFact,
    /// User create/update.
    #[serde(default)]
    pub provisioning: StatusFact,
    /// User deactivation/deletion.
    #[serde(default)]
    pub deprovisioning: StatusFact,
    /// Soft delete via `active:false`.
    #[serde(default)]
    pub soft_delete: StatusFact,
    /// `/Groups` sync.
    #[serde(default)]
    pub groups: StatusFact,
    /// Group/attribute → role mapping.
    #[serde(default)]
    pub role_mapping: StatusFact,
    /// Custom attributes.
    #[serde(default)]
    pub custom_attributes: StatusFact,
    /// RFC 7644 `/Bulk`.
    #[serde(default)]
    pub bulk: StatusFact,
    /// RFC 7644 `/Me`.
    #[serde(default)]
    pub me: StatusFact,
    /// RFC 7644 sorting.
    #[serde(default)]
    pub sorting: StatusFact,
    /// RFC 7644 `POST /.search`.
    #[serde(default)]
    pub search: StatusFact,
    /// Support per IdP, keyed by IdP (`okta`, `entra_id`, `google_workspace`, …). An IdP that
    /// is not listed is unknown.
    #[schemars(transform = super::schema_keys::idp_keys)]
    #[serde(default)]
    pub idps: BTreeMap<Idp, IdpSupport>,
}

/// How synced users surface in your app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Membership {
    /// First-class organization members with roles you can authorize against.
    OrgMembers,
    /// Flat user records you map yourself.
    FlatRecords,
    /// Not established.
    #[default]
    Unknown,
}

/// Integration-capability facts.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Integration {
    /// How synced users surface.
    #[serde(default)]
    pub membership: ValueFact<Membership>,
    /// Webhooks on directory changes.
    #[serde(default)]
    pub webhooks: StatusFact,
    /// Pull-based events API.
    #[serde(default)]
    pub events_api: StatusFact,
    /// A documented delivery-order guarantee.
    #[serde(default)]
    pub ordered_delivery: StatusFact,
    /// Server SDK languages (lower-case: `node`, `python`, `go`, `ruby`, `java`, `php`,
    /// `dotnet`, …). An absent list is unknown.
    #[serde(default)]
    pub sdks: ValueFact<Option<Vec<String>>>,
}

/// Yes, no, or not established.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum YesNo {
    /// Yes.
    Yes,
    /// No.
    No,
    /// Not established.
    #[default]
    Unknown,
}

/// What SCIM needs you to buy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlanGate {
    /// Available on every plan, including free or pay-as-you-go.
    AnyPlan,
    /// Needs a paid plan or a paid connection, but not the top tier.
    PaidPlan,
    /// Sold as a separate add-on or module.
    Addon,
    /// Only on the top plan or enterprise edition / contract.
    EnterprisePlan,
    /// Not established.
    #[default]
    Unknown,
}

/// Prerequisite facts.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Prerequisites {
    /// Whether an SSO (enterprise) connection must exist before SCIM.
    #[serde(default)]
    pub sso_required: ValueFact<YesNo>,
    /// The plan or add-on SCIM needs.
    #[serde(default)]
    pub scim_plan_gate: ValueFact<PlanGate>,
}

impl Provider {
    /// The provider's id as a string.
    pub fn id(&self) -> &str {
        self.id.as_str()
    }

    /// The status fact behind a named feature, with the IdP-derived ones computed.
    /// Returns an owned fact because `google_workspace_groups` is derived.
    pub fn feature_fact(&self, feature: Feature) -> StatusFact {
        let f = &self.features;
        let i = &self.integration;
        match feature {
            Feature::Scim => f.scim.clone(),
            Feature::Sso => f.sso.clone(),
            Feature::Provisioning => f.provisioning.clone(),
            Feature::Deprovisioning => f.deprovisioning.clone(),
            Feature::SoftDelete => f.soft_delete.clone(),
            Feature::Groups => f.groups.clone(),
            Feature::RoleMapping => f.role_mapping.clone(),
            Feature::CustomAttributes => f.custom_attributes.clone(),
            Feature::AdminPortal => self.ease.admin_portal.clone(),
            Feature::SetupGuides => self.ease.setup_guides.clone(),
            Feature::Bulk => f.bulk.clone(),
            Feature::Me => f.me.clone(),
            Feature::Sorting => f.sorting.clone(),
            Feature::Search => f.search.clone(),
            Feature::Webhooks => i.webhooks.clone(),
            Feature::EventsApi => i.events_api.clone(),
            Feature::OrderedDelivery => i.ordered_delivery.clone(),
            Feature::OrgMembership => {
                let status = match i.membership.value {
                    Membership::OrgMembers => super::Status::Ga,
                    Membership::FlatRecords => super::Status::None,
                    Membership::Unknown => super::Status::Unknown,
                };
                StatusFact {
                    status,
                    source: i.membership.source.clone(),
                    note: i.membership.note.clone(),
                    ..StatusFact::default()
                }
            }
            Feature::GoogleWorkspaceGroups => match f.idps.get(&Idp::GoogleWorkspace) {
                Some(g) => StatusFact {
                    status: g.groups,
                    source: g.source.clone(),
                    note: g.note.clone(),
                    ..StatusFact::default()
                },
                None => StatusFact::default(),
            },
        }
    }

    /// The source entry with the given id.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id.as_str() == id)
    }
}
