//! scimeter: choose a SCIM 2.0 (directory sync) vendor and know what it will cost.
//!
//! The pipeline is [`load`] (TOML → validated [`model`] values) → [`cost`] and [`score`] →
//! [`report`] (pure exporters) → one atomic writer. [`run`] is the whole program; `main` only
//! calls it.

pub mod app;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod cost;
pub mod diff;
pub mod error;
pub mod estimate;
pub mod exit;
pub mod load;
pub mod model;
mod parallel;
mod regular_file;
pub mod report;
pub mod score;
pub mod sources;
pub mod synthetic;

pub use app::run;
pub use exit::ExitStatus;
