//! The `scimeter` binary: parse arguments, run, exit with the typed status.

use std::process::ExitCode;

fn main() -> ExitCode {
    // `COMPLETE=bash scimeter` prints a completion script that calls back here to complete
    // scenario and provider ids from the catalog; without `COMPLETE` this returns at once.
    clap_complete::CompleteEnv::with_factory(<scimeter::cli::Cli as clap::CommandFactory>::command)
        .complete();
    scimeter::run(std::env::args_os()).into()
}
