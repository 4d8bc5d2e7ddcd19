//! Veil's private learning. A public schema turns table rows into inputs
//! ([`schema`], [`encode`], [`text`]); [`model`] holds logistic/softmax
//! regression and MLPs with per-example gradient norms computed in batch;
//! [`dpsgd`] trains them with Poisson sampling, clipping and exact discrete
//! Gaussian noise, calibrated by veil-dp's accountants; [`metrics`] scores
//! them; [`artifact`] stores them with their privacy cards; [`pipeline`]
//! strings it together for `veil train`, and [`chart`] draws the
//! privacy–utility sweep.
//!
//! Invariant: nothing in the encoding is fitted on the private data, and the
//! ε printed for a model is the accountant's for the (q, σ, steps) recorded in
//! its card.

pub mod artifact;
pub mod chart;
pub mod config;
pub mod dpsgd;
pub mod encode;
pub mod error;
pub mod metrics;
pub mod model;
pub mod optim;
pub mod pipeline;
pub mod schema;
pub mod text;
pub mod utility;

pub use error::{LearnError, Result};

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
