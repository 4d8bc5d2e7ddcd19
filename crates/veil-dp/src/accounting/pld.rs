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
use rustfft::FftPlanner;
use rustfft::num_complex::Complex;

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
        if times <= 1 {
            return self.clone();
        }
        let (tlo, thi) = self_convolve_bounds(&self.probs, times, TAIL_MASS_TRUNCATION);
        let out_len = (thi - tlo + 1) as usize;
        let fft_len = next_fast_len(out_len.max(self.probs.len()));
        let mut buf: Vec<Complex<f64>> = self
            .probs
            .iter()
            .map(|&p| Complex::new(p, 0.0))
            .chain(std::iter::repeat(Complex::new(0.0, 0.0)))
            .take(fft_len)
            .collect();
        // One plan serves both directions: ifft(x) = conj(fft(conj(x))) / n.
        let fft = FftPlanner::<f64>::new().plan_fft_forward(fft_len);
        fft.process(&mut buf);
        for z in &mut buf {
            *z = pow_complex(*z, times).conj();
        }
        fft.process(&mut buf);
        for z in &mut buf {
            *z = z.conj();
        }
        let scale = 1.0 / fft_len as f64;
        let probs: Vec<f64> = (0..out_len)
            .map(|k| {
                let idx = (tlo + k as i64).rem_euclid(fft_len as i64) as usize;
                (buf[idx].re * scale).max(0.0)
            })
            .collect();
        let infinity = TAIL_MASS_TRUNCATION - (times as f64 * (-self.infinity).ln_1p()).exp_m1();
        Pld {
            interval: self.interval,
            lower: self.lower * times as i64 + tlo,
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
        let fft_len = next_fast_len(n);
        let mut planner = FftPlanner::<f64>::new();
        let fwd = planner.plan_fft_forward(fft_len);
        let pad = |p: &[f64]| -> Vec<Complex<f64>> {
            let mut v: Vec<Complex<f64>> = p.iter().map(|&x| Complex::new(x, 0.0)).collect();
            v.resize(fft_len, Complex::new(0.0, 0.0));
            v
        };
        let mut a = pad(&self.probs);
        let mut b = pad(&other.probs);
        fwd.process(&mut a);
        fwd.process(&mut b);
        for (x, y) in a.iter_mut().zip(&b) {
            *x *= y;
        }
        drop(planner);
        for z in &mut a {
            *z = z.conj();
        }
        fwd.process(&mut a);
        for z in &mut a {
            *z = z.conj();
        }
        let scale = 1.0 / fft_len as f64;
        let probs = a[..n].iter().map(|z| (z.re * scale).max(0.0)).collect();
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

/// z^n by repeated squaring.
fn pow_complex(z: Complex<f64>, mut n: u64) -> Complex<f64> {
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
        let r = Pld::subsampled_gaussian(sigma, q, Direction::Remove, self.interval)
            .self_compose(steps);
        let a =
            Pld::subsampled_gaussian(sigma, q, Direction::Add, self.interval).self_compose(steps);
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
    }
}
