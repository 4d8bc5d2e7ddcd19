//! Zero-concentrated DP (Bun & Steinke 2016) for Gaussian releases: ρ adds
//! up under composition; conversion to (ε, δ) uses the tight RDP route
//! (Canonne, Kamath & Steinke 2020, Proposition 12 / Balle et al. 2020).

use crate::error::{Result, check_delta_positive, check_positive};

/// A running ρ-zCDP total.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ZcdpAccountant {
    rho: f64,
}

impl ZcdpAccountant {
    /// ρ so far.
    pub fn rho(&self) -> f64 {
        self.rho
    }

    /// Adds a Gaussian (or discrete Gaussian) release: ρ = Δ²/(2σ²).
    pub fn compose_gaussian(&mut self, sigma: f64, sensitivity: f64) -> Result<()> {
        check_positive("sigma", sigma)?;
        check_positive("sensitivity", sensitivity)?;
        self.rho += sensitivity * sensitivity / (2.0 * sigma * sigma);
        Ok(())
    }

    /// Adds an arbitrary ρ.
    pub fn compose_rho(&mut self, rho: f64) -> Result<()> {
        check_positive("rho", rho)?;
        self.rho += rho;
        Ok(())
    }

    /// ε at δ: min over α > 1 of αρ + (ln(1/δ) + (α−1)ln(1−1/α) − ln α)/(α−1).
    pub fn epsilon(&self, delta: f64) -> Result<f64> {
        check_delta_positive(delta)?;
        if self.rho == 0.0 {
            return Ok(0.0);
        }
        let f = |a: f64| {
            a * self.rho
                + ((1.0 / delta).ln() + (a - 1.0) * (-1.0 / a).ln_1p() - a.ln()) / (a - 1.0)
        };
        // Convex in α: golden-section search on a log scale.
        let (mut lo, mut hi) = (1.000_001f64.ln(), 1e7f64.ln());
        let g = (5f64.sqrt() - 1.0) / 2.0;
        for _ in 0..200 {
            let m1 = hi - g * (hi - lo);
            let m2 = lo + g * (hi - lo);
            if f(m1.exp()) < f(m2.exp()) {
                hi = m2;
            } else {
                lo = m1;
            }
        }
        Ok(f((0.5 * (lo + hi)).exp()).max(0.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_no_worse_than_the_classical_conversion() {
        let mut z = ZcdpAccountant::default();
        z.compose_gaussian(4.0, 1.0).unwrap();
        z.compose_gaussian(4.0, 1.0).unwrap();
        assert!((z.rho() - 1.0 / 16.0).abs() < 1e-15);
        let eps = z.epsilon(1e-5).unwrap();
        let classical = z.rho() + 2.0 * (z.rho() * (1e5f64).ln()).sqrt();
        assert!(eps < classical && eps > 0.0, "{eps} {classical}");
    }
}
