//! Veil's shared vocabulary: entity types, findings and their spans, typed
//! errors, and the readers and atomic writers for the inputs Veil scans
//! (plain text, JSONL, CSV, Parquet).
//!
//! Architecture invariant: this crate knows nothing about detection rules or
//! the command line. Offsets are byte offsets inside Rust; conversion to
//! Unicode code points happens only at the JSON edge (see [`offsets`]).

pub mod entity;
pub mod error;
pub mod finding;
pub mod html;
pub mod intern;
pub mod io;
pub mod offsets;

pub use entity::{EntityType, Family};
pub use error::{Error, Result};
pub use finding::Finding;
pub use intern::intern;
