//! The standard normal distribution's CDF and tails, accurate far into the
//! tails (erfc from libm keeps relative precision down to ~1e-300).

use std::f64::consts::SQRT_2;

/// Φ(x), the standard normal CDF.
pub fn cdf(x: f64) -> f64 {
    0.5 * libm::erfc(-x / SQRT_2)
}

/// 1 − Φ(x), computed without cancellation.
pub fn sf(x: f64) -> f64 {
    0.5 * libm::erfc(x / SQRT_2)
}

/// Quantile function Φ⁻¹(p) for p in (0, 1), by bisection on [`cdf`]
/// (used for truncation bounds, not on hot paths).
pub fn quantile(p: f64) -> f64 {
    let (mut lo, mut hi) = (-40.0f64, 40.0f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if cdf(mid) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        assert!((cdf(0.0) - 0.5).abs() < 1e-15);
        assert!((cdf(1.959963984540054) - 0.975).abs() < 1e-12);
        // 1 − Φ(10) = 7.619853024160527e-24 (scipy.stats.norm.sf(10)).
        assert!((sf(10.0) / 7.619853024160527e-24 - 1.0).abs() < 1e-10);
        assert!((quantile(0.975) - 1.959963984540054).abs() < 1e-9);
    }
}
