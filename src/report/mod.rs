//! Reports: pure exporters (data in, bytes out) and the one writer that touches the disk.

pub mod chart;
pub mod table;
