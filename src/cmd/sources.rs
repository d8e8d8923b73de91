//! `scimeter sources check`: has any cited page changed since the catalog recorded it?

use crate::config::{Config, Format, SourcesCheck};
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::model::{Date, Provider};
use crate::report::escape::{md_link, md_text};
use crate::report::table::Table;
use crate::sources::fetch::{FetchOptions, Fetcher};
use crate::sources::update;
use crate::sources::watch::{self, Outcome, Watched};

/// At most this many keys are listed per source in tables; JSON lists them all.
const BACKS_SHOWN: usize = 4;

/// Fetches, compares, optionally records, and reports.
pub fn run(config: &Config, args: &SourcesCheck) -> Result<(ExitStatus, String), Error> {
    let catalog = super::load(config)?;
    let providers: Vec<&Provider> = match &args.provider {
        Some(id) => vec![super::provider(&catalog, id)?],
        None => catalog.providers.iter().collect(),
    };
    let fetcher = Fetcher::new(FetchOptions {
        timeout: args.timeout,
        allow_private: args.allow_private,
        ..FetchOptions::default()
    });
    let results = watch::check(&providers, &fetcher, args.concurrency);
    let updated = if args.update {
        record(config, &providers, &results, Date::today_utc())?
    } else {
        Vec::new()
    };

    let changed = results
        .iter()
        .any(|w| matches!(w.outcome, Outcome::Changed { .. }));
    let unreachable = results
        .iter()
        .any(|w| matches!(w.outcome, Outcome::Unreachable { .. }));
    // `--update` settles a change only when it could record the page's new fingerprint: a
    // selector that now matches nothing, or a page that is no longer HTML, has none, so it
    // still fails the run (a CI step `sources check --update && …` must not pass silently).
    let unrecorded = results.iter().any(|w| match &w.outcome {
        Outcome::Changed { detail } => detail.is_some() || w.fingerprint.is_none(),
        _ => false,
    });
    let status = if (changed && !args.update) || unrecorded || (unreachable && args.strict) {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    };
    let text = match args.format {
        Format::Json => json(&results, &updated),
        Format::Markdown => markdown(&results, &updated),
        Format::Table | Format::Csv => table(&results, &updated, config.width),
    };
    Ok((status, text))
}

/// Writes the new fingerprints of changed and never-fingerprinted sources, one provider file
/// at a time, and returns the files written (relative to the catalog).
fn record(
    config: &Config,
    providers: &[&Provider],
    results: &[Watched<'_>],
    today: Date,
) -> Result<Vec<String>, Error> {
    let mut written = Vec::new();
    for p in providers {
        let updates: Vec<(&str, &str)> = results
            .iter()
            .filter(|w| std::ptr::eq(w.provider, *p))
            .filter(|w| {
                matches!(
                    w.outcome,
                    Outcome::Changed { detail: None } | Outcome::NeverFingerprinted
                )
            })
            .filter_map(|w| Some((w.source.id.as_str(), w.fingerprint.as_deref()?)))
            .collect();
        if updates.is_empty() {
            continue;
        }
        let rel = format!("providers/{}.toml", p.id());
        let path = config.catalog.join(&rel);
        let io = |e: update::UpdateError| Error::usage(e.to_string(), None);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Error::usage(format!("cannot read `{}`: {e}", path.display()), None))?;
        let new = update::apply(&rel, &text, &updates, today).map_err(io)?;
        update::write_atomically(&path, new.as_bytes()).map_err(io)?;
        written.push(rel);
    }
    Ok(written)
}

/// "3 unchanged, 1 changed, 0 unreachable, 2 never fingerprinted".
fn summary(results: &[Watched<'_>]) -> String {
    let count = |f: fn(&Outcome) -> bool| results.iter().filter(|w| f(&w.outcome)).count();
    format!(
        "{} unchanged, {} changed, {} unreachable, {} never fingerprinted",
        count(|o| matches!(o, Outcome::Unchanged)),
        count(|o| matches!(o, Outcome::Changed { .. })),
        count(|o| matches!(o, Outcome::Unreachable { .. })),
        count(|o| matches!(o, Outcome::NeverFingerprinted)),
    )
}

/// The status cell: the outcome and its detail or error.
fn status_text(o: &Outcome) -> String {
    match o {
        Outcome::Changed { detail: Some(d) } => format!("changed: {d}"),
        Outcome::Unreachable { error } => format!("unreachable: {error}"),
        other => other.as_str().to_string(),
    }
}

/// The keys a source backs, the first few and a count of the rest.
fn backs_text(backs: &[String]) -> String {
    if backs.len() <= BACKS_SHOWN {
        return backs.join(", ");
    }
    format!(
        "{} and {} more",
        backs[..BACKS_SHOWN].join(", "),
        backs.len() - BACKS_SHOWN
    )
}

/// The sources worth a reader's attention first: changed, then unreachable, then new, then
/// unchanged; within each, catalog order.
fn ordered<'r, 'a>(results: &'r [Watched<'a>]) -> Vec<&'r Watched<'a>> {
    let rank = |o: &Outcome| match o {
        Outcome::Changed { .. } => 0,
        Outcome::Unreachable { .. } => 1,
        Outcome::NeverFingerprinted => 2,
        Outcome::Unchanged => 3,
    };
    let mut v: Vec<&Watched<'a>> = results.iter().collect();
    v.sort_by_key(|w| rank(&w.outcome));
    v
}

fn updated_line(updated: &[String]) -> String {
    if updated.is_empty() {
        String::new()
    } else {
        format!(
            "recorded new fingerprints in {}; now update the facts and prices they back, then run `scimeter diff --base HEAD` and `scimeter report`\n",
            updated.join(", ")
        )
    }
}

fn table(results: &[Watched<'_>], updated: &[String], width: Option<u16>) -> String {
    let mut t = Table::new(["Provider", "Source", "Status", "Backs", "URL"]);
    for w in ordered(results) {
        t.push([
            w.provider.id().to_string(),
            w.source.id.to_string(),
            status_text(&w.outcome),
            backs_text(&w.backs),
            w.source.url.clone(),
        ]);
    }
    format!(
        "{}\n{}\n{}",
        t.to_terminal(width),
        summary(results),
        updated_line(updated)
    )
}

fn markdown(results: &[Watched<'_>], updated: &[String]) -> String {
    let mut t = Table::new(["Provider", "Source", "Status", "Backs"]).markdown_cols(&[1]);
    for w in ordered(results) {
        t.push([
            w.provider.name.clone(),
            md_link(w.source.id.as_str(), &w.source.url),
            status_text(&w.outcome),
            backs_text(&w.backs),
        ]);
    }
    format!(
        "## Sources check\n\n{}.\n\n{}{}",
        summary(results),
        t.to_markdown(),
        md_text(&updated_line(updated))
    )
}

fn json(results: &[Watched<'_>], updated: &[String]) -> String {
    let rows: Vec<serde_json::Value> = results
        .iter()
        .map(|w| {
            let (detail, error) = match &w.outcome {
                Outcome::Changed { detail } => (detail.clone(), None),
                Outcome::Unreachable { error } => (None, Some(error.clone())),
                _ => (None, None),
            };
            serde_json::json!({
                "provider": w.provider.id(),
                "source": w.source.id.as_str(),
                "url": w.source.url,
                "status": w.outcome.as_str(),
                "detail": detail,
                "error": error,
                "backs": w.backs,
                "recorded": w.source.fingerprint,
                "fingerprint": w.fingerprint,
            })
        })
        .collect();
    let doc = serde_json::json!({
        "summary": summary(results),
        "sources": rows,
        "updated": updated,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}
