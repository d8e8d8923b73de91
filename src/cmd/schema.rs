//! `scimeter schema`: JSON Schema for catalog files, derived from the model types.

use crate::cli::SchemaKind;
use crate::model::{Provider, Scenario};

/// The schema as pretty JSON.
pub fn run(kind: SchemaKind) -> String {
    let schema = match kind {
        SchemaKind::Provider => schemars::schema_for!(Provider),
        SchemaKind::Scenario => schemars::schema_for!(Scenario),
    };
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}
