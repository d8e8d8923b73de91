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
            Ok(RawFile {
                name,
                bytes,
                quotes: false,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Date;

    fn options() -> LoadOptions {
        LoadOptions {
            as_of: Date {
                year: 2026,
                month: 11,
                day: 1,
            },
            max_age_days: i64::MAX,
        }
    }

    /// Runs git in `dir` with a fixed identity and no user or system configuration.
    fn run_git(dir: &Path, args: &[&str]) {
        let out = Command::new("git")
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("HOME", dir)
            .env("GIT_AUTHOR_NAME", "scimeter tests")
            .env("GIT_AUTHOR_EMAIL", "tests@example.com")
            .env("GIT_COMMITTER_NAME", "scimeter tests")
            .env("GIT_COMMITTER_EMAIL", "tests@example.com")
            .args([
                "-c",
                "init.defaultBranch=main",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn write(dir: &Path, rel: &str, text: &str) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    /// A repository whose catalog is the diff fixture, plus files a revision must not read:
    /// a nested provider, a non-TOML file, a TOML file outside the three folders.
    fn repo() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temporary directory");
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff/catalog");
        for rel in [
            "providers/alpha.toml",
            "providers/bravo.toml",
            "providers/charlie.toml",
            "scenarios/steady.toml",
        ] {
            let text = std::fs::read_to_string(fixture.join(rel)).expect("fixture");
            write(dir.path(), rel, &text);
        }
        write(dir.path(), "providers/old/alpha.toml", "not = [read");
        write(dir.path(), "providers/README.md", "# notes");
        write(dir.path(), "other/x.toml", "not = [read");
        write(dir.path(), "quotes/acme.toml", "# no quotes yet\n");
        run_git(dir.path(), &["init", "-q"]);
        run_git(dir.path(), &["add", "."]);
        run_git(dir.path(), &["commit", "-q", "-m", "base"]);
        dir
    }

    #[test]
    fn a_revision_is_read_from_git_not_the_work_tree() {
        let dir = repo();
        // The work tree changes after the commit; the revision still has the old text.
        write(dir.path(), "providers/alpha.toml", "changed = true\n");
        std::fs::remove_file(dir.path().join("providers/bravo.toml")).expect("rm");
        let files = read_revision("HEAD", dir.path()).expect("reads");
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        // Sorted; only `providers/`, `scenarios/` and `quotes/` `*.toml` one level down.
        assert_eq!(
            names,
            [
                "providers/alpha.toml",
                "providers/bravo.toml",
                "providers/charlie.toml",
                "quotes/acme.toml",
                "scenarios/steady.toml",
            ]
        );
        let alpha = String::from_utf8_lossy(&files[0].bytes);
        assert!(alpha.contains("id = \"alpha\""), "{alpha}");

        let (label, loaded) = load("HEAD", dir.path(), options()).expect("loads");
        assert_eq!(label, "revision `HEAD`");
        let catalog = loaded.catalog.expect("the committed catalog is valid");
        assert_eq!(catalog.providers.len(), 3);
    }

    #[test]
    fn a_directory_is_read_as_a_directory() {
        let dir = repo();
        let spec = dir.path().to_string_lossy().into_owned();
        let (label, loaded) = load(&spec, dir.path(), options()).expect("loads");
        assert_eq!(label, format!("directory `{spec}`"));
        assert_eq!(loaded.catalog.expect("valid").providers.len(), 3);
        let (label, loaded) = load_work_tree(dir.path(), options());
        assert_eq!(label, "the work tree");
        assert!(loaded.catalog.is_some());
        // A work tree that is not a directory is one diagnostic, not a panic.
        let (_, loaded) = load_work_tree(&dir.path().join("missing"), options());
        assert!(loaded.catalog.is_none());
        assert_eq!(loaded.diagnostics.0.len(), 1);
    }

    #[test]
    fn bad_specs_say_what_they_are_not() {
        let dir = repo();
        let at = dir.path().display().to_string();
        let err = |spec: &str| match load(spec, dir.path(), options()) {
            Err(e) => e,
            Ok(_) => panic!("`{spec}` loaded"),
        };
        assert_eq!(
            err("nope"),
            format!("`nope` is neither a directory nor a git revision of the repository at `{at}`")
        );
        // Something that looks like a path is reported as a missing directory.
        assert_eq!(err("./nope"), "directory `./nope` does not exist");
        assert_eq!(err("/nope/x"), "directory `/nope/x` does not exist");
        assert_eq!(err("old/x"), "directory `old/x` does not exist");
        assert_eq!(err(".nope"), "directory `.nope` does not exist");
        assert_eq!(err("/HEAD^"), "directory `/HEAD^` does not exist");
        // Revision syntax with a separator is still a revision.
        assert!(
            err("HEAD~5/x").starts_with("`HEAD~5/x` is neither"),
            "{}",
            err("HEAD~5/x")
        );
        assert!(err("HEAD^/x").starts_with("`HEAD^/x` is neither"));
        // An option is never passed to git.
        assert_eq!(err("--all"), "`--all` is not a directory or a git revision");
        assert_eq!(
            read_revision("--output=/tmp/x", dir.path()).err(),
            Some("`--output=/tmp/x` is not a directory or a git revision".to_owned())
        );
        // Outside a repository git's own message follows.
        let plain = tempfile::tempdir().expect("temporary directory");
        let Err(e) = read_revision("HEAD", plain.path()) else {
            panic!("read a revision outside a repository");
        };
        assert!(e.starts_with("`HEAD` is neither"), "{e}");
    }
}
