//! Opening a file that must be a regular file: never through a final symbolic link, never
//! blocking on a FIFO or a device, and with the kernel's word on where the opened file is.
//!
//! Catalogs and report directories can both come from a pull request. Checking a path and
//! then opening it leaves a window in which the path can become a link (to `/etc/shadow`,
//! `/dev/zero`) or a FIFO (on which a plain `open` waits for ever): so the checks that matter
//! are made on the opened file, and the caller can compare [`real_path`] with the path it
//! checked.

use std::fs::{File, Metadata, OpenOptions};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Why a path could not be opened as a regular file.
#[derive(Debug)]
pub enum OpenError {
    /// The path's last component is a symbolic link.
    Symlink,
    /// A directory, FIFO, socket or device.
    NotRegular,
    /// The open, or the `fstat` after it, failed.
    Io(io::Error),
}

/// Opens `path` for reading if it is a regular file, without following a symbolic link in
/// its last component and without waiting on a FIFO or a device.
pub fn open_regular(path: &Path) -> Result<(File, Metadata), OpenError> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NONBLOCK: opening a FIFO for reading otherwise waits until a writer comes; with it
        // the open returns and the `fstat` below refuses the FIFO. Regular files ignore it.
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = options.open(path).map_err(|e| {
        #[cfg(unix)]
        if e.raw_os_error() == Some(libc::ELOOP) {
            return OpenError::Symlink;
        }
        OpenError::Io(e)
    })?;
    let meta = file.metadata().map_err(OpenError::Io)?;
    if !meta.is_file() {
        return Err(OpenError::NotRegular);
    }
    Ok((file, meta))
}

/// Where an open file is, as the kernel resolved it (Linux's `/proc/self/fd`): a directory
/// of the path swapped for a link after the caller's checks shows here. `None` where the
/// kernel does not say.
pub fn real_path(file: &File) -> Option<PathBuf> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        std::fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd())).ok()
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = file;
        None
    }
}

/// Reads an open file to its end, or `None` when it holds more than `cap` bytes (a file
/// that grows while it is read is read at most one byte past the cap).
pub fn read_capped(file: File, len_hint: u64, cap: u64) -> io::Result<Option<Vec<u8>>> {
    if len_hint > cap {
        return Ok(None);
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len_hint).map_or(0, |n| n + 1));
    file.take(cap + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= cap).then_some(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_opens_and_reads_within_its_cap() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("a.toml");
        std::fs::write(&path, b"hello").expect("write");
        let (file, meta) = open_regular(&path).expect("opens");
        assert_eq!(meta.len(), 5);
        #[cfg(target_os = "linux")]
        assert_eq!(
            real_path(&file),
            Some(path.canonicalize().expect("canonical"))
        );
        assert_eq!(
            read_capped(file, meta.len(), 5).expect("reads"),
            Some(b"hello".to_vec())
        );
        let (file, meta) = open_regular(&path).expect("opens");
        assert_eq!(read_capped(file, meta.len(), 4).expect("reads"), None);
        // A stale length hint does not let a longer file through.
        let (file, _) = open_regular(&path).expect("opens");
        assert_eq!(read_capped(file, 0, 4).expect("reads"), None);
    }

    #[cfg(unix)]
    #[test]
    fn links_fifos_and_directories_are_refused_without_waiting() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let target = dir.path().join("target");
        std::fs::write(&target, b"secret").expect("write");
        let link = dir.path().join("link.toml");
        std::os::unix::fs::symlink(&target, &link).expect("symlink");
        assert!(matches!(open_regular(&link), Err(OpenError::Symlink)));
        assert!(matches!(
            open_regular(dir.path()),
            Err(OpenError::NotRegular)
        ));
        let fifo = dir.path().join("pipe.toml");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        if made {
            // A plain open would wait here for a writer that never comes.
            assert!(matches!(open_regular(&fifo), Err(OpenError::NotRegular)));
        }
        assert!(matches!(
            open_regular(&dir.path().join("missing")),
            Err(OpenError::Io(_))
        ));
    }
}
