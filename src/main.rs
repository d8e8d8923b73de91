//! The `scimeter` binary: parse arguments, run, exit with the typed status.

use std::process::ExitCode;

fn main() -> ExitCode {
    scimeter::run(std::env::args_os()).into()
}
