//! `scimeter report` through the real binary, on the small catalog in
//! `tests/fixtures/report/catalog/` (three pricing models, one partly contact-sales; two short
//! scenarios; the hand arithmetic is in the provider files' comments and below).
//!
//! - every text file of the report (`summary.md`, `README.md`, the CSVs, `report.json`, the
//!   manifest) is an insta snapshot (`tests/snapshots/integration__cli_report__*.snap`); the
//!   hand-checked figures are also asserted directly, so a snapshot update cannot silently
//!   accept a wrong number;
//! - two runs into two directories give byte-identical files, PNGs included;
//! - a run that fails part-way leaves the previous reports byte-identical, exits 2 with a
//!   clear message, and leaves no staging directory; `--check` lists differing, missing and
//!   no-longer-generated files, writes nothing, and ignores files scimeter did not write;
//! - the markdown parses as GitHub-flavoured tables, footnotes resolve and relative links
//!   point at generated files;
//! - SVGs are well-formed XML with their titles; PNGs decode at 1100×640;
//! - the committed `reports/` of the shipped catalog are fresh and name a winner per scenario.

use crate::common::{copy_dir, fixture, repo, scimeter};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Output;
use std::str::FromStr;
use std::sync::OnceLock;

/// A directory tree: relative path (with `/`) → bytes.
type Tree = BTreeMap<String, Vec<u8>>;

/// The fixture catalog (never written to: every run on it passes `--out`).
fn catalog() -> std::path::PathBuf {
    fixture("report/catalog")
}

/// Every file under `dir`, recursively, by relative path.
fn tree(dir: &Path) -> Tree {
    fn walk(root: &Path, dir: &Path, out: &mut Tree) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap();
                let rel = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = Tree::new();
    walk(dir, dir, &mut out);
    out
}

/// Runs `scimeter --catalog CATALOG report ARGS` in `cwd`.
fn report_in(cwd: &Path, catalog: &Path, args: &[&str]) -> Output {
    scimeter()
        .current_dir(cwd)
        .arg("--catalog")
        .arg(catalog)
        .arg("report")
        .args(args)
        .output()
        .expect("scimeter runs")
}

/// Expects exit `code`, no panic, and returns (stdout, stderr).
fn expect_code(out: &Output, code: i32, what: &str) -> (String, String) {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(code),
        "{what}: expected exit {code}\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{what} panicked:\n{stderr}");
    (stdout, stderr)
}

/// Generates the fixture's reports into `out` (which must not be inside the fixture).
fn generate(out: &Path) {
    let run = report_in(&repo(), &catalog(), &["--out", out.to_str().unwrap()]);
    let (stdout, stderr) = expect_code(&run, 0, "report --out");
    assert!(stderr.is_empty(), "report wrote to stderr:\n{stderr}");
    assert!(stdout.starts_with("wrote "), "{stdout}");
}

/// The fixture's reports, generated once per test binary and kept in memory.
fn generated() -> &'static Tree {
    static FILES: OnceLock<Tree> = OnceLock::new();
    FILES.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("reports");
        generate(&out);
        tree(&out)
    })
}

/// One generated text file.
fn text(rel: &str) -> &'static str {
    let bytes = generated()
        .get(rel)
        .unwrap_or_else(|| panic!("`{rel}` was not generated"));
    std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("`{rel}` is not UTF-8: {e}"))
}

/// Names of staging entries (`.scimeter-staging*`) left in `dir` or `dir/reports`.
fn staging_leftovers(dir: &Path) -> Vec<String> {
    [dir.to_path_buf(), dir.join("reports")]
        .iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flat_map(|rd| rd.filter_map(Result::ok))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".scimeter-staging"))
        .collect()
}

/// CSV rows as maps from header to value (the report CSVs have no quoted commas in the
/// columns these tests read).
fn csv_rows(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap_or_else(|e| panic!("`{s}` is not a decimal: {e}"))
}

// ------------------------------------------------------------------ the fixture

#[test]
fn fixture_catalog_is_valid() {
    let out = scimeter()
        .arg("--catalog")
        .arg(catalog())
        .arg("check")
        .output()
        .unwrap();
    expect_code(&out, 0, "check of the report fixture");
    assert!(
        !catalog().join("reports").exists(),
        "the fixture must not hold generated reports"
    );
}

#[test]
fn every_expected_file_is_generated() {
    let files: Vec<&str> = generated().keys().map(String::as_str).collect();
    let mut expected = vec![".scimeter-manifest", "README.md"];
    let per_scenario = [
        "axis-contributions.png",
        "axis-contributions.svg",
        "cost-vs-customers.png",
        "cost-vs-customers.svg",
        "costs.csv",
        "cumulative-cost.png",
        "cumulative-cost.svg",
        "milestones.csv",
        "monthly-cost.png",
        "monthly-cost.svg",
        "ranking.csv",
        "report.json",
        "summary.md",
    ];
    let names: Vec<String> = ["growth", "steady"]
        .iter()
        .flat_map(|s| per_scenario.iter().map(move |f| format!("{s}/{f}")))
        .collect();
    expected.extend(names.iter().map(String::as_str));
    expected.push("index.html");
    expected.push("workbook.xlsx");
    expected.sort_unstable();
    assert_eq!(files, expected);
    // The manifest lists exactly the generated files (itself included).
    let listed: Vec<&str> = text(".scimeter-manifest")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect();
    assert_eq!(listed, expected);
}

// ------------------------------------------------------------------ snapshots

/// Snapshots one generated text file.
fn snap(name: &str, rel: &str, text: &str) {
    insta::with_settings!({
        description => format!("scimeter --catalog tests/fixtures/report/catalog report: {rel}"),
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn snapshot_readme() {
    snap("readme_md", "README.md", text("README.md"));
}

#[test]
fn snapshot_manifest() {
    snap("manifest", ".scimeter-manifest", text(".scimeter-manifest"));
}

#[test]
fn snapshot_growth_summary() {
    snap(
        "growth_summary_md",
        "growth/summary.md",
        text("growth/summary.md"),
    );
}

#[test]
fn snapshot_steady_summary() {
    snap(
        "steady_summary_md",
        "steady/summary.md",
        text("steady/summary.md"),
    );
}

#[test]
fn snapshot_csvs() {
    for s in ["growth", "steady"] {
        for f in ["ranking", "milestones", "costs"] {
            let rel = format!("{s}/{f}.csv");
            snap(&format!("{s}_{f}_csv"), &rel, text(&rel));
        }
    }
}

#[test]
fn snapshot_report_json() {
    // The generator names the crate version; keep the snapshot stable across releases.
    let version = format!("\"scimeter {}\"", env!("CARGO_PKG_VERSION"));
    for s in ["growth", "steady"] {
        let rel = format!("{s}/report.json");
        let body = text(&rel);
        assert!(body.contains(&version), "{rel} names no generator");
        let body = body.replace(&version, "\"scimeter [version]\"");
        snap(&format!("{s}_report_json"), &rel, &body);
    }
}

// ------------------------------------------------------------------ the figures, by hand

/// The milestone costs, checked against the fixture's prices:
/// - conn (graduated 1–20 at $50, 21+ at $40): 10 → 10 × 50 = 500; 50 → 20 × 50 + 30 × 40 =
///   1,000 + 1,200 = 2,200; one-time setup 600; first year at 10 = 12 × 500 + 600 = 6,600;
///   in `steady` (one directory per 5 customers, rounded up) 10 → 2 × 50 = 100 and
///   30 → 6 × 50 = 300;
/// - bundle ($300 with 25 SSO connections, then $15): 10 → 300; 50 → 300 + 25 × 15 = 675;
///   30 → 300 + 5 × 15 = 375;
/// - gated (Team $90 + $25 a connection, at most 20; Enterprise contact sales + $10):
///   10 → 90 + 250 = 340; 50 → Enterprise, at least 50 × 10 = 500 + unknown; excluded from
///   `steady`, which requires groups.
#[test]
fn milestone_costs_match_the_hand_arithmetic() {
    let mut got = BTreeMap::new();
    for s in ["growth", "steady"] {
        for r in csv_rows(text(&format!("{s}/milestones.csv"))) {
            got.insert(
                (s, r["provider"].clone(), r["customers"].clone()),
                (
                    r["plan"].clone(),
                    r["status"].clone(),
                    r["monthly"].clone(),
                    r["one_time"].clone(),
                    r["first_year"].clone(),
                ),
            );
        }
    }
    let row = |plan: &str, status: &str, monthly: &str, one_time: &str, first_year: &str| {
        (
            plan.to_owned(),
            status.to_owned(),
            monthly.to_owned(),
            one_time.to_owned(),
            first_year.to_owned(),
        )
    };
    let key = |s: &'static str, p: &str, n: &str| (s, p.to_owned(), n.to_owned());
    let want = BTreeMap::from([
        (
            key("growth", "conn", "10"),
            row("standard", "exact", "500.00", "600.00", "6600.00"),
        ),
        (
            key("growth", "conn", "50"),
            row("standard", "exact", "2200.00", "600.00", "27000.00"),
        ),
        (
            key("growth", "bundle", "10"),
            row("growth", "exact", "300.00", "0.00", "3600.00"),
        ),
        (
            key("growth", "bundle", "50"),
            row("growth", "exact", "675.00", "0.00", "8100.00"),
        ),
        (
            key("growth", "gated", "10"),
            row("team", "exact", "340.00", "0.00", "4080.00"),
        ),
        (
            key("growth", "gated", "50"),
            row("enterprise", "at_least", "500.00", "0.00", "6000.00"),
        ),
        (
            key("steady", "conn", "10"),
            row("standard", "exact", "100.00", "600.00", "1800.00"),
        ),
        (
            key("steady", "conn", "30"),
            row("standard", "exact", "300.00", "600.00", "4200.00"),
        ),
        (
            key("steady", "bundle", "10"),
            row("growth", "exact", "300.00", "0.00", "3600.00"),
        ),
        (
            key("steady", "bundle", "30"),
            row("growth", "exact", "375.00", "0.00", "4500.00"),
        ),
        // Unavailable: no one-time cost either (not `0.00`).
        (
            key("steady", "gated", "10"),
            row("", "unavailable", "", "", ""),
        ),
        (
            key("steady", "gated", "30"),
            row("", "unavailable", "", "", ""),
        ),
    ]);
    assert_eq!(got, want);

    // The same figures as the summary shows them.
    let growth = text("growth/summary.md");
    assert!(growth.contains(
        "| Conn Co[^conn] | Standard | $500.00 | $50.00 | $2,200.00 | $44.00 | $600.00 |"
    ));
    assert!(growth.contains("$340.00 | $34.00 | ≥ $500.00 + unknown | — |"));
    // Budgets: Conn Co at 10 is $500 a month → $6,000 a year, plus its $600 one-time setup
    // in month 1 → $6,600 in the first year; at 50, $2,200 → $26,400 and $27,000. Gated Co at
    // 50 is partly unpublished, so its annual cost is a floor: 12 × $500 = $6,000.
    assert!(growth.contains("| Conn Co | $6,000.00 | $6,600.00 | $26,400.00 | $27,000.00 |"));
    assert!(growth.contains("| Gated Co | $4,080.00 | $4,080.00 | ≥ $6,000.00 + unknown |"));
    assert!(growth.contains("**Gated Co** at 50: Enterprise plan: contact sales"));
    // Cheapest by effective monthly cost over the scenario's 5–60 customers (conn's one-time
    // 600 spread over 12 months = 50): 5–8: gated (5: 90 + 125 = 215 < conn 250 + 50 = 300 =
    // bundle 300; 8: 290 < bundle 300); 9+: bundle (9: 300 < gated 315; over 20 customers
    // gated's price is unpublished, so it drops out).
    assert!(
        growth.contains("(5–60 customers): 5–8: Gated Co · 9+: Bundle Co"),
        "{growth}"
    );
    assert!(growth.contains(
        "- 9 customers (month 2): Bundle Co becomes cheaper than Gated Co ($300.00 vs $315.00)"
    ));
    // Cumulative: gated 215 + 340 + 465 = 1,020 > bundle 3 × 300 = 900 in month 3.
    assert!(
        growth
            .contains("- month 3: Bundle Co becomes cheaper than Gated Co ($900.00 vs $1,020.00)")
    );
    // Steady: see the arithmetic in `scenarios/steady.toml` (10–15 conn, 16–20 tie, 21+ bundle).
    let steady = text("steady/summary.md");
    assert!(
        steady.contains(
            "(10–30 customers): 10–15: Conn Co · 16–20: Bundle Co = Conn Co · 21+: Bundle Co"
        ),
        "{steady}"
    );
    assert!(steady.contains(
        "- 21 customers (month 1): Bundle Co becomes cheaper than Conn Co ($300.00 vs $350.00)"
    ));
    assert!(steady.contains("- **Gated Co**: `groups` is required but is `none`"));
}

/// Line items sum exactly to each month's total in `report.json`, and the cumulative cost is
/// the running sum of the totals (all known costs; unknown lines have an empty amount).
#[test]
fn cost_lines_sum_to_the_json_totals() {
    for s in ["growth", "steady"] {
        let mut lines: BTreeMap<(String, u32), (Decimal, bool)> = BTreeMap::new();
        for r in csv_rows(text(&format!("{s}/costs.csv"))) {
            let e = lines
                .entry((r["provider"].clone(), r["month"].parse().unwrap()))
                .or_insert((Decimal::ZERO, false));
            if r["amount"].is_empty() {
                e.1 = true;
            } else {
                e.0 += dec(&r["amount"]);
            }
        }
        let json: Value = serde_json::from_str(text(&format!("{s}/report.json"))).unwrap();
        assert_eq!(json["schema_version"], 2);
        let mut checked = 0;
        for series in json["projection"]["series"].as_array().unwrap() {
            let provider = series["provider"].as_str().unwrap();
            let mut running = Decimal::ZERO;
            for m in series["months"].as_array().unwrap() {
                let month = u32::try_from(m["month"].as_u64().unwrap()).unwrap();
                let total = &m["total"];
                let Some((sum, unknown)) = lines.get(&(provider.to_owned(), month)) else {
                    panic!("{s}: no cost lines for {provider} in month {month}");
                };
                match total["status"].as_str().unwrap() {
                    "known" => {
                        assert!(
                            !unknown,
                            "{s}/{provider}/{month}: known total, unknown line"
                        );
                        assert_eq!(
                            dec(total["amount"].as_str().unwrap()),
                            *sum,
                            "{s}/{provider}/{month}"
                        );
                        running += *sum;
                        assert_eq!(
                            dec(m["cumulative"]["amount"].as_str().unwrap()),
                            running,
                            "{s}/{provider}/{month}: cumulative"
                        );
                        checked += 1;
                    }
                    "at_least" => {
                        assert!(
                            unknown,
                            "{s}/{provider}/{month}: at_least without an unknown line"
                        );
                        assert_eq!(
                            dec(total["floor"].as_str().unwrap()),
                            *sum,
                            "{s}/{provider}/{month}"
                        );
                        assert_eq!(m["cumulative"]["status"], "at_least");
                        checked += 1;
                    }
                    _ => {}
                }
            }
        }
        // growth: 3 providers × 12 months (gated at least-known from month 5); steady: conn
        // and bundle × 6 months (gated is unavailable).
        assert_eq!(
            checked,
            if s == "growth" { 36 } else { 12 },
            "{s}: months checked"
        );
    }
    // growth, conn, month 1: 5 connections × 50 = 250, plus the 600 setup fee = 850.
    let json: Value = serde_json::from_str(text("growth/report.json")).unwrap();
    let conn = json["projection"]["series"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["provider"] == "conn")
        .unwrap();
    assert_eq!(conn["months"][0]["total"]["amount"], "850.00");
    // Month 2: 10 × 50 = 500; cumulative 850 + 500 = 1,350.
    assert_eq!(conn["months"][1]["cumulative"]["amount"], "1350.00");
}

/// The ranking's total is the sum of the weighted axis points (to the CSV's 4 decimals).
#[test]
fn ranking_totals_are_weighted_sums() {
    for s in ["growth", "steady"] {
        for r in csv_rows(text(&format!("{s}/ranking.csv"))) {
            if !r["excluded_because"].is_empty() {
                assert_eq!(r["provider"], "gated");
                assert!(r["total"].is_empty());
                continue;
            }
            let total: f64 = r["total"].parse().unwrap();
            let sum: f64 = [
                "ease",
                "features",
                "pricing",
                "integration",
                "prerequisites",
            ]
            .iter()
            .map(|a| r[&format!("{a}_weighted")].parse::<f64>().unwrap())
            .sum();
            assert!(
                (total - sum).abs() < 5e-4,
                "{s}/{}: {total} vs {sum}",
                r["provider"]
            );
        }
    }
}

// ------------------------------------------------------------------ determinism

#[test]
fn two_runs_give_byte_identical_files() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    generate(&a);
    generate(&b);
    let (ta, tb) = (tree(&a), tree(&b));
    assert_eq!(
        ta.keys().collect::<Vec<_>>(),
        tb.keys().collect::<Vec<_>>(),
        "different file lists"
    );
    let differing: Vec<&String> = ta
        .iter()
        .filter(|(k, v)| tb[*k] != **v)
        .map(|(k, _)| k)
        .collect();
    assert!(
        differing.is_empty(),
        "files differ between two runs: {differing:?}"
    );
    assert!(
        ta.keys()
            .any(|k| Path::new(k).extension().is_some_and(|e| e == "png"))
    );
    // And equal to the run that feeds the other tests (a third directory, another time).
    assert!(ta == *generated(), "a third run differs");
    assert!(staging_leftovers(dir.path()).is_empty());
}

// ------------------------------------------------------------------ atomicity and --check

/// Generates the reports of a copy of the fixture, puts an obstacle in the output directory
/// (`block`), changes a price so every report file must be rewritten, and runs again: the
/// run must fail with exit 2 naming `blocked`, leave every file byte-identical and leave no
/// staging directory. `unblock` then removes the obstacle and a third run must succeed.
fn fails_and_restores(blocked: &str, block: impl Fn(&Path), unblock: impl Fn(&Path)) {
    let dir = tempfile::tempdir().unwrap();
    let cat = dir.path().join("cat");
    copy_dir(&catalog(), &cat);
    let first = report_in(dir.path(), Path::new("cat"), &[]);
    expect_code(&first, 0, "first report");
    let reports = cat.join("reports");
    block(&reports);
    // A price change, so every report file differs and must be rewritten.
    let conn = cat.join("providers/conn.toml");
    let toml = std::fs::read_to_string(&conn).unwrap();
    assert!(toml.contains("unit_price = \"50\""));
    std::fs::write(
        &conn,
        toml.replace("unit_price = \"50\"", "unit_price = \"55\""),
    )
    .unwrap();
    let before = tree(&reports);

    let second = report_in(dir.path(), Path::new("cat"), &[]);
    let (stdout, stderr) = expect_code(&second, 2, "report into a blocked directory");
    assert!(stdout.is_empty(), "stdout on failure:\n{stdout}");
    assert!(stderr.starts_with("error"), "{stderr}");
    assert!(
        stderr.contains("cannot write") && stderr.contains(&format!("reports/{blocked}")),
        "the message names the path that could not be written:\n{stderr}"
    );
    let after = tree(&reports);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "the file list changed"
    );
    let changed: Vec<&String> = before
        .iter()
        .filter(|(k, v)| after[*k] != **v)
        .map(|(k, _)| k)
        .collect();
    assert!(
        changed.is_empty(),
        "files changed by a failed run: {changed:?}"
    );
    assert!(
        staging_leftovers(&cat).is_empty(),
        "staging left in {}",
        cat.display()
    );
    assert!(staging_leftovers(dir.path()).is_empty());

    // Once the obstacle is gone the same run succeeds.
    unblock(&reports);
    expect_code(
        &report_in(dir.path(), Path::new("cat"), &[]),
        0,
        "report after the fix",
    );
    assert!(tree(&reports) != before, "the price change was not written");
}

#[test]
fn a_failure_part_way_leaves_the_previous_reports_intact() {
    // A regular file where the `steady` report directory must go. The files are moved into
    // place in path order, so README.md and every `growth/` file are replaced before the
    // move into `steady/` fails, and must be rolled back.
    fails_and_restores(
        "steady",
        |reports| {
            std::fs::remove_dir_all(reports.join("steady")).unwrap();
            std::fs::write(reports.join("steady"), "a file in the way\n").unwrap();
        },
        |reports| std::fs::remove_file(reports.join("steady")).unwrap(),
    );
}

#[test]
fn a_failure_replacing_an_existing_file_leaves_the_previous_reports_intact() {
    // A non-empty directory where `steady/summary.md` must go, with every other previous
    // file of `steady/` in place (and byte-identical afterwards).
    fails_and_restores(
        "steady/summary.md",
        |reports| {
            let target = reports.join("steady/summary.md");
            std::fs::remove_file(&target).unwrap();
            std::fs::create_dir(&target).unwrap();
            std::fs::write(target.join("in-the-way.txt"), "x\n").unwrap();
        },
        |reports| std::fs::remove_dir_all(reports.join("steady/summary.md")).unwrap(),
    );
}

/// Parses `--check` output into (label, file) pairs.
fn check_lines(stdout: &str) -> BTreeSet<(String, String)> {
    stdout
        .lines()
        .skip(1)
        .map(|l| {
            let (label, file) = l
                .trim()
                .split_once(": ")
                .unwrap_or_else(|| panic!("odd line `{l}`"));
            (label.to_owned(), file.to_owned())
        })
        .collect()
}

#[test]
fn check_lists_stale_files_writes_nothing_and_ignores_foreign_files() {
    let dir = tempfile::tempdir().unwrap();
    let cat = dir.path().join("cat");
    copy_dir(&catalog(), &cat);
    let reports = cat.join("reports");
    let run = |args: &[&str]| report_in(dir.path(), Path::new("cat"), args);

    // Nothing generated yet: everything is missing, and nothing is created.
    let (stdout, _) = expect_code(&run(&["--check"]), 1, "check before any report");
    assert!(stdout.starts_with("`cat/reports` is stale"), "{stdout}");
    assert_eq!(check_lines(&stdout).len(), generated().len());
    assert!(check_lines(&stdout).iter().all(|(l, _)| l == "missing"));
    assert!(!reports.exists(), "--check created the output directory");

    expect_code(&run(&[]), 0, "report");
    // Files scimeter did not write: never reported, never deleted.
    let foreign = ["NOTES.md", "growth/my-notes.txt", "steady/keep.txt"];
    for f in foreign {
        std::fs::write(reports.join(f), "mine\n").unwrap();
    }
    let (stdout, stderr) = expect_code(&run(&["--check"]), 0, "check when up to date");
    assert_eq!(
        stdout,
        format!(
            "`cat/reports` is up to date ({} files)\n",
            generated().len()
        )
    );
    assert!(stderr.is_empty(), "{stderr}");

    // Make it stale three ways: a price change (differs), a deleted report file (missing),
    // a deleted scenario (no longer generated).
    let conn = cat.join("providers/conn.toml");
    let toml = std::fs::read_to_string(&conn).unwrap();
    std::fs::write(
        &conn,
        toml.replace("unit_price = \"50\"", "unit_price = \"55\""),
    )
    .unwrap();
    std::fs::remove_file(reports.join("growth/milestones.csv")).unwrap();
    std::fs::remove_file(cat.join("scenarios/steady.toml")).unwrap();
    let before = tree(&reports);
    let (stdout, stderr) = expect_code(&run(&["--check"]), 1, "check when stale");
    assert!(stderr.is_empty(), "{stderr}");
    assert!(
        stdout.starts_with("`cat/reports` is stale: run `scimeter report` and commit the result\n"),
        "{stdout}"
    );
    let lines = check_lines(&stdout);
    let of = |label: &str| -> BTreeSet<&str> {
        lines
            .iter()
            .filter(|(l, _)| l == label)
            .map(|(_, f)| f.as_str())
            .collect()
    };
    assert_eq!(of("missing"), BTreeSet::from(["growth/milestones.csv"]));
    let gone: BTreeSet<&str> = generated()
        .keys()
        .filter(|k| k.starts_with("steady/"))
        .map(String::as_str)
        .collect();
    assert_eq!(of("no longer generated"), gone);
    let differs = of("differs");
    for f in [
        ".scimeter-manifest",
        "README.md",
        "growth/summary.md",
        "growth/costs.csv",
        "growth/report.json",
    ] {
        assert!(
            differs.contains(f),
            "`{f}` not listed as differing:\n{stdout}"
        );
    }
    assert!(
        differs
            .iter()
            .all(|f| f.starts_with("growth/") || !f.contains('/')),
        "{stdout}"
    );
    assert_eq!(
        lines.len(),
        of("missing").len() + gone.len() + differs.len(),
        "unexpected labels:\n{stdout}"
    );
    for f in foreign {
        assert!(
            !stdout.contains(f),
            "a foreign file `{f}` is reported:\n{stdout}"
        );
    }
    assert!(
        before == tree(&reports),
        "--check wrote to the output directory"
    );
    assert!(staging_leftovers(&cat).is_empty());

    // Regenerating deletes the removed scenario's files, and only those.
    expect_code(&run(&[]), 0, "report after the changes");
    let after = tree(&reports);
    assert!(
        after
            .keys()
            .all(|k| !k.starts_with("steady/") || k == "steady/keep.txt"),
        "{:?}",
        after.keys()
    );
    for f in foreign {
        assert_eq!(
            after.get(f).map(Vec::as_slice),
            Some(&b"mine\n"[..]),
            "`{f}` was touched"
        );
    }
    assert!(after.contains_key("growth/milestones.csv"));
    assert!(!String::from_utf8_lossy(&after[".scimeter-manifest"]).contains("steady"));
    expect_code(&run(&["--check"]), 0, "check after regenerating");
    assert!(staging_leftovers(&cat).is_empty());
}

#[test]
fn max_age_flags_old_verifications_relative_to_the_catalog() {
    // gated was verified 2026-03-01, 245 days before the newest date (conn, 2026-11-01).
    assert!(text("README.md").contains("| 2026-03-01 ⚠ stale | tier_gated |"));
    assert!(text("README.md").contains("| 2026-09-15 | bundled |"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    let run = report_in(
        &repo(),
        &catalog(),
        &["--out", out.to_str().unwrap(), "--max-age", "365"],
    );
    expect_code(&run, 0, "report --max-age 365");
    let readme = std::fs::read_to_string(out.join("README.md")).unwrap();
    assert!(readme.contains("| 2026-03-01 | tier_gated |"), "{readme}");
    assert!(readme.contains("more than 365 days before"));
    assert!(!readme.contains("stale"));
}

// ------------------------------------------------------------------ markdown

/// What the markdown parser saw in one file.
#[derive(Default, Debug)]
struct Markdown {
    /// Body rows (header excluded) of each table, in order.
    table_rows: Vec<usize>,
    /// Text of each paragraph.
    paragraphs: Vec<String>,
    footnote_refs: BTreeSet<String>,
    footnote_defs: BTreeSet<String>,
    /// Link and image targets.
    targets: Vec<String>,
}

fn parse_markdown(text: &str) -> Markdown {
    let mut md = Markdown::default();
    let mut paragraph: Option<String> = None;
    let mut in_head = false;
    for event in Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES) {
        match event {
            Event::Start(Tag::Table(_)) => md.table_rows.push(0),
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableHead) => in_head = false,
            Event::Start(Tag::TableRow) if !in_head => *md.table_rows.last_mut().unwrap() += 1,
            Event::Start(Tag::Paragraph) => paragraph = Some(String::new()),
            Event::End(TagEnd::Paragraph) => md.paragraphs.extend(paragraph.take()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(p) = paragraph.as_mut() {
                    p.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(p) = paragraph.as_mut() {
                    p.push('\n');
                }
            }
            Event::FootnoteReference(l) => {
                md.footnote_refs.insert(l.to_string());
            }
            Event::Start(Tag::FootnoteDefinition(l)) => {
                md.footnote_defs.insert(l.to_string());
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                md.targets.push(dest_url.to_string());
            }
            _ => {}
        }
    }
    md
}

/// Checks one generated markdown file and returns what was parsed.
fn check_markdown(rel: &str) -> Markdown {
    let md = parse_markdown(text(rel));
    for p in &md.paragraphs {
        assert!(
            !p.lines()
                .any(|l| l.trim_start().starts_with('|') || l.contains("| ---")),
            "{rel}: table text parsed as a paragraph:\n{p}"
        );
    }
    let undefined: Vec<&String> = md.footnote_refs.difference(&md.footnote_defs).collect();
    assert!(
        undefined.is_empty(),
        "{rel}: footnotes without a definition: {undefined:?}"
    );
    let unused: Vec<&String> = md.footnote_defs.difference(&md.footnote_refs).collect();
    assert!(
        unused.is_empty(),
        "{rel}: footnotes never referenced: {unused:?}"
    );
    let base = Path::new(rel).parent().unwrap();
    for t in &md.targets {
        if t.starts_with("http://") || t.starts_with("https://") || t.starts_with('#') {
            continue;
        }
        let joined = base.join(t);
        let target = joined.to_str().unwrap();
        assert!(!t.contains(".."), "{rel}: link `{t}` leaves the report");
        assert!(
            generated().contains_key(target),
            "{rel}: link `{t}` points at no generated file"
        );
    }
    md
}

#[test]
fn markdown_renders_as_github_tables_with_resolved_footnotes_and_links() {
    // growth: ranking (3 providers), weighted axis points (3), milestone costs (3), totals (3), estimated costs (3 providers × 2
    // milestones + 3 horizon totals), sensitivity (5 axes), SMAA (3). No unknown moves the
    // winner's chance by 0.1 points, so there is no question table.
    let growth = check_markdown("growth/summary.md");
    assert_eq!(growth.table_rows, vec![3, 3, 3, 3, 9, 5, 3]);
    assert!(text("growth/summary.md").contains("No unknown is expected to move the winner"));
    assert_eq!(
        growth.footnote_refs,
        BTreeSet::from(["bundle".into(), "conn".into(), "gated".into()])
    );
    // Every chart is linked, as PNG and as SVG, and every data file.
    let targets: BTreeSet<&str> = growth.targets.iter().map(String::as_str).collect();
    for stem in [
        "axis-contributions",
        "cost-vs-customers",
        "monthly-cost",
        "cumulative-cost",
    ] {
        assert!(
            targets.contains(format!("{stem}.png").as_str()),
            "{stem}.png not linked"
        );
        assert!(
            targets.contains(format!("{stem}.svg").as_str()),
            "{stem}.svg not linked"
        );
    }
    for f in ["ranking.csv", "milestones.csv", "costs.csv", "report.json"] {
        assert!(targets.contains(f), "{f} not linked");
    }
    assert!(targets.contains("https://example.com/conn/docs"));
    // steady: 2 ranked (gated excluded), their weighted axis points, 3 providers' costs, estimates (2 ranked × 2 points
    // + 2 horizon totals), 5 axes, SMAA of 2.
    let steady = check_markdown("steady/summary.md");
    assert_eq!(steady.table_rows, vec![2, 2, 3, 3, 6, 5, 2]);
    // README: winners (2 scenarios), costs (3 providers), freshness (3 providers).
    let readme = check_markdown("README.md");
    assert_eq!(readme.table_rows, vec![2, 3, 3]);
    for t in [
        "growth/summary.md",
        "steady/summary.md",
        "growth/cost-vs-customers.png",
    ] {
        assert!(
            readme.targets.iter().any(|x| x == t),
            "README does not link {t}"
        );
    }
}

// ------------------------------------------------------------------ charts

#[test]
fn svgs_are_well_formed_with_titles_and_pngs_decode_at_the_chart_size() {
    let (width, height) = scimeter::report::charts::SIZE;
    assert_eq!((width, height), (1100, 640));
    // Titles name the chart; the line under each is the scenario's name.
    let titles = [
        (
            "cost-vs-customers",
            "Effective monthly cost by number of customers",
        ),
        ("monthly-cost", "Monthly recurring cost over {h} months"),
        (
            "cumulative-cost",
            "Cumulative cost, including one-time costs",
        ),
        (
            "axis-contributions",
            "Weighted axis points per provider: why the winner wins",
        ),
    ];
    let names = [
        ("growth", "Growth: 5 → 60 customers over 12 months"),
        (
            "steady",
            "Steady: 30 customers, groups required, pricing weighted highest",
        ),
    ];
    let mut svgs = 0;
    let mut pngs = 0;
    for (rel, bytes) in generated() {
        let Some((scenario, file)) = rel.split_once('/') else {
            continue;
        };
        if let Some(stem) = file.strip_suffix(".svg") {
            let svg = std::str::from_utf8(bytes).unwrap();
            let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{rel}: {e}"));
            let root = doc.root_element();
            assert_eq!(root.tag_name().name(), "svg", "{rel}");
            assert_eq!(root.attribute("width"), Some("1100"), "{rel}");
            assert_eq!(root.attribute("height"), Some("640"), "{rel}");
            let texts: Vec<String> = root
                .descendants()
                .filter(|n| n.has_tag_name("text"))
                .map(|n| {
                    n.descendants()
                        .filter(roxmltree::Node::is_text)
                        .filter_map(|d| d.text())
                        .collect::<String>()
                        .trim()
                        .to_owned()
                })
                .collect();
            let horizon = if scenario == "growth" { "12" } else { "6" };
            let (_, title) = titles
                .iter()
                .find(|(s, _)| *s == stem)
                .unwrap_or_else(|| panic!("unexpected chart {rel}"));
            let title = title.replace("{h}", horizon);
            assert!(
                texts.contains(&title),
                "{rel}: no title `{title}` in {texts:?}"
            );
            let name = names.iter().find(|(s, _)| *s == scenario).unwrap().1;
            assert!(
                texts.iter().any(|t| t == name),
                "{rel}: no scenario name `{name}` in {texts:?}"
            );
            // Every provider with a cost or a score is labelled (gated is excluded from
            // `steady`, so it has neither there).
            let names: &[&str] = if scenario == "growth" {
                &["Conn Co", "Bundle Co", "Gated Co"]
            } else {
                &["Conn Co", "Bundle Co"]
            };
            for n in names {
                assert!(texts.iter().any(|t| t == n), "{rel}: `{n}` not labelled");
            }
            if stem == "cost-vs-customers" {
                let marks: &[&str] = if scenario == "growth" {
                    &["10 customers", "50 customers"]
                } else {
                    &["10 customers", "30 customers"]
                };
                for m in marks {
                    assert!(
                        texts.iter().any(|t| t == m),
                        "{rel}: milestone `{m}` not marked"
                    );
                }
            }
            // Gated's Enterprise price is unpublished beyond 20 customers: the region is marked.
            if scenario == "growth" && stem != "axis-contributions" {
                assert!(
                    texts.iter().any(|t| t.contains("unknown")),
                    "{rel}: unknown region not marked"
                );
            }
            svgs += 1;
        } else if Path::new(file).extension().is_some_and(|e| e == "png") {
            let decoder = png::Decoder::new(std::io::Cursor::new(bytes.as_slice()));
            let mut reader = decoder.read_info().unwrap_or_else(|e| panic!("{rel}: {e}"));
            let mut buf = vec![0; reader.output_buffer_size().expect("png fits in memory")];
            let info = reader
                .next_frame(&mut buf)
                .unwrap_or_else(|e| panic!("{rel}: {e}"));
            assert_eq!((info.width, info.height), (width, height), "{rel}");
            let pixel = info.color_type.samples();
            let distinct: BTreeSet<&[u8]> = buf[..info.buffer_size()]
                .chunks(pixel)
                .step_by(97)
                .collect();
            assert!(distinct.len() > 3, "{rel}: the image is (nearly) blank");
            pngs += 1;
        }
    }
    assert_eq!((svgs, pngs), (8, 8));
}

// ------------------------------------------------------------------ the shipped catalog

#[test]
fn shipped_reports_are_fresh() {
    let out = scimeter()
        .current_dir(repo())
        .args(["report", "--check"])
        .output()
        .unwrap();
    let (stdout, _) = expect_code(
        &out,
        0,
        "report --check on the shipped catalog (run `scimeter report` and commit)",
    );
    assert!(stdout.contains("is up to date"), "{stdout}");
}

#[test]
fn shipped_index_names_a_winner_for_every_scenario() {
    let readme = std::fs::read_to_string(repo().join("reports/README.md")).unwrap();
    let section = readme
        .split("## Who wins each scenario")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("README has a `Who wins each scenario` section");
    let mut ids: Vec<String> = std::fs::read_dir(repo().join("scenarios"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    ids.sort();
    assert!(
        ids.len() >= 6,
        "the shipped catalog has {} scenarios",
        ids.len()
    );
    for id in &ids {
        let link = format!("]({id}/summary.md)");
        let row = section
            .lines()
            .find(|l| l.contains(&link))
            .unwrap_or_else(|| panic!("README has no row for scenario `{id}`"));
        let cells: Vec<&str> = row
            .trim()
            .trim_matches('|')
            .split(" | ")
            .map(str::trim)
            .collect();
        let winner = cells.get(1).copied().unwrap_or_default();
        assert!(
            winner.starts_with("**") && winner.len() > 4,
            "scenario `{id}` has no winner in the index: {row}"
        );
        assert!(repo().join("reports").join(id).join("summary.md").is_file());
    }
}

// ------------------------------------------------------------------ known bugs

/// The index's cost table and its "cheapest" column are fixed at 100 and 1,000 customers,
/// so a scenario whose milestones are other counts shows only "—" (SPEC §6: the index shows
/// "the cost at milestones").
#[test]

fn index_shows_the_cost_at_each_scenarios_milestones() {
    let readme = text("README.md");
    // One column per scenario and milestone, so each sorts: growth at 10 and 50 customers,
    // steady at 10 and 30. Bundle 300 and 675 in growth, 300 and 375 in steady; Conn 500 and
    // 2,200, then 100 and 300.
    assert!(
        readme.contains("| Provider | growth @ 10 | growth @ 50 | steady @ 10 | steady @ 30 |"),
        "{readme}"
    );
    assert!(
        readme.contains("| Bundle Co | $300.00 | $675.00 | $300.00 | $375.00 |"),
        "{readme}"
    );
    assert!(
        readme.contains("| Conn Co | $500.00 | $2,200.00 | $100.00 | $300.00 |"),
        "{readme}"
    );
}

/// Every `--format markdown` output of the data commands, on the shipped catalog, parses as
/// markdown with tables and carries no terminal text in a paragraph: no box drawing, no rows
/// aligned with runs of spaces (issue 12: `cost --explain` and `explain` appended terminal
/// text that pandoc ran together into one paragraph).
#[test]
fn every_markdown_output_is_markdown() {
    let root = repo();
    let cases: &[&[&str]] = &[
        &["rank", "--scenario", "baseline"],
        &["cost", "--scenario", "baseline", "--explain", "--at", "100"],
        &["project", "--scenario", "startup-10"],
        &[
            "explain",
            "workos",
            "--scenario",
            "baseline",
            "--vs",
            "stytch",
        ],
        &["sensitivity", "--scenario", "baseline", "--draws", "500"],
        &["questions", "--scenario", "baseline", "--draws", "500"],
    ];
    for args in cases {
        let out = scimeter()
            .arg("--catalog")
            .arg(&root)
            .args(*args)
            .args(["--format", "markdown"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        let md = parse_markdown(&text);
        assert!(!md.table_rows.is_empty(), "{args:?}: no table in\n{text}");
        for p in &md.paragraphs {
            for line in p.lines() {
                assert!(
                    !line.contains(['│', '┆', '┌', '└', '╞']) && !line.contains("   "),
                    "{args:?}: terminal text in a paragraph: `{line}`"
                );
            }
        }
    }
}

/// A scenario with `start = "2027-01"` names calendar months beside the month numbers:
/// month 13 of `startup-10` is January 2028, in `project`'s table and CSV and in the
/// committed `costs.csv`; a scenario without `start` leaves the column empty.
#[test]
fn calendar_months_label_the_projection() {
    let run = |args: &[&str]| {
        let out = scimeter()
            .arg("--catalog")
            .arg(repo())
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let csv = run(&[
        "project",
        "--scenario",
        "startup-10",
        "--providers",
        "workos",
        "--format",
        "csv",
    ]);
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("scenario,provider,month,calendar_month,")
    );
    let rows: Vec<&str> = lines.collect();
    assert!(
        rows[0].starts_with("startup-10,workos,1,2027-01,10,"),
        "{}",
        rows[0]
    );
    assert!(
        rows[12].starts_with("startup-10,workos,13,2028-01,"),
        "{}",
        rows[12]
    );
    let table = run(&[
        "project",
        "--scenario",
        "startup-10",
        "--providers",
        "workos",
    ]);
    assert!(table.contains("Calendar month"), "{table}");
    assert!(table.contains("2028-12"), "{table}");
    let plain = run(&[
        "project",
        "--scenario",
        "baseline",
        "--providers",
        "workos",
        "--format",
        "csv",
    ]);
    assert!(
        plain
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("baseline,workos,1,,100,"),
        "{plain}"
    );
    let costs = std::fs::read_to_string(repo().join("reports/startup-10/costs.csv")).unwrap();
    assert!(
        costs
            .lines()
            .any(|l| l.starts_with("startup-10,workos,24,2028-12,")),
        "costs.csv"
    );
}

/// Two scenario ids that share their first 26 characters would give the workbook two sheets
/// of one name once cut to Excel's 31 characters, and the whole report used to fail at its
/// last step. Now the second gets `~2` and the report is written.
#[test]
fn long_scenario_ids_with_a_common_prefix_still_give_a_workbook() {
    use calamine::{Reader, Xlsx, open_workbook};
    let dir = tempfile::tempdir().unwrap();
    let cat = dir.path().join("cat");
    copy_dir(&catalog(), &cat);
    let steady = std::fs::read_to_string(cat.join("scenarios/steady.toml")).unwrap();
    std::fs::remove_file(cat.join("scenarios/steady.toml")).unwrap();
    for tail in ["low", "high"] {
        let id = format!("north-america-enterprise-2026-{tail}");
        std::fs::write(
            cat.join(format!("scenarios/{id}.toml")),
            steady.replacen("id = \"steady\"", &format!("id = \"{id}\""), 1),
        )
        .unwrap();
    }
    let out = report_in(dir.path(), Path::new("cat"), &[]);
    expect_code(&out, 0, "report with two long scenario ids");
    let book: Xlsx<_> = open_workbook(cat.join("reports/workbook.xlsx")).unwrap();
    let names = book.sheet_names();
    for want in [
        "Cost_north-america-enterprise-2",
        "Cost_north-america-enterprise~2",
        "Proj_north-america-enterprise-2",
        "Proj_north-america-enterprise~2",
    ] {
        assert!(names.iter().any(|n| n == want), "{want} in {names:?}");
    }
}
