//! Readers for the inputs Veil scans and the atomic writer for its outputs.
//!
//! Readers stream: memory is bounded by the chunk size a caller asks for,
//! never by the size of the file. A record that cannot be parsed is returned
//! as an error next to the good records, so that callers can count it and go
//! on.

pub mod atomic;
pub mod batches;
pub mod columns;
pub mod compressed;
pub mod csv_blocks;
pub mod jsonl;
pub mod table;
pub mod text;

use std::io::Read;
use std::path::Path;

/// How many leading bytes [`looks_binary`] inspects.
pub const BINARY_SNIFF_LEN: usize = 8192;

/// Whether the first bytes of a file look like binary data (a NUL byte in
/// the first 8 KiB, as git and ripgrep decide).
pub fn looks_binary(head: &[u8]) -> bool {
    head[..head.len().min(BINARY_SNIFF_LEN)].contains(&0)
}

/// Read up to [`BINARY_SNIFF_LEN`] bytes from the start of `path` (of its
/// decompressed content for a compressed file: [`compressed::open`]).
pub fn sniff(path: &Path) -> crate::Result<Vec<u8>> {
    let file = compressed::open(path)?;
    let mut buf = Vec::with_capacity(BINARY_SNIFF_LEN);
    file.take(BINARY_SNIFF_LEN as u64)
        .read_to_end(&mut buf)
        .map_err(|e| crate::Error::Io {
            path: path.to_path_buf(),
            source: e,
        })?;
    Ok(buf)
}

/// The kind of input a path holds, decided by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// Plain text (anything not listed below).
    Text,
    /// JSON Lines: one JSON object per line.
    Jsonl,
    /// Comma-separated values with a header row.
    Csv,
    /// Apache Parquet.
    Parquet,
}

impl InputKind {
    /// Decide the kind from the file extension (case-insensitive), that of
    /// the file a compressed one holds (`emails.csv.gz` is CSV). A Parquet
    /// file is compressed inside; one compressed again is read as text (and
    /// skipped as binary).
    pub fn from_path(path: &Path) -> InputKind {
        let compressed = compressed::codec_of(path).is_some();
        match compressed::inner_path(path)
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref()
        {
            Some("jsonl") | Some("ndjson") => InputKind::Jsonl,
            Some("csv") => InputKind::Csv,
            Some("parquet") | Some("pq") if !compressed => InputKind::Parquet,
            _ => InputKind::Text,
        }
    }
}

/// A reader that fails after its bytes, as a disk or a pipe can (for the
/// readers' tests).
#[cfg(test)]
pub(crate) struct FailingAfter(pub(crate) &'static [u8]);

#[cfg(test)]
impl Read for FailingAfter {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.0.is_empty() {
            return Err(std::io::Error::other("device gone"));
        }
        let n = buf.len().min(self.0.len());
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_and_kind() {
        assert!(looks_binary(b"abc\0def"));
        assert!(!looks_binary("héllo".as_bytes()));
        assert_eq!(
            InputKind::from_path(Path::new("a/b.JSONL")),
            InputKind::Jsonl
        );
        assert_eq!(
            InputKind::from_path(Path::new("x.parquet")),
            InputKind::Parquet
        );
        assert_eq!(InputKind::from_path(Path::new("x.py")), InputKind::Text);
        assert_eq!(
            InputKind::from_path(Path::new("dump/emails.CSV.gz")),
            InputKind::Csv
        );
        assert_eq!(
            InputKind::from_path(Path::new("chats.jsonl.zst")),
            InputKind::Jsonl
        );
        assert_eq!(
            InputKind::from_path(Path::new("x.parquet.gz")),
            InputKind::Text
        );
        assert_eq!(
            InputKind::from_path(Path::new("app.log.gz")),
            InputKind::Text
        );
    }
}
