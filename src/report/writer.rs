//! The one place that writes to disk. A report is a set of files computed entirely in memory
//! first; then, holding an advisory lock on the output directory, the set is staged inside
//! it (`.scimeter-staging/`), a journal is written (the commit point: to a temporary name,
//! `fsync`ed and renamed, so it is whole or absent, and it ends with an end line), and the
//! files are moved into place one atomic rename each, the manifest last.
//!
//! - **Failure during the moves** (a file in the way, permissions): every move already made
//!   is undone from hard-linked backups, so the previous reports stay intact. The undo moves
//!   each new file back into the staging and keeps the journal until it is done; if a step
//!   of the undo fails too, the staging is kept and the next run completes the write.
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

use crate::regular_file::{OpenError, open_regular, read_capped};
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

/// The journal's last line. A journal without it was cut short (by an older version that wrote
/// it in place, or by a file system that lost the end of it) and is ignored: the moves begin
/// only after the whole journal is on disk, so such a run moved nothing.
const JOURNAL_END: &str = "# end of journal";

/// Files to write: relative path → bytes, in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileSet(pub BTreeMap<PathBuf, Vec<u8>>);

impl FileSet {
    /// Adds a file. The path must be relative and free of `..` (ids are validated to be safe;
    /// this is a second line of defence).
    pub fn add(&mut self, rel: impl Into<PathBuf>, bytes: Vec<u8>) -> Result<(), WriteError> {
        let rel = rel.into();
        checked(&rel)?;
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
    /// A move failed, and undoing the moves made before it failed too: the staging keeps
    /// the new files and the journal, and the next run completes the write.
    #[error(
        "{cause}; undoing the moves made before it failed as well, so `{stage}` keeps the new files and its journal, and the next `scimeter report` to this output completes the write"
    )]
    Unfinished {
        /// The error that stopped the moves.
        cause: Box<WriteError>,
        /// The staging directory that is kept.
        stage: String,
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

impl From<WriteError> for crate::error::Error {
    fn from(e: WriteError) -> crate::error::Error {
        match e {
            WriteError::Io { path, source } => crate::error::Error::Write { path, source },
            other => crate::error::Error::Other(other.to_string()),
        }
    }
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
    /// `.scimeter-staging` is there but is not a directory: `report` refuses to run until it
    /// is moved away.
    pub staging_blocked: bool,
}

impl Staleness {
    /// True when the output directory matches the set exactly.
    pub fn is_clean(&self) -> bool {
        self.differing.is_empty()
            && self.missing.is_empty()
            && self.extra.is_empty()
            && !self.interrupted
            && !self.staging_blocked
    }
}

/// The largest manifest or journal read (16 MiB; the 1,000-provider report's are 10 KB).
const MAX_LIST_BYTES: u64 = 16 * 1024 * 1024;

/// What a path of the output directory holds, as far as a run may read it.
#[derive(Debug, PartialEq, Eq)]
enum Existing {
    /// Nothing.
    Missing,
    /// A regular file's bytes.
    Bytes(Vec<u8>),
    /// Something scimeter does not read: a link, a FIFO, a device, a directory, a file over
    /// the cap, or an unreadable file. A committed `README.md -> /dev/zero` would otherwise be
    /// read without end, and a FIFO would never answer.
    Other,
}

/// Reads `path` of the output directory: only a regular file (never through a final link,
/// never waiting on a FIFO), and at most `cap` bytes.
fn read_existing(path: &Path, cap: u64) -> Existing {
    match open_regular(path) {
        Ok((file, meta)) => match read_capped(file, meta.len(), cap) {
            Ok(Some(bytes)) => Existing::Bytes(bytes),
            _ => Existing::Other,
        },
        Err(OpenError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => Existing::Missing,
        Err(_) => Existing::Other,
    }
}

/// A manifest or journal as text, when it is a readable regular file of at most
/// [`MAX_LIST_BYTES`].
fn read_list(path: &Path) -> Option<String> {
    match read_existing(path, MAX_LIST_BYTES) {
        Existing::Bytes(b) => String::from_utf8(b).ok(),
        _ => None,
    }
}

fn previous_manifest(out: &Path) -> Vec<PathBuf> {
    read_list(&out.join(MANIFEST))
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

/// Writes one file whole or not at all, for the commands that write single files (`init`,
/// `new`, `man DIR`): the bytes go to a temporary file beside `path`, are synced, then take
/// its place: by rename when `replace` (a reader sees the old file or the new one, never
/// half), by link when not (refused if anything is there, so work is never overwritten). A
/// failure leaves no temporary file. The file is created with mode 0666 less the umask, as
/// `File::create` would, not a temporary file's private 0600.
pub fn write_one(path: &Path, bytes: &[u8], replace: bool) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".scimeter-new-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    if replace {
        tmp.persist(path).map_err(|e| e.error)?;
    } else {
        tmp.persist_noclobber(path).map_err(|e| e.error)?;
    }
    Ok(())
}

/// Compares without writing anything.
pub fn check(out: &Path, set: &FileSet) -> Staleness {
    let mut c = Checker::new(out);
    for (rel, bytes) in &set.0 {
        if rel != Path::new(MANIFEST) {
            c.take(rel, bytes);
        }
    }
    c.finish()
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

/// The journal: the files to move into place, then (after a `-` line) the files to remove,
/// then [`JOURNAL_END`].
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
    s.push_str(JOURNAL_END);
    s.push('\n');
    s
}

/// The journal of a killed run in `stage`, if one was written to the end.
fn complete_journal(stage: &Path) -> Option<String> {
    read_list(&stage.join(JOURNAL)).filter(|t| t.lines().last() == Some(JOURNAL_END))
}

/// Writes the journal so that it is either absent or whole: to a temporary name, `fsync`ed,
/// then renamed into place and the rename made durable.
fn write_journal(stage: &Path, text: &str) -> Result<(), WriteError> {
    let partial = stage.join("journal.partial");
    let journal = stage.join(JOURNAL);
    let mut f = fs::File::create(&partial).map_err(io(&partial))?;
    f.write_all(text.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(io(&partial))?;
    fs::rename(&partial, &journal).map_err(io(&journal))?;
    fs::File::open(stage)
        .and_then(|d| d.sync_all())
        .map_err(io(stage))
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
        Ok(m) if m.file_type().is_symlink() => {
            return Err(WriteError::Symlink(stage.display().to_string()));
        }
        Ok(m) if !m.is_dir() => {
            return Err(WriteError::Io {
                path: stage.display().to_string(),
                source: std::io::Error::other(
                    "it is not a directory, and scimeter keeps its staging under that name; move it away",
                ),
            });
        }
        Ok(_) => {}
    }
    if let Some(text) = complete_journal(&stage) {
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
    let mut t = Transaction::begin(out, force)?;
    for (rel, bytes) in &set.0 {
        // The transaction writes its own manifest (the same text `seal` makes).
        if rel != Path::new(MANIFEST) {
            t.put(rel, bytes)?;
        }
    }
    t.commit()
}

/// Where a report's files go as they are computed: a [`FileSet`] in memory, a
/// [`Transaction`] that stages them on disk, or a [`Checker`] that compares them.
pub trait Sink: Send {
    /// Takes one file (a relative path and its bytes).
    fn put(&mut self, rel: &Path, bytes: &[u8]) -> Result<(), WriteError>;
}

impl Sink for FileSet {
    fn put(&mut self, rel: &Path, bytes: &[u8]) -> Result<(), WriteError> {
        self.add(rel, bytes.to_vec())
    }
}

/// `out` without trailing separators or `.` components: `link/` names the directory a link
/// points at, so the "`--out` is a symbolic link" refusal must see `link`.
fn lexical(out: &Path) -> PathBuf {
    let p: PathBuf = out.components().collect();
    if p.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        p
    }
}

/// Checks a report path: relative, inside, not one of the writer's own names.
fn checked(rel: &Path) -> Result<(), WriteError> {
    if !is_safe_relative(rel) {
        return Err(WriteError::UnsafePath(rel.display().to_string()));
    }
    if is_reserved(rel) {
        return Err(WriteError::Reserved(rel.display().to_string()));
    }
    Ok(())
}

/// A write in progress (see the module docs). Each file is staged as soon as it is given,
/// so a large report never holds all its bytes in memory; nothing outside the staging
/// changes until [`Transaction::commit`]. Dropped without a commit, it removes its staging.
#[derive(Debug)]
pub struct Transaction {
    /// The output directory.
    out: PathBuf,
    /// Overwrite files the previous manifest does not list.
    force: bool,
    /// The directory's advisory lock, held until the transaction ends (the kernel drops it
    /// when the file closes).
    _lock: fs::File,
    /// `.scimeter-staging/` inside `out`.
    stage: PathBuf,
    /// The previous manifest's files.
    previous: Vec<PathBuf>,
    /// Every file of the new set: whether it changed (and so is staged).
    files: BTreeMap<PathBuf, bool>,
    /// Files that would be overwritten but are not ours.
    foreign: Vec<String>,
    /// Set once the moves have run (successfully or rolled back): nothing left to clean.
    done: bool,
    /// Directories `begin` created (`out` and missing parents), innermost first: an
    /// abandoned run removes them again, so a failed report leaves no trace.
    created: Vec<PathBuf>,
}

impl Transaction {
    /// Opens `out` for writing: checks it, creates it, takes its lock, completes or
    /// discards a killed run's staging, and creates this run's.
    pub fn begin(out: &Path, force: bool) -> Result<Transaction, WriteError> {
        let out = &lexical(out);
        if let Ok(m) = fs::symlink_metadata(out)
            && m.file_type().is_symlink()
        {
            return Err(WriteError::Symlink(out.display().to_string()));
        }
        if out.exists() && !out.is_dir() {
            return Err(WriteError::Io {
                path: out.display().to_string(),
                source: std::io::Error::other(
                    "it is a file, not a directory; choose another `--out`",
                ),
            });
        }
        let created: Vec<PathBuf> = out
            .ancestors()
            .take_while(|d| !d.as_os_str().is_empty() && !d.exists())
            .map(Path::to_path_buf)
            .collect();
        if let Err(e) = fs::create_dir_all(out) {
            // A name too long, say, fails after its parents were made: leave no trace.
            for d in &created {
                let _ = fs::remove_dir(d);
            }
            return Err(io(out)(e));
        }
        let lock = lock(out)?;
        recover(out)?;
        let previous = previous_manifest(out);
        // Stage inside the output directory: the same filesystem (renames are atomic, even
        // when `--out` is a mount point) and covered by the lock.
        let stage = out.join(STAGING);
        let new_root = stage.join("new");
        fs::create_dir_all(&new_root).map_err(io(&new_root))?;
        Ok(Transaction {
            out: out.clone(),
            force,
            _lock: lock,
            stage,
            previous,
            files: BTreeMap::new(),
            foreign: Vec::new(),
            done: false,
            created,
        })
    }

    /// The number of files the report has, counting the manifest the commit writes (`put`
    /// refuses the manifest's name, so it is never among them yet).
    pub fn file_count(&self) -> usize {
        self.files.len() + 1
    }

    /// Stages one file, unless the output already holds exactly these bytes.
    pub fn put(&mut self, rel: &Path, bytes: &[u8]) -> Result<(), WriteError> {
        checked(rel)?;
        self.stage_file(rel, bytes)
    }

    fn stage_file(&mut self, rel: &Path, bytes: &[u8]) -> Result<(), WriteError> {
        check_no_symlinks(&self.out, rel)?;
        let target = self.out.join(rel);
        // At most one byte more than the new file is read: a longer file differs anyway.
        match read_existing(&target, bytes.len() as u64 + 1) {
            Existing::Bytes(b) if b == bytes => {
                self.files.insert(rel.to_path_buf(), false);
                return Ok(());
            }
            Existing::Missing => {}
            _ if !self.force && !self.previous.iter().any(|p| p == rel) && rel != MANIFEST => {
                // Not staged: the commit will refuse, naming every such file.
                self.foreign.push(slash(rel));
                self.files.insert(rel.to_path_buf(), false);
                return Ok(());
            }
            _ => {}
        }
        let staged = self.stage.join("new").join(rel);
        if let Some(dir) = staged.parent() {
            fs::create_dir_all(dir).map_err(io(dir))?;
        }
        let mut f = fs::File::create(&staged).map_err(io(&staged))?;
        f.write_all(bytes).map_err(io(&staged))?;
        f.sync_all().map_err(io(&staged))?;
        self.files.insert(rel.to_path_buf(), true);
        Ok(())
    }

    /// Writes the manifest, then moves every changed file into place and removes the
    /// files the previous manifest lists but this run did not produce. Returns the number
    /// of files added, changed or removed.
    pub fn commit(mut self) -> Result<usize, WriteError> {
        let mut set = FileSet(self.files.keys().map(|k| (k.clone(), Vec::new())).collect());
        set.seal();
        let manifest = set.0.remove(Path::new(MANIFEST)).unwrap_or_default();
        self.stage_file(Path::new(MANIFEST), &manifest)?;
        if !self.foreign.is_empty() {
            return Err(WriteError::NotOurs {
                out: self.out.display().to_string(),
                files: std::mem::take(&mut self.foreign),
            });
        }
        let stale: Vec<PathBuf> = self
            .previous
            .iter()
            .filter(|p| !self.files.contains_key(*p))
            .cloned()
            .collect();
        for rel in &stale {
            check_no_symlinks(&self.out, rel)?;
        }
        // Only files still there are removals (and count as changes).
        let stale: Vec<PathBuf> = stale
            .into_iter()
            .filter(|p| fs::symlink_metadata(self.out.join(p)).is_ok_and(|m| m.is_file()))
            .collect();
        let changed = in_move_order(&self.files);
        let result = move_into_place(&self.out, &self.files, &changed, &stale, &self.stage);
        self.done = true;
        if let Err(e @ WriteError::Unfinished { .. }) = result {
            // The staging holds the files the next run needs to complete the write.
            return Err(e);
        }
        // On success the journal's work is done; on failure the moves were undone. Either
        // way the staging goes.
        let cleanup = fs::remove_dir_all(&self.stage).map_err(io(&self.stage));
        result?;
        cleanup?;
        Ok(changed.len() + stale.len())
    }
}

impl Drop for Transaction {
    fn drop(&mut self) {
        if !self.done {
            // Abandoned (an error before the commit point): nothing was moved.
            let _ = fs::remove_dir_all(&self.stage);
            for d in &self.created {
                // Only empty directories go: `remove_dir` refuses any other.
                let _ = fs::remove_dir(d);
            }
        }
    }
}

impl Sink for Transaction {
    fn put(&mut self, rel: &Path, bytes: &[u8]) -> Result<(), WriteError> {
        Transaction::put(self, rel, bytes)
    }
}

/// Compares a report with the output directory file by file as the files are computed,
/// writing nothing (`report --check`).
#[derive(Debug)]
pub struct Checker {
    /// The output directory.
    out: PathBuf,
    /// Every file given.
    seen: FileSet,
    /// What differs so far.
    staleness: Staleness,
}

impl Checker {
    /// Checks against `out`.
    pub fn new(out: &Path) -> Checker {
        Checker {
            out: lexical(out),
            seen: FileSet::default(),
            staleness: Staleness::default(),
        }
    }

    /// The number of files the report has, counting its manifest.
    pub fn file_count(&self) -> usize {
        self.seen.0.len() + 1
    }

    /// Compares one file and remembers its name for the manifest.
    fn take(&mut self, rel: &Path, bytes: &[u8]) {
        self.compare(rel, bytes);
        // Only the name is kept.
        self.seen.0.insert(rel.to_path_buf(), Vec::new());
    }

    fn compare(&mut self, rel: &Path, bytes: &[u8]) {
        // A link or a FIFO is not the report (`report` refuses to write through one), and a
        // file longer than the new one differs without reading the rest.
        match read_existing(&self.out.join(rel), bytes.len() as u64 + 1) {
            Existing::Bytes(existing) if existing == bytes => {}
            Existing::Missing => self.staleness.missing.push(slash(rel)),
            Existing::Bytes(_) | Existing::Other => self.staleness.differing.push(slash(rel)),
        }
    }

    /// Compares the manifest and lists the files no longer generated.
    pub fn finish(mut self) -> Staleness {
        self.seen.seal();
        let manifest = self.seen.0[Path::new(MANIFEST)].clone();
        self.compare(Path::new(MANIFEST), &manifest);
        for rel in previous_manifest(&self.out) {
            if !self.seen.0.contains_key(&rel) && self.out.join(&rel).exists() {
                self.staleness.extra.push(slash(&rel));
            }
        }
        let stage = self.out.join(STAGING);
        self.staleness.interrupted = complete_journal(&stage).is_some();
        self.staleness.staging_blocked = fs::symlink_metadata(&stage).is_ok_and(|m| !m.is_dir());
        // Files arrive in any order (scenarios finish when they finish).
        self.staleness.differing.sort();
        self.staleness.missing.sort();
        self.staleness.extra.sort();
        self.staleness
    }
}

impl Sink for Checker {
    fn put(&mut self, rel: &Path, bytes: &[u8]) -> Result<(), WriteError> {
        checked(rel)?;
        self.take(rel, bytes);
        Ok(())
    }
}

/// The staged files (`files` maps each file to whether it was staged) in the order they are
/// moved: path order, the manifest last. The manifest says which files scimeter may delete, so
/// until every report file is in place the previous one stays: a write that could not be
/// completed then leaves new files no manifest lists (refused loudly as foreign by the next
/// run) rather than previous files no manifest lists (orphans that no run would remove).
fn in_move_order(files: &BTreeMap<PathBuf, bool>) -> Vec<PathBuf> {
    let mut changed: Vec<PathBuf> = files
        .iter()
        .filter(|(_, staged)| **staged)
        .map(|(rel, _)| rel.clone())
        .collect();
    changed.sort_by_key(|rel| rel == Path::new(MANIFEST));
    changed
}

fn move_into_place(
    out: &Path,
    files: &BTreeMap<PathBuf, bool>,
    changed: &[PathBuf],
    stale: &[PathBuf],
    stage: &Path,
) -> Result<(), WriteError> {
    let new_root = stage.join("new");
    let backup_root = stage.join("backup");
    // The commit point: from here a killed run is completed by the next one.
    write_journal(stage, &journal_text(changed, stale))?;
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
            // A failed rename leaves the target as it was (the backup is a second name for
            // it), so there is nothing to undo for this file.
            fs::rename(new_root.join(rel), &target).map_err(io(&target))?;
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
    let Err(cause) = result else {
        return Ok(());
    };
    // Undo in reverse, each step a rename that keeps every byte: a new file goes back to
    // the staging (where the journal expects it) and the previous one back into place. The
    // journal stays until the undo is complete, so a run killed while undoing still finds
    // every new file staged and is completed by the next run instead of losing files.
    let mut undone = true;
    for (rel, had_old) in done.iter().rev() {
        let target = out.join(rel);
        if files.contains_key(rel) {
            let staged = new_root.join(rel);
            undone &= staged
                .parent()
                .is_none_or(|d| fs::create_dir_all(d).is_ok())
                && fs::rename(&target, &staged).is_ok();
        }
        if *had_old {
            if let Some(dir) = target.parent() {
                let _ = fs::create_dir_all(dir);
            }
            undone &= fs::rename(backup_root.join(rel), &target).is_ok();
        }
    }
    if !undone {
        return Err(WriteError::Unfinished {
            cause: Box::new(cause),
            stage: stage.display().to_string(),
        });
    }
    let journal = stage.join(JOURNAL);
    if let Err(e) = fs::remove_file(&journal) {
        return Err(WriteError::Unfinished {
            cause: Box::new(io(&journal)(e)),
            stage: stage.display().to_string(),
        });
    }
    // Remove the directories this run created, innermost first, once the rollback has
    // emptied them (`remove_dir` refuses non-empty ones), so the tree is exactly as before.
    for d in created.iter().rev() {
        let _ = fs::remove_dir(d);
    }
    Err(cause)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `write_one` without `replace` refuses an existing file and leaves it alone; with it,
    /// replaces the file; neither leaves a temporary file, and the new file is not private.
    #[test]
    fn write_one_creates_or_replaces_whole_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        write_one(&path, b"one", false).unwrap();
        let again = write_one(&path, b"two", false).unwrap_err();
        assert_eq!(again.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&path).unwrap(), b"one");
        write_one(&path, b"three", true).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"three");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["a.toml"]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let plain = dir.path().join("plain");
            fs::File::create(&plain).unwrap();
            let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&path), mode(&plain), "created as File::create would");
        }
    }

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
        assert!(matches!(err, Err(WriteError::Io { .. })), "{err:?}");
        assert_eq!(fs::read_to_string(out.join("a/one.md")).unwrap(), "old 1");
        // The previous manifest stays (it is moved last, and was never reached), and the
        // undo left no journal or staging behind.
        assert_eq!(
            fs::read(out.join(MANIFEST)).unwrap(),
            set(&[("a/one.md", ""), ("z/two.md", "")]).0[Path::new(MANIFEST)]
        );
        assert!(!out.join(STAGING).exists());
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

    /// A report that fails while computing, after some files were staged, leaves the output
    /// as it was: no staging, and none of the directories the run created.
    #[test]
    fn an_abandoned_transaction_leaves_no_trace() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("a/b/reports");
        let mut t = Transaction::begin(&out, false).unwrap();
        t.put(Path::new("x/summary.md"), b"x").unwrap();
        assert!(out.join(STAGING).join("new/x/summary.md").is_file());
        drop(t);
        assert!(!dir.path().join("a").exists());
        // An existing output keeps its files and loses only the staging.
        let set = set(&[("a.md", "a")]);
        write(&out, &set, false).unwrap();
        let mut t = Transaction::begin(&out, false).unwrap();
        t.put(Path::new("a.md"), b"new").unwrap();
        drop(t);
        assert!(check(&out, &set).is_clean());
        assert!(!out.join(STAGING).exists());
    }

    /// The manifest is moved after every report file, whatever its name sorts as.
    #[test]
    fn the_manifest_moves_last() {
        let files: BTreeMap<PathBuf, bool> = [
            (MANIFEST, true),
            ("a.md", true),
            ("b/c.md", false),
            ("z.md", true),
        ]
        .into_iter()
        .map(|(p, staged)| (PathBuf::from(p), staged))
        .collect();
        assert_eq!(
            in_move_order(&files),
            ["a.md", "z.md", MANIFEST].map(PathBuf::from)
        );
    }

    /// A journal counts only when it is whole: every shorter prefix of one (a journal cut
    /// short) is ignored, and only a prefix that still ends with the end line is taken.
    #[test]
    fn only_a_journal_written_to_its_end_line_counts() {
        let dir = tempfile::tempdir().unwrap();
        let text = journal_text(&["a.md".into(), "b/c.md".into()], &["gone.md".into()]);
        assert_eq!(
            text,
            "# scimeter: moves in progress; the next run completes them\na.md\nb/c.md\n-\ngone.md\n# end of journal\n"
        );
        write_journal(dir.path(), &text).unwrap();
        assert_eq!(complete_journal(dir.path()).as_deref(), Some(text.as_str()));
        assert!(!dir.path().join("journal.partial").exists());
        for len in 0..text.len() {
            fs::write(dir.path().join(JOURNAL), &text[..len]).unwrap();
            let whole = len + 1 == text.len();
            assert_eq!(complete_journal(dir.path()).is_some(), whole, "{len} bytes");
        }
    }

    /// A run killed while writing its journal (an older version wrote it in place) moved
    /// nothing: the cut-short journal is not completed, `--check` does not call the output
    /// interrupted, and the next run discards the staging and writes its own set.
    #[test]
    fn a_journal_cut_short_is_discarded_with_its_staging() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("reports");
        let first = set(&[("a.md", "old a"), ("gone.md", "old gone")]);
        write(&out, &first, false).unwrap();
        let stage = out.join(STAGING);
        fs::create_dir_all(stage.join("new")).unwrap();
        fs::write(stage.join("new/a.md"), "staged a").unwrap();
        fs::write(stage.join(JOURNAL), "# scimeter\na.md\n-\ngone.md\n").unwrap();
        let st = check(&out, &first);
        assert!(st.is_clean(), "{st:?}");
        assert_eq!(write(&out, &first, false).unwrap(), 0);
        assert_eq!(fs::read_to_string(out.join("a.md")).unwrap(), "old a");
        assert_eq!(fs::read_to_string(out.join("gone.md")).unwrap(), "old gone");
        assert!(!stage.exists());
    }

    /// A run killed while undoing a failed write: the undo renames each new file back into
    /// the staging before restoring the previous one, and keeps the journal until it is
    /// done. Whatever point it reached, the next run finds every new file staged and completes
    /// the write. Here `a.md` was undone, `b.md` was put back in the staging but its previous
    /// version not yet restored (so it is missing), and the removal of `gone.md` was not yet
    /// undone.
    #[test]
    fn a_run_killed_while_undoing_is_completed_by_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("reports");
        write(
            &out,
            &set(&[
                ("a.md", "old a"),
                ("b.md", "old b"),
                ("gone.md", "old gone"),
            ]),
            false,
        )
        .unwrap();
        let second = set(&[("a.md", "new a"), ("b.md", "new b")]);
        let stage = out.join(STAGING);
        fs::create_dir_all(stage.join("new")).unwrap();
        fs::create_dir_all(stage.join("backup")).unwrap();
        fs::write(stage.join("new/a.md"), "new a").unwrap();
        fs::rename(out.join("b.md"), stage.join("backup/b.md")).unwrap();
        fs::write(stage.join("new/b.md"), "new b").unwrap();
        fs::rename(out.join("gone.md"), stage.join("backup/gone.md")).unwrap();
        fs::write(
            stage.join("new").join(MANIFEST),
            &second.0[Path::new(MANIFEST)],
        )
        .unwrap();
        let moves = ["a.md".into(), "b.md".into(), MANIFEST.into()];
        write_journal(&stage, &journal_text(&moves, &["gone.md".into()])).unwrap();
        assert!(check(&out, &second).interrupted);
        assert_eq!(write(&out, &second, false).unwrap(), 0);
        assert!(check(&out, &second).is_clean());
        assert!(!out.join("gone.md").exists());
        assert!(!stage.exists());
    }

    /// The lock is held from `begin` to the end of the transaction: a second run fails at
    /// once, and can start as soon as the first ends.
    #[test]
    fn a_transaction_holds_the_lock_until_it_ends() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("reports");
        let t = Transaction::begin(&out, false).unwrap();
        let err = Transaction::begin(&out, false).unwrap_err();
        assert!(matches!(err, WriteError::Locked(_)), "{err}");
        assert_eq!(t.commit().unwrap(), 1); // the manifest alone
        Transaction::begin(&out, false).unwrap().commit().unwrap();
    }

    /// Scenarios finish in any order: the checker's verdict and lists do not depend on it,
    /// and match `check` on the whole set.
    #[test]
    fn the_checker_does_not_depend_on_the_order_files_arrive_in() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("reports");
        write(
            &out,
            &set(&[("a.md", "a"), ("b/c.md", "c"), ("gone.md", "g")]),
            false,
        )
        .unwrap();
        let files = [("z.md", "new"), ("b/c.md", "changed"), ("a.md", "a")];
        let expected = check(&out, &set(&files));
        assert_eq!(expected.missing, vec!["z.md".to_owned()]);
        assert_eq!(expected.extra, vec!["gone.md".to_owned()]);
        for order in [[0, 1, 2], [2, 1, 0], [1, 0, 2]] {
            let mut c = Checker::new(&out);
            for i in order {
                let (rel, bytes) = files[i];
                Sink::put(&mut c, Path::new(rel), bytes.as_bytes()).unwrap();
            }
            assert_eq!(c.file_count(), 4);
            let st = c.finish();
            assert_eq!(
                (&st.differing, &st.missing, &st.extra),
                (&expected.differing, &expected.missing, &expected.extra)
            );
        }
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
                        let _ = fs::write(stage.join(JOURNAL), journal_text(&["a.md".into()], &[]));
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
                            let _ = fs::write(stage.join(JOURNAL), journal_text(&[PATHS[*p].into()], &[]));
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
