//! Where a catalog comes from: a directory, or a git revision read without touching the work
//! tree (`git ls-tree` + `git show REV:path`).

use crate::load::catalog::{Loaded, RawFile, load_files, load_read};
use crate::load::catalog_dir::read_catalog_dir;
use crate::load::{Diagnostics, LoadOptions};
use std::path::Path;
use std::process::Command;

/// Loads `spec` as a directory if one exists at that path, else as a git revision of the
/// repository containing `catalog`. The label says which, for output.
pub fn load(spec: &str, catalog: &Path, options: LoadOptions) -> Result<(String, Loaded), String> {
    let as_dir = Path::new(spec);
    if as_dir.is_dir() {
        let read = read_catalog_dir(as_dir).map_err(|d| d.message)?;
        return Ok((
            format!("directory `{spec}`"),
            load_read(read, Vec::new(), options),
        ));
    }
    let looks_like_path = spec.starts_with('.')
        || spec.starts_with('/')
        || spec.contains(std::path::MAIN_SEPARATOR) && !spec.contains('^') && !spec.contains('~');
    let raw = read_revision(spec, catalog).map_err(|e| {
        if looks_like_path && !as_dir.exists() {
            format!("directory `{spec}` does not exist")
        } else {
            e
        }
    })?;
    Ok((format!("revision `{spec}`"), load_files(raw, options)))
}

/// Loads the work tree at `catalog` (the default head).
pub fn load_work_tree(catalog: &Path, options: LoadOptions) -> (String, Loaded) {
    match read_catalog_dir(catalog) {
        Ok(read) => (
            "the work tree".to_owned(),
            load_read(read, Vec::new(), options),
        ),
        Err(d) => (
            "the work tree".to_owned(),
            Loaded {
                catalog: None,
                diagnostics: Diagnostics(vec![d]),
                files: Vec::new(),
            },
        ),
    }
}

fn git(catalog: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(catalog)
        .args(args)
        .output()
        .map_err(|e| {
            format!("cannot run `git` ({e}); `--base` must be a directory or a git revision")
        })?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_owned())
    }
}

/// Reads `providers/*.toml`, `scenarios/*.toml` and `quotes/*.toml` of the catalog directory
/// as they were at revision `rev`.
pub fn read_revision(rev: &str, catalog: &Path) -> Result<Vec<RawFile>, String> {
    if rev.starts_with('-') {
        return Err(format!("`{rev}` is not a directory or a git revision"));
    }
    let commit = format!("{rev}^{{commit}}");
    git(catalog, &["rev-parse", "--verify", "--quiet", &commit]).map_err(|e| {
        let detail = if e.is_empty() {
            String::new()
        } else {
            format!(": {e}")
        };
        format!(
            "`{rev}` is neither a directory nor a git revision of the repository at `{}`{detail}",
            catalog.display()
        )
    })?;
    let listing = git(
        catalog,
        &[
            "ls-tree",
            "-r",
            "-z",
            "--name-only",
            rev,
            "--",
            "providers",
            "scenarios",
            "quotes",
        ],
    )?;
    let mut names: Vec<String> = listing
        .split(|&b| b == 0)
        .filter(|n| !n.is_empty())
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .filter(|n| {
            let parts: Vec<&str> = n.split('/').collect();
            parts.len() == 2
                && (parts[0] == "providers" || parts[0] == "scenarios" || parts[0] == "quotes")
                && std::path::Path::new(parts[1])
                    .extension()
                    .is_some_and(|e| e == "toml")
        })
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let bytes = git(catalog, &["show", &format!("{rev}:./{name}")])?;
            Ok(RawFile { name, bytes })
        })
        .collect()
}
