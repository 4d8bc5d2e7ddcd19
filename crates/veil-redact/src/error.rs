//! Typed errors for de-identification. No message carries a key or a
//! detected value: positions, entity types and file lines only.

use std::path::PathBuf;

/// Result alias for veil-redact.
pub type Result<T, E = RedactError> = std::result::Result<T, E>;

/// What went wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RedactError {
    /// A key file or variable is missing or malformed.
    #[error("key: {0}")]
    Key(String),
    /// A policy file is malformed or contradicts itself.
    #[error("{path}: {message}")]
    Policy {
        /// The policy file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// An input record cannot be processed.
    #[error("{path}: line {line}: {message}")]
    Record {
        /// The input.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// A token cannot be restored (wrong key, or altered).
    #[error(
        "{path}: line {line}: token {index} does not decrypt under this key (wrong key, or the token was altered)"
    )]
    Restore {
        /// The input.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// 1-based token number on the line.
        index: usize,
    },
    /// An error of the detection engine.
    #[error(transparent)]
    Detect(#[from] veil_detect::error::Error),
    /// An error reading inputs or writing outputs.
    #[error(transparent)]
    Core(#[from] veil_core::Error),
}
