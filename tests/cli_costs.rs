//! `scimeter cost` and `scimeter project` through the real binary, on the small catalog in
//! `tests/fixtures/costs/catalog/` (one provider per pricing model; the hand arithmetic of
//! every figure is in the provider files' comments and in `tests/fixtures/costs/README.md`).
//!
//! - every `--format` of both commands is kept as an insta snapshot
//!   (`tests/snapshots/integration__cli_costs__*.snap`);
//! - the figures are also asserted directly, from the CSV and JSON, so a snapshot update
//!   cannot silently accept a wrong number;
//! - `--explain` shows the band arithmetic;
//! - bad `--at` values, unknown scenario and provider ids exit 2 with a clear message on stderr,
//!   nothing on stdout, and no panic.

use crate::common::{fixture, scimeter};
use serde_json::Value;
use std::collections::BTreeMap;
use std::process::Output;

/// Runs scimeter on the cost fixture catalog.
fn run(args: &[&str]) -> Output {
    let catalog = fixture("costs/catalog");
    scimeter()
        .arg("--catalog")
        .arg(&catalog)
        .args(args)
        .output()
        .expect("scimeter runs")
}

/// Runs, expects exit 0 and an empty stderr, and returns stdout.
fn ok(args: &[&str]) -> String {
    let out = run(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "scimeter {args:?} failed:\n{stderr}"
    );
    assert!(
        stderr.is_empty(),
        "scimeter {args:?} wrote to stderr:\n{stderr}"
    );
    String::from_utf8(out.stdout).expect("stdout is UTF-8")
}

/// Runs, expects exit 2 (invalid input), no stdout and no panic, and returns stderr.
fn usage_error(args: &[&str]) -> String {
    let out = run(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(2),
        "scimeter {args:?} should exit 2\nstderr:\n{stderr}"
    );
    assert!(
        !stderr.contains("panicked"),
        "scimeter {args:?} panicked:\n{stderr}"
    );
    assert!(
        out.stdout.is_empty(),
        "scimeter {args:?} wrote to stdout on error:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        stderr.starts_with("error"),
        "scimeter {args:?}: stderr does not start with `error`:\n{stderr}"
    );
    stderr
}

/// Snapshots `text` under `name`, with the command line as the description.
fn snapshot(name: &str, args: &[&str], text: &str) {
    insta::with_settings!({
        description => format!("scimeter --catalog tests/fixtures/costs/catalog {}", args.join(" ")),
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, text);
    });
}

/// CSV rows as maps from header to value.
fn csv_rows(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().expect("a header row").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("a valid CSV record");
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

/// Every money field in a JSON document is a decimal string, and every number is a whole
/// count (no float anywhere, so no binary rounding of money).
fn assert_money_is_strings(v: &Value, path: &str) {
    const MONEY: [&str; 6] = [
        "amount",
        "floor",
        "per_customer",
        "cheaper_cost",
        "dearer_cost",
        "cost",
    ];
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let p = format!("{path}.{k}");
                if MONEY.contains(&k.as_str()) && !child.is_null() && !child.is_object() {
                    let s = child
                        .as_str()
                        .unwrap_or_else(|| panic!("{p} is not a string: {child}"));
                    let (int, frac) = s
                        .trim_start_matches('-')
                        .split_once('.')
                        .unwrap_or_else(|| panic!("{p} = {s:?} has no decimals"));
                    assert!(
                        !int.is_empty() && int.bytes().all(|b| b.is_ascii_digit()),
                        "{p} = {s:?}"
                    );
                    assert!(
                        frac.len() >= 2 && frac.bytes().all(|b| b.is_ascii_digit()),
                        "{p} = {s:?}"
                    );
                }
                assert_money_is_strings(child, &p);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                assert_money_is_strings(child, &format!("{path}[{i}]"));
            }
        }
        // Probabilities and shares are numbers by design; money never is.
        Value::Number(_)
            if path.ends_with("p_cheapest") || path.rsplit('.').next() == Some("share") => {}
        Value::Number(n) => assert!(n.is_u64(), "{path} = {n} is not a whole count"),
        _ => {}
    }
}

// ----------------------------------------------------------------------------------- cost

const COST: [&str; 3] = ["cost", "--scenario", "steady"];

/// Tables fit the width they are given: at 200 columns the cost table stays boxed; at 80 its
/// rows become `Header: value` blocks (its longest words alone need more than 80); every
/// line fits in both, and no word is split. Output that is not a terminal and has no
/// `--width` keeps the wide layout (the other snapshots).
#[test]
fn cost_table_fits_80_and_200_columns() {
    for width in ["80", "200"] {
        let args = [&COST[..], &["--width", width, "--explain", "--at", "100"]].concat();
        let text = ok(&args);
        let limit: usize = width.parse().unwrap();
        for line in text.lines() {
            // A URL is one word: it may not fit, but it is never split.
            if !line.contains("https://") {
                assert!(line.chars().count() <= limit, "{width}: `{line}`");
            }
        }
        snapshot(&format!("cost_table_width_{width}"), &args, &text);
    }
    let wide = ok(&[&COST[..], &["--wide"]].concat());
    assert_eq!(wide, ok(&COST));
}

#[test]
fn cost_table() {
    let text = ok(&COST);
    assert!(text.contains("at 10 and 100 customers"), "{text}");
    snapshot("cost_table", &COST, &text);
}

#[test]
fn cost_markdown() {
    let args = [&COST[..], &["--format", "markdown"]].concat();
    let text = ok(&args);
    assert!(
        text.starts_with("### Costs for `steady` (USD, steady state)"),
        "{text}"
    );
    snapshot("cost_markdown", &args, &text);
}

#[test]
fn cost_csv() {
    let args = [&COST[..], &["--format", "csv"]].concat();
    let text = ok(&args);
    snapshot("cost_csv", &args, &text);

    // The figures, checked against the hand arithmetic (see the provider files):
    // (provider, customers) → (plan, status, monthly, annual, one_time, first_year)
    let rows = csv_rows(&text);
    assert_eq!(rows.len(), 14, "7 providers × 2 milestones");
    let expected = [
        (
            "gradco", "100", "standard", "exact", "8225.00", "98700.00", "0.00", "98700.00",
        ),
        (
            "volco", "100", "standard", "exact", "6500.00", "78000.00", "0.00", "78000.00",
        ),
        (
            "bundleco", "100", "pro", "exact", "6275.00", "75300.00", "0.00", "75300.00",
        ),
        (
            "bundleco", "10", "pro", "exact", "800.00", "9600.00", "0.00", "9600.00",
        ),
        (
            "mauco", "100", "pro", "exact", "56.38", "676.56", "0.00", "676.56",
        ),
        (
            "gatedco", "10", "team", "exact", "350.00", "4200.00", "0.00", "4200.00",
        ),
        (
            "gatedco",
            "100",
            "enterprise",
            "exact",
            "1500.00",
            "18000.00",
            "0.00",
            "18000.00",
        ),
        (
            "inhouse",
            "100",
            "self-built",
            "exact",
            "2000.00",
            "24000.00",
            "60000.00",
            "84000.00",
        ),
        ("nossco", "100", "", "unavailable", "", "", "", ""),
    ];
    for (provider, customers, plan, status, monthly, annual, one_time, first_year) in expected {
        let row = rows
            .iter()
            .find(|r| r["provider"] == provider && r["customers"] == customers)
            .unwrap_or_else(|| panic!("no row for {provider} at {customers}"));
        let got = (
            row["plan"].as_str(),
            row["status"].as_str(),
            row["monthly"].as_str(),
            row["annual"].as_str(),
            row["one_time"].as_str(),
            row["first_year"].as_str(),
        );
        assert_eq!(
            got,
            (plan, status, monthly, annual, one_time, first_year),
            "{provider} at {customers}"
        );
    }
    let b = rows.iter().find(|r| r["provider"] == "bundleco").unwrap();
    assert_eq!(b["addons"], "b2b");
    // Per customer is exact (56.38 / 100), rounded only when displayed.
    let m = rows
        .iter()
        .find(|r| r["provider"] == "mauco" && r["customers"] == "100")
        .unwrap();
    assert_eq!(m["per_customer"], "0.5638");
    let n = rows.iter().find(|r| r["provider"] == "nossco").unwrap();
    assert_eq!(n["unknown"], "No SCIM Co has no plan that includes SCIM");
}

#[test]
fn cost_json() {
    // All providers: parses, money as strings, figures as in the CSV.
    let args = [&COST[..], &["--format", "json"]].concat();
    let doc: Value = serde_json::from_str(&ok(&args)).expect("cost --format json is JSON");
    assert_money_is_strings(&doc, "$");
    assert_eq!(doc["schema_version"], 2);
    assert_eq!(
        (
            doc["scenario"].as_str(),
            doc["currency"].as_str(),
            doc["billing"].as_str()
        ),
        (Some("steady"), Some("USD"), Some("monthly"))
    );
    let rows = doc["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 14);
    let row = |p: &str, n: u64| {
        rows.iter()
            .find(|r| r["provider"] == p && r["customers"] == n)
            .unwrap()
    };
    assert_eq!(
        row("gradco", 100)["published"]["quote"]["recurring"],
        serde_json::json!({ "status": "known", "amount": "8225.00" })
    );
    assert_eq!(row("gradco", 100)["published"]["per_customer"], "82.25");
    assert_eq!(
        row("gatedco", 100)["published"]["quote"]["plans"][1]["ineligible"],
        "plan `team` allows at most 50 directory_connections, 100 needed"
    );
    assert_eq!(
        row("nossco", 10)["published"]["quote"]["recurring"]["status"],
        "unavailable"
    );
    assert_eq!(
        row("inhouse", 10)["published"]["first_year"]["amount"],
        "84000.00"
    );

    // The snapshot is of three providers, to stay reviewable.
    let args = [
        &COST[..],
        &[
            "--at",
            "100",
            "--providers",
            "gradco,gatedco,nossco",
            "--format",
            "json",
        ],
    ]
    .concat();
    let text = ok(&args);
    snapshot("cost_json", &args, &text);
    // Every row carries the estimated view next to the published one.
    for r in rows {
        let e = &r["estimated"];
        assert!(e.is_null() || e.get("p50").is_some(), "{r}");
    }
}

#[test]
fn cost_explain_shows_the_band_arithmetic() {
    let args = [
        &COST[..],
        &[
            "--at",
            "100",
            "--providers",
            "gradco,bundleco,mauco,inhouse",
            "--explain",
        ],
    ]
    .concat();
    let text = ok(&args);
    assert!(
        text.contains("15 × $125.00 + 15 × $100.00 + 20 × $80.00 + 50 × $65.00 = $8,225.00"),
        "{text}"
    );
    assert!(
        text.contains(
            "100 SSO connections, first 1 included: 14 × $75.00 + 85 × $60.00 = $6,150.00"
        ),
        "{text}"
    );
    assert!(
        text.contains("1,500 × €0.0175 = €26.25 (converted from EUR at 1.10)"),
        "{text}"
    );
    assert!(text.contains("600 h × $100.00/h = $60,000.00"), "{text}");
    snapshot("cost_explain", &args, &text);

    // The same lines as CSV, one row per line item.
    let args = [
        &COST[..],
        &[
            "--at",
            "100",
            "--providers",
            "gradco",
            "--explain",
            "--format",
            "csv",
        ],
    ]
    .concat();
    let rows = csv_rows(&ok(&args));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["kind"], "charge");
    assert_eq!(rows[0]["amount"], "8225.00");
    assert_eq!(
        rows[0]["explanation"],
        "100 directory connections: 15 × $125.00 + 15 × $100.00 + 20 × $80.00 + 50 × $65.00 = $8,225.00 (graduated)"
    );
}

#[test]
fn cost_beyond_a_contact_sales_bound_is_at_least() {
    // 120 connections: 8,225 for units 1–100, units 101–120 are contact sales.
    let args = [
        &COST[..],
        &["--at", "120", "--providers", "gradco", "--explain"],
    ]
    .concat();
    let text = ok(&args);
    assert!(text.contains("≥ $8,225.00 + unknown"), "{text}");
    assert!(text.contains("20 × contact sales"), "{text}");
    assert!(
        !text.contains("│ $8,225.00"),
        "an at-least cost must not be shown as a plain amount:\n{text}"
    );
    snapshot("cost_contact_sales", &args, &text);
    let rows = csv_rows(&ok(&[
        &COST[..],
        &["--at", "120", "--providers", "gradco", "--format", "csv"],
    ]
    .concat()));
    assert_eq!(
        (
            rows[0]["status"].as_str(),
            rows[0]["monthly"].as_str(),
            rows[0]["per_customer"].as_str()
        ),
        ("at_least", "8225.00", "")
    );
    assert_eq!(rows[0]["unknown"], "Directory connections: contact sales");
}

#[test]
fn cost_providers_filter() {
    let text = ok(&[
        &COST[..],
        &["--providers", "volco, gradco", "--format", "csv"],
    ]
    .concat());
    let rows = csv_rows(&text);
    let providers: Vec<&str> = rows.iter().map(|r| r["provider"].as_str()).collect();
    assert_eq!(providers, ["volco", "gradco", "volco", "gradco"]);
}

#[test]
fn cost_at_values_are_parsed_sorted_and_deduplicated() {
    let rows = csv_rows(&ok(&[
        &COST[..],
        &[
            "--at",
            "100, 1_0,100",
            "--providers",
            "gradco",
            "--format",
            "csv",
        ],
    ]
    .concat()));
    let counts: Vec<&str> = rows.iter().map(|r| r["customers"].as_str()).collect();
    assert_eq!(counts, ["10", "100"]);
}

// ------------------------------------------------------------------------------- project

const PROJECT: [&str; 3] = ["project", "--scenario", "steady"];

#[test]
fn project_table() {
    let text = ok(&PROJECT);
    assert!(
        text.contains("≥ $8,225.00 + unknown"),
        "gradco passes its published bands in month 6:\n{text}"
    );
    snapshot("project_table", &PROJECT, &text);
}

#[test]
fn project_markdown() {
    let args = [&PROJECT[..], &["--format", "markdown"]].concat();
    let text = ok(&args);
    assert!(
        text.starts_with("### Monthly cost for `steady` (USD)"),
        "{text}"
    );
    snapshot("project_markdown", &args, &text);
}

#[test]
fn project_csv() {
    let args = [&PROJECT[..], &["--format", "csv"]].concat();
    let text = ok(&args);
    snapshot("project_csv", &args, &text);

    let rows = csv_rows(&text);
    assert_eq!(rows.len(), 7 * 6, "7 providers × 6 months");
    let customers: Vec<&str> = rows
        .iter()
        .filter(|r| r["provider"] == "volco")
        .map(|r| r["customers"].as_str())
        .collect();
    assert_eq!(customers, ["20", "40", "60", "80", "100", "120"]);
    // Month by month, total = recurring + one-time, and cumulative = the running sum of totals
    // (checked with exact decimal strings: the values have at most 2 decimals).
    let cents = |s: &str| -> i64 {
        let (i, f) = s.split_once('.').unwrap();
        i.parse::<i64>().unwrap() * 100 + f.parse::<i64>().unwrap()
    };
    for provider in ["bundleco", "gatedco", "inhouse", "mauco", "volco"] {
        let mut running = 0;
        for r in rows.iter().filter(|r| r["provider"] == provider) {
            assert_eq!(
                cents(&r["total"]),
                cents(&r["recurring"]) + cents(&r["one_time"]),
                "{provider} month {}",
                r["month"]
            );
            running += cents(&r["total"]);
            assert_eq!(
                cents(&r["cumulative"]),
                running,
                "{provider} month {}",
                r["month"]
            );
        }
    }
    // Hand-checked figures: the in-house build is paid in month 1 only; the tier-gated
    // provider moves to Enterprise when 60 customers pass Team's 50-connection limit.
    let get = |p: &str, m: &str| {
        rows.iter()
            .find(|r| r["provider"] == p && r["month"] == m)
            .unwrap()
    };
    assert_eq!(
        (
            get("inhouse", "1")["one_time"].as_str(),
            get("inhouse", "1")["total"].as_str()
        ),
        ("60000.00", "62000.00")
    );
    assert_eq!(get("inhouse", "2")["one_time"], "0.00");
    assert_eq!(get("inhouse", "6")["cumulative"], "72000.00");
    assert_eq!(
        (
            get("gatedco", "2")["plan"].as_str(),
            get("gatedco", "2")["total"].as_str()
        ),
        ("team", "650.00")
    );
    assert_eq!(
        (
            get("gatedco", "3")["plan"].as_str(),
            get("gatedco", "3")["total"].as_str()
        ),
        ("enterprise", "1100.00")
    );
    assert_eq!(
        (
            get("gradco", "6")["status"].as_str(),
            get("gradco", "6")["recurring"].as_str()
        ),
        ("at_least", "8225.00")
    );
    assert_eq!(get("gradco", "6")["cumulative_status"], "at_least");
    assert_eq!(get("nossco", "1")["status"], "unavailable");
}

#[test]
fn project_json() {
    // All providers: parses, money as strings, customers per month, crossovers consistent.
    let args = [&PROJECT[..], &["--format", "json"]].concat();
    let doc: Value = serde_json::from_str(&ok(&args)).expect("project --format json is JSON");
    assert_money_is_strings(&doc, "$");
    let p = &doc["projection"];
    assert_eq!(
        p["customers"],
        serde_json::json!([20, 40, 60, 80, 100, 120])
    );
    assert_eq!(p["curve_max"], 120);
    assert_eq!(p["projections"].as_array().unwrap().len(), 7);
    for x in p["crossovers"].as_array().unwrap() {
        let at = x["at"].as_u64().unwrap();
        // The month is the first month whose customer count reaches `at`.
        let first = p["customers"]
            .as_array()
            .unwrap()
            .iter()
            .position(|c| c.as_u64().unwrap() >= at)
            .map(|i| i as u64 + 1);
        assert_eq!(x["month"].as_u64(), first, "{x}");
    }

    // The snapshot is of two providers, to stay reviewable.
    let args = [
        &PROJECT[..],
        &["--providers", "inhouse,volco", "--format", "json"],
    ]
    .concat();
    let text = ok(&args);
    snapshot("project_json", &args, &text);
}

#[test]
fn project_providers_filter_and_crossovers() {
    // volco (volume) vs bundleco: a tie at 1 customer (125 = 25 + 100), bundleco cheaper up to
    // 50, volco from 51 (51 × 65 = 3,315 < 3,335), a tie at 55 (3,575), bundleco again from 56
    // (3,635 < 56 × 65 = 3,640), and volco from 101 (101 × 50 = 5,050 < 6,306). A tie is not a
    // crossover; the flip is reported where the new order first holds strictly. Customer
    // counts by month: 20, 40, 60, 80, 100, 120.
    let text = ok(&[&PROJECT[..], &["--providers", "volco,bundleco"]].concat());
    assert!(
        !text.contains("gradco") && !text.contains("Grad Co"),
        "{text}"
    );
    for expected in [
        "51 customers (month 3): Vol Co becomes cheaper than Bundle Co ($3,315.00 vs $3,335.00)",
        "56 customers (month 3): Bundle Co becomes cheaper than Vol Co ($3,635.00 vs $3,640.00)",
        "101 customers (month 6): Vol Co becomes cheaper than Bundle Co ($5,050.00 vs $6,306.00)",
        // Bands start at the scenario's smallest customer count (the milestone 10).
        "10–50: Bundle Co; 51–54: Vol Co; 55: Vol Co = Bundle Co; 56–100: Bundle Co; 101+: Vol Co",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
    }
}

// --------------------------------------------------------------------------- bad input

#[test]
fn bad_at_values_exit_2_with_a_clear_message() {
    for (value, mentions) in [
        ("abc", "`--at` value `abc` is not a whole customer count"),
        ("0", "`--at` value `0` is out of range"),
        ("-5", "`--at` value `-5` is not a whole customer count"),
        ("", "`--at` is empty"),
        ("1.5", "`--at` value `1.5` is not a whole customer count"),
        ("100,,200", "is not a whole customer count"),
        ("1000000001", "`--at` value `1000000001` is out of range"),
        ("99999999999999999999999", "is not a whole customer count"),
    ] {
        let at = format!("--at={value}");
        let stderr = usage_error(&["cost", "--scenario", "steady", &at]);
        assert!(
            stderr.contains(mentions),
            "--at={value}: stderr lacks `{mentions}`:\n{stderr}"
        );
        assert!(
            stderr.contains("help:"),
            "--at={value}: no help line:\n{stderr}"
        );
    }
    // `--at -5` (a separate argument that looks like a flag) is rejected by the parser.
    let stderr = usage_error(&["cost", "--scenario", "steady", "--at", "-5"]);
    assert!(stderr.contains("-5"), "{stderr}");
}

#[test]
fn unknown_scenario_suggests_the_nearest_id() {
    for command in ["cost", "project"] {
        let stderr = usage_error(&[command, "--scenario", "stedy"]);
        assert!(
            stderr.contains("unknown scenario `stedy`"),
            "{command}: {stderr}"
        );
        assert!(
            stderr.contains("did you mean `steady`?"),
            "{command}: {stderr}"
        );
    }
}

#[test]
fn unknown_provider_suggests_the_nearest_id() {
    for command in ["cost", "project"] {
        let stderr = usage_error(&[
            command,
            "--scenario",
            "steady",
            "--providers",
            "volco,gradko",
        ]);
        assert!(
            stderr.contains("unknown provider `gradko`"),
            "{command}: {stderr}"
        );
        assert!(
            stderr.contains("did you mean `gradco`?"),
            "{command}: {stderr}"
        );
    }
}

#[test]
fn unknown_format_is_a_usage_error() {
    let stderr = usage_error(&["cost", "--scenario", "steady", "--format", "xml"]);
    assert!(stderr.contains("xml"), "{stderr}");
}
