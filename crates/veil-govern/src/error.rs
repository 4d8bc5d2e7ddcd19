//! Typed errors of the governance store.

use std::path::PathBuf;
use thiserror::Error;

/// What can go wrong with the ledger.
#[derive(Debug, Error)]
pub enum GovernError {
    /// The file exists but is not a usable Veil ledger (corrupted, or another file).
    #[error("ledger {path}: not a usable Veil ledger ({reason})")]
    Corrupt {
        /// The ledger file.
        path: PathBuf,
        /// What SQLite or the schema check reported.
        reason: String,
    },
    /// A release would spend more than the dataset has left.
    #[error(
        "over budget for dataset {dataset:?}: this release needs ε={epsilon}, δ={delta} but only ε={remaining_epsilon}, δ={remaining_delta} remain (of ε={total_epsilon}, δ={total_delta}); nothing was released"
    )]
    OverBudget {
        /// Dataset name.
        dataset: String,
        /// ε requested.
        epsilon: f64,
        /// δ requested.
        delta: f64,
        /// ε left.
        remaining_epsilon: f64,
        /// δ left.
        remaining_delta: f64,
        /// ε total.
        total_epsilon: f64,
        /// δ total.
        total_delta: f64,
    },
    /// No dataset with that name or content hash is registered.
    #[error("dataset {0} is not registered in the ledger; register it with `veil dp budget init`")]
    UnknownDataset(String),
    /// A dataset with that name already exists.
    #[error("a dataset named {0:?} is already registered")]
    DuplicateDataset(String),
    /// A budget parameter is out of range.
    #[error("invalid budget: {0}")]
    InvalidBudget(String),
    /// Any other SQLite failure.
    #[error("ledger {path}: {source}")]
    Sqlite {
        /// The ledger file.
        path: PathBuf,
        /// The SQLite error.
        source: rusqlite::Error,
    },
}

/// Result alias for this crate.
pub type Result<T> = std::result::Result<T, GovernError>;
