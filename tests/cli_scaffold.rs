//! `scimeter init`, `scimeter new provider`, `scimeter completions`, `scimeter man` and every
//! subcommand's `--help`, through the real binary, in temporary directories.

use crate::common::scimeter;
use std::path::Path;
use std::process::Output;

/// The files `init` creates, relative to the catalog.
const INIT_FILES: [&str; 5] = [
    "providers/example.toml",
    "scenarios/example.toml",
    "provider.schema.json",
    "scenario.schema.json",
    "README.md",
];

/// Runs `scimeter <args>` in `dir`.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    scimeter()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("scimeter runs")
}

/// Expects `code` and no panic; returns (stdout, stderr).
fn expect_code(out: &Output, code: i32) -> (String, String) {
    let stdout = String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(code),
        "expected exit {code}\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "panicked:\n{stderr}");
    (stdout, stderr)
}

/// Expects exit 0 and returns stdout.
fn ok(out: &Output) -> String {
    expect_code(out, 0).0
}

/// Expects exit 2, nothing on stdout and an `error` on stderr; returns stderr.
fn usage_error(out: &Output) -> String {
    let (stdout, stderr) = expect_code(out, 2);
    assert!(stdout.is_empty(), "stdout on error:\n{stdout}");
    assert!(
        stderr.starts_with("error"),
        "stderr does not start with `error`:\n{stderr}"
    );
    stderr
}

/// `scimeter init DIR` in a fresh temporary directory; returns the temp dir.
fn init() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let out = ok(&run_in(tmp.path(), &["init", "cat"]));
    assert!(out.contains("created a catalog in `cat`"), "{out}");
    assert!(out.contains("scimeter --catalog cat check"), "{out}");
    tmp
}

// --- init -------------------------------------------------------------------------------------

#[test]
fn init_creates_a_catalog_that_checks_and_reports() {
    let tmp = init();
    let cat = tmp.path().join("cat");
    for f in INIT_FILES {
        assert!(cat.join(f).is_file(), "init did not create {f}");
    }
    for schema in ["provider.schema.json", "scenario.schema.json"] {
        let text = std::fs::read_to_string(cat.join(schema)).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
        assert!(v.is_object(), "{schema}");
    }

    let out = ok(&run_in(tmp.path(), &["--catalog", "cat", "check"]));
    assert!(
        out.lines()
            .last()
            .is_some_and(|l| l.starts_with("ok: 1 provider, 1 scenario")),
        "{out}"
    );

    let out = ok(&run_in(tmp.path(), &["--catalog", "cat", "report"]));
    assert!(out.contains("cat/reports"), "{out}");
    assert!(cat.join("reports/README.md").is_file());
    assert!(cat.join("reports/example/summary.md").is_file());
    let out = ok(&run_in(
        tmp.path(),
        &["--catalog", "cat", "report", "--check"],
    ));
    assert!(out.contains("up to date"), "{out}");

    let out = ok(&run_in(
        tmp.path(),
        &["--catalog", "cat", "rank", "--scenario", "example"],
    ));
    assert!(out.contains("Ranking for scenario `example`"), "{out}");
}

#[test]
fn init_in_the_current_directory() {
    let tmp = tempfile::tempdir().unwrap();
    ok(&run_in(tmp.path(), &["init"]));
    for f in INIT_FILES {
        assert!(tmp.path().join(f).is_file(), "init did not create {f}");
    }
    ok(&run_in(tmp.path(), &["check"]));
}

#[test]
fn init_refuses_to_overwrite_and_lists_the_files() {
    let tmp = init();
    let cat = tmp.path().join("cat");
    std::fs::write(cat.join("providers/example.toml"), "# my edits\n").unwrap();

    let err = usage_error(&run_in(tmp.path(), &["init", "cat"]));
    assert!(err.contains("refusing to overwrite"), "{err}");
    for f in INIT_FILES {
        assert!(
            err.contains(&format!("`cat/{f}`")),
            "{f} not listed:\n{err}"
        );
    }
    assert!(err.contains("help:"), "{err}");
    assert_eq!(
        std::fs::read_to_string(cat.join("providers/example.toml")).unwrap(),
        "# my edits\n",
        "init overwrote an existing file"
    );
}

/// One existing file is enough to refuse, and nothing else is written.
#[test]
fn init_refuses_a_directory_with_one_of_its_files() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("README.md"), "mine\n").unwrap();
    let err = usage_error(&run_in(tmp.path(), &["init", "."]));
    assert!(err.contains("README.md"), "{err}");
    assert!(
        !err.contains("providers/example.toml"),
        "only existing files are listed:\n{err}"
    );
    assert!(
        !tmp.path().join("providers").exists(),
        "init wrote files before refusing"
    );
    assert!(
        !tmp.path().join("provider.schema.json").exists(),
        "init wrote files before refusing"
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("README.md")).unwrap(),
        "mine\n"
    );
}

/// A failure part way (here `quotes` is a file, so `quotes/example.toml` cannot be made
/// after four files were written) removes what the run wrote, leaves no temporary file, and
/// a second `init` is not refused by half a catalog.
#[test]
fn init_is_all_or_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("quotes"), "in the way\n").unwrap();
    let (_, err) = expect_code(&run_in(tmp.path(), &["init", "."]), 2);
    assert!(err.contains("quotes"), "{err}");
    let mut left: Vec<String> = Vec::new();
    for dir in [
        tmp.path().to_path_buf(),
        tmp.path().join("providers"),
        tmp.path().join("scenarios"),
    ] {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            if e.file_type().unwrap().is_file() {
                left.push(e.file_name().to_string_lossy().into_owned());
            }
        }
    }
    assert_eq!(left, ["quotes"], "only the obstacle is left");
    std::fs::remove_file(tmp.path().join("quotes")).unwrap();
    ok(&run_in(tmp.path(), &["init", "."]));
    assert!(tmp.path().join("quotes/example.toml").is_file());
}

/// Other files in the directory are left alone.
#[test]
fn init_in_a_directory_with_unrelated_files() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "keep\n").unwrap();
    ok(&run_in(tmp.path(), &["init", "."]));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("notes.txt")).unwrap(),
        "keep\n"
    );
}

// --- new provider -----------------------------------------------------------------------------

#[test]
fn new_provider_creates_a_file_that_checks() {
    let tmp = init();
    let cat = tmp.path().join("cat");
    let out = ok(&run_in(
        tmp.path(),
        &["--catalog", "cat", "new", "provider", "acme"],
    ));
    assert!(out.contains("providers/acme.toml"), "{out}");
    let text = std::fs::read_to_string(cat.join("providers/acme.toml")).unwrap();
    assert!(text.contains("id = \"acme\""), "{text}");
    assert!(text.contains("unknown"), "{text}");

    let out = run_in(tmp.path(), &["--catalog", "cat", "check"]);
    let (stdout, stderr) = expect_code(&out, 0);
    assert!(stdout.contains("2 providers"), "{stdout}{stderr}");
    assert!(!stderr.contains("error"), "warnings only:\n{stderr}");

    // The new provider is listed: ranked or excluded with a reason, never silently dropped.
    let out = ok(&run_in(
        tmp.path(),
        &["--catalog", "cat", "rank", "--scenario", "example"],
    ));
    assert!(out.contains("acme"), "{out}");
    ok(&run_in(tmp.path(), &["--catalog", "cat", "report"]));
}

#[test]
fn new_provider_in_a_catalog_without_a_providers_directory() {
    let tmp = tempfile::tempdir().unwrap();
    ok(&run_in(tmp.path(), &["new", "provider", "acme"]));
    assert!(tmp.path().join("providers/acme.toml").is_file());
}

#[test]
fn new_provider_refuses_an_existing_id() {
    let tmp = init();
    let cat = tmp.path().join("cat");
    let before = std::fs::read_to_string(cat.join("providers/example.toml")).unwrap();
    let err = usage_error(&run_in(
        tmp.path(),
        &["--catalog", "cat", "new", "provider", "example"],
    ));
    assert!(err.contains("already exists"), "{err}");
    assert!(err.contains("providers/example.toml"), "{err}");
    assert_eq!(
        std::fs::read_to_string(cat.join("providers/example.toml")).unwrap(),
        before
    );

    ok(&run_in(
        tmp.path(),
        &["--catalog", "cat", "new", "provider", "acme"],
    ));
    let err = usage_error(&run_in(
        tmp.path(),
        &["--catalog", "cat", "new", "provider", "acme"],
    ));
    assert!(err.contains("already exists"), "{err}");
}

#[test]
fn new_provider_refuses_unsafe_ids() {
    let tmp = init();
    let cat = tmp.path().join("cat");
    for id in [
        "../x",
        "Upper",
        "a/b",
        "a b",
        ".hidden",
        "-x",
        "x.toml",
        "../../etc/passwd",
        "é",
    ] {
        let out = scimeter()
            .current_dir(tmp.path())
            .args(["--catalog", "cat", "new", "provider", "--", id])
            .output()
            .unwrap();
        let err = usage_error(&out);
        assert!(err.contains("invalid provider id"), "{id}: {err}");
        assert!(err.contains("help:"), "{id}: {err}");
    }
    // Nothing was written, inside or outside the catalog.
    let mut names: Vec<String> = std::fs::read_dir(cat.join("providers"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["example.toml"]);
    assert!(!cat.join("x.toml").exists());
    assert!(!tmp.path().join("cat/x.toml").exists());
    let mut top: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(top, ["cat"]);
}

#[test]
fn new_without_a_kind_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run_in(tmp.path(), &["new", "widget", "x"]);
    let (_, stderr) = expect_code(&out, 2);
    assert!(stderr.contains("widget"), "{stderr}");
    assert!(!tmp.path().join("scenarios").exists());
}

// --- completions and man ----------------------------------------------------------------------

#[test]
fn completions() {
    let tmp = tempfile::tempdir().unwrap();
    let cases: [(&str, &[&str]); 5] = [
        ("bash", &["_scimeter()", "complete -F"]),
        ("zsh", &["#compdef scimeter"]),
        ("fish", &["complete -c scimeter"]),
        ("powershell", &["Register-ArgumentCompleter"]),
        ("elvish", &["edit:completion"]),
    ];
    for (shell, needles) in cases {
        let out = ok(&run_in(tmp.path(), &["completions", shell]));
        for n in needles {
            assert!(out.contains(n), "{shell} completion lacks `{n}`:\n{out}");
        }
        for sub in ["diff", "init", "provider", "fail-above"] {
            assert!(out.contains(sub), "{shell} completion lacks `{sub}`");
        }
    }
    let out = run_in(tmp.path(), &["completions", "cmd"]);
    let (stdout, stderr) = expect_code(&out, 2);
    assert!(stdout.is_empty());
    assert!(stderr.contains("bash"), "lists the shells: {stderr}");
}

#[test]
fn man_page_is_roff() {
    let tmp = tempfile::tempdir().unwrap();
    let out = ok(&run_in(tmp.path(), &["man"]));
    assert!(out.starts_with(".TH") || out.starts_with(".ie"), "{out}");
    assert!(out.contains(".TH scimeter 1"), "{out}");
    assert!(out.contains(".SH NAME"), "{out}");
    assert!(out.contains("diff"), "{out}");
}

/// `man --out DIR` writes a page for every command the main page names (it used to list
/// `scimeter-check(1)` and the rest without writing them), each with its options, examples and
/// exit statuses; `man` (via `man -l`) reads them when it is installed.
#[test]
fn man_out_writes_every_referenced_page() {
    let tmp = tempfile::tempdir().unwrap();
    let out = ok(&run_in(tmp.path(), &["man", "--out", "pages"]));
    assert!(out.contains("wrote 20 man pages to `pages`"), "{out}");
    let main = std::fs::read_to_string(tmp.path().join("pages/scimeter.1")).unwrap();
    assert!(main.contains(".SH \"EXIT STATUS\""), "{main}");
    let mut referenced = 0;
    for word in main.split(|c: char| c.is_whitespace() || c == ',') {
        // clap_mangen writes `scimeter\-check(1)` in the SUBCOMMANDS section.
        if let Some(name) = word.strip_suffix("(1)") {
            let file = format!("{}.1", name.replace("\\-", "-").trim_start_matches("\\fB"));
            assert!(
                tmp.path().join("pages").join(&file).is_file(),
                "{file} missing"
            );
            referenced += 1;
        }
    }
    assert!(referenced >= 15, "{referenced} pages referenced:\n{main}");
    let cost = std::fs::read_to_string(tmp.path().join("pages/scimeter-cost.1")).unwrap();
    for part in [
        ".TH scimeter-cost 1",
        "\\-\\-explain",
        ".SH EXAMPLES",
        ".SH \"EXIT STATUS\"",
    ] {
        assert!(cost.contains(part), "`{part}` missing:\n{cost}");
    }
}

/// Every page as roff, snapshotted, so a changed flag, help text or example shows in review.
#[test]
fn man_pages_snapshot() {
    let tmp = tempfile::tempdir().unwrap();
    ok(&run_in(tmp.path(), &["man", "--out", "pages"]));
    let pages = man_pages(&tmp.path().join("pages"));
    assert_eq!(pages.len(), 20);
    for (name, text) in pages {
        insta::assert_snapshot!(format!("man_{name}"), text);
    }
}

/// Every page through the program that reads them: `man -l`, with groff's warnings on, renders
/// each one without a warning, with its name, options, examples and exit statuses. Without
/// `man` on `PATH` the test prints one SKIP line and passes, unless `SCIMETER_REQUIRE_MAN=1`
/// (as in CI).
#[test]
fn man_renders_every_page_without_warnings() {
    let Some(man) = crate::common::on_path("man") else {
        assert!(
            std::env::var("SCIMETER_REQUIRE_MAN").as_deref() != Ok("1"),
            "SCIMETER_REQUIRE_MAN=1 but `man` was not found (install `man-db`)"
        );
        println!("SKIP: man not found");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    ok(&run_in(tmp.path(), &["man", "--out", "pages"]));
    for (name, _) in man_pages(&tmp.path().join("pages")) {
        let out = std::process::Command::new(&man)
            .args(["--warnings", "-l"])
            .arg(tmp.path().join("pages").join(format!("{name}.1")))
            .env("MANPAGER", "cat")
            .env("PAGER", "cat")
            .env("MANWIDTH", "80")
            .env("LC_ALL", "C.UTF-8")
            .output()
            .expect("man runs");
        let text = String::from_utf8_lossy(&out.stdout);
        let warnings = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{name}: man failed:\n{warnings}");
        assert!(warnings.trim().is_empty(), "{name}: warnings:\n{warnings}");
        for section in ["NAME", "SYNOPSIS", "OPTIONS", "EXIT STATUS"] {
            assert!(
                text.lines().any(|l| l == section),
                "{name}: no {section} heading:\n{text}"
            );
        }
        if name != "scimeter" && name != "scimeter-new" && name != "scimeter-sources" {
            assert!(
                text.lines().any(|l| l == "EXAMPLES"),
                "{name}: no EXAMPLES heading:\n{text}"
            );
        }
        // The global options are on every page, and no line is wider than the page.
        assert!(text.contains("--catalog <DIR>"), "{name}:\n{text}");
        let widest = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
        assert!(widest <= 80, "{name}: a {widest}-column line:\n{text}");
    }
}

/// The pages in `dir` as `(name, roff)`, sorted by name.
fn man_pages(dir: &Path) -> Vec<(String, String)> {
    let mut pages: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    pages.sort();
    pages
}

/// `new scenario` writes the commented example under the new id; it checks and ranks in a
/// fresh `init` catalog, whose files point at nothing outside the catalog.
#[test]
fn new_scenario_creates_a_file_that_checks_and_ranks() {
    let tmp = init();
    let cat = tmp.path().join("cat");
    let out = ok(&run_in(&cat, &["new", "scenario", "series-b"]));
    assert!(out.contains("created `./scenarios/series-b.toml`"), "{out}");
    assert!(out.contains("scimeter rank --scenario series-b"), "{out}");
    let text = std::fs::read_to_string(cat.join("scenarios/series-b.toml")).unwrap();
    assert!(text.contains("id = \"series-b\""), "{text}");
    assert!(text.contains("name = \"series-b: "), "{text}");
    assert!(!text.contains("discounts = { example"), "{text}");
    ok(&run_in(&cat, &["check"]));
    let ranked = ok(&run_in(&cat, &["rank", "--scenario", "series-b"]));
    assert!(
        ranked.contains("Ranking for scenario `series-b`"),
        "{ranked}"
    );
    // Refuses to overwrite, and rejects an id that is not a file name.
    let again = usage_error(&run_in(&cat, &["new", "scenario", "series-b"]));
    assert!(again.contains("already exists"), "{again}");
    let bad = usage_error(&run_in(&cat, &["new", "scenario", "../x"]));
    assert!(bad.contains("invalid scenario id"), "{bad}");
    // The comments of an init catalog name no path of scimeter's own repository.
    for file in [
        "providers/example.toml",
        "scenarios/example.toml",
        "scenarios/series-b.toml",
    ] {
        let text = std::fs::read_to_string(cat.join(file)).unwrap();
        assert!(!text.contains("docs/examples"), "{file}");
        assert!(!text.contains("see docs/"), "{file}");
    }
    ok(&run_in(&cat, &["new", "provider", "acme"]));
    let acme = std::fs::read_to_string(cat.join("providers/acme.toml")).unwrap();
    assert!(
        acme.starts_with("#:schema ../provider.schema.json\n"),
        "{acme}"
    );
    assert!(cat.join("provider.schema.json").is_file());
}

/// `list providers` and `list scenarios` in every format, on the init catalog.
#[test]
fn list_shows_ids_and_names_in_every_format() {
    let tmp = init();
    let cat = tmp.path().join("cat");
    let table = ok(&run_in(&cat, &["list", "providers"]));
    assert!(table.contains("example"), "{table}");
    let csv = ok(&run_in(&cat, &["list", "scenarios", "--format", "csv"]));
    assert_eq!(
        csv.lines().next(),
        Some("id,name,horizon_months,milestones,growth")
    );
    assert!(csv.lines().nth(1).unwrap().starts_with("example,"), "{csv}");
    let json: serde_json::Value = serde_json::from_str(&ok(&run_in(
        &cat,
        &["list", "providers", "--format", "json"],
    )))
    .unwrap();
    assert_eq!(json["items"][0]["id"], "example");
    assert!(json["items"][0]["known"].as_str().unwrap().ends_with(" %"));
    let md = ok(&run_in(
        &cat,
        &["list", "scenarios", "--format", "markdown"],
    ));
    assert!(md.starts_with("| id | name |"), "{md}");
}

/// Dynamic completion (`COMPLETE=<shell> scimeter`) offers the catalog's scenario and
/// provider ids, with their names, for `--scenario`, `explain`'s provider and `--vs`; the
/// `--catalog` on the line being completed is the catalog it reads.
#[test]
fn completion_offers_the_catalogs_ids() {
    let tmp = init();
    let cat = tmp.path().join("cat");
    ok(&run_in(&cat, &["new", "scenario", "series-b"]));
    let complete = |dir: &Path, words: &[&str]| {
        let out = scimeter()
            .current_dir(dir)
            .env("COMPLETE", "fish")
            .arg("--")
            .arg("scimeter")
            .args(words)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8(out.stdout).unwrap()
    };
    let scenarios = complete(&cat, &["rank", "--scenario", ""]);
    let ids: Vec<&str> = scenarios
        .lines()
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(ids, ["example", "series-b"], "{scenarios}");
    assert!(
        scenarios.contains("example\tExample: 50 customers"),
        "{scenarios}"
    );
    let providers = complete(tmp.path(), &["--catalog", "cat", "explain", "ex"]);
    assert_eq!(
        providers.lines().next().map(|l| l.split('\t').next()),
        Some(Some("example"))
    );
    // `--catalog=DIR` counts as well.
    let providers = complete(tmp.path(), &["--catalog=cat", "explain", "ex"]);
    assert_eq!(
        providers.lines().next().map(|l| l.split('\t').next()),
        Some(Some("example"))
    );
    // Outside a catalog there is nothing to offer, and nothing fails.
    assert_eq!(complete(tmp.path(), &["rank", "--scenario", ""]), "");
    // A word that is not UTF-8 on the line does not crash the completer.
    let out = scimeter()
        .current_dir(&cat)
        .env("COMPLETE", "fish")
        .arg("--")
        .arg("scimeter")
        .arg(std::os::unix::ffi::OsStrExt::from_bytes(b"\xff".as_slice()) as &std::ffi::OsStr)
        .args(["rank", "--scenario", ""])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    // A `scenarios` folder that is a link (here to the real one) is not followed.
    let linked = tmp.path().join("linked");
    std::fs::create_dir(&linked).unwrap();
    std::os::unix::fs::symlink(cat.join("scenarios"), linked.join("scenarios")).unwrap();
    assert_eq!(complete(&linked, &["rank", "--scenario", ""]), "");
}

// --- --help -----------------------------------------------------------------------------------

/// The subcommand names listed under `Commands:` in a help text (without `help`).
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .filter(|n| n != "help")
        .collect()
}

/// Every leaf subcommand (found from `scimeter --help`, recursively) has `--help` with an
/// example.
#[test]
fn every_subcommand_help_has_an_example() {
    let tmp = tempfile::tempdir().unwrap();
    let top = ok(&run_in(tmp.path(), &["--help"]));
    let mut queue: Vec<Vec<String>> = subcommands(&top).into_iter().map(|s| vec![s]).collect();
    let expected = [
        "check",
        "schema",
        "cost",
        "project",
        "rank",
        "explain",
        "sensitivity",
        "report",
        "diff",
        "init",
        "new",
        "completions",
        "man",
    ];
    for e in expected {
        assert!(
            queue.iter().any(|q| q[0] == e),
            "`{e}` missing from --help:\n{top}"
        );
    }
    let mut leaves = 0;
    while let Some(path) = queue.pop() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let help = ok(&run_in(tmp.path(), &args));
        let children = subcommands(&help);
        if children.is_empty() {
            leaves += 1;
            assert!(
                help.contains("Example"),
                "`scimeter {}` has no example:\n{help}",
                path.join(" ")
            );
            assert!(help.contains("Usage: scimeter"), "{help}");
        } else {
            queue.extend(children.into_iter().map(|c| {
                let mut p = path.clone();
                p.push(c);
                p
            }));
        }
    }
    assert!(leaves >= 13, "only {leaves} leaf subcommands");
}

/// `scimeter new --help` (the group) should show an example too.
#[test]
fn new_group_help_has_an_example() {
    let tmp = tempfile::tempdir().unwrap();
    let help = ok(&run_in(tmp.path(), &["new", "--help"]));
    assert!(help.contains("Example"), "{help}");
}

#[test]
fn version() {
    let tmp = tempfile::tempdir().unwrap();
    let out = ok(&run_in(tmp.path(), &["--version"]));
    assert!(out.starts_with("scimeter "), "{out}");
}

/// `scimeter --catalog foo init` should start the catalog in `foo` (or refuse the ambiguity),
/// not silently in the current directory.
#[test]
fn init_honours_the_catalog_option() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run_in(tmp.path(), &["--catalog", "foo", "init"]);
    if out.status.success() {
        assert!(tmp.path().join("foo/providers/example.toml").is_file());
    }
    assert!(
        !tmp.path().join("providers").exists(),
        "init wrote into the current directory despite `--catalog foo`"
    );
}
