//! DP partition selection with the truncated-geometric strategy
//! (Desfontaines, Voss, Gipson & Mandayam 2022, "Differentially private
//! partition selection"), the optimal (ε, δ) rule that Google's library and
//! PipelineDP use: a partition holding n privacy units is kept with
//! probability π(n), where π(0) = 0 and
//! π(n) = min(e^ε·π(n−1) + δ, 1 + e^{−ε}·(π(n−1) + δ − 1), 1),
//! with ε and δ divided by the number of partitions one unit may touch.
//! π is computed with ε and δ shrunk by a relative 1e-9 so that float
//! rounding never lets it exceed the exact recursion, and kept exactly with
//! [`bernoulli_f64`].

use crate::error::{DpError, Result, check_delta_positive, check_epsilon};
use crate::rng::PrivacyRng;
use crate::samplers::bernoulli_f64;

/// The keep-probabilities for one (ε, δ, max partitions) setting.
#[derive(Clone, Debug)]
pub struct TruncatedGeometric {
    probs: Vec<f64>,
}

impl TruncatedGeometric {
    /// ε > 0, δ in (0, 1), `max_partitions` ≥ 1 (partitions one unit may touch).
    pub fn new(epsilon: f64, delta: f64, max_partitions: u64) -> Result<TruncatedGeometric> {
        check_epsilon(epsilon)?;
        check_delta_positive(delta)?;
        if max_partitions == 0 {
            return Err(DpError::InvalidParameter {
                name: "max partitions",
                reason: "must be at least 1".into(),
            });
        }
        let eps = epsilon / max_partitions as f64 * (1.0 - 1e-9);
        let d = delta / max_partitions as f64 * (1.0 - 1e-9);
        let mut probs = vec![0.0];
        let mut prev = 0.0f64;
        while prev < 1.0 && probs.len() < 10_000_000 {
            let next = (eps.exp() * prev + d)
                .min(1.0 + (-eps).exp() * (prev + d - 1.0))
                .min(1.0);
            probs.push(next);
            prev = next;
        }
        Ok(TruncatedGeometric { probs })
    }

    /// Probability of keeping a partition with `units` privacy units.
    pub fn keep_probability(&self, units: i64) -> f64 {
        if units <= 0 {
            0.0
        } else {
            self.probs.get(units as usize).copied().unwrap_or(1.0)
        }
    }

    /// The smallest unit count that is always kept.
    pub fn always_kept_from(&self) -> u64 {
        (self.probs.len() - 1) as u64
    }

    /// Decides one partition.
    pub fn keep(&self, units: i64, rng: &mut PrivacyRng) -> bool {
        bernoulli_f64(rng, self.keep_probability(units))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probabilities_satisfy_the_dp_constraints() {
        let (eps, delta) = (0.5f64, 1e-6f64);
        let tg = TruncatedGeometric::new(eps, delta, 1).unwrap();
        assert_eq!(tg.keep_probability(0), 0.0);
        assert!(tg.keep_probability(1) <= delta);
        for n in 1..tg.always_kept_from() as i64 + 2 {
            let (p0, p1) = (tg.keep_probability(n - 1), tg.keep_probability(n));
            assert!(p1 <= eps.exp() * p0 + delta + 1e-15);
            assert!(1.0 - p0 <= eps.exp() * (1.0 - p1) + delta + 1e-15);
            assert!(p1 >= p0);
        }
        // Around ln(1/δ)/ε units a partition is certain to be kept.
        let k = tg.always_kept_from() as f64;
        assert!(k > 20.0 && k < 2.0 * (1.0 / delta).ln() / eps, "{k}");
        assert!(TruncatedGeometric::new(1.0, 0.0, 1).is_err());
    }
}
