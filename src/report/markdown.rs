//! Markdown exporters: each scenario's `summary.md` and the index `README.md`. GitHub-flavoured
//! (tables, footnotes); no wall-clock time, so output is byte-identical for the same catalog.

use super::charts::RenderedChart;
use super::escape::{md_block, md_link, md_text};
use super::scenario_report::ScenarioReport;
use super::table::Table;
use crate::cost::CostValue;
use crate::cost::crossover::format_bands;
use crate::cost::schedule::group;
use crate::estimate::simulation::ProviderEstimate;
use crate::load::Catalog;
use crate::model::{Date, Provider};
use crate::report::projection_table::crossover_lines;
use crate::score::Axis;

/// The default staleness threshold of reports: providers verified more than this many days
/// before the catalog's newest `verified` date are flagged (the date comes from the catalog,
/// never the clock).
pub const STALE_DAYS: i64 = 180;

fn weights_line(w: &[f64; 5]) -> String {
    Axis::ALL
        .iter()
        .zip(w)
        .map(|(a, x)| format!("{} {:.0} %", a.label(), x * 100.0))
        .collect::<Vec<_>>()
        .join(" · ")
}

fn ranking_table(r: &ScenarioReport<'_>) -> String {
    crate::report::ranking_table::table_with(
        &r.ranking,
        |e| format!("{}[^{}]", md_text(&e.card.name), e.card.provider),
        |t| format!("**{t:.1}**"),
    )
    .markdown_cols(&[1, 2])
    .to_markdown()
}

fn cost_cell(c: &CostValue, cur: &str) -> String {
    c.display(cur)
}

/// Annual and first-year cost at each milestone and the horizon total, per provider, as
/// finance plans them (the figures of `milestones.csv` and `costs.csv`, formatted).
fn totals_table(r: &ScenarioReport<'_>) -> String {
    let cur = r.scenario.currency();
    let ms = r.scenario.milestones();
    let mut headers = vec!["Provider".to_owned()];
    for m in &ms {
        headers.push(format!("Annual @ {}", group(*m)));
        headers.push(format!("First year @ {}", group(*m)));
    }
    headers.push(format!("Horizon total ({} months)", r.scenario.horizon()));
    let n = headers.len();
    let mut t = Table::new(headers).right_align(&(1..n).collect::<Vec<_>>());
    for p in &r.providers {
        let mut row = vec![p.name.clone()];
        for m in &ms {
            match r.milestone(p.id(), *m) {
                Some(mc) => {
                    // The annual figure is 12 months of the recurring cost; the first year
                    // adds the one-time costs, and any estimate among them.
                    let est = if mc.quote.recurring_uses_estimates() {
                        " (est.)"
                    } else {
                        ""
                    };
                    let est_first = if mc.quote.uses_estimates {
                        " (est.)"
                    } else {
                        ""
                    };
                    row.push(format!("{}{est}", cost_cell(&mc.annual, cur)));
                    row.push(format!("{}{est_first}", cost_cell(&mc.first_year, cur)));
                }
                None => row.extend(["—".to_owned(), "—".to_owned()]),
            }
        }
        row.push(
            r.projection_of(p.id())
                .map_or_else(|| "—".into(), |x| horizon_cell(x, cur)),
        );
        t.push(row);
    }
    t.to_markdown()
}

/// A projection's horizon total. A floor that covers only some months says how many had no
/// published cost at all: "≥ $13,000.00 + unknown" over 36 months reads as a budget when 35
/// of them are unpriced (found in review: below the same provider's annual floor at 100).
fn horizon_cell(p: &crate::cost::Projection, cur: &str) -> String {
    let Some(total) = p.horizon_total() else {
        return "—".into();
    };
    let cell = cost_cell(total, cur);
    let unpriced = p
        .months
        .iter()
        .filter(|m| m.quote.recurring.is_unpriced())
        .count();
    match total {
        CostValue::AtLeast { floor, .. } if !floor.is_zero() && unpriced > 0 => {
            format!("{cell} ({unpriced} of {} months unpriced)", p.months.len())
        }
        _ => cell,
    }
}

fn milestone_table(r: &ScenarioReport<'_>) -> String {
    let cur = r.scenario.currency();
    let ms = r.scenario.milestones();
    let mut headers = vec!["Provider".to_owned(), "Plan".to_owned()];
    for m in &ms {
        headers.push(format!("Monthly @ {}", group(*m)));
        headers.push(format!("Per customer @ {}", group(*m)));
    }
    headers.push("One-time".into());
    let n = headers.len();
    let mut t = Table::new(headers).right_align(&(2..n).collect::<Vec<_>>());
    for p in &r.providers {
        let last = ms.last().and_then(|m| r.milestone(p.id(), *m));
        // The plan at each milestone, in order, without repeats ("Team → Enterprise").
        let mut plans: Vec<String> = Vec::new();
        for m in &ms {
            if let Some(label) = r
                .milestone(p.id(), *m)
                .and_then(|mc| mc.quote.plan_label.clone())
                && plans.last() != Some(&label)
            {
                plans.push(label);
            }
        }
        let plan = if plans.is_empty() {
            "—".to_owned()
        } else {
            plans.join(" → ")
        };
        let mut row = vec![format!("{}[^{}]", md_text(&p.name), p.id()), md_text(&plan)];
        for m in &ms {
            match r.milestone(p.id(), *m) {
                Some(mc) => {
                    let est = mc.quote.recurring_mark();
                    row.push(format!("{}{est}", cost_cell(&mc.quote.recurring, cur)));
                    row.push(
                        mc.per_customer
                            .map_or_else(|| "—".into(), |x| x.display(cur)),
                    );
                }
                None => row.extend(["—".to_owned(), "—".to_owned()]),
            }
        }
        row.push(
            last.and_then(|m| m.quote.one_time_if_available())
                .map_or_else(|| "—".into(), |c| cost_cell(c, cur)),
        );
        t.push(row);
    }
    t.markdown_cols(&[0, 1]).to_markdown()
}

fn cost_notes(r: &ScenarioReport<'_>) -> String {
    let cur = r.scenario.currency();
    let mut notes = Vec::new();
    for m in &r.milestones {
        let text = match &m.quote.recurring {
            CostValue::AtLeast { unknown, .. } => {
                // When the tier mode is the only unknown, the bill is one of two published
                // figures: give both, so finance need not add up the tables' readings.
                let readings = r
                    .provider(&m.provider)
                    .and_then(|p| {
                        crate::cost::analysis::recurring_readings(
                            p,
                            r.scenario,
                            &m.quote,
                            m.customers,
                        )
                    })
                    .map_or_else(String::new, |(graduated, volume)| {
                        format!(
                            "{} a month (volume) or {} (graduated), as the tier mode is its only unknown; ",
                            volume.cents().display(cur),
                            graduated.cents().display(cur)
                        )
                    });
                format!(
                    "**{}** at {}: {readings}{}",
                    md_text(&r.name(&m.provider)),
                    group(m.customers),
                    md_text(&unknown.join("; "))
                )
            }
            CostValue::Unavailable { reason } => format!(
                "**{}** at {}: unavailable — {}",
                md_text(&r.name(&m.provider)),
                group(m.customers),
                md_text(reason)
            ),
            CostValue::Known { .. } => continue,
        };
        if !notes.contains(&text) {
            notes.push(text);
        }
    }
    let quotes: Vec<String> = r
        .providers
        .iter()
        .flat_map(|p| {
            p.quotes.iter().map(move |q| {
                format!(
                    "**{}**: `{}` = {} quoted by {} on {} ({}); it replaces the catalog price for this buyer",
                    md_text(&p.name),
                    q.price.replace('`', ""),
                    q.amount.0,
                    md_text(&q.by),
                    q.date,
                    md_text(&q.file)
                )
            })
        })
        .collect();
    if notes.is_empty() && quotes.is_empty() {
        return String::new();
    }
    let mut s = String::new();
    if !notes.is_empty() {
        s.push_str(
            "\nWhy some costs are not exact (an unpublished price is never counted as 0):\n\n",
        );
    }
    for n in notes {
        s.push_str(&format!("- {n}\n"));
    }
    if !quotes.is_empty() {
        s.push_str("\nBuyer quotes (labelled *(quote)* above):\n\n");
        for q in quotes {
            s.push_str(&format!("- {q}\n"));
        }
    }
    s
}

fn chart_links(charts: &[RenderedChart], stem: &str) -> String {
    charts
        .iter()
        .find(|c| c.stem == stem)
        .map(|c| {
            format!(
                "![{}]({}.png)\n\n[SVG]({}.svg)\n\n",
                md_text(&c.caption),
                c.stem,
                c.stem
            )
        })
        .unwrap_or_default()
}

fn sensitivity_section(r: &ScenarioReport<'_>) -> String {
    let a = &r.sensitivity;
    let mut s = String::from("## How robust is the ranking?\n\n");
    if a.providers.len() < 2 {
        s.push_str("Fewer than two providers are ranked.\n");
        return s;
    }
    s.push_str("Each row moves one weight while the others rescale proportionally.\n\n");
    s.push_str(&crate::report::sensitivity_table::interval_table(a).to_markdown());
    s.push('\n');
    if let Some(c) = &a.critical_axis {
        s.push_str(&format!("- {}.\n", md_text(c)));
    }
    match &a.smallest_shift {
        Some(x) => s.push_str(&format!(
            "- Smallest weight shift that changes the winner: {}.\n",
            md_text(x)
        )),
        None => s.push_str("- No weighting changes the winner.\n"),
    }
    s.push_str(&format!(
        "\nSMAA rank acceptability: the share of {} random weightings (uniform on the simplex, Dirichlet(1,…,1), seed {}) under which each provider takes each rank. Decision entropy {:.2} bits.\n\n",
        group(a.smaa.draws as u64),
        a.smaa.seed,
        a.smaa.entropy
    ));
    s.push_str(
        &crate::report::sensitivity_table::smaa_table(a, &r.ranking, Some(&r.joint.p_first_joint))
            .to_markdown(),
    );
    s
}

fn footnotes(providers: &[&Provider]) -> String {
    let mut s = String::new();
    for p in providers {
        let sources: Vec<String> = p
            .sources
            .iter()
            .map(|src| {
                format!(
                    "{} (retrieved {})",
                    md_link(&src.id.to_string(), &src.url),
                    src.retrieved
                )
            })
            .collect();
        let mut line = format!(
            "[^{}]: {} — verified {}. Sources: {}.",
            p.id(),
            md_text(&p.name),
            p.verified,
            if sources.is_empty() {
                "none".into()
            } else {
                sources.join(", ")
            }
        );
        if !p.caveats.is_empty() {
            line.push_str(&format!(" Caveats: {}", md_text(&p.caveats.join(" "))));
        }
        s.push_str(&line);
        s.push_str("\n\n");
    }
    s
}

/// `<scenario>/summary.md`.
pub fn summary(r: &ScenarioReport<'_>, charts: &[RenderedChart]) -> Vec<u8> {
    let sc = r.scenario;
    let cur = sc.currency();
    let mut s = format!("# {} (`{}`)\n\n", md_text(&sc.name), sc.id());
    s.push_str("<!-- generated by `scimeter report`; do not edit: change the catalog and regenerate -->\n\n");
    if let Some(d) = &sc.description {
        s.push_str(&format!("{}\n\n", md_block(d.trim())));
    }
    s.push_str(&format!(
        "Horizon {} months · milestones {} customers · costs in {cur} · {} billing.\n\n",
        sc.horizon(),
        sc.milestones()
            .iter()
            .map(|m| group(*m))
            .collect::<Vec<_>>()
            .join(" and "),
        match sc.billing.cycle {
            crate::model::scenario::Cycle::Monthly => "monthly",
            crate::model::scenario::Cycle::Annual => "annual",
        }
    ));
    if !sc.assumptions.is_empty() {
        s.push_str("<details><summary>Assumptions</summary>\n\n");
        for a in &sc.assumptions {
            s.push_str(&format!("- {}\n", md_text(a)));
        }
        s.push_str("\n</details>\n\n");
    }

    s.push_str("## Ranking\n\n");
    match r.ranking.ranked.first() {
        Some(w) => {
            let first: Vec<String> = r
                .ranking
                .ranked
                .iter()
                .take_while(|e| e.rank == 1)
                .map(|e| format!("**{}**", md_text(&e.card.name)))
                .collect();
            let lead = if first.len() > 1 {
                format!("{} tie for first with", super::cost_table::join_and(&first))
            } else {
                format!("{} ranks first with", first.join(""))
            };
            s.push_str(&format!(
                "{lead} {:.1} of 100{}. Weights: {}. Unknown facts score pessimistically; `?` marks a score that rests on unknown facts and *Best case* shows it if every unknown were favourable.\n\n",
                w.card.total.low,
                if first.len() > 1 {
                    String::new()
                } else {
                    w.margin.map_or_else(String::new, |m| format!(", {m:.1} points ahead of the next"))
                },
                weights_line(&r.ranking.weights)
            ));
        }
        None => s.push_str("No provider passes the hard requirements.\n\n"),
    }
    s.push_str(&ranking_table(r));
    s.push_str(&format!(
        "\n**How sure?** {}\n",
        md_text(&crate::report::question_table::certainty(
            &r.ranking, &r.joint
        ))
    ));
    if !r.ranking.excluded.is_empty() {
        s.push_str("\nExcluded by the scenario's hard requirements:\n\n");
        for x in &r.ranking.excluded {
            s.push_str(&format!(
                "- **{}**: {}\n",
                md_text(&x.name),
                md_text(
                    &x.failures
                        .iter()
                        .map(|f| f.reason.clone())
                        .collect::<Vec<_>>()
                        .join("; ")
                )
            ));
        }
    }
    s.push('\n');
    s.push_str(&chart_links(charts, "axis-contributions"));
    s.push_str("\nWeighted axis points: the chart's bars, axis score × weight; each row adds up to the total (up to rounding).\n\n");
    s.push_str(&crate::report::ranking_table::contributions_table(&r.ranking).to_markdown());

    s.push_str("\n## Cost at the milestones\n\nSteady state at each customer count: month-1 prices, the cheapest eligible plan with its required add-ons; one-time costs shown separately.\n\n");
    s.push_str(&milestone_table(r));
    s.push_str(&format!(
        "\nFor budgets: the annual cost (12 × the monthly cost above), the first year (annual plus the one-time costs due in months 1–12) at each milestone, and the total over the {}-month horizon as the customers grow (one-time costs included).\n\n",
        r.scenario.horizon()
    ));
    s.push_str(&totals_table(r));
    s.push_str(&cost_notes(r));
    s.push('\n');
    s.push_str(&format!(
        "\n## Estimated cost (P10 / P50 / P90)\n\nThe published figures above never include estimates. Here every unpublished price with a sourced range, every unstated tier mode and every ranged assumption is drawn together ({} Monte Carlo draws, seed {}); each percentile is the exact cost of one draw. *P(cheapest)* is over the providers whose estimate is defined; *unknown* names the price that has no estimate.\n\n",
        r.joint.settings.draws_text(),
        r.joint.settings.seed
    ));
    let published = |id: &str, at: Option<u64>| match at {
        Some(n) => r
            .milestone(id, n)
            .is_some_and(|m| matches!(m.quote.recurring, CostValue::Known { .. })),
        None => r
            .projection_of(id)
            .and_then(crate::cost::Projection::horizon_total)
            .is_some_and(|c| matches!(c, CostValue::Known { .. })),
    };
    s.push_str(
        &crate::report::estimate_table::estimate_table(&r.joint.costs, cur, &published)
            .to_markdown(),
    );
    s.push('\n');
    s.push_str(&chart_links(charts, "cost-vs-customers"));
    s.push_str(&chart_links(charts, "cost-vs-customers-log"));
    let from = usize::try_from(r.projection.curve_min.max(1) - 1).unwrap_or(usize::MAX);
    // An excluded provider has no cost to draw either, but for another reason than an
    // unpublished price: naming it among the unpriced would send the reader to ask its vendor
    // for a quote.
    let excluded = |id: &str| r.ranking.excluded.iter().any(|e| e.provider == id);
    let (mut out, mut not_drawn) = (Vec::new(), Vec::new());
    for c in r.projection.curves.iter().filter(|c| {
        !r.has_band(&c.provider)
            && c.costs
                .iter()
                .skip(from)
                .all(|v| v.floor().is_none_or(crate::cost::Money::is_zero))
    }) {
        if excluded(&c.provider) {
            out.push(r.name(&c.provider));
        } else {
            not_drawn.push(r.name(&c.provider));
        }
    }
    if !not_drawn.is_empty() {
        s.push_str(&format!(
            "\nNot drawn (nothing published and no estimate in this range): {}.\n",
            md_text(&not_drawn.join(", "))
        ));
    }
    if !out.is_empty() {
        s.push_str(&format!(
            "\nNot drawn (excluded by the scenario's hard requirements): {}.\n",
            md_text(&out.join(", "))
        ));
    }

    s.push_str(&format!(
        "\n## Cheapest provider by customer count\n\nBy effective monthly cost (recurring cost plus one-time costs spread over the {}-month horizon), among providers whose cost is fully published ({}–{} customers): {}\n\nCrossovers of effective monthly cost:\n\n",
        r.scenario.horizon(),
        group(r.projection.curve_min),
        group(r.projection.curve_max),
        md_text(&format_bands(&r.projection.bands, &|id| r.name(id)).replace("; ", " · "))
    ));
    s.push_str(&md_list(&crossover_lines(
        &r.projection.crossovers,
        cur,
        false,
        &|id| r.name(id),
        &|m| r.scenario.calendar_month(m),
    )));
    s.push_str("\nCrossovers of cumulative cost (one-time costs included), by month:\n\n");
    s.push_str(&md_list(&crossover_lines(
        &r.projection.cumulative_crossovers,
        cur,
        true,
        &|id| r.name(id),
        &|m| r.scenario.calendar_month(m),
    )));
    s.push_str(&format!(
        "\nEstimated crossovers of cumulative cost ({} draws; among the first two in the ranking and the four providers with the lowest median horizon total; shown when they happen in at least 5 % of draws):\n\n",
        group(
            r.joint
                .settings
                .draws
                .min(crate::estimate::simulation::CROSSOVER_DRAWS) as u64
        )
    ));
    let estimated = crate::report::estimate_table::crossover_lines(&r.joint.costs);
    if estimated.is_empty() {
        s.push_str("- none in this horizon\n");
    } else {
        s.push_str(&md_list(&estimated.join("\n")));
    }
    s.push('\n');
    s.push_str(&chart_links(charts, "monthly-cost"));
    s.push_str(&chart_links(charts, "cumulative-cost"));

    s.push_str("\n## What to ask each vendor\n\n");
    let winner = r
        .ranking
        .ranked
        .first()
        .map_or_else(|| "the winner".to_owned(), |w| w.card.name.clone());
    s.push_str(&crate::report::question_table::markdown(
        &r.joint,
        &md_text(&winner),
        10,
    ));

    s.push('\n');
    s.push_str(&sensitivity_section(r));
    s.push_str("\n## Data files\n\n[ranking.csv](ranking.csv) · [milestones.csv](milestones.csv) · [costs.csv](costs.csv) (one row per provider × month × line item) · [report.json](report.json)\n\n");
    s.push_str("## Sources\n\n");
    s.push_str(SOURCE_GRADES);
    s.push_str(&footnotes(&r.providers));
    s.into_bytes()
}

/// What the grade in brackets in a source's note means (docs/catalog.md, "Citing sources"):
/// the notes use the marks throughout, so each file that prints them says what they are.
const SOURCE_GRADES: &str = "Source grades in the notes: \\[P\\] primary (the vendor's own docs, repository or changelog); \\[H\\] the vendor's pricing page, transcribed verbatim by a harvester; \\[S\\] secondary (blogs, comparisons, community answers, mirrors); \\[G\\] a generated, unverified third-party file, whose figures are only ever estimates. Only \\[P\\] and \\[H\\] sources make a fact or price known.\n\n";

fn md_list(lines: &str) -> String {
    let mut out = String::new();
    for l in lines.lines() {
        out.push_str("- ");
        out.push_str(&md_text(l.trim()));
        out.push('\n');
    }
    out
}

/// The winner's share of the joint draws in which it ranks first, and, when another provider
/// ranks first more often, that provider and its share: a narrow winner that the draws favour
/// less than a rival is what the index's reader most needs to see (found in review: the
/// index showed `cost-sensitive`'s winner at 26 % while its summary said a rival was first in
/// 45 %).
fn joint_first_cell(r: &ScenarioReport<'_>) -> String {
    let shares = &r.joint.p_first_joint;
    let Some(first) = shares.first() else {
        return String::new();
    };
    let rival = r.joint.rival().filter(|(_, p)| p > first);
    match rival.and_then(|(i, p)| r.ranking.ranked.get(i).map(|e| (&e.card.name, p))) {
        // The index table escapes this column itself.
        Some((name, p)) => format!("{:.0} % ({name} {:.0} %)", first * 100.0, p * 100.0),
        None => format!("{:.0} %", first * 100.0),
    }
}

/// `README.md`: the index of every scenario.
pub fn index(catalog: &Catalog, reports: &[ScenarioReport<'_>], max_age_days: i64) -> Vec<u8> {
    let mut s = String::from(
        "# scimeter reports\n\n<!-- generated by `scimeter report`; do not edit: change the catalog and regenerate -->\n\n",
    );
    s.push_str("Generated from the catalog in `providers/` and `scenarios/`. Each scenario has a summary with the full ranking, costs, charts, sensitivity and sources.\n\n## Who wins each scenario\n\n");
    let mut t = Table::new([
        "Scenario",
        "Winner",
        "Score",
        "Runner-up",
        "Lead",
        "Ranks first (joint)²",
        "Cheapest fully priced at the milestones¹",
        "Most likely cheapest (estimated)³",
    ])
    .right_align(&[2, 4, 5]);
    for r in reports {
        let first = r.ranking.ranked.first();
        let second = r.ranking.ranked.get(1);
        let cheapest = |n: u64| r.cheapest_at(n);
        t.push([
            format!(
                "[{}]({}/summary.md)",
                md_text(&r.scenario.name),
                r.scenario.id()
            ),
            first.map_or_else(
                || "none".into(),
                |e| {
                    format!(
                        "**{}**{}",
                        md_text(&e.card.name),
                        if e.tied { " (tie)" } else { "" }
                    )
                },
            ),
            first.map_or_else(String::new, |e| format!("{:.1}", e.card.total.low)),
            second.map_or_else(|| "—".into(), |e| e.card.name.clone()),
            first
                .and_then(|e| e.margin)
                .map_or_else(String::new, |m| format!("{m:.1}")),
            joint_first_cell(r),
            r.scenario
                .milestones()
                .iter()
                .map(|m| format!("{}: {}", group(*m), cheapest(*m)))
                .collect::<Vec<_>>()
                .join(" · "),
            likely_cheapest(r),
        ]);
    }
    s.push_str(&t.markdown_cols(&[0, 1]).to_markdown());
    s.push_str("\n¹ By effective monthly cost (recurring + one-time costs spread over the horizon), among providers whose cost there is fully published; a provider with a partly unknown price may still be cheaper. One whose only unknown is its tier mode (graduated or volume), and which costs less than that under either mode, is named in brackets with its upper figure.\n");
    if let Some(r) = reports.first() {
        s.push_str(&format!(
            "\n² Share of {} Monte Carlo draws (seed {}) in which the winner ranks first when the weights (every weighting equally likely, not only those near the scenario's), the unknown facts and the estimated costs vary together; in brackets, a provider that ranks first more often.\n",
            r.joint.settings.draws_text(),
            r.joint.settings.seed
        ));
    }
    s.push_str("\n³ The provider with the highest P(cheapest) in monthly recurring cost at each milestone (unlike ¹, one-time costs such as an in-house build are not included; each summary's horizon totals include them), over the providers whose unpublished prices all have sourced estimates (how many, after the share). *Point estimate*: part of its price is unpublished and its estimated cost has no spread, because each source gives one figure, not a range; the share then rests on those figures alone.\n");

    s.push_str("\n## Monthly cost at each scenario's milestones\n\nOne column per scenario and milestone (`baseline @ 1,000` is the monthly cost at 1,000 customers in `baseline`), steady state, per the scenario's usage assumptions, so each column sorts on its own. `≥ X + unknown` means at least X plus a part with no published price (never counted as 0).\n\n");
    let mut headers = vec!["Provider".to_owned()];
    for r in reports {
        headers.extend(
            r.scenario
                .milestones()
                .iter()
                .map(|m| format!("{} @ {}", r.scenario.id(), group(*m))),
        );
    }
    let n = headers.len();
    let mut t = Table::new(headers).right_align(&(1..n).collect::<Vec<_>>());
    for p in &catalog.providers {
        let mut row = vec![p.name.clone()];
        for r in reports {
            let cur = r.scenario.currency();
            row.extend(r.scenario.milestones().iter().map(|&c| {
                r.milestone(p.id(), c)
                    .map_or_else(|| "—".into(), |m| cost_cell(&m.quote.recurring, cur))
            }));
        }
        t.push(row);
    }
    s.push_str(&t.to_markdown());

    s.push_str("\n## Cheapest fully priced provider by customer count\n\nWhere the cheapest provider changes, each scenario's summary lists the crossovers.\n\n");
    for r in reports {
        s.push_str(&format!(
            "- **{}** (`{}`): {}\n",
            md_text(&r.scenario.name),
            r.scenario.id(),
            md_text(&format_bands(&r.projection.bands, &|id| r.name(id)).replace("; ", " · "))
        ));
    }

    let newest = catalog.verified_range().map(|(_, b)| b);
    s.push_str("\n## Data freshness and research coverage\n\n");
    if let Some(newest) = newest {
        s.push_str(&format!("Providers verified more than {max_age_days} days before the newest verification in the catalog ({newest}) are flagged.\n\n"));
    }
    s.push_str(SOURCE_GRADES);
    s.push_str("Known: the share of the provider's facts and prices that the catalog knows (the rest is unknown, so each score rests on this much research); unpublished: what the vendor does not publish; not found: what the research did not find. `scimeter check` prints the full table.\n\n");
    let mut t = Table::new([
        "Provider",
        "Known",
        "Unpublished",
        "Not found",
        "Verified",
        "Pricing model",
        "Sources",
        "Caveats",
    ])
    .right_align(&[1, 2, 3, 6, 7]);
    for p in &catalog.providers {
        let stale = newest.is_some_and(|d: Date| p.verified.days_until(d) > max_age_days);
        let known = crate::model::coverage::Coverage::of(p).all();
        t.push([
            p.name.clone(),
            known.known_percent(),
            known.unpublished.to_string(),
            // An unknown without a recorded reason was not found either, as far as anyone
            // has written down.
            (known.not_found + known.unexplained).to_string(),
            format!("{}{}", p.verified, if stale { " ⚠ stale" } else { "" }),
            p.pricing.model.as_str().to_owned(),
            p.sources.len().to_string(),
            p.caveats.len().to_string(),
        ]);
    }
    // Only the name is catalog text; the other cells are dates, counts and scimeter's words.
    s.push_str(&t.markdown_cols(&[1, 2, 3, 4, 5, 6, 7]).to_markdown());
    s.push_str("\n<details><summary>Caveats per provider (the doubts recorded in the catalog)</summary>\n\n");
    for p in &catalog.providers {
        for c in &p.caveats {
            s.push_str(&format!("- **{}**: {}\n", md_text(&p.name), md_text(c)));
        }
    }
    s.push_str("\n</details>\n");
    if let Some(r) = reports
        .iter()
        .find(|r| r.scenario.id() == "baseline")
        .or(reports.first())
    {
        s.push_str(&format!("\n## Cost versus customers ({})\n\n![Monthly cost versus customers]({}/cost-vs-customers.png)\n", r.scenario.id(), r.scenario.id()));
    }
    s.into_bytes()
}

/// Two shares of P(cheapest) this close (5 percentage points) make a toss-up.
const TOSS_UP: f64 = 0.05;

/// "100: Build in-house (91 % of 6) · 1,000: Clerk or Scalekit (a toss-up: 50 % / 50 % of
/// 3)": the most likely cheapest provider at each milestone in the estimated view.
fn likely_cheapest(r: &ScenarioReport<'_>) -> String {
    let est = &r.joint.costs;
    r.scenario
        .milestones()
        .iter()
        .map(|&m| {
            let Some(k) = est.milestones.iter().position(|&x| x == m) else {
                return format!("{}: no estimate", group(m));
            };
            let compared: Vec<(&ProviderEstimate, f64)> = est
                .providers
                .iter()
                .filter_map(|p| p.milestones.get(k)?.p_cheapest.map(|q| (p, q)))
                .collect();
            let best = compared.iter().max_by(|a, b| {
                a.1.total_cmp(&b.1)
                    .then_with(|| b.0.provider.cmp(&a.0.provider))
            });
            match best {
                Some((p, q)) => {
                    // A share of 100 % can rest on one figure per unpublished price: say so,
                    // and say how few were compared, rather than let it read as certainty. A
                    // fully published cost has no spread either, and needs no warning.
                    let published = r
                        .milestone(&p.provider, m)
                        .is_some_and(|mc| matches!(mc.quote.recurring, CostValue::Known { .. }));
                    let point = p.milestones[k].is_point_estimate(published);
                    // A runner-up within 5 points is a toss-up, not a loser (found in
                    // review: "Clerk (50 % of 3)" against Scalekit's 49.9 %).
                    let close = compared
                        .iter()
                        .filter(|(o, oq)| o.provider != p.provider && q - oq <= TOSS_UP)
                        .max_by(|a, b| {
                            a.1.total_cmp(&b.1)
                                .then_with(|| b.0.provider.cmp(&a.0.provider))
                        });
                    let point = if point { "; point estimate" } else { "" };
                    match close {
                        Some((o, oq)) => format!(
                            "{}: {} or {} (a toss-up: {:.0} % / {:.0} % of {}{point})",
                            group(m),
                            p.name,
                            o.name,
                            q * 100.0,
                            oq * 100.0,
                            compared.len()
                        ),
                        None => format!(
                            "{}: {} ({:.0} % of {}{point})",
                            group(m),
                            p.name,
                            q * 100.0,
                            compared.len()
                        ),
                    }
                }
                None => format!("{}: no estimate", group(m)),
            }
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estimate::simulation::Settings;
    use crate::load::shipped;

    fn report<'c>(catalog: &'c Catalog, scenario: &str) -> ScenarioReport<'c> {
        let settings = Settings {
            draws: 200,
            seed: 7,
        };
        ScenarioReport::build(catalog, catalog.scenario(scenario).unwrap(), settings).unwrap()
    }

    /// In baseline `WorkOS`'s month 1 is priced ($13,000 at 100 customers in graduated mode)
    /// and months 2–36 have nothing priced (their connections reach the unpriced band, and
    /// in volume mode every connection is charged at it), so its horizon floor is $13,000 and
    /// says that 35 of the 36 months are not in it. Stytch's floor is partly priced in every
    /// month: no count. A known total never gets one.
    #[test]
    fn a_horizon_floor_says_how_many_months_it_leaves_out() {
        let catalog = shipped();
        let r = report(&catalog, "baseline");
        let cell = |id: &str| horizon_cell(r.projection_of(id).unwrap(), "USD");
        assert_eq!(
            cell("workos"),
            "≥ $13,000.00 + unknown (35 of 36 months unpriced)"
        );
        assert!(!cell("stytch").contains("unpriced"), "{}", cell("stytch"));
        assert_eq!(cell("auth0"), "unknown");
    }

    /// The most likely cheapest names how many providers were compared, and flags a share
    /// that rests on single-figure estimates of unpublished prices (`PropelAuth` in the shipped
    /// catalog), but not a fully published cost, which has no spread either.
    #[test]
    fn the_most_likely_cheapest_says_how_many_and_flags_point_estimates() {
        let catalog = shipped();
        let r = report(&catalog, "baseline");
        assert_eq!(
            likely_cheapest(&r),
            "100: PropelAuth (100 % of 5; point estimate) · 1,000: PropelAuth (100 % of 5; point estimate)"
        );
        let fixture = crate::load::load_catalog(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/report/catalog"),
            crate::load::LoadOptions {
                as_of: "2026-03-01".parse::<Date>().unwrap(),
                max_age_days: i64::MAX,
            },
        )
        .catalog
        .unwrap();
        assert_eq!(
            likely_cheapest(&report(&fixture, "growth")),
            "10: Bundle Co (100 % of 3) · 50: Bundle Co (100 % of 2)"
        );
    }

    /// Two shares within 5 points are a toss-up and both are named (found in review:
    /// `google-heavy` showed "Clerk (50 % of 3)" against Scalekit's 49.9 %); 6 points apart
    /// they are not.
    #[test]
    fn a_close_runner_up_makes_the_most_likely_cheapest_a_toss_up() {
        let catalog = shipped();
        let mut r = report(&catalog, "google-heavy");
        let k = 0;
        let set = |r: &mut ScenarioReport<'_>, id: &str, q: f64| {
            let p = r
                .joint
                .costs
                .providers
                .iter_mut()
                .find(|p| p.provider == id)
                .expect("the provider has an estimate");
            p.milestones[k].p_cheapest = Some(q);
        };
        for p in &mut r.joint.costs.providers {
            if p.milestones[k].p_cheapest.is_some() {
                p.milestones[k].p_cheapest = Some(0.0);
            }
        }
        set(&mut r, "clerk", 0.501);
        set(&mut r, "scalekit", 0.499);
        let cell = likely_cheapest(&r);
        assert!(
            cell.starts_with("100: Clerk or Scalekit (a toss-up: 50 % / 50 % of "),
            "{cell}"
        );
        set(&mut r, "clerk", 0.53);
        set(&mut r, "scalekit", 0.47);
        let cell = likely_cheapest(&r);
        assert!(cell.starts_with("100: Clerk (53 % of "), "{cell}");
    }

    /// The index's joint cell names a provider that ranks first more often than the winner
    /// (the most often, the better-ranked on a tie), and only then.
    #[test]
    fn the_joint_cell_names_a_rival_that_ranks_first_more_often() {
        let catalog = shipped();
        let mut r = report(&catalog, "baseline");
        let n = r.ranking.ranked.len();
        let names: Vec<String> = r
            .ranking
            .ranked
            .iter()
            .map(|e| e.card.name.clone())
            .collect();
        let mut shares = vec![0.0; n];
        shares[..3].copy_from_slice(&[0.26, 0.37, 0.37]);
        r.joint.p_first_joint = shares;
        assert_eq!(joint_first_cell(&r), format!("26 % ({} 37 %)", names[1]));
        // The summary's "How sure?" names the same rival on the tie (found in review: it
        // named the worse-ranked of the two).
        let sure = crate::report::question_table::certainty(&r.ranking, &r.joint);
        assert!(
            sure.contains(&names[1]) && !sure.contains(&names[2]),
            "{sure}"
        );
        r.joint.p_first_joint[2] = 0.45;
        assert_eq!(joint_first_cell(&r), format!("26 % ({} 45 %)", names[2]));
        r.joint.p_first_joint[0] = 0.45;
        assert_eq!(joint_first_cell(&r), "45 %");
        r.joint.p_first_joint.clear();
        assert_eq!(joint_first_cell(&r), "");
    }

    /// `WorkOS` at 100 customers in `baseline`: 100 directory and 100 SSO connections on
    /// bands of unstated mode, volume 2 × 100 × $65 = $13,000 and graduated 2 × (15 × 125 +
    /// 15 × 100 + 20 × 80 + 50 × 65) = $16,450 a month; the cost note gives both. At 1,000 the
    /// 101+ bands are unpriced, so the note gives no figures, only the reasons.
    #[test]
    fn a_cost_unknown_only_by_its_tier_mode_is_given_both_readings() {
        let catalog = shipped();
        let r = report(&catalog, "baseline");
        let notes = cost_notes(&r);
        assert!(
            notes.contains("- **WorkOS** at 100: $13,000.00 a month (volume) or $16,450.00 (graduated), as the tier mode is its only unknown; Directory Sync connections: tier mode unstated"),
            "{notes}"
        );
        assert!(
            notes.contains("- **WorkOS** at 1,000: Directory Sync connections: tier mode unstated"),
            "{notes}"
        );
        // Clerk's unstated table comes with an unpriced add-on: no figures.
        assert!(
            notes.contains("- **Clerk** at 100: Enterprise connections"),
            "{notes}"
        );
    }
}
