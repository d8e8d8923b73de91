//! scimeter: choose a SCIM 2.0 (directory sync) vendor and know what it will cost.
//!
//! The pipeline is `load` (TOML → validated [`model`] values) → `cost` and `score` →
//! `report` (pure exporters) → one atomic writer.

pub mod model;
pub mod report;
pub mod score;
