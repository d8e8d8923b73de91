//! The availability status of a capability.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How available a capability is. `Unknown` is never the same as `None`: unknown means
/// nobody has confirmed either way, and scoring treats it as a range, not as zero.
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
pub enum Status {
    /// Generally available.
    Ga,
    /// Public beta.
    Beta,
    /// Early access, usually gated behind the account team.
    EarlyAccess,
    /// Technology preview or experimental.
    Preview,
    /// Announced or on the roadmap, not usable yet.
    Planned,
    /// Confirmed absent.
    None,
    /// Not confirmed either way.
    #[default]
    Unknown,
}

impl Status {
    /// Every status, in declaration order.
    pub const ALL: [Status; 7] = [
        Status::Ga,
        Status::Beta,
        Status::EarlyAccess,
        Status::Preview,
        Status::Planned,
        Status::None,
        Status::Unknown,
    ];

    /// The key used in TOML files.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ga => "ga",
            Status::Beta => "beta",
            Status::EarlyAccess => "early_access",
            Status::Preview => "preview",
            Status::Planned => "planned",
            Status::None => "none",
            Status::Unknown => "unknown",
        }
    }

    /// True for statuses a customer can use today, even if not generally available.
    pub fn is_usable(self) -> bool {
        matches!(
            self,
            Status::Ga | Status::Beta | Status::EarlyAccess | Status::Preview
        )
    }

    /// True for the pre-GA but usable statuses (beta, early access, preview).
    pub fn is_pre_ga(self) -> bool {
        matches!(self, Status::Beta | Status::EarlyAccess | Status::Preview)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
