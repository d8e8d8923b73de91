//! `scimeter list providers|scenarios`: what the catalog holds, by id, for people and scripts.

use crate::config::{Config, Format, ListKind, Task};
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::model::coverage::Coverage;
use crate::report::table::Table;

/// Runs the command.
pub fn run(config: &Config) -> Result<(ExitStatus, String), Error> {
    let Task::List { kind, format } = &config.task else {
        return Err(Error::Other("internal: wrong task for `list`".into()));
    };
    let catalog = super::load(config)?;
    let table = match kind {
        ListKind::Providers => providers(&catalog.providers),
        ListKind::Scenarios => scenarios(&catalog.scenarios),
    };
    let text = match format {
        Format::Table => table.to_terminal(config.width),
        Format::Csv => table.to_csv(),
        Format::Markdown => table.to_markdown(),
        Format::Json => json(&table),
    };
    Ok((ExitStatus::Success, text))
}

/// One row per provider: id, name, kind, SCIM status, pricing model, the share of known facts
/// and prices, and the verification date.
fn providers(list: &[crate::model::Provider]) -> Table {
    let mut t = Table::new(["id", "name", "kind", "scim", "pricing", "known", "verified"])
        .right_align(&[5]);
    for p in list {
        t.push([
            p.id().to_owned(),
            p.name.clone(),
            p.kind.as_str().to_owned(),
            p.features.scim.status.as_str().to_owned(),
            p.pricing.model.as_str().to_owned(),
            Coverage::of(p).all().known_percent(),
            p.verified.to_string(),
        ]);
    }
    t
}

/// One row per scenario: id, name, horizon, milestones and growth curve.
fn scenarios(list: &[crate::model::Scenario]) -> Table {
    let mut t =
        Table::new(["id", "name", "horizon_months", "milestones", "growth"]).right_align(&[2]);
    for s in list {
        t.push([
            s.id().to_owned(),
            s.name.clone(),
            s.horizon().to_string(),
            s.milestones()
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(" "),
            s.growth.kind.as_str().to_owned(),
        ]);
    }
    t
}

/// The table as a JSON array of objects keyed by the column names (every value a string, as
/// in the CSV).
fn json(t: &Table) -> String {
    let rows: Vec<serde_json::Map<String, serde_json::Value>> = t
        .rows
        .iter()
        .map(|r| {
            t.headers
                .iter()
                .zip(r)
                .map(|(h, v)| (h.clone(), serde_json::Value::String(v.clone())))
                .collect()
        })
        .collect();
    serde_json::to_string_pretty(&serde_json::json!({ "schema_version": 1, "items": rows }))
        .unwrap_or_default()
        + "\n"
}

#[cfg(test)]
mod tests {
    use crate::model::provider::ProviderKind;
    use crate::model::scenario::GrowthKind;

    /// The words `list` prints are the keys the files use (serde's names).
    #[test]
    fn kinds_print_as_their_toml_keys() {
        for k in [
            ProviderKind::Vendor,
            ProviderKind::SelfHosted,
            ProviderKind::Alternative,
        ] {
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
        for k in [
            GrowthKind::Constant,
            GrowthKind::Linear,
            GrowthKind::Compound,
            GrowthKind::Logistic,
            GrowthKind::Points,
        ] {
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
    }
}
