//! The one place that writes to disk. A report is a set of files computed entirely in memory
//! first; then, holding an advisory lock on the output directory, the set is staged inside
//! it (`.scimeter-staging/`), a journal is written (the commit point), and the files are
//! moved into place one atomic rename each.
//!
//! - **Failure during the moves** (a file in the way, permissions): every move already made
//!   is undone from hard-linked backups, so the previous reports stay intact.
//! - **Killed during the moves** (SIGKILL, power loss): each file is whole, old or new, and
//!   the journal remains. The next run, before anything else, completes the journaled moves
//!   and removals (roll forward), so the set becomes exactly the new one; `report --check`
//!   reports the interrupted write until then.
//! - **Killed before the journal**: nothing was moved; the next run discards the staging.
//! - **Two runs at once**: the second fails at once with a clear error (the lock is
//!   `flock` on the output directory, released by the kernel when a run dies, so no run
//!   ever guesses from a pid whether another is alive).
//!
//! Everything a run creates stays inside the output directory (so `--out` may be a mount
//! point, and nothing next to it is touched). scimeter records what it wrote in
//! `.scimeter-manifest`. Files it no longer produces (for example the reports of a removed
//! scenario) are deleted only if the manifest lists them; files it did not write are never
//! touched, and overwriting a file the manifest does not list needs `--force`.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// The manifest's file name inside the output directory.
pub const MANIFEST: &str = ".scimeter-manifest";

/// The staging directory inside the output directory (one per output, covered by the lock).
pub const STAGING: &str = ".scimeter-staging";

/// The journal inside the staging directory: its presence means the moves have begun.
const JOURNAL: &str = "journal";

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
        if is_reserved(&rel) {
            return Err(WriteError::Reserved(rel.display().to_string()));
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
    // The manifest and the journal hold one path per line, so a line break in a name would
    // split it into two other paths (found by the writer fuzz target).
    !p.as_os_str().is_empty()
        && p.components().all(|c| matches!(c, Component::Normal(_)))
        && !p
            .as_os_str()
            .as_encoded_bytes()
            .iter()
            .any(|b| matches!(b, b'\n' | b'\r'))
}

/// The writer's own names: the manifest (written by [`FileSet::seal`]) and anything in the
/// staging directory, which every run deletes. A report file there would be wiped (found by
/// the writer fuzz target).
fn is_reserved(p: &Path) -> bool {
    p == Path::new(MANIFEST) || p.starts_with(STAGING)
}

/// Why writing failed.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A generated path would leave the output directory.
    #[error("refusing to write `{0}`: the path leaves the output directory")]
    UnsafePath(String),
    /// A generated path is one of the writer's own names.
    #[error("refusing to write `{0}`: scimeter keeps its manifest and staging under that name")]
    Reserved(String),
    /// A directory on the way is a symbolic link (it could point outside the output).
    #[error(
        "refusing to write through `{0}`: it is a symbolic link; remove it or choose another `--out`"
    )]
    Symlink(String),
    /// Another run holds the output directory's lock.
    #[error(
        "another `scimeter report` is writing to `{0}` (it holds the directory's lock); wait for it to finish"
    )]
    Locked(String),
    /// The run would overwrite files scimeter did not write.
    #[error(
        "refusing to overwrite {} in `{out}` that scimeter did not write (the manifest does not list {}): {}; choose another `--out`, or pass `--force`",
        if files.len() == 1 { "a file" } else { "files" },
        if files.len() == 1 { "it" } else { "them" },
        files.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")
    )]
    NotOurs {
        /// The output directory.
        out: String,
        /// The files.
        files: Vec<String>,
    },
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
    /// A run was killed while moving files; the next `report` completes it.
    pub interrupted: bool,
}

impl Staleness {
    /// True when the output directory matches the set exactly.
    pub fn is_clean(&self) -> bool {
        self.differing.is_empty()
            && self.missing.is_empty()
            && self.extra.is_empty()
            && !self.interrupted
    }
}

fn previous_manifest(out: &Path) -> Vec<PathBuf> {
    fs::read_to_string(out.join(MANIFEST))
        .map(|t| {
            t.lines()
                .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
                .map(PathBuf::from)
                // The staging is never a report file: a manifest listing it would have the
                // run remove its own journal.
                .filter(|p| is_safe_relative(p) && !p.starts_with(STAGING))
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
    s.interrupted = out.join(STAGING).join(JOURNAL).exists();
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

/// Takes the output directory's advisory lock (`flock` on the directory itself, so no lock
/// file is left behind), or fails at once if another run holds it.
fn lock(out: &Path) -> Result<fs::File, WriteError> {
    let dir = fs::File::open(out).map_err(io(out))?;
    match dir.try_lock() {
        Ok(()) => Ok(dir),
        Err(fs::TryLockError::WouldBlock) => Err(WriteError::Locked(out.display().to_string())),
        Err(fs::TryLockError::Error(e)) => Err(io(out)(e)),
    }
}

/// The journal: the files to move into place, then (after a `-` line) the files to remove.
fn journal_text(changed: &[PathBuf], stale: &[PathBuf]) -> String {
    let mut s = String::from("# scimeter: moves in progress; the next run completes them\n");
    for rel in changed {
        s.push_str(&slash(rel));
        s.push('\n');
    }
    s.push_str("-\n");
    for rel in stale {
        s.push_str(&slash(rel));
        s.push('\n');
    }
    s
}

/// Removes directories that `path`'s removal left empty, up to (not including) `out`.
fn prune_empty_parents(out: &Path, path: &Path) {
    let mut dir = path.parent().map(Path::to_path_buf);
    while let Some(d) = dir {
        if d == out || !d.starts_with(out) || fs::remove_dir(&d).is_err() {
            break;
        }
        dir = d.parent().map(Path::to_path_buf);
    }
}

/// Completes a run that was killed: with a journal, finishes its moves and removals (roll
/// forward); without one, nothing was moved and the staging is discarded. Called with the
/// lock held, before anything else.
fn recover(out: &Path) -> Result<(), WriteError> {
    let stage = out.join(STAGING);
    match fs::symlink_metadata(&stage) {
        Err(_) => return Ok(()),
        Ok(m) if !m.is_dir() => {
            return Err(WriteError::Symlink(stage.display().to_string()));
        }
        Ok(_) => {}
    }
    if let Ok(text) = fs::read_to_string(stage.join(JOURNAL)) {
        let mut lines = text.lines().filter(|l| !l.starts_with('#'));
        for line in lines.by_ref().take_while(|l| *l != "-") {
            let rel = PathBuf::from(line);
            let staged = stage.join("new").join(&rel);
            if !is_safe_relative(&rel) || rel.starts_with(STAGING) {
                continue;
            }
            // The staged file must be a regular file reached through no symbolic link: a
            // planted `new -> /elsewhere` would otherwise move a file from outside `--out`
            // into it (found in review).
            check_no_symlinks(&stage, &Path::new("new").join(&rel))?;
            if !fs::symlink_metadata(&staged).is_ok_and(|m| m.is_file()) {
                continue;
            }
            check_no_symlinks(out, &rel)?;
            let target = out.join(&rel);
            if let Some(dir) = target.parent() {
                fs::create_dir_all(dir).map_err(io(dir))?;
            }
            fs::rename(&staged, &target).map_err(io(&target))?;
        }
        for line in lines {
            let rel = PathBuf::from(line);
            if !is_safe_relative(&rel) || rel.starts_with(STAGING) {
                continue;
            }
            check_no_symlinks(out, &rel)?;
            let target = out.join(&rel);
            if target.is_file() {
                fs::remove_file(&target).map_err(io(&target))?;
                prune_empty_parents(out, &target);
            }
        }
    }
    fs::remove_dir_all(&stage).map_err(io(&stage))
}

/// Writes the set atomically (see the module docs). Returns the number of files that
/// changed. Without `force`, refuses to overwrite files the previous manifest does not list.
pub fn write(out: &Path, set: &FileSet, force: bool) -> Result<usize, WriteError> {
    if let Ok(m) = fs::symlink_metadata(out)
        && m.file_type().is_symlink()
    {
        return Err(WriteError::Symlink(out.display().to_string()));
    }
    if out.exists() && !out.is_dir() {
        return Err(WriteError::Io {
            path: out.display().to_string(),
            source: std::io::Error::other("it is a file, not a directory; choose another `--out`"),
        });
    }
    fs::create_dir_all(out).map_err(io(out))?;
    // Held until this function returns (the file closes, and the kernel drops the lock).
    let _lock = lock(out)?;
    recover(out)?;
    for rel in set.0.keys() {
        check_no_symlinks(out, rel)?;
    }
    let manifest = previous_manifest(out);
    let stale: Vec<PathBuf> = manifest
        .iter()
        .filter(|p| !set.0.contains_key(*p))
        .cloned()
        .collect();
    for rel in &stale {
        check_no_symlinks(out, rel)?;
    }
    // Only files still there are removals (and count as changes).
    let stale: Vec<PathBuf> = stale
        .into_iter()
        .filter(|p| fs::symlink_metadata(out.join(p)).is_ok_and(|m| m.is_file()))
        .collect();
    let mut changed = Vec::new();
    let mut foreign = Vec::new();
    for (rel, bytes) in &set.0 {
        let target = out.join(rel);
        match fs::read(&target) {
            Ok(b) if &b == bytes => continue,
            Err(_) if !target.exists() => {}
            _ if !force && !manifest.contains(rel) && rel != Path::new(MANIFEST) => {
                foreign.push(slash(rel));
            }
            _ => {}
        }
        changed.push(rel.clone());
    }
    if !foreign.is_empty() {
        return Err(WriteError::NotOurs {
            out: out.display().to_string(),
            files: foreign,
        });
    }
    // Stage inside the output directory: the same filesystem (renames are atomic, even when
    // `--out` is a mount point) and covered by the lock.
    let stage = out.join(STAGING);
    let new_root = stage.join("new");
    let backup_root = stage.join("backup");
    fs::create_dir_all(&new_root).map_err(io(&new_root))?;
    let result = stage_and_move(out, set, &changed, &stale, &new_root, &backup_root);
    // On success the journal's work is done; on failure the moves were undone. Either way
    // the staging goes.
    let cleanup = fs::remove_dir_all(&stage).map_err(io(&stage));
    result?;
    cleanup?;
    Ok(changed.len() + stale.len())
}

fn stage_and_move(
    out: &Path,
    set: &FileSet,
    changed: &[PathBuf],
    stale: &[PathBuf],
    new_root: &Path,
    backup_root: &Path,
) -> Result<(), WriteError> {
    for rel in changed {
        let staged = new_root.join(rel);
        if let Some(dir) = staged.parent() {
            fs::create_dir_all(dir).map_err(io(dir))?;
        }
        let mut f = fs::File::create(&staged).map_err(io(&staged))?;
        f.write_all(&set.0[rel]).map_err(io(&staged))?;
        f.sync_all().map_err(io(&staged))?;
    }
    // The commit point: from here a killed run is completed by the next one.
    let journal = new_root.parent().unwrap_or(out).join(JOURNAL);
    let mut j = fs::File::create(&journal).map_err(io(&journal))?;
    j.write_all(journal_text(changed, stale).as_bytes())
        .and_then(|()| j.sync_all())
        .map_err(io(&journal))?;
    // Move into place, remembering how to undo each step.
    let mut done: Vec<(PathBuf, bool)> = Vec::new();
    // Directories this run creates inside the output directory, outermost first.
    let mut created: Vec<PathBuf> = Vec::new();
    let result = (|| -> Result<(), WriteError> {
        for rel in changed {
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
                // target in one atomic step, so a run killed here never leaves a report file
                // missing — each is whole, old or new.
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
        for rel in stale {
            let target = out.join(rel);
            if target.is_file() {
                let backup = backup_root.join(rel);
                if let Some(dir) = backup.parent() {
                    fs::create_dir_all(dir).map_err(io(dir))?;
                }
                fs::rename(&target, &backup).map_err(io(&target))?;
                done.push((rel.clone(), true));
                prune_empty_parents(out, &target);
            }
        }
        Ok(())
    })();
    if let Err(e) = result {
        // Undo before the journal could make the next run complete a failed write.
        let _ = fs::remove_file(&journal);
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
    Ok(())
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
        write(&out, &first, false).unwrap();
        fs::write(out.join("mine.txt"), "user file").unwrap();
        assert!(check(&out, &first).is_clean());
        let second = set(&[("README.md", "a2")]);
        let st = check(&out, &second);
        assert_eq!(
            st.differing,
            vec![MANIFEST.to_owned(), "README.md".to_owned()]
        );
        assert_eq!(st.extra, vec!["old/summary.md".to_owned()]);
        write(&out, &second, false).unwrap();
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
        write(
            &out,
            &set(&[("a/one.md", "old 1"), ("z/two.md", "old 2")]),
            false,
        )
        .unwrap();
        // Make the last target impossible to write: a file where its directory must be.
        fs::remove_dir_all(out.join("z")).unwrap();
        fs::write(out.join("z"), "not a directory").unwrap();
        let err = write(
            &out,
            &set(&[("a/one.md", "new 1"), ("z/two.md", "new 2")]),
            false,
        );
        assert!(err.is_err());
        assert_eq!(fs::read_to_string(out.join("a/one.md")).unwrap(), "old 1");
    }

    /// Found by the writer fuzz target (input kept in `fuzz/seeds/writer/`): a report file inside
    /// the staging directory was written, then wiped with the staging, so the "successful"
    /// run left the set incomplete. The writer's own names are now refused, and a previous
    /// manifest that lists the staging cannot make a run remove its own journal.
    #[test]
    fn refuses_its_own_names_and_ignores_manifest_lines_in_the_staging() {
        let mut s = FileSet::default();
        for name in [".scimeter-staging/journal", ".scimeter-staging", MANIFEST] {
            let err = s.add(name, vec![1]).unwrap_err();
            assert!(matches!(err, WriteError::Reserved(_)), "{name}: {err}");
        }
        assert!(s.0.is_empty());
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("reports");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join(MANIFEST), ".scimeter-staging/journal\nold.md\n").unwrap();
        fs::write(out.join("old.md"), "old").unwrap();
        let set = set(&[("a.md", "a")]);
        // The new report, the manifest and the removed `old.md`: three changes. The staging
        // line is not a stale file.
        assert_eq!(write(&out, &set, false).unwrap(), 3);
        assert!(check(&out, &set).is_clean());
        assert!(!out.join("old.md").exists());
    }

    #[test]
    fn rejects_unsafe_paths_and_symlinks() {
        let mut s = FileSet::default();
        assert!(s.add("../escape.md", vec![]).is_err());
        assert!(s.add("/abs.md", vec![]).is_err());
        // One path per manifest line (found by the writer fuzz target).
        assert!(s.add("a\nb.md", vec![]).is_err());
        assert!(s.add("a\rb.md", vec![]).is_err());
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("reports");
        fs::create_dir_all(&out).unwrap();
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir_all(&elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("baseline")).unwrap();
        let err = write(&out, &set(&[("baseline/summary.md", "x")]), false).unwrap_err();
        assert!(matches!(err, WriteError::Symlink(_)));
        assert!(fs::read_dir(&elsewhere).unwrap().next().is_none());
    }

    /// Found by the writer fuzz target: a manifest line naming a file that is already gone
    /// was counted as a change, so a second identical run reported "1 file changed".
    #[test]
    fn counts_only_files_that_really_change() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("reports");
        let set = set(&[("a.md", "a")]);
        assert_eq!(write(&out, &set, false).unwrap(), 2);
        let manifest = fs::read_to_string(out.join(MANIFEST)).unwrap();
        fs::write(out.join(MANIFEST), format!("{manifest}gone.md\n")).unwrap();
        // Only the manifest itself differs; `gone.md` is not there to remove.
        assert_eq!(write(&out, &set, false).unwrap(), 1);
        assert_eq!(write(&out, &set, false).unwrap(), 0);
    }

    /// Every file under `dir`, following nothing: path → bytes, or a marker for links and
    /// directories.
    fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
        fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
            let Ok(entries) = fs::read_dir(dir) else {
                return;
            };
            for e in entries.filter_map(Result::ok) {
                let p = e.path();
                let rel = p.strip_prefix(root).unwrap().to_path_buf();
                let t = e.file_type().unwrap();
                if t.is_symlink() {
                    out.insert(
                        rel,
                        format!("-> {}", fs::read_link(&p).unwrap().display()).into_bytes(),
                    );
                } else if t.is_dir() {
                    out.insert(rel, b"<dir>".to_vec());
                    walk(root, &p, out);
                } else {
                    out.insert(rel, fs::read(&p).unwrap());
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(dir, dir, &mut out);
        out
    }

    const PATHS: [&str; 6] = ["a.md", "b/c.md", "b/d.csv", "e/f/g.json", "b", "h.txt"];

    /// What is in `--out` before a run.
    #[derive(Debug, Clone)]
    enum Existing {
        File(usize, u8),
        Dir(usize),
        LinkToOutsideFile(usize),
        LinkToOutsideDir(usize),
        Staged(usize, bool),
        StagedLinkOut(bool),
    }

    fn existing() -> impl proptest::strategy::Strategy<Value = Existing> {
        use proptest::prelude::*;
        prop_oneof![
            (0..PATHS.len(), any::<u8>()).prop_map(|(p, c)| Existing::File(p, c)),
            (0..PATHS.len()).prop_map(Existing::Dir),
            (0..PATHS.len()).prop_map(Existing::LinkToOutsideFile),
            (0..PATHS.len()).prop_map(Existing::LinkToOutsideDir),
            (0..PATHS.len(), any::<bool>()).prop_map(|(p, j)| Existing::Staged(p, j)),
            any::<bool>().prop_map(Existing::StagedLinkOut),
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 256, failure_persistence: None, ..proptest::prelude::ProptestConfig::default()
        })]

        /// The writer against a real directory (issue 15's writer fuzzing, as a stable
        /// property test): random pre-existing files, directories, links out of `--out`,
        /// killed runs' staging with or without a journal, random previous manifests and
        /// `--force`. Whatever happens: nothing outside `--out` changes, no panic, and a run
        /// that succeeds leaves exactly the set (`check` is clean) with no staging.
        #[test]
        fn the_writer_never_escapes_and_succeeds_only_completely(
            before in proptest::collection::vec(existing(), 0..6),
            manifest in proptest::option::of(proptest::collection::vec(0..PATHS.len(), 0..4)),
            files in proptest::collection::vec((0..PATHS.len(), proptest::prelude::any::<u8>()), 1..5),
            force in proptest::prelude::any::<bool>(),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("out");
            let outside = dir.path().join("outside");
            fs::create_dir_all(outside.join("d")).unwrap();
            fs::write(outside.join("secret"), "keep").unwrap();
            fs::create_dir_all(&out).unwrap();
            for e in &before {
                let (rel, made) = match e {
                    Existing::File(p, c) => (PATHS[*p], {
                        let t = out.join(PATHS[*p]);
                        t.parent().map(fs::create_dir_all);
                        fs::write(&t, [*c]).is_ok()
                    }),
                    Existing::Dir(p) => (PATHS[*p], fs::create_dir_all(out.join(PATHS[*p])).is_ok()),
                    Existing::LinkToOutsideFile(p) => (PATHS[*p], {
                        let t = out.join(PATHS[*p]);
                        t.parent().map(fs::create_dir_all);
                        std::os::unix::fs::symlink(outside.join("secret"), &t).is_ok()
                    }),
                    Existing::LinkToOutsideDir(p) => (PATHS[*p], {
                        let t = out.join(PATHS[*p]);
                        t.parent().map(fs::create_dir_all);
                        std::os::unix::fs::symlink(outside.join("d"), &t).is_ok()
                    }),
                    Existing::StagedLinkOut(whole) => ("", {
                        // `new` itself, or a file in it, links to a file outside `--out`.
                        let stage = out.join(STAGING);
                        let _ = fs::create_dir_all(&stage);
                        let _ = fs::write(outside.join("a.md"), "outside a");
                        let _ = fs::write(stage.join(JOURNAL), "a.md\n-\n");
                        if *whole {
                            std::os::unix::fs::symlink(&outside, stage.join("new")).is_ok()
                        } else {
                            let _ = fs::create_dir_all(stage.join("new"));
                            std::os::unix::fs::symlink(outside.join("a.md"), stage.join("new/a.md")).is_ok()
                        }
                    }),
                    Existing::Staged(p, journal) => (PATHS[*p], {
                        let stage = out.join(STAGING);
                        let t = stage.join("new").join(PATHS[*p]);
                        t.parent().map(fs::create_dir_all);
                        let ok = fs::write(&t, "staged").is_ok();
                        if *journal {
                            let _ = fs::write(stage.join(JOURNAL), format!("{}\n-\n", PATHS[*p]));
                        }
                        ok
                    }),
                };
                let _ = (rel, made);
            }
            if let Some(m) = &manifest {
                let text: String = m.iter().map(|p| PATHS[*p]).collect::<Vec<_>>().join("\n");
                let _ = fs::write(out.join(MANIFEST), text);
            }
            let mut set = FileSet::default();
            for (p, c) in &files {
                // A path that is a prefix directory of another in the set cannot be both.
                let rel = PathBuf::from(PATHS[*p]);
                if set.0.keys().any(|k| k.starts_with(&rel) || rel.starts_with(k)) {
                    continue;
                }
                set.add(rel, vec![*c]).unwrap();
            }
            set.seal();
            let outside_before = tree(&outside);
            let result = write(&out, &set, force);
            proptest::prop_assert_eq!(tree(&outside), outside_before, "something outside `--out` changed");
            if result.is_ok() {
                let st = check(&out, &set);
                proptest::prop_assert!(st.is_clean(), "a successful write left {:?}", st);
                proptest::prop_assert!(!out.join(STAGING).exists());
            }
        }
    }
}
