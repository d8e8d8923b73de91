//! Serializers that drop the span of a [`toml::Spanned`] value (spans are for diagnostics,
//! not for JSON output).

use serde::Serialize;
use toml::Spanned;

/// Serializes the inner value of a spanned field.
pub(crate) fn ser_spanned<T: Serialize, S: serde::Serializer>(v: &Spanned<T>, s: S) -> Result<S::Ok, S::Error> {
    v.get_ref().serialize(s)
}

/// Serializes the inner value of an optional spanned field.
#[allow(clippy::ref_option)] // serde's `serialize_with` passes `&Option<T>`.
pub(crate) fn ser_spanned_opt<T: Serialize, S: serde::Serializer>(v: &Option<Spanned<T>>, s: S) -> Result<S::Ok, S::Error> {
    v.as_ref().map(Spanned::get_ref).serialize(s)
}

/// Serializes the inner values of a list of spanned values.
pub(crate) fn ser_spanned_vec<T: Serialize, S: serde::Serializer>(v: &[Spanned<T>], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(v.iter().map(Spanned::get_ref))
}

/// Serializes a map whose values are spanned.
pub(crate) fn ser_spanned_map<S: serde::Serializer>(v: &std::collections::BTreeMap<String, Spanned<u64>>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(v.iter().map(|(k, v)| (k, v.get_ref())))
}
