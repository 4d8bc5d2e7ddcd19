//! Veil's governance store. Today it holds the privacy-budget ledger; the
//! same SQLite file is shaped to take lineage, the model registry and the
//! hash-chained audit log later (one `datasets` table keyed by content hash,
//! schema versioned with `PRAGMA user_version`).

pub mod error;
pub mod ledger;
mod time;

pub use error::{GovernError, Result};
pub use ledger::{Dataset, Ledger, NewRelease, ReleaseRecord};
