//! Exact samplers on the integers (Canonne, Kamath & Steinke 2020,
//! "The Discrete Gaussian for Differential Privacy", Algorithms 1–3).
//!
//! Every probability is a ratio of integers and every coin is drawn from
//! [`PrivacyRng`] with exact integer comparisons, so no floating-point
//! rounding shapes the output distribution (the attack of Mironov 2012 does
//! not apply). Real-valued releases are made by rounding to a grid and adding
//! integer noise (see [`crate::mechanisms`]).

use crate::error::{DpError, Result};
use crate::rng::PrivacyRng;
use rayon::prelude::*;

/// Bernoulli(num / den), exactly. Requires `den > 0`; `num >= den` is certain.
///
/// A uniform X in [0, 1) is compared with p = num/den one byte at a time
/// ([`first_threshold_exceeded`] with the single threshold p): with r the next
/// 8 bits of X, X < p is certain when (r+1)·den ≤ 256·num, X ≥ p when
/// r·den ≥ 256·num, and otherwise (probability 1/256) the remaining bits Y of
/// X are uniform and X < p ⇔ Y < (256·num − r·den)/den, the same question
/// with a new numerator. About 8 random bits per coin on average.
#[inline]
fn bernoulli_ratio(rng: &mut PrivacyRng, num: u128, den: u128) -> bool {
    if num >= den {
        return true;
    }
    if num == 0 {
        return false;
    }
    if den >> 119 != 0 {
        // 256·num could overflow: draw X to den's full width instead.
        return rng.below_u128(den) < num;
    }
    // X < p ⇔ X exceeds no threshold of the one-threshold list [p].
    first_threshold_exceeded(rng, &[num], den).is_none()
}

/// For thresholds p_k = nums[k]/den, decreasing in k and within [0, 1], the
/// first k with X ≥ p_k for one uniform X in [0, 1) (None when X is below
/// all of them), exactly. As in [`bernoulli_ratio`], X is read a byte at a
/// time and the thresholds it has not settled are rebased onto X's remaining
/// bits; `den` must be below 2^119.
fn first_threshold_exceeded(rng: &mut PrivacyRng, nums: &[u128], den: u128) -> Option<usize> {
    let r = rng.bits8();
    first_threshold_exceeded_from_byte(rng, nums, den, r)
}

/// How X's first byte `r` settles the thresholds of [`first_threshold_exceeded`]:
/// `Settled(Some(k))` when X ≥ p_k is certain and X < p_j for every j < k,
/// `Settled(None)` when X is below all of them, `Open(k)` when p_k lies
/// within [r/256, (r+1)/256).
enum ByteVerdict {
    Settled(Option<usize>),
    Open(usize),
}

/// The verdict of X's first byte `r` on thresholds nums[k]/den (den < 2^119).
#[inline]
const fn settle_first_byte(nums: &[u128], den: u128, r: u8) -> ByteVerdict {
    let r = r as u128;
    let (lo, hi) = (r * den, (r + 1) * den);
    let mut k = 0;
    while k < nums.len() {
        let scaled = nums[k] << 8;
        if hi <= scaled {
            k += 1; // X < p_k: go on to the next threshold
        } else if lo >= scaled {
            return ByteVerdict::Settled(Some(k));
        } else {
            return ByteVerdict::Open(k);
        }
    }
    ByteVerdict::Settled(None)
}

/// [`settle_first_byte`] in 64-bit arithmetic, for den < 2^55 (so that
/// 256·den and 256·nums[k] fit).
#[inline]
fn settle_first_byte_narrow(nums: &[u128], den: u64, r: u8) -> ByteVerdict {
    let r = u64::from(r);
    let (lo, hi) = (r * den, (r + 1) * den);
    for (k, &n) in nums.iter().enumerate() {
        let scaled = (n as u64) << 8;
        if hi <= scaled {
            continue;
        }
        if lo >= scaled {
            return ByteVerdict::Settled(Some(k));
        }
        return ByteVerdict::Open(k);
    }
    ByteVerdict::Settled(None)
}

/// [`first_threshold_exceeded`] given X's first byte `r`: the thresholds are
/// read in place for that byte; only when it leaves one open (probability
/// below 1/256) are they copied, rebased onto X's remaining bits and read on.
#[inline]
fn first_threshold_exceeded_from_byte(
    rng: &mut PrivacyRng,
    nums: &[u128],
    den: u128,
    r: u8,
) -> Option<usize> {
    debug_assert!(den >> 119 == 0 && nums.len() <= 20);
    let verdict = if den >> 55 == 0 {
        settle_first_byte_narrow(nums, den as u64, r)
    } else {
        settle_first_byte(nums, den, r)
    };
    match verdict {
        ByteVerdict::Settled(verdict) => verdict,
        ByteVerdict::Open(k) => read_on_past_open_byte(rng, nums, den, r, k),
    }
}

/// The rare continuation of [`first_threshold_exceeded_from_byte`]: threshold
/// `k` lies within X's first byte `r`.
#[cold]
#[inline(never)]
fn read_on_past_open_byte(
    rng: &mut PrivacyRng,
    nums: &[u128],
    den: u128,
    r: u8,
    k: usize,
) -> Option<usize> {
    let lo = u128::from(r) * den;
    let mut rest = [0u128; 20];
    let rest = &mut rest[..nums.len() - k];
    for (out, &n) in rest.iter_mut().zip(&nums[k..]) {
        *out = (n << 8).saturating_sub(lo);
    }
    first_threshold_exceeded_in_place(rng, rest, den).map(|i| i + k)
}

/// [`first_threshold_exceeded`] on thresholds already rebased onto a fresh
/// uniform: each byte is settled by [`settle_first_byte`], and the thresholds
/// it leaves open are rebased onto the bits after it.
#[cold]
fn first_threshold_exceeded_in_place(
    rng: &mut PrivacyRng,
    nums: &mut [u128],
    den: u128,
) -> Option<usize> {
    let mut k = 0;
    loop {
        let r = rng.bits8();
        match settle_first_byte(&nums[k..], den, r) {
            ByteVerdict::Settled(verdict) => return verdict.map(|i| i + k),
            ByteVerdict::Open(i) => k += i,
        }
        let lo = u128::from(r) * den;
        for n in &mut nums[k..] {
            *n = (*n << 8).saturating_sub(lo);
        }
    }
}

/// 20!, the largest factorial below 2^63.
const FACT20: u64 = 2_432_902_008_176_640_000;

/// 20!/k! for k = 0..=20: CKS's first k coins (Bernoulli(1/j) when γ = 1)
/// all come up heads with probability 1/k! = (20!/k!)/20!.
const FACT20_OVER: [u128; 21] = {
    let mut t = [0u128; 21];
    let mut k = 0;
    let mut f: u64 = 1;
    while k <= 20 {
        if k > 0 {
            f *= k as u64;
        }
        t[k] = (FACT20 / f) as u128;
        k += 1;
    }
    t
};

/// What X's first byte says about Bernoulli(exp(−1)) through the thresholds
/// 1/k! (k = 2..20) of [`bernoulli_exp_minus_one`]: 0 false, 1 true, 2 open.
const EXP_MINUS_ONE_BY_BYTE: [u8; 256] = {
    let mut table = [2u8; 256];
    let mut r = 0;
    while r < 256 {
        let (_, thresholds) = FACT20_OVER.split_at(2);
        if let ByteVerdict::Settled(Some(i)) =
            settle_first_byte(thresholds, FACT20 as u128, r as u8)
        {
            table[r] = ((i + 2) % 2) as u8;
        }
        r += 1;
    }
    table
};

/// Bernoulli(exp(−1)), exactly: CKS Algorithm 1 with γ = 1, whose coin A_1 =
/// Bernoulli(1) always succeeds and whose first k coins all succeed ⇔ X < 1/k!
/// for one uniform X. X's first byte settles the answer (a table lookup) unless
/// a threshold lies within it; then X is read on.
#[inline]
fn bernoulli_exp_minus_one(rng: &mut PrivacyRng) -> bool {
    let r = rng.bits8();
    match EXP_MINUS_ONE_BY_BYTE[r as usize] {
        0 => false,
        1 => true,
        _ => match first_threshold_exceeded_from_byte(rng, &FACT20_OVER[2..], FACT20 as u128, r) {
            Some(i) => (i + 2) % 2 == 1,
            None => bernoulli_exp_steps_from(rng, 1, 1, 21),
        },
    }
}

/// Continues CKS Algorithm 1 from step `k` (coins Bernoulli(γ/k),
/// Bernoulli(γ/(k+1)), … until one fails) and returns whether the step that
/// failed is odd.
fn bernoulli_exp_steps_from(rng: &mut PrivacyRng, num: u128, den: u128, mut k: u128) -> bool {
    loop {
        let Some(dk) = den.checked_mul(k) else {
            // k beyond 2^64 has probability below 1/(2^64)!: stop with the parity so far.
            return k % 2 == 1;
        };
        if bernoulli_ratio(rng, num, dk) {
            k += 1;
        } else {
            return k % 2 == 1;
        }
    }
}

/// Bernoulli(exp(−num/den)) for 0 ≤ num/den ≤ 1 (CKS Algorithm 1, first case).
///
/// CKS draw coins A_k ~ Bernoulli(γ/k) for k = 1, 2, … until one fails and
/// answer whether that k is odd; the first m coins all succeed with
/// probability γ^k/k!. One uniform X decides the first m coins at once
/// (A_1..A_k all succeed ⇔ X < γ^k/k!), read lazily by
/// [`first_threshold_exceeded`]: for γ = 1 with m = 20, otherwise with m = 2
/// when den ≤ 2^59. Past the m-th coin the ordinary coins continue.
#[inline]
fn bernoulli_exp_le1(rng: &mut PrivacyRng, num: u128, den: u128) -> bool {
    if num == 0 {
        return true;
    }
    if num == den {
        return bernoulli_exp_minus_one(rng);
    }
    if den <= 1 << 59 {
        // A_1 succeeds ⇔ X < γ, A_1 and A_2 ⇔ X < γ²/2; over the denominator 2·den².
        let nums = [2 * num * den, num * num];
        return match first_threshold_exceeded(rng, &nums, 2 * den * den) {
            Some(i) => (i + 1) % 2 == 1,
            None => bernoulli_exp_steps_from(rng, num, den, 3),
        };
    }
    bernoulli_exp_steps_from(rng, num, den, 1)
}

/// Bernoulli(exp(−γ)) for rational γ = num/den ≥ 0, exactly (CKS Algorithm 1).
/// `den` must be positive.
pub fn bernoulli_exp(rng: &mut PrivacyRng, num: u128, den: u128) -> bool {
    debug_assert!(den > 0);
    let mut num = num;
    while num > den {
        if !bernoulli_exp_le1(rng, 1, 1) {
            return false;
        }
        num -= den;
    }
    bernoulli_exp_le1(rng, num, den)
}

/// Bernoulli(p) exactly for the binary value of the float `p` (a dyadic
/// rational): uniform 64-bit words are compared with p's base-2^64 digits,
/// which f64 scaling by 2^64 extracts without rounding.
pub fn bernoulli_f64(rng: &mut PrivacyRng, p: f64) -> bool {
    if p.is_nan() || p <= 0.0 {
        return false;
    }
    if p >= 1.0 {
        return true;
    }
    let mut rest = p;
    loop {
        let x = rest * 18_446_744_073_709_551_616.0;
        let digit = x.floor();
        let r = rng.next_u64();
        let d = digit as u64;
        if r < d {
            return true;
        }
        if r > d {
            return false;
        }
        rest = x - digit;
        if rest <= 0.0 {
            return false;
        }
    }
}

/// Discrete Laplace on ℤ with scale `t/s`: P(y) ∝ exp(−|y|·s/t), exactly
/// (CKS Algorithm 2). `s` and `t` must be positive.
pub fn discrete_laplace(rng: &mut PrivacyRng, t: u64, s: u64) -> i64 {
    debug_assert!(s > 0 && t > 0);
    loop {
        let u = rng.below(t);
        if !bernoulli_exp_le1(rng, u as u128, t as u128) {
            continue;
        }
        let mut v: u64 = 0;
        while bernoulli_exp_le1(rng, 1, 1) {
            v += 1;
        }
        let x = u as u128 + (t as u128) * (v as u128);
        let y = if s == 1 { x } else { x / s as u128 };
        let negative = rng.coin();
        if negative && y == 0 {
            continue;
        }
        let y = i64::try_from(y).unwrap_or(i64::MAX);
        return if negative { -y } else { y };
    }
}

/// Discrete Laplace noise with a rational scale `t/s` (P(y) ∝ exp(−|y|·s/t)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DiscreteLaplace {
    t: u64,
    s: u64,
}

impl DiscreteLaplace {
    /// Scale `t/s`; both must be positive.
    pub fn new(t: u64, s: u64) -> Result<DiscreteLaplace> {
        if t == 0 || s == 0 {
            return Err(DpError::InvalidParameter {
                name: "discrete Laplace scale",
                reason: format!("numerator and denominator must be positive, got {t}/{s}"),
            });
        }
        Ok(DiscreteLaplace { t, s })
    }

    /// The scale t/s as a float (for reports only).
    pub fn scale(&self) -> f64 {
        self.t as f64 / self.s as f64
    }

    /// One draw.
    pub fn sample(&self, rng: &mut PrivacyRng) -> i64 {
        discrete_laplace(rng, self.t, self.s)
    }

    /// Standard deviation of the discrete Laplace: √2·e^{−1/b}… exactly
    /// sqrt(2 e^{-1/b}) / (1 − e^{-1/b}) with b the scale.
    pub fn std_dev(&self) -> f64 {
        let r = (-(self.s as f64) / self.t as f64).exp();
        (2.0 * r).sqrt() / (1.0 - r)
    }

    /// Smallest integer k with P(|Y| ≥ k) ≤ alpha; |Y| < k then holds with
    /// probability at least 1 − alpha (used for confidence intervals).
    pub fn two_sided_quantile(&self, alpha: f64) -> u64 {
        // P(|Y| >= k) = 2 r^k / (1 + r) for k >= 1, r = e^{-s/t}.
        let r = (-(self.s as f64) / self.t as f64).exp();
        if alpha >= 1.0 {
            return 0;
        }
        let k = ((alpha * (1.0 + r) / 2.0).ln() / r.ln()).ceil();
        if k.is_finite() && k > 0.0 {
            k as u64
        } else {
            1
        }
    }
}

/// The smallest σ the discrete Gaussian accepts, 2^-10.
pub const MIN_SIGMA: f64 = 1.0 / 1024.0;
/// The largest σ the discrete Gaussian accepts, 2^24 (choose a coarser grid above).
pub const MAX_SIGMA: f64 = (1u64 << 24) as f64;

/// The discrete Gaussian N_ℤ(0, σ²), P(y) ∝ exp(−y²/2σ²), sampled exactly
/// (CKS Algorithm 3). σ is held as a rational a/b (b a power of two, a ≥ 2^20
/// unless σ ≥ 2^20), rounded *up* from the requested value: more noise never
/// weakens a guarantee, and [`DiscreteGaussian::sigma`] reports the value used.
///
/// The proposal is the discrete Laplace of scale exactly σ (CKS take
/// ⌊σ⌋ + 1; any scale τ gives the right law, since exp(−|y|/τ)·exp(−(|y| −
/// σ²/τ)²/2σ²) ∝ exp(−y²/2σ²)). With τ = σ the acceptance exponent is
/// (b|y| − a)²/2a², a ratio of integers below 2^100, which the byte-wise
/// coins settle in one or two bytes.
#[derive(Clone, Copy, Debug)]
pub struct DiscreteGaussian {
    a: u128,
    b: u128,
    /// 2·a²
    den: u128,
}

impl DiscreteGaussian {
    /// A discrete Gaussian with standard-deviation parameter at least `sigma`.
    pub fn new(sigma: f64) -> Result<DiscreteGaussian> {
        if !(sigma.is_finite() && (MIN_SIGMA..=MAX_SIGMA).contains(&sigma)) {
            return Err(DpError::InvalidParameter {
                name: "discrete Gaussian sigma",
                reason: format!(
                    "must be within [{MIN_SIGMA}, {MAX_SIGMA}] grid units, got {sigma}; pick a coarser or finer granularity"
                ),
            });
        }
        let (a, b) = if sigma >= (1u64 << 20) as f64 {
            (sigma.ceil() as u128, 1u128)
        } else {
            let mut b: u128 = 1;
            while sigma * (b as f64) < (1u64 << 20) as f64 {
                b <<= 1;
            }
            ((sigma * b as f64).ceil() as u128, b)
        };
        Ok(DiscreteGaussian {
            a,
            b,
            den: 2 * a * a,
        })
    }

    /// The σ actually used (≥ the requested one, by less than 2^-20 relative).
    pub fn sigma(&self) -> f64 {
        self.a as f64 / self.b as f64
    }

    /// One draw.
    pub fn sample(&self, rng: &mut PrivacyRng) -> i64 {
        loop {
            // a < 2^25 and b ≤ 2^30 (σ within [2^-10, 2^24]), so both fit in u64.
            let y = discrete_laplace(rng, self.a as u64, self.b as u64);
            let abs = y.unsigned_abs() as u128;
            // γ = (|y| − σ)² / (2σ²) = (b·|y| − a)² / (2·a²)
            let Some(x) = abs.checked_mul(self.b) else {
                continue; // |y| beyond 2^98 grid units: probability far below 2^-1000
            };
            let diff = x.abs_diff(self.a);
            let Some(num) = diff.checked_mul(diff) else {
                continue;
            };
            if bernoulli_exp(rng, num, self.den) {
                return y;
            }
        }
    }

    /// `n` draws, in parallel on all cores: the work is cut into chunks, each
    /// with its own generator forked from `rng` (so the stream stays secure and,
    /// under a test seed, reproducible).
    pub fn sample_vec(&self, rng: &mut PrivacyRng, n: usize) -> Vec<i64> {
        const CHUNK: usize = 1 << 14;
        let mut out = vec![0i64; n];
        let mut rngs: Vec<PrivacyRng> = (0..n.div_ceil(CHUNK)).map(|_| rng.fork()).collect();
        out.par_chunks_mut(CHUNK)
            .zip(rngs.par_iter_mut())
            .for_each(|(chunk, r)| {
                for v in chunk {
                    *v = self.sample(r);
                }
            });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pearson chi-square of observed counts against expected probabilities,
    /// pooling cells with expectation below 5 into one.
    fn chi_square(counts: &[u64], probs: &[f64], n: u64) -> (f64, usize) {
        let mut stat = 0.0;
        let mut df = 0usize;
        let (mut pool_o, mut pool_e) = (0.0, 0.0);
        for (&c, &p) in counts.iter().zip(probs) {
            let e = p * n as f64;
            if e < 5.0 {
                pool_o += c as f64;
                pool_e += e;
            } else {
                stat += (c as f64 - e).powi(2) / e;
                df += 1;
            }
        }
        if pool_e > 0.0 {
            stat += (pool_o - pool_e).powi(2) / pool_e.max(1e-12);
            df += 1;
        }
        (stat, df.saturating_sub(1))
    }

    /// Upper 0.1% critical value of chi-square with `df` degrees of freedom
    /// (Wilson–Hilferty approximation, accurate to a few percent for df ≥ 3).
    fn chi_critical(df: usize) -> f64 {
        let k = df as f64;
        let z = 3.09;
        k * (1.0 - 2.0 / (9.0 * k) + z * (2.0 / (9.0 * k)).sqrt()).powi(3)
    }

    fn check_integer_sampler(
        mut draw: impl FnMut(&mut PrivacyRng) -> i64,
        pmf: impl Fn(i64) -> f64,
        range: i64,
        seed: u64,
    ) {
        let n = 200_000u64;
        let mut rng = PrivacyRng::insecure_from_seed(seed);
        let width = (2 * range + 1) as usize;
        let mut counts = vec![0u64; width + 1];
        for _ in 0..n {
            let y = draw(&mut rng);
            if y.abs() > range {
                counts[width] += 1;
            } else {
                counts[(y + range) as usize] += 1;
            }
        }
        let mut probs: Vec<f64> = (-range..=range).map(&pmf).collect();
        let inside: f64 = probs.iter().sum();
        probs.push((1.0 - inside).max(0.0));
        let (stat, df) = chi_square(&counts, &probs, n);
        assert!(
            stat < chi_critical(df),
            "chi-square {stat:.1} with {df} df exceeds {:.1}",
            chi_critical(df)
        );
    }

    #[test]
    fn bernoulli_exp_matches_exp_minus_gamma() {
        for (i, &(num, den)) in [(0u128, 1u128), (1, 4), (1, 1), (5, 2), (7, 3)]
            .iter()
            .enumerate()
        {
            let mut rng = PrivacyRng::insecure_from_seed(100 + i as u64);
            let n = 200_000;
            let hits = (0..n).filter(|_| bernoulli_exp(&mut rng, num, den)).count();
            let p = (-(num as f64) / den as f64).exp();
            let sd = (p * (1.0 - p) / n as f64).sqrt().max(1e-9);
            let z = (hits as f64 / n as f64 - p) / sd;
            assert!(z.abs() < 4.0, "gamma {num}/{den}: z = {z}");
        }
    }

    #[test]
    fn discrete_laplace_fits_its_pmf_at_several_scales() {
        for (i, &(t, s)) in [(1u64, 1u64), (3, 1), (10, 1), (7, 2)].iter().enumerate() {
            let dl = DiscreteLaplace::new(t, s).unwrap();
            let r = (-(s as f64) / t as f64).exp();
            let pmf = move |y: i64| (1.0 - r) / (1.0 + r) * r.powi(y.abs() as i32);
            let range = (8.0 * t as f64 / s as f64).ceil() as i64;
            check_integer_sampler(|rng| dl.sample(rng), pmf, range, 10 + i as u64);
        }
    }

    #[test]
    fn discrete_gaussian_fits_its_pmf_at_several_scales() {
        for (i, &sigma) in [0.5f64, 1.0, 2.5, 10.0].iter().enumerate() {
            let dg = DiscreteGaussian::new(sigma).unwrap();
            let s = dg.sigma();
            assert!(s >= sigma && s < sigma * (1.0 + 1e-5));
            let range = (8.0 * s).ceil() as i64;
            let norm: f64 = (-range * 4..=range * 4)
                .map(|y| (-(y as f64).powi(2) / (2.0 * s * s)).exp())
                .sum();
            let pmf = move |y: i64| (-(y as f64).powi(2) / (2.0 * s * s)).exp() / norm;
            check_integer_sampler(|rng| dg.sample(rng), pmf, range, 20 + i as u64);
        }
    }

    #[test]
    fn discrete_gaussian_large_sigma_has_the_right_moments() {
        let dg = DiscreteGaussian::new(1_500_000.0).unwrap();
        let mut rng = PrivacyRng::insecure_from_seed(5);
        let v = dg.sample_vec(&mut rng, 100_000);
        let n = v.len() as f64;
        let mean = v.iter().map(|&x| x as f64).sum::<f64>() / n;
        let var = v.iter().map(|&x| (x as f64 - mean).powi(2)).sum::<f64>() / n;
        let sd = var.sqrt();
        assert!((mean / 1_500_000.0).abs() < 0.02, "mean {mean}");
        assert!((sd / 1_500_000.0 - 1.0).abs() < 0.01, "sd {sd}");
        // Kolmogorov–Smirnov against the normal CDF (the grid is 1.5e6 times
        // finer than σ, so the discrete and continuous CDFs agree to ~1e-6).
        let mut z: Vec<f64> = v.iter().map(|&x| x as f64 / dg.sigma()).collect();
        z.sort_by(f64::total_cmp);
        let d = z
            .iter()
            .enumerate()
            .map(|(i, &x)| {
                let f = crate::accounting::normal::cdf(x);
                (f - i as f64 / n).abs().max(((i + 1) as f64 / n - f).abs())
            })
            .fold(0.0, f64::max);
        assert!(d < 1.95 / n.sqrt(), "KS distance {d}");
    }

    #[test]
    fn wide_bernoulli_ratios_are_exact_in_distribution() {
        // Byte-wise comparison below 2^119, full-width draws above it.
        let mut rng = PrivacyRng::insecure_from_seed(31);
        let wide: u128 = (1u128 << 90) + 12_345;
        let widest: u128 = (1u128 << 125) + 7;
        for &(num, den) in &[
            (wide / 3, wide),
            (wide / 1000, wide),
            (wide - 1, wide),
            (1u128 << 70, wide),
            (widest / 3, widest),
            (2, 3),
        ] {
            let n = 200_000;
            let p = num as f64 / den as f64;
            let hits = (0..n)
                .filter(|_| bernoulli_ratio(&mut rng, num, den))
                .count();
            let sd = (p * (1.0 - p) / n as f64).sqrt().max(1e-9);
            let z = (hits as f64 / n as f64 - p) / sd;
            assert!(z.abs() < 4.5, "p = {p}: z = {z}");
        }
    }

    #[test]
    fn first_threshold_exceeded_follows_the_thresholds() {
        // Thresholds 1/2, 1/3, 1/1000 + 1/2^40 (not dyadic, one very close to a
        // byte boundary): P(first exceeded = k) = p_{k-1} − p_k.
        let den: u128 = 3 * 1000 * (1u128 << 40);
        let p = [den / 2, den / 3, den / 1000 + 3000];
        let mut rng = PrivacyRng::insecure_from_seed(77);
        let n = 300_000;
        let mut counts = [0u32; 4];
        for _ in 0..n {
            let k = first_threshold_exceeded(&mut rng, &p, den).unwrap_or(3);
            counts[k] += 1;
        }
        let probs = [
            0.5,
            0.5 - 1.0 / 3.0,
            1.0 / 3.0 - p[2] as f64 / den as f64,
            p[2] as f64 / den as f64,
        ];
        for (k, (&c, &q)) in counts.iter().zip(&probs).enumerate() {
            let z = (c as f64 / n as f64 - q) / (q * (1.0 - q) / n as f64).sqrt();
            assert!(z.abs() < 4.5, "k = {k}: z = {z}, {counts:?}");
        }
    }

    #[test]
    fn float_bernoulli_matches_p() {
        let mut rng = PrivacyRng::insecure_from_seed(8);
        for &p in &[0.3f64, 1e-3, 0.999, 0.5] {
            let n = 200_000;
            let hits = (0..n).filter(|_| bernoulli_f64(&mut rng, p)).count();
            let z = (hits as f64 / n as f64 - p) / (p * (1.0 - p) / n as f64).sqrt();
            assert!(z.abs() < 4.5, "p={p}: z={z}");
        }
        assert!(!bernoulli_f64(&mut rng, 0.0));
        assert!(bernoulli_f64(&mut rng, 1.0));
        assert!(!bernoulli_f64(&mut rng, f64::NAN));
    }

    #[test]
    fn sigma_out_of_range_is_refused() {
        assert!(DiscreteGaussian::new(0.0).is_err());
        assert!(DiscreteGaussian::new(f64::NAN).is_err());
        assert!(DiscreteGaussian::new(1e9).is_err());
        assert!(DiscreteLaplace::new(0, 1).is_err());
    }

    #[test]
    fn laplace_quantile_covers_the_requested_mass() {
        let dl = DiscreteLaplace::new(100, 1).unwrap();
        let k = dl.two_sided_quantile(0.05);
        let r = (-1.0f64 / 100.0).exp();
        let tail = |k: u64| 2.0 * r.powi(k as i32) / (1.0 + r);
        assert!(tail(k) <= 0.05 && tail(k - 1) > 0.05);
    }
}
