//! JSON Schema refinements the derive cannot express: the allowed keys of maps keyed by a
//! feature, an IdP or a meter, so editors flag `provisoning` or `entra` as they are typed.

use super::{Feature, Idp};
use schemars::Schema;
use serde_json::{Value, json};

pub fn restrict_keys(schema: &mut Schema, keys: impl IntoIterator<Item = &'static str>) {
    let keys: Vec<Value> = keys
        .into_iter()
        .map(|k| Value::String(k.to_owned()))
        .collect();
    schema.insert("propertyNames".to_owned(), json!({ "enum": keys }));
}

/// Keys must be feature names.
pub fn feature_keys(schema: &mut Schema) {
    restrict_keys(schema, Feature::ALL.iter().map(|f| f.as_str()));
}

/// Keys must be IdP names.
pub fn idp_keys(schema: &mut Schema) {
    restrict_keys(schema, Idp::ALL.iter().map(|i| i.as_str()));
}

/// Keys must be ISO 4217 codes.
pub fn currency_keys(schema: &mut Schema) {
    schema.insert(
        "propertyNames".to_owned(),
        json!({ "pattern": "^[A-Z]{3}$" }),
    );
}
