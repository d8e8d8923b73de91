//! Fuzz target (b): the bytes are a scenario file (`scenarios/example.toml`), loaded with the
//! fixed example provider. Parsing and validation must never panic; a file that loads is
//! also costed, scored and exported.

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(catalog) = common::load_and_check(common::pair(common::PROVIDER, data)) {
        common::compute(&catalog);
    }
});
