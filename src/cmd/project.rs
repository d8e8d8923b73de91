//! `scimeter project`: monthly and cumulative costs over the horizon, the cheapest provider
//! per band of customer counts, and crossovers.

use crate::config::{Config, Format, Task};
use crate::cost::analysis::{Keep, project_scenario_with};
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::report::projection_table::{TIDY_HEADERS, summary, tidy_rows, wide_column, wide_table};
use crate::report::table::CsvRows;

/// Runs the command.
pub fn run(config: &Config) -> Result<(ExitStatus, String), Error> {
    let Task::Project {
        scenario,
        providers,
        format,
    } = &config.task
    else {
        return Err(Error::Other("internal: wrong task for `project`".into()));
    };
    let catalog = super::load(config)?;
    let scenario = super::scenario(&catalog, scenario)?;
    let providers = super::providers(&catalog, providers.as_deref())?;
    // Line items are printed only in JSON, curves never (only the bands and crossovers
    // taken from them); the providers are priced on every core.
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let keep = Keep {
        lines: *format == Format::Json,
        curves: false,
        months: false,
    };
    let names = super::Names::of(&providers);
    let name = |id: &str| names.get(id);
    let cur = scenario.currency();
    // The exact projection is written as each provider is priced, and its months dropped
    // before the Monte Carlo runs (10,000 providers' months are 470 MB).
    let mut out = Output::new(*format);
    let months = usize::try_from(scenario.horizon()).unwrap_or(0);
    let mut published_horizon = std::collections::HashSet::new();
    let sp = project_scenario_with(&providers, scenario, keep, cores, &mut |p| {
        if matches!(
            p.horizon_total(),
            Some(crate::cost::CostValue::Known { .. })
        ) {
            published_horizon.insert(p.provider.clone());
        }
        match &mut out {
            Output::Columns { names, cells } => {
                names.push(name(&p.provider));
                cells.push(wide_column(p, months, cur));
            }
            Output::Csv(csv) => {
                for row in tidy_rows(p, scenario) {
                    csv.push(row);
                }
            }
            Output::Json(pieces) => pieces.push(projection_json(p)),
        }
    })?;
    // The exact part of the output, and the JSON's pieces to splice in once the document's
    // other parts are known.
    let (exact, json) = match (format, out) {
        (_, Output::Json(pieces)) => (String::new(), pieces),
        (_, Output::Csv(csv)) => (
            String::from_utf8(csv.finish()).unwrap_or_default(),
            Vec::new(),
        ),
        (format, Output::Columns { names, cells }) => {
            let table = wide_table(names, cells, &sp.customers, scenario);
            let mut s = if *format == Format::Markdown {
                let mut s = format!("### Monthly cost for `{}` ({cur})\n\n", scenario.id());
                s.push_str(&table.to_markdown());
                s
            } else {
                let mut s = format!(
                    "Monthly cost for scenario `{}` in {cur} over {} months\n",
                    scenario.id(),
                    scenario.horizon()
                );
                s.push_str(&table.to_terminal(config.width));
                s
            };
            s.push('\n');
            if *format == Format::Markdown {
                let escaped = |id: &str| crate::report::escape::md_text(&name(id));
                s.push_str(&summary(&sp, scenario, &escaped));
            } else {
                s.push_str(&summary(&sp, scenario, &name));
            }
            (s, Vec::new())
        }
    };
    // The estimated view of the horizon: totals and crossovers as distributions (no
    // milestones: `cost` shows those).
    let est = crate::estimate::simulation::simulate_on(
        &providers,
        scenario,
        &[],
        config.simulation,
        cores,
    )?;
    let estimated = |markdown: bool| {
        let mut s = format!(
            "\nEstimated horizon totals and crossovers ({} draws, seed {}):\n\n",
            est.settings.draws_text(),
            est.settings.seed
        );
        let published = |id: &str, at: Option<u64>| at.is_some() || published_horizon.contains(id);
        let t = crate::report::estimate_table::estimate_table(&est, cur, &published);
        s.push_str(&if markdown {
            t.to_markdown()
        } else {
            t.to_terminal(config.width)
        });
        let lines = crate::report::estimate_table::crossover_lines(&est);
        if !lines.is_empty() {
            s.push('\n');
            for l in lines {
                s.push_str(&format!("- {l}\n"));
            }
        }
        s
    };
    let text = match format {
        Format::Json => {
            let doc = serde_json::json!({
                "schema_version": 2,
                "scenario": scenario.id(),
                "currency": cur,
                "projection": sp,
                "estimated": {
                    "draws": est.settings.draws,
                    "seed": est.settings.seed,
                    "horizon": est.providers.iter().map(|p| serde_json::json!({
                        "provider": p.provider,
                        "total": crate::report::estimate_table::estimated_json(&p.horizon),
                    })).collect::<Vec<_>>(),
                    "crossovers": est.crossovers,
                },
            });
            let text = serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n";
            splice_projections(&text, json)
        }
        Format::Csv => exact,
        Format::Markdown => exact + &estimated(true),
        Format::Table => exact + &estimated(false),
    };
    Ok((ExitStatus::Success, text))
}

/// What `project` writes from each provider's projection as it is priced.
enum Output {
    /// The wide table (terminal or Markdown): a column per provider.
    Columns {
        /// Provider names, the column headers.
        names: Vec<String>,
        /// Each provider's cells, from [`wide_column`].
        cells: Vec<Vec<String>>,
    },
    /// The tidy CSV, a row per provider and month (boxed: the CSV writer holds its buffer
    /// state inline).
    Csv(Box<CsvRows>),
    /// The JSON document's `projections`, one pretty piece per provider.
    Json(Vec<String>),
}

impl Output {
    fn new(format: Format) -> Output {
        match format {
            Format::Csv => Output::Csv(Box::new(CsvRows::new(TIDY_HEADERS))),
            Format::Json => Output::Json(Vec::new()),
            Format::Table | Format::Markdown => Output::Columns {
                names: Vec::new(),
                cells: Vec::new(),
            },
        }
    }
}

/// Where the projections go in the JSON document: `projection.projections`, a member of a
/// top-level object, so at an indent of four spaces (keys cannot contain a raw newline).
const PROJECTIONS_LINE: &str = "\n    \"projections\": []";

/// One provider's projection as an element of the document's `projection.projections`
/// array: pretty JSON with sorted keys, as the whole document's tree writes it, indented six
/// spaces. Each is written as its provider is priced, so 10,000 providers' line items never
/// sit in one JSON tree (that took 57 s and 13 GB).
fn projection_json(p: &crate::cost::projection::Projection) -> String {
    let text = serde_json::to_value(p)
        .and_then(|v| serde_json::to_string_pretty(&v))
        .unwrap_or_default();
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str("      ");
        out.push_str(line);
    }
    out
}

/// The document with its empty `projections` array replaced by the projections, each freed
/// once copied (so the document and its pieces are not held twice over).
fn splice_projections(doc: &str, projections: Vec<String>) -> String {
    if projections.is_empty() {
        return doc.to_owned();
    }
    let Some(at) = doc.find(PROJECTIONS_LINE) else {
        return doc.to_owned();
    };
    let total = doc.len() + projections.iter().map(|p| p.len() + 2).sum::<usize>() + 16;
    let mut out = String::with_capacity(total);
    out.push_str(&doc[..at]);
    out.push_str("\n    \"projections\": [\n");
    for (i, p) in projections.into_iter().enumerate() {
        if i > 0 {
            out.push_str(",\n");
        }
        out.push_str(&p);
    }
    out.push_str("\n    ]");
    out.push_str(&doc[at + PROJECTIONS_LINE.len()..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::CostValue;
    use crate::cost::projection::Projection;

    /// Spliced in one provider at a time, the projections give the bytes the whole JSON tree
    /// gives, and no projections leave the empty array as the tree writes it.
    #[test]
    fn spliced_projections_equal_the_whole_tree() {
        let p = |id: &str| Projection {
            provider: id.to_owned(),
            months: Vec::new(),
        };
        let all = [p("a\n\"projections\": []"), p("b")];
        let whole = |ps: &[Projection]| {
            let doc = serde_json::json!({
                "currency": "USD",
                "projection": { "bands": [], "projections": ps, "zz": CostValue::zero() },
                "scenario": "s",
            });
            serde_json::to_string_pretty(&doc).unwrap() + "\n"
        };
        let empty = whole(&[]);
        assert!(empty.contains(PROJECTIONS_LINE));
        assert_eq!(splice_projections(&empty, Vec::new()), empty);
        let pieces = all.iter().map(projection_json).collect();
        assert_eq!(splice_projections(&empty, pieces), whole(&all));
    }
}
