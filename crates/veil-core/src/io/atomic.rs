//! Atomic output files: written to a temporary file in the destination's
//! directory, renamed into place only on [`AtomicFile::commit`]. A crash or an
//! error leaves either the old file or nothing, never half a file.
//!
//! A destination that is not a regular file (`/dev/null`, a named pipe,
//! `/dev/stdout`) is written directly: renaming a file onto it would
//! replace the device or pipe itself (as root, `--output /dev/null` once
//! turned `/dev/null` into a regular file that later readers of
//! `/dev/null` read back). A symbolic link to a regular file keeps the
//! link: the file it names is replaced.

use crate::{Error, Result};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// A file being written; dropped without `commit`, a regular file's
/// output disappears (a device or pipe has had what was written).
pub struct AtomicFile {
    /// The destination as the user named it (for errors).
    path: PathBuf,
    target: Target,
}

/// Where the bytes go.
enum Target {
    /// A temporary file, renamed onto `dest` (the regular file the path
    /// names, through any symbolic links) at commit.
    Temp {
        dest: PathBuf,
        writer: BufWriter<tempfile::NamedTempFile>,
    },
    /// The destination itself: it is no regular file.
    Direct(BufWriter<std::fs::File>),
}

impl AtomicFile {
    /// Start writing `path` (its directory must exist). A path that names
    /// an existing non-regular file is opened for writing as it is.
    pub fn create(path: &Path) -> Result<AtomicFile> {
        let existing = std::fs::metadata(path).ok();
        if existing.as_ref().is_some_and(|m| m.is_dir()) {
            let e = std::io::Error::new(std::io::ErrorKind::IsADirectory, "is a directory");
            return Err(io_err(path, e));
        }
        if existing.as_ref().is_some_and(|m| !m.is_file()) {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|e| io_err(path, e))?;
            return Ok(AtomicFile {
                path: path.to_path_buf(),
                target: Target::Direct(BufWriter::new(file)),
            });
        }
        // A link to a regular file: replace the file, keep the link.
        let dest = match existing {
            Some(_) => std::fs::canonicalize(path).map_err(|e| io_err(path, e))?,
            None => path.to_path_buf(),
        };
        let dir = match dest.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let tmp = tempfile::Builder::new()
            .prefix(".veil-")
            .suffix(".tmp")
            .tempfile_in(&dir)
            .map_err(|e| io_err(path, e))?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            target: Target::Temp {
                dest,
                writer: BufWriter::new(tmp),
            },
        })
    }

    /// Flush, sync and rename the temporary file onto the destination (a
    /// non-regular destination is flushed).
    pub fn commit(self) -> Result<()> {
        let path = self.path;
        match self.target {
            Target::Temp { dest, writer } => {
                let tmp = writer
                    .into_inner()
                    .map_err(|e| io_err(&path, e.into_error()))?;
                tmp.as_file().sync_all().map_err(|e| io_err(&path, e))?;
                tmp.persist(&dest).map_err(|e| io_err(&path, e.error))?;
            }
            Target::Direct(mut writer) => writer.flush().map_err(|e| io_err(&path, e))?,
        }
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.target {
            Target::Temp { writer, .. } => writer.write(buf),
            Target::Direct(writer) => writer.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.target {
            Target::Temp { writer, .. } => writer.flush(),
            Target::Direct(writer) => writer.flush(),
        }
    }
}

fn io_err(path: &Path, source: std::io::Error) -> Error {
    Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_appears_until_commit() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.txt");
        let mut f = AtomicFile::create(&out).unwrap();
        f.write_all(b"hello").unwrap();
        assert!(!out.exists());
        f.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "hello");
        let g = AtomicFile::create(&out).unwrap();
        drop(g);
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "hello");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_pipe_is_written_not_replaced() {
        // As `--output /dev/null`: a rename onto a device or pipe would
        // replace it with a regular file (as root, /dev/null then hands
        // what was written to it to every later reader).
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo failed");
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        let mut f = AtomicFile::create(&fifo).unwrap();
        f.write_all(b"through the pipe").unwrap();
        f.commit().unwrap();
        // Checked first: a replaced pipe would leave the reader waiting.
        use std::os::unix::fs::FileTypeExt;
        let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
        assert!(kind.is_fifo(), "the pipe was replaced");
        assert_eq!(reader.join().unwrap(), b"through the pipe");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_a_file_is_kept_and_its_file_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.txt");
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.txt");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let mut f = AtomicFile::create(&link).unwrap();
        f.write_all(b"new").unwrap();
        f.commit().unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
    }

    #[test]
    fn a_directory_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let e = AtomicFile::create(dir.path()).err().unwrap().to_string();
        assert!(e.contains("is a directory"), "{e}");
        assert!(dir.path().is_dir());
    }
}
