//! The randomness behind every release: ChaCha20 seeded from the operating
//! system. A fixed seed exists only for tests and reproducible demos, and a
//! generator built from one reports itself as not private.

use crate::error::{DpError, Result};
use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};

/// A cryptographically secure generator (ChaCha20) that knows whether its
/// output may back a privacy claim.
pub struct PrivacyRng {
    inner: ChaCha20Rng,
    private: bool,
    /// Unused random bits for [`PrivacyRng::coin`], and how many remain.
    bits: u64,
    nbits: u32,
}

impl PrivacyRng {
    /// Seeds ChaCha20 from the operating system's entropy source. Releases made
    /// with this generator are private.
    pub fn from_os() -> Result<PrivacyRng> {
        let inner = ChaCha20Rng::try_from_os_rng().map_err(|e| DpError::Rng(e.to_string()))?;
        Ok(PrivacyRng {
            inner,
            private: true,
            bits: 0,
            nbits: 0,
        })
    }

    /// A generator from a fixed seed. Its output is reproducible and therefore
    /// NOT private: [`PrivacyRng::is_private`] returns false and every report
    /// built from it must say so.
    pub fn insecure_from_seed(seed: u64) -> PrivacyRng {
        PrivacyRng {
            inner: ChaCha20Rng::seed_from_u64(seed),
            private: false,
            bits: 0,
            nbits: 0,
        }
    }

    /// False when the generator was built from a fixed seed.
    pub fn is_private(&self) -> bool {
        self.private
    }

    /// An independent generator for another thread: seeded with 256 fresh
    /// bits from this one, inheriting its privacy flag.
    pub fn fork(&mut self) -> PrivacyRng {
        let mut seed = [0u8; 32];
        self.inner.fill_bytes(&mut seed);
        PrivacyRng {
            inner: ChaCha20Rng::from_seed(seed),
            private: self.private,
            bits: 0,
            nbits: 0,
        }
    }

    /// 64 uniform bits.
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        self.inner.next_u64()
    }

    /// A fair coin (one bit of a buffered 64-bit word).
    #[inline]
    pub fn coin(&mut self) -> bool {
        if self.nbits == 0 {
            self.bits = self.inner.next_u64();
            self.nbits = 64;
        }
        let b = self.bits & 1 == 1;
        self.bits >>= 1;
        self.nbits -= 1;
        b
    }

    /// Eight uniform bits from the same buffer as [`PrivacyRng::coin`] (the
    /// buffer's leftover bits are discarded when fewer than eight remain).
    #[inline]
    pub fn bits8(&mut self) -> u8 {
        if self.nbits < 8 {
            self.bits = self.inner.next_u64();
            self.nbits = 64;
        }
        let b = self.bits as u8;
        self.bits >>= 8;
        self.nbits -= 8;
        b
    }

    /// Uniform integer in `[0, n)`, exactly (Lemire's method with rejection;
    /// 32-bit draws when `n` fits in 32 bits). `n` must be positive.
    #[inline]
    pub fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0);
        if n == 1 {
            return 0;
        }
        if n <= u32::MAX as u64 {
            let n32 = n as u32;
            let mut m = (self.inner.next_u32() as u64) * n;
            let mut low = m as u32;
            if low < n32 {
                let threshold = n32.wrapping_neg() % n32;
                while low < threshold {
                    m = (self.inner.next_u32() as u64) * n;
                    low = m as u32;
                }
            }
            return m >> 32;
        }
        let mut m = (self.next_u64() as u128) * (n as u128);
        let mut low = m as u64;
        if low < n {
            let threshold = n.wrapping_neg() % n;
            while low < threshold {
                m = (self.next_u64() as u128) * (n as u128);
                low = m as u64;
            }
        }
        (m >> 64) as u64
    }

    /// Uniform integer in `[0, n)` for 128-bit `n`, exactly (masked rejection).
    pub fn below_u128(&mut self, n: u128) -> u128 {
        debug_assert!(n > 0);
        if n <= u64::MAX as u128 {
            return self.below(n as u64) as u128;
        }
        let bits = 128 - (n - 1).leading_zeros();
        let mask = if bits == 128 {
            u128::MAX
        } else {
            (1u128 << bits) - 1
        };
        loop {
            let x = (((self.next_u64() as u128) << 64) | self.next_u64() as u128) & mask;
            if x < n {
                return x;
            }
        }
    }

    /// Moves a uniformly random `k`-subset of `items` (in random order) to
    /// its first `k` positions, in place (partial Fisher–Yates).
    pub fn partial_shuffle<T>(&mut self, items: &mut [T], k: usize) {
        let n = items.len();
        for i in 0..k.min(n) {
            let j = i + self.below((n - i) as u64) as usize;
            items.swap(i, j);
        }
    }

    /// A uniformly random subset of `k` distinct indices out of `0..n`
    /// (partial Fisher–Yates), used for contribution bounding.
    pub fn sample_indices(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..n).collect();
        let k = k.min(n);
        for i in 0..k {
            let j = i + self.below((n - i) as u64) as usize;
            idx.swap(i, j);
        }
        idx.truncate(k);
        idx
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_generators_are_marked_not_private_and_forks_inherit() {
        let mut r = PrivacyRng::insecure_from_seed(1);
        assert!(!r.is_private());
        assert!(!r.fork().is_private());
        let mut os = PrivacyRng::from_os().unwrap();
        assert!(os.is_private());
        assert!(os.fork().is_private());
    }

    #[test]
    fn below_is_uniform_on_a_small_range() {
        let mut r = PrivacyRng::insecure_from_seed(7);
        let mut counts = [0u32; 6];
        for _ in 0..60_000 {
            counts[r.below(6) as usize] += 1;
        }
        for c in counts {
            assert!((9_500..10_500).contains(&c), "{counts:?}");
        }
        for _ in 0..1000 {
            let n = (u64::MAX as u128) * 3 + 5;
            assert!(r.below_u128(n) < n);
        }
    }

    #[test]
    fn sample_indices_returns_distinct_indices() {
        let mut r = PrivacyRng::insecure_from_seed(3);
        let mut s = r.sample_indices(10, 4);
        assert_eq!(s.len(), 4);
        s.sort();
        s.dedup();
        assert_eq!(s.len(), 4);
        assert!(s.iter().all(|&i| i < 10));
        assert_eq!(r.sample_indices(3, 9).len(), 3);
    }
}
