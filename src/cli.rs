//! Command-line parsing (clap). Parsed arguments are resolved into a [`crate::config::Config`]
//! before anything runs; the core never sees clap types.

use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};
use std::path::PathBuf;

/// Choose a SCIM 2.0 (directory sync) vendor and know what it will cost.
#[derive(Debug, Parser)]
#[command(name = "scimeter", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    /// The catalog directory (holding `providers/` and `scenarios/`).
    #[arg(long, global = true, value_name = "DIR", default_value = ".")]
    pub catalog: PathBuf,
    /// Fit terminal tables to this many columns (default: the terminal's width when printing
    /// to one, else no limit).
    #[arg(long, global = true, value_name = "COLUMNS", value_parser = clap::value_parser!(u16).range(40..=1000), conflicts_with = "wide")]
    pub width: Option<u16>,
    /// Keep every table cell on one line, however wide the table gets.
    #[arg(long, global = true)]
    pub wide: bool,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Output formats for commands that print data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// A terminal table.
    Table,
    /// CSV with raw decimals.
    Csv,
    /// JSON with money as decimal strings.
    Json,
    /// GitHub-flavoured markdown.
    Markdown,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the catalog: every problem in every file, or a one-line summary.
    #[command(after_help = "Example:\n  scimeter check --as-of 2026-11-28 --max-age 180")]
    Check(CheckArgs),
    /// Print the JSON Schema of provider or scenario files, for editor validation.
    #[command(after_help = "Example:\n  scimeter schema provider > provider.schema.json")]
    Schema(SchemaArgs),
    /// Cost per provider at chosen customer counts: plan, line items, monthly and annual cost.
    #[command(after_help = "Example:\n  scimeter cost --scenario baseline --at 100,1000 --explain")]
    Cost(CostArgs),
    /// Cost over time: monthly and cumulative series, cheapest provider per band, crossovers.
    #[command(
        after_help = "Example:\n  scimeter project --scenario baseline --format csv > baseline.csv"
    )]
    Project(ProjectArgs),
    /// Rank providers for a scenario: total, the five axis scores, margins, exclusions.
    #[command(
        after_help = "Examples:\n  scimeter rank --scenario baseline\n  scimeter rank --scenario baseline --weights ease=3,pricing=2 --format markdown"
    )]
    Rank(RankArgs),
    /// What to ask each vendor: the unknowns ranked by how much learning them would change
    /// the decision.
    #[command(after_help = "Example:\n  scimeter questions --scenario baseline --format markdown")]
    Questions(QuestionsArgs),
    /// Explain one provider's score and costs: fact → level → value → weighted contribution.
    #[command(
        after_help = "Examples:\n  scimeter explain workos --scenario baseline\n  scimeter explain clerk --scenario baseline --vs workos"
    )]
    Explain(ExplainArgs),
    /// How robust the ranking is: weight stability intervals, critical axis, SMAA.
    #[command(
        after_help = "Example:\n  scimeter sensitivity --scenario baseline --draws 10000 --seed 42"
    )]
    Sensitivity(SensitivityArgs),
    /// Regenerate reports/ for every scenario; with --check, write nothing and fail if stale.
    #[command(
        after_help = "Examples:\n  scimeter report\n  scimeter report --check   # in CI: exit 1 and list stale files"
    )]
    Report(ReportArgs),
    /// What a pricing change did: changed facts and prices, cost and ranking impact.
    #[command(
        after_help = "Examples:\n  scimeter diff --base HEAD                 # work tree vs the last commit\n  scimeter diff --base main --format markdown --fail-above 10%\n  scimeter diff --base ../old-catalog --head ."
    )]
    Diff(DiffArgs),
    /// Start a catalog: an example provider and scenario, schemas and a README.
    #[command(
        after_help = "Example:\n  scimeter init my-evaluation && scimeter --catalog my-evaluation check"
    )]
    Init(InitArgs),
    /// Add something to the catalog from a commented template.
    #[command(subcommand, after_help = "Example:\n  scimeter new provider acme")]
    New(NewCommand),
    /// Print a static shell completion script (commands and options). For scenario and
    /// provider ids completed from the catalog, source `COMPLETE=<shell> scimeter` instead.
    #[command(
        after_help = "Examples:\n  scimeter completions bash > ~/.local/share/bash-completion/completions/scimeter\n  echo 'source <(COMPLETE=bash scimeter)' >> ~/.bashrc   # also completes ids: --scenario <TAB>"
    )]
    Completions(CompletionsArgs),
    /// Watch the cited pages: fetch every source and compare its fingerprint with the
    /// catalog's, to learn when a vendor changed a price.
    #[command(
        subcommand,
        after_help = "Examples:\n  scimeter sources check\n  scimeter sources check --provider workos --format markdown\n  scimeter sources check --update"
    )]
    Sources(SourcesCommand),
    /// List the catalog's providers or scenarios: ids, names and the facts that tell them apart.
    #[command(
        after_help = "Examples:\n  scimeter list providers\n  scimeter list scenarios --format json"
    )]
    List(ListArgs),
    /// Print the man page (roff), or write one page per command into a directory.
    #[command(
        after_help = "Examples:\n  scimeter man > scimeter.1 && man ./scimeter.1\n  scimeter man --out man/ && man -M man scimeter-cost"
    )]
    Man(ManArgs),
}

/// Arguments of `list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// What to list.
    #[arg(value_enum)]
    pub kind: ListKindArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
}

/// What `list` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListKindArg {
    /// The provider files.
    Providers,
    /// The scenario files.
    Scenarios,
}

/// Arguments of `man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write `scimeter.1` and one `scimeter-<command>.1` per command into this directory
    /// (created if missing) instead of printing the main page.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// What `new` creates.
#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// A provider file whose comments walk through the evaluation checklist; every fact starts
    /// `unknown`.
    #[command(after_help = "Example:\n  scimeter new provider acme")]
    Provider {
        /// The id (also the file name): lower-case letters, digits, `-`, `_`.
        id: String,
    },
    /// A scenario file: the commented example with every key, under a new id, to edit.
    #[command(after_help = "Example:\n  scimeter new scenario series-b")]
    Scenario {
        /// The id (also the file name and the report directory): lower-case letters, digits,
        /// `-`, `_`.
        id: String,
    },
}

/// What `sources` does.
#[derive(Debug, Subcommand)]
pub enum SourcesCommand {
    /// Fetch every source and report it as unchanged, changed (with the facts it backs),
    /// unreachable or never fingerprinted. Exit status 1 when any source changed.
    #[command(
        after_help = "Exit status: 0 when no source changed (or, with --update, every change was recorded); 1 when one did, or a change could not be recorded (the selector matches nothing, the page is not HTML), or, with --strict, a source could not be read; 2 on invalid input or usage.\n\nExample:\n  scimeter sources check --update && scimeter diff --base HEAD"
    )]
    Check(SourcesCheckArgs),
}

/// Arguments of `sources check`.
#[derive(Debug, Args)]
pub struct SourcesCheckArgs {
    /// Only this provider's sources.
    #[arg(long, value_name = "ID", add = ArgValueCandidates::new(provider_ids))]
    pub provider: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SourcesFormatArg::Table)]
    pub format: SourcesFormatArg,
    /// Write the new fingerprints and today's `retrieved` date into the provider files for
    /// every changed or never-fingerprinted source (nothing else in the files changes).
    #[arg(long)]
    pub update: bool,
    /// Treat an unreachable source as a failure (exit status 1), not a warning.
    #[arg(long)]
    pub strict: bool,
    /// Allow sources on loopback and private addresses (refused by default, so that a
    /// catalog cannot make a CI runner probe its own network).
    #[arg(long)]
    pub allow_private: bool,
    /// Seconds allowed per request.
    #[arg(long, value_name = "SECONDS", default_value_t = 20)]
    pub timeout: u64,
    /// Requests in flight at once.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub concurrency: usize,
}

/// Output formats of `sources check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SourcesFormatArg {
    /// A terminal table.
    Table,
    /// JSON.
    Json,
    /// GitHub-flavoured markdown.
    Markdown,
}

/// Arguments of `init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Directory to create the catalog in (default: `--catalog`, i.e. the current directory).
    pub dir: Option<PathBuf>,
}

/// Arguments of `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Reference date for staleness warnings (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    /// Warn about providers verified more than this many days before `--as-of`.
    #[arg(long, value_name = "DAYS", default_value_t = 180)]
    pub max_age: u32,
    /// Print diagnostics as JSON (same as `--format json`).
    #[arg(long)]
    pub json: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormatArg::Text)]
    pub format: CheckFormatArg,
}

/// Which schema to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// `providers/*.toml`.
    Provider,
    /// `scenarios/*.toml`.
    Scenario,
}

/// Arguments of `schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which file kind.
    #[arg(value_enum)]
    pub kind: SchemaKind,
}

/// Monte Carlo settings shared by every command that costs or ranks.
#[derive(Debug, Clone, Args)]
pub struct SimArgs {
    /// Monte Carlo draws for the estimated view, P(cheapest) and the joint robustness
    /// (1 to 1,000,000).
    #[arg(long, default_value_t = 10_000)]
    pub draws: usize,
    /// Seed of the Monte Carlo (printed with the results; same seed, same output).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

/// Buyer quotes beyond the catalog's `quotes/` directory.
#[derive(Debug, Clone, Args)]
pub struct QuotesArg {
    /// A quotes file (`[[quotes]]` entries) that overrides catalog prices for this buyer;
    /// repeatable. The catalog's `quotes/*.toml` are always read.
    #[arg(long, value_name = "FILE")]
    pub quotes: Vec<PathBuf>,
}

/// Arguments of `questions`.
#[derive(Debug, Args)]
pub struct QuestionsArgs {
    /// Scenario id.
    #[arg(long, short, add = ArgValueCandidates::new(scenario_ids))]
    pub scenario: String,
    /// Monte Carlo settings.
    #[command(flatten)]
    pub sim: SimArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
    /// Buyer quotes.
    #[command(flatten)]
    pub quotes: QuotesArg,
}

/// Arguments of `cost`.
#[derive(Debug, Args)]
pub struct CostArgs {
    /// Scenario id.
    #[arg(long, short, add = ArgValueCandidates::new(scenario_ids))]
    pub scenario: String,
    /// Customer counts, comma-separated (default: the scenario's milestones).
    #[arg(long, value_name = "N,N,…")]
    pub at: Option<String>,
    /// Show every line item with its arithmetic and source.
    #[arg(long)]
    pub explain: bool,
    /// Only these providers (comma-separated ids).
    #[arg(long, value_name = "ID,…")]
    pub providers: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
    /// Monte Carlo settings.
    #[command(flatten)]
    pub sim: SimArgs,
    /// Buyer quotes.
    #[command(flatten)]
    pub quotes: QuotesArg,
}

/// Arguments of `project`.
#[derive(Debug, Args)]
pub struct ProjectArgs {
    /// Scenario id.
    #[arg(long, short, add = ArgValueCandidates::new(scenario_ids))]
    pub scenario: String,
    /// Only these providers (comma-separated ids).
    #[arg(long, value_name = "ID,…")]
    pub providers: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
    /// Monte Carlo settings.
    #[command(flatten)]
    pub sim: SimArgs,
    /// Buyer quotes.
    #[command(flatten)]
    pub quotes: QuotesArg,
}

/// Arguments of `rank`.
#[derive(Debug, Args)]
pub struct RankArgs {
    /// Scenario id.
    #[arg(long, short, add = ArgValueCandidates::new(scenario_ids))]
    pub scenario: String,
    /// Override some of the scenario's weights, e.g. `ease=2,pricing=1`; axes not named keep
    /// the scenario's weights.
    #[arg(long, value_name = "AXIS=W,…")]
    pub weights: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
    /// Monte Carlo settings.
    #[command(flatten)]
    pub sim: SimArgs,
    /// Buyer quotes.
    #[command(flatten)]
    pub quotes: QuotesArg,
}

/// Arguments of `explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Provider id.
    #[arg(add = ArgValueCandidates::new(provider_ids))]
    pub provider: String,
    /// Scenario id.
    #[arg(long, short, add = ArgValueCandidates::new(scenario_ids))]
    pub scenario: String,
    /// Compare with this provider: the score difference by axis and what would make them tie.
    #[arg(long, value_name = "ID", add = ArgValueCandidates::new(provider_ids))]
    pub vs: Option<String>,
    /// Override some of the scenario's weights, e.g. `ease=2,pricing=1`; axes not named keep
    /// the scenario's weights.
    #[arg(long, value_name = "AXIS=W,…")]
    pub weights: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
    /// Buyer quotes.
    #[command(flatten)]
    pub quotes: QuotesArg,
}

/// Arguments of `sensitivity`.
#[derive(Debug, Args)]
pub struct SensitivityArgs {
    /// Scenario id.
    #[arg(long, short, add = ArgValueCandidates::new(scenario_ids))]
    pub scenario: String,
    /// Monte Carlo settings (SMAA weight draws and the joint model).
    #[command(flatten)]
    pub sim: SimArgs,
    /// Override some of the scenario's weights, e.g. `ease=2,pricing=1`; axes not named keep
    /// the scenario's weights.
    #[arg(long, value_name = "AXIS=W,…")]
    pub weights: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
    /// Buyer quotes.
    #[command(flatten)]
    pub quotes: QuotesArg,
}

/// Arguments of `report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Output directory (default: `reports/` inside the catalog).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write nothing; exit 1 and list the files that differ, are missing or are no longer
    /// generated.
    #[arg(long)]
    pub check: bool,
    /// Overwrite files in the output directory that scimeter did not write (files its
    /// manifest does not list); without it such a run stops before writing anything.
    #[arg(long)]
    pub force: bool,
    /// Flag providers verified more than this many days before the catalog's newest
    /// `verified` date (reports never read the clock).
    #[arg(long, value_name = "DAYS", default_value_t = 180)]
    pub max_age: u32,
    /// Monte Carlo settings.
    #[command(flatten)]
    pub sim: SimArgs,
    /// Buyer quotes.
    #[command(flatten)]
    pub quotes: QuotesArg,
}

/// Arguments of `diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The base catalog: a git revision of the catalog's repository, or a directory.
    #[arg(long, value_name = "REV|DIR")]
    pub base: String,
    /// The head catalog (default: the work tree of `--catalog`).
    #[arg(long, value_name = "REV|DIR")]
    pub head: Option<String>,
    /// Only these scenarios (repeatable; default: all of the head's).
    #[arg(long, short, value_name = "ID")]
    pub scenario: Vec<String>,
    /// Exit 1 when a milestone or horizon cost changes by more than this: `10%` or `500`
    /// (increases), `-10%` (decreases), `±10%` (either way). A partly unknown cost counts by
    /// its known part, and by each tier-mode reading where the mode is its only unknown.
    #[arg(long, value_name = "PCT%|AMOUNT", allow_hyphen_values = true)]
    pub fail_above: Option<String>,
    /// Reference date for staleness (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    /// Flag providers verified more than this many days before `--as-of`.
    #[arg(long, value_name = "DAYS", default_value_t = 180)]
    pub max_age: u32,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormatArg::Table)]
    pub format: DiffFormatArg,
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormatArg {
    /// Rendered diagnostics with source snippets; when valid, the research-coverage table and
    /// a one-line summary.
    Text,
    /// Every diagnostic as data.
    Json,
}

/// Output formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormatArg {
    /// Text for the terminal.
    Table,
    /// A pull-request comment: summary first, details folded.
    Markdown,
    /// Everything as data.
    Json,
}

/// Completion candidates: the scenario ids of the catalog being completed in.
fn scenario_ids() -> Vec<CompletionCandidate> {
    catalog_ids("scenarios")
}

/// Completion candidates: the provider ids of the catalog being completed in.
fn provider_ids() -> Vec<CompletionCandidate> {
    catalog_ids("providers")
}

/// The ids in `<catalog>/<sub>/*.toml` (a file's stem is its id; `check` enforces it), each
/// with its `name` as the help text, sorted. The catalog is the `--catalog` value on the
/// command line being completed (`--catalog DIR` or `--catalog=DIR`), else the current
/// directory. As in loading, only a real folder and regular files in it are read (a symbolic
/// link is never followed) and a stem that is not an id is skipped; the name reaches the shell
/// without control characters. Unreadable files still offer their id; nothing here can fail
/// the shell (the words may be any bytes).
fn catalog_ids(sub: &str) -> Vec<CompletionCandidate> {
    let words: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let catalog = words
        .iter()
        .enumerate()
        .find_map(|(i, w)| {
            if w == "--catalog" {
                words.get(i + 1).map(PathBuf::from)
            } else {
                w.to_str()
                    .and_then(|w| w.strip_prefix("--catalog="))
                    .map(PathBuf::from)
            }
        })
        .unwrap_or_else(|| PathBuf::from("."));
    let dir = catalog.join(sub);
    let is_real_dir = std::fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir());
    let Some(entries) = is_real_dir.then(|| std::fs::read_dir(&dir).ok()).flatten() else {
        return Vec::new();
    };
    let mut ids: Vec<(String, Option<String>)> = entries
        .flatten()
        .filter_map(|e| {
            let path = e.path();
            let id = path
                .file_name()?
                .to_str()?
                .strip_suffix(".toml")?
                .to_owned();
            crate::model::Id::parse(&id).ok()?;
            // Small files only: completion must stay instant.
            let name = std::fs::symlink_metadata(&path)
                .ok()
                .filter(|m| m.is_file() && m.len() < 1 << 20)
                .and_then(|_| std::fs::read_to_string(&path).ok())
                .and_then(|text| text.parse::<toml::Table>().ok())
                .and_then(|t| {
                    t.get("name")
                        .and_then(|n| n.as_str())
                        .map(|n| crate::report::escape::terminal(n).into_owned())
                });
            Some((id, name))
        })
        .collect();
    ids.sort();
    ids.into_iter()
        .map(|(id, name)| CompletionCandidate::new(id).help(name.map(Into::into)))
        .collect()
}
