//! `scimeter schema provider|scenario`: the JSON Schema printed for editors accepts every file
//! the loader accepts (the documented example, the shipped catalog, the minimal fixture), rejects
//! schema-invalid documents at the right place, is documented key by key in `docs/schema.md`,
//! and matches the copies committed next to the example (`docs/examples/*.schema.json`).
//!
//! TOML is converted to JSON the way editors (taplo / Even Better TOML) see it: TOML dates
//! become strings such as `"2026-11-01"`, which the schema describes as
//! `{ "type": "string", "format": "date" }`.

use crate::common::{fixture, repo, scimeter};
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;
use std::path::Path;

/// The two file kinds.
const KINDS: [&str; 2] = ["provider", "scenario"];

/// The schema printed by `scimeter schema <kind>`.
fn schema(kind: &str) -> Value {
    let out = scimeter()
        .args(["schema", kind])
        .output()
        .expect("scimeter runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the schema is JSON")
}

/// A validator for the schema, checking formats (so `"2026-13-01"` is not a date).
fn validator(kind: &str) -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema(kind))
        .expect("the schema compiles")
}

/// A TOML value as JSON, with dates and times as their TOML text (what editors validate).
fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(
            table
                .into_iter()
                .map(|(k, v)| (k, toml_to_json(v)))
                .collect(),
        ),
    }
}

/// Parses TOML text into the JSON editors validate.
fn toml_text_to_json(text: &str) -> Value {
    toml_to_json(toml::Value::Table(
        text.parse::<toml::Table>().expect("valid TOML"),
    ))
}

/// A TOML file as JSON.
fn toml_file_to_json(path: &Path) -> Value {
    toml_text_to_json(
        &std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
}

/// The validation errors, as `instance path: message`.
fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path))
        .collect()
}

/// The instance paths of the validation errors.
fn error_paths(validator: &jsonschema::Validator, instance: &Value) -> BTreeSet<String> {
    validator
        .iter_errors(instance)
        .map(|e| e.instance_path.to_string())
        .collect()
}

fn example(kind: &str) -> Value {
    toml_file_to_json(&repo().join(format!("docs/examples/{kind}s/example.toml")))
}

// ---------------------------------------------------------------------------- the schemas

#[test]
fn the_schemas_are_json_schema_2020_12() {
    for kind in KINDS {
        let s = schema(kind);
        assert_eq!(
            s["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{kind}"
        );
        assert_eq!(s["type"], "object", "{kind}");
        assert_eq!(
            s["additionalProperties"], false,
            "{kind}: unknown top-level keys must be rejected"
        );
        if let Err(e) = jsonschema::meta::validate(&s) {
            panic!("{kind}: the schema is not a valid JSON Schema: {e}");
        }
    }
}

#[test]
fn every_object_in_the_schemas_denies_unknown_keys() {
    // `deny_unknown_fields` everywhere in the model: editors must flag typos too.
    fn walk(kind: &str, path: &str, v: &Value) {
        match v {
            Value::Object(map) => {
                if map.contains_key("properties") {
                    assert_eq!(
                        map.get("additionalProperties"),
                        Some(&Value::Bool(false)),
                        "{kind}: `{path}` accepts unknown keys"
                    );
                }
                for (k, child) in map {
                    walk(kind, &format!("{path}/{k}"), child);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    walk(kind, &format!("{path}/{i}"), child);
                }
            }
            _ => {}
        }
    }
    for kind in KINDS {
        walk(kind, "", &schema(kind));
    }
}

#[test]
fn dates_are_strings_with_the_date_format() {
    // TOML local dates arrive in editors as strings; the schema must say so, and a converted
    // example date must validate.
    let provider = schema("provider");
    assert_eq!(provider["$defs"]["Date"]["type"], "string");
    assert_eq!(provider["$defs"]["Date"]["format"], "date");
    let doc = example("provider");
    assert_eq!(doc["verified"], "2026-11-01");
    assert_eq!(doc["sources"][0]["retrieved"], "2026-11-01");
    assert_eq!(doc["ease"]["admin_portal"]["since"], "2024-03-01");
}

// ---------------------------------------------------------------------------- accepted documents

#[test]
fn the_provider_schema_accepts_the_documented_example() {
    let errs = errors(&validator("provider"), &example("provider"));
    assert!(
        errs.is_empty(),
        "docs/examples/providers/example.toml:\n{}",
        errs.join("\n")
    );
}

#[test]
fn the_scenario_schema_accepts_the_documented_example_and_its_growth_alternatives() {
    let v = validator("scenario");
    let doc = example("scenario");
    let errs = errors(&v, &doc);
    assert!(
        errs.is_empty(),
        "docs/examples/scenarios/example.toml:\n{}",
        errs.join("\n")
    );

    let text =
        std::fs::read_to_string(repo().join("docs/examples/scenarios/example.toml")).unwrap();
    let alternatives = crate::check::commented_growth_alternatives(&text);
    assert_eq!(alternatives.len(), 4);
    for alternative in alternatives {
        let mut doc = doc.clone();
        doc["growth"] = toml_text_to_json(&alternative)["growth"].clone();
        let errs = errors(&v, &doc);
        assert!(
            errs.is_empty(),
            "growth alternative\n{alternative}\n{}",
            errs.join("\n")
        );
    }
}

/// The `*.toml` files of a catalog directory's `providers/` or `scenarios/`.
fn catalog_files(dir: &Path, kind: &str) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir.join(format!("{kind}s"))) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_schemas_accept_every_file_the_loader_accepts() {
    // What `scimeter check` accepts, the editor schema must not flag.
    for kind in KINDS {
        let v = validator(kind);
        let mut checked = 0;
        for dir in [
            repo(),
            fixture("valid/minimal"),
            repo().join("docs/examples"),
        ] {
            for file in catalog_files(&dir, kind) {
                let errs = errors(&v, &toml_file_to_json(&file));
                assert!(errs.is_empty(), "{}:\n{}", file.display(), errs.join("\n"));
                checked += 1;
            }
        }
        assert!(checked >= 2, "{kind}: no files found");
    }
}

// ---------------------------------------------------------------------------- rejected documents

/// Applies `change` to a copy of `doc` and asserts the schema rejects it at `path`.
fn assert_rejected_at(
    v: &jsonschema::Validator,
    doc: &Value,
    what: &str,
    change: impl FnOnce(&mut Value),
    path: &str,
) {
    let mut doc = doc.clone();
    change(&mut doc);
    let paths = error_paths(v, &doc);
    assert!(!paths.is_empty(), "{what}: the schema accepts it");
    assert!(
        paths.contains(path),
        "{what}: expected an error at `{path}`, got {paths:?}"
    );
}

fn object(v: &mut Value) -> &mut Map<String, Value> {
    v.as_object_mut().expect("an object")
}

#[test]
fn the_provider_schema_rejects_invalid_documents() {
    let v = validator("provider");
    let doc = example("provider");
    let tier = "/pricing/plans/1/charges/0/tiers/0";
    assert_rejected_at(
        &v,
        &doc,
        "an unknown key (unit_prize)",
        |d| {
            object(d.pointer_mut(tier).unwrap()).insert("unit_prize".into(), json!("1"));
        },
        tier,
    );
    assert_rejected_at(
        &v,
        &doc,
        "an unknown top-level key",
        |d| {
            object(d).insert("verfied".into(), json!("2026-11-01"));
        },
        "",
    );
    assert_rejected_at(
        &v,
        &doc,
        "a missing required key (name)",
        |d| {
            object(d).remove("name");
        },
        "",
    );
    assert_rejected_at(
        &v,
        &doc,
        "a missing tier unit_price",
        |d| {
            object(d.pointer_mut(tier).unwrap()).remove("unit_price");
        },
        tier,
    );
    assert_rejected_at(
        &v,
        &doc,
        "an unknown tier mode",
        |d| d["pricing"]["plans"][1]["charges"][0]["mode"] = json!("graduate"),
        "/pricing/plans/1/charges/0/mode",
    );
    assert_rejected_at(
        &v,
        &doc,
        "an unknown status",
        |d| d["features"]["groups"]["status"] = json!("yes"),
        "/features/groups/status",
    );
    assert_rejected_at(
        &v,
        &doc,
        "an unknown meter",
        |d| d["pricing"]["plans"][0]["charges"][0]["meter"] = json!("seats"),
        "/pricing/plans/0/charges/0/meter",
    );
    assert_rejected_at(
        &v,
        &doc,
        "an unknown feature in a plan",
        |d| d["pricing"]["plans"][0]["features"][2] = json!("grups"),
        "/pricing/plans/0/features/2",
    );
    assert_rejected_at(
        &v,
        &doc,
        "a path-traversal id",
        |d| d["id"] = json!("../x"),
        "/id",
    );
    assert_rejected_at(
        &v,
        &doc,
        "an upper-case plan id",
        |d| d["pricing"]["plans"][0]["id"] = json!("Starter"),
        "/pricing/plans/0/id",
    );
    assert_rejected_at(
        &v,
        &doc,
        "a negative price (number)",
        |d| d["pricing"]["addons"][0]["fee"] = json!(-5),
        "/pricing/addons/0/fee",
    );
    assert_rejected_at(
        &v,
        &doc,
        "a negative price (string)",
        |d| d["pricing"]["addons"][0]["fee"] = json!("-5"),
        "/pricing/addons/0/fee",
    );
    assert_rejected_at(
        &v,
        &doc,
        "a price that is not an amount",
        |d| d["pricing"]["plans"][0]["base_fee"] = json!("cheap"),
        "/pricing/plans/0/base_fee",
    );
    assert_rejected_at(
        &v,
        &doc,
        "a negative up_to",
        |d| d["pricing"]["plans"][1]["charges"][0]["tiers"][0]["up_to"] = json!(-1),
        "/pricing/plans/1/charges/0/tiers/0/up_to",
    );
    assert_rejected_at(
        &v,
        &doc,
        "an impossible date",
        |d| d["verified"] = json!("2026-13-01"),
        "/verified",
    );
    assert_rejected_at(
        &v,
        &doc,
        "a date of the wrong type",
        |d| d["sources"][0]["retrieved"] = json!(20_261_101),
        "/sources/0/retrieved",
    );
    assert_rejected_at(
        &v,
        &doc,
        "an unknown IdP support key",
        |d| {
            object(d.pointer_mut("/features/idps/okta").unwrap())
                .insert("grups".into(), json!("ga"));
        },
        "/features/idps/okta",
    );
}

#[test]
fn the_scenario_schema_rejects_invalid_documents() {
    let v = validator("scenario");
    let doc = example("scenario");
    assert_rejected_at(
        &v,
        &doc,
        "a horizon of 0",
        |d| d["horizon_months"] = json!(0),
        "/horizon_months",
    );
    assert_rejected_at(
        &v,
        &doc,
        "a horizon of 601",
        |d| d["horizon_months"] = json!(601),
        "/horizon_months",
    );
    assert_rejected_at(
        &v,
        &doc,
        "a horizon given as text",
        |d| d["horizon_months"] = json!("twelve"),
        "/horizon_months",
    );
    assert_rejected_at(
        &v,
        &doc,
        "a missing growth",
        |d| {
            object(d).remove("growth");
        },
        "",
    );
    assert_rejected_at(
        &v,
        &doc,
        "an unknown growth kind",
        |d| d["growth"]["kind"] = json!("exponential"),
        "/growth/kind",
    );
    assert_rejected_at(
        &v,
        &doc,
        "an unknown growth key",
        |d| {
            object(&mut d["growth"]).insert("rate".into(), json!(0.1));
        },
        "/growth",
    );
    assert_rejected_at(
        &v,
        &doc,
        "an unknown need",
        |d| d["needs"]["groups"] = json!("must"),
        "/needs/groups",
    );
    assert_rejected_at(
        &v,
        &doc,
        "an unknown weight",
        |d| {
            object(&mut d["weights"]).insert("cost".into(), json!(1));
        },
        "/weights",
    );
    assert_rejected_at(
        &v,
        &doc,
        "a weight given as text",
        |d| d["weights"]["ease"] = json!("high"),
        "/weights/ease",
    );
    assert_rejected_at(
        &v,
        &doc,
        "an unknown billing cycle",
        |d| d["billing"]["cycle"] = json!("yearly"),
        "/billing/cycle",
    );
    assert_rejected_at(
        &v,
        &doc,
        "a scenario id with a space",
        |d| d["id"] = json!("my scenario"),
        "/id",
    );
}

#[test]

fn the_schemas_reject_unknown_map_keys() {
    let v = validator("scenario");
    let doc = example("scenario");
    assert_rejected_at(
        &v,
        &doc,
        "an unknown need key",
        |d| {
            object(&mut d["needs"]).insert("provisoning".into(), json!("required"));
        },
        "/needs",
    );
    assert_rejected_at(
        &v,
        &doc,
        "an unknown IdP key",
        |d| {
            object(&mut d["idps"]).insert("entra".into(), json!(0.5));
        },
        "/idps",
    );
    let v = validator("provider");
    let doc = example("provider");
    assert_rejected_at(
        &v,
        &doc,
        "an unknown IdP key",
        |d| {
            object(d.pointer_mut("/features/idps").unwrap())
                .insert("azure".into(), json!({ "status": "ga" }));
        },
        "/features/idps",
    );
    assert_rejected_at(
        &v,
        &doc,
        "an unknown meter in limits",
        |d| {
            object(d.pointer_mut("/pricing/plans/0/limits").unwrap())
                .insert("seats".into(), json!(3));
        },
        "/pricing/plans/0/limits",
    );
}

// ---------------------------------------------------------------------------- docs and examples

/// Every property name declared anywhere in a schema.
fn property_names(v: &Value, names: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            if let Some(Value::Object(props)) = map.get("properties") {
                names.extend(props.keys().cloned());
            }
            for child in map.values() {
                property_names(child, names);
            }
        }
        Value::Array(items) => items.iter().for_each(|c| property_names(c, names)),
        _ => {}
    }
}

/// Every key used anywhere in a document.
fn document_keys(v: &Value, keys: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                keys.insert(k.clone());
                document_keys(child, keys);
            }
        }
        Value::Array(items) => items.iter().for_each(|c| document_keys(c, keys)),
        _ => {}
    }
}

#[test]
fn the_example_files_use_every_key_of_the_schema() {
    for kind in KINDS {
        let mut declared = BTreeSet::new();
        property_names(&schema(kind), &mut declared);
        let mut used = BTreeSet::new();
        document_keys(&example(kind), &mut used);
        if kind == "scenario" {
            let text = std::fs::read_to_string(repo().join("docs/examples/scenarios/example.toml"))
                .unwrap();
            for alternative in crate::check::commented_growth_alternatives(&text) {
                document_keys(&toml_text_to_json(&alternative), &mut used);
            }
        }
        let missing: Vec<_> = declared.difference(&used).collect();
        assert!(
            missing.is_empty(),
            "docs/examples/{kind}s/example.toml does not show these keys: {missing:?}"
        );
    }
}

#[test]
fn docs_schema_md_documents_every_key() {
    let doc =
        std::fs::read_to_string(repo().join("docs/schema.md")).expect("docs/schema.md exists");
    for kind in KINDS {
        let mut declared = BTreeSet::new();
        property_names(&schema(kind), &mut declared);
        let missing: Vec<_> = declared
            .iter()
            .filter(|k| !doc.contains(&format!("`{k}`")))
            .collect();
        assert!(
            missing.is_empty(),
            "docs/schema.md does not document these {kind} keys: {missing:?}"
        );
    }
    // Every enum value too (statuses, meters, features, IdPs, kinds, modes, ...).
    for kind in KINDS {
        let s = schema(kind);
        for def in s["$defs"].as_object().expect("$defs").values() {
            let values = def["enum"].as_array().into_iter().flatten().chain(
                def["oneOf"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|o| o.get("const")),
            );
            for value in values.filter_map(Value::as_str) {
                assert!(
                    doc.contains(&format!("`{value}`")),
                    "docs/schema.md does not document the value `{value}`"
                );
            }
        }
    }
}

#[test]
fn the_committed_schemas_next_to_the_example_are_up_to_date() {
    // `docs/examples/*.schema.json` are what the example files' `#:schema` directives point at.
    // Regenerate them with `UPDATE_SCHEMAS=1 cargo test --test integration schema::`.
    for kind in KINDS {
        let path = repo().join(format!("docs/examples/{kind}.schema.json"));
        let out = scimeter().args(["schema", kind]).output().unwrap();
        let current = String::from_utf8(out.stdout).unwrap();
        if std::env::var_os("UPDATE_SCHEMAS").is_some() {
            std::fs::write(&path, &current).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == current,
            "{} is stale: run `scimeter schema {kind} > docs/examples/{kind}.schema.json` (or `UPDATE_SCHEMAS=1 cargo test --test integration schema::`)",
            path.display()
        );
    }
}

#[test]
fn the_example_files_point_at_the_committed_schemas() {
    for kind in KINDS {
        let text =
            std::fs::read_to_string(repo().join(format!("docs/examples/{kind}s/example.toml")))
                .unwrap();
        assert!(
            text.starts_with(&format!("#:schema ../{kind}.schema.json\n")),
            "{kind}: the taplo directive must be the first line"
        );
    }
}

/// GitHub's anchor for a heading: lower case, punctuation dropped, spaces as `-`.
fn github_slug(heading: &str) -> String {
    heading
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

#[test]
fn docs_schema_md_renders_with_working_links_and_tables() {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let path = repo().join("docs/schema.md");
    let text = std::fs::read_to_string(&path).expect("docs/schema.md exists");

    let mut anchors = BTreeSet::new();
    let mut links = Vec::new();
    let mut heading: Option<String> = None;
    let mut tables = 0;
    for event in Parser::new_ext(&text, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                anchors.insert(github_slug(&heading.take().unwrap_or_default()));
            }
            Event::Start(Tag::Link { dest_url, .. }) => links.push(dest_url.to_string()),
            Event::Start(Tag::Table(_)) => tables += 1,
            _ => {}
        }
    }
    assert!(
        tables >= 20,
        "the tables did not parse as tables ({tables})"
    );
    for link in &links {
        if let Some(anchor) = link.strip_prefix('#') {
            assert!(
                anchors.contains(anchor),
                "docs/schema.md links to `#{anchor}`, which is no heading"
            );
        } else if !link.starts_with("http") {
            assert!(
                repo().join("docs").join(link).exists(),
                "docs/schema.md links to `{link}`, which does not exist"
            );
        }
    }

    // GFM splits table rows on every unescaped `|`, even inside code spans: every row must have
    // as many cells as its header.
    let mut in_code = false;
    let mut header_cells: Option<usize> = None;
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        }
        if in_code || !line.starts_with('|') {
            header_cells = None;
            continue;
        }
        let pipes = line
            .char_indices()
            .filter(|&(j, c)| c == '|' && !line[..j].ends_with('\\'))
            .count();
        match header_cells {
            None => header_cells = Some(pipes),
            Some(n) => assert_eq!(
                pipes,
                n,
                "docs/schema.md:{}: a table row with a different number of cells:\n{line}",
                i + 1
            ),
        }
    }
}
