//! Typed errors for anonymisation and risk audits.

use std::path::PathBuf;

/// Result alias for veil-anonymize.
pub type Result<T, E = AnonymizeError> = std::result::Result<T, E>;

/// What went wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AnonymizeError {
    /// A configuration file is malformed or its settings contradict each other.
    #[error("{path}: {message}")]
    Config {
        /// The configuration file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A hierarchy cannot generalise a value present in the data. Quasi-identifier
    /// values are named here: they are generalisation inputs the user must fix.
    #[error("{path}: row {row}, column `{column}`: {message}")]
    Hierarchy {
        /// The data file.
        path: PathBuf,
        /// 1-based line (CSV) or row (Parquet) of the first occurrence.
        row: u64,
        /// The quasi-identifier.
        column: String,
        /// What is wrong.
        message: String,
    },
    /// The privacy model cannot be met by any generalisation.
    #[error("{0}")]
    Infeasible(String),
    /// An error reading inputs or writing outputs.
    #[error(transparent)]
    Core(#[from] veil_core::Error),
}
