//! Reports: pure exporters (data in, bytes out) and the one writer that touches the disk.

pub mod build;
pub mod chart;
pub mod charts;
pub mod cost_table;
pub mod csv_export;
pub mod escape;
pub mod estimate_table;
pub mod html_export;
pub mod json_export;
pub mod json_layout;
pub mod markdown;
pub mod projection_table;
pub mod prose;
pub mod question_table;
pub mod ranking_table;
pub mod scenario_report;
pub mod sensitivity_table;
pub mod table;
pub mod workbook;
pub mod writer;
