//! The analytic Gaussian mechanism (Balle & Wang 2018): the exact (ε, δ)
//! curve of Gaussian noise and the smallest σ that meets a target.

use super::normal;
use crate::error::{Result, check_delta_positive, check_epsilon, check_positive};

/// δ(ε) of the Gaussian mechanism with noise σ and L2 sensitivity Δ:
/// Φ(Δ/2σ − εσ/Δ) − e^ε·Φ(−Δ/2σ − εσ/Δ) (Balle & Wang 2018, Theorem 8).
pub fn delta_for_epsilon(sigma: f64, sensitivity: f64, epsilon: f64) -> f64 {
    let a = sensitivity / (2.0 * sigma);
    let b = epsilon * sigma / sensitivity;
    let d = normal::cdf(a - b) - epsilon.exp() * normal::cdf(-a - b);
    d.max(0.0)
}

/// The smallest σ (to relative 1e-12) whose Gaussian mechanism with L2
/// sensitivity Δ is (ε, δ)-DP, found by bisection on the exact curve.
pub fn sigma_for(epsilon: f64, delta: f64, sensitivity: f64) -> Result<f64> {
    check_epsilon(epsilon)?;
    check_delta_positive(delta)?;
    check_positive("sensitivity", sensitivity)?;
    let (mut lo, mut hi) = (1e-6 * sensitivity, sensitivity);
    while delta_for_epsilon(hi, sensitivity, epsilon) > delta {
        hi *= 2.0;
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if delta_for_epsilon(mid, sensitivity, epsilon) > delta {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= 1e-12 * hi {
            break;
        }
    }
    Ok(hi)
}

/// ε of the Gaussian mechanism with noise σ at a given δ (bisection on the
/// exact curve); 0 when δ is already met at ε = 0.
pub fn epsilon_for(sigma: f64, delta: f64, sensitivity: f64) -> Result<f64> {
    check_delta_positive(delta)?;
    check_positive("sigma", sigma)?;
    check_positive("sensitivity", sensitivity)?;
    if delta_for_epsilon(sigma, sensitivity, 0.0) <= delta {
        return Ok(0.0);
    }
    let (mut lo, mut hi) = (0.0, 1.0);
    while delta_for_epsilon(sigma, sensitivity, hi) > delta {
        hi *= 2.0;
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if delta_for_epsilon(sigma, sensitivity, mid) > delta {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok(hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_reference_calibrations() {
        // dp_accounting.get_smallest_gaussian_noise / Balle–Wang reference:
        // ε = 1, δ = 1e-5, Δ = 1 → σ ≈ 3.7305.
        let s = sigma_for(1.0, 1e-5, 1.0).unwrap();
        assert!((s - 3.730).abs() < 0.01, "{s}");
        // The classical bound √(2 ln(1.25/δ))/ε is looser.
        assert!(s < (2.0 * (1.25f64 / 1e-5).ln()).sqrt());
        // Round trip.
        let e = epsilon_for(s, 1e-5, 1.0).unwrap();
        assert!((e - 1.0).abs() < 1e-6, "{e}");
        assert!(sigma_for(0.0, 1e-5, 1.0).is_err());
        assert!(sigma_for(1.0, 0.0, 1.0).is_err());
    }
}
