//! DP mechanisms built on the exact samplers. Real values are released on a
//! grid of granularity g (a power of two chosen from the noise scale so the
//! grid is 2^20 times finer than the noise): the true value is rounded to the
//! grid, integer noise is added, and the result is scaled back. Rounding can
//! move a value by half a step, so sensitivities are inflated by one grid step
//! (in grid units: ⌈Δ/g⌉ + 1) before calibration. ε is represented as a
//! rational with denominator 2^32, rounded down (so the guarantee used is at
//! least as strong as the one asked for), and reported as `epsilon_used`.

use crate::accounting::analytic_gaussian;
use crate::error::{DpError, Result, check_delta_positive, check_epsilon, check_positive};
use crate::rng::PrivacyRng;
use crate::samplers::{DiscreteGaussian, DiscreteLaplace, bernoulli_exp};
use serde::Serialize;

const EPS_DENOMINATOR_BITS: u32 = 32;
const GRID_BITS: i32 = 20;

/// What a release needs to say about how it was made (for reports and the ledger).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct MechanismInfo {
    /// e.g. "laplace", "gaussian", "geometric", "exponential", "report_noisy_max".
    pub mechanism: &'static str,
    /// The sensitivity the caller declared (L1 for Laplace-type, L2 for Gaussian).
    pub sensitivity: f64,
    /// ε the caller asked for.
    pub epsilon: f64,
    /// ε actually guaranteed (≤ `epsilon`).
    pub epsilon_used: f64,
    /// δ (0 for pure-DP mechanisms).
    pub delta: f64,
    /// Output grid step (1 for integer mechanisms).
    pub granularity: f64,
    /// Standard deviation of the added noise, in output units.
    pub noise_std: f64,
}

/// The largest power of two ≤ x.
pub(crate) fn pow2_floor(x: f64) -> f64 {
    2f64.powi(x.log2().floor() as i32)
}

/// ε rounded down to a multiple of 2^-32, as an integer numerator.
pub(crate) fn epsilon_numerator(epsilon: f64) -> Result<u64> {
    check_epsilon(epsilon)?;
    let num = (epsilon * (1u64 << EPS_DENOMINATOR_BITS) as f64).floor();
    if !(1.0..=(1u64 << 40) as f64).contains(&num) {
        return Err(DpError::InvalidParameter {
            name: "epsilon",
            reason: format!("must lie in [2^-32, 256], got {epsilon}"),
        });
    }
    Ok(num as u64)
}

fn to_grid(x: f64, g: f64) -> Result<i64> {
    let v = (x / g).round();
    if !v.is_finite() || v.abs() >= (1u64 << 62) as f64 {
        return Err(DpError::InvalidParameter {
            name: "value",
            reason: "not finite or too large for the release grid".into(),
        });
    }
    Ok(v as i64)
}

/// Sensitivity in grid units after rounding: ⌈Δ/g⌉ + 1.
fn grid_sensitivity(sensitivity: f64, g: f64) -> Result<u64> {
    let s = (sensitivity / g).ceil() + 1.0;
    if s >= (1u64 << 30) as f64 {
        return Err(DpError::InvalidParameter {
            name: "sensitivity",
            reason: "too large relative to the grid".into(),
        });
    }
    Ok(s as u64)
}

/// The Laplace mechanism on a grid: ε-DP for queries with L1 sensitivity Δ,
/// noise drawn from the exact discrete Laplace.
#[derive(Clone, Debug)]
pub struct LaplaceMechanism {
    granularity: f64,
    noise: DiscreteLaplace,
    info: MechanismInfo,
}

impl LaplaceMechanism {
    /// Checks Δ > 0 and ε > 0 (finite) and calibrates the noise.
    pub fn new(sensitivity: f64, epsilon: f64) -> Result<LaplaceMechanism> {
        check_positive("sensitivity", sensitivity)?;
        let num = epsilon_numerator(epsilon)?;
        let g = pow2_floor(sensitivity / epsilon) / 2f64.powi(GRID_BITS);
        let sens_grid = grid_sensitivity(sensitivity, g)?;
        // scale = sens_grid / (num / 2^32)  =  (sens_grid << 32) / num
        let t = sens_grid << EPS_DENOMINATOR_BITS;
        let noise = DiscreteLaplace::new(t, num)?;
        let epsilon_used = num as f64 / (1u64 << EPS_DENOMINATOR_BITS) as f64;
        Ok(LaplaceMechanism {
            granularity: g,
            noise,
            info: MechanismInfo {
                mechanism: "laplace",
                sensitivity,
                epsilon,
                epsilon_used,
                delta: 0.0,
                granularity: g,
                noise_std: noise.std_dev() * g,
            },
        })
    }

    /// Releases one value.
    pub fn release(&self, value: f64, rng: &mut PrivacyRng) -> Result<f64> {
        let y = to_grid(value, self.granularity)? + self.noise.sample(rng);
        Ok(y as f64 * self.granularity)
    }

    /// Half-width of the interval that holds the noise with probability 1 − alpha.
    pub fn confidence_half_width(&self, alpha: f64) -> f64 {
        self.noise.two_sided_quantile(alpha) as f64 * self.granularity
    }

    /// How the release was made.
    pub fn info(&self) -> &MechanismInfo {
        &self.info
    }
}

/// The geometric mechanism (two-sided geometric = discrete Laplace) for
/// integer queries with integer L1 sensitivity: ε-DP, no grid needed.
#[derive(Clone, Debug)]
pub struct GeometricMechanism {
    noise: DiscreteLaplace,
    info: MechanismInfo,
}

impl GeometricMechanism {
    /// Integer sensitivity ≥ 1 and ε > 0.
    pub fn new(sensitivity: u64, epsilon: f64) -> Result<GeometricMechanism> {
        if sensitivity == 0 || sensitivity >= 1 << 30 {
            return Err(DpError::InvalidParameter {
                name: "sensitivity",
                reason: format!("must be in [1, 2^30), got {sensitivity}"),
            });
        }
        let num = epsilon_numerator(epsilon)?;
        let noise = DiscreteLaplace::new(sensitivity << EPS_DENOMINATOR_BITS, num)?;
        Ok(GeometricMechanism {
            noise,
            info: MechanismInfo {
                mechanism: "geometric",
                sensitivity: sensitivity as f64,
                epsilon,
                epsilon_used: num as f64 / (1u64 << EPS_DENOMINATOR_BITS) as f64,
                delta: 0.0,
                granularity: 1.0,
                noise_std: noise.std_dev(),
            },
        })
    }

    /// Releases one integer.
    pub fn release(&self, value: i64, rng: &mut PrivacyRng) -> i64 {
        value.saturating_add(self.noise.sample(rng))
    }

    /// Half-width of the interval that holds the noise with probability 1 − alpha.
    pub fn confidence_half_width(&self, alpha: f64) -> f64 {
        self.noise.two_sided_quantile(alpha) as f64
    }

    /// How the release was made.
    pub fn info(&self) -> &MechanismInfo {
        &self.info
    }
}

/// The Gaussian mechanism on a grid, calibrated with the analytic Gaussian
/// (Balle & Wang 2018) and sampled with the exact discrete Gaussian. For a
/// `dim`-dimensional release the L2 sensitivity in grid units is Δ/g + √dim
/// (rounding moves each coordinate by at most half a step). σ is then
/// inflated by 2^-10 relative: at σ ≥ 2^20 grid units the discrete Gaussian's
/// tails equal the continuous ones far more closely than that (the discrete
/// (ε, δ) curve of CKS 2020 Thm. 7 is checked against it in the tests).
#[derive(Clone, Debug)]
pub struct GaussianMechanism {
    granularity: f64,
    noise: DiscreteGaussian,
    info: MechanismInfo,
}

impl GaussianMechanism {
    /// L2 sensitivity Δ > 0, ε > 0, δ in (0, 1), output dimension ≥ 1.
    pub fn new(
        sensitivity: f64,
        epsilon: f64,
        delta: f64,
        dim: usize,
    ) -> Result<GaussianMechanism> {
        check_positive("sensitivity", sensitivity)?;
        check_epsilon(epsilon)?;
        check_delta_positive(delta)?;
        if dim == 0 {
            return Err(DpError::InvalidParameter {
                name: "dimension",
                reason: "must be at least 1".into(),
            });
        }
        let sigma = analytic_gaussian::sigma_for(epsilon, delta, sensitivity)?;
        let g = pow2_floor(sigma) / 2f64.powi(GRID_BITS);
        let sens_grid = sensitivity / g + (dim as f64).sqrt();
        let sigma_grid =
            analytic_gaussian::sigma_for(epsilon, delta, sens_grid)? * (1.0 + 1.0 / 1024.0);
        let noise = DiscreteGaussian::new(sigma_grid)?;
        Ok(GaussianMechanism {
            granularity: g,
            noise,
            info: MechanismInfo {
                mechanism: "gaussian",
                sensitivity,
                epsilon,
                epsilon_used: epsilon,
                delta,
                granularity: g,
                noise_std: noise.sigma() * g,
            },
        })
    }

    /// Releases a vector (all coordinates share the calibration).
    pub fn release_vec(&self, values: &[f64], rng: &mut PrivacyRng) -> Result<Vec<f64>> {
        let noise = self.noise.sample_vec(rng, values.len());
        values
            .iter()
            .zip(noise)
            .map(|(&v, z)| Ok((to_grid(v, self.granularity)? + z) as f64 * self.granularity))
            .collect()
    }

    /// How the release was made.
    pub fn info(&self) -> &MechanismInfo {
        &self.info
    }
}

/// The exponential mechanism (McSherry & Talwar 2007): picks index i with
/// probability ∝ exp(ε·u_i / 2Δ), sampled exactly by rejection (uniform
/// proposal, acceptance Bernoulli(exp(−ε(u* − u_i)/2Δ)) with rational γ).
#[derive(Clone, Debug)]
pub struct ExponentialMechanism {
    granularity: f64,
    sens_grid: u64,
    eps_num: u64,
    info: MechanismInfo,
}

impl ExponentialMechanism {
    /// Utility sensitivity Δ > 0 and ε > 0.
    pub fn new(sensitivity: f64, epsilon: f64) -> Result<ExponentialMechanism> {
        check_positive("sensitivity", sensitivity)?;
        let eps_num = epsilon_numerator(epsilon)?;
        let g = pow2_floor(sensitivity) / 2f64.powi(GRID_BITS);
        let sens_grid = grid_sensitivity(sensitivity, g)?;
        Ok(ExponentialMechanism {
            granularity: g,
            sens_grid,
            eps_num,
            info: MechanismInfo {
                mechanism: "exponential",
                sensitivity,
                epsilon,
                epsilon_used: eps_num as f64 / (1u64 << EPS_DENOMINATOR_BITS) as f64,
                delta: 0.0,
                granularity: g,
                noise_std: f64::NAN,
            },
        })
    }

    /// Selects one index of `scores` (higher is better).
    pub fn select(&self, scores: &[f64], rng: &mut PrivacyRng) -> Result<usize> {
        if scores.is_empty() {
            return Err(DpError::InvalidParameter {
                name: "scores",
                reason: "at least one candidate is needed".into(),
            });
        }
        let q: Vec<i64> = scores
            .iter()
            .map(|&s| to_grid(s, self.granularity))
            .collect::<Result<_>>()?;
        let best = q.iter().copied().max().unwrap_or(0);
        let den = (self.sens_grid as u128) << (EPS_DENOMINATOR_BITS + 1);
        loop {
            let i = rng.below(q.len() as u64) as usize;
            let gap = (best - q[i]) as u128;
            let num = gap.saturating_mul(self.eps_num as u128);
            if bernoulli_exp(rng, num, den) {
                return Ok(i);
            }
        }
    }

    /// How the selection was made.
    pub fn info(&self) -> &MechanismInfo {
        &self.info
    }
}

/// Report-noisy-max with discrete Laplace noise of scale 2Δ/ε: ε-DP.
#[derive(Clone, Debug)]
pub struct ReportNoisyMax {
    granularity: f64,
    noise: DiscreteLaplace,
    info: MechanismInfo,
}

impl ReportNoisyMax {
    /// Score sensitivity Δ > 0 and ε > 0.
    pub fn new(sensitivity: f64, epsilon: f64) -> Result<ReportNoisyMax> {
        check_positive("sensitivity", sensitivity)?;
        let num = epsilon_numerator(epsilon)?;
        let g = pow2_floor(sensitivity) / 2f64.powi(GRID_BITS);
        let sens_grid = grid_sensitivity(sensitivity, g)?;
        let noise = DiscreteLaplace::new((2 * sens_grid) << EPS_DENOMINATOR_BITS, num)?;
        Ok(ReportNoisyMax {
            granularity: g,
            noise,
            info: MechanismInfo {
                mechanism: "report_noisy_max",
                sensitivity,
                epsilon,
                epsilon_used: num as f64 / (1u64 << EPS_DENOMINATOR_BITS) as f64,
                delta: 0.0,
                granularity: g,
                noise_std: noise.std_dev() * g,
            },
        })
    }

    /// The index with the largest noisy score.
    pub fn select(&self, scores: &[f64], rng: &mut PrivacyRng) -> Result<usize> {
        let mut best = None;
        for (i, &s) in scores.iter().enumerate() {
            let v = to_grid(s, self.granularity)?.saturating_add(self.noise.sample(rng));
            if best.is_none_or(|(_, b)| v > b) {
                best = Some((i, v));
            }
        }
        best.map(|(i, _)| i).ok_or(DpError::InvalidParameter {
            name: "scores",
            reason: "at least one candidate is needed".into(),
        })
    }

    /// How the selection was made.
    pub fn info(&self) -> &MechanismInfo {
        &self.info
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constructors_check_their_contracts() {
        assert!(LaplaceMechanism::new(0.0, 1.0).is_err());
        assert!(LaplaceMechanism::new(1.0, -1.0).is_err());
        assert!(LaplaceMechanism::new(1.0, f64::INFINITY).is_err());
        assert!(GaussianMechanism::new(1.0, 1.0, 0.0, 1).is_err());
        assert!(GaussianMechanism::new(1.0, 1.0, 1.0, 1).is_err());
        assert!(GaussianMechanism::new(1.0, 1.0, 1e-5, 0).is_err());
        assert!(GeometricMechanism::new(0, 1.0).is_err());
        assert!(ExponentialMechanism::new(f64::NAN, 1.0).is_err());
    }

    #[test]
    fn laplace_noise_has_the_calibrated_spread() {
        let m = LaplaceMechanism::new(1.0, 0.5).unwrap();
        assert!(m.info().epsilon_used <= 0.5 && m.info().epsilon_used > 0.5 - 1e-9);
        // Std of Laplace(b = 2) is 2√2.
        assert!((m.info().noise_std / (2.0 * 2f64.sqrt()) - 1.0).abs() < 1e-5);
        let mut rng = PrivacyRng::insecure_from_seed(9);
        let n = 100_000;
        let xs: Vec<f64> = (0..n)
            .map(|_| m.release(10.0, &mut rng).unwrap() - 10.0)
            .collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let mad = xs.iter().map(|x| x.abs()).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.05, "{mean}");
        assert!(
            (mad / 2.0 - 1.0).abs() < 0.02,
            "mean |noise| {mad}, expected 2"
        );
        let hw = m.confidence_half_width(0.05);
        assert!((hw / (2.0 * 20f64.ln()) - 1.0).abs() < 1e-3, "{hw}");
    }

    #[test]
    fn gaussian_noise_matches_the_analytic_sigma() {
        let m = GaussianMechanism::new(1.0, 1.0, 1e-5, 1).unwrap();
        let s = analytic_gaussian::sigma_for(1.0, 1e-5, 1.0).unwrap();
        let used = m.info().noise_std;
        assert!(used >= s && used < s * 1.002, "{used} vs {s}");
        let mut rng = PrivacyRng::insecure_from_seed(4);
        let v = m.release_vec(&vec![3.0; 50_000], &mut rng).unwrap();
        let sd = (v.iter().map(|x| (x - 3.0).powi(2)).sum::<f64>() / v.len() as f64).sqrt();
        assert!((sd / used - 1.0).abs() < 0.02, "{sd}");
    }

    /// CKS 2020 Theorem 7: the discrete Gaussian's exact δ(ε) for integer
    /// sensitivity Δ is P[Y > εσ²/Δ − Δ/2] − e^ε P[Y > εσ²/Δ + Δ/2]. At a
    /// moderate σ (summable directly) it stays below the continuous analytic
    /// δ once σ is inflated by 2^-10, the margin the Gaussian mechanism uses.
    #[test]
    fn discrete_gaussian_delta_is_covered_by_the_inflated_analytic_curve() {
        for &(sigma, sens, eps) in &[
            (400.0f64, 100.0f64, 1.0f64),
            (2000.0, 700.0, 0.5),
            (300.0, 41.0, 3.0),
        ] {
            let weight = |y: f64| (-(y * y) / (2.0 * sigma * sigma)).exp();
            let r = (60.0 * sigma) as i64;
            let norm: f64 = (-r..=r).map(|y| weight(y as f64)).sum();
            let tail = |x: f64| -> f64 {
                let start = x.floor() as i64 + 1;
                (start..=r).map(|y| weight(y as f64)).sum::<f64>() / norm
            };
            let a = eps * sigma * sigma / sens;
            let discrete = tail(a - sens / 2.0) - eps.exp() * tail(a + sens / 2.0);
            let continuous =
                analytic_gaussian::delta_for_epsilon(sigma / (1.0 + 1.0 / 1024.0), sens, eps);
            assert!(
                discrete <= continuous,
                "σ={sigma}: discrete {discrete} > {continuous}"
            );
        }
    }

    #[test]
    fn exponential_mechanism_follows_exp_of_scores() {
        let m = ExponentialMechanism::new(1.0, 2.0).unwrap();
        let scores = [0.0, 1.0, 2.0];
        let mut rng = PrivacyRng::insecure_from_seed(11);
        let n = 60_000;
        let mut counts = [0usize; 3];
        for _ in 0..n {
            counts[m.select(&scores, &mut rng).unwrap()] += 1;
        }
        let w: Vec<f64> = scores.iter().map(|s| (2.0 * s / 2.0f64).exp()).collect();
        let total: f64 = w.iter().sum();
        for i in 0..3 {
            let p = w[i] / total;
            let sd = (p * (1.0 - p) / n as f64).sqrt();
            let z = (counts[i] as f64 / n as f64 - p) / sd;
            assert!(z.abs() < 4.0, "index {i}: z = {z}");
        }
    }

    #[test]
    fn report_noisy_max_prefers_clear_winners() {
        let m = ReportNoisyMax::new(1.0, 1.0).unwrap();
        let mut rng = PrivacyRng::insecure_from_seed(2);
        let wins = (0..1000)
            .filter(|_| m.select(&[0.0, 50.0, 1.0], &mut rng).unwrap() == 1)
            .count();
        assert!(wins > 990);
    }
}
