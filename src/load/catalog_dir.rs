//! Reading a catalog directory safely: only regular files inside the catalog, each problem
//! named, nothing skipped in silence.
//!
//! A catalog may come from a pull request, so its files are hostile. A symbolic link could
//! point at `/etc/passwd` or `/proc/self/environ`, and the diagnostics print snippets of what
//! they read: a link that leaves the catalog is an error and is never opened. So are dangling
//! and looping links, directories, FIFOs and devices with a `.toml` name, unreadable
//! directories, and files above [`MAX_FILE_BYTES`]. A `.TOML` (or other case) name is a
//! warning: it is not read, and the user hears why.

use super::catalog::RawFile;
use super::diagnostic::Diagnostic;
use crate::regular_file::{OpenError, open_regular, read_capped, real_path};
use std::path::{Path, PathBuf};

/// The largest catalog file read (16 MiB: the shipped provider files are about 20 KB).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// The sub-directories read, in order.
const SUBDIRS: [&str; 3] = ["providers", "scenarios", "quotes"];

/// The files of a catalog and the problems met while reading them (errors and warnings).
#[derive(Default)]
pub struct CatalogFiles {
    /// Files read, sorted by name within each sub-directory.
    pub files: Vec<RawFile>,
    /// Every problem, each naming its file.
    pub problems: Vec<Diagnostic>,
}

/// Reads `providers/*.toml`, `scenarios/*.toml` and (when present) `quotes/*.toml` under
/// `dir` in a stable (sorted) order. `Err` only when `dir` itself is not a directory.
pub fn read_catalog_dir(dir: &Path) -> Result<CatalogFiles, Diagnostic> {
    let root = match dir.canonicalize() {
        Ok(root) if root.is_dir() => root,
        _ => {
            return Err(Diagnostic::error(format!(
                "catalog directory `{}` does not exist or is not a directory",
                dir.display()
            ))
            .help("run scimeter from a catalog (a directory with `providers/` and `scenarios/`), pass `--catalog DIR`, or create one with `scimeter init DIR`"));
        }
    };
    // Neither part of a catalog: most likely scimeter ran in the wrong directory. One error
    // that names the directory beats "no provider files" and "no scenario files".
    if !root.join("providers").exists() && !root.join("scenarios").exists() {
        return Err(Diagnostic::error(format!(
            "`{}` is not a scimeter catalog: it has no `providers/` or `scenarios/` directory",
            root.display()
        ))
        .help("run scimeter from a catalog, pass `--catalog DIR`, or create one with `scimeter init DIR`"));
    }
    let mut out = CatalogFiles::default();
    for sub in SUBDIRS {
        let Some(sub_dir) = checked_subdir(&root, sub, &mut out.problems) else {
            continue;
        };
        let entries = match std::fs::read_dir(&sub_dir) {
            Ok(entries) => entries,
            Err(e) => {
                out.problems.push(
                    Diagnostic::error(format!("cannot read the directory `{sub}/`: {e}"))
                        .in_file(&format!("{sub}/"))
                        .help("make it readable, or move it out of the catalog"),
                );
                continue;
            }
        };
        let mut names: Vec<(String, PathBuf)> = Vec::new();
        for entry in entries {
            match entry {
                Ok(e) => names.push((e.file_name().to_string_lossy().into_owned(), e.path())),
                Err(e) => out.problems.push(
                    Diagnostic::error(format!("cannot list `{sub}/`: {e}"))
                        .in_file(&format!("{sub}/")),
                ),
            }
        }
        names.sort();
        let mut wanted = Vec::with_capacity(names.len());
        for (file_name, path) in names {
            let name = format!("{sub}/{file_name}");
            let Some(ext) = Path::new(&file_name).extension().and_then(|e| e.to_str()) else {
                continue;
            };
            if ext == "toml" {
                wanted.push((name, path));
            } else if ext.eq_ignore_ascii_case("toml") {
                out.problems.push(
                    Diagnostic::warning(format!(
                        "`{name}` is not read: catalog files end in `.toml` (lowercase)"
                    ))
                    .in_file(&name)
                    .help(format!(
                        "rename it to `{}.toml` to include it",
                        file_name.trim_end_matches(ext).trim_end_matches('.')
                    )),
                );
            }
        }
        // Reading is a few system calls per file: on every core for large catalogs.
        let read = crate::parallel::map(wanted, |(name, path)| {
            read_regular(&root, &path, &name).map(|bytes| RawFile {
                name,
                bytes,
                quotes: false,
            })
        });
        for r in read {
            match r {
                Ok(f) => out.files.push(f),
                Err(d) => out.problems.push(d),
            }
        }
    }
    Ok(out)
}

/// The sub-directory when it exists and is a directory inside the catalog; `None` (with a
/// problem when there is one) otherwise. A missing `quotes/` is normal; a missing
/// `providers/` or `scenarios/` is reported by validation.
fn checked_subdir(root: &Path, sub: &str, problems: &mut Vec<Diagnostic>) -> Option<PathBuf> {
    let path = root.join(sub);
    let meta = std::fs::symlink_metadata(&path).ok()?;
    let name = format!("{sub}/");
    if meta.file_type().is_symlink() {
        match path.canonicalize() {
            Ok(target) if target.starts_with(root) && target.is_dir() => return Some(target),
            Ok(target) if target.starts_with(root) => {}
            Ok(_) => {
                problems.push(
                    Diagnostic::error(format!("`{name}` is a symbolic link that leaves the catalog; it is not read"))
                        .in_file(&name)
                        .help("scimeter reads only files inside the catalog directory: copy the files in instead"),
                );
                return None;
            }
            Err(_) => {
                problems.push(
                    Diagnostic::error(format!("`{name}` is a dangling or looping symbolic link"))
                        .in_file(&name)
                        .help("remove the link or point it at a directory inside the catalog"),
                );
                return None;
            }
        }
    } else if meta.is_dir() {
        return Some(path);
    }
    problems.push(
        Diagnostic::error(format!("`{name}` is not a directory"))
            .in_file(&name)
            .help(format!("`{sub}` must be a directory of `.toml` files")),
    );
    None
}

/// Reads one catalog file if it is a regular file inside the catalog (following a symbolic
/// link only to a regular `.toml` file that is also inside, and not under a hidden directory
/// such as `.git/`), at most [`MAX_FILE_BYTES`] long. Never reads a byte of anything else:
/// the checks that matter are made on the opened file.
fn read_regular(root: &Path, path: &Path, name: &str) -> Result<Vec<u8>, Diagnostic> {
    let error = |message: String, help: &str| Diagnostic::error(message).in_file(name).help(help);
    let meta = std::fs::symlink_metadata(path).map_err(|e| {
        error(
            format!("cannot read `{name}`: {e}"),
            "check the file's permissions",
        )
    })?;
    let target = if meta.file_type().is_symlink() {
        let Ok(target) = path.canonicalize() else {
            return Err(error(
                format!("`{name}` is a dangling or looping symbolic link"),
                "remove the link, or point it at a file inside the catalog",
            ));
        };
        if !target.starts_with(root) {
            return Err(error(
                format!(
                    "`{name}` is a symbolic link to a file outside the catalog; it is not read"
                ),
                "scimeter reads only files inside the catalog directory: copy the file in instead",
            ));
        }
        if !linkable(root, &target) {
            return Err(error(
                format!(
                    "`{name}` is a symbolic link to a file that is not a `.toml` file of the catalog, or that is in a hidden directory such as `.git/`; it is not read"
                ),
                "point the link at a `.toml` file outside hidden directories, or copy the file in",
            ));
        }
        target
    } else {
        path.to_path_buf()
    };
    let (file, meta) = open_regular(&target).map_err(|e| match e {
        OpenError::Symlink => error(
            format!("`{name}` became a symbolic link while it was read; it is not read"),
            "check that nothing is changing the catalog while scimeter reads it",
        ),
        OpenError::NotRegular => error(
            format!("`{name}` is not a regular file"),
            "catalog entries must be plain `.toml` files; move directories, pipes and devices out of the catalog",
        ),
        OpenError::Io(e) => error(
            format!("cannot read `{name}`: {e}"),
            "check the file's permissions",
        ),
    })?;
    // A directory on the way swapped for a link after the checks above opens something else:
    // the kernel says where the file is.
    if real_path(&file).is_some_and(|real| real != target) {
        return Err(error(
            format!(
                "`{name}` moved while it was read (a directory on its path changed); it is not read"
            ),
            "check that nothing is changing the catalog while scimeter reads it",
        ));
    }
    match read_capped(file, meta.len(), MAX_FILE_BYTES) {
        Ok(Some(bytes)) => Ok(bytes),
        Ok(None) if meta.len() > MAX_FILE_BYTES => Err(error(
            format!(
                "`{name}` is {} bytes; the largest catalog file read is {MAX_FILE_BYTES} bytes (16 MiB)",
                meta.len()
            ),
            "split the file, or check that it is the file you meant",
        )),
        Ok(None) => Err(error(
            format!(
                "`{name}` grew past {MAX_FILE_BYTES} bytes (16 MiB) while it was read; the largest catalog file read is {MAX_FILE_BYTES} bytes"
            ),
            "split the file, or check that nothing is still writing it",
        )),
        Err(e) => Err(error(
            format!("cannot read `{name}`: {e}"),
            "check the file's permissions",
        )),
    }
}

/// Whether a symbolic link may lead to `target` (canonical, inside `root`): a `.toml` file
/// with no hidden directory on its way from the root. A catalog checked out by CI has
/// `.git/config` inside it, which can hold a token; no link may lead there.
fn linkable(root: &Path, target: &Path) -> bool {
    let Ok(rel) = target.strip_prefix(root) else {
        return false;
    };
    let visible = rel.components().all(|c| match c {
        std::path::Component::Normal(part) => !part.to_string_lossy().starts_with('.'),
        _ => false,
    });
    visible && target.extension().is_some_and(|e| e == "toml")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, rel: &str, text: &str) {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn links_outside_dangling_and_odd_files_are_errors_never_read() {
        use std::os::unix::fs::symlink;
        let outside = tempfile::tempdir().unwrap();
        write(outside.path(), "secret.toml", "password = \"hunter2\"\n");
        let cat = tempfile::tempdir().unwrap();
        let root = cat.path();
        write(root, "providers/ok.toml", "id = \"ok\"\n");
        write(root, "shared/inside-target.toml", "x = 1\n");
        symlink(
            root.join("shared/inside-target.toml"),
            root.join("providers/inside.toml"),
        )
        .unwrap();
        // Inside the catalog, but not catalog text: CI's token in `.git/config`, or a
        // credentials file a CI step wrote into the checkout.
        write(
            root,
            ".git/config",
            "extraheader = AUTHORIZATION: basic hunter2\n",
        );
        symlink(root.join(".git/config"), root.join("providers/git.toml")).unwrap();
        write(root, ".hidden/x.toml", "token = \"hunter2\"\n");
        symlink(
            root.join(".hidden/x.toml"),
            root.join("providers/hidden.toml"),
        )
        .unwrap();
        write(root, "gha-creds-1.json", "{\"hunter2\": 1}\n");
        symlink(
            root.join("gha-creds-1.json"),
            root.join("providers/creds.toml"),
        )
        .unwrap();
        // A FIFO: a plain open would wait for a writer for ever.
        let fifo = std::process::Command::new("mkfifo")
            .arg(root.join("providers/pipe.toml"))
            .status()
            .is_ok_and(|s| s.success());
        symlink(
            outside.path().join("secret.toml"),
            root.join("providers/leak.toml"),
        )
        .unwrap();
        symlink("/etc/passwd", root.join("providers/passwd.toml")).unwrap();
        symlink(
            root.join("providers/nowhere"),
            root.join("providers/dangling.toml"),
        )
        .unwrap();
        symlink(
            root.join("providers/loop-b.toml"),
            root.join("providers/loop-a.toml"),
        )
        .unwrap();
        symlink(
            root.join("providers/loop-a.toml"),
            root.join("providers/loop-b.toml"),
        )
        .unwrap();
        std::fs::create_dir_all(root.join("providers/dir.toml")).unwrap();
        write(root, "providers/UPPER.TOML", "id = \"upper\"\n");
        write(root, "scenarios/s.toml", "id = \"s\"\n");

        let read = read_catalog_dir(root).unwrap();
        let names: Vec<&str> = read.files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "providers/inside.toml",
                "providers/ok.toml",
                "scenarios/s.toml"
            ]
        );
        for f in &read.files {
            let text = String::from_utf8_lossy(&f.bytes);
            assert!(
                !text.contains("hunter2") && !text.contains("root:"),
                "{}",
                f.name
            );
        }
        let messages: Vec<String> = read.problems.iter().map(|d| d.message.clone()).collect();
        let all = messages.join("\n");
        for expected in [
            "`providers/leak.toml` is a symbolic link to a file outside the catalog",
            "`providers/passwd.toml` is a symbolic link to a file outside the catalog",
            "`providers/dangling.toml` is a dangling or looping symbolic link",
            "`providers/loop-a.toml` is a dangling or looping symbolic link",
            "`providers/dir.toml` is not a regular file",
            "`providers/UPPER.TOML` is not read",
            "`providers/git.toml` is a symbolic link to a file that is not a `.toml` file of the catalog, or that is in a hidden directory",
            "`providers/hidden.toml` is a symbolic link to a file that is not a `.toml` file",
            "`providers/creds.toml` is a symbolic link to a file that is not a `.toml` file",
        ] {
            assert!(all.contains(expected), "missing {expected:?} in:\n{all}");
        }
        if fifo {
            assert!(
                all.contains("`providers/pipe.toml` is not a regular file"),
                "{all}"
            );
        }
        assert!(!all.contains("hunter2") && !all.contains("root:"));
        let warnings = read
            .problems
            .iter()
            .filter(|d| d.severity == super::super::diagnostic::Severity::Warning)
            .count();
        assert_eq!(warnings, 1, "only the `.TOML` name is a warning");
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_subdirectory_outside_the_catalog_is_an_error() {
        use std::os::unix::fs::symlink;
        let outside = tempfile::tempdir().unwrap();
        write(outside.path(), "x.toml", "id = \"x\"\n");
        let cat = tempfile::tempdir().unwrap();
        symlink(outside.path(), cat.path().join("providers")).unwrap();
        let read = read_catalog_dir(cat.path()).unwrap();
        assert!(read.files.is_empty());
        assert!(
            read.problems[0]
                .message
                .contains("`providers/` is a symbolic link that leaves the catalog")
        );
    }

    #[cfg(unix)]
    #[test]
    fn an_unreadable_directory_is_an_error_not_a_skip() {
        use std::os::unix::fs::PermissionsExt;
        let cat = tempfile::tempdir().unwrap();
        write(cat.path(), "providers/a.toml", "id = \"a\"\n");
        let dir = cat.path().join("providers");
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o000)).unwrap();
        let read = read_catalog_dir(cat.path()).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        // Root reads any directory (CI runs as root): then the file is simply read. Anyone
        // else gets the error. Never both, never neither.
        let refused = read
            .problems
            .iter()
            .any(|d| d.message.contains("cannot read the directory `providers/`"));
        assert!(read.files.len() == 1 && !refused || read.files.is_empty() && refused);
    }

    #[test]
    fn an_oversized_file_is_refused_before_reading() {
        let cat = tempfile::tempdir().unwrap();
        let path = cat.path().join("providers/big.toml");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let f = std::fs::File::create(&path).unwrap();
        f.set_len(MAX_FILE_BYTES + 1).unwrap();
        let read = read_catalog_dir(cat.path()).unwrap();
        assert!(read.files.is_empty());
        assert!(
            read.problems[0]
                .message
                .contains("the largest catalog file read is")
        );
    }
}
