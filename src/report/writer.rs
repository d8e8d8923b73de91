//! The one place that writes to disk. A report is a set of files computed entirely in memory
//! first; then the set is staged in a temporary directory next to the output directory and
//! moved into place file by file, backing up what it replaces. If any move fails, every move
//! already made is undone, so the previous reports stay intact.
//!
//! scimeter records what it wrote in `.scimeter-manifest`. Files it no longer produces (for
//! example the reports of a removed scenario) are deleted only if the manifest lists them;
//! files it did not write are never touched.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// The manifest's file name inside the output directory.
pub const MANIFEST: &str = ".scimeter-manifest";

/// Staging directories are named `<prefix><pid>-<random>` next to the output directory.
pub const STAGING_PREFIX: &str = ".scimeter-staging-";

/// Removes staging directories left by a run that was killed (its process no longer exists).
/// A live run's directory is left alone. Where process liveness cannot be checked (no
/// `/proc`), only directories older than an hour are removed.
fn remove_abandoned_staging(parent: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let proc_fs = Path::new("/proc/self").exists();
    for e in entries.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(STAGING_PREFIX) else {
            continue;
        };
        let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
        let abandoned = match pid {
            Some(pid) if proc_fs => {
                pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists()
            }
            _ => e
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 3600),
        };
        if abandoned && e.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

/// Files to write: relative path → bytes, in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileSet(pub BTreeMap<PathBuf, Vec<u8>>);

impl FileSet {
    /// Adds a file. The path must be relative and free of `..` (ids are validated to be safe;
    /// this is a second line of defence).
    pub fn add(&mut self, rel: impl Into<PathBuf>, bytes: Vec<u8>) -> Result<(), WriteError> {
        let rel = rel.into();
        if !is_safe_relative(&rel) {
            return Err(WriteError::UnsafePath(rel.display().to_string()));
        }
        self.0.insert(rel, bytes);
        Ok(())
    }

    /// Adds the manifest listing every file of the set (itself included).
    pub fn seal(&mut self) {
        let mut listing: Vec<String> = self.0.keys().map(|p| slash(p)).collect();
        listing.push(MANIFEST.to_owned());
        listing.sort();
        let mut text = String::from(
            "# files written by `scimeter report`; scimeter deletes only files listed here\n",
        );
        for l in listing {
            text.push_str(&l);
            text.push('\n');
        }
        self.0.insert(PathBuf::from(MANIFEST), text.into_bytes());
    }
}

fn slash(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn is_safe_relative(p: &Path) -> bool {
    !p.as_os_str().is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)))
}

/// Why writing failed.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A generated path would leave the output directory.
    #[error("refusing to write `{0}`: the path leaves the output directory")]
    UnsafePath(String),
    /// A directory on the way is a symbolic link (it could point outside the output).
    #[error(
        "refusing to write through `{0}`: it is a symbolic link; remove it or choose another `--out`"
    )]
    Symlink(String),
    /// An I/O error, with the path.
    #[error("cannot write `{path}`: {source}")]
    Io {
        /// Path involved.
        path: String,
        /// The error.
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// The differences between a file set and what is on disk.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Staleness {
    /// Files whose bytes differ.
    pub differing: Vec<String>,
    /// Files that would be written but do not exist.
    pub missing: Vec<String>,
    /// Files the previous manifest lists that would no longer be written.
    pub extra: Vec<String>,
}

impl Staleness {
    /// True when the output directory matches the set exactly.
    pub fn is_clean(&self) -> bool {
        self.differing.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }
}

fn previous_manifest(out: &Path) -> Vec<PathBuf> {
    fs::read_to_string(out.join(MANIFEST))
        .map(|t| {
            t.lines()
                .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
                .map(PathBuf::from)
                .filter(|p| is_safe_relative(p))
                .collect()
        })
        .unwrap_or_default()
}

/// Compares without writing anything.
pub fn check(out: &Path, set: &FileSet) -> Staleness {
    let mut s = Staleness::default();
    for (rel, bytes) in &set.0 {
        match fs::read(out.join(rel)) {
            Ok(existing) if &existing == bytes => {}
            Ok(_) => s.differing.push(slash(rel)),
            Err(_) => s.missing.push(slash(rel)),
        }
    }
    for rel in previous_manifest(out) {
        if !set.0.contains_key(&rel) && out.join(&rel).exists() {
            s.extra.push(slash(&rel));
        }
    }
    s
}

/// Refuses to write through symbolic links inside the output directory.
fn check_no_symlinks(out: &Path, rel: &Path) -> Result<(), WriteError> {
    let mut p = out.to_path_buf();
    for c in rel.components() {
        p.push(c);
        if let Ok(m) = fs::symlink_metadata(&p)
            && m.file_type().is_symlink()
        {
            return Err(WriteError::Symlink(p.display().to_string()));
        }
    }
    Ok(())
}

/// Writes the set atomically (see the module docs). Returns the number of files that changed.
pub fn write(out: &Path, set: &FileSet) -> Result<usize, WriteError> {
    if let Ok(m) = fs::symlink_metadata(out)
        && m.file_type().is_symlink()
    {
        return Err(WriteError::Symlink(out.display().to_string()));
    }
    fs::create_dir_all(out).map_err(io(out))?;
    for rel in set.0.keys() {
        check_no_symlinks(out, rel)?;
    }
    let stale: Vec<PathBuf> = previous_manifest(out)
        .into_iter()
        .filter(|p| !set.0.contains_key(p))
        .collect();
    for rel in &stale {
        check_no_symlinks(out, rel)?;
    }
    // Stage next to the output directory, on the same filesystem, so renames are atomic.
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    remove_abandoned_staging(parent);
    let stage = tempfile::Builder::new()
        .prefix(&format!("{STAGING_PREFIX}{}-", std::process::id()))
        .tempdir_in(parent)
        .map_err(io(parent))?;
    let new_root = stage.path().join("new");
    let backup_root = stage.path().join("backup");
    let mut changed = Vec::new();
    for (rel, bytes) in &set.0 {
        let target = out.join(rel);
        if fs::read(&target).is_ok_and(|b| &b == bytes) {
            continue;
        }
        let staged = new_root.join(rel);
        if let Some(dir) = staged.parent() {
            fs::create_dir_all(dir).map_err(io(dir))?;
        }
        let mut f = fs::File::create(&staged).map_err(io(&staged))?;
        f.write_all(bytes).map_err(io(&staged))?;
        f.sync_all().map_err(io(&staged))?;
        changed.push(rel.clone());
    }
    // Move into place, remembering how to undo each step.
    let mut done: Vec<(PathBuf, bool)> = Vec::new();
    // Directories this run creates inside the output directory, outermost first.
    let mut created: Vec<PathBuf> = Vec::new();
    let result = (|| -> Result<(), WriteError> {
        for rel in &changed {
            let target = out.join(rel);
            let backup = backup_root.join(rel);
            let had_old = target.exists();
            if let Some(dir) = target.parent() {
                let mut missing: Vec<PathBuf> = dir
                    .ancestors()
                    .take_while(|d| *d != out && !d.exists())
                    .map(Path::to_path_buf)
                    .collect();
                missing.reverse();
                fs::create_dir_all(dir).map_err(io(dir))?;
                created.extend(missing);
            }
            if had_old {
                if let Some(dir) = backup.parent() {
                    fs::create_dir_all(dir).map_err(io(dir))?;
                }
                // Back up by a second name (a hard link; a copy where links are unsupported)
                // instead of moving the old file away: the rename below then replaces the
                // target in one atomic step, so a run killed here (SIGKILL, power loss) never
                // leaves a report file missing — each is whole, old or new.
                fs::hard_link(&target, &backup)
                    .or_else(|_| fs::copy(&target, &backup).map(|_| ()))
                    .map_err(io(&target))?;
            }
            if let Err(e) = fs::rename(new_root.join(rel), &target) {
                if had_old {
                    let _ = fs::rename(&backup, &target);
                }
                return Err(io(&target)(e));
            }
            done.push((rel.clone(), had_old));
        }
        for rel in &stale {
            let target = out.join(rel);
            if target.is_file() {
                let backup = backup_root.join(rel);
                if let Some(dir) = backup.parent() {
                    fs::create_dir_all(dir).map_err(io(dir))?;
                }
                fs::rename(&target, &backup).map_err(io(&target))?;
                done.push((rel.clone(), true));
                // Remove directories the stale files leave empty (and only those).
                let mut dir = target.parent().map(Path::to_path_buf);
                while let Some(d) = dir {
                    if d == out || fs::remove_dir(&d).is_err() {
                        break;
                    }
                    dir = d.parent().map(Path::to_path_buf);
                }
            }
        }
        Ok(())
    })();
    if let Err(e) = result {
        for (rel, had_old) in done.iter().rev() {
            let target = out.join(rel);
            if set.0.contains_key(rel) {
                let _ = fs::remove_file(&target);
            }
            if *had_old {
                if let Some(dir) = target.parent() {
                    let _ = fs::create_dir_all(dir);
                }
                let _ = fs::rename(backup_root.join(rel), &target);
            }
        }
        // Remove the directories this run created, innermost first, once the rollback has
        // emptied them (`remove_dir` refuses non-empty ones), so the tree is exactly as before.
        for d in created.iter().rev() {
            let _ = fs::remove_dir(d);
        }
        return Err(e);
    }
    Ok(changed.len() + stale.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(files: &[(&str, &str)]) -> FileSet {
        let mut s = FileSet::default();
        for (p, b) in files {
            s.add(*p, b.as_bytes().to_vec()).unwrap();
        }
        s.seal();
        s
    }

    #[test]
    fn writes_checks_and_removes_only_its_own_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("reports");
        let first = set(&[("README.md", "a"), ("old/summary.md", "b")]);
        write(&out, &first).unwrap();
        fs::write(out.join("mine.txt"), "user file").unwrap();
        assert!(check(&out, &first).is_clean());
        let second = set(&[("README.md", "a2")]);
        let st = check(&out, &second);
        assert_eq!(
            st.differing,
            vec![MANIFEST.to_owned(), "README.md".to_owned()]
        );
        assert_eq!(st.extra, vec!["old/summary.md".to_owned()]);
        write(&out, &second).unwrap();
        assert!(check(&out, &second).is_clean());
        assert!(!out.join("old").exists());
        assert_eq!(
            fs::read_to_string(out.join("mine.txt")).unwrap(),
            "user file"
        );
        // No staging directory is left behind.
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with(".scimeter"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn a_failed_move_restores_the_previous_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("reports");
        write(&out, &set(&[("a/one.md", "old 1"), ("z/two.md", "old 2")])).unwrap();
        // Make the last target impossible to write: a file where its directory must be.
        fs::remove_dir_all(out.join("z")).unwrap();
        fs::write(out.join("z"), "not a directory").unwrap();
        let err = write(&out, &set(&[("a/one.md", "new 1"), ("z/two.md", "new 2")]));
        assert!(err.is_err());
        assert_eq!(fs::read_to_string(out.join("a/one.md")).unwrap(), "old 1");
    }

    #[test]
    fn rejects_unsafe_paths_and_symlinks() {
        let mut s = FileSet::default();
        assert!(s.add("../escape.md", vec![]).is_err());
        assert!(s.add("/abs.md", vec![]).is_err());
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("reports");
        fs::create_dir_all(&out).unwrap();
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir_all(&elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("baseline")).unwrap();
        let err = write(&out, &set(&[("baseline/summary.md", "x")])).unwrap_err();
        assert!(matches!(err, WriteError::Symlink(_)));
        assert!(fs::read_dir(&elsewhere).unwrap().next().is_none());
    }
}
