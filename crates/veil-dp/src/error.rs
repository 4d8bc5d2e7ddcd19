//! Typed errors of the DP crate. Messages name the parameter and the value
//! that was refused, never a data value from a record.

use thiserror::Error;

/// Everything that can go wrong while configuring or running a DP release.
#[derive(Debug, Error)]
pub enum DpError {
    /// ε must be a finite number above zero.
    #[error("epsilon must be finite and > 0, got {0}")]
    InvalidEpsilon(f64),
    /// δ must lie in [0, 1) (or (0, 1) where a mechanism needs δ > 0).
    #[error("delta must be in {range}, got {value}")]
    InvalidDelta {
        /// The accepted range, in words.
        range: &'static str,
        /// The refused value.
        value: f64,
    },
    /// A parameter outside its domain (sensitivity, sampling rate, bounds…).
    #[error("invalid {name}: {reason}")]
    InvalidParameter {
        /// The parameter's name as the user knows it.
        name: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The lower clamping bound exceeds the upper one.
    #[error("lower bound {lower} is greater than upper bound {upper}")]
    BoundsInverted {
        /// The lower bound given.
        lower: f64,
        /// The upper bound given.
        upper: f64,
    },
    /// No noise level in the searched range reaches the requested guarantee.
    #[error("{0}")]
    Unreachable(String),
    /// A column the query needs is missing or has the wrong type.
    #[error("column {column:?}: {reason}")]
    Column {
        /// The column's name.
        column: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A value in a row cannot be used (e.g. not a number).
    #[error("row {row}, column {column:?}: {reason}")]
    BadValue {
        /// 1-based row number across all batches (header not counted).
        row: u64,
        /// The column's name.
        column: String,
        /// What is wrong (never the raw value).
        reason: String,
    },
    /// The operating system's random source failed.
    #[error("secure random source unavailable: {0}")]
    Rng(String),
    /// Arrow compute failed.
    #[error("arrow: {0}")]
    Arrow(#[from] arrow_schema::ArrowError),
}

/// Result alias for this crate.
pub type Result<T> = std::result::Result<T, DpError>;

/// Checks that ε is finite and strictly positive.
pub fn check_epsilon(epsilon: f64) -> Result<()> {
    if epsilon.is_finite() && epsilon > 0.0 {
        Ok(())
    } else {
        Err(DpError::InvalidEpsilon(epsilon))
    }
}

/// Checks that δ lies in [0, 1).
pub fn check_delta(delta: f64) -> Result<()> {
    if delta.is_finite() && (0.0..1.0).contains(&delta) {
        Ok(())
    } else {
        Err(DpError::InvalidDelta {
            range: "[0, 1)",
            value: delta,
        })
    }
}

/// Checks that δ lies in (0, 1), as approximate-DP mechanisms need.
pub fn check_delta_positive(delta: f64) -> Result<()> {
    if delta.is_finite() && delta > 0.0 && delta < 1.0 {
        Ok(())
    } else {
        Err(DpError::InvalidDelta {
            range: "(0, 1)",
            value: delta,
        })
    }
}

/// Checks that a sensitivity or scale is finite and strictly positive.
pub fn check_positive(name: &'static str, value: f64) -> Result<()> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(DpError::InvalidParameter {
            name,
            reason: format!("must be finite and > 0, got {value}"),
        })
    }
}
