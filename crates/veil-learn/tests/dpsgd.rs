//! DP-SGD's contracts: clipping bounds every example, batched clipping equals
//! clipping each example alone, DP-SGD without noise and with a huge clip is
//! plain SGD, and the calibrated ε is the accountant's.

use ndarray::{Array2, Axis};
use proptest::prelude::*;
use veil_dp::PrivacyRng;
use veil_dp::accounting::dpsgd::{Accountant, epsilon};
use veil_learn::dpsgd::{ClipMode, PrivacyTarget, TrainSettings, calibrate, step, train};
use veil_learn::model::{Clipping, Network};
use veil_learn::optim::{Optimizer, OptimizerKind};

fn random_net(inputs: usize, hidden: &[usize], classes: usize, seed: u64, scale: f64) -> Network {
    let mut rng = PrivacyRng::insecure_from_seed(seed);
    let mut n = Network::new(inputs, hidden, classes, &mut rng);
    let p: Vec<f64> = (0..n.num_params())
        .map(|i| ((i as f64 + seed as f64) * 0.713).sin() * scale)
        .collect();
    n.set_params(&p);
    n
}

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}

fn layer_norms(net: &Network, g: &[f64]) -> Vec<f64> {
    let mut out = Vec::new();
    let mut at = 0;
    for l in &net.layers {
        let k = l.w.len() + l.b.len();
        out.push(norm(&g[at..at + k]));
        at += k;
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn clipping_bounds_every_example_and_batches_add_up(
        seed in 0u64..1000,
        rows in 1usize..12,
        hidden in prop::sample::select(vec![vec![], vec![5], vec![4, 3]]),
        classes in 2usize..4,
        c in 0.01f64..3.0,
        scale in 0.1f64..3.0,
        per_layer in any::<bool>(),
    ) {
        let inputs = 6;
        let net = random_net(inputs, &hidden, classes, seed, scale);
        let x = Array2::from_shape_fn((rows, inputs), |(i, j)| (((i * 7 + j * 3) as f64 + seed as f64) * 1.3).cos() * 4.0);
        let y: Vec<usize> = (0..rows).map(|i| (i + seed as usize) % classes).collect();
        let clipping = if per_layer { Clipping::PerLayer(c) } else { Clipping::Flat(c) };
        let mut total = vec![0.0; net.num_params()];
        for i in 0..rows {
            let xi = x.select(Axis(0), &[i]);
            let g = net.clipped_grad_sum(xi.view(), &y[i..=i], clipping).flatten();
            prop_assert!(norm(&g) <= c * (1.0 + 1e-12), "example {} norm {} > {}", i, norm(&g), c);
            if per_layer {
                let cl = c / (net.layers.len() as f64).sqrt();
                for n in layer_norms(&net, &g) {
                    prop_assert!(n <= cl * (1.0 + 1e-12));
                }
            }
            for (t, v) in total.iter_mut().zip(&g) {
                *t += v;
            }
        }
        let batched = net.clipped_grad_sum(x.view(), &y, clipping).flatten();
        for (a, b) in batched.iter().zip(&total) {
            prop_assert!((a - b).abs() <= 1e-9 * (1.0 + b.abs()));
        }
    }
}

#[test]
fn dp_step_without_noise_and_with_a_huge_clip_is_plain_sgd() {
    for (hidden, opt) in [(vec![], OptimizerKind::Sgd), (vec![6], OptimizerKind::Adam)] {
        let x = Array2::from_shape_fn((32, 5), |(i, j)| ((i * 5 + j) as f64 * 0.37).sin());
        let y: Vec<usize> = (0..32).map(|i| usize::from(i % 3 == 0)).collect();
        let mut a = random_net(5, &hidden, 2, 4, 0.5);
        let mut b = a.clone();
        let mut oa = Optimizer::new(opt, 0.1, 0.0, a.num_params());
        let mut ob = Optimizer::new(opt, 0.1, 0.0, b.num_params());
        let mut rng = PrivacyRng::insecure_from_seed(1);
        for k in 0..5 {
            let idx: Vec<usize> = (k * 6..k * 6 + 6).collect();
            let xb = x.select(Axis(0), &idx);
            let yb: Vec<usize> = idx.iter().map(|&i| y[i]).collect();
            step(
                &mut a,
                xb.view(),
                &yb,
                Clipping::Flat(1e12),
                None,
                6.0,
                &mut oa,
                &mut rng,
            );
            step(
                &mut b,
                xb.view(),
                &yb,
                Clipping::None { scale: 1.0 },
                None,
                6.0,
                &mut ob,
                &mut rng,
            );
        }
        for (p, q) in a.params().iter().zip(b.params()) {
            assert!((p - q).abs() < 1e-12, "{p} vs {q}");
        }
        // and plain SGD moved the model
        assert_ne!(a.params(), random_net(5, &hidden, 2, 4, 0.5).params());
    }
}

fn settings(epsilon: f64, epochs: u32, batch: usize) -> TrainSettings {
    TrainSettings {
        hidden: vec![],
        epochs,
        batch_size: batch,
        optimizer: OptimizerKind::Sgd,
        learning_rate: 1.0,
        momentum: 0.0,
        privacy: Some(PrivacyTarget {
            epsilon,
            delta: 1e-5,
            accountant: Accountant::Pld,
            clipping: ClipMode::Flat,
            clip_norm: 1.0,
        }),
    }
}

#[test]
fn calibrated_epsilon_is_the_accountants_and_meets_the_target() {
    for acc in [Accountant::Pld, Accountant::Rdp] {
        let mut s = settings(1.0, 5, 100);
        if let Some(p) = s.privacy.as_mut() {
            p.accountant = acc;
        }
        let cal = calibrate(10_000, &s, s.privacy.as_ref().unwrap()).unwrap();
        assert_eq!(cal.steps, 5 * 100);
        assert!((cal.sampling_rate - 0.01).abs() < 1e-15);
        let again = epsilon(
            cal.sampling_rate,
            cal.noise_multiplier,
            cal.steps,
            1e-5,
            acc,
        )
        .unwrap();
        assert_eq!(cal.epsilon, again);
        assert!(cal.epsilon <= 1.0 && cal.epsilon > 0.99, "{}", cal.epsilon);
    }
}

#[test]
fn unreachable_target_explains_what_would_work() {
    let s = settings(0.05, 200, 500);
    let err = calibrate(2000, &s, s.privacy.as_ref().unwrap())
        .unwrap_err()
        .to_string();
    assert!(err.contains("cannot be reached in 200 epochs"), "{err}");
    assert!(
        err.contains("at most") || err.contains("not even one epoch"),
        "{err}"
    );
}

#[test]
fn training_learns_a_separable_problem_privately() {
    let n = 4000;
    let x = Array2::from_shape_fn((n, 3), |(i, j)| (((i * 3 + j) as f64) * 0.618).fract());
    let y: Vec<usize> = (0..n)
        .map(|i| usize::from(x[(i, 0)] + 0.5 * x[(i, 1)] > 0.75))
        .collect();
    let mut rng = PrivacyRng::insecure_from_seed(5);
    let t = train(&x, &y, 2, &settings(4.0, 10, 200), &mut rng).unwrap();
    let cal = t.calibration.unwrap();
    assert_eq!(t.steps, cal.steps);
    let p = t.network.predict_proba(x.view());
    let acc = veil_learn::metrics::evaluate(&p, &y).accuracy;
    assert!(acc > 0.85, "accuracy {acc}");
    let noise = t.noise.unwrap();
    assert!(noise.sigma_grid_units >= cal.noise_multiplier * noise.sensitivity_grid_units);
}
