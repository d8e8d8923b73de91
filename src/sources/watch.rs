//! Checking every cited page of a catalog against its recorded fingerprint.

use super::fetch::{FetchError, Fetcher, Page};
use super::fingerprint::{self, Unfingerprintable};
use crate::model::Provider;
use crate::model::coverage::counted_facts;
use crate::model::provider::Source;
use std::collections::BTreeMap;

/// What became of one source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The fingerprint matches the recorded one.
    Unchanged,
    /// The fingerprint differs from the recorded one, or the selector no longer matches.
    Changed {
        /// Why, when it is not simply a different text.
        detail: Option<String>,
    },
    /// Read, but the catalog records no fingerprint yet.
    NeverFingerprinted,
    /// Could not be read (a warning unless `--strict`).
    Unreachable {
        /// The error, in scimeter's words (never the page's body).
        error: String,
    },
}

impl Outcome {
    /// The word used in tables and JSON.
    pub fn as_str(&self) -> &'static str {
        match self {
            Outcome::Unchanged => "unchanged",
            Outcome::Changed { .. } => "changed",
            Outcome::NeverFingerprinted => "never fingerprinted",
            Outcome::Unreachable { .. } => "unreachable",
        }
    }
}

/// One source's result.
#[derive(Debug, Clone)]
pub struct Watched<'a> {
    /// The provider whose file cites it.
    pub provider: &'a Provider,
    /// The `[[sources]]` entry.
    pub source: &'a Source,
    /// The facts, plans and charges that cite it (key paths).
    pub backs: Vec<String>,
    /// What became of it.
    pub outcome: Outcome,
    /// The fingerprint of the page as read now, when it could be computed.
    pub fingerprint: Option<String>,
}

/// Fetches every distinct URL once, on at most `concurrency` threads, and classifies each
/// source of `providers` in file order.
pub fn check<'a>(
    providers: &[&'a Provider],
    fetcher: &Fetcher,
    concurrency: usize,
) -> Vec<Watched<'a>> {
    let mut urls: Vec<&str> = providers
        .iter()
        .flat_map(|p| p.sources.iter().map(|s| s.url.as_str()))
        .collect();
    urls.sort_unstable();
    urls.dedup();
    let pages: BTreeMap<&str, Result<Page, FetchError>> = urls
        .iter()
        .copied()
        .zip(crate::parallel::map_on(
            concurrency.max(1),
            urls.clone(),
            |u| fetcher.get(u),
        ))
        .collect();
    let mut out = Vec::new();
    for p in providers {
        for s in &p.sources {
            let (outcome, fingerprint) = match pages.get(s.url.as_str()) {
                Some(Ok(page)) => classify(s, page),
                Some(Err(e)) => (
                    Outcome::Unreachable {
                        error: e.to_string(),
                    },
                    None,
                ),
                None => (
                    Outcome::Unreachable {
                        error: "not fetched".into(),
                    },
                    None,
                ),
            };
            out.push(Watched {
                provider: p,
                source: s,
                backs: backs(p, s.id.as_str()),
                outcome,
                fingerprint,
            });
        }
    }
    out
}

/// Compares the page with the source's recorded fingerprint.
fn classify(s: &Source, page: &Page) -> (Outcome, Option<String>) {
    let selector = match s.selector.as_deref().map(fingerprint::parse_selector) {
        Some(Ok(sel)) => Some(sel),
        // `check` rejects a bad selector, so this is only reached by a catalog that skipped it.
        Some(Err(e)) => {
            return (
                Outcome::Changed {
                    detail: Some(format!("the selector does not parse: {e}")),
                },
                None,
            );
        }
        None => None,
    };
    match fingerprint::visible_text(&page.body, page.html, selector.as_ref()) {
        Ok(text) => {
            let now = fingerprint::of_text(&text);
            let outcome = match &s.fingerprint {
                None => Outcome::NeverFingerprinted,
                Some(old) if *old == now => Outcome::Unchanged,
                Some(_) => Outcome::Changed { detail: None },
            };
            (outcome, Some(now))
        }
        Err(Unfingerprintable::NoMatch) => (
            Outcome::Changed {
                detail: Some("the selector matches nothing on the page".into()),
            },
            None,
        ),
        Err(Unfingerprintable::NotHtml) => (
            Outcome::Changed {
                detail: Some("a selector is given but the page is not HTML".into()),
            },
            None,
        ),
    }
}

/// The key paths in `p` that cite the source `id`: counted facts, the pricing model, plans,
/// add-ons, charges, one-time and recurring costs.
fn backs(p: &Provider, id: &str) -> Vec<String> {
    let mut keys: Vec<String> = counted_facts(p)
        .into_iter()
        .filter(|f| f.source == Some(id))
        .map(|f| f.key)
        .collect();
    let pricing = &p.pricing;
    let cites = |s: &Option<String>| s.as_deref() == Some(id);
    for plan in &pricing.plans {
        if cites(&plan.source) {
            keys.push(format!("pricing.plans.{}", plan.id));
        }
        for (i, c) in plan.charges.iter().enumerate() {
            if cites(&c.source) {
                keys.push(format!("pricing.plans.{}.charges.{i}", plan.id));
            }
        }
    }
    for addon in &pricing.addons {
        if cites(&addon.source) {
            keys.push(format!("pricing.addons.{}", addon.id));
        }
    }
    for c in &pricing.one_time {
        if cites(&c.source) {
            keys.push(format!("pricing.one_time.{}", c.id));
        }
    }
    for c in &pricing.recurring {
        if cites(&c.source) {
            keys.push(format!("pricing.recurring.{}", c.id));
        }
    }
    keys
}
