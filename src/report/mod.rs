//! Reports: pure exporters (data in, bytes out) and the one writer that touches the disk.

pub mod chart;
pub mod charts;
pub mod csv_export;
pub mod json_export;
pub mod markdown;
pub mod scenario_report;
pub mod table;
pub mod writer;
