//! Veil's PII and secret detection engine.
//!
//! An [`Analyzer`] runs recognizers over a text and returns non-overlapping
//! [`Finding`](veil_core::Finding)s at or above a score threshold:
//! - pattern recognizers ([`pattern`], [`builtin`]): regex + validator + context words;
//! - phone numbers validated with libphonenumber metadata ([`phone`]);
//! - PERSON and LOCATION from shipped gazetteers plus context ([`names`], [`gazetteer`], [`address`]);
//! - secrets behind one keyword prefilter ([`secrets`]), shared with the
//!   text patterns' trigger strings in one pass per text ([`keywords`]);
//! - custom recognizers, deny-lists and allow-lists from TOML ([`custom`]).
//!
//! [`structured`] classifies table columns from sampled values; every compiled
//! pattern is held [`per_thread`] (one copy per worker); many patterns are
//! searched at once with a [`pattern_set`].
//!
//! Architecture invariant: this crate knows nothing of files or the command
//! line; recognizers are pure functions of their input and configuration,
//! and the only parallelism is in [`Analyzer::analyze_batch`].

pub mod address;
pub mod analyzer;
pub mod builtin;
pub mod context;
pub mod custom;
pub mod error;
pub mod gazetteer;
pub mod keywords;
mod language;
pub mod lexicon;
pub mod names;
pub mod pattern;
pub mod pattern_set;
pub mod per_thread;
pub mod phone;
pub mod quasi;
pub mod secrets;
pub mod spelling;
mod spelling_model;
pub mod structured;
pub mod validators;

pub use analyzer::{Analyzer, AnalyzerConfig};
pub use error::Error;

use veil_core::EntityType;

/// A recognizer's proposal before thresholding and overlap resolution.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Entity type.
    pub entity: EntityType,
    /// Start byte offset.
    pub start: usize,
    /// End byte offset (exclusive).
    pub end: usize,
    /// Score in [0, 1].
    pub score: f32,
    /// Recognizer name ([`veil_core::intern`]ed).
    pub recognizer: &'static str,
}
