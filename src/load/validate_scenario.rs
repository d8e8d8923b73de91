//! Semantic checks of a scenario file.

use super::context::Ctx;
use super::diagnostic::{Diagnostic, Diagnostics};
use super::key_path::KeyPath;
use super::source_file::SourceFile;
use super::suggest::help_for;
use crate::cost::growth::{GrowthCurve, MAX_CUSTOMERS};
use crate::model::range::Scalar;
use crate::model::scenario::{MAX_HORIZON_MONTHS, MAX_MILESTONES};
use crate::model::{Feature, Idp, Ranged, Scenario};
use rust_decimal::Decimal;

/// Runs every scenario check and records what it finds.
pub(super) fn validate(s: &Scenario, files: &[SourceFile], index: usize, diags: &mut Diagnostics) {
    let mut cx = Ctx::new(files, index, diags);
    let root = KeyPath::root();

    cx.check_id_matches_file("scenarios", "scenario", s.id());
    if s.horizon_months == 0 || s.horizon_months > MAX_HORIZON_MONTHS {
        cx.push(
            &root.key("horizon_months"),
            Diagnostic::error(format!(
                "horizon of {} months is out of range",
                s.horizon_months
            ))
            .expected(format!("1 to {MAX_HORIZON_MONTHS} months"))
            .help(if s.horizon_months == 0 {
                "a projection needs at least one month: `horizon_months = 36` projects three years"
            } else {
                "projections beyond 50 years say nothing about vendor prices"
            }),
        );
    }
    if let Some(c) = &s.currency
        && !(c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()))
    {
        cx.push(
            &root.key("currency"),
            Diagnostic::error(format!("`{c}` is not an ISO 4217 currency code"))
                .expected("three upper-case letters such as `USD`"),
        );
    }
    for (code, rate) in &s.exchange_rates {
        if rate.0 <= Decimal::ZERO {
            cx.push(
                &root.key("exchange_rates").key(code),
                Diagnostic::error(format!(
                    "exchange rate `{}` for `{code}` is not positive",
                    rate.0
                ))
                .expected("a rate greater than 0"),
            );
        }
    }
    if let Some(ms) = &s.milestones {
        let path = root.key("milestones");
        if ms.is_empty() {
            cx.push(
                &path,
                Diagnostic::error("`milestones` is empty")
                    .expected("at least one customer count, e.g. `[100, 1000]`"),
            );
        }
        if ms.len() > MAX_MILESTONES {
            cx.push(
                &path,
                Diagnostic::error(format!("`milestones` has {} counts", ms.len()))
                    .expected(format!("at most {MAX_MILESTONES} customer counts (each is a column of every cost table)")),
            );
        }
        // One error, not a million: too many counts are not checked one by one.
        for (i, m) in ms.iter().enumerate().take(MAX_MILESTONES) {
            if *m == 0 || *m > MAX_CUSTOMERS {
                cx.push(
                    &path.index(i),
                    Diagnostic::error(format!("milestone `{m}` is out of range"))
                        .expected(format!("1 to {MAX_CUSTOMERS} customers")),
                );
            }
            if i > 0 && *m <= ms[i - 1] {
                cx.push(
                    &path.index(i),
                    Diagnostic::error(format!(
                        "milestones are not ascending: `{m}` follows `{}`",
                        ms[i - 1]
                    ))
                    .expected("strictly ascending customer counts"),
                );
            }
        }
    }

    // Growth: build the curve, which checks the keys each kind needs, then evaluate it over
    // the horizon to catch negative or exploding counts.
    let gpath = root.key("growth");
    match GrowthCurve::from_spec(&s.growth, s.horizon_months) {
        Err(problems) => {
            for (key, message, expected) in problems {
                let path = if key.is_empty() {
                    gpath.clone()
                } else {
                    gpath.key(&key)
                };
                cx.push(&path, Diagnostic::error(message).expected(expected));
            }
        }
        Ok(curve) if s.horizon_months > 0 && s.horizon_months <= MAX_HORIZON_MONTHS => {
            for month in 1..=s.horizon_months {
                let raw = curve.raw(month);
                // A curve that overflows f64 (e.g. `start = 0` with a huge `monthly_rate`
                // gives 0 × ∞ = NaN) is not "negative": say what it is.
                if !raw.is_finite() {
                    cx.push(
                        &gpath,
                        Diagnostic::error(format!(
                            "growth is not a finite number in month {month} ({raw} customers)"
                        ))
                        .expected(format!(
                            "a customer count from 0 to {MAX_CUSTOMERS} in every month"
                        ))
                        .help("lower `monthly_rate` or `steepness`; the curve overflows"),
                    );
                    break;
                }
                if raw < -0.5 {
                    cx.push(
                        &gpath,
                        Diagnostic::error(format!(
                            "growth goes negative: {raw:.1} customers in month {month}"
                        ))
                        .expected("a customer count of 0 or more in every month")
                        .help("check `start`, `end`, `monthly_rate` and `points`"),
                    );
                    break;
                }
                if raw > MAX_CUSTOMERS as f64 {
                    cx.push(
                        &gpath,
                        Diagnostic::error(format!(
                            "growth exceeds {MAX_CUSTOMERS} customers in month {month}"
                        ))
                        .expected(format!("at most {MAX_CUSTOMERS} customers"))
                        .help("add a `cap`, lower `monthly_rate`, or shorten `horizon_months`"),
                    );
                    break;
                }
            }
        }
        Ok(_) => {}
    }

    // Usage.
    let u = &s.usage;
    let upath = root.key("usage");
    for (key, v, max) in [
        ("directory_connections", u.directory_connections, 1e4),
        ("sso_connections", u.sso_connections, 1e4),
        ("other_mau", u.other_mau, 1e11),
        ("organizations", u.organizations, 1e4),
        ("api_requests", u.api_requests, 1e12),
    ] {
        if !v.is_finite() || v < 0.0 || v > max {
            cx.push(
                &upath.key(key),
                Diagnostic::error(format!("`{key}` = {v} is out of range"))
                    .expected(format!("a number from 0 to {max}")),
            );
        }
    }
    check_range(
        &mut cx,
        &upath.key("seats"),
        &u.seats,
        0.0,
        1e7,
        "a number from 0 to 10000000",
    );
    check_range(
        &mut cx,
        &upath.key("active_share"),
        &u.active_share,
        0.0,
        1.0,
        "a share from 0 to 1",
    );
    // A point `end` is checked with the growth curve; only a range's bounds are checked here.
    if let Some(end) = s.growth.end.as_ref().filter(|r| !r.is_point()) {
        check_range(
            &mut cx,
            &root.key("growth").key("end"),
            end,
            0.0,
            MAX_CUSTOMERS as f64,
            "a customer count of 0 or more",
        );
    }

    // Needs and IdPs.
    for key in s.needs.keys() {
        if Feature::from_key(key).is_none() {
            cx.push_key(
                &root.key("needs").key(key),
                Diagnostic::error(format!("unknown feature `{key}`"))
                    .expected("a feature name")
                    .help(help_for(key, Feature::ALL.iter().map(|f| f.as_str()))),
            );
        }
    }
    let mut share_sum = 0.0;
    for (key, share) in &s.idps {
        let path = root.key("idps").key(key);
        if !Idp::ALL.iter().any(|i| i.as_str() == key) {
            cx.push_key(
                &path,
                Diagnostic::error(format!("unknown IdP `{key}`"))
                    .expected("an IdP name")
                    .help(help_for(key, Idp::ALL.iter().map(|i| i.as_str()))),
            );
        }
        if !share.is_finite() || *share < 0.0 {
            cx.push(
                &path,
                Diagnostic::error(format!("IdP share `{share}` is not a non-negative number"))
                    .expected("a share of 0 or more"),
            );
        } else {
            share_sum += share;
        }
    }
    if !s.idps.is_empty() && share_sum <= 0.0 {
        cx.push(
            &root.key("idps"),
            Diagnostic::error("IdP shares are all zero")
                .expected("at least one positive share")
                .help("shares are normalised to sum to 1"),
        );
    }

    // Team.
    let t = &s.team;
    if !(0.0..=1.0).contains(&t.beta_credit) {
        cx.push(
            &root.key("team").key("beta_credit"),
            Diagnostic::error(format!("`beta_credit` = {} is out of range", t.beta_credit))
                .expected("a number from 0 to 1"),
        );
    }
    cx.check_languages(&root.key("team").key("sdk_languages"), &t.sdk_languages);

    // Weights.
    let wpath = root.key("weights");
    let names = [
        "ease",
        "features",
        "pricing",
        "integration",
        "prerequisites",
    ];
    let raw = s.weights.raw();
    let mut bad = false;
    for (name, w) in names.iter().zip(raw) {
        if w.is_nan() || w < 0.0 || w.is_infinite() {
            bad = true;
            cx.push(
                &wpath.key(name),
                Diagnostic::error(format!("weight `{name}` = {w} is invalid"))
                    .expected("a finite number of 0 or more")
                    .help("weights are relative; they are normalised to sum to 1"),
            );
        }
    }
    if !bad && raw.iter().sum::<f64>() <= 0.0 {
        cx.push(
            &wpath,
            Diagnostic::error("all weights are zero")
                .expected("at least one positive weight")
                .help("remove `[weights]` to weight the five axes equally"),
        );
    }

    // Billing, budget, engineering.
    let bpath = root.key("billing");
    if let Some(e) = s.billing.escalator
        && (e.0 < Decimal::ZERO || e.0 > Decimal::ONE)
    {
        cx.push(
            &bpath.key("escalator"),
            Diagnostic::error(format!("escalator `{}` is out of range", e.0))
                .expected("a yearly fraction from 0 to 1 (`0.05` = 5 %)"),
        );
    }
    for (id, d) in &s.billing.discounts {
        check_range(
            &mut cx,
            &bpath.key("discounts").key(id),
            d,
            Decimal::ZERO,
            Decimal::ONE,
            "a fraction from 0 to 1 (`0.1` = 10 % off)",
        );
    }
    if let Some(a) = s.budget.anchor_per_customer
        && a.0 <= Decimal::ZERO
    {
        cx.push(
            &root.key("budget").key("anchor_per_customer"),
            Diagnostic::error(format!("budget anchor `{}` is not positive", a.0))
                .expected("a monthly cost per customer greater than 0"),
        );
    }
    if let Some(r) = &s.engineering.hourly_rate {
        check_range(
            &mut cx,
            &root.key("engineering").key("hourly_rate"),
            r,
            Decimal::ZERO,
            Decimal::from(1_000_000_000u64),
            "a rate from 0 to 1,000,000,000",
        );
    }
}

/// Checks a number that may be a range: every bound within `[min, max]`, and
/// `low ≤ likely ≤ high`.
pub(super) fn check_range<T: Scalar>(
    cx: &mut Ctx<'_>,
    path: &KeyPath,
    r: &Ranged<T>,
    min: T,
    max: T,
    expected: &str,
) {
    for (what, v) in [("low", r.low), ("likely", r.likely), ("high", r.high)] {
        if !(v >= min && v <= max && v.to_float().is_finite()) {
            let path = if r.is_point() {
                path.clone()
            } else {
                path.key(what)
            };
            let name = path.to_string();
            cx.push(
                &path,
                Diagnostic::error(format!("`{name}` = {v} is out of range")).expected(expected),
            );
            return;
        }
    }
    if !r.is_ordered() {
        cx.push(
            path,
            Diagnostic::error(format!(
                "range `{path}` is not ordered: low {}, likely {}, high {}",
                r.low, r.likely, r.high
            ))
            .expected("`low ≤ likely ≤ high`")
            .help("swap the bounds, or give a single number if the value is certain"),
        );
    }
}
