//! `index.html`: one self-contained interactive page (inline CSS, JS and SVG, the data as one
//! embedded JSON block). Rendered with a minijinja template whose HTML auto-escaping is on, so
//! every catalog string stays text. The tables are in the HTML, so it reads without JS; the JS
//! only re-ranks with the weight sliders, toggles costs and chart series, and keeps the URL
//! fragment in sync.

use super::charts::{MAX_CHART_PROVIDERS, shortlist};
use super::question_table::{MATERIAL_IMPACT, certainty};
use super::scenario_report::ScenarioReport;
use crate::cost::CostValue;
use crate::cost::crossover::CurvePoint;
use crate::cost::schedule::group;
use crate::score::axis::Axis;
use minijinja::value::Serde;
use minijinja::{Environment, Value};
use serde::Serialize;

/// The template (HTML auto-escaping follows from its `.html` name).
const TEMPLATE: &str = include_str!("templates/index.html");

/// Questions listed per scenario.
const QUESTION_LIMIT: usize = 10;
/// Points sampled along each cost curve.
const CURVE_POINTS: u64 = 50;
/// Chart geometry (SVG user units).
const CHART_W: f64 = 760.0;
const CHART_H: f64 = 360.0;
const PAD_L: f64 = 70.0;
const PAD_R: f64 = 16.0;
const PAD_T: f64 = 12.0;
const PAD_B: f64 = 40.0;

/// The chart colours (Okabe–Ito and Tol, as the PNG/SVG charts), by catalog position.
const PALETTE: [&str; 16] = [
    "#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#882255", "#999933",
    "#1B7837", "#762A83", "#332288", "#44AA99", "#8C510A", "#E7298A", "#4477AA", "#BB5566",
];

#[derive(Serialize)]
struct AxisView {
    key: &'static str,
    label: &'static str,
}

#[derive(Serialize)]
struct Milestone {
    label: String,
    cheapest: String,
}

#[derive(Serialize)]
struct WeightView {
    key: &'static str,
    label: &'static str,
    raw: f64,
}

#[derive(Serialize)]
struct RankRow {
    rank: usize,
    provider: String,
    name: String,
    total: String,
    total_raw: String,
    axes: Vec<String>,
    /// Research coverage: the share of the provider's facts and prices that are known.
    known: String,
}

#[derive(Serialize)]
struct ExclusionRow {
    name: String,
    reasons: Vec<String>,
}

#[derive(Serialize)]
struct CostRow {
    name: String,
    published: Vec<String>,
    estimated: Vec<String>,
}

#[derive(Serialize)]
struct QuestionRow {
    provider: String,
    question: String,
    impact: String,
}

#[derive(Serialize)]
struct Dot {
    x: String,
    y: String,
    title: String,
}

#[derive(Serialize)]
struct Series {
    provider: String,
    name: String,
    color: &'static str,
    line: String,
    dots: Vec<Dot>,
    band: String,
}

#[derive(Serialize)]
struct Tick {
    pos: String,
    label: String,
}

#[derive(Serialize)]
struct Chart {
    width: f64,
    height: f64,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    xticks: Vec<Tick>,
    yticks: Vec<Tick>,
    series: Vec<Series>,
    /// Drawable providers left out of a large scenario's chart (its shortlist is drawn).
    left_out: usize,
}

#[derive(Serialize)]
struct ScenarioView {
    id: String,
    name: String,
    winner: String,
    score: String,
    p_first: String,
    certainty: String,
    milestones: Vec<Milestone>,
    weights: Vec<WeightView>,
    weights_line: String,
    ranked: Vec<RankRow>,
    excluded: Vec<ExclusionRow>,
    costs: Vec<CostRow>,
    chart: Chart,
    questions: Vec<QuestionRow>,
    more_questions: usize,
    /// The number of draws as shown ("10,000").
    draws: String,
    seed: u64,
}

#[derive(Serialize)]
struct SourceView {
    id: String,
    url: String,
    linkable: bool,
    retrieved: String,
    note: String,
}

#[derive(Serialize)]
struct ProviderSources {
    name: String,
    known: String,
    verified: String,
    sources: Vec<SourceView>,
}

/// What the JS needs to re-rank: per scenario, the raw weights and each ranked provider's
/// pessimistic and optimistic axis scores.
#[derive(Serialize)]
struct Data<'a> {
    axes: Vec<&'static str>,
    scenarios: Vec<DataScenario<'a>>,
}

#[derive(Serialize)]
struct DataScenario<'a> {
    id: &'a str,
    weights: [f64; 5],
    rows: Vec<DataRow<'a>>,
}

#[derive(Serialize)]
struct DataRow<'a> {
    provider: &'a str,
    low: Vec<f64>,
    high: Vec<f64>,
}

/// Serialises to JSON that is safe inside `<script>`: `<`, `>` and `&` (and the JS line
/// separators) become `\u` escapes, which JSON parsers read back unchanged.
pub fn script_safe_json<T: Serialize>(value: &T) -> String {
    let json = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

fn cost_text(c: &CostValue, cur: &str) -> String {
    c.display(cur)
}

fn weights_line(raw: [f64; 5]) -> String {
    let sum: f64 = raw.iter().sum();
    Axis::ALL
        .iter()
        .map(|a| {
            let w = raw[a.index()];
            let share = if sum > 0.0 { w / sum * 100.0 } else { 0.0 };
            format!("{} {w} ({share:.0} %)", a.key())
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// A known point of a cost curve: customers, the amount as a plot coordinate, and the exact
/// amount as text for its tooltip.
type CurveDot = (u64, f64, String);

/// A money amount for an axis label: no decimals, thousands grouped.
fn money_label(v: f64, cur: &str) -> String {
    let rounded = v.round().max(0.0) as u64;
    let symbol = if cur == "USD" { "$" } else { "" };
    if symbol.is_empty() {
        format!("{} {cur}", group(rounded))
    } else {
        format!("{symbol}{}", group(rounded))
    }
}

/// "Nice" tick step for a range split into about `n` parts.
fn nice_step(max: f64, n: f64) -> f64 {
    let raw = (max / n).max(f64::MIN_POSITIVE);
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let nice = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * mag
}

/// The providers the page's chart can draw (a known cost at some count, or an estimated band),
/// and the shortlist it draws of them when there are more than [`MAX_CHART_PROVIDERS`]. A large
/// scenario's chart draws the shortlist its PNG charts draw: a page with hundreds of lines is
/// unreadable, and was 40 MB at 1,000 providers (issue 15).
pub(crate) fn page_chart_providers<'r>(
    r: &'r ScenarioReport<'_>,
) -> (Vec<&'r str>, Option<Vec<&'r str>>) {
    let drawable: Vec<&str> = r
        .projection
        .curves
        .iter()
        .filter(|c| {
            c.costs.iter().any(|p| matches!(p, CurvePoint::Known(_))) || r.has_band(&c.provider)
        })
        .map(|c| c.provider.as_str())
        .collect();
    let keep =
        (drawable.len() > MAX_CHART_PROVIDERS).then(|| shortlist(r, |id| drawable.contains(&id)));
    (drawable, keep)
}

fn chart(r: &ScenarioReport<'_>) -> Chart {
    let cur = r.scenario.currency();
    let min = r.projection.curve_min.max(1);
    let max = r.projection.curve_max.max(min + 1);
    let mut counts: Vec<u64> = (0..CURVE_POINTS)
        .map(|i| min + (max - min) * i / (CURVE_POINTS - 1))
        .collect();
    counts.dedup();
    let (drawable, keep) = page_chart_providers(r);
    let kept = |id: &str| keep.as_ref().is_none_or(|k| k.contains(&id));
    // The known points of every provider drawn, then the scale.
    let known: Vec<(usize, Vec<CurveDot>)> = r
        .projection
        .curves
        .iter()
        .filter(|c| kept(&c.provider))
        .filter_map(|c| {
            let slot = r.style_of(&c.provider)?;
            // Each point keeps its exact amount for the tooltip; the f64 only places it.
            let pts: Vec<CurveDot> = counts
                .iter()
                .filter_map(|&n| {
                    let idx = usize::try_from(n.checked_sub(1)?).ok()?;
                    match c.costs.get(idx)? {
                        CurvePoint::Known(amount) => {
                            Some((n, amount.to_f64(), amount.display(cur)))
                        }
                        _ => None,
                    }
                })
                .collect();
            Some((slot, pts))
        })
        .collect();
    let ymax_known = known
        .iter()
        .flat_map(|(_, p)| p.iter().map(|(_, y, _)| *y))
        .fold(0.0_f64, f64::max);
    let ymax_band = r
        .bands
        .iter()
        .filter(|b| kept(&b.provider))
        .flat_map(|b| b.points.iter().map(|p| p.3))
        .fold(0.0_f64, f64::max);
    let ymax_raw = ymax_known.max(ymax_band).max(1.0);
    let ystep = nice_step(ymax_raw, 5.0);
    let ymax = (ymax_raw / ystep).ceil() * ystep;
    let xstep = nice_step((max - min) as f64, 6.0).max(1.0);
    let (pw, ph) = (CHART_W - PAD_L - PAD_R, CHART_H - PAD_T - PAD_B);
    let sx = |n: f64| PAD_L + (n - min as f64) / (max - min) as f64 * pw;
    let sy = |v: f64| PAD_T + ph - v.clamp(0.0, ymax) / ymax * ph;
    let mut xticks = Vec::new();
    let mut t = (min as f64 / xstep).ceil() * xstep;
    while t <= max as f64 + 1e-9 {
        xticks.push(Tick {
            pos: format!("{:.1}", sx(t)),
            label: group(t as u64),
        });
        t += xstep;
    }
    let mut yticks = Vec::new();
    let mut t = 0.0;
    while t <= ymax + 1e-9 {
        yticks.push(Tick {
            pos: format!("{:.1}", sy(t)),
            label: money_label(t, cur),
        });
        t += ystep;
    }
    let mut series = Vec::new();
    for p in &r.providers {
        let id = p.id();
        let Some(slot) = r.style_of(id).filter(|_| kept(id)) else {
            continue;
        };
        let pts = known
            .iter()
            .find(|(s, _)| *s == slot)
            .map(|(_, p)| p.as_slice())
            .unwrap_or_default();
        let band = r
            .bands
            .iter()
            .find(|b| b.provider == id)
            .map_or_else(String::new, |b| {
                let upper = b
                    .points
                    .iter()
                    .map(|&(n, _, _, p90)| format!("{:.1},{:.1}", sx(n as f64), sy(p90)));
                let lower = b
                    .points
                    .iter()
                    .rev()
                    .map(|&(n, p10, _, _)| format!("{:.1},{:.1}", sx(n as f64), sy(p10)));
                upper.chain(lower).collect::<Vec<_>>().join(" ")
            });
        if pts.is_empty() && band.is_empty() {
            continue;
        }
        let line = pts
            .iter()
            .map(|&(n, y, _)| format!("{:.1},{:.1}", sx(n as f64), sy(y)))
            .collect::<Vec<_>>()
            .join(" ");
        let dots = pts
            .iter()
            .map(|(n, y, exact)| Dot {
                x: format!("{:.1}", sx(*n as f64)),
                y: format!("{:.1}", sy(*y)),
                title: format!("{}: {} customers, {exact} a month", p.name, group(*n)),
            })
            .collect();
        series.push(Series {
            provider: id.to_owned(),
            name: p.name.clone(),
            color: PALETTE[slot % PALETTE.len()],
            line,
            dots,
            band,
        });
    }
    Chart {
        width: CHART_W,
        height: CHART_H,
        left: PAD_L,
        right: CHART_W - PAD_R,
        top: PAD_T,
        bottom: CHART_H - PAD_B,
        xticks,
        left_out: if keep.is_some() {
            drawable.len().saturating_sub(series.len())
        } else {
            0
        },
        yticks,
        series,
    }
}

/// P10 / P50 / P90, or why there is none. `published`: the figure is fully published, so a
/// spread of one value needs no word; otherwise such a spread rests on single-figure
/// estimates, and says so.
fn estimated_text(
    e: &crate::estimate::simulation::PointEstimate,
    cur: &str,
    published: bool,
) -> String {
    match (&e.spread, &e.reason) {
        (Some(s), _) if s.p10 == s.p90 && e.drivers.is_empty() && !published => {
            format!("{} (point estimate: no sourced range)", s.p50.display(cur))
        }
        (Some(s), _) => format!(
            "{} / {} / {}",
            s.p10.display(cur),
            s.p50.display(cur),
            s.p90.display(cur)
        ),
        (None, reason) => {
            let head = if e.unavailable {
                "unavailable"
            } else {
                "unknown"
            };
            match reason {
                Some(r) => format!("{head}: {r}"),
                None => head.to_owned(),
            }
        }
    }
}

fn scenario_view(r: &ScenarioReport<'_>) -> ScenarioView {
    let cur = r.scenario.currency();
    let milestones = r.scenario.milestones();
    let first = r.ranking.ranked.first();
    let raw = r.scenario.weights.raw();
    let ranked = r
        .ranking
        .ranked
        .iter()
        .map(|e| RankRow {
            known: r
                .provider(&e.card.provider)
                .map(known_share)
                .unwrap_or_default(),
            rank: e.rank,
            provider: e.card.provider.clone(),
            name: e.card.name.clone(),
            total: if e.card.uncertain() {
                format!("{:.1}–{:.1}", e.card.total.low, e.card.total.high)
            } else {
                format!("{:.1}", e.card.total.low)
            },
            total_raw: format!("{:.6}", e.card.total.low),
            axes: e
                .card
                .axes
                .iter()
                .map(|a| {
                    if a.score.is_uncertain() {
                        format!("{:.0}–{:.0}", a.score.low, a.score.high)
                    } else {
                        format!("{:.0}", a.score.low)
                    }
                })
                .collect(),
        })
        .collect();
    let costs = r
        .providers
        .iter()
        .map(|p| CostRow {
            name: p.name.clone(),
            published: milestones
                .iter()
                .map(|&m| {
                    r.milestone(p.id(), m)
                        .map_or_else(|| "—".into(), |c| cost_text(&c.quote.recurring, cur))
                })
                .collect(),
            estimated: milestones
                .iter()
                .enumerate()
                .map(|(k, &m)| {
                    let published = r
                        .milestone(p.id(), m)
                        .is_some_and(|c| matches!(c.quote.recurring, CostValue::Known { .. }));
                    r.joint
                        .costs
                        .of(p.id())
                        .and_then(|e| e.milestones.get(k))
                        .map_or_else(|| "—".into(), |e| estimated_text(e, cur, published))
                })
                .collect(),
        })
        .collect();
    let material: Vec<_> = r
        .joint
        .questions
        .iter()
        .filter(|q| q.impact >= MATERIAL_IMPACT)
        .take(QUESTION_LIMIT)
        .map(|q| QuestionRow {
            provider: q.provider.clone(),
            question: q.question.clone(),
            impact: format!("{:.1} pp", q.impact * 100.0),
        })
        .collect();
    ScenarioView {
        id: r.scenario.id().to_owned(),
        name: r.scenario.name.clone(),
        winner: first.map_or_else(
            || "none".into(),
            |e| format!("{}{}", e.card.name, if e.tied { " (tie)" } else { "" }),
        ),
        score: first.map_or_else(String::new, |e| format!("{:.1}", e.card.total.low)),
        p_first: r
            .joint
            .p_first_joint
            .first()
            .map_or_else(String::new, |p| format!("{:.0} %", p * 100.0)),
        certainty: certainty(&r.ranking, &r.joint),
        milestones: milestones
            .iter()
            .map(|&m| Milestone {
                label: group(m),
                cheapest: r.cheapest_at(m),
            })
            .collect(),
        weights: Axis::ALL
            .iter()
            .map(|a| WeightView {
                key: a.key(),
                label: a.label(),
                raw: raw[a.index()],
            })
            .collect(),
        weights_line: weights_line(raw),
        ranked,
        excluded: r
            .ranking
            .excluded
            .iter()
            .map(|x| ExclusionRow {
                name: x.name.clone(),
                reasons: x.failures.iter().map(|f| f.reason.clone()).collect(),
            })
            .collect(),
        costs,
        chart: chart(r),
        more_questions: r.joint.questions.len() - material.len(),
        questions: material,
        draws: r.joint.settings.draws_text(),
        seed: r.joint.settings.seed,
    }
}

fn data<'a>(reports: &'a [ScenarioReport<'_>]) -> Data<'a> {
    Data {
        axes: Axis::ALL.iter().map(|a| a.key()).collect(),
        scenarios: reports
            .iter()
            .map(|r| DataScenario {
                id: r.scenario.id(),
                weights: r.scenario.weights.raw(),
                rows: r
                    .ranking
                    .ranked
                    .iter()
                    .map(|e| DataRow {
                        provider: &e.card.provider,
                        low: e.card.axes.iter().map(|a| a.score.low).collect(),
                        high: e.card.axes.iter().map(|a| a.score.high).collect(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// "87.5 %": the share of a provider's facts and prices that are known.
fn known_share(p: &crate::model::Provider) -> String {
    crate::model::coverage::Coverage::of(p)
        .all()
        .known_percent()
}

/// One scenario's part of the page, computed from its full report. `report` computes it
/// before [`ScenarioReport::slim`] drops the cost curves it samples.
pub struct ScenarioPage(ScenarioView);

/// A scenario's part of the page.
pub fn page(r: &ScenarioReport<'_>) -> ScenarioPage {
    ScenarioPage(scenario_view(r))
}

/// Renders the page.
pub fn index(reports: &[ScenarioReport<'_>]) -> Result<Vec<u8>, minijinja::Error> {
    let pages: Vec<ScenarioPage> = reports.iter().map(page).collect();
    index_with(reports, &pages)
}

/// Renders the page from each scenario's [`page`] (the reports may be slimmed).
pub fn index_with(
    reports: &[ScenarioReport<'_>],
    pages: &[ScenarioPage],
) -> Result<Vec<u8>, minijinja::Error> {
    let mut env = Environment::new();
    env.add_template("index.html", TEMPLATE)?;
    let scenarios: Vec<&ScenarioView> = pages.iter().map(|p| &p.0).collect();
    let sources: Vec<ProviderSources> = reports
        .first()
        .map(|r| {
            r.providers
                .iter()
                .map(|p| ProviderSources {
                    known: known_share(p),
                    name: p.name.clone(),
                    verified: p.verified.to_string(),
                    sources: p
                        .sources
                        .iter()
                        .map(|s| SourceView {
                            id: s.id.to_string(),
                            url: s.url.clone(),
                            linkable: s.url.starts_with("https://") || s.url.starts_with("http://"),
                            retrieved: s.retrieved.to_string(),
                            note: s.note.clone().unwrap_or_default(),
                        })
                        .collect(),
                })
                .collect()
        })
        .unwrap_or_default();
    let axes: Vec<AxisView> = Axis::ALL
        .iter()
        .map(|a| AxisView {
            key: a.key(),
            label: a.label(),
        })
        .collect();
    let json = script_safe_json(&data(reports));
    let html = env
        .get_template("index.html")?
        .render(minijinja::context! {
            version => env!("CARGO_PKG_VERSION"),
            axes => Value::from(Serde(&axes)),
            scenarios => Value::from(Serde(&scenarios)),
            sources => Value::from(Serde(&sources)),
            data => Value::from_safe_string(json),
        })?;
    // Bidirectional controls and zero-width characters in catalog text would reorder or
    // disguise names on the page (found in review, 2026-12-01); the template has none.
    let mut bytes = if html.chars().any(super::escape::is_invisible) {
        html.chars()
            .filter(|&c| !super::escape::is_invisible(c))
            .collect::<String>()
            .into_bytes()
    } else {
        html.into_bytes()
    };
    if bytes.last() != Some(&b'\n') {
        bytes.push(b'\n');
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_block_cannot_close_the_script() {
        let s = script_safe_json(
            &serde_json::json!({ "name": "</script><script>alert(1)</script> & \u{2028}" }),
        );
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        assert!(s.contains("\\u003c/script\\u003e"));
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(
            back["name"],
            "</script><script>alert(1)</script> & \u{2028}"
        );
    }

    #[test]
    fn template_escapes_catalog_strings() {
        let mut env = Environment::new();
        env.add_template("index.html", TEMPLATE).unwrap();
        let mut view = hostile_view();
        view.name = "<script>alert(1)</script>".into();
        let html = env
            .get_template("index.html")
            .unwrap()
            .render(minijinja::context! {
                version => "0",
                axes => Value::from(Serde(Vec::<AxisView>::new())),
                scenarios => Value::from(Serde(vec![view])),
                sources => Value::from(Serde(vec![ProviderSources {
                    name: "<b>Evil</b>".into(),
                    known: "50.0 %".into(),
                    verified: "2026-01-01".into(),
                    sources: vec![SourceView {
                        id: "x".into(),
                        url: "javascript:alert(1)".into(),
                        linkable: false,
                        retrieved: "2026-01-01".into(),
                        note: "\"quoted\" & <i>".into(),
                    }],
                }])),
                data => Value::from_safe_string(script_safe_json(&serde_json::json!({"n": "<script>"}))),
            })
            .unwrap();
        assert!(!html.contains("<script>alert(1)"), "name not escaped");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;"));
        assert!(html.contains("data-provider=\"&quot;&gt;&lt;script&gt;\""));
        assert!(!html.contains("<img src=x"));
        assert!(!html.contains("<b>Evil</b>"));
        assert!(!html.contains("href=\"javascript:"));
        assert!(html.contains("\\u003cscript\\u003e"));
        // Exactly one JSON data block.
        assert_eq!(html.matches("id=\"data\"").count(), 1);
    }

    fn hostile_view() -> ScenarioView {
        ScenarioView {
            id: "s".into(),
            name: String::new(),
            winner: "<img src=x onerror=alert(1)>".into(),
            score: "1.0".into(),
            p_first: "50 %".into(),
            certainty: "<script>".into(),
            milestones: vec![Milestone {
                label: "100".into(),
                cheapest: "<u>x</u>".into(),
            }],
            weights: Axis::ALL
                .iter()
                .map(|a| WeightView {
                    key: a.key(),
                    label: a.label(),
                    raw: 1.0,
                })
                .collect(),
            weights_line: String::new(),
            ranked: vec![RankRow {
                rank: 1,
                provider: "\"><script>".into(),
                name: "<script>".into(),
                total: "1.0".into(),
                total_raw: "1.0".into(),
                axes: vec!["1".into(); 5],
                known: "50.0 %".into(),
            }],
            excluded: vec![ExclusionRow {
                name: "<x>".into(),
                reasons: vec!["<y>".into()],
            }],
            costs: vec![],
            chart: Chart {
                width: 1.0,
                height: 1.0,
                left: 0.0,
                right: 1.0,
                top: 0.0,
                bottom: 1.0,
                xticks: vec![],
                yticks: vec![],
                series: vec![],
                left_out: 0,
            },
            questions: vec![QuestionRow {
                provider: "<p>".into(),
                question: "<q>".into(),
                impact: "1 pp".into(),
            }],
            more_questions: 0,
            draws: "1".into(),
            seed: 1,
        }
    }

    /// A scenario with more drawable providers than a chart has room for: the page's chart
    /// draws the same shortlist as the PNG charts, scaled to it, and its caption says so.
    #[test]
    fn a_large_scenario_page_chart_draws_the_shortlist() {
        let catalog = crate::synthetic::catalog(60, 1, 24, 5).expect("the synthetic catalog loads");
        let settings = crate::estimate::simulation::Settings {
            draws: 100,
            seed: 7,
        };
        let r = ScenarioReport::build(&catalog, &catalog.scenarios[0], settings).unwrap();
        let c = chart(&r);
        assert_eq!(c.series.len(), MAX_CHART_PROVIDERS);
        assert!(c.left_out > 0);
        // Drawn: a known cost at some count, or an estimated band.
        let drawn = |id: &str| {
            r.projection.curves.iter().any(|c| {
                c.provider == id && c.costs.iter().any(|p| matches!(p, CurvePoint::Known(_)))
            }) || r.has_band(id)
        };
        let keep = shortlist(&r, drawn);
        let ids: Vec<&str> = c.series.iter().map(|s| s.provider.as_str()).collect();
        assert_eq!(ids.len(), keep.len());
        assert!(ids.iter().all(|id| keep.contains(id)));
        let html = String::from_utf8(index(std::slice::from_ref(&r)).unwrap()).unwrap();
        assert!(html.contains(&format!(
            "It draws the {MAX_CHART_PROVIDERS} cheapest and best-ranked of {} providers; the \
             tables list every one.",
            MAX_CHART_PROVIDERS + c.left_out
        )));
    }

    #[test]
    fn shipped_catalog_page_is_deterministic_and_small() {
        let loaded = crate::load::load_catalog(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
            crate::load::LoadOptions {
                as_of: "2026-03-01".parse::<crate::model::Date>().unwrap(),
                max_age_days: i64::MAX,
            },
        );
        let catalog = loaded.catalog.expect("the shipped catalog loads");
        let settings = crate::estimate::simulation::Settings {
            draws: 200,
            seed: 42,
        };
        let reports: Vec<ScenarioReport<'_>> = catalog
            .scenarios
            .iter()
            .map(|s| ScenarioReport::build(&catalog, s, settings).unwrap())
            .collect();
        let a = index(&reports).unwrap();
        let b = index(&reports).unwrap();
        assert_eq!(a, b);
        assert!(a.len() < 1_500_000, "{} bytes", a.len());
        let html = String::from_utf8(a).unwrap();
        assert_eq!(
            html.matches("<script type=\"application/json\" id=\"data\">")
                .count(),
            1
        );
        assert!(!html.contains("http-equiv") && !html.contains("src=\"http"));
    }
}
