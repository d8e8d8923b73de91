//! Watching the cited pages (`scimeter sources check`): fetch every source, fingerprint its
//! visible text, compare with the fingerprint recorded in the catalog, and write new
//! fingerprints back (`--update`).
//!
//! The stages: [`address`] refuses URLs a hostile catalog could aim at the runner's own
//! network, [`fetch`] reads a page within bounds, [`fingerprint`] turns it into a stable hash,
//! [`watch`] runs the whole catalog and classifies each source, and [`update`] edits the
//! provider files in place without touching anything else.

pub mod address;
pub mod fetch;
pub mod fingerprint;
pub mod update;
pub mod watch;
