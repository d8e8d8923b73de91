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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn change(path: &str, old: Option<Value>, new: Option<Value>) -> FieldChange {
        FieldChange {
            path: path.to_owned(),
            old,
            new,
        }
    }

    #[test]
    fn describes_old_and_new_values() {
        // Strings print bare, other values as JSON, a missing side as "(absent)".
        let c = change("pricing.base_fee", Some(json!("49")), Some(json!("59")));
        assert_eq!(c.describe(), "pricing.base_fee: 49 → 59");
        let c = change("features.sdks", None, Some(json!(["go", "node"])));
        assert_eq!(c.describe(), r#"features.sdks: (absent) → ["go","node"]"#);
        let c = change("verified", Some(json!(3)), None);
        assert_eq!(c.describe(), "verified: 3 → (absent)");
    }

    #[test]
    fn price_paths_are_told_apart() {
        for path in [
            "pricing.plans[pro].base_fee",
            "pricing.plans[pro].charges[0].unit_price",
            "pricing.plans[pro].charges[0].tiers[1].flat_fee",
            "pricing.addons[x].fee",
            "pricing.plans[pro].charges[0].included",
            "pricing.plans[pro].limits",
            "pricing.one_time[0].amount",
            "pricing.maintenance.hours",
            "pricing.hourly_rate",
            "pricing.plans[pro].charges[0].mode",
        ] {
            assert!(change(path, None, None).is_price(), "{path}");
        }
        for path in [
            "features.groups.status",
            "verified",
            "sources[docs].url",
            "name",
        ] {
            assert!(!change(path, None, None).is_price(), "{path}");
        }
    }

    #[test]
    fn objects_compare_key_by_key_and_null_is_absent() {
        let a = json!({ "name": "Acme", "note": null, "ease": { "hours": 40, "portal": "ga" } });
        let b = json!({ "name": "Acme", "ease": { "hours": 60, "portal": "ga" }, "added": 1 });
        // Sorted by key: `added` (new), `ease.hours` (changed); `note` null → absent is no
        // change, and equal values are not listed.
        assert_eq!(
            compare_values(&a, &b),
            [
                change("added", None, Some(json!(1))),
                change("ease.hours", Some(json!(40)), Some(json!(60))),
            ]
        );
        assert_eq!(
            compare_values(&b, &a),
            [
                change("added", Some(json!(1)), None),
                change("ease.hours", Some(json!(60)), Some(json!(40))),
            ]
        );
        assert!(compare_values(&a, &a).is_empty());
    }

    #[test]
    fn lists_with_ids_match_by_id() {
        // Reordered plans are no change; a plan's changed fee is one field under its id; an
        // added and a removed plan are whole entries, in the order the ids first appear.
        let a = json!({ "plans": [
            { "id": "free", "fee": "0" },
            { "id": "pro", "fee": "49" },
            { "id": "old", "fee": "9" },
        ] });
        let b = json!({ "plans": [
            { "id": "pro", "fee": "59" },
            { "id": "free", "fee": "0" },
            { "id": "team", "fee": "99" },
        ] });
        assert_eq!(
            compare_values(&a, &b),
            [
                change("plans[pro].fee", Some(json!("49")), Some(json!("59"))),
                change("plans[old]", Some(json!({ "id": "old", "fee": "9" })), None),
                change(
                    "plans[team]",
                    None,
                    Some(json!({ "id": "team", "fee": "99" }))
                ),
            ]
        );
        let reordered = json!({ "plans": [
            { "id": "old", "fee": "9" },
            { "id": "pro", "fee": "49" },
            { "id": "free", "fee": "0" },
        ] });
        assert!(compare_values(&a, &reordered).is_empty());
        // From no plans to one: the plan is added under its id, not the list replaced.
        assert_eq!(
            compare_values(
                &json!({ "plans": [] }),
                &json!({ "plans": [{ "id": "pro" }] })
            ),
            [change("plans[pro]", None, Some(json!({ "id": "pro" })))]
        );
        // A repeated id is compared once (with its first entry on each side).
        let twice = json!([{ "id": "a", "v": 1 }, { "id": "b" }, { "id": "a", "v": 2 }]);
        let once = json!([{ "id": "a", "v": 3 }, { "id": "b" }]);
        assert_eq!(
            compare_values(&twice, &once),
            [change("[a].v", Some(json!(1)), Some(json!(3)))]
        );
    }

    #[test]
    fn lists_without_ids_compare_by_position_or_whole() {
        // Same length: position by position, so one changed tier price is one field.
        let a = json!({ "tiers": [{ "up_to": 10, "unit_price": "5" }, { "unit_price": "4" }] });
        let b = json!({ "tiers": [{ "up_to": 10, "unit_price": "5" }, { "unit_price": "3" }] });
        assert_eq!(
            compare_values(&a, &b),
            [change(
                "tiers[1].unit_price",
                Some(json!("4")),
                Some(json!("3"))
            )]
        );
        // Different lengths: the whole list, old and new.
        let c = json!({ "tiers": [{ "unit_price": "4" }] });
        assert_eq!(
            compare_values(&a, &c),
            [change(
                "tiers",
                Some(a["tiers"].clone()),
                Some(c["tiers"].clone())
            )]
        );
        // A value that changes type is one change at its path.
        assert_eq!(
            compare_values(
                &json!({ "fee": "10" }),
                &json!({ "fee": { "status": "unknown" } })
            ),
            [change(
                "fee",
                Some(json!("10")),
                Some(json!({ "status": "unknown" }))
            )]
        );
    }

    const ALPHA: &str = include_str!("../../tests/fixtures/scoring/golden/providers/alpha.toml");
    const BRAVO: &str = include_str!("../../tests/fixtures/scoring/golden/providers/bravo.toml");
    const CHARLIE: &str =
        include_str!("../../tests/fixtures/scoring/golden/providers/charlie.toml");

    fn provider(text: &str) -> Provider {
        toml::from_str(text).expect("a fixture provider parses")
    }

    #[test]
    fn providers_are_added_removed_or_changed_by_id() {
        // Base: alpha, bravo. Head: charlie, alpha with a new connection price, bravo as it
        // was. In id order: alpha changed (one field), charlie added; bravo unchanged is not
        // listed. And the other way round, charlie is removed.
        let base = [provider(ALPHA), provider(BRAVO)];
        let head = [
            provider(CHARLIE),
            provider(&ALPHA.replace("unit_price = \"120\"", "unit_price = \"125\"")),
            provider(BRAVO),
        ];
        let changes = compare(&base, &head);
        assert_eq!(changes.len(), 2, "{changes:?}");
        match &changes[0] {
            ProviderChange::Changed { id, fields } => {
                assert_eq!(id, "alpha");
                assert_eq!(fields.len(), 1, "{fields:?}");
                assert!(
                    fields[0].path.ends_with("unit_price") && fields[0].is_price(),
                    "{fields:?}"
                );
                assert_eq!(fields[0].old, Some(json!("120")));
                assert_eq!(fields[0].new, Some(json!("125")));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            changes[1],
            ProviderChange::Added {
                id: "charlie".into()
            }
        );
        assert_eq!(
            compare(&head, &base)[1],
            ProviderChange::Removed {
                id: "charlie".into()
            }
        );
        assert!(compare(&base, &base).is_empty());
    }
}
