//! Veil's de-identification. [`policy`] maps entity types to [`operator`]s
//! (redact, replace, mask, keep, keyed hash, AES-SIV encryption, consistent
//! [`surrogate`] pseudonyms, FF1 format-preserving encryption) and sets the
//! quarantine rule; [`keys`] derives every operator's subkey from one master
//! key; [`redact`] rewrites one text and re-scans it; [`job`] runs files
//! (JSONL contract, quarantine file, report) and `restore`; [`table`] runs
//! CSV and Parquet tables with per-column actions ([`generalize`] for
//! generalised columns); [`html`] writes the report page.
//!
//! Invariants: records in = records out + records quarantined; no report,
//! error or log carries a key or a detected value; outputs are atomic.

pub mod error;
pub mod generalize;
pub mod html;
pub mod job;
mod json_field;
pub mod keys;
pub mod operator;
pub mod policy;
pub mod redact;
pub mod surrogate;
pub mod table;

pub use error::{RedactError, Result};
