//! Typed errors of the detection engine.

use std::path::PathBuf;

/// What went wrong while building an analyzer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A recognizer's regular expression does not compile.
    #[error("recognizer `{recognizer}`: invalid pattern: {message}")]
    BadPattern {
        /// The recognizer's name.
        recognizer: String,
        /// The compiler's message.
        message: String,
    },
    /// A custom recognizer file is invalid.
    #[error("{path}: {message}")]
    BadConfig {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// A file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}
