//! Properties every accountant must keep, on random DP-SGD settings.

use proptest::prelude::*;
use veil_dp::accounting::dpsgd::{self, Accountant};
use veil_dp::accounting::pld::PldAccountant;
use veil_dp::accounting::zcdp::ZcdpAccountant;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// More noise never costs more ε, more steps never cost less, and PLD is
    /// never looser than RDP.
    #[test]
    fn epsilon_is_monotone_and_pld_is_tightest(q in 0.005f64..1.0, sigma in 0.8f64..4.0, steps in 1u64..40) {
        for acc in [Accountant::Pld, Accountant::Rdp] {
            let e = dpsgd::epsilon(q, sigma, steps, 1e-5, acc).unwrap();
            let more_noise = dpsgd::epsilon(q, sigma * 1.25, steps, 1e-5, acc).unwrap();
            let more_steps = dpsgd::epsilon(q, sigma, steps + 5, 1e-5, acc).unwrap();
            prop_assert!(more_noise <= e * (1.0 + 1e-6) + 1e-9, "{acc:?}: σ↑ gave {more_noise} > {e}");
            prop_assert!(more_steps >= e * (1.0 - 1e-6) - 1e-9, "{acc:?}: steps↑ gave {more_steps} < {e}");
        }
        let pld = dpsgd::epsilon(q, sigma, steps, 1e-5, Accountant::Pld).unwrap();
        let rdp = dpsgd::epsilon(q, sigma, steps, 1e-5, Accountant::Rdp).unwrap();
        prop_assert!(pld <= rdp * 1.01 + 1e-9, "PLD {pld} looser than RDP {rdp}");
    }

    /// The PLD's ε(δ) and δ(ε) are inverse to each other.
    #[test]
    fn pld_epsilon_and_delta_are_inverse(q in 0.01f64..1.0, sigma in 0.8f64..3.0, steps in 1u64..30) {
        let mut acc = PldAccountant::default();
        acc.compose_subsampled_gaussian(q, sigma, steps).unwrap();
        let eps = acc.epsilon(1e-6).unwrap();
        prop_assume!(eps > 1e-3);
        let d = acc.delta(eps);
        prop_assert!((d - 1e-6).abs() <= 2e-9, "δ(ε(1e-6)) = {d}");
    }

    /// zCDP composes additively and its ε falls as δ grows.
    #[test]
    fn zcdp_composes_and_converts_monotonically(s1 in 0.5f64..10.0, s2 in 0.5f64..10.0) {
        let mut z = ZcdpAccountant::default();
        z.compose_gaussian(s1, 1.0).unwrap();
        z.compose_gaussian(s2, 1.0).unwrap();
        let rho = 0.5 / (s1 * s1) + 0.5 / (s2 * s2);
        prop_assert!((z.rho() - rho).abs() < 1e-12);
        prop_assert!(z.epsilon(1e-6).unwrap() >= z.epsilon(1e-3).unwrap());
    }
}
