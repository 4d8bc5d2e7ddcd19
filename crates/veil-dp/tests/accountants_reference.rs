//! Veil's accountants against Google's dp-accounting on the DP-SGD grid
//! (fixture made by bench/dp_accounting_reference.sh; no Python needed here).

use serde_json::Value;
use veil_dp::accounting::dpsgd::{self, Accountant};

fn configs() -> Vec<Value> {
    let text = include_str!("fixtures/dpsgd_reference.json");
    let v: Value = serde_json::from_str(text).expect("fixture is valid JSON");
    v["configs"].as_array().expect("configs array").clone()
}

fn field(c: &Value, k: &str) -> f64 {
    c[k].as_f64().unwrap_or_else(|| panic!("fixture field {k}"))
}

/// (sampling rate, noise multiplier, steps, δ) of one fixture setting.
fn setting(c: &Value) -> (f64, f64, u64, f64) {
    (
        field(c, "sampling_rate"),
        field(c, "noise_multiplier"),
        field(c, "steps") as u64,
        field(c, "delta"),
    )
}

#[test]
fn the_grid_has_all_27_settings() {
    assert_eq!(configs().len(), 27);
}

#[test]
fn rdp_matches_dp_accounting_within_a_tenth_of_a_percent() {
    for c in configs() {
        let (q, s, n, d) = setting(&c);
        let want = field(&c, "epsilon_rdp");
        let got = dpsgd::epsilon(q, s, n, d, Accountant::Rdp).unwrap();
        assert!(
            (got - want).abs() / want < 1e-3,
            "q={q} σ={s} steps={n}: veil {got} vs dp-accounting {want}"
        );
    }
}

#[test]
fn pld_matches_dp_accounting_within_one_percent() {
    for c in configs() {
        let (q, s, n, d) = setting(&c);
        let want = field(&c, "epsilon_pld");
        let got = dpsgd::epsilon(q, s, n, d, Accountant::Pld).unwrap();
        assert!(
            (got - want).abs() / want < 1e-2,
            "q={q} σ={s} steps={n}: veil {got} vs dp-accounting {want}"
        );
        // PLD is never looser than RDP on this grid.
        let rdp = field(&c, "epsilon_rdp");
        assert!(got <= rdp * 1.001, "PLD {got} looser than RDP {rdp}");
    }
}

#[test]
fn noise_calibration_inverts_epsilon() {
    let q = 256.0 / 32561.0;
    let steps = 1000;
    let sigma = dpsgd::noise_multiplier(1.0, 1e-5, q, steps, Accountant::Pld).unwrap();
    let eps = dpsgd::epsilon(q, sigma, steps, 1e-5, Accountant::Pld).unwrap();
    assert!(eps <= 1.0 && eps > 0.99, "σ={sigma} gives ε={eps}");
    // A slightly smaller σ would overspend.
    let eps_less = dpsgd::epsilon(q, sigma * 0.99, steps, 1e-5, Accountant::Pld).unwrap();
    assert!(eps_less > 1.0);
}

#[test]
fn bad_parameters_are_refused() {
    assert!(dpsgd::epsilon(0.0, 1.0, 10, 1e-5, Accountant::Pld).is_err());
    assert!(dpsgd::epsilon(0.01, -1.0, 10, 1e-5, Accountant::Rdp).is_err());
    assert!(dpsgd::epsilon(0.01, 1.0, 10, 1.0, Accountant::Pld).is_err());
    assert!(dpsgd::noise_multiplier(f64::NAN, 1e-5, 0.01, 10, Accountant::Pld).is_err());
    assert!(dpsgd::noise_multiplier(1.0, 1e-5, 0.01, 0, Accountant::Pld).is_err());
}
