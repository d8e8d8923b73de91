//! The resolved configuration: command-line values checked and converted into the types the
//! core uses. Nothing below this layer sees clap.

use crate::cli::{Cli, Command, FormatArg, SchemaKind};
use crate::cost::growth::MAX_CUSTOMERS;
use crate::error::Error;
use crate::estimate::simulation::{MAX_DRAWS, Settings};
use crate::model::Date;
use std::path::PathBuf;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A terminal table.
    Table,
    /// CSV with raw decimals.
    Csv,
    /// JSON.
    Json,
    /// Markdown.
    Markdown,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Table => Format::Table,
            FormatArg::Csv => Format::Csv,
            FormatArg::Json => Format::Json,
            FormatArg::Markdown => Format::Markdown,
        }
    }
}

/// What to run, with every value resolved.
#[derive(Debug, Clone)]
pub enum Task {
    /// Fetch and fingerprint the cited pages.
    SourcesCheck(SourcesCheck),
    /// Validate the catalog.
    Check {
        /// Reference date for staleness.
        as_of: Date,
        /// Allowed age of `verified`, in days.
        max_age_days: i64,
        /// Print JSON.
        json: bool,
    },
    /// Print a JSON Schema.
    Schema {
        /// Which one.
        kind: SchemaKind,
    },
    /// Costs at customer counts.
    Cost {
        /// Scenario id.
        scenario: String,
        /// Customer counts (None = the scenario's milestones).
        at: Option<Vec<u64>>,
        /// Print line items.
        explain: bool,
        /// Restrict to these providers.
        providers: Option<Vec<String>>,
        /// Output format.
        format: Format,
    },
    /// Ranking.
    Rank {
        /// Scenario id.
        scenario: String,
        /// Weight overrides (None = the scenario's).
        weights: Option<WeightOverrides>,
        /// Output format.
        format: Format,
    },
    /// Explanation of one provider.
    Explain {
        /// Provider id.
        provider: String,
        /// Scenario id.
        scenario: String,
        /// Provider to compare with.
        vs: Option<String>,
        /// Weight overrides (None = the scenario's).
        weights: Option<WeightOverrides>,
        /// Output format.
        format: Format,
    },
    /// Robustness of the ranking.
    Sensitivity {
        /// Scenario id.
        scenario: String,
        /// SMAA draws.
        draws: usize,
        /// SMAA seed.
        seed: u64,
        /// Weight overrides (None = the scenario's).
        weights: Option<WeightOverrides>,
        /// Output format.
        format: Format,
    },
    /// Regenerate or check reports.
    Report {
        /// Output directory.
        out: PathBuf,
        /// Check only.
        check: bool,
        /// Overwrite files scimeter did not write.
        force: bool,
        /// Staleness threshold in days.
        max_age_days: i64,
    },
    /// Compare two catalogs.
    Diff {
        /// Base revision or directory.
        base: String,
        /// Head revision or directory (None = work tree).
        head: Option<String>,
        /// Scenarios to compare (empty = all).
        scenarios: Vec<String>,
        /// Output format.
        format: Format,
        /// Threshold for exit 1.
        fail_above: Option<crate::diff::threshold::Threshold>,
        /// Reference date for staleness.
        as_of: Date,
        /// Allowed age of `verified`, in days.
        max_age_days: i64,
    },
    /// Create a catalog.
    Init {
        /// Where.
        dir: PathBuf,
    },
    /// Create a provider template.
    NewProvider {
        /// The id.
        id: String,
    },
    /// Print a completion script.
    Completions {
        /// For this shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page, or write every page into a directory.
    Man {
        /// The directory for one page per command; `None` prints the main page.
        out: Option<PathBuf>,
    },
    /// List providers or scenarios.
    List {
        /// Which.
        kind: ListKind,
        /// Output format.
        format: Format,
    },
    /// Create a scenario template.
    NewScenario {
        /// The id.
        id: String,
    },
    /// Questions to ask each vendor.
    Questions {
        /// Scenario id.
        scenario: String,
        /// Output format.
        format: Format,
    },
    /// Monthly projection.
    Project {
        /// Scenario id.
        scenario: String,
        /// Restrict to these providers.
        providers: Option<Vec<String>>,
        /// Output format.
        format: Format,
    },
}

/// What `list` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    /// Provider files.
    Providers,
    /// Scenario files.
    Scenarios,
}

/// The resolved configuration of one run.
#[derive(Debug, Clone)]
pub struct Config {
    /// The catalog directory.
    pub catalog: PathBuf,
    /// The task.
    pub task: Task,
    /// Monte Carlo draws and seed (defaults where the command takes none).
    pub simulation: Settings,
    /// Extra quotes files (`--quotes`), read after the catalog's `quotes/`.
    pub quotes: Vec<PathBuf>,
    /// Terminal tables wrap their cells to this many columns; `None` keeps every cell on one
    /// line (`--wide`, or output that is not a terminal).
    pub width: Option<u16>,
}

/// `sources check`, resolved.
#[derive(Debug, Clone)]
pub struct SourcesCheck {
    /// Only this provider's sources.
    pub provider: Option<String>,
    /// Output format (table, JSON or markdown).
    pub format: Format,
    /// Write new fingerprints back.
    pub update: bool,
    /// An unreachable source fails the run.
    pub strict: bool,
    /// Loopback and private addresses may be fetched.
    pub allow_private: bool,
    /// Time allowed per request.
    pub timeout: std::time::Duration,
    /// Requests in flight at once.
    pub concurrency: usize,
}

/// Checks `--draws` and `--seed`.
fn settings(a: &crate::cli::SimArgs) -> Result<Settings, Error> {
    if a.draws == 0 || a.draws > MAX_DRAWS {
        return Err(Error::usage(
            format!("`--draws` = {} is out of range", a.draws),
            Some(format!(
                "use 1 to {MAX_DRAWS} draws (10,000 gives about ±1 % on probabilities)"
            )),
        ));
    }
    Ok(Settings {
        draws: a.draws,
        seed: a.seed,
    })
}

impl Task {
    /// Whether the task prints text for a person at a terminal (tables and prose), which may
    /// be wrapped to the terminal's width, rather than data (CSV, JSON, markdown, roff, a
    /// schema, a completion script), which is never wrapped. Every output still has its
    /// terminal control characters removed (`app.rs`): JSON already escapes C0 controls, so
    /// only DEL, C1 controls and bidirectional overrides can be dropped from its strings.
    pub fn prints_terminal_text(&self) -> bool {
        match self {
            Task::Check { json, .. } => !json,
            Task::Cost { format, .. }
            | Task::Rank { format, .. }
            | Task::Explain { format, .. }
            | Task::Sensitivity { format, .. }
            | Task::Diff { format, .. }
            | Task::Questions { format, .. }
            | Task::List { format, .. }
            | Task::Project { format, .. } => *format == Format::Table,
            Task::SourcesCheck(args) => args.format == Format::Table,
            Task::Report { .. } => true,
            Task::Schema { .. }
            | Task::Init { .. }
            | Task::NewProvider { .. }
            | Task::Completions { .. }
            | Task::NewScenario { .. }
            | Task::Man { .. } => false,
        }
    }
}

impl Config {
    /// Resolves parsed arguments, rejecting values clap cannot check.
    pub fn from_cli(cli: Cli) -> Result<Config, Error> {
        let sim = match &cli.command {
            Command::Cost(a) => Some(&a.sim),
            Command::Project(a) => Some(&a.sim),
            Command::Rank(a) => Some(&a.sim),
            Command::Sensitivity(a) => Some(&a.sim),
            Command::Questions(a) => Some(&a.sim),
            Command::Report(a) => Some(&a.sim),
            _ => None,
        };
        let simulation = sim.map(settings).transpose()?.unwrap_or_default();
        let quotes = match &cli.command {
            Command::Cost(a) => a.quotes.quotes.clone(),
            Command::Project(a) => a.quotes.quotes.clone(),
            Command::Rank(a) => a.quotes.quotes.clone(),
            Command::Explain(a) => a.quotes.quotes.clone(),
            Command::Sensitivity(a) => a.quotes.quotes.clone(),
            Command::Questions(a) => a.quotes.quotes.clone(),
            Command::Report(a) => a.quotes.quotes.clone(),
            _ => Vec::new(),
        };
        let task = match cli.command {
            Command::Check(a) => Task::Check {
                as_of: parse_as_of(a.as_of.as_deref())?,
                max_age_days: i64::from(a.max_age),
                json: a.json || a.format == crate::cli::CheckFormatArg::Json,
            },
            Command::Schema(a) => Task::Schema { kind: a.kind },
            Command::Sources(crate::cli::SourcesCommand::Check(a)) => {
                if a.concurrency == 0 || a.concurrency > 32 {
                    return Err(Error::usage(
                        format!("`--concurrency` = {} is out of range", a.concurrency),
                        Some("use 1 to 32 requests in flight".into()),
                    ));
                }
                if a.timeout == 0 || a.timeout > 300 {
                    return Err(Error::usage(
                        format!("`--timeout` = {} is out of range", a.timeout),
                        Some("use 1 to 300 seconds".into()),
                    ));
                }
                Task::SourcesCheck(SourcesCheck {
                    provider: a.provider,
                    format: match a.format {
                        crate::cli::SourcesFormatArg::Table => Format::Table,
                        crate::cli::SourcesFormatArg::Json => Format::Json,
                        crate::cli::SourcesFormatArg::Markdown => Format::Markdown,
                    },
                    update: a.update,
                    strict: a.strict,
                    allow_private: a.allow_private,
                    timeout: std::time::Duration::from_secs(a.timeout),
                    concurrency: a.concurrency,
                })
            }
            Command::Cost(a) => Task::Cost {
                scenario: a.scenario,
                at: a.at.as_deref().map(parse_counts).transpose()?,
                explain: a.explain,
                providers: a.providers.as_deref().map(parse_ids).transpose()?,
                format: a.format.into(),
            },
            Command::Rank(a) => Task::Rank {
                scenario: a.scenario,
                weights: a.weights.as_deref().map(parse_weights).transpose()?,
                format: a.format.into(),
            },
            Command::Explain(a) => Task::Explain {
                provider: a.provider,
                scenario: a.scenario,
                vs: a.vs,
                weights: a.weights.as_deref().map(parse_weights).transpose()?,
                format: a.format.into(),
            },
            Command::Sensitivity(a) => Task::Sensitivity {
                scenario: a.scenario,
                draws: simulation.draws,
                seed: simulation.seed,
                weights: a.weights.as_deref().map(parse_weights).transpose()?,
                format: a.format.into(),
            },
            Command::Questions(a) => Task::Questions {
                scenario: a.scenario,
                format: a.format.into(),
            },
            Command::Report(a) => Task::Report {
                out: a.out.unwrap_or_else(|| cli.catalog.join("reports")),
                check: a.check,
                force: a.force,
                max_age_days: i64::from(a.max_age),
            },
            Command::Diff(a) => Task::Diff {
                base: a.base,
                head: a.head,
                scenarios: a.scenario,
                format: match a.format {
                    crate::cli::DiffFormatArg::Table => Format::Table,
                    crate::cli::DiffFormatArg::Markdown => Format::Markdown,
                    crate::cli::DiffFormatArg::Json => Format::Json,
                },
                fail_above: a.fail_above.as_deref().map(parse_threshold).transpose()?,
                as_of: parse_as_of(a.as_of.as_deref())?,
                max_age_days: i64::from(a.max_age),
            },
            Command::Init(a) => Task::Init {
                dir: a.dir.unwrap_or_else(|| cli.catalog.clone()),
            },
            Command::New(crate::cli::NewCommand::Provider { id }) => Task::NewProvider { id },
            Command::Completions(a) => Task::Completions { shell: a.shell },
            Command::Man(a) => Task::Man { out: a.out },
            Command::List(a) => Task::List {
                kind: match a.kind {
                    crate::cli::ListKindArg::Providers => ListKind::Providers,
                    crate::cli::ListKindArg::Scenarios => ListKind::Scenarios,
                },
                format: a.format.into(),
            },
            Command::New(crate::cli::NewCommand::Scenario { id }) => Task::NewScenario { id },
            Command::Project(a) => Task::Project {
                scenario: a.scenario,
                providers: a.providers.as_deref().map(parse_ids).transpose()?,
                format: a.format.into(),
            },
        };
        let width = table_width(
            cli.wide,
            cli.width,
            std::env::var("COLUMNS").ok().as_deref(),
        );
        Ok(Config {
            catalog: cli.catalog,
            task,
            simulation,
            quotes,
            width,
        })
    }
}

/// The width terminal tables fit: `--width` when given; nothing with `--wide`; on a terminal,
/// `COLUMNS` or else the terminal's size. Output that is not a terminal (a pipe, a file, a
/// test) keeps the wide layout unless `--width` says otherwise, so it never depends on the
/// window it happens to be produced in.
fn table_width(wide: bool, width: Option<u16>, columns: Option<&str>) -> Option<u16> {
    use std::io::IsTerminal;
    if wide {
        return None;
    }
    if width.is_some() {
        return width;
    }
    if !std::io::stdout().is_terminal() {
        return None;
    }
    columns
        .and_then(|c| c.trim().parse::<u16>().ok())
        .filter(|c| *c >= MIN_WIDTH)
        .or_else(|| comfy_table::Table::new().width())
        .map(|w| w.max(MIN_WIDTH))
}

/// The narrowest table width `--width` takes (and the least a terminal is assumed to have).
pub const MIN_WIDTH: u16 = 40;

/// The most customer counts `--at` takes (20,000 aborted at a 1 GiB allocation cap).
pub const MAX_AT_COUNTS: usize = 100;

/// Parses `--at 100,1000` into sorted, distinct customer counts.
pub fn parse_counts(text: &str) -> Result<Vec<u64>, Error> {
    let mut out = Vec::new();
    if text.trim().is_empty() {
        return Err(Error::usage(
            "`--at` is empty",
            Some("give customer counts separated by commas, e.g. `--at 100,1000`".into()),
        ));
    }
    for part in text.split(',').map(str::trim) {
        let n: u64 = part.replace('_', "").parse().map_err(|_| {
            Error::usage(
                format!("`--at` value `{part}` is not a whole customer count"),
                Some("use whole numbers separated by commas, e.g. `--at 100,1000`".into()),
            )
        })?;
        if n == 0 || n > MAX_CUSTOMERS {
            return Err(Error::usage(
                format!("`--at` value `{n}` is out of range"),
                Some(format!("use 1 to {MAX_CUSTOMERS} customers")),
            ));
        }
        if !out.contains(&n) {
            out.push(n);
        }
        if out.len() > MAX_AT_COUNTS {
            return Err(Error::usage(
                format!("`--at` has more than {MAX_AT_COUNTS} customer counts"),
                Some(
                    "for a curve over many counts use `scimeter project`, or the report's charts"
                        .into(),
                ),
            ));
        }
    }
    out.sort_unstable();
    Ok(out)
}

fn parse_ids(text: &str) -> Result<Vec<String>, Error> {
    // A repeated id is dropped, keeping the first: two copies of one provider would print
    // every row twice and split P(cheapest) between them, since they draw the same costs.
    let mut ids: Vec<String> = Vec::new();
    for id in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if !ids.iter().any(|seen| seen == id) {
            ids.push(id.to_owned());
        }
    }
    if ids.is_empty() {
        return Err(Error::usage(
            "`--providers` names no provider",
            Some("give provider ids separated by commas, e.g. `--providers workos,clerk`".into()),
        ));
    }
    Ok(ids)
}

/// Parses `ease=2,pricing=1` into weight overrides; the axes not named keep the scenario's
/// weights. Negative or non-finite weights, unknown or repeated axes and an empty list are
/// rejected (an all-zero result is rejected when the weights are combined).
pub fn parse_weights(text: &str) -> Result<WeightOverrides, Error> {
    use crate::score::Axis;
    if text.split(',').all(|p| p.trim().is_empty()) {
        return Err(Error::usage(
            "`--weights` is empty",
            Some("name at least one axis, e.g. `--weights ease=2,pricing=1`; leave the option out to use the scenario's weights".into()),
        ));
    }
    let mut w: WeightOverrides = [None; 5];
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((key, value)) = part.split_once('=') else {
            return Err(Error::usage(
                format!("`--weights` entry `{part}` is not `axis=weight`"),
                Some("for example `--weights ease=2,pricing=1`".into()),
            ));
        };
        let key = key.trim();
        let Some(axis) = Axis::ALL.iter().find(|a| a.key() == key) else {
            return Err(Error::usage(
                format!("unknown axis `{key}` in `--weights`"),
                Some(crate::load::suggest::help_for(
                    key,
                    Axis::ALL.iter().map(|a| a.key()),
                )),
            ));
        };
        let v: f64 = value.trim().parse().map_err(|_| {
            Error::usage(
                format!("weight `{value}` for `{key}` is not a number"),
                None,
            )
        })?;
        if !v.is_finite() || v < 0.0 {
            return Err(Error::usage(
                format!("weight `{key}` = {v} is invalid"),
                Some("a finite number of at least 0".into()),
            ));
        }
        if w[axis.index()].replace(v).is_some() {
            return Err(Error::usage(
                format!("axis `{key}` is given twice in `--weights`"),
                Some("name each axis at most once".into()),
            ));
        }
    }
    Ok(w)
}

/// `--weights` as given: a raw weight for each named axis; the axes left out keep the
/// scenario's weights.
pub type WeightOverrides = [Option<f64>; 5];

/// Parses `--fail-above`.
pub fn parse_threshold(text: &str) -> Result<crate::diff::threshold::Threshold, Error> {
    const HINT: &str = "use a percentage such as `10%` or an amount such as `500`; \
                        `-10%` watches decreases, `±10%` both";
    text.parse().map_err(|e: String| {
        Error::usage(format!("invalid `--fail-above`: {e}"), Some(HINT.into()))
    })
}

/// Parses `--as-of` (default: today, from the clock).
fn parse_as_of(text: Option<&str>) -> Result<Date, Error> {
    match text {
        Some(s) => s.parse::<Date>().map_err(|e| {
            Error::usage(
                format!("invalid `--as-of`: {e}"),
                Some("use a date such as `2026-11-28`".into()),
            )
        }),
        None => Ok(Date::today_utc()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_provider_ids_are_kept_once_in_their_first_order() {
        let ids = parse_ids("workos, clerk,workos,,stytch,clerk").unwrap();
        assert_eq!(ids, ["workos", "clerk", "stytch"]);
        assert!(parse_ids(" , ,").is_err());
    }
}
