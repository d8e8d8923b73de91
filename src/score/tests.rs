//! Tests of the scoring engine on real provider and scenario values (parsed from the fixture
//! catalog `tests/fixtures/scoring/golden/`): the rubric's point values and level tables, the
//! status mapping, hard requirements, the pricing evidence (reached milestones only), plan-gated
//! features, ties, weight normalisation, the hand-computed golden sensitivity and SMAA, and
//! property tests:
//!
//! - raising any fact's level never lowers the provider's pessimistic total (or any axis);
//! - adding any provider never reorders the others (fixed anchors, no rank reversal);
//! - the stability-interval end points, the critical axis and the greedy weight shift really
//!   produce a tie when the real scorecards are recomputed at those weights;
//! - weights are normalised, scaling them changes nothing, and invalid ones are rejected.
//!
//! The hand-computed arithmetic of every axis score and total of the golden catalog is written
//! out in `tests/cli_scoring.rs`, which checks it against `scimeter rank --format json`; the
//! golden test here checks the same numbers through the library.

// Exact float comparisons are intended: the rubric's values are exact (0.5, 0.7, 100.0 …).
#![allow(clippy::float_cmp)]

use super::axis::Axis;
use super::criterion::{AxisScore, Criterion};
use super::pricing_evidence::{CostedPlan, PricingEvidence, TierReadings};
use super::ranking::{Ranking, Scorecard, TIE, evidence, normalize_weights, order, scorecard};
use super::requirement::failures;
use super::rubric::{self, Inputs};
use super::sensitivity::{self, AXES};
use super::smaa::{SmaaConfig, smaa};
use super::value::{Value, status_value};
use crate::cost::CostValue;
use crate::cost::money::Money;
use crate::model::provider::{Endpoint, IdpSupport, Membership, PlanGate, YesNo};
use crate::model::scenario::{Need, Team};
use crate::model::{Id, Idp, PricingModel, Provider, Scenario, Status, StatusFact};
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

const ALPHA: &str = include_str!("../../tests/fixtures/scoring/golden/providers/alpha.toml");
const BRAVO: &str = include_str!("../../tests/fixtures/scoring/golden/providers/bravo.toml");
const CHARLIE: &str = include_str!("../../tests/fixtures/scoring/golden/providers/charlie.toml");
const DELTA: &str = include_str!("../../tests/fixtures/scoring/golden/providers/delta.toml");
const GOLDEN: &str = include_str!("../../tests/fixtures/scoring/golden/scenarios/golden.toml");

fn provider(text: &str) -> Provider {
    toml::from_str(text).expect("a fixture provider parses")
}

fn golden_scenario() -> Scenario {
    toml::from_str(GOLDEN).expect("the golden scenario parses")
}

fn golden_providers() -> Vec<Provider> {
    [ALPHA, BRAVO, CHARLIE, DELTA].map(provider).to_vec()
}

fn rank_all(providers: &[Provider], scenario: &Scenario, raw: [f64; 5]) -> Ranking {
    let refs: Vec<&Provider> = providers.iter().collect();
    super::rank(&refs, scenario, raw).expect("ranks")
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9
}

fn card<'r>(r: &'r Ranking, id: &str) -> &'r Scorecard {
    &r.ranked
        .iter()
        .find(|e| e.card.provider == id)
        .expect("ranked")
        .card
}

fn criterion<'a>(axis: &'a AxisScore, key: &str) -> &'a Criterion {
    axis.criteria
        .iter()
        .find(|c| c.key == key)
        .unwrap_or_else(|| panic!("no criterion `{key}`"))
}

fn keys_and_points(axis: &AxisScore) -> Vec<(&str, f64)> {
    axis.criteria
        .iter()
        .map(|c| (c.key.as_str(), c.points))
        .collect()
}

/// A scenario that ignores nothing, knows the team's languages and has no SSO yet: every
/// criterion of the rubric applies.
fn full_scenario() -> Scenario {
    let mut s = golden_scenario();
    s.needs.clear();
    s
}

fn evidence_with(
    milestones: Vec<(u64, CostValue)>,
    horizon: Option<(CostValue, u64)>,
) -> PricingEvidence {
    PricingEvidence {
        currency: "USD".into(),
        anchor: Decimal::from(200),
        milestones,
        horizon,
        milestone_readings: Vec::new(),
        horizon_readings: None,
        uses_estimates: false,
        costed: None,
    }
}

fn known(amount: i64) -> CostValue {
    CostValue::Known {
        amount: Money(Decimal::from(amount)),
    }
}

fn at_least(floor: i64) -> CostValue {
    CostValue::AtLeast {
        floor: Money(Decimal::from(floor)),
        unknown: vec!["contact sales".into()],
    }
}

// ------------------------------------------------------------------------------ the rubric

#[test]
fn rubric_points_match_the_documented_table() {
    // docs/scoring.md lists these; each axis's points sum to 100 when nothing is ignored.
    let s = full_scenario();
    let p = provider(ALPHA);
    let i = Inputs {
        provider: &p,
        scenario: &s,
    };
    let ev = evidence(&p, &s).expect("costs");
    let ease = rubric::ease(&i);
    let features = rubric::features(&i);
    let pricing = rubric::pricing(&i, &ev);
    let integration = rubric::integration(&i);
    let prerequisites = rubric::prerequisites(&i);
    assert_eq!(
        keys_and_points(&ease),
        [
            ("ease.endpoint", 40.0),
            ("ease.admin_portal", 20.0),
            ("ease.setup_guides", 15.0),
            ("ease.integration_hours", 25.0)
        ]
    );
    assert_eq!(
        keys_and_points(&features),
        [
            ("features.provisioning", 14.0),
            ("features.deprovisioning", 18.0),
            ("features.soft_delete", 6.0),
            ("features.groups", 14.0),
            ("features.role_mapping", 10.0),
            ("features.custom_attributes", 8.0),
            ("features.idps", 26.0),
            ("features.bulk", 1.0),
            ("features.me", 1.0),
            ("features.sorting", 1.0),
            ("features.search", 1.0),
        ]
    );
    assert_eq!(
        keys_and_points(&pricing),
        [
            ("pricing.model", 30.0),
            ("pricing.transparency", 20.0),
            ("pricing.cost", 50.0)
        ]
    );
    assert_eq!(
        keys_and_points(&integration),
        [
            ("integration.membership", 30.0),
            ("integration.webhooks", 20.0),
            ("integration.events_api", 15.0),
            ("integration.ordered_delivery", 10.0),
            ("integration.sdks", 25.0),
        ]
    );
    assert_eq!(
        keys_and_points(&prerequisites),
        [
            ("prerequisites.sso_required", 60.0),
            ("prerequisites.scim_plan_gate", 40.0)
        ]
    );
    for axis in [&ease, &features, &pricing, &integration, &prerequisites] {
        let total: f64 = axis.criteria.iter().map(|c| c.points).sum();
        assert!(close(total, 100.0), "{}: {total}", axis.axis);
    }
    // The axis names follow Axis::ALL.
    let names: Vec<&str> = [&ease, &features, &pricing, &integration, &prerequisites]
        .iter()
        .map(|a| a.axis)
        .collect();
    assert_eq!(names, Axis::ALL.map(Axis::key));
}

#[test]
fn status_values_follow_the_documented_mapping() {
    for credit in [0.0, 0.3, 0.5, 1.0] {
        let team = Team {
            beta_credit: credit,
            ..Team::default()
        };
        assert_eq!(status_value(Status::Ga, &team), Value::exact(1.0));
        assert_eq!(status_value(Status::Beta, &team), Value::exact(credit));
        assert_eq!(
            status_value(Status::EarlyAccess, &team),
            Value::exact(credit / 2.0)
        );
        assert_eq!(
            status_value(Status::Preview, &team),
            Value::exact(credit / 2.0)
        );
        assert_eq!(status_value(Status::Planned, &team), Value::exact(0.0));
        assert_eq!(status_value(Status::None, &team), Value::exact(0.0));
        assert_eq!(
            status_value(Status::Unknown, &team),
            Value {
                low: 0.0,
                high: 1.0
            }
        );
        // With `count_beta = false` every pre-GA status is worth nothing; GA and unknown keep
        // their values.
        let strict = Team {
            count_beta: false,
            ..team
        };
        for s in [Status::Beta, Status::EarlyAccess, Status::Preview] {
            assert_eq!(status_value(s, &strict), Value::exact(0.0), "{s}");
        }
        assert_eq!(status_value(Status::Ga, &strict), Value::exact(1.0));
        assert_eq!(status_value(Status::Unknown, &strict), Value::unknown());
    }
}

#[test]
fn value_fact_level_tables() {
    let s = full_scenario();
    let mut p = provider(ALPHA);
    let value_of = |p: &Provider, axis: fn(&Inputs<'_>) -> AxisScore, key: &str| -> Value {
        let i = Inputs {
            provider: p,
            scenario: &s,
        };
        criterion(&axis(&i), key).value
    };
    for (endpoint, v) in [
        (Endpoint::Managed, Value::exact(1.0)),
        (Endpoint::SelfHosted, Value::exact(0.4)),
        (Endpoint::SelfBuilt, Value::exact(0.0)),
        (Endpoint::NotApplicable, Value::exact(0.0)),
        (Endpoint::Unknown, Value::unknown()),
    ] {
        p.ease.endpoint.value = endpoint;
        assert_eq!(
            value_of(&p, rubric::ease, "ease.endpoint"),
            v,
            "{endpoint:?}"
        );
    }
    // Integration effort: 8 h scores 1, 600 h scores 0, linear between, clamped outside.
    for (hours, v) in [
        (Some(0), Value::exact(1.0)),
        (Some(8), Value::exact(1.0)),
        (Some(304), Value::exact(0.5)),
        (Some(600), Value::exact(0.0)),
        (Some(5000), Value::exact(0.0)),
        (None, Value::unknown()),
    ] {
        p.ease.integration_hours.value = hours;
        assert_eq!(
            value_of(&p, rubric::ease, "ease.integration_hours"),
            v,
            "{hours:?}"
        );
    }
    for (membership, v) in [
        (Membership::OrgMembers, Value::exact(1.0)),
        (Membership::FlatRecords, Value::exact(0.3)),
        (Membership::Unknown, Value::unknown()),
    ] {
        p.integration.membership.value = membership;
        assert_eq!(
            value_of(&p, rubric::integration, "integration.membership"),
            v,
            "{membership:?}"
        );
    }
    // SDKs: the share of the team's languages (node, python) the provider has.
    for (sdks, v) in [
        (Some(vec!["node", "python", "go"]), Value::exact(1.0)),
        (Some(vec!["go", "python"]), Value::exact(0.5)),
        (Some(vec![]), Value::exact(0.0)),
        (None, Value::unknown()),
    ] {
        p.integration.sdks.value = sdks.map(|l| l.into_iter().map(String::from).collect());
        assert_eq!(value_of(&p, rubric::integration, "integration.sdks"), v);
    }
    for (sso, v) in [
        (YesNo::No, Value::exact(1.0)),
        (YesNo::Yes, Value::exact(0.0)),
        (YesNo::Unknown, Value::unknown()),
    ] {
        p.prerequisites.sso_required.value = sso;
        assert_eq!(
            value_of(&p, rubric::prerequisites, "prerequisites.sso_required"),
            v,
            "{sso:?}"
        );
    }
    for (gate, v) in [
        (PlanGate::AnyPlan, Value::exact(1.0)),
        (PlanGate::PaidPlan, Value::exact(0.7)),
        (PlanGate::Addon, Value::exact(0.5)),
        (PlanGate::EnterprisePlan, Value::exact(0.2)),
        (PlanGate::Unknown, Value::unknown()),
    ] {
        p.prerequisites.scim_plan_gate.value = gate;
        assert_eq!(
            value_of(&p, rubric::prerequisites, "prerequisites.scim_plan_gate"),
            v,
            "{gate:?}"
        );
    }
}

#[test]
fn ignored_needs_drop_criteria_and_points_renormalise() {
    // The golden scenario ignores bulk, me, sorting, search (features: 100 − 4 = 96 points) and
    // events_api (integration: 100 − 15 = 85 points).
    let s = golden_scenario();
    let p = provider(ALPHA);
    let i = Inputs {
        provider: &p,
        scenario: &s,
    };
    let features = rubric::features(&i);
    let integration = rubric::integration(&i);
    assert_eq!(
        features.criteria.iter().map(|c| c.points).sum::<f64>(),
        96.0
    );
    assert!(features.criteria.iter().all(|c| {
        ![
            "features.bulk",
            "features.me",
            "features.sorting",
            "features.search",
        ]
        .contains(&c.key.as_str())
    }));
    assert_eq!(
        integration.criteria.iter().map(|c| c.points).sum::<f64>(),
        85.0
    );
    // Alpha: 14 + 18 + 6 + 14 + 10 × 0.5 + 8 × 0 + 26 × 1 = 83 of 96.
    assert!(close(features.score.low, 100.0 * 83.0 / 96.0));
    // 30 + 20 + 10 × 0 + 25 × 0.5 = 62.5 of 85.
    assert!(close(integration.score.low, 100.0 * 62.5 / 85.0));
    // An axis contribution is points × value ÷ the applicable points.
    assert!(close(
        features.contribution(criterion(&features, "features.groups")),
        100.0 * 14.0 / 96.0
    ));

    // The SSO prerequisite counts only when the team has no SSO yet: with SSO the plan gate is
    // the whole axis (paid plan 0.7 → 70).
    let mut retrofit = golden_scenario();
    retrofit.team.has_sso = true;
    let pre = rubric::prerequisites(&Inputs {
        provider: &p,
        scenario: &retrofit,
    });
    assert_eq!(
        keys_and_points(&pre),
        [("prerequisites.scim_plan_gate", 40.0)]
    );
    assert!(close(pre.score.low, 70.0));

    // No SDK languages: the SDK criterion drops. Ignoring org membership drops membership.
    let mut lean = golden_scenario();
    lean.team.sdk_languages.clear();
    lean.needs.insert("org_membership".into(), Need::Ignored);
    let ig = rubric::integration(&Inputs {
        provider: &p,
        scenario: &lean,
    });
    assert_eq!(
        keys_and_points(&ig),
        [
            ("integration.webhooks", 20.0),
            ("integration.ordered_delivery", 10.0)
        ]
    );
    assert!(close(ig.score.low, 100.0 * 20.0 / 30.0));

    // Ignoring everything on an axis leaves no criteria: the axis scores 100 for everyone (it
    // cannot separate providers).
    for f in ["webhooks", "ordered_delivery"] {
        lean.needs.insert(f.into(), Need::Ignored);
    }
    let empty = rubric::integration(&Inputs {
        provider: &p,
        scenario: &lean,
    });
    assert!(empty.criteria.is_empty());
    assert_eq!(empty.score, Value::exact(100.0));
    let bare = rubric::integration(&Inputs {
        provider: &provider(CHARLIE),
        scenario: &lean,
    });
    assert_eq!(bare.score, Value::exact(100.0));
}

#[test]
fn idp_coverage_uses_the_scenario_mix_and_google_groups() {
    let mut s = golden_scenario();
    let mut p = provider(BRAVO);
    let idps = |p: &Provider, s: &Scenario| {
        criterion(
            &rubric::features(&Inputs {
                provider: p,
                scenario: s,
            }),
            "features.idps",
        )
        .clone()
    };
    // Golden mix 5/3/2 → 50/30/20 %; Bravo: Entra ID ga, Okta ga, Google users ga but groups
    // none, and groups matter → min(1, 0) = 0 for Google: 0.5 + 0.3 + 0 = 0.8.
    let c = idps(&p, &s);
    assert!(close(c.value.low, 0.8) && close(c.value.high, 0.8), "{c:?}");
    assert_eq!(
        c.level,
        "entra_id 50%: ga; okta 30%: ga; google_workspace 20%: ga, groups none"
    );
    assert_eq!(c.points, 26.0);
    // When neither groups nor google_workspace_groups matter, Google counts its user sync only.
    s.needs.insert("groups".into(), Need::Ignored);
    s.needs
        .insert("google_workspace_groups".into(), Need::Ignored);
    assert!(close(idps(&p, &s).value.low, 1.0));
    // Groups ignored and Google Workspace groups left at their default (not required): group
    // sync does not matter either, so Google still counts 1 and the total is 1.
    s.needs.remove("google_workspace_groups");
    assert!(close(idps(&p, &s).value.low, 1.0));
    // Required Google Workspace groups matter even with `groups` ignored: back to 0.8.
    s.needs
        .insert("google_workspace_groups".into(), Need::Required);
    assert!(close(idps(&p, &s).value.low, 0.8));
    // A mix whose shares are all 0 weighs nothing: coverage 0, not 0/0.
    let mut zero = golden_scenario();
    for share in zero.idps.values_mut() {
        *share = 0.0;
    }
    let c = idps(&p, &zero);
    assert_eq!((c.value.low, c.value.high), (0.0, 0.0), "{c:?}");
    assert_eq!(
        c.level,
        "entra_id 0%: ga; okta 0%: ga; google_workspace 0%: ga, groups none"
    );
    // Shares too large to sum (1e308 each, which `check` accepts as finite) are the same mix
    // as 1/1/1 with the golden providers' coverage (Google's groups are `none`, and groups
    // matter in the golden scenario): (1 + 1 + 0) / 3, not 0 for every IdP.
    let mut huge = golden_scenario();
    for share in huge.idps.values_mut() {
        *share = 1e308;
    }
    let c = idps(&p, &huge);
    assert!(close(c.value.low, 2.0 / 3.0), "{c:?}");
    assert!(c.level.starts_with("entra_id 33%: ga"), "{}", c.level);
    // No mix in the scenario: the default mix, Entra ID 40 %, Okta 40 %, Google Workspace 20 %.
    let mut s = golden_scenario();
    s.idps.clear();
    let c = idps(&p, &s);
    assert!(close(c.value.low, 0.8), "{c:?}");
    assert!(
        c.level
            .starts_with("entra_id 40%: ga; okta 40%: ga; google_workspace 20%"),
        "{}",
        c.level
    );
    // An IdP the provider does not list is unknown: a [0, 1] range for its share.
    p.features.idps.remove(&Idp::Okta);
    let c = idps(&p, &s);
    assert!(close(c.value.low, 0.4) && close(c.value.high, 0.8), "{c:?}");
    // Pre-GA IdP support counts at the scenario's beta credit.
    p.features.idps.insert(
        Idp::Okta,
        IdpSupport {
            status: Status::Beta,
            groups: Status::Ga,
            ..IdpSupport::default()
        },
    );
    assert!(close(idps(&p, &s).value.low, 0.4 + 0.4 * 0.5));
}

#[test]
fn pricing_axis_predictability_transparency_and_cost() {
    let s = golden_scenario();
    let mut p = provider(ALPHA);
    let score = |p: &Provider, ev: &PricingEvidence| {
        rubric::pricing(
            &Inputs {
                provider: p,
                scenario: &s,
            },
            ev,
        )
    };
    // All published, $50 per customer-month against a $200 anchor: 1 − 50/200 = 0.75 at every
    // point. Per-connection predictability 1, transparency 1: 30 + 20 + 50 × 0.75 = 87.5.
    let published = evidence_with(
        vec![(100, known(5_000)), (1000, known(50_000))],
        Some((known(60_000), 1200)),
    );
    let a = score(&p, &published);
    assert!(close(a.score.low, 87.5), "{a:?}");
    for (model, base) in [
        (PricingModel::PerConnection, 1.0),
        (PricingModel::Bundled, 1.0),
        (PricingModel::SelfManaged, 0.8),
        (PricingModel::TierGated, 0.6),
        (PricingModel::PerMau, 0.4),
    ] {
        p.pricing.model = model;
        assert!(
            close(
                criterion(&score(&p, &published), "pricing.model").value.low,
                base
            ),
            "{model:?}"
        );
    }
    p.pricing.model = PricingModel::Unknown;
    assert_eq!(
        criterion(&score(&p, &published), "pricing.model").value,
        Value::unknown()
    );
    // Partly unpublished (one milestone "at least"): transparency (1 + 0.5)/2 = 0.75; the
    // model's predictability is kept (the gap is counted under transparency and cost only);
    // the unknown cost ranges from 0 to its floor's value.
    p.pricing.model = PricingModel::PerMau;
    let partly = evidence_with(
        vec![(100, known(5_000)), (1000, at_least(50_000))],
        Some((known(60_000), 1200)),
    );
    let b = score(&p, &partly);
    assert_eq!(criterion(&b, "pricing.model").value, Value::exact(0.4));
    assert_eq!(
        criterion(&b, "pricing.model").level,
        "per_mau (some milestone costs unpublished (counted under transparency))"
    );
    assert!(close(criterion(&b, "pricing.transparency").value.low, 0.75));
    let cost = criterion(&b, "pricing.cost").value;
    assert!(
        close(cost.low, (0.75 + 0.0 + 0.75) / 3.0) && close(cost.high, 0.75),
        "{cost:?}"
    );
    // Nothing published (contact sales everywhere, a zero floor): predictability 0.1 whatever
    // the model, transparency 0, cost [0, 1].
    let none = evidence_with(
        vec![(100, at_least(0)), (1000, at_least(0))],
        Some((at_least(0), 1200)),
    );
    let c = score(&p, &none);
    assert_eq!(criterion(&c, "pricing.model").value, Value::exact(0.1));
    assert_eq!(
        criterion(&c, "pricing.transparency").value,
        Value::exact(0.0)
    );
    assert_eq!(criterion(&c, "pricing.cost").value, Value::unknown());
    assert!(close(c.score.low, 3.0) && close(c.score.high, 53.0));
    // Unavailable (no eligible plan) scores 0 on cost and on transparency; a cost above the
    // anchor scores 0, never below.
    let gone = evidence_with(
        vec![
            (
                100,
                CostValue::Unavailable {
                    reason: "limits".into(),
                },
            ),
            (1000, known(1_000_000)),
        ],
        None,
    );
    assert_eq!(
        criterion(&score(&p, &gone), "pricing.cost").value,
        Value::exact(0.0)
    );
    assert!(close(
        criterion(&score(&p, &gone), "pricing.transparency")
            .value
            .low,
        0.5
    ));
    // One milestone unavailable and one published is partly published: the model keeps its
    // value (per MAU 0.4), like any other partly published case. Unavailable at every
    // milestone: predictability 0, and nothing else scores either.
    assert_eq!(
        criterion(&score(&p, &gone), "pricing.model").value,
        Value::exact(0.4)
    );
    let unavailable = || CostValue::Unavailable {
        reason: "limits".into(),
    };
    let never = evidence_with(vec![(100, unavailable()), (1000, unavailable())], None);
    let d = score(&p, &never);
    assert_eq!(criterion(&d, "pricing.model").value, Value::exact(0.0));
    assert_eq!(
        criterion(&d, "pricing.model").level,
        "per_mau (unavailable at every milestone)"
    );
    assert_eq!(d.score, Value::exact(0.0));
    // An unknown model stays the full range when some costs are published, whether all or some.
    p.pricing.model = PricingModel::Unknown;
    assert_eq!(
        criterion(&score(&p, &partly), "pricing.model").value,
        Value::unknown()
    );
    assert_eq!(
        criterion(&score(&p, &none), "pricing.model").value,
        Value::exact(0.1)
    );
}

// ------------------------------------------------------------------------ requirements

#[test]
fn hard_requirements_use_the_pessimistic_rule() {
    let mut s = golden_scenario();
    s.needs.insert("groups".into(), Need::Required);
    let mut p = provider(ALPHA);
    for (status, count_beta, passes) in [
        (Status::Ga, false, true),
        (Status::Beta, true, true),
        (Status::EarlyAccess, true, true),
        (Status::Preview, true, true),
        (Status::Beta, false, false),
        (Status::Preview, false, false),
        (Status::Planned, true, false),
        (Status::None, true, false),
        (Status::Unknown, true, false),
    ] {
        p.features.groups = StatusFact::bare(status);
        s.team.count_beta = count_beta;
        let failed = failures(&p, &s);
        assert_eq!(
            failed.is_empty(),
            passes,
            "{status} count_beta={count_beta}: {failed:?}"
        );
        if !passes {
            assert_eq!(failed[0].feature, "groups");
            assert_eq!(failed[0].status, status);
        }
    }
    // Each kind of failure says why in its own words.
    let mut reason = |status: Status, count_beta: bool| {
        p.features.groups = StatusFact::bare(status);
        s.team.count_beta = count_beta;
        failures(&p, &s).remove(0).reason
    };
    assert_eq!(
        reason(Status::Beta, false),
        "`groups` is only beta and the scenario does not count beta features"
    );
    assert_eq!(
        reason(Status::Preview, false),
        "`groups` is only preview and the scenario does not count beta features"
    );
    assert_eq!(
        reason(Status::Planned, true),
        "`groups` is required but is `planned`"
    );
    // The golden exclusion: Delta fails both required needs, each with its reason.
    let delta = provider(DELTA);
    let reasons: Vec<String> = failures(&delta, &golden_scenario())
        .into_iter()
        .map(|f| f.reason)
        .collect();
    assert_eq!(
        reasons,
        [
            "`deprovisioning` is required but is `none`: JIT cannot deprovision",
            "`provisioning` is required but unconfirmed (unknown)"
        ]
    );
}

// ------------------------------------------------------------------ the golden ranking

#[test]
fn golden_ranking_through_the_library() {
    // Worked out by hand in tests/cli_scoring.rs (`golden_ranking_by_hand`). The scenario holds
    // 100 customers for 12 months, so only the 100-customer milestone is reached: the pricing
    // evidence has one milestone point (100) and the horizon. Bravo's contact-sales band above
    // 500 SSO connections is never priced, so its pricing is fully published: predictability
    // 1 × 30 + transparency 1 × 20 + cost 0.8 × 50 = 90, and it overtakes Alpha by 0.275.
    let s = golden_scenario();
    let r = rank_all(&golden_providers(), &s, s.weights.raw());
    assert_eq!(r.weights, [0.2, 0.3, 0.2, 0.1, 0.2]);
    let ids: Vec<&str> = r.ranked.iter().map(|e| e.card.provider.as_str()).collect();
    assert_eq!(ids, ["bravo", "alpha", "charlie"]);
    assert_eq!(
        r.ranked
            .iter()
            .map(|e| (e.rank, e.tied))
            .collect::<Vec<_>>(),
        [(1, false), (2, false), (3, false)]
    );
    assert_eq!(
        r.excluded
            .iter()
            .map(|x| x.provider.as_str())
            .collect::<Vec<_>>(),
        ["delta"]
    );

    let expect = |id: &str, axes: [(f64, f64); 5], total: (f64, f64)| {
        let c = card(&r, id);
        for (k, (low, high)) in axes.iter().enumerate() {
            assert!(
                close(c.axes[k].score.low, *low) && close(c.axes[k].score.high, *high),
                "{id} axis {k}: {:?}",
                c.axes[k].score
            );
        }
        assert!(
            close(c.total.low, total.0) && close(c.total.high, total.1),
            "{id}: {:?}",
            c.total
        );
        // The total is the weighted sum of the axes; the contributions add up to it.
        assert!(close(c.contributions.iter().sum::<f64>(), c.total.low));
    };
    // 17.5 + 25.9375 + 14 + 7.352941… + 17.6 = 82.390441…
    let alpha = 17.5 + 0.3 * 8300.0 / 96.0 + 14.0 + 0.1 * 6250.0 / 85.0 + 17.6;
    assert!(close(alpha, 112_051.0 / 1360.0));
    expect(
        "alpha",
        [
            (87.5, 87.5),
            (8300.0 / 96.0, 8300.0 / 96.0),
            (70.0, 70.0),
            (6250.0 / 85.0, 6250.0 / 85.0),
            (88.0, 88.0),
        ],
        (alpha, alpha),
    );
    // 14 + 24.3125 + 18 + 6.352941… + 20 = 82.665441… (best case 17 + 26.1875 + 18 + 7.529411…
    // + 20 = 88.716911…).
    let bravo_low = 14.0 + 0.3 * 7780.0 / 96.0 + 0.2 * 90.0 + 0.1 * 5400.0 / 85.0 + 20.0;
    let bravo_high = 17.0 + 0.3 * 8380.0 / 96.0 + 0.2 * 90.0 + 0.1 * 6400.0 / 85.0 + 20.0;
    assert!(close(bravo_low, 22_485.0 / 272.0));
    expect(
        "bravo",
        [
            (70.0, 85.0),
            (7780.0 / 96.0, 8380.0 / 96.0),
            (90.0, 90.0),
            (5400.0 / 85.0, 6400.0 / 85.0),
            (100.0, 100.0),
        ],
        (bravo_low, bravo_high),
    );
    // 6.2 + 24.40625 + 0.6 + 8.823529… + 13.6 = 53.629779… (best case + 0.2 × 50).
    let charlie_low = 6.2 + 0.3 * 7810.0 / 96.0 + 0.6 + 0.1 * 7500.0 / 85.0 + 13.6;
    expect(
        "charlie",
        [
            (31.0, 31.0),
            (7810.0 / 96.0, 7810.0 / 96.0),
            (3.0, 53.0),
            (7500.0 / 85.0, 7500.0 / 85.0),
            (68.0, 68.0),
        ],
        (charlie_low, charlie_low + 0.2 * 50.0),
    );
    // Bravo's lead is −3.5 − 1.625 + 4 − 1 + 2.4 = 0.275 (by axis, from Bravo's side).
    assert!(close(bravo_low - alpha, 0.275));
    assert!(close(
        r.ranked[0].margin.expect("margin"),
        bravo_low - alpha
    ));
    assert!(close(
        r.ranked[1].margin.expect("margin"),
        alpha - charlie_low
    ));
    assert_eq!(r.ranked[2].margin, None);
    // Bravo's uncertain facts are exactly the unknown ones (its cost is fully published now).
    let b = card(&r, "bravo");
    let uncertain: Vec<&str> = b
        .axes
        .iter()
        .flat_map(|a| a.criteria.iter())
        .filter(|c| c.value.is_uncertain())
        .map(|c| c.key.as_str())
        .collect();
    assert_eq!(
        uncertain,
        [
            "ease.setup_guides",
            "features.soft_delete",
            "integration.ordered_delivery"
        ]
    );
    assert!(b.uncertain() && !card(&r, "alpha").uncertain());
    let pricing = &b.axes[2];
    assert_eq!(
        criterion(pricing, "pricing.model").level,
        "bundled (all milestone costs published)"
    );
    assert_eq!(
        criterion(pricing, "pricing.cost").level,
        "$40.00 at 100; $40.00 over the horizon per customer-month"
    );
    // No criterion is plan-gated: every golden plan that gates a scored feature (`groups`) is
    // the plan the cost engine picks.
    for e in &r.ranked {
        assert!(
            e.card
                .axes
                .iter()
                .flat_map(|a| a.criteria.iter())
                .all(|c| !c.level.contains("costed plan")),
            "{}",
            e.card.provider
        );
    }
}

#[test]
fn pricing_evidence_uses_the_milestones_the_scenario_reaches() {
    // The golden scenario holds 100 customers: of its milestones 100 and 1,000, only 100 is
    // reached. The costed plan is the one priced there.
    let s = golden_scenario();
    let bravo = provider(BRAVO);
    let ev = evidence(&bravo, &s).expect("costs");
    assert_eq!(
        ev.milestones,
        [(
            100,
            CostValue::Known {
                amount: Money(Decimal::from(4_000))
            }
        )]
    );
    assert_eq!(ev.horizon, Some((known(48_000), 1200)));
    assert_eq!(
        ev.costed,
        Some(CostedPlan {
            plan: "b2b".into(),
            plans: vec!["b2b".into()],
            addons: Vec::new(),
            features: vec!["scim".into(), "sso".into(), "groups".into()],
        })
    );

    // A steady 1,000 customers reaches both. Bravo at 1,000: ≥ $20,000 + unknown (500 × $40,
    // contact sales beyond). Transparency (1 + 0.5)/2 = 0.75; the bundled model keeps its
    // predictability 1 (a partly unpublished milestone is counted under transparency and cost,
    // not halved); cost: 100 → 1 − 40/200 = 0.8, 1,000 → [0, 1 − 20/200] = [0, 0.9], horizon
    // 12 × ≥ $20,000 over 12,000 customer-months → [0, 0.9]; mean [0.8/3, 2.6/3].
    // Pricing = 30 + 15 + 50 × [0.266667, 0.866667] = [58.333333, 88.333333].
    let thousand: Scenario =
        toml::from_str(&GOLDEN.replace("customers = 100", "customers = 1000")).expect("parses");
    let ev = evidence(&bravo, &thousand).expect("costs");
    assert_eq!(
        ev.milestones.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        [100, 1000]
    );
    let i = Inputs {
        provider: &bravo,
        scenario: &thousand,
    };
    let pricing = rubric::pricing(&i, &ev);
    assert_eq!(
        criterion(&pricing, "pricing.model").value,
        Value::exact(1.0)
    );
    assert_eq!(
        criterion(&pricing, "pricing.model").level,
        "bundled (some milestone costs unpublished (counted under transparency))"
    );
    assert!(close(
        criterion(&pricing, "pricing.transparency").value.low,
        0.75
    ));
    let cost = criterion(&pricing, "pricing.cost").value;
    assert!(
        close(cost.low, 0.8 / 3.0) && close(cost.high, 2.6 / 3.0),
        "{cost:?}"
    );
    assert!(
        close(pricing.score.low, 30.0 + 15.0 + 50.0 * 0.8 / 3.0)
            && close(pricing.score.high, 30.0 + 15.0 + 50.0 * 2.6 / 3.0),
        "{:?}",
        pricing.score
    );

    // A steady 50 customers reaches neither milestone: 50 stands in as the single point.
    // Alpha at 50: 50 × $120 = $6,000, $120 per customer → 0.4, the same pricing score 70.
    let fifty: Scenario =
        toml::from_str(&GOLDEN.replace("customers = 100", "customers = 50")).expect("parses");
    let alpha = provider(ALPHA);
    let ev = evidence(&alpha, &fifty).expect("costs");
    assert_eq!(ev.milestones, [(50, known(6_000))]);
    assert_eq!(ev.horizon, Some((known(72_000), 600)));
    let pricing = rubric::pricing(
        &Inputs {
            provider: &alpha,
            scenario: &fifty,
        },
        &ev,
    );
    assert_eq!(
        criterion(&pricing, "pricing.transparency").level,
        "50: published"
    );
    assert!(close(pricing.score.low, 70.0), "{:?}", pricing.score);
}

/// Whether the pricing axis rests on estimates looks at the months as well as the milestones:
/// a price estimated only in a band the scenario crosses between milestones still counts.
#[test]
fn pricing_evidence_counts_estimates_met_only_between_milestones() {
    // Alpha at $120 a connection for the first 100, and an estimated $150 (unpublished)
    // beyond; the scenario opts in to estimates (`billing.use_estimates`). Growing linearly from 50 to 150 customers over 12 months, the scenario reaches
    // the 100 milestone (not 1,000): at 100 customers every connection is in the published
    // band, so the milestone row is exact ($12,000) and uses no estimate; but the months above
    // 100 customers price connections 101+ at the estimate, so the evidence uses estimates.
    let tiered = ALPHA.replace(
        "unit_price = \"120\"",
        "mode = \"graduated\"\ntiers = [{ up_to = 100, unit_price = \"120\" }, \
         { unit_price = { status = \"unknown\", estimate = \"150\" } }]",
    );
    let alpha = provider(&tiered);
    let with_estimates = format!("{GOLDEN}\n[billing]\nuse_estimates = true\n");
    let growing: Scenario = toml::from_str(&with_estimates.replace(
        "kind = \"constant\"\ncustomers = 100",
        "kind = \"linear\"\nstart = 50\nend = 150",
    ))
    .expect("parses");
    let ev = evidence(&alpha, &growing).expect("costs");
    assert_eq!(ev.milestones, [(100, known(12_000))]);
    assert!(ev.uses_estimates, "the months above 100 use the estimate");

    // The steady 100 customers never leave the published band: no estimate anywhere.
    let steady: Scenario = toml::from_str(&with_estimates).expect("parses");
    let ev = evidence(&alpha, &steady).expect("costs");
    assert_eq!(ev.milestones, [(100, known(12_000))]);
    assert!(!ev.uses_estimates);
}

/// A scenario with no customers at all scores no milestone: there is no count to stand in
/// for the ones it never reaches (0 customers would price every provider at its floor).
#[test]
fn no_customers_means_no_scored_milestone() {
    let empty: Scenario =
        toml::from_str(&GOLDEN.replace("customers = 100", "customers = 0")).expect("parses");
    let (customers, milestones) = super::ranking::scored_counts(&empty);
    assert_eq!(customers, vec![0; 12]);
    assert!(milestones.is_empty(), "{milestones:?}");
    let ev = evidence(&provider(ALPHA), &empty).expect("costs");
    assert!(ev.milestones.is_empty(), "{:?}", ev.milestones);
}

/// Each criterion links the source its fact cites, by the source's id in the provider file;
/// a fact without a source links nothing.
#[test]
fn criteria_link_the_sources_their_facts_cite() {
    let alpha = provider(ALPHA);
    let s = full_scenario();
    let i = Inputs {
        provider: &alpha,
        scenario: &s,
    };
    // Alpha's features cite `docs`, its plan gate and pricing cite `pricing`.
    let docs = Some("https://alpha.example.com/docs".to_owned());
    let pricing = Some("https://alpha.example.com/pricing".to_owned());
    assert_eq!(
        criterion(&rubric::features(&i), "features.groups").source,
        docs
    );
    assert_eq!(criterion(&rubric::ease(&i), "ease.endpoint").source, docs);
    assert_eq!(
        criterion(&rubric::prerequisites(&i), "prerequisites.scim_plan_gate").source,
        pricing
    );
    let ev = evidence(&alpha, &s).expect("costs");
    assert_eq!(
        criterion(&rubric::pricing(&i, &ev), "pricing.model").source,
        pricing
    );
    // Without a source: Alpha with its `bulk` fact's source removed.
    let unsourced = provider(&ALPHA.replace(
        "bulk = { status = \"none\", source = \"docs\" }",
        "bulk = { status = \"none\" }",
    ));
    let i = Inputs {
        provider: &unsourced,
        scenario: &s,
    };
    assert_eq!(
        criterion(&rubric::features(&i), "features.bulk").source,
        None
    );
}

/// IdP coverage cites the first source its IdP facts give and lists the other distinct ones
/// in its note.
#[test]
fn idp_coverage_cites_each_distinct_source_once() {
    let s = golden_scenario();
    let coverage = |p: &Provider| {
        criterion(
            &rubric::features(&Inputs {
                provider: p,
                scenario: &s,
            }),
            "features.idps",
        )
        .clone()
    };
    // Alpha's three IdPs all cite `docs`: one source, no note.
    let c = coverage(&provider(ALPHA));
    assert_eq!(c.source.as_deref(), Some("https://alpha.example.com/docs"));
    assert_eq!(c.note, None);
    // Okta citing `pricing` instead: `docs` (Entra ID, first in the mix) and then `pricing`.
    let p = provider(&ALPHA.replace(
        "okta = { status = \"ga\", groups = \"ga\", source = \"docs\" }",
        "okta = { status = \"ga\", groups = \"ga\", source = \"pricing\" }",
    ));
    let c = coverage(&p);
    assert_eq!(c.source.as_deref(), Some("https://alpha.example.com/docs"));
    assert_eq!(
        c.note.as_deref(),
        Some("also: https://alpha.example.com/pricing")
    );
}

/// Alpha with webhooks for sale twice: a $1,000-a-month add-on for the `standard` plan, or a
/// `pro` plan at $150 a connection (instead of $120) that includes them.
const ALPHA_WITH_GATED_WEBHOOKS: &str = r#"
[[pricing.plans]]
id = "pro"
features = ["scim", "groups", "webhooks"]
source = "pricing"

[[pricing.plans.charges]]
meter = "directory_connections"
unit_price = "150"

[[pricing.addons]]
id = "realtime"
name = "Realtime events"
fee = "1000"
features = ["webhooks"]
plans = ["standard"]
source = "pricing"
"#;

/// Found in review (2026-12-01): the costed features came from the largest milestone alone.
/// With `standard` ($120 a connection) limited to 500 connections, a steady 1,000 customers
/// scores 100 (standard: $12,000, cheaper than pro's $15,000, without webhooks) and 1,000
/// (pro only: $150,000, with webhooks). The pricing axis scores both costs, so the webhooks
/// the 100-customer plan lacks score 0. When no plan serves 1,000 at all, the plan at 100
/// decides; before, every gated feature was credited.
#[test]
fn plan_gates_hold_at_every_scored_milestone() {
    let limited = |pro_too: bool| {
        let mut text = format!("{ALPHA}{ALPHA_WITH_GATED_WEBHOOKS}").replacen(
            "id = \"standard\"",
            "id = \"standard\"\nlimits = { directory_connections = 500 }",
            1,
        );
        if pro_too {
            text = text.replacen(
                "id = \"pro\"",
                "id = \"pro\"\nlimits = { directory_connections = 500 }",
                1,
            );
        }
        provider(&text)
    };
    let thousand: Scenario =
        toml::from_str(&GOLDEN.replace("customers = 100", "customers = 1000")).expect("parses");
    let w = normalize_weights(thousand.weights.raw()).expect("weights");

    let p = limited(false);
    let ev = evidence(&p, &thousand).expect("costs");
    let costed = ev.costed.as_ref().expect("costed");
    assert_eq!(costed.plans, ["standard", "pro"]);
    assert_eq!(costed.plan, "pro");
    assert_eq!(costed.features, ["scim", "groups"]);
    let c = scorecard(&p, &thousand, w, &ev);
    let webhooks = criterion(&c.axes[3], "integration.webhooks");
    assert_eq!(webhooks.value, Value::exact(0.0));
    assert!(
        webhooks
            .level
            .starts_with("ga but not in every costed plan (`standard`, `pro`)"),
        "{}",
        webhooks.level
    );

    let p = limited(true);
    let ev = evidence(&p, &thousand).expect("costs");
    assert!(matches!(ev.milestones[1].1, CostValue::Unavailable { .. }));
    let costed = ev.costed.as_ref().expect("costed");
    assert_eq!(costed.plans, ["standard"]);
    let c = scorecard(&p, &thousand, w, &ev);
    let webhooks = criterion(&c.axes[3], "integration.webhooks");
    assert_eq!(webhooks.value, Value::exact(0.0));
    assert!(
        webhooks
            .level
            .starts_with("ga but not in the costed plan `standard`"),
        "{}",
        webhooks.level
    );
}

#[test]
fn plan_gated_features_score_only_in_the_costed_plan() {
    let p = provider(&format!("{ALPHA}{ALPHA_WITH_GATED_WEBHOOKS}"));
    let mut s = golden_scenario();
    let w = normalize_weights(s.weights.raw()).expect("weights");

    // `webhooks` is preferred: the cost engine buys nothing for it, so the cheapest plan is
    // `standard` at $12,000 a month (pro: $15,000) and the costs leave the add-on out. Alpha's
    // webhooks are GA, but not in what the costs pay for: the criterion scores 0.
    let ev = evidence(&p, &s).expect("costs");
    assert_eq!(
        ev.costed,
        Some(CostedPlan {
            plan: "standard".into(),
            plans: vec!["standard".into()],
            addons: Vec::new(),
            features: vec!["scim".into(), "groups".into()],
        })
    );
    let c = scorecard(&p, &s, w, &ev);
    let webhooks = criterion(&c.axes[3], "integration.webhooks");
    assert_eq!(webhooks.value, Value::exact(0.0));
    assert_eq!(
        webhooks.level,
        "ga but not in the costed plan `standard` (needs add-on `realtime` or plan `pro`, which the cost includes only if the need is `required`)"
    );
    // Groups are gated too, but `standard` includes them: untouched.
    assert_eq!(criterion(&c.axes[1], "features.groups").level, "ga");
    // Integration: members 30 + webhooks 20 × 0 + ordered delivery 0 + SDKs 12.5 = 42.5 of 85
    // → 50. Pricing is Alpha's 70. Total 17.5 + 25.9375 + 14 + 0.1 × 50 + 17.6 = 80.0375
    // (Alpha without the gate: 82.390441; the gate costs 0.1 × 20/85 × 100 = 2.352941).
    assert!(close(c.axes[3].score.low, 50.0), "{:?}", c.axes[3].score);
    assert!(close(c.axes[2].score.low, 70.0));
    assert!(
        close(c.total.low, 80.0375) && close(c.total.high, 80.0375),
        "{:?}",
        c.total
    );

    // `webhooks` required: every eligible plan must cover it, so `standard` comes with the
    // add-on ($12,000 + $1,000 = $13,000, against pro's $15,000). The feature scores again
    // and the cost pays for it: $130 per customer-month at 100 and over the horizon →
    // 1 − 130/200 = 0.35; pricing 30 + 20 + 50 × 0.35 = 67.5. Total 17.5 + 25.9375 + 0.2 × 67.5
    // + 0.1 × 62.5/85 × 100 + 17.6 = 81.890441.
    s.needs.insert("webhooks".into(), Need::Required);
    let ev = evidence(&p, &s).expect("costs");
    assert_eq!(ev.milestones, [(100, known(13_000))]);
    assert_eq!(
        ev.costed,
        Some(CostedPlan {
            plan: "standard".into(),
            plans: vec!["standard".into()],
            addons: vec!["realtime".into()],
            features: vec!["scim".into(), "groups".into(), "webhooks".into()],
        })
    );
    let c = scorecard(&p, &s, w, &ev);
    let webhooks = criterion(&c.axes[3], "integration.webhooks");
    assert_eq!(
        (webhooks.level.as_str(), webhooks.value),
        ("ga", Value::exact(1.0))
    );
    assert!(close(c.axes[2].score.low, 67.5), "{:?}", c.axes[2].score);
    assert!(close(c.axes[3].score.low, 6250.0 / 85.0));
    let total = 17.5 + 25.9375 + 13.5 + 0.1 * 6250.0 / 85.0 + 17.6;
    assert!(close(c.total.low, total), "{:?}", c.total);
    assert!((total - 81.890_441).abs() < 1e-6);

    // Org membership is gated through `integration.membership`; a feature that is already worth
    // nothing (ordered delivery: none) is left as it is; `scim` and `sso` are never criteria.
    let mut p = p;
    p.pricing.addons[0].features = vec!["org_membership".into(), "ordered_delivery".into()];
    let s = golden_scenario();
    let ev = evidence(&p, &s).expect("costs");
    let c = scorecard(&p, &s, w, &ev);
    let membership = criterion(&c.axes[3], "integration.membership");
    assert_eq!(membership.value, Value::exact(0.0));
    assert!(
        membership.level.starts_with(
            "org_members but not in the costed plan `standard` (needs add-on `realtime`,"
        ),
        "{}",
        membership.level
    );
    assert_eq!(
        criterion(&c.axes[3], "integration.ordered_delivery").level,
        "none"
    );
    // Webhooks are still gated (plan `pro`): 0 + 0 + 0 + 12.5 = 12.5 of 85.
    assert!(
        close(c.axes[3].score.low, 1250.0 / 85.0),
        "{:?}",
        c.axes[3].score
    );

    // An ignored need has no criterion to gate.
    let mut ignoring = golden_scenario();
    ignoring.needs.insert("webhooks".into(), Need::Ignored);
    let ev = evidence(&p, &ignoring).expect("costs");
    let c = scorecard(&p, &ignoring, w, &ev);
    assert!(
        c.axes[3]
            .criteria
            .iter()
            .all(|c| c.key != "integration.webhooks")
    );
}

#[test]
fn golden_sensitivity_by_hand() {
    // Values (0–1, pessimistic) in rank order:
    //   bravo   (0.70,  77.8/96, 0.90, 54/85,   1.00)  S = 0.826654411764706 (22485/27200)
    //   alpha   (0.875, 83/96,   0.70, 62.5/85, 0.88)  S = 0.823904411764706
    //   charlie (0.31,  78.1/96, 0.03, 75/85,   0.68)  S = 0.536297794117647
    // Bravo leads Alpha by D = 0.00275 (11/4000). Gaps d = bravo − alpha per axis:
    //   (−0.175, −5.2/96 = −0.0541667, 0.2, −8.5/85 = −0.1, 0.12).
    let s = golden_scenario();
    let r = rank_all(&golden_providers(), &s, s.weights.raw());
    let v = r.values();
    let w = r.weights;
    let d_ba: [f64; 5] = std::array::from_fn(|k| v[0][k] - v[1][k]);
    let lead_ba = 0.826_654_411_764_706 - 0.823_904_411_764_706;
    assert!(close(lead_ba, 0.00275));
    assert!(
        (sensitivity::scores(&v, w)[0] - sensitivity::scores(&v, w)[1] - lead_ba).abs() < 1e-12
    );
    for (k, d) in [-0.175, -5.2 / 96.0, 0.2, -0.1, 0.12]
        .into_iter()
        .enumerate()
    {
        assert!(close(d_ba[k], d), "axis {k}: {}", d_ba[k]);
    }

    // Each weight's tie point with Alpha, t* = (w·d − D)/(d − D) (above or below w):
    //   ease          (0.2 × −0.175 − D)/(−0.175 − D)    = 0.03775/0.17775 = 151/711 = 0.2123769 ↑
    //   features      (0.3 × −0.0541667 − D)/(−0.0541667 − D) = 0.019/0.0569167 = 228/683
    //                                                                              = 0.3338214 ↑
    //   pricing       (0.2 × 0.2 − D)/(0.2 − D)          = 0.03725/0.19725 = 149/789 = 0.1888466 ↓
    //   integration   (0.1 × −0.1 − D)/(−0.1 − D)        = 0.01275/0.10275 = 17/137  = 0.1240876 ↑
    //   prerequisites (0.2 × 0.12 − D)/(0.12 − D)        = 0.02125/0.11725 = 85/469  = 0.1812367 ↓
    // Charlie never ends an interval first: its crossings with Bravo (features 0.9925464,
    // integration 0.5862550) and Alpha (integration 0.6955062) are all farther away; the others
    // fall outside [0, 1].
    let t = [
        151.0 / 711.0,
        228.0 / 683.0,
        149.0 / 789.0,
        17.0 / 137.0,
        85.0 / 469.0,
    ];
    for (k, tk) in t.iter().enumerate() {
        assert!(
            close((w[k] * d_ba[k] - lead_ba) / (d_ba[k] - lead_ba), *tk),
            "axis {k}"
        );
    }
    let winner = sensitivity::winner_intervals(&v, w);
    let ranking = sensitivity::ranking_intervals(&v, w);
    for intervals in [&winner, &ranking] {
        for (k, i) in intervals.iter().enumerate() {
            let (low, high, low_flip, high_flip) = if t[k] > w[k] {
                (0.0, t[k], None, Some((0, 1)))
            } else {
                (t[k], 1.0, Some((0, 1)), None)
            };
            assert!(
                close(i.low, low)
                    && close(i.high, high)
                    && i.low_flip == low_flip
                    && i.high_flip == high_flip,
                "{i:?}"
            );
        }
    }
    // Charlie's crossings, for the record.
    let cross = |a: usize, b: usize, k: usize| {
        let lead = sensitivity::scores(&v, w)[a] - sensitivity::scores(&v, w)[b];
        let d = v[a][k] - v[b][k];
        (w[k] * d - lead) / (d - lead)
    };
    assert!((cross(0, 2, 1) - 0.992_546_4).abs() < 1e-7);
    assert!((cross(0, 2, 3) - 0.586_255_0).abs() < 1e-7);
    assert!((cross(1, 2, 3) - 0.695_506_2).abs() < 1e-7);

    // The most critical axis is the nearest end: pricing, 20 % → 18.9 % (−1.12 points; then ease
    // +1.24, prerequisites −1.88, integration +2.41, features +3.38).
    let critical = sensitivity::most_critical_axis(&v, w).expect("critical");
    assert_eq!(
        (critical.axis, critical.winner, critical.challenger),
        (2, 0, 1)
    );
    assert!(close(critical.new_weight, t[2]) && close(critical.change, t[2] - 0.2));

    // Greedy smallest shift for Alpha: receiver ease (smallest d, −0.175); first donor pricing
    // (largest d, 0.2): each unit moved lowers the lead by 0.2 + 0.175 = 0.375, and pricing's
    // 0.2 could remove 0.075 ≥ 0.00275, so it gives 0.00275/0.375 = 0.0073333 (11/1500).
    // (Charlie would need all 0.2 of pricing to integration, rate 0.87 + 0.2470588, then
    // (0.2903566 − 0.2234118)/(0.39 + 0.2470588) = 0.1050843 of ease: 0.3050843 in all.)
    let shift = sensitivity::smallest_winner_shift(&v, w).expect("shift");
    assert_eq!((shift.winner, shift.challenger), (0, 1));
    assert_eq!(
        shift.moves.iter().map(|m| (m.0, m.1)).collect::<Vec<_>>(),
        [(2, 0)]
    );
    assert!(close(shift.moves[0].2, 11.0 / 1500.0), "{shift:?}");
    assert!(close(shift.total_shift, 11.0 / 1500.0));
    let charlie = sensitivity::pair_shift(&v, w, 0, 2).expect("charlie");
    assert_eq!(
        charlie.moves.iter().map(|m| (m.0, m.1)).collect::<Vec<_>>(),
        [(2, 3), (0, 3)]
    );
    assert!(
        (charlie.total_shift - 0.305_084_3).abs() < 1e-7,
        "{charlie:?}"
    );
}

// ------------------------------------------------------------------ ties and weights

#[test]
fn ties_share_the_best_rank() {
    let s = golden_scenario();
    let p = provider(ALPHA);
    let ev = evidence(&p, &s).expect("costs");
    let w = normalize_weights(s.weights.raw()).expect("weights");
    let base = scorecard(&p, &s, w, &ev);
    let with_total = |id: &str, total: f64| {
        let mut c = base.clone();
        c.provider = id.into();
        c.total = Value::exact(total);
        c
    };
    // Totals are on the 0–100 scale, so the tie tolerance is 100 × 1e-9 = 1e-7 (the
    // sensitivity analysis's 1e-9 on its 0–1 scale). 50 and 50 + 5e-8 are within it: a tie.
    // 49.9 is clearly behind.
    let r = order(
        "t",
        w,
        vec![
            with_total("b", 50.0),
            with_total("c", 49.9),
            with_total("a", 50.0 + 5e-8),
        ],
        Vec::new(),
    );
    let got: Vec<(&str, usize, bool)> = r
        .ranked
        .iter()
        .map(|e| (e.card.provider.as_str(), e.rank, e.tied))
        .collect();
    assert_eq!(got, [("a", 1, true), ("b", 1, true), ("c", 3, false)]);
    const { assert!(TIE == sensitivity::TIE_EPSILON * 100.0) };
    // Exactly TIE apart (TIE − 0 is exactly TIE) is still a tie, in the rank as in the `tied`
    // flag: both rank 1, listed in id order although b's total is the larger.
    let r = order(
        "t",
        w,
        vec![with_total("a", 0.0), with_total("b", TIE)],
        Vec::new(),
    );
    assert_eq!(
        r.ranked
            .iter()
            .map(|e| (e.card.provider.as_str(), e.rank, e.tied))
            .collect::<Vec<_>>(),
        [("a", 1, true), ("b", 1, true)]
    );
    // Found in review (2026-12-01): the same five axis scores weighted in another order sum
    // to 49.1 and 49.10000000000001. Float noise must not decide who is listed first while
    // both are called tied: id order, 0 points apart, and the last of the tie leads the next
    // provider by 49.1 − 40 = 9.1.
    let r = order(
        "t",
        w,
        vec![
            with_total("zeta", 49.100_000_000_000_01),
            with_total("alpha", 49.1),
            with_total("mid", 40.0),
        ],
        Vec::new(),
    );
    let got: Vec<(&str, usize, bool, Option<f64>)> = r
        .ranked
        .iter()
        .map(|e| (e.card.provider.as_str(), e.rank, e.tied, e.margin))
        .collect();
    assert_eq!(got[0], ("alpha", 1, true, Some(0.0)));
    assert_eq!(&got[1].0, &"zeta");
    assert_eq!((got[1].1, got[1].2), (1, true));
    assert!((got[1].3.expect("a margin") - 9.1).abs() < 1e-9);
    assert_eq!(got[2], ("mid", 3, false, None));
    // A chain of near-ties is one tie: 50, 50 − 0.8e-7 and 50 − 1.6e-7 (the ends are more
    // than TIE apart) share rank 1, so no provider is tied with one of another rank.
    let r = order(
        "t",
        w,
        vec![
            with_total("c", 50.0),
            with_total("b", 50.0 - 0.8e-7),
            with_total("a", 50.0 - 1.6e-7),
        ],
        Vec::new(),
    );
    assert_eq!(
        r.ranked
            .iter()
            .map(|e| (e.card.provider.as_str(), e.rank, e.tied))
            .collect::<Vec<_>>(),
        [("a", 1, true), ("b", 1, true), ("c", 1, true)]
    );
    // Two scores 2e-7 apart are not tied.
    let r = order(
        "t",
        w,
        vec![with_total("a", 50.0), with_total("b", 50.0 + 2e-7)],
        Vec::new(),
    );
    assert_eq!(
        r.ranked
            .iter()
            .map(|e| (e.rank, e.tied))
            .collect::<Vec<_>>(),
        [(1, false), (2, false)]
    );
}

#[test]
fn invalid_weights_are_rejected() {
    for bad in [
        [-1.0, 1.0, 1.0, 1.0, 1.0],
        [f64::NAN, 1.0, 1.0, 1.0, 1.0],
        [f64::INFINITY, 1.0, 1.0, 1.0, 1.0],
        [1.0, 1.0, 1.0, 1.0, f64::NEG_INFINITY],
        [0.0; 5],
        [-0.0; 5],
    ] {
        assert!(normalize_weights(bad).is_err(), "{bad:?}");
        let s = golden_scenario();
        assert!(
            matches!(
                super::rank(&[&provider(ALPHA)], &s, bad),
                Err(super::ranking::RankError::Weights(_))
            ),
            "{bad:?}"
        );
    }
    assert_eq!(
        normalize_weights([2.0, 3.0, 2.0, 1.0, 2.0]).expect("valid"),
        [0.2, 0.3, 0.2, 0.1, 0.2]
    );
    assert_eq!(
        normalize_weights([0.0, 0.0, 7.0, 0.0, 0.0]).expect("valid"),
        [0.0, 0.0, 1.0, 0.0, 0.0]
    );
}

#[test]
fn huge_weights_normalise_or_are_rejected() {
    // 5 × 1e308 overflows to +inf, so `w / sum` is 0 for every axis: every total becomes 0 and
    // every provider ties. Expected: the weights normalise to 0.2 each (or are rejected).
    if let Ok(w) = normalize_weights([1e308; 5]) {
        assert!(w.iter().all(|x| close(*x, 0.2)), "{w:?}");
    }
}

// ------------------------------------------------------------------ SMAA on real scorecards

#[test]
fn smaa_on_the_golden_scorecards() {
    // Law of total expectation: Σ_i b_i¹ · w_i^c is the mean of all draws (no shared wins in
    // this catalog), and the Dirichlet(1,…,1) mean is 1/5 per axis. With 10,000 draws the
    // standard error of each mean is √(4/150/10,000) ≈ 0.0016.
    let s = golden_scenario();
    let r = rank_all(&golden_providers(), &s, s.weights.raw());
    let result = smaa(&r.values(), &SmaaConfig::default());
    assert_eq!((result.draws, result.seed), (10_000, 42));
    let mut mean = [0.0; AXES];
    for (share, central) in result.first_rank.iter().zip(&result.central_weights) {
        if let Some(c) = central {
            for k in 0..AXES {
                mean[k] += share * c[k];
            }
        }
    }
    assert!(mean.iter().all(|m| (m - 0.2).abs() < 0.008), "{mean:?}");
    assert!((result.first_rank.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    // No ties between distinct rows: c_ij + c_ji = 1.
    for i in 0..3 {
        for j in 0..3 {
            if i != j {
                assert!(
                    (result.pairwise_winning[i][j] + result.pairwise_winning[j][i] - 1.0).abs()
                        < 1e-12
                );
            }
        }
    }
    // Bravo beats Alpha when Σ_k w_k·d_k > 0 with d = (−7/40, −13/240, 1/5, −1/10, 3/25) (Bravo −
    // Alpha per axis). Under Dirichlet(1,…,1) weights the CDF of Σ w_k·d_k is the divided
    // difference F(x) = Σ_k (x − d_k)₊⁴ / Π_{j≠k} (d_k − d_j), so
    //   P(Alpha ahead) = F(0) = 0.9355153 (ease) + 0.0351137 (features) − 0.4407713 (integration)
    //                  = 13152287/24822303 = 0.5298576,
    // and P(Bravo ahead of Alpha) = 0.4701424 (standard error with 10,000 draws ≈ 0.005).
    let p_bravo = 1.0 - 13_152_287.0 / 24_822_303.0;
    assert!(
        (result.pairwise_winning[0][1] - p_bravo).abs() < 0.02,
        "{:?}",
        result.pairwise_winning
    );
    // So the golden ranking is fragile: the scenario's weights put Bravo first by 0.275 points,
    // but Alpha wins under slightly more of all weightings; Charlie wins only when integration
    // carries most of the weight.
    assert!(
        result.first_rank[1] > result.first_rank[0]
            && result.first_rank[0] > 0.4
            && result.first_rank[2] < 0.05,
        "{:?}",
        result.first_rank
    );
    let charlie = result.central_weights[2].expect("charlie wins sometimes");
    assert!(charlie[3] > 0.5, "{charlie:?}");
}

// ------------------------------------------------------------------ property tests

/// Scored status facts (and `scim`/`sso`, which only gate), by accessor.
const STATUS_FACTS: [fn(&mut Provider) -> &mut StatusFact; 17] = [
    |p| &mut p.ease.admin_portal,
    |p| &mut p.ease.setup_guides,
    |p| &mut p.features.scim,
    |p| &mut p.features.sso,
    |p| &mut p.features.provisioning,
    |p| &mut p.features.deprovisioning,
    |p| &mut p.features.soft_delete,
    |p| &mut p.features.groups,
    |p| &mut p.features.role_mapping,
    |p| &mut p.features.custom_attributes,
    |p| &mut p.features.bulk,
    |p| &mut p.features.me,
    |p| &mut p.features.sorting,
    |p| &mut p.features.search,
    |p| &mut p.integration.webhooks,
    |p| &mut p.integration.events_api,
    |p| &mut p.integration.ordered_delivery,
];

/// Levels from worst to best, for the pessimistic score: unknown scores 0 when pessimistic, so
/// it sits at the bottom (with none); then none → planned → preview → early access → beta → GA.
const STATUS_ORDER: [Status; 7] = [
    Status::Unknown,
    Status::None,
    Status::Planned,
    Status::Preview,
    Status::EarlyAccess,
    Status::Beta,
    Status::Ga,
];
const ENDPOINT_ORDER: [Endpoint; 5] = [
    Endpoint::Unknown,
    Endpoint::NotApplicable,
    Endpoint::SelfBuilt,
    Endpoint::SelfHosted,
    Endpoint::Managed,
];
const MEMBERSHIP_ORDER: [Membership; 3] = [
    Membership::Unknown,
    Membership::FlatRecords,
    Membership::OrgMembers,
];
const GATE_ORDER: [PlanGate; 5] = [
    PlanGate::Unknown,
    PlanGate::EnterprisePlan,
    PlanGate::Addon,
    PlanGate::PaidPlan,
    PlanGate::AnyPlan,
];
const SSO_ORDER: [YesNo; 3] = [YesNo::Unknown, YesNo::Yes, YesNo::No];
const MODEL_ORDER: [PricingModel; 6] = [
    PricingModel::Unknown,
    PricingModel::PerMau,
    PricingModel::TierGated,
    PricingModel::SelfManaged,
    PricingModel::PerConnection,
    PricingModel::Bundled,
];
const LANGUAGES: [&str; 5] = ["node", "python", "go", "ruby", "java"];
const SCORED_NEEDS: [&str; 17] = [
    "provisioning",
    "deprovisioning",
    "soft_delete",
    "groups",
    "role_mapping",
    "custom_attributes",
    "admin_portal",
    "setup_guides",
    "bulk",
    "me",
    "sorting",
    "search",
    "webhooks",
    "events_api",
    "ordered_delivery",
    "org_membership",
    "google_workspace_groups",
];

/// Every fact a provider's score depends on (pricing structure aside), as level indices.
#[derive(Debug, Clone)]
struct Facts {
    statuses: [usize; 17],
    idps: [Option<(usize, usize)>; 8],
    endpoint: usize,
    hours: Option<u32>,
    membership: usize,
    sdks: Option<[bool; 5]>,
    sso: usize,
    gate: usize,
    model: usize,
}

fn facts() -> impl Strategy<Value = Facts> {
    let level = 0..STATUS_ORDER.len();
    (
        proptest::array::uniform17(level.clone()),
        proptest::array::uniform8(proptest::option::of((level.clone(), level))),
        0..ENDPOINT_ORDER.len(),
        proptest::option::of(0u32..900),
        0..MEMBERSHIP_ORDER.len(),
        proptest::option::of(proptest::array::uniform5(any::<bool>())),
        0..SSO_ORDER.len(),
        0..GATE_ORDER.len(),
        0..MODEL_ORDER.len(),
    )
        .prop_map(
            |(statuses, idps, endpoint, hours, membership, sdks, sso, gate, model)| Facts {
                statuses,
                idps,
                endpoint,
                hours,
                membership,
                sdks,
                sso,
                gate,
                model,
            },
        )
}

/// The provider with these facts; pricing (plans) is Alpha's, so the cost evidence is fixed.
fn build(id: &str, f: &Facts) -> Provider {
    let mut p = provider(ALPHA);
    p.id = Id::parse(id).expect("id");
    p.name = id.to_uppercase();
    for (slot, &level) in STATUS_FACTS.iter().zip(&f.statuses) {
        *slot(&mut p) = StatusFact::bare(STATUS_ORDER[level]);
    }
    p.features.idps.clear();
    for (idp, support) in Idp::ALL.iter().zip(&f.idps) {
        if let Some((status, groups)) = support {
            p.features.idps.insert(
                *idp,
                IdpSupport {
                    status: STATUS_ORDER[*status],
                    groups: STATUS_ORDER[*groups],
                    ..IdpSupport::default()
                },
            );
        }
    }
    p.ease.endpoint.value = ENDPOINT_ORDER[f.endpoint];
    p.ease.integration_hours.value = f.hours;
    p.integration.membership.value = MEMBERSHIP_ORDER[f.membership];
    p.integration.sdks.value = f.sdks.map(|have| {
        LANGUAGES
            .iter()
            .zip(have)
            .filter(|(_, h)| *h)
            .map(|(l, _)| (*l).to_owned())
            .collect()
    });
    p.prerequisites.sso_required.value = SSO_ORDER[f.sso];
    p.prerequisites.scim_plan_gate.value = GATE_ORDER[f.gate];
    p.pricing.model = MODEL_ORDER[f.model];
    p
}

/// One improvement of one fact: a strictly better level (or fewer hours, or one more SDK).
#[derive(Debug, Clone, Copy)]
enum Raise {
    Status(usize),
    IdpUsers(usize),
    IdpGroups(usize),
    Endpoint,
    Hours,
    Membership,
    Sdks,
    Sso,
    Gate,
    Model,
}

fn raise() -> impl Strategy<Value = (Raise, u32)> {
    let which = prop_oneof![
        6 => (0..STATUS_FACTS.len()).prop_map(Raise::Status),
        2 => (0..Idp::ALL.len()).prop_map(Raise::IdpUsers),
        2 => (0..Idp::ALL.len()).prop_map(Raise::IdpGroups),
        1 => Just(Raise::Endpoint),
        1 => Just(Raise::Hours),
        1 => Just(Raise::Membership),
        1 => Just(Raise::Sdks),
        1 => Just(Raise::Sso),
        1 => Just(Raise::Gate),
        1 => Just(Raise::Model),
    ];
    (which, any::<u32>())
}

/// A level strictly above `level` (of `count`), chosen by `pick`; `None` at the top.
fn higher(level: usize, count: usize, pick: u32) -> Option<usize> {
    (level + 1 < count).then(|| level + 1 + pick as usize % (count - level - 1))
}

/// Applies the improvement; false when the fact is already at its best.
fn apply(f: &mut Facts, (what, pick): (Raise, u32)) -> bool {
    let n = STATUS_ORDER.len();
    let bump =
        |level: &mut usize, count: usize| higher(*level, count, pick).map(|l| *level = l).is_some();
    match what {
        Raise::Status(i) => bump(&mut f.statuses[i], n),
        Raise::IdpUsers(i) | Raise::IdpGroups(i) => match &mut f.idps[i] {
            // An unlisted IdP is unknown on both counts: listing it never scores less.
            None => {
                f.idps[i] = Some(((pick as usize) % n, (pick as usize / n) % n));
                true
            }
            Some((users, groups)) => {
                if matches!(what, Raise::IdpUsers(_)) {
                    bump(users, n)
                } else {
                    bump(groups, n)
                }
            }
        },
        Raise::Endpoint => bump(&mut f.endpoint, ENDPOINT_ORDER.len()),
        Raise::Hours => match f.hours {
            None => {
                f.hours = Some(pick % 900);
                true
            }
            Some(0) => false,
            Some(h) => {
                f.hours = Some(pick % h);
                true
            }
        },
        Raise::Membership => bump(&mut f.membership, MEMBERSHIP_ORDER.len()),
        Raise::Sdks => match &mut f.sdks {
            None => {
                f.sdks = Some([false; 5]);
                true
            }
            Some(have) => match have.iter().position(|h| !h) {
                Some(_) => {
                    let missing: Vec<usize> = (0..5).filter(|&i| !have[i]).collect();
                    have[missing[pick as usize % missing.len()]] = true;
                    true
                }
                None => false,
            },
        },
        Raise::Sso => bump(&mut f.sso, SSO_ORDER.len()),
        Raise::Gate => bump(&mut f.gate, GATE_ORDER.len()),
        Raise::Model => bump(&mut f.model, MODEL_ORDER.len()),
    }
}

/// A scenario: the golden growth and costs, with random needs, identity-provider mix, team
/// and weights.
fn scenario() -> impl Strategy<Value = Scenario> {
    let need = prop_oneof![12 => Just(Need::Preferred), 6 => Just(Need::Ignored), 1 => Just(Need::Required)];
    (
        proptest::array::uniform17(need),
        proptest::option::of(proptest::array::uniform8(prop_oneof![
            Just(0.0),
            0.0..5.0f64
        ])),
        proptest::array::uniform5(any::<bool>()),
        any::<bool>(),
        any::<bool>(),
        0.0..=1.0f64,
        proptest::array::uniform5(prop_oneof![1 => Just(0.0), 4 => 0.0..10.0f64]),
    )
        .prop_map(
            |(needs, idps, languages, has_sso, count_beta, beta_credit, weights)| {
                let mut s = golden_scenario();
                s.needs = SCORED_NEEDS
                    .iter()
                    .zip(needs)
                    .map(|(k, n)| ((*k).to_owned(), n))
                    .collect();
                s.idps.clear();
                if let Some(shares) = idps.filter(|shares| shares.iter().sum::<f64>() > 0.0) {
                    s.idps = Idp::ALL
                        .iter()
                        .zip(shares)
                        .map(|(i, share)| (i.as_str().to_owned(), share))
                        .collect();
                }
                s.team = Team {
                    sdk_languages: LANGUAGES
                        .iter()
                        .zip(languages)
                        .filter(|(_, h)| *h)
                        .map(|(l, _)| (*l).to_owned())
                        .collect(),
                    has_sso,
                    count_beta,
                    beta_credit,
                };
                let weights = if weights.iter().sum::<f64>() > 0.0 {
                    weights
                } else {
                    [1.0; 5]
                };
                s.weights.ease = weights[0];
                s.weights.features = weights[1];
                s.weights.pricing = weights[2];
                s.weights.integration = weights[3];
                s.weights.prerequisites = weights[4];
                s
            },
        )
}

/// Scores one provider through the real ranking (hard requirements, cost engine, rubric).
fn score_one(p: &Provider, s: &Scenario) -> Option<Scorecard> {
    let r = super::rank(&[p], s, s.weights.raw()).expect("ranks");
    r.ranked.into_iter().next().map(|e| e.card)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn raising_a_fact_never_lowers_the_score(f in facts(), s in scenario(), step in raise()) {
        let mut better = f.clone();
        if !apply(&mut better, step) {
            return Ok(());
        }
        let before = build("p", &f);
        let after = build("p", &better);
        let (Some(old), new) = (score_one(&before, &s), score_one(&after, &s)) else {
            // Excluded before: raising may admit it, nothing to compare.
            return Ok(());
        };
        // Hard requirements are monotone too: an admitted provider stays admitted.
        prop_assert!(new.is_some(), "raising {:?} excluded the provider", step);
        let new = new.expect("admitted");
        for k in 0..5 {
            prop_assert!(new.axes[k].score.low >= old.axes[k].score.low - 1e-9,
                "{:?}: axis {} fell from {} to {}", step, Axis::ALL[k].key(), old.axes[k].score.low, new.axes[k].score.low);
        }
        prop_assert!(new.total.low >= old.total.low - 1e-9, "{:?}: total fell from {} to {}", step, old.total.low, new.total.low);
        // And the optimistic total never falls below the pessimistic one.
        prop_assert!(new.total.high >= new.total.low - 1e-9);
    }

    #[test]
    fn adding_a_provider_never_reorders_the_others(
        all in proptest::collection::vec(facts(), 2..=4),
        extra in facts(),
        s in scenario(),
        dominated_copy in any::<bool>(),
    ) {
        let providers: Vec<Provider> = all.iter().enumerate().map(|(i, f)| build(&format!("p{i}"), f)).collect();
        // The newcomer is either arbitrary, or a copy of the first provider with some facts made
        // worse (dominated by it; pricing is the same for all).
        let newcomer = if dominated_copy {
            let mut worse = build("extra", &all[0]);
            // Unknown and none are the pessimistic bottom of every scale.
            worse.ease.endpoint.value = Endpoint::Unknown;
            worse.features.soft_delete = StatusFact::bare(Status::None);
            worse.integration.webhooks = StatusFact::bare(Status::None);
            worse.prerequisites.scim_plan_gate.value = PlanGate::Unknown;
            worse
        } else {
            build("extra", &extra)
        };
        let before = rank_all(&providers, &s, s.weights.raw());
        let mut more = providers.clone();
        more.push(newcomer);
        let after = rank_all(&more, &s, s.weights.raw());

        let order_before: Vec<&str> = before.ranked.iter().map(|e| e.card.provider.as_str()).collect();
        let order_after: Vec<&str> = after.ranked.iter().map(|e| e.card.provider.as_str()).filter(|id| *id != "extra").collect();
        prop_assert_eq!(&order_before, &order_after);
        let newcomer_total = after.ranked.iter().find(|e| e.card.provider == "extra").map(|e| e.card.total.low);
        for e in &before.ranked {
            let a = after.ranked.iter().find(|x| x.card.provider == e.card.provider).expect("still ranked");
            // Fixed anchors: the scores themselves do not move.
            prop_assert_eq!(a.card.total, e.card.total);
            prop_assert_eq!(a.card.values(), e.card.values());
            // The rank moves only by one, and only if the newcomer is strictly ahead.
            let overtaken = newcomer_total.is_some_and(|t| t - e.card.total.low > TIE);
            prop_assert_eq!(a.rank, e.rank + usize::from(overtaken));
        }
        if dominated_copy && newcomer_total.is_some() {
            // A dominated newcomer never takes the first place from the provider it copies.
            let top = &before.ranked[0];
            if top.card.provider == "p0" {
                prop_assert_eq!(after.ranked.iter().find(|x| x.card.provider == "p0").map(|x| x.rank), Some(1));
            }
        }
        let excluded_before: Vec<&str> = before.excluded.iter().map(|x| x.provider.as_str()).collect();
        let excluded_after: Vec<&str> = after.excluded.iter().map(|x| x.provider.as_str()).filter(|id| *id != "extra").collect();
        prop_assert_eq!(excluded_before, excluded_after);
    }

    #[test]
    fn weights_are_normalised_and_scale_free(raw in proptest::array::uniform5(prop_oneof![1 => Just(0.0), 4 => 1e-3..1e3f64]), scale in 1e-3..1e3f64) {
        prop_assume!(raw.iter().sum::<f64>() > 0.0);
        let w = normalize_weights(raw).expect("valid");
        prop_assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        let sum: f64 = raw.iter().sum();
        for k in 0..5 {
            prop_assert!((w[k] - raw[k] / sum).abs() < 1e-15);
            prop_assert!(w[k] >= 0.0);
        }
        // Scaling every raw weight changes no score.
        let s = golden_scenario();
        let a = rank_all(&golden_providers(), &s, raw);
        let b = rank_all(&golden_providers(), &s, raw.map(|x| x * scale));
        for (x, y) in a.ranked.iter().zip(&b.ranked) {
            prop_assert_eq!(&x.card.provider, &y.card.provider);
            prop_assert!((x.card.total.low - y.card.total.low).abs() < 1e-9);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// The stability-interval end points, the most critical axis and the greedy weight shift,
    /// computed from the value matrix, really tie the named pair when the real scorecards are
    /// recomputed (rubric and weighted sum) at those weights; and strictly inside an interval
    /// the ranking of the real scorecards is unchanged.
    #[test]
    fn sensitivity_end_points_tie_on_real_scorecards(all in proptest::collection::vec(facts(), 2..=4), s in scenario()) {
        let providers: Vec<Provider> = all.iter().enumerate().map(|(i, f)| build(&format!("p{i}"), f)).collect();
        let ranking = rank_all(&providers, &s, s.weights.raw());
        prop_assume!(ranking.ranked.len() >= 2);
        let ranked: Vec<&Provider> =
            ranking.ranked.iter().map(|e| providers.iter().find(|p| p.id() == e.card.provider).expect("provider")).collect();
        let evidences: Vec<PricingEvidence> = ranked.iter().map(|p| evidence(p, &s).expect("costs")).collect();
        // Pessimistic totals (0–100) of the ranked providers, recomputed at weights `w`.
        let totals = |w: [f64; 5]| -> Vec<f64> {
            ranked.iter().zip(&evidences).map(|(p, ev)| scorecard(p, &s, w, ev).total.low).collect()
        };
        let values = ranking.values();
        let w = ranking.weights;
        let base_ranks = sensitivity::ranks(&totals(w).iter().map(|t| t / 100.0).collect::<Vec<_>>());
        for interval in sensitivity::ranking_intervals(&values, w) {
            for (end, flip) in [(interval.low, interval.low_flip), (interval.high, interval.high_flip)] {
                if let Some((ahead, behind)) = flip {
                    let t = totals(sensitivity::rescaled_weights(w, interval.axis, end));
                    prop_assert!((t[ahead] - t[behind]).abs() < 1e-7, "{:?}: {} vs {}", interval, t[ahead], t[behind]);
                }
            }
            let mid = 0.5 * (interval.low + interval.high);
            if interval.low < mid && mid < interval.high {
                let inside = totals(sensitivity::rescaled_weights(w, interval.axis, mid));
                let inside_ranks = sensitivity::ranks(&inside.iter().map(|t| t / 100.0).collect::<Vec<_>>());
                prop_assert_eq!(&inside_ranks, &base_ranks, "{:?}", interval);
            }
        }
        if let Some(c) = sensitivity::most_critical_axis(&values, w) {
            let t = totals(sensitivity::rescaled_weights(w, c.axis, c.new_weight));
            prop_assert!((t[c.winner] - t[c.challenger]).abs() < 1e-7);
        }
        if let Some(shift) = sensitivity::smallest_winner_shift(&values, w) {
            prop_assert!((shift.new_weights.iter().sum::<f64>() - 1.0).abs() < 1e-9);
            let t = totals(shift.new_weights);
            prop_assert!((t[shift.winner] - t[shift.challenger]).abs() < 1e-7);
            prop_assert_eq!(base_ranks[shift.winner], 1);
        }
    }
}

fn money(n: i64) -> Money {
    Money(Decimal::from(n))
}

fn readings(graduated: i64, volume: i64) -> TierReadings {
    TierReadings {
        graduated: money(graduated),
        volume: money(volume),
    }
}

/// `WorkOS` in `startup-10` (10 → 100 customers over 24 months; anchor $250 a customer-month)
/// bills its directory and SSO connections on bands of unstated mode, 1–15 at $125, 16–30 at
/// $100, 31–50 at $80, 51–100 at $65. The points are the milestones 10 and 100 and the
/// horizon, and none passes 100 connections: the mode is the only unknown.
/// - At 10 both modes give 2 × 10 × $125 = $2,500, published: $250 a customer-month, value 0.
/// - At 100: volume 2 × 100 × $65 = $13,000, graduated 2 × (15 × 125 + 15 × 100 + 20 × 80 +
///   50 × 65) = $16,450: $130.00 and $164.50 a customer-month, values 1 − 130/250 = 0.48 and
///   1 − 164.5/250 = 0.342.
/// - Over the horizon the readings are the sums of the months' costs (the test reads them
///   from the projection of each reading, then checks graduated is the dearer).
///
/// Pessimistic: graduated at both unknown points (the dearer at each, and one mode bills every
/// month); optimistic: volume at both. Transparency counts 100 as published. Before, the
/// pessimistic end was 0 and transparency 0.5.
#[test]
fn a_cost_unknown_only_by_its_tier_mode_scores_its_readings_not_zero() {
    let catalog = crate::load::shipped();
    let s = catalog.scenario("startup-10").unwrap();
    let find = |id: &str| catalog.providers.iter().find(|p| p.id() == id).unwrap();
    let ev = evidence(find("workos"), s).unwrap();
    assert_eq!(
        ev.milestones.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        [10, 100]
    );
    assert_eq!(ev.milestones[0].1, known(2_500));
    assert_eq!(
        ev.milestone_readings,
        [None, Some(readings(16_450, 13_000))]
    );
    let h = ev
        .horizon_readings
        .expect("the horizon is within 100 connections");
    assert!(h.graduated.0 > h.volume.0, "{h:?}");
    let months = ev.horizon.as_ref().unwrap().1;
    let per = |m: Money| {
        1.0 - (m.0 / Decimal::from(months) / Decimal::from(250))
            .to_f64()
            .unwrap()
    };
    let v = ev.cost_value();
    assert!(
        (v.low - (0.342 + per(h.graduated)) / 3.0).abs() < 1e-12,
        "{v:?}"
    );
    assert!(
        (v.high - (0.48 + per(h.volume)) / 3.0).abs() < 1e-12,
        "{v:?}"
    );
    assert_eq!(ev.transparency(), 1.0);
    assert_eq!(
        ev.transparency_level(),
        "10: published; 100: published (tier mode unstated)"
    );
    assert!(
        ev.cost_level()
            .starts_with("$250.00 at 10; $130.00–$164.50 (tier mode unstated) at 100; $"),
        "{}",
        ev.cost_level()
    );
    // Stytch states its modes: no readings at all.
    let stytch = evidence(find("stytch"), s).unwrap();
    assert!(stytch.milestone_readings.iter().all(Option::is_none));
    assert_eq!(stytch.horizon_readings, None);
    // In `baseline` WorkOS's 1,000-customer point passes the contact-sales band: no readings
    // there, and the horizon (which includes those months) has none either.
    let ev = evidence(find("workos"), catalog.scenario("baseline").unwrap()).unwrap();
    assert_eq!(
        ev.milestone_readings,
        [Some(readings(16_450, 13_000)), None]
    );
    assert_eq!(ev.horizon_readings, None);
}

/// One reading bills every point, so the criterion adds whole readings, not the dearer value
/// at each point. Anchor $200, 10 units a point:
/// - point 1: graduated $1,000 → 1 − 100/200 = 0.5; volume $500 → 0.75;
/// - point 2: graduated $400 → 0.8; volume $1,200 → 0.4;
/// - point 3 (no readings): at least $400 → [0, 0.8].
///
/// Graduated sums 1.3, volume 1.15: low (1.15 + 0) / 3, high (1.3 + 0.8) / 3. Taking the
/// dearer at each point would give a low of (0.5 + 0.4) / 3, a bill no mode sends. A known
/// cost ignores readings, and readings of a partly unknown point never enter without both.
#[test]
fn tier_readings_score_one_mode_across_every_point() {
    let mut ev = evidence_with(
        vec![
            (10, at_least(400)),
            (10, at_least(400)),
            (10, at_least(400)),
        ],
        None,
    );
    ev.milestone_readings = vec![Some(readings(1_000, 500)), Some(readings(400, 1_200)), None];
    let v = ev.cost_value();
    assert!(
        close(v.low, 1.15 / 3.0) && close(v.high, 2.1 / 3.0),
        "{v:?}"
    );
    assert_eq!(ev.transparency(), 2.5 / 3.0);
    // Readings in the horizon count with the milestones' (point 2 moved there).
    let mut ev = evidence_with(
        vec![(10, at_least(400)), (10, at_least(400))],
        Some((at_least(400), 10)),
    );
    ev.milestone_readings = vec![Some(readings(1_000, 500)), None];
    ev.horizon_readings = Some(readings(400, 1_200));
    let v = ev.cost_value();
    assert!(
        close(v.low, 1.15 / 3.0) && close(v.high, 2.1 / 3.0),
        "{v:?}"
    );
    assert_eq!(
        ev.cost_level(),
        "$50.00–$100.00 (tier mode unstated) at 10; ≥ $40.00 + unknown at 10; $40.00–$120.00 (tier mode unstated) over the horizon per customer-month"
    );
    let mut ev = evidence_with(vec![(10, known(500))], None);
    ev.milestone_readings = vec![Some(readings(1_000, 2_000))];
    assert_eq!(ev.cost_value(), Value::exact(0.75));
    assert_eq!(TierReadings::of(&known(1), &at_least(2)), None);
    assert_eq!(TierReadings::of(&at_least(1), &known(2)), None);
    assert_eq!(TierReadings::of(&known(1), &known(2)), Some(readings(1, 2)));
}

/// Alpha (plan `standard`, $120 a directory connection) with the `realtime` add-on required
/// for webhooks, billed on a table of unstated mode: 1–10 at $20, 11+ at $10. The golden
/// scenario has 100 customers, one connection each, for 12 months (anchor $200):
/// - graduated 10 × 20 + 90 × 10 = $1,100, volume 100 × 10 = $1,000; with the plan's $12,000
///   a month $13,100 and $13,000, i.e. $131 and $130 a customer-month: 0.345 and 0.35;
/// - the horizon is 12 such months, the same per customer-month.
///
/// So the criterion is [0.345, 0.35]: an add-on's unstated table is read like a plan's.
#[test]
fn an_add_ons_unstated_table_is_read_both_ways() {
    let p = provider(&format!(
        "{ALPHA}{}",
        r#"
[[pricing.addons]]
id = "realtime"
name = "Realtime events"
features = ["webhooks"]
source = "pricing"

[[pricing.addons.charges]]
meter = "directory_connections"
mode = "unstated"
tiers = [{ from = 1, up_to = 10, unit_price = "20" }, { from = 11, unit_price = "10" }]
"#
    ));
    let mut s = golden_scenario();
    s.needs.insert("webhooks".into(), Need::Required);
    let ev = evidence(&p, &s).expect("costs");
    assert_eq!(ev.milestone_readings, [Some(readings(13_100, 13_000))]);
    assert_eq!(ev.horizon_readings, Some(readings(157_200, 156_000)));
    let v = ev.cost_value();
    assert!(close(v.low, 0.345) && close(v.high, 0.35), "{v:?}");
}

/// Alpha's facts with a `standard` plan (no fee) whose one charge, on directory connections,
/// has an unstated mode: append its `tiers` line (and any other plan) to complete it.
fn alpha_with_unstated_standard(rest: &str) -> Provider {
    let alpha_without_pricing = &ALPHA[..ALPHA.find("[pricing]").unwrap()];
    provider(&format!(
        "{alpha_without_pricing}{}{rest}",
        r#"[pricing]
model = "per_connection"
source = "pricing"

[[pricing.plans]]
id = "standard"
base_fee = "0"
features = ["scim", "groups"]
source = "pricing"

[[pricing.plans.charges]]
meter = "directory_connections"
mode = "unstated"
"#
    ))
}

/// Plan `standard` bills connections on an unstated table (1–50 at an estimated $100, 51+ at
/// $90; the scenario uses estimates: at 100, graduated $9,500, volume $9,000); plan `lite` has
/// a $500 fee and connections at contact sales. The published quote takes `lite` (both partly unknown, and $500 is the lower
/// floor); each reading makes `standard` fully known, and a known cost beats a partly unknown
/// one. The point's unknown is then `lite`'s unpriced part, not a tier mode: no readings, so
/// [0, value of $500] = [0, 1 − 5/200 = 0.975], and transparency stays 0.5.
///
/// A reading too large for the decimal type (a first band at 7 × 10²⁷, times 12 for the
/// annual cost) is no reading either, and does not fail the ranking.
#[test]
fn readings_need_the_same_plan_and_a_representable_cost() {
    let p = alpha_with_unstated_standard(
        r#"tiers = [{ from = 1, up_to = 50, unit_price = { status = "unknown", estimate = { low = "100", likely = "100", high = "100", source = "pricing" } } }, { from = 51, unit_price = "90" }]

[[pricing.plans]]
id = "lite"
base_fee = "500"
features = ["scim", "groups"]
source = "pricing"

[[pricing.plans.charges]]
meter = "directory_connections"
unit_price = { status = "contact_sales" }
"#,
    );
    let mut s = golden_scenario();
    s.billing.use_estimates = true;
    let ev = evidence(&p, &s).expect("costs");
    assert_eq!(ev.costed.as_ref().map(|c| c.plan.as_str()), Some("lite"));
    assert_eq!(ev.milestone_readings, [None]);
    assert_eq!(ev.horizon_readings, None);
    let v = ev.cost_value();
    assert!(close(v.low, 0.0) && close(v.high, 0.975), "{v:?}");
    assert_eq!(ev.transparency(), 0.5);
    // The graduated reading runs through the estimated band, but no reading is used, so the
    // criterion does not claim labelled estimates that `lite`'s figures never use.
    assert!(!ev.uses_estimates);

    let huge = alpha_with_unstated_standard(
        r#"tiers = [{ from = 1, up_to = 1, unit_price = "7000000000000000000000000000" }, { from = 2, unit_price = "0" }]
"#,
    );
    let ev = evidence(&huge, &s).expect("the published quote is representable");
    assert_eq!(ev.milestone_readings, Vec::<Option<TierReadings>>::new());
    assert_eq!(ev.horizon_readings, None);
}

/// Two plans with unstated tables, no other unknown: `standard` 1–50 at $100, 51+ at $90
/// (at 100 connections graduated $9,500, volume $9,000) and `other` 1–50 at $92, 51+ at $94
/// (graduated 50 × 92 + 50 × 94 = $9,300, volume $9,400). The published quote keeps
/// `standard` (floor $9,000 against $9,300); the graduated reading buys `other` ($9,300 <
/// $9,500), the volume reading `standard`. One reading changes plan, so the point keeps
/// [0, value of the floor] = [0, 1 − 90/200 = 0.55], at the milestone and over the horizon
/// (the golden scenario's 12 months at 100). The rule is conservative here: the mode is in
/// fact the only unknown, and [$9,000, $9,300] would be exact; telling the two cases apart
/// needs every eligible plan's cost under each reading, which the horizon's lean quotes do not
/// keep (docs/decisions.md).
#[test]
fn a_reading_that_changes_plan_is_not_used() {
    let p = alpha_with_unstated_standard(
        r#"tiers = [{ from = 1, up_to = 50, unit_price = "100" }, { from = 51, unit_price = "90" }]

[[pricing.plans]]
id = "other"
base_fee = "0"
features = ["scim", "groups"]
source = "pricing"
charges = [{ meter = "directory_connections", mode = "unstated", tiers = [{ from = 1, up_to = 50, unit_price = "92" }, { from = 51, unit_price = "94" }] }]
"#,
    );
    let s = golden_scenario();
    let ev = evidence(&p, &s).expect("costs");
    assert_eq!(
        ev.costed.as_ref().map(|c| c.plan.as_str()),
        Some("standard")
    );
    assert_eq!(ev.milestone_readings, [None]);
    assert_eq!(ev.horizon_readings, None);
    let v = ev.cost_value();
    assert!(close(v.low, 0.0) && close(v.high, 0.55), "{v:?}");
}

/// The dearer reading's estimates count even when the published figure uses none. Plan
/// `standard` bills connections on an unstated table: 1–50 at an estimated $100, 51–150 at
/// $90, 151+ contact sales; the scenario uses estimates and grows from 100 to 200 customers
/// over 12 months (milestone 100 reached, 1,000 not).
/// - At 100: graduated 50 × 100 (estimated) + 50 × 90 = $9,500, volume 100 × 90 = $9,000.
///   The published figure keeps volume, which uses no estimate.
/// - The later months pass 150 connections: contact sales in both readings, so the horizon
///   has no readings, and the criterion's only readings are the milestone's.
///
/// So the estimate flag comes from the graduated reading at the milestone alone.
#[test]
fn a_readings_estimates_are_labelled() {
    let p = alpha_with_unstated_standard(
        r#"tiers = [
  { from = 1, up_to = 50, unit_price = { status = "unknown", estimate = { low = "100", likely = "100", high = "100", source = "pricing" } } },
  { from = 51, up_to = 150, unit_price = "90" },
  { from = 151, unit_price = { status = "contact_sales" } },
]
"#,
    );
    let growing = GOLDEN.replace(
        "kind = \"constant\"\ncustomers = 100",
        "kind = \"linear\"\nstart = 100\nend = 200",
    );
    assert_ne!(growing, GOLDEN);
    let mut s: Scenario = toml::from_str(&growing).expect("the scenario parses");
    s.billing.use_estimates = true;
    let ev = evidence(&p, &s).expect("costs");
    assert_eq!(ev.milestone_readings, [Some(readings(9_500, 9_000))]);
    assert_eq!(ev.horizon_readings, None);
    assert!(ev.uses_estimates);
    // Without the readings (the same provider with its modes stated as volume) nothing
    // published uses an estimate.
    let mut stated = p.clone();
    for c in &mut stated.pricing.plans[0].charges {
        c.mode = Some(crate::model::TierMode::Volume);
    }
    assert!(!evidence(&stated, &s).expect("costs").uses_estimates);
}
