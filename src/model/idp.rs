//! Identity providers a customer's directory may live in.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A customer-side identity provider (the SCIM client that pushes to the provider).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Idp {
    /// Microsoft Entra ID (Azure AD). Sends PATCH `active:false`, never `/Bulk`.
    EntraId,
    /// Okta Workforce. Deactivates (PATCH or PUT `active:false`) rather than deleting.
    Okta,
    /// Google Workspace. Its own SCIM push is user-only and catalog-only; group sync needs a
    /// provider that pulls through the Admin SDK.
    GoogleWorkspace,
    /// `OneLogin`.
    Onelogin,
    /// `JumpCloud`.
    Jumpcloud,
    /// Ping Identity `PingFederate`.
    Pingfederate,
    /// Rippling.
    Rippling,
    /// Any other SCIM 2.0 client.
    GenericScim,
}

impl Idp {
    /// Every IdP, in a fixed order.
    pub const ALL: [Idp; 8] = [
        Idp::EntraId,
        Idp::Okta,
        Idp::GoogleWorkspace,
        Idp::Onelogin,
        Idp::Jumpcloud,
        Idp::Pingfederate,
        Idp::Rippling,
        Idp::GenericScim,
    ];

    /// The TOML key.
    pub fn as_str(self) -> &'static str {
        match self {
            Idp::EntraId => "entra_id",
            Idp::Okta => "okta",
            Idp::GoogleWorkspace => "google_workspace",
            Idp::Onelogin => "onelogin",
            Idp::Jumpcloud => "jumpcloud",
            Idp::Pingfederate => "pingfederate",
            Idp::Rippling => "rippling",
            Idp::GenericScim => "generic_scim",
        }
    }

    /// A human-readable name.
    pub fn label(self) -> &'static str {
        match self {
            Idp::EntraId => "Microsoft Entra ID",
            Idp::Okta => "Okta",
            Idp::GoogleWorkspace => "Google Workspace",
            Idp::Onelogin => "OneLogin",
            Idp::Jumpcloud => "JumpCloud",
            Idp::Pingfederate => "PingFederate",
            Idp::Rippling => "Rippling",
            Idp::GenericScim => "generic SCIM 2.0",
        }
    }
}

impl std::fmt::Display for Idp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
