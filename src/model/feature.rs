//! Named capabilities that plans unlock and scenarios need.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

macro_rules! features {
    ($( $(#[$doc:meta])* $variant:ident => $key:literal ),+ $(,)?) => {
        /// A capability that a plan or add-on can unlock and that a scenario can require,
        /// prefer or ignore. The TOML key is the `snake_case` name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum Feature {
            $( $(#[$doc])* $variant, )+
        }

        impl Feature {
            /// Every feature, in a fixed order.
            pub const ALL: &'static [Feature] = &[$(Feature::$variant),+];

            /// The TOML key.
            pub fn as_str(self) -> &'static str {
                match self { $(Feature::$variant => $key,)+ }
            }

            /// Looks a feature up by its TOML key.
            pub fn from_key(key: &str) -> Option<Feature> {
                match key { $($key => Some(Feature::$variant),)+ _ => None }
            }
        }
    };
}

features! {
    /// SCIM 2.0 provisioning into your app at all (the product being bought).
    Scim => "scim",
    /// Enterprise SSO (SAML or OIDC).
    Sso => "sso",
    /// Creating and updating users from the customer's directory.
    Provisioning => "provisioning",
    /// Deactivating or deleting users when the directory removes them.
    Deprovisioning => "deprovisioning",
    /// Soft delete through `active: false` (what Okta and Entra ID send).
    SoftDelete => "soft_delete",
    /// Group (team) sync through `/Groups`.
    Groups => "groups",
    /// Mapping directory groups or attributes to your app's roles.
    RoleMapping => "role_mapping",
    /// Custom and enterprise-extension attributes.
    CustomAttributes => "custom_attributes",
    /// A self-serve admin portal for the customer's IT admin.
    AdminPortal => "admin_portal",
    /// Step-by-step setup guides per identity provider.
    SetupGuides => "setup_guides",
    /// RFC 7644 `/Bulk` (rarely used; Entra ID does not send it).
    Bulk => "bulk",
    /// RFC 7644 `/Me` (rarely used).
    Me => "me",
    /// RFC 7644 server-side sorting (rarely used).
    Sorting => "sorting",
    /// RFC 7644 `POST /.search` (rarely used).
    Search => "search",
    /// Webhooks on directory changes.
    Webhooks => "webhooks",
    /// A pull-based events API.
    EventsApi => "events_api",
    /// A documented guarantee on delivery order of events.
    OrderedDelivery => "ordered_delivery",
    /// Synced users arrive as first-class organization members with roles.
    OrgMembership => "org_membership",
    /// Google Workspace as a source, including group sync.
    GoogleWorkspaceGroups => "google_workspace_groups",
}

impl std::fmt::Display for Feature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
