//! Typed errors for reading inputs and writing outputs.

use std::path::PathBuf;

/// Result alias for veil-core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, with the file and position where that is known.
/// Messages never include the content of the input.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An operating-system I/O error on a named path.
    #[error("{path}: {source}")]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The input is not valid UTF-8.
    #[error(
        "{path}: invalid UTF-8 at byte offset {offset} (use --lossy to replace invalid bytes and continue)"
    )]
    InvalidUtf8 {
        /// The file involved.
        path: PathBuf,
        /// Byte offset of the first invalid byte, from the start of the file.
        offset: u64,
    },
    /// A record (JSONL line, CSV row) could not be parsed.
    #[error("{path}:{line}: {message}")]
    BadRecord {
        /// The file involved.
        path: PathBuf,
        /// 1-based line number (JSONL) or record number (CSV data row, header = line 1).
        line: u64,
        /// What was wrong, without quoting the content.
        message: String,
    },
    /// A requested column does not exist.
    #[error("{path}: no column named `{column}` (columns: {available})")]
    MissingColumn {
        /// The file involved.
        path: PathBuf,
        /// The requested column.
        column: String,
        /// The columns that do exist, comma-separated.
        available: String,
    },
    /// A Parquet file could not be read.
    #[error("{path}: parquet: {message}")]
    Parquet {
        /// The file involved.
        path: PathBuf,
        /// What the Parquet reader reported.
        message: String,
    },
}

impl Error {
    /// Whether the error concerns one record only, so that a scan can count
    /// it and go on with the rest of the input.
    pub fn is_record_error(&self) -> bool {
        matches!(self, Error::BadRecord { .. } | Error::InvalidUtf8 { .. })
    }

    /// Whether the error is data that cannot be decoded — a corrupt or
    /// truncated compressed file ([`crate::io::compressed`]): the rest of
    /// that input is unreadable, other inputs are not. A plain file's reads
    /// fail with neither kind.
    pub fn is_corrupt_data(&self) -> bool {
        matches!(
            self,
            Error::Io { source, .. } if matches!(
                source.kind(),
                std::io::ErrorKind::InvalidData | std::io::ErrorKind::UnexpectedEof
            )
        )
    }
}
