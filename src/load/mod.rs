//! Loading a catalog: read every TOML file, parse it strictly, validate it semantically, and
//! collect every problem (with file, line, column, key, expectation and suggestion) in one run.

pub mod catalog;
pub mod catalog_dir;
mod context;
pub mod diagnostic;
pub mod key_path;
pub mod options;
mod quotes;
pub mod source_file;
pub mod suggest;
mod validate_provider;
mod validate_scenario;

pub use catalog::{Catalog, load_catalog};
pub use diagnostic::{Diagnostic, Diagnostics, Severity};
pub use key_path::KeyPath;
pub use options::LoadOptions;
pub use source_file::SourceFile;
#[cfg(test)]
mod fuzz_tests;

/// The shipped catalog, as of 2026-11-29 and with no staleness limit: the catalog most unit
/// tests run on.
#[cfg(test)]
pub(crate) fn shipped() -> Catalog {
    load_catalog(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
        LoadOptions {
            as_of: "2026-11-29".parse().expect("a valid date"),
            max_age_days: i64::MAX,
        },
    )
    .catalog
    .expect("the shipped catalog loads")
}
