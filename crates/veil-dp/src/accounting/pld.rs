//! Privacy-loss distributions (Koskela et al.; Google's dp-accounting) with
//! pessimistic "connect-the-dots" discretisation (Doroshenko et al. 2022) and
//! FFT self-composition with Chernoff truncation bounds.
//!
//! A [`Pld`] is a probability mass function over privacy-loss values
//! `(lower + i)·interval` plus a mass at +∞. Its hockey-stick curve δ(ε)
//! upper-bounds the mechanism's (pessimistic estimate), and composition is
//! convolution. [`PldAccountant`] tracks both neighbouring directions (add and
//! remove one record) and reports the worse.

use super::normal;
use super::rdp::{check_rate, check_sigma};
use crate::error::{DpError, Result, check_delta, check_positive};
use realfft::num_complex::Complex;
use realfft::{ComplexToReal, RealFftPlanner, RealToComplex};
use std::sync::Arc;

/// Default loss discretisation, as dp-accounting's `PLDAccountant`.
pub const DEFAULT_INTERVAL: f64 = 1e-4;
/// Mass that composition may drop from the tails (added to δ), as dp-accounting.
pub const TAIL_MASS_TRUNCATION: f64 = 1e-15;
/// ln of the noise mass ignored when building a Gaussian PLD (dp-accounting's −50).
const LOG_MASS_TRUNCATION: f64 = -50.0;

/// A discrete privacy-loss distribution in one neighbouring direction.
#[derive(Clone, Debug)]
pub struct Pld {
    interval: f64,
    lower: i64,
    probs: Vec<f64>,
    infinity: f64,
}

/// Which neighbouring dataset is the larger one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// The neighbour has one record fewer.
    Remove,
    /// The neighbour has one record more.
    Add,
}

impl Pld {
    /// The PLD of a mechanism that reveals nothing (loss 0 with certainty).
    pub fn identity(interval: f64) -> Pld {
        Pld {
            interval,
            lower: 0,
            probs: vec![1.0],
            infinity: 0.0,
        }
    }

    /// Pessimistic connect-the-dots PMF from the exact hockey-stick values
    /// `deltas[k] = δ((lo + k)·interval)`, k = 0..=hi−lo (Doroshenko et al.
    /// 2022, Algorithm 1, fixed-gap form).
    pub fn from_connect_dots(interval: f64, lo: i64, deltas: &[f64]) -> Pld {
        let n = deltas.len();
        // Hockey-stick values are non-increasing; enforce it against rounding.
        let mut d = deltas.to_vec();
        for i in 1..n {
            if d[i] > d[i - 1] {
                d[i] = d[i - 1];
            }
        }
        if n == 1 {
            return Pld {
                interval,
                lower: lo,
                probs: vec![1.0 - d[0]],
                infinity: d[0],
            };
        }
        let em1 = interval.exp_m1();
        let e = interval.exp();
        let mut probs = vec![0.0; n];
        probs[0] = (1.0 - d[0]) + (d[1] - d[0]) / em1;
        for i in 1..n - 1 {
            probs[i] = ((d[i + 1] - d[i]) - e * (d[i] - d[i - 1])) / em1;
        }
        probs[n - 1] = (d[n - 1] - d[n - 2]) / (-interval).exp_m1();
        for p in &mut probs {
            if *p < 0.0 {
                *p = 0.0;
            }
        }
        Pld {
            interval,
            lower: lo,
            probs,
            infinity: d[n - 1],
        }
    }

    /// One step of the Poisson-subsampled Gaussian mechanism (noise multiplier
    /// σ, sampling rate q, L2 sensitivity 1) in the given direction.
    pub fn subsampled_gaussian(sigma: f64, q: f64, direction: Direction, interval: f64) -> Pld {
        let z = normal::quantile(0.5 * LOG_MASS_TRUNCATION.exp()) * sigma; // negative
        let (lower_x, upper_x) = match direction {
            Direction::Remove => (z - 1.0, -z),
            Direction::Add => (z, -z + 1.0),
        };
        let loss = |x: f64| gaussian_loss(sigma, q, direction, x);
        let eps_upper = loss(lower_x);
        let eps_lower = loss(upper_x);
        let lo = (eps_lower / interval).floor() as i64;
        let hi = (eps_upper / interval).ceil() as i64;
        let deltas: Vec<f64> = (lo..=hi)
            .map(|k| gaussian_delta(sigma, q, direction, k as f64 * interval))
            .collect();
        Pld::from_connect_dots(interval, lo, &deltas)
    }

    /// Mass at +∞ (the part of δ no ε can remove).
    pub fn infinity_mass(&self) -> f64 {
        self.infinity
    }

    /// Number of finite support points.
    pub fn len(&self) -> usize {
        self.probs.len()
    }

    /// True when the finite support is empty.
    pub fn is_empty(&self) -> bool {
        self.probs.is_empty()
    }

    /// δ(ε) = P[L = ∞] + Σ_{ℓ > ε} p(ℓ)·(1 − e^{ε−ℓ}).
    pub fn delta_for_epsilon(&self, epsilon: f64) -> f64 {
        let mut d = self.infinity;
        for (i, &p) in self.probs.iter().enumerate() {
            let l = (self.lower + i as i64) as f64 * self.interval;
            if l > epsilon {
                d += p * -(epsilon - l).exp_m1();
            }
        }
        d.min(1.0)
    }

    /// The smallest ε ≥ 0 with δ(ε) ≤ `delta` (+∞ when the mass at +∞ exceeds δ).
    pub fn epsilon_for_delta(&self, delta: f64) -> f64 {
        if self.infinity > delta {
            return f64::INFINITY;
        }
        // Walk the losses from the top, keeping A = Σ_{j>i} p_j and
        // B = Σ_{j>i} p_j e^{ℓ_i − ℓ_j}; δ(ℓ_i) = ∞-mass + A − B.
        let mut a = 0.0;
        let mut b = 0.0;
        let n = self.probs.len();
        let loss = |i: usize| (self.lower + i as i64) as f64 * self.interval;
        for i in (0..n).rev() {
            if i + 1 < n {
                let step = (loss(i) - loss(i + 1)).exp();
                b = (b + self.probs[i + 1]) * step;
                a += self.probs[i + 1];
            }
            let delta_here = self.infinity + a - b;
            if delta_here > delta {
                // The answer lies in (ℓ_i, ℓ_{i+1}]: δ(ε) = ∞ + A − B·e^{ε−ℓ_i}.
                if i + 1 >= n {
                    return loss(i).max(0.0);
                }
                let eps = loss(i) + ((self.infinity + a - delta) / b).ln();
                return eps.max(0.0);
            }
            if loss(i) <= 0.0 {
                // δ(0) already ≤ delta.
                return 0.0;
            }
        }
        // δ at the lowest loss is within budget: any ε below it works too.
        0.0
    }

    /// This PLD composed with itself `times` times (FFT, Chernoff truncation;
    /// the truncated tail mass is added to the mass at +∞, so the result stays
    /// pessimistic).
    pub fn self_compose(&self, times: u64) -> Pld {
        let window = self.self_compose_window(times);
        let plan = FftPlan::new(window.fft_len());
        self.self_compose_planned(times, window, &plan)
    }

    /// The loss indices (relative to `lower·times`) that the `times`-fold
    /// self-composition keeps: all but [`TAIL_MASS_TRUNCATION`] of its mass.
    fn self_compose_window(&self, times: u64) -> Window {
        let (lo, hi) = self_convolve_bounds(&self.probs, times.max(1), TAIL_MASS_TRUNCATION);
        Window {
            lo,
            len: (hi - lo + 1) as usize,
            input_len: self.probs.len(),
        }
    }

    /// [`Pld::self_compose`] with a plan whose length is at least
    /// `window.fft_len()` (a longer transform only folds less mass).
    fn self_compose_planned(&self, times: u64, window: Window, plan: &FftPlan) -> Pld {
        if times <= 1 {
            return self.clone();
        }
        let fft_len = plan.len;
        debug_assert!(fft_len >= window.fft_len());
        let mut spectrum = plan.spectrum(&self.probs);
        for z in &mut spectrum {
            *z = pow_complex(*z, times);
        }
        let circular = plan.inverse(spectrum);
        let probs: Vec<f64> = (0..window.len)
            .map(|k| circular[(window.lo + k as i64).rem_euclid(fft_len as i64) as usize].max(0.0))
            .collect();
        let infinity = TAIL_MASS_TRUNCATION - (times as f64 * (-self.infinity).ln_1p()).exp_m1();
        Pld {
            interval: self.interval,
            lower: self.lower * times as i64 + window.lo,
            probs,
            infinity: infinity.min(1.0),
        }
    }

    /// The composition of two PLDs on the same interval (FFT convolution).
    pub fn compose(&self, other: &Pld) -> Result<Pld> {
        if (self.interval - other.interval).abs() > 0.0 {
            return Err(DpError::InvalidParameter {
                name: "PLD interval",
                reason: "PLDs with different discretisations cannot be composed".into(),
            });
        }
        if self.probs.len() == 1 && self.probs[0] == 1.0 && self.lower == 0 {
            return Ok(other.clone());
        }
        let n = self.probs.len() + other.probs.len() - 1;
        let plan = FftPlan::new(next_fast_even_len(n));
        let mut a = plan.spectrum(&self.probs);
        let b = plan.spectrum(&other.probs);
        for (x, y) in a.iter_mut().zip(&b) {
            *x *= y;
        }
        let circular = plan.inverse(a);
        let probs = circular[..n].iter().map(|&p| p.max(0.0)).collect();
        Ok(Pld {
            interval: self.interval,
            lower: self.lower + other.lower,
            probs,
            infinity: 1.0 - (1.0 - self.infinity) * (1.0 - other.infinity),
        })
    }
}

/// Privacy loss at output x (dp-accounting's conventions: REMOVE compares
/// (1−q)N(0,σ²)+qN(−1,σ²) with N(0,σ²); ADD compares N(0,σ²) with
/// (1−q)N(0,σ²)+qN(1,σ²)). Decreasing in x in both directions.
fn gaussian_loss(sigma: f64, q: f64, direction: Direction, x: f64) -> f64 {
    let s2 = sigma * sigma;
    match direction {
        Direction::Remove => {
            let l = (-0.5 - x) / s2;
            log_one_minus_q_plus_q_exp(q, l)
        }
        Direction::Add => {
            let l = (x - 0.5) / s2;
            -log_one_minus_q_plus_q_exp(q, l)
        }
    }
}

/// ln(1 − q + q·e^l), stable for large |l|.
fn log_one_minus_q_plus_q_exp(q: f64, l: f64) -> f64 {
    if q >= 1.0 {
        return l;
    }
    if l > 0.0 {
        // q e^l (1 + (1−q) e^{−l}/q)
        q.ln() + l + ((1.0 - q) * (-l).exp() / q).ln_1p()
    } else {
        (q * l.exp_m1()).ln_1p()
    }
}

/// Exact hockey-stick divergence δ(ε) of the subsampled Gaussian.
fn gaussian_delta(sigma: f64, q: f64, direction: Direction, epsilon: f64) -> f64 {
    let s2 = sigma * sigma;
    match direction {
        Direction::Remove => {
            // Loss > ε ⇔ x < x_ε, x_ε = −1/2 − σ² ln((e^ε − 1 + q)/q).
            let c = epsilon.exp_m1() + q;
            if c <= 0.0 {
                return -epsilon.exp_m1();
            }
            let x = -0.5 - s2 * (c / q).ln();
            let d = q * normal::cdf((x + 1.0) / sigma) - c * normal::cdf(x / sigma);
            d.clamp(0.0, 1.0)
        }
        Direction::Add => {
            // Loss > ε ⇔ x < x_ε, x_ε = 1/2 + σ² ln((e^{−ε} − 1 + q)/q).
            let c = (-epsilon).exp_m1() + q;
            if c <= 0.0 {
                return 0.0;
            }
            let x = 0.5 + s2 * (c / q).ln();
            let e = epsilon.exp();
            let d = normal::cdf(x / sigma) * (1.0 - e * (1.0 - q))
                - e * q * normal::cdf((x - 1.0) / sigma);
            d.clamp(0.0, 1.0)
        }
    }
}

/// Chernoff bounds (as dp-accounting's `compute_self_convolve_bounds`): the
/// `times`-fold self-convolution of `probs` puts at most `tail` mass outside
/// the returned index range.
fn self_convolve_bounds(probs: &[f64], times: u64, tail: f64) -> (i64, i64) {
    let len = probs.len() as f64;
    let mut upper = ((probs.len() - 1) as u64 * times) as i64;
    let mut lower = 0i64;
    // Orders λ = k/len for k in −20..−1 and 1..20, so λ·i stays within ±20 and
    // Σ p_i e^{λ i} is summed with running powers (no exp per term, no overflow).
    let orders: Vec<f64> = (-20..0).chain(1..21).map(|k| k as f64 / len).collect();
    let ratios: Vec<f64> = orders.iter().map(|o| o.exp()).collect();
    let mut powers = vec![1.0f64; orders.len()];
    let mut sums = vec![0.0f64; orders.len()];
    for &p in probs {
        for ((s, pw), r) in sums.iter_mut().zip(powers.iter_mut()).zip(&ratios) {
            *s += p * *pw;
            *pw *= r;
        }
    }
    for (order, sum) in orders.iter().zip(&sums) {
        let log_mgf = sum.ln();
        let bound = (times as f64 * log_mgf + (2.0 / tail).ln()) / order;
        if !bound.is_finite() {
            continue;
        }
        if *order > 0.0 {
            upper = upper.min(bound.ceil() as i64);
        } else {
            lower = lower.max(bound.floor() as i64);
        }
    }
    (lower, upper.max(lower))
}

/// The part of a self-composition that is kept: `len` loss indices from
/// `lo`, of an input PMF with `input_len` points.
#[derive(Clone, Copy, Debug)]
struct Window {
    lo: i64,
    len: usize,
    input_len: usize,
}

impl Window {
    /// The shortest fast transform length that holds the window and the input.
    fn fft_len(&self) -> usize {
        next_fast_even_len(self.len.max(self.input_len))
    }
}

/// A real-input FFT and its inverse for one even length. Planning (twiddle
/// tables) costs several times one transform at the sizes PLDs reach, so one
/// plan serves both neighbouring directions; the two halves are planned on
/// two threads.
struct FftPlan {
    len: usize,
    forward: Arc<dyn RealToComplex<f64>>,
    inverse: Arc<dyn ComplexToReal<f64>>,
}

impl FftPlan {
    fn new(len: usize) -> FftPlan {
        let (forward, inverse) = rayon::join(
            || RealFftPlanner::<f64>::new().plan_fft_forward(len),
            || RealFftPlanner::<f64>::new().plan_fft_inverse(len),
        );
        FftPlan {
            len,
            forward,
            inverse,
        }
    }

    /// The spectrum (len/2 + 1 values) of `values` zero-padded to the plan's
    /// length (values.len() ≤ len).
    fn spectrum(&self, values: &[f64]) -> Vec<Complex<f64>> {
        let mut input = self.forward.make_input_vec();
        input[..values.len()].copy_from_slice(values);
        let mut spectrum = self.forward.make_output_vec();
        self.forward
            .process(&mut input, &mut spectrum)
            .unwrap_or_else(|e| unreachable!("buffers come from the plan: {e}"));
        spectrum
    }

    /// The inverse of [`FftPlan::spectrum`], scaled: circular-convolution
    /// values of the plan's length.
    fn inverse(&self, mut spectrum: Vec<Complex<f64>>) -> Vec<f64> {
        // The spectrum of real data is real at frequency 0 and at len/2; drop
        // the rounding noise there, as the inverse transform requires.
        if let Some(z) = spectrum.first_mut() {
            z.im = 0.0;
        }
        if let Some(z) = spectrum.last_mut() {
            z.im = 0.0;
        }
        let mut out = self.inverse.make_output_vec();
        self.inverse
            .process(&mut spectrum, &mut out)
            .unwrap_or_else(|e| unreachable!("buffers come from the plan: {e}"));
        let scale = 1.0 / self.len as f64;
        for v in &mut out {
            *v *= scale;
        }
        out
    }
}

/// The smallest even n' ≥ n whose prime factors are 2, 3, 5 and 7.
fn next_fast_even_len(n: usize) -> usize {
    2 * next_fast_len(n.div_ceil(2))
}

/// z^n by repeated squaring; 0 when |z|^n is below 1e-300 (the powers would
/// otherwise crawl through subnormal arithmetic, and such terms are far
/// below the transform's rounding error).
fn pow_complex(z: Complex<f64>, mut n: u64) -> Complex<f64> {
    let norm2 = z.norm_sqr();
    if norm2 == 0.0 || 0.5 * norm2.ln() * (n as f64) < -690.0 {
        return Complex::new(0.0, 0.0);
    }
    let mut base = z;
    let mut acc = Complex::new(1.0, 0.0);
    while n > 0 {
        if n & 1 == 1 {
            acc *= base;
        }
        base *= base;
        n >>= 1;
    }
    acc
}

/// Smallest n' ≥ n whose prime factors are 2, 3, 5 and 7 (fast FFT sizes).
fn next_fast_len(n: usize) -> usize {
    let mut m = n.max(1);
    loop {
        let mut r = m;
        for p in [2, 3, 5, 7] {
            while r.is_multiple_of(p) {
                r /= p;
            }
        }
        if r == 1 {
            return m;
        }
        m += 1;
    }
}

/// The PLD accountant: compositions tracked in both neighbouring directions
/// (add-or-remove-one adjacency), ε and δ read off the worse one.
#[derive(Clone, Debug)]
pub struct PldAccountant {
    interval: f64,
    remove: Pld,
    add: Pld,
}

impl Default for PldAccountant {
    fn default() -> Self {
        PldAccountant::new(DEFAULT_INTERVAL)
            .unwrap_or_else(|_| unreachable!("default interval is valid"))
    }
}

impl PldAccountant {
    /// An accountant with the given loss discretisation (smaller is tighter and slower).
    pub fn new(interval: f64) -> Result<PldAccountant> {
        check_positive("PLD discretisation interval", interval)?;
        Ok(PldAccountant {
            interval,
            remove: Pld::identity(interval),
            add: Pld::identity(interval),
        })
    }

    /// Composes `steps` Poisson-subsampled Gaussian steps (sampling rate q,
    /// noise multiplier σ).
    pub fn compose_subsampled_gaussian(&mut self, q: f64, sigma: f64, steps: u64) -> Result<()> {
        check_rate(q)?;
        check_sigma(sigma)?;
        if steps == 0 {
            return Ok(());
        }
        // Both directions in parallel, sharing one FFT plan of the longer length.
        let one_step = |direction| {
            let pld = Pld::subsampled_gaussian(sigma, q, direction, self.interval);
            let window = pld.self_compose_window(steps);
            (pld, window)
        };
        let ((r, r_window), (a, a_window)) =
            rayon::join(|| one_step(Direction::Remove), || one_step(Direction::Add));
        let plan = FftPlan::new(r_window.fft_len().max(a_window.fft_len()));
        let (r, a) = rayon::join(
            || r.self_compose_planned(steps, r_window, &plan),
            || a.self_compose_planned(steps, a_window, &plan),
        );
        self.remove = self.remove.compose(&r)?;
        self.add = self.add.compose(&a)?;
        Ok(())
    }

    /// Composes one Gaussian mechanism with noise std σ and L2 sensitivity Δ.
    pub fn compose_gaussian(&mut self, sigma: f64, sensitivity: f64) -> Result<()> {
        check_positive("sensitivity", sensitivity)?;
        self.compose_subsampled_gaussian(1.0, sigma / sensitivity, 1)
    }

    /// The smallest ε with (ε, δ)-DP in both directions.
    pub fn epsilon(&self, delta: f64) -> Result<f64> {
        check_delta(delta)?;
        Ok(self
            .remove
            .epsilon_for_delta(delta)
            .max(self.add.epsilon_for_delta(delta)))
    }

    /// δ(ε), the worse of the two directions.
    pub fn delta(&self, epsilon: f64) -> f64 {
        self.remove
            .delta_for_epsilon(epsilon)
            .max(self.add.delta_for_epsilon(epsilon))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounting::analytic_gaussian;

    #[test]
    fn single_gaussian_matches_the_analytic_curve() {
        // No subsampling, one step: the PLD's δ(ε) is the analytic Gaussian's,
        // up to the pessimistic discretisation.
        let mut acc = PldAccountant::default();
        acc.compose_gaussian(2.0, 1.0).unwrap();
        for eps in [0.1, 0.5, 1.0, 2.0] {
            let exact = analytic_gaussian::delta_for_epsilon(2.0, 1.0, eps);
            let got = acc.delta(eps);
            assert!(
                got >= exact * (1.0 - 1e-9),
                "pessimistic at {eps}: {got} < {exact}"
            );
            assert!(
                got <= exact * 1.01 + 1e-12,
                "tight at {eps}: {got} vs {exact}"
            );
        }
    }

    #[test]
    fn composing_k_gaussians_equals_one_gaussian_with_sigma_over_root_k() {
        // k-fold composition of N(0, σ²) equals one Gaussian with σ/√k.
        let mut acc = PldAccountant::default();
        acc.compose_subsampled_gaussian(1.0, 4.0, 16).unwrap();
        let eps = acc.epsilon(1e-5).unwrap();
        let exact = analytic_gaussian::epsilon_for(1.0, 1e-5, 1.0).unwrap();
        assert!((eps - exact).abs() / exact < 0.01, "{eps} vs {exact}");
        assert!(eps >= exact * (1.0 - 1e-6));
    }

    #[test]
    fn epsilon_and_delta_are_inverse() {
        let mut acc = PldAccountant::default();
        acc.compose_subsampled_gaussian(0.01, 1.0, 1000).unwrap();
        let eps = acc.epsilon(1e-5).unwrap();
        let d = acc.delta(eps);
        assert!((d - 1e-5).abs() / 1e-5 < 1e-3, "{d}");
    }

    #[test]
    fn fast_lengths() {
        assert_eq!(next_fast_len(11), 12);
        assert_eq!(next_fast_len(1), 1);
        assert_eq!(next_fast_len(4097), 4116);
        assert_eq!(next_fast_even_len(11), 12);
        assert_eq!(next_fast_even_len(13), 14);
    }
}
