//! The impact of a catalog change on costs and rankings, scenario by scenario.

use super::threshold::Threshold;
use crate::cost::CostValue;
use crate::cost::analysis::milestone_costs;
use crate::cost::growth::GrowthCurve;
use crate::cost::money::{Money, Overflow};
use crate::cost::projection::{customers_by_month, project_totals};
use crate::cost::quote::QuoteContext;
use crate::load::Catalog;
use crate::model::{Provider, Scenario};
use crate::score::ranking::{RankError, Ranking, rank};
use rust_decimal::Decimal;
use serde::Serialize;

/// How a cost moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Movement {
    /// Both sides known and different.
    Changed,
    /// A known cost became partly or wholly unknown (never shown as a drop to 0).
    BecameUnknown,
    /// An unknown cost became known.
    BecameKnown,
    /// Still partly unknown, but the known part changed.
    FloorChanged,
    /// Became unavailable, or available.
    Availability,
    /// The provider was added or removed.
    Presence,
    /// Same cost, different plan.
    PlanOnly,
}

/// One cost that changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CostChange {
    /// Provider id.
    pub provider: String,
    /// The customer count (a milestone), or `None` for the cumulative cost over the horizon.
    pub customers: Option<u64>,
    /// Before (absent when the provider is new).
    pub before: Option<CostValue>,
    /// After (absent when the provider was removed).
    pub after: Option<CostValue>,
    /// Plan before.
    pub plan_before: Option<String>,
    /// Plan after.
    pub plan_after: Option<String>,
    /// After − before, when both are known.
    pub delta: Option<Money>,
    /// Delta as a fraction of before, when both are known and before is not zero.
    pub percent: Option<Decimal>,
    /// What kind of change it is.
    pub movement: Movement,
}

/// A provider's place in a ranking.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Standing {
    /// 1-based rank (tied providers share it).
    pub rank: usize,
    /// True when another provider has the same total.
    pub tied: bool,
    /// Total score, 0–100.
    pub total: f64,
}

impl Standing {
    /// `2=` for a tie, `2` otherwise.
    pub fn rank_label(&self) -> String {
        format!("{}{}", self.rank, if self.tied { "=" } else { "" })
    }
}

/// One provider whose rank or total changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankChange {
    /// Provider id.
    pub provider: String,
    /// Standing before, `None` when unranked (absent or excluded).
    pub before: Option<Standing>,
    /// Standing after.
    pub after: Option<Standing>,
}

/// The impact on one scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioImpact {
    /// Scenario id.
    pub scenario: String,
    /// Reporting currency.
    pub currency: String,
    /// True when the scenario file itself changed.
    pub scenario_changed: bool,
    /// Cost changes (milestones and horizon), in provider then customer order.
    pub costs: Vec<CostChange>,
    /// Rank changes.
    pub ranks: Vec<RankChange>,
    /// The provider(s) ranked first before and after (several when tied).
    pub winners: (Vec<String>, Vec<String>),
    /// Field changes of the scenario file itself.
    pub scenario_fields: Vec<crate::diff::fields::FieldChange>,
}

impl ScenarioImpact {
    /// The cost changes that break a threshold. Amount thresholds are monthly, so they apply
    /// to the milestone (monthly) costs only; percentages apply to the horizon total as well.
    /// A known cost becoming unknown or unavailable breaks every threshold that watches
    /// increases (it can no longer be shown to be within the limit).
    pub fn breaches<'a>(&'a self, t: &'a Threshold) -> impl Iterator<Item = &'a CostChange> + 'a {
        use super::threshold::Direction;
        self.costs.iter().filter(move |c| {
            if !t.percent && c.customers.is_none() {
                return false;
            }
            match (&c.before, &c.after, &c.movement) {
                (Some(CostValue::Known { amount: a }), Some(CostValue::Known { amount: b }), _) => {
                    t.exceeded(a.0, b.0)
                }
                (
                    Some(CostValue::Known { .. }),
                    Some(_),
                    Movement::BecameUnknown | Movement::Availability,
                ) => t.direction != Direction::Down,
                _ => false,
            }
        })
    }
}

fn horizon_totals(
    providers: &[&Provider],
    s: &Scenario,
) -> Result<Vec<(String, CostValue)>, Overflow> {
    let customers = GrowthCurve::from_spec(&s.growth, s.horizon())
        .map(|c| customers_by_month(&c, s.horizon()))
        .unwrap_or_default();
    providers
        .iter()
        .map(|p| {
            let pr = project_totals(&QuoteContext::new(p, s).lean(), &customers)?;
            Ok((
                p.id().to_owned(),
                pr.horizon_total().cloned().unwrap_or_else(CostValue::zero),
            ))
        })
        .collect()
}

fn classify(
    before: Option<&CostValue>,
    after: Option<&CostValue>,
) -> Option<(Movement, Option<Money>, Option<Decimal>)> {
    use CostValue::{AtLeast, Known, Unavailable};
    Some(match (before, after) {
        (None, None) => return None,
        (None, Some(_)) | (Some(_), None) => (Movement::Presence, None, None),
        (Some(a), Some(b)) if a == b => return None,
        (Some(Known { amount: a }), Some(Known { amount: b })) => {
            let delta = b.sub(*a).ok();
            let pct = (!a.is_zero())
                .then(|| delta.and_then(|d| d.0.checked_div(a.0)))
                .flatten();
            (Movement::Changed, delta, pct)
        }
        (Some(Known { .. }), Some(AtLeast { .. })) => (Movement::BecameUnknown, None, None),
        (Some(AtLeast { .. }), Some(Known { .. })) => (Movement::BecameKnown, None, None),
        (Some(AtLeast { floor: a, .. }), Some(AtLeast { floor: b, .. })) => {
            if a == b {
                return None;
            }
            (Movement::FloorChanged, b.sub(*a).ok(), None)
        }
        (Some(Unavailable { .. }), _) | (_, Some(Unavailable { .. })) => {
            (Movement::Availability, None, None)
        }
    })
}

/// Compares one scenario across the two catalogs.
pub fn scenario_impact(
    base: &Catalog,
    head: &Catalog,
    scenario: &str,
) -> Result<Option<ScenarioImpact>, RankError> {
    let Some(sh) = head.scenario(scenario) else {
        return Ok(None);
    };
    let sb = base.scenario(scenario).unwrap_or(sh);
    let pb: Vec<&Provider> = base.providers.iter().collect();
    let ph: Vec<&Provider> = head.providers.iter().collect();
    let ms = sh.milestones();
    let mb = milestone_costs(&pb, sb, &ms)?;
    let mh = milestone_costs(&ph, sh, &ms)?;
    let hb = horizon_totals(&pb, sb)?;
    let hh = horizon_totals(&ph, sh)?;
    let mut ids: Vec<&str> = pb.iter().chain(&ph).map(|p| p.id()).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut costs = Vec::new();
    for id in &ids {
        for &n in &ms {
            let b = mb.iter().find(|m| m.provider == *id && m.customers == n);
            let h = mh.iter().find(|m| m.provider == *id && m.customers == n);
            let plan_before = b.and_then(|m| m.quote.plan.clone());
            let plan_after = h.and_then(|m| m.quote.plan.clone());
            let movement = classify(b.map(|m| &m.quote.recurring), h.map(|m| &m.quote.recurring));
            let movement = match movement {
                None if plan_before != plan_after && b.is_some() && h.is_some() => {
                    Some((Movement::PlanOnly, None, None))
                }
                other => other,
            };
            if let Some((movement, delta, percent)) = movement {
                costs.push(CostChange {
                    provider: (*id).to_owned(),
                    customers: Some(n),
                    before: b.map(|m| m.quote.recurring.clone()),
                    after: h.map(|m| m.quote.recurring.clone()),
                    plan_before,
                    plan_after,
                    delta,
                    percent,
                    movement,
                });
            }
        }
        let b = hb.iter().find(|(p, _)| p == id).map(|(_, c)| c);
        let h = hh.iter().find(|(p, _)| p == id).map(|(_, c)| c);
        if let Some((movement, delta, percent)) = classify(b, h) {
            costs.push(CostChange {
                provider: (*id).to_owned(),
                customers: None,
                before: b.cloned(),
                after: h.cloned(),
                plan_before: None,
                plan_after: None,
                delta,
                percent,
                movement,
            });
        }
    }
    let rb = rank(&pb, sb, sb.weights.raw())?;
    let rh = rank(&ph, sh, sh.weights.raw())?;
    let pos = |r: &Ranking, id: &str| {
        r.ranked
            .iter()
            .find(|e| e.card.provider == id)
            .map(|e| Standing {
                rank: e.rank,
                tied: e.tied,
                // Four decimals: what the tables show, and no binary noise such as
                // 77.24937500000001 in the JSON (a difference below that is no change).
                total: (e.card.total.low * 1e4).round() / 1e4,
            })
    };
    let ranks = ids
        .iter()
        .filter_map(|id| {
            let (b, a) = (pos(&rb, id), pos(&rh, id));
            let same = match (b, a) {
                (Some(x), Some(y)) => {
                    x.rank == y.rank && x.tied == y.tied && (x.total - y.total).abs() < 0.005
                }
                (None, None) => true,
                _ => false,
            };
            (!same).then(|| RankChange {
                provider: (*id).to_owned(),
                before: b,
                after: a,
            })
        })
        .collect();
    let winners = |r: &Ranking| {
        r.ranked
            .iter()
            .filter(|e| e.rank == 1)
            .map(|e| e.card.provider.clone())
            .collect::<Vec<_>>()
    };
    let scenario_fields = crate::diff::fields::compare_values(
        &serde_json::to_value(sb).unwrap_or_default(),
        &serde_json::to_value(sh).unwrap_or_default(),
    );
    Ok(Some(ScenarioImpact {
        scenario: scenario.to_owned(),
        currency: sh.currency().to_owned(),
        scenario_changed: !scenario_fields.is_empty(),
        costs,
        ranks,
        winners: (winners(&rb), winners(&rh)),
        scenario_fields,
    }))
}
