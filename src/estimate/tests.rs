//! Worked examples and invariants of the uncertainty engine.

use super::joint::joint;
use super::simulation::{Settings, simulate};
use crate::cost::Money;
use crate::cost::analysis::milestone_costs;
use crate::model::{Provider, Scenario};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::str::FromStr;

fn provider(id: &str, body: &str) -> Provider {
    let text = format!(
        "id = \"{id}\"\nname = \"{id}\"\nverified = 2026-11-01\n[features.scim]\nstatus = \"ga\"\n{body}"
    );
    toml::from_str(&text).unwrap_or_else(|e| panic!("provider TOML: {e}\n{text}"))
}

fn scenario(extra: &str) -> Scenario {
    let text = format!(
        "id = \"s\"\nname = \"S\"\nhorizon_months = 12\nmilestones = [20]\n{extra}\n[growth]\nkind = \"constant\"\ncustomers = 20\n[usage]\nsso_connections = 0\n"
    );
    toml::from_str(&text).unwrap_or_else(|e| panic!("scenario TOML: {e}\n{text}"))
}

fn tiered(id: &str, mode: &str, top: &str) -> Provider {
    provider(
        id,
        &format!(
            r#"[pricing]
model = "per_connection"
[[pricing.plans]]
id = "std"
features = ["scim"]
[[pricing.plans.charges]]
meter = "directory_connections"
mode = "{mode}"
{top}
tiers = [
  {{ up_to = 15, unit_price = "125" }},
  {{ unit_price = "100" }},
]
"#
        ),
    )
}

fn usd(s: &str) -> Money {
    Money(Decimal::from_str(s).unwrap())
}

fn settings(draws: usize, seed: u64) -> Settings {
    Settings { draws, seed }
}

#[test]
fn unstated_mode_worked_example() {
    // 20 connections; bands 1–15 at $125, 16+ at $100.
    //   graduated: 15 × 125 + 5 × 100 = 1,875 + 500 = $2,375
    //   volume:    20 × 100            = $2,000
    // Published: the lower, as "at least $2,000 + unknown" (the mode is not stated).
    let s = scenario("");
    let p = tiered("u", "unstated", "");
    let q = &milestone_costs(&[&p], &s, &[20]).unwrap()[0].quote;
    assert_eq!(q.recurring.display("USD"), "≥ $2,000.00 + unknown");
    // Estimated: with graduated_share = 1 every draw is graduated, with 0 every draw volume.
    for (share, expect) in [("1", "2375"), ("0", "2000")] {
        let p = tiered("u", "unstated", &format!("graduated_share = \"{share}\""));
        let e = simulate(&[&p], &s, &[20], settings(200, 1)).unwrap();
        let spread = e.providers[0].milestones[0].spread.unwrap();
        assert_eq!(
            (spread.p10, spread.p50, spread.p90),
            (usd(expect), usd(expect), usd(expect))
        );
    }
    // 50/50: both values occur; P10 is volume, P90 graduated.
    let e = simulate(&[&p], &s, &[20], settings(1000, 3)).unwrap();
    let spread = e.providers[0].milestones[0].spread.unwrap();
    assert_eq!((spread.p10, spread.p90), (usd("2000"), usd("2375")));
}

fn ranged(id: &str, estimate: &str) -> Provider {
    provider(
        id,
        &format!(
            r#"[pricing]
model = "per_connection"
[[pricing.plans]]
id = "std"
features = ["scim"]
[[pricing.plans.charges]]
meter = "directory_connections"
unit_price = {{ status = "contact_sales", estimate = {estimate} }}
"#
        ),
    )
}

fn published(id: &str, price: &str) -> Provider {
    provider(
        id,
        &format!(
            r#"[pricing]
model = "per_connection"
[[pricing.plans]]
id = "std"
features = ["scim"]
[[pricing.plans.charges]]
meter = "directory_connections"
unit_price = "{price}"
"#
        ),
    )
}

#[test]
fn triangular_range_worked_example() {
    // 20 connections at a price drawn from triangular(40, 40, 100): F(x) = 1 − ((100 − x)/60)².
    // Median price: 100 − 60·√0.5 = 57.5736…, so the median cost is 20 × 57.5736 ≈ $1,151.47.
    // With 20,000 draws the nearest-rank median is within about ±1 % of it.
    let s = scenario("");
    let p = ranged("t", r#"{ low = "40", likely = "40", high = "100" }"#);
    let e = simulate(&[&p], &s, &[20], settings(20_000, 7)).unwrap();
    let spread = e.providers[0].milestones[0].spread.unwrap();
    let median = 20.0 * (100.0 - 60.0 * 0.5_f64.sqrt());
    let got: f64 = spread.p50.0.try_into().unwrap();
    assert!((got - median).abs() / median < 0.01, "{got} vs {median}");
    // P10 = 20 × (100 − 60·√0.9) ≈ $861.6; P90 = 20 × (100 − 60·√0.1) ≈ $1,620.5.
    let p10: f64 = spread.p10.0.try_into().unwrap();
    let p90: f64 = spread.p90.0.try_into().unwrap();
    assert!(
        (p10 - 20.0 * (100.0 - 60.0 * 0.9_f64.sqrt())).abs() < 15.0,
        "{p10}"
    );
    assert!(
        (p90 - 20.0 * (100.0 - 60.0 * 0.1_f64.sqrt())).abs() < 15.0,
        "{p90}"
    );
    // The published view never uses the estimate.
    let q = &milestone_costs(&[&p], &s, &[20]).unwrap()[0].quote;
    assert!(q.recurring.amount().is_none());
    // Drivers: the one price explains the whole spread.
    let d = &e.providers[0].milestones[0].drivers;
    assert_eq!(d.len(), 1);
    assert!((d[0].share - 1.0).abs() < 1e-9);
}

#[test]
fn price_without_estimate_stays_unknown_and_is_named() {
    let s = scenario("");
    let p = provider(
        "n",
        r#"[pricing]
model = "per_connection"
[[pricing.plans]]
id = "std"
features = ["scim"]
[[pricing.plans.charges]]
name = "Connections"
meter = "directory_connections"
unit_price = "contact_sales"
"#,
    );
    let known = ranged("k", r#""50""#);
    let e = simulate(&[&p, &known], &s, &[20], settings(100, 1)).unwrap();
    let m = &e.providers[0].milestones[0];
    assert!(m.spread.is_none() && m.p_cheapest.is_none());
    assert!(
        m.reason.as_deref().unwrap().contains("Connections"),
        "{:?}",
        m.reason
    );
    // The only defined provider is cheapest in every draw.
    assert_eq!(e.providers[1].milestones[0].p_cheapest, Some(1.0));
}

#[test]
fn joint_model_and_questions() {
    // Two providers: `a` has a published $50 per connection; `b` a range 20–80 around 50.
    // Whichever is cheaper in a draw scores better on cost, so learning b's price moves the
    // winner's P(rank 1).
    let s = scenario("");
    let a = published("a", "50");
    let b = ranged("b", r#"{ low = "20", likely = "50", high = "80" }"#);
    let ps = [&a, &b];
    let ranking = crate::score::rank(&ps, &s, s.weights.raw()).unwrap();
    let j = joint(&ps, &s, &ranking, settings(4000, 5)).unwrap();
    let sum: f64 = j.p_first_joint.iter().sum();
    assert!((sum - 1.0).abs() < 1e-9);
    // Both providers also leave most facts unknown (drawn too); b's price must still register.
    let price = j
        .questions
        .iter()
        .find(|q| q.input == "b:pricing.plans.std.charges.0.unit_price")
        .expect("b's price is a question");
    assert!(
        price.question.contains("price per directory connection"),
        "{price:?}"
    );
    // a has no uncertain price: nothing to ask a about its cost.
    assert!(
        j.questions
            .iter()
            .all(|q| !q.input.starts_with("a:pricing"))
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// A range with low = likely = high reproduces the published figure exactly; any range
    /// keeps P10 ≤ P50 ≤ P90; P(cheapest) sums to 1 over the defined providers.
    #[test]
    fn invariants(low in 1u32..200, spread in 0u32..200, at in 0u32..=100, customers in 1u64..300, seed in 0u64..1000) {
        let high = low + spread;
        let likely = f64::from(low) + f64::from(spread) * f64::from(at) / 100.0;
        let s = toml::from_str::<Scenario>(&format!(
            "id = \"s\"\nname = \"S\"\nhorizon_months = 6\nmilestones = [{customers}]\n[growth]\nkind = \"constant\"\ncustomers = {customers}\n[usage]\nsso_connections = 0\n"
        )).unwrap();
        let point = ranged("p", &format!("{{ low = \"{low}\", likely = \"{low}\", high = \"{low}\" }}"));
        let published = published("q", &low.to_string());
        let r = ranged("r", &format!("{{ low = \"{low}\", likely = \"{likely:.2}\", high = \"{high}\" }}"));
        let e = simulate(&[&point, &published, &r], &s, &[customers], settings(300, seed)).unwrap();
        let exact = milestone_costs(&[&published], &s, &[customers]).unwrap()[0].quote.recurring.amount().unwrap();
        let sp = e.providers[0].milestones[0].spread.unwrap();
        prop_assert_eq!((sp.p10, sp.p50, sp.p90), (exact, exact, exact));
        let sr = e.providers[2].milestones[0].spread.unwrap();
        prop_assert!(sr.p10 <= sr.p50 && sr.p50 <= sr.p90);
        let total: f64 = e.providers.iter().filter_map(|p| p.milestones[0].p_cheapest).sum();
        prop_assert!((total - 1.0).abs() < 1e-9);
    }
}

#[test]
fn same_seed_same_draws_other_seed_other_estimates() {
    let s = scenario("");
    let b = ranged("b", r#"{ low = "20", likely = "50", high = "80" }"#);
    let run = |seed| {
        let e = simulate(&[&b], &s, &[20], settings(500, seed)).unwrap();
        e.providers[0].milestones[0].spread.unwrap()
    };
    assert_eq!(run(9), run(9));
    assert_ne!(run(9), run(10));
}

#[test]
fn adding_a_provider_keeps_the_others_draws() {
    // Common random numbers: each input's stream depends only on the seed and its key.
    let s = scenario("");
    let b = ranged("b", r#"{ low = "20", likely = "50", high = "80" }"#);
    let c = ranged("c", r#"{ low = "10", likely = "30", high = "90" }"#);
    let alone = simulate(&[&b], &s, &[20], settings(500, 4)).unwrap();
    let both = simulate(&[&c, &b], &s, &[20], settings(500, 4)).unwrap();
    assert_eq!(
        alone.providers[0].milestones[0].draws,
        both.providers[1].milestones[0].draws
    );
}

#[test]
fn sub_micro_prices_survive_the_draws() {
    // 10⁹ API requests a month (20 customers × 5 × 10⁷) at a price drawn from
    // triangular(0.0000004, 0.0000005, 0.0000008): the median price is
    // 0.0000008 − √(0.5 × 0.0000004 × 0.0000003) ≈ 0.00000055359, so the median cost is
    // about $553.59. Rounding draws to six places would have made it $0 or $1,000.
    let s: Scenario = toml::from_str(
        "id = \"s\"\nname = \"S\"\nhorizon_months = 12\nmilestones = [20]\n[growth]\nkind = \"constant\"\ncustomers = 20\n[usage]\nsso_connections = 0\napi_requests = 50000000\n",
    )
    .unwrap();
    let p = provider(
        "api",
        r#"[pricing]
model = "per_mau"
[[pricing.plans]]
id = "std"
features = ["scim"]
[[pricing.plans.charges]]
meter = "api_requests"
unit_price = { status = "unknown", estimate = { low = "0.0000004", likely = "0.0000005", high = "0.0000008" } }
"#,
    );
    let e = simulate(&[&p], &s, &[20], settings(4000, 3)).unwrap();
    let p50: f64 = e.providers[0].milestones[0]
        .spread
        .unwrap()
        .p50
        .0
        .try_into()
        .unwrap();
    assert!((p50 - 553.59).abs() < 12.0, "{p50}");
}

#[test]
fn an_add_on_required_above_a_membership_follows_the_drawn_seats() {
    // Alpha: $10 per connection, plus a $1,000 add-on required above 20 members per
    // organization. 10 customers → $100 without the add-on, $1,100 with it. Seats are drawn
    // from triangular(10, 15, 100); 20 is above the mode, so
    // P(seats ≤ 20) = 1 − (100 − 20)² / ((100 − 10)(100 − 15)) = 1 − 6,400 / 7,650 ≈ 0.163.
    // More than 10 % of draws skip the add-on, so Alpha's P10 is $100 and its P90 $1,100, in
    // the float path and in the exact re-pricing alike.
    let s: Scenario = toml::from_str(
        "id = \"s\"\nname = \"S\"\nhorizon_months = 12\nmilestones = [10]\n[growth]\nkind = \"constant\"\ncustomers = 10\n[usage]\nsso_connections = 0\nseats = { low = 10, likely = 15, high = 100 }\n",
    )
    .unwrap();
    let alpha = provider(
        "alpha",
        r#"[pricing]
model = "per_connection"
[[pricing.plans]]
id = "std"
features = ["scim"]
[[pricing.plans.charges]]
meter = "directory_connections"
unit_price = "10"
[[pricing.addons]]
id = "orgs"
fee = "1000"
required_above = { members_per_organization = 20 }
"#,
    );
    let e = simulate(&[&alpha], &s, &[10], settings(2000, 5)).unwrap();
    let spread = e.providers[0].milestones[0].spread.unwrap();
    assert_eq!((spread.p10, spread.p90), (usd("100"), usd("1100")));
}

/// `project` runs the percentiles and their exact re-pricing on several threads, draws a
/// chunk of providers at a time, releases their draws and tallies P(cheapest) as they come:
/// every estimate, P(cheapest) and crossover is the same as the whole-catalog run on one
/// thread, on every shipped scenario, with chunks of 1, 2 and 5 providers and with
/// `simulate_on`'s own chunks.
#[test]
fn simulating_on_threads_in_chunks_changes_nothing() {
    use super::simulation::{Plan, run, simulate_on};
    let catalog = crate::load::shipped();
    let providers: Vec<&Provider> = catalog.providers.iter().collect();
    for s in &catalog.scenarios {
        let whole = simulate(&providers, s, &[100, 1000], settings(200, 5)).unwrap();
        assert!(whole.providers.iter().any(|p| !p.horizon.draws.is_empty()));
        let plan = |chunk| Plan {
            threads: 2,
            chunk,
            keep_draws: false,
            leaders: 0,
        };
        let runs = [1, 2, 5]
            .map(|chunk| run(&providers, s, &[100, 1000], settings(200, 5), plan(chunk)).unwrap());
        let own = simulate_on(&providers, s, &[100, 1000], settings(200, 5), 3).unwrap();
        for (i, parts) in runs.iter().chain([&own]).enumerate() {
            assert_eq!(
                serde_json::to_string(&whole).unwrap(),
                serde_json::to_string(parts).unwrap(),
                "{} in run {i}",
                s.id()
            );
            assert!(
                parts.providers.iter().all(|p| p.horizon.draws.is_empty()
                    && p.milestones.iter().all(|m| m.draws.is_empty()))
            );
        }
    }
}

/// A negotiated discount is the buyer's assumption about one provider: it drives that
/// provider's cost and no other's. With 10,000 draws an unrelated input's squared correlation
/// is about 1e-4 by chance alone, so without a rule other providers' discounts crept into a
/// provider's drivers about a third of the time each.
#[test]
fn another_providers_discount_never_drives_a_cost() {
    let flat = |id: &str| {
        provider(
            id,
            r#"[pricing]
model = "per_connection"
[[pricing.plans]]
id = "std"
features = ["scim"]
[[pricing.plans.charges]]
meter = "directory_connections"
unit_price = "100"
"#,
        )
    };
    let ids: Vec<String> = (0..8).map(|i| format!("p{i}")).collect();
    let providers: Vec<Provider> = ids.iter().map(|id| flat(id)).collect();
    let refs: Vec<&Provider> = providers.iter().collect();
    let discounts: Vec<String> = ids
        .iter()
        .map(|id| format!("{id} = {{ low = \"0.05\", likely = \"0.1\", high = \"0.3\" }}"))
        .collect();
    let s = scenario(&format!("[billing.discounts]\n{}", discounts.join("\n")));
    let e = simulate(&refs, &s, &[20], settings(10_000, 42)).unwrap();
    for p in &e.providers {
        let drivers: Vec<&str> = p.milestones[0]
            .drivers
            .iter()
            .map(|d| d.input.as_str())
            .collect();
        // Its own discount is the only uncertain input of its cost.
        assert_eq!(
            drivers,
            [format!("scenario:billing.discounts.{}", p.provider).as_str()],
            "{}",
            p.provider
        );
    }
}

#[test]
fn a_provider_s_estimate_is_found_by_id_in_any_order() {
    let s = scenario("");
    let (a, b, c) = (
        ranged("a", r#""10""#),
        ranged("b", r#""20""#),
        ranged("c", r#""30""#),
    );
    // In id order (a binary search), then out of it (the fallback).
    for order in [[&a, &b, &c], [&c, &a, &b]] {
        let e = simulate(&order, &s, &[20], settings(10, 1)).unwrap();
        for id in ["a", "b", "c"] {
            assert_eq!(e.of(id).map(|p| p.provider.as_str()), Some(id));
        }
        assert!(e.of("d").is_none());
    }
}

/// The joint model's memory bound, by hand. Constant 20 customers with milestones 20 and
/// 1,000: the pricing axis scores at 20 (the milestone reached), which is a milestone, so each
/// provider holds 3 costs per draw (20, 1,000 and the horizon). 2²⁸ = 268,435,456, so 1,000
/// providers fit ⌊268,435,456 ÷ 3,000⌋ = 89,478 draws and one provider ⌊÷ 3⌋ = 89,478,485.
/// With milestone 50 only (never reached) the axis scores at the 20 reached, a count that is
/// not a milestone: 50, 20 and the horizon, 3 again.
#[test]
fn the_draws_a_catalog_can_run_are_bounded_by_what_the_joint_model_holds() {
    use super::joint::{MAX_HELD_DRAWS, max_draws_for};
    let with = |milestones: &str| -> Scenario {
        let text = format!(
            "id = \"s\"\nname = \"S\"\nhorizon_months = 12\nmilestones = {milestones}\n[growth]\nkind = \"constant\"\ncustomers = 20\n[usage]\nsso_connections = 0\n"
        );
        toml::from_str(&text).unwrap()
    };
    let s = with("[20, 1000]");
    assert_eq!(max_draws_for(1_000, &s), 89_478);
    assert_eq!(max_draws_for(1, &s), 89_478_485);
    assert_eq!(max_draws_for(1_000, &with("[50]")), 89_478);
    // One milestone that is reached: 2 costs per provider per draw.
    assert_eq!(max_draws_for(1_000, &with("[20]")), 134_217);
    // No provider holds nothing (the bound is then the draws' own limit, far below); a
    // catalog too large for one draw may still run one.
    assert_eq!(max_draws_for(0, &s), MAX_HELD_DRAWS);
    assert_eq!(max_draws_for(usize::MAX, &s), 1);
}

/// The float model against the exact engine, draw by draw. Percentiles are re-priced exactly,
/// so a wrong float model only shows where draws are compared: which draw is the P10, who
/// is cheapest, crossovers, drivers. Mutation testing found its discount, escalator, labour,
/// one-time, currency and annual-fee arithmetic alive (any change that keeps one provider's
/// draws in order kept its percentiles). Here every source of uncertainty is drawn at once: a
/// ranged base fee (and annual fee), an unstated tier mode over estimated bands with included
/// units, a per-MAU price over ranged seats and active share, a ranged discount, a 10 %
/// escalator (36 months, so years 2 and 3 are escalated), ranged maintenance and build hours at
/// a ranged rate, two plans to choose between, and a provider priced in euros (with a known,
/// a ranged and a single-figure amount, each converted). In each sampled
/// draw, under monthly and annual billing and with ranged and fixed usage, the float cost at
/// both milestones and over the horizon equals the exact engine's re-pricing of that draw to
/// within the engine's rounding to cents.
#[test]
fn the_float_model_agrees_with_the_exact_engine_in_every_draw() {
    let tiers = provider(
        "tiers",
        r#"[pricing]
model = "per_connection"
[[pricing.plans]]
id = "team"
features = ["scim"]
base_fee = { status = "unknown", estimate = { low = "200", likely = "300", high = "500" } }
annual_base_fee = { status = "unknown", estimate = { low = "150", likely = "250", high = "400" } }
[[pricing.plans.charges]]
meter = "directory_connections"
mode = "unstated"
graduated_share = "0.6"
included = 5
tiers = [
  { up_to = 15, unit_price = { status = "unknown", estimate = { low = "100", likely = "125", high = "150" } } },
  { up_to = 60, unit_price = "100" },
  { unit_price = { status = "contact_sales", estimate = { low = "40", likely = "70", high = "90" } } },
]
[[pricing.plans]]
id = "flat"
features = ["scim"]
base_fee = "9000"
[[pricing.recurring]]
id = "upkeep"
hours = { low = "5", likely = "10", high = "30" }
[[pricing.one_time]]
id = "setup"
hours = { low = "20", likely = "40", high = "80" }
month = 2
"#,
    );
    let mau = provider(
        "mau",
        r#"[pricing]
model = "per_mau"
[[pricing.plans]]
id = "std"
features = ["scim"]
base_fee = "99"
[[pricing.plans.charges]]
meter = "mau"
included = 1000
unit_price = { status = "unknown", estimate = { low = "0.02", likely = "0.05", high = "0.08" } }
[[pricing.one_time]]
id = "onboarding"
amount = "1500"
"#,
    );
    // `provider` writes its body after `[features.scim]`, so the currency goes first here.
    let euro: Provider = toml::from_str(
        r#"id = "euro"
name = "euro"
verified = 2026-11-01
currency = "EUR"
[features.scim]
status = "ga"
[pricing]
model = "per_connection"
[[pricing.plans]]
id = "std"
features = ["scim"]
base_fee = "50"
[[pricing.plans.charges]]
meter = "directory_connections"
unit_price = { status = "unknown", estimate = { low = "30", likely = "45", high = "80" } }
[[pricing.recurring]]
id = "hosting"
amount = { status = "unknown", estimate = { low = "100", likely = "200", high = "400" } }
[[pricing.recurring]]
id = "support"
amount = { status = "unknown", estimate = "150" }
[[pricing.one_time]]
id = "setup"
amount = "300"
"#,
    )
    .unwrap();
    // Two plans, one metered at a price below 1 per unit: pruning must bound 1,200 MAU ×
    // [0.01, 0.05] as [12, 60], not as 1,200 + 0.01, or the plan that wins in many draws is
    // dropped (mutation testing). The flat plan costs $30.
    let metered = provider(
        "metered",
        r#"[pricing]
model = "per_mau"
[[pricing.plans]]
id = "usage"
features = ["scim"]
[[pricing.plans.charges]]
meter = "mau"
unit_price = { status = "unknown", estimate = { low = "0.01", likely = "0.02", high = "0.05" } }
[[pricing.plans]]
id = "flat"
features = ["scim"]
base_fee = "30"
"#,
    );
    // One plan with an unstated table: with fixed usage the horizon is one linear form per
    // tier mode, and each draw must take its own mode's (120 connections: graduated
    // 50 × $10 + 70 × $4 = $780, volume 120 × $4 = $480).
    let banded = provider(
        "banded",
        r#"[pricing]
model = "per_connection"
[[pricing.plans]]
id = "std"
features = ["scim"]
[[pricing.plans.charges]]
meter = "directory_connections"
mode = "unstated"
tiers = [{ up_to = 50, unit_price = "10" }, { unit_price = "4" }]
"#,
    );
    let providers = [&tiers, &mau, &euro, &metered, &banded];
    let mut compared = 0;
    // Ranged seats and active share make the meters vary by draw, so the horizon is summed
    // month by month; with fixed usage and one plan left per month it is one linear form per
    // tier mode (`horizon_draws`' fast path), which needs its own check.
    let ranged = "seats = { low = 5, likely = 20, high = 60 }\nactive_share = { low = \"0.3\", likely = \"0.5\", high = \"0.9\" }";
    let fixed = "seats = 20\nactive_share = \"0.5\"";
    for (cycle, usage) in [("monthly", ranged), ("annual", ranged), ("monthly", fixed)] {
        let s: Scenario = toml::from_str(&format!(
            r#"id = "s"
name = "S"
horizon_months = 36
milestones = [20, 120]
exchange_rates = {{ EUR = "1.1" }}
[growth]
kind = "linear"
start = 10
end = 150
[usage]
sso_connections = 1
{usage}
[billing]
cycle = "{cycle}"
escalator = "0.1"
discounts = {{ tiers = {{ low = "0", likely = "0.1", high = "0.25" }}, euro = "0.2" }}
[engineering]
hourly_rate = {{ low = "80", likely = "100", high = "150" }}
"#
        ))
        .unwrap();
        let e = simulate(&providers, &s, &[20, 120], settings(120, 11)).unwrap();
        for (p, est) in providers.iter().zip(&e.providers) {
            let figures = est
                .milestones
                .iter()
                .map(|m| (m.customers, &m.draws))
                .chain(std::iter::once((None, &est.horizon.draws)));
            for (customers, draws) in figures {
                assert_eq!(draws.len(), 120, "{}", p.id());
                for d in (0..120).step_by(7) {
                    let exact = super::simulation::reprice(p, &s, customers, &e.draws, d)
                        .unwrap()
                        .unwrap_or_else(|| panic!("{} at {customers:?}: no exact cost", p.id()));
                    let exact: f64 = exact.0.try_into().unwrap();
                    // The exact engine rounds each month's lines to the cent; the float model
                    // does not: up to a cent or two a month apart.
                    let tolerance = if customers.is_some() {
                        0.02
                    } else {
                        0.02 * 36.0
                    };
                    assert!(
                        (draws[d] - exact).abs() <= tolerance,
                        "{} ({cycle}) at {customers:?}, draw {d}: float {} against exact {exact}",
                        p.id(),
                        draws[d]
                    );
                    compared += 1;
                }
            }
        }
        // A point estimate (one figure) is a constant, not an input to draw.
        assert!(
            e.inputs
                .iter()
                .any(|i| i.key == "euro:pricing.recurring.hosting.amount")
        );
        assert!(!e.inputs.iter().any(|i| i.key.contains("support")));
        // Every source really varies: the spreads are not points.
        for est in &e.providers {
            let h = est.horizon.spread.unwrap();
            assert!(h.p10 < h.p90, "{}", est.provider);
        }
    }
    assert_eq!(compared, 3 * 5 * 3 * 18);
}

/// The tier-mode input exists only for unstated tables, and names each charge once. Here two
/// plans carry the same unstated "directory connections" table and a stated SSO table:
/// one input, labelled with one name; a provider with stated tables only has none.
#[test]
fn the_tier_mode_input_covers_unstated_tables_only_and_names_each_once() {
    let s = scenario("");
    let table = |mode: &str, meter: &str| {
        format!(
            "[[pricing.plans.charges]]\nmeter = \"{meter}\"\nmode = \"{mode}\"\ntiers = [{{ up_to = 10, unit_price = \"10\" }}, {{ unit_price = \"5\" }}]\n"
        )
    };
    let both = provider(
        "both",
        &format!(
            "[pricing]\nmodel = \"per_connection\"\n[[pricing.plans]]\nid = \"a\"\nfeatures = [\"scim\"]\n{}{}[[pricing.plans]]\nid = \"b\"\nfeatures = [\"scim\"]\n{}",
            table("unstated", "directory_connections"),
            table("graduated", "sso_connections"),
            table("unstated", "directory_connections"),
        ),
    );
    let stated = provider(
        "stated",
        &format!(
            "[pricing]\nmodel = \"per_connection\"\n[[pricing.plans]]\nid = \"a\"\nfeatures = [\"scim\"]\n{}",
            table("volume", "directory_connections"),
        ),
    );
    let e = simulate(&[&both, &stated], &s, &[20], settings(50, 1)).unwrap();
    let modes: Vec<(&str, &str)> = e
        .inputs
        .iter()
        .filter(|i| i.key.ends_with(":pricing.tier_mode"))
        .map(|i| (i.key.as_str(), i.label.as_str()))
        .collect();
    assert_eq!(
        modes,
        [(
            "both:pricing.tier_mode",
            "tier mode of directory connections"
        )]
    );
}

/// Hours with no rate anywhere (no `engineering.hourly_rate`, no `pricing.hourly_rate`): the
/// estimate is undefined, and says why, rather than pricing the hours at 0.
#[test]
fn hours_without_a_rate_leave_the_estimate_undefined_with_the_reason() {
    let s = scenario("");
    let p = provider(
        "diy",
        "[pricing]\nmodel = \"per_connection\"\n[[pricing.plans]]\nid = \"a\"\nfeatures = [\"scim\"]\nbase_fee = \"10\"\n[[pricing.recurring]]\nid = \"upkeep\"\nhours = { low = \"5\", likely = \"10\", high = \"30\" }\n[[pricing.recurring]]\nid = \"patching\"\nhours = 4\n",
    );
    let e = simulate(&[&p], &s, &[20], settings(50, 1)).unwrap();
    // Ranged hours are drawn; a single figure is a constant, not an input.
    let keys: Vec<&str> = e.inputs.iter().map(|i| i.key.as_str()).collect();
    assert_eq!(keys, ["diy:pricing.recurring.upkeep.hours"]);
    let m = &e.providers[0].milestones[0];
    assert!(m.spread.is_none());
    assert!(!m.unavailable);
    assert!(
        m.reason
            .as_deref()
            .is_some_and(|r| r.contains("no hourly rate")),
        "{:?}",
        m.reason
    );
}

/// In `startup-10` the four providers with the lowest median horizon total are `PropelAuth`,
/// Clerk, Scalekit and `WorkOS`, so plain `simulate` never compares `WorkOS` with Stytch. In a
/// report they rank first and second, and `simulate_ranked` compares them whatever their
/// cost. `WorkOS` starts dearer (10 customers, 20 connections: 20 × $125 = $2,500 a month,
/// against Stytch's (20 − 5 included) × $125 = $1,875) and ends cheaper (100 customers: at
/// most $16,450 against (200 − 5) × $125 = $24,375), so its cumulative cost overtakes
/// Stytch's within the horizon in every draw. The other providers' crossovers are unchanged.
#[test]
fn the_winner_and_runner_up_always_get_crossover_distributions() {
    use super::simulation::simulate_ranked;
    let catalog = crate::load::shipped();
    let s = catalog.scenario("startup-10").unwrap();
    let find = |id: &str| catalog.providers.iter().find(|p| p.id() == id).unwrap();
    let mut ranked: Vec<&Provider> = vec![find("workos"), find("stytch")];
    ranked.extend(
        catalog
            .providers
            .iter()
            .filter(|p| !["workos", "stytch"].contains(&p.id())),
    );
    let pair = |e: &super::simulation::ScenarioEstimate| {
        e.crossovers
            .iter()
            .find(|c| c.cheaper == "workos" && c.than == "stytch")
            .map(|c| c.probability)
    };
    let plain = simulate(&ranked, s, &[100], settings(400, 42)).unwrap();
    let with_leaders = simulate_ranked(&ranked, s, &[100], settings(400, 42)).unwrap();
    assert_eq!(pair(&plain), None);
    assert_eq!(pair(&with_leaders), Some(1.0));
    for c in &plain.crossovers {
        assert!(with_leaders.crossovers.contains(c), "{c:?}");
    }
}
