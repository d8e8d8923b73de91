//! The resolved configuration: command-line values checked and converted into the types the
//! core uses. Nothing below this layer sees clap.

use crate::cli::{Cli, Command, FormatArg, SchemaKind};
use crate::cost::growth::MAX_CUSTOMERS;
use crate::error::Error;
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

/// The resolved configuration of one run.
#[derive(Debug, Clone)]
pub struct Config {
    /// The catalog directory.
    pub catalog: PathBuf,
    /// The task.
    pub task: Task,
}

impl Config {
    /// Resolves parsed arguments, rejecting values clap cannot check.
    pub fn from_cli(cli: Cli) -> Result<Config, Error> {
        let task = match cli.command {
            Command::Check(a) => Task::Check {
                as_of: match a.as_of {
                    Some(s) => s.parse::<Date>().map_err(|e| Error::usage(format!("invalid `--as-of`: {e}"), Some("use a date such as `2026-11-28`".into())))?,
                    None => Date::today_utc(),
                },
                max_age_days: i64::from(a.max_age),
                json: a.json,
            },
            Command::Schema(a) => Task::Schema { kind: a.kind },
            Command::Cost(a) => Task::Cost {
                scenario: a.scenario,
                at: a.at.as_deref().map(parse_counts).transpose()?,
                explain: a.explain,
                providers: a.providers.as_deref().map(parse_ids),
                format: a.format.into(),
            },
            Command::Project(a) => Task::Project { scenario: a.scenario, providers: a.providers.as_deref().map(parse_ids), format: a.format.into() },
        };
        Ok(Config { catalog: cli.catalog, task })
    }
}

/// Parses `100,1000` into customer counts.
pub fn parse_counts(text: &str) -> Result<Vec<u64>, Error> {
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim) {
        let n: u64 = part.replace('_', "").parse().map_err(|_| {
            Error::usage(format!("`--at` value `{part}` is not a whole customer count"), Some("use whole numbers separated by commas, e.g. `--at 100,1000`".into()))
        })?;
        if n == 0 || n > MAX_CUSTOMERS {
            return Err(Error::usage(format!("`--at` value `{n}` is out of range"), Some(format!("use 1 to {MAX_CUSTOMERS} customers"))));
        }
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out.sort_unstable();
    Ok(out)
}

fn parse_ids(text: &str) -> Vec<String> {
    text.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect()
}
