//! Fuzz target (d): the report writer against a real temporary directory.
//!
//! The input (decoded with `arbitrary`) plants a state in `--out` before a run: files,
//! directories, symbolic links out of `--out` (to a file, a directory, nowhere) and inside
//! it, a previous manifest and a killed run's staging with any journal text. Then it writes
//! a random file set, with or without `--force`, and checks what the writer promises:
//!
//! 1. nothing outside `--out` changes, whatever is planted (links included);
//! 2. a file the run did not create is never deleted or changed: every file that is not in
//!    the new set, the previous manifest or a planted journal keeps its bytes;
//! 3. all or nothing: when the run fails and no killed run had to be completed first, every
//!    file of the set is byte-identical to what it was before;
//! 4. a run that succeeds leaves exactly the set (`check` is clean), no staging, and a
//!    second run with the same set changes nothing;
//! 5. a run abandoned after staging (a report that fails while computing) leaves `--out`
//!    exactly as it was, when no killed run had to be completed first.

#![no_main]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use scimeter::report::writer::{FileSet, MANIFEST, STAGING, Transaction, check, write};

/// Paths that collide often: files, their parent directories, the writer's own names.
const PATHS: [&str; 12] = [
    "a.md",
    "b/c.md",
    "b/d.csv",
    "e/f/g.json",
    "b",
    "e/f",
    "h.txt",
    "baseline/summary.md",
    MANIFEST,
    STAGING,
    ".scimeter-staging/new",
    ".scimeter-staging/journal",
];

/// A path: one of [`PATHS`], or any text (to reach `FileSet::add`'s and the journal's
/// checks with `..`, absolute paths and odd components).
#[derive(Arbitrary, Debug)]
enum Rel {
    Known(u8),
    Raw(String),
}

impl Rel {
    fn text(&self) -> String {
        match self {
            Rel::Known(i) => PATHS[usize::from(*i) % PATHS.len()].to_owned(),
            Rel::Raw(s) => s.clone(),
        }
    }
}

/// One thing in `--out` before the run. Planted paths are joined only when they stay inside
/// `--out` (the harness must not itself write elsewhere).
#[derive(Arbitrary, Debug)]
enum Plant {
    File(Rel, u8),
    Dir(Rel),
    LinkToOutsideFile(Rel),
    LinkToOutsideDir(Rel),
    Dangling(Rel),
    LinkInside(Rel, Rel),
    /// A staged file left by a killed run, under `.scimeter-staging/new/`.
    Staged(Rel),
    /// The staging's `new` directory is a link to a directory outside.
    StagedNewLinkOut,
    /// A killed run's journal: moves, `-`, removals (any text), and whether it has its end
    /// line (a journal without one was cut short and is ignored).
    Journal(Vec<Rel>, Vec<Rel>, bool),
    /// A previous manifest listing these paths.
    Manifest(Vec<Rel>),
}

#[derive(Arbitrary, Debug)]
struct Input {
    plants: Vec<Plant>,
    files: Vec<(Rel, u8)>,
    force: bool,
    /// Stage the files through a `Transaction` and drop it without committing (a report
    /// that fails while computing).
    abandon: bool,
}

/// Every entry under `dir`, following nothing: path → bytes, or a marker for links and
/// directories.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for e in entries.filter_map(Result::ok) {
            let p = e.path();
            let Ok(rel) = p.strip_prefix(root) else {
                continue;
            };
            let Ok(t) = e.file_type() else { continue };
            let value = if t.is_symlink() {
                let target = fs::read_link(&p).map(|t| t.display().to_string());
                format!("-> {}", target.unwrap_or_default()).into_bytes()
            } else if t.is_dir() {
                walk(root, &p, out);
                b"<dir>".to_vec()
            } else {
                fs::read(&p).unwrap_or_else(|_| b"<unreadable>".to_vec())
            };
            out.insert(rel.to_path_buf(), value);
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// `rel` joined to `root`, when it is relative, non-empty and has no `..` (so the harness
/// only plants inside `--out`).
fn inside(root: &Path, rel: &str) -> Option<PathBuf> {
    let p = Path::new(rel);
    let plain = p
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)));
    (plain && !rel.is_empty()).then(|| root.join(p))
}

fn plant(out: &Path, outside: &Path, p: &Plant, listed: &mut BTreeSet<PathBuf>) {
    let mk_parent = |t: &Path| {
        if let Some(d) = t.parent() {
            let _ = fs::create_dir_all(d);
        }
    };
    match p {
        Plant::File(r, c) => {
            if let Some(t) = inside(out, &r.text()) {
                mk_parent(&t);
                let _ = fs::write(&t, [b'p', *c]);
            }
        }
        Plant::Dir(r) => {
            if let Some(t) = inside(out, &r.text()) {
                let _ = fs::create_dir_all(t);
            }
        }
        Plant::LinkToOutsideFile(r) | Plant::LinkToOutsideDir(r) | Plant::Dangling(r) => {
            if let Some(t) = inside(out, &r.text()) {
                mk_parent(&t);
                let to = match p {
                    Plant::LinkToOutsideFile(_) => outside.join("secret"),
                    Plant::LinkToOutsideDir(_) => outside.join("d"),
                    _ => outside.join("nowhere"),
                };
                let _ = symlink(to, &t);
            }
        }
        Plant::LinkInside(r, to) => {
            if let (Some(t), Some(to)) = (inside(out, &r.text()), inside(out, &to.text())) {
                mk_parent(&t);
                let _ = symlink(to, &t);
            }
        }
        Plant::Staged(r) => {
            if let Some(t) = inside(&out.join(STAGING).join("new"), &r.text()) {
                mk_parent(&t);
                let _ = fs::write(&t, "staged");
            }
        }
        Plant::StagedNewLinkOut => {
            let _ = fs::create_dir_all(out.join(STAGING));
            let _ = symlink(outside.join("d"), out.join(STAGING).join("new"));
        }
        Plant::Journal(moves, removals, complete) => {
            let mut text = String::from("# planted\n");
            for r in moves {
                text.push_str(&r.text());
                text.push('\n');
            }
            text.push_str("-\n");
            for r in removals {
                text.push_str(&r.text());
                text.push('\n');
            }
            if *complete {
                text.push_str("# end of journal\n");
            }
            // The journal may name anything; the writer trusts it as its own, so the paths
            // it names are exempt from check 2.
            listed.extend(
                moves
                    .iter()
                    .chain(removals)
                    .map(|r| PathBuf::from(r.text())),
            );
            let _ = fs::create_dir_all(out.join(STAGING));
            let _ = fs::write(out.join(STAGING).join("journal"), text);
        }
        Plant::Manifest(paths) => {
            let text: Vec<String> = paths.iter().map(Rel::text).collect();
            listed.extend(text.iter().map(PathBuf::from));
            let _ = fs::write(out.join(MANIFEST), text.join("\n"));
        }
    }
}

fuzz_target!(|input: Input| {
    if input.plants.len() > 16 || input.files.len() > 8 {
        return;
    }
    let Ok(dir) = tempfile::tempdir() else { return };
    let out = dir.path().join("out");
    let outside = dir.path().join("outside");
    let made = fs::create_dir_all(outside.join("d"))
        .and_then(|()| fs::write(outside.join("secret"), "keep"))
        .and_then(|()| fs::write(outside.join("d").join("a.md"), "outside a"))
        .and_then(|()| fs::create_dir_all(&out));
    if made.is_err() {
        return;
    }
    // Paths a previous manifest or a journal names (the writer may remove or replace them).
    let mut listed = BTreeSet::new();
    for p in &input.plants {
        plant(&out, &outside, p, &mut listed);
    }
    let mut set = FileSet::default();
    for (r, c) in &input.files {
        let rel = PathBuf::from(r.text());
        // A path that is a prefix directory of another in the set cannot be both.
        if set
            .0
            .keys()
            .any(|k| k.starts_with(&rel) || rel.starts_with(k))
        {
            continue;
        }
        let _ = set.add(rel, vec![b'n', *c]);
    }
    set.seal();

    let had_staging = fs::symlink_metadata(out.join(STAGING)).is_ok();
    let outside_before = tree(&outside);
    let out_before = tree(&out);
    if input.abandon {
        if let Ok(mut t) = Transaction::begin(&out, input.force) {
            for (rel, bytes) in &set.0 {
                if rel != Path::new(MANIFEST) {
                    let _ = t.put(rel, bytes);
                }
            }
        }
        assert_eq!(tree(&outside), outside_before, "outside changed");
        if !had_staging {
            // 5. Nothing changed.
            assert_eq!(tree(&out), out_before, "an abandoned run changed `--out`");
        }
        return;
    }
    let result = write(&out, &set, input.force);
    let out_after = tree(&out);

    // 1. Nothing outside `--out` changed.
    assert_eq!(
        tree(&outside),
        outside_before,
        "outside changed: {result:?}"
    );

    // 2. Files the run did not create are untouched, unless the set, a previous manifest or
    //    a journal names them. Only regular files and links are compared: directories
    //    emptied by a removal are pruned.
    let staging = Path::new(STAGING);
    for (rel, before) in &out_before {
        let ours = set.0.contains_key(rel) || listed.contains(rel) || rel.starts_with(staging);
        if ours || before == b"<dir>" {
            continue;
        }
        // A planted file reached through a planted link inside `--out` may legitimately be
        // replaced by writing the linked path: the writer refuses links, so it is not.
        assert_eq!(
            out_after.get(rel),
            Some(before),
            "`{}` was not the run's and changed: {result:?}",
            rel.display()
        );
    }

    match result {
        Ok(_) => {
            // 4. Exactly the set, no staging, and a second run is a no-op.
            let st = check(&out, &set);
            assert!(st.is_clean(), "a successful write left {st:?}");
            assert!(!out.join(STAGING).exists(), "staging left after success");
            match write(&out, &set, false) {
                Ok(0) => {}
                other => panic!("the second identical write was not a no-op: {other:?}"),
            }
        }
        Err(_) if !had_staging => {
            // 3. All or nothing.
            for rel in set.0.keys() {
                assert_eq!(
                    out_after.get(rel),
                    out_before.get(rel),
                    "failed run changed `{}`",
                    rel.display()
                );
            }
            assert!(
                fs::symlink_metadata(out.join(STAGING)).is_err(),
                "staging left after a failed run"
            );
        }
        Err(_) => {}
    }
});
