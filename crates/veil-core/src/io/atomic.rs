//! Atomic output files: written to a temporary file in the destination's
//! directory, renamed into place only on [`AtomicFile::commit`]. A crash or an
//! error leaves either the old file or nothing, never half a file.

use crate::{Error, Result};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// A file being written; dropped without `commit`, it disappears.
pub struct AtomicFile {
    path: PathBuf,
    writer: BufWriter<tempfile::NamedTempFile>,
}

impl AtomicFile {
    /// Start writing `path` (its directory must exist).
    pub fn create(path: &Path) -> Result<AtomicFile> {
        let dir = match path.parent() {
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
            writer: BufWriter::new(tmp),
        })
    }

    /// Flush, sync and rename the temporary file onto the destination.
    pub fn commit(self) -> Result<()> {
        let path = self.path;
        let tmp = self
            .writer
            .into_inner()
            .map_err(|e| io_err(&path, e.into_error()))?;
        tmp.as_file().sync_all().map_err(|e| io_err(&path, e))?;
        tmp.persist(&path).map_err(|e| io_err(&path, e.error))?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writer.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.writer.flush()
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
}
