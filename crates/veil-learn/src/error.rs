//! Typed errors for encoding, training, evaluation and model artifacts.
//! Messages name the file, the row and the column; they never quote a cell's
//! content (it may be personal data).

use std::path::PathBuf;

/// Result alias for veil-learn.
pub type Result<T, E = LearnError> = std::result::Result<T, E>;

/// What went wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LearnError {
    /// An operating-system I/O error on a named path.
    #[error("{path}: {source}")]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A configuration or schema file is malformed or inconsistent.
    #[error("{path}: {message}")]
    Config {
        /// The file involved.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A cell of the data is unusable (not a number, not finite, unknown category…).
    #[error("{path}: row {row}, column `{column}`: {message}")]
    BadCell {
        /// The data file.
        path: PathBuf,
        /// 1-based line number in a CSV file (header = line 1), 1-based row in Parquet.
        row: u64,
        /// The column as the schema names it.
        column: String,
        /// What is wrong, without the cell's value.
        message: String,
    },
    /// A column the schema needs is not in the data.
    #[error(
        "{path}: column `{column}` named in the schema is not in the data (columns: {available})"
    )]
    MissingColumn {
        /// The data file.
        path: PathBuf,
        /// The missing column.
        column: String,
        /// The columns that exist.
        available: String,
    },
    /// The data cannot train the model (one class, no rows…).
    #[error("{path}: {message}")]
    Unusable {
        /// The data file.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// No training configuration reaches the requested privacy guarantee.
    #[error("{0}")]
    Unreachable(String),
    /// A training parameter is out of its domain.
    #[error("invalid {name}: {reason}")]
    InvalidParameter {
        /// The parameter as the user knows it.
        name: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// A model artifact is missing, corrupted or from an incompatible version.
    #[error("{path}: {message}")]
    Artifact {
        /// The artifact file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// An error from the differential-privacy core.
    #[error(transparent)]
    Dp(#[from] veil_dp::DpError),
    /// An error reading inputs or writing outputs.
    #[error(transparent)]
    Core(#[from] veil_core::Error),
}

pub(crate) fn io_err(path: &std::path::Path, source: std::io::Error) -> LearnError {
    LearnError::Io {
        path: path.to_path_buf(),
        source,
    }
}
