//! Tests of the cost engine: one hand-computed worked example per pricing model (the
//! arithmetic is in each test's comment), the billing rules (discount, escalator, annual
//! billing, estimates, exchange rates, one-time and hours-based costs), plan choice and
//! availability, and property tests of the invariants `docs/cost-model.md` promises.
//!
//! Providers and scenarios are written as TOML snippets and parsed with the real model types,
//! so the tests also pin the catalog spelling a finance reader sees in `docs/schema.md`.

use super::analysis::{milestone_costs, project_scenario};
use super::cost_value::CostValue;
use super::crossover::{Curve, CurvePoint, cheapest_bands, crossovers, format_bands};
use super::curve_pricer::CurvePricer;
use super::growth::GrowthCurve;
use super::line_item::{LineItem, LineKind};
use super::meters::Meters;
use super::money::Money;
use super::projection::{customers_by_month, project};
use super::quote::{OneTime, Quote, QuoteContext, quote, recurring_total};
use super::schedule::evaluate;
use crate::model::pricing::{Charge, Meter, Plan, Tier, TierMode};
use crate::model::{Id, Price, Provider, Scenario};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::str::FromStr;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn usd(s: &str) -> Money {
    Money(d(s))
}

/// Parses a provider: `body` follows `id`, `name` and `verified`, so it may start with more
/// top-level keys (`currency = "EUR"`) before its tables.
fn provider(body: &str) -> Provider {
    let text = format!("id = \"p\"\nname = \"P\"\nverified = 2026-11-01\n{body}");
    toml::from_str(&text).unwrap_or_else(|e| panic!("provider TOML does not parse: {e}\n{text}"))
}

/// Parses a scenario: `body` follows `id`, `name` and `horizon_months = 36`; a constant growth
/// of 100 customers is added unless `body` has its own `[growth]`.
fn scenario(body: &str) -> Scenario {
    scenario_over(36, body)
}

/// [`scenario`] with another horizon.
fn scenario_over(horizon: u32, body: &str) -> Scenario {
    let growth = if body.contains("[growth]") {
        ""
    } else {
        "\n[growth]\nkind = \"constant\"\ncustomers = 100\n"
    };
    let text = format!("id = \"s\"\nname = \"S\"\nhorizon_months = {horizon}\n{body}{growth}");
    toml::from_str(&text).unwrap_or_else(|e| panic!("scenario TOML does not parse: {e}\n{text}"))
}

/// Steady-state quote at `customers` (month-1 prices, every one-time cost).
fn quote_at(p: &Provider, s: &Scenario, customers: u64) -> Quote {
    let cx = QuoteContext::new(p, s);
    quote(
        &cx,
        Meters::from_usage(customers, &s.usage),
        1,
        OneTime::All,
    )
    .unwrap()
}

/// The quote of one month of a projection (escalator year from `month`; one-time costs due).
fn quote_in_month(p: &Provider, s: &Scenario, customers: u64, month: u32) -> Quote {
    let cx = QuoteContext::new(p, s);
    quote(
        &cx,
        Meters::from_usage(customers, &s.usage),
        month,
        OneTime::InMonth(month),
    )
    .unwrap()
}

/// The fully known recurring total, or a panic naming what it is instead.
fn known(q: &Quote) -> Money {
    q.recurring
        .amount()
        .unwrap_or_else(|| panic!("expected a known cost, got {:?}", q.recurring))
}

/// The line with this label.
fn line<'q>(q: &'q Quote, label: &str) -> &'q LineItem {
    q.lines
        .iter()
        .chain(&q.one_time_lines)
        .find(|l| l.label == label)
        .unwrap_or_else(|| panic!("no line `{label}` in {:#?}", q.lines))
}

/// The invoice rule: every line is a whole number of cents, and the lines add up exactly.
fn assert_adds_up(q: &Quote) {
    for l in q.lines.iter().chain(&q.one_time_lines) {
        if let Some(a) = l.amount {
            assert_eq!(
                a.cents(),
                a,
                "line `{}` is not rounded to the cent: {}",
                l.label,
                a.raw()
            );
        }
    }
    let sum = Money::sum(q.lines.iter().filter_map(|l| l.amount)).unwrap();
    match &q.recurring {
        CostValue::Unavailable { .. } => assert!(q.lines.is_empty()),
        v => assert_eq!(Some(sum), v.floor(), "recurring lines do not add up"),
    }
    let one_time = Money::sum(q.one_time_lines.iter().filter_map(|l| l.amount)).unwrap();
    assert_eq!(
        Some(one_time),
        q.one_time.floor(),
        "one-time lines do not add up"
    );
}

/// The WorkOS-like per-connection schedule: 1–15 $125, 16–30 $100, 31–50 $80, 51–100 $65,
/// 101–200 $50, then `last` (a TOML price for the unbounded band, or "" for none).
fn workos(mode: &str, last: &str) -> Provider {
    let last = if last.is_empty() {
        String::new()
    } else {
        format!(",\n  {{ unit_price = {last} }}")
    };
    provider(&format!(
        r#"
[features.scim]
status = "ga"

[pricing]
model = "per_connection"

[[pricing.plans]]
id = "standard"
name = "Standard"
features = ["scim"]

[[pricing.plans.charges]]
name = "Directory connections"
meter = "directory_connections"
mode = "{mode}"
tiers = [
  {{ up_to = 15, unit_price = "125" }},
  {{ up_to = 30, unit_price = "100" }},
  {{ up_to = 50, unit_price = "80" }},
  {{ up_to = 100, unit_price = "65" }},
  {{ up_to = 200, unit_price = "50" }}{last}
]
"#
    ))
}

// ---------------------------------------------------------------------------------------------
// Worked examples, one per pricing model
// ---------------------------------------------------------------------------------------------

#[test]
fn per_connection_graduated_worked_example() {
    // 100 customers × 1 directory connection = 100 connections, graduated:
    //   15 × 125 (units 1–15)   = 1,875
    // + 15 × 100 (units 16–30)  = 1,500
    // + 20 ×  80 (units 31–50)  = 1,600
    // + 50 ×  65 (units 51–100) = 3,250
    //                           = 8,225.00 a month
    let p = workos("graduated", "\"contact_sales\"");
    let s = scenario("");
    let q = quote_at(&p, &s, 100);
    assert_eq!(q.meters.directory_connections, 100);
    assert_eq!(q.plan.as_deref(), Some("standard"));
    assert_eq!(known(&q), usd("8225"));
    let l = line(&q, "Directory connections");
    assert_eq!(l.kind, LineKind::Charge);
    assert_eq!(l.amount, Some(usd("8225")));
    assert_eq!(
        l.explanation,
        "100 directory connections: 15 × $125.00 + 15 × $100.00 + 20 × $80.00 + 50 × $65.00 = $8,225.00 (graduated)"
    );
    assert_eq!(q.recurring.display("USD"), "$8,225.00");
    assert_adds_up(&q);

    // On a band boundary the boundary unit belongs to the lower band (bands are
    // `(previous up_to, up_to]`): 15 connections = 15 × 125 = 1,875; 16 = 1,875 + 100 = 1,975.
    assert_eq!(known(&quote_at(&p, &s, 15)), usd("1875"));
    assert_eq!(known(&quote_at(&p, &s, 16)), usd("1975"));
}

#[test]
fn per_connection_volume_worked_example() {
    // The same tiers in volume mode: the total (100) falls in the 51–100 band, so every unit
    // is priced at 65: 100 × 65 = 6,500.00 (not 8,225.00).
    let p = workos("volume", "\"40\"");
    let s = scenario("");
    let q = quote_at(&p, &s, 100);
    assert_eq!(known(&q), usd("6500"));
    assert_eq!(
        line(&q, "Directory connections").explanation,
        "100 directory connections: 100 × $65.00 = $6,500.00 (volume)"
    );
    // Volume pricing is not monotone: 101 falls in 101–200, 101 × 50 = 5,050 < 6,500.
    assert_eq!(known(&quote_at(&p, &s, 101)), usd("5050"));
    // Boundary: 15 is in 1–15 (15 × 125 = 1,875); 16 in 16–30 (16 × 100 = 1,600).
    assert_eq!(known(&quote_at(&p, &s, 15)), usd("1875"));
    assert_eq!(known(&quote_at(&p, &s, 16)), usd("1600"));
    // The unbounded last band: 250 × 40 = 10,000.
    assert_eq!(known(&quote_at(&p, &s, 250)), usd("10000"));
}

/// Clerk-like bundled pricing: SCIM comes with each SSO connection, which is priced; the plan
/// has a base fee, and a required add-on is always bought with it.
fn bundled() -> Provider {
    provider(
        r#"
[features.scim]
status = "ga"

[pricing]
model = "bundled"

[[pricing.plans]]
id = "pro"
name = "Pro"
base_fee = "25"
annual_base_fee = "20"
features = ["scim", "sso"]

[[pricing.plans.charges]]
name = "Enterprise connections"
meter = "sso_connections"
included = 1
mode = "graduated"
tiers = [
  { from = 2, up_to = 15, unit_price = "75" },
  { from = 16, up_to = 100, unit_price = "60" },
  { from = 101, unit_price = "30" },
]

[[pricing.addons]]
id = "b2b"
name = "B2B"
fee = "100"
required = true

[[pricing.addons.charges]]
name = "Organizations"
meter = "organizations"
included = 100
unit_price = "1"
"#,
    )
}

#[test]
fn bundled_worked_example() {
    // 100 customers, 1 SSO connection each (SCIM itself is not charged):
    //   Pro plan base fee                         =    25.00
    //   connections: first 1 included;
    //     units 2–15:   14 × 75 = 1,050
    //     units 16–100: 85 × 60 = 5,100          = 6,150.00
    //   B2B add-on fee (required)                 =   100.00
    //   organizations: 100 included, 0 × 1        =     0.00
    //                                             = 6,275.00
    let p = bundled();
    let s = scenario("");
    let q = quote_at(&p, &s, 100);
    assert_eq!(q.addons, vec!["b2b".to_owned()]);
    assert_eq!(line(&q, "Pro plan").amount, Some(usd("25")));
    assert_eq!(line(&q, "Pro plan").kind, LineKind::BaseFee);
    assert_eq!(line(&q, "Enterprise connections").amount, Some(usd("6150")));
    assert_eq!(
        line(&q, "Enterprise connections").explanation,
        "100 SSO connections, first 1 included: 14 × $75.00 + 85 × $60.00 = $6,150.00 (graduated)"
    );
    assert_eq!(line(&q, "B2B add-on").amount, Some(usd("100")));
    assert_eq!(line(&q, "B2B add-on").kind, LineKind::AddOnFee);
    assert_eq!(line(&q, "Organizations").kind, LineKind::AddOnCharge);
    assert_eq!(line(&q, "Organizations").amount, Some(Money::ZERO));
    assert_eq!(known(&q), usd("6275"));
    assert_adds_up(&q);

    // 250 customers: 25 + (1,050 + 5,100 + 150 × 30 = 10,650) + 100 + 150 × 1 = 10,925.
    assert_eq!(known(&quote_at(&p, &s, 250)), usd("10925"));
    // 1 customer: the one connection is included: 25 + 0 + 100 + 0 = 125.
    assert_eq!(known(&quote_at(&p, &s, 1)), usd("125"));
}

#[test]
fn per_mau_worked_example() {
    // MAU = customers × seats × active_share + other_mau, rounded up once at the end:
    //   40 × 333 × 0.35 + 0.5 = 4,662 + 0.5 = 4,662.5 → 4,663 MAU.
    //   (Rounding per customer would give 40 × ⌈116.55⌉ = 4,680: not the rule.)
    // Charge: 1,000 MAU free, then $0.0175 each:
    //   3,663 × 0.0175 = 64.1025 → 64.10 (the line is rounded to the cent, half away from 0)
    // Total: 25 base + 64.10 = 89.10.
    let p = provider(
        r#"
[features.scim]
status = "ga"

[pricing]
model = "per_mau"

[[pricing.plans]]
id = "pro"
name = "Pro"
base_fee = "25"
features = ["scim"]

[[pricing.plans.charges]]
name = "Monthly active users"
meter = "mau"
included = 1000
unit_price = "0.0175"
"#,
    );
    let s = scenario("[usage]\nseats = 333\nactive_share = 0.35\nother_mau = 0.5\n");
    let q = quote_at(&p, &s, 40);
    assert_eq!(q.meters.mau, 4663);
    let l = line(&q, "Monthly active users");
    assert_eq!(l.amount, Some(usd("64.10")));
    assert_eq!(
        l.explanation,
        "4,663 MAUs, first 1,000 included: 3,663 × $0.0175 = $64.1025 → $64.10"
    );
    assert_eq!(known(&q), usd("89.10"));
    assert_adds_up(&q);

    // Within the allowance: 2 × 333 × 0.35 + 0.5 = 233.6 → 234 MAU ≤ 1,000: only the base fee.
    assert_eq!(known(&quote_at(&p, &s, 2)), usd("25"));
}

/// Tier-gated: SCIM only on the paid plans; `team` allows at most 50 connections.
fn tier_gated() -> Provider {
    provider(
        r#"
[features.scim]
status = "ga"

[pricing]
model = "tier_gated"

[[pricing.plans]]
id = "free"
name = "Free"
base_fee = "0"
features = ["sso"]

[[pricing.plans]]
id = "team"
name = "Team"
base_fee = "250"
features = ["scim"]
limits = { directory_connections = 50 }

[[pricing.plans.charges]]
name = "Directory connections"
meter = "directory_connections"
unit_price = "10"

[[pricing.plans]]
id = "enterprise"
name = "Enterprise"
base_fee = "1000"
features = ["scim"]

[[pricing.plans.charges]]
name = "Directory connections"
meter = "directory_connections"
included = 50
unit_price = "10"
"#,
    )
}

#[test]
fn tier_gated_worked_example() {
    let p = tier_gated();
    let s = scenario("");
    // 50 customers: Free lacks SCIM; Team = 250 + 50 × 10 = 750 (the limit is inclusive);
    // Enterprise = 1,000 + 0 (50 included) = 1,000. Team is cheaper.
    let q = quote_at(&p, &s, 50);
    assert_eq!(q.plan.as_deref(), Some("team"));
    assert_eq!(known(&q), usd("750"));
    assert_eq!(
        q.plans[0].ineligible.as_deref(),
        Some("plan `free` does not include SCIM")
    );
    assert_eq!(q.plans[1].cost, Some(CostValue::known(usd("750"))));
    assert_eq!(q.plans[2].cost, Some(CostValue::known(usd("1000"))));

    // 51 customers pass Team's limit: automatic upgrade to Enterprise = 1,000 + 1 × 10 = 1,010.
    let q = quote_at(&p, &s, 51);
    assert_eq!(q.plan.as_deref(), Some("enterprise"));
    assert_eq!(known(&q), usd("1010"));
    assert_eq!(
        q.plans[1].ineligible.as_deref(),
        Some("plan `team` allows at most 50 directory_connections, 51 needed")
    );
    assert_adds_up(&q);
}

#[test]
fn flat_fee_per_band_worked_example() {
    // Bands 1–10: $5 a unit + $20 flat; 11+: $3 a unit + $50 flat. 15 units:
    //   graduated: 10 × 5 + 20 + 5 × 3 + 50 = 135 (every band the quantity reaches)
    //   volume:    15 × 3 + 50 = 95              (only the band the total falls in)
    // With 12 units included, graduated: band 1 is entirely free, so its flat fee is not
    // charged: 3 × 3 + 50 = 59; volume: (15 − 12) × 3 + 50 = 59.
    let charge = |mode: &str, included: u64| -> Charge {
        toml::from_str(&format!(
            "meter = \"directory_connections\"\nincluded = {included}\nmode = \"{mode}\"\ntiers = [\n  {{ up_to = 10, unit_price = \"5\", flat_fee = \"20\" }},\n  {{ unit_price = \"3\", flat_fee = \"50\" }},\n]\n"
        ))
        .unwrap()
    };
    assert_eq!(
        evaluate(&charge("graduated", 0), 15, false).unwrap().amount,
        usd("135")
    );
    assert_eq!(
        evaluate(&charge("volume", 0), 15, false).unwrap().amount,
        usd("95")
    );
    assert_eq!(
        evaluate(&charge("graduated", 12), 15, false)
            .unwrap()
            .amount,
        usd("59")
    );
    assert_eq!(
        evaluate(&charge("volume", 12), 15, false).unwrap().amount,
        usd("59")
    );
    assert_eq!(
        evaluate(&charge("graduated", 0), 15, false)
            .unwrap()
            .explain("USD", "directory connection"),
        "15 directory connections: 10 × $5.00 + $20.00 flat + 5 × $3.00 + $50.00 flat = $135.00"
    );
    // No units, no flat fee.
    assert_eq!(
        evaluate(&charge("graduated", 0), 0, false).unwrap().amount,
        Money::ZERO
    );
}

#[test]
fn contact_sales_beyond_a_bound_is_at_least_never_zero() {
    // 250 connections: the published part is 8,225 (1–100) + 100 × 50 (101–200) = 13,225;
    // units 201–250 fall in a contact-sales band.
    let p = workos("graduated", "\"contact_sales\"");
    let s = scenario("");
    let q = quote_at(&p, &s, 250);
    match &q.recurring {
        CostValue::AtLeast { floor, unknown } => {
            assert_eq!(*floor, usd("13225"));
            assert_eq!(
                unknown,
                &vec!["Directory connections: contact sales".to_owned()]
            );
        }
        other => panic!("expected at-least, got {other:?}"),
    }
    assert_eq!(q.recurring.display("USD"), "≥ $13,225.00 + unknown");
    assert_eq!(q.recurring.amount(), None);
    let l = line(&q, "Directory connections");
    assert_eq!(l.amount, Some(usd("13225")));
    assert_eq!(l.unknown.as_deref(), Some("contact sales"));
    assert!(
        l.explanation.contains("50 × contact sales"),
        "{}",
        l.explanation
    );
    assert!(
        l.explanation.contains("= ≥ $13,225.00 + contact sales"),
        "{}",
        l.explanation
    );
    assert_adds_up(&q);

    // A schedule that simply stops (no band for 201+): the units beyond are "price unknown".
    let q = quote_at(&workos("graduated", ""), &s, 201);
    assert_eq!(q.recurring.display("USD"), "≥ $13,225.00 + unknown");
    assert_eq!(
        line(&q, "Directory connections").unknown.as_deref(),
        Some("price unknown")
    );

    // Only a contact-sales plan: the floor is 0, shown as "unknown", never "$0.00".
    let p = provider(
        r#"
[features.scim]
status = "ga"

[[pricing.plans]]
id = "enterprise"
base_fee = "contact_sales"
features = ["scim"]
"#,
    );
    let q = quote_at(&p, &s, 100);
    assert_eq!(q.recurring.display("USD"), "unknown");
    assert_eq!(q.recurring.amount(), None);
    assert_eq!(q.recurring.floor(), Some(Money::ZERO));
    assert!(q.recurring.is_partial());
    assert_eq!(line(&q, "enterprise plan").amount, None);
    // Partly unknown costs stay partly unknown over a year.
    let rows = milestone_costs(&[&p], &s, &[100]).unwrap();
    assert_eq!(rows[0].annual.display("USD"), "unknown");
    assert_eq!(rows[0].per_customer, None);
}

/// In-house build: hours × rate, once and every month.
fn in_house() -> Provider {
    provider(
        r#"
[features.scim]
status = "ga"

[pricing]
model = "self_managed"
hourly_rate = "150"

[[pricing.plans]]
id = "self-built"
name = "Self-built"
base_fee = "0"
features = ["scim"]

[[pricing.one_time]]
id = "build"
name = "Initial build"
hours = 600

[[pricing.recurring]]
id = "maintenance"
name = "Maintenance"
hours = 20
"#,
    )
}

#[test]
fn in_house_worked_example() {
    // The scenario's rate ($100/h) overrides the provider's ($150/h):
    //   build:       600 h × 100 = 60,000.00 once
    //   maintenance:  20 h × 100 =  2,000.00 a month
    // Steady state at 100 customers: monthly 2,000; annual 12 × 2,000 = 24,000;
    // first year 24,000 + 60,000 = 84,000; per customer 2,000 / 100 = 20.
    let p = in_house();
    let s = scenario("[engineering]\nhourly_rate = \"100\"\n");
    let q = quote_at(&p, &s, 100);
    assert_eq!(known(&q), usd("2000"));
    assert_eq!(q.one_time, CostValue::known(usd("60000")));
    let build = line(&q, "Initial build");
    assert_eq!(build.kind, LineKind::OneTime);
    assert_eq!(build.explanation, "600 h × $100.00/h = $60,000.00");
    let maint = line(&q, "Maintenance");
    assert_eq!(maint.kind, LineKind::Recurring);
    assert_eq!(maint.explanation, "20 h × $100.00/h = $2,000.00");
    // A zero base fee makes no line.
    assert!(q.lines.iter().all(|l| l.kind != LineKind::BaseFee));
    assert_adds_up(&q);

    let rows = milestone_costs(&[&p], &s, &[100]).unwrap();
    assert_eq!(rows[0].annual, CostValue::known(usd("24000")));
    assert_eq!(rows[0].first_year, CostValue::known(usd("84000")));
    assert_eq!(rows[0].per_customer, Some(usd("20")));

    // Without a scenario rate the provider's applies: 600 × 150 = 90,000; 20 × 150 = 3,000.
    let s = scenario("");
    let q = quote_at(&p, &s, 100);
    assert_eq!(q.one_time, CostValue::known(usd("90000")));
    assert_eq!(known(&q), usd("3000"));

    // With neither, hours cannot be priced: unknown, never 0.
    let mut no_rate = in_house();
    no_rate.pricing.hourly_rate = None;
    let q = quote_at(&no_rate, &s, 100);
    assert_eq!(q.recurring.display("USD"), "unknown");
    assert_eq!(q.one_time.display("USD"), "unknown");
    assert_eq!(
        line(&q, "Maintenance").unknown.as_deref(),
        Some("no hourly rate")
    );
}

// ---------------------------------------------------------------------------------------------
// Billing rules
// ---------------------------------------------------------------------------------------------

#[test]
fn discount_and_yearly_escalator() {
    // Vendor fees: base 1,000 + 100 connections × 2 = 1,200. Engineering: 10 h × 100 = 1,000
    // a month, neither discounted nor escalated.
    // Discount 10 %: −120.00 → vendor fees after discount 1,080.
    // Escalator 5 % a year, year = ⌊(month − 1) / 12⌋, on the discounted vendor fees:
    //   months 1–12  (year 1): 0
    //   month 13     (year 2): 1,080 × (1.05 − 1)      =  54.00
    //   month 25     (year 3): 1,080 × (1.05² − 1)     = 1,080 × 0.1025   = 110.70
    //   month 37     (year 4): 1,080 × (1.05³ − 1)     = 1,080 × 0.157625 = 170.235 → 170.24
    let p = provider(
        r#"
[features.scim]
status = "ga"

[[pricing.plans]]
id = "pro"
name = "Pro"
base_fee = "1000"
features = ["scim"]

[[pricing.plans.charges]]
name = "Connections"
meter = "directory_connections"
unit_price = "2"

[[pricing.recurring]]
id = "ops"
name = "Operations"
hours = 10
"#,
    );
    let s = scenario(
        "[billing]\nescalator = \"0.05\"\ndiscounts = { p = \"0.1\" }\n\n[engineering]\nhourly_rate = \"100\"\n",
    );
    let expect = [
        (1, "2080", None),
        (12, "2080", None),
        (13, "2134", Some("54")),
        (25, "2190.70", Some("110.70")),
        (37, "2250.24", Some("170.24")),
    ];
    for (month, total, escalator) in expect {
        let q = quote_in_month(&p, &s, 100, month);
        let discount = line(&q, "Negotiated discount");
        assert_eq!(discount.kind, LineKind::Discount);
        assert_eq!(discount.amount, Some(usd("-120")), "month {month}");
        assert_eq!(discount.explanation, "10 % of $1,200.00 vendor fees");
        let esc = q.lines.iter().find(|l| l.kind == LineKind::Escalator);
        assert_eq!(
            esc.and_then(|l| l.amount),
            escalator.map(usd),
            "month {month}"
        );
        assert_eq!(known(&q), usd(total), "month {month}");
        assert_adds_up(&q);
    }
    let q = quote_in_month(&p, &s, 100, 13);
    let esc = q
        .lines
        .iter()
        .find(|l| l.kind == LineKind::Escalator)
        .unwrap();
    assert_eq!(esc.label, "Price escalator (year 2)");
    assert_eq!(esc.explanation, "$1,080.00 × ((1 + 0.05)^1 − 1)");
    // Engineering lines are untouched.
    assert_eq!(line(&q, "Operations").amount, Some(usd("1000")));
}

/// A recurring cost's line carries its source's address wherever lines are read (the full
/// and the lean context: the CSVs and the summary cite it), and none in a totals-only context,
/// whose lines no one reads.
#[test]
fn recurring_lines_cite_their_source_unless_only_totals_count() {
    let p = provider(
        r#"
[[sources]]
id = "ops-doc"
url = "https://example.com/ops"
retrieved = 2026-11-01

[features.scim]
status = "ga"

[[pricing.plans]]
id = "pro"
base_fee = "100"
features = ["scim"]

[[pricing.recurring]]
id = "ops"
name = "Operations"
hours = 2
source = "ops-doc"
"#,
    );
    let s = scenario("[engineering]\nhourly_rate = \"50\"\n");
    let cx = QuoteContext::new(&p, &s);
    let source = |cx: &QuoteContext<'_>| {
        quote(cx, cx.meters(10), 1, OneTime::InMonth(0))
            .unwrap()
            .lines
            .into_iter()
            .find(|l| l.kind == LineKind::Recurring)
            .and_then(|l| l.source)
    };
    let url = Some("https://example.com/ops".to_owned());
    assert_eq!(source(&cx), url);
    assert_eq!(source(&cx.lean()), url);
    assert_eq!(source(&cx.totals()), None);
    // 100 + 2 h × 50 = 200, however the lines are dressed.
    assert_eq!(
        recurring_total(&cx.totals(), cx.meters(10), 1).unwrap(),
        CostValue::known(usd("200"))
    );
}

#[test]
fn discount_line_is_rounded_to_the_cent() {
    // 333.33 × 15 % = 49.9995 → 50.00 (half away from zero); total 333.33 − 50.00 = 283.33.
    let p = provider(
        "[features.scim]\nstatus = \"ga\"\n\n[[pricing.plans]]\nid = \"pro\"\nbase_fee = \"333.33\"\nfeatures = [\"scim\"]\n",
    );
    let s = scenario("[billing]\ndiscounts = { p = \"0.15\" }\n");
    let q = quote_at(&p, &s, 10);
    assert_eq!(line(&q, "Negotiated discount").amount, Some(usd("-50")));
    assert_eq!(known(&q), usd("283.33"));
    assert_adds_up(&q);
    // A discount for another provider does not apply.
    let s = scenario("[billing]\ndiscounts = { other = \"0.5\" }\n");
    assert_eq!(known(&quote_at(&p, &s, 10)), usd("333.33"));
}

#[test]
fn annual_billing_uses_annual_base_fee() {
    // Pro: 25 monthly, 20 a month billed annually. At 1 customer (1 connection included):
    // monthly billing = 25 + 100 (B2B) = 125; annual billing = 20 + 100 = 120.
    let p = bundled();
    let q = quote_at(&p, &scenario(""), 1);
    assert_eq!(known(&q), usd("125"));
    let q = quote_at(&p, &scenario("[billing]\ncycle = \"annual\"\n"), 1);
    assert_eq!(known(&q), usd("120"));
    assert_eq!(
        line(&q, "Pro plan").explanation,
        "monthly equivalent, billed annually: $20.00"
    );
    // A plan without `annual_base_fee` keeps its `base_fee` under annual billing.
    let g = tier_gated();
    let q = quote_at(&g, &scenario("[billing]\ncycle = \"annual\"\n"), 10);
    assert_eq!(known(&q), usd("350"));
    assert_eq!(
        line(&q, "Team plan").explanation,
        "monthly base fee: $250.00"
    );
}

#[test]
fn estimates_only_with_opt_in_and_labelled() {
    // The required add-on's fee is unpublished with an estimate of 100.
    let mut p = bundled();
    p.pricing.addons[0].fee = Some(Price::Unpublished {
        reason: crate::model::price::UnknownReason::Unknown,
        estimate: Some(crate::model::Estimate::point(d("100"))),
        note: None,
    });
    // Without opt-in: 25 + 0 (1 connection included) + unknown + 0 = at least 25.
    let q = quote_at(&p, &scenario(""), 1);
    assert_eq!(q.recurring.display("USD"), "≥ $25.00 + unknown");
    assert!(!q.uses_estimates);
    assert_eq!(line(&q, "B2B add-on").amount, None);
    assert_eq!(
        line(&q, "B2B add-on").unknown.as_deref(),
        Some("price unknown")
    );
    // With `billing.use_estimates = true`: 25 + 100 = 125, labelled as an estimate.
    let q = quote_at(&p, &scenario("[billing]\nuse_estimates = true\n"), 1);
    assert_eq!(known(&q), usd("125"));
    assert!(q.uses_estimates);
    let l = line(&q, "B2B add-on");
    assert!(l.estimate);
    assert_eq!(l.explanation, "monthly add-on fee: $100.00 (estimate)");
    assert_adds_up(&q);
    // An estimated hourly rate is labelled too.
    let mut h = in_house();
    h.pricing.hourly_rate = Some(Price::Unpublished {
        reason: crate::model::price::UnknownReason::Unknown,
        estimate: Some(crate::model::Estimate::point(d("90"))),
        note: None,
    });
    assert_eq!(
        quote_at(&h, &scenario(""), 1).recurring.display("USD"),
        "unknown"
    );
    let q = quote_at(&h, &scenario("[billing]\nuse_estimates = true\n"), 1);
    assert_eq!(known(&q), usd("1800"));
    assert_eq!(
        line(&q, "Maintenance").explanation,
        "20 h × $90.00/h (estimate) = $1,800.00"
    );
    assert!(q.uses_estimates);
}

#[test]
fn exchange_rate_conversion() {
    // Provider in EUR, scenario in USD with 1 EUR = 1.0833 USD. 100 connections:
    //   base 49.99 EUR × 1.0833 = 54.154167 → 54.15 USD
    //   100 × 10 EUR = 1,000 EUR × 1.0833 = 1,083.30 USD
    //   total 1,137.45 USD (each line converted, then rounded to the cent)
    let p = provider(
        r#"currency = "EUR"

[features.scim]
status = "ga"

[[pricing.plans]]
id = "pro"
name = "Pro"
base_fee = "49.99"
features = ["scim"]

[[pricing.plans.charges]]
name = "Connections"
meter = "directory_connections"
unit_price = "10"
"#,
    );
    let s = scenario("exchange_rates = { EUR = \"1.0833\" }\n");
    let q = quote_at(&p, &s, 100);
    assert_eq!(line(&q, "Pro plan").amount, Some(usd("54.15")));
    assert_eq!(
        line(&q, "Pro plan").explanation,
        "monthly base fee: €49.99 (converted from EUR at 1.0833)"
    );
    assert_eq!(line(&q, "Connections").amount, Some(usd("1083.30")));
    assert_eq!(
        line(&q, "Connections").explanation,
        "100 directory connections: 100 × €10.00 = €1,000.00 (converted from EUR at 1.0833)"
    );
    assert_eq!(known(&q), usd("1137.45"));
    assert_adds_up(&q);
}

#[test]
fn provider_hourly_rate_is_converted_like_every_other_provider_price() {
    // The scenario sets no hourly rate, so the provider's, stated in EUR, is used and
    // converted: 20 h × (100 EUR × 1.10 = 110 USD) = 2,200 USD. A scenario rate is already in
    // the reporting currency and is not converted: 20 h × 100 = 2,000 USD.
    let mut p = in_house();
    p.currency = "EUR".into();
    p.pricing.hourly_rate = Some(Price::Known(d("100")));
    let s = scenario("exchange_rates = { EUR = \"1.10\" }\n");
    let q = quote_at(&p, &s, 1);
    assert_eq!(known(&q), usd("2200"));
    assert_eq!(
        line(&q, "Maintenance").explanation,
        "20 h × $110.00/h = $2,200.00"
    );
    let s = scenario("exchange_rates = { EUR = \"1.10\" }\n[engineering]\nhourly_rate = \"100\"\n");
    assert_eq!(known(&quote_at(&p, &s, 1)), usd("2000"));
}

// ---------------------------------------------------------------------------------------------
// Plan choice and availability
// ---------------------------------------------------------------------------------------------

#[test]
fn plan_choice_rules() {
    let s = scenario("");
    // Known beats partly unknown, even when the partly unknown floor is lower:
    // `metered` = at least 50 + unknown; `flat` = 5,000 → flat.
    let p = provider(
        r#"
[features.scim]
status = "ga"

[[pricing.plans]]
id = "metered"
base_fee = "50"
features = ["scim"]

[[pricing.plans.charges]]
meter = "directory_connections"
unit_price = "contact_sales"

[[pricing.plans]]
id = "flat"
base_fee = "5000"
features = ["scim"]
"#,
    );
    assert_eq!(quote_at(&p, &s, 10).plan.as_deref(), Some("flat"));

    // Among partly unknown plans, one with a published own fee beats a contact-sales plan:
    // `growth` = at least 100 + 10 × 50 = 600 (units 11–20 unpriced); `enterprise` = at
    // least 0 → growth, although its floor is higher.
    let p = provider(
        r#"
[features.scim]
status = "ga"

[[pricing.plans]]
id = "enterprise"
base_fee = "contact_sales"
features = ["scim"]

[[pricing.plans]]
id = "growth"
base_fee = "100"
features = ["scim"]

[[pricing.plans.charges]]
meter = "directory_connections"
mode = "graduated"
tiers = [{ up_to = 10, unit_price = "50" }]
"#,
    );
    let q = quote_at(&p, &s, 20);
    assert_eq!(q.plan.as_deref(), Some("growth"));
    assert_eq!(q.recurring.display("USD"), "≥ $600.00 + unknown");

    // Ties keep file order.
    let p = provider(
        "[features.scim]\nstatus = \"ga\"\n\n[[pricing.plans]]\nid = \"b\"\nbase_fee = \"10\"\nfeatures = [\"scim\"]\n\n[[pricing.plans]]\nid = \"a\"\nbase_fee = \"10\"\nfeatures = [\"scim\"]\n",
    );
    assert_eq!(quote_at(&p, &s, 1).plan.as_deref(), Some("b"));
}

#[test]
fn unavailable_providers_give_a_reason() {
    let s = scenario("");
    // No plan lists SCIM.
    let p = provider(
        "[features.scim]\nstatus = \"ga\"\n\n[[pricing.plans]]\nid = \"free\"\nfeatures = [\"sso\"]\n",
    );
    let q = quote_at(&p, &s, 10);
    assert_eq!(
        q.recurring,
        CostValue::Unavailable {
            reason: "P has no plan that includes SCIM".into()
        }
    );
    assert_eq!(q.recurring.display("USD"), "unavailable");
    assert_eq!(q.plan, None);
    // No costs at all, not a one-time cost of $0.00 (a review found "$0.00" and `exact` in
    // the summaries and milestones.csv of unavailable providers).
    assert_eq!(q.one_time, CostValue::zero());
    assert_eq!(q.one_time_if_available(), None);
    // Every SCIM plan is over its limit.
    let p = provider(
        "[features.scim]\nstatus = \"ga\"\n\n[[pricing.plans]]\nid = \"team\"\nfeatures = [\"scim\"]\nlimits = { directory_connections = 10 }\n",
    );
    assert_eq!(quote_at(&p, &s, 10).recurring, CostValue::zero());
    assert_eq!(
        quote_at(&p, &s, 10).one_time_if_available(),
        Some(&CostValue::zero())
    );
    assert_eq!(
        quote_at(&p, &s, 11).recurring,
        CostValue::Unavailable {
            reason: "plan `team` allows at most 10 directory_connections, 11 needed".into()
        }
    );
    // Limits apply to any meter: here SSO connections (2 per customer).
    let p = provider(
        "[features.scim]\nstatus = \"ga\"\n\n[[pricing.plans]]\nid = \"team\"\nfeatures = [\"scim\"]\nlimits = { sso_connections = 10 }\n",
    );
    let s2 = scenario("[usage]\nsso_connections = 2\n");
    assert!(matches!(
        quote_at(&p, &s2, 5).recurring,
        CostValue::Known { .. }
    ));
    assert!(matches!(
        quote_at(&p, &s2, 6).recurring,
        CostValue::Unavailable { .. }
    ));
}

#[test]
fn required_feature_supplied_by_an_add_on() {
    let body = |addon_plans: &str| {
        format!(
            r#"
[features.scim]
status = "ga"

[features.role_mapping]
status = "ga"

[[pricing.plans]]
id = "pro"
name = "Pro"
base_fee = "100"
features = ["scim"]

[[pricing.plans]]
id = "enterprise"
name = "Enterprise"
base_fee = "500"
features = ["scim", "role_mapping"]

[[pricing.addons]]
id = "rbac"
name = "RBAC"
fee = "99"
features = ["role_mapping"]
plans = {addon_plans}
"#
        )
    };
    let p = provider(&body("[\"pro\"]"));
    // Required: Pro + RBAC = 100 + 99 = 199 < Enterprise 500.
    let req = scenario("[needs]\nrole_mapping = \"required\"\n");
    let q = quote_at(&p, &req, 1);
    assert_eq!(
        (q.plan.as_deref(), q.addons.clone()),
        (Some("pro"), vec!["rbac".to_owned()])
    );
    assert_eq!(known(&q), usd("199"));
    assert_eq!(line(&q, "RBAC add-on").amount, Some(usd("99")));
    // Merely preferred: the add-on is not bought.
    let q = quote_at(&p, &scenario("[needs]\nrole_mapping = \"preferred\"\n"), 1);
    assert_eq!((q.plan.as_deref(), q.addons.len()), (Some("pro"), 0));
    assert_eq!(known(&q), usd("100"));
    // The add-on cannot be bought with Pro: Pro is ineligible, Enterprise (500) is chosen.
    let p = provider(&body("[\"enterprise\"]"));
    let q = quote_at(&p, &req, 1);
    assert_eq!(q.plan.as_deref(), Some("enterprise"));
    assert_eq!(
        q.plans[0].ineligible.as_deref(),
        Some("plan `pro` lacks `role_mapping` and no add-on supplies it")
    );
    assert_eq!(known(&q), usd("500"));
}

/// A lean context (for curves over many customer counts) prices exactly like the full one
/// but writes no explanations: `WorkOS` graduated at 20 connections, $2,375.00 either way.
#[test]
fn lean_quotes_price_the_same_without_explanations() {
    let p = workos("graduated", "\"contact_sales\"");
    let s = scenario("");
    let cx = QuoteContext::new(&p, &s);
    let full = quote(&cx, Meters::from_usage(20, &s.usage), 1, OneTime::All).unwrap();
    let lean = quote(
        &cx.lean(),
        Meters::from_usage(20, &s.usage),
        1,
        OneTime::All,
    )
    .unwrap();
    assert_eq!(full.recurring, lean.recurring);
    assert_eq!(full.recurring, CostValue::known(usd("2375")));
    assert!(full.lines.iter().any(|l| !l.explanation.is_empty()));
    assert!(lean.lines.iter().all(|l| l.explanation.is_empty()));
}

use crate::load::shipped;

/// `project` prices providers on several threads and without line items, curves or months:
/// the same months, totals, curves, bands and crossovers as one thread keeping everything, in
/// provider order, on every shipped scenario.
#[test]
fn projecting_on_threads_without_lines_changes_no_figure() {
    let catalog = shipped();
    let providers: Vec<&Provider> = catalog.providers.iter().collect();
    for s in &catalog.scenarios {
        let one = project_scenario(&providers, s).unwrap();
        let keep = super::analysis::Keep {
            lines: false,
            curves: true,
            months: true,
        };
        let many =
            super::analysis::project_scenario_with(&providers, s, keep, 3, &mut |_| {}).unwrap();
        assert_eq!(one.bands, many.bands, "{}", s.id());
        assert_eq!(one.crossovers, many.crossovers);
        assert_eq!(one.cumulative_crossovers, many.cumulative_crossovers);
        assert_eq!(one.projections.len(), many.projections.len());
        for (a, b) in one.projections.iter().zip(&many.projections) {
            assert_eq!(a.provider, b.provider);
            for (x, y) in a.months.iter().zip(&b.months) {
                assert_eq!((&x.total, &x.cumulative), (&y.total, &y.cumulative));
                assert_eq!(x.quote.plan, y.quote.plan);
                assert!(y.quote.lines.is_empty());
            }
        }
        for (a, b) in one.curves.iter().zip(&many.curves) {
            assert_eq!(a.provider, b.provider);
            assert_eq!(a.costs, b.costs);
        }
        assert_streamed_equals(&one, &providers, s);
    }
}

/// A totals-only context (the cost curves) prices exactly like the full one, to the cent and
/// with the same plan, on every
/// provider of the shipped catalog (tiers, add-ons, buyer quotes, unknowns, exclusions) under
/// every shipped scenario, at counts across the tiers, and writes no labels.
#[test]
fn totals_only_quotes_price_the_same_on_the_shipped_catalog() {
    let catalog = shipped();
    let mut priced = 0;
    for s in &catalog.scenarios {
        for p in &catalog.providers {
            let cx = QuoteContext::new(p, s);
            let mut pricer = CurvePricer::new(&cx);
            for n in [1, 7, 50, 100, 101, 250, 999, 1000, 1001, 5000] {
                for month in [1, 13, 40] {
                    let full = quote(&cx, cx.meters(n), month, OneTime::InMonth(0)).unwrap();
                    let totals =
                        quote(&cx.totals(), cx.meters(n), month, OneTime::InMonth(0)).unwrap();
                    // The curves read amounts and floors; the reasons of a partly unknown
                    // total name no line in a totals-only quote.
                    assert_eq!(
                        CurvePoint::from(&full.recurring),
                        CurvePoint::from(&totals.recurring),
                        "{} at {n}",
                        p.id()
                    );
                    assert_eq!(full.plan, totals.plan, "{} at {n}", p.id());
                    // The curves' own path: no quote built, the same point.
                    assert_eq!(
                        CurvePoint::from(&full.recurring),
                        CurvePoint::from(
                            &recurring_total(&cx.totals(), cx.meters(n), month).unwrap()
                        ),
                        "{} at {n}, month {month}",
                        p.id()
                    );
                    if month == 1 {
                        assert_eq!(
                            CurvePoint::from(&full.recurring),
                            pricer.point(&cx.meters(n)).unwrap(),
                            "curve pricer: {} at {n}",
                            p.id()
                        );
                    }
                    assert!(totals.lines.iter().all(|l| l.label.is_empty()));
                    assert!(totals.plan_label.is_none() && totals.addons.is_empty());
                    priced += usize::from(full.recurring.amount().is_some());
                }
            }
        }
    }
    assert!(priced > 100, "{priced} known prices compared");
}

/// The curves' paths ([`recurring_total`] and the [`CurvePricer`] the curves use) give every
/// provider of a synthetic catalog (every pricing model, limits, add-ons, unstated tier modes,
/// unknown prices) the point a full quote gives, at every customer count up to 1,500 in two
/// scenarios. A second pricer visits the counts from the top down, so that its cached plan
/// eligibility is tested on thresholds crossed in the other direction too.
#[test]
fn recurring_totals_equal_full_quotes_on_a_synthetic_catalog() {
    let catalog = crate::synthetic::catalog(120, 2, 24, 7).unwrap();
    let mut kinds = [0usize; 3];
    for s in &catalog.scenarios {
        for p in &catalog.providers {
            let cx = QuoteContext::new(p, s);
            let mut up = CurvePricer::new(&cx);
            let mut points = Vec::new();
            for n in 1..=1500 {
                let full = quote(&cx, cx.meters(n), 1, OneTime::InMonth(0)).unwrap();
                let point = CurvePoint::from(&full.recurring);
                assert_eq!(
                    point,
                    CurvePoint::from(&recurring_total(&cx.totals(), cx.meters(n), 1).unwrap()),
                    "{} at {n} in {}",
                    p.id(),
                    s.id()
                );
                assert_eq!(
                    point,
                    up.point(&cx.meters(n)).unwrap(),
                    "curve pricer: {} at {n} in {}",
                    p.id(),
                    s.id()
                );
                points.push(point);
                kinds[match point {
                    CurvePoint::Known(_) => 0,
                    CurvePoint::AtLeast(_) => 1,
                    CurvePoint::Unavailable => 2,
                }] += 1;
            }
            let mut down = CurvePricer::new(&cx);
            for n in (1..=1500u64).rev() {
                assert_eq!(
                    points[usize::try_from(n - 1).unwrap()],
                    down.point(&cx.meters(n)).unwrap(),
                    "curve pricer, counting down: {} at {n} in {}",
                    p.id(),
                    s.id()
                );
            }
        }
    }
    // Each kind of point was compared, many times.
    assert!(kinds.iter().all(|&k| k > 1000), "{kinds:?}");
}

/// `p` with buyer quotes recorded at `paths` (only the labels are under test, so the prices
/// stay as they are).
fn quoted(p: &Provider, paths: &[&str]) -> Provider {
    let mut p = p.clone();
    p.quotes = paths
        .iter()
        .map(|path| crate::model::quote::AppliedQuote {
            price: (*path).to_string(),
            amount: crate::model::price::Amount(d("1")),
            date: crate::model::Date::new(2026, 11, 1).unwrap(),
            by: "sales".into(),
            file: "quotes/q.toml".into(),
        })
        .collect();
    p
}

/// A charge line is labelled "quote" when a band it priced carries a buyer quote, on its unit
/// price or on its flat fee, and not because some other price of the file was quoted.
/// 15 connections reach both bands of `pricing.plans.pro.charges.0`.
#[test]
fn quote_labels_follow_the_quoted_band() {
    let base = provider(
        r#"
[features.scim]
status = "ga"

[[pricing.plans]]
id = "pro"
base_fee = "10"
features = ["scim"]

[[pricing.plans.charges]]
name = "Connections"
meter = "directory_connections"
mode = "graduated"
tiers = [
  { up_to = 10, unit_price = "5", flat_fee = "20" },
  { unit_price = "3", flat_fee = "50" },
]
"#,
    );
    let s = scenario("");
    let labelled =
        |paths: &[&str]| line(&quote_at(&quoted(&base, paths), &s, 15), "Connections").quote;
    assert!(!labelled(&[]));
    assert!(labelled(&[
        "pricing.plans.pro.charges.0.tiers.1.unit_price"
    ]));
    assert!(labelled(&["pricing.plans.pro.charges.0.tiers.0.flat_fee"]));
    // A quote elsewhere in the file does not label this line, although its bands have flat
    // fees.
    assert!(!labelled(&["pricing.plans.pro.base_fee"]));
}

/// A discount line appears only when there is a discount and vendor fees to take it from:
/// 10 % of a free plan's $0 is no line at all, and no discount is no line either.
#[test]
fn no_discount_line_without_a_discount_or_vendor_fees() {
    let free = provider(
        "[features.scim]\nstatus = \"ga\"\n\n[[pricing.plans]]\nid = \"free\"\nbase_fee = \"0\"\nfeatures = [\"scim\"]\n",
    );
    let paid = provider(
        "[features.scim]\nstatus = \"ga\"\n\n[[pricing.plans]]\nid = \"pro\"\nbase_fee = \"200\"\nfeatures = [\"scim\"]\n",
    );
    let discounted = scenario("[billing]\ndiscounts = { p = \"0.1\" }\n");
    let plain = scenario("");
    let has_discount = |p: &Provider, s: &Scenario| {
        quote_at(p, s, 10)
            .lines
            .iter()
            .any(|l| l.kind == LineKind::Discount)
    };
    assert!(!has_discount(&free, &discounted));
    assert!(!has_discount(&paid, &plain));
    assert!(has_discount(&paid, &discounted));
    // 200 − 10 % = 180.
    assert_eq!(known(&quote_at(&paid, &discounted, 10)), usd("180"));
}

/// `required_above` buys an add-on only when usage is strictly above the threshold, for the
/// members-per-organization count and for a meter alike:
/// - members: 20 seats in 1 organization = 20 members → not bought; 21 → bought (+$100);
/// - directory connections: 10 customers × 1 = 10 → not bought; 11 → bought (+$7), while the
///   SSO connections (2 per customer, 20 and 22) do not count.
#[test]
fn required_above_buys_only_strictly_above_the_threshold() {
    let p = provider(
        r#"
[features.scim]
status = "ga"

[[pricing.plans]]
id = "pro"
base_fee = "25"
features = ["scim"]

[[pricing.addons]]
id = "b2b"
fee = "100"
required_above = { members_per_organization = 20 }

[[pricing.addons]]
id = "scale"
fee = "7"
required_above = { directory_connections = 10 }
"#,
    );
    let bought = |seats: u32, customers: u64| {
        // Two SSO connections per customer, so that a lookup of the wrong meter shows.
        let s = scenario(&format!("[usage]\nseats = {seats}\nsso_connections = 2\n"));
        let q = quote_at(&p, &s, customers);
        (q.addons.clone(), known(&q))
    };
    assert_eq!(bought(20, 10), (vec![], usd("25")));
    assert_eq!(bought(21, 10), (vec!["b2b".to_owned()], usd("125")));
    assert_eq!(bought(20, 11), (vec!["scale".to_owned()], usd("32")));
    assert_eq!(
        bought(21, 11),
        (vec!["b2b".to_owned(), "scale".to_owned()], usd("132"))
    );
}

/// Buyer quotes label hours-based and fixed lines by their own paths: a quoted provider hourly
/// rate labels the lines priced by hours (recurring `ops`, one-time `setup`), not the lines
/// with a fixed amount (`hosting`, `licence`); a quote on a fixed amount labels that line.
#[test]
fn quoted_hourly_rates_label_only_hours_lines() {
    let p = provider(
        r#"
[features.scim]
status = "ga"

[pricing]
model = "self_managed"
hourly_rate = "100"

[[pricing.plans]]
id = "oss"
base_fee = "0"
features = ["scim"]

[[pricing.recurring]]
id = "ops"
name = "Operations"
hours = 10

[[pricing.recurring]]
id = "hosting"
name = "Hosting"
amount = "50"

[[pricing.one_time]]
id = "setup"
name = "Setup"
hours = 5

[[pricing.one_time]]
id = "licence"
name = "Licence"
amount = "500"
"#,
    );
    let s = scenario("");
    let with_quotes = |paths: &[&str]| {
        let quote = quote_at(&quoted(&p, paths), &s, 1);
        let labels = |lines: &[LineItem]| -> Vec<(String, bool)> {
            lines.iter().map(|l| (l.label.clone(), l.quote)).collect()
        };
        (labels(&quote.lines), labels(&quote.one_time_lines))
    };
    let pairs = |v: &[(&str, bool)]| -> Vec<(String, bool)> {
        v.iter().map(|(a, b)| ((*a).to_string(), *b)).collect()
    };
    let (recurring, one_time) = with_quotes(&["pricing.hourly_rate"]);
    assert!(
        recurring.contains(&("Operations".into(), true)),
        "{recurring:?}"
    );
    assert!(
        recurring.contains(&("Hosting".into(), false)),
        "{recurring:?}"
    );
    assert_eq!(one_time, pairs(&[("Setup", true), ("Licence", false)]));

    let (recurring, one_time) = with_quotes(&[
        "pricing.recurring.hosting.amount",
        "pricing.one_time.licence.amount",
    ]);
    assert!(
        recurring.contains(&("Operations".into(), false)),
        "{recurring:?}"
    );
    assert!(
        recurring.contains(&("Hosting".into(), true)),
        "{recurring:?}"
    );
    assert_eq!(one_time, pairs(&[("Setup", false), ("Licence", true)]));
}

/// A required add-on that supplies some *other* feature does not cover a requirement: with
/// `role_mapping` required, Pro (100) plus the always-bought Support add-on (20, supplies
/// `custom_attributes`) still lacks it, so Pro is ineligible and Enterprise (500) is chosen.
#[test]
fn a_required_add_on_covers_only_its_own_features() {
    let p = provider(
        r#"
[features.scim]
status = "ga"

[features.role_mapping]
status = "ga"

[[pricing.plans]]
id = "pro"
base_fee = "100"
features = ["scim"]

[[pricing.plans]]
id = "enterprise"
base_fee = "500"
features = ["scim", "role_mapping"]

[[pricing.addons]]
id = "support"
name = "Support"
fee = "20"
features = ["custom_attributes"]
required = true
"#,
    );
    let q = quote_at(&p, &scenario("[needs]\nrole_mapping = \"required\"\n"), 1);
    assert_eq!(q.plan.as_deref(), Some("enterprise"));
    assert_eq!(
        q.plans[0].ineligible.as_deref(),
        Some("plan `pro` lacks `role_mapping` and no add-on supplies it")
    );
    // Enterprise 500 + the always-bought Support add-on 20 = 520.
    assert_eq!(known(&q), usd("520"));
}

#[test]
fn hard_requirements_make_a_provider_unavailable_in_cost_too() {
    // `groups` is required; no plan lists it, so it is a provider-level fact, not a plan gate.
    let s = scenario("[needs]\ngroups = \"required\"\n");
    let base = "[[pricing.plans]]\nid = \"pro\"\nbase_fee = \"10\"\nfeatures = [\"scim\"]\n";
    // Confirmed GA: every plan stays eligible.
    let p = provider(&format!(
        "[features]\nscim = {{ status = \"ga\" }}\ngroups = {{ status = \"ga\" }}\n\n{base}"
    ));
    assert_eq!(known(&quote_at(&p, &s, 1)), usd("10"));
    // Confirmed absent: unavailable, with the reason.
    let p = provider(&format!(
        "[features]\nscim = {{ status = \"ga\" }}\ngroups = {{ status = \"none\" }}\n\n{base}"
    ));
    let q = quote_at(&p, &s, 1);
    match &q.recurring {
        CostValue::Unavailable { reason } => {
            assert!(
                reason.starts_with("excluded by the scenario's requirements: "),
                "{reason}"
            );
            assert!(reason.contains("`groups`"), "{reason}");
        }
        other => panic!("expected unavailable, got {other:?}"),
    }
    assert!(q.lines.is_empty() && q.one_time_lines.is_empty());
    // Unknown is never taken as present: excluded too.
    let p = provider(&format!(
        "[features]\nscim = {{ status = \"ga\" }}\n\n{base}"
    ));
    assert!(matches!(
        quote_at(&p, &s, 1).recurring,
        CostValue::Unavailable { .. }
    ));
}

// ---------------------------------------------------------------------------------------------
// Meters, growth, projections, milestones, crossovers
// ---------------------------------------------------------------------------------------------

#[test]
fn meters_round_up_and_pool() {
    let s = scenario(
        "[usage]\ndirectory_connections = 0.4\nsso_connections = 1.5\norganizations = 0.1\napi_requests = 2.5\nseats = 10\nactive_share = 0.25\n",
    );
    let m = Meters::from_usage(3, &s.usage);
    // 3 × 0.4 = 1.2 → 2; 3 × 1.5 = 4.5 → 5; pool = 2 + 5 = 7; 3 × 0.1 = 0.3 → 1; 7.5 → 8;
    // MAU 3 × 10 × 0.25 = 7.5 → 8.
    assert_eq!(
        (
            m.directory_connections,
            m.sso_connections,
            m.enterprise_connections,
            m.organizations,
            m.api_requests,
            m.mau
        ),
        (2, 5, 7, 1, 8, 8)
    );
    assert_eq!(m.get(Meter::Flat), 1);
    assert_eq!(Meters::from_usage(0, &s.usage).directory_connections, 0);
}

#[test]
fn growth_curves_match_the_documented_formulas() {
    // linear: start + (end − start) × (m − 1) / (horizon − 1): month 2 of 10→100 over 4 months
    // = 10 + 90 × 1/3 = 40.
    let c = GrowthCurve::Linear {
        start: 10.0,
        end: 100.0,
        horizon: 4,
    };
    assert_eq!(customers_by_month(&c, 4), vec![10, 40, 70, 100]);
    // compound: 100 × 1.05^(m − 1) = 100, 105, 110.25 → 110, 115.7625 → 116.
    let c = GrowthCurve::Compound {
        start: 100.0,
        rate: 0.05,
        cap: None,
    };
    assert_eq!(customers_by_month(&c, 4), vec![100, 105, 110, 116]);
    // points: flat before the first point, linear between, flat after.
    let c = GrowthCurve::Points(vec![(2, 10.0), (4, 15.0)]);
    assert_eq!(customers_by_month(&c, 5), vec![10, 10, 13, 15, 15]); // 12.5 → 13 (half away from 0)
    // logistic at its midpoint: capacity / 2.
    let c = GrowthCurve::Logistic {
        capacity: 1000.0,
        midpoint: 3.0,
        steepness: 1.0,
    };
    assert_eq!(c.customers(3), 500);
    // Shrinking below zero is floored at 0.
    let c = GrowthCurve::Compound {
        start: 10.0,
        rate: -1.0,
        cap: None,
    };
    assert_eq!(c.customers(2), 0);
}

#[test]
fn projection_puts_one_time_costs_in_their_month() {
    // One-time 600 h × 100 = 60,000 in month 1 and a 500 setup fee in month 2; maintenance
    // 2,000 a month. Totals: 62,000; 2,500; 2,000. Cumulative: 62,000; 64,500; 66,500.
    let mut p = in_house();
    p.pricing.one_time.push(
        toml::from_str("id = \"setup\"\nname = \"Setup\"\namount = \"500\"\nmonth = 2\n").unwrap(),
    );
    let s = scenario_over(3, "[engineering]\nhourly_rate = \"100\"\n");
    let cx = QuoteContext::new(&p, &s);
    let pr = project(&cx, &[10, 20, 30]).unwrap();
    let totals: Vec<_> = pr
        .months
        .iter()
        .map(|m| m.total.amount().unwrap())
        .collect();
    let cumulative: Vec<_> = pr
        .months
        .iter()
        .map(|m| m.cumulative.amount().unwrap())
        .collect();
    assert_eq!(totals, vec![usd("62000"), usd("2500"), usd("2000")]);
    assert_eq!(cumulative, vec![usd("62000"), usd("64500"), usd("66500")]);
    assert_eq!(pr.months[1].quote.one_time_lines.len(), 1);
    assert_eq!(pr.months[1].quote.one_time_lines[0].label, "Setup");
    assert!(pr.months[2].quote.one_time_lines.is_empty());
    for m in &pr.months {
        assert_eq!(m.total, m.quote.recurring.plus(&m.quote.one_time).unwrap());
        assert_adds_up(&m.quote);
    }
    assert_eq!(pr.horizon_total(), Some(&CostValue::known(usd("66500"))));
    // A steady-state (milestone) view includes every one-time cost: 60,000 + 500.
    let rows = milestone_costs(&[&p], &s, &[10]).unwrap();
    assert_eq!(rows[0].quote.one_time, CostValue::known(usd("60500")));
    assert_eq!(rows[0].first_year, CostValue::known(usd("84500")));
}

fn flat_and_per_connection() -> (Provider, Provider) {
    let flat = provider(
        "[features.scim]\nstatus = \"ga\"\n\n[[pricing.plans]]\nid = \"flat\"\nbase_fee = \"1000\"\nfeatures = [\"scim\"]\n",
    );
    let mut flat = flat;
    flat.id = Id::parse("flat").unwrap();
    let mut per = provider(
        "[features.scim]\nstatus = \"ga\"\n\n[[pricing.plans]]\nid = \"per\"\nfeatures = [\"scim\"]\n\n[[pricing.plans.charges]]\nmeter = \"directory_connections\"\nunit_price = \"30\"\n",
    );
    per.id = Id::parse("per").unwrap();
    (flat, per)
}

#[test]
fn scenario_projection_bands_and_crossovers() {
    // flat = 1,000 a month; per = 30 × customers. per is cheaper up to 33 (990 < 1,000) and
    // dearer from 34 (1,020): the crossover is at 34 customers. Customers by month: 10, 20,
    // 30, 40, 50, 60, so 34 is first reached in month 4.
    let (flat, per) = flat_and_per_connection();
    let s = scenario_over(
        6,
        "milestones = [10, 60]\n\n[growth]\nkind = \"linear\"\nstart = 10\nend = 60\n",
    );
    let sp = project_scenario(&[&flat, &per], &s).unwrap();
    assert_eq!(sp.customers, vec![10, 20, 30, 40, 50, 60]);
    assert_eq!(sp.curve_max, 60);
    // Bands start at the scenario's smallest customer count (10, month 1).
    assert_eq!(sp.curve_min, 10);
    assert_eq!(
        format_bands(&sp.bands, &|s| s.to_owned()),
        "10–33: per; 34+: flat"
    );
    assert_eq!(sp.crossovers.len(), 1);
    let x = &sp.crossovers[0];
    assert_eq!(
        (x.now_cheaper.as_str(), x.now_dearer.as_str(), x.at, x.month),
        ("flat", "per", 34, Some(4))
    );
    assert_eq!((x.cheaper_cost, x.dearer_cost), (usd("1000"), usd("1020")));
    // Cumulative: per = 300, 900, 1,800, 3,000, 4,500, 6,300; flat = 1,000 × m. per stays
    // cheaper until month 6 (6,300 > 6,000).
    assert_eq!(sp.cumulative_crossovers.len(), 1);
    let x = &sp.cumulative_crossovers[0];
    assert_eq!(
        (x.now_cheaper.as_str(), x.at, x.month),
        ("flat", 6, Some(6))
    );
    assert_eq!((x.cheaper_cost, x.dearer_cost), (usd("6000"), usd("6300")));
}

#[test]
fn effective_monthly_cost_spreads_one_time_costs_over_the_horizon() {
    // In-house over 6 months: 60,000 once ÷ 6 = 10,000 + 2,000 maintenance = 12,000 at every
    // customer count on the curve.
    let p = in_house();
    let s = scenario_over(
        6,
        "milestones = [5]\n[engineering]\nhourly_rate = \"100\"\n",
    );
    let sp = project_scenario(&[&p], &s).unwrap();
    assert_eq!(sp.curve_max, 100); // the largest of the milestones and the monthly counts
    assert!(
        sp.curves[0]
            .costs
            .iter()
            .all(|c| *c == CurvePoint::Known(usd("12000")))
    );
}

#[test]
fn cumulative_crossover_ignores_ties() {
    // A: 3,000 once + 100 a month → 3,000 + 100 m; B: 400 m. Month 10 ties (4,000 = 4,000);
    // month 11 is the first month A is strictly cheaper (4,100 < 4,400).
    let a: Vec<_> = (1..=12)
        .map(|m| Some(usd(&(3000 + 100 * m).to_string())))
        .collect();
    let b: Vec<_> = (1..=12)
        .map(|m| Some(usd(&(400 * m).to_string())))
        .collect();
    let x = crossovers(&[("a".into(), a), ("b".into(), b)], &|m| {
        u32::try_from(m).ok()
    });
    assert_eq!(x.len(), 1);
    assert_eq!((x[0].now_cheaper.as_str(), x[0].at), ("a", 11));
}

// ---------------------------------------------------------------------------------------------
// Property tests
// ---------------------------------------------------------------------------------------------

/// A band of a random schedule: width in units, unit rate, optional flat fee.
type BandSpec = (u64, Decimal, Option<Decimal>);

/// A random plan: base fee in cents, optional connection limit, included units, bands.
type PlanSpec = (i64, Option<u64>, u64, Vec<BandSpec>);

/// A random band: width (units), a rate with up to 4 decimals, an optional flat fee.
fn arb_bands() -> impl Strategy<Value = Vec<BandSpec>> {
    prop::collection::vec(
        (1u64..25, 0i64..2_000_000, prop::option::of(0i64..50_000)),
        1..5,
    )
    .prop_map(|v| {
        v.into_iter()
            .map(|(w, r, f)| (w, Decimal::new(r, 4), f.map(|f| Decimal::new(f, 2))))
            .collect()
    })
}

/// A tiered charge from bands; when `bounded` the last band has an `up_to`, otherwise it is
/// unbounded.
fn tiered(mode: TierMode, included: u64, bands: &[BandSpec], bounded: bool, flat: bool) -> Charge {
    let mut up = 0;
    let n = bands.len();
    let tiers = bands
        .iter()
        .enumerate()
        .map(|(i, (w, r, f))| {
            up += w;
            Tier {
                from: None,
                up_to: if i + 1 == n && !bounded {
                    None
                } else {
                    Some(up)
                },
                unit_price: Price::Known(*r),
                flat_fee: if flat { f.map(Price::Known) } else { None },
            }
        })
        .collect();
    Charge {
        graduated_share: None,
        name: None,
        meter: Meter::DirectoryConnections,
        included: Some(included),
        unit_price: None,
        mode: Some(mode),
        tiers: Some(tiers),
        source: None,
        note: None,
    }
}

/// Brute force, unit by unit: (priced amount, any unit unpriced).
fn brute_force(charge: &Charge, q: u64) -> (Decimal, bool) {
    let tiers = charge.tiers.as_ref().unwrap();
    let included = charge.included_units();
    let band_of = |u: u64| {
        let mut lo = 0;
        for (i, t) in tiers.iter().enumerate() {
            if u > lo && t.up_to.is_none_or(|h| u <= h) {
                return Some(i);
            }
            lo = t.up_to.unwrap_or(u64::MAX);
        }
        None
    };
    let rate = |i: usize| tiers[i].unit_price.known().unwrap();
    let flat = |i: usize| {
        tiers[i]
            .flat_fee
            .as_ref()
            .and_then(Price::known)
            .unwrap_or_default()
    };
    let mut amount = Decimal::ZERO;
    let mut unknown = false;
    match charge.mode.unwrap() {
        TierMode::Graduated | TierMode::Unstated => {
            let mut touched = Vec::new();
            for u in included + 1..=q {
                match band_of(u) {
                    Some(i) => {
                        amount += rate(i);
                        if !touched.contains(&i) {
                            touched.push(i);
                            amount += flat(i);
                        }
                    }
                    None => unknown = true,
                }
            }
        }
        TierMode::Volume => {
            if q > included {
                match band_of(q) {
                    Some(i) => amount = rate(i) * Decimal::from(q - included) + flat(i),
                    None => unknown = true,
                }
            }
        }
    }
    (amount, unknown)
}

/// A provider with random plans (base fee, optional limit, one graduated connection charge),
/// optional required add-on, for quote-level properties.
fn random_provider(plans: &[PlanSpec], addon_fee: Option<i64>) -> Provider {
    let mut p = provider("[features.scim]\nstatus = \"ga\"\n");
    p.pricing.plans = plans
        .iter()
        .enumerate()
        .map(|(i, (fee, limit, included, bands))| Plan {
            id: Id::parse(&format!("plan{i}")).unwrap(),
            name: None,
            base_fee: Some(Price::Known(Decimal::new(*fee, 2))),
            annual_base_fee: None,
            features: vec!["scim".into()],
            limits: limit
                .map(|l| BTreeMap::from([("directory_connections".to_owned(), l)]))
                .unwrap_or_default(),
            charges: vec![tiered(TierMode::Graduated, *included, bands, false, true)],
            source: None,
            note: None,
        })
        .collect();
    if let Some(fee) = addon_fee {
        p.pricing.addons.push(
            toml::from_str(&format!(
                "id = \"extra\"\nfee = \"{}\"\nrequired = true\n",
                Decimal::new(fee, 2)
            ))
            .unwrap(),
        );
    }
    p
}

fn arb_plans() -> impl Strategy<Value = Vec<PlanSpec>> {
    prop::collection::vec(
        (
            0i64..200_000,
            prop::option::of(5u64..80),
            0u64..10,
            arb_bands(),
        ),
        1..4,
    )
}

fn fraction(max: i64) -> impl Strategy<Value = Decimal> {
    (0..=max).prop_map(|x| Decimal::new(x, 4))
}

proptest! {
    // Modest case counts keep the suite fast; no regression files are written into the repo.
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    /// Graduated cost = the sum over units of each unit's band rate (+ each reached band's flat
    /// fee), and the reported bands multiply out to the amount.
    #[test]
    fn graduated_equals_sum_of_band_units_times_rates(bands in arb_bands(), included in 0u64..30, bounded: bool, q in 0u64..120) {
        let c = tiered(TierMode::Graduated, included, &bands, bounded, true);
        let r = evaluate(&c, q, false).unwrap();
        let (amount, unknown) = brute_force(&c, q);
        prop_assert_eq!(r.amount.0, amount);
        prop_assert_eq!(r.unknown.is_some(), unknown);
        let from_bands: Decimal = r.bands.iter().map(|b| {
            b.rate.value().unwrap_or_default() * Decimal::from(b.units) + b.flat_fee.and_then(super::schedule::Rate::value).unwrap_or_default()
        }).sum();
        prop_assert_eq!(from_bands, r.amount.0);
        prop_assert_eq!(r.bands.iter().map(|b| b.units).sum::<u64>(), q.saturating_sub(included));
        prop_assert!(r.amount >= Money::ZERO);
    }

    /// Volume: every billable unit at the rate of the band the total falls in; never more than
    /// the schedule's top rate × billable units (without flat fees).
    #[test]
    fn volume_matches_definition_and_is_bounded_by_top_rate(bands in arb_bands(), included in 0u64..30, bounded: bool, q in 0u64..120) {
        let c = tiered(TierMode::Volume, included, &bands, bounded, true);
        let r = evaluate(&c, q, false).unwrap();
        let (amount, unknown) = brute_force(&c, q);
        prop_assert_eq!(r.amount.0, amount);
        prop_assert_eq!(r.unknown.is_some(), unknown);
        let plain = tiered(TierMode::Volume, included, &bands, bounded, false);
        let top = bands.iter().map(|b| b.1).max().unwrap();
        let r = evaluate(&plain, q, false).unwrap();
        prop_assert!(r.amount.0 <= top * Decimal::from(q.saturating_sub(included)));
        prop_assert!(r.amount >= Money::ZERO);
    }

    /// A graduated schedule's cost never decreases as the quantity grows.
    #[test]
    fn graduated_is_monotone(bands in arb_bands(), included in 0u64..30, q in 0u64..150) {
        let c = tiered(TierMode::Graduated, included, &bands, false, true);
        let a = evaluate(&c, q, false).unwrap().amount;
        let b = evaluate(&c, q + 1, false).unwrap().amount;
        prop_assert!(a <= b, "{} > {}", a.raw(), b.raw());
    }

    /// With graduated schedules, plan limits, a required add-on and a discount, the chosen
    /// cost never decreases as customers grow; once unavailable it stays unavailable; the
    /// chosen plan is the cheapest eligible one; the cost is never negative.
    #[test]
    fn quote_is_monotone_in_customers(plans in arb_plans(), addon in prop::option::of(0i64..20_000), discount in fraction(10_000), conns in 1u32..3) {
        let p = random_provider(&plans, addon);
        let s = scenario(&format!("[usage]\ndirectory_connections = {conns}\n\n[billing]\ndiscounts = {{ p = \"{discount}\" }}\n"));
        let mut previous: Option<CostValue> = None;
        for n in 0..70 {
            let q = quote_at(&p, &s, n);
            assert_adds_up(&q);
            if let Some(chosen) = &q.plan {
                let costs: Vec<Money> = q.plans.iter().filter_map(|v| v.cost.as_ref().and_then(CostValue::amount)).collect();
                let min = costs.iter().min().copied().unwrap();
                let mine = q.plans.iter().find(|v| &v.plan == chosen).unwrap().cost.as_ref().unwrap().amount().unwrap();
                prop_assert_eq!(mine, min, "the chosen plan is not the cheapest eligible one");
                prop_assert!(known(&q) >= Money::ZERO);
            }
            match (&previous, &q.recurring) {
                (Some(CostValue::Known { amount: a }), CostValue::Known { amount: b }) => prop_assert!(a <= b, "n = {}: {} > {}", n, a.raw(), b.raw()),
                (Some(CostValue::Unavailable { .. }), v) => prop_assert!(matches!(v, CostValue::Unavailable { .. }), "available again at {}", n),
                _ => {}
            }
            previous = Some(q.recurring.clone());
        }
    }

    /// For random schedules (some prices unpublished), discounts, escalators and months, the
    /// line items are whole cents, sum exactly to the recurring floor, the discount and the
    /// escalator follow their formulas, and nothing is negative.
    #[test]
    fn line_items_sum_to_the_total(
        plans in arb_plans(),
        addon in prop::option::of(0i64..20_000),
        discount in fraction(10_000),
        escalator in fraction(2_000),
        month in 1u32..80,
        n in 0u64..120,
        unpublished in prop::option::of(0usize..4),
        use_estimates: bool,
    ) {
        let mut p = random_provider(&plans, addon);
        if let Some(i) = unpublished {
            let plan = &mut p.pricing.plans[0];
            let tiers = plan.charges[0].tiers.as_mut().unwrap();
            let k = i % tiers.len();
            tiers[k].unit_price = Price::Unpublished { reason: crate::model::price::UnknownReason::ContactSales, estimate: Some(crate::model::Estimate::point(Decimal::new(4321, 2))), note: None };
        }
        let s = scenario(&format!("[billing]\ndiscounts = {{ p = \"{discount}\" }}\nescalator = \"{escalator}\"\nuse_estimates = {use_estimates}\n"));
        let q = quote_in_month(&p, &s, n, month);
        assert_adds_up(&q);
        if let Some(floor) = q.recurring.floor() {
            prop_assert!(floor >= Money::ZERO);
        }
        let vendor = Money::sum(q.lines.iter().filter(|l| l.kind.is_vendor_fee()).filter_map(|l| l.amount)).unwrap();
        let off = q.lines.iter().find(|l| l.kind == LineKind::Discount).and_then(|l| l.amount).unwrap_or(Money::ZERO);
        prop_assert_eq!(off, Money(-(vendor.0 * discount)).cents());
        let base = vendor.0 + off.0;
        let year = (month - 1) / 12;
        let up = q.lines.iter().find(|l| l.kind == LineKind::Escalator).and_then(|l| l.amount).unwrap_or(Money::ZERO);
        let mut factor = Decimal::ONE;
        for _ in 0..year {
            factor *= Decimal::ONE + escalator;
        }
        prop_assert_eq!(up, Money(base * (factor - Decimal::ONE)).cents());
    }

    /// The curve pricer gives `recurring_total`'s month-1 point for random providers: plans
    /// with limits, each in a random tier mode (`unstated` included), an unpublished band,
    /// add-ons bought always, above a usage threshold or for a gated feature (each with its
    /// own charge on MAU), another currency, a discount, with and without estimates. The
    /// counts come in a random order with repeats, so its cached eligibility and charge parts
    /// are exercised when thresholds are crossed either way.
    #[test]
    fn curve_pricer_equals_recurring_totals(
        plans in arb_plans(),
        addon in prop::option::of(0i64..20_000),
        modes in prop::collection::vec(0usize..3, 4),
        threshold in prop::option::of((1u64..60, 0i64..5_000, 1i64..300, prop::option::of(0usize..4))),
        annual in prop::option::of((0usize..4, 0i64..150_000)),
        annual_cycle: bool,
        gated: bool,
        unpublished in prop::option::of(0usize..4),
        fx in prop::option::of(1i64..30_000),
        discount in fraction(10_000),
        use_estimates: bool,
        counts in prop::collection::vec(0u64..90, 1..60),
    ) {
        let mut p = random_provider(&plans, addon);
        for (plan, mode) in p.pricing.plans.iter_mut().zip(&modes) {
            plan.charges[0].mode = Some([TierMode::Graduated, TierMode::Volume, TierMode::Unstated][*mode]);
        }
        if let Some(i) = unpublished {
            let tiers = p.pricing.plans[0].charges[0].tiers.as_mut().unwrap();
            let k = i % tiers.len();
            tiers[k].unit_price = Price::Unpublished { reason: crate::model::price::UnknownReason::ContactSales, estimate: Some(crate::model::Estimate::point(Decimal::new(4321, 2))), note: None };
        }
        if let Some((above, fee, per_mau, only)) = threshold {
            // Sold with every plan, or with one plan only.
            let plans = only.map_or(String::new(), |k| format!("plans = [\"plan{}\"]\n", k % p.pricing.plans.len()));
            p.pricing.addons.push(toml::from_str(&format!(
                "id = \"busy\"\nfee = \"{}\"\n{plans}required_above = {{ directory_connections = {above} }}\n\n[[charges]]\nmeter = \"mau\"\nunit_price = \"{}\"\n",
                Decimal::new(fee, 2),
                Decimal::new(per_mau, 4),
            )).unwrap());
        }
        if let Some((k, fee)) = annual {
            // A plan billed at another monthly equivalent when paid yearly.
            let k = k % p.pricing.plans.len();
            p.pricing.plans[k].annual_base_fee = Some(Price::Known(Decimal::new(fee, 2)));
        }
        let cycle = if annual_cycle { "annual" } else { "monthly" };
        let mut needs = String::new();
        if gated {
            // Only the last plan maps roles; the others buy it as an add-on of unpublished fee.
            p.features = provider("[features.scim]\nstatus = \"ga\"\n\n[features.role_mapping]\nstatus = \"ga\"\n").features;
            let last = p.pricing.plans.len() - 1;
            p.pricing.plans[last].features.push("role_mapping".into());
            p.pricing.addons.push(toml::from_str("id = \"roles\"\nfee = \"contact_sales\"\nfeatures = [\"role_mapping\"]\n").unwrap());
            needs = "\n[needs]\nrole_mapping = \"required\"\n".into();
        }
        let rate = match fx {
            Some(r) => {
                p.currency = "EUR".into();
                format!("exchange_rates = {{ EUR = \"{}\" }}\n", Decimal::new(r, 4))
            }
            None => String::new(),
        };
        let s = scenario(&format!("{rate}\n[usage]\nseats = 37\nactive_share = 0.3\n\n[billing]\ncycle = \"{cycle}\"\ndiscounts = {{ p = \"{discount}\" }}\nuse_estimates = {use_estimates}\n{needs}"));
        let cx = QuoteContext::new(&p, &s);
        let mut pricer = CurvePricer::new(&cx);
        for n in counts {
            let expected = CurvePoint::from(&recurring_total(&cx.totals(), cx.meters(n), 1).unwrap());
            prop_assert_eq!(pricer.point(&cx.meters(n)).unwrap(), expected, "at {}", n);
        }
    }

    /// Every crossover reported is a real flip: at `at` both costs are known and in the new
    /// order, and the last earlier count where they were known and not tied had the opposite
    /// order. And every such flip is reported.
    #[test]
    fn crossovers_are_where_the_order_flips(series in prop::collection::vec(prop::collection::vec(prop::option::weighted(0.85, 0i64..40), 1..40), 2..4)) {
        let named: Vec<(String, Vec<Option<Money>>)> = series.iter().enumerate()
            .map(|(i, s)| (format!("p{i}"), s.iter().map(|v| v.map(|x| Money(Decimal::from(x)))).collect()))
            .collect();
        let found = crossovers(&named, &|n| u32::try_from(n * 10).ok());
        let mut expected = Vec::new();
        for (i, (a, ca)) in named.iter().enumerate() {
            for (b, cb) in &named[i + 1..] {
                let mut last = std::cmp::Ordering::Equal;
                for (k, (x, y)) in ca.iter().zip(cb).enumerate() {
                    let (Some(x), Some(y)) = (x, y) else { continue };
                    let now = x.cmp(y);
                    if now.is_eq() { continue; }
                    if !last.is_eq() && now != last {
                        let (c, dd) = if now.is_lt() { (a, b) } else { (b, a) };
                        expected.push((k as u64 + 1, c.clone(), dd.clone()));
                    }
                    last = now;
                }
            }
        }
        let mut got: Vec<_> = found.iter().map(|x| (x.at, x.now_cheaper.clone(), x.now_dearer.clone())).collect();
        got.sort();
        expected.sort();
        prop_assert_eq!(&got, &expected);
        let cost = |name: &str, at: u64| named.iter().find(|(n, _)| n == name).unwrap().1[(at - 1) as usize];
        for x in &found {
            prop_assert_eq!(x.month, Some((x.at * 10) as u32));
            prop_assert_eq!(Some(x.cheaper_cost), cost(&x.now_cheaper, x.at));
            prop_assert_eq!(Some(x.dearer_cost), cost(&x.now_dearer, x.at));
            prop_assert!(x.cheaper_cost < x.dearer_cost);
            // The neighbour before: the last earlier count with both known and not tied.
            let before = (1..x.at).rev().find_map(|k| match (cost(&x.now_cheaper, k), cost(&x.now_dearer, k)) {
                (Some(c), Some(dd)) if c != dd => Some((c, dd)),
                _ => None,
            });
            let (c, dd) = before.expect("a flip has an earlier, opposite order");
            prop_assert!(c > dd, "not a flip at {}", x.at);
        }
    }

    /// Cheapest bands cover 1..=n contiguously, adjacent bands differ, and each count's band
    /// names exactly the providers at the minimum known cost (unknown and unavailable costs
    /// are never compared).
    #[test]
    fn cheapest_bands_pick_the_minimum(curves in prop::collection::vec(prop::collection::vec(0u8..12, 1..30), 1..4)) {
        let to_cost = |v: u8| match v {
            10 => CostValue::AtLeast { floor: Money::ZERO, unknown: vec!["x".into()] },
            11 => CostValue::Unavailable { reason: "y".into() },
            v => CostValue::known(Money(Decimal::from(v))),
        };
        let curves: Vec<Curve> = curves.iter().enumerate().map(|(i, c)| Curve { provider: format!("p{i}"), costs: c.iter().map(|&v| CurvePoint::from(&to_cost(v))).collect() }).collect();
        let len = curves.iter().map(|c| c.costs.len()).max().unwrap() as u64;
        let bands = cheapest_bands(&curves);
        prop_assert_eq!(bands.first().unwrap().from, 1);
        prop_assert_eq!(bands.last().unwrap().to, len);
        for w in bands.windows(2) {
            prop_assert_eq!(w[1].from, w[0].to + 1);
            prop_assert_ne!(&w[0].cheapest, &w[1].cheapest);
        }
        for n in 1..=len {
            let band = bands.iter().find(|b| b.from <= n && n <= b.to).unwrap();
            let known: Vec<(&str, Money)> = curves.iter().filter_map(|c| c.costs.get((n - 1) as usize).and_then(CurvePoint::amount).map(|a| (c.provider.as_str(), a))).collect();
            let min = known.iter().map(|k| k.1).min();
            let expected: Vec<String> = known.iter().filter(|k| Some(k.1) == min).map(|k| k.0.to_owned()).collect();
            prop_assert_eq!(&band.cheapest, &expected, "at {}", n);
        }
    }

    /// Customers per month: the curve rounded half away from zero, never negative.
    #[test]
    fn customers_are_the_rounded_curve(start in 0.0f64..5000.0, rate in -0.5f64..0.5, month in 1u32..120) {
        let c = GrowthCurve::Compound { start, rate, cap: None };
        let raw = c.raw(month);
        let n = c.customers(month);
        prop_assert_eq!(n, (raw.round().max(0.0) as u64).min(super::growth::MAX_CUSTOMERS));
        if raw < super::growth::MAX_CUSTOMERS as f64 {
            prop_assert!((n as f64 - raw).abs() <= 0.5 + 1e-9);
        }
    }
}

#[test]
fn annual_contact_sales_fee_does_not_count_as_published() {
    // Annual billing. Plan `a` charges a contact-sales annual fee (its monthly `base_fee` of
    // 100 is not used); plan `b` publishes 500 + 10 × 1 (units 11–20 unpriced) = at least 510.
    // Both are partly unknown, and only `b`'s own fee *as billed in this cycle* is published,
    // so `b` is chosen (a regression test: the rule once looked at `a.base_fee`).
    let p = provider(
        r#"
[features.scim]
status = "ga"

[[pricing.plans]]
id = "a"
base_fee = "100"
annual_base_fee = "contact_sales"
features = ["scim"]

[[pricing.plans]]
id = "b"
base_fee = "500"
features = ["scim"]

[[pricing.plans.charges]]
meter = "directory_connections"
mode = "graduated"
tiers = [{ up_to = 10, unit_price = "1" }]
"#,
    );
    let q = quote_at(&p, &scenario("[billing]\ncycle = \"annual\"\n"), 20);
    assert_eq!(q.plan.as_deref(), Some("b"));
    assert_eq!(q.recurring.display("USD"), "≥ $510.00 + unknown");
}

// ---------------------------------------------------------------------------------------------
// Charge explanations and band bookkeeping, by hand (mutation testing, issue 18)
// ---------------------------------------------------------------------------------------------

fn charge_of(body: &str) -> Charge {
    toml::from_str(&format!("meter = \"directory_connections\"\n{body}"))
        .unwrap_or_else(|e| panic!("charge TOML does not parse: {e}\n{body}"))
}

const UNIT: &str = "directory connection";

/// Beyond the last bounded band, with 5 included, tiers 1–10 at $5 and 11–20 at $3, at 25:
/// - graduated: 5 × $5 (units 6–10) + 10 × $3 (11–20) = $55, and units 21–25 (5) unpriced;
/// - volume: 25 is in no band, so all 25 − 5 = 20 billable units are unpriced.
///
/// Band starts (`from`, 1-based) are 1, 11 and 21 in graduated mode and 21 in volume mode.
#[test]
fn past_the_last_band_the_unknown_quantity_is_right_in_both_modes() {
    let tiers = "included = 5\ntiers = [{ up_to = 10, unit_price = \"5\" }, { up_to = 20, unit_price = \"3\" }]";
    let g = evaluate(
        &charge_of(&format!("mode = \"graduated\"\n{tiers}")),
        25,
        false,
    )
    .unwrap();
    assert_eq!(
        g.explain("USD", UNIT),
        "25 directory connections, first 5 included: 5 × $5.00 + 10 × $3.00 + 5 × price unknown = ≥ $55.00 + price unknown"
    );
    assert_eq!(
        g.bands.iter().map(|b| b.from).collect::<Vec<_>>(),
        [1, 11, 21]
    );
    let v = evaluate(
        &charge_of(&format!("mode = \"volume\"\n{tiers}")),
        25,
        false,
    )
    .unwrap();
    assert_eq!(
        v.explain("USD", UNIT),
        "25 directory connections, first 5 included: 20 × price unknown = price unknown"
    );
    assert_eq!(v.bands.iter().map(|b| b.from).collect::<Vec<_>>(), [21]);
    // Inside the schedule, volume prices every billable unit in the band the total falls
    // in: 15 → band 11–20, (15 − 5) × $3 = $30.
    let v15 = evaluate(
        &charge_of(&format!("mode = \"volume\"\n{tiers}")),
        15,
        false,
    )
    .unwrap();
    assert_eq!(v15.bands.iter().map(|b| b.from).collect::<Vec<_>>(), [11]);
    assert_eq!(v15.amount, usd("30"));
    // A single rate after an allowance starts at the first unit above it.
    let single = evaluate(&charge_of("included = 5\nunit_price = \"2\""), 8, false).unwrap();
    assert_eq!(single.bands.iter().map(|b| b.from).collect::<Vec<_>>(), [6]);
}

/// The allowance wording: all of a quantity within it, part of it, and no allowance at all.
#[test]
fn allowance_wording_by_hand() {
    let c = charge_of("included = 5\nunit_price = \"2\"");
    let text = |c: &Charge, n: u64| evaluate(c, n, false).unwrap().explain("USD", UNIT);
    assert_eq!(
        text(&c, 5),
        "5 directory connections, all within the allowance: $0.00"
    );
    assert_eq!(
        text(&c, 3),
        "3 directory connections, all within the allowance: $0.00"
    );
    // 7 − 5 = 2 billable units × $2 = $4.
    assert_eq!(
        text(&c, 7),
        "7 directory connections, first 5 included: 2 × $2.00 = $4.00"
    );
    let none = charge_of("unit_price = \"2\"");
    assert_eq!(text(&none, 0), "0 directory connections: $0.00");
    assert_eq!(text(&none, 1), "1 directory connection: 1 × $2.00 = $2.00");
}

/// Flat fees in the explanation: a known $0 flat fee is not shown; an estimated one is
/// labelled; an unpublished one is named, and makes the total "at least".
#[test]
fn flat_fees_are_explained_by_kind() {
    let zero =
        charge_of("mode = \"graduated\"\ntiers = [{ unit_price = \"1\", flat_fee = \"0\" }]");
    assert_eq!(
        evaluate(&zero, 3, false).unwrap().explain("USD", UNIT),
        "3 directory connections: 3 × $1.00 = $3.00"
    );
    let estimated = charge_of(
        "mode = \"graduated\"\ntiers = [{ unit_price = \"1\", flat_fee = { status = \"unknown\", estimate = \"30\" } }]",
    );
    // 10 × $1 + $30 (estimate) = $40.
    assert_eq!(
        evaluate(&estimated, 10, true).unwrap().explain("USD", UNIT),
        "10 directory connections: 10 × $1.00 + $30.00 flat (estimate) = $40.00"
    );
    let unpublished = charge_of(
        "mode = \"graduated\"\ntiers = [{ unit_price = \"1\", flat_fee = \"contact_sales\" }]",
    );
    assert_eq!(
        evaluate(&unpublished, 10, false)
            .unwrap()
            .explain("USD", UNIT),
        "10 directory connections: 10 × $1.00 + flat fee contact sales = ≥ $10.00 + contact sales"
    );
}

/// Partial costs and the unstated-mode label. Tiers 1–10 at $10, 11+ at $5, unstated, at 20:
/// graduated 10 × $10 + 10 × $5 = $150; volume 20 × $5 = $100 → "at least" the lower, volume.
/// With the top band bounded at 20 and 25 units, both modes have unpriced units:
/// graduated ≥ $150 (units 21–25 unpriced), volume ≥ $0 (all 25 unpriced) → volume is lower,
/// and its floor of 0 reads "unknown", never "≥ $0.00"; the label also names the units past
/// the last band ("21+ price unknown"), since the mode is not the only thing to ask. With a
/// contact-sales first band, each mode names it once.
/// On a tie (both $0, the first band unpublished) the graduated reading is kept.
#[test]
fn unstated_modes_are_labelled_and_partial() {
    let open = charge_of(
        "mode = \"unstated\"\ntiers = [{ up_to = 10, unit_price = \"10\" }, { unit_price = \"5\" }]",
    );
    let c = evaluate(&open, 20, false).unwrap();
    assert!(c.is_partial());
    assert_eq!(c.mode, TierMode::Volume);
    assert_eq!(
        c.unknown_label("USD").as_deref(),
        Some("tier mode unstated (volume $100.00, graduated $150.00)")
    );
    // Within the first band both modes agree: exact, not partial.
    let within = evaluate(&open, 4, false).unwrap();
    assert!(!within.is_partial());
    assert_eq!(within.amount, usd("40"));

    let bounded = charge_of(
        "mode = \"unstated\"\ntiers = [{ up_to = 10, unit_price = \"10\" }, { up_to = 20, unit_price = \"5\" }]",
    );
    let c = evaluate(&bounded, 25, false).unwrap();
    assert_eq!(
        c.unknown_label("USD").as_deref(),
        Some(
            "tier mode unstated (volume unknown, graduated ≥ $150.00); unpriced: 21+ price unknown"
        )
    );

    let tie = charge_of(
        "mode = \"unstated\"\ntiers = [{ up_to = 10, unit_price = \"contact_sales\" }, { unit_price = \"5\" }]",
    );
    let c = evaluate(&tie, 5, false).unwrap();
    assert_eq!(c.mode, TierMode::Graduated);
    assert_eq!(c.unstated.as_ref().map(|o| o.mode), Some(TierMode::Volume));
    assert_eq!(
        c.unknown_label("USD").as_deref(),
        Some(
            "tier mode unstated (graduated unknown, volume unknown); unpriced: 1–10 contact sales"
        )
    );

    // A fully published stated charge is not partial; an unpriced band makes it partial.
    let known = evaluate(&charge_of("unit_price = \"2\""), 3, false).unwrap();
    assert!(!known.is_partial());
    let gap = evaluate(&charge_of("unit_price = \"contact_sales\""), 3, false).unwrap();
    assert!(gap.is_partial());
}

// ------------------------------------------------------------------ mutation-testing cases

#[test]
fn curve_min_ignores_months_with_no_customers() {
    // Points growth 0, 0, 40, 50 (months 1–4) and a milestone of 100: the months with 0
    // customers are not a customer count to compare from, so the curve starts at 40 (the
    // smallest positive count), not at 1.
    let (flat, per) = flat_and_per_connection();
    let s = scenario_over(
        4,
        "milestones = [100]\n\n[growth]\nkind = \"points\"\npoints = [{ month = 2, customers = 0 }, { month = 3, customers = 40 }, { month = 4, customers = 50 }]\n",
    );
    let sp = project_scenario(&[&flat, &per], &s).unwrap();
    assert_eq!(sp.customers, vec![0, 0, 40, 50]);
    assert_eq!(sp.curve_min, 40);
    assert_eq!(sp.curve_max, 100);
}

#[test]
fn project_catalog_equals_each_scenario_projected_alone() {
    // The parallel projection of every scenario gives, per scenario, the same projections in
    // provider order as the serial one.
    let (flat, per) = flat_and_per_connection();
    let scenarios = vec![
        scenario_over(3, "[growth]\nkind = \"linear\"\nstart = 10\nend = 60\n"),
        scenario_over(2, ""),
        scenario_over(4, "[growth]\nkind = \"constant\"\ncustomers = 34\n"),
    ];
    let all = super::analysis::project_catalog(&[&flat, &per], &scenarios).unwrap();
    assert_eq!(all.len(), 3);
    for (s, projections) in scenarios.iter().zip(&all) {
        let alone = project_scenario(&[&flat, &per], s).unwrap();
        assert_eq!(projections.len(), 2);
        for (a, b) in projections.iter().zip(&alone.projections) {
            assert_eq!(a.provider, b.provider);
            assert_eq!(a.months.len(), b.months.len());
            for (x, y) in a.months.iter().zip(&b.months) {
                assert_eq!(x.cumulative, y.cumulative);
            }
        }
    }
    // 34 customers for 4 months: flat 4 × 1,000; per 4 × 30 × 34 = 4,080.
    assert_eq!(
        all[2][0].months[3].cumulative,
        CostValue::known(usd("4000"))
    );
    assert_eq!(
        all[2][1].months[3].cumulative,
        CostValue::known(usd("4080"))
    );
}

#[test]
fn a_crossover_at_the_second_position_counts_the_first() {
    // a = 1, 3; b = 2, 2. At position 1 a is cheaper; at 2 b is (2 < 3): one crossover at
    // position 2, where b becomes cheaper than a, comparing 2 with 3. Counting starts at
    // position `from` = 1, so position 1 sets the order the flip is measured against.
    let series = vec![
        ("a".to_owned(), vec![Some(usd("1")), Some(usd("3"))]),
        ("b".to_owned(), vec![Some(usd("2")), Some(usd("2"))]),
    ];
    let xs = super::crossover::crossovers_from(&series, 1, &|at| u32::try_from(at).ok());
    assert_eq!(xs.len(), 1);
    let x = &xs[0];
    assert_eq!(
        (x.now_cheaper.as_str(), x.now_dearer.as_str(), x.at, x.month),
        ("b", "a", 2, Some(2))
    );
    assert_eq!((x.cheaper_cost, x.dearer_cost), (usd("2"), usd("3")));
    // From position 2 on there is nothing before the flip to compare with: no crossover.
    assert!(super::crossover::crossovers_from(&series, 2, &|_| None).is_empty());
}

#[test]
fn line_kinds_have_their_documented_keys() {
    use super::line_item::LineKind;
    let keys: Vec<&str> = [
        LineKind::BaseFee,
        LineKind::Charge,
        LineKind::AddOnFee,
        LineKind::AddOnCharge,
        LineKind::Discount,
        LineKind::Escalator,
        LineKind::Recurring,
        LineKind::OneTime,
    ]
    .map(LineKind::as_str)
    .to_vec();
    assert_eq!(
        keys,
        [
            "base_fee",
            "charge",
            "addon_fee",
            "addon_charge",
            "discount",
            "escalator",
            "recurring",
            "one_time"
        ]
    );
}

#[test]
fn line_status_names_what_the_amount_is() {
    use super::line_item::{LineItem, LineKind};
    let item =
        |amount: Option<&str>, unknown: Option<&str>, estimate: bool, quote: bool| LineItem {
            kind: LineKind::Charge,
            label: "l".into(),
            amount: amount.map(usd),
            unknown: unknown.map(str::to_owned),
            estimate,
            quote,
            explanation: String::new(),
            source: None,
        };
    // Priced in full: exact, or labelled as an estimate or a quote (an estimate wins).
    assert_eq!(item(Some("5"), None, false, false).status(), "exact");
    assert_eq!(item(Some("5"), None, true, false).status(), "estimate");
    assert_eq!(item(Some("5"), None, false, true).status(), "quote");
    assert_eq!(item(Some("5"), None, true, true).status(), "estimate");
    // Partly or not priced: never "exact", whatever the labels.
    assert_eq!(
        item(Some("5"), Some("x"), false, false).status(),
        "at_least"
    );
    assert_eq!(item(None, Some("x"), true, false).status(), "unknown");
}

/// The cheapest bands as first defined: at each count, every curve with a known cost
/// compared at once.
fn bands_by_definition(curves: &[Curve], from: u64) -> Vec<super::crossover::Band> {
    let len = curves.iter().map(|c| c.costs.len()).max().unwrap_or(0);
    let mut bands: Vec<super::crossover::Band> = Vec::new();
    for i in usize::try_from(from.max(1) - 1).unwrap()..len {
        let known: Vec<(&str, Money)> = curves
            .iter()
            .filter_map(|c| c.costs.get(i)?.amount().map(|a| (c.provider.as_str(), a)))
            .collect();
        let min = known.iter().map(|(_, a)| *a).min();
        let cheapest: Vec<String> = known
            .iter()
            .filter(|(_, a)| Some(*a) == min)
            .map(|(p, _)| (*p).to_owned())
            .collect();
        let n = i as u64 + 1;
        match bands.last_mut() {
            Some(b) if b.cheapest == cheapest => b.to = n,
            _ => bands.push(super::crossover::Band {
                from: n,
                to: n,
                cheapest,
            }),
        }
    }
    bands
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// Bands and crossovers taken one curve at a time (as `project` does over 10,000
    /// providers, dropping each curve) equal those computed over all curves at once: ties
    /// (small integer costs make many), unknown and unavailable points, curves of different
    /// lengths, and more series than the crossover cap.
    #[test]
    fn streamed_bands_and_crossovers_equal_the_whole(
        raw in proptest::collection::vec(
            proptest::collection::vec(proptest::option::weighted(0.8, 0u8..5), 1..12),
            0..40,
        ),
        from in 1u64..4,
    ) {
        let curves: Vec<Curve> = raw
            .iter()
            .enumerate()
            .map(|(i, c)| Curve {
                provider: format!("p{:02}", 39 - i),
                costs: c
                    .iter()
                    .map(|v| match v {
                        Some(x) if x % 4 == 3 => CurvePoint::AtLeast(Money(Decimal::from(*x))),
                        Some(x) => CurvePoint::Known(Money(Decimal::from(*x))),
                        None => CurvePoint::Unavailable,
                    })
                    .collect(),
            })
            .collect();
        let mut tally = super::crossover::BandTally::new(from);
        let mut cands = super::crossover::CandidateSeries::default();
        let series: Vec<super::crossover::Series> = curves
            .iter()
            .map(|c| (c.provider.clone(), c.costs.iter().map(CurvePoint::amount).collect()))
            .collect();
        for (c, s) in curves.iter().zip(&series) {
            tally.offer(c);
            cands.offer(s.clone());
        }
        prop_assert_eq!(tally.finish(), bands_by_definition(&curves, from));
        let month_of = |n: u64| u32::try_from(n).ok();
        prop_assert_eq!(
            cands.crossovers(from, &month_of),
            super::crossover::crossovers_from(&series, from, &month_of)
        );
    }
}

/// On a catalog larger than a chunk (64 providers per thread) and than the crossover cap (20
/// series), the streamed projection `project` uses (2 threads, nothing kept) gives the same
/// bands, crossovers and per-provider totals, in order, as the whole projection on one thread.
#[test]
fn streamed_projection_of_a_large_catalog_equals_the_whole() {
    let catalog = crate::synthetic::catalog(300, 1, 24, 7).expect("the synthetic catalog loads");
    let providers: Vec<&Provider> = catalog.providers.iter().collect();
    let s = &catalog.scenarios[0];
    let whole = project_scenario(&providers, s).unwrap();
    // Four bands of cheapest providers (synthetic catalogs cross rarely; the property test
    // `streamed_bands_and_crossovers_equal_the_whole` covers crossovers past the cap).
    assert_eq!(whole.bands.len(), 4);
    assert_streamed_equals(&whole, &providers, s);
}

/// Keeping nothing (as `project` does, on 2 threads): each projection is shown once, in
/// provider order, with the same horizon totals as `whole`, nothing is kept, and the bands and
/// crossovers do not change.
fn assert_streamed_equals(
    whole: &super::analysis::ScenarioProjection,
    providers: &[&Provider],
    s: &Scenario,
) {
    let keep = super::analysis::Keep {
        lines: false,
        curves: false,
        months: false,
    };
    let mut seen = Vec::new();
    let lean = super::analysis::project_scenario_with(providers, s, keep, 2, &mut |p| {
        seen.push((p.provider.clone(), p.horizon_total().cloned()));
    })
    .unwrap();
    assert!(lean.projections.is_empty() && lean.curves.is_empty());
    assert_eq!(whole.bands, lean.bands, "{}", s.id());
    assert_eq!(whole.crossovers, lean.crossovers);
    assert_eq!(whole.cumulative_crossovers, lean.cumulative_crossovers);
    let expected: Vec<_> = whole
        .projections
        .iter()
        .map(|p| (p.provider.clone(), p.horizon_total().cloned()))
        .collect();
    assert_eq!(seen, expected);
}
