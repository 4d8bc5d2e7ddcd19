//! SGD and DP-SGD (Abadi et al. 2016) as the accountant assumes it: each step
//! takes a Poisson sample of the data (every record independently with
//! probability q), sums the per-example gradients clipped to norm C, adds
//! Gaussian noise of standard deviation σ·C to every coordinate and divides by
//! the expected batch size q·n.
//!
//! The noise is exact: the clipped sum is rounded to a grid of spacing
//! g = σC/2²² and a discrete Gaussian (Canonne–Kamath–Steinke 2020, from
//! veil-dp) is added in grid units, so no floating-point artefact can leak the
//! sum (Mironov 2012). Rounding can move each coordinate by one grid unit, so
//! the sensitivity in grid units is taken as C/g + √P + 1 (P parameters) and
//! the discrete σ is set to σ times that: the accountant's σ holds exactly.

use crate::error::{LearnError, Result};
use crate::model::{Clipping, Network};
use crate::optim::{Optimizer, OptimizerKind};
use ndarray::{Array2, Axis};
use serde::{Deserialize, Serialize};
use veil_dp::PrivacyRng;
use veil_dp::accounting::dpsgd::{self, Accountant};
use veil_dp::samplers::DiscreteGaussian;

/// The largest noise multiplier Veil will calibrate to: beyond it the model
/// learns nothing useful on any realistic dataset.
pub const MAX_NOISE_MULTIPLIER: f64 = 64.0;

/// Clipping scheme for DP-SGD.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ClipMode {
    /// One bound C on each example's whole gradient.
    #[default]
    Flat,
    /// Each of the L layers bounded by C/√L.
    PerLayer,
}

/// The privacy target of a DP-SGD run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PrivacyTarget {
    /// Target ε.
    pub epsilon: f64,
    /// Target δ.
    pub delta: f64,
    /// Accountant used to calibrate and report.
    pub accountant: Accountant,
    /// Clipping scheme.
    pub clipping: ClipMode,
    /// Clipping norm C.
    pub clip_norm: f64,
}

/// Everything that shapes a training run.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainSettings {
    /// Hidden layer sizes (empty: a linear model).
    pub hidden: Vec<usize>,
    /// Passes over the data (each of ⌈n/B⌉ steps).
    pub epochs: u32,
    /// Expected batch size B (the Poisson rate is q = B/n).
    pub batch_size: usize,
    /// Update rule.
    pub optimizer: OptimizerKind,
    /// Learning rate.
    pub learning_rate: f64,
    /// SGD momentum (0 for none).
    pub momentum: f64,
    /// `None` trains without privacy (the baseline).
    pub privacy: Option<PrivacyTarget>,
}

/// The calibrated DP-SGD configuration and the guarantee it carries.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Calibration {
    /// Poisson sampling rate q = B/n.
    pub sampling_rate: f64,
    /// Number of noisy steps.
    pub steps: u64,
    /// σ: noise standard deviation over the clipping norm.
    pub noise_multiplier: f64,
    /// ε the accountant gives for (q, σ, steps, δ): at most the target.
    pub epsilon: f64,
    /// δ.
    pub delta: f64,
    /// Accountant that computed ε.
    pub accountant: Accountant,
}

/// Steps per epoch for `n` records at expected batch `b`: ⌈n/b⌉.
pub fn steps_per_epoch(n: usize, b: usize) -> u64 {
    n.div_ceil(b.max(1)) as u64
}

fn check_settings(n: usize, s: &TrainSettings) -> Result<()> {
    if n == 0 {
        return Err(LearnError::InvalidParameter {
            name: "training data",
            reason: "no rows".into(),
        });
    }
    if s.batch_size == 0 || s.batch_size > n {
        return Err(LearnError::InvalidParameter {
            name: "batch_size",
            reason: format!(
                "must be in 1..={n} (the number of training rows), got {}",
                s.batch_size
            ),
        });
    }
    if s.epochs == 0 {
        return Err(LearnError::InvalidParameter {
            name: "epochs",
            reason: "must be at least 1".into(),
        });
    }
    if !(s.learning_rate.is_finite() && s.learning_rate > 0.0) {
        return Err(LearnError::InvalidParameter {
            name: "learning_rate",
            reason: format!("must be finite and > 0, got {}", s.learning_rate),
        });
    }
    if !(0.0..1.0).contains(&s.momentum) {
        return Err(LearnError::InvalidParameter {
            name: "momentum",
            reason: format!("must be in [0, 1), got {}", s.momentum),
        });
    }
    if let Some(p) = &s.privacy
        && !(p.clip_norm.is_finite() && p.clip_norm > 0.0)
    {
        return Err(LearnError::InvalidParameter {
            name: "clip_norm",
            reason: format!("must be finite and > 0, got {}", p.clip_norm),
        });
    }
    Ok(())
}

/// Finds the smallest noise multiplier reaching the target for `n` records,
/// or explains what would work.
pub fn calibrate(n: usize, s: &TrainSettings, target: &PrivacyTarget) -> Result<Calibration> {
    check_settings(n, s)?;
    let q = s.batch_size as f64 / n as f64;
    let steps = u64::from(s.epochs) * steps_per_epoch(n, s.batch_size);
    let eps_max_noise = dpsgd::epsilon(
        q,
        MAX_NOISE_MULTIPLIER,
        steps,
        target.delta,
        target.accountant,
    )?;
    if eps_max_noise > target.epsilon {
        return Err(LearnError::Unreachable(unreachable_help(
            n,
            s,
            target,
            q,
            steps,
            eps_max_noise,
        )?));
    }
    let sigma = dpsgd::noise_multiplier(target.epsilon, target.delta, q, steps, target.accountant)?;
    let epsilon = dpsgd::epsilon(q, sigma, steps, target.delta, target.accountant)?;
    Ok(Calibration {
        sampling_rate: q,
        steps,
        noise_multiplier: sigma,
        epsilon,
        delta: target.delta,
        accountant: target.accountant,
    })
}

fn unreachable_help(
    n: usize,
    s: &TrainSettings,
    t: &PrivacyTarget,
    q: f64,
    steps: u64,
    eps_max_noise: f64,
) -> Result<String> {
    let per_epoch = steps_per_epoch(n, s.batch_size);
    let at = |epochs: u64| {
        dpsgd::epsilon(
            q,
            MAX_NOISE_MULTIPLIER,
            epochs * per_epoch,
            t.delta,
            t.accountant,
        )
    };
    let mut msg = format!(
        "(epsilon = {}, delta = {}) cannot be reached in {} epochs ({steps} steps at sampling rate {q:.6}): even noise multiplier {MAX_NOISE_MULTIPLIER} gives epsilon = {eps_max_noise:.4}",
        t.epsilon, t.delta, s.epochs
    );
    if at(1)? <= t.epsilon {
        // largest epoch count that still fits
        let (mut lo, mut hi) = (1u64, u64::from(s.epochs));
        while hi - lo > 1 {
            let mid = (lo + hi) / 2;
            if at(mid)? <= t.epsilon {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        msg.push_str(&format!(
            "; at most {lo} epochs at this batch size can reach it"
        ));
    } else {
        msg.push_str("; not even one epoch can at this batch size: lower batch_size, or raise epsilon or delta");
    }
    Ok(msg)
}

/// Exact Gaussian noise on a grid for one run.
#[derive(Clone, Copy, Debug)]
pub struct GridNoise {
    grid: f64,
    sampler: DiscreteGaussian,
}

/// What the noise looked like, for the privacy card.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct NoiseInfo {
    /// Grid spacing g (in gradient units).
    pub grid: f64,
    /// Sensitivity of the rounded sum, in grid units.
    pub sensitivity_grid_units: f64,
    /// Discrete Gaussian σ, in grid units (≥ noise_multiplier × sensitivity).
    pub sigma_grid_units: f64,
}

impl GridNoise {
    /// Noise for noise multiplier `sigma`, clipping norm `c`, `params` coordinates.
    pub fn new(sigma: f64, c: f64, params: usize) -> Result<(GridNoise, NoiseInfo)> {
        let grid = sigma * c / f64::from(1u32 << 22);
        let sens = (c / grid) * (1.0 + 1e-9) + (params as f64).sqrt() + 1.0;
        let sampler = DiscreteGaussian::new(sigma * sens)?;
        Ok((
            GridNoise { grid, sampler },
            NoiseInfo {
                grid,
                sensitivity_grid_units: sens,
                sigma_grid_units: sampler.sigma(),
            },
        ))
    }

    /// Rounds each coordinate of `sum` to the grid and adds discrete Gaussian noise.
    pub fn apply(&self, sum: &mut [f64], rng: &mut PrivacyRng) {
        let noise = if sum.len() > 4096 {
            self.sampler.sample_vec(rng, sum.len())
        } else {
            (0..sum.len()).map(|_| self.sampler.sample(rng)).collect()
        };
        for (v, z) in sum.iter_mut().zip(noise) {
            let k = (*v / self.grid).round() as i64 + z;
            *v = k as f64 * self.grid;
        }
    }
}

/// Indices of a Poisson sample: each of `n` records independently with
/// probability `q`, drawn by geometric skips (the selection does not depend
/// on the data, so its floating-point arithmetic cannot leak it).
pub fn poisson_sample(n: usize, q: f64, rng: &mut PrivacyRng, out: &mut Vec<usize>) {
    out.clear();
    if q >= 1.0 {
        out.extend(0..n);
        return;
    }
    let lq = (-q).ln_1p();
    let mut skip = || {
        let u = ((rng.next_u64() >> 11) as f64 + 1.0) * (1.0 / (1u64 << 53) as f64); // (0, 1]
        let k = (u.ln() / lq).floor();
        if k >= n as f64 { n } else { k as usize }
    };
    let mut i = skip();
    while i < n {
        out.push(i);
        i = i.saturating_add(1).saturating_add(skip());
    }
}

/// One optimisation step on a batch: clipped gradient sum, optional noise,
/// division by `denominator`, optimizer update.
#[allow(clippy::too_many_arguments)]
pub fn step(
    net: &mut Network,
    xb: ndarray::ArrayView2<f64>,
    yb: &[usize],
    clipping: Clipping,
    noise: Option<&GridNoise>,
    denominator: f64,
    opt: &mut Optimizer,
    rng: &mut PrivacyRng,
) {
    let mut g = if yb.is_empty() {
        vec![0.0; net.num_params()]
    } else {
        net.clipped_grad_sum(xb, yb, clipping).flatten()
    };
    if let Some(n) = noise {
        n.apply(&mut g, rng);
    }
    for v in &mut g {
        *v /= denominator;
    }
    let delta = opt.update(&g);
    net.add_to_params(&delta);
}

/// A trained network and how it was trained.
#[derive(Clone, Debug)]
pub struct Trained {
    /// The model.
    pub network: Network,
    /// The DP configuration (None for a non-private run).
    pub calibration: Option<Calibration>,
    /// The noise grid (None for a non-private run).
    pub noise: Option<NoiseInfo>,
    /// Optimisation steps taken.
    pub steps: u64,
    /// Seconds in the training loop (calibration excluded).
    pub train_seconds: f64,
    /// Seconds spent calibrating the noise.
    pub calibration_seconds: f64,
}

/// Trains on `x` (rows × inputs) and class indices `y` with `classes` classes.
pub fn train(
    x: &Array2<f64>,
    y: &[usize],
    classes: usize,
    s: &TrainSettings,
    rng: &mut PrivacyRng,
) -> Result<Trained> {
    let n = y.len();
    check_settings(n, s)?;
    if x.nrows() != n {
        return Err(LearnError::InvalidParameter {
            name: "training data",
            reason: format!("{} input rows but {n} labels", x.nrows()),
        });
    }
    let t0 = std::time::Instant::now();
    let calibration = match &s.privacy {
        Some(t) => Some(calibrate(n, s, t)?),
        None => None,
    };
    let calibration_seconds = t0.elapsed().as_secs_f64();
    let mut out = train_calibrated(x, y, classes, s, calibration, rng)?;
    out.calibration_seconds = calibration_seconds;
    Ok(out)
}

/// Trains with a calibration computed beforehand by [`calibrate`] for the same
/// settings and row count (`None` for a non-private run).
pub fn train_calibrated(
    x: &Array2<f64>,
    y: &[usize],
    classes: usize,
    s: &TrainSettings,
    calibration: Option<Calibration>,
    rng: &mut PrivacyRng,
) -> Result<Trained> {
    let n = y.len();
    check_settings(n, s)?;
    if s.privacy.is_some() != calibration.is_some() {
        return Err(LearnError::InvalidParameter {
            name: "calibration",
            reason: "a private run needs its calibration, a non-private run none".into(),
        });
    }
    if let Some(c) = &calibration {
        let expected = steps_per_epoch(n, s.batch_size) * u64::from(s.epochs);
        if c.steps != expected || (c.sampling_rate - s.batch_size as f64 / n as f64).abs() > 1e-15 {
            return Err(LearnError::InvalidParameter {
                name: "calibration",
                reason: "computed for other settings or another row count".into(),
            });
        }
    }
    let t1 = std::time::Instant::now();
    let mut net = Network::new(x.ncols(), &s.hidden, classes, rng);
    let mut opt = Optimizer::new(s.optimizer, s.learning_rate, s.momentum, net.num_params());
    let per_epoch = steps_per_epoch(n, s.batch_size);
    let mut steps = 0;
    let mut noise_info = None;
    match (&s.privacy, &calibration) {
        (Some(t), Some(cal)) => {
            let (noise, info) =
                GridNoise::new(cal.noise_multiplier, t.clip_norm, net.num_params())?;
            noise_info = Some(info);
            let clipping = match t.clipping {
                ClipMode::Flat => Clipping::Flat(t.clip_norm),
                ClipMode::PerLayer => Clipping::PerLayer(t.clip_norm),
            };
            let denom = cal.sampling_rate * n as f64;
            let mut idx = Vec::new();
            for _ in 0..cal.steps {
                poisson_sample(n, cal.sampling_rate, rng, &mut idx);
                let xb = x.select(Axis(0), &idx);
                let yb: Vec<usize> = idx.iter().map(|&i| y[i]).collect();
                step(
                    &mut net,
                    xb.view(),
                    &yb,
                    clipping,
                    Some(&noise),
                    denom,
                    &mut opt,
                    rng,
                );
                steps += 1;
            }
        }
        _ => {
            let mut order: Vec<usize> = (0..n).collect();
            for _ in 0..s.epochs {
                rng.partial_shuffle(&mut order, n);
                for chunk in order.chunks(s.batch_size).take(per_epoch as usize) {
                    let xb = x.select(Axis(0), chunk);
                    let yb: Vec<usize> = chunk.iter().map(|&i| y[i]).collect();
                    let m = yb.len() as f64;
                    step(
                        &mut net,
                        xb.view(),
                        &yb,
                        Clipping::None { scale: 1.0 },
                        None,
                        m,
                        &mut opt,
                        rng,
                    );
                    steps += 1;
                }
            }
        }
    }
    Ok(Trained {
        network: net,
        calibration,
        noise: noise_info,
        steps,
        train_seconds: t1.elapsed().as_secs_f64(),
        calibration_seconds: 0.0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poisson_sample_has_binomial_size() {
        let mut rng = PrivacyRng::insecure_from_seed(3);
        let (n, q) = (10_000, 0.01);
        let mut idx = Vec::new();
        let trials = 2000;
        let mut total = 0usize;
        let mut counts = vec![0u32; n];
        for _ in 0..trials {
            poisson_sample(n, q, &mut rng, &mut idx);
            assert!(idx.windows(2).all(|w| w[0] < w[1]));
            total += idx.len();
            for &i in &idx {
                counts[i] += 1;
            }
        }
        let mean = total as f64 / trials as f64;
        // E = 100, sd of the mean = sqrt(99/2000) ≈ 0.22: 5 sd
        assert!((mean - 100.0).abs() < 1.1, "{mean}");
        // first and last records are as likely as any (no edge bias): 20 expected each
        let edge = counts[0] + counts[n - 1] + counts[1] + counts[n - 2];
        assert!((40..=130).contains(&edge), "{edge}");
    }

    #[test]
    fn grid_noise_has_requested_spread_and_grid() {
        let (noise, info) = GridNoise::new(1.5, 0.5, 100).unwrap();
        assert!(info.sigma_grid_units >= 1.5 * info.sensitivity_grid_units);
        let mut rng = PrivacyRng::insecure_from_seed(9);
        let mut v = vec![0.25; 20_000];
        noise.apply(&mut v, &mut rng);
        let mean = v.iter().sum::<f64>() / v.len() as f64;
        let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / v.len() as f64;
        // σ·C = 0.75 (times 1 + √P·g/C ≈ 1 + 2e-6)
        assert!((var.sqrt() - 0.75).abs() < 0.02, "{}", var.sqrt());
        assert!((mean - 0.25).abs() < 0.02);
        for x in &v {
            let k = x / info.grid;
            assert!((k - k.round()).abs() < 1e-6);
        }
    }
}
