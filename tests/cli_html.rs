//! `reports/index.html` in a real headless Chromium: for several weight sets given in the URL
//! fragment, the ranking the page computes (read from the DOM's `data-provider` /
//! `data-total` rows) matches `scimeter rank --weights … --format json` to 0.1 points; and a
//! screenshot of the page is not blank.
//!
//! The browser is `SCIMETER_CHROMIUM`, else `chromium` or `chromium-browser` on `PATH`. Without
//! one the test prints `SKIP: chromium not found` and passes, unless
//! `SCIMETER_REQUIRE_BROWSER=1` (as in CI), when it fails.

use crate::common::{on_path, repo, scimeter};
use std::path::{Path, PathBuf};
use std::process::Command;

const AXES: [&str; 5] = [
    "ease",
    "features",
    "pricing",
    "integration",
    "prerequisites",
];

/// The browser binary, if any.
fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("SCIMETER_CHROMIUM").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    ["chromium", "chromium-browser"]
        .into_iter()
        .find_map(on_path)
}

/// Runs the browser headless on `url` with extra arguments; returns stdout.
fn run_browser(browser: &Path, profile: &Path, url: &str, extra: &[String]) -> String {
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-dev-shm-usage",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .output()
        .expect("the browser runs");
    assert!(
        out.status.success(),
        "the browser failed on {url}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The value of attribute `name` in one start tag.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')? + start;
    Some(&tag[start..end])
}

/// The ranking rows of one scenario, in DOM order: (provider, total).
fn dom_ranking(dom: &str, scenario: &str) -> Vec<(String, f64)> {
    let mut rows = Vec::new();
    let mut rest = dom;
    while let Some(i) = rest.find("<tr ") {
        let tag_end = rest[i..].find('>').map_or(rest.len(), |e| i + e);
        let tag = &rest[i..tag_end];
        if attr(tag, "data-scenario") == Some(scenario)
            && let (Some(p), Some(t)) = (attr(tag, "data-provider"), attr(tag, "data-total"))
        {
            rows.push((
                p.to_owned(),
                t.parse::<f64>().expect("data-total is a number"),
            ));
        }
        rest = &rest[tag_end..];
    }
    rows
}

/// `scimeter rank` as (normalised weights, [(provider, total)]).
fn cli_ranking(scenario: &str, weights: Option<&[f64; 5]>) -> ([f64; 5], Vec<(String, f64)>) {
    let mut cmd = scimeter();
    cmd.current_dir(repo()).args([
        "rank",
        "--scenario",
        scenario,
        "--format",
        "json",
        "--draws",
        "200",
    ]);
    if let Some(w) = weights {
        let list: Vec<String> = AXES
            .iter()
            .zip(w)
            .map(|(a, v)| format!("{a}={v}"))
            .collect();
        cmd.args(["--weights", &list.join(",")]);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let r = &doc["ranking"];
    let mut w = [0.0; 5];
    for (k, v) in w.iter_mut().enumerate() {
        *v = r["weights"][k].as_f64().unwrap();
    }
    let rows = r["ranked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["card"]["provider"].as_str().unwrap().to_owned(),
                e["card"]["total"]["low"].as_f64().unwrap(),
            )
        })
        .collect();
    (w, rows)
}

/// True when the PNG has more than one colour.
fn png_has_content(path: &Path) -> bool {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().expect("png fits in memory")];
    let info = reader.next_frame(&mut buf).unwrap();
    let bytes = &buf[..info.buffer_size()];
    let px = info.color_type.samples() * usize::from(info.bit_depth as u8).max(8) / 8;
    let first = &bytes[..px];
    bytes.chunks(px).any(|c| c != first)
}

#[test]
fn browser_ranking_matches_the_cli() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var("SCIMETER_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "SCIMETER_REQUIRE_BROWSER=1 but no chromium was found (set SCIMETER_CHROMIUM or install `chromium`)"
        );
        println!("SKIP: chromium not found");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("reports-copy");
    let run = scimeter()
        .current_dir(repo())
        .args(["report", "--draws", "200", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let page = out.join("index.html");
    assert!(page.is_file(), "index.html was not written");
    assert!(std::fs::metadata(&page).unwrap().len() <= 1_500_000);
    let profile = dir.path().join("profile");

    let scenario = "baseline";
    let (base, _) = cli_ranking(scenario, None);
    // The scenario's own weights, each axis doubled in turn, and one axis at zero.
    let mut sets = vec![base];
    for k in 0..5 {
        let mut w = base;
        w[k] *= 2.0;
        sets.push(w);
    }
    let mut zero = base;
    zero[0] = 0.0;
    sets.push(zero);

    for w in &sets {
        let fragment: Vec<String> = AXES
            .iter()
            .zip(w)
            .map(|(a, v)| format!("{a}:{v}"))
            .collect();
        let url = format!(
            "file://{}#scenario={scenario}&weights={}",
            page.display(),
            fragment.join(",")
        );
        let dom = run_browser(&browser, &profile, &url, &["--dump-dom".to_owned()]);
        let got = dom_ranking(&dom, scenario);
        let (_, want) = cli_ranking(scenario, Some(w));
        assert!(!want.is_empty());
        let got_ids: Vec<&str> = got.iter().map(|(p, _)| p.as_str()).collect();
        let want_ids: Vec<&str> = want.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(got_ids, want_ids, "order differs for weights {w:?}");
        for ((p, g), (_, e)) in got.iter().zip(&want) {
            assert!(
                (g - e).abs() <= 0.1,
                "{p}: page total {g} vs cli {e} for weights {w:?}"
            );
        }
    }

    let shot = dir.path().join("shot.png");
    run_browser(
        &browser,
        &profile,
        &format!("file://{}#scenario={scenario}", page.display()),
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,900".to_owned(),
        ],
    );
    assert!(shot.is_file(), "no screenshot was written");
    assert!(png_has_content(&shot), "the screenshot is a single colour");
}

/// A point's tooltip shows the exact amount, formatted as every other money figure (it was
/// an `f64` rounded to whole dollars: a $0.49 month read "$0"). Stytch in `baseline` at 100
/// customers: $24,375.00 a month, as in `baseline/milestones.csv`.
#[test]
fn point_tooltips_show_exact_amounts() {
    let page = std::fs::read_to_string(repo().join("reports/index.html")).unwrap();
    assert!(
        page.contains("<title>Stytch: 100 customers, $24,375.00 a month</title>"),
        "the exact amount in Stytch's tooltip"
    );
    let mut seen = 0;
    for (i, _) in page.match_indices(" a month</title>") {
        let head = &page[..i];
        let amount = &head[head.rfind(", ").unwrap() + 2..];
        let cents = amount.rsplit('.').next().unwrap();
        assert!(
            cents.len() == 2 && cents.bytes().all(|b| b.is_ascii_digit()),
            "{amount}"
        );
        seen += 1;
    }
    assert!(seen > 100, "only {seen} tooltips");
}
