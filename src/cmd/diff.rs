//! `scimeter diff`: what a catalog change did to facts, prices, costs and rankings.

use crate::config::{Config, Format, Task};
use crate::cost::CostValue;
use crate::cost::money::Money;
use crate::cost::schedule::group;
use crate::diff::fields::{ProviderChange, compare};
use crate::diff::impact::{CostChange, Movement, ScenarioImpact, change, scenario_impact};
use crate::diff::source;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::load::{Catalog, LoadOptions};
use crate::model::Date;
use crate::report::escape;
use crate::report::table::Table;
use serde::Serialize;

/// A provider whose facts are older than the allowed age.
#[derive(Debug, Clone, Serialize)]
pub struct StaleProvider {
    /// Provider id.
    pub provider: String,
    /// Its `verified` date.
    pub verified: Date,
    /// Days between `verified` and `--as-of`.
    pub age_days: i64,
    /// The `--as-of` date the age is counted to.
    pub as_of: Date,
}

/// Everything the diff found.
#[derive(Debug, Clone, Serialize)]
pub struct CatalogDiff {
    /// What the base was.
    pub base: String,
    /// What the head was.
    pub head: String,
    /// Provider changes.
    pub providers: Vec<ProviderChange>,
    /// Scenarios added or removed.
    pub scenarios_added: Vec<String>,
    /// Scenarios removed.
    pub scenarios_removed: Vec<String>,
    /// Impact per scenario.
    pub impact: Vec<ScenarioImpact>,
    /// Providers in head whose `verified` date is older than the allowed age.
    pub stale: Vec<StaleProvider>,
    /// The threshold, if any, and the changes breaking it.
    pub threshold: Option<String>,
    /// `scenario: provider at N: old → new` for each breach.
    pub breaches: Vec<String>,
}

fn load_side(
    spec: Option<&str>,
    config: &Config,
    options: LoadOptions,
    which: &str,
) -> Result<(String, Catalog), Error> {
    let (label, loaded) = match spec {
        Some(s) => source::load(s, &config.catalog, options).map_err(|m| Error::usage(format!("cannot load `--{which}`: {m}"), Some("pass a directory holding `providers/` and `scenarios/`, or a git revision such as `HEAD` or `main`".into())))?,
        None => source::load_work_tree(&config.catalog, options),
    };
    let Some(catalog) = loaded.catalog else {
        // Say which side the problem is on: `HEAD:providers/x.toml`.
        let mut loaded = loaded;
        if let Some(spec) = spec {
            for f in &mut loaded.files {
                f.name = format!("{spec}:{}", f.name);
            }
            for d in &mut loaded.diagnostics.0 {
                d.file = d.file.take().map(|n| format!("{spec}:{n}"));
            }
            loaded.diagnostics.0.insert(
                0,
                crate::load::Diagnostic::error(format!(
                    "the `--{which}` catalog ({label}) is invalid"
                )),
            );
        }
        return Err(Error::Catalog {
            diagnostics: loaded.diagnostics,
            files: loaded.files,
        });
    };
    Ok((label, catalog))
}

/// Runs the command.
pub fn run(config: &Config) -> Result<(ExitStatus, String), Error> {
    let Task::Diff {
        base,
        head,
        scenarios,
        format,
        fail_above,
        as_of,
        max_age_days,
    } = &config.task
    else {
        return Err(Error::Other("internal: wrong task for `diff`".into()));
    };
    let options = LoadOptions {
        as_of: *as_of,
        max_age_days: i64::MAX,
    };
    let (base_label, base_cat) = load_side(Some(base), config, options, "base")?;
    let (head_label, head_cat) = load_side(head.as_deref(), config, options, "head")?;
    let wanted: Vec<String> = if scenarios.is_empty() {
        head_cat
            .scenarios
            .iter()
            .map(|s| s.id().to_owned())
            .collect()
    } else {
        scenarios.clone()
    };
    for s in &wanted {
        if head_cat.scenario(s).is_none() {
            return Err(Error::usage(
                format!("unknown scenario `{s}`"),
                Some(crate::load::suggest::help_for(
                    s,
                    head_cat.scenarios.iter().map(crate::model::Scenario::id),
                )),
            ));
        }
    }
    let mut impact = Vec::new();
    for s in &wanted {
        if let Some(i) =
            scenario_impact(&base_cat, &head_cat, s).map_err(|e| Error::Other(e.to_string()))?
        {
            impact.push(i);
        }
    }
    let ids = |c: &Catalog| {
        c.scenarios
            .iter()
            .map(|s| s.id().to_owned())
            .collect::<Vec<_>>()
    };
    let (bs, hs) = (ids(&base_cat), ids(&head_cat));
    let mut breaches = Vec::new();
    if let Some(t) = fail_above {
        for i in &impact {
            for c in i.breaches(t) {
                breaches.push(format!("{}: {}", i.scenario, describe_cost(c, &i.currency)));
            }
        }
    }
    let diff = CatalogDiff {
        base: base_label,
        head: head_label,
        providers: compare(&base_cat.providers, &head_cat.providers),
        scenarios_added: hs.iter().filter(|s| !bs.contains(s)).cloned().collect(),
        scenarios_removed: bs.iter().filter(|s| !hs.contains(s)).cloned().collect(),
        impact,
        stale: head_cat
            .providers
            .iter()
            .filter_map(|p| {
                let age = p.verified.days_until(*as_of);
                (age > *max_age_days).then(|| StaleProvider {
                    provider: p.id().to_owned(),
                    verified: p.verified,
                    age_days: age,
                    as_of: *as_of,
                })
            })
            .collect(),
        threshold: fail_above.map(|t| t.describe()),
        breaches,
    };
    let text = match format {
        Format::Json => {
            serde_json::to_string_pretty(&serde_json::json!({ "schema_version": 1, "diff": diff }))
                .unwrap_or_default()
                + "\n"
        }
        Format::Markdown => markdown(&diff),
        Format::Table | Format::Csv => text(&diff, config.width),
    };
    let status = if diff.breaches.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    };
    Ok((status, text))
}

fn money(c: Option<&CostValue>, cur: &str) -> String {
    c.map_or_else(|| "—".into(), |c| c.display(cur))
}

/// `workos at 100: $8,225.00 → $9,000.00 (+$775.00, +9.4 %)`.
pub fn describe_cost(c: &CostChange, cur: &str) -> String {
    let at = c.customers.map_or_else(
        || "over the horizon".to_owned(),
        |n| format!("at {}", group(n)),
    );
    let mut s = format!(
        "{} {at}: {} → {}",
        c.provider,
        money(c.before.as_ref(), cur),
        money(c.after.as_ref(), cur)
    );
    match c.movement {
        Movement::Changed => {
            if let Some(d) = c.delta {
                s.push_str(&format!(" ({}", signed(d, cur)));
                if let Some(p) = c.percent {
                    s.push_str(&format!(", {}", percent(p)));
                }
                s.push(')');
            }
        }
        Movement::BecameUnknown => {
            s.push_str(if c.after.as_ref().is_some_and(CostValue::is_unpriced) {
                " (now unknown: not a drop to 0)"
            } else {
                " (now partly unknown: not a drop to 0)"
            });
        }
        Movement::BecameKnown => s.push_str(" (now fully known)"),
        Movement::FloorChanged => match c.delta {
            Some(d) => s.push_str(&format!(
                " (known part {}{}; still partly unknown)",
                signed(d, cur),
                c.percent
                    .map(|p| format!(", {}", percent(p)))
                    .unwrap_or_default()
            )),
            None => s.push_str(" (known part changed; still partly unknown)"),
        },
        Movement::Availability => s.push_str(" (availability changed)"),
        Movement::Presence => s.push_str(if c.before.is_none() {
            " (provider added)"
        } else {
            " (provider removed)"
        }),
        Movement::PlanOnly => {}
        Movement::ReadingsChanged => {
            if let Some(r) = readings_text(c, cur) {
                s.push_str(&format!(" ({r})"));
            }
        }
    }
    if c.plan_before != c.plan_after && (c.plan_before.is_some() || c.plan_after.is_some()) {
        s.push_str(&format!(
            "; plan {} → {}",
            c.plan_before.as_deref().unwrap_or("none"),
            c.plan_after.as_deref().unwrap_or("none")
        ));
    }
    s
}

/// `tier mode unstated: graduated $16,450.00 → $22,450.00 (+$6,000.00, +36.5 %), volume
/// $13,000.00 unchanged`, for a change of the readings.
fn readings_text(c: &CostChange, cur: &str) -> Option<String> {
    let (before, after) = c.readings?;
    let one = |name: &str, old: Money, new: Money| {
        if old == new {
            return format!("{name} {} unchanged", old.display(cur));
        }
        let mut s = format!("{name} {} → {}", old.display(cur), new.display(cur));
        if let (Some(d), p) = change(old, new) {
            s.push_str(&format!(" ({}", signed(d, cur)));
            if let Some(p) = p {
                s.push_str(&format!(", {}", percent(p)));
            }
            s.push(')');
        }
        s
    };
    Some(format!(
        "tier mode unstated: {}, {}",
        one("graduated", before.graduated, after.graduated),
        one("volume", before.volume, after.volume)
    ))
}

/// The summary's lines; `esc` is applied to every piece of catalog text in them (scenario
/// fields, provider and plan names), so markdown can escape what text output prints as is.
fn summary_lines(d: &CatalogDiff, esc: fn(&str) -> String) -> Vec<String> {
    let mut out = Vec::new();
    let (mut added, mut removed, mut changed, mut price) = (0, 0, 0, 0);
    for p in &d.providers {
        match p {
            ProviderChange::Added { .. } => added += 1,
            ProviderChange::Removed { .. } => removed += 1,
            ProviderChange::Changed { fields, .. } => {
                changed += 1;
                if fields
                    .iter()
                    .any(crate::diff::fields::FieldChange::is_price)
                {
                    price += 1;
                }
            }
        }
    }
    out.push(format!("providers: {changed} changed ({price} with price changes), {added} added, {removed} removed"));
    let names = |v: &[String]| {
        if v.is_empty() {
            "none".to_owned()
        } else {
            v.iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    if !d.scenarios_added.is_empty() {
        out.push(format!("scenarios added: {}", names(&d.scenarios_added)));
    }
    if !d.scenarios_removed.is_empty() {
        out.push(format!(
            "scenarios removed: {}",
            names(&d.scenarios_removed)
        ));
    }
    for i in &d.impact {
        if !i.scenario_fields.is_empty() {
            out.push(format!(
                "scenario `{}` changed: {}",
                i.scenario,
                i.scenario_fields
                    .iter()
                    .map(|f| esc(&f.describe()))
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
        if i.winners.0 != i.winners.1 {
            let who = |v: &[String]| match v {
                [] => "none".to_owned(),
                [one] => esc(one),
                many => format!(
                    "{} (tied)",
                    many.iter().map(|w| esc(w)).collect::<Vec<_>>().join(" = ")
                ),
            };
            out.push(format!(
                "**new winner in `{}`: {} (was {})**",
                i.scenario,
                who(&i.winners.1),
                who(&i.winners.0)
            ));
        }
    }
    let biggest = d
        .impact
        .iter()
        .flat_map(|i| i.costs.iter().map(move |c| (i, c)))
        .filter(|(_, c)| c.customers.is_some())
        .filter_map(|(i, c)| c.percent.map(|p| (i, c, p)))
        .max_by(|a, b| {
            a.2.abs()
                .cmp(&b.2.abs())
                .then_with(|| b.1.provider.cmp(&a.1.provider))
        });
    if let Some((i, c, _)) = biggest {
        out.push(format!(
            "largest relative change: `{}` {}",
            i.scenario,
            esc(&describe_cost(c, &i.currency))
        ));
    }
    let unknown: usize = d
        .impact
        .iter()
        .map(|i| {
            i.costs
                .iter()
                .filter(|c| c.movement == Movement::BecameUnknown)
                .count()
        })
        .sum();
    if unknown > 0 {
        out.push(format!(
            "{unknown} cost(s) went from known to unknown or partly unknown (shown as such, never as 0)"
        ));
    }
    if d.impact
        .iter()
        .all(|i| i.costs.is_empty() && i.ranks.is_empty() && i.scenario_fields.is_empty())
        && d.providers.is_empty()
        && d.scenarios_added.is_empty()
        && d.scenarios_removed.is_empty()
    {
        out.push("no changes".into());
    }
    if let Some(t) = &d.threshold {
        if d.breaches.is_empty() {
            out.push(format!("threshold ({t}): not exceeded"));
        } else {
            out.push(format!(
                "**threshold exceeded ({t}) by {} cost(s)**",
                d.breaches.len()
            ));
        }
    }
    for st in &d.stale {
        out.push(format!(
            "stale: `{}` verified {} ({} days before {}, the `--as-of` date)",
            st.provider, st.verified, st.age_days, st.as_of
        ));
    }
    out
}

fn cost_table(i: &ScenarioImpact) -> Table {
    let mut t = Table::new(["Provider", "At", "Before", "After", "Change", "Plan"])
        .right_align(&[1, 2, 3, 4]);
    for c in &i.costs {
        let change = match (c.movement.clone(), c.delta, c.percent) {
            (Movement::Changed, Some(d), Some(p)) => {
                format!("{} ({})", signed(d, &i.currency), percent(p))
            }
            (Movement::Changed, Some(d), None) => signed(d, &i.currency),
            (Movement::FloorChanged, Some(d), p) => format!(
                "known part {}{}",
                signed(d, &i.currency),
                p.map(|p| format!(" ({})", percent(p))).unwrap_or_default()
            ),
            (Movement::ReadingsChanged, _, _) => {
                readings_text(c, &i.currency).unwrap_or_else(|| "tier mode readings".into())
            }
            (Movement::BecameUnknown, _, _) => {
                if c.after.as_ref().is_some_and(CostValue::is_unpriced) {
                    "now unknown".into()
                } else {
                    "now partly unknown".into()
                }
            }
            (Movement::BecameKnown, _, _) => "now known".into(),
            (Movement::Availability, _, _) => "availability".into(),
            (Movement::Presence, _, _) => {
                if c.before.is_none() {
                    "added".into()
                } else {
                    "removed".into()
                }
            }
            (Movement::PlanOnly, _, _) => "plan only".into(),
            (m, _, _) => format!("{m:?}").to_lowercase(),
        };
        t.push([
            c.provider.clone(),
            c.customers.map_or_else(|| "horizon".into(), group),
            money(c.before.as_ref(), &i.currency),
            money(c.after.as_ref(), &i.currency),
            change,
            if c.plan_before == c.plan_after {
                String::new()
            } else {
                format!(
                    "{} → {}",
                    c.plan_before.as_deref().unwrap_or("—"),
                    c.plan_after.as_deref().unwrap_or("—")
                )
            },
        ]);
    }
    t
}

fn rank_table(i: &ScenarioImpact) -> Table {
    let mut t = Table::new([
        "Provider",
        "Rank before",
        "Rank after",
        "Total before",
        "Total after",
    ])
    .right_align(&[1, 2, 3, 4]);
    for r in &i.ranks {
        let f = |x: Option<crate::diff::impact::Standing>, rank: bool| {
            x.map_or_else(
                || "—".into(),
                |s| {
                    if rank {
                        s.rank_label()
                    } else {
                        s.shown_total()
                    }
                },
            )
        };
        t.push([
            r.provider.clone(),
            f(r.before, true),
            f(r.after, true),
            f(r.before, false),
            f(r.after, false),
        ]);
    }
    t
}

fn field_lines(d: &CatalogDiff) -> String {
    let mut s = String::new();
    for p in &d.providers {
        match p {
            ProviderChange::Added { id } => s.push_str(&format!("+ {id} (new provider)\n")),
            ProviderChange::Removed { id } => s.push_str(&format!("- {id} (removed)\n")),
            ProviderChange::Changed { id, fields } => {
                s.push_str(&format!("~ {id}\n"));
                for f in fields {
                    s.push_str(&format!("    {}\n", f.describe()));
                }
            }
        }
    }
    s
}

/// Plain text for the terminal.
pub fn text(d: &CatalogDiff, width: Option<u16>) -> String {
    let mut s = format!("scimeter diff: {} → {}\n", d.base, d.head);
    for l in summary_lines(d, str::to_owned) {
        s.push_str(&format!("  {}\n", l.replace("**", "")));
    }
    for b in &d.breaches {
        s.push_str(&format!("  exceeds threshold: {b}\n"));
    }
    if !d.providers.is_empty() {
        s.push_str("\nField changes:\n");
        s.push_str(&field_lines(d));
    }
    for i in &d.impact {
        if i.costs.is_empty() && i.ranks.is_empty() {
            continue;
        }
        s.push_str(&format!(
            "\nScenario `{}`{}:\n",
            i.scenario,
            if i.scenario_changed {
                " (the scenario itself changed)"
            } else {
                ""
            }
        ));
        if !i.costs.is_empty() {
            s.push_str(&cost_table(i).to_terminal(width));
        }
        if !i.ranks.is_empty() {
            s.push_str(&rank_table(i).to_terminal(width));
        }
    }
    s
}

/// Markdown for a pull-request comment: summary first, details folded.
pub fn markdown(d: &CatalogDiff) -> String {
    let mut s = format!("### scimeter diff: {} → {}\n\n", d.base, d.head);
    for l in summary_lines(d, escape::md_text) {
        s.push_str(&format!("- {l}\n"));
    }
    if !d.breaches.is_empty() {
        s.push_str("\n<details open><summary>Changes over the threshold</summary>\n\n");
        for b in &d.breaches {
            s.push_str(&format!("- {}\n", escape::md_text(b)));
        }
        s.push_str("\n</details>\n");
    }
    for i in &d.impact {
        if i.costs.is_empty() && i.ranks.is_empty() {
            continue;
        }
        // A row whose rank is the same before and after is a score change, not a rank change.
        let moved = i
            .ranks
            .iter()
            .filter(|r| {
                r.before.as_ref().map(|b| (b.rank, b.tied))
                    != r.after.as_ref().map(|a| (a.rank, a.tied))
            })
            .count();
        s.push_str(&format!(
            "\n<details><summary>Scenario <code>{}</code>: {} cost change(s), {} rank change(s), {} score-only change(s)</summary>\n\n",
            i.scenario,
            i.costs.len(),
            moved,
            i.ranks.len() - moved
        ));
        if !i.costs.is_empty() {
            s.push_str(&cost_table(i).to_markdown());
            s.push('\n');
        }
        if !i.ranks.is_empty() {
            s.push_str(&rank_table(i).to_markdown());
        }
        s.push_str("\n</details>\n");
    }
    if !d.providers.is_empty() {
        // Field values are catalog text, newlines and backticks included: the fence is
        // longer than any backtick run in them, so a value cannot close it early.
        s.push_str("\n<details><summary>Field-level changes</summary>\n\n");
        s.push_str(&escape::md_fenced_as(&field_lines(d), "diff"));
        s.push_str("\n</details>\n");
    }
    s
}

/// A fraction as a signed percentage with the same minus sign as money (`−20.00 %`).
/// `+$775.00` or `-$775.00`: a change with its sign.
fn signed(d: Money, cur: &str) -> String {
    let sign = if d.0.is_sign_negative() { "" } else { "+" };
    format!("{sign}{}", d.display(cur))
}

fn percent(p: rust_decimal::Decimal) -> String {
    let v = (p * rust_decimal::Decimal::from(100)).round_dp(2);
    if v.is_sign_negative() && !v.is_zero() {
        format!("−{:.2} %", v.abs())
    } else {
        format!("+{v:.2} %")
    }
}
