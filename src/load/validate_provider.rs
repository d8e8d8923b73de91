//! Semantic checks of a provider file, beyond what the types enforce.

use super::context::Ctx;
use super::diagnostic::{Diagnostic, Diagnostics};
use super::key_path::KeyPath;
use super::options::LoadOptions;
use super::source_file::SourceFile;
use super::suggest::help_for;
use crate::model::fact::{ResearchGap, StatusFact, ValueFact};
use crate::model::pricing::{Charge, Meter};
use crate::model::{Feature, Price, Provider, Status};
use std::collections::BTreeSet;

/// Runs every provider check and records what it finds.
pub(super) fn validate(
    p: &Provider,
    files: &[SourceFile],
    index: usize,
    options: LoadOptions,
    diags: &mut Diagnostics,
) {
    let mut cx = Ctx::new(files, index, diags);
    let root = KeyPath::root();

    cx.check_id_matches_file("providers", "provider", p.id());
    if !(p.currency.len() == 3 && p.currency.bytes().all(|b| b.is_ascii_uppercase())) {
        cx.push(
            &root.key("currency"),
            Diagnostic::error(format!("`{}` is not an ISO 4217 currency code", p.currency))
                .expected("three upper-case letters such as `USD`"),
        );
    }
    let age = p.verified.days_until(options.as_of);
    if age > options.max_age_days {
        cx.push(
            &root.key("verified"),
            Diagnostic::warning(format!(
                "`{}` was last verified on {}, {age} days before {} (older than {} days)",
                p.id(),
                p.verified,
                options.as_of,
                options.max_age_days
            ))
            .expected("a recent verification date")
            .help("re-check the sources, update the facts and prices, then set `verified` to the date you checked"),
        );
    } else if age < 0 {
        cx.push(
            &root.key("verified"),
            Diagnostic::warning(format!(
                "`verified` ({}) is after the reference date {}",
                p.verified, options.as_of
            ))
            .expected("a date that is not in the future"),
        );
    }

    // Sources.
    let mut seen = BTreeSet::new();
    for (i, s) in p.sources.iter().enumerate() {
        let path = root.key("sources").index(i);
        if !seen.insert(s.id.as_str()) {
            cx.push(
                &path.key("id"),
                Diagnostic::error(format!("duplicate source id `{}`", s.id))
                    .expected("an id unique within this file"),
            );
        }
        if let Some(fp) = &s.fingerprint
            && !crate::sources::fingerprint::is_well_formed(fp)
        {
            cx.push(
                &path.key("fingerprint"),
                Diagnostic::error(format!("fingerprint `{fp}` is not well formed"))
                    .expected("`sha256:` and 64 lower-case hex digits")
                    .help("let `scimeter sources check --update` write it"),
            );
        }
        if let Some(sel) = &s.selector
            && let Err(e) = crate::sources::fingerprint::parse_selector(sel)
        {
            cx.push(
                &path.key("selector"),
                Diagnostic::error(format!("selector `{sel}` is not a CSS selector: {e}"))
                    .expected("a CSS selector such as `#pricing table` or `main`"),
            );
        }
        if !(s.url.starts_with("https://") || s.url.starts_with("http://")) {
            cx.push(
                &path.key("url"),
                Diagnostic::error(format!("source url `{}` is not an http(s) URL", s.url))
                    .expected("`https://…`"),
            );
        }
    }
    let source_ids: Vec<&str> = p.sources.iter().map(|s| s.id.as_str()).collect();
    let check_ref = |cx: &mut Ctx<'_>, path: KeyPath, source: Option<&str>, needs_source: bool| {
        match source {
        Some(id) if !source_ids.contains(&id) => cx.push(
            &path.key("source"),
            Diagnostic::error(format!("reference to unknown source `{id}`"))
                .expected("the id of a `[[sources]]` entry in this file")
                .help(help_for(id, source_ids.iter().copied())),
        ),
        None if needs_source => cx.push(
            &path,
            Diagnostic::error(format!("fact `{path}` has no source"))
                .expected("`source = \"<id of a [[sources]] entry>\"`")
                .help("every stated fact needs a source; if nobody has confirmed it, write `status = \"unknown\"`"),
        ),
        _ => {}
    }
    };

    let status_facts: [(&[&str], &StatusFact); 17] = [
        (&["ease", "admin_portal"], &p.ease.admin_portal),
        (&["ease", "setup_guides"], &p.ease.setup_guides),
        (&["features", "scim"], &p.features.scim),
        (&["features", "sso"], &p.features.sso),
        (&["features", "provisioning"], &p.features.provisioning),
        (&["features", "deprovisioning"], &p.features.deprovisioning),
        (&["features", "soft_delete"], &p.features.soft_delete),
        (&["features", "groups"], &p.features.groups),
        (&["features", "role_mapping"], &p.features.role_mapping),
        (
            &["features", "custom_attributes"],
            &p.features.custom_attributes,
        ),
        (&["features", "bulk"], &p.features.bulk),
        (&["features", "me"], &p.features.me),
        (&["features", "sorting"], &p.features.sorting),
        (&["features", "search"], &p.features.search),
        (&["integration", "webhooks"], &p.integration.webhooks),
        (&["integration", "events_api"], &p.integration.events_api),
        (
            &["integration", "ordered_delivery"],
            &p.integration.ordered_delivery,
        ),
    ];
    for (keys, fact) in status_facts {
        let path = keys.iter().fold(root.clone(), |acc, k| acc.key(k));
        check_possible(&mut cx, &path, fact);
        check_gap_notes(
            &mut cx,
            &path,
            fact.status != Status::Unknown,
            fact.reason.is_some(),
            fact.searched.is_some(),
        );
        check_ref(
            &mut cx,
            path,
            fact.source_id(),
            fact.status != Status::Unknown,
        );
    }
    for (idp, support) in &p.features.idps {
        let path = root.key("features").key("idps").key(idp.as_str());
        let stated = support.status != Status::Unknown || support.groups != Status::Unknown;
        check_gap_notes(
            &mut cx,
            &path,
            support.status != Status::Unknown,
            support.reason.is_some(),
            support.searched.is_some(),
        );
        check_ref(&mut cx, path, support.source.as_deref(), stated);
    }
    // Value facts: (path, source, whether a value is stated, reason given, searched given).
    let gap = |reason: Option<ResearchGap>, searched: &Option<String>| {
        (reason.is_some(), searched.is_some())
    };
    let value_facts: [ValueFactRow<'_>; 6] = [
        (
            &["ease", "endpoint"],
            p.ease.endpoint.source_id(),
            value_known(&p.ease.endpoint),
            gap(p.ease.endpoint.reason, &p.ease.endpoint.searched),
        ),
        (
            &["ease", "integration_hours"],
            p.ease.integration_hours.source_id(),
            p.ease.integration_hours.value.is_some(),
            gap(
                p.ease.integration_hours.reason,
                &p.ease.integration_hours.searched,
            ),
        ),
        (
            &["integration", "membership"],
            p.integration.membership.source_id(),
            value_known(&p.integration.membership),
            gap(
                p.integration.membership.reason,
                &p.integration.membership.searched,
            ),
        ),
        (
            &["integration", "sdks"],
            p.integration.sdks.source_id(),
            p.integration.sdks.value.is_some(),
            gap(p.integration.sdks.reason, &p.integration.sdks.searched),
        ),
        (
            &["prerequisites", "sso_required"],
            p.prerequisites.sso_required.source_id(),
            value_known(&p.prerequisites.sso_required),
            gap(
                p.prerequisites.sso_required.reason,
                &p.prerequisites.sso_required.searched,
            ),
        ),
        (
            &["prerequisites", "scim_plan_gate"],
            p.prerequisites.scim_plan_gate.source_id(),
            value_known(&p.prerequisites.scim_plan_gate),
            gap(
                p.prerequisites.scim_plan_gate.reason,
                &p.prerequisites.scim_plan_gate.searched,
            ),
        ),
    ];
    for (keys, source, stated, (reason, searched)) in value_facts {
        let path = keys.iter().fold(root.clone(), |acc, k| acc.key(k));
        check_gap_notes(&mut cx, &path, stated, reason, searched);
        check_ref(&mut cx, path, source, stated);
    }
    if let Some(sdks) = &p.integration.sdks.value {
        cx.check_languages(&root.key("integration").key("sdks").key("value"), sdks);
    }

    // Pricing.
    let pricing = root.key("pricing");
    check_gap_notes(
        &mut cx,
        &pricing,
        p.pricing.model != crate::model::PricingModel::Unknown,
        p.pricing.reason.is_some(),
        p.pricing.searched.is_some(),
    );
    check_ref(
        &mut cx,
        pricing.clone(),
        p.pricing.source.as_deref(),
        p.pricing.model != crate::model::PricingModel::Unknown,
    );
    if let Some(rate) = &p.pricing.hourly_rate {
        check_price(&mut cx, &pricing.key("hourly_rate"), rate, &source_ids);
    }
    for (key, n) in [
        ("plans", p.pricing.plans.len()),
        ("addons", p.pricing.addons.len()),
    ] {
        if n > MAX_PLANS {
            cx.push(
                &pricing.key(key),
                Diagnostic::error(format!("`pricing.{key}` has {n} entries"))
                    .expected(format!("at most {MAX_PLANS}")),
            );
        }
    }
    let plan_ids: Vec<&str> = p.pricing.plans.iter().map(|pl| pl.id.as_str()).collect();
    for (i, plan) in p.pricing.plans.iter().enumerate() {
        let path = pricing.key("plans").index(i);
        if plan_ids[..i].contains(&plan.id.as_str()) {
            cx.push(
                &path.key("id"),
                Diagnostic::error(format!("duplicate plan id `{}`", plan.id))
                    .expected("an id unique among this provider's plans"),
            );
        }
        check_ref(&mut cx, path.clone(), plan.source.as_deref(), true);
        if let Some(fee) = &plan.base_fee {
            check_price(&mut cx, &path.key("base_fee"), fee, &source_ids);
        }
        if let Some(fee) = &plan.annual_base_fee {
            check_price(&mut cx, &path.key("annual_base_fee"), fee, &source_ids);
        }
        check_features(&mut cx, &path.key("features"), &plan.features);
        for (meter_key, limit) in &plan.limits {
            let lpath = path.key("limits").key(meter_key);
            let Some(meter) = Meter::ALL.iter().copied().find(|m| m.as_str() == meter_key) else {
                cx.push_key(
                    &lpath,
                    Diagnostic::error(format!("unknown meter `{meter_key}`"))
                        .expected("a meter name")
                        .help(help_for(meter_key, Meter::ALL.iter().map(|m| m.as_str()))),
                );
                continue;
            };
            for (c, charge) in plan.charges.iter().enumerate() {
                if charge.meter == meter && charge.included_units() > *limit {
                    cx.push(
                        &lpath,
                        Diagnostic::error(format!(
                            "plan `{}` limits `{meter_key}` to {limit}, below the {} units its charge `charges[{c}]` includes",
                            plan.id,
                            charge.included_units()
                        ))
                        .expected(format!("a limit of at least {}", charge.included_units()))
                        .help("a plan cannot include more units than it allows; fix the limit or the included quantity"),
                    );
                }
            }
        }
        for (c, charge) in plan.charges.iter().enumerate() {
            check_charge(&mut cx, &path.key("charges").index(c), charge, &source_ids);
        }
    }
    for (i, addon) in p.pricing.addons.iter().enumerate() {
        let path = pricing.key("addons").index(i);
        if p.pricing.addons[..i].iter().any(|a| a.id == addon.id) {
            cx.push(
                &path.key("id"),
                Diagnostic::error(format!("duplicate add-on id `{}`", addon.id))
                    .expected("an id unique among this provider's add-ons"),
            );
        }
        check_ref(
            &mut cx,
            path.clone(),
            addon.source.as_deref(),
            addon.fee.as_ref().is_some_and(|f| f.known().is_some()),
        );
        if let Some(fee) = &addon.fee {
            check_price(&mut cx, &path.key("fee"), fee, &source_ids);
        }
        check_features(&mut cx, &path.key("features"), &addon.features);
        for key in addon.required_above.keys() {
            let valid = Meter::ALL
                .iter()
                .map(|m| m.as_str())
                .chain([crate::model::pricing::MEMBERS_PER_ORGANIZATION]);
            if !valid.clone().any(|k| k == key) {
                cx.push_key(
                    &path.key("required_above").key(key),
                    Diagnostic::error(format!("unknown quantity `{key}`"))
                        .expected("a meter name or `members_per_organization`")
                        .help(help_for(key, valid)),
                );
            }
        }
        for (j, plan_ref) in addon.plans.iter().enumerate() {
            if !plan_ids.contains(&plan_ref.as_str()) {
                cx.push(
                    &path.key("plans").index(j),
                    Diagnostic::error(format!(
                        "add-on `{}` refers to unknown plan `{plan_ref}`",
                        addon.id
                    ))
                    .expected("the id of a plan in `[[pricing.plans]]`")
                    .help(help_for(plan_ref, plan_ids.iter().copied())),
                );
            }
        }
        for (c, charge) in addon.charges.iter().enumerate() {
            check_charge(&mut cx, &path.key("charges").index(c), charge, &source_ids);
        }
    }
    check_one_mode_share(&mut cx, &pricing, p);
    for (i, cost) in p.pricing.one_time.iter().enumerate() {
        let path = pricing.key("one_time").index(i);
        check_ref(&mut cx, path.clone(), cost.source.as_deref(), true);
        check_amount_or_hours(
            &mut cx,
            &path,
            cost.amount.as_ref(),
            cost.hours.as_ref(),
            &source_ids,
        );
        if cost.month == Some(0) {
            cx.push(
                &path.key("month"),
                Diagnostic::error("`month` is 1-based; 0 is not a month").expected("1 or later"),
            );
        }
    }
    for (i, cost) in p.pricing.recurring.iter().enumerate() {
        let path = pricing.key("recurring").index(i);
        check_ref(&mut cx, path.clone(), cost.source.as_deref(), true);
        check_amount_or_hours(
            &mut cx,
            &path,
            cost.amount.as_ref(),
            cost.hours.as_ref(),
            &source_ids,
        );
    }
    check_unique(
        &mut cx,
        &pricing.key("one_time"),
        p.pricing.one_time.iter().map(|c| &c.id),
        "one-time cost",
    );
    check_unique(
        &mut cx,
        &pricing.key("recurring"),
        p.pricing.recurring.iter().map(|c| &c.id),
        "recurring cost",
    );
}

/// `possible` lists what an unknown status could turn out to be: only on unknown facts, and
/// never `unknown` itself.
fn check_possible(cx: &mut Ctx<'_>, path: &KeyPath, fact: &StatusFact) {
    if fact.possible.is_empty() {
        return;
    }
    if fact.status != Status::Unknown {
        cx.push(
            &path.key("possible"),
            Diagnostic::error(format!(
                "`possible` is given but the status is `{}`, not `unknown`",
                fact.status
            ))
            .expected("`possible` only on a fact whose status is `unknown`")
            .help(
                "remove `possible`, or set `status = \"unknown\"` if the status is not confirmed",
            ),
        );
    } else if fact.possible.contains(&Status::Unknown) {
        cx.push(
            &path.key("possible"),
            Diagnostic::error("`possible` lists `unknown`").expected(
                "the statuses the fact could turn out to have, e.g. `[\"ga\", \"beta\", \"none\"]`",
            ),
        );
    }
}

/// A value fact to check: its key path, its source, whether a value is stated, and whether
/// `reason` and `searched` are given.
type ValueFactRow<'a> = (&'a [&'a str], Option<&'a str>, bool, (bool, bool));

/// `reason` and `searched` describe a gap in the research, so they belong only on a fact
/// that is still unknown: on a stated fact they would contradict its source.
fn check_gap_notes(cx: &mut Ctx<'_>, path: &KeyPath, stated: bool, reason: bool, searched: bool) {
    if !stated {
        return;
    }
    for (key, given) in [("reason", reason), ("searched", searched)] {
        if given {
            cx.push(
                &path.key(key),
                Diagnostic::error(format!("`{key}` is given but the fact is stated"))
                    .expected(format!("`{key}` only on a fact that is still `unknown`"))
                    .help("remove it, or move what it says into `note`"),
            );
        }
    }
}

/// Reports every id that repeats an earlier one in the same list.
fn check_unique<'i>(
    cx: &mut Ctx<'_>,
    list: &KeyPath,
    ids: impl Iterator<Item = &'i crate::model::Id>,
    what: &str,
) {
    let mut seen: Vec<&crate::model::Id> = Vec::new();
    for (i, id) in ids.enumerate() {
        if seen.contains(&id) {
            cx.push(
                &list.index(i).key("id"),
                Diagnostic::error(format!("duplicate {what} id `{id}`")).expected("a unique id"),
            );
        }
        seen.push(id);
    }
}

/// True when a value fact is stated (its value is not the type's `unknown` default).
fn value_known<T: PartialEq + Default>(f: &ValueFact<T>) -> bool {
    f.value != T::default()
}

fn check_features(cx: &mut Ctx<'_>, path: &KeyPath, features: &[String]) {
    for (j, f) in features.iter().enumerate() {
        if Feature::from_key(f).is_none() {
            cx.push(
                &path.index(j),
                Diagnostic::error(format!("unknown feature `{f}`"))
                    .expected("a feature name")
                    .help(help_for(f, Feature::ALL.iter().map(|f| f.as_str()))),
            );
        }
    }
}

/// The largest bound an estimate may have: larger ones could only overflow the costing.
const MAX_ESTIMATE: u64 = 1_000_000_000_000;

/// The most bands in one charge's tier table (1,000,000 bands took 3.1 GB; real tables have
/// fewer than 20).
pub const MAX_BANDS: usize = 10_000;

/// The most plans, and the most add-ons, of one provider (each is priced in every period).
pub const MAX_PLANS: usize = 100;

fn check_price(cx: &mut Ctx<'_>, path: &KeyPath, price: &Price, source_ids: &[&str]) {
    if let Price::Unpublished {
        estimate: Some(e), ..
    } = price
    {
        let epath = path.key("estimate");
        super::validate_scenario::check_range(
            cx,
            &epath,
            e,
            rust_decimal::Decimal::ZERO,
            rust_decimal::Decimal::from(MAX_ESTIMATE),
            "an amount from 0 to 1,000,000,000,000",
        );
        if let Some(id) = e.source.as_deref()
            && !source_ids.contains(&id)
        {
            cx.push(
                &epath.key("source"),
                Diagnostic::error(format!("reference to unknown source `{id}`"))
                    .expected("the id of a `[[sources]]` entry in this file")
                    .help(help_for(id, source_ids.iter().copied())),
            );
        }
        return;
    }
    if price.is_negative() {
        cx.push(
            path,
            Diagnostic::error(format!("negative price `{price}`"))
                .expected("an amount of 0 or more")
                .help(
                    "model discounts in the scenario's `billing.discounts`, not as negative prices",
                ),
        );
    }
}

fn check_amount_or_hours(
    cx: &mut Ctx<'_>,
    path: &KeyPath,
    amount: Option<&Price>,
    hours: Option<&crate::model::Ranged<rust_decimal::Decimal>>,
    source_ids: &[&str],
) {
    match (amount, hours) {
        (Some(_), Some(_)) => cx.push(
            &path.key("hours"),
            Diagnostic::error("give either `amount` or `hours`, not both")
                .expected("one of `amount` and `hours`"),
        ),
        (None, None) => cx.push(
            path,
            Diagnostic::error("a cost needs `amount` or `hours`")
                .expected("`amount = \"…\"` or `hours = …`"),
        ),
        (Some(a), None) => check_price(cx, &path.key("amount"), a, source_ids),
        (None, Some(h)) => super::validate_scenario::check_range(
            cx,
            &path.key("hours"),
            h,
            rust_decimal::Decimal::ZERO,
            rust_decimal::Decimal::from(1_000_000),
            "0 to 1,000,000 hours",
        ),
    }
}

/// One draw decides every unstated tier table of a provider (a vendor bills all of its
/// tables one way), so the tables must agree on `graduated_share`: a differing one would be
/// ignored without a word (found in review).
fn check_one_mode_share(cx: &mut Ctx<'_>, pricing: &KeyPath, p: &Provider) {
    let plans = p.pricing.plans.iter().enumerate().flat_map(|(i, plan)| {
        let path = pricing.key("plans").index(i);
        plan.charges
            .iter()
            .enumerate()
            .map(move |(c, ch)| (path.key("charges").index(c), ch))
    });
    let addons = p.pricing.addons.iter().enumerate().flat_map(|(i, addon)| {
        let path = pricing.key("addons").index(i);
        addon
            .charges
            .iter()
            .enumerate()
            .map(move |(c, ch)| (path.key("charges").index(c), ch))
    });
    let unstated: Vec<(KeyPath, rust_decimal::Decimal)> = plans
        .chain(addons)
        .filter(|(_, ch)| ch.mode == Some(crate::model::TierMode::Unstated) && ch.tiers.is_some())
        .map(|(path, ch)| {
            let share = ch
                .graduated_share
                .map_or(rust_decimal::Decimal::new(5, 1), |s| s.0);
            (path, share)
        })
        .collect();
    let Some((first_path, first)) = unstated.first() else {
        return;
    };
    for (path, share) in &unstated[1..] {
        if share.normalize() != first.normalize() {
            let key = path.key("graduated_share");
            cx.push(
                &key,
                Diagnostic::error(format!(
                    "`graduated_share` is {} here but {} in `{first_path}`; one draw decides every unstated tier table of a provider",
                    share.normalize(),
                    first.normalize()
                ))
                .expected(format!(
                    "`{}`, as in `{first_path}` (an absent `graduated_share` is 0.5)",
                    first.normalize()
                )),
            );
        }
    }
}

fn check_charge(cx: &mut Ctx<'_>, path: &KeyPath, charge: &Charge, source_ids: &[&str]) {
    if let Some(id) = charge.source.as_deref()
        && !source_ids.contains(&id)
    {
        cx.push(
            &path.key("source"),
            Diagnostic::error(format!("reference to unknown source `{id}`"))
                .expected("the id of a `[[sources]]` entry in this file")
                .help(help_for(id, source_ids.iter().copied())),
        );
    }
    match (&charge.unit_price, &charge.tiers) {
        (Some(_), Some(_)) => cx.push(
            &path.key("tiers"),
            Diagnostic::error("a charge has both `unit_price` and `tiers`")
                .expected("one of them")
                .help("use `unit_price` for a single rate, `tiers` for bands"),
        ),
        (None, None) => cx.push(
            path,
            Diagnostic::error("a charge needs a price")
                .expected("`unit_price = \"…\"` or `tiers = [...]` with `mode`"),
        ),
        (Some(price), None) => {
            check_price(cx, &path.key("unit_price"), price, source_ids);
            if charge.mode.is_some() {
                cx.push(
                    &path.key("mode"),
                    Diagnostic::error("`mode` applies only to `tiers`")
                        .expected("`tiers = [...]`, or remove `mode`"),
                );
            }
        }
        (None, Some(tiers)) => {
            let tpath = path.key("tiers");
            if let Some(share) = charge.graduated_share {
                if charge.mode != Some(crate::model::TierMode::Unstated) {
                    cx.push(
                        &path.key("graduated_share"),
                        Diagnostic::error(
                            "`graduated_share` applies only to `mode = \"unstated\"`",
                        )
                        .expected("`mode = \"unstated\"`, or remove `graduated_share`"),
                    );
                } else if share.0 < rust_decimal::Decimal::ZERO
                    || share.0 > rust_decimal::Decimal::ONE
                {
                    cx.push(
                        &path.key("graduated_share"),
                        Diagnostic::error(format!(
                            "`graduated_share` = {} is not a probability",
                            share.0
                        ))
                        .expected("a number from 0 to 1 (0.5 = either mode equally likely)"),
                    );
                }
            }
            if charge.mode.is_none() {
                cx.push(
                    &tpath,
                    Diagnostic::error("tiered charge without a `mode`")
                        .expected("`mode = \"graduated\"` or `mode = \"volume\"` (or `mode = \"unstated\"` when no source says which)")
                        .help("graduated prices each band at its own rate; volume prices every unit at the rate of the band the total falls in; check the vendor's terms and record any doubt in `note`"),
                );
            }
            if tiers.is_empty() {
                cx.push(
                    &tpath,
                    Diagnostic::error("`tiers` is empty").expected("at least one band"),
                );
            }
            if tiers.len() > MAX_BANDS {
                cx.push(
                    &tpath,
                    Diagnostic::error(format!("`tiers` has {} bands", tiers.len()))
                        .expected(format!("at most {MAX_BANDS} bands per charge")),
                );
            }
            let mut prev: Option<u64> = None;
            // After a malformed band the next band's `from` cannot be judged: skip that check
            // so one mistake gives one error.
            let mut skip_from = false;
            for (i, tier) in tiers.iter().enumerate() {
                let ipath = tpath.index(i);
                check_price(cx, &ipath.key("unit_price"), &tier.unit_price, source_ids);
                if let Some(fee) = &tier.flat_fee {
                    check_price(cx, &ipath.key("flat_fee"), fee, source_ids);
                }
                if prev == Some(u64::MAX) {
                    // Found by the pipeline fuzz target: the band would start at unit 2⁶⁴,
                    // which no count reaches (and the workbook's band table overflowed).
                    skip_from = true;
                    cx.push(
                        &ipath,
                        Diagnostic::error(format!(
                            "tier {i} follows a band that ends at the largest count, {}; no unit is left for it",
                            u64::MAX
                        ))
                        .expected("no band after `up_to = 18446744073709551615`")
                        .help("remove this band, or end the previous one lower"),
                    );
                }
                let expected_from = match prev {
                    Some(p) => p.saturating_add(1),
                    None => 1,
                };
                if let Some(from) = tier.from.filter(|_| !std::mem::take(&mut skip_from)) {
                    let first_ok = prev.is_none()
                        && (from == 1 || from == charge.included_units().saturating_add(1));
                    if from < expected_from {
                        cx.push(
                            &ipath.key("from"),
                            Diagnostic::error(format!("tier {i} starts at unit {from}, overlapping the previous band which ends at {}", expected_from - 1))
                                .expected(format!("`from = {expected_from}`")),
                        );
                    } else if from > expected_from && !first_ok {
                        cx.push(
                            &ipath.key("from"),
                            Diagnostic::error(format!(
                                "gap between tiers: units {expected_from}–{} are in no band",
                                from - 1
                            ))
                            .expected(format!("`from = {expected_from}`"))
                            .help(
                                "bands must be contiguous; for units that are free use `included`",
                            ),
                        );
                    }
                }
                match tier.up_to {
                    None if i + 1 < tiers.len() => {
                        skip_from = true;
                        cx.push(
                            &ipath,
                            Diagnostic::error(format!("tier {i} has no `up_to` but is not the last band"))
                                .expected("an `up_to` on every band except the last")
                                .help("only the final band can be unbounded; add `up_to` or move this band to the end"),
                        );
                    }
                    None => {}
                    Some(0) => {
                        skip_from = true;
                        cx.push(
                            &ipath.key("up_to"),
                            Diagnostic::error("`up_to = 0` makes an empty band")
                                .expected("an upper bound of 1 or more"),
                        );
                    }
                    Some(up) => {
                        if let Some(p) = prev
                            && up <= p
                        {
                            skip_from = true;
                            cx.push(
                                    &ipath.key("up_to"),
                                    Diagnostic::error(format!("tiers are not in ascending order: `up_to = {up}` follows `up_to = {p}`"))
                                        .expected(format!("an `up_to` greater than {p}"))
                                        .help("list bands from the smallest quantity to the largest; bands must not overlap"),
                                );
                        }
                        if let Some(from) = tier.from
                            && from > up
                        {
                            cx.push(
                                &ipath.key("from"),
                                Diagnostic::error(format!(
                                    "band starts at {from} after its end {up}"
                                ))
                                .expected(format!("`from` at most {up}")),
                            );
                        }
                        prev = Some(up.max(prev.unwrap_or(0)));
                    }
                }
            }
        }
    }
}
