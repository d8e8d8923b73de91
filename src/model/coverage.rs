//! Research coverage: how much of a provider's file is known, and why the rest is not.
//!
//! The ranking penalises unknowns, so a score rests on how much was researched. Coverage
//! makes that visible: `check` prints it per provider and the reports index shows it next to
//! each score.

use super::Date;
use super::Provider;
use super::Status;
use super::fact::{ResearchGap, StatusFact, ValueFact};
use super::idp::Idp;
use super::price::{Price, UnknownReason};
use super::pricing::Charge;
use serde::Serialize;

/// What is known about one counted fact or price.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Knowledge {
    /// Stated with a source (including a sourced `none`), or a published price.
    Known,
    /// Unknown because the vendor does not publish it (`reason = "unpublished"`, or a
    /// `contact_sales` price).
    Unpublished,
    /// Unknown and not found in the sources searched (`reason = "not_found"`, or an
    /// `unknown` price).
    NotFound,
    /// Unknown with no reason recorded: nobody has said whether it was looked for.
    Unexplained,
}

/// Counts by [`Knowledge`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Known facts or prices.
    pub known: u32,
    /// Unknown because unpublished.
    pub unpublished: u32,
    /// Unknown because not found.
    pub not_found: u32,
    /// Unknown with no reason recorded.
    pub unexplained: u32,
}

impl Tally {
    fn add(&mut self, k: Knowledge) {
        match k {
            Knowledge::Known => self.known += 1,
            Knowledge::Unpublished => self.unpublished += 1,
            Knowledge::NotFound => self.not_found += 1,
            Knowledge::Unexplained => self.unexplained += 1,
        }
    }

    /// Every counted item.
    pub fn total(&self) -> u32 {
        self.known + self.unknown()
    }

    /// Every unknown item, whatever the reason.
    pub fn unknown(&self) -> u32 {
        self.unpublished + self.not_found + self.unexplained
    }

    /// The sum of two tallies.
    #[must_use]
    pub fn plus(self, other: Tally) -> Tally {
        Tally {
            known: self.known + other.known,
            unpublished: self.unpublished + other.unpublished,
            not_found: self.not_found + other.not_found,
            unexplained: self.unexplained + other.unexplained,
        }
    }

    /// Known items as a share of all, in per mille (0–1000), rounded down so that a file
    /// with one unknown never reads as 100 %. `None` when nothing is counted.
    pub fn known_per_mille(&self) -> Option<u32> {
        let total = self.total();
        (total > 0).then(|| self.known * 1000 / total)
    }

    /// The known share as a percentage with one decimal ("87.5 %"), or "–" when nothing is
    /// counted.
    pub fn known_percent(&self) -> String {
        self.known_per_mille().map_or_else(
            || "–".to_string(),
            |pm| format!("{}.{} %", pm / 10, pm % 10),
        )
    }
}

/// One provider's research coverage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// The capability facts: the `ease`, `features` (with the eight IdPs), `integration` and
    /// `prerequisites` facts and `pricing.model`.
    pub facts: Tally,
    /// Every price in the file: plan fees, add-on fees, unit and band prices, band flat fees,
    /// one-time and recurring amounts, the hourly rate.
    pub prices: Tally,
    /// The file's `verified` date.
    pub verified: Date,
    /// The oldest `retrieved` date among its sources (the copy most likely to have moved).
    pub oldest_source: Option<Date>,
}

impl Coverage {
    /// Counts every fact and price of `p`.
    pub fn of(p: &Provider) -> Coverage {
        let mut facts = Tally::default();
        for f in counted_facts(p) {
            facts.add(f.knowledge);
        }

        let mut prices = Tally::default();
        let pricing = &p.pricing;
        let mut price = |pr: &Price| prices.add(price_knowledge(pr));
        pricing.hourly_rate.iter().for_each(&mut price);
        let charges = |cs: &[Charge], price: &mut dyn FnMut(&Price)| {
            for c in cs {
                c.unit_price.iter().for_each(&mut *price);
                for t in c.tiers.iter().flatten() {
                    price(&t.unit_price);
                    t.flat_fee.iter().for_each(&mut *price);
                }
            }
        };
        for plan in &pricing.plans {
            plan.base_fee.iter().for_each(&mut price);
            plan.annual_base_fee.iter().for_each(&mut price);
            charges(&plan.charges, &mut price);
        }
        for addon in &pricing.addons {
            addon.fee.iter().for_each(&mut price);
            charges(&addon.charges, &mut price);
        }
        for c in &pricing.one_time {
            c.amount.iter().for_each(&mut price);
        }
        for c in &pricing.recurring {
            c.amount.iter().for_each(&mut price);
        }

        Coverage {
            facts,
            prices,
            verified: p.verified,
            oldest_source: p.sources.iter().map(|s| s.retrieved).min(),
        }
    }

    /// Facts and prices together.
    pub fn all(&self) -> Tally {
        self.facts.plus(self.prices)
    }
}

/// One counted fact: its key path in the provider file, what is known, and its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountedFact<'a> {
    /// The key path, e.g. `features.groups` or `features.idps.okta`.
    pub key: String,
    /// What is known about it.
    pub knowledge: Knowledge,
    /// The id of the `[[sources]]` entry it cites, if any.
    pub source: Option<&'a str>,
}

/// The 32 facts coverage counts, in file order: the `ease` facts, the `features` statuses,
/// the eight IdPs (an IdP left out is unknown), the `integration` and `prerequisites` facts,
/// and `pricing.model`.
pub fn counted_facts(p: &Provider) -> Vec<CountedFact<'_>> {
    fn status<'a>(key: &str, f: &'a StatusFact) -> CountedFact<'a> {
        CountedFact {
            key: key.to_string(),
            knowledge: knowledge(f.status != Status::Unknown, f.reason),
            source: f.source_id(),
        }
    }
    fn value<'a, T>(key: &str, known: bool, f: &'a ValueFact<T>) -> CountedFact<'a> {
        CountedFact {
            key: key.to_string(),
            knowledge: knowledge(known, f.reason),
            source: f.source_id(),
        }
    }
    let (e, f, i, pre) = (&p.ease, &p.features, &p.integration, &p.prerequisites);
    let mut out = vec![
        value(
            "ease.endpoint",
            e.endpoint.value != super::provider::Endpoint::default(),
            &e.endpoint,
        ),
        status("ease.admin_portal", &e.admin_portal),
        status("ease.setup_guides", &e.setup_guides),
        value(
            "ease.integration_hours",
            e.integration_hours.value.is_some(),
            &e.integration_hours,
        ),
    ];
    for (key, fact) in [
        ("scim", &f.scim),
        ("sso", &f.sso),
        ("provisioning", &f.provisioning),
        ("deprovisioning", &f.deprovisioning),
        ("soft_delete", &f.soft_delete),
        ("groups", &f.groups),
        ("role_mapping", &f.role_mapping),
        ("custom_attributes", &f.custom_attributes),
        ("bulk", &f.bulk),
        ("me", &f.me),
        ("sorting", &f.sorting),
        ("search", &f.search),
    ] {
        out.push(status(&format!("features.{key}"), fact));
    }
    for idp in Idp::ALL {
        let key = format!("features.idps.{}", idp.as_str());
        out.push(match f.idps.get(&idp) {
            Some(s) => CountedFact {
                key,
                knowledge: knowledge(s.status != Status::Unknown, s.reason),
                source: s.source.as_deref(),
            },
            None => CountedFact {
                key,
                knowledge: Knowledge::Unexplained,
                source: None,
            },
        });
    }
    out.push(value(
        "integration.membership",
        i.membership.value != super::provider::Membership::default(),
        &i.membership,
    ));
    out.push(status("integration.webhooks", &i.webhooks));
    out.push(status("integration.events_api", &i.events_api));
    out.push(status("integration.ordered_delivery", &i.ordered_delivery));
    out.push(value("integration.sdks", i.sdks.value.is_some(), &i.sdks));
    out.push(value(
        "prerequisites.sso_required",
        pre.sso_required.value != super::provider::YesNo::default(),
        &pre.sso_required,
    ));
    out.push(value(
        "prerequisites.scim_plan_gate",
        pre.scim_plan_gate.value != super::provider::PlanGate::default(),
        &pre.scim_plan_gate,
    ));
    out.push(CountedFact {
        key: "pricing.model".into(),
        knowledge: knowledge(
            p.pricing.model != super::PricingModel::Unknown,
            p.pricing.reason,
        ),
        source: p.pricing.source.as_deref(),
    });
    out
}

fn knowledge(known: bool, reason: Option<ResearchGap>) -> Knowledge {
    match (known, reason) {
        (true, _) => Knowledge::Known,
        (false, Some(ResearchGap::Unpublished)) => Knowledge::Unpublished,
        (false, Some(ResearchGap::NotFound)) => Knowledge::NotFound,
        (false, None) => Knowledge::Unexplained,
    }
}

/// A price's knowledge. An estimate does not make a price known: it is still unpublished.
fn price_knowledge(p: &Price) -> Knowledge {
    match p {
        Price::Known(_) => Knowledge::Known,
        Price::Unpublished {
            reason: UnknownReason::ContactSales,
            ..
        } => Knowledge::Unpublished,
        Price::Unpublished {
            reason: UnknownReason::Unknown,
            ..
        } => Knowledge::NotFound,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider(toml_text: &str) -> Provider {
        let head = "id = \"p\"\nname = \"P\"\nverified = 2026-01-02\n";
        toml::from_str(&format!("{head}{toml_text}")).expect("test provider parses")
    }

    #[test]
    fn an_empty_file_is_all_unexplained_and_has_no_prices() {
        // 17 status facts + 8 IdPs + 6 value facts + the pricing model = 32 facts.
        let c = Coverage::of(&provider(""));
        assert_eq!(
            c.facts,
            Tally {
                unexplained: 32,
                ..Tally::default()
            }
        );
        assert_eq!(c.prices.total(), 0);
        assert_eq!(c.all().known_per_mille(), Some(0));
        assert_eq!(c.oldest_source, None);
        assert_eq!(c.verified.to_string(), "2026-01-02");
    }

    #[test]
    fn reasons_sort_unknowns_and_prices_count_every_band() {
        // Known: scim, bulk (none counts as known), okta, endpoint, model = 5.
        // Unpublished: groups. Not found: me, entra_id. Unexplained: the other 32 - 8 = 24.
        // Prices: base fee 25 (known), add-on contact_sales (unpublished), 3 bands:
        // 10 known, 8 known, unknown (not found) => known 3, unpublished 1, not found 1.
        let p = provider(
            r#"
[[sources]]
id = "d"
url = "https://example.com"
retrieved = 2025-12-31
[[sources]]
id = "e"
url = "https://example.com/e"
retrieved = 2026-01-01
[ease.endpoint]
value = "managed"
source = "d"
[features.scim]
status = "ga"
source = "d"
[features.bulk]
status = "none"
source = "d"
[features.groups]
status = "unknown"
reason = "unpublished"
[features.me]
status = "unknown"
reason = "not_found"
searched = "docs"
[features.idps.okta]
status = "ga"
source = "d"
[features.idps.entra_id]
status = "unknown"
reason = "not_found"
[pricing]
model = "per_connection"
source = "d"
[[pricing.plans]]
id = "pro"
base_fee = "25"
features = ["scim"]
source = "d"
[[pricing.plans.charges]]
meter = "directory_connections"
mode = "graduated"
tiers = [{ up_to = 10, unit_price = "10" }, { up_to = 20, unit_price = "8" }, { unit_price = "unknown" }]
[[pricing.addons]]
id = "x"
fee = "contact_sales"
source = "d"
"#,
        );
        let c = Coverage::of(&p);
        assert_eq!(
            c.facts,
            Tally {
                known: 5,
                unpublished: 1,
                not_found: 2,
                unexplained: 24
            }
        );
        assert_eq!(
            c.prices,
            Tally {
                known: 3,
                unpublished: 1,
                not_found: 1,
                unexplained: 0
            }
        );
        // 8 known of 37 = 216.2 per mille, rounded down.
        assert_eq!(c.all().known_per_mille(), Some(216));
        assert_eq!(
            c.oldest_source.map(|d| d.to_string()).as_deref(),
            Some("2025-12-31")
        );
    }

    #[test]
    fn one_unknown_never_rounds_to_everything_known() {
        let t = Tally {
            known: 999_999,
            not_found: 1,
            ..Tally::default()
        };
        assert_eq!(t.known_per_mille(), Some(999));
        assert_eq!(t.known_percent(), "99.9 %");
        assert_eq!(Tally::default().known_per_mille(), None);
        assert_eq!(Tally::default().known_percent(), "–");
    }
}
