//! Rényi DP accounting (Mironov 2017) for the Gaussian and the
//! Poisson-subsampled Gaussian (Mironov, Talwar & Zhang 2019), with the
//! RDP→(ε, δ) conversion of Balle et al. 2020 (Proposition 12) — the same
//! formulas and default orders as Google's dp-accounting `RdpAccountant`.

use crate::error::{DpError, Result, check_delta};

/// dp-accounting's default orders: 1.1, 1.2, …, 10.9, 11, …, 63, 128, 256, 512, 1024.
pub fn default_orders() -> Vec<f64> {
    let mut v: Vec<f64> = (1..100).map(|x| 1.0 + x as f64 / 10.0).collect();
    v.extend((11..64).map(|x| x as f64));
    v.extend([128.0, 256.0, 512.0, 1024.0]);
    v
}

fn log_add(x: f64, y: f64) -> f64 {
    let (a, b) = if x < y { (x, y) } else { (y, x) };
    if a == f64::NEG_INFINITY {
        return b;
    }
    (a - b).exp().ln_1p() + b
}

fn log_comb(n: f64, k: f64) -> f64 {
    libm::lgamma(n + 1.0) - libm::lgamma(k + 1.0) - libm::lgamma(n - k + 1.0)
}

/// log(erfc(x)), accurate for large x.
fn log_erfc(x: f64) -> f64 {
    let r = libm::erfc(x);
    if r > 0.0 {
        r.ln()
    } else {
        // Laurent series of erfc at infinity.
        -std::f64::consts::PI.ln() / 2.0 - x.ln() - x * x - 0.5 * x.powi(-2) + 0.625 * x.powi(-4)
            - 37.0 / 24.0 * x.powi(-6)
            + 353.0 / 64.0 * x.powi(-8)
    }
}

fn log_a_int(q: f64, sigma: f64, alpha: u64) -> f64 {
    let mut log_a = f64::NEG_INFINITY;
    let log1mq = (-q).ln_1p();
    for i in 0..=alpha {
        let i_f = i as f64;
        let log_coef = log_comb(alpha as f64, i_f) + i_f * q.ln() + (alpha as f64 - i_f) * log1mq;
        let s = log_coef + (i_f * i_f - i_f) / (2.0 * sigma * sigma);
        log_a = log_add(log_a, s);
    }
    log_a
}

fn log_a_frac(q: f64, sigma: f64, alpha: f64) -> f64 {
    let (mut log_a0, mut log_a1) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
    let z0 = sigma * sigma * (1.0 / q - 1.0).ln() + 0.5;
    let log1mq = (-q).ln_1p();
    let (mut last0, mut last1) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
    for i in 0..1000 {
        let i_f = i as f64;
        let log_coef = log_comb(alpha, i_f);
        let j = alpha - i_f;
        let log_t0 = log_coef + i_f * q.ln() + j * log1mq;
        let log_t1 = log_coef + j * q.ln() + i_f * log1mq;
        let log_e0 = 0.5f64.ln() + log_erfc((i_f - z0) / (std::f64::consts::SQRT_2 * sigma));
        let log_e1 = 0.5f64.ln() + log_erfc((z0 - j) / (std::f64::consts::SQRT_2 * sigma));
        let log_s0 = log_t0 + (i_f * i_f - i_f) / (2.0 * sigma * sigma) + log_e0;
        let log_s1 = log_t1 + (j * j - j) / (2.0 * sigma * sigma) + log_e1;
        log_a0 = log_add(log_a0, log_s0);
        log_a1 = log_add(log_a1, log_s1);
        let total = log_add(log_a0, log_a1);
        if log_s0 < last0 && log_s1 < last1 && log_s0.max(log_s1) < total - 30.0 {
            return total;
        }
        last0 = log_s0;
        last1 = log_s1;
    }
    f64::INFINITY
}

/// RDP ε(α) of one Poisson-subsampled Gaussian step (sampling rate q, noise
/// multiplier σ = noise std / L2 sensitivity), at order α > 1.
pub fn subsampled_gaussian(q: f64, sigma: f64, alpha: f64) -> f64 {
    if q == 0.0 {
        return 0.0;
    }
    if alpha.is_infinite() || sigma == 0.0 {
        return f64::INFINITY;
    }
    if q >= 1.0 {
        return alpha / (2.0 * sigma * sigma);
    }
    let log_a = if alpha.fract() == 0.0 {
        log_a_int(q, sigma, alpha as u64)
    } else {
        log_a_frac(q, sigma, alpha)
    };
    log_a / (alpha - 1.0)
}

/// A composable RDP curve: ε(α) at a fixed set of orders.
#[derive(Clone, Debug, PartialEq)]
pub struct RdpAccountant {
    orders: Vec<f64>,
    rdp: Vec<f64>,
}

impl Default for RdpAccountant {
    fn default() -> Self {
        RdpAccountant::new(default_orders())
    }
}

impl RdpAccountant {
    /// An empty (zero-privacy-loss) curve at the given orders (all > 1).
    pub fn new(orders: Vec<f64>) -> RdpAccountant {
        let rdp = vec![0.0; orders.len()];
        RdpAccountant { orders, rdp }
    }

    /// Composes `steps` Poisson-subsampled Gaussian steps.
    pub fn compose_subsampled_gaussian(&mut self, q: f64, sigma: f64, steps: u64) -> Result<()> {
        check_rate(q)?;
        check_sigma(sigma)?;
        for (o, r) in self.orders.iter().zip(self.rdp.iter_mut()) {
            *r += steps as f64 * subsampled_gaussian(q, sigma, *o);
        }
        Ok(())
    }

    /// Composes a Gaussian mechanism with noise σ and L2 sensitivity Δ (ε(α) = αΔ²/2σ²).
    pub fn compose_gaussian(&mut self, sigma: f64, sensitivity: f64) {
        for (o, r) in self.orders.iter().zip(self.rdp.iter_mut()) {
            *r += o * sensitivity * sensitivity / (2.0 * sigma * sigma);
        }
    }

    /// Composes another curve on the same orders.
    pub fn compose(&mut self, other: &RdpAccountant) -> Result<()> {
        if self.orders != other.orders {
            return Err(DpError::InvalidParameter {
                name: "RDP orders",
                reason: "curves on different orders cannot be composed".into(),
            });
        }
        for (r, o) in self.rdp.iter_mut().zip(&other.rdp) {
            *r += o;
        }
        Ok(())
    }

    /// The smallest ε over the orders for which the composition is (ε, δ)-DP,
    /// with the order that achieves it.
    pub fn epsilon(&self, delta: f64) -> Result<(f64, f64)> {
        check_delta(delta)?;
        Ok(rdp_to_epsilon(&self.orders, &self.rdp, delta))
    }
}

/// Balle et al. 2020, Prop. 12: ε = r + log1p(−1/α) − log(δ·α)/(α−1), minimised.
pub fn rdp_to_epsilon(orders: &[f64], rdp: &[f64], delta: f64) -> (f64, f64) {
    if delta == 0.0 {
        return if rdp.iter().all(|&r| r == 0.0) {
            (0.0, 0.0)
        } else {
            (f64::INFINITY, 0.0)
        };
    }
    let mut best = (f64::INFINITY, 0.0);
    for (&a, &r) in orders.iter().zip(rdp) {
        let eps = if r < 0.0 || delta * delta + (-r).exp_m1() > 0.0 {
            0.0
        } else if a > 1.01 {
            r + (-1.0 / a).ln_1p() - (delta * a).ln() / (a - 1.0)
        } else {
            f64::INFINITY
        };
        if eps < best.0 {
            best = (eps, a);
        }
    }
    (best.0.max(0.0), best.1)
}

pub(crate) fn check_rate(q: f64) -> Result<()> {
    if q.is_finite() && q > 0.0 && q <= 1.0 {
        Ok(())
    } else {
        Err(DpError::InvalidParameter {
            name: "sampling rate",
            reason: format!("must be in (0, 1], got {q}"),
        })
    }
}

pub(crate) fn check_sigma(sigma: f64) -> Result<()> {
    if sigma.is_finite() && sigma > 0.0 {
        Ok(())
    } else {
        Err(DpError::InvalidParameter {
            name: "noise multiplier",
            reason: format!("must be finite and > 0, got {sigma}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_batch_gaussian_is_alpha_over_two_sigma_squared() {
        assert_eq!(subsampled_gaussian(1.0, 2.0, 4.0), 0.5);
        let mut acc = RdpAccountant::default();
        acc.compose_gaussian(1.0, 1.0);
        let mut acc2 = RdpAccountant::default();
        acc2.compose_subsampled_gaussian(1.0, 1.0, 1).unwrap();
        assert_eq!(acc, acc2);
    }

    #[test]
    fn integer_and_fractional_orders_agree_nearby() {
        // The fractional formula at α = 3.0001 is close to the integer one at 3.
        let a = subsampled_gaussian(0.01, 1.0, 3.0);
        let b = log_a_frac(0.01, 1.0, 3.0001) / 2.0001;
        assert!((a - b).abs() / a < 1e-3, "{a} {b}");
    }
}
