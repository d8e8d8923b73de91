//! Helpers shared by the integration tests.

#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The scimeter binary built by cargo for these tests.
pub fn scimeter() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_scimeter"));
    cmd.env("NO_COLOR", "1");
    cmd
}

/// The repository root (where `providers/` and `scenarios/` of the shipped catalog live).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture directory under `tests/fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    repo().join("tests").join("fixtures").join(rel)
}

/// Copies a directory tree (for tests that modify a catalog).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The first `name` on `PATH` that is a file, if any (for tests that drive a real program).
pub fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|c| c.is_file())
}
