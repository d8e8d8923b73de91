//! `scimeter explain`: the chain fact → level → value → weighted contribution, with sources;
//! the cost arithmetic; and with `--vs`, the exact decomposition of a score difference.

use crate::config::{Config, Format, Task};
use crate::cost::analysis::milestone_costs;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::report::escape::md_text_if;
use crate::report::table::Table;
use crate::score::ranking::{Scorecard, evidence, normalize_weights, scorecard};
use crate::score::{Axis, sensitivity};

/// Runs the command.
pub fn run(config: &Config) -> Result<(ExitStatus, String), Error> {
    let Task::Explain {
        provider,
        scenario,
        vs,
        weights,
        format,
    } = &config.task
    else {
        return Err(Error::Other("internal: wrong task for `explain`".into()));
    };
    let catalog = super::load(config)?;
    let scenario = super::scenario(&catalog, scenario)?;
    let p = super::provider(&catalog, provider)?;
    let q = vs
        .as_deref()
        .map(|id| super::provider(&catalog, id))
        .transpose()?;
    let w = normalize_weights(super::raw_weights(scenario, *weights))
        .map_err(|e| Error::usage(e, None))?;
    let card_p = scorecard(p, scenario, w, &evidence(p, scenario)?);
    let card_q = match q {
        Some(q) => Some(scorecard(q, scenario, w, &evidence(q, scenario)?)),
        None => None,
    };
    let excluded_p = crate::score::requirement::failures(p, scenario);
    let costs = milestone_costs(&[p], scenario, &scenario.milestones())?;
    let cur = scenario.currency();

    if *format == Format::Json {
        let doc = serde_json::json!({
            "schema_version": 1,
            "scenario": scenario.id(),
            "weights": w,
            "scorecard": card_p,
            "excluded_by": excluded_p,
            "costs": costs,
            "versus": card_q.as_ref().map(|cq| versus_json(&card_p, cq, w)),
        });
        return Ok((
            ExitStatus::Success,
            serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n",
        ));
    }
    if *format == Format::Csv {
        return Ok((ExitStatus::Success, breakdown_csv(&card_p, w).to_csv()));
    }
    let md = *format == Format::Markdown;
    let text = |t: &str| md_text_if(md, t);
    let verb = if excluded_p.is_empty() {
        "scores"
    } else {
        "would score if the scenario's requirements did not exclude it"
    };
    let mut s = format!(
        "{}Why {} {verb} {:.1} in scenario `{}`{}\nweights: {}\n",
        if md { "### " } else { "" },
        text(&p.name),
        card_p.total.low,
        scenario.id(),
        if card_p.uncertain() {
            format!(
                " (best case {:.1} if every unknown fact were favourable)",
                card_p.total.high
            )
        } else {
            String::new()
        },
        super::weights_line(&w)
    );
    s.push_str(&super::override_note(*weights));
    if !excluded_p.is_empty() {
        s.push_str(&format!(
            "\nNote: {} is excluded from the ranking of this scenario: {}\n",
            text(&p.name),
            excluded_p
                .iter()
                .map(|f| text(&f.reason))
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    s.push_str(&breakdown(&card_p, w, md, config.width));
    s.push_str(&format!(
        "\n{}Cost at the milestones\n",
        if md { "#### " } else { "" }
    ));
    let horizon = scenario.horizon();
    let reached =
        crate::cost::growth::GrowthCurve::from_spec(&scenario.growth, horizon).map_or(0, |c| {
            crate::cost::projection::customers_by_month(&c, horizon)
                .into_iter()
                .max()
                .unwrap_or(0)
        });
    if scenario.milestones().iter().any(|&m| m > reached) {
        s.push_str(&format!(
            "(the scenario never exceeds {} customers: milestones above that are shown for reference and do not count on the pricing axis)\n",
            crate::cost::schedule::group(reached)
        ));
    }
    let all: Vec<&crate::model::Provider> = catalog.providers.iter().collect();
    let names = super::Names::of(&all);
    s.push_str(&crate::report::cost_table::notes(
        &costs,
        cur,
        true,
        md,
        &|id: &str| names.get(id),
    ));
    if let Some(cq) = &card_q {
        s.push_str(&versus_text(&card_p, cq, w, md, config.width));
    }
    Ok((ExitStatus::Success, s))
}

/// One row per criterion, raw numbers (for `--format csv`).
pub fn breakdown_csv(card: &Scorecard, w: [f64; 5]) -> Table {
    let mut t = Table::new([
        "provider",
        "axis",
        "weight",
        "fact",
        "level",
        "value",
        "value_best_case",
        "points",
        "axis_points",
        "weighted_points",
        "source",
        "note",
    ]);
    for (k, axis) in card.axes.iter().enumerate() {
        for c in &axis.criteria {
            let axis_points = axis.contribution(c);
            t.push([
                card.provider.clone(),
                Axis::ALL[k].key().to_owned(),
                format!("{:.6}", w[k]),
                c.key.clone(),
                c.level.clone(),
                format!("{:.6}", c.value.low),
                format!("{:.6}", c.value.high),
                format!("{}", c.points),
                format!("{axis_points:.6}"),
                format!("{:.6}", axis_points * w[k]),
                c.source.clone().unwrap_or_default(),
                c.note.clone().unwrap_or_default(),
            ]);
        }
    }
    t
}

/// Per axis: each criterion's fact, level, value, points, and weighted contribution.
pub fn breakdown(card: &Scorecard, w: [f64; 5], md: bool, width: Option<u16>) -> String {
    let mut s = String::new();
    for (k, axis) in card.axes.iter().enumerate() {
        let label = Axis::ALL[k].label();
        s.push_str(&format!(
            "\n{}{label}: {:.1}{} × weight {:.1} % = {:.2} points\n",
            if md { "#### " } else { "" },
            axis.score.low,
            if axis.score.is_uncertain() {
                format!(" (best case {:.1})", axis.score.high)
            } else {
                String::new()
            },
            w[k] * 100.0,
            w[k] * axis.score.low
        ));
        let total_points: f64 = axis.criteria.iter().map(|c| c.points).sum();
        // Notes and sources go below the table, numbered, so the table stays readable.
        let mut t = Table::new([
            "Fact",
            "Level",
            "Value",
            "Points",
            "Axis points",
            "Weighted",
            "Ref",
        ])
        .right_align(&[2, 3, 4, 5]);
        let mut refs = Vec::new();
        for c in &axis.criteria {
            let axis_points = axis.contribution(c);
            let value = if c.value.is_uncertain() {
                format!("{:.2}–{:.2}", c.value.low, c.value.high)
            } else {
                format!("{:.2}", c.value.low)
            };
            let reference = if c.note.is_some() || c.source.is_some() {
                let mut r = format!("[{}] `{}`", refs.len() + 1, c.key);
                if let Some(n) = &c.note {
                    r.push_str(&format!(": {}", md_text_if(md, n)));
                }
                if let Some(src) = &c.source {
                    r.push_str(&format!(" (source: {})", md_text_if(md, src)));
                }
                refs.push(r);
                format!("[{}]", refs.len())
            } else {
                String::new()
            };
            // Multi-part levels (the IdP mix) wrap one part per line in the terminal.
            let level = if md {
                c.level.clone()
            } else {
                c.level.replace("; ", "\n")
            };
            t.push([
                c.key.clone(),
                level,
                value,
                format!("{:.0}/{total_points:.0}", c.points),
                format!("{axis_points:.1}"),
                format!("{:.2}", axis_points * w[k]),
                reference,
            ]);
        }
        s.push_str(&if md {
            t.to_markdown() + "\n"
        } else {
            t.to_terminal(width)
        });
        for r in refs {
            s.push_str(&if md {
                format!("- {r}\n")
            } else {
                format!("  {r}\n")
            });
        }
    }
    s
}

fn versus_json(p: &Scorecard, q: &Scorecard, w: [f64; 5]) -> serde_json::Value {
    let diff: Vec<f64> = (0..5)
        .map(|k| w[k] * (p.axes[k].score.low - q.axes[k].score.low))
        .collect();
    let shift = if p.total.low >= q.total.low {
        sensitivity::pair_shift(&[p.values(), q.values()], w, 0, 1)
    } else {
        sensitivity::pair_shift(&[q.values(), p.values()], w, 0, 1)
    };
    serde_json::json!({
        "other": q.provider,
        "other_total": q.total.low,
        "difference": p.total.low - q.total.low,
        "by_axis": Axis::ALL.iter().zip(&diff).map(|(a, d)| (a.key(), *d)).collect::<std::collections::BTreeMap<_, _>>(),
        "weight_shift_to_tie": shift.map(|s| serde_json::json!({ "total_shift": s.total_shift, "new_weights": s.new_weights, "moves": s.moves })),
        "fact_change_to_tie": if p.total.low >= q.total.low { fact_change(p, q, w) } else { fact_change(q, p, w) },
    })
}

/// The score difference by axis, the smallest weight shift and the smallest single-fact change
/// that would make the two tie.
pub fn versus_text(
    p: &Scorecard,
    q: &Scorecard,
    w: [f64; 5],
    md: bool,
    width: Option<u16>,
) -> String {
    let d = p.total.low - q.total.low;
    let (ahead, behind) = if d >= 0.0 { (p, q) } else { (q, p) };
    let (p_name, q_name) = (md_text_if(md, &p.name), md_text_if(md, &q.name));
    let (ahead_name, behind_name) = if d >= 0.0 {
        (&p_name, &q_name)
    } else {
        (&q_name, &p_name)
    };
    let mut s = format!(
        "\n{}{p_name} vs {q_name}: {d:+.2} points\n",
        if md { "#### " } else { "" },
    );
    let mut t = Table::new([
        "Axis",
        p.name.as_str(),
        q.name.as_str(),
        "Weight",
        "Contribution to the gap",
    ])
    .right_align(&[1, 2, 3, 4]);
    for (k, a) in Axis::ALL.iter().enumerate() {
        t.push([
            a.label().to_owned(),
            format!("{:.1}", p.axes[k].score.low),
            format!("{:.1}", q.axes[k].score.low),
            format!("{:.1} %", w[k] * 100.0),
            format!("{:+.2}", w[k] * (p.axes[k].score.low - q.axes[k].score.low)),
        ]);
    }
    t.push([
        "Total".to_owned(),
        format!("{:.1}", p.total.low),
        format!("{:.1}", q.total.low),
        "100 %".into(),
        format!("{d:+.2}"),
    ]);
    s.push_str(&if md {
        t.to_markdown() + "\n"
    } else {
        t.to_terminal(width)
    });
    if d.abs() <= crate::score::ranking::TIE {
        s.push_str("They are tied.\n");
        return s;
    }
    match sensitivity::pair_shift(&[ahead.values(), behind.values()], w, 0, 1) {
        Some(shift) if shift.total_shift > 0.0 => {
            let moves: Vec<String> = shift
                .moves
                .iter()
                .map(|(from, to, amount)| {
                    format!(
                        "{:.1} points of weight from {} to {}",
                        amount * 100.0,
                        Axis::ALL[*from].key(),
                        Axis::ALL[*to].key()
                    )
                })
                .collect();
            s.push_str(&format!(
                "Smallest weight change that makes {behind_name} tie {ahead_name}: moving {}.\n",
                moves.join(" and ")
            ));
        }
        _ => s.push_str(&format!(
            "No change of weights lets {behind_name} catch {ahead_name}: it is not ahead on any axis.\n",
        )),
    }
    match fact_change(ahead, behind, w) {
        Some(text) => s.push_str(&format!(
            "Smallest single-fact change: {}.\n",
            md_text_if(md, &text)
        )),
        None => s.push_str(&format!(
            "No single fact of {behind_name} can close the gap on its own.\n"
        )),
    }
    s
}

/// The criterion of the trailing provider whose improvement to full value closes the gap with
/// the smallest such improvement, in words.
fn fact_change(ahead: &Scorecard, behind: &Scorecard, w: [f64; 5]) -> Option<String> {
    let gap = ahead.total.low - behind.total.low;
    let mut best: Option<(f64, String)> = None;
    for (k, axis) in behind.axes.iter().enumerate() {
        let total_points: f64 = axis.criteria.iter().map(|c| c.points).sum();
        if total_points <= 0.0 || w[k] <= 0.0 {
            continue;
        }
        for c in &axis.criteria {
            // Raising the value from v to v' adds w_k × 100 × points × (v' − v) / Σpoints.
            let per_unit = w[k] * 100.0 * c.points / total_points;
            let needed = gap / per_unit;
            if per_unit > 0.0 && c.value.low + needed <= 1.0 + 1e-12 {
                let text = format!(
                    "if {}'s `{}` (now {}, worth {:.2}) were worth at least {:.2} (for example a better level of that fact), it would catch {}",
                    behind.name,
                    c.key,
                    c.level,
                    c.value.low,
                    c.value.low + needed,
                    ahead.name
                );
                if best.as_ref().is_none_or(|(n, _)| needed < *n) {
                    best = Some((needed, text));
                }
            }
        }
    }
    best.map(|(_, t)| t)
}
