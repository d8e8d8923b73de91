//! Facts: a status or a value, each with the source that backs it.

use super::Status;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A reference to one of the provider's `[[sources]]` by its id.
pub type SourceRef = String;

/// A capability whose availability is a [`Status`], with provenance.
///
/// Written as an inline table: `groups = { status = "ga", source = "docs", note = "…" }`.
/// A fact that is left out of a file is `unknown`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusFact {
    /// Availability of the capability.
    #[serde(default)]
    pub status: Status,
    /// Id of the entry in `[[sources]]` that backs this fact. Required unless the status is
    /// `unknown`.
    pub source: Option<SourceRef>,
    /// Free-text caveat shown next to the fact in explanations.
    pub note: Option<String>,
    /// The date the status took effect, when known (for example the GA date).
    pub since: Option<super::Date>,
    /// With `status = "unknown"`: the statuses it could turn out to have, which the joint
    /// robustness analysis draws from uniformly (default: every known status).
    #[serde(default)]
    pub possible: Vec<super::Status>,
    /// With `status = "unknown"`: why it is unknown (the vendor does not publish it, or the
    /// research did not find it).
    pub reason: Option<ResearchGap>,
    /// With `status = "unknown"`: what was searched, so the next researcher does not repeat it.
    pub searched: Option<String>,
}

/// Why a fact or price is unknown. Readers weigh the two differently: an unpublished fact
/// needs a question to the vendor; a fact not found may only need more research.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResearchGap {
    /// The vendor does not publish it (contact sales, not in any public document).
    Unpublished,
    /// Not found in the sources searched; it may exist somewhere else.
    NotFound,
}

impl ResearchGap {
    /// The key used in TOML files.
    pub fn as_str(self) -> &'static str {
        match self {
            ResearchGap::Unpublished => "unpublished",
            ResearchGap::NotFound => "not_found",
        }
    }
}

impl StatusFact {
    /// A fact with the given status and no source (used by built-in defaults and tests).
    pub fn bare(status: Status) -> StatusFact {
        StatusFact {
            status,
            ..StatusFact::default()
        }
    }

    /// The source id, if any.
    pub fn source_id(&self) -> Option<&str> {
        self.source.as_deref()
    }
}

impl Serialize for StatusFact {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("StatusFact", 7)?;
        s.serialize_field("status", &self.status)?;
        s.serialize_field("source", &self.source_id())?;
        s.serialize_field("note", &self.note)?;
        s.serialize_field("since", &self.since)?;
        if !self.possible.is_empty() {
            s.serialize_field("possible", &self.possible)?;
        }
        if let Some(reason) = self.reason {
            s.serialize_field("reason", &reason)?;
        }
        if let Some(searched) = &self.searched {
            s.serialize_field("searched", searched)?;
        }
        s.end()
    }
}

/// A fact whose value is not a status (an enum choice, a number, a list), with provenance.
///
/// Written as an inline table: `endpoint = { value = "managed", source = "docs" }`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(bound = "T: JsonSchema + Default + Serialize")]
pub struct ValueFact<T> {
    #[serde(default)]
    /// The value. Each value type has its own `unknown` (an `unknown` variant, or an absent
    /// number).
    pub value: T,
    /// Id of the entry in `[[sources]]` that backs this fact.
    pub source: Option<SourceRef>,
    /// Free-text caveat.
    pub note: Option<String>,
    /// True when the value is the catalog author's estimate rather than a vendor statement.
    #[serde(default)]
    pub estimate: bool,
    /// With no value stated: why it is unknown.
    pub reason: Option<ResearchGap>,
    /// With no value stated: what was searched.
    pub searched: Option<String>,
}

impl<T> ValueFact<T> {
    /// The source id, if any.
    pub fn source_id(&self) -> Option<&str> {
        self.source.as_deref()
    }
}

impl<T: Serialize> Serialize for ValueFact<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("ValueFact", 6)?;
        s.serialize_field("value", &self.value)?;
        s.serialize_field("source", &self.source_id())?;
        s.serialize_field("note", &self.note)?;
        s.serialize_field("estimate", &self.estimate)?;
        if let Some(reason) = self.reason {
            s.serialize_field("reason", &reason)?;
        }
        if let Some(searched) = &self.searched {
            s.serialize_field("searched", searched)?;
        }
        s.end()
    }
}
