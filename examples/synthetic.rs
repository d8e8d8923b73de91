//! Writes a synthetic catalog for scale tests and benchmarks:
//!
//! ```text
//! cargo run --release --example synthetic -- --providers 1000 --scenarios 10 --months 120 --out /tmp/big
//! cargo run --release -- --catalog /tmp/big report --out /tmp/big/reports
//! ```
//!
//! The providers mix the four pricing models with random bands, plans and unknown prices; the
//! scenarios vary growth, usage and weights. The same arguments give the same files (the seed
//! is printed). The output directory must not exist yet, so nothing is ever overwritten.

use clap::Parser;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments.
#[derive(Debug, Parser)]
#[command(about = "Write a synthetic scimeter catalog for scale tests")]
struct Args {
    /// Number of provider files.
    #[arg(long, default_value_t = 1_000)]
    providers: usize,
    /// Number of scenario files.
    #[arg(long, default_value_t = 10)]
    scenarios: usize,
    /// Horizon of each scenario, in months.
    #[arg(long, default_value_t = 120)]
    months: u32,
    /// Seed of the generator.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Directory to create.
    #[arg(long)]
    out: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.out.exists() {
        eprintln!(
            "error: `{}` already exists; choose a new directory",
            args.out.display()
        );
        return ExitCode::from(2);
    }
    if args.months == 0 || args.months > 600 {
        eprintln!("error: `--months` must be 1 to 600");
        return ExitCode::from(2);
    }
    let files = scimeter::synthetic::files(args.providers, args.scenarios, args.months, args.seed);
    for f in &files {
        let path = args.out.join(&f.name);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, &f.bytes));
        if let Err(e) = written {
            eprintln!("error: cannot write `{}`: {e}", path.display());
            return ExitCode::from(2);
        }
    }
    println!(
        "wrote {} providers and {} scenarios ({} months, seed {}) to `{}`",
        args.providers,
        args.scenarios,
        args.months,
        args.seed,
        args.out.display()
    );
    ExitCode::SUCCESS
}
