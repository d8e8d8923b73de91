//! Robustness: no input makes scimeter panic, hang, run out of memory, write outside its
//! output directory, or leave half-written reports; every bad input gets a clear error and
//! exit code 2. Everything here goes through the real binary. See `docs/robustness.md` for
//! the classes of bad input, the documented limits and the fuzzing that backs this file.
//!
//! - regressions: minimized fuzzer findings and other crash inputs
//!   (`tests/fixtures/regressions/`);
//! - hostile bytes and hostile command-line values;
//! - extreme values at the limits of each type (money, counts, horizon, sizes);
//! - crash-safe writes (a killed `report`, an injected failure);
//! - path safety (ids, `--out`, symbolic links, the manifest).

use crate::common::{fixture, scimeter};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The reference date for staleness, so results do not depend on the clock.
const AS_OF: &str = "2026-11-28";

/// The smallest valid catalog (`tests/fixtures/valid/minimal/`), as templates to break.
const PROVIDER: &str = include_str!("fixtures/valid/minimal/providers/acme.toml");
const SCENARIO: &str = include_str!("fixtures/valid/minimal/scenarios/base.toml");

/// The minimal provider, stating the `provisioning` the minimal scenario requires (so it is
/// priced rather than excluded).
fn base_provider() -> String {
    edit(
        PROVIDER,
        "[pricing]",
        "[features.provisioning]\nstatus = \"ga\"\nsource = \"pricing\"\n\n[pricing]",
    )
}

/// What one run did.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs scimeter in `dir` and asserts the promises every run keeps: it exits (no signal,
/// so no abort or stack overflow), with 0, 1 or 2, and never prints a panic.
fn run(dir: &Path, args: &[&str]) -> Run {
    let out = scimeter()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("scimeter runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        !stderr.contains("panicked"),
        "scimeter {args:?} panicked:\n{stderr}"
    );
    let Some(code) = out.status.code() else {
        panic!(
            "scimeter {args:?} was killed by a signal ({:?}):\n{stderr}",
            out.status
        )
    };
    assert!(
        matches!(code, 0..=2),
        "scimeter {args:?} exited {code}:\n{stderr}"
    );
    Run {
        code,
        stdout,
        stderr,
    }
}

/// Like [`run`], and asserts the exit code.
fn expect(dir: &Path, args: &[&str], code: i32) -> Run {
    let r = run(dir, args);
    assert_eq!(
        r.code, code,
        "scimeter {args:?}: expected exit {code}\nstdout:\n{}\nstderr:\n{}",
        r.stdout, r.stderr
    );
    r
}

/// `text` with `from` replaced by `to` (which must occur).
fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "template lacks `{from}`");
    text.replacen(from, to, 1)
}

/// A catalog in a fresh temporary directory: `providers/<name>` and `scenarios/<name>`.
fn catalog(providers: &[(&str, &[u8])], scenarios: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (sub, files) in [("providers", providers), ("scenarios", scenarios)] {
        fs::create_dir_all(dir.path().join(sub)).unwrap();
        for (name, bytes) in files {
            fs::write(dir.path().join(sub).join(name), bytes).unwrap();
        }
    }
    dir
}

/// The minimal catalog with its provider and scenario replaced.
fn pair(provider: &str, scenario: &str) -> tempfile::TempDir {
    catalog(
        &[("acme.toml", provider.as_bytes())],
        &[("base.toml", scenario.as_bytes())],
    )
}

/// Writes a synthetic catalog (see `scimeter::synthetic`) to a temporary directory.
fn synthetic(providers: usize, scenarios: usize, months: u32, seed: u64) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &scimeter::synthetic::files(providers, scenarios, months, seed),
    );
    dir
}

fn write_files(root: &Path, files: &[scimeter::load::catalog::RawFile]) {
    for f in files {
        let path = root.join(&f.name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, &f.bytes).unwrap();
    }
}

/// Every file under `dir` (relative path → bytes), without a run's staging directory.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for e in entries.filter_map(Result::ok) {
            let p = e.path();
            if e.file_name() == ".scimeter-staging" {
                continue;
            }
            if e.file_type().unwrap().is_dir() {
                walk(root, &p, out);
            } else {
                out.insert(
                    p.strip_prefix(root).unwrap().to_path_buf(),
                    fs::read(&p).unwrap(),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Staging directories left in `dir` or in `dir/reports` (names starting with
/// `.scimeter-staging`).
fn staging_dirs(dir: &Path) -> Vec<String> {
    [dir.to_path_buf(), dir.join("reports")]
        .iter()
        .filter_map(|d| fs::read_dir(d).ok())
        .flat_map(|rd| rd.filter_map(Result::ok))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".scimeter-staging"))
        .collect()
}

/// The scenario ids of a catalog directory (its `scenarios/*.toml` stems).
fn scenario_ids(dir: &Path) -> Vec<String> {
    let mut ids: Vec<String> = fs::read_dir(dir.join("scenarios"))
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter_map(|e| {
                    e.path()
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                })
                .collect()
        })
        .unwrap_or_default();
    ids.sort();
    ids
}

/// Every command a user could run on a catalog: all exit 0 or 2 without a panic; when `check`
/// fails, every other command fails too and `report` writes nothing.
fn exercise(dir: &Path) -> i32 {
    let d = dir.to_str().unwrap();
    let check = run(dir, &["check", "--as-of", AS_OF, "--catalog", d]);
    assert!(
        check.code == 0 || check.code == 2,
        "check: {}",
        check.stderr
    );
    let out = tempfile::tempdir().unwrap();
    let reports = out.path().join("reports");
    let report = run(
        dir,
        &["report", "--catalog", d, "--out", reports.to_str().unwrap()],
    );
    if check.code == 2 {
        assert_eq!(
            report.code, 2,
            "report succeeded on a catalog `check` rejects"
        );
        assert!(
            !reports.exists(),
            "a failed report wrote {:?}",
            snapshot(&reports).keys()
        );
    }
    assert!(
        staging_dirs(out.path()).is_empty(),
        "a staging directory was left behind"
    );
    if check.code == 0 {
        for id in scenario_ids(dir) {
            for args in [
                &[
                    "cost",
                    "--scenario",
                    &id,
                    "--at",
                    "1,100,1000000000",
                    "--explain",
                ][..],
                &["project", "--scenario", &id, "--format", "csv"],
                &["rank", "--scenario", &id, "--format", "json"],
                &["sensitivity", "--scenario", &id, "--draws", "200"],
            ] {
                let mut full = args.to_vec();
                full.extend(["--catalog", d]);
                let r = run(dir, &full);
                assert!(r.code == 0 || r.code == 2, "{full:?}: {}", r.stderr);
            }
        }
    }
    check.code
}

// ------------------------------------------------------------------ regressions

/// Each directory under `tests/fixtures/regressions/` is a catalog that once crashed scimeter
/// or a fuzz target (see its README). Every command must now exit cleanly.
#[test]
fn regressions_never_panic() {
    let root = fixture("regressions");
    let mut seen = 0;
    for e in fs::read_dir(&root).unwrap().filter_map(Result::ok) {
        if e.file_type().unwrap().is_dir() {
            exercise(&e.path());
            seen += 1;
        }
    }
    assert!(
        seen > 0,
        "no regression catalogs found in {}",
        root.display()
    );
}

// ------------------------------------------------------------------ hostile bytes

/// Hostile file contents, each tried as the provider file and as the scenario file.
fn hostile_files() -> Vec<(&'static str, Vec<u8>)> {
    let mut rng = 0x2545_f491_4f6c_dd1d_u64;
    let mut random = |n: usize| -> Vec<u8> {
        (0..n)
            .map(|_| {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                rng.to_le_bytes()[0]
            })
            .collect()
    };
    let utf16: Vec<u8> = PROVIDER.encode_utf16().flat_map(u16::to_le_bytes).collect();
    vec![
        ("empty", Vec::new()),
        ("whitespace only", b" \n\t\r\n  ".to_vec()),
        ("byte-order mark only", b"\xEF\xBB\xBF".to_vec()),
        ("NUL bytes", vec![0; 4096]),
        ("random bytes", random(4096)),
        ("random bytes, 1 MiB", random(1 << 20)),
        ("invalid UTF-8 in a value", b"id = \"\xFF\xFE\"\n".to_vec()),
        ("UTF-16", utf16),
        (
            "arrays nested 100,000 deep",
            format!("x = {}{}\n", "[".repeat(100_000), "]".repeat(100_000)).into_bytes(),
        ),
        (
            "inline tables nested 100,000 deep",
            format!("x = {}1{}\n", "{a=".repeat(100_000), "}".repeat(100_000)).into_bytes(),
        ),
        (
            "dotted key 10,000 parts",
            format!("{} = 1\n", vec!["a"; 10_000].join(".")).into_bytes(),
        ),
        (
            "one line of 1 MiB",
            format!("name = \"{}\"\n", "x".repeat(1 << 20)).into_bytes(),
        ),
        (
            "20,000 keys",
            (0..20_000)
                .flat_map(|i| format!("k{i} = {i}\n").into_bytes())
                .collect(),
        ),
        ("duplicate key", b"id = \"a\"\nid = \"b\"\n".to_vec()),
        ("table redefined", b"[pricing]\n[pricing]\n".to_vec()),
        (
            "huge integer",
            b"horizon_months = 99999999999999999999999999999999999999\n".to_vec(),
        ),
        ("huge float", b"horizon_months = 1e999999\n".to_vec()),
        ("date out of range", b"verified = 9999-99-99\n".to_vec()),
        ("unterminated string", b"name = \"abc\n".to_vec()),
        (
            "unterminated multi-line string",
            b"name = \"\"\"abc\n".to_vec(),
        ),
        ("control characters", b"name = \"a\x01\x02\x7f\"\n".to_vec()),
        (
            "CRLF line endings",
            PROVIDER.replace('\n', "\r\n").into_bytes(),
        ),
        (
            "lone CR line endings",
            PROVIDER.replace('\n', "\r").into_bytes(),
        ),
        (
            "valid catalog with a trailing NUL",
            [PROVIDER.as_bytes(), b"\0"].concat(),
        ),
    ]
}

#[test]
fn hostile_files_fail_cleanly() {
    for (what, bytes) in hostile_files() {
        for as_provider in [true, false] {
            let dir = if as_provider {
                catalog(
                    &[("acme.toml", &bytes)],
                    &[("base.toml", SCENARIO.as_bytes())],
                )
            } else {
                catalog(
                    &[("acme.toml", PROVIDER.as_bytes())],
                    &[("base.toml", &bytes)],
                )
            };
            let started = Instant::now();
            let r = run(dir.path(), &["check", "--as-of", AS_OF]);
            let role = if as_provider { "provider" } else { "scenario" };
            // CRLF endings are valid TOML; everything else here is broken.
            let ok = what == "CRLF line endings" && as_provider;
            assert_eq!(
                r.code,
                if ok { 0 } else { 2 },
                "{what} as the {role}:\n{}",
                r.stderr
            );
            if !ok {
                assert!(
                    r.stderr.contains("error"),
                    "{what} as the {role}: no error message:\n{}",
                    r.stderr
                );
                assert!(
                    r.stderr.contains(&format!("{role}s/")),
                    "{what} as the {role}: the file is not named:\n{}",
                    r.stderr
                );
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "{what}: took {:?}",
                started.elapsed()
            );
        }
    }
}

/// Hostile command-line values: each is a usage error (exit 2) with a message, never a panic.
#[test]
fn hostile_arguments_fail_cleanly() {
    let dir = pair(&base_provider(), SCENARIO);
    let cases: &[&[&str]] = &[
        &["cost", "--scenario", "base", "--at", "0"],
        &["cost", "--scenario", "base", "--at", "-1"],
        &["cost", "--scenario", "base", "--at", "1000000001"],
        &["cost", "--scenario", "base", "--at", "18446744073709551616"],
        &["cost", "--scenario", "base", "--at", "1e9"],
        &["cost", "--scenario", "base", "--at", ",,,"],
        &["cost", "--scenario", "../base", "--at", "1"],
        &["cost", "--scenario", "nope", "--at", "1"],
        &["rank", "--scenario", "base", "--weights", "ease=nan"],
        &["rank", "--scenario", "base", "--weights", "ease=inf"],
        &["rank", "--scenario", "base", "--weights", "ease=-1"],
        &["rank", "--scenario", "base", "--weights", "ease=1e309"],
        &[
            "rank",
            "--scenario",
            "base",
            "--weights",
            "ease=0,features=0,pricing=0,integration=0,prerequisites=0",
        ],
        &["rank", "--scenario", "base", "--weights", "nonsense"],
        &["sensitivity", "--scenario", "base", "--draws", "0"],
        &[
            "sensitivity",
            "--scenario",
            "base",
            "--draws",
            "18446744073709551616",
        ],
        &[
            "sensitivity",
            "--scenario",
            "base",
            "--draws",
            "100000000000",
        ],
        &["check", "--as-of", "2026-02-30"],
        &["check", "--as-of", "99999-01-01"],
        &["check", "--as-of", "yesterday"],
        &["check", "--max-age", "99999999999"],
        &["explain", "nobody", "--scenario", "base"],
        &["explain", "acme", "--scenario", "base", "--vs", "../acme"],
        &["diff", "--base", "/nonexistent/catalog"],
        &["diff", "--base", "HEAD~999999"],
        &["new", "provider", "../../escape"],
        &["new", "provider", "a/b"],
        &["new", "provider", ""],
        &["no-such-command"],
    ];
    for args in cases {
        let r = run(dir.path(), args);
        assert_eq!(
            r.code, 2,
            "{args:?}: expected exit 2\nstdout:\n{}\nstderr:\n{}",
            r.stdout, r.stderr
        );
        assert!(!r.stderr.trim().is_empty(), "{args:?}: no message");
    }
    // `new provider` with a bad id wrote nothing anywhere.
    assert!(
        !dir.path().join("escape.toml").exists()
            && !dir.path().parent().unwrap().join("escape.toml").exists()
    );
    assert_eq!(
        fs::read_dir(dir.path().join("providers")).unwrap().count(),
        1
    );
}

// ------------------------------------------------------------------ extreme values

/// The largest `Decimal` (about 7.9e28, 28 significant digits) is a valid price; a cost that
/// exceeds it is a clear overflow error (exit 2) and no report is written.
#[test]
fn money_at_the_limit_of_its_type() {
    let max = "79228162514264337593543950335";
    let provider = edit(
        &base_provider(),
        "base_fee = \"0\"",
        &format!("base_fee = \"{max}\""),
    );
    let dir = pair(&provider, SCENARIO);
    expect(dir.path(), &["check", "--as-of", AS_OF], 0);
    let r = expect(
        dir.path(),
        &["cost", "--scenario", "base", "--at", "100"],
        2,
    );
    assert!(r.stderr.contains("overflow"), "{}", r.stderr);
    let r = expect(dir.path(), &["report", "--out", "out"], 2);
    assert!(r.stderr.contains("overflow"), "{}", r.stderr);
    assert!(!dir.path().join("out").exists());

    // A unit price near the limit overflows as soon as it is multiplied.
    let provider = edit(
        &base_provider(),
        "unit_price = \"125\"",
        "unit_price = \"7.9e28\"",
    );
    let dir = pair(&provider, SCENARIO);
    expect(dir.path(), &["check", "--as-of", AS_OF], 0);
    let r = expect(
        dir.path(),
        &["cost", "--scenario", "base", "--at", "100"],
        2,
    );
    assert!(r.stderr.contains("overflow"), "{}", r.stderr);

    // 29 significant digits cannot be represented exactly: rejected, with the limit named.
    let provider = edit(
        &base_provider(),
        "base_fee = \"0\"",
        "base_fee = \"79228162514264337593543950336\"",
    );
    let r = expect(
        pair(&provider, SCENARIO).path(),
        &["check", "--as-of", AS_OF],
        2,
    );
    assert!(r.stderr.contains("28 significant digits"), "{}", r.stderr);

    // Large but representable amounts compute exactly: 1e26 a month, ×12 a year.
    let provider = edit(
        &base_provider(),
        "base_fee = \"0\"",
        "base_fee = \"100000000000000000000000000\"",
    );
    let dir = pair(&provider, SCENARIO);
    let r = expect(
        dir.path(),
        &[
            "cost",
            "--scenario",
            "base",
            "--at",
            "10",
            "--format",
            "json",
        ],
        0,
    );
    assert!(
        r.stdout.contains("\"1200000000000000000000007500"),
        "annual cost of 12 × (1e26 + 5 × 125) missing:\n{}",
        r.stdout
    );
    expect(dir.path(), &["report", "--out", "out"], 0);

    // The smallest positive amount (1e-28) is kept exactly, not rounded away before the sum.
    let provider = edit(
        &base_provider(),
        "base_fee = \"0\"",
        "base_fee = \"0.0000000000000000000000000001\"",
    );
    expect(
        pair(&provider, SCENARIO).path(),
        &["cost", "--scenario", "base", "--at", "10"],
        0,
    );
}

/// `included`, `up_to`, `from` and plan limits accept the whole `u64` range; one past it is a
/// clear type error.
#[test]
fn counts_at_the_limit_of_u64() {
    let u64max = u64::MAX.to_string();
    let provider = edit(
        &base_provider(),
        "included = 5",
        &format!("included = {u64max}"),
    );
    let provider = edit(
        &provider,
        "limits = { directory_connections = 100 }",
        &format!("limits = {{ directory_connections = {u64max} }}"),
    );
    let dir = pair(&provider, SCENARIO);
    expect(dir.path(), &["check", "--as-of", AS_OF], 0);
    let r = expect(
        dir.path(),
        &[
            "cost",
            "--scenario",
            "base",
            "--at",
            "1,1000000000",
            "--format",
            "json",
        ],
        0,
    );
    assert!(r.stdout.contains("1000000000"), "{}", r.stdout);

    // Bands up to u64::MAX − 1, then an unbounded band starting at u64::MAX.
    let provider = edit(
        &base_provider(),
        "{ from = 51, unit_price = \"contact_sales\" }",
        &format!(
            "{{ from = 51, up_to = {}, unit_price = \"1\" }}, {{ from = {u64max}, unit_price = \"2\" }}",
            u64::MAX - 1
        ),
    );
    let provider = edit(&provider, "limits = { directory_connections = 100 }", "");
    let dir = pair(&provider, SCENARIO);
    expect(dir.path(), &["check", "--as-of", AS_OF], 0);
    expect(
        dir.path(),
        &["cost", "--scenario", "base", "--at", "1000000000"],
        0,
    );

    // A band ending at u64::MAX followed by another band: no unit is left for it (an error,
    // not an overflow).
    let provider = edit(
        &base_provider(),
        "{ from = 16, up_to = 50,",
        &format!("{{ from = 16, up_to = {u64max},"),
    );
    let r = expect(
        pair(&provider, SCENARIO).path(),
        &["check", "--as-of", AS_OF],
        2,
    );
    assert!(
        r.stderr
            .contains("follows a band that ends at the largest count"),
        "{}",
        r.stderr
    );

    // `from` on the first band with `included = u64::MAX`.
    let provider = edit(
        &base_provider(),
        "included = 5",
        &format!("included = {u64max}"),
    );
    let provider = edit(
        &provider,
        "{ from = 1, up_to = 15",
        "{ from = 7, up_to = 15",
    );
    let r = expect(
        pair(&provider, SCENARIO).path(),
        &["check", "--as-of", AS_OF],
        2,
    );
    assert!(r.stderr.contains("gap between tiers"), "{}", r.stderr);

    // One past u64::MAX, and negative counts: type errors naming the key.
    for bad in ["18446744073709551616", "-1", "1.5"] {
        let provider = edit(
            &base_provider(),
            "included = 5",
            &format!("included = {bad}"),
        );
        let r = expect(
            pair(&provider, SCENARIO).path(),
            &["check", "--as-of", AS_OF],
            2,
        );
        assert!(
            r.stderr.contains("included"),
            "included = {bad}:\n{}",
            r.stderr
        );
    }
}

/// Horizons from 1 to 600 months compute; 0, 601 and beyond `u32` are rejected with the range.
#[test]
fn horizon_limits() {
    let scenario = edit(SCENARIO, "horizon_months = 12", "horizon_months = 600");
    let dir = pair(&base_provider(), &scenario);
    expect(dir.path(), &["check", "--as-of", AS_OF], 0);
    let r = expect(
        dir.path(),
        &["project", "--scenario", "base", "--format", "csv"],
        0,
    );
    assert!(r.stdout.lines().count() > 600, "expected a row per month");
    expect(dir.path(), &["report", "--out", "out"], 0);
    for bad in ["0", "601", "4294967296", "-1"] {
        let scenario = edit(
            SCENARIO,
            "horizon_months = 12",
            &format!("horizon_months = {bad}"),
        );
        let r = expect(
            pair(&base_provider(), &scenario).path(),
            &["check", "--as-of", AS_OF],
            2,
        );
        assert!(
            r.stderr.contains("horizon_months"),
            "horizon {bad}:\n{}",
            r.stderr
        );
    }
}

/// A charge with 5,000 bands is validated and priced in bounded time.
#[test]
fn thousands_of_tier_bands() {
    let mut bands: Vec<String> = (0..5_000u64)
        .map(|i| {
            format!(
                "{{ from = {}, up_to = {}, unit_price = \"{}\" }}",
                i * 10 + 1,
                i * 10 + 10,
                5_000 - i
            )
        })
        .collect();
    bands.push("{ from = 50001, unit_price = \"0.5\" }".to_owned());
    let provider = edit(
        &base_provider(),
        "tiers = [\n  { from = 1, up_to = 15, unit_price = \"125\" },\n  { from = 16, up_to = 50, unit_price = \"100\" },\n  { from = 51, unit_price = \"contact_sales\" },\n]",
        &format!("tiers = [{}]", bands.join(", ")),
    );
    let provider = edit(&provider, "limits = { directory_connections = 100 }", "");
    let dir = pair(&provider, SCENARIO);
    expect(dir.path(), &["check", "--as-of", AS_OF], 0);
    expect(
        dir.path(),
        &[
            "cost",
            "--scenario",
            "base",
            "--at",
            "100,60000,1000000000",
            "--explain",
        ],
        0,
    );
    // Volume mode over the same bands.
    let volume = edit(&provider, "mode = \"graduated\"", "mode = \"volume\"");
    expect(
        pair(&volume, SCENARIO).path(),
        &["cost", "--scenario", "base", "--at", "49999"],
        0,
    );
}

/// 2,000 providers (synthetic) are checked and costed.
#[test]
fn thousands_of_providers() {
    let dir = synthetic(2_000, 1, 12, 1);
    expect(dir.path(), &["check", "--as-of", AS_OF], 0);
    let r = expect(
        dir.path(),
        &[
            "cost",
            "--scenario",
            "s000",
            "--at",
            "100,1000",
            "--format",
            "csv",
        ],
        0,
    );
    assert!(r.stdout.contains("p01999"), "the last provider is missing");
}

/// MAU in the billions: 1e7 seats × 1,000 customers = 1e10 MAU a month, and 1e7 seats × 1e9
/// customers = 1e16 MAU at the largest milestone, priced exactly.
#[test]
fn mau_in_the_billions() {
    let provider = edit(
        &base_provider(),
        "meter = \"directory_connections\"\nincluded = 5\nmode = \"graduated\"\ntiers = [\n  { from = 1, up_to = 15, unit_price = \"125\" },\n  { from = 16, up_to = 50, unit_price = \"100\" },\n  { from = 51, unit_price = \"contact_sales\" },\n]",
        "meter = \"mau\"\nunit_price = \"0.02\"",
    );
    let provider = edit(&provider, "limits = { directory_connections = 100 }", "");
    let scenario = edit(
        SCENARIO,
        "kind = \"linear\"\nstart = 10\nend = 100",
        "kind = \"constant\"\ncustomers = 1000",
    );
    let scenario = edit(
        &scenario,
        "horizon_months = 12",
        "horizon_months = 12\nmilestones = [1000, 1000000000]",
    );
    let scenario = edit(&scenario, "[needs]", "[usage]\nseats = 1e7\n\n[needs]");
    let dir = pair(&provider, &scenario);
    expect(dir.path(), &["check", "--as-of", AS_OF], 0);
    let r = expect(
        dir.path(),
        &["cost", "--scenario", "base", "--format", "json"],
        0,
    );
    // 1e10 MAU × $0.02 = $200,000,000 a month; 1e16 MAU × $0.02 = $200,000,000,000,000.
    assert!(r.stdout.contains("200000000.00"), "{}", r.stdout);
    assert!(r.stdout.contains("200000000000000.00"), "{}", r.stdout);
    expect(dir.path(), &["report", "--out", "out"], 0);
    // Seats beyond 1e7 per customer are rejected with the range.
    let r = expect(
        pair(
            &provider,
            &scenario.replace("seats = 1e7", "seats = 1.0000001e7"),
        )
        .path(),
        &["check", "--as-of", AS_OF],
        2,
    );
    assert!(r.stderr.contains("seats"), "{}", r.stderr);
}

/// Growth that explodes is rejected by `check`, naming the month it passes 1e9 customers;
/// non-finite and negative growth too.
#[test]
fn exploding_growth_is_rejected() {
    let compound = |start: &str, rate: &str| {
        let s = edit(SCENARIO, "horizon_months = 12", "horizon_months = 600");
        edit(
            &s,
            "kind = \"linear\"\nstart = 10\nend = 100",
            &format!("kind = \"compound\"\nstart = {start}\nmonthly_rate = {rate}"),
        )
    };
    let r = expect(
        pair(&base_provider(), &compound("1", "1.0")).path(),
        &["check", "--as-of", AS_OF],
        2,
    );
    // 2^30 > 1e9: month 31.
    assert!(
        r.stderr
            .contains("growth exceeds 1000000000 customers in month 31"),
        "{}",
        r.stderr
    );
    for (start, rate) in [
        ("0", "1e308"),
        ("1", "1e308"),
        ("1e308", "0"),
        ("1", "nan"),
        ("1", "inf"),
        ("1", "-2"),
        ("-1", "0"),
    ] {
        let r = expect(
            pair(&base_provider(), &compound(start, rate)).path(),
            &["check", "--as-of", AS_OF],
            2,
        );
        assert!(
            r.stderr.contains("growth"),
            "start {start}, rate {rate}:\n{}",
            r.stderr
        );
    }
    // 0 × (1 + 1e308)^2 is NaN in floating point: reported as such, not as "negative".
    let r = expect(
        pair(&base_provider(), &compound("0", "1e308")).path(),
        &["check", "--as-of", AS_OF],
        2,
    );
    assert!(
        r.stderr
            .contains("growth is not a finite number in month 3"),
        "{}",
        r.stderr
    );
    // With a cap the same growth is fine: capped at 1e9 customers over 600 months.
    let capped = edit(
        &compound("1", "1.0"),
        "monthly_rate = 1.0",
        "monthly_rate = 1.0\ncap = 1000000000",
    );
    let dir = pair(&base_provider(), &capped);
    expect(dir.path(), &["check", "--as-of", AS_OF], 0);
    expect(
        dir.path(),
        &["project", "--scenario", "base", "--format", "csv"],
        0,
    );
}

/// Milestones up to 1e9 customers are costed (the cost curve is searched up to 100,000
/// customers); beyond 1e9, or not ascending, is rejected.
#[test]
fn large_milestones() {
    let scenario = edit(
        SCENARIO,
        "horizon_months = 12",
        "horizon_months = 12\nmilestones = [1, 1000000000]",
    );
    let dir = pair(&base_provider(), &scenario);
    expect(dir.path(), &["check", "--as-of", AS_OF], 0);
    let r = expect(dir.path(), &["cost", "--scenario", "base"], 0);
    assert!(r.stdout.contains("1,000,000,000"), "{}", r.stdout);
    expect(dir.path(), &["report", "--out", "out"], 0);
    for bad in [
        "[1000000001]",
        "[100, 10]",
        "[]",
        "[0]",
        "[18446744073709551616]",
    ] {
        let scenario = edit(
            SCENARIO,
            "horizon_months = 12",
            &format!("horizon_months = 12\nmilestones = {bad}"),
        );
        let r = expect(
            pair(&base_provider(), &scenario).path(),
            &["check", "--as-of", AS_OF],
            2,
        );
        assert!(
            r.stderr.contains("milestone"),
            "milestones = {bad}:\n{}",
            r.stderr
        );
    }
}

// ------------------------------------------------------------------ crash-safe writes

/// A `report` killed (SIGKILL) at any point leaves every previous report file whole: each is
/// byte for byte the previous or the new version, never truncated or missing. Killed while
/// computing, nothing at all has changed. The next run completes and removes the killed runs'
/// staging directories.
#[test]
fn killed_report_leaves_previous_reports_intact() {
    let work = tempfile::tempdir().unwrap();
    let catalog_dir = work.path().join("catalog");
    let reports = work.path().join("reports");
    // Old and new versions of the same catalog (same ids, different prices), large enough
    // that a debug build takes a couple of seconds to compute the reports.
    let (providers, scenarios, months) = (16, 3, 48);
    write_files(
        &catalog_dir,
        &scimeter::synthetic::files(providers, scenarios, months, 1),
    );
    let c = catalog_dir.to_str().unwrap();
    expect(
        work.path(),
        &["report", "--catalog", c, "--out", "reports"],
        0,
    );
    let old = snapshot(&reports);
    write_files(
        &catalog_dir,
        &scimeter::synthetic::files(providers, scenarios, months, 2),
    );
    // The new version's reports, written elsewhere, and how long a full run takes here.
    let started = Instant::now();
    expect(
        work.path(),
        &["report", "--catalog", c, "--out", "expected"],
        0,
    );
    let full = started.elapsed();
    let new = snapshot(&work.path().join("expected"));
    assert_ne!(
        old, new,
        "the two catalog versions must give different reports"
    );
    fs::remove_dir_all(work.path().join("expected")).unwrap();

    // Kill early (while computing: ~90 % of a run), then later and later (while staging or
    // moving files).
    for fraction in [0.1, 0.8, 0.95, 1.05] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_scimeter"))
            .current_dir(work.path())
            .args(["report", "--catalog", c, "--out", "reports"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(full.mul_f64(fraction));
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        let now = snapshot(&reports);
        if fraction < 0.5 && status.code().is_none() {
            assert_eq!(
                now, old,
                "a report killed while computing changed the previous reports"
            );
        }
        for (rel, bytes) in &now {
            assert!(
                old.get(rel) == Some(bytes) || new.get(rel) == Some(bytes),
                "after a kill at {fraction} of a run: `{}` is neither the old nor the new version",
                rel.display()
            );
        }
        for rel in old.keys() {
            assert!(
                now.contains_key(rel),
                "after a kill at {fraction} of a run: `{}` is missing",
                rel.display()
            );
        }
        // Start the next attempt from the old reports again.
        fs::remove_dir_all(&reports).unwrap();
        for (rel, bytes) in &old {
            fs::create_dir_all(reports.join(rel).parent().unwrap()).unwrap();
            fs::write(reports.join(rel), bytes).unwrap();
        }
    }

    // A complete run: exactly the new reports, and no staging directory left next to them.
    expect(
        work.path(),
        &["report", "--catalog", c, "--out", "reports"],
        0,
    );
    assert_eq!(snapshot(&reports), new);
    assert_eq!(staging_dirs(work.path()), Vec::<String>::new());
}

/// Issue 15: a run deleted any `.scimeter-staging-<pid>-*` next to `--out` whose pid it could
/// not see, so a run in another PID namespace lost its staging and files. Nothing next to
/// `--out` is touched now; a killed run's staging inside `--out` (no journal: nothing moved)
/// is discarded by the next run.
#[test]
fn staging_stays_inside_out_and_others_are_never_touched() {
    let dir = pair(&base_provider(), SCENARIO);
    let neighbour = dir.path().join(".scimeter-staging-4194305-abcdef");
    fs::create_dir_all(neighbour.join("new/base")).unwrap();
    fs::write(neighbour.join("new/base/summary.md"), "someone else's").unwrap();
    let killed = dir.path().join("reports/.scimeter-staging/new/base");
    fs::create_dir_all(&killed).unwrap();
    fs::write(killed.join("summary.md"), "half").unwrap();
    expect(dir.path(), &["report", "--out", "reports"], 0);
    assert_eq!(
        fs::read_to_string(neighbour.join("new/base/summary.md")).unwrap(),
        "someone else's"
    );
    assert!(!dir.path().join("reports/.scimeter-staging").exists());
    assert!(
        fs::read_to_string(dir.path().join("reports/base/summary.md"))
            .unwrap()
            .starts_with('#')
    );
}

/// Issue 15: a run killed inside the move window left old and new files mixed for good. Now
/// the journal makes the next run complete the moves first; until then `report --check`
/// says the write was interrupted.
#[test]
fn an_interrupted_write_is_completed_by_the_next_run() {
    let dir = pair(&base_provider(), SCENARIO);
    expect(dir.path(), &["report", "--out", "reports"], 0);
    let reports = dir.path().join("reports");
    // What a run killed right after its journal looks like: a staged new summary, a journal
    // listing it, and a stale file to remove.
    let stage = reports.join(".scimeter-staging");
    fs::create_dir_all(stage.join("new/base")).unwrap();
    fs::write(stage.join("new/base/summary.md"), "# new\n").unwrap();
    fs::write(reports.join("base/old.csv"), "stale").unwrap();
    fs::write(
        stage.join("journal"),
        "# scimeter: moves in progress\nbase/summary.md\n-\nbase/old.csv\n# end of journal\n",
    )
    .unwrap();
    let r = expect(dir.path(), &["report", "--check", "--out", "reports"], 1);
    assert!(r.stdout.contains("interrupted"), "{}", r.stdout);
    // `base/summary.md` differs from the staged one, so the next run rewrites it after
    // completing the journal; the journaled removal happened.
    expect(dir.path(), &["report", "--out", "reports"], 0);
    assert!(!reports.join("base/old.csv").exists());
    assert!(!stage.exists());
    expect(dir.path(), &["report", "--check", "--out", "reports"], 0);
}

/// Issue 15: `--out .` in a repository overwrote its `README.md`. Files the manifest does not
/// list are never overwritten without `--force`, and nothing at all is written then.
#[test]
fn files_scimeter_did_not_write_are_not_overwritten_without_force() {
    let dir = pair(&base_provider(), SCENARIO);
    let out = dir.path().join("mine");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("README.md"), "my project's readme").unwrap();
    let r = expect(dir.path(), &["report", "--out", "mine"], 2);
    assert!(
        r.stderr.contains("refusing to overwrite a file")
            && r.stderr.contains("`README.md`")
            && r.stderr.contains("--force"),
        "{}",
        r.stderr
    );
    assert_eq!(
        fs::read_to_string(out.join("README.md")).unwrap(),
        "my project's readme"
    );
    assert!(!out.join("base").exists(), "nothing is written");
    expect(dir.path(), &["report", "--out", "mine", "--force"], 0);
    assert!(
        fs::read_to_string(out.join("README.md"))
            .unwrap()
            .starts_with("# scimeter reports")
    );
    // Once written, the files are scimeter's: the next run needs no `--force`.
    expect(dir.path(), &["report", "--out", "mine"], 0);
}

/// Issue 15: concurrent runs mixed their outputs. A second run on a locked output directory
/// fails at once and names the lock.
#[test]
fn a_second_run_on_a_locked_output_fails_clearly() {
    let dir = pair(&base_provider(), SCENARIO);
    expect(dir.path(), &["report", "--out", "reports"], 0);
    let lock = fs::File::open(dir.path().join("reports")).unwrap();
    lock.lock().unwrap();
    let r = expect(dir.path(), &["report", "--out", "reports"], 2);
    assert!(
        r.stderr.contains("another `scimeter report` is writing to"),
        "{}",
        r.stderr
    );
    lock.unlock().unwrap();
    expect(dir.path(), &["report", "--out", "reports"], 0);
}

/// A failure in the middle of the moves (a file stands where a report directory must go)
/// exits 2 with the path named, and every previous file is restored byte for byte.
#[test]
fn failed_move_restores_previous_reports() {
    let dir = pair(&base_provider(), SCENARIO);
    expect(dir.path(), &["report", "--out", "reports"], 0);
    let reports = dir.path().join("reports");
    // Change the catalog so every file changes, README.md (moved first) included.
    let scenario = edit(SCENARIO, "name = \"Base\"", "name = \"Base, renamed\"");
    fs::write(dir.path().join("scenarios/base.toml"), scenario).unwrap();
    // The injected failure: `reports/base` is a file, so `reports/base/summary.md` cannot be
    // written.
    fs::remove_dir_all(reports.join("base")).unwrap();
    fs::write(reports.join("base"), "in the way").unwrap();
    let before = snapshot(&reports);
    let r = expect(dir.path(), &["report", "--out", "reports"], 2);
    assert!(
        r.stderr.contains("base"),
        "the failing path is not named:\n{}",
        r.stderr
    );
    assert_eq!(
        snapshot(&reports),
        before,
        "a failed report changed the previous files"
    );
    assert!(
        staging_dirs(dir.path()).is_empty(),
        "a staging directory was left behind"
    );
}

// ------------------------------------------------------------------ path safety

/// Ids that would become paths outside the output directory are rejected by `check`, and
/// `report` then writes nothing.
#[test]
fn path_ids_are_rejected() {
    for bad in [
        "../escape",
        "a/b",
        "..",
        ".",
        "/abs",
        "a\\\\b",
        "nul\\u0000",
        "a..b/c",
        "C:evil",
        ".hidden",
    ] {
        let scenario = edit(SCENARIO, "id = \"base\"", &format!("id = \"{bad}\""));
        let provider = edit(
            &base_provider(),
            "id = \"acme\"",
            &format!("id = \"{bad}\""),
        );
        for (p, s, what) in [
            (base_provider().as_str(), scenario.as_str(), "scenario"),
            (provider.as_str(), SCENARIO, "provider"),
        ] {
            let work = tempfile::tempdir().unwrap();
            let dir = pair(p, s);
            let d = dir.path().to_str().unwrap();
            let r = expect(work.path(), &["check", "--as-of", AS_OF, "--catalog", d], 2);
            assert!(
                r.stderr.contains("not a valid id"),
                "{what} id {bad:?}:\n{}",
                r.stderr
            );
            expect(
                work.path(),
                &["report", "--catalog", d, "--out", "reports"],
                2,
            );
            assert_eq!(
                fs::read_dir(work.path()).unwrap().count(),
                0,
                "{what} id {bad:?}: something was written"
            );
        }
    }
}

/// `--out` that is a symbolic link is refused, and nothing is written through it.
#[test]
fn out_symlink_is_refused() {
    let dir = pair(&base_provider(), SCENARIO);
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, dir.path().join("link")).unwrap();
    let r = expect(dir.path(), &["report", "--out", "link"], 2);
    assert!(r.stderr.contains("symbolic link"), "{}", r.stderr);
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
    // A dangling link too.
    std::os::unix::fs::symlink(dir.path().join("missing"), dir.path().join("dangling")).unwrap();
    let r = expect(dir.path(), &["report", "--out", "dangling"], 2);
    assert!(r.stderr.contains("symbolic link"), "{}", r.stderr);
    assert!(!dir.path().join("missing").exists());
}

/// Found in review (2026-12-01): `--out link/` resolved the link before the check, and wrote
/// into its target.
#[test]
fn out_symlink_with_a_trailing_slash_is_refused() {
    let dir = pair(&base_provider(), SCENARIO);
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, dir.path().join("link")).unwrap();
    for out in ["link/", "link/.", "./link//"] {
        let r = expect(dir.path(), &["report", "--out", out], 2);
        assert!(r.stderr.contains("symbolic link"), "{out}: {}", r.stderr);
        assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0, "{out}");
    }
}

/// Found in review (2026-12-01): a FIFO named like a catalog file or a report file made
/// `check`, `report` and `report --check` wait for ever, and a committed
/// `reports/README.md -> /dev/zero` made `report --check` read until memory ran out.
#[test]
fn fifos_and_endless_files_are_never_waited_on_or_read() {
    let mkfifo = |p: &Path| {
        std::process::Command::new("mkfifo")
            .arg(p)
            .status()
            .is_ok_and(|s| s.success())
    };
    let dir = pair(&base_provider(), SCENARIO);
    if !mkfifo(&dir.path().join("providers/pipe.toml")) {
        println!("SKIP: mkfifo not found");
        return;
    }
    let r = expect(dir.path(), &["check", "--as-of", AS_OF], 2);
    assert!(
        r.stderr
            .contains("`providers/pipe.toml` is not a regular file"),
        "{}",
        r.stderr
    );
    fs::remove_file(dir.path().join("providers/pipe.toml")).unwrap();
    expect(dir.path(), &["report", "--out", "reports"], 0);
    let readme = dir.path().join("reports/README.md");
    fs::remove_file(&readme).unwrap();
    assert!(mkfifo(&readme));
    let r = expect(dir.path(), &["report", "--check", "--out", "reports"], 1);
    assert!(r.stdout.contains("differs: README.md"), "{}", r.stdout);
    // `report` replaces the FIFO, a file its manifest lists, with the report.
    expect(dir.path(), &["report", "--out", "reports"], 0);
    assert!(fs::symlink_metadata(&readme).unwrap().is_file());
    for (name, endless) in [
        ("README.md", "/dev/zero"),
        (".scimeter-manifest", "/dev/zero"),
    ] {
        let path = dir.path().join("reports").join(name);
        let kept = dir.path().join("kept");
        fs::rename(&path, &kept).unwrap();
        std::os::unix::fs::symlink(endless, &path).unwrap();
        let r = run(dir.path(), &["report", "--check", "--out", "reports"]);
        assert_eq!(r.code, 1, "{name}: {}{}", r.stdout, r.stderr);
        assert!(
            r.stdout.contains(&format!("differs: {name}")),
            "{}",
            r.stdout
        );
        fs::remove_file(&path).unwrap();
        fs::rename(&kept, &path).unwrap();
    }
    let journal = dir.path().join("reports/.scimeter-staging");
    fs::create_dir_all(&journal).unwrap();
    std::os::unix::fs::symlink("/dev/zero", journal.join("journal")).unwrap();
    let r = expect(dir.path(), &["report", "--check", "--out", "reports"], 0);
    assert!(r.stdout.contains("is up to date"), "{}", r.stdout);
}

/// Found in review (2026-12-01): a regular file named `.scimeter-staging` was called a
/// symbolic link by `report`, while `report --check` said "up to date".
#[test]
fn a_file_in_the_way_of_the_staging_is_named_as_such() {
    let dir = pair(&base_provider(), SCENARIO);
    expect(dir.path(), &["report", "--out", "reports"], 0);
    fs::write(dir.path().join("reports/.scimeter-staging"), "junk").unwrap();
    let r = expect(dir.path(), &["report", "--out", "reports"], 2);
    assert!(
        r.stderr.contains("it is not a directory") && !r.stderr.contains("symbolic link"),
        "{}",
        r.stderr
    );
    let r = expect(dir.path(), &["report", "--check", "--out", "reports"], 1);
    assert!(
        r.stdout
            .contains("blocked: `.scimeter-staging` is not a directory"),
        "{}",
        r.stdout
    );
}

/// Found in review (2026-12-01): two valid scenario ids that differ only by `-` and `_` gave
/// the workbook the same defined name twice, and a catalog string over 32,767 characters
/// (a spreadsheet cell's limit) failed it; either way `check` passed and `report` never could.
#[test]
fn the_workbook_survives_clashing_names_and_huge_strings() {
    use calamine::{DataType, Reader, Xlsx, open_workbook};
    let long = "W".repeat(40_000);
    let provider = edit(
        &base_provider(),
        "name = \"Acme Directory Sync\"",
        &format!("name = \"{long}\""),
    );
    let second = edit(SCENARIO, "id = \"base\"", "id = \"base_1\"");
    let first = edit(SCENARIO, "id = \"base\"", "id = \"base-1\"");
    let dir = catalog(
        &[("acme.toml", provider.as_bytes())],
        &[("a.toml", first.as_bytes()), ("b.toml", second.as_bytes())],
    );
    expect(dir.path(), &["check", "--as-of", AS_OF], 0);
    expect(dir.path(), &["report", "--out", "reports"], 0);
    let path = dir.path().join("reports/workbook.xlsx");
    let mut book: Xlsx<_> = open_workbook(&path).expect("calamine opens the workbook");
    let names: Vec<String> = book
        .defined_names()
        .iter()
        .map(|(n, _)| n.to_lowercase())
        .collect();
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), names.len(), "{names:?}");
    assert!(
        names.contains(&"base_1_customers_1".to_owned()),
        "{names:?}"
    );
    assert!(
        names.contains(&"base_1_customers_1_2".to_owned()),
        "{names:?}"
    );
    let cut = book
        .worksheets()
        .iter()
        .flat_map(|(_, range)| {
            range
                .used_cells()
                .filter_map(|(_, _, v)| v.get_string().map(str::to_owned))
                .collect::<Vec<_>>()
        })
        .find(|t| t.starts_with("WWW"))
        .expect("the long name is in the workbook");
    assert_eq!(cut.chars().count(), 32_767);
    assert!(cut.ends_with('…'));
}

/// A full disk behind stdout is an error (exit 2), for `--help` too (review, 2026-12-01: help,
/// `-V` and `help report` exited 0 having printed nothing).
#[test]
fn a_full_stdout_is_an_error_for_every_command() {
    let Ok(full) = fs::OpenOptions::new().write(true).open("/dev/full") else {
        println!("SKIP: /dev/full not found");
        return;
    };
    let dir = pair(&base_provider(), SCENARIO);
    for args in [
        &["--help"][..],
        &["-V"],
        &["help", "report"],
        &["check", "--as-of", AS_OF],
        &["list", "providers"],
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_scimeter"))
            .current_dir(dir.path())
            .args(args)
            .stdout(full.try_clone().unwrap())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("cannot write to stdout"),
            "{args:?}: {stderr}"
        );
    }
}

/// Found in review (2026-12-01): an `--out` whose last name is too long failed after its
/// parents had been created, and left them.
#[test]
fn a_failed_out_leaves_no_directories() {
    let dir = pair(&base_provider(), SCENARIO);
    let out = format!("new/sub/{}", "a".repeat(300));
    let r = expect(dir.path(), &["report", "--out", &out], 2);
    assert!(r.stderr.contains("cannot write"), "{}", r.stderr);
    assert!(!dir.path().join("new").exists());
}

/// Found in review (2026-12-01): `new provider` wrote through a `providers/` link that
/// `check` refuses to read.
#[test]
fn new_never_writes_through_a_link_out_of_the_catalog() {
    let dir = pair(&base_provider(), SCENARIO);
    let outside = tempfile::tempdir().unwrap();
    fs::remove_dir_all(dir.path().join("providers")).unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("providers")).unwrap();
    let r = expect(dir.path(), &["new", "provider", "evil"], 2);
    assert!(r.stderr.contains("leaves the catalog"), "{}", r.stderr);
    assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 0);
}

/// A symbolic link inside the output directory (a report directory, or a report file) is
/// refused before anything is written; its target is untouched.
#[test]
fn symlinks_inside_out_are_refused() {
    let dir = pair(&base_provider(), SCENARIO);
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    let reports = dir.path().join("reports");
    fs::create_dir_all(&reports).unwrap();
    std::os::unix::fs::symlink(&elsewhere, reports.join("base")).unwrap();
    let r = expect(dir.path(), &["report", "--out", "reports"], 2);
    assert!(r.stderr.contains("symbolic link"), "{}", r.stderr);
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
    assert_eq!(
        fs::read_dir(&reports).unwrap().count(),
        1,
        "something was written next to the link"
    );

    // A report file that is a link to a file outside.
    fs::remove_file(reports.join("base")).unwrap();
    let victim = dir.path().join("victim.txt");
    fs::write(&victim, "precious").unwrap();
    std::os::unix::fs::symlink(&victim, reports.join("README.md")).unwrap();
    let r = expect(dir.path(), &["report", "--out", "reports"], 2);
    assert!(r.stderr.contains("symbolic link"), "{}", r.stderr);
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
}

/// `--out ../somewhere` writes there and only there; a manifest that lists paths outside the
/// output directory cannot make scimeter delete them.
#[test]
fn relative_out_writes_only_there() {
    let root = tempfile::tempdir().unwrap();
    let work = root.path().join("work");
    let catalog_dir = pair(&base_provider(), SCENARIO);
    fs::create_dir_all(&work).unwrap();
    let c = catalog_dir.path().to_str().unwrap();
    expect(
        &work,
        &["report", "--catalog", c, "--out", "../somewhere"],
        0,
    );
    let names: Vec<String> = fs::read_dir(root.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut names = names;
    names.sort();
    assert_eq!(names, ["somewhere", "work"]);
    assert_eq!(
        fs::read_dir(&work).unwrap().count(),
        0,
        "something was written in the working directory"
    );
    assert!(root.path().join("somewhere/base/summary.md").is_file());

    // A tampered manifest naming files outside the output directory: they survive.
    let victim = root.path().join("victim.txt");
    fs::write(&victim, "precious").unwrap();
    let manifest = root.path().join("somewhere/.scimeter-manifest");
    let mut text = fs::read_to_string(&manifest).unwrap();
    // (The absolute entry points at the victim too, never at a system file.)
    text.push_str(&format!(
        "../victim.txt\n{}\nbase/../../victim.txt\n",
        victim.display()
    ));
    fs::write(&manifest, text).unwrap();
    expect(
        &work,
        &["report", "--catalog", c, "--out", "../somewhere"],
        0,
    );
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
}

/// Extreme but valid weights (subnormal, near `f64::MAX`, summing past it) rank and run the
/// sensitivity analysis on the shipped catalog without a panic or a hang.
#[test]
fn extreme_weights_compute() {
    let repo = crate::common::repo();
    for w in [
        "ease=1e-300",
        "ease=1e300,features=1e-300",
        "ease=1.7976931348623157e308,features=1.7976931348623157e308",
        "ease=5e-324",
        "pricing=1e-320,ease=0,features=0,integration=0,prerequisites=0",
    ] {
        for cmd in ["rank", "sensitivity"] {
            let r = expect(
                &repo,
                &[
                    cmd,
                    "--scenario",
                    "baseline",
                    "--weights",
                    w,
                    "--draws",
                    "100",
                ][..if cmd == "rank" { 5 } else { 7 }],
                0,
            );
            assert!(!r.stdout.is_empty(), "{cmd} --weights {w}: no output");
        }
    }
}

/// Issue 15: `providers/x.toml → /etc/passwd` printed the file in diagnostic snippets, and a
/// link to `/proc/self/environ` printed the environment. Links out of the catalog are now
/// errors (exit 2) and are never read; nothing of the targets reaches the output.
#[cfg(unix)]
#[test]
fn links_out_of_the_catalog_disclose_nothing() {
    use std::os::unix::fs::symlink;
    let dir = pair(&base_provider(), SCENARIO);
    symlink("/etc/passwd", dir.path().join("providers/passwd.toml")).unwrap();
    symlink(
        "/proc/self/environ",
        dir.path().join("providers/environ.toml"),
    )
    .unwrap();
    symlink(
        dir.path().join("providers/missing"),
        dir.path().join("providers/dangling.toml"),
    )
    .unwrap();
    // Inside the catalog, yet not catalog text: actions/checkout keeps CI's token in
    // `.git/config` (found in review, 2026-12-01).
    fs::create_dir_all(dir.path().join(".git")).unwrap();
    fs::write(
        dir.path().join(".git/config"),
        "extraheader = AUTHORIZATION: basic canary-7f3a9c\n",
    )
    .unwrap();
    symlink("../.git/config", dir.path().join("providers/git.toml")).unwrap();
    for args in [
        &["check"][..],
        &["report", "--check"],
        &["rank", "--scenario", "base"],
    ] {
        let out = scimeter()
            .current_dir(dir.path())
            .env("SCIMETER_CANARY", "canary-7f3a9c")
            .args(args)
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(2), "{args:?}:\n{text}");
        assert!(
            !text.contains("root:") && !text.contains("canary-7f3a9c"),
            "{args:?} disclosed:\n{text}"
        );
        for name in ["passwd.toml", "environ.toml"] {
            assert!(
                text.contains(&format!(
                    "`providers/{name}` is a symbolic link to a file outside the catalog"
                )),
                "{args:?}:\n{text}"
            );
        }
        assert!(
            text.contains("`providers/dangling.toml` is a dangling or looping symbolic link"),
            "{text}"
        );
        assert!(
            text.contains("`providers/git.toml` is a symbolic link to a file that is not a `.toml` file of the catalog, or that is in a hidden directory"),
            "{text}"
        );
    }
}

/// Issue 15: `.TOML` files were skipped without a word, and the ranking silently changed.
#[test]
fn an_uppercase_toml_name_is_a_warning_not_a_silent_skip() {
    let dir = pair(&base_provider(), SCENARIO);
    fs::write(dir.path().join("providers/OTHER.TOML"), base_provider()).unwrap();
    let r = expect(dir.path(), &["check"], 0);
    assert!(
        r.stderr.contains(
            "`providers/OTHER.TOML` is not read: catalog files end in `.toml` (lowercase)"
        ) || r.stdout.contains("`providers/OTHER.TOML` is not read"),
        "stdout:\n{}\nstderr:\n{}",
        r.stdout,
        r.stderr
    );
}

/// Issue 15: catalog text reached every output raw: 72 `costs.csv` cells that `LibreOffice`
/// runs as formulas, `<script>` and `javascript:` links in `summary.md`, a `)` in a source
/// URL breaking out of its link, and ESC/BEL on the terminal. A catalog with all of these in
/// its names, plan names, caveats and URLs now comes out inert everywhere.
#[test]
fn hostile_catalog_text_is_inert_in_every_output() {
    // U+202E reverses what follows it on screen, U+200B is invisible (review, 2026-12-01).
    let name = "=HYPERLINK(\"http://evil\")<script>alert(1)</script>[x](javascript:alert(1))\u{1b}[2J\u{7}|\u{202E}evil\u{200B}";
    let provider = edit(
        &edit(
            &edit(
                &base_provider(),
                "name = \"Acme Directory Sync\"",
                &format!(
                    "name = \"{}\"",
                    name.replace('"', "\\\"")
                        .replace('\u{1b}', "\\u001B")
                        .replace('\u{7}', "\\u0007")
                ),
            ),
            "url = \"https://example.com/pricing\"",
            "url = \"https://example.com/a)b[c](javascript:alert(1))\"",
        ),
        "id = \"pro\"",
        "id = \"pro\"\nname = \"-2+3+cmd|' /C calc'!E1\"",
    );
    let dir = pair(&provider, SCENARIO);
    let r = expect(dir.path(), &["report", "--out", "out"], 0);
    assert!(!r.stderr.contains('\u{1b}'));
    let out = dir.path().join("out");
    let mut checked = 0;
    for (path, bytes) in snapshot(&out) {
        let text = String::from_utf8_lossy(&bytes);
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        match ext {
            "csv" => {
                let mut rd = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .from_reader(&bytes[..]);
                for rec in rd.records() {
                    for cell in &rec.unwrap() {
                        let numeric = cell.trim_end_matches('%').parse::<f64>().is_ok();
                        assert!(
                            numeric || !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                            "{}: formula cell {cell:?}",
                            path.display()
                        );
                    }
                }
                checked += 1;
            }
            "md" => {
                for bad in [
                    "<script>", "\u{1b}", "\u{7}", "a)b[c]", "\u{202E}", "\u{200B}",
                ] {
                    assert!(!text.contains(bad), "{}: contains {bad:?}", path.display());
                }
                // A link needs an unescaped `](`: every one left is backslash-escaped.
                for (i, _) in text.match_indices("](javascript:") {
                    assert!(
                        text[..i].ends_with('\\'),
                        "{}: a javascript: link",
                        path.display()
                    );
                }
                checked += 1;
            }
            "html" => {
                assert!(!text.contains("<script>alert(1)"), "{}", path.display());
                assert!(
                    !text.contains('\u{202E}') && !text.contains('\u{200B}'),
                    "{}",
                    path.display()
                );
                assert!(!text.contains("href=\"javascript:"), "{}", path.display());
            }
            _ => {}
        }
    }
    assert!(checked >= 5, "only {checked} files checked");
    let summary = fs::read_to_string(out.join("base/summary.md")).unwrap();
    assert!(
        summary.contains("https://example.com/a%29b%5Bc%5D%28javascript:alert%281%29%29"),
        "the URL is percent-encoded"
    );
    // The terminal sees no control characters.
    for args in [
        &["rank", "--scenario", "base"][..],
        &["cost", "--scenario", "base"],
    ] {
        let r = expect(dir.path(), args, 0);
        assert!(
            !r.stdout.contains('\u{1b}')
                && !r.stdout.contains('\u{7}')
                && !r.stdout.contains('\u{202E}')
                && !r.stdout.contains('\u{200B}'),
            "{args:?}"
        );
        assert!(
            r.stdout.contains("[2J"),
            "the rest of the name is still shown"
        );
    }
    // Every command's markdown escapes the same text as the report's markdown does.
    for args in [
        &["rank", "--scenario", "base"][..],
        &["cost", "--scenario", "base"],
        &["project", "--scenario", "base"],
        &["explain", "acme", "--scenario", "base"],
        &["questions", "--scenario", "base"],
        &["sensitivity", "--scenario", "base"],
        &["list", "providers"],
    ] {
        let mut args = args.to_vec();
        args.extend(["--format", "markdown"]);
        if !matches!(args[0], "list" | "explain") {
            args.extend(["--draws", "200"]);
        }
        let r = expect(dir.path(), &args, 0);
        // A fenced code block is inert: only the text outside the fences must be escaped.
        let text = outside_fences(&r.stdout);
        assert!(!text.contains("<script>"), "{args:?}:\n{}", r.stdout);
        for (i, _) in text.match_indices("](javascript:") {
            assert!(text[..i].ends_with('\\'), "{args:?}: a javascript: link");
        }
    }
}

/// Markdown without its fenced code blocks (a fence is a line of three or more backticks
/// and an info string; the block ends at a line of the same backticks).
fn outside_fences(md: &str) -> String {
    let mut out = String::new();
    let mut fence: Option<&str> = None;
    for line in md.lines() {
        match fence {
            Some(f) if line == f => fence = None,
            Some(_) => {}
            None => {
                let ticks = line.len() - line.trim_start_matches('`').len();
                if ticks >= 3 {
                    fence = Some(&line[..ticks]);
                } else {
                    out.push_str(line);
                    out.push('\n');
                }
            }
        }
    }
    out
}

/// Issue 15: 32,000 lines of `=` took 19 s and printed 19 MB, and a 65 KB file with CR-only
/// line endings printed 166 MB (every snippet printed the whole one-line file). Locating is
/// now a binary search over a line index, at most 50 diagnostics per file are printed (then
/// "… and N more"), and a line too long to show gets a header without a snippet.
#[test]
fn floods_of_errors_stay_small() {
    let flood = "=\n".repeat(32_000);
    let cr_only = "x = \r".repeat(13_000);
    for (what, text) in [
        ("32,000 lines of `=`", flood),
        ("CR-only line endings", cr_only),
    ] {
        let dir = pair(&text, SCENARIO);
        let r = expect(dir.path(), &["check"], 2);
        let printed = r.stdout.len() + r.stderr.len();
        assert!(printed < 100_000, "{what}: {printed} bytes printed");
        assert!(
            r.stderr.contains("providers/acme.toml"),
            "{what}: {}",
            &r.stderr[..r.stderr.len().min(2000)]
        );
    }
    let dir = pair(&"=\n".repeat(32_000), SCENARIO);
    let r = expect(dir.path(), &["check"], 2);
    assert!(
        r.stderr
            .contains("more in `providers/acme.toml`: fix these first"),
        "{}",
        &r.stderr[r.stderr.len().saturating_sub(2000)..]
    );
}

/// Issue 15, unbounded and silently altered inputs: each is now a located error, exit 2.
#[test]
fn limits_and_exact_spellings_are_enforced() {
    let many_bands = {
        let mut t = String::from("tiers = [\n");
        for i in 0..10_001u64 {
            t.push_str(&format!(
                "  {{ from = {}, up_to = {}, unit_price = \"1\" }},\n",
                i + 1,
                i + 1
            ));
        }
        t.push_str("  { from = 10002, unit_price = \"1\" },\n]");
        t
    };
    let cases: Vec<(&str, String, String, &str)> = vec![
        (
            "quoted date",
            edit(
                &base_provider(),
                "verified = 2026-11-01",
                "verified = \"2026-11-01\"",
            ),
            SCENARIO.to_owned(),
            "write it without quotes",
        ),
        (
            "underscore in a decimal string",
            edit(
                &base_provider(),
                "unit_price = \"125\"",
                "unit_price = \"12_5\"",
            ),
            SCENARIO.to_owned(),
            "no `_`",
        ),
        (
            "more than 28 significant digits",
            edit(
                &base_provider(),
                "unit_price = \"125\"",
                "unit_price = \"125.00000000000000000000000000001\"",
            ),
            SCENARIO.to_owned(),
            "more significant digits than an exact decimal holds",
        ),
        (
            "10,002 tier bands",
            {
                let p = base_provider();
                let start = p.find("tiers = [").unwrap();
                let end = start + p[start..].find(']').unwrap() + 1;
                format!("{}{many_bands}{}", &p[..start], &p[end..])
            },
            SCENARIO.to_owned(),
            "at most 10000 bands per charge",
        ),
        (
            "1,000 milestones",
            base_provider(),
            format!(
                "milestones = [{}]\n{SCENARIO}",
                (1..=1_000)
                    .map(|n| n.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "at most 20 customer counts",
        ),
    ];
    for (what, provider, scenario, expected) in cases {
        let dir = pair(&provider, &scenario);
        let r = expect(dir.path(), &["check"], 2);
        assert!(
            r.stderr.contains(expected),
            "{what}:\n{}",
            &r.stderr[..r.stderr.len().min(3000)]
        );
    }
    let dir = pair(&base_provider(), SCENARIO);
    let r = expect(
        dir.path(),
        &["rank", "--scenario", "base", "--weights", ""],
        2,
    );
    assert!(r.stderr.contains("`--weights` is empty"), "{}", r.stderr);
    let counts: Vec<String> = (1..=101).map(|n| n.to_string()).collect();
    let r = expect(
        dir.path(),
        &["cost", "--scenario", "base", "--at", &counts.join(",")],
        2,
    );
    assert!(
        r.stderr.contains("more than 100 customer counts"),
        "{}",
        r.stderr
    );
}

/// Issue 15: the progress bar is for terminals only; piped or redirected stderr never gets it.
#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let dir = pair(&base_provider(), SCENARIO);
    let r = expect(dir.path(), &["report", "--out", "reports"], 0);
    assert!(!r.stderr.contains("computing scenarios"), "{}", r.stderr);
    assert!(!r.stderr.contains('\u{1b}'), "{}", r.stderr);
}

/// Issue 15: only the first type error of a file was reported. Now serde's complaints are
/// collected one after another (the offending key is set aside and the file parsed again):
/// two unknown keys in different tables and a wrong type come out in one run.
#[test]
fn every_type_error_of_a_file_in_one_run() {
    let provider = edit(
        &edit(
            &base_provider(),
            "name = \"Acme Directory Sync\"",
            "name = \"Acme Directory Sync\"\ncolour = \"red\"",
        ),
        "unit_price = \"125\"",
        "unit_prize = \"125\", unit_price = \"125\", extra = true",
    );
    let dir = pair(
        &provider,
        &edit(
            SCENARIO,
            "horizon_months = 12",
            "horizon_months = \"twelve\"",
        ),
    );
    let r = expect(dir.path(), &["check"], 2);
    for expected in [
        "unknown key `colour`",
        "unknown key `unit_prize`",
        "unknown key `extra`",
        "horizon_months",
    ] {
        assert!(
            r.stderr.contains(expected),
            "missing {expected:?}:\n{}",
            r.stderr
        );
    }
    assert!(
        !r.stderr.contains("missing field"),
        "no invented errors:\n{}",
        r.stderr
    );
}

/// A review found that `--draws 1000000` (within the documented 1 to 1,000,000) on a
/// 1,000-provider catalog needs about 24 GB for the joint model's cost draws, so the process
/// grew until the system killed it. The draws are now checked against what the joint model
/// would hold (2 GiB) before anything runs: 150 providers priced at 2 counts and the horizon
/// hold 450 costs per draw, so at most ⌊2²⁸ ÷ 450⌋ = 596,523 draws.
#[test]
fn draws_the_joint_model_cannot_hold_are_refused_before_anything_runs() {
    let dir = synthetic(150, 1, 12, 1);
    let r = expect(
        dir.path(),
        &["report", "--draws", "1000000", "--out", "out"],
        2,
    );
    assert!(
        r.stderr
            .contains("`--draws 1000000` is too many for 150 providers in scenario `s000`")
            && r.stderr.contains("use `--draws 596523` or fewer"),
        "{}",
        r.stderr
    );
    assert!(!dir.path().join("out").exists());
    for cmd in ["rank", "questions", "sensitivity"] {
        let r = expect(
            dir.path(),
            &[cmd, "--scenario", "s000", "--draws", "1000000"],
            2,
        );
        assert!(r.stderr.contains("is too many for"), "{cmd}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{cmd}: {}", r.stdout);
    }
    // `cost` holds a chunk of providers' draws at each `--at` count and the horizon: 100
    // counts × 10⁶ draws is refused too (how many fit depends on the cores, which size the
    // chunk), and a small `--draws` still runs.
    let at: Vec<String> = (1..=100).map(|n| n.to_string()).collect();
    let at = at.join(",");
    let r = expect(
        dir.path(),
        &[
            "cost",
            "--scenario",
            "s000",
            "--at",
            &at,
            "--draws",
            "1000000",
        ],
        2,
    );
    assert!(
        r.stderr
            .contains("`--draws 1000000` is too many for 150 providers")
            && r.stderr.contains("the cost estimate would hold"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    expect(
        dir.path(),
        &[
            "cost",
            "--scenario",
            "s000",
            "--at",
            "1,2",
            "--draws",
            "100",
        ],
        0,
    );
}
