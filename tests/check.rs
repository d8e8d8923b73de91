//! `scimeter check`: every broken catalog under `tests/fixtures/invalid/` is rejected with exit
//! code 2, without a panic, and with a diagnostic that names the right file, line, column and
//! key; the shipped catalog, the documented example and the minimal fixture are accepted; usage
//! errors exit 2.
//!
//! Each invalid fixture is a copy of `tests/fixtures/valid/minimal/` with exactly one problem.
//! The expected locations below are asserted twice: on the structured `--json` diagnostics
//! (exactly these errors, nothing cascading) and on the rendered text (`file:line:column`). The
//! rendered text is also kept as an insta snapshot per fixture in `tests/snapshots/`.

use crate::common::{copy_dir, fixture, repo, scimeter};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The reference date for staleness, so results do not depend on the clock.
const AS_OF: &str = "2026-11-28";

/// Runs `scimeter check --as-of AS_OF --catalog <catalog>` from `dir`, with extra arguments.
fn run_check(dir: &Path, catalog: &str, extra: &[&str]) -> std::process::Output {
    scimeter()
        .current_dir(dir)
        .args(["check", "--as-of", AS_OF, "--catalog", catalog])
        .args(extra)
        .output()
        .expect("scimeter runs")
}

/// `file:line:column key` for a located diagnostic, `file` when only the file is known, and
/// `(catalog)` for catalog-wide problems. The key is appended when there is one.
fn location(d: &Value) -> String {
    let mut s = match (d["file"].as_str(), d["line"].as_u64(), d["column"].as_u64()) {
        (Some(f), Some(l), Some(c)) => format!("{f}:{l}:{c}"),
        (Some(f), _, _) => f.to_owned(),
        (None, _, _) => "(catalog)".to_owned(),
    };
    if let Some(k) = d["key"].as_str() {
        s.push(' ');
        s.push_str(k);
    }
    s
}

/// Checks one invalid catalog (a directory under `tests/fixtures/invalid/`, or a path that
/// does not exist):
/// - exit code 2, nothing on stdout (no partial output), no panic;
/// - the errors are exactly `expected` (`file:line:column key`, see [`location`]), in order;
/// - the rendered text shows each `file:line:column` and each string of `mentions`;
/// - the rendered text matches the snapshot `tests/snapshots/integration__check__<name>.snap`.
fn invalid(name: &str, expected: &[&str], mentions: &[&str]) {
    let dir = fixture("invalid");

    let json = run_check(&dir, name, &["--json"]);
    let stderr = String::from_utf8_lossy(&json.stderr);
    assert_eq!(
        json.status.code(),
        Some(2),
        "{name}: `check --json` should exit 2\nstderr:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{name}: panicked:\n{stderr}");
    let doc: Value = serde_json::from_slice(&json.stdout)
        .unwrap_or_else(|e| panic!("{name}: --json output is not JSON ({e})"));
    assert_eq!(doc["valid"], Value::Bool(false), "{name}");
    let errors: Vec<String> = doc["diagnostics"]
        .as_array()
        .expect("a diagnostics array")
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(location)
        .collect();
    assert_eq!(
        errors, expected,
        "{name}: the errors (file:line:column key) differ\n{doc:#}"
    );

    let out = run_check(&dir, name, &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{name}: `check` should exit 2\nstderr:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{name}: panicked:\n{stderr}");
    assert!(
        stdout.is_empty(),
        "{name}: an invalid catalog must print nothing on stdout, got:\n{stdout}"
    );
    assert!(
        stderr.contains("error: the catalog is invalid"),
        "{name}: no summary line:\n{stderr}"
    );
    for e in expected {
        let at = e.split(' ').next().unwrap_or_default();
        if at.contains(':') {
            assert!(
                stderr.contains(at),
                "{name}: the rendered diagnostic does not show `{at}`:\n{stderr}"
            );
        }
    }
    for m in mentions {
        assert!(
            stderr.contains(m),
            "{name}: the rendered diagnostic does not mention `{m}`:\n{stderr}"
        );
    }

    insta::with_settings!({
        description => format!("scimeter check --catalog tests/fixtures/invalid/{name} --as-of {AS_OF}   (stderr)"),
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, stderr);
    });
}

// ---------------------------------------------------------------------------- syntax and types

#[test]
fn syntax_error() {
    // `name = "Acme Directory Sync` (unterminated string): the caret is at the end of the line,
    // where the closing quote is missing.
    invalid(
        "syntax-error",
        &["providers/acme.toml:4:28"],
        &["invalid TOML", "expected `\"`"],
    );
}

#[test]
fn unknown_key() {
    invalid(
        "unknown-key",
        &["providers/acme.toml:34:28 pricing.plans[0].charges[0].tiers[1].unit_prize"],
        &["unknown key `unit_prize`", "did you mean `unit_price`?"],
    );
}

#[test]
fn unknown_enum_value() {
    invalid(
        "unknown-enum-value",
        &["providers/acme.toml:31:8 pricing.plans[0].charges[0].mode"],
        &[
            "unknown value `graduate`",
            "one of `graduated`, `volume`",
            "did you mean `graduated`?",
        ],
    );
}

#[test]
fn wrong_type() {
    invalid(
        "wrong-type",
        &["scenarios/base.toml:5:18 horizon_months"],
        &["wrong type", "\"twelve\""],
    );
}

#[test]
fn missing_required_key() {
    // A missing top-level key points at the start of the file (the table that should hold it).
    invalid(
        "missing-required-key",
        &["providers/acme.toml:1:1"],
        &["missing required key `name`"],
    );
}

#[test]
fn missing_nested_key() {
    invalid(
        "missing-nested-key",
        &["providers/acme.toml:28:1"],
        &[
            "missing required key `meter` in `pricing.plans[0].charges[0]`",
            "[[pricing.plans.charges]]",
        ],
    );
}

#[test]
fn money_overflow() {
    invalid(
        "money-overflow",
        &["providers/acme.toml:23:12 pricing.plans[0].base_fee"],
        &[
            "`99999999999999999999999999999999` is not a decimal amount of at most 28 significant digits",
        ],
    );
}

#[test]
fn non_utf8() {
    // Line 2 is `# Acme \xFF\xFE pricing`: the first invalid byte is character 8.
    invalid(
        "non-utf8",
        &["providers/acme.toml:2:8"],
        &["is not valid UTF-8", "save the file as UTF-8"],
    );
}

#[test]
fn empty_file() {
    invalid(
        "empty-file",
        &["providers/acme.toml"],
        &["`providers/acme.toml` is empty"],
    );
}

#[test]
fn empty_catalog() {
    // `providers/` and `scenarios/` exist (they hold only a `.gitkeep`) but have no TOML file.
    invalid(
        "empty-catalog",
        &["(catalog)", "(catalog)"],
        &[
            "the catalog has no provider files",
            "the catalog has no scenario files",
        ],
    );
}

#[test]
fn missing_directory() {
    let missing = "does-not-exist";
    assert!(!fixture("invalid").join(missing).exists());
    invalid(
        missing,
        &["(catalog)"],
        &[
            "catalog directory `does-not-exist` does not exist",
            "--catalog DIR",
        ],
    );
}

// ---------------------------------------------------------------------------- prices and tiers

#[test]
fn negative_price() {
    invalid(
        "negative-price",
        &["providers/acme.toml:40:7 pricing.addons[0].fee"],
        &["negative price `-50`", "an amount of 0 or more"],
    );
}

#[test]
fn tiers_unsorted() {
    invalid(
        "tiers-unsorted",
        &["providers/acme.toml:34:13 pricing.plans[0].charges[0].tiers[1].up_to"],
        &["tiers are not in ascending order: `up_to = 15` follows `up_to = 50`"],
    );
}

#[test]
fn tiers_overlap() {
    invalid(
        "tiers-overlap",
        &["providers/acme.toml:34:12 pricing.plans[0].charges[0].tiers[1].from"],
        &[
            "tier 1 starts at unit 10, overlapping the previous band which ends at 15",
            "`from = 16`",
        ],
    );
}

#[test]
fn tiers_gap() {
    invalid(
        "tiers-gap",
        &["providers/acme.toml:34:12 pricing.plans[0].charges[0].tiers[1].from"],
        &[
            "gap between tiers: units 16–19 are in no band",
            "`from = 16`",
        ],
    );
}

/// One draw decides every unstated table of a provider, so a second table's different
/// share would be ignored without a word: `check` refuses it (found in review).
#[test]
fn unstated_shares_differ() {
    invalid(
        "unstated-shares-differ",
        &["providers/acme.toml:48:19 pricing.addons[0].charges[0].graduated_share"],
        &[
            "`graduated_share` is 0.8 here but 0.5 in `pricing.plans[0].charges[0]`",
            "an absent `graduated_share` is 0.5",
        ],
    );
}

#[test]
fn tier_mode_missing() {
    invalid(
        "tier-mode-missing",
        &["providers/acme.toml:31:9 pricing.plans[0].charges[0].tiers"],
        &[
            "tiered charge without a `mode`",
            "`mode = \"graduated\"` or `mode = \"volume\"`",
        ],
    );
}

#[test]
fn unbounded_tier_not_last() {
    invalid(
        "unbounded-tier-not-last",
        &["providers/acme.toml:34:3 pricing.plans[0].charges[0].tiers[1]"],
        &["tier 1 has no `up_to` but is not the last band"],
    );
}

#[test]
fn limit_below_included() {
    invalid(
        "limit-below-included",
        &["providers/acme.toml:25:36 pricing.plans[0].limits.directory_connections"],
        &[
            "limits `directory_connections` to 3, below the 5 units",
            "a limit of at least 5",
        ],
    );
}

// ---------------------------------------------------------------------------- references

#[test]
fn unknown_plan() {
    invalid(
        "unknown-plan",
        &["providers/acme.toml:42:10 pricing.addons[0].plans[0]"],
        &[
            "add-on `roles` refers to unknown plan `enterprise`",
            "expected one of `pro`",
        ],
    );
}

#[test]
fn unknown_feature_in_plan() {
    invalid(
        "unknown-feature-in-plan",
        &["providers/acme.toml:24:21 pricing.plans[0].features[1]"],
        &["unknown feature `grups`", "did you mean `groups`?"],
    );
}

#[test]
fn unknown_feature_in_needs() {
    invalid(
        "unknown-feature-in-needs",
        &["scenarios/base.toml:13:1 needs.provisoning"],
        &[
            "unknown feature `provisoning`",
            "did you mean `provisioning`?",
        ],
    );
}

#[test]
fn unknown_idp() {
    invalid(
        "unknown-idp",
        &["scenarios/base.toml:17:1 idps.entra"],
        &["unknown IdP `entra`", "did you mean `entra_id`?"],
    );
}

#[test]
fn unknown_source() {
    invalid(
        "unknown-source",
        &["providers/acme.toml:15:10 features.scim.source"],
        &[
            "reference to unknown source `pricng`",
            "did you mean `pricing`?",
        ],
    );
}

#[test]
fn fact_without_source() {
    invalid(
        "fact-without-source",
        &["providers/acme.toml:13:1 features.scim"],
        &["fact `features.scim` has no source"],
    );
}

#[test]
fn discount_unknown_provider() {
    invalid(
        "discount-unknown-provider",
        &["scenarios/base.toml:27:15 billing.discounts.acmee"],
        &[
            "discount for unknown provider `acmee`",
            "did you mean `acme`?",
        ],
    );
}

#[test]
fn currency_mismatch() {
    // The diagnostic belongs to the scenario (it lacks the rate); with no `exchange_rates`
    // table to point at, it points at the start of the file.
    invalid(
        "currency-mismatch",
        &["scenarios/base.toml:1:1 exchange_rates"],
        &[
            "reports in `USD` but provider `acme` prices in `EUR`",
            "exchange_rates.EUR",
        ],
    );
}

// ---------------------------------------------------------------------------- ids

#[test]
fn duplicate_provider_id() {
    // `providers/acme-copy.toml` sorts first, so `providers/acme.toml` is the duplicate. (The
    // copy also gets a warning that its id differs from its file name.)
    invalid(
        "duplicate-provider-id",
        &["providers/acme.toml:3:6 id"],
        &[
            "duplicate provider id `acme`",
            "`providers/acme-copy.toml` already uses it",
        ],
    );
}

#[test]
fn id_path_traversal() {
    invalid(
        "id-path-traversal",
        &["providers/acme.toml:3:6 id"],
        &["`../x` is not a valid id"],
    );
}

#[test]
fn id_with_space() {
    invalid(
        "id-with-space",
        &["providers/acme.toml:3:6 id"],
        &["`acme sync` is not a valid id"],
    );
}

#[test]
fn id_upper_case() {
    invalid(
        "id-upper-case",
        &["providers/acme.toml:3:6 id"],
        &["`Acme` is not a valid id"],
    );
}

// ---------------------------------------------------------------------------- scenario values

#[test]
fn weights_negative() {
    invalid(
        "weights-negative",
        &["scenarios/base.toml:22:11 weights.pricing"],
        &["weight `pricing` = -1 is invalid"],
    );
}

#[test]
fn weights_nan() {
    invalid(
        "weights-nan",
        &["scenarios/base.toml:21:12 weights.features"],
        &["weight `features` = NaN is invalid"],
    );
}

#[test]
fn weights_all_zero() {
    invalid(
        "weights-all-zero",
        &["scenarios/base.toml:19:1 weights"],
        &["all weights are zero"],
    );
}

#[test]
fn growth_negative_linear() {
    invalid(
        "growth-negative-linear",
        &["scenarios/base.toml:10:7 growth.end"],
        &["`end` = -50 is out of range"],
    );
}

#[test]
fn growth_negative_compound() {
    invalid(
        "growth-negative-compound",
        &["scenarios/base.toml:10:16 growth.monthly_rate"],
        &["`monthly_rate` = -1.5 is out of range", "at least -1"],
    );
}

#[test]
fn horizon_zero() {
    invalid(
        "horizon-zero",
        &["scenarios/base.toml:5:18 horizon_months"],
        &["horizon of 0 months is out of range", "1 to 600 months"],
    );
}

#[test]
fn horizon_too_long() {
    invalid(
        "horizon-too-long",
        &["scenarios/base.toml:5:18 horizon_months"],
        &["horizon of 601 months is out of range"],
    );
}

// ---------------------------------------------------------------------------- fixture hygiene

/// The names of the directories under `tests/fixtures/invalid/`, sorted.
fn invalid_fixture_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixture("invalid"))
        .expect("tests/fixtures/invalid exists")
        .map(|e| e.expect("a directory entry"))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn every_invalid_fixture_has_a_test() {
    let source = include_str!("check.rs");
    let names = invalid_fixture_names();
    assert!(
        names.len() >= 25,
        "the issue asks for at least 25 broken catalogs, found {}",
        names.len()
    );
    for name in names {
        assert!(
            source.contains(&format!("\"{name}\",")),
            "fixture `{name}` has no test in tests/check.rs"
        );
    }
}

#[test]
fn every_invalid_fixture_is_a_catalog() {
    for name in invalid_fixture_names() {
        let dir = fixture("invalid").join(&name);
        assert!(
            dir.join("providers").is_dir() && dir.join("scenarios").is_dir(),
            "`{name}` needs `providers/` and `scenarios/`"
        );
    }
}

#[test]
fn minimal_fixture_is_valid() {
    let out = run_check(&fixture("valid"), "minimal", &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.ends_with(&format!(
            "\nok: 1 provider, 1 scenario, 0 warnings (as of {AS_OF}, stale after 180 days)\n"
        )),
        "{stdout}"
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Coverage of the minimal fixture, counted by hand from `tests/fixtures/valid/minimal/`:
/// - facts: 32 counted (17 status facts, 8 IdPs, 6 value facts, the pricing model); known are
///   `features.scim` and `pricing.model` = 2; the other 30 are unknown with no reason;
/// - prices: base fee "0", bands "125" and "100", add-on fee "50" are known (4); the band
///   `"contact_sales"` is unpublished (1);
/// - all: 6 known of 37 = 162.16… per mille, rounded down to 162 = "16.2 %", share 0.162.
#[test]
fn check_reports_coverage_counted_by_hand() {
    let out = run_check(&fixture("valid"), "minimal", &["--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    let cov = &doc["coverage"];
    assert_eq!(cov["known_share"], 0.162);
    let acme = &cov["providers"][0];
    assert_eq!(acme["provider"], "acme");
    assert_eq!(acme["known_share"], 0.162);
    assert_eq!(
        acme["facts"],
        serde_json::json!({"known": 2, "unpublished": 0, "not_found": 0, "unexplained": 30})
    );
    assert_eq!(
        acme["prices"],
        serde_json::json!({"known": 4, "unpublished": 1, "not_found": 0, "unexplained": 0})
    );
    assert_eq!(acme["verified"], "2026-11-01");
    assert_eq!(acme["oldest_source"], "2026-11-01");
    assert_eq!(acme["stale"], false);

    let text = run_check(&fixture("valid"), "minimal", &[]);
    let stdout = String::from_utf8_lossy(&text.stdout);
    let row = stdout
        .lines()
        .find(|l| l.contains("acme"))
        .expect("a row for acme");
    let cells: Vec<&str> = row
        .split(['│', '┆'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(
        cells,
        [
            "acme",
            "16.2 %",
            "2/32",
            "1",
            "0",
            "30",
            "4/5",
            "2026-11-01",
            "2026-11-01"
        ]
    );
}

/// A recorded reason turns an unexplained unknown into a counted one; on a stated fact it is
/// an error.
#[test]
fn reasons_are_counted_and_only_allowed_on_unknown_facts() {
    let (_tmp, dir) = temp_minimal();
    edit(
        &dir,
        "providers/acme.toml",
        "[features.scim]",
        "[features.groups]\nstatus = \"unknown\"\nreason = \"unpublished\"\nsearched = \"pricing page\"\n\n[features.idps.okta]\nstatus = \"unknown\"\nreason = \"not_found\"\n\n[features.scim]",
    );
    let out = run_check(&dir, ".", &["--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        doc["coverage"]["providers"][0]["facts"],
        serde_json::json!({"known": 2, "unpublished": 1, "not_found": 1, "unexplained": 28})
    );

    edit(
        &dir,
        "providers/acme.toml",
        "status = \"ga\"\nsource = \"pricing\"",
        "status = \"ga\"\nsource = \"pricing\"\nreason = \"not_found\"",
    );
    let out = run_check(&dir, ".", &["--json"]);
    assert_eq!(out.status.code(), Some(2));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    let errors: Vec<String> = doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(location)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].ends_with("features.scim.reason"), "{errors:?}");
}

// ---------------------------------------------------------------------------- all errors, one run

/// A temporary copy of the minimal catalog.
fn temp_minimal() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let dir = tmp.path().join("catalog");
    copy_dir(&fixture("valid/minimal"), &dir);
    (tmp, dir)
}

/// Replaces the single occurrence of `old` in `dir/file`.
fn edit(dir: &Path, file: &str, old: &str, new: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).expect("readable");
    assert_eq!(
        text.matches(old).count(),
        1,
        "`{old}` must occur once in {file}"
    );
    std::fs::write(&path, text.replace(old, new)).expect("writable");
}

/// The errors of `check --json` on `dir`, as `file:line:column key`.
fn errors_of(dir: &Path) -> Vec<String> {
    let out = run_check(dir, ".", &["--json"]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(location)
        .collect()
}

#[test]
fn reports_every_error_in_every_file_in_one_run() {
    let (_tmp, dir) = temp_minimal();
    edit(
        &dir,
        "providers/acme.toml",
        "unit_price = \"100\"",
        "unit_prize = \"100\"",
    );
    edit(
        &dir,
        "scenarios/base.toml",
        "horizon_months = 12",
        "horizon_months = 0",
    );
    edit(
        &dir,
        "scenarios/base.toml",
        "features = 1",
        "features = nan",
    );
    std::fs::write(
        dir.join("providers/second.toml"),
        "id = \"second\"\nname = \"Second\"\nverified = 2026-11-01\nkind = \"saas\"\n",
    )
    .unwrap();
    assert_eq!(
        errors_of(&dir),
        [
            "providers/acme.toml:34:28 pricing.plans[0].charges[0].tiers[1].unit_prize",
            "providers/second.toml:4:8 kind",
            "scenarios/base.toml:5:18 horizon_months",
            "scenarios/base.toml:21:12 weights.features",
        ]
    );
}

#[test]
fn json_diagnostics_carry_key_expectation_and_suggestion() {
    let out = run_check(&fixture("invalid"), "unknown-key", &["--json"]);
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(doc["errors"], 1);
    let d = &doc["diagnostics"][0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "providers/acme.toml");
    assert_eq!(d["line"], 34);
    assert_eq!(d["column"], 28);
    assert_eq!(d["key"], "pricing.plans[0].charges[0].tiers[1].unit_prize");
    assert_eq!(
        d["expected"],
        "one of `from`, `up_to`, `unit_price`, `flat_fee`"
    );
    assert_eq!(d["help"], "did you mean `unit_price`?");
}

// ---------------------------------------------------------------------------- known loader gaps

#[test]

fn a_provider_that_fails_to_load_does_not_cascade_into_its_references() {
    let (_tmp, dir) = temp_minimal();
    edit(
        &dir,
        "providers/acme.toml",
        "name = \"Acme Directory Sync\"",
        "name = \"Acme Directory Sync",
    );
    std::fs::write(dir.join("scenarios/base.toml"), {
        let text = std::fs::read_to_string(dir.join("scenarios/base.toml")).unwrap();
        text + "\n[billing]\ndiscounts = { acme = \"0.1\" }\n"
    })
    .unwrap();
    assert_eq!(errors_of(&dir), ["providers/acme.toml:4:28"]);
}

#[test]

fn an_empty_band_is_reported_once() {
    let (_tmp, dir) = temp_minimal();
    edit(
        &dir,
        "providers/acme.toml",
        "{ from = 1, up_to = 15,",
        "{ from = 1, up_to = 0,",
    );
    assert_eq!(
        errors_of(&dir),
        ["providers/acme.toml:33:23 pricing.plans[0].charges[0].tiers[0].up_to"]
    );
}

#[test]

fn an_unbounded_band_in_the_middle_is_reported_once() {
    let (_tmp, dir) = temp_minimal();
    edit(
        &dir,
        "providers/acme.toml",
        "{ from = 16, up_to = 50, unit_price = \"100\" }",
        "{ from = 16, unit_price = \"100\" }",
    );
    edit(
        &dir,
        "providers/acme.toml",
        "{ from = 51, unit_price = \"contact_sales\" }",
        "{ from = 51, up_to = 100, unit_price = \"contact_sales\" }",
    );
    assert_eq!(
        errors_of(&dir),
        ["providers/acme.toml:34:3 pricing.plans[0].charges[0].tiers[1]"]
    );
}

#[test]

fn an_invalid_currency_is_reported_once() {
    let (_tmp, dir) = temp_minimal();
    edit(
        &dir,
        "providers/acme.toml",
        "currency = \"USD\"",
        "currency = \"usd\"",
    );
    assert_eq!(errors_of(&dir), ["providers/acme.toml:6:12 currency"]);
}

#[test]

fn type_errors_do_not_name_rust_types() {
    for (old, new) in [
        ("included = 5", "included = -1"),
        ("included = 5", "included = 99999999999999999999999"),
        ("included = 5", "included = \"5\""),
    ] {
        let (_tmp, dir) = temp_minimal();
        edit(&dir, "providers/acme.toml", old, new);
        let out = run_check(&dir, ".", &[]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        for rust in ["u32", "u64", "i64", "i128", "f64"] {
            assert!(
                !stderr.contains(rust),
                "`{new}`: the message names the Rust type `{rust}`:\n{stderr}"
            );
        }
    }
}

// ---------------------------------------------------------------------------- valid catalogs

#[test]
fn the_documented_example_catalog_is_valid() {
    let out = run_check(&repo(), "docs/examples", &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .last()
            .unwrap_or_default(),
        format!("ok: 1 provider, 1 scenario, 0 warnings (as of {AS_OF}, stale after 180 days)"),
        "the example must load without warnings"
    );
}

/// The `[growth]` alternatives commented out in `docs/examples/scenarios/example.toml`, each
/// as TOML text (`[growth]` and its keys, uncommented).
pub fn commented_growth_alternatives(text: &str) -> Vec<String> {
    let mut alternatives = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let Some(body) = line.strip_prefix('#') else {
            if let Some(done) = current.take() {
                alternatives.push(done);
            }
            continue;
        };
        let body = body.strip_prefix(' ').unwrap_or(body);
        if body == "[growth]" {
            if let Some(done) = current.take() {
                alternatives.push(done);
            }
            current = Some(String::from("[growth]\n"));
        } else if let Some(cur) = current.as_mut() {
            if body.trim().is_empty() {
                alternatives.push(current.take().unwrap_or_default());
            } else {
                cur.push_str(body);
                cur.push('\n');
            }
        }
    }
    alternatives.extend(current);
    alternatives
}

#[test]
fn the_commented_growth_alternatives_in_the_example_are_valid() {
    let path = repo().join("docs/examples/scenarios/example.toml");
    let text = std::fs::read_to_string(&path).expect("the example scenario exists");
    let active_start = text.find("\n[growth]\n").expect("an active [growth] table") + 1;
    let active_end = active_start
        + text[active_start..]
            .find("\n\n")
            .expect("a blank line after [growth]")
        + 1;
    let alternatives = commented_growth_alternatives(&text);
    let kinds: Vec<&str> = alternatives
        .iter()
        .filter_map(|a| a.lines().find_map(|l| l.strip_prefix("kind = ")))
        .collect();
    assert_eq!(
        kinds,
        ["\"constant\"", "\"linear\"", "\"logistic\"", "\"points\""]
    );
    for alternative in &alternatives {
        let tmp = tempfile::tempdir().unwrap();
        copy_dir(&repo().join("docs/examples"), tmp.path());
        let edited = format!(
            "{}{alternative}{}",
            &text[..active_start],
            &text[active_end..]
        );
        std::fs::write(tmp.path().join("scenarios/example.toml"), edited).unwrap();
        let out = run_check(tmp.path(), ".", &[]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "growth alternative\n{alternative}\nis rejected:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn the_shipped_catalog_is_valid() {
    let out = run_check(&repo(), ".", &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.lines().last().is_some_and(|l| l.starts_with("ok: ")),
        "{stdout}"
    );
}

// ---------------------------------------------------------------------------- usage

#[test]
fn an_unknown_subcommand_is_a_usage_error() {
    let out = scimeter().arg("chek").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("chek"), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_bad_as_of_date_is_a_usage_error() {
    for bad in ["tomorrow", "2026-13-01", "2026-02-30", "26-11-28", ""] {
        let out = scimeter()
            .current_dir(fixture("valid/minimal"))
            .args(["check", "--as-of", bad])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "--as-of {bad:?}: {stderr}");
        assert!(
            stderr.contains("as-of") || stderr.contains("YYYY-MM-DD"),
            "--as-of {bad:?}: the message should name the flag or the format:\n{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn other_usage_errors_exit_2() {
    for args in [
        &["check", "--max-age", "-1"][..],
        &["check", "--no-such-flag"],
        &["schema"],
        &["schema", "catalog"],
        &[],
    ] {
        let out = scimeter().args(args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn help_and_version_exit_0() {
    for args in [
        &["--help"][..],
        &["-h"],
        &["check", "--help"],
        &["schema", "--help"],
        &["help", "check"],
        &["--version"],
    ] {
        let out = scimeter().args(args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.stdout.is_empty(), "{args:?} prints to stdout");
    }
    let help = scimeter().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("check") && help.contains("schema") && help.contains("--catalog"),
        "{help}"
    );
}

/// Run outside a catalog (neither `providers/` nor `scenarios/` exists), every command that
/// reads one says which directory it looked at and how to get a catalog, in one error.
#[test]
fn outside_a_catalog_the_error_names_the_directory_and_the_way_out() {
    let dir = tempfile::tempdir().unwrap();
    let shown = dir.path().canonicalize().unwrap();
    for args in [
        &["check"][..],
        &["rank", "--scenario", "baseline"],
        &["report", "--check"],
    ] {
        let out = scimeter()
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!(
                "`{}` is not a scimeter catalog: it has no `providers/` or `scenarios/` directory",
                shown.display()
            )),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains("`--catalog DIR`"), "{stderr}");
        assert!(stderr.contains("`scimeter init DIR`"), "{stderr}");
        assert!(stderr.contains("1 error(s)"), "{stderr}");
    }
}
