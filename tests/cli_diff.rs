//! `scimeter diff` through the real binary, on the small catalog in `tests/fixtures/diff/`
//! (three providers, one scenario; the arithmetic is in the provider files' comments).
//!
//! Each test copies the catalog into a fresh temporary directory, makes it a git repository,
//! commits it as the base, then edits the work tree (or commits again) and runs the diff with
//! the temporary directory as the working directory.
//!
//! Base costs at 100 customers (`steady`): alpha $10,000, bravo $10,000 (graduated), charlie
//! $7,000 (the winner). Over the 12-month horizon: ×12.
//!
//! Covered: a price change, a tier mode change, a provider added and one removed, a known price
//! becoming contact-sales, a new winner, every output format (snapshots), `--fail-above` both
//! ways and in amounts, `--head` as a revision and as a directory, `--base` as a directory,
//! bad revisions and directories, `--scenario` typos, staleness with `--as-of` and `--max-age`.

use crate::common::{copy_dir, fixture, scimeter};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tempfile::TempDir;

/// The reference date passed to every diff (the fixture providers were verified 2026-11-01),
/// so staleness does not depend on the day the tests run.
const AS_OF: &str = "2026-11-28";

/// A git repository in a temporary directory holding a copy of the diff fixture catalog.
struct Repo {
    dir: TempDir,
    /// Where the catalog lives inside the repository (the root, or a sub-directory).
    catalog: PathBuf,
}

impl Repo {
    /// The fixture catalog at the root of a new repository, committed as the base.
    fn new() -> Repo {
        Repo::with_catalog_in("")
    }

    /// The fixture catalog in `sub` of a new repository (the root when empty), committed.
    fn with_catalog_in(sub: &str) -> Repo {
        let dir = tempfile::tempdir().expect("temporary directory");
        let catalog = if sub.is_empty() {
            dir.path().to_path_buf()
        } else {
            dir.path().join(sub)
        };
        copy_dir(&fixture("diff/catalog"), &catalog);
        let repo = Repo { dir, catalog };
        repo.git(&["init", "-q"]);
        repo.commit("base catalog");
        repo
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs git in the repository and expects success.
    fn git(&self, args: &[&str]) -> String {
        let out = Command::new("git")
            .current_dir(self.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("HOME", self.path())
            .env("GIT_AUTHOR_NAME", "scimeter tests")
            .env("GIT_AUTHOR_EMAIL", "tests@example.com")
            .env("GIT_COMMITTER_NAME", "scimeter tests")
            .env("GIT_COMMITTER_EMAIL", "tests@example.com")
            .env("GIT_AUTHOR_DATE", "2026-11-01T00:00:00Z")
            .env("GIT_COMMITTER_DATE", "2026-11-01T00:00:00Z")
            .args([
                "-c",
                "init.defaultBranch=main",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Stages everything and commits.
    fn commit(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
    }

    /// Replaces `from` by `to` in a catalog file (which must contain `from` exactly once).
    fn edit(&self, rel: &str, from: &str, to: &str) {
        let path = self.catalog.join(rel);
        let text = std::fs::read_to_string(&path).expect("fixture file");
        assert_eq!(
            text.matches(from).count(),
            1,
            "`{from}` should occur once in {rel}"
        );
        std::fs::write(&path, text.replacen(from, to, 1)).expect("write fixture");
    }

    /// Deletes a catalog file.
    fn remove(&self, rel: &str) {
        std::fs::remove_file(self.catalog.join(rel)).expect("remove fixture file");
    }

    /// Copies `tests/fixtures/diff/<from>` into the catalog as `rel`.
    fn add(&self, from: &str, rel: &str) {
        std::fs::copy(fixture("diff").join(from), self.catalog.join(rel)).expect("copy fixture");
    }

    /// Runs `scimeter <args>` in the repository.
    fn run(&self, args: &[&str]) -> Output {
        scimeter()
            .current_dir(self.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .args(args)
            .output()
            .expect("scimeter runs")
    }

    /// Runs `scimeter diff --as-of AS_OF <args>` in the repository.
    fn diff(&self, args: &[&str]) -> Output {
        let mut all = vec!["diff", "--as-of", AS_OF];
        all.extend_from_slice(args);
        self.run(&all)
    }

    /// The temporary path replaced by `[TMP]`, for snapshots and messages.
    fn scrub(&self, text: &str) -> String {
        scrub(text, self.path())
    }
}

/// Replaces `dir` (and its canonical form) by `[TMP]`.
fn scrub(text: &str, dir: &Path) -> String {
    let mut out = text.to_owned();
    if let Ok(canonical) = dir.canonicalize() {
        out = out.replace(&canonical.display().to_string(), "[TMP]");
    }
    out.replace(&dir.display().to_string(), "[TMP]")
}

/// Expects `code`, no panic and a UTF-8 stdout, and returns stdout.
fn expect_code(out: &Output, code: i32) -> String {
    let stdout = String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(code),
        "expected exit {code}\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "panicked:\n{stderr}");
    stdout
}

/// Expects exit 0 with nothing on stderr, and returns stdout.
fn ok(out: &Output) -> String {
    let stdout = expect_code(out, 0);
    assert!(
        out.stderr.is_empty(),
        "unexpected stderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Expects exit 2 (invalid input), nothing on stdout and an `error` on stderr; returns stderr.
fn usage_error(out: &Output) -> String {
    let stdout = expect_code(out, 2);
    assert!(stdout.is_empty(), "stdout on error:\n{stdout}");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        stderr.starts_with("error"),
        "stderr does not start with `error`:\n{stderr}"
    );
    stderr
}

/// Parses JSON output and returns its `diff` object (checking the schema version).
fn json(stdout: &str) -> Value {
    let v: Value = serde_json::from_str(stdout).expect("diff --format json is JSON");
    assert_eq!(v["schema_version"], 1);
    v["diff"].clone()
}

/// The cost changes of scenario `steady` in a JSON diff.
fn costs(diff: &Value) -> Vec<Value> {
    let impact = diff["impact"].as_array().expect("impact is an array");
    assert_eq!(impact.len(), 1, "one scenario");
    assert_eq!(impact[0]["scenario"], "steady");
    impact[0]["costs"].as_array().expect("costs").clone()
}

/// The cost change of `provider` at `customers` (`None`: over the horizon).
fn cost_of(diff: &Value, provider: &str, customers: Option<u64>) -> Value {
    costs(diff)
        .into_iter()
        .find(|c| c["provider"] == provider && c["customers"].as_u64() == customers)
        .unwrap_or_else(|| panic!("no cost change for {provider} at {customers:?} in {diff:#}"))
}

/// The lines of the table output that start with `│ provider `.
fn rows<'a>(text: &'a str, provider: &str) -> Vec<&'a str> {
    let start = format!("│ {provider} ");
    text.lines().filter(|l| l.starts_with(&start)).collect()
}

/// Snapshots `text` under `name`, with the command line as the description.
fn snapshot(name: &str, change: &str, args: &[&str], text: &str) {
    insta::with_settings!({
        description => format!("{change}; scimeter diff --as-of {AS_OF} {}", args.join(" ")),
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, text);
    });
}

// --- What the diff reports ------------------------------------------------------------------

/// alpha's $100 unit price becomes $120: +$2,000 a month (+20 %) at 100 customers,
/// +$24,000 over the horizon; alpha drops behind bravo.
#[test]
fn price_change() {
    let repo = Repo::new();
    repo.edit(
        "providers/alpha.toml",
        r#"unit_price = "100""#,
        r#"unit_price = "120""#,
    );

    let table = ok(&repo.diff(&["--base", "HEAD"]));
    assert!(
        table.starts_with("scimeter diff: revision `HEAD` → the work tree\n"),
        "{table}"
    );
    assert!(table.contains("1 changed"), "{table}");
    assert!(table.contains("0 added, 0 removed"), "{table}");
    assert!(table.contains("~ alpha"), "{table}");
    assert!(
        table.contains(
            "largest relative change: `steady` alpha at 100: $10,000.00 → $12,000.00 (+$2,000.00, +20.00 %)"
        ),
        "{table}"
    );
    let alpha = rows(&table, "alpha");
    assert!(
        alpha.iter().any(|r| r.contains("$10,000.00")
            && r.contains("$12,000.00")
            && r.contains("+$2,000.00 (+20.00 %)")),
        "{table}"
    );
    assert!(
        alpha.iter().any(|r| r.contains("horizon")
            && r.contains("$120,000.00")
            && r.contains("$144,000.00")),
        "{table}"
    );
    // Only alpha's costs changed.
    assert!(rows(&table, "charlie").is_empty(), "{table}");
    assert!(
        !table.contains("new winner"),
        "charlie still wins:\n{table}"
    );
    snapshot(
        "price_change_table",
        "alpha $100 → $120",
        &["--base", "HEAD"],
        &table,
    );

    let md = ok(&repo.diff(&["--base", "HEAD", "--format", "markdown"]));
    assert!(
        md.starts_with("### scimeter diff: revision `HEAD` → the work tree\n"),
        "{md}"
    );
    assert!(
        md.contains("| alpha | 100 | $10,000.00 | $12,000.00 | +$2,000.00 (+20.00 %) |"),
        "{md}"
    );
    assert!(md.contains("<details>"), "{md}");
    snapshot(
        "price_change_markdown",
        "alpha $100 → $120",
        &["--base", "HEAD", "--format", "markdown"],
        &md,
    );

    let out = ok(&repo.diff(&["--base", "HEAD", "--format", "json"]));
    let d = json(&out);
    assert_eq!(d["base"], "revision `HEAD`");
    let at100 = cost_of(&d, "alpha", Some(100));
    assert_eq!(at100["movement"], "changed");
    assert_eq!(at100["before"]["amount"], "10000.00");
    assert_eq!(at100["after"]["amount"], "12000.00");
    assert_eq!(at100["delta"], "2000.00");
    assert_eq!(at100["percent"], "0.20");
    let horizon = cost_of(&d, "alpha", None);
    assert_eq!(horizon["before"]["amount"], "120000.00");
    assert_eq!(horizon["after"]["amount"], "144000.00");
    assert_eq!(
        d["impact"][0]["winners"],
        serde_json::json!([["charlie"], ["charlie"]])
    );
    assert_eq!(d["providers"][0]["change"], "changed");
    assert_eq!(d["providers"][0]["id"], "alpha");
    snapshot(
        "price_change_json",
        "alpha $100 → $120",
        &["--base", "HEAD", "--format", "json"],
        &out,
    );
}

/// A unit-price change is a price change: the summary should count it as one, and the field
/// change should name the changed key rather than print the whole `charges` list.
#[test]
fn unit_price_change_counts_as_a_price_change() {
    let repo = Repo::new();
    repo.edit(
        "providers/alpha.toml",
        r#"unit_price = "100""#,
        r#"unit_price = "120""#,
    );
    let table = ok(&repo.diff(&["--base", "HEAD"]));
    assert!(
        table.contains("1 changed (1 with price changes)"),
        "{table}"
    );
    assert!(
        table.contains("    pricing.plans[standard].charges[0].unit_price: 100 → 120\n"),
        "{table}"
    );
}

/// A base-fee change is counted as a price change and named by its path.
#[test]
fn base_fee_change_is_a_price_change() {
    let repo = Repo::new();
    repo.edit(
        "providers/charlie.toml",
        r#"base_fee = "1000""#,
        r#"base_fee = "1500""#,
    );
    let table = ok(&repo.diff(&["--base", "HEAD"]));
    assert!(
        table.contains("1 changed (1 with price changes)"),
        "{table}"
    );
    assert!(
        table.contains("pricing.plans[business].base_fee: 1000 → 1500"),
        "{table}"
    );
    assert!(
        rows(&table, "charlie")
            .iter()
            .any(|r| r.contains("$7,000.00") && r.contains("$7,500.00")),
        "{table}"
    );
}

/// bravo's tiers switch from graduated to volume: all 100 connections at $80, −20 %.
#[test]
fn tier_mode_change() {
    let repo = Repo::new();
    repo.edit(
        "providers/bravo.toml",
        r#"mode = "graduated""#,
        r#"mode = "volume""#,
    );

    let table = ok(&repo.diff(&["--base", "HEAD"]));
    assert!(table.contains("~ bravo"), "{table}");
    assert!(
        table.contains("    pricing.plans[standard].charges[0].mode: graduated → volume\n"),
        "{table}"
    );
    let bravo = rows(&table, "bravo");
    assert!(
        bravo
            .iter()
            .any(|r| r.contains("$10,000.00") && r.contains("$8,000.00") && r.contains("−20.00 %")),
        "{table}"
    );
    assert!(
        bravo.iter().any(|r| r.contains("horizon")
            && r.contains("$120,000.00")
            && r.contains("$96,000.00")),
        "{table}"
    );
    snapshot(
        "tier_mode_table",
        "bravo graduated → volume",
        &["--base", "HEAD"],
        &table,
    );

    let d = json(&ok(&repo.diff(&["--base", "HEAD", "--format", "json"])));
    let at100 = cost_of(&d, "bravo", Some(100));
    assert_eq!(at100["movement"], "changed");
    assert_eq!(at100["before"]["amount"], "10000.00");
    assert_eq!(at100["after"]["amount"], "8000.00");
    assert_eq!(at100["delta"], "-2000.00");
    assert_eq!(at100["percent"], "-0.20");
}

/// bravo removed, delta ($90 a connection) added.
#[test]
fn provider_added_and_removed() {
    let repo = Repo::new();
    repo.remove("providers/bravo.toml");
    repo.add("extra/delta.toml", "providers/delta.toml");

    let table = ok(&repo.diff(&["--base", "HEAD"]));
    assert!(
        table.contains("0 changed (0 with price changes), 1 added, 1 removed"),
        "{table}"
    );
    assert!(table.contains("+ delta (new provider)"), "{table}");
    assert!(table.contains("- bravo (removed)"), "{table}");
    assert!(
        rows(&table, "delta")
            .iter()
            .any(|r| r.contains("—") && r.contains("$9,000.00") && r.contains("added")),
        "{table}"
    );
    assert!(
        rows(&table, "bravo")
            .iter()
            .any(|r| r.contains("$10,000.00") && r.contains("—") && r.contains("removed")),
        "{table}"
    );
    snapshot(
        "added_removed_table",
        "bravo removed, delta added",
        &["--base", "HEAD"],
        &table,
    );

    let d = json(&ok(&repo.diff(&["--base", "HEAD", "--format", "json"])));
    let changes: Vec<(String, String)> = d["providers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap().to_owned(),
                p["change"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            ("bravo".to_owned(), "removed".to_owned()),
            ("delta".to_owned(), "added".to_owned())
        ]
    );
    let gone = cost_of(&d, "bravo", Some(100));
    assert_eq!(gone["movement"], "presence");
    assert_eq!(gone["before"]["amount"], "10000.00");
    assert!(gone["after"].is_null());
    let new = cost_of(&d, "delta", Some(100));
    assert_eq!(new["movement"], "presence");
    assert!(new["before"].is_null());
    assert_eq!(new["after"]["amount"], "9000.00");
    // Adding and removing providers is not a cost change: thresholds stay quiet.
    expect_code(&repo.diff(&["--base", "HEAD", "--fail-above", "±1%"]), 0);
}

/// charlie's $60 connection price becomes "contact sales": the cost is "≥ $1,000.00 + unknown",
/// reported as partly unknown, never as a drop to $0 and never as a removal. charlie also
/// loses first place.
#[test]
fn known_price_becomes_contact_sales() {
    let repo = Repo::new();
    repo.edit(
        "providers/charlie.toml",
        r#"unit_price = "60""#,
        r#"unit_price = "contact_sales""#,
    );

    let table = ok(&repo.diff(&["--base", "HEAD"]));
    assert!(table.contains("1 changed"), "{table}");
    assert!(table.contains("0 added, 0 removed"), "{table}");
    assert!(table.contains("~ charlie"), "{table}");
    assert!(!table.contains("- charlie"), "not a removal:\n{table}");
    assert!(
        table.contains("went from known to unknown or partly unknown"),
        "{table}"
    );
    let charlie = rows(&table, "charlie");
    assert!(
        charlie.iter().any(|r| r.contains("$7,000.00")
            && r.contains("≥ $1,000.00 + unknown")
            && r.contains("now partly unknown")),
        "{table}"
    );
    assert!(
        charlie.iter().any(|r| r.contains("horizon")
            && r.contains("$84,000.00")
            && r.contains("≥ $12,000.00 + unknown")),
        "{table}"
    );
    for r in &charlie {
        assert!(!r.contains("$0.00"), "shown as $0: {r}");
        assert!(
            !r.contains("added") && !r.contains("removed"),
            "shown as a removal: {r}"
        );
        assert!(!r.contains("-100"), "shown as a drop: {r}");
    }
    snapshot(
        "contact_sales_table",
        "charlie $60 → contact_sales",
        &["--base", "HEAD"],
        &table,
    );

    let md = ok(&repo.diff(&["--base", "HEAD", "--format", "markdown"]));
    assert!(
        md.contains("| charlie | 100 | $7,000.00 | ≥ $1,000.00 + unknown | now partly unknown |"),
        "{md}"
    );
    snapshot(
        "contact_sales_markdown",
        "charlie $60 → contact_sales",
        &["--base", "HEAD", "--format", "markdown"],
        &md,
    );

    let out = ok(&repo.diff(&["--base", "HEAD", "--format", "json"]));
    let d = json(&out);
    assert_eq!(d["providers"][0]["change"], "changed");
    for at in [Some(100), None] {
        let c = cost_of(&d, "charlie", at);
        assert_eq!(c["movement"], "became_unknown", "{c:#}");
        assert_eq!(c["before"]["status"], "known");
        assert_eq!(c["after"]["status"], "at_least");
        assert!(c["delta"].is_null(), "no delta against an unknown: {c:#}");
        assert!(
            c["percent"].is_null(),
            "no percentage against an unknown: {c:#}"
        );
    }
    assert_eq!(
        cost_of(&d, "charlie", Some(100))["after"]["floor"],
        "1000.00"
    );
    assert_eq!(cost_of(&d, "charlie", None)["after"]["floor"], "12000.00");
    snapshot(
        "contact_sales_json",
        "charlie $60 → contact_sales",
        &["--base", "HEAD", "--format", "json"],
        &out,
    );

    // A cost that can no longer be shown to be within a threshold breaks it.
    let out = repo.diff(&["--base", "HEAD", "--fail-above", "10%"]);
    let text = expect_code(&out, 1);
    assert!(
        text.contains("exceeds threshold: steady: charlie at 100: $7,000.00 → ≥ $1,000.00 + unknown (now partly unknown: not a drop to 0)"),
        "{text}"
    );
}

/// A price that was the only cost (no base fee) becoming contact sales: the floor is $0, and it
/// must still read as unknown, not as a drop to $0.
#[test]
fn whole_cost_becomes_unknown() {
    let repo = Repo::new();
    repo.edit(
        "providers/alpha.toml",
        r#"unit_price = "100""#,
        r#"unit_price = "contact_sales""#,
    );
    let table = ok(&repo.diff(&["--base", "HEAD"]));
    for r in rows(&table, "alpha") {
        if r.contains("$10,000.00") || r.contains("$120,000.00") {
            assert!(r.contains("unknown") && r.contains("now unknown"), "{r}");
            assert!(!r.contains("-100"), "shown as a drop: {r}");
            assert!(!r.contains("$0.00"), "shown as $0: {r}");
            assert!(!r.contains("removed"), "shown as a removal: {r}");
        }
    }
    assert_eq!(
        rows(&table, "alpha")
            .iter()
            .filter(|r| r.contains("now unknown"))
            .count(),
        2,
        "{table}"
    );
    assert!(!table.contains("- alpha"), "not a removal:\n{table}");
    let d = json(&ok(&repo.diff(&["--base", "HEAD", "--format", "json"])));
    let c = cost_of(&d, "alpha", Some(100));
    assert_eq!(c["movement"], "became_unknown");
    assert_eq!(c["after"]["status"], "at_least");
    assert!(c["delta"].is_null());
}

/// alpha halves its price ($5,000 < charlie's $7,000) and takes first place.
#[test]
fn new_winner() {
    let repo = Repo::new();
    repo.edit(
        "providers/alpha.toml",
        r#"unit_price = "100""#,
        r#"unit_price = "50""#,
    );

    let table = ok(&repo.diff(&["--base", "HEAD"]));
    assert!(
        table.contains("new winner in `steady`: alpha (was charlie)"),
        "{table}"
    );
    let md = ok(&repo.diff(&["--base", "HEAD", "--format", "markdown"]));
    assert!(
        md.contains("- **new winner in `steady`: alpha (was charlie)**"),
        "{md}"
    );
    let d = json(&ok(&repo.diff(&["--base", "HEAD", "--format", "json"])));
    assert_eq!(
        d["impact"][0]["winners"],
        serde_json::json!([["charlie"], ["alpha"]])
    );
    let ranks = d["impact"][0]["ranks"].as_array().unwrap();
    let alpha = ranks
        .iter()
        .find(|r| r["provider"] == "alpha")
        .expect("alpha's rank changed");
    assert_eq!(alpha["after"]["rank"], 1);
    let charlie = ranks
        .iter()
        .find(|r| r["provider"] == "charlie")
        .expect("charlie's rank changed");
    assert_eq!(charlie["before"]["rank"], 1);
    assert_ne!(charlie["after"]["rank"], 1);
}

/// After charlie's price becomes contact sales, alpha and bravo tie for first place (both
/// 15.0, both rank 1 in the rank table), yet the summary names only alpha as the new winner.
/// SPEC §5: "Ties are shown as ties."
#[test]
fn new_winner_tie_is_shown_as_a_tie() {
    let repo = Repo::new();
    repo.edit(
        "providers/charlie.toml",
        r#"unit_price = "60""#,
        r#"unit_price = "contact_sales""#,
    );
    let table = ok(&repo.diff(&["--base", "HEAD"]));
    let line = table
        .lines()
        .find(|l| l.contains("new winner"))
        .expect("a new-winner line");
    assert!(line.contains("alpha") && line.contains("bravo"), "{line}");
}

/// A scenario change that moves costs is flagged as such.
#[test]
fn scenario_change_moves_every_cost() {
    let repo = Repo::new();
    repo.edit(
        "scenarios/steady.toml",
        "directory_connections = 1",
        "directory_connections = 2",
    );
    let table = ok(&repo.diff(&["--base", "HEAD"]));
    assert!(
        table.contains("Scenario `steady` (the scenario itself changed):"),
        "{table}"
    );
    // 200 connections: alpha 200 × 100; bravo 50 × 120 + 150 × 80; charlie 1,000 + 200 × 60.
    assert!(
        table.contains("alpha at 100: $10,000.00 → $20,000.00"),
        "{table}"
    );
    assert!(
        rows(&table, "bravo")
            .iter()
            .any(|r| r.contains("$18,000.00") && r.contains("+80.00 %")),
        "{table}"
    );
    assert!(
        rows(&table, "charlie")
            .iter()
            .any(|r| r.contains("$13,000.00")),
        "{table}"
    );
    let d = json(&ok(&repo.diff(&["--base", "HEAD", "--format", "json"])));
    assert_eq!(d["impact"][0]["scenario_changed"], true);
}

/// A scenario added in the head is listed.
#[test]
fn scenario_added_and_removed() {
    let repo = Repo::new();
    let text = std::fs::read_to_string(repo.catalog.join("scenarios/steady.toml")).unwrap();
    std::fs::write(
        repo.catalog.join("scenarios/later.toml"),
        text.replace(r#"id = "steady""#, r#"id = "later""#),
    )
    .unwrap();
    let d = json(&ok(&repo.diff(&["--base", "HEAD", "--format", "json"])));
    assert_eq!(d["scenarios_added"], serde_json::json!(["later"]));
    assert_eq!(d["scenarios_removed"], serde_json::json!([]));
    let table = ok(&repo.diff(&["--base", "HEAD"]));
    assert!(table.contains("later"), "{table}");

    repo.remove("scenarios/later.toml");
    repo.edit(
        "scenarios/steady.toml",
        r#"id = "steady""#,
        r#"id = "renamed""#,
    );
    let d = json(&ok(&repo.diff(&["--base", "HEAD", "--format", "json"])));
    assert_eq!(d["scenarios_added"], serde_json::json!(["renamed"]));
    assert_eq!(d["scenarios_removed"], serde_json::json!(["steady"]));
}

/// Adding a scenario is a change, but the summary also says "no changes".
#[test]
fn scenario_added_is_not_no_changes() {
    let repo = Repo::new();
    let text = std::fs::read_to_string(repo.catalog.join("scenarios/steady.toml")).unwrap();
    std::fs::write(
        repo.catalog.join("scenarios/later.toml"),
        text.replace(r#"id = "steady""#, r#"id = "later""#),
    )
    .unwrap();
    let table = ok(&repo.diff(&["--base", "HEAD"]));
    assert!(!table.contains("no changes"), "{table}");
}

/// Editing a scenario without moving any cost (seats are not priced here) is still an edit
/// the diff should mention.
#[test]
fn scenario_edit_without_cost_impact_is_mentioned() {
    let repo = Repo::new();
    repo.edit("scenarios/steady.toml", "seats = 50", "seats = 60");
    let table = ok(&repo.diff(&["--base", "HEAD"]));
    assert!(!table.contains("no changes"), "{table}");
    assert!(table.contains("steady"), "{table}");
}

/// No change at all: "no changes", exit 0 even with a tight threshold.
#[test]
fn no_changes() {
    let repo = Repo::new();
    let table = ok(&repo.diff(&["--base", "HEAD", "--fail-above", "±0%"]));
    assert!(table.contains("no changes"), "{table}");
    assert!(table.contains("not exceeded"), "{table}");
    assert!(!table.contains("new winner"), "{table}");
    let d = json(&ok(&repo.diff(&["--base", "HEAD", "--format", "json"])));
    assert_eq!(d["providers"], serde_json::json!([]));
    assert_eq!(costs(&d), Vec::<Value>::new());
}

/// `--format csv` prints the same as `table` (documented in `--help`).
#[test]
fn csv_format_is_a_usage_error() {
    // A diff is not one table, so `--format csv` is refused rather than silently ignored.
    let repo = Repo::new();
    let out = repo.diff(&["--base", "HEAD", "--format", "csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid value 'csv'"));
}

// --- Thresholds -----------------------------------------------------------------------------

/// Exit code of `diff --base HEAD --fail-above <threshold>` after `edit`.
fn threshold_exit(file: &str, from: &str, to: &str, threshold: &str) -> (i32, String) {
    let repo = Repo::new();
    repo.edit(file, from, to);
    let out = repo.diff(&["--base", "HEAD", "--fail-above", threshold]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.is_empty(),
        "threshold breaches are reported on stdout, not as errors:\n{stderr}"
    );
    (out.status.code().expect("exit code"), stdout)
}

const ALPHA: &str = "providers/alpha.toml";
const ALPHA_PRICE: &str = r#"unit_price = "100""#;
const BRAVO: &str = "providers/bravo.toml";
const GRADUATED: &str = r#"mode = "graduated""#;
const VOLUME: &str = r#"mode = "volume""#;

#[test]
fn percent_threshold_catches_a_20_percent_rise() {
    let (code, text) = threshold_exit(ALPHA, ALPHA_PRICE, r#"unit_price = "120""#, "10%");
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("threshold exceeded (an increase of more than 10 %) by 2 cost(s)"),
        "{text}"
    );
    assert!(
        text.contains("exceeds threshold: steady: alpha at 100: $10,000.00 → $12,000.00 (+$2,000.00, +20.00 %)"),
        "{text}"
    );
    assert!(
        text.contains("exceeds threshold: steady: alpha over the horizon:"),
        "{text}"
    );
}

/// Bravo bills 1–50 at $120 and 51+ at $80 with its mode unstated. At 100 connections the
/// published cost is "≥ $8,000 + unknown" (volume: 100 × $80) and graduated is 50 × $120 +
/// 50 × $80 = $10,000. Raising the first band to $150 leaves the floor alone and makes
/// graduated 50 × $150 + 50 × $80 = $11,500 (+15 %): a 10 % limit is broken at 100 and over
/// the 12 months (12 × the same: $120,000 → $138,000).
#[test]
fn a_rise_in_one_tier_mode_reading_breaks_a_threshold() {
    let repo = Repo::new();
    repo.edit(BRAVO, GRADUATED, r#"mode = "unstated""#);
    repo.commit("bravo's mode unstated");
    repo.edit(BRAVO, r#"unit_price = "120""#, r#"unit_price = "150""#);
    let out = repo.diff(&["--base", "HEAD", "--fail-above", "10%"]);
    let text = expect_code(&out, 1);
    assert!(
        text.contains("threshold exceeded (an increase of more than 10 %) by 2 cost(s)"),
        "{text}"
    );
    assert!(
        text.contains(
            "exceeds threshold: steady: bravo at 100: ≥ $8,000.00 + unknown → ≥ $8,000.00 + \
             unknown (tier mode unstated: graduated $10,000.00 → $11,500.00 (+$1,500.00, \
             +15.00 %), volume $8,000.00 unchanged)"
        ),
        "{text}"
    );
    assert!(
        text.contains("graduated $120,000.00 → $138,000.00 (+$18,000.00, +15.00 %)"),
        "{text}"
    );
}

#[test]
fn percent_threshold_passes_a_5_percent_rise() {
    let (code, text) = threshold_exit(ALPHA, ALPHA_PRICE, r#"unit_price = "105""#, "10%");
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("threshold (an increase of more than 10 %): not exceeded"),
        "{text}"
    );
    assert!(!text.contains("exceeds threshold"), "{text}");
}

#[test]
fn percent_threshold_ignores_decreases() {
    let (code, text) = threshold_exit(BRAVO, GRADUATED, VOLUME, "10%");
    assert_eq!(code, 0, "a 20 % decrease does not break `10%`:\n{text}");
}

#[test]
fn negative_percent_threshold_catches_a_decrease() {
    let (code, text) = threshold_exit(BRAVO, GRADUATED, VOLUME, "-10%");
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("a decrease of more than 10 %"), "{text}");
    assert!(
        text.contains("exceeds threshold: steady: bravo at 100: $10,000.00 → $8,000.00"),
        "{text}"
    );
}

#[test]
fn negative_percent_threshold_ignores_increases() {
    let (code, text) = threshold_exit(ALPHA, ALPHA_PRICE, r#"unit_price = "120""#, "-10%");
    assert_eq!(code, 0, "{text}");
}

#[test]
fn negative_percent_threshold_passes_a_small_decrease() {
    let (code, text) = threshold_exit(ALPHA, ALPHA_PRICE, r#"unit_price = "95""#, "-10%");
    assert_eq!(code, 0, "a 5 % decrease is within `-10%`:\n{text}");
}

#[test]
fn amount_threshold_catches_a_large_rise() {
    // +$2,000 a month.
    let (code, text) = threshold_exit(ALPHA, ALPHA_PRICE, r#"unit_price = "120""#, "500");
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("an increase of more than 500"), "{text}");
    assert!(
        text.contains("exceeds threshold: steady: alpha at 100:"),
        "{text}"
    );
}

#[test]
fn amount_threshold_passes_a_small_rise() {
    // +$40 a month, +$480 over the 12-month horizon: both within 500.
    let (code, text) = threshold_exit(ALPHA, ALPHA_PRICE, r#"unit_price = "100.40""#, "500");
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("not exceeded"), "{text}");
}

#[test]
fn amount_threshold_ignores_a_large_decrease() {
    let (code, text) = threshold_exit(BRAVO, GRADUATED, VOLUME, "500");
    assert_eq!(code, 0, "{text}");
    let (code, text) = threshold_exit(BRAVO, GRADUATED, VOLUME, "-500");
    assert_eq!(code, 1, "{text}");
}

/// The amount is documented as a monthly amount (`Threshold::percent`: "an absolute monthly
/// amount"), but it is also applied to the cumulative cost over the horizon: +$400 a month is
/// +$4,800 over 12 months, so `--fail-above 500` fails on a change under $500 a month.
#[test]
fn amount_threshold_is_monthly() {
    let (code, text) = threshold_exit(ALPHA, ALPHA_PRICE, r#"unit_price = "104""#, "500");
    assert_eq!(code, 0, "+$400 a month is within `500`:\n{text}");
}

#[test]
fn either_way_threshold() {
    for t in ["±10%", "+-10%"] {
        let (code, text) = threshold_exit(ALPHA, ALPHA_PRICE, r#"unit_price = "120""#, t);
        assert_eq!(code, 1, "{t}: +20 %\n{text}");
        assert!(
            text.contains("a change of more than 10 % either way"),
            "{text}"
        );
        let (code, text) = threshold_exit(BRAVO, GRADUATED, VOLUME, t);
        assert_eq!(code, 1, "{t}: −20 %\n{text}");
        let (code, text) = threshold_exit(ALPHA, ALPHA_PRICE, r#"unit_price = "105""#, t);
        assert_eq!(code, 0, "{t}: +5 %\n{text}");
        let (code, text) = threshold_exit(ALPHA, ALPHA_PRICE, r#"unit_price = "95""#, t);
        assert_eq!(code, 0, "{t}: −5 %\n{text}");
    }
    let (code, text) = threshold_exit(BRAVO, GRADUATED, VOLUME, "±500");
    assert_eq!(code, 1, "{text}");
}

/// The breach list is in the markdown (for the PR comment) and the JSON (for scripts).
#[test]
fn threshold_breaches_in_markdown_and_json() {
    let repo = Repo::new();
    repo.edit(ALPHA, ALPHA_PRICE, r#"unit_price = "120""#);
    let out = repo.diff(&[
        "--base",
        "HEAD",
        "--fail-above",
        "10%",
        "--format",
        "markdown",
    ]);
    let md = expect_code(&out, 1);
    assert!(
        md.contains("**threshold exceeded (an increase of more than 10 %) by 2 cost(s)**"),
        "{md}"
    );
    assert!(
        md.contains("<summary>Changes over the threshold</summary>"),
        "{md}"
    );
    let out = repo.diff(&["--base", "HEAD", "--fail-above", "10%", "--format", "json"]);
    let d = json(&expect_code(&out, 1));
    assert_eq!(d["threshold"], "an increase of more than 10 %");
    assert_eq!(d["breaches"].as_array().unwrap().len(), 2);
    assert!(
        d["breaches"][0]
            .as_str()
            .unwrap()
            .starts_with("steady: alpha at 100:"),
        "{d:#}"
    );
}

#[test]
fn invalid_threshold_is_a_usage_error() {
    let repo = Repo::new();
    for bad in ["ten", "10%%", "±-10%", "%", ""] {
        let err = usage_error(&repo.diff(&["--base", "HEAD", "--fail-above", bad]));
        assert!(err.contains("invalid `--fail-above`"), "{bad}: {err}");
        assert!(err.contains("help:"), "{bad}: {err}");
    }
}

// --- Where base and head come from -----------------------------------------------------------

/// `--head` as a second revision: the work tree's further edits are ignored.
#[test]
fn head_as_a_revision() {
    let repo = Repo::new();
    repo.edit(ALPHA, ALPHA_PRICE, r#"unit_price = "120""#);
    repo.commit("alpha +20 %");
    repo.edit(ALPHA, r#"unit_price = "120""#, r#"unit_price = "150""#);

    let table = ok(&repo.diff(&["--base", "HEAD~1", "--head", "HEAD"]));
    assert!(
        table.starts_with("scimeter diff: revision `HEAD~1` → revision `HEAD`\n"),
        "{table}"
    );
    assert!(table.contains("$12,000.00"), "{table}");
    assert!(
        !table.contains("$15,000.00"),
        "the work tree leaked into `--head HEAD`:\n{table}"
    );

    // The same two commits by hash.
    let base = repo.git(&["rev-parse", "HEAD~1"]);
    let head = repo.git(&["rev-parse", "HEAD"]);
    let (base, head) = (base.trim(), head.trim());
    let by_hash = ok(&repo.diff(&["--base", base, "--head", head]));
    assert!(by_hash.contains("$10,000.00 → $12,000.00"), "{by_hash}");

    // And the default head (the work tree) sees the uncommitted edit.
    let work = ok(&repo.diff(&["--base", "HEAD~1"]));
    assert!(work.contains("$10,000.00 → $15,000.00"), "{work}");
}

/// `--head` as a directory outside the repository.
#[test]
fn head_as_a_directory() {
    let repo = Repo::new();
    let other = tempfile::tempdir().unwrap();
    let head = other.path().join("head-catalog");
    copy_dir(&fixture("diff/catalog"), &head);
    let text = std::fs::read_to_string(head.join("providers/alpha.toml")).unwrap();
    std::fs::write(
        head.join("providers/alpha.toml"),
        text.replace(ALPHA_PRICE, r#"unit_price = "120""#),
    )
    .unwrap();

    let out = repo.diff(&["--base", "HEAD", "--head", head.to_str().unwrap()]);
    let table = scrub(&ok(&out), other.path());
    assert!(
        table.starts_with("scimeter diff: revision `HEAD` → directory `[TMP]/head-catalog`\n"),
        "{table}"
    );
    assert!(
        table.contains("alpha at 100: $10,000.00 → $12,000.00"),
        "{table}"
    );
}

/// `--base` as a directory (no git needed), head the work tree of `--catalog`.
#[test]
fn base_as_a_directory() {
    let work = tempfile::tempdir().unwrap();
    let catalog = work.path().join("catalog");
    copy_dir(&fixture("diff/catalog"), &catalog);
    let text = std::fs::read_to_string(catalog.join("providers/bravo.toml")).unwrap();
    std::fs::write(
        catalog.join("providers/bravo.toml"),
        text.replace(GRADUATED, VOLUME),
    )
    .unwrap();
    let base = fixture("diff/catalog");

    let out = scimeter()
        .current_dir(work.path())
        .args(["--catalog", "catalog", "diff", "--as-of", AS_OF, "--base"])
        .arg(&base)
        .output()
        .unwrap();
    let table = ok(&out).replace(&base.display().to_string(), "[FIXTURE]");
    assert!(
        table.starts_with("scimeter diff: directory `[FIXTURE]` → the work tree\n"),
        "{table}"
    );
    assert!(
        table.contains("bravo at 100: $10,000.00 → $8,000.00"),
        "{table}"
    );

    // Both sides directories, relative to the working directory.
    let out = scimeter()
        .current_dir(work.path())
        .args(["diff", "--as-of", AS_OF, "--head", "catalog", "--base"])
        .arg(&base)
        .output()
        .unwrap();
    let table = ok(&out).replace(&base.display().to_string(), "[FIXTURE]");
    assert!(
        table.starts_with("scimeter diff: directory `[FIXTURE]` → directory `catalog`\n"),
        "{table}"
    );
    assert!(
        table.contains("bravo at 100: $10,000.00 → $8,000.00"),
        "{table}"
    );
}

/// A catalog in a sub-directory of the repository: `--catalog cat --base HEAD` reads
/// `cat/providers` at HEAD.
#[test]
fn catalog_in_a_subdirectory_of_the_repository() {
    let repo = Repo::with_catalog_in("cat");
    repo.edit(ALPHA, ALPHA_PRICE, r#"unit_price = "120""#);
    let table = ok(&repo.run(&[
        "--catalog",
        "cat",
        "diff",
        "--as-of",
        AS_OF,
        "--base",
        "HEAD",
    ]));
    assert!(
        table.contains("alpha at 100: $10,000.00 → $12,000.00"),
        "{table}"
    );
    assert!(table.contains("0 added, 0 removed"), "{table}");
}

// --- Bad input --------------------------------------------------------------------------------

#[test]
fn unknown_base_revision() {
    let repo = Repo::new();
    let err = usage_error(&repo.diff(&["--base", "nope"]));
    assert!(err.contains("cannot load `--base`"), "{err}");
    assert!(
        err.contains("`nope` is neither a directory nor a git revision"),
        "{err}"
    );
    assert!(err.contains("help:"), "{err}");
}

#[test]
fn unknown_head_revision() {
    let repo = Repo::new();
    let err = usage_error(&repo.diff(&["--base", "HEAD", "--head", "nope"]));
    assert!(err.contains("cannot load `--head`"), "{err}");
    assert!(err.contains("`nope`"), "{err}");
}

#[test]
fn revision_that_looks_like_an_option() {
    let repo = Repo::new();
    let err = usage_error(&repo.diff(&["--base=--output=/tmp/x"]));
    assert!(err.contains("cannot load `--base`"), "{err}");
}

#[test]
fn missing_base_directory() {
    let repo = Repo::new();
    let err = repo.scrub(&usage_error(&repo.diff(&["--base", "no/such/dir"])));
    assert!(err.contains("cannot load `--base`"), "{err}");
    assert!(err.contains("`no/such/dir`"), "{err}");
    let missing = repo.path().join("gone");
    let err = repo.scrub(&usage_error(
        &repo.diff(&["--base", missing.to_str().unwrap()]),
    ));
    assert!(err.contains("`[TMP]/gone`"), "{err}");
}

#[test]
fn missing_head_directory() {
    let repo = Repo::new();
    let err = usage_error(&repo.diff(&["--base", "HEAD", "--head", "no/such/dir"]));
    assert!(err.contains("cannot load `--head`"), "{err}");
    assert!(err.contains("`no/such/dir`"), "{err}");
}

#[test]
fn empty_base_directory() {
    let repo = Repo::new();
    std::fs::create_dir(repo.path().join("empty")).unwrap();
    let err = usage_error(&repo.diff(&["--base", "empty"]));
    assert!(err.contains("is not a scimeter catalog"), "{err}");
}

#[test]
fn revision_outside_a_git_repository() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("diff/catalog"), dir.path());
    let out = scimeter()
        .current_dir(dir.path())
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .args(["diff", "--as-of", AS_OF, "--base", "HEAD"])
        .output()
        .unwrap();
    let err = usage_error(&out);
    assert!(err.contains("cannot load `--base`"), "{err}");
    assert!(err.contains("not a git repository"), "{err}");
}

/// A base revision whose catalog is invalid: the diagnostics are printed, exit 2.
#[test]
fn invalid_catalog_at_the_base_revision() {
    let repo = Repo::new();
    repo.edit(
        ALPHA,
        r#"unit_price = "100""#,
        "unit_price = \"100\"\nbogus = 1",
    );
    repo.commit("broken");
    repo.edit(
        ALPHA,
        "unit_price = \"100\"\nbogus = 1",
        r#"unit_price = "100""#,
    );
    let err = usage_error(&repo.diff(&["--base", "HEAD"]));
    assert!(err.contains("unknown key `bogus`"), "{err}");
    assert!(err.contains("providers/alpha.toml"), "{err}");
    assert!(err.contains("the catalog is invalid"), "{err}");
}

#[test]
fn unknown_scenario_suggests_the_nearest() {
    let repo = Repo::new();
    let err = usage_error(&repo.diff(&["--base", "HEAD", "--scenario", "stedy"]));
    assert!(err.contains("unknown scenario `stedy`"), "{err}");
    assert!(err.contains("did you mean `steady`?"), "{err}");
    let err = usage_error(&repo.diff(&["--base", "HEAD", "--scenario", "zzzzzzzz"]));
    assert!(err.contains("unknown scenario `zzzzzzzz`"), "{err}");
    assert!(err.contains("`steady`"), "lists the scenarios: {err}");
}

#[test]
fn known_scenario_filter() {
    let repo = Repo::new();
    repo.edit(ALPHA, ALPHA_PRICE, r#"unit_price = "120""#);
    let d = json(&ok(&repo.diff(&[
        "--base",
        "HEAD",
        "--scenario",
        "steady",
        "--format",
        "json",
    ])));
    assert_eq!(
        cost_of(&d, "alpha", Some(100))["after"]["amount"],
        "12000.00"
    );
}

#[test]
fn invalid_as_of_date() {
    let repo = Repo::new();
    let out = repo.run(&["diff", "--base", "HEAD", "--as-of", "28-11-2026"]);
    let err = usage_error(&out);
    assert!(err.contains("`28-11-2026`"), "{err}");
    assert!(err.contains("YYYY-MM-DD"), "{err}");
}

#[test]
fn missing_base_argument() {
    let repo = Repo::new();
    let out = repo.run(&["diff"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--base"), "{stderr}");
}

// --- Staleness --------------------------------------------------------------------------------

/// alpha's `verified` date moves back to 2026-01-01: 331 days before 2026-11-28.
#[test]
fn stale_provider_flagged_with_as_of_and_max_age() {
    let repo = Repo::new();
    repo.edit(ALPHA, "verified = 2026-11-01", "verified = 2026-01-01");

    let table = ok(&repo.run(&[
        "diff",
        "--base",
        "HEAD",
        "--as-of",
        "2026-11-28",
        "--max-age",
        "180",
    ]));
    assert!(
        table.contains(
            "stale: `alpha` verified 2026-01-01 (331 days before 2026-11-28, the `--as-of` date)"
        ),
        "{table}"
    );
    assert!(
        !table.contains("stale: `bravo`") && !table.contains("stale: `charlie`"),
        "{table}"
    );
    assert!(
        table.contains("verified: 2026-11-01 → 2026-01-01"),
        "{table}"
    );

    let md = ok(&repo.run(&[
        "diff",
        "--base",
        "HEAD",
        "--as-of",
        "2026-11-28",
        "--max-age",
        "180",
        "--format",
        "markdown",
    ]));
    assert!(
        md.contains(
            "- stale: `alpha` verified 2026-01-01 (331 days before 2026-11-28, the `--as-of` date)"
        ),
        "{md}"
    );

    let d = json(&ok(&repo.run(&[
        "diff",
        "--base",
        "HEAD",
        "--as-of",
        "2026-11-28",
        "--max-age",
        "180",
        "--format",
        "json",
    ])));
    assert_eq!(
        d["stale"],
        serde_json::json!([{ "provider": "alpha", "verified": "2026-01-01", "age_days": 331, "as_of": "2026-11-28" }])
    );

    // Within a longer allowance: not stale.
    let table = ok(&repo.run(&[
        "diff",
        "--base",
        "HEAD",
        "--as-of",
        "2026-11-28",
        "--max-age",
        "400",
    ]));
    assert!(!table.contains("stale"), "{table}");
    // Exactly at the limit: not stale (older than, not as old as).
    let table = ok(&repo.run(&[
        "diff",
        "--base",
        "HEAD",
        "--as-of",
        "2026-11-28",
        "--max-age",
        "331",
    ]));
    assert!(!table.contains("stale"), "{table}");
    let table = ok(&repo.run(&[
        "diff",
        "--base",
        "HEAD",
        "--as-of",
        "2026-11-28",
        "--max-age",
        "330",
    ]));
    assert!(table.contains("stale: `alpha`"), "{table}");
}

/// Staleness concerns the head catalog and does not need a change; it is a flag, not a failure.
#[test]
fn staleness_without_changes_is_not_a_failure() {
    let repo = Repo::new();
    let out = repo.run(&[
        "diff",
        "--base",
        "HEAD",
        "--as-of",
        "2027-12-01",
        "--max-age",
        "180",
        "--fail-above",
        "10%",
    ]);
    let table = ok(&out);
    assert!(table.contains("no changes"), "{table}");
    for p in ["alpha", "bravo", "charlie"] {
        assert!(
            table.contains(&format!(
                "stale: `{p}` verified 2026-11-01 (395 days before 2027-12-01, the `--as-of` date)"
            )),
            "{table}"
        );
    }
}

#[test]
fn invalid_max_age() {
    let repo = Repo::new();
    let out = repo.run(&["diff", "--base", "HEAD", "--max-age", "-5"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// Catalog text in a pull-request comment stays text: a provider name with a code fence, an
/// HTML tag and a link, and a scenario name with the same, neither close the field-level fence
/// nor become HTML or a link in the summary (issue 15's escaping, applied to `diff` too).
#[test]
fn markdown_escapes_hostile_catalog_text() {
    let repo = Repo::new();
    let hostile = r"Alpha\n```\n<img src=x onerror=alert(1)> [ok](https://evil.example)";
    repo.edit(
        "providers/alpha.toml",
        r#"name = "Alpha""#,
        &format!(r#"name = "{hostile}""#),
    );
    repo.edit(
        "scenarios/steady.toml",
        r#"name = "Steady: 100 customers""#,
        &format!(r#"name = "Steady {hostile}""#),
    );
    let md = ok(&repo.diff(&["--base", "HEAD", "--format", "markdown"]));
    // The field-level block opens with a fence longer than the name's three backticks, and
    // the only line that closes it is its own closing fence.
    let lines: Vec<&str> = md.lines().collect();
    let open = lines
        .iter()
        .position(|l| l.starts_with("````"))
        .unwrap_or_else(|| panic!("no fence longer than the name's backticks:\n{md}"));
    let fence = lines[open].trim_end_matches("diff");
    let close = open
        + 1
        + lines[open + 1..]
            .iter()
            .position(|l| *l == fence)
            .unwrap_or_else(|| panic!("the block is never closed:\n{md}"));
    assert!(
        lines[open + 1..close].iter().any(|l| l.starts_with("```")),
        "the name's own backticks are kept inside the block:\n{md}"
    );
    // Outside the block (inert code) nothing is HTML or a link.
    let outside = [&lines[..open], &lines[close + 1..]].concat().join("\n");
    assert!(
        !outside.replace(r"\<img", "").contains("<img"),
        "raw HTML in the comment:\n{md}"
    );
    assert!(
        !outside.contains("[ok](https"),
        "a live link in the comment:\n{md}"
    );
    assert!(
        outside.contains(r"\<img"),
        "the scenario name is shown escaped:\n{md}"
    );
}
