//! The rubric: how each axis's criteria are derived from a provider's facts and the
//! scenario's needs. Every point value here is listed in `docs/scoring.md`; change both
//! together.

use super::criterion::{AxisScore, Criterion};
use super::pricing_evidence::PricingEvidence;
use super::value::{Value, status_value};
use crate::model::fact::StatusFact;
use crate::model::provider::{Endpoint, Membership, PlanGate, YesNo};
use crate::model::scenario::Need;
use crate::model::{Feature, Idp, PricingModel, Provider, Scenario};

/// Integration effort (engineer-hours) that scores 1 (or less).
pub const HOURS_BEST: f64 = 8.0;
/// Integration effort that scores 0 (the seed's ~600-hour in-house build).
pub const HOURS_WORST: f64 = 600.0;
/// The IdP mix used when a scenario gives none: the two most common enterprise IdPs, plus
/// Google Workspace.
pub const DEFAULT_IDP_MIX: [(Idp, f64); 3] = [
    (Idp::EntraId, 0.4),
    (Idp::Okta, 0.4),
    (Idp::GoogleWorkspace, 0.2),
];

/// Inputs shared by every axis.
pub struct Inputs<'a> {
    /// The provider scored.
    pub provider: &'a Provider,
    /// The scenario.
    pub scenario: &'a Scenario,
}

impl Inputs<'_> {
    fn need(&self, f: Feature) -> Need {
        self.scenario
            .needs
            .get(f.as_str())
            .copied()
            .unwrap_or_default()
    }

    fn url(&self, source: Option<&str>) -> Option<String> {
        source
            .and_then(|s| self.provider.source(s))
            .map(|s| s.url.clone())
    }

    fn status(&self, key: &str, label: &str, points: f64, fact: &StatusFact) -> Criterion {
        Criterion {
            key: key.to_owned(),
            label: label.to_owned(),
            points,
            level: fact.status.as_str().to_owned(),
            value: status_value(fact.status, &self.scenario.team),
            source: self.url(fact.source_id()),
            note: fact.note.clone(),
        }
    }

    /// A status criterion for a feature the scenario may ignore.
    fn feature(&self, f: Feature, key: &str, label: &str, points: f64) -> Option<Criterion> {
        (self.need(f) != Need::Ignored)
            .then(|| self.status(key, label, points, &self.provider.feature_fact(f)))
    }
}

/// Ease of implementation: managed endpoint 40, admin portal 20, setup guides 15,
/// integration effort 25.
pub fn ease(i: &Inputs<'_>) -> AxisScore {
    let e = &i.provider.ease;
    let mut c = Vec::new();
    let (level, value) = match e.endpoint.value {
        Endpoint::Managed => ("managed", Value::exact(1.0)),
        Endpoint::SelfHosted => ("self_hosted", Value::exact(0.4)),
        Endpoint::SelfBuilt => ("self_built", Value::exact(0.0)),
        Endpoint::NotApplicable => ("not_applicable", Value::exact(0.0)),
        Endpoint::Unknown => ("unknown", Value::unknown()),
    };
    c.push(Criterion {
        key: "ease.endpoint".into(),
        label: "Managed SCIM endpoint (vs self-hosted or self-built)".into(),
        points: 40.0,
        level: level.into(),
        value,
        source: i.url(e.endpoint.source_id()),
        note: e.endpoint.note.clone(),
    });
    c.extend(i.feature(
        Feature::AdminPortal,
        "ease.admin_portal",
        "Self-serve admin portal for the customer's IT admin",
        20.0,
    ));
    c.extend(i.feature(
        Feature::SetupGuides,
        "ease.setup_guides",
        "Setup guides per IdP",
        15.0,
    ));
    let (level, value) = match e.integration_hours.value {
        Some(h) => {
            let h = f64::from(h);
            (
                format!("{h} h"),
                Value::exact(((HOURS_WORST - h) / (HOURS_WORST - HOURS_BEST)).clamp(0.0, 1.0)),
            )
        }
        None => ("unknown".into(), Value::unknown()),
    };
    let mut note = e.integration_hours.note.clone();
    if e.integration_hours.estimate {
        note = Some(format!(
            "estimate{}",
            note.map(|n| format!(": {n}")).unwrap_or_default()
        ));
    }
    c.push(Criterion {
        key: "ease.integration_hours".into(),
        label: format!(
            "Integration effort ({HOURS_BEST} h earns every point, {HOURS_WORST} h none)"
        ),
        points: 25.0,
        level,
        value,
        source: i.url(e.integration_hours.source_id()),
        note,
    });
    AxisScore::from_criteria("ease", c)
}

/// SCIM features: provisioning 14, deprovisioning 18, soft delete 6, groups 14, role mapping
/// 10, custom attributes 8, IdP coverage 26, and the rarely used RFC 7644 parts 1 each.
pub fn features(i: &Inputs<'_>) -> AxisScore {
    let mut c = Vec::new();
    for (f, key, label, points) in [
        (
            Feature::Provisioning,
            "features.provisioning",
            "User provisioning",
            14.0,
        ),
        (
            Feature::Deprovisioning,
            "features.deprovisioning",
            "Deprovisioning",
            18.0,
        ),
        (
            Feature::SoftDelete,
            "features.soft_delete",
            "Soft delete (`active: false`)",
            6.0,
        ),
        (Feature::Groups, "features.groups", "Group sync", 14.0),
        (
            Feature::RoleMapping,
            "features.role_mapping",
            "Role mapping",
            10.0,
        ),
        (
            Feature::CustomAttributes,
            "features.custom_attributes",
            "Custom attributes",
            8.0,
        ),
    ] {
        c.extend(i.feature(f, key, label, points));
    }
    c.push(idp_coverage(i));
    for (f, key, label) in [
        (
            Feature::Bulk,
            "features.bulk",
            "RFC 7644 /Bulk (Entra ID never sends it)",
        ),
        (Feature::Me, "features.me", "RFC 7644 /Me"),
        (Feature::Sorting, "features.sorting", "RFC 7644 sorting"),
        (Feature::Search, "features.search", "RFC 7644 POST /.search"),
    ] {
        c.extend(i.feature(f, key, label, 1.0));
    }
    AxisScore::from_criteria("features", c)
}

/// IdP coverage: the scenario's IdP shares × each IdP's status. For Google Workspace, when
/// group sync matters (`google_workspace_groups` is required, or neither it nor `groups` is
/// ignored), the lower of user and group sync counts (its own SCIM push is user-only, so
/// group sync is the thing to check).
fn idp_coverage(i: &Inputs<'_>) -> Criterion {
    let mix: Vec<(Idp, f64)> = if i.scenario.idps.is_empty() {
        DEFAULT_IDP_MIX.to_vec()
    } else {
        let mut m: Vec<(Idp, f64)> = Idp::ALL
            .iter()
            .filter_map(|idp| i.scenario.idps.get(idp.as_str()).map(|s| (*idp, *s)))
            .collect();
        // Scaled by the largest share first: shares of 1e308 would sum to infinity and every
        // share would become 0 (as `normalize_weights` does for the axis weights).
        let max = m.iter().map(|(_, s)| *s).fold(0.0_f64, f64::max);
        if max > 0.0 {
            for e in &mut m {
                e.1 /= max;
            }
            let sum: f64 = m.iter().map(|(_, s)| s).sum();
            for e in &mut m {
                e.1 /= sum;
            }
        }
        m
    };
    let gwg = i.need(Feature::GoogleWorkspaceGroups);
    let groups_matter =
        gwg == Need::Required || (gwg != Need::Ignored && i.need(Feature::Groups) != Need::Ignored);
    let team = &i.scenario.team;
    let mut value = Value::exact(0.0);
    let mut parts = Vec::new();
    let mut sources = Vec::new();
    for (idp, share) in &mix {
        let support = i.provider.features.idps.get(idp);
        let mut v = support.map_or(Value::unknown(), |s| status_value(s.status, team));
        let mut level = support.map_or("unknown", |s| s.status.as_str()).to_owned();
        if *idp == Idp::GoogleWorkspace && groups_matter {
            let g = support.map_or(Value::unknown(), |s| status_value(s.groups, team));
            v = Value {
                low: v.low.min(g.low),
                high: v.high.min(g.high),
            };
            level = format!(
                "{level}, groups {}",
                support.map_or("unknown", |s| s.groups.as_str())
            );
        }
        value.low += share * v.low;
        value.high += share * v.high;
        parts.push(format!("{} {:.0}%: {level}", idp.as_str(), share * 100.0));
        if let Some(u) = support.and_then(|s| i.url(s.source.as_deref()))
            && !sources.contains(&u)
        {
            sources.push(u);
        }
    }
    Criterion {
        key: "features.idps".into(),
        label: "IdP coverage, weighted by the scenario's IdP mix".into(),
        points: 26.0,
        level: parts.join("; "),
        value,
        source: sources.first().cloned(),
        note: (sources.len() > 1).then(|| format!("also: {}", sources[1..].join(", "))),
    }
}

/// Pricing: predictability 30, transparency 20, cost against the budget anchor 50.
pub fn pricing(i: &Inputs<'_>, ev: &PricingEvidence) -> AxisScore {
    let model = i.provider.pricing.model;
    let base = match model {
        PricingModel::PerConnection | PricingModel::Bundled => Value::exact(1.0),
        PricingModel::SelfManaged => Value::exact(0.8),
        PricingModel::TierGated => Value::exact(0.6),
        PricingModel::PerMau => Value::exact(0.4),
        PricingModel::Unknown => Value::unknown(),
    };
    let unavailable = !ev.milestones.is_empty()
        && ev
            .milestones
            .iter()
            .all(|(_, c)| matches!(c, crate::cost::CostValue::Unavailable { .. }));
    // Unpublished prices already cost transparency points and pessimistic cost points; the
    // model's predictability is only overridden when nothing at all is published.
    let (predictability, why) = match ev.transparency() {
        _ if unavailable => (Value::exact(0.0), "unavailable at every milestone"),
        t if t <= 0.0 => (
            Value::exact(0.1),
            "contact sales / unpublished at every milestone: lowest",
        ),
        t if t >= 1.0 => (base, "all milestone costs published"),
        _ => (
            base,
            "some milestone costs unpublished (counted under transparency)",
        ),
    };
    let mut c = vec![Criterion {
        key: "pricing.model".into(),
        label: "Predictability of the pricing model".into(),
        points: 30.0,
        level: format!("{} ({why})", model.as_str()),
        value: predictability,
        source: i.url(i.provider.pricing.source.as_deref()),
        note: None,
    }];
    c.push(Criterion {
        key: "pricing.transparency".into(),
        label: "Published prices at the milestones".into(),
        points: 20.0,
        level: ev.transparency_level(),
        value: Value::exact(ev.transparency()),
        source: None,
        note: None,
    });
    c.push(Criterion {
        key: "pricing.cost".into(),
        label: format!(
            "Cost per customer per month vs the budget anchor ({})",
            ev.anchor_display()
        ),
        points: 50.0,
        level: ev.cost_level(),
        value: ev.cost_value(),
        source: None,
        note: ev
            .uses_estimates
            .then(|| "uses labelled estimates (the scenario opted in)".to_owned()),
    });
    AxisScore::from_criteria("pricing", c)
}

/// Integration: membership model 30, webhooks 20, events API 15, delivery order 10, SDK
/// coverage 25.
pub fn integration(i: &Inputs<'_>) -> AxisScore {
    let ig = &i.provider.integration;
    let mut c = Vec::new();
    if i.need(Feature::OrgMembership) != Need::Ignored {
        let (level, value) = match ig.membership.value {
            Membership::OrgMembers => ("org_members", Value::exact(1.0)),
            Membership::FlatRecords => ("flat_records", Value::exact(0.3)),
            Membership::Unknown => ("unknown", Value::unknown()),
        };
        c.push(Criterion {
            key: "integration.membership".into(),
            label: "Synced users as organization members with roles".into(),
            points: 30.0,
            level: level.into(),
            value,
            source: i.url(ig.membership.source_id()),
            note: ig.membership.note.clone(),
        });
    }
    c.extend(i.feature(Feature::Webhooks, "integration.webhooks", "Webhooks", 20.0));
    c.extend(i.feature(
        Feature::EventsApi,
        "integration.events_api",
        "Events API",
        15.0,
    ));
    c.extend(i.feature(
        Feature::OrderedDelivery,
        "integration.ordered_delivery",
        "Delivery-order guarantee",
        10.0,
    ));
    let wanted = &i.scenario.team.sdk_languages;
    if !wanted.is_empty() {
        let (level, value) = match &ig.sdks.value {
            Some(have) => {
                let hit = wanted.iter().filter(|w| have.contains(w)).count();
                (
                    format!("{hit} of {} ({})", wanted.len(), wanted.join(", ")),
                    Value::exact(hit as f64 / wanted.len() as f64),
                )
            }
            None => ("unknown".into(), Value::unknown()),
        };
        c.push(Criterion {
            key: "integration.sdks".into(),
            label: "SDKs for the team's languages".into(),
            points: 25.0,
            level,
            value,
            source: i.url(ig.sdks.source_id()),
            note: ig.sdks.note.clone(),
        });
    }
    AxisScore::from_criteria("integration", c)
}

/// Prerequisites: SSO required first 60 (only when the team has no SSO yet), plan gate 40.
pub fn prerequisites(i: &Inputs<'_>) -> AxisScore {
    let pr = &i.provider.prerequisites;
    let mut c = Vec::new();
    if !i.scenario.team.has_sso {
        let (level, value) = match pr.sso_required.value {
            YesNo::No => ("no", Value::exact(1.0)),
            YesNo::Yes => ("yes", Value::exact(0.0)),
            YesNo::Unknown => ("unknown", Value::unknown()),
        };
        c.push(Criterion {
            key: "prerequisites.sso_required".into(),
            label: "Works without an SSO connection first (the team has no SSO yet)".into(),
            points: 60.0,
            level: level.into(),
            value,
            source: i.url(pr.sso_required.source_id()),
            note: pr.sso_required.note.clone(),
        });
    }
    let (level, value) = match pr.scim_plan_gate.value {
        PlanGate::AnyPlan => ("any_plan", Value::exact(1.0)),
        PlanGate::PaidPlan => ("paid_plan", Value::exact(0.7)),
        PlanGate::Addon => ("addon", Value::exact(0.5)),
        PlanGate::EnterprisePlan => ("enterprise_plan", Value::exact(0.2)),
        PlanGate::Unknown => ("unknown", Value::unknown()),
    };
    c.push(Criterion {
        key: "prerequisites.scim_plan_gate".into(),
        label: "What SCIM needs you to buy".into(),
        points: 40.0,
        level: level.into(),
        value,
        source: i.url(pr.scim_plan_gate.source_id()),
        note: pr.scim_plan_gate.note.clone(),
    });
    AxisScore::from_criteria("prerequisites", c)
}
