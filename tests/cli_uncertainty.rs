//! The uncertainty interfaces through the real binary: the estimated view next to the
//! published one, P(cheapest), joint robustness, questions, seeds and draws, buyer quotes, and
//! the errors a bad range or quote gets.

use crate::common::{copy_dir, repo, scimeter};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A copy of the shipped catalog in a temp dir.
fn shipped_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let dir = tmp.path().join("catalog");
    for sub in ["providers", "scenarios"] {
        copy_dir(&repo().join(sub), &dir.join(sub));
    }
    (tmp, dir)
}

fn run(catalog: &Path, args: &[&str]) -> std::process::Output {
    scimeter()
        .arg("--catalog")
        .arg(catalog)
        .args(args)
        .output()
        .expect("scimeter runs")
}

fn ok(catalog: &Path, args: &[&str]) -> String {
    let out = run(catalog, args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn json(catalog: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&ok(catalog, args)).expect("JSON")
}

/// A few hundred draws keep these tests fast; the figures are checked for structure and
/// invariants, not for values.
const FAST: [&str; 2] = ["--draws", "400"];

#[test]
fn cost_json_has_published_and_estimated_with_p_cheapest_summing_to_one() {
    let (_tmp, dir) = shipped_copy();
    let doc = json(
        &dir,
        &[
            &["cost", "-s", "baseline", "--format", "json"][..],
            &FAST[..],
        ]
        .concat(),
    );
    assert_eq!(doc["draws"], 400);
    assert_eq!(doc["seed"], 42);
    let rows = doc["rows"].as_array().unwrap();
    let mut sums = std::collections::BTreeMap::new();
    let mut defined = 0;
    for r in rows {
        assert!(
            r["published"]["quote"]["recurring"]["status"].is_string(),
            "{r}"
        );
        let e = &r["estimated"];
        if let Some(p50) = e["p50"].as_str() {
            defined += 1;
            let v = |k: &str| e[k].as_str().unwrap().parse::<f64>().unwrap();
            assert!(v("p10") <= v("p50") && v("p50") <= v("p90"), "{e}");
            assert!(p50.contains('.'), "money is a decimal string: {p50}");
            *sums.entry(r["customers"].as_u64().unwrap()).or_insert(0.0) +=
                e["p_cheapest"].as_f64().unwrap();
        } else {
            assert!(e["p_cheapest"].is_null(), "{e}");
            assert!(e["reason"].as_str().is_some_and(|s| !s.is_empty()), "{e}");
        }
    }
    assert!(defined > 0, "some provider has a defined estimate");
    for (n, s) in sums {
        assert!((s - 1.0).abs() < 1e-9, "P(cheapest) at {n} sums to {s}");
    }
}

#[test]
fn rank_json_reports_weights_only_and_joint_first_place() {
    let (_tmp, dir) = shipped_copy();
    let doc = json(
        &dir,
        &[
            &["rank", "-s", "baseline", "--format", "json"][..],
            &FAST[..],
        ]
        .concat(),
    );
    let ranked = doc["ranking"]["ranked"].as_array().unwrap();
    let joint: f64 = ranked
        .iter()
        .map(|r| r["p_first_joint"].as_f64().unwrap())
        .sum();
    let weights: f64 = ranked
        .iter()
        .map(|r| r["p_first_weights"].as_f64().unwrap())
        .sum();
    assert!((joint - 1.0).abs() < 1e-9 && (weights - 1.0).abs() < 1e-9);
    let headline = doc["robustness"]["headline"].as_str().unwrap();
    assert!(
        headline.contains('%') && headline.contains("joint draws"),
        "{headline}"
    );
}

#[test]
fn questions_json_is_ordered_by_impact_and_names_vendors() {
    let (_tmp, dir) = shipped_copy();
    let doc = json(
        &dir,
        &[
            &["questions", "-s", "baseline", "--format", "json"][..],
            &FAST[..],
        ]
        .concat(),
    );
    let qs = doc.as_array().unwrap();
    assert!(!qs.is_empty());
    for w in qs.windows(2) {
        assert!(w[0]["impact"].as_f64() >= w[1]["impact"].as_f64());
    }
    for q in qs {
        let provider = q["provider"].as_str().unwrap();
        let question = q["question"].as_str().unwrap();
        assert!(question.starts_with(provider), "{question}");
    }
    // The unstated WorkOS tier mode is one of the questions.
    assert!(
        qs.iter().any(|q| q["input"] == "workos:pricing.tier_mode"
            && q["question"].as_str().unwrap().contains("graduated")),
        "{doc:#}"
    );
}

fn seeded_cost(seed: &str) -> Vec<&str> {
    vec![
        "cost", "-s", "baseline", "--format", "json", "--draws", "300", "--seed", seed,
    ]
}

#[test]
fn the_same_seed_is_byte_identical_and_another_seed_changes_only_estimates() {
    let (_tmp, dir) = shipped_copy();
    let a = ok(&dir, &seeded_cost("7"));
    assert_eq!(a, ok(&dir, &seeded_cost("7")));
    let b = ok(&dir, &seeded_cost("8"));
    assert_ne!(a, b);
    let (a, b): (Value, Value) = (
        serde_json::from_str(&a).unwrap(),
        serde_json::from_str(&b).unwrap(),
    );
    let rows = |v: &Value| v["rows"].as_array().unwrap().clone();
    for (x, y) in rows(&a).iter().zip(rows(&b).iter()) {
        assert_eq!(
            x["published"], y["published"],
            "published figures never move"
        );
    }
}

#[test]
fn draws_out_of_range_are_usage_errors() {
    let (_tmp, dir) = shipped_copy();
    for n in ["0", "1000001"] {
        let out = run(&dir, &["cost", "-s", "baseline", "--draws", n]);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("`--draws`") && err.contains("1000000"),
            "{err}"
        );
    }
}

const WORKOS_TOP: &str = "pricing.plans.pay-as-you-go.charges.0.tiers.5.unit_price";

fn write_quote(dir: &Path, path: &str, amount: &str) -> PathBuf {
    let file = dir.join("buyer-quotes.toml");
    std::fs::write(
        &file,
        format!(
            "[[quotes]]\nprovider = \"workos\"\nprice = \"{path}\"\namount = \"{amount}\"\ndate = 2026-11-20\nby = \"Jane Doe, WorkOS\"\n"
        ),
    )
    .unwrap();
    file
}

#[test]
fn a_quote_overrides_exactly_the_path_it_names_and_is_labelled() {
    let (tmp, dir) = shipped_copy();
    let quote = write_quote(tmp.path(), WORKOS_TOP, "40");
    let q = quote.to_str().unwrap();
    let base = [
        "cost", "-s", "retrofit", "--at", "100,1000", "--format", "csv", "--draws", "50",
    ];
    let before = ok(&dir, &base);
    let after = ok(&dir, &[&base[..], &["--quotes", q][..]].concat());
    let (before, after): (Vec<&str>, Vec<&str>) =
        (before.lines().collect(), after.lines().collect());
    assert_eq!(before.len(), after.len());
    let header: Vec<&str> = before[0].split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    for (b, a) in before.iter().zip(&after).skip(1) {
        if a.contains(",workos,") {
            continue;
        }
        assert_eq!(b, a, "a quote for WorkOS changed another provider");
    }
    // WorkOS at 1,000 uses units 201+, so the quote applies there and is labelled.
    let row = after
        .iter()
        .find(|l| l.contains(",workos,1000,"))
        .unwrap()
        .split(',')
        .collect::<Vec<_>>();
    assert_eq!(row[col("uses_quotes")], "true");
    // At 100 connections the 201+ band is not reached: not labelled, same figures.
    let row100 = after.iter().find(|l| l.contains(",workos,100,")).unwrap();
    assert!(row100.contains(",false,false,"), "{row100}");
    // The explanation names who quoted it.
    let explained = ok(&dir, &[EXPLAIN_WORKOS_AT_1000, &[q]].concat());
    assert!(explained.contains("(quote)"), "{explained}");
    assert!(
        explained.contains("by Jane Doe, WorkOS on 2026-11-20"),
        "{explained}"
    );
}

/// `cost` explaining `WorkOS` at 1,000 customers in `retrofit`, up to its `--quotes` path.
const EXPLAIN_WORKOS_AT_1000: &[&str] = &[
    "cost",
    "-s",
    "retrofit",
    "--at",
    "1000",
    "--providers",
    "workos",
    "--explain",
    "--draws",
    "50",
    "--quotes",
];

/// A `--quotes` file is a quotes file however its path is spelled: one at
/// `providers/buyer.toml` relative to the working directory (outside the catalog) used to be
/// parsed as a provider and rejected for its missing `id`.
#[test]
fn a_quotes_file_under_a_folder_named_providers_is_still_quotes() {
    let (tmp, dir) = shipped_copy();
    let outside = tmp.path().join("providers");
    std::fs::create_dir_all(&outside).unwrap();
    let file = write_quote(&outside, WORKOS_TOP, "40");
    std::fs::rename(&file, outside.join("buyer.toml")).unwrap();
    let out = scimeter()
        .current_dir(tmp.path())
        .arg("--catalog")
        .arg(&dir)
        .args(EXPLAIN_WORKOS_AT_1000)
        .arg("providers/buyer.toml")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("by Jane Doe, WorkOS on 2026-11-20"),
        "{stdout}"
    );
}

#[test]
fn a_catalog_quotes_directory_is_read() {
    let (_tmp, dir) = shipped_copy();
    std::fs::create_dir_all(dir.join("quotes")).unwrap();
    let file = write_quote(&dir.join("quotes"), WORKOS_TOP, "40");
    assert!(file.starts_with(dir.join("quotes")));
    let out = ok(
        &dir,
        &[
            "cost",
            "-s",
            "retrofit",
            "--at",
            "1000",
            "--providers",
            "workos",
            "--draws",
            "50",
        ],
    );
    assert!(out.contains("(quote)"), "{out}");
}

#[test]
fn a_quote_for_an_unknown_path_is_a_located_error_with_a_suggestion() {
    let (tmp, dir) = shipped_copy();
    let quote = write_quote(
        tmp.path(),
        "pricing.plans.pay-as-you-go.charges.0.tiers.5.unit_prise",
        "40",
    );
    let out = run(
        &dir,
        &[
            "cost",
            "-s",
            "retrofit",
            "--quotes",
            quote.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not a price of provider `workos`"), "{err}");
    assert!(err.contains("buyer-quotes.toml:3:9"), "{err}");
    assert!(
        err.contains(&format!("did you mean `{WORKOS_TOP}`?")),
        "{err}"
    );
}

#[test]
fn bad_ranges_are_located_errors() {
    let (_tmp, dir) = shipped_copy();
    // low > likely in a provider estimate.
    let p = dir.join("providers/workos.toml");
    let text = std::fs::read_to_string(&p).unwrap();
    let bad = text.replacen(
        "estimate = { low = \"25\", likely = \"37.5\"",
        "estimate = { low = \"45\", likely = \"37.5\"",
        1,
    );
    assert_ne!(text, bad, "the fixture text is in workos.toml");
    std::fs::write(&p, bad).unwrap();
    // A range where a number cannot vary.
    let s = dir.join("scenarios/baseline.toml");
    let text = std::fs::read_to_string(&s).unwrap();
    let bad = text.replacen(
        "directory_connections = 1",
        "directory_connections = { low = 1, high = 2 }",
        1,
    );
    assert_ne!(text, bad);
    std::fs::write(&s, bad).unwrap();
    let out = run(&dir, &["check"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not ordered: low 45, likely 37.5"), "{err}");
    assert!(err.contains("providers/workos.toml:"), "{err}");
    assert!(err.contains("scenarios/baseline.toml:"), "{err}");
    assert!(err.contains("usage.directory_connections"), "{err}");
}
