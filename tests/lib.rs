//! Integration tests, compiled as one binary (one link instead of one per file).

mod common;

mod check;
mod cli_costs;
mod cli_diff;
mod cli_html;
mod cli_report;
mod cli_scaffold;
mod cli_scoring;
mod cli_sources;
mod cli_uncertainty;
mod cli_workbook;
mod robustness;
mod schema;
