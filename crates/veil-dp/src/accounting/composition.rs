//! Basic and advanced composition of (ε, δ) guarantees, for mechanisms with
//! no tighter accountant.

use crate::error::{Result, check_delta, check_delta_positive, check_epsilon};

/// Basic composition: ε and δ add up.
pub fn basic(parts: &[(f64, f64)]) -> Result<(f64, f64)> {
    let mut e = 0.0;
    let mut d = 0.0;
    for &(eps, delta) in parts {
        check_epsilon(eps)?;
        check_delta(delta)?;
        e += eps;
        d += delta;
    }
    Ok((e, d.min(1.0)))
}

/// Advanced composition (Dwork, Rothblum & Vadhan 2010): k-fold composition of
/// (ε, δ)-DP is (ε√(2k ln(1/δ')) + kε(e^ε − 1), kδ + δ')-DP. Returns the
/// smaller of that and basic composition, with its δ.
pub fn advanced(epsilon: f64, delta: f64, k: u64, delta_slack: f64) -> Result<(f64, f64)> {
    check_epsilon(epsilon)?;
    check_delta(delta)?;
    check_delta_positive(delta_slack)?;
    let kf = k as f64;
    let adv =
        epsilon * (2.0 * kf * (1.0 / delta_slack).ln()).sqrt() + kf * epsilon * epsilon.exp_m1();
    let basic_eps = kf * epsilon;
    if adv < basic_eps {
        Ok((adv, (kf * delta + delta_slack).min(1.0)))
    } else {
        Ok((basic_eps, (kf * delta).min(1.0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_sums_and_advanced_beats_it_for_many_small_steps() {
        assert_eq!(basic(&[(0.5, 1e-6), (0.25, 0.0)]).unwrap(), (0.75, 1e-6));
        let (e, d) = advanced(0.01, 0.0, 10_000, 1e-6).unwrap();
        assert!(e < 100.0 && e > 5.0, "{e}");
        assert!((d - 1e-6).abs() < 1e-18);
        // One step: basic is better.
        assert_eq!(advanced(1.0, 0.0, 1, 1e-6).unwrap(), (1.0, 0.0));
        assert!(basic(&[(0.0, 0.0)]).is_err());
    }
}
