//! Veil's k-anonymisation and dataset risk figures. [`hierarchy`] builds
//! generalisation hierarchies (intervals, breakpoints, dates, prefixes,
//! category trees, suppression) over a column's values; [`risk`] computes
//! equivalence classes, k, uniqueness, prosecutor/journalist/marketer risk,
//! l-diversity and t-closeness; [`search`] finds the optimal full-domain
//! generalisation and [`mondrian`] partitions multidimensionally and [`spill`] runs it over files
//! larger than memory; [`job`] reads, searches and writes; [`config`] is the TOML;
//! [`columns`] profiles each column with the detection engine for audits.
//!
//! Invariant: every output row is an input row with only its
//! quasi-identifiers generalised; rows in = rows out + rows suppressed.

pub mod columns;
pub mod config;
pub mod error;
pub mod hierarchy;
pub mod html;
pub mod job;
pub mod mondrian;
pub mod risk;
pub mod search;
pub mod spill;

pub use error::{AnonymizeError, Result};
