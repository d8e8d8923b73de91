//! `scimeter rank`, `explain` and `sensitivity` on small fixture catalogs under
//! `tests/fixtures/scoring/`:
//!
//! - `golden/`: three ranked providers and one excluded, one scenario. Every axis score, total
//!   and margin is worked out by hand below ([`golden_ranking_by_hand`]) and checked against
//!   `rank --format json`.
//! - `tie/`: two identical providers (under different ids) and a third: ties print as `1=`.
//! - `pair/`: two providers that differ on exactly two axes, so the SMAA first-rank
//!   acceptability has a closed form under Dirichlet(1,…,1) weights.
//! - `gated/`: golden Alpha with webhooks sold as an add-on or a dearer plan, under the golden
//!   scenario and a copy that requires webhooks: a plan-gated feature scores only when the
//!   costed plan includes it ([`plan_gates_by_hand`]).
//!
//! Every command's output is kept as an insta snapshot in every format
//! (`tests/snapshots/integration__cli_scoring__*.snap`). Bad input (unknown ids, invalid weights
//! on the command line or in a scenario file) exits 2 with nothing on stdout.
//!
//! Tests marked `#[ignore = "bug …"]` / `#[ignore = "gap …"]` pin known defects in `src/`: they
//! fail today and should pass once the defect is fixed (run them with `--ignored`).

use crate::common::{copy_dir, fixture, repo, scimeter};
use serde_json::Value;

const GOLDEN: &str = "tests/fixtures/scoring/golden";
const TIE: &str = "tests/fixtures/scoring/tie";
const PAIR: &str = "tests/fixtures/scoring/pair";
const GATED: &str = "tests/fixtures/scoring/gated";
const FORMATS: [&str; 4] = ["table", "csv", "json", "markdown"];
const AXES: [&str; 5] = [
    "ease",
    "features",
    "pricing",
    "integration",
    "prerequisites",
];

/// Runs scimeter from the repository root.
fn run(args: &[&str]) -> std::process::Output {
    scimeter()
        .current_dir(repo())
        .args(args)
        .output()
        .expect("scimeter runs")
}

/// Runs a command that must succeed and returns its stdout.
fn ok(args: &[&str]) -> String {
    let out = run(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "scimeter {}\nstderr:\n{stderr}",
        args.join(" ")
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Runs a command that must fail with exit code 2, print nothing on stdout and not panic;
/// returns its stderr.
fn usage_error(args: &[&str]) -> String {
    let out = run(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(2),
        "scimeter {}\nstderr:\n{stderr}",
        args.join(" ")
    );
    assert!(
        out.stdout.is_empty(),
        "scimeter {}: partial output on stdout",
        args.join(" ")
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&ok(args))
        .unwrap_or_else(|e| panic!("scimeter {}: not JSON ({e})", args.join(" ")))
}

/// Runs the command and compares its stdout with the snapshot `name`.
fn snapshot(name: &str, args: &[&str]) {
    let out = ok(args);
    insta::with_settings!({
        description => format!("scimeter {}", args.join(" ")),
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, out);
    });
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// `--weights` text that reproduces these weights exactly (shortest round-trip decimals).
fn weights_arg(w: &[f64]) -> String {
    AXES.iter()
        .zip(w)
        .map(|(a, x)| format!("{a}={x:?}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// The ranked entry of a provider in `rank --format json`.
fn entry<'v>(ranking: &'v Value, id: &str) -> &'v Value {
    ranking["ranking"]["ranked"]
        .as_array()
        .expect("ranked")
        .iter()
        .find(|e| e["card"]["provider"] == id)
        .expect("ranked provider")
}

// ------------------------------------------------------------------------ the golden ranking

/// The golden scenario (`tests/fixtures/scoring/golden/scenarios/golden.toml`):
/// 100 customers every month for 12 months, milestones 100 and 1,000 customers, one directory
/// and one SSO connection per customer, budget anchor $200 per customer-month; provisioning and
/// deprovisioning required; bulk, me, sorting, search and `events_api` ignored; identity-provider mix 5/3/2
/// (normalised to Entra ID 50 %, Okta 30 %, Google Workspace 20 %); team languages node and
/// python, no SSO yet, beta counts at 0.5 (early access and preview at 0.25); weights 2/3/2/1/2,
/// normalised to 0.2/0.3/0.2/0.1/0.2.
///
/// Points per axis after dropping the ignored criteria: ease 100, features 100 − 4 × 1 = 96,
/// pricing 100, integration 100 − 15 (events API) = 85, prerequisites 100 (SSO counts: the team
/// has no SSO). An axis score is 100 × Σ points × value ÷ Σ points.
///
/// Pricing evidence: the scenario never has more than 100 customers, so only the 100-customer
/// milestone is reached; the 1,000-customer milestone is left out of pricing (it is still shown
/// in `explain`'s cost arithmetic). Each provider is scored on its cost at 100 customers and
/// over the horizon (12 months × 100 = 1,200 customer-months). No scored feature is plan-gated
/// outside the costed plan (Alpha's `standard`, Bravo's `b2b` and Charlie's `enterprise` all
/// list `groups`, the only scored feature any plan lists), so no criterion is zeroed by a plan
/// gate.
///
/// **Alpha Sync** (everything known):
/// - ease: managed 1 × 40 + admin portal GA 1 × 20 + setup guides GA 1 × 15 + 304 h →
///   (600 − 304)/(600 − 8) = 0.5 × 25 = 12.5 → **87.5**
/// - features: provisioning 14 + deprovisioning 18 + soft delete 6 + groups 14 + role mapping
///   beta 0.5 × 10 = 5 + custom attributes none 0 × 8 + `IdPs` (0.5 × 1 + 0.3 × 1 + 0.2 ×
///   min(GA, groups GA) = 1) × 26 = 26 → 83/96 → **86.458333**
/// - pricing: $120 per connection → 100 × $120 = $12,000 a month, $120 per customer-month at
///   100 and over the horizon (12 × $12,000 / 1,200 customer-months): 1 − 120/200 = 0.4 at
///   each point; per-connection predictability 1 (all published) × 30 + transparency 1 × 20 +
///   0.4 × 50 → **70**
/// - integration: org members 1 × 30 + webhooks GA 20 + ordered delivery none 0 × 10 + SDKs
///   {node, go} ∩ {node, python} = 1 of 2 → 0.5 × 25 = 12.5 → 62.5/85 → **73.529412**
/// - prerequisites: no SSO needed 1 × 60 + paid plan 0.7 × 40 = 28 → **88**
/// - total 0.2 × 87.5 + 0.3 × 86.458333 + 0.2 × 70 + 0.1 × 73.529412 + 0.2 × 88
///   = 17.5 + 25.9375 + 14 + 7.352941 + 17.6 = **82.390441** (112051/1360)
///
/// **Bravo Auth** (unknown: setup guides, soft delete, ordered delivery; cost above 500 SSO
/// connections is contact sales, which 100 customers never reach):
/// - ease: managed 40 + admin portal preview 0.25 × 20 = 5 + setup guides unknown [0, 1] × 15
///   + 8 h → 1 × 25 = 25 → **70** (best case 85)
/// - features: 14 + 18 + soft delete unknown [0, 6] + groups beta 0.5 × 14 = 7 + 10 + 8 + `IdPs`
///   (0.5 + 0.3 + 0.2 × min(GA 1, groups none 0) = 0.8) × 26 = 20.8 → 77.8/96 →
///   **81.041667** (best case 83.8/96 = 87.291667)
/// - pricing: $40 per SSO connection up to 500, contact sales above. At 100: 100 × $40 =
///   $4,000 → $40 per customer → 1 − 40/200 = 0.8. Horizon: 12 × $4,000 / 1,200 = $40 → 0.8.
///   Cost (0.8 + 0.8)/2 = 0.8; transparency 1 (the one reached milestone is published); bundled
///   predictability 1. 30 + 20 + 50 × 0.8 → **90**
/// - integration: flat records 0.3 × 30 = 9 + webhooks 20 + ordered delivery unknown [0, 10] +
///   SDKs 2 of 2 → 25 → 54/85 → **63.529412** (best case 64/85 = 75.294118)
/// - prerequisites: 60 + any plan 40 → **100**
/// - total 14 + 24.3125 + 18 + 6.352941 + 20 = **82.665441** (22485/272)
///   (best case 17 + 26.1875 + 18 + 7.529412 + 20 = 88.716912)
///
/// **Charlie Identity** (self-hosted, every price contact sales):
/// - ease: self-hosted 0.4 × 40 = 16 + admin portal none 0 + setup guides 15 + 600 h → 0 →
///   **31**
/// - features: 14 + 18 + 6 + groups none 0 + 10 + 8 + `IdPs` (0.5 × 1 + 0.3 × beta 0.5 + 0.2 ×
///   1 = 0.85) × 26 = 22.1 → 78.1/96 → **81.354167**
/// - pricing: nothing published at the milestone (≥ $0 + unknown): predictability 0.1 × 30 = 3,
///   transparency 0, cost [0, 1] × 50 → **3** (best case 53)
/// - integration: org members 30 + webhooks beta 0.5 × 20 = 10 + ordered delivery GA 10 + SDKs
///   2 of 2 → 25 → 75/85 → **88.235294**
/// - prerequisites: 60 + enterprise plan 0.2 × 40 = 8 → **68**
/// - total 6.2 + 24.40625 + 0.6 + 8.823529 + 13.6 = **53.629779** (best case + 0.2 × 50 =
///   63.629779)
///
/// **Delta JIT** is excluded: deprovisioning is `none`, provisioning is unknown (unconfirmed
/// fails: the pessimistic rule).
///
/// Ranking on the pessimistic totals: 1 Bravo (margin 82.665441 − 82.390441 = 0.275: by axis
/// −3.5 − 1.625 + 4 − 1 + 2.4), 2 Alpha (margin 82.390441 − 53.629779 = 28.760662), 3 Charlie.
#[test]
fn golden_ranking_by_hand() {
    let r = json(&[
        "rank",
        "--catalog",
        GOLDEN,
        "--scenario",
        "golden",
        "--format",
        "json",
    ]);
    assert_eq!(r["schema_version"], 1);
    let ranking = &r["ranking"];
    assert_eq!(ranking["scenario"], "golden");
    let weights: Vec<f64> = ranking["weights"]
        .as_array()
        .expect("weights")
        .iter()
        .map(f)
        .collect();
    assert_eq!(weights, [0.2, 0.3, 0.2, 0.1, 0.2]);

    let alpha = [87.5, 8300.0 / 96.0, 70.0, 6250.0 / 85.0, 88.0];
    let bravo_low = [70.0, 7780.0 / 96.0, 90.0, 5400.0 / 85.0, 100.0];
    let bravo_high = [85.0, 8380.0 / 96.0, 90.0, 6400.0 / 85.0, 100.0];
    let charlie_low = [31.0, 7810.0 / 96.0, 3.0, 7500.0 / 85.0, 68.0];
    let mut charlie_high = charlie_low;
    charlie_high[2] = 53.0;
    let weighted = |axes: &[f64; 5]| -> f64 { axes.iter().zip(&weights).map(|(a, w)| a * w).sum() };
    let expected = [
        (
            "bravo",
            1,
            bravo_low,
            bravo_high,
            Some(weighted(&bravo_low) - weighted(&alpha)),
        ),
        (
            "alpha",
            2,
            alpha,
            alpha,
            Some(weighted(&alpha) - weighted(&charlie_low)),
        ),
        ("charlie", 3, charlie_low, charlie_high, None),
    ];
    // The hand totals, as written in the comment above.
    assert!((weighted(&alpha) - 82.390_441).abs() < 1e-6);
    assert!(close(weighted(&alpha), 112_051.0 / 1360.0));
    assert!(
        (weighted(&bravo_low) - 82.665_441).abs() < 1e-6
            && (weighted(&bravo_high) - 88.716_912).abs() < 1e-6
    );
    assert!(close(weighted(&bravo_low), 22_485.0 / 272.0));
    assert!(
        (weighted(&charlie_low) - 53.629_779).abs() < 1e-6
            && (weighted(&charlie_high) - 63.629_779).abs() < 1e-6
    );
    assert!(close(weighted(&bravo_low) - weighted(&alpha), 0.275));
    assert!((weighted(&alpha) - weighted(&charlie_low) - 28.760_662).abs() < 1e-6);

    let ranked = ranking["ranked"].as_array().expect("ranked");
    assert_eq!(ranked.len(), 3);
    for (e, (id, rank, low, high, margin)) in ranked.iter().zip(expected) {
        let card = &e["card"];
        assert_eq!(card["provider"], id);
        assert_eq!(e["rank"], rank, "{id}");
        assert_eq!(e["tied"], false, "{id}");
        let axes = card["axes"].as_array().expect("axes");
        for k in 0..5 {
            assert_eq!(axes[k]["axis"], AXES[k]);
            let (l, h) = (f(&axes[k]["score"]["low"]), f(&axes[k]["score"]["high"]));
            assert!(
                close(l, low[k]) && close(h, high[k]),
                "{id} {}: [{l}, {h}] ≠ [{}, {}]",
                AXES[k],
                low[k],
                high[k]
            );
            // Contribution = weight × axis score.
            assert!(
                close(f(&card["contributions"][k]), weights[k] * low[k]),
                "{id} {}",
                AXES[k]
            );
        }
        assert!(close(f(&card["total"]["low"]), weighted(&low)), "{id}");
        assert!(close(f(&card["total"]["high"]), weighted(&high)), "{id}");
        match margin {
            Some(m) => assert!(close(f(&e["margin"]), m), "{id}"),
            None => assert!(e["margin"].is_null()),
        }
    }
    let excluded = ranking["excluded"].as_array().expect("excluded");
    assert_eq!(excluded.len(), 1);
    assert_eq!(excluded[0]["provider"], "delta");
    let features: Vec<&str> = excluded[0]["failures"]
        .as_array()
        .expect("failures")
        .iter()
        .map(|x| x["feature"].as_str().expect("feature"))
        .collect();
    assert_eq!(features, ["deprovisioning", "provisioning"]);
    assert_eq!(excluded[0]["failures"][1]["status"], "unknown");

    // The criteria behind two of the numbers, as `explain` reports them.
    let e = json(&[
        "explain",
        "bravo",
        "--catalog",
        GOLDEN,
        "--scenario",
        "golden",
        "--format",
        "json",
    ]);
    let criteria = |axis: usize| {
        e["scorecard"]["axes"][axis]["criteria"]
            .as_array()
            .expect("criteria")
            .clone()
    };
    let idps = criteria(1)
        .into_iter()
        .find(|c| c["key"] == "features.idps")
        .expect("idps");
    assert_eq!(
        idps["level"],
        "entra_id 50%: ga; okta 30%: ga; google_workspace 20%: ga, groups none"
    );
    assert!(close(f(&idps["value"]["low"]), 0.8));
    let pricing = criteria(2);
    let level = |key: &str| {
        pricing
            .iter()
            .find(|c| c["key"] == key)
            .unwrap_or_else(|| panic!("no `{key}`"))
            .clone()
    };
    // Only the reached milestone (100) and the horizon: the contact-sales band is never priced.
    let cost = level("pricing.cost");
    assert_eq!(
        cost["level"],
        "$40.00 at 100; $40.00 over the horizon per customer-month"
    );
    assert!(close(f(&cost["value"]["low"]), 0.8) && close(f(&cost["value"]["high"]), 0.8));
    assert_eq!(level("pricing.transparency")["level"], "100: published");
    assert_eq!(
        level("pricing.model")["level"],
        "bundled (all milestone costs published)"
    );
}

/// `gated/`: golden Alpha (82.390441 under the golden scenario) whose webhooks are sold
/// separately: add-on `realtime` ($1,000 a month, for `standard`) or plan `pro` ($150 instead of
/// $120 a connection).
///
/// - Golden scenario (webhooks preferred): the cost engine buys only what is required, so it
///   prices `standard` alone ($12,000 a month at 100 customers; `pro` would be $15,000). The
///   webhooks are GA but not in the costed plan: 0. Integration 30 + 0 + 0 + 12.5 = 42.5/85 →
///   **50**; pricing unchanged **70**; total 17.5 + 25.9375 + 14 + 0.1 × 50 + 17.6 = **80.0375**.
/// - `webhooks-required`: every eligible plan must cover webhooks: `standard` + `realtime` =
///   $13,000 beats `pro` at $15,000. $130 per customer-month at 100 and over the horizon →
///   1 − 130/200 = 0.35; pricing 30 + 20 + 50 × 0.35 = **67.5**; integration back to 62.5/85 →
///   **73.529412**; total 17.5 + 25.9375 + 13.5 + 7.352941 + 17.6 = **81.890441**.
#[test]
fn plan_gates_by_hand() {
    let total = |scenario: &str| -> (Value, Value) {
        let r = json(&[
            "rank",
            "--catalog",
            GATED,
            "--scenario",
            scenario,
            "--format",
            "json",
        ]);
        let card = entry(&r, "alpha")["card"].clone();
        (card["total"].clone(), card["axes"].clone())
    };
    let (t, axes) = total("golden");
    assert!(
        close(f(&t["low"]), 80.0375) && close(f(&t["high"]), 80.0375),
        "{t}"
    );
    assert!(close(f(&axes[2]["score"]["low"]), 70.0));
    assert!(close(f(&axes[3]["score"]["low"]), 50.0));
    let webhooks = axes[3]["criteria"]
        .as_array()
        .expect("criteria")
        .iter()
        .find(|c| c["key"] == "integration.webhooks")
        .expect("webhooks")
        .clone();
    assert_eq!(
        webhooks["level"],
        "ga but not in the costed plan `standard` (needs add-on `realtime` or plan `pro`, which the cost includes only if the need is `required`)"
    );
    assert!(f(&webhooks["value"]["low"]).abs() < 1e-12);
    let text = ok(&[
        "explain",
        "alpha",
        "--catalog",
        GATED,
        "--scenario",
        "golden",
    ]);
    assert!(
        text.contains("ga but not in the costed plan `standard`")
            && text.contains("Integration: 50.0 × weight 10.0 % = 5.00 points"),
        "{text}"
    );

    let (t, axes) = total("webhooks-required");
    let by_hand: f64 = 17.5 + 25.9375 + 13.5 + 0.1 * 6250.0 / 85.0 + 17.6;
    assert!((by_hand - 81.890_441).abs() < 1e-6);
    assert!(close(f(&t["low"]), by_hand), "{t}");
    assert!(close(f(&axes[2]["score"]["low"]), 67.5));
    assert!(close(f(&axes[3]["score"]["low"]), 6250.0 / 85.0));
    let text = ok(&[
        "explain",
        "alpha",
        "--catalog",
        GATED,
        "--scenario",
        "webhooks-required",
    ]);
    assert!(
        text.contains("$130.00 at 100") && !text.contains("costed plan"),
        "{text}"
    );
}

#[test]
fn golden_sensitivity_numbers() {
    // Values (0–1) in rank order: bravo (0.7, 77.8/96, 0.9, 54/85, 1), alpha (0.875, 83/96,
    // 0.7, 62.5/85, 0.88), charlie (0.31, 78.1/96, 0.03, 75/85, 0.68). Bravo leads Alpha by
    // D = 0.8266544 − 0.8239044 = 0.00275; gaps d = (−0.175, −0.0541667, 0.2, −0.1, 0.12).
    // t* = (w·d − D)/(d − D) per axis (↑ above the current weight, ↓ below):
    //   ease (−0.035 − 0.00275)/(−0.17775) = 0.2123769 ↑; features (−0.01625 − 0.00275)/
    //   (−0.0569167) = 0.3338214 ↑; pricing (0.04 − 0.00275)/0.19725 = 0.1888466 ↓; integration
    //   (−0.01 − 0.00275)/(−0.10275) = 0.1240876 ↑; prerequisites (0.024 − 0.00275)/0.11725
    //   = 0.1812367 ↓.
    // Every one is nearer than any crossing with Charlie (Bravo–Charlie: features 0.9925464,
    // integration 0.5862550; Alpha–Charlie: integration 0.6955062; the rest outside [0, 1]), so
    // the winner and ranking intervals are the same and every end is a Bravo/Alpha swap.
    let s = json(&[
        "sensitivity",
        "--catalog",
        GOLDEN,
        "--scenario",
        "golden",
        "--seed",
        "7",
        "--draws",
        "2000",
        "--format",
        "json",
    ]);
    let s = &s["sensitivity"];
    assert_eq!(
        s["providers"],
        serde_json::json!(["bravo", "alpha", "charlie"])
    );
    let t = |d: f64, lead: f64, w: f64| (w * d - lead) / (d - lead);
    let (sb, sa): (f64, f64) = (0.826_654_411_764_706, 0.823_904_411_764_706);
    let lead = sb - sa;
    assert!((lead - 0.00275).abs() < 1e-12);
    let winner = s["winner_intervals"].as_array().expect("intervals");
    let ranking = s["ranking_intervals"].as_array().expect("intervals");
    let by_hand = [
        (0.2, -0.175, 0.212_376_9),
        (0.3, -5.2 / 96.0, 0.333_821_4),
        (0.2, 0.2, 0.188_846_6),
        (0.1, -0.1, 0.124_087_6),
        (0.2, 0.12, 0.181_236_7),
    ];
    for intervals in [winner, ranking] {
        for (k, (w, d, star)) in by_hand.into_iter().enumerate() {
            let i = &intervals[k];
            assert_eq!(i["axis"], AXES[k]);
            let end = t(d, lead, w);
            assert!((end - star).abs() < 1e-7, "{k}: {end}");
            let (low, high, flip) = if end > w {
                (0.0, end, "high_flip")
            } else {
                (end, 1.0, "low_flip")
            };
            assert!(
                (f(&i["low"]) - low).abs() < 1e-12 && (f(&i["high"]) - high).abs() < 1e-12,
                "{i}"
            );
            assert_eq!(i[flip], serde_json::json!(["bravo", "alpha"]), "{i}");
            let other = if flip == "high_flip" {
                "low_flip"
            } else {
                "high_flip"
            };
            assert!(i[other].is_null(), "{i}");
        }
    }
    // The nearest end: pricing −1.12 points (ease +1.24, prerequisites −1.88, integration +2.41,
    // features +3.38).
    assert_eq!(
        s["critical_axis"],
        "pricing is the most critical axis: changing its weight from 20.0 % to 18.9 % (others rescaled proportionally) makes Alpha Sync tie Bravo Auth"
    );
    // Greedy: Alpha is relatively strongest on ease (d = −0.175), Bravo on pricing (d = 0.2):
    // each point moved from pricing to ease lowers the lead by 0.2 + 0.175 = 0.375, so
    // 0.00275/0.375 = 0.0073333 (0.7 points) closes it.
    assert_eq!(
        s["smallest_shift"],
        "moving 0.7 points of weight from pricing to ease makes Alpha Sync tie Bravo Auth (a total shift of 0.7 points)"
    );
    // The closed form of P(Bravo ahead of Alpha) under Dirichlet(1,…,1) weights is 0.4701424
    // (see `smaa_on_the_golden_scorecards` in src/score/tests.rs); 2,000 draws: ±0.011 (1 SE).
    let winning = f(&s["smaa"]["pairwise_winning"][0][1]);
    assert!((winning - 0.470_142).abs() < 0.04, "{winning}");
}

/// The stability-interval end points reported by `sensitivity` really make the named pair tie:
/// rank again with the weights at each end (the others rescaled proportionally) and the two
/// providers share a rank (`tied`, within 1e-9). The `explain --vs` weight shift does the same.
#[test]
fn interval_end_points_tie_when_ranked_again() {
    let s = json(&[
        "sensitivity",
        "--catalog",
        GOLDEN,
        "--scenario",
        "golden",
        "--draws",
        "100",
        "--format",
        "json",
    ]);
    let s = &s["sensitivity"];
    let w: Vec<f64> = s["weights"]
        .as_array()
        .expect("weights")
        .iter()
        .map(f)
        .collect();
    let mut checked = 0;
    for list in ["ranking_intervals", "winner_intervals"] {
        for interval in s[list].as_array().expect("intervals") {
            let k = AXES
                .iter()
                .position(|a| interval["axis"] == *a)
                .expect("axis");
            for (end, flip) in [("low", "low_flip"), ("high", "high_flip")] {
                let Some(pair) = interval[flip].as_array() else {
                    continue;
                };
                let t = f(&interval[end]);
                let rescaled: Vec<f64> = (0..5)
                    .map(|l| {
                        if l == k {
                            t
                        } else {
                            w[l] * (1.0 - t) / (1.0 - w[k])
                        }
                    })
                    .collect();
                let r = json(&[
                    "rank",
                    "--catalog",
                    GOLDEN,
                    "--scenario",
                    "golden",
                    "--weights",
                    &weights_arg(&rescaled),
                    "--format",
                    "json",
                ]);
                let (a, b) = (
                    entry(&r, pair[0].as_str().expect("id")),
                    entry(&r, pair[1].as_str().expect("id")),
                );
                assert!(
                    (f(&a["card"]["total"]["low"]) - f(&b["card"]["total"]["low"])).abs() <= 1e-9,
                    "{list} {interval}"
                );
                assert_eq!(
                    (&a["tied"], &a["rank"]),
                    (&Value::Bool(true), &b["rank"]),
                    "{list} {interval}"
                );
                checked += 1;
            }
        }
    }
    assert_eq!(
        checked, 10,
        "one Bravo/Alpha swap per axis, in the winner and in the ranking intervals"
    );

    let e = json(&[
        "explain",
        "bravo",
        "--vs",
        "alpha",
        "--catalog",
        GOLDEN,
        "--scenario",
        "golden",
        "--format",
        "json",
    ]);
    // 0.00275/0.375 = 11/1500 of pricing's weight to ease (golden_sensitivity_numbers).
    let shift = &e["versus"]["weight_shift_to_tie"];
    assert!((f(&shift["total_shift"]) - 11.0 / 1500.0).abs() < 1e-12);
    let new: Vec<f64> = shift["new_weights"]
        .as_array()
        .expect("weights")
        .iter()
        .map(f)
        .collect();
    let r = json(&[
        "rank",
        "--catalog",
        GOLDEN,
        "--scenario",
        "golden",
        "--weights",
        &weights_arg(&new),
        "--format",
        "json",
    ]);
    assert_eq!(entry(&r, "alpha")["rank"], 1);
    assert_eq!(entry(&r, "bravo")["rank"], 1);
    assert_eq!(entry(&r, "bravo")["tied"], true);
}

// ------------------------------------------------------------------------ snapshots

#[test]
fn rank_snapshots() {
    for format in FORMATS {
        snapshot(
            &format!("rank-{format}"),
            &[
                "rank",
                "--catalog",
                GOLDEN,
                "--scenario",
                "golden",
                "--format",
                format,
            ],
        );
    }
}

#[test]
fn explain_snapshots() {
    for format in FORMATS {
        snapshot(
            &format!("explain-{format}"),
            &[
                "explain",
                "alpha",
                "--catalog",
                GOLDEN,
                "--scenario",
                "golden",
                "--format",
                format,
            ],
        );
        snapshot(
            &format!("explain-vs-{format}"),
            &[
                "explain",
                "bravo",
                "--vs",
                "alpha",
                "--catalog",
                GOLDEN,
                "--scenario",
                "golden",
                "--format",
                format,
            ],
        );
    }
    // An excluded provider is still explained, with the reason it is excluded.
    snapshot(
        "explain-excluded",
        &[
            "explain",
            "delta",
            "--catalog",
            GOLDEN,
            "--scenario",
            "golden",
        ],
    );
}

#[test]
fn sensitivity_snapshots() {
    for format in FORMATS {
        snapshot(
            &format!("sensitivity-{format}"),
            &[
                "sensitivity",
                "--catalog",
                GOLDEN,
                "--scenario",
                "golden",
                "--seed",
                "7",
                "--draws",
                "2000",
                "--format",
                format,
            ],
        );
    }
}

#[test]
fn tie_snapshots() {
    for format in FORMATS {
        snapshot(
            &format!("tie-rank-{format}"),
            &[
                "rank",
                "--catalog",
                TIE,
                "--scenario",
                "golden",
                "--format",
                format,
            ],
        );
    }
    snapshot(
        "tie-sensitivity",
        &[
            "sensitivity",
            "--catalog",
            TIE,
            "--scenario",
            "golden",
            "--draws",
            "1000",
        ],
    );
    snapshot(
        "tie-explain-vs",
        &[
            "explain",
            "echo",
            "--vs",
            "foxtrot",
            "--catalog",
            TIE,
            "--scenario",
            "golden",
        ],
    );
}

// ------------------------------------------------------------------------ ties

#[test]
fn ties_are_shown_as_ties() {
    let table = ok(&["rank", "--catalog", TIE, "--scenario", "golden"]);
    let rows: Vec<&str> = table
        .lines()
        .filter(|l| l.starts_with('│'))
        .filter(|l| l.contains("Echo") || l.contains("Foxtrot") || l.contains("Charlie"))
        .collect();
    assert_eq!(rows.len(), 3, "{table}");
    assert!(
        rows[0]
            .trim_start_matches('│')
            .trim_start()
            .starts_with("1="),
        "{table}"
    );
    assert!(
        rows[1]
            .trim_start_matches('│')
            .trim_start()
            .starts_with("1="),
        "{table}"
    );
    assert!(
        rows[2]
            .trim_start_matches('│')
            .trim_start()
            .starts_with("3 "),
        "competition ranking skips 2:\n{table}"
    );
    let markdown = ok(&[
        "rank",
        "--catalog",
        TIE,
        "--scenario",
        "golden",
        "--format",
        "markdown",
    ]);
    assert_eq!(markdown.matches("| 1= |").count(), 2, "{markdown}");

    let r = json(&[
        "rank",
        "--catalog",
        TIE,
        "--scenario",
        "golden",
        "--format",
        "json",
    ]);
    for (id, rank, tied) in [
        ("echo", 1, true),
        ("foxtrot", 1, true),
        ("charlie", 3, false),
    ] {
        assert_eq!(
            (&entry(&r, id)["rank"], &entry(&r, id)["tied"]),
            (&Value::from(rank), &Value::Bool(tied)),
            "{id}"
        );
    }
    let csv = ok(&[
        "rank",
        "--catalog",
        TIE,
        "--scenario",
        "golden",
        "--format",
        "csv",
    ]);
    assert!(
        csv.lines().any(|l| l.starts_with("golden,1,true,echo,"))
            && csv.lines().any(|l| l.starts_with("golden,1,true,foxtrot,")),
        "{csv}"
    );

    let s = ok(&[
        "sensitivity",
        "--catalog",
        TIE,
        "--scenario",
        "golden",
        "--draws",
        "200",
    ]);
    assert!(
        s.contains("Foxtrot already ties Echo for first place"),
        "{s}"
    );
    let e = ok(&[
        "explain",
        "echo",
        "--vs",
        "foxtrot",
        "--catalog",
        TIE,
        "--scenario",
        "golden",
    ]);
    assert!(e.contains("They are tied."), "{e}");
}

// ------------------------------------------------------------------------ SMAA

#[test]
fn sensitivity_is_deterministic_and_prints_seed_and_draws() {
    let args = [
        "sensitivity",
        "--catalog",
        GOLDEN,
        "--scenario",
        "golden",
        "--seed",
        "7",
        "--draws",
        "2000",
    ];
    let first = ok(&args);
    assert_eq!(first, ok(&args), "same seed, same output");
    assert!(
        first.contains("2,000 Dirichlet(1,…,1) weight draws, seed 7"),
        "{first}"
    );
    let markdown = ok(&[&args[..], &["--format", "markdown"]].concat());
    assert!(
        markdown.contains("2,000 Dirichlet(1,…,1) weight draws, seed 7"),
        "{markdown}"
    );
    let j = json(&[&args[..], &["--format", "json"]].concat());
    assert_eq!(
        (
            &j["sensitivity"]["smaa"]["seed"],
            &j["sensitivity"]["smaa"]["draws"]
        ),
        (&Value::from(7), &Value::from(2000))
    );
    assert_eq!(j, json(&[&args[..], &["--format", "json"]].concat()));
    // Another seed draws other weights.
    let other = json(&[
        "sensitivity",
        "--catalog",
        GOLDEN,
        "--scenario",
        "golden",
        "--seed",
        "8",
        "--draws",
        "2000",
        "--format",
        "json",
    ]);
    assert_ne!(
        j["sensitivity"]["smaa"]["first_rank"],
        other["sensitivity"]["smaa"]["first_rank"]
    );
    // The defaults: 10,000 draws from seed 42.
    let default = ok(&["sensitivity", "--catalog", GOLDEN, "--scenario", "golden"]);
    assert!(
        default.contains("10,000 Dirichlet(1,…,1) weight draws, seed 42"),
        "{default}"
    );
    // Each provider's rank acceptabilities sum to 1.
    for row in j["sensitivity"]["smaa"]["rank_acceptability"]
        .as_array()
        .expect("rows")
    {
        let sum: f64 = row.as_array().expect("row").iter().map(f).sum();
        assert!((sum - 1.0).abs() < 1e-12);
    }
}

/// `pair/`: Alpha Prime differs from Alpha only on ease (−0.20: no admin portal) and
/// prerequisites (+0.12: SCIM on any plan), so it wins exactly when
/// `0.12·w_prerequisites > 0.20·w_ease`, i.e. when `w_ease/(w_ease + w_prerequisites) < 0.375`.
/// Under Dirichlet(1,…,1) that ratio is uniform on [0, 1], so P(Alpha Prime first) = 0.375
/// (naive uniform-then-normalise sampling would give P(U₁ < 0.6·U₂) = 0.3). With 10,000 draws
/// the standard error is √(0.375 × 0.625/10,000) ≈ 0.005.
///
/// And by the law of total expectation, `Σ_i b_i¹·w_i^c` (first-rank acceptability × central
/// weights) is the mean of the draws, whose Dirichlet(1,…,1) expectation is 1/5 per axis
/// (standard error √(4/150/10,000) ≈ 0.0016).
#[test]
fn smaa_acceptability_matches_the_dirichlet_law() {
    let j = json(&[
        "sensitivity",
        "--catalog",
        PAIR,
        "--scenario",
        "golden",
        "--format",
        "json",
    ]);
    let smaa = &j["sensitivity"]["smaa"];
    assert_eq!(
        j["sensitivity"]["providers"],
        serde_json::json!(["alpha", "alpha-prime"])
    );
    assert_eq!(smaa["draws"], 10_000);
    let first: Vec<f64> = smaa["first_rank"]
        .as_array()
        .expect("first")
        .iter()
        .map(f)
        .collect();
    assert!((first[1] - 0.375).abs() < 0.02, "{first:?}");
    assert!(
        (first[0] + first[1] - 1.0).abs() < 1e-12,
        "no ties: {first:?}"
    );
    let winning = &smaa["pairwise_winning"];
    assert!(close(f(&winning[1][0]), first[1]) && close(f(&winning[0][1]), first[0]));
    let mut mean = [0.0; 5];
    for (share, central) in first
        .iter()
        .zip(smaa["central_weights"].as_array().expect("central"))
    {
        for (k, m) in mean.iter_mut().enumerate() {
            *m += share * f(&central[k]);
        }
    }
    assert!(mean.iter().all(|m| (m - 0.2).abs() < 0.008), "{mean:?}");
    // Central weights. Under Dirichlet(1,…,1), R = w_ease/(w_ease + w_prerequisites) is
    // uniform and independent of S = w_ease + w_prerequisites ~ Beta(2, 3) (mean 0.4) and of the
    // other three weights (mean 0.2 each). Alpha Prime wins when R < 0.375, so its central
    // weights are ease 0.4 × E[R | R < 0.375] = 0.4 × 0.1875 = 0.075, prerequisites
    // 0.4 × 0.8125 = 0.325, the others 0.2; Alpha's (R > 0.375) are ease 0.4 × 0.6875 = 0.275,
    // prerequisites 0.125, the others 0.2.
    for (i, expected) in [
        (0, [0.275, 0.2, 0.2, 0.2, 0.125]),
        (1, [0.075, 0.2, 0.2, 0.2, 0.325]),
    ] {
        let central: Vec<f64> = smaa["central_weights"][i]
            .as_array()
            .expect("central")
            .iter()
            .map(f)
            .collect();
        assert!(
            central
                .iter()
                .zip(expected)
                .all(|(c, e)| (c - e).abs() < 0.01),
            "{i}: {central:?}"
        );
    }
    // Decision entropy of a 0.375/0.625 split: 0.954 bits.
    let h = -(first[0] * first[0].log2() + first[1] * first[1].log2());
    assert!(
        close(f(&smaa["entropy"]), h) && (h - 0.954).abs() < 0.02,
        "{h}"
    );
}

// ------------------------------------------------------------------------ no rank reversal

/// Removing a provider from the catalog changes no other score and no other relative order
/// (fixed anchors, never min–max over the providers of the run).
#[test]
fn removing_a_provider_does_not_reorder_the_others() {
    let full = json(&[
        "rank",
        "--catalog",
        GOLDEN,
        "--scenario",
        "golden",
        "--format",
        "json",
    ]);
    for gone in ["alpha", "bravo", "charlie", "delta"] {
        let dir = tempfile::tempdir().expect("tempdir");
        copy_dir(&fixture("scoring/golden"), dir.path());
        std::fs::remove_file(dir.path().join("providers").join(format!("{gone}.toml")))
            .expect("remove");
        let catalog = dir.path().to_str().expect("UTF-8 path");
        let fewer = json(&[
            "rank",
            "--catalog",
            catalog,
            "--scenario",
            "golden",
            "--format",
            "json",
        ]);
        let ids = |r: &Value| -> Vec<String> {
            r["ranking"]["ranked"]
                .as_array()
                .expect("ranked")
                .iter()
                .map(|e| e["card"]["provider"].as_str().expect("id").to_owned())
                .filter(|id| id != gone)
                .collect()
        };
        assert_eq!(ids(&full), ids(&fewer), "without {gone}");
        for id in ids(&fewer) {
            assert_eq!(
                entry(&full, &id)["card"]["total"],
                entry(&fewer, &id)["card"]["total"],
                "{id} without {gone}"
            );
            assert_eq!(
                entry(&full, &id)["card"]["axes"],
                entry(&fewer, &id)["card"]["axes"],
                "{id} without {gone}"
            );
        }
    }
}

// ------------------------------------------------------------------------ bad input

#[test]
fn unknown_ids_exit_2_with_a_suggestion() {
    for (args, message, help) in [
        (
            vec!["rank", "--catalog", GOLDEN, "--scenario", "goldn"],
            "unknown scenario `goldn`",
            "did you mean `golden`?",
        ),
        (
            vec!["sensitivity", "--catalog", GOLDEN, "--scenario", "gold"],
            "unknown scenario `gold`",
            "did you mean `golden`?",
        ),
        (
            vec![
                "explain",
                "alpha",
                "--catalog",
                GOLDEN,
                "--scenario",
                "goldenn",
            ],
            "unknown scenario `goldenn`",
            "did you mean `golden`?",
        ),
        (
            vec![
                "explain",
                "alhpa",
                "--catalog",
                GOLDEN,
                "--scenario",
                "golden",
            ],
            "unknown provider `alhpa`",
            "did you mean `alpha`?",
        ),
        (
            vec![
                "explain",
                "alpha",
                "--vs",
                "brav",
                "--catalog",
                GOLDEN,
                "--scenario",
                "golden",
            ],
            "unknown provider `brav`",
            "did you mean `bravo`?",
        ),
        (
            vec![
                "explain",
                "zzzzzz",
                "--catalog",
                GOLDEN,
                "--scenario",
                "golden",
            ],
            "unknown provider `zzzzzz`",
            "expected one of `alpha`, `bravo`, `charlie`, `delta`",
        ),
    ] {
        let stderr = usage_error(&args);
        assert!(
            stderr.contains(message) && stderr.contains(help),
            "{args:?}:\n{stderr}"
        );
    }
}

#[test]
fn invalid_command_line_weights_exit_2() {
    for (weights, message) in [
        ("ease=-1", "weight `ease` = -1 is invalid"),
        ("features=NaN", "weight `features` = NaN is invalid"),
        ("pricing=nan", "weight `pricing` = NaN is invalid"),
        ("integration=inf", "weight `integration` = inf is invalid"),
        (
            "ease=0,features=0,pricing=0,integration=0,prerequisites=0",
            "all weights are zero",
        ),
        ("eese=2", "unknown axis `eese` in `--weights`"),
        ("ease=high", "weight `high` for `ease` is not a number"),
        ("ease", "`--weights` entry `ease` is not `axis=weight`"),
    ] {
        for command in [
            vec!["rank", "--scenario", "golden"],
            vec!["explain", "alpha", "--scenario", "golden"],
            vec!["sensitivity", "--scenario", "golden"],
        ] {
            let args = [&command[..], &["--catalog", GOLDEN, "--weights", weights]].concat();
            let stderr = usage_error(&args);
            assert!(stderr.contains(message), "{args:?}:\n{stderr}");
        }
    }
    let stderr = usage_error(&[
        "rank",
        "--catalog",
        GOLDEN,
        "--scenario",
        "golden",
        "--weights",
        "eese=2",
    ]);
    assert!(stderr.contains("did you mean `ease`?"), "{stderr}");
}

/// `--weights` overrides only the axes it names. Golden's weights are 2/3/2/1/2 (sum 10);
/// `ease=5` makes them 5/3/2/1/2 (sum 13): ease 5/13 = 38.5 %, features 3/13 = 23.1 %,
/// pricing and prerequisites 2/13 = 15.4 %, integration 1/13 = 7.7 %. Before, the axes left
/// out silently fell back to 1 (5/1/1/1/1), and nothing said the weights were overridden.
#[test]
fn command_line_weights_override_only_the_named_axes_and_say_so() {
    let doc = json(&[
        "rank",
        "--catalog",
        GOLDEN,
        "--scenario",
        "golden",
        "--weights",
        "ease=5",
        "--format",
        "json",
    ]);
    let expected = [5.0, 3.0, 2.0, 1.0, 2.0].map(|w| w / 13.0);
    for (k, e) in expected.iter().enumerate() {
        assert!(
            close(f(&doc["ranking"]["weights"][k]), *e),
            "axis {k}: {doc}"
        );
    }
    for command in [
        vec!["rank", "--scenario", "golden"],
        vec!["explain", "alpha", "--scenario", "golden"],
        vec!["sensitivity", "--scenario", "golden", "--draws", "100"],
    ] {
        let text = ok(&[&command[..], &["--catalog", GOLDEN, "--weights", "ease=5"]].concat());
        assert!(
            text.contains("weights: ease 38.5 %, features 23.1 %, pricing 15.4 %, integration 7.7 %, prerequisites 15.4 %"),
            "{command:?}: {text}"
        );
        assert!(
            text.contains("(`--weights` set ease = 5; the other axes keep the scenario's weights)"),
            "{command:?}: {text}"
        );
        let plain = ok(&[&command[..], &["--catalog", GOLDEN]].concat());
        assert!(!plain.contains("`--weights` set"), "{command:?}");
    }
}

#[test]
fn command_line_weights_are_normalised() {
    // 4/6/4/2/4 is the scenario's 2/3/2/1/2 doubled: the same normalised weights and totals.
    let scenario = json(&[
        "rank",
        "--catalog",
        GOLDEN,
        "--scenario",
        "golden",
        "--format",
        "json",
    ]);
    let doubled = json(&[
        "rank",
        "--catalog",
        GOLDEN,
        "--scenario",
        "golden",
        "--weights",
        "ease=4,features=6,pricing=4,integration=2,prerequisites=4",
        "--format",
        "json",
    ]);
    assert_eq!(
        doubled["ranking"]["weights"],
        scenario["ranking"]["weights"]
    );
    for id in ["alpha", "bravo", "charlie"] {
        assert!(
            close(
                f(&entry(&doubled, id)["card"]["total"]["low"]),
                f(&entry(&scenario, id)["card"]["total"]["low"])
            ),
            "{id}"
        );
    }
    // Axes not named keep the scenario's weights (2/3/2/1/2): pricing=6 → 2/3/6/1/2, sum 14.
    let pricing = json(&[
        "rank",
        "--catalog",
        GOLDEN,
        "--scenario",
        "golden",
        "--weights",
        "pricing=6",
        "--format",
        "json",
    ]);
    let w: Vec<f64> = pricing["ranking"]["weights"]
        .as_array()
        .expect("weights")
        .iter()
        .map(f)
        .collect();
    assert!(
        w.iter()
            .zip([2.0, 3.0, 6.0, 1.0, 2.0].map(|x| x / 14.0))
            .all(|(a, b)| close(*a, b)),
        "{w:?}"
    );
    assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    // A zero weight is allowed as long as one is positive.
    let one = json(&[
        "rank",
        "--catalog",
        GOLDEN,
        "--scenario",
        "golden",
        "--weights",
        "ease=0,features=0,pricing=0,integration=1,prerequisites=0",
        "--format",
        "json",
    ]);
    assert_eq!(
        one["ranking"]["ranked"][0]["card"]["provider"], "charlie",
        "integration alone: Charlie 88.2 leads"
    );
    assert!(close(
        f(&entry(&one, "charlie")["card"]["total"]["low"]),
        7500.0 / 85.0
    ));
}

/// Writes the golden catalog to a temporary directory with the scenario's `[weights]` table
/// replaced.
fn catalog_with_weights(weights: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture("scoring/golden"), dir.path());
    let path = dir.path().join("scenarios").join("golden.toml");
    let text = std::fs::read_to_string(&path).expect("scenario");
    let start = text.find("[weights]").expect("a [weights] table");
    let end = text[start..].find("\n\n").map_or(text.len(), |i| start + i);
    std::fs::write(
        &path,
        format!("{}[weights]\n{weights}{}", &text[..start], &text[end..]),
    )
    .expect("write");
    dir
}

#[test]
fn invalid_scenario_weights_exit_2() {
    for (weights, mentions) in [
        (
            "ease = -1\n",
            vec!["weight `ease` = -1 is invalid", "weights.ease"],
        ),
        (
            "features = nan\n",
            vec!["weight `features` = NaN is invalid", "weights.features"],
        ),
        (
            "pricing = inf\n",
            vec!["weight `pricing` = inf is invalid", "weights.pricing"],
        ),
        (
            "ease = 0\nfeatures = 0\npricing = 0\nintegration = 0\nprerequisites = 0\n",
            vec!["all weights are zero"],
        ),
        ("eaze = 2\n", vec!["eaze", "ease"]),
        ("integration = \"high\"\n", vec!["weights.integration"]),
    ] {
        let dir = catalog_with_weights(weights);
        let catalog = dir.path().to_str().expect("UTF-8 path");
        for command in [
            vec!["rank", "--scenario", "golden"],
            vec!["explain", "alpha", "--scenario", "golden"],
            vec!["sensitivity", "--scenario", "golden"],
        ] {
            let args = [&command[..], &["--catalog", catalog]].concat();
            let stderr = usage_error(&args);
            assert!(
                stderr.contains("scenarios/golden.toml:"),
                "{weights:?} {command:?}: no location\n{stderr}"
            );
            for m in &mentions {
                assert!(
                    stderr.contains(m),
                    "{weights:?} {command:?}: `{m}` not mentioned\n{stderr}"
                );
            }
        }
    }
    // Valid scenario weights are normalised: 1/1/1/1/6 → 0.1/0.1/0.1/0.1/0.6.
    let dir = catalog_with_weights("prerequisites = 6\n");
    let r = json(&[
        "rank",
        "--catalog",
        dir.path().to_str().expect("UTF-8 path"),
        "--scenario",
        "golden",
        "--format",
        "json",
    ]);
    let w: Vec<f64> = r["ranking"]["weights"]
        .as_array()
        .expect("weights")
        .iter()
        .map(f)
        .collect();
    assert!(
        w.iter()
            .zip([0.1, 0.1, 0.1, 0.1, 0.6])
            .all(|(a, b)| close(*a, b)),
        "{w:?}"
    );
}

// ------------------------------------------------------------------------ known bugs

/// Bug: five weights of 1e308 are each finite and positive, but their sum overflows to +inf, so
/// every normalised weight is 0: all totals become 0.0 and every provider is ranked `1=`
/// (exit 0). Expected: the weights normalise to 0.2 each (scale first), or exit 2.
#[test]
fn overflowing_weights_are_normalised_or_rejected() {
    let huge = "ease=1e308,features=1e308,pricing=1e308,integration=1e308,prerequisites=1e308";
    let out = run(&[
        "rank",
        "--catalog",
        GOLDEN,
        "--scenario",
        "golden",
        "--weights",
        huge,
        "--format",
        "json",
    ]);
    if out.status.code() != Some(2) {
        let r: Value = serde_json::from_slice(&out.stdout).expect("JSON");
        let w: Vec<f64> = r["ranking"]["weights"]
            .as_array()
            .expect("weights")
            .iter()
            .map(f)
            .collect();
        assert!(w.iter().all(|x| close(*x, 0.2)), "{w:?}");
    }
    let dir = catalog_with_weights(
        "ease = 1e308\nfeatures = 1e308\npricing = 1e308\nintegration = 1e308\nprerequisites = 1e308\n",
    );
    let out = run(&[
        "rank",
        "--catalog",
        dir.path().to_str().expect("UTF-8 path"),
        "--scenario",
        "golden",
        "--format",
        "json",
    ]);
    if out.status.code() != Some(2) {
        let r: Value = serde_json::from_slice(&out.stdout).expect("JSON");
        assert_ne!(r["ranking"]["ranked"][0]["card"]["total"]["low"], 0.0);
    }
}

/// `explain P --vs Q --format json` computes `fact_change_to_tie` from the trailing provider's
/// side whichever of the two is P (it once assumed P was ahead), and says what the text says.
/// Golden: Bravo leads Alpha by 0.275. Raising one of Alpha's criteria from `v` to `v'` adds
/// `w × 100 × p/Σp × (v' − v)`; the smallest increase is its `pricing.cost`: 0.2 × 100 × 50/100
/// = 10 points per unit, so 0.4 + 0.275/10 = 0.4275 ("0.43"). The runners-up need more: the plan
/// gate 0.275/8 = 0.034, role mapping 0.275/3.125 = 0.088, integration effort 0.275/5 = 0.055.
#[test]
fn explain_vs_fact_change_names_the_trailing_provider() {
    for (p, q) in [("bravo", "alpha"), ("alpha", "bravo")] {
        let args = [
            "explain",
            p,
            "--vs",
            q,
            "--catalog",
            GOLDEN,
            "--scenario",
            "golden",
        ];
        let e = json(&[&args[..], &["--format", "json"]].concat());
        let sentence = e["versus"]["fact_change_to_tie"]
            .as_str()
            .unwrap_or_else(|| panic!("{p} vs {q}: {}", e["versus"]));
        for part in [
            "Alpha Sync's `pricing.cost`",
            "$120.00 at 100; $120.00 over the horizon per customer-month",
            "0.40",
            "0.43",
            "Bravo Auth",
        ] {
            assert!(sentence.contains(part), "{p} vs {q}: {sentence}");
        }
        let text = ok(&args);
        assert!(
            text.contains(&format!("Smallest single-fact change: {sentence}.")),
            "{p} vs {q}:\n{text}"
        );
    }
}

/// Gap: SPEC §5 says the SMAA seed and draw count are printed; `sensitivity --format csv`
/// prints only the acceptability table (no seed, no draws, and no stability intervals).
#[test]
fn sensitivity_csv_prints_seed_and_draws() {
    let csv = ok(&[
        "sensitivity",
        "--catalog",
        GOLDEN,
        "--scenario",
        "golden",
        "--seed",
        "7",
        "--draws",
        "2000",
        "--format",
        "csv",
    ]);
    assert!(csv.contains('7') && csv.contains("2000"), "{csv}");
}

#[test]
fn fixtures_are_valid_catalogs() {
    for dir in [GOLDEN, TIE, PAIR, GATED] {
        let out = ok(&["check", "--catalog", dir, "--as-of", "2026-11-28"]);
        assert!(
            out.lines().last().is_some_and(|l| l.starts_with("ok:")),
            "{dir}: {out}"
        );
    }
}

/// The text of every table cell in a GitHub-flavoured markdown document.
fn markdown_cells(markdown: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut cells = Vec::new();
    let mut current: Option<String> = None;
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::TableCell) => current = Some(String::new()),
            Event::End(TagEnd::TableCell) => cells.extend(current.take()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = current.as_mut() {
                    c.push_str(&t);
                }
            }
            _ => {}
        }
    }
    cells
}

/// Bug: in `--format markdown`, a sentence printed on the line right after a table (no blank
/// line) is, under GitHub-flavoured markdown, another row of that table: the critical-axis,
/// smallest-shift and entropy sentences of `sensitivity`, and the "smallest weight change" and
/// "single-fact change" sentences of `explain --vs`, render as one-cell table rows.
#[test]
fn markdown_sentences_are_not_swallowed_by_tables() {
    let sensitivity = ok(&[
        "sensitivity",
        "--catalog",
        GOLDEN,
        "--scenario",
        "golden",
        "--draws",
        "100",
        "--format",
        "markdown",
    ]);
    let explain = ok(&[
        "explain",
        "bravo",
        "--vs",
        "alpha",
        "--catalog",
        GOLDEN,
        "--scenario",
        "golden",
        "--format",
        "markdown",
    ]);
    for (doc, sentence) in [
        (&sensitivity, "most critical axis"),
        (&sensitivity, "Decision entropy"),
        (&explain, "Smallest weight change"),
        (&explain, "single-fact change"),
    ] {
        assert!(doc.contains(sentence));
        let swallowed: Vec<String> = markdown_cells(doc)
            .into_iter()
            .filter(|c| c.contains(sentence))
            .collect();
        assert!(
            swallowed.is_empty(),
            "`{sentence}` renders inside a table cell: {swallowed:?}"
        );
    }
}

#[test]
fn markdown_tables_parse() {
    // The rank table's cells, as GitHub renders them: ten per row, `1=` for ties.
    let markdown = ok(&[
        "rank",
        "--catalog",
        TIE,
        "--scenario",
        "golden",
        "--format",
        "markdown",
    ]);
    let cells = markdown_cells(&markdown);
    assert_eq!(cells.len(), 10 * 4, "{cells:?}");
    assert_eq!(
        (cells[10].as_str(), cells[20].as_str(), cells[30].as_str()),
        ("1=", "1=", "3")
    );
}

/// Gap: `explain --format csv` prints the same box-drawn terminal tables as `--format table`
/// (the command only special-cases JSON and markdown).
#[test]
fn explain_csv_is_csv() {
    let csv = ok(&[
        "explain",
        "alpha",
        "--catalog",
        GOLDEN,
        "--scenario",
        "golden",
        "--format",
        "csv",
    ]);
    assert!(!csv.contains('│') && !csv.contains('┌'), "{csv}");
}
