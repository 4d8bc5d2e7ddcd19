//! DP quantiles with a noisy hierarchical histogram (the quantile tree of
//! Google's differential-privacy library): [lower, upper] is cut into
//! BRANCHING^HEIGHT leaves; every row adds one to one node per level; a
//! quantile is found by descending the tree along noisy child counts and
//! interpolating inside the final leaf. All quantiles of a partition reuse
//! the same noisy tree (post-processing), and each node's noise is drawn
//! once, when first looked at.

use crate::mechanisms::GeometricMechanism;
use crate::rng::PrivacyRng;
use rustc_hash::FxHashMap;

/// Children per node.
pub const BRANCHING: u64 = 16;
/// Levels below the root.
pub const HEIGHT: u32 = 4;

/// Leaf index of a value clamped to [lower, upper].
pub fn leaf_of(value: f64, lower: f64, upper: f64) -> u32 {
    let leaves = BRANCHING.pow(HEIGHT);
    if upper <= lower {
        return 0;
    }
    let f = ((value - lower) / (upper - lower)).clamp(0.0, 1.0);
    ((f * leaves as f64) as u64).min(leaves - 1) as u32
}

/// The noisy tree of one partition.
pub struct NoisyTree<'a> {
    /// Exact counts per (level, node) of this partition, level 1..=HEIGHT.
    counts: FxHashMap<(u32, u64), i64>,
    noisy: FxHashMap<(u32, u64), i64>,
    noise: &'a GeometricMechanism,
    lower: f64,
    upper: f64,
}

impl<'a> NoisyTree<'a> {
    /// Builds the exact counts from the leaves of the kept rows.
    pub fn new(
        leaves: &[u32],
        noise: &'a GeometricMechanism,
        lower: f64,
        upper: f64,
    ) -> NoisyTree<'a> {
        let mut counts = FxHashMap::default();
        for &leaf in leaves {
            let mut node = leaf as u64;
            for level in (1..=HEIGHT).rev() {
                *counts.entry((level, node)).or_insert(0) += 1;
                node /= BRANCHING;
            }
        }
        NoisyTree {
            counts,
            noisy: FxHashMap::default(),
            noise,
            lower,
            upper,
        }
    }

    fn noisy_count(&mut self, level: u32, node: u64, rng: &mut PrivacyRng) -> f64 {
        let exact = self.counts.get(&(level, node)).copied().unwrap_or(0);
        let noise = self.noise;
        let v = *self
            .noisy
            .entry((level, node))
            .or_insert_with(|| noise.release(exact, rng));
        v.max(0) as f64
    }

    /// The q-quantile (q in [0, 1]).
    pub fn quantile(&mut self, q: f64, rng: &mut PrivacyRng) -> f64 {
        let mut node: u64 = 0;
        let mut lo = self.lower;
        let mut width = self.upper - self.lower;
        let mut rank_fraction = q.clamp(0.0, 1.0);
        for level in 1..=HEIGHT {
            let children: Vec<f64> = (0..BRANCHING)
                .map(|c| self.noisy_count(level, node * BRANCHING + c, rng))
                .collect();
            let total: f64 = children.iter().sum();
            width /= BRANCHING as f64;
            if total <= 0.0 {
                // Nothing left to guide the descent: answer the middle of this node.
                return (lo + width * BRANCHING as f64 / 2.0).clamp(self.lower, self.upper);
            }
            let target = rank_fraction * total;
            let mut acc = 0.0;
            let mut chosen = BRANCHING - 1;
            for (c, &count) in children.iter().enumerate() {
                if acc + count >= target && count > 0.0 {
                    chosen = c as u64;
                    break;
                }
                acc += count;
            }
            let count = children[chosen as usize];
            rank_fraction = if count > 0.0 {
                ((target - acc) / count).clamp(0.0, 1.0)
            } else {
                0.5
            };
            lo += width * chosen as f64;
            node = node * BRANCHING + chosen;
        }
        (lo + width * rank_fraction).clamp(self.lower, self.upper)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_of_a_large_partition_are_close() {
        let noise = GeometricMechanism::new(4, 1.0).unwrap();
        let values: Vec<f64> = (0..10_000).map(|i| i as f64 / 100.0).collect();
        let leaves: Vec<u32> = values.iter().map(|&v| leaf_of(v, 0.0, 100.0)).collect();
        let mut rng = PrivacyRng::insecure_from_seed(1);
        let mut tree = NoisyTree::new(&leaves, &noise, 0.0, 100.0);
        for (q, exact) in [(0.1, 10.0), (0.5, 50.0), (0.9, 90.0)] {
            let got = tree.quantile(q, &mut rng);
            assert!((got - exact).abs() < 1.0, "q{q}: {got}");
        }
        assert_eq!(leaf_of(-5.0, 0.0, 100.0), 0);
        assert_eq!(leaf_of(500.0, 0.0, 100.0), 65_535);
    }
}
