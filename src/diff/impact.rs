//! The impact of a catalog change on costs and rankings, scenario by scenario.

use super::threshold::Threshold;
use crate::cost::CostValue;
use crate::cost::analysis::{
    MilestoneCost, ModeReadings, TierReadings, milestone_costs, mode_readings,
};
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
    /// Unknown on both sides only through an unstated tier mode, and a reading's bill
    /// changed (the floor, the cheaper reading, may not move at all).
    ReadingsChanged,
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
    /// After − before: of the amounts when both are known, of the floors when both are
    /// partly unknown, of the reading that moved most (relatively) when the readings moved.
    pub delta: Option<Money>,
    /// Delta as a fraction of the value it is the change of, when that is not zero.
    pub percent: Option<Decimal>,
    /// The bills under each reading of an unstated tier mode before and after, when the mode
    /// is the cost's only unknown on both sides and a reading changed.
    pub readings: Option<(TierReadings, TierReadings)>,
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

    /// The total as `diff` shows it: two decimals.
    pub fn shown_total(&self) -> String {
        format!("{:.2}", self.total)
    }

    /// The same rank, tie and total as shown: a change too small to see is no change.
    pub fn same_as(&self, other: &Standing) -> bool {
        self.rank == other.rank
            && self.tied == other.tied
            && self.shown_total() == other.shown_total()
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
            if let Some((a, b)) = &c.readings {
                // Either reading may be the bill: a change past the limit in either counts.
                return t.exceeded(a.graduated.0, b.graduated.0)
                    || t.exceeded(a.volume.0, b.volume.0);
            }
            match (&c.before, &c.after, &c.movement) {
                (Some(CostValue::Known { amount: a }), Some(CostValue::Known { amount: b }), _) => {
                    t.exceeded(a.0, b.0)
                }
                // The known part alone moved past the limit.
                (
                    Some(CostValue::AtLeast { floor: a, .. }),
                    Some(CostValue::AtLeast { floor: b, .. }),
                    Movement::FloorChanged,
                ) => t.exceeded(a.0, b.0),
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

/// A provider's cumulative cost over the horizon and its tier-mode readings.
struct Horizon {
    /// Provider id.
    provider: String,
    /// The cumulative cost.
    total: CostValue,
    /// The readings at the milestones and over the horizon.
    readings: ModeReadings,
}

fn horizons(
    providers: &[&Provider],
    s: &Scenario,
    milestones: &[u64],
    rows: &[MilestoneCost],
) -> Result<Vec<Horizon>, Overflow> {
    let customers = GrowthCurve::from_spec(&s.growth, s.horizon())
        .map(|c| customers_by_month(&c, s.horizon()))
        .unwrap_or_default();
    providers
        .iter()
        .map(|p| {
            let projection = project_totals(&QuoteContext::new(p, s).lean(), &customers)?;
            let own: Vec<MilestoneCost> = rows
                .iter()
                .filter(|r| r.provider == p.id())
                .cloned()
                .collect();
            Ok(Horizon {
                provider: p.id().to_owned(),
                total: projection
                    .horizon_total()
                    .cloned()
                    .unwrap_or_else(CostValue::zero),
                readings: mode_readings(p, s, milestones, &customers, &own, &projection),
            })
        })
        .collect()
}

/// The change of a relative size: `(delta, delta / old)` (no fraction when `old` is 0).
pub fn change(old: Money, new: Money) -> (Option<Money>, Option<Decimal>) {
    let delta = new.sub(old).ok();
    let pct = (!old.is_zero())
        .then(|| delta.and_then(|d| d.0.checked_div(old.0)))
        .flatten();
    (delta, pct)
}

/// A change of the readings (both sides known up to the tier mode): the reading that moved
/// most, relatively, gives the delta and the fraction (the graduated one on a tie).
fn readings_change(before: TierReadings, after: TierReadings) -> Option<Classified> {
    if before == after {
        return None;
    }
    let g = change(before.graduated, after.graduated);
    let v = change(before.volume, after.volume);
    let size = |c: &(Option<Money>, Option<Decimal>)| c.1.map_or(Decimal::MAX, |p| p.abs());
    let moved = |c: &(Option<Money>, Option<Decimal>)| c.0.is_some_and(|d| !d.is_zero());
    let (delta, pct) = match (moved(&g), moved(&v)) {
        (true, true) if size(&v) > size(&g) => v,
        (true, _) => g,
        _ => v,
    };
    Some((Movement::ReadingsChanged, delta, pct))
}

fn classify(before: Option<&CostValue>, after: Option<&CostValue>) -> Option<Classified> {
    use CostValue::{AtLeast, Known, Unavailable};
    Some(match (before, after) {
        (None, None) => return None,
        (None, Some(_)) | (Some(_), None) => (Movement::Presence, None, None),
        (Some(a), Some(b)) if a == b => return None,
        (Some(Known { amount: a }), Some(Known { amount: b })) => {
            let (delta, pct) = change(*a, *b);
            (Movement::Changed, delta, pct)
        }
        (Some(Known { .. }), Some(AtLeast { .. })) => (Movement::BecameUnknown, None, None),
        (Some(AtLeast { .. }), Some(Known { .. })) => (Movement::BecameKnown, None, None),
        (Some(AtLeast { floor: a, .. }), Some(AtLeast { floor: b, .. })) => {
            if a == b {
                return None;
            }
            let (delta, pct) = change(*a, *b);
            (Movement::FloorChanged, delta, pct)
        }
        (Some(Unavailable { .. }), _) | (_, Some(Unavailable { .. })) => {
            (Movement::Availability, None, None)
        }
    })
}

/// A movement with its delta and relative change.
type Classified = (Movement, Option<Money>, Option<Decimal>);

/// How a cost moved: [`classify`], except that where the tier mode is the only unknown on
/// both sides the readings decide (a floor is the cheaper reading, and the dearer one can
/// move alone), and the readings come back with the movement.
fn moved(
    before: Option<&CostValue>,
    after: Option<&CostValue>,
    readings_before: Option<TierReadings>,
    readings_after: Option<TierReadings>,
) -> (Option<Classified>, Option<(TierReadings, TierReadings)>) {
    match (readings_before, readings_after) {
        (Some(rb), Some(ra)) => (readings_change(rb, ra), (rb != ra).then_some((rb, ra))),
        _ => (classify(before, after), None),
    }
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
    let hb = horizons(&pb, sb, &ms, &mb)?;
    let hh = horizons(&ph, sh, &ms, &mh)?;
    let mut ids: Vec<&str> = pb.iter().chain(&ph).map(|p| p.id()).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut costs = Vec::new();
    for id in &ids {
        let hzb = hb.iter().find(|h| h.provider == *id);
        let hzh = hh.iter().find(|h| h.provider == *id);
        for (k, &n) in ms.iter().enumerate() {
            let b = mb.iter().find(|m| m.provider == *id && m.customers == n);
            let h = mh.iter().find(|m| m.provider == *id && m.customers == n);
            let plan_before = b.and_then(|m| m.quote.plan.clone());
            let plan_after = h.and_then(|m| m.quote.plan.clone());
            let at = |z: Option<&Horizon>| {
                z.and_then(|z| z.readings.milestones.get(k).copied().flatten())
            };
            let (movement, readings) = moved(
                b.map(|m| &m.quote.recurring),
                h.map(|m| &m.quote.recurring),
                at(hzb),
                at(hzh),
            );
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
                    readings,
                    movement,
                });
            }
        }
        let (b, h) = (hzb.map(|z| &z.total), hzh.map(|z| &z.total));
        let over = |z: Option<&Horizon>| z.and_then(|z| z.readings.horizon);
        if let (Some((movement, delta, percent)), readings) = moved(b, h, over(hzb), over(hzh)) {
            costs.push(CostChange {
                provider: (*id).to_owned(),
                customers: None,
                before: b.cloned(),
                after: h.cloned(),
                plan_before: None,
                plan_after: None,
                delta,
                percent,
                readings,
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
                // Four decimals, as `rank` shows totals, and no binary noise such as
                // 77.24937500000001 in the JSON.
                total: (e.card.total.low * 1e4).round() / 1e4,
            })
    };
    let ranks = ids
        .iter()
        .filter_map(|id| {
            let (b, a) = (pos(&rb, id), pos(&rh, id));
            let same = match (b, a) {
                (Some(x), Some(y)) => x.same_as(&y),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::LoadOptions;
    use crate::load::catalog::{RawFile, load_files};

    const GOLDEN: &str = "tests/fixtures/scoring/golden";

    fn fixture(path: &str) -> String {
        std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("{GOLDEN}/{path}")),
        )
        .expect("fixture")
    }

    /// The golden catalog (alpha, bravo, charlie, delta and the golden scenario), with
    /// `edit` applied to alpha's file and `scenario` as the scenario file.
    fn catalog(edit: impl Fn(String) -> String, scenario: &str) -> Catalog {
        let mut raw: Vec<RawFile> = ["alpha", "bravo", "charlie", "delta"]
            .iter()
            .map(|id| {
                let text = fixture(&format!("providers/{id}.toml"));
                RawFile {
                    name: format!("providers/{id}.toml"),
                    bytes: if *id == "alpha" { edit(text) } else { text }.into_bytes(),
                    quotes: false,
                }
            })
            .collect();
        raw.push(RawFile {
            name: "scenarios/golden.toml".into(),
            bytes: scenario.as_bytes().to_vec(),
            quotes: false,
        });
        let loaded = load_files(
            raw,
            LoadOptions {
                as_of: "2026-11-01".parse().expect("date"),
                max_age_days: i64::MAX,
            },
        );
        loaded.catalog.expect("the golden catalog loads")
    }

    fn usd(amount: i64) -> CostValue {
        CostValue::known(Money(Decimal::from(amount)))
    }

    fn at_least(floor: i64) -> CostValue {
        CostValue::AtLeast {
            floor: Money(Decimal::from(floor)),
            unknown: vec!["price unknown".into()],
        }
    }

    #[test]
    fn rank_labels_mark_ties() {
        let s = |rank, tied| Standing {
            rank,
            tied,
            total: 50.0,
        };
        assert_eq!(s(2, true).rank_label(), "2=");
        assert_eq!(s(2, false).rank_label(), "2");
    }

    #[test]
    fn a_standing_changes_when_its_rank_tie_or_shown_total_does() {
        let s = |rank, tied, total| Standing { rank, tied, total };
        let base = s(2, false, 77.2494);
        assert_eq!(base.shown_total(), "77.25");
        // 77.2494 → 77.2460 shows 77.25 both times: no change. 77.2294 shows 77.23: a change.
        assert!(base.same_as(&s(2, false, 77.246)));
        assert!(!base.same_as(&s(2, false, 77.2294)));
        assert!(!base.same_as(&s(3, false, 77.2494)));
        assert!(!base.same_as(&s(2, true, 77.2494)));
    }

    #[test]
    fn every_kind_of_cost_movement() {
        let unavailable = CostValue::Unavailable {
            reason: "no plan".into(),
        };
        // $200 → $250: +$50, +25 %.
        assert_eq!(
            classify(Some(&usd(200)), Some(&usd(250))),
            Some((
                Movement::Changed,
                Some(Money(Decimal::from(50))),
                Some(Decimal::new(25, 2))
            ))
        );
        // From $0 there is a delta but no percentage.
        assert_eq!(
            classify(Some(&usd(0)), Some(&usd(10))),
            Some((Movement::Changed, Some(Money(Decimal::from(10))), None))
        );
        assert_eq!(classify(Some(&usd(5)), Some(&usd(5))), None);
        assert_eq!(classify(None, None), None);
        assert_eq!(
            classify(None, Some(&usd(5))),
            Some((Movement::Presence, None, None))
        );
        assert_eq!(
            classify(Some(&usd(5)), None),
            Some((Movement::Presence, None, None))
        );
        assert_eq!(
            classify(Some(&usd(5)), Some(&at_least(5))),
            Some((Movement::BecameUnknown, None, None))
        );
        assert_eq!(
            classify(Some(&at_least(5)), Some(&usd(5))),
            Some((Movement::BecameKnown, None, None))
        );
        // ≥ $100 → ≥ $80: the floor fell by $20, −20 %. The same floor with other unknown
        // parts is no change.
        assert_eq!(
            classify(Some(&at_least(100)), Some(&at_least(80))),
            Some((
                Movement::FloorChanged,
                Some(Money(Decimal::from(-20))),
                Some(Decimal::new(-20, 2))
            ))
        );
        let other_reason = CostValue::AtLeast {
            floor: Money(Decimal::from(100)),
            unknown: vec!["contact sales".into()],
        };
        assert_eq!(classify(Some(&at_least(100)), Some(&other_reason)), None);
        for (a, b) in [
            (&usd(5), &unavailable),
            (&unavailable, &usd(5)),
            (&at_least(5), &unavailable),
        ] {
            assert_eq!(
                classify(Some(a), Some(b)),
                Some((Movement::Availability, None, None))
            );
        }
    }

    /// Alpha cut from $120 to $110 a connection in the golden scenario (100 customers, one
    /// connection each, 12 months; milestones 100 and 1,000):
    /// - at 100: 100 × $120 = $12,000 → 100 × $110 = $11,000, −$1,000, −1/12 = −8.33 %;
    /// - at 1,000: $120,000 → $110,000, −$10,000;
    /// - over the horizon: 12 × $12,000 = $144,000 → $132,000, −$12,000.
    ///
    /// Alpha's cost criterion rises from 1 − 120/200 = 0.4 to 1 − 110/200 = 0.45, so its
    /// pricing score from 70 to 72.5 and its total by 0.2 × 2.5 = 0.5, from 82.3904 to
    /// 82.8904, past bravo's 82.6654 (alpha + 0.275, `tests/cli_scoring.rs`): the winner
    /// changes from bravo to alpha, and the two swap ranks 1 and 2. Charlie keeps rank 3 and
    /// delta stays excluded, so neither is listed.
    #[test]
    fn a_price_cut_moves_costs_ranks_and_the_winner() {
        let scenario = fixture("scenarios/golden.toml");
        let base = catalog(|t| t, &scenario);
        let head = catalog(
            |t| t.replace("unit_price = \"120\"", "unit_price = \"110\""),
            &scenario,
        );
        let i = scenario_impact(&base, &head, "golden")
            .expect("ranks")
            .expect("the scenario exists");
        assert!(!i.scenario_changed && i.scenario_fields.is_empty());
        assert_eq!(i.currency, "USD");
        let costs: Vec<(&str, Option<u64>, Option<i64>, &Movement)> = i
            .costs
            .iter()
            .map(|c| {
                (
                    c.provider.as_str(),
                    c.customers,
                    c.delta.and_then(|d| i64::try_from(d.0).ok()),
                    &c.movement,
                )
            })
            .collect();
        assert_eq!(
            costs,
            [
                ("alpha", Some(100), Some(-1_000), &Movement::Changed),
                ("alpha", Some(1000), Some(-10_000), &Movement::Changed),
                ("alpha", None, Some(-12_000), &Movement::Changed),
            ]
        );
        assert_eq!(i.costs[0].before, Some(usd(12_000)));
        assert_eq!(i.costs[0].after, Some(usd(11_000)));
        assert_eq!(
            i.costs[0].percent.map(|p| p.round_dp(4)),
            Some(Decimal::new(-833, 4))
        );
        assert_eq!(i.costs[0].plan_before.as_deref(), Some("standard"));
        assert_eq!(i.costs[2].plan_before, None);
        assert_eq!(i.winners, (vec!["bravo".into()], vec!["alpha".into()]));
        let ranks: Vec<(&str, Option<usize>, Option<usize>)> = i
            .ranks
            .iter()
            .map(|r| {
                (
                    r.provider.as_str(),
                    r.before.map(|s| s.rank),
                    r.after.map(|s| s.rank),
                )
            })
            .collect();
        assert_eq!(
            ranks,
            [("alpha", Some(2), Some(1)), ("bravo", Some(1), Some(2))]
        );
        let alpha = &i.ranks[0];
        assert_eq!(alpha.before.map(|s| s.total), Some(82.3904));
        assert_eq!(alpha.after.map(|s| s.total), Some(82.8904));

        // Thresholds: a 5 % decrease is broken at both milestones and over the horizon; $500
        // either way only at the milestones (an amount is monthly); an increase never.
        let breaches = |t: &str| i.breaches(&t.parse().expect("threshold")).count();
        assert_eq!(breaches("-5%"), 3);
        assert_eq!(breaches("±500"), 2);
        assert_eq!(breaches("-9%"), 0);
        assert_eq!(breaches("5%"), 0);
        assert_eq!(breaches("500"), 0);
    }

    #[test]
    fn unknown_costs_break_thresholds_that_watch_increases() {
        // Alpha's price becomes contact sales: every cost of alpha is partly unknown.
        let scenario = fixture("scenarios/golden.toml");
        let base = catalog(|t| t, &scenario);
        let head = catalog(
            |t| t.replace("unit_price = \"120\"", "unit_price = \"contact_sales\""),
            &scenario,
        );
        let i = scenario_impact(&base, &head, "golden")
            .expect("ranks")
            .expect("exists");
        assert!(
            i.costs
                .iter()
                .all(|c| c.provider == "alpha" && c.movement == Movement::BecameUnknown),
            "{:?}",
            i.costs
        );
        assert_eq!(i.costs.len(), 3);
        let breaches = |t: &str| i.breaches(&t.parse().expect("threshold")).count();
        // Cannot be shown within an increase limit; a decrease limit is not broken.
        assert_eq!(breaches("10%"), 3);
        assert_eq!(breaches("±10%"), 3);
        assert_eq!(breaches("1000000"), 2);
        assert_eq!(breaches("-10%"), 0);
    }

    /// A plan at the same price listed before alpha's `standard` plan: plan ties keep the
    /// earlier plan, so the head costs the same under another plan. That is a plan-only
    /// change at each milestone (the horizon total has no plan, so it is no change), which
    /// breaks no threshold.
    #[test]
    fn the_same_cost_under_another_plan_is_a_plan_change() {
        let scenario = fixture("scenarios/golden.toml");
        let base = catalog(|t| t, &scenario);
        let head = catalog(
            |t| {
                t.replace(
                    "[[pricing.plans]]\nid = \"standard\"",
                    "[[pricing.plans]]\nid = \"twin\"\nfeatures = [\"scim\", \"groups\"]\n\
                     source = \"pricing\"\n\n[[pricing.plans.charges]]\n\
                     meter = \"directory_connections\"\nunit_price = \"120\"\n\n\
                     [[pricing.plans]]\nid = \"standard\"",
                )
            },
            &scenario,
        );
        let i = scenario_impact(&base, &head, "golden")
            .expect("ranks")
            .expect("exists");
        assert_eq!(i.costs.len(), 2, "{:?}", i.costs);
        for (c, n) in i.costs.iter().zip([100, 1000]) {
            assert_eq!(c.customers, Some(n));
            assert_eq!(c.movement, Movement::PlanOnly);
            assert_eq!(c.plan_before.as_deref(), Some("standard"));
            assert_eq!(c.plan_after.as_deref(), Some("twin"));
        }
        assert_eq!(i.costs[0].before, i.costs[0].after);
        assert_eq!(i.costs[0].delta, None);
        assert_eq!(i.breaches(&"±0".parse().expect("threshold")).count(), 0);
    }

    /// Alpha's connection price as an unstated tier table: 1–50 at $120, 51+ at $100 (the
    /// head raises 1–50 to $150). At 100 connections:
    /// - graduated: 50 × $120 + 50 × $100 = $11,000 → 50 × $150 + 50 × $100 = $12,500
    ///   (+$1,500, +13.64 %);
    /// - volume: 100 × $100 = $10,000 both times.
    ///
    /// The published cost is "≥ $10,000 + unknown" on both sides (the cheaper reading), so
    /// the floor does not move; the readings do. A 10 % increase limit is broken at 100 and
    /// over the horizon (12 × the same: +$18,000 on $132,000, +13.64 %), not at 1,000
    /// (graduated 50 × $120 + 950 × $100 = $101,000 → $102,500, +1.49 %). A $1,000 limit
    /// watches the milestones only: +$1,500 at both.
    #[test]
    fn a_change_to_one_tier_mode_reading_is_a_change() {
        let scenario = fixture("scenarios/golden.toml");
        let tiers = |first: &'static str| {
            move |t: String| {
                t.replace(
                    "unit_price = \"120\"",
                    &format!(
                        "mode = \"unstated\"\ntiers = [{{ from = 1, up_to = 50, unit_price = \"{first}\" }}, \
                         {{ from = 51, unit_price = \"100\" }}]"
                    ),
                )
            }
        };
        let base = catalog(tiers("120"), &scenario);
        let head = catalog(tiers("150"), &scenario);
        let i = scenario_impact(&base, &head, "golden")
            .expect("ranks")
            .expect("exists");
        let at_100 = i
            .costs
            .iter()
            .find(|c| c.provider == "alpha" && c.customers == Some(100))
            .expect("alpha at 100 moved");
        assert_eq!(at_100.movement, Movement::ReadingsChanged);
        // The floor is the volume reading on both sides.
        for side in [&at_100.before, &at_100.after] {
            assert!(matches!(side, Some(CostValue::AtLeast { .. })), "{side:?}");
            assert_eq!(
                side.as_ref().and_then(CostValue::floor),
                Some(Money(Decimal::from(10_000)))
            );
        }
        let reading = |g: i64, v: i64| TierReadings {
            graduated: Money(Decimal::from(g)),
            volume: Money(Decimal::from(v)),
        };
        assert_eq!(
            at_100.readings,
            Some((reading(11_000, 10_000), reading(12_500, 10_000)))
        );
        assert_eq!(at_100.delta, Some(Money(Decimal::from(1_500))));
        assert_eq!(
            at_100.percent.map(|p| p.round_dp(4)),
            Some(Decimal::new(1364, 4))
        );
        let horizon = i
            .costs
            .iter()
            .find(|c| c.provider == "alpha" && c.customers.is_none())
            .expect("alpha's horizon moved");
        assert_eq!(
            horizon.readings,
            Some((reading(132_000, 120_000), reading(150_000, 120_000)))
        );
        let breaches = |t: &str| i.breaches(&t.parse().expect("threshold")).count();
        assert_eq!(breaches("10%"), 2);
        assert_eq!(breaches("1%"), 3);
        assert_eq!(breaches("14%"), 0);
        assert_eq!(breaches("-10%"), 0);
        assert_eq!(breaches("1000"), 2);
    }

    /// A partly unknown cost whose known part rises past the limit breaks it. Alpha gets an
    /// SSO charge at contact sales on both sides, and its connection price rises from $120 to
    /// $150: at 100 connections ≥ $12,000 + unknown → ≥ $15,000 + unknown (+$3,000, +25 %);
    /// the same +25 % at 1,000 and over the horizon.
    #[test]
    fn a_floor_rise_past_the_limit_breaks_it() {
        let scenario = fixture("scenarios/golden.toml");
        let unknown_fee = |price: &'static str| {
            move |t: String| {
                t.replace(
                    "unit_price = \"120\"",
                    &format!("unit_price = \"{price}\"\n\n[[pricing.plans.charges]]\nmeter = \"sso_connections\"\nunit_price = \"contact_sales\""),
                )
            }
        };
        let base = catalog(unknown_fee("120"), &scenario);
        let head = catalog(unknown_fee("150"), &scenario);
        let i = scenario_impact(&base, &head, "golden")
            .expect("ranks")
            .expect("exists");
        let at_100 = i
            .costs
            .iter()
            .find(|c| c.provider == "alpha" && c.customers == Some(100))
            .expect("alpha at 100 moved");
        assert_eq!(at_100.movement, Movement::FloorChanged);
        assert_eq!(at_100.delta, Some(Money(Decimal::from(3_000))));
        assert_eq!(at_100.percent, Some(Decimal::new(25, 2)));
        let breaches = |t: &str| i.breaches(&t.parse().expect("threshold")).count();
        // At 100, at 1,000 and over the horizon, each +25 %.
        assert_eq!(breaches("20%"), 3);
        assert_eq!(breaches("30%"), 0);
        assert_eq!(breaches("-20%"), 0);
    }

    #[test]
    fn a_changed_scenario_and_a_missing_one() {
        let scenario = fixture("scenarios/golden.toml");
        let base = catalog(|t| t, &scenario);
        // The head grows to 1,000 customers: the scenario file changed (one field), and
        // alpha's horizon cost grows tenfold (12 × $120,000 = $1,440,000).
        let head = catalog(
            |t| t,
            &scenario.replace("customers = 100", "customers = 1000"),
        );
        let i = scenario_impact(&base, &head, "golden")
            .expect("ranks")
            .expect("exists");
        assert!(i.scenario_changed);
        assert_eq!(
            i.scenario_fields
                .iter()
                .map(|f| f.path.as_str())
                .collect::<Vec<_>>(),
            ["growth.customers"]
        );
        let horizon = i
            .costs
            .iter()
            .find(|c| c.provider == "alpha" && c.customers.is_none())
            .expect("alpha's horizon moved");
        assert_eq!(horizon.after, Some(usd(1_440_000)));
        assert_eq!(
            scenario_impact(&base, &head, "nope").expect("no error"),
            None
        );
    }
}
