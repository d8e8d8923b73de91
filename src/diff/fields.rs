//! Field-level differences between two versions of a provider: added, removed and changed
//! values with their dotted paths. Lists of tables with an `id` (plans, add-ons, sources, …)
//! are matched by id, so reordering them is not a change.

use crate::model::Provider;
use serde::Serialize;
use serde_json::Value;

/// One changed field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    /// Dotted path, e.g. `pricing.plans[pro].base_fee`.
    pub path: String,
    /// The old value, `None` when added.
    pub old: Option<Value>,
    /// The new value, `None` when removed.
    pub new: Option<Value>,
}

impl FieldChange {
    /// `old → new` in compact text.
    pub fn describe(&self) -> String {
        let show = |v: &Option<Value>| match v {
            None => "(absent)".to_owned(),
            Some(Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
        };
        format!("{}: {} → {}", self.path, show(&self.old), show(&self.new))
    }

    /// True when the path is about prices (what `--fail-above` users care about first).
    pub fn is_price(&self) -> bool {
        [
            "base_fee",
            "unit_price",
            "flat_fee",
            "fee",
            "tiers",
            "included",
            "limits",
            "amount",
            "hours",
            "hourly_rate",
            "mode",
        ]
        .iter()
        .any(|k| self.path.contains(k))
    }
}

/// What happened to a provider between base and head.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum ProviderChange {
    /// New in head.
    Added {
        /// Provider id.
        id: String,
    },
    /// Gone from head.
    Removed {
        /// Provider id.
        id: String,
    },
    /// In both, with these field changes.
    Changed {
        /// Provider id.
        id: String,
        /// Every changed field.
        fields: Vec<FieldChange>,
    },
}

/// Compares two provider lists by id.
pub fn compare(base: &[Provider], head: &[Provider]) -> Vec<ProviderChange> {
    let mut out = Vec::new();
    let mut ids: Vec<&str> = base
        .iter()
        .map(Provider::id)
        .chain(head.iter().map(Provider::id))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        match (
            base.iter().find(|p| p.id() == id),
            head.iter().find(|p| p.id() == id),
        ) {
            (None, Some(_)) => out.push(ProviderChange::Added { id: id.to_owned() }),
            (Some(_), None) => out.push(ProviderChange::Removed { id: id.to_owned() }),
            (Some(a), Some(b)) => {
                let mut fields = Vec::new();
                let (va, vb) = (
                    serde_json::to_value(a).unwrap_or(Value::Null),
                    serde_json::to_value(b).unwrap_or(Value::Null),
                );
                walk("", &va, &vb, &mut fields);
                if !fields.is_empty() {
                    out.push(ProviderChange::Changed {
                        id: id.to_owned(),
                        fields,
                    });
                }
            }
            (None, None) => {}
        }
    }
    out
}

/// Field changes between two JSON values (e.g. two versions of a scenario).
pub fn compare_values(a: &Value, b: &Value) -> Vec<FieldChange> {
    let mut out = Vec::new();
    walk("", a, b, &mut out);
    out
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}.{key}")
    }
}

fn id_of(v: &Value) -> Option<&str> {
    v.get("id").and_then(Value::as_str)
}

fn walk(path: &str, a: &Value, b: &Value, out: &mut Vec<FieldChange>) {
    if a == b {
        return;
    }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let p = join(path, k);
                match (x.get(k), y.get(k)) {
                    (Some(u), Some(v)) => walk(&p, u, v, out),
                    (u, v) => {
                        if !(is_empty(u) && is_empty(v)) {
                            out.push(FieldChange {
                                path: p,
                                old: u.cloned(),
                                new: v.cloned(),
                            });
                        }
                    }
                }
            }
        }
        (Value::Array(x), Value::Array(y))
            if x.iter().chain(y).all(|v| id_of(v).is_some()) && !(x.is_empty() && y.is_empty()) =>
        {
            let mut ids: Vec<&str> = x.iter().chain(y).filter_map(id_of).collect();
            ids.dedup();
            let mut seen = Vec::new();
            for id in ids {
                if seen.contains(&id) {
                    continue;
                }
                seen.push(id);
                let p = format!("{path}[{id}]");
                match (
                    x.iter().find(|v| id_of(v) == Some(id)),
                    y.iter().find(|v| id_of(v) == Some(id)),
                ) {
                    (Some(u), Some(v)) => walk(&p, u, v, out),
                    (u, v) => out.push(FieldChange {
                        path: p,
                        old: u.cloned(),
                        new: v.cloned(),
                    }),
                }
            }
        }
        // Lists without ids (charges, tiers) are compared position by position when their
        // lengths match, so a single changed price shows as one field.
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (u, v)) in x.iter().zip(y).enumerate() {
                walk(&format!("{path}[{i}]"), u, v, out);
            }
        }
        _ => out.push(FieldChange {
            path: path.to_owned(),
            old: Some(a.clone()),
            new: Some(b.clone()),
        }),
    }
}

fn is_empty(v: Option<&Value>) -> bool {
    matches!(v, None | Some(Value::Null))
}
