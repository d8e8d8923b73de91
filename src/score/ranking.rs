//! Scorecards and the ranking: hard requirements first, then the weighted sum of the five
//! axes on fixed anchors (adding or removing a provider never reorders the others).

use super::axis::Axis;
use super::criterion::AxisScore;
use super::pricing_evidence::{CostedPlan, DEFAULT_ANCHOR, PricingEvidence};
use super::requirement::{Failure, failures};
use super::rubric::{self, Inputs};
use super::value::Value;
use crate::cost::analysis::{milestone_costs, mode_readings};
use crate::cost::growth::GrowthCurve;
use crate::cost::money::Overflow;
use crate::cost::projection::{customers_by_month, project_totals};
use crate::cost::quote::QuoteContext;
use crate::model::{Provider, Scenario};
use rust_decimal::Decimal;
use serde::Serialize;

/// Totals (0–100) closer than this are a tie: the sensitivity analysis's tolerance on the
/// 0–1 scale its scores use ([`Scorecard::values`]), so the ranking, `explain --vs` and the
/// sensitivity analysis agree on which pairs are tied.
pub const TIE: f64 = super::sensitivity::TIE_EPSILON * 100.0;

/// One provider's scores under a scenario.
#[derive(Debug, Clone, Serialize)]
pub struct Scorecard {
    /// Provider id.
    pub provider: String,
    /// Provider name.
    pub name: String,
    /// The five axes, in [`Axis::ALL`] order.
    pub axes: Vec<AxisScore>,
    /// The weighted total, 0–100 (pessimistic and optimistic).
    pub total: Value,
    /// Each axis's weighted contribution to the pessimistic total.
    pub contributions: [f64; 5],
}

impl Scorecard {
    /// The axis values on the 0–1 scale (pessimistic), for sensitivity analysis.
    pub fn values(&self) -> [f64; 5] {
        let mut v = [0.0; 5];
        for (i, a) in self.axes.iter().enumerate().take(5) {
            v[i] = a.score.low / 100.0;
        }
        v
    }

    /// True when some fact is unknown, so the optimistic total is higher.
    pub fn uncertain(&self) -> bool {
        self.total.is_uncertain()
    }
}

/// A ranked provider.
#[derive(Debug, Clone, Serialize)]
pub struct Ranked {
    /// 1-based rank; tied providers share the best rank.
    pub rank: usize,
    /// True when another provider has the same total: within [`TIE`] of it, or of a total
    /// that is (a chain of near-ties is one tie).
    pub tied: bool,
    /// Points ahead of the next provider (pessimistic totals): 0 before a provider it ties
    /// with, none for the last.
    pub margin: Option<f64>,
    /// The scores.
    pub card: Scorecard,
}

/// A provider excluded by hard requirements, with every failed requirement.
#[derive(Debug, Clone, Serialize)]
pub struct Exclusion {
    /// Provider id.
    pub provider: String,
    /// Provider name.
    pub name: String,
    /// What failed.
    pub failures: Vec<Failure>,
}

/// The ranking of a scenario.
#[derive(Debug, Clone, Serialize)]
pub struct Ranking {
    /// Scenario id.
    pub scenario: String,
    /// Normalised weights in axis order.
    pub weights: [f64; 5],
    /// Ranked providers, best first (ties in id order).
    pub ranked: Vec<Ranked>,
    /// Excluded providers, in id order.
    pub excluded: Vec<Exclusion>,
}

impl Ranking {
    /// The axis values of the ranked providers (rows in rank order).
    pub fn values(&self) -> Vec<[f64; 5]> {
        self.ranked.iter().map(|r| r.card.values()).collect()
    }
}

/// Normalises weights to sum to 1, rejecting negative, non-finite or all-zero ones.
pub fn normalize_weights(raw: [f64; 5]) -> Result<[f64; 5], String> {
    for (w, axis) in raw.iter().zip(Axis::ALL) {
        if !w.is_finite() || *w < 0.0 {
            return Err(format!(
                "weight `{}` = {w} is invalid; weights must be finite and 0 or more",
                axis.key()
            ));
        }
    }
    let max = raw.iter().copied().fold(0.0_f64, f64::max);
    if max <= 0.0 {
        return Err("all weights are zero; at least one must be positive".into());
    }
    let sum: f64 = raw.iter().sum();
    if sum.is_finite() {
        return Ok(raw.map(|w| w / sum));
    }
    // Huge weights (1e308) overflow the sum: scale by the largest first.
    let scaled = raw.map(|w| w / max);
    let sum: f64 = scaled.iter().sum();
    Ok(scaled.map(|w| w / sum))
}

/// The customers of each month and the customer counts the pricing axis scores: the
/// milestones the scenario actually reaches (a steady state of 100 customers should not be
/// marked down for its price at 1,000), or, when none is reached, its largest count.
pub fn scored_counts(scenario: &Scenario) -> (Vec<u64>, Vec<u64>) {
    let horizon = scenario.horizon();
    let customers = GrowthCurve::from_spec(&scenario.growth, horizon)
        .map(|c| customers_by_month(&c, horizon))
        .unwrap_or_default();
    let reached = customers.iter().copied().max().unwrap_or(0);
    let mut milestones: Vec<u64> = scenario
        .milestones()
        .into_iter()
        .filter(|&m| m <= reached)
        .collect();
    if milestones.is_empty() && reached > 0 {
        milestones.push(reached);
    }
    (customers, milestones)
}

/// Builds the pricing evidence for one provider from the cost engine.
pub fn evidence(provider: &Provider, scenario: &Scenario) -> Result<PricingEvidence, Overflow> {
    let (customers, milestones) = scored_counts(scenario);
    let rows = milestone_costs(&[provider], scenario, &milestones)?;
    let projection = project_totals(&QuoteContext::new(provider, scenario).lean(), &customers)?;
    let customer_months: u64 = customers.iter().sum();
    // A cost unknown only through an unstated tier mode is one of two published figures:
    // price both readings so the pricing axis can score the dearer, not 0.
    let readings = mode_readings(
        provider,
        scenario,
        &milestones,
        &customers,
        &rows,
        &projection,
    );
    let uses_estimates = rows.iter().any(|r| r.quote.uses_estimates)
        || projection.months.iter().any(|m| m.quote.uses_estimates)
        || readings.uses_estimates;
    // What every scored milestone's plan and add-ons deliver: the pricing axis scores the
    // cost of each, so a feature counts only if each of them includes it (found in review:
    // taken from the largest milestone alone, a cheaper plan priced at 100 customers was
    // credited with the features of the plan bought at 1,000, and a provider no plan serves
    // at the largest count was credited with every gated feature).
    let mut costed: Option<CostedPlan> = None;
    if !rows.is_empty() {
        let mut c = CostedPlan {
            plan: String::new(),
            plans: Vec::new(),
            addons: Vec::new(),
            features: Vec::new(),
        };
        let mut first = true;
        for r in &rows {
            let Some(plan) = provider
                .pricing
                .plans
                .iter()
                .find(|p| Some(p.id.as_str()) == r.quote.plan.as_deref())
            else {
                continue;
            };
            let mut features = plan.features.clone();
            for a in provider
                .pricing
                .addons
                .iter()
                .filter(|a| r.quote.addons.iter().any(|id| id == a.id.as_str()))
            {
                features.extend(a.features.iter().cloned());
                if !c.addons.iter().any(|x| x == a.id.as_str()) {
                    c.addons.push(a.id.to_string());
                }
            }
            if first {
                c.features = features;
                first = false;
            } else {
                c.features.retain(|f| features.contains(f));
            }
            if !c.plans.iter().any(|x| x == plan.id.as_str()) {
                c.plans.push(plan.id.to_string());
            }
            c.plan = plan.id.to_string();
        }
        costed = Some(c);
    }
    Ok(PricingEvidence {
        costed,
        currency: scenario.currency().to_owned(),
        anchor: scenario
            .budget
            .anchor_per_customer
            .map_or(Decimal::from(DEFAULT_ANCHOR), |a| a.0),
        milestones: rows
            .into_iter()
            .map(|r| (r.customers, r.quote.recurring))
            .collect(),
        horizon: projection
            .horizon_total()
            .cloned()
            .map(|c| (c, customer_months)),
        milestone_readings: readings.milestones,
        horizon_readings: readings.horizon,
        uses_estimates,
    })
}

/// Scores one provider.
pub fn scorecard(
    provider: &Provider,
    scenario: &Scenario,
    weights: [f64; 5],
    evidence: &PricingEvidence,
) -> Scorecard {
    let inputs = Inputs { provider, scenario };
    let mut axes = vec![
        rubric::ease(&inputs),
        rubric::features(&inputs),
        rubric::pricing(&inputs, evidence),
        rubric::integration(&inputs),
        rubric::prerequisites(&inputs),
    ];
    apply_plan_gates(&mut axes, provider, evidence);
    let mut total = Value::exact(0.0);
    let mut contributions = [0.0; 5];
    for (k, a) in axes.iter().enumerate() {
        total.low += weights[k] * a.score.low;
        total.high += weights[k] * a.score.high;
        contributions[k] = weights[k] * a.score.low;
    }
    Scorecard {
        provider: provider.id().to_owned(),
        name: provider.name.clone(),
        axes,
        total,
        contributions,
    }
}

/// Scores what the costed configuration delivers: a feature that some plan or add-on gates
/// (it appears in a plan's or add-on's `features`) but that the plan and add-ons the cost
/// figures assume do not include scores 0, with the reason in its level. Otherwise a provider
/// would be credited for a paid add-on its costs leave out. Marking the need `required` makes
/// the cost include the add-on (and the feature score).
fn apply_plan_gates(axes: &mut [AxisScore], provider: &Provider, evidence: &PricingEvidence) {
    let Some(costed) = &evidence.costed else {
        return;
    };
    let mut gated: Vec<&str> = Vec::new();
    for p in &provider.pricing.plans {
        gated.extend(p.features.iter().map(String::as_str));
    }
    for a in &provider.pricing.addons {
        gated.extend(a.features.iter().map(String::as_str));
    }
    for axis in axes.iter_mut() {
        let mut changed = false;
        for c in &mut axis.criteria {
            let Some(last) = c.key.rsplit('.').next() else {
                continue;
            };
            let feature = if c.key == "integration.membership" {
                "org_membership"
            } else {
                last
            };
            // Gated only when some plan or add-on sells the feature: `check` accepts nothing
            // but feature names in those lists, so the other criteria (hours, endpoint,
            // pricing) never match, and SCIM and SSO are no criterion's key.
            if gated.contains(&feature)
                && !costed.features.iter().any(|f| f == feature)
                && c.value.high > 0.0
            {
                let sellers: Vec<String> = provider
                    .pricing
                    .addons
                    .iter()
                    .filter(|a| a.features.iter().any(|f| f == feature))
                    .map(|a| format!("add-on `{}`", a.id))
                    .chain(
                        provider
                            .pricing
                            .plans
                            .iter()
                            .filter(|p| p.features.iter().any(|f| f == feature))
                            .map(|p| format!("plan `{}`", p.id)),
                    )
                    .collect();
                let costed_in = match costed.plans.as_slice() {
                    [] => "no plan serves the scored customer counts".to_owned(),
                    [one] => format!("not in the costed plan `{one}`"),
                    many => format!("not in every costed plan (`{}`)", many.join("`, `")),
                };
                c.level = format!(
                    "{} but {costed_in} (needs {}, which the cost includes only if the need is `required`)",
                    c.level,
                    sellers.join(" or ")
                );
                c.value = Value::exact(0.0);
                changed = true;
            }
        }
        if changed {
            let criteria = std::mem::take(&mut axis.criteria);
            *axis = AxisScore::from_criteria(axis.axis, criteria);
        }
    }
}

/// Ranks providers under a scenario with the given (raw) weights.
pub fn rank(
    providers: &[&Provider],
    scenario: &Scenario,
    raw_weights: [f64; 5],
) -> Result<Ranking, RankError> {
    let weights = normalize_weights(raw_weights).map_err(RankError::Weights)?;
    let mut cards = Vec::new();
    let mut excluded = Vec::new();
    for p in providers {
        let failed = failures(p, scenario);
        if failed.is_empty() {
            let ev = evidence(p, scenario)?;
            cards.push(scorecard(p, scenario, weights, &ev));
        } else {
            excluded.push(Exclusion {
                provider: p.id().to_owned(),
                name: p.name.clone(),
                failures: failed,
            });
        }
    }
    Ok(order(scenario.id(), weights, cards, excluded))
}

/// Orders scorecards into a ranking (pessimistic totals; ties share a rank).
pub fn order(
    scenario: &str,
    weights: [f64; 5],
    mut cards: Vec<Scorecard>,
    mut excluded: Vec<Exclusion>,
) -> Ranking {
    cards.sort_by(|a, b| {
        b.total
            .low
            .total_cmp(&a.total.low)
            .then_with(|| a.provider.cmp(&b.provider))
    });
    excluded.sort_by(|a, b| a.provider.cmp(&b.provider));
    // Totals within `TIE` of the one above them are one tie class, listed in id order: the
    // float noise of a weighted sum (49.1 against 49.10000000000001) must not decide who is
    // shown first while both are called tied.
    let mut classes: Vec<std::ops::Range<usize>> = Vec::new();
    let mut start = 0;
    for i in 1..=cards.len() {
        if i == cards.len() || cards[i - 1].total.low - cards[i].total.low > TIE {
            classes.push(start..i);
            start = i;
        }
    }
    for class in &classes {
        cards[class.clone()].sort_by(|a, b| a.provider.cmp(&b.provider));
    }
    let totals: Vec<f64> = cards.iter().map(|c| c.total.low).collect();
    let mut ranked = Vec::with_capacity(cards.len());
    let mut cards = cards.into_iter();
    for (k, class) in classes.iter().enumerate() {
        let next = classes.get(k + 1).map(|c| totals[c.start]);
        for i in class.clone() {
            let Some(card) = cards.next() else { break };
            // Tied providers are 0 points apart; the last of a class leads the next class
            // by its own total's distance to that class's best.
            let margin = if i + 1 < class.end {
                Some(0.0)
            } else {
                next.map(|n| totals[i] - n)
            };
            ranked.push(Ranked {
                rank: class.start + 1,
                tied: class.len() > 1,
                margin,
                card,
            });
        }
    }
    Ranking {
        scenario: scenario.to_owned(),
        weights,
        ranked,
        excluded,
    }
}

/// Why ranking failed.
#[derive(Debug, thiserror::Error)]
pub enum RankError {
    /// Invalid weights.
    #[error("{0}")]
    Weights(String),
    /// A cost overflowed.
    #[error(transparent)]
    Overflow(#[from] Overflow),
}
