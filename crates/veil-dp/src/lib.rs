//! Veil's differential privacy core.
//!
//! * [`samplers`]: exact Bernoulli(exp(−γ)), discrete Laplace and discrete
//!   Gaussian samplers (Canonne, Kamath & Steinke 2020) over [`rng::PrivacyRng`].
//! * [`mechanisms`]: Laplace, Gaussian (analytic calibration), geometric,
//!   exponential and report-noisy-max, releasing on a stated grid.
//! * [`accounting`]: RDP, PLD (connect-the-dots, FFT), zCDP, basic and
//!   advanced composition, and the DP-SGD ε/noise calculators.
//! * [`aggregate`]: DP COUNT, COUNT(DISTINCT unit), SUM, MEAN, VARIANCE and
//!   QUANTILES over Arrow record batches with contribution bounding and
//!   partition selection.
//!
//! This crate does no I/O: callers hand it Arrow batches and receive a
//! release with its accounting; the ledger lives in `veil-govern`.

pub mod accounting;
pub mod aggregate;
pub mod error;
pub mod mechanisms;
pub mod rng;
pub mod samplers;

pub use error::{DpError, Result};
pub use rng::PrivacyRng;
