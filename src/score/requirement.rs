//! Hard requirements: a scenario's `required` needs exclude providers before scoring.

use crate::model::scenario::Need;
use crate::model::{Feature, Provider, Scenario, Status};
use serde::Serialize;

/// One failed requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The feature required.
    pub feature: String,
    /// The provider's status for it.
    pub status: Status,
    /// Why it fails, in words.
    pub reason: String,
}

/// Checks every required need. GA passes; beta, early access and preview pass only when the
/// team counts beta features; planned and none fail; unknown fails (the pessimistic rule:
/// confirm it with the vendor, then record the answer).
pub fn failures(provider: &Provider, scenario: &Scenario) -> Vec<Failure> {
    let mut out = Vec::new();
    for (key, need) in &scenario.needs {
        if *need != Need::Required {
            continue;
        }
        let Some(feature) = Feature::from_key(key) else {
            continue;
        };
        let fact = provider.feature_fact(feature);
        let ok = match fact.status {
            Status::Ga => true,
            s if s.is_pre_ga() => scenario.team.count_beta,
            _ => false,
        };
        if !ok {
            let reason = match fact.status {
                Status::Unknown => format!("`{key}` is required but unconfirmed (unknown)"),
                s if s.is_pre_ga() => {
                    format!("`{key}` is only {s} and the scenario does not count beta features")
                }
                s => format!("`{key}` is required but is `{s}`"),
            };
            let reason = match &fact.note {
                Some(n) => format!("{reason}: {n}"),
                None => reason,
            };
            out.push(Failure {
                feature: key.clone(),
                status: fact.status,
                reason,
            });
        }
    }
    out
}
