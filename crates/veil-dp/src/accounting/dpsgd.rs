//! DP-SGD accounting in one call: ε for a (sampling rate, noise multiplier,
//! steps, δ) configuration, and the noise multiplier that reaches a target ε.

use super::pld::PldAccountant;
use super::rdp::RdpAccountant;
use crate::error::{DpError, Result, check_delta_positive, check_epsilon};
use serde::Serialize;

/// Which accountant computes the guarantee.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Accountant {
    /// Privacy-loss distributions (tightest; the default).
    Pld,
    /// Rényi DP.
    Rdp,
}

impl Accountant {
    /// Lower-case name as printed in reports.
    pub fn name(self) -> &'static str {
        match self {
            Accountant::Pld => "pld",
            Accountant::Rdp => "rdp",
        }
    }
}

/// ε after `steps` Poisson-subsampled Gaussian steps at rate `q` and noise
/// multiplier `sigma`, for the given δ.
pub fn epsilon(q: f64, sigma: f64, steps: u64, delta: f64, accountant: Accountant) -> Result<f64> {
    check_delta_positive(delta)?;
    match accountant {
        Accountant::Pld => {
            let mut acc = PldAccountant::default();
            acc.compose_subsampled_gaussian(q, sigma, steps)?;
            acc.epsilon(delta)
        }
        Accountant::Rdp => {
            let mut acc = RdpAccountant::default();
            acc.compose_subsampled_gaussian(q, sigma, steps)?;
            Ok(acc.epsilon(delta)?.0)
        }
    }
}

/// The smallest noise multiplier (to relative 1e-3, rounded up) for which the
/// configuration is (ε, δ)-DP under the accountant.
pub fn noise_multiplier(
    target_epsilon: f64,
    delta: f64,
    q: f64,
    steps: u64,
    accountant: Accountant,
) -> Result<f64> {
    check_epsilon(target_epsilon)?;
    check_delta_positive(delta)?;
    if steps == 0 {
        return Err(DpError::InvalidParameter {
            name: "steps",
            reason: "must be at least 1".into(),
        });
    }
    let eps_at = |s: f64| epsilon(q, s, steps, delta, accountant);
    let mut hi = 1.0;
    while eps_at(hi)? > target_epsilon {
        hi *= 2.0;
        if hi > 1e6 {
            return Err(DpError::Unreachable(format!(
                "no noise multiplier up to 1e6 reaches epsilon {target_epsilon}"
            )));
        }
    }
    let mut lo = hi / 2.0;
    while lo > 0.05 && eps_at(lo)? <= target_epsilon {
        hi = lo;
        lo /= 2.0;
    }
    while (hi - lo) / hi > 1e-3 {
        let mid = 0.5 * (lo + hi);
        if eps_at(mid)? > target_epsilon {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok(hi)
}
