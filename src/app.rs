//! The one entry point: parse, resolve, run, print, and map the outcome to an exit status.

use crate::cli::Cli;
use crate::config::{Config, Task};
use crate::error::Error;
use crate::exit::ExitStatus;
use clap::Parser;
use std::ffi::OsString;
use std::io::Write;

/// Runs scimeter with these arguments (the first is the program name) and returns the exit
/// status. Output goes to stdout, diagnostics to stderr. Never panics on user input.
pub fn run<I, T>(args: I) -> ExitStatus
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // `--help` and `--version` arrive as "errors" with exit code 0, printed on stdout:
            // a help that could not be written is an error like any other output.
            let printed = e.print();
            return match (e.exit_code(), printed) {
                (0, Ok(())) => ExitStatus::Success,
                (0, Err(w)) if w.kind() == std::io::ErrorKind::BrokenPipe => ExitStatus::Success,
                (0, Err(w)) => {
                    to_stderr(&format!("error: cannot write to stdout: {w}\n"));
                    ExitStatus::Error
                }
                _ => ExitStatus::Error,
            };
        }
    };
    let outcome = Config::from_cli(cli).and_then(|config| {
        let (status, out) = execute(&config)?;
        // Terminal text fits the width its tables were fitted to; data formats never wrap.
        Ok(match config.width {
            Some(w) if config.task.prints_terminal_text() => {
                (status, crate::report::prose::fit(&out, usize::from(w)))
            }
            _ => (status, out),
        })
    });
    match outcome {
        Ok((status, out)) => {
            let mut stdout = std::io::stdout().lock();
            // Catalog text can hold ESC or BEL: nothing of it may drive the terminal.
            let out = crate::report::escape::terminal(&out);
            match stdout
                .write_all(out.as_bytes())
                .and_then(|()| stdout.flush())
            {
                Ok(()) => status,
                // A closed pipe (`scimeter … | head`) is not an error (the Unix convention).
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => status,
                Err(e) => {
                    to_stderr(&format!("error: cannot write to stdout: {e}\n"));
                    ExitStatus::Error
                }
            }
        }
        Err(e) => {
            to_stderr(&render_error(&e));
            ExitStatus::Error
        }
    }
}

/// Writes to stderr without control characters. A failed write is ignored: `eprint!` would
/// panic (exit 101) when stderr is closed or full, and the exit status already tells.
pub fn to_stderr(text: &str) {
    let text = crate::report::escape::terminal(text);
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}

/// Runs a resolved task, returning its status and stdout text.
pub fn execute(config: &Config) -> Result<(ExitStatus, String), Error> {
    match &config.task {
        Task::Check {
            as_of,
            max_age_days,
            json,
        } => crate::cmd::check::run(config, *as_of, *max_age_days, *json),
        Task::Schema { kind } => Ok((ExitStatus::Success, crate::cmd::schema::run(*kind))),
        Task::Cost { .. } => crate::cmd::cost::run(config),
        Task::Project { .. } => crate::cmd::project::run(config),
        Task::Init { dir } => crate::cmd::scaffold::init(dir),
        Task::NewProvider { id } => crate::cmd::scaffold::new_provider(&config.catalog, id),
        Task::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(
                *shell,
                &mut <crate::cli::Cli as clap::CommandFactory>::command(),
                "scimeter",
                &mut out,
            );
            Ok((
                ExitStatus::Success,
                String::from_utf8_lossy(&out).into_owned(),
            ))
        }
        Task::SourcesCheck(args) => crate::cmd::sources::run(config, args),
        Task::Man { out } => crate::cmd::man::run(out.as_deref()),
        Task::List { .. } => crate::cmd::list::run(config),
        Task::NewScenario { id } => crate::cmd::scaffold::new_scenario(&config.catalog, id),
        Task::Diff { .. } => crate::cmd::diff::run(config),
        Task::Report { .. } => crate::cmd::report::run(config),
        Task::Rank { .. } => crate::cmd::rank::run(config),
        Task::Questions { .. } => crate::cmd::questions::run(config),
        Task::Explain { .. } => crate::cmd::explain::run(config),
        Task::Sensitivity { .. } => crate::cmd::sensitivity::run(config),
    }
}

/// The text printed to stderr for an error.
pub fn render_error(e: &Error) -> String {
    match e {
        Error::Catalog { diagnostics, files } => {
            let mut s = diagnostics.render(files);
            s.push_str(&format!(
                "\nerror: the catalog is invalid: {} error(s), {} warning(s); nothing was computed or written\n",
                diagnostics.errors(),
                diagnostics.warnings()
            ));
            s
        }
        Error::Usage { message, help } => {
            let mut s = format!("error: {message}\n");
            if let Some(h) = help {
                s.push_str(&format!("  help: {h}\n"));
            }
            s
        }
        other => format!("error: {other}\n"),
    }
}
